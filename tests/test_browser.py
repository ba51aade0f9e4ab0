"""The served app in Debian's chromium: charts drawn, both downloads, a filter's URL reopening the same view,
the pages keeping the view, a phone's first screen, an embedded chart in an article, a hostile link, and a clean
server log.

A page load is the slow part (the 4.7 MB plotly.js is parsed on 2 cores), so the first tests share one loaded page
(module-scoped `page`) and run in file order: the filter test, which changes that page's view, comes after them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import PAGE_CHARTS, PNG_SIGNATURE
from waiting import (
    DEFAULT_TIMEOUT_MS,
    PAGE_LOAD_TIMEOUT_MS,
    wait_for_charts,
    wait_for_element,
    wait_for_text,
    wait_for_url,
    wait_for_value,
    wait_until,
)

pytestmark = pytest.mark.browser

TIMEOUT_MS = DEFAULT_TIMEOUT_MS  # still imported from here by other browser test files
DOWNLOAD_TIMEOUT_MS = 90_000
VIEWPORT = {"width": 1400, "height": 5000}
N_CHARTS = PAGE_CHARTS[""]  # the overview: trade with the visits strip, and the visit timeline
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vncn-screenshots"))
SHARE_LINK = 'input[aria-label="Link to this view"]'  # the sidebar's copy box (drawn in a shadow root)
# The "Visits in the current filter" card's number ({n}), once there and below `below` (if not null).
VISITS = """below => {
    const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(e => e.innerText.includes('Visits in the current filter'));
    const value = m && m.querySelector('[data-testid="stMetricValue"]');
    const n = value ? Number(value.innerText.trim()) : NaN;
    return Number.isInteger(n) && (below === null || n < below) && {n};
}"""


def new_context(browser):
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return ctx


@pytest.fixture(scope="module")
def page(served_app, browser):
    """The default page, loaded once for the tests that only read it or download from it."""
    ctx = new_context(browser)
    yield open_page(ctx, served_app)
    ctx.close()


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    yield ctx
    ctx.close()


def open_page(context, url: str, charts: int = N_CHARTS):
    """Open the page and wait until its run is over with its `charts` Plotly charts (its exact number) drawn."""
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    page.goto(url, wait_until="domcontentloaded")
    wait_for_charts(page, charts, timeout=PAGE_LOAD_TIMEOUT_MS)
    return page


def visits_metric(page, below: int | None = None) -> int:
    """The "Visits in the current filter" card's number once the run is over (and, with `below`, under it)."""
    what = "the visits card" + ("" if below is None else f" below {below}")
    return wait_until(page, VISITS, below, what=what, timeout=DEFAULT_TIMEOUT_MS)["n"]


def test_every_chart_is_drawn_with_data(page):
    plots = page.locator(".js-plotly-plot")
    assert plots.count() == N_CHARTS
    for i in range(N_CHARTS):
        traces = plots.nth(i).locator(".scatterlayer .trace, .barlayer .trace")
        assert traces.count() > 0, f"chart {i} has no traces"
        assert plots.nth(i).locator(".point, path.point, .bars path").count() > 0, f"chart {i} draws no points"
    assert page.locator('[data-testid="stException"]').count() == 0
    assert visits_metric(page) > 0


def test_download_png_button(page):
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="Download PNG").first
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("vn-cn-") and download.suggested_filename.endswith(".png")
    data = open(download.path(), "rb").read()  # noqa: SIM115 - a Playwright temp file
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 20_000


def test_modebar_camera_downloads_a_named_png(page):
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    camera = chart.locator('.modebar-btn[data-title^="Download plot" i]')
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
        camera.click()
    download = info.value
    assert re.match(r"vn-cn-[a-z]", download.suggested_filename), download.suggested_filename
    assert open(download.path(), "rb").read()[:8] == PNG_SIGNATURE  # noqa: SIM115


def test_filter_url_reopens_the_same_view(page, browser):
    total = visits_metric(page)
    sidebar = page.locator('[data-testid="stSidebar"]')

    sidebar.locator('[data-testid="stRadio"]', has_text="Trade figures").get_by_text("Both", exact=True).click()
    wait_for_url(page, "reporter=both")

    search = sidebar.get_by_role("textbox", name="Search visits")
    search.fill("Trong")
    search.press("Enter")
    url = wait_for_url(page, "q=Trong")
    filtered = visits_metric(page, below=total)
    assert 0 < filtered < total
    assert "reporter=both" in url

    fresh = new_context(browser)
    try:
        again = open_page(fresh, url)
        assert visits_metric(again) == filtered
        side = again.locator('[data-testid="stSidebar"]')
        assert side.get_by_role("textbox", name="Search visits").input_value() == "Trong"
        both = side.locator('[data-testid="stRadio"]', has_text="Trade figures").get_by_role("radio", name="Both")
        assert both.is_checked()
        share = wait_for_value(again, SHARE_LINK, "q=Trong")
        assert "reporter=both" in share
        assert again.locator('[data-testid="stAlertContentWarning"]').count() == 0
    finally:
        fresh.close()


def shot(page, name: str) -> None:
    """Keep a screenshot to look at (SCREENSHOT_DIR); the tests assert, the pictures are for people."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_pages_keep_the_view_when_the_reader_moves(served_app, context):
    page = open_page(context, served_app + "?from=2012&reporter=both")
    for title, path in (("Trade", "/trade"), ("Visits", "/visits"), ("Data and sources", "/data")):
        charts = PAGE_CHARTS[path.strip("/")]
        page.get_by_role("link", name=title, exact=True).first.click()
        # the new page's own heading, its exact charts and its share link: the old page's stay until replaced
        url = wait_for_url(page, path)  # read in the page: sync Playwright's page.url can lag
        wait_for_element(page, '[data-testid="stMain"] h1', has_text=title.split(" ")[0])
        wait_for_charts(page, charts, timeout=PAGE_LOAD_TIMEOUT_MS)
        share = wait_for_value(page, SHARE_LINK, path)
        assert "from=2012" in share, share
        assert "from=2012" in url and "reporter=both" in url, url
        assert page.locator('[data-testid="stException"]').count() == 0
        shot(page, f"desktop-{path.strip('/')}")
    # a link copied on a page opens that page with the same view
    again = open_page(context, served_app + "visits?from=2012&reporter=both", charts=PAGE_CHARTS["visits"])
    wait_for_element(again, '[data-testid="stMain"] h1', has_text="Visits")
    wait_for_text(again, "All visits in the filter", within='[data-testid="stMain"]')
    assert again.get_by_role("heading", name="All visits in the filter").count() == 1


def test_phone_first_screen_shows_a_chart_and_no_sidebar(served_app, browser):
    context = browser.new_context(**PHONE)
    try:
        page = open_page(context, served_app, charts=1)  # the timeline waits below the first screen
        shot(page, "phone-overview")
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert (
            sidebar.count() == 0
            or sidebar.get_attribute("aria-expanded") == "false"
            or (sidebar.bounding_box() is None or sidebar.bounding_box()["x"] + sidebar.bounding_box()["width"] <= 1)
        ), "the filters cover the page on a phone"
        chart = page.locator(".js-plotly-plot").first.bounding_box()
        assert chart["y"] < PHONE["viewport"]["height"], f"no chart on the first screen (top at {chart['y']} px)"
        assert page.locator('[data-testid="stMetric"]').first.bounding_box()["y"] < PHONE["viewport"]["height"]
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                             && getComputedStyle(e).position !== 'fixed'
                             && e.closest('[data-testid="stDataFrame"], .js-plotly-plot') === null)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
        )
        assert overflow == [], f"elements overflow the phone's screen: {overflow}"
    finally:
        context.close()


def test_an_embed_snippet_shows_its_chart_in_an_article(served_app, context, tmp_path):
    page = open_page(context, served_app + "?from=2010")
    page.get_by_role("button", name="Embed").first.click()
    snippet = wait_for_value(page, 'textarea[aria-label="Live app embed code"]', "<iframe")  # the light one: test_web
    assert snippet.startswith("<iframe") and "chart=trade" in snippet and "embed=true" in snippet
    article = tmp_path / "article.html"
    article.write_text(f"<!doctype html><html><body><h1>An article</h1><p>Text.</p>{snippet}</body></html>")
    reader = context.new_page()
    reader.goto(article.as_uri())
    frame = reader.wait_for_selector("iframe").content_frame()
    wait_for_charts(frame, 1, timeout=PAGE_LOAD_TIMEOUT_MS)  # exactly the one chart, drawn
    wait_for_text(frame, "Open the full interactive view")
    link = reader.frame_locator("iframe").get_by_text("Open the full interactive view")
    assert link.count() == 1
    inner, outer = link.bounding_box(), reader.locator("iframe").bounding_box()
    assert inner["y"] + inner["height"] <= outer["y"] + outer["height"], "the link back is cut off by the iframe"
    assert link.get_attribute("href").startswith(served_app) and "chart=" not in link.get_attribute("href")
    shot(reader, "embedded-article")


AXE = Path(__file__).resolve().parent.parent / "bench" / "node_modules" / "axe-core" / "axe.min.js"  # make setup


@pytest.mark.parametrize(("path", "charts"), PAGE_CHARTS.items())
def test_every_page_passes_axe(served_app, context, path, charts):
    """axe-core, the engine behind Lighthouse's accessibility score: no violation on any page (contrast, labels,
    names of buttons and links, landmarks)."""
    page = context.new_page()
    page.goto(served_app + path)
    wait_for_element(page, '[data-testid="stMain"] h1', timeout=PAGE_LOAD_TIMEOUT_MS)
    wait_for_charts(page, charts, timeout=PAGE_LOAD_TIMEOUT_MS)  # and the run over: no stale element fading out
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run()).violations.map(v =>
            `${v.id} (${v.impact}): ${v.nodes.length}× e.g. ${v.nodes[0].target.join(' ')}`)"""
    )
    assert violations == [], violations


def test_hostile_link_is_inert(served_app, context):
    page = open_page(context, served_app + "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&from=abc&reporter=both")
    text = wait_for_element(page, '[data-testid="stAlertContentWarning"]', count=1)[0]
    assert "'q'" in text and "'from'" in text
    assert "&#x27;" not in text and "&amp;" not in text, "the notice shows its own escapes"
    assert page.dialogs == []
    assert "<script>" not in page.locator('[data-testid="stMain"]').inner_text()
    assert "alert(1)" not in page.url
    assert "reporter=both" in page.url


def test_server_log_is_clean(served_app):
    """Runs last in this file: everything the tests above made the server do left no traceback."""
    log = served_app.log()
    assert "Traceback" not in log, log
    assert "Exception" not in log, log
