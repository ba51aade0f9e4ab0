"""Shared fixtures: the app under AppTest, the dataset, a served app on a free loopback port, and Debian's chromium.

The served app and the browser are session-scoped and started only when a test asks for them, so the unit and
AppTest tests never pay for a server or a browser.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard.py"
from bench import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (one list of Debian-chromium flags, shared with bench)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
APP_TIMEOUT = 60  # seconds for one AppTest run (the first run validates the dataset)
SERVER_START_TIMEOUT = 60


# ---------------------------------------------------------------- dataset


@pytest.fixture(scope="session")
def ds():
    from components.dataset import load

    return load()


@pytest.fixture(scope="session")
def choices(ds):
    from components.view import Choices

    return Choices.from_dataset(ds)


# ---------------------------------------------------------------- AppTest helpers


@pytest.fixture
def app():
    """A fresh AppTest of the dashboard, not yet run: set query params or env first, then call .run()."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)


def _dtype_size(dtype: str) -> int:
    return int(dtype[-1]) if dtype[-1].isdigit() else 1


def array_len(value) -> int:
    """Length of a trace array in Plotly's JSON: a list, or a typed array {dtype, bdata, shape}."""
    if value is None:
        return 0
    if isinstance(value, dict) and "bdata" in value:
        if "shape" in value:
            return int(str(value["shape"]).split(",")[0])
        return len(base64.b64decode(value["bdata"])) // _dtype_size(value["dtype"])
    return len(value)


def chart_specs(at) -> dict[str, dict]:
    """The page's Plotly figures by chart key (chart_trade → 'trade'), as Plotly JSON."""
    out = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.rsplit("-", 1)[-1]
        assert key.startswith("chart_"), f"chart without a chart_* key: {element.proto.id}"
        out[key.removeprefix("chart_")] = json.loads(element.proto.spec)
    return out


def visits_metric(at) -> int:
    """The 4th metric: visits in the current filter."""
    metric = next(m for m in at.metric if m.label == "Visits in the current filter")
    return int(metric.value)


def timeline_points(spec: dict) -> int:
    """Visit markers in the timeline figure (the 'Selected visit' ring is not a visit)."""
    return sum(array_len(t.get("x")) for t in spec["data"] if t.get("name") != "Selected visit")


def all_text(at) -> list[str]:
    """Every element's protobuf as text (blocks walked recursively), for 'nothing on the page shows X' checks."""
    texts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(str(proto))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return texts


# ---------------------------------------------------------------- served app


class ServedApp(str):
    """The base URL (a str) of a running `streamlit run dashboard.py`, with its log file."""

    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A loopback port nothing listens on: bind port 0, read it, and check no server answers there."""
    for _ in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) != 0:  # refused: free
                return port
    raise RuntimeError("no free loopback port found")


def _health(url: str) -> str:
    try:
        with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
            return response.read().decode().strip()
    except OSError:
        return ""


@pytest.fixture(scope="session")
def served_app(tmp_path_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    assert _health(url) == "", f"something already answers on port {port}"
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("DASHBOARD_DATA_DIR", None)
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(APP),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = ServedApp(url)
    served.log_path = log_path
    served.process = process
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while _health(url) != "ok":
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{served.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer /_stcore/health in {SERVER_START_TIMEOUT} s:\n{served.log()}")
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
