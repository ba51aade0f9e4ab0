"""The analysis panels in Debian's chromium: the December 2023 visit shows the trade of 2022, 2023 and 2024 with
sources; `measure=growth` draws Vietnam-reported two-way trade 2023 at about −2.1 %; the year-to-date chart puts
the same months of different years on one month axis."""

from __future__ import annotations

import pytest

from components import analysis

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
PAGE_LOAD_TIMEOUT_MS = 120_000
VIEWPORT = {"width": 1400, "height": 6000}

DRAWN = """key => {
    const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    return plot && plot._fullData && plot.querySelectorAll('.trace').length > 0;
}"""

# The decoded data of a chart's traces: name, x and y as plotly.js holds them (typed arrays decoded).
TRACES = """key => document.querySelector(`.st-key-${key} .js-plotly-plot`)._fullData.map(t => ({
    name: t.name, type: t.type, x: Array.from(t.x || []), y: Array.from(t.y || []),
    text: Array.from(t.text || [])
}))"""


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


def open_chart(context, url: str, key: str):
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(DRAWN, arg=key, timeout=PAGE_LOAD_TIMEOUT_MS)
    return page


def test_dec_2023_visit_shows_2022_2023_2024_with_sources(served_app, context):
    page = open_chart(context, f"{served_app.rstrip('/')}/visits?visit=2023-12-xi-jinping", "chart_visit_trade")
    traces = {t["name"]: t for t in page.evaluate(TRACES, "chart_visit_trade")}
    vn = traces["Two-way trade — Vietnam-reported"]
    assert vn["x"] == ["2022 (year before)", "2023 (visit's year)", "2024 (year after)"]
    assert vn["y"] == pytest.approx([175.6, 171.9, 205.2])
    assert "missing" in traces["Imports from China — China-reported"]["text"]
    body = page.locator("body").inner_text()
    assert "Trade around this visit" in body and analysis.CAVEAT in body
    assert "Other visits within twelve months" in body
    # the table of the figures with their sources is drawn (a data grid under the chart)
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2


def test_growth_shows_vn_two_way_2023_at_about_minus_2_1_percent(served_app, context):
    page = open_chart(context, f"{served_app.rstrip('/')}/trade?measure=growth", "chart_trade")
    total = next(t for t in page.evaluate(TRACES, "chart_trade") if t["name"] == "Two-way trade")
    by_year = {str(x)[:4]: y for x, y in zip(total["x"], total["y"], strict=True)}
    assert by_year["2023"] == pytest.approx(-2.107, abs=0.001)
    assert "measure=growth" in page.url


def test_ytd_chart_compares_the_same_months(served_app, context):
    page = open_chart(context, f"{served_app.rstrip('/')}/trade?from=2023&to=2024", "chart_ytd")
    traces = {t["name"]: t for t in page.evaluate(TRACES, "chart_ytd")}
    assert {"2023", "2024"} <= set(traces)
    common = set(traces["2023"]["x"]) & set(traces["2024"]["x"])
    assert {8, 9, 10, 11} <= common  # Jan–Aug … Jan–Nov of both years on the same month positions
