"""Shared fixtures: the app under AppTest, the dataset, a served app on a free loopback port, and Debian's chromium.

The served app and the browser are session-scoped and started only when a test asks for them, so the unit and
AppTest tests never pay for a server or a browser.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard.py"
from waiting import run_app  # noqa: E402  (the shared waiting helper, tests/waiting.py)

from bench import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402  (shared with bench)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The Plotly charts each page draws (browser tests wait for exactly these) on a screen tall enough to show them
# all: overview trade + timeline (on a shorter one the timeline waits until scrolled to: scroll_to_timeline);
# /trade trade, goods, year to date, mirror, FDI, tourists; /visits timeline + documents; /data none.
PAGE_CHARTS = {"": 2, "trade": 6, "visits": 2, "data": 0}
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


def new_app(timeout: float = APP_TIMEOUT, *, scrolled: bool = True):
    """A fresh AppTest of the dashboard, not yet run, whose reader has (`scrolled`) or has not scrolled to the
    overview's timeline: a browser draws it when it nears the screen (sections.deferred), which AppTest cannot.
    tests/test_deferred.py reads the first run without it."""
    from streamlit.testing.v1 import AppTest

    from components.sections import deferred

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if scrolled:
        at.session_state[deferred.seen_key("timeline")] = True
    return at


@pytest.fixture
def app():
    """A fresh AppTest of the dashboard, not yet run: set query params or env first, then call .run()."""
    return new_app()


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
    """The 4th metric: visits in the current filter (its label in any of the interface's languages)."""
    from components import i18n

    labels = {i18n.translator(lang)("Visits in the current filter") for lang in i18n.LANGUAGES}
    metric = next(m for m in at.metric if m.label in labels)
    return int(metric.value)


def copy_boxes(at) -> dict[str, dict]:
    """The page's copy boxes (components.sections.copy) by key ("share-url", "bib-side", ...): the data each
    one's script is given, the text it copies under "text"."""
    return {
        element.proto.id.rsplit("-copy-", 1)[-1]: json.loads(element.proto.json)
        for element in at.get("bidi_component")
        if element.proto.component_name == "vncn_copy_box"
    }


def share_link(at) -> str:
    """The sidebar's share link, as the reader would copy it."""
    box = copy_boxes(at).get("share-url")
    assert box, "no share link on the page"
    return box["text"]


def on_page(at, path: str):
    """Switch an AppTest that has run once to the page at `path` ("" is the overview), and run it.

    AppTest.switch_page knows only file pages; ours are functions that st.navigation registers with a url_path,
    so the registered page's hash is chosen directly.
    """
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == path)
    return run_app(at)


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


@pytest.fixture(scope="session")
def served_app(tmp_path_factory):
    """The dashboard served on a free loopback port for the whole session, its output kept for the log checks."""
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit_server(APP, env={"PYTHONUNBUFFERED": "1"}, timeout=SERVER_START_TIMEOUT, log=log_path) as server:
        served = ServedApp(server.url)
        served.log_path = log_path
        served.process = server.process
        yield served


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


def scroll_to_timeline(page) -> None:
    """Scroll the overview to its timeline's placeholder and wait until the timeline is drawn there, beside the
    trade chart (sections.deferred: it is drawn when the reader nears it)."""
    from waiting import wait_for_charts

    page.get_by_text("Drawing the timeline", exact=False).scroll_into_view_if_needed()
    wait_for_charts(page, 2)
