# Two entry points for a fresh Debian machine (Python >= 3.11): `make run` and `make test`.
# Each sets up what it needs first: a virtualenv in .venv with the pinned packages, and Debian's chromium
# (for PNG export through kaleido and for the browser tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench load export validate chromium fonts setup i18n node-tools

setup: $(STAMP) chromium fonts

$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt -e '.[test,bench]'
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium (PNG export and browser tests)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Node tools that run offline against a local server: axe-core (the accessibility test) and Lighthouse (the
# first-load bench), pinned in bench/package-lock.json. Needs npm (Debian's nodejs and npm when missing).
NODE_TOOLS := bench/node_modules/.installed-stamp
node-tools: $(NODE_TOOLS)
$(NODE_TOOLS): bench/package.json bench/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's nodejs and npm (accessibility test, Lighthouse)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --prefix bench --silent --no-audit --no-fund
	touch $@

# Noto CJK: exported PNGs draw Chinese characters (and Vietnamese diacritics) with a real font, not boxes.
fonts:
	@fc-list 2>/dev/null | grep -q 'Noto Sans CJK' || { \
	  echo "Installing Debian's fonts-noto-cjk (Chinese and Vietnamese text in exported images)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }

# Message catalogs: extract the texts from the code, merge them into the vi and zh catalogs (new and changed texts
# arrive untranslated or fuzzy; tests/test_i18n.py fails until a translator fills them in), compile the .mo files.
BABEL_KEYWORDS := -k t -k n:1,2 -k p:1c,2
LOCALES_DIR    := components/locales
i18n: $(STAMP)
	mkdir -p $(LOCALES_DIR)
	$(BIN)/pybabel extract -F components/locales/babel.cfg $(BABEL_KEYWORDS) --add-location=file --sort-output \
	  --project=vn-cn-dashboard --copyright-holder='vn-cn-dashboard contributors' -o $(LOCALES_DIR)/messages.pot .
	for lang in vi zh; do \
	  if [ -f $(LOCALES_DIR)/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) -l $$lang --ignore-obsolete; \
	  else $(BIN)/pybabel init -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) -l $$lang; fi; done
	$(BIN)/pybabel compile -d $(LOCALES_DIR) --statistics

run: setup
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

test: setup caddy node-tools
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

# Production serving: REPLICAS Streamlit processes behind Debian's Caddy (serving/Caddyfile: compression,
# websocket pass-through, cookie-sticky load balancing, health checks), each restarted if it dies.
REPLICAS   ?= 1
SERVE_PORT ?= 8080
.PHONY: serve caddy

# Debian's caddy, and zstd to precompress Streamlit's bundles (serving/precompress.py). Debian starts its own caddy
# service on port 80 after installing; this project runs Caddy itself, so stop it.
caddy:
	@command -v caddy >/dev/null 2>&1 && command -v zstd >/dev/null 2>&1 && command -v varnishd >/dev/null 2>&1 || { \
	  echo "Installing Debian's caddy and varnish (production serving, its shared cache, and their tests)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy zstd varnish >/dev/null; \
	  if [ -d /run/systemd/system ]; then $(SUDO) systemctl disable --now caddy varnish >/dev/null 2>&1 || true; fi; }

serve: setup caddy
	$(BIN)/python -m serving.supervise --replicas $(REPLICAS) --port $(SERVE_PORT)
