"""The analysis panels in Debian's chromium: the December 2023 visit shows the trade of 2022, 2023 and 2024 with
sources; `measure=growth` draws Vietnam-reported two-way trade 2023 at about −2.1 %; the year-to-date chart puts
the same months of different years on one month axis."""

from __future__ import annotations

import pytest
from waiting import DEFAULT_TIMEOUT_MS, wait_for_chart, wait_for_element, wait_for_text

from components import analysis

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1400, "height": 6000}


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


def open_chart(context, url: str, key: str):
    """Open a page; return it and the decoded traces of its chart `key`, read once the run is over."""
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    return page, wait_for_chart(page, key)


def test_dec_2023_visit_shows_2022_2023_2024_with_sources(served_app, context):
    page, drawn = open_chart(context, f"{served_app.rstrip('/')}/visits?visit=2023-12-xi-jinping", "chart_visit_trade")
    traces = {t["name"]: t for t in drawn}
    vn = traces["Two-way trade — Vietnam-reported"]
    assert vn["x"] == ["2022<br>(year before)", "2023<br>(visit's year)", "2024<br>(year after)"]
    assert vn["y"] == pytest.approx([175.6, 171.9, 205.2])
    assert "missing" in traces["Imports from China — China-reported"]["text"]
    wait_for_text(page, ["Trade around this visit", analysis.CAVEAT, "Other visits within twelve months"])
    # the table of the figures with their sources is drawn (a data grid under the chart)
    assert len(wait_for_element(page, '[data-testid="stDataFrame"]')) >= 2


def test_growth_shows_vn_two_way_2023_at_about_minus_2_1_percent(served_app, context):
    page, drawn = open_chart(context, f"{served_app.rstrip('/')}/trade?measure=growth", "chart_trade")
    total = next(t for t in drawn if t["name"] == "Two-way trade")
    by_year = {str(x)[:4]: y for x, y in zip(total["x"], total["y"], strict=True)}
    assert by_year["2023"] == pytest.approx(-2.107, abs=0.001)
    assert "measure=growth" in page.evaluate("location.href")


def test_ytd_chart_compares_the_same_months(served_app, context):
    _, drawn = open_chart(context, f"{served_app.rstrip('/')}/trade?from=2023&to=2024", "chart_ytd")
    traces = {t["name"]: t for t in drawn}
    assert {"2023", "2024"} <= set(traces)
    common = set(traces["2023"]["x"]) & set(traces["2024"]["x"])
    assert {8, 9, 10, 11} <= common  # Jan–Aug … Jan–Nov of both years on the same month positions
