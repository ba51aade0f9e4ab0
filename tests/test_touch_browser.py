"""Issue 19.7 on an emulated touch phone: a tap on a visit's diamond opens that visit (its details, `visit=` in
the link) on the timeline and on the trade chart's strip, no hover box covers the chart, and the texts say
"tap". Screenshots go to SCREENSHOT_DIR (default /tmp/vncn-screenshots) to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import scroll_to_timeline
from waiting import DEFAULT_TIMEOUT_MS, wait_for_charts, wait_for_element, wait_for_url

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vncn-screenshots"))

# The visit a marker stands for, read from Plotly's own data behind the drawn point (d3 binds it to the element).
MARKER_VISIT = """p => {
    const trace = p.closest('.trace').__data__[0].trace;
    return trace.customdata[p.__data__.i][0];
}"""


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(**PHONE)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_charts(page, 1)  # the trade chart, drawn
    scroll_to_timeline(page)  # and the timeline, drawn when scrolled to
    return page


def _tap(page, chart_key: str, nth: int) -> str:
    """Tap the `nth` visit diamond of the chart keyed `chart_key`; the visit it stands for."""
    marker = page.locator(f".st-key-{chart_key} .scatterlayer .trace path.point").nth(nth)
    marker.scroll_into_view_if_needed()
    visit = marker.evaluate(MARKER_VISIT)
    box = marker.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return visit


def _visitor(visit: str) -> str:
    from components.dataset import load

    return load().visits.set_index("visit_id").loc[visit, "visitor"]


def _opens(page, visit: str) -> None:
    """The tapped visit is the one open: in the link, and its details' heading names its visitor."""
    wait_for_url(page, f"visit={visit}")
    wait_for_element(page, '[data-testid="stMain"] h4', has_text=_visitor(visit))


def _no_hover_box(page, chart_key: str) -> None:
    """No hover box over the chart on a touch screen: the tap opened the same texts under it."""
    hover = page.locator(f".st-key-{chart_key} .hoverlayer")
    assert hover.count() == 1 and hover.evaluate("e => getComputedStyle(e).display") == "none"


def test_a_tap_on_a_timeline_diamond_opens_the_visit(served_app, phone):
    page = _open(phone, served_app.rstrip("/") + "/?from=2024")
    visit = _tap(page, "chart_timeline", 0)
    _opens(page, visit)
    _no_hover_box(page, "chart_timeline")
    assert "tap" in page.locator('[data-testid="stSelectbox"]', has_text="Visit details").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "touch-timeline-tap.png"))


def test_a_tap_on_a_diamond_of_the_trade_charts_strip_opens_the_visit(served_app, phone):
    page = _open(phone, served_app.rstrip("/") + "/?from=2024")
    # the strip's diamonds are the trade chart's points whose customdata is a visit id (a year has no letters)
    markers = page.locator(".st-key-chart_trade .scatterlayer .trace path.point")
    ids = [m.evaluate(MARKER_VISIT) for m in markers.all()]
    nth = max(i for i, v in enumerate(ids) if isinstance(v, str) and any(c.isalpha() for c in v))
    visit = _tap(page, "chart_trade", nth)
    _opens(page, visit)
    _no_hover_box(page, "chart_trade")
