"""Issue 19.1 in a real browser: every Copy button copies. Each one is clicked with clipboard permission and the
clipboard is read back (`navigator.clipboard.readText()`), against the exact text the box shows and the text
the page's own builders make for this view; the button then says "Copied" in the reader's language."""

from __future__ import annotations

import re

import pytest
from waiting import DEFAULT_TIMEOUT_MS, wait_for_charts, wait_until

from components import i18n

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1400, "height": 2400}
EMPTY = "(clipboard emptied by the test)"


@pytest.fixture
def context(browser, served_app):
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_app.rstrip("/"))
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_for_charts(page, 2)  # both charts: on this tall screen the timeline is near it at once, and drawn
    return page


def _copy(page, label: str, copied: str) -> tuple[str, str]:
    """Click the Copy button of the shown box labelled `label`; (what the box shows, what the clipboard holds)."""
    field = page.get_by_role("textbox", name=label, exact=True).filter(visible=True).first
    field.wait_for()
    page.evaluate("text => navigator.clipboard.writeText(text)", EMPTY)
    button = page.locator(".vncn-copy", has=field).get_by_role("button")
    button.click()
    # the label turns to "Copied" once writeText has resolved: wait for exactly that, then read the clipboard
    wait_until(
        page,
        "a => [...document.querySelectorAll('.vncn-copy')].some(b => b.contains(document.activeElement)"
        " && b.querySelector('button').textContent === a)",
        copied,
        what=f"the Copy button of {label!r} to say {copied!r}",
        timeout=DEFAULT_TIMEOUT_MS,
        settled=False,
    )
    return field.input_value(), page.evaluate("() => navigator.clipboard.readText()")


def test_every_copy_button_copies_its_exact_text(served_app, context):
    base = served_app.rstrip("/")
    page = _open(context, base + "/?from=2010&to=2020")
    shown, clip = _copy(page, "Link to this view", "Copied")
    assert clip == shown == f"{base}/?from=2010&to=2020", clip

    page.get_by_role("button", name=re.compile("Cite this view")).click()
    shown, clip = _copy(page, "Citation", "Copied")
    assert clip == shown and clip.startswith("Vietnam–China relations dashboard (") and shown in clip
    assert f"{base}/?from=2010&to=2020 (accessed " in clip and "View: 2010–2020" in clip
    shown, clip = _copy(page, "BibTeX", "Copied")
    assert clip == shown and clip.startswith("@misc{vncn_dashboard_") and clip.endswith("}")
    assert "howpublished = {\\url{" in clip and "from=2010&to=2020" in clip
    page.keyboard.press("Escape")

    for n, chart in enumerate(("trade", "timeline")):
        page.get_by_role("button", name=re.compile("Embed$")).nth(n).click()
        shown, clip = _copy(page, "Embed code", "Copied")  # the light embed
        assert (
            clip == shown
            and clip.startswith(f'<iframe src="{base}/embed/{chart}?from=2010')
            and clip.endswith("></iframe>")
        ), clip
        shown, clip = _copy(page, "Live app embed code", "Copied")
        assert clip == shown and clip.startswith(f'<iframe src="{base}/?') and clip.endswith("></iframe>"), clip
        assert f"chart={chart}" in clip and "embed=true" in clip and "from=2010" in clip
        page.keyboard.press("Escape")


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_the_copy_button_speaks_the_readers_language(served_app, context, lang):
    t = i18n.translator(lang)
    page = _open(context, served_app.rstrip("/") + f"/?lang={lang}&from=2015")
    assert page.locator(".vncn-copy button").first.inner_text() == t("Copy")
    shown, clip = _copy(page, t("Link to this view"), t("Copied"))
    assert clip == shown and "from=2015" in clip and f"lang={lang}" in clip
