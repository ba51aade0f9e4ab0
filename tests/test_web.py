"""The HTTP front door without a server: link-preview tags, charts, tables, metadata and dataset files by URL,
oEmbed and the light embed, validators and 304s, the render bound, hostile URLs, and the OpenAPI document.

The routes and the preview middleware are driven as ASGI apps in-process (a tiny client below), with
Streamlit's own index.html standing in for the page, so these tests need no Streamlit server.
"""

from __future__ import annotations

import asyncio
import gzip
import html
import io
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pandas as pd
import pytest
import streamlit
import yaml
from conftest import PNG_SIGNATURE
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from test_view import HOSTILE as HOSTILE_VIEWS
from test_view import VALID

from components import view
from components.export import browser_path
from components.web import app_options, embed, previews, resources, routes
from components.web.resources import Renders, Unavailable

INDEX = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()


async def _index(request) -> Response:
    """Streamlit's static page as Streamlit sends it: with validators, and gzipped when the client accepts it."""
    headers = {"ETag": '"static"', "Cache-Control": "no-cache"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(gzip.compress(INDEX), media_type="text/html", headers={**headers, "Content-Encoding": "gzip"})
    return Response(INDEX, media_type="text/html", headers=headers)


APP = Starlette(
    routes=[*app_options()["routes"], Route("/{path:path}", _index, methods=["GET", "HEAD"])],
    middleware=app_options()["middleware"],
)


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> dict:
        return json.loads(self.body)


def get(target: str, *headers: tuple[str, str], method: str = "GET") -> Answer:
    """One request to the app in-process: `target` is a path with its query string."""
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (("host", "testserver"), *headers)],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    # in a thread of its own: once a browser test has run, Playwright's sync API keeps an event loop running in
    # this thread for the rest of the session, and asyncio.run refuses to start another here
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, APP(scope, receive, send)).result()
    start = sent[0]
    found = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return Answer(start["status"], found, b"".join(m.get("body", b"") for m in sent[1:]))


class Head(HTMLParser):
    """The tags a crawler reads: title, meta by name/property, links by rel (and type)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.title, self.meta, self.links, self.lang, self._in_title = "", {}, {}, None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and (a.get("name") or a.get("property")):
            self.meta.setdefault(a.get("name") or a.get("property"), a.get("content"))
        elif tag == "link":
            self.links[(a.get("rel"), a.get("type"))] = a.get("href")

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


# ---------------------------------------------------------------- pure parts


def test_pages_and_their_main_chart():
    assert [previews.page_of(p) for p in ("/", "/trade", "/visits/", "/data", "/x", "/api/chart/trade.png")] == [
        "",
        "trade",
        "visits",
        "data",
        None,
        None,
    ]
    assert previews.main_panel("", view.View()) == "trade"
    assert previews.main_panel("visits", view.View()) == "timeline"
    assert previews.main_panel("visits", view.View(visit="2023-12-xi-jinping")) == "visit_trade"
    assert previews.main_panel("trade", view.View(chart="mirror")) == "mirror"


def test_the_address_comes_from_the_proxy_and_a_hostile_host_is_never_echoed():
    from starlette.datastructures import Headers

    assert previews.site_root(Headers({"host": "127.0.0.1:8501"}), "http") == "http://127.0.0.1:8501"
    forwarded = Headers(
        {"host": "127.0.0.1:8501", "x-forwarded-host": "vncn.example.org", "x-forwarded-proto": "https"}
    )
    assert previews.site_root(forwarded, "http") == "https://vncn.example.org"
    for bad in ('evil.org"><script>', "a b", "x/y", ""):
        assert previews.site_root(Headers({"host": bad}), "http") == "http://localhost"
    assert previews.site_root(Headers({"host": "h", "x-forwarded-proto": "javascript"}), "http") == "http://h"


def test_the_chosen_visit_is_named_with_its_place_and_days():
    data = resources.current_data()
    assert previews.visit_phrase(data, "2023-12-xi-jinping", "en") == "Xi Jinping in Hanoi, 12–13 Dec 2023"
    # the city is translated through the catalogs like the visitor's title, each part of a list on its own
    assert previews.visit_phrase(data, "2023-12-xi-jinping", "zh") == "习近平在河内，2023年12月12日至13日"
    assert previews.visit_phrase(data, "2023-12-xi-jinping", "vi").startswith("Xi Jinping ") and "Hà Nội" in (
        previews.visit_phrase(data, "2023-12-xi-jinping", "vi")
    )


def test_a_list_of_places_is_translated_part_by_part():
    from components import i18n

    assert i18n.translator("zh").parts("Beijing; Shanghai") == "北京、上海"
    assert i18n.translator("vi").parts("Hanoi; Da Nang") == "Hà Nội, Đà Nẵng"
    assert i18n.translator("en").parts("Hanoi; Da Nang") == "Hanoi, Da Nang"


def test_equal_views_share_one_cache_key():
    data = resources.current_data()
    key = lambda q: resources.view_key(resources.read_view(_pairs(q), data.choices), data.choices)  # noqa: E731
    first, last = data.choices.first_year, data.choices.last_year
    assert key("") == key(f"from={first}&to={last}") == key("reporter=vn&measure=value")
    assert key("from=2010&reporter=cn") == key("reporter=cn&from=2010")
    assert key("from=2010") != key("from=2011")


def _pairs(query: str) -> list[tuple[str, str]]:
    return [(k, v) for k, values in parse_qs(query, keep_blank_values=True).items() for v in values]


def test_if_none_match_is_compared_as_http_says():
    tag = resources.etag("x")
    assert resources.not_modified(tag, tag)
    assert resources.not_modified(f'"other", W/{tag}', tag)
    assert resources.not_modified("*", tag)
    assert not resources.not_modified('"other"', tag)
    assert not resources.not_modified(None, tag)


def test_renders_are_memoised_in_a_bounded_lru():
    memo = Renders(size=2, pending=2)
    made = []
    make = lambda key: lambda: made.append(key) or key.encode()  # noqa: E731
    for key in ("a", "b", "a", "c", "a", "b"):
        assert memo.render(key, make(key)) == key.encode()
    assert made == ["a", "b", "c", "b"], "a is kept (used last), b was evicted by c"


def test_renders_past_the_bound_are_refused_at_once_not_queued():
    memo = Renders(size=4, pending=1)
    started, release = threading.Event(), threading.Event()

    def slow() -> bytes:
        started.set()
        release.wait(10)
        return b"slow"

    worker = threading.Thread(target=memo.render, args=("slow", slow))
    worker.start()
    assert started.wait(10)
    with pytest.raises(Unavailable):
        memo.render("other", lambda: b"other")
    release.set()
    worker.join(10)
    assert memo.render("other", lambda: b"other") == b"other", "the slot is free again"


def test_density_is_clamped_and_text_refused():
    assert [resources.clamp_density(v) for v in (None, "", "1", "3", "0", "-5", "99", "123456789")] == [
        2,
        2,
        1,
        3,
        1,
        1,
        3,
        3,
    ]
    with pytest.raises(ValueError):
        resources.clamp_density("x")


# ---------------------------------------------------------------- link previews in the page's HTML


def test_overview_preview_names_the_page_and_view_in_english():
    answer = get("/")
    head = Head(answer.text)
    assert answer.status == 200 and head.lang == "en"
    assert head.title.startswith("Overview · 2000–") and "Vietnam–China relations dashboard" in head.title
    assert head.meta["description"].startswith("Vietnam–China trade")
    assert head.meta["og:title"] == head.title and head.meta["og:locale"] == "en_GB"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["og:url"] == head.links[("canonical", None)] == "http://testserver/"
    image = urlsplit(head.meta["og:image"])
    assert (image.scheme, image.netloc, image.path) == ("http", "testserver", "/api/chart/trade.png")
    assert parse_qs(image.query) == {"size": ["preview"]}
    assert (head.meta["og:image:width"], head.meta["og:image:height"]) == ("1200", "630")
    assert head.meta["og:image:alt"]
    assert head.links[("alternate", "text/csv")] == "http://testserver/api/chart/trade.csv?"
    assert head.links[("alternate", "application/json+oembed")].startswith("http://testserver/api/oembed?url=")
    assert answer.headers["content-length"] == str(len(answer.body)), "the length is the rewritten page's"
    assert "etag" not in answer.headers and answer.headers["cache-control"] == "no-cache"


def test_trade_preview_in_vietnamese():
    head = Head(get("/trade?lang=vi&from=2010").text)
    assert head.lang == "vi" and head.meta["og:locale"] == "vi_VN"
    assert head.title.startswith("Thương mại · 2010–"), head.title
    assert head.title.endswith("— Bảng dữ liệu quan hệ Việt Nam – Trung Quốc")
    assert head.links[("canonical", None)] == "http://testserver/trade?from=2010&lang=vi"
    assert parse_qs(urlsplit(head.meta["og:image"]).query) == {"from": ["2010"], "lang": ["vi"], "size": ["preview"]}


def test_visit_preview_in_chinese_names_the_visit():
    head = Head(get("/visits?visit=2023-12-xi-jinping&lang=zh").text)
    assert head.lang == "zh" and head.meta["og:locale"] == "zh_CN"
    assert head.title.startswith("习近平在河内，2023年12月12日至13日 · 访问前后的贸易"), head.title
    assert urlsplit(head.meta["og:image"]).path == "/api/chart/visit_trade.png"
    # the chart's title names the visitor in characters too, not in Pinyin
    assert head.meta["description"].startswith("习近平"), head.meta["description"]
    assert "Xi Jinping" not in head.meta["description"] and "Hanoi" not in head.title
    assert ". " not in head.meta["description"] and head.meta["description"].endswith("。")


def test_the_browsers_language_is_the_previews_when_the_link_has_none():
    head = Head(get("/", ("accept-language", "vi-VN,vi;q=0.9")).text)
    assert head.lang == "vi" and "lang=vi" in head.links[("canonical", None)]


def test_a_bad_parameter_is_dropped_from_the_tags_as_the_page_drops_it():
    hostile = quote('"><script>alert(1)</script>', safe="")
    answer = get(f"/trade?from=abc&to=2020&q={hostile}&lang=xx&evil{hostile}=1&visit={hostile}")
    head = Head(answer.text)
    assert "<script>alert" not in answer.text and "alert(1)" not in answer.text
    assert head.lang == "en" and "–2020" in head.title and "abc" not in head.title
    assert head.links[("canonical", None)] == "http://testserver/trade?to=2020"


def test_a_search_with_quotes_is_escaped_in_every_tag():
    answer = get("/trade?q=" + quote('say "hi" & go'))
    assert '"hi"' not in answer.text and "&quot;hi&quot;" in answer.text
    head = Head(answer.text)
    assert 'search "say "hi" & go"' in head.title


def test_head_requests_and_other_paths():
    full, head = get("/trade"), get("/trade", method="HEAD")
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == str(len(full.body))
    revalidated = get("/trade", ("if-none-match", '"static"'))
    assert revalidated.status == 200 and b"og:title" in revalidated.body, "the page's HTML is never a stale 304"
    through_a_proxy = get("/trade", ("accept-encoding", "gzip"))  # Caddy's transport asks for gzip
    assert b"og:title" in through_a_proxy.body and "content-encoding" not in through_a_proxy.headers
    other = get("/something/else")
    assert b"og:title" not in other.body and b"<title>Streamlit</title>" in other.body, "only pages get previews"


# ---------------------------------------------------------------- tables, metadata and files


def test_csv_of_a_view_is_the_pages_csv_and_pandas_reads_its_years():
    answer = get("/api/chart/trade.csv?from=2015&to=2020")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    table = pd.read_csv(io.BytesIO(answer.body), encoding="utf-8-sig")
    assert sorted(table["Year"].unique()) == list(range(2015, 2021))
    data = resources.current_data()
    current = resources.read_view([("from", "2015"), ("to", "2020")], data.choices)
    expected = resources.table_csv(data, current, "trade")
    assert answer.body == expected


def test_a_second_request_with_the_etag_is_304():
    first = get("/api/chart/trade.csv?from=2015")
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = get("/api/chart/trade.csv?from=2015", ("if-none-match", first.headers["etag"]))
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == first.headers["etag"]
    same_view = get("/api/chart/trade.csv?from=2015&reporter=vn&to=2026")
    assert same_view.headers["etag"] == first.headers["etag"], "an equal view shares the validator"
    assert get("/api/chart/trade.csv?from=2016").headers["etag"] != first.headers["etag"]


def test_metadata_names_title_sources_citation_version_and_month():
    meta = get("/api/chart/mirror.metadata.json?from=2012&lang=vi").json()
    data = resources.current_data()
    assert meta["panel"] == "mirror" and meta["language"] == "vi" and "2012" in meta["title"]
    assert meta["dataset_version"] == data.ds.last_updated.isoformat()
    assert meta["data_to"] == data.ds.coverage_end.strftime("%Y-%m")
    assert meta["source_line"] and meta["citation"] and "from=2012" in meta["links"]["csv"]
    assert meta["links"]["embed"] == "http://testserver/embed/mirror?from=2012&lang=vi"


def test_dataset_files_by_url_and_nothing_outside_data():
    package = get("/api/data/datapackage.json")
    assert package.status == 200
    for resource in package.json()["resources"]:
        answer = get(f"/api/data/{resource['path']}")
        assert answer.status == 200 and answer.body == (resources.data_dir() / resource["path"]).read_bytes()
    for bad in ("..%2Fdashboard.py", "%2e%2e%2fpyproject.toml", "..", "README.md.bak", "%00trade.csv", "x" * 5000):
        answer = get(f"/api/data/{bad}")
        assert answer.status in (400, 404) and answer.headers["content-type"] == "application/json", bad


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("target", "status", "named"),
    [
        ("/api/chart/nope.png", 404, "Unknown chart"),
        ("/api/chart/trade.gif", 404, "Unknown format"),
        ("/api/chart/trade.png?from=abc", 400, "'from'"),
        ("/api/chart/trade.csv?lang=xx", 400, "'lang'"),
        ("/api/chart/trade.csv?evil=1", 400, "'evil'"),
        ("/api/chart/trade.png?size=huge", 400, "'size'"),
        ("/api/chart/trade.png?density=lots", 400, "'density'"),
        ("/api/chart/trade.csv?q=" + quote("<script>"), 400, "'q'"),
        ("/embed/nope", 404, "Unknown chart"),
        ("/embed/trade?reporter=xyz", 400, "'reporter'"),
        ("/api/oembed", 400, "'url'"),
        ("/api/oembed?url=http://testserver/trade&format=xml", 501, "'format'"),
        ("/api/oembed?url=http://testserver/trade&maxwidth=wide", 400, "'maxwidth'"),
        ("/api/oembed?url=http://elsewhere.org/trade", 404, "'url'"),
        ("/api/oembed?url=http://testserver/data", 404, "'url'"),
        ("/api/oembed?url=http://testserver/api/chart/trade.png", 404, "'url'"),
        ("/api/oembed?url=http://testserver/&callback=x", 400, "Unknown parameter"),
    ],
)
def test_a_bad_parameter_gets_a_4xx_naming_it(target, status, named):
    answer = get(target)
    assert answer.status == status, answer.body[:200]
    assert answer.headers["content-type"] == "application/json"
    assert named in json.dumps(answer.json(), ensure_ascii=False)
    assert "<" not in answer.text and "Traceback" not in answer.text


HOSTILE = [
    "/api/chart/trade.png?" + "from=2010&" * 2000,
    "/api/chart/trade.csv?visitor=" + ",".join(["Xi Jinping"] * 500),
    "/api/chart/%3Cscript%3E.png",
    "/api/chart/trade.metadata.json?q=" + quote("\u0000\u202e' OR 1=1 --"),
    "/api/chart/..%2F..%2Fetc%2Fpasswd.csv",
    "/api/chart/trade.csv?from=%F0%9F%92%A5&to=\u0663\u0663",
    "/embed/trade?lang=" + quote('"><img src=x onerror=alert(1)>'),
    "/embed/%2e%2e%2f",
    "/api/oembed?url=" + quote("javascript:alert(1)"),
    "/api/oembed?url=" + quote("http://testserver/embed/../../etc/passwd"),
    "/api/oembed?url=" + quote("http://testserver/trade?from=abc&chart=nope") + "&maxheight=-1",
    "/api/oembed?url=" + "x" * 20000,
    "/api/oembed?maxwidth=" + "9" * 5000 + "&url=http://testserver/",
    "/api/data/" + quote("/etc/passwd", safe=""),
    "/visits?visit=" + quote("../../../etc/passwd") + "&lang=zh&chart=" + quote("<b>"),
]


@pytest.mark.parametrize("target", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_urls_never_get_a_5xx_or_echo_html(target):
    answer = get(target)
    assert answer.status < 500, answer.body[:300]
    if answer.status >= 400:
        assert answer.headers["content-type"] == "application/json" or answer.body == b"Bad Request"
        assert "<" not in answer.text and "Traceback" not in answer.text
    for payload in ("alert(1)", "onerror", "<b>", "etc/passwd"):
        assert payload not in answer.text, f"{payload!r} echoed"


@pytest.mark.parametrize(("case", "hostile", "names"), HOSTILE_VIEWS, ids=[h[0] for h in HOSTILE_VIEWS])
def test_hostile_view_parameters_over_http(case, hostile, names):
    """test_view's hostile links: a resource refuses them naming the parameter; a page's preview drops them
    exactly as the page does (its tags are those of the link without them), and neither echoes them."""
    valid = {k: v for k, v in VALID.items() if k not in hostile}
    query = urlencode({**valid, **hostile})
    api = get(f"/api/chart/timeline.csv?{query}")
    assert api.status == 400 and api.headers["content-type"] == "application/json"
    notices = " ".join(api.json()["notices"])
    assert all(f"'{name}'" in notices for name in names) and "<" not in api.text
    page, clean = get(f"/visits?{query}"), get(f"/visits?{urlencode(valid)}")
    assert page.status == 200 and "alert(1)" not in page.text
    assert Head(page.text).__dict__ == Head(clean.text).__dict__


# ---------------------------------------------------------------- oEmbed and the light embed


def test_oembed_answers_the_spec_for_a_page_link():
    url = "http://testserver/trade?from=2010&lang=vi"
    answer = get(f"/api/oembed?url={quote(url, safe='')}&maxwidth=600&maxheight=5000")
    found = answer.json()
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    assert {k: found[k] for k in ("version", "type", "width")} == {"version": "1.0", "type": "rich", "width": 600}
    assert found["provider_name"] and "2010" in found["title"] and 200 <= found["height"] <= 2000
    iframe = re.search(r'src="([^"]+)"', found["html"]).group(1)
    assert html.unescape(iframe) == "http://testserver/embed/trade?from=2010&lang=vi"
    assert get(f"/api/oembed?url={quote(url, safe='')}&maxwidth=10").json()["width"] == embed.MIN_SIZE


def test_oembed_for_a_live_embed_link_and_a_light_embed_link():
    live = get("/api/oembed?url=" + quote("http://testserver/?chart=mirror&embed=true&from=2012", safe="")).json()
    assert "/embed/mirror?from=2012" in html.unescape(live["html"])
    light = get("/api/oembed?url=" + quote("/embed/ytd?ytd=cn-total", safe="")).json()
    assert "/embed/ytd?ytd=cn-total" in html.unescape(light["html"])


def test_the_light_embed_is_one_small_page_with_the_chart_and_its_lines():
    answer = get("/embed/trade?from=2010&lang=vi", ("accept-encoding", "gzip"))
    assert answer.status == 200 and answer.headers["content-encoding"] == "gzip"
    assert answer.headers["cache-control"].startswith("public") and answer.headers["etag"]
    page = gzip.decompress(answer.body).decode()
    data = resources.current_data()
    found = resources.panel(data, resources.read_view([("from", "2010"), ("lang", "vi")], data.choices), "trade")
    assert '<html lang="vi">' in page and html.escape(found.title) in page
    assert html.escape(found.source_line) in page and "Mở khung nhìn tương tác đầy đủ ↗" in page
    assert f'src="{embed.PLOTLY_PATH}"' in page and "_stcore" not in page and "stApp" not in page
    spec = json.loads(re.search(r'<script type="application/json" id="figure">(.*?)</script>', page, re.S).group(1))
    layout = spec["layout"]
    assert spec["data"] and layout["autosize"] is True and "width" not in layout
    assert all(layout[a]["automargin"] for a in layout if a.startswith(("xaxis", "yaxis"))), "tick labels fit"
    assert 'href="http://testserver/?from=2010&amp;lang=vi"' in page, "the link back opens the full view"


def test_an_empty_panel_embeds_its_reason_without_plotly():
    page = get("/embed/visit_trade").text
    assert "plotly" not in page and 'class="empty"' in page


def test_plotly_js_is_served_once_compressed_and_immutable():
    packed = get(embed.PLOTLY_PATH, ("accept-encoding", "gzip, br"))
    assert packed.status == 200 and packed.headers["content-encoding"] == "gzip"
    assert packed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert len(packed.body) < 1_700_000 and gzip.decompress(packed.body) == embed.PLOTLY_JS.read_bytes()
    plain = get(embed.PLOTLY_PATH)
    assert "content-encoding" not in plain.headers and plain.body == embed.PLOTLY_JS.read_bytes()
    assert get(embed.PLOTLY_PATH, ("if-none-match", packed.headers["etag"])).status == 304


# ---------------------------------------------------------------- images (Debian's chromium, like Download PNG)


def _png_size(body: bytes) -> tuple[int, int]:
    assert body.startswith(PNG_SIGNATURE)
    return int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")


def test_preview_image_is_1200_by_630_and_memoised():
    assert browser_path(), "Debian's chromium is part of the project's set-up (make)"
    target = "/api/chart/visit_trade.png?visit=2023-12-xi-jinping&lang=zh&size=preview"
    first = get(target)
    assert first.status == 200 and first.headers["content-type"] == "image/png"
    assert _png_size(first.body) == (1200, 630)
    assert get(target).body == first.body
    assert get(target, ("if-none-match", first.headers["etag"])).status == 304
    print_size = _png_size(get("/api/chart/visit_trade.png?visit=2023-12-xi-jinping&density=1").body)
    assert print_size[0] == 1200 and print_size != (1200, 630), "without size=preview: the Download PNG's size"


def test_svg_of_a_view():
    answer = get("/api/chart/mirror.svg?from=2012")
    assert answer.status == 200 and answer.body.lstrip().startswith(b"<svg") and b"2012" in answer.body


# ---------------------------------------------------------------- the description


def test_openapi_document_validates_and_names_every_route():
    from openapi_spec_validator import validate

    answer = get("/api/openapi.yaml")
    spec = yaml.safe_load(answer.body)
    validate(spec)
    paths = set(spec["paths"])
    for route in routes.ROUTES:
        if route.path == embed.PLOTLY_PATH:
            continue
        stem = route.path.replace("{name}", "{chart}")
        assert any(p == stem or p.startswith(stem) for p in paths), route.path
    assert set(spec["components"]["parameters"]["chart"]["schema"]["enum"]) == set(view.CHARTS)
