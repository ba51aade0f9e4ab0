"""Issue 21 in Debian's chromium: the goods panel drawn on /trade, the milestones as labels on the trade chart
whose hover gives the description, switched off by the link, and the documents chart on a phone's /visits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from waiting import DEFAULT_TIMEOUT_MS, PAGE_LOAD_TIMEOUT_MS, wait_for_chart, wait_for_charts, wait_for_element

from components import figures
from components.dataset import load
from components.view import Choices, View

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1400, "height": 3000}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TRADE_CHARTS, VISITS_CHARTS = 6, 2  # /trade: trade, goods, ytd, mirror, fdi, tourists; /visits: timeline, documents
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vncn-screenshots"))


@pytest.fixture(scope="module")
def expected():
    """What the served app draws for the default view, built by the same code from the same data/."""
    ds = load()
    return figures.build(ds, View(), Choices.from_dataset(ds), ["trade", "goods", "documents"])


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


def _milestone_label(panel) -> tuple[str, str]:
    """The last milestone label on a chart and the first words of its hover's description."""
    label = [a for a in panel.figure.layout.annotations if (a.name or "").startswith("milestone:")][-1]
    description = label.hovertext.split("<br>")[1]
    return label.text, description[:30]


def test_trade_page_draws_the_goods_panel_and_milestone_labels_with_hover(served_app, context, expected):
    page = context.new_page()
    page.goto(served_app + "trade", wait_until="domcontentloaded")
    wait_for_charts(page, TRADE_CHARTS, timeout=PAGE_LOAD_TIMEOUT_MS)
    goods = expected["goods"]
    drawn = wait_for_chart(page, "chart_goods", traces=len(goods.figure.data))
    assert [trace["name"] for trace in drawn] == [trace.name for trace in goods.figure.data]
    text, description = _milestone_label(expected["trade"])
    wait_for_element(page, ".st-key-chart_trade .annotation-text", has_text=text)
    page.locator(".st-key-chart_trade g.annotation", has_text=text).last.hover()
    wait_for_element(page, ".st-key-chart_trade .hoverlayer", has_text=description, settled=False)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "relations-trade-milestone-hover.png"))


def test_milestones_off_in_the_link_leaves_no_label(served_app, context, expected):
    page = context.new_page()
    page.goto(served_app + "trade?milestones=off", wait_until="domcontentloaded")
    wait_for_charts(page, TRADE_CHARTS, timeout=PAGE_LOAD_TIMEOUT_MS)
    labels = [a.text for a in expected["trade"].figure.layout.annotations if (a.name or "").startswith("milestone:")]
    assert labels
    for text in labels:  # none of the default view's milestone labels (the strip's own labels stay)
        assert wait_for_element(page, ".st-key-chart_trade .annotation-text", has_text=text, count=0) == []


def test_phone_visits_page_draws_the_documents_chart(served_app, browser, expected):
    ctx = browser.new_context(**PHONE)
    try:
        page = ctx.new_page()
        page.goto(served_app + "visits", wait_until="domcontentloaded")
        wait_for_charts(page, VISITS_CHARTS, timeout=PAGE_LOAD_TIMEOUT_MS)
        documents = expected["documents"]
        drawn = wait_for_chart(page, "chart_documents", traces=len(documents.figure.data))
        assert sum(len(trace["y"]) for trace in drawn) == len(documents.table)
        box = page.locator(".st-key-chart_documents").bounding_box()
        assert box["width"] <= 390, "the documents chart fits the phone's width"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".st-key-chart_documents").screenshot(path=str(SCREENSHOTS / "relations-documents-phone.png"))
    finally:
        ctx.close()
