"""Packaging stays in step: requirements.txt pins exactly pyproject's runtime dependencies, Debian packages and the
Streamlit config are in place, CI runs `make test`, and the README gives the two commands."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _runtime() -> dict[str, Requirement]:
    reqs = [Requirement(r) for r in _pyproject()["project"]["dependencies"]]
    return {canonicalize_name(r.name): r for r in reqs}


def _pins() -> dict[str, Requirement]:
    out: dict[str, Requirement] = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name not in out, f"{req.name} pinned twice in requirements.txt"
        out[name] = req
    return out


def test_requirements_name_exactly_the_runtime_dependencies():
    assert _runtime(), "pyproject.toml lists runtime dependencies"
    assert set(_pins()) == set(_runtime())


@pytest.mark.parametrize("name", sorted(_runtime()))
def test_each_pin_is_exact_and_satisfies_pyproject(name):
    pin = _pins()[name]
    specs = list(pin.specifier)
    assert len(specs) == 1 and specs[0].operator == "==", f"{pin} is not an exact pin"
    version = Version(specs[0].version)
    wanted = _runtime()[name]
    assert wanted.specifier.contains(version, prereleases=True), f"{pin} does not satisfy pyproject's {wanted}"
    assert not pin.extras or pin.extras == wanted.extras


@pytest.mark.parametrize("name", sorted(_runtime()))
def test_installed_versions_are_the_pins(name):
    pinned = Version(next(iter(_pins()[name].specifier)).version)
    assert Version(metadata.version(name)) == pinned


def test_test_tools_are_declared():
    extras = _pyproject()["project"]["optional-dependencies"]
    names = {canonicalize_name(Requirement(r).name) for r in extras["test"]}
    assert {"pytest", "hypothesis", "ruff"} <= names


def test_packages_txt_lists_chromium():
    lines = [ln.strip() for ln in (ROOT / "packages.txt").read_text(encoding="utf-8").splitlines()]
    assert "chromium" in lines


def test_streamlit_config_parses():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    # Any [theme] key pins a custom light theme; without one the page follows each user's light or dark setting.
    assert "theme" not in config
    # A forced full collection after every script run was about half a server rerun (bench/README.md).
    assert config["runner"]["postScriptGC"] is False


def test_ci_runs_make_test():
    script = ROOT / ".ci" / "run"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!")
    commands = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert "make test" in commands
    assert any("set -e" in c for c in commands), "CI must fail when a step fails"
    assert os.access(script, os.X_OK)


def test_makefile_has_run_and_test_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", text, flags=re.M))
    assert {"run", "test"} <= targets
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", text, flags=re.M).group(1)
    assert "pytest" in test_recipe
    run_recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, flags=re.M).group(1)
    assert "streamlit" in run_recipe and "dashboard.py" in run_recipe


def test_readme_gives_the_two_commands():
    readme = ROOT / "README.md"
    if not readme.exists():  # the README is optional; when it exists it must give both commands
        return
    text = readme.read_text(encoding="utf-8")
    assert "make run" in text
    assert "make test" in text


def test_readme_exists():
    assert (ROOT / "README.md").is_file()
