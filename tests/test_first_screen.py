"""The first screen: the page's style sheet and preloads in the HTML head of every page (so the frame is drawn in
its final geometry from the first frame), and on a phone the links to the other pages and a hint where the
filters are, in view with the sidebar closed; and the page does not move while it is drawn (layout shift, as
Chrome counts it for Lighthouse's score; bench/firstload.py measures it with Lighthouse, and what it costs).
"""

from __future__ import annotations

import urllib.request

import pytest
from conftest import scroll_to_timeline
from waiting import DEFAULT_TIMEOUT_MS as TIMEOUT_MS
from waiting import PAGE_LOAD_TIMEOUT_MS, wait_for_charts, wait_until

from components import page_style

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1400, "height": 900}}
OTHER_PAGES = ("trade", "visits", "data")


BROWSER_HEADERS = {"Accept": "text/html", "Accept-Encoding": "gzip, deflate, br, zstd"}  # as Chromium asks


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=BROWSER_HEADERS)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_styled_adds_the_sheet_and_the_preloads_once():
    index = b"<html><head><title>Streamlit</title></head><body></body></html>"
    once = page_style.styled(index)
    assert once.count(b'id="vncn-page-style"') == 1 and once.index(b"vncn-page-style") < once.index(b"</head>")
    assert b'rel="modulepreload"' in once and b"/Metric." in once  # the cards' renderer, with the page
    assert page_style.styled(once) == once


@pytest.mark.parametrize("path", ["", "trade", "visits", "data", "?chart=trade&embed=true"])
def test_every_page_is_served_with_its_style_sheet_in_the_head(served_app, path):
    status, headers, body = _get(served_app + path)
    head = body.split(b"</head>", 1)[0]
    assert status == 200 and b'<style id="vncn-page-style">' in head, path
    assert int(headers["content-length"]) == len(body)  # the rewritten length
    assert "etag" not in headers  # Streamlit's validator names its own file, not this page


def test_other_responses_are_untouched(served_app):
    status, _, body = _get(served_app + "_stcore/health")
    assert status == 200 and body == b"ok"
    script = next(name for name in page_style.STATIC_JS.glob("Metric.*.js"))
    status, _, body = _get(f"{served_app}static/js/{script.name}")
    assert status == 200 and body == script.read_bytes()


SIDEBAR_OPEN = """() => {
    const r = document.querySelector('[data-testid=stSidebar]')?.getBoundingClientRect();
    return !!r && r.left >= 0 && r.width > 100;
}"""


def _sidebar_open(page) -> bool:
    return page.evaluate(SIDEBAR_OPEN)


def _in_view(page, selector: str) -> list[str]:
    """The hrefs of the visible elements matching `selector` that lie wholly inside the first viewport."""
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)].filter(e => {
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth
                && r.bottom <= innerHeight && s.visibility === 'visible' && +s.opacity > 0.5
                && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest(sel) === e;
        }).map(e => e.getAttribute('href') || e.textContent.trim())""",
        selector,
    )


def _wait_links_in_view(page, wanted: tuple[str, ...]) -> None:
    """Wait (the shared bounded wait, with the script run over) until a link to each wanted page is visible,
    unobscured, on the first screen."""
    wait_until(
        page,
        """wanted => {
            const seen = [...document.querySelectorAll('a[href]')].filter(a => {
                const r = a.getBoundingClientRect(), s = getComputedStyle(a);
                return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight
                    && s.visibility === 'visible' && +s.opacity > 0.5
                    && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('a') === a;
            }).map(a => new URL(a.href).pathname.replace(/^\\/+|\\/+$/g, ''));
            return wanted.every(w => seen.includes(w));
        }""",
        list(wanted),
        what=f"links to {', '.join(wanted)} on the first screen",
        timeout=PAGE_LOAD_TIMEOUT_MS,
    )


@pytest.mark.browser
def test_a_phone_sees_the_other_pages_and_the_filters_hint_on_its_first_screen(served_app, browser):
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(served_app, wait_until="domcontentloaded")
        try:
            _wait_links_in_view(page, OTHER_PAGES)
        except Exception as exc:  # the message names what the first screen did show
            raise AssertionError(f"links on a phone's first screen: {_in_view(page, 'a[href]')}") from exc
        assert not _sidebar_open(page), "the sidebar should start closed on a phone"
        assert "» Filters" in _in_view(page, ".vncn-filters"), "no Filters hint on the first screen"
        expand = page.locator('[data-testid="stExpandSidebarButton"]')
        assert expand.is_visible(), "the » button the hint points at is on the first screen"
        expand.click()
        wait_until(page, SIDEBAR_OPEN, what="the sidebar open", timeout=TIMEOUT_MS, settled=False)
        assert page.get_by_text("Years", exact=True).is_visible(), "the opened sidebar shows the filters"
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        page.locator(".st-key-vncn_pages a", has_text="Trade").click()
        page.wait_for_url("**/trade**", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="Trade", exact=True).wait_for(timeout=TIMEOUT_MS)
    finally:
        context.close()


@pytest.mark.browser
def test_a_wide_screen_keeps_the_top_navigation_and_no_phone_row(served_app, browser):
    context = browser.new_context(**WIDE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(served_app, wait_until="domcontentloaded")
        nav = page.locator('[data-testid="stTopNav"]')
        nav.get_by_role("link", name="Visits").wait_for(timeout=PAGE_LOAD_TIMEOUT_MS)
        page.locator(".st-key-vncn_pages a").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        assert not page.locator(".st-key-vncn_pages").is_visible(), "the phone's row shows on a wide screen"
        assert not page.locator(".vncn-filters").is_visible()
        assert _sidebar_open(page), "the filters start open on a wide screen"
    finally:
        context.close()


# Every layout shift Chrome reports from the first paint on (a reader's input excluded), summed as its cumulative
# layout shift is: the page's elements moving while the rest of the page arrives.
LAYOUT_SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push({
    value: e.value, moved: e.sources.map(s => s.node?.getAttribute?.('data-testid') || s.node?.className || '?') });
}).observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.browser
@pytest.mark.parametrize("device", ["wide", "phone"])
def test_the_overview_does_not_move_while_it_is_drawn(served_app, browser, device):
    """Without the head's style sheet the overview moved by 0.45 (wide) and 0.15 (phone): the sidebar pushed the
    main area aside, the cards' and the widgets' placeholders grew."""
    context = browser.new_context(**(WIDE if device == "wide" else PHONE))
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.add_init_script(LAYOUT_SHIFTS)
        page.goto(served_app, wait_until="domcontentloaded")
        wait_for_charts(page, 1)  # the trade chart drawn, the script run over
        scroll_to_timeline(page)  # and the timeline, drawn in its placeholder's place
        shifts = page.evaluate("window.__shifts")
        assert sum(s["value"] for s in shifts) <= 0.05, f"the page moved while it was drawn: {shifts}"
    finally:
        context.close()


CUT_VALUES = """() => [...document.querySelectorAll('[data-testid=stMetricValue]')].filter(v => {
    const text = v.querySelector('div') || v;
    return text.scrollWidth > text.clientWidth + 1;
}).map(v => v.textContent)"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1350, 1920])
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_headline_values_are_never_cut(served_app, browser, width, lang):
    """At 1,350 px the cards showed "US$252.0…": each value's size now follows its card's width."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"{served_app}?lang={lang}", wait_until="domcontentloaded")
        wait_for_charts(page, 1)
        assert page.locator('[data-testid="stMetricValue"]').count() == 4
        assert page.evaluate(CUT_VALUES) == []
    finally:
        context.close()
