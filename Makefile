# Two entry points for a fresh Debian machine (Python >= 3.11): `make run` and `make test`.
# Each sets up what it needs first: a virtualenv in .venv with the pinned packages, and Debian's chromium
# (for PNG export through kaleido and for the browser tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench load export validate chromium setup

setup: $(STAMP) chromium

$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt -e '.[test,bench]'
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium (PNG export and browser tests)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: setup
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/python -m components.dataset

export: setup
	$(BIN)/python -m components.export --out exports $(if $(VIEW),--view '$(VIEW)')

bench: setup
	$(BIN)/python -m bench

load: setup
	$(BIN)/python -m bench.load
