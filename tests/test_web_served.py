"""The HTTP front door on the served dashboard, used as crawlers, scripts and article readers use it: a page's
HTML fetched with no JavaScript, its preview image and CSV link, the oEmbed snippet pasted into a local article
in Chromium (no Streamlit websocket, at most 2 MB), and a flood of preview requests beside a reader.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import statistics
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd
import pytest
from test_web import Head
from waiting import PAGE_LOAD_TIMEOUT_MS, wait_for_chart, wait_for_charts

CRAWLER = {"User-Agent": "facebookexternalhit/1.1", "Accept": "text/html"}  # no JavaScript, no Accept-Language
TIMEOUT_S = 90  # an image is drawn in well under a second; the first one starts the server's Chromium
MAX_FIRST_VIEW_BYTES = 2_000_000
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/vncn-screenshots"))
OVERVIEW_CHARTS = 2  # trade with the visits strip, and the timeline (in view on these tall screens)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={**CRAWLER, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@pytest.mark.parametrize(
    ("path", "lang", "title_starts", "image_path"),
    [
        ("", "en", "Overview · 2000–", "/api/chart/trade.png"),
        ("trade?lang=vi", "vi", "Thương mại · 2000–", "/api/chart/trade.png"),
        (
            "visits?visit=2023-12-xi-jinping&lang=zh",
            "zh",
            "习近平在河内，2023年12月12日至13日 · 访问前后的贸易",
            "/api/chart/visit_trade.png",
        ),
    ],
)
def test_a_crawler_sees_the_views_title_description_and_image(served_app, path, lang, title_starts, image_path):
    status, headers, body = fetch(served_app + path)
    head = Head(body.decode())
    assert status == 200 and headers["content-length"] == str(len(body))
    assert head.lang == lang and head.title.startswith(title_starts), head.title
    assert head.meta["og:title"] == head.title and head.meta["description"] and head.meta["og:description"]
    assert head.meta["twitter:card"] == "summary_large_image"
    host = urlsplit(served_app).netloc
    image = urlsplit(head.meta["og:image"])
    assert (image.scheme, image.netloc, image.path) == ("http", host, image_path)
    assert head.links[("canonical", None)] == head.meta["og:url"] and urlsplit(head.meta["og:url"]).netloc == host


def test_the_preview_image_is_a_1200_by_630_png_and_comes_back_as_304(served_app, tmp_path):
    _, _, body = fetch(served_app + "visits?visit=2023-12-xi-jinping&lang=zh")
    image_url = Head(body.decode()).meta["og:image"]
    status, headers, png = fetch(image_url)
    assert status == 200 and headers["content-type"] == "image/png" and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 630)
    assert headers["cache-control"].startswith("public, max-age=") and headers["etag"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "preview-visit-zh.png").write_bytes(png)  # looked at by hand: the chart of the visit
    started = time.perf_counter()
    again = fetch(image_url)
    assert again[2] == png and time.perf_counter() - started < 1.0, "the second request is served from the memo"
    assert fetch(image_url, {"If-None-Match": headers["etag"]})[0] == 304


def test_the_proxys_host_and_scheme_make_the_absolute_links(served_app):
    _, _, body = fetch(served_app + "trade", {"X-Forwarded-Host": "vncn.example.org", "X-Forwarded-Proto": "https"})
    head = Head(body.decode())
    assert head.meta["og:image"].startswith("https://vncn.example.org/api/chart/trade.png?")
    assert head.links[("canonical", None)] == "https://vncn.example.org/trade"


def test_pandas_reads_the_views_csv_link(served_app):
    _, _, body = fetch(served_app + "trade?from=2012&to=2018")
    csv_url = Head(body.decode()).links[("alternate", "text/csv")]
    table = pd.read_csv(csv_url, encoding="utf-8-sig")
    assert sorted(table["Year"].unique()) == list(range(2012, 2019))
    package = json.loads(fetch(served_app + "api/data/datapackage.json")[2])
    path = next(r["path"] for r in package["resources"] if r["name"] == "visits")
    visits = pd.read_csv(served_app + "api/data/" + path)  # as Frictionless resolves it, next to the descriptor
    assert "2023-12-xi-jinping" in set(visits["visit_id"])


def test_the_app_serves_its_openapi_document(served_app):
    status, headers, body = fetch(served_app + "api/openapi.yaml")
    assert status == 200 and headers["content-type"].startswith("application/yaml") and b"/api/oembed" in body


@pytest.mark.parametrize(
    "path",
    [
        "api/chart/..%2F..%2Fetc%2Fpasswd",
        "api/data/..%2Fpyproject.toml",
        "api/data/%2e%2e/%2e%2e/etc/passwd",
        "api/chart/trade.png?density=" + "9" * 4000,
        "api/oembed?url=" + quote("file:///etc/passwd"),
        "embed/trade?q=" + quote("<script>alert(1)</script>"),
        "trade?lang=" + quote('"><script>alert(1)</script>'),
    ],
)
def test_hostile_urls_on_the_served_app_never_get_a_5xx(served_app, path):
    status, _, body = fetch(served_app + path)
    assert status < 500 and b"alert(1)" not in body and b"root:" not in body and b"Traceback" not in body


# ---------------------------------------------------------------- in Chromium


def _article(served_app: str, tmp_path: Path, name: str = "article.html") -> Path:
    """A local page with the oEmbed snippet pasted in, as a CMS would after reading the oEmbed link."""
    _, _, body = fetch(served_app + "trade?from=2010")
    oembed = json.loads(fetch(Head(body.decode()).links[("alternate", "application/json+oembed")])[2])
    article = tmp_path / name
    article.write_text(
        f"<!doctype html><html><body><h1>An article</h1><p>Text.</p>{oembed['html']}<p>More.</p></body></html>",
        encoding="utf-8",
    )
    return article


def _embedded(page):
    """The article's iframe once its chart is drawn (a plain page: no Streamlit run to wait for)."""
    frame = page.locator("iframe").element_handle(timeout=PAGE_LOAD_TIMEOUT_MS).content_frame()
    wait_for_chart(frame, 0, settled=False)
    return frame


def _transferred(requests: list) -> int:
    sizes = [r.sizes() for r in requests]
    return sum(max(s["responseBodySize"], 0) + max(s["responseHeadersSize"], 0) for s in sizes)


@pytest.mark.browser
def test_the_oembed_snippet_draws_the_chart_with_no_streamlit_session_in_2_mb(served_app, browser, tmp_path):
    # up to a minute on the shared machine: two articles, each parsing plotly.js (4.8 MB) once
    context = browser.new_context(viewport={"width": 900, "height": 1000})
    try:
        page = context.new_page()
        finished, sockets = [], []
        page.on("requestfinished", lambda r: finished.append(r))
        page.on("websocket", lambda w: sockets.append(w))
        page.goto(_article(served_app, tmp_path).as_uri())
        frame = _embedded(page)
        assert frame.get_by_role("heading").inner_text().startswith("Vietnam–China trade 2010–")
        link = frame.get_by_text("Open the full interactive view ↗")
        assert link.get_attribute("href") == served_app + "?from=2010"
        inner, outer = link.bounding_box(), page.locator("iframe").bounding_box()
        assert inner["y"] + inner["height"] <= outer["y"] + outer["height"], "the link back fits in the iframe"
        assert sockets == [] and not [r.url for r in finished if "/_stcore/" in r.url], "no Streamlit session"
        first = _transferred(finished)
        assert first <= MAX_FIRST_VIEW_BYTES, f"first view transferred {first} bytes"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "light-embed-article.png"))
        again = context.new_page()  # a second article in the same browser: plotly.js comes from its cache
        later: list = []
        again.on("requestfinished", lambda r: later.append(r))
        again.goto(_article(served_app, tmp_path, "other.html").as_uri())
        _embedded(again)
        assert _transferred(later) < first / 4, (first, _transferred(later))
    finally:
        context.close()


def _first_render(browser, url: str) -> float:
    """Seconds from navigation to the overview's two charts drawn, in a new browser context (a new reader)."""
    context = browser.new_context(viewport={"width": 1400, "height": 3000})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded")
        wait_for_charts(page, OVERVIEW_CHARTS, settled=False)  # first render: the charts drawn
        return time.perf_counter() - started
    finally:
        context.close()


@pytest.mark.browser
def test_a_flood_of_preview_requests_does_not_starve_a_reader(served_app, browser):
    """40 preview requests for 20 views no one drew yet, sent while a reader opens the app: the reader's first
    render stays within 3x its idle time, and every preview answer is an image or a 503 with Retry-After.
    (About 40 s: three first renders of the overview on a shared 2-core machine, and the flood.)"""
    _first_render(browser, served_app)  # warm: the server's first run, the browser's caches
    idle = statistics.median(_first_render(browser, served_app) for _ in range(2))
    views = [f"api/chart/trade.png?from={year}&to=2022&size=preview" for year in range(2001, 2021)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = [pool.submit(fetch, served_app + v) for v in views * 2]
        flooded = _first_render(browser, served_app)
        results = [a.result() for a in answers]
    statuses = [status for status, _, _ in results]
    assert set(statuses) <= {200, 503}, statuses
    assert all(h.get("retry-after") for s, h, _ in results if s == 503)
    assert 200 in statuses, "some previews are drawn"
    print(
        f"first render idle {idle:.1f} s, under the flood {flooded:.1f} s; previews: {statuses.count(200)} drawn, "
        f"{statuses.count(503)} told to retry"
    )
    assert flooded <= 3 * idle, f"reader's first render {flooded:.1f} s under the flood, {idle:.1f} s idle"


@pytest.mark.browser
def test_the_embed_box_offers_the_light_embed_first_and_it_draws_in_an_article(served_app, browser, tmp_path):
    # up to a minute on the shared machine: the overview's first view in a new context, then the article's
    context = browser.new_context(viewport={"width": 1400, "height": 3000})
    try:
        page = context.new_page()
        page.goto(served_app + "?from=2010", wait_until="domcontentloaded")
        wait_for_charts(page, OVERVIEW_CHARTS)
        page.get_by_role("button", name="Embed").first.click()
        light = page.get_by_role("textbox", name="Embed code", exact=True).first.input_value()
        live = page.get_by_role("textbox", name="Live app embed code", exact=True).first.input_value()
        assert f'src="{served_app}embed/trade?from=2010"' in light and "embed=true" not in light
        assert "chart=trade" in live and "embed=true" in live
        article = tmp_path / "pasted.html"
        article.write_text(f"<!doctype html><html><body><h1>An article</h1>{light}</body></html>", encoding="utf-8")
        reader = context.new_page()
        reader.goto(article.as_uri())
        assert _embedded(reader).get_by_role("heading").inner_text().startswith("Vietnam–China trade 2010–")
    finally:
        context.close()
