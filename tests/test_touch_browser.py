"""Issue 19.7 on an emulated touch phone: a tap on a visit's diamond opens that visit (its details, `visit=` in
the link) on the timeline and on the trade chart's strip, no hover box covers the chart, and the texts say
"tap". Screenshots go to SCREENSHOT_DIR (default /tmp/vncn-screenshots) to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_browser import CHARTS_DRAWN, PAGE_LOAD_TIMEOUT_MS, TIMEOUT_MS

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
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(CHARTS_DRAWN, arg=2, timeout=PAGE_LOAD_TIMEOUT_MS)
    return page


def _tap(page, chart_key: str, nth: int) -> str:
    """Tap the `nth` visit diamond of the chart keyed `chart_key`; the visit it stands for."""
    marker = page.locator(f".st-key-{chart_key} .scatterlayer .trace path.point").nth(nth)
    marker.scroll_into_view_if_needed()
    visit = marker.evaluate(MARKER_VISIT)
    box = marker.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return visit


def test_a_tap_on_a_timeline_diamond_opens_the_visit(served_app, phone):
    page = _open(phone, served_app.rstrip("/") + "/?from=2024")
    visit = _tap(page, "chart_timeline", 0)
    assert visit and isinstance(visit, str)
    page.wait_for_function("id => location.search.includes('visit=' + id)", arg=visit, timeout=TIMEOUT_MS)
    details = page.get_by_role("heading", level=4).filter(has_text="—").first
    details.wait_for(timeout=TIMEOUT_MS)
    # the details name the tapped visit's visitor, as the table of visits has it
    from components.dataset import load

    visitor = load().visits.set_index("visit_id").loc[visit, "visitor"]
    assert visitor in details.inner_text()
    # no hover box over the chart: the tap opened the same texts under it
    hover = page.locator(".st-key-chart_timeline .hoverlayer")
    assert hover.count() == 1 and hover.evaluate("e => getComputedStyle(e).display") == "none"
    assert "tap" in page.locator('[data-testid="stSelectbox"]', has_text="Visit details").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "touch-timeline-tap.png"))


def test_a_tap_on_a_diamond_of_the_trade_charts_strip_opens_the_visit(served_app, phone):
    page = _open(phone, served_app.rstrip("/") + "/?from=2024")
    # the strip's diamonds are the trade chart's traces with a one-id customdata; the last drawn is a visit
    markers = page.locator(".st-key-chart_trade .scatterlayer .trace path.point")
    ids = [m.evaluate(MARKER_VISIT) for m in markers.all()]
    nth = max(i for i, v in enumerate(ids) if isinstance(v, str) and any(c.isalpha() for c in v))
    visit = _tap(page, "chart_trade", nth)
    page.wait_for_function("id => location.search.includes('visit=' + id)", arg=visit, timeout=TIMEOUT_MS)
    page.get_by_role("heading", level=4).filter(has_text="—").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".st-key-chart_trade .hoverlayer").evaluate("e => getComputedStyle(e).display") == "none"
