"""Each language in Debian's chromium: a browser set to Vietnamese opens the dashboard in Vietnamese, every page
reads in Vietnamese and in Chinese (screenshots kept for a look), the language survives moving between pages, and
the Download PNG button of a translated page gives an image with the translated title."""

from __future__ import annotations

import os
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
)

from components import i18n

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1400, "height": 4000}
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vncn-screenshots"))
PAGES = {"": "Overview", "trade": "Trade", "visits": "Visits", "data": "Data and sources"}
APP_TITLE = "Vietnam–China relations: trade and high-level visits"


def _open(context, url: str, charts: int):
    """Open a page and wait until its run is over and its `charts` charts are drawn (for the screenshots too)."""
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_charts(page, charts, timeout=PAGE_LOAD_TIMEOUT_MS)
    return page


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_a_browser_set_to_vietnamese_opens_in_vietnamese(served_app, browser):
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = _open(context, served_app, charts=PAGE_CHARTS[""])
        t = i18n.translator("vi")
        wait_for_url(page, "lang=vi")
        wait_for_text(page, [t("Filters"), t(APP_TITLE)])
        assert page.get_by_text(t("Filters"), exact=True).count() > 0
        body = page.locator("body").inner_text()
        assert t(APP_TITLE) in body
        assert APP_TITLE not in body
        _shot(page, "i18n-first-visit-vi-VN")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_every_page_reads_in_the_language(served_app, browser, lang):
    t = i18n.translator(lang)
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        for path, title in PAGES.items():
            page = _open(context, f"{served_app.rstrip('/')}/{path}?lang={lang}", PAGE_CHARTS[path])
            wait_for_text(page, t(title))
            body = page.locator("body").inner_text()
            for english in ("Filters", "Share this view", "Reset all filters"):
                assert t(english) != english and english not in body, (lang, path, english)
            assert page.locator('[data-testid="stException"]').count() == 0
            _shot(page, f"i18n-{lang}-{path or 'overview'}")
            page.close()
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_the_language_is_kept_when_moving_between_pages(served_app, browser, lang):
    t = i18n.translator(lang)
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = _open(context, f"{served_app}?lang={lang}", PAGE_CHARTS[""])
        page.get_by_role("link", name=t("Trade")).first.click()
        url = wait_for_url(page, "/trade")
        assert f"lang={lang}" in url, url
        wait_for_charts(page, PAGE_CHARTS["trade"], timeout=PAGE_LOAD_TIMEOUT_MS)
        wait_for_text(page, t("Trade over time"))
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_png_download_in_the_language(served_app, browser, lang):
    t = i18n.translator(lang)
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = _open(context, f"{served_app}?lang={lang}", PAGE_CHARTS[""])
        wait_for_element(page, '[data-testid="stDownloadButton"] button', has_text=t("Download PNG"))
        button = page.locator('[data-testid="stDownloadButton"] button', has_text=t("Download PNG")).first
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=90_000) as info:
            button.click()
        data = Path(info.value.path()).read_bytes()
        assert data[:8] == PNG_SIGNATURE
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"i18n-export-{lang}.png").write_bytes(data)
    finally:
        context.close()
