"""The HTTP routes beside the page: charts as images, tables and metadata by URL, the dataset's files, oEmbed,
the light embed and this API's own description (openapi.yaml).

Every answer to a bad request is a 4xx in JSON naming the parameter (never HTML from the URL, never a
traceback); every good answer carries `Cache-Control: public`, an `ETag` per normalised view and dataset
version, and a 304 to a matching `If-None-Match`, so any shared cache can keep it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache, wraps
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from components import dataset, view
from components.view import View
from components.web import embed, previews, resources
from components.web.resources import Data, Unavailable

LOG = logging.getLogger(__name__)
MAX_AGE_S = 3600  # a view's image or table changes only with the data (and the ETag says when)
IMMUTABLE = "public, max-age=31536000, immutable"
OPENAPI = Path(__file__).resolve().parent / "openapi.yaml"
CHART_FORMATS = {"png": "image/png", "svg": "image/svg+xml", "csv": "text/csv; charset=utf-8"}
METADATA = ".metadata.json"
IMAGE_PARAMS = ("size", "density")  # not `scale`: that is the view's linear/log axis
OEMBED_PARAMS = ("url", "maxwidth", "maxheight", "format")
GZIP_MIN_BYTES = 1024
MAX_URL_CHARS = 8000


class BadRequest(Exception):
    """A 4xx with a message naming what was wrong (never the raw value)."""

    def __init__(self, status: int, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status, self.extra = status, extra


def error(status: int, message: str, **extra: object) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 503:
        headers["Retry-After"] = str(resources.RETRY_AFTER_S)
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Bad input → 4xx, a busy or broken server → 503 with Retry-After, anything else → a plain 500 message
    (logged with its traceback for the operator, never shown)."""

    @wraps(handler)
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except BadRequest as exc:
            return error(exc.status, str(exc), **exc.extra)
        except Unavailable as exc:
            return error(503, str(exc))
        except Exception:
            LOG.exception("HTTP resource %s failed", request.url.path)
            return error(500, "Internal error; the server's log has the details.")

    return run


def cached(request: Request, body: bytes, media_type: str, tag: str, *, cache_control: str = "") -> Response:
    """A cacheable answer: 304 when the client holds this ETag, gzip when accepted and worth it."""
    headers = {"ETag": tag, "Cache-Control": cache_control or f"public, max-age={MAX_AGE_S}", "Vary": "Accept-Encoding"}
    if resources.not_modified(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    if (
        len(body) >= GZIP_MIN_BYTES
        and "gzip" in request.headers.get("accept-encoding", "")
        and _compressible(media_type)
    ):
        body = gzip.compress(body, 6)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=media_type, headers=headers)


def _compressible(media_type: str) -> bool:
    return not media_type.startswith("image/png")


def strict_view(request: Request, data: Data, own: tuple[str, ...] = ()) -> View:
    """The view a resource's query names; any notice (a bad parameter) is a 400 naming it."""
    current = resources.read_view(request.query_params.multi_items(), data.choices, own=own)
    if current.notices:
        raise BadRequest(400, "Bad query parameter.", notices=list(current.notices))
    return current


def _chart(name: str) -> tuple[str, str]:
    """'trade.png' → ('trade', 'png'); 'trade.metadata.json' → ('trade', 'metadata'); else a 404."""
    if name.endswith(METADATA):
        panel, fmt = name.removesuffix(METADATA), "metadata"
    else:
        panel, _, fmt = name.rpartition(".")
    if panel not in view.CHARTS:
        raise BadRequest(404, "Unknown chart.", charts=list(view.CHARTS))
    if fmt not in (*CHART_FORMATS, "metadata"):
        raise BadRequest(404, "Unknown format.", formats=[*CHART_FORMATS, METADATA.lstrip(".")])
    return panel, fmt


def _image_options(request: Request, fmt: str) -> tuple[int, bool]:
    """`size=preview` (1200×630, for og:image) and `density=1..3` (PNG pixels per px), or a 400 naming it."""
    size = request.query_params.get("size")
    if size not in (None, "", "preview"):
        raise BadRequest(400, "Parameter 'size': expected preview.")
    try:
        scale = resources.clamp_density(request.query_params.get("density"))
    except ValueError:
        raise BadRequest(400, "Parameter 'density': expected a whole number from 1 to 3.") from None
    return scale, size == "preview"


@guarded
async def chart(request: Request) -> Response:
    """/api/chart/{panel}.png|svg|csv|metadata.json?<view>: one panel of one view, as the page gives it."""
    name, fmt = _chart(request.path_params["name"])
    data = resources.current_data()
    own = IMAGE_PARAMS if fmt in ("png", "svg") else ()
    current = strict_view(request, data, own)
    key = resources.view_key(current, data.choices)
    if fmt in ("png", "svg"):
        scale, preview = _image_options(request, fmt)
        variant = "preview" if preview else f"x{scale if fmt == 'png' else 1}"
        tag = resources.etag(name, fmt, variant, key, data.version)
        if resources.not_modified(request.headers.get("if-none-match"), tag):
            return cached(request, b"", CHART_FORMATS[fmt], tag)

        def draw() -> bytes:
            found = resources.panel(data, current, name)
            return resources.image(data, found, f"{name}.{fmt}.{variant}|{key}", fmt, scale, preview)

        return cached(request, await run_in_threadpool(draw), CHART_FORMATS[fmt], tag)
    if fmt == "csv":
        body = await run_in_threadpool(resources.table_csv, data, current, name)
        return cached(request, body, CHART_FORMATS["csv"], resources.etag(name, "csv", key, data.version))
    found = await run_in_threadpool(resources.panel, data, current, name)
    root = previews.site_root(request.headers, request.url.scheme)
    query = urlencode(view.to_query(current))
    links = {
        "page": view.share_url(f"{root}/", current, page=""),
        **{f: f"{root}/api/chart/{name}.{f}?{query}".rstrip("?") for f in CHART_FORMATS},
        "embed": embed.light_url(root, current, name),
    }
    meta = resources.metadata(data, found, current, links)
    body = json.dumps(meta, ensure_ascii=False, indent=1).encode()
    tag = resources.etag(name, "metadata", key, data.version, dt.date.today(), root)
    return cached(request, body, "application/json", tag)


@lru_cache(maxsize=2)
def _data_files(folder: str, stamp: float) -> dict[str, str]:
    """The dataset's files a reader may fetch: the descriptor, its resources' files and the notes. Nothing else
    (so no path reaches outside data/); keyed by the folder's version."""
    descriptor = json.loads((Path(folder) / dataset.DESCRIPTOR).read_text(encoding="utf-8"))
    files = {dataset.DESCRIPTOR: "application/json", dataset.NOTES: "text/markdown; charset=utf-8"}
    for res in descriptor.get("resources", []):
        path = res.get("path")
        if isinstance(path, str) and "/" not in path and "\\" not in path and not path.startswith("."):
            files[path] = "text/csv; charset=utf-8"
    return files


@guarded
async def data_file(request: Request) -> Response:
    """/api/data/{file}: the dataset's own files, as the repository's data/ has them (Frictionless, pandas)."""
    name = request.path_params["file"]
    folder = resources.data_dir()
    files = _data_files(str(folder), resources.stamp(folder))
    if name not in files:
        raise BadRequest(404, "No such dataset file.", files=sorted(files))
    body = (folder / name).read_bytes()
    return cached(request, body, files[name], resources.etag("data", name, resources.current_data().version))


def _page_url(raw: str | None, root: str) -> tuple[str, View, Data]:
    """A link to one of our pages or embeds, read as the page reads it: (panel name, view, data); 404 otherwise."""
    if not raw:
        raise BadRequest(400, "Parameter 'url': required.")
    if len(raw) > MAX_URL_CHARS:
        raise BadRequest(400, "Parameter 'url': too long.")
    parts = urlsplit(raw)
    if parts.netloc and parts.netloc.lower() != urlsplit(root).netloc.lower():
        raise BadRequest(404, "Parameter 'url': not a link to this dashboard.")
    data = resources.current_data()
    current = resources.read_view(parse_qsl(parts.query, keep_blank_values=True), data.choices)
    path = parts.path.strip("/")
    if path.startswith(f"{view.EMBED_PATH}/") and path.split("/", 1)[1] in view.CHARTS:
        return path.split("/", 1)[1], current, data
    page = previews.page_of(parts.path or "/")
    if page is None or (page == "data" and not current.chart):
        raise BadRequest(404, "Parameter 'url': not a link to a chart of this dashboard.")
    return previews.main_panel(page, current), current, data


@guarded
async def oembed(request: Request) -> Response:
    """/api/oembed?url=...: oEmbed 1.0 (JSON only) for a link to a chart or a page of the dashboard."""
    params = request.query_params
    unknown = [n for n in params if n not in OEMBED_PARAMS]
    if unknown:
        raise BadRequest(400, "Unknown parameter.", allowed=list(OEMBED_PARAMS))
    if params.get("format", "json") != "json":
        raise BadRequest(501, "Parameter 'format': only json is offered.")
    try:
        maxwidth, maxheight = embed.clamp(params.get("maxwidth")), embed.clamp(params.get("maxheight"))
    except ValueError:
        raise BadRequest(400, "Parameters 'maxwidth' and 'maxheight': expected whole numbers of pixels.") from None
    root = previews.site_root(request.headers, request.url.scheme)
    name, current, data = _page_url(params.get("url"), root)
    found = await run_in_threadpool(resources.panel, data, current, name)
    answer = embed.oembed(found, current, root, maxwidth, maxheight)
    body = json.dumps(answer, ensure_ascii=False).encode()
    tag = resources.etag("oembed", name, resources.view_key(current, data.choices), maxwidth, maxheight, root)
    return cached(request, body, "application/json", tag)


@guarded
async def light_embed(request: Request) -> Response:
    """/embed/{panel}?<view>: one chart of one view as a small self-contained page, no Streamlit session."""
    name = request.path_params["name"]
    if name not in view.CHARTS:
        raise BadRequest(404, "Unknown chart.", charts=list(view.CHARTS))
    data = resources.current_data()
    current = strict_view(request, data)
    root = previews.site_root(request.headers, request.url.scheme)
    found = await run_in_threadpool(resources.panel, data, current, name)
    body = embed.page(found, current, root).encode()
    tag = resources.etag("embed", name, resources.view_key(current, data.choices), data.version, root)
    return cached(request, body, "text/html; charset=utf-8", tag)


@guarded
async def plotly_js(request: Request) -> Response:
    """plotly.js from the installed plotly package, at a versioned address, cached for a year, gzipped."""
    raw, packed = await run_in_threadpool(embed.plotly_js)
    tag = resources.etag("plotly.js")
    headers = {"ETag": tag, "Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
    if resources.not_modified(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(packed, media_type="text/javascript", headers={**headers, "Content-Encoding": "gzip"})
    return Response(raw, media_type="text/javascript", headers=headers)


@guarded
async def openapi(request: Request) -> Response:
    """This API described in OpenAPI 3."""
    body = OPENAPI.read_bytes()
    return cached(request, body, "application/yaml", resources.etag("openapi", body.decode()))


ROUTES = (
    Route("/api/chart/{name}", chart, methods=["GET", "HEAD"]),
    Route("/api/data/{file}", data_file, methods=["GET", "HEAD"]),
    Route("/api/oembed", oembed, methods=["GET", "HEAD"]),
    Route(f"/{view.EMBED_PATH}/{{name}}", light_embed, methods=["GET", "HEAD"]),
    Route(embed.PLOTLY_PATH, plotly_js, methods=["GET", "HEAD"]),
    Route("/api/openapi.yaml", openapi, methods=["GET", "HEAD"]),
)
