"""The page's style sheet, written into the HTML head of every page (never st.*), so that the first frame the
browser paints is already in its final geometry.

Why in the head: Streamlit draws a narrow skeleton without sidebar before the script's first element arrives,
and every way a script can send CSS (st.html, HTML in st.markdown) loads its renderer lazily, so that CSS
applied only after the elements it styles had been painted, and they moved (Lighthouse: `main#stMain` 0.23 of
layout shift when the sidebar arrived, the cards and the trade chart pushed down when the metrics' renderer
came). `PageStyle`, an ASGI middleware, adds the sheet to the index.html Streamlit serves for a page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import streamlit
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGES_KEY = "vncn_pages"  # the phone's row of page links, drawn right after the navigation: "the frame is drawn"
FRAME_DRAWN_KEY = "vncn_pages_none"  # the same mark on a page without navigation (a chart alone, a data problem)
CARDS_KEY = "vncn_cards"  # the headline cards' row: two by two on a phone from its first frame

# How the frame stays still:
# - The main area and the header (and the box holding both, which Chrome counts as moving too) stay hidden until
#   the navigation has been drawn (`PAGES_KEY` or `FRAME_DRAWN_KEY` exists), an error or the dataset's loading
#   spinner is shown, or 8 s have passed (a slow first run). By then the sidebar and the wide layout are in place:
#   Streamlit's narrow skeleton never shows, and nothing moves when the sidebar arrives.
# - Each element type's renderer is loaded on its first use, with a grey placeholder of another height until then
#   (metrics, widgets, page links, st.html). In the main column and in the sidebar an element still waiting for
#   its renderer is made transparent together with everything after it; except a chart, whose placeholder already
#   has the chart's height, and the phone's row of links, whose height is fixed (only the row waits); a
#   placeholder inside an expander or a popover moves nothing outside it, so it hides nothing. Opacity,
#   not visibility: Streamlit's labels and markdown set `visibility: visible` on themselves. Chrome counts a move
#   in the frame that shows an element again, so each is shown 0.2 s after its renderer came, in the place it
#   then has. Each gives up after 20 s, so a renderer that never comes (a failed one shows an error) cannot hide
#   the page. The renderers the first screen needs are preloaded with the page (`PRELOADED`), so this is short.
# - Below Streamlit's 768 px breakpoint (where it moves the top navigation into the collapsed sidebar) a row of
#   page links and a "» Filters" hint (repeating the » button that opens the sidebar) leads the main column, on
#   one line without icons (it scrolls sideways where a language's names are longer); wide screens never show it.
# - The cost of those checks: a `:has()` that searches a chart's subtree is checked again at every change plotly.js
#   makes there, and plotly measures each label's text with a forced style recalculation in between. Searched from
#   `.stApp` (and from each chart's element), they cost a first visit 0.6 s of style recalculation and 0.6 s of
#   blocking time in Chromium. So each `:has()` here reaches the mark it looks for by a fixed path of children
#   (the marks sit at known depths), or looks for a skeleton only where one can be: directly in an element's
#   container, or anywhere in a container of elements (the cards, the phone's links), never inside a chart.
# Then the looks: captions in the text colour at 78 % (Streamlit's own grey fails WCAG contrast, 3.9:1; this is
# about 6:1 in the light and the dark theme); card labels wrap instead of being cut ("Two-way trade 2025
# (esti…"), and card values take a size that fits their card (they were cut to "US$252.0…" at 1,350 px).
# Headline cards two by two below 1,200 px (four in a row left each under 170 px beside the sidebar). Below
# 640 px: a smaller title and less padding, so that the title, the headline numbers and the top of the first
# chart fit a phone's first screen.
# Every selector starts with `.stApp` so that it outranks Streamlit's own class styles, which come later.
FRAME_CSS = """
@keyframes vncn-show { to { visibility: visible; opacity: 1; } }
.stApp [data-testid="stAppViewContainer"] > :has(> [data-testid="stMain"]),
.stApp [data-testid="stMainBlockContainer"] > div > *, .stApp [data-testid="stSidebarUserContent"],
.stApp .st-key-vncn_pages {
  transition: visibility 0s 0.2s, opacity 0s 0.2s; }
.stApp [data-testid="stAppViewContainer"] > :has(> [data-testid="stMain"]):not(:has(
  > [data-testid="stMain"] > [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
    > [data-testid="stLayoutWrapper"] > :is(.st-key-vncn_pages, .st-key-vncn_pages_none),
  > [data-testid="stMain"] > [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
    > [data-testid="stElementContainer"] > :is([data-testid="stException"], [data-testid="stSpinner"]))) {
  visibility: hidden; transition: none; animation: vncn-show 0s 8s forwards; }
.stApp [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > [data-testid="stElementContainer"]:has(> [data-testid="stSkeleton"]):not([class*="st-key-chart_"]),
.stApp [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > [data-testid="stElementContainer"]:has(> [data-testid="stSkeleton"]) ~ *,
.stApp [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]:has(
  :is([data-testid="stSkeleton"]):not(:is([data-testid="stExpander"], [data-testid="stPopover"]) *)):not(
  :has(> .st-key-vncn_pages)),
.stApp [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > [data-testid="stLayoutWrapper"]:has(
  :is([data-testid="stSkeleton"]):not(:is([data-testid="stExpander"], [data-testid="stPopover"]) *)):not(
  :has(> .st-key-vncn_pages)) ~ *,
.stApp [data-testid="stSidebarUserContent"]:has(:is([data-testid="stSkeleton"]):not(
  [data-testid="stPopover"] *)),
.stApp .st-key-vncn_pages:has([data-testid="stSkeleton"]) {
  opacity: 0; transition: none; animation: vncn-show 0s 20s forwards; }
.stApp [class*="st-key-vncn_pages"] { display: none; }
@media (max-width: 767.98px) {
  .stApp .st-key-vncn_pages { display: flex; flex-wrap: nowrap; gap: 0.3rem; align-items: center;
    min-height: 2.1rem !important; max-height: 2.1rem !important; overflow-x: auto; overflow-y: hidden;
    scrollbar-width: none; }
  .stApp .st-key-vncn_pages > div { width: auto !important; flex: 0 0 auto; }
  .stApp .st-key-vncn_pages a { padding: 0 0.4rem; min-height: 1.8rem; border: 1px solid rgba(128, 128, 128, 0.35); }
  .stApp .st-key-vncn_pages a > span:has([data-testid="stIconMaterial"]) { display: none; }
  .stApp .st-key-vncn_pages a p, .stApp .vncn-filters { font-size: 0.8rem !important; white-space: nowrap; }
  .stApp .vncn-filters { display: inline-flex; align-items: center; height: 1.8rem; padding: 0 0.5rem;
    border: 1px dashed #E69F00; border-radius: 0.5rem; white-space: nowrap; }
}
"""
PAGE_CSS = """
.stApp [data-testid="stCaptionContainer"] { color: inherit !important; opacity: 0.78 !important; }
.stApp [data-testid="stMetricLabel"] *, .stApp [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
.stApp .st-key-vncn_cards [data-testid="stColumn"] { container-type: inline-size; }
.stApp .st-key-vncn_cards [data-testid="stMetricValue"] { font-size: clamp(1rem, 12.5cqi, 2.25rem); }
@media (max-width: 1199.98px) {
  .stApp .st-key-vncn_cards [data-testid="stHorizontalBlock"] {
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important; }
  .stApp .st-key-vncn_cards [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important; }
}
@media (max-width: 640px) {
  .stApp [data-testid="stMainBlockContainer"] { padding: 3.25rem 0.75rem 2rem; }
  .stApp [data-testid="stMain"] h1 { font-size: 1.3rem; line-height: 1.25; padding: 0 0 0.25rem; }
  .stApp [data-testid="stMain"] p { font-size: 0.9rem; }
  .stApp [data-testid="stMain"] h2 { font-size: 1.15rem; padding: 0.5rem 0 0.25rem; }
  .stApp [data-testid="stMetric"] { padding: 0.5rem 0.6rem !important; }
  .stApp [data-testid="stMetricValue"] { font-size: 1.3rem !important; }
  .stApp [data-testid="stMetricLabel"] p, .stApp [data-testid="stMetricDelta"],
  .stApp [data-testid="stMetricDelta"] * { font-size: 0.72rem !important; }
  .stApp .st-key-vncn_cards [data-testid="stCaptionContainer"] p {
    font-size: 0.7rem !important; line-height: 1.3; }
}
"""
STYLE = f'<style id="vncn-page-style">{FRAME_CSS}{PAGE_CSS}</style>'

# The renderers every page's first screen waits for (the cards, the phone's links, the sidebar's widgets and
# share box, the chart buttons), fetched with the page's own scripts instead of one by one after the first
# elements arrive. Not plotly.js (4.7 MB): it would compete with the page's own bundle for the first paint.
PRELOADED = (
    "Metric", "PageLink", "Html", "Selectbox", "Slider", "Radio", "Multiselect", "TextInput", "Button",
    "MenuButton", "DownloadButton",
)  # fmt: skip
STATIC_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
_IMPORT = re.compile(r"""(?:from|import)\s*["'`]\./([\w.-]+\.js)["'`]""")


@lru_cache(maxsize=1)
def preload_links(index: bytes) -> bytes:
    """`<link rel=modulepreload>` for the PRELOADED renderers and every module they import that the page does
    not already preload (read from Streamlit's own files, so the hashed names follow its version)."""
    have = set(re.findall(rb"static/js/([\w.-]+\.js)", index))
    todo = sorted(f.name for name in PRELOADED for f in STATIC_JS.glob(f"{name}.*.js"))
    found: list[str] = []
    while todo:
        name = todo.pop()
        if name in found or name.encode() in have or not (STATIC_JS / name).is_file():
            continue
        found.append(name)
        todo += _IMPORT.findall((STATIC_JS / name).read_text(encoding="utf-8", errors="replace"))
    return "".join(f'<link rel="modulepreload" crossorigin href="./static/js/{n}">' for n in sorted(found)).encode()


# Streamlit's own paths, never a page (component iframes serve HTML of their own), and the HTTP front door's
# (components/web: /api/*, and the light embed /embed/*, a page of its own without Streamlit).
NOT_PAGES = ("/_stcore/", "/static/", "/component/", "/media/", "/app/static/", "/api/", "/embed/")
# Asked of Streamlit without these: conditional requests would answer 304 (a cached page without the sheet), and
# Streamlit gzips the index.html it serves for paths other than "/", which could then not be rewritten.
STRIPPED = (b"if-none-match", b"if-modified-since", b"range", b"if-range", b"accept-encoding")
DROPPED = (b"content-length", b"etag", b"last-modified")


def styled(index: bytes) -> bytes:
    """Streamlit's index.html with the page's style sheet and preloads at the end of its head (once)."""
    if STYLE.encode() in index:
        return index
    return index.replace(b"</head>", STYLE.encode() + preload_links(index) + b"</head>", 1)


class PageStyle:
    """ASGI middleware: a page's index.html with the style sheet in its head; any other response untouched.

    The length changes, so it is written again; Streamlit's validators describe its own file, so they are
    dropped; the request reaches Streamlit without the headers in STRIPPED."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or path.startswith(NOT_PAGES):
            await self.app(scope, receive, send)
            return
        inner = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in STRIPPED]}
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body" or not start:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body, headers = b"".join(chunks), start.get("headers", [])
            html = start.get("status") == 200 and Headers(raw=headers).get("content-type", "").startswith("text/html")
            if html and scope["method"] == "GET":
                body = styled(body)
                headers = [(k, v) for k, v in headers if k.lower() not in DROPPED]
                headers.append((b"content-length", str(len(body)).encode()))
            elif html:  # HEAD: the length the GET would have
                headers = [(k, v) for k, v in headers if k.lower() not in DROPPED]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(inner, receive, capture)
