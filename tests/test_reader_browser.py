"""Issue 13 in a real browser: the browser's find locates a source title on /data, the sources search box
filters the list, the cards and the mirror chart as a reader sees them, a search for 'railway', and a hover that
names its source. Screenshots go to SCREENSHOT_DIR (default /tmp/vncn-screenshots) to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers_data import real
from test_browser import CHARTS_DRAWN, PAGE_LOAD_TIMEOUT_MS, TIMEOUT_MS

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vncn-screenshots"))
DESKTOP = {"width": 1400, "height": 1800}


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


def _open(context, url: str, charts: int = 0):
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    if charts:
        page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=PAGE_LOAD_TIMEOUT_MS)
    return page


def _shot(page, name: str, locator=None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (locator or page).screenshot(path=str(SHOTS / f"reader-{name}.png"))


def test_browser_find_locates_a_source_title_and_the_search_box_filters(served_app, context):
    page = _open(context, str(served_app).rstrip("/") + "/data")
    page.get_by_role("heading", name="Sources", exact=True).wait_for(timeout=PAGE_LOAD_TIMEOUT_MS)
    title = real().sources.sort_values("title").iloc[-1]["title"]
    assert page.evaluate("t => window.find(t)", title), "the browser's find must see a source title"
    sources = real().sources
    other = sources[~sources["title"].str.contains("JETRO") & ~sources["publisher"].str.contains("JETRO")]
    hidden = other.sort_values("title").iloc[0]["title"]
    assert page.evaluate("t => document.body.innerText.includes(t)", hidden)
    box = page.get_by_role("textbox", name="Search the sources")
    box.fill("JETRO")
    box.press("Enter")
    page.wait_for_function("() => /\\d+ of \\d+ sources/.test(document.body.innerText)")
    assert page.evaluate("() => document.body.innerText.includes('JETRO Biznews')")
    assert not page.evaluate("t => document.body.innerText.includes(t)", hidden)  # filtered out
    _shot(page, "sources-search")


@pytest.mark.parametrize("query", ["", "reporter=cn", "reporter=both", "from=2015&to=2024"])
def test_cards_have_no_empty_slot(served_app, context, query):
    page = _open(context, str(served_app) + ("?" + query if query else ""), charts=2)
    metrics = page.locator('[data-testid="stMetric"]')
    # the four cards, once the run has settled (on a busy machine a rerun may still be replacing them)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stMetric\"]').length === 4", timeout=PAGE_LOAD_TIMEOUT_MS
    )
    for i in range(4):
        assert metrics.nth(i).locator('[data-testid="stMetricValue"]').inner_text().strip()
    labels = " ".join(metrics.nth(i).locator('[data-testid="stMetricLabel"]').inner_text() for i in range(3))
    if "to=2024" in query:
        assert "2025" not in labels and "2026" not in labels
    assert "…" not in labels
    _shot(
        page, f"cards-{query or 'default'}".replace("=", "-").replace("&", "-"), page.locator(".stMainBlockContainer")
    )


def test_mirror_chart_and_a_hover_naming_its_source(served_app, context):
    page = _open(context, str(served_app).rstrip("/") + "/trade?reporter=cn", charts=4)
    trade = page.locator(".js-plotly-plot").first
    trade.scroll_into_view_if_needed()
    point = trade.locator(".scatterlayer .trace .points path").nth(5)
    point.hover(force=True)
    page.wait_for_selector(".hoverlayer .hovertext", timeout=TIMEOUT_MS)
    hover = page.locator(".hoverlayer .hovertext").first.text_content() or ""
    _shot(page, "trade-hover", trade)
    assert "Source:" in hover or "computed here" in hover
    mirror = page.locator(".js-plotly-plot").nth(2)
    mirror.scroll_into_view_if_needed()
    _shot(page, "mirror", mirror)
    assert page.evaluate('() => document.body.innerText.includes("Each side\'s own figures are drawn")')


def test_railway_search_shows_where_it_matched(served_app, context):
    page = _open(context, str(served_app).rstrip("/") + "/visits?q=railway", charts=1)
    page.get_by_role("heading", name="All visits in the filter").wait_for()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    _shot(page, "visits-railway", page.locator(".stMainBlockContainer"))
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1


def test_clicking_a_trade_point_or_a_diamond_opens_it_beside_the_chart(served_app, context):
    page = _open(context, str(served_app).rstrip("/") + "/trade?reporter=cn", charts=3)
    trade = page.locator(".js-plotly-plot").first
    trade.scroll_into_view_if_needed()
    totals = trade.locator(".scatterlayer .trace").nth(2).locator(".points path")
    totals.nth(totals.count() - 2).click(force=True)
    page.get_by_text("Where this figure comes from").wait_for()
    assert page.locator('[data-testid="stMarkdownContainer"] li a').count() > 0  # its sources, as links
    diamonds = trade.locator(".scatterlayer .trace").last.locator(".points path")
    diamonds.nth(3).click(force=True)
    url = page.wait_for_function("() => location.href.includes('visit=')").json_value()
    assert url
    page.get_by_text("Received by:", exact=False).first.wait_for()
    _shot(page, "trade-clicks")
