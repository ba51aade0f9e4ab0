"""Issue 13 in a real browser: the browser's find locates a source title on /data, the sources search box
filters the list, the cards and the mirror chart as a reader sees them, a search for 'railway', and a hover that
names its source. Screenshots go to SCREENSHOT_DIR (default /tmp/vncn-screenshots) to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import PAGE_CHARTS
from helpers_data import real
from waiting import (
    DEFAULT_TIMEOUT_MS,
    PAGE_LOAD_TIMEOUT_MS,
    wait_for_charts,
    wait_for_element,
    wait_for_text,
    wait_for_url,
    wait_until,
)

from components import tables

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vncn-screenshots"))
DESKTOP = {"width": 1400, "height": 1800}
TRADE_CHARTS = PAGE_CHARTS["trade"]
# The links inside the bordered panel that a click on a trade point opens ("Where this figure comes from: …").
FIGURE_SOURCE_LINKS = """() => {
    const head = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .find(e => e.innerText.startsWith('Where this figure comes from'));
    const column = head && head.closest('[data-testid="stColumn"]');
    const panel = column && column.parentElement.closest('[data-testid="stVerticalBlock"]');
    const links = panel ? [...panel.querySelectorAll('li a')].map(a => a.href) : [];
    return links.length > 0 && links;
}"""


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


def _open(context, url: str, charts: int):
    """Open a page and wait until its run is over with all its `charts` drawn (the page's exact number)."""
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_charts(page, charts, timeout=PAGE_LOAD_TIMEOUT_MS)
    return page


def _shot(page, name: str, locator=None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (locator or page).screenshot(path=str(SHOTS / f"reader-{name}.png"))


def test_browser_find_locates_a_source_title_and_the_search_box_filters(served_app, context):
    sources = real().sources
    title = sources.sort_values("title").iloc[-1]["title"]
    other = sources[~sources["title"].str.contains("JETRO") & ~sources["publisher"].str.contains("JETRO")]
    hidden = other.sort_values("title").iloc[0]["title"]
    page = _open(context, str(served_app).rstrip("/") + "/data", charts=0)
    # the list under the heading is drawn last on this page: wait for the very titles the test looks for
    wait_for_text(page, [title, hidden], timeout=PAGE_LOAD_TIMEOUT_MS)
    assert page.evaluate("t => window.find(t)", title), "the browser's find must see a source title"
    box = page.get_by_role("textbox", name="Search the sources")
    box.fill("JETRO")
    box.press("Enter")
    found = len(tables.search_sources(sources, "JETRO"))
    wait_for_text(page, [f"{found} of {len(sources)} sources", "JETRO Biznews"])
    assert not page.evaluate("t => document.body.innerText.includes(t)", hidden)  # filtered out
    _shot(page, "sources-search")


@pytest.mark.parametrize("query", ["", "reporter=cn", "reporter=both", "from=2015&to=2024"])
def test_cards_have_no_empty_slot(served_app, context, query):
    page = _open(context, str(served_app) + ("?" + query if query else ""), charts=2)
    # the four cards of this run, their values and labels read in the same check
    values = wait_for_element(page, '[data-testid="stMetric"] [data-testid="stMetricValue"]', count=4)
    assert all(v.strip() for v in values), values
    labels = " ".join(wait_for_element(page, '[data-testid="stMetric"] [data-testid="stMetricLabel"]', count=4)[:3])
    if "to=2024" in query:
        assert "2025" not in labels and "2026" not in labels
    assert "…" not in labels
    _shot(
        page, f"cards-{query or 'default'}".replace("=", "-").replace("&", "-"), page.locator(".stMainBlockContainer")
    )


def test_mirror_chart_and_a_hover_naming_its_source(served_app, context):
    page = _open(context, str(served_app).rstrip("/") + "/trade?reporter=cn", charts=TRADE_CHARTS)
    trade = page.locator(".st-key-chart_trade .js-plotly-plot")
    trade.scroll_into_view_if_needed()
    point = trade.locator(".scatterlayer .trace .points path").nth(5)
    point.hover(force=True)
    hover = wait_for_element(page, ".hoverlayer .hovertext")[0]
    _shot(page, "trade-hover", trade)
    assert "Source:" in hover or "computed here" in hover
    wait_for_text(page, "Each side's own figures are drawn")
    mirror = page.locator(".st-key-chart_mirror .js-plotly-plot")
    mirror.scroll_into_view_if_needed()
    _shot(page, "mirror", mirror)


def test_railway_search_shows_where_it_matched(served_app, context):
    page = _open(context, str(served_app).rstrip("/") + "/visits?q=railway", charts=PAGE_CHARTS["visits"])
    wait_for_text(page, "All visits in the filter")
    wait_for_element(page, '[data-testid="stDataFrame"] canvas')  # the grid drawn, not only its frame
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    _shot(page, "visits-railway", page.locator(".stMainBlockContainer"))


def test_clicking_a_trade_point_or_a_diamond_opens_it_beside_the_chart(served_app, context):
    page = _open(context, str(served_app).rstrip("/") + "/trade?reporter=cn", charts=TRADE_CHARTS)
    trade = page.locator(".st-key-chart_trade .js-plotly-plot")
    trade.scroll_into_view_if_needed()
    totals = trade.locator(".scatterlayer .trace").nth(2).locator(".points path")
    totals.nth(totals.count() - 2).click(force=True)
    links = wait_until(
        page, FIGURE_SOURCE_LINKS, what="the figure's panel with its sources as links", timeout=DEFAULT_TIMEOUT_MS
    )
    assert all(href.startswith("http") for href in links), links
    diamonds = trade.locator(".scatterlayer .trace").last.locator(".points path")
    diamonds.nth(3).click(force=True)
    wait_for_url(page, "visit=")
    wait_for_text(page, "Received by:")
    _shot(page, "trade-clicks")
