"""Link previews: the tags a crawler reads from a page's HTML before any JavaScript runs.

Chat apps and social sites fetch a shared link with plain HTTP and read `<title>`, `<meta name=description>`
and the Open Graph tags. Streamlit serves the same static index.html for every page ("Streamlit", lang="en"),
so `LinkPreviews`, an ASGI middleware, writes into it the page's and the view's own title, description,
language, canonical link, preview image, CSV twin and oEmbed discovery link. The view is read by the page's own
parser: a bad parameter is dropped from the tags exactly as the page drops it.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from babel.dates import format_interval
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from components import i18n, theme, view
from components.figures import shown_names
from components.figures.base import SITE, site_credit
from components.i18n import N_
from components.view import View
from components.web import resources
from components.web.resources import PREVIEW_SIZE, Data

LOG = logging.getLogger(__name__)

# The pages' url paths and names (as components.pages names them), the overview at "".
PAGES = {"": N_("Overview"), "trade": N_("Trade"), "visits": N_("Visits"), "data": N_("Data and sources")}
OG_LOCALES = {"en": "en_GB", "vi": "vi_VN", "zh": "zh_CN"}
DESCRIPTION_CHARS = 300
ALT_CHARS = 420
_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")


def page_of(path: str) -> str | None:
    """The page a URL path names ('' for the overview), or None for any other path."""
    name = path.strip("/")
    return name if name in PAGES else None


def site_root(headers: Headers, scheme: str) -> str:
    """The address the reader used ('https://example.org'): the proxy's forwarded host and scheme, else Host.

    A host that is not a plain host name (or an IP and port) is never echoed: 'localhost' stands in."""
    forwarded_proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    proto = forwarded_proto if forwarded_proto in ("http", "https") else scheme
    host = (headers.get("x-forwarded-host") or headers.get("host") or "").split(",")[0].strip()
    return f"{proto}://{host if _HOST.fullmatch(host) else 'localhost'}"


def main_panel(page: str, current: View) -> str:
    """The chart a link is about: the one it names (`chart=`), else its page's first chart."""
    if current.chart:
        return current.chart
    if page == "visits":
        return "visit_trade" if current.visit else "timeline"
    return "trade"


def visit_phrase(data: Data, visit_id: str, lang: str) -> str:
    """'Xi Jinping in Hanoi, 12–13 Dec 2023' in the view's language."""
    t = i18n.translator(lang)
    row = data.ds.visits[data.ds.visits["visit_id"] == visit_id]
    start, end = row["start_date"].iloc[0].date(), row["end_date"].iloc[0].date()
    locale = "en_GB" if lang == "en" else t.locale  # '12–13 Dec 2023', as the page writes dates
    dates = format_interval(start, end, "yMMMd", locale=locale).replace("\u2009–\u2009", "–")
    return t(
        "{visitor} in {cities}, {dates}",
        visitor=shown_names(row, lang).iloc[0],
        cities=t.parts(row["cities"].iloc[0]),
        dates=dates,
    )


@dataclass(frozen=True)
class Preview:
    """What a link's preview says, every value plain text (escaped when written)."""

    lang: str
    title: str
    description: str
    canonical: str
    image: str
    image_alt: str
    csv: str
    oembed: str


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def preview(data: Data, page: str, current: View, root: str) -> Preview:
    """The preview of one page and view: the page's name and the view's filter line, or the chosen visit."""
    t = i18n.translator(current.lang)
    current = replace(view.normalise(current, data.choices), notices=())
    name = main_panel(page, current)
    found = resources.panel(data, current, name)
    filters = view.describe(current, data.choices, theme.FILTER_LABELS, reporter=page != "visits")
    if current.chart:
        head = found.title
    elif page == "visits" and current.visit:
        head = visit_phrase(data, current.visit, current.lang) + " · " + t("trade around the visit")
    else:
        head = f"{t(PAGES[page])} · {filters}"
    canonical = view.share_url(f"{root}/", current, page=page)
    query = view.to_query(current)
    return Preview(
        lang=current.lang,
        title=f"{head} — {t(SITE)}",
        description=_clip(
            # sentences end as the language ends them ('。' in Chinese)
            t("{title}. {filters}. {credit}.", title=found.title, filters=filters, credit=site_credit(data.ds, t)),
            DESCRIPTION_CHARS,
        ),
        canonical=canonical,
        image=f"{root}/api/chart/{name}.png?{urlencode({**query, 'size': 'preview'})}",
        image_alt=_clip(found.alt or found.title, ALT_CHARS),
        csv=f"{root}/api/chart/{name}.csv?{urlencode(query)}",
        oembed=f"{root}/api/oembed?{urlencode({'url': canonical, 'format': 'json'})}",
    )


def head_tags(p: Preview) -> str:
    """The preview as HTML head tags, every value escaped."""
    e = html.escape
    meta = {
        "og:type": "website",
        "og:site_name": i18n.translator(p.lang)(SITE),
        "og:title": p.title,
        "og:description": p.description,
        "og:url": p.canonical,
        "og:image": p.image,
        "og:image:type": "image/png",
        "og:image:width": str(PREVIEW_SIZE[0]),
        "og:image:height": str(PREVIEW_SIZE[1]),
        "og:image:alt": p.image_alt,
        "og:locale": OG_LOCALES[p.lang],
    }
    lines = [
        f"<title>{e(p.title)}</title>",
        f'<meta name="description" content="{e(p.description)}" />',
        *(f'<meta property="{k}" content="{e(v)}" />' for k, v in meta.items()),
        *(f'<meta property="og:locale:alternate" content="{v}" />' for k, v in OG_LOCALES.items() if k != p.lang),
        '<meta name="twitter:card" content="summary_large_image" />',
        f'<link rel="canonical" href="{e(p.canonical)}" />',
        f'<link rel="alternate" type="text/csv" href="{e(p.csv)}" title="CSV" />',
        f'<link rel="alternate" type="application/json+oembed" href="{e(p.oembed)}" title="{e(p.title)}" />',
    ]
    return "\n    ".join(lines)


_TITLE = re.compile(rb"<title>[^<]*</title>")
_HTML_LANG = re.compile(rb'<html lang="[^"]*">')


def rewrite(index: bytes, p: Preview) -> bytes:
    """Streamlit's index.html with the preview's language and tags in place of its title."""
    tags = head_tags(p).encode()
    out, found = _TITLE.subn(lambda _: tags, index, count=1)
    if not found:
        out = out.replace(b"</head>", tags + b"\n</head>", 1)
    return _HTML_LANG.sub(f'<html lang="{p.lang}">'.encode(), out, count=1)


def page_preview(scope: Scope) -> Preview:
    """The preview for one request to a page: its path, query, language preference and address."""
    headers = Headers(scope=scope)
    data = resources.current_data()
    params = QueryParams(scope.get("query_string", b"").decode("latin-1")).multi_items()
    browser = i18n.from_locale(headers.get("accept-language", "").split(",")[0].split(";")[0])
    current = resources.read_view(params, data.choices, default_lang=browser)
    return preview(data, page_of(scope["path"]) or "", current, site_root(headers, scope.get("scheme", "http")))


# Request headers the page's HTML is fetched without: validators and ranges (the page now depends on the view), and
# Accept-Encoding (Streamlit would gzip it before this middleware could read it; a proxy compresses it after).
WITHHELD = (b"if-none-match", b"if-modified-since", b"range", b"if-range", b"accept-encoding")


class LinkPreviews:
    """ASGI middleware: the page paths' index.html with the view's preview tags (any other path untouched).

    The page's HTML now depends on the view and the data, so conditional requests go through whole, Streamlit's
    validators are dropped, and the length is the rewritten one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or page_of(scope["path"]) is None:
            await self.app(scope, receive, send)
            return
        head_only = scope["method"] == "HEAD"
        inner = {
            **scope,
            "method": "GET",
            "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in WITHHELD],
        }
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = start.get("headers", [])
            if start.get("status") == 200 and Headers(raw=headers).get("content-type", "").startswith("text/html"):
                body = await run_in_threadpool(_rewritten, body, scope)
                headers = [(k, v) for k, v in headers if k.lower() not in DROPPED]
                headers += [(b"cache-control", b"no-cache"), (b"vary", b"Accept-Language")]
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if head_only else body})

        await self.app(inner, receive, capture)


DROPPED = (b"content-length", b"etag", b"last-modified", b"cache-control", b"vary")


def _rewritten(index: bytes, scope: Scope) -> bytes:
    """The rewritten page, or Streamlit's own when no preview can be made (the page itself then explains)."""
    try:
        return rewrite(index, page_preview(scope))
    except resources.Unavailable as exc:
        LOG.warning("no link preview: %s", exc)
        return index
