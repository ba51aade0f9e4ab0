"""Bytes for downloads: print-quality PNG and SVG of a panel, CSV of a table; and the batch export command.

Images are rendered by kaleido in Debian's Chromium. Starting a browser costs seconds, so one warm renderer is
started per process, on the first export, and reused by every session; a plain rerun never renders anything.

    python -m components.export --out exports --view "https://….streamlit.app/trade?from=2010&reporter=both"
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import logging
import os
import re
import shutil
import sys
import threading
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import plotly.graph_objects as go

from components import tables, theme
from components.figures import Panel
from components.i18n import N_
from components.view import CHARTS, PAGE_CHARTS, Choices, View, from_query, split_link

LOG = logging.getLogger(__name__)
SCALE = 2  # 2× scale: 2400 px wide at the default width, sharp in print
WIDTH = 1200
RENDER_TIMEOUT_S = 60  # a chart renders in well under a second; a first export starts a browser (3–5 s)
STOP_TIMEOUT_S = 10
SOURCE_LINE_CHARS = 150  # about the plot width at 11 px
INSTALL_HINT = N_(  # shown translated by the page (t(export.INSTALL_HINT))
    "PNG export needs Chromium on the server: `apt-get install -y chromium` (Debian/Ubuntu), "
    "or set BROWSER_PATH to a Chrome/Chromium binary. The camera icon on each chart saves a PNG "
    "from your browser meanwhile."
)


def browser_path() -> str | None:
    """The Chromium kaleido will use, or None when there is none."""
    configured = os.environ.get("BROWSER_PATH")
    if configured and Path(configured).is_file():
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


RETRY_HINT = N_("The image renderer had stopped and was restarted, but this image still failed. Please try again.")


class RendererError(RuntimeError):
    """An export failed even after a fresh renderer: the one message a reader sees (no traceback)."""


@dataclass
class _Renderer:
    """This process's warm renderer: kaleido's Chromium, driven from an event loop of its own in one thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    loop: asyncio.AbstractEventLoop | None = None
    thread: threading.Thread | None = None
    kaleido: object | None = None

    @property
    def started(self) -> bool:
        return self.kaleido is not None


@cache
def _renderer() -> _Renderer:
    return _Renderer()


@cache
def _kaleido_class() -> type:
    """Kaleido that hands back an image as soon as it is made.

    Kaleido reloads a tab (a fresh plotly.js page) after every image and only then returns: about 0.2 s of each
    export. Here the reload runs in the background on the renderer's own loop, and the tab rejoins kaleido's
    queue of ready tabs only when it is done, so an export that comes sooner waits for it and never meets a tab
    mid-reload. A reload that fails (Chromium died) is kept and raised by the next export, which restarts the
    renderer."""
    import kaleido

    class BackgroundReload(kaleido.Kaleido):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.failed: BaseException | None = None
            self._reloads: set[asyncio.Task] = set()  # references, so no task is collected mid-reload

        async def _return_kaleido_tab(self, tab: object) -> None:
            task = asyncio.ensure_future(super()._return_kaleido_tab(tab))
            self._reloads.add(task)
            task.add_done_callback(lambda done: self._reloaded(done, tab))

        def _reloaded(self, task: asyncio.Task, tab: object) -> None:
            self._reloads.discard(task)
            if not task.cancelled() and task.exception() is not None:
                self.failed = task.exception()
                self.tabs_ready.put_nowait(tab)  # wake a waiting export: it fails on the dead tab and restarts

    return BackgroundReload


def _start(renderer: _Renderer) -> None:
    path = browser_path()
    if path is None:
        raise RuntimeError(INSTALL_HINT)
    os.environ.setdefault("BROWSER_PATH", path)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="png-renderer", daemon=True)  # never blocks an exit
    thread.start()
    engine = _kaleido_class()(timeout=RENDER_TIMEOUT_S)
    try:
        asyncio.run_coroutine_threadsafe(engine.open(), loop).result(RENDER_TIMEOUT_S)
    except BaseException:
        loop.call_soon_threadsafe(loop.stop)
        raise
    renderer.loop, renderer.thread, renderer.kaleido = loop, thread, engine
    atexit.register(stop_renderer)  # close the browser with the process (registered once per function)


def stop_renderer() -> None:
    """Close this process's renderer and its Chromium, if one is running (at exit, and after a batch export)."""
    renderer = _renderer()
    with renderer.lock:
        _stop(renderer)


def _stop(renderer: _Renderer) -> None:
    """Close the browser (also a dead one) and the loop, so a new renderer can start."""
    loop, engine = renderer.loop, renderer.kaleido
    renderer.loop, renderer.thread, renderer.kaleido = None, None, None
    if loop is None:
        return
    try:
        asyncio.run_coroutine_threadsafe(engine.close(), loop).result(STOP_TIMEOUT_S)
    except Exception as exc:  # a dead browser may not close cleanly: the loop goes anyway
        LOG.info("closing the image renderer: %s: %s", type(exc).__name__, exc)
    loop.call_soon_threadsafe(loop.stop)


def _render(renderer: _Renderer, fig: go.Figure, fmt: str, scale: int) -> bytes:
    """One image from the warm renderer, or an exception: a reload that failed since the last export, or no
    image within RENDER_TIMEOUT_S (a browser that died mid-render)."""
    engine = renderer.kaleido
    if engine is None or renderer.thread is None or not renderer.thread.is_alive():
        raise RuntimeError("the image renderer is not running")
    if engine.failed is not None:
        raise RuntimeError(f"the renderer's last tab reload failed: {engine.failed!r}")
    opts = {"format": fmt, "scale": scale, "width": fig.layout.width or WIDTH, "height": fig.layout.height or 450}
    future = asyncio.run_coroutine_threadsafe(engine.calc_fig(fig.to_dict(), opts=opts), renderer.loop)
    try:
        return future.result(RENDER_TIMEOUT_S)
    except BaseException:
        future.cancel()
        raise


def warm_renderer() -> bool:
    """Start the renderer once per process; every later export reuses its browser."""
    renderer = _renderer()
    with renderer.lock:
        if not renderer.started:
            _start(renderer)
    return True


def file_stem(panel: Panel) -> str:
    """A meaningful download name: vn-cn-trade-2000-2026."""
    years = "-".join(re.findall(r"\b(?:19|20)\d{2}\b", panel.title)[:2])
    return "-".join(part for part in ("vn-cn", panel.name, years) if part)


def print_figure(panel: Panel, size: tuple[int, int] | None = None) -> go.Figure:
    """The panel's figure dressed for a report: white background, title, filter and source line drawn in.

    `size` (width, height in px) fixes the whole image's size instead (a 1200×630 link preview): the plot
    gives up the room the lines take.

    The legend goes to the right, where plotly reserves room for it, and the bottom margin grows with the
    wrapped source line, so the line never overlaps the axis labels or the legend.

    Made as a dict and created without a second validation (the page's figure was validated when it was
    drawn): `update_layout` and a validating copy took about 0.1 s of every export.
    """
    spec = panel.figure.to_dict()  # a deep copy: the memoised panel is shared by every session
    layout = spec.setdefault("layout", {})
    # the gap note (which series end early, and why) first, then the sources: both travel with the image
    source = "<br>".join(theme.wrap(t, SOURCE_LINE_CHARS) for t in (panel.note, panel.source_line) if t)
    bottom = 50 + 15 * (source.count("<br>") + 1)
    layout["template"] = theme.template("plotly_white")
    width, height = size or (WIDTH, int(layout.get("height") or 450) + bottom)
    layout.update(paper_bgcolor="white", plot_bgcolor="white", width=width, height=height)
    for key, value in {
        "margin": {"l": 70, "r": 20, "t": 70, "b": bottom},
        "font": {"family": theme.FONT, "color": "#222"},
        "title": {"text": panel.title, "x": 0, "xref": "paper", "xanchor": "left"},  # the page shows it as text
        "legend": {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "paper"},
    }.items():
        layout[key] = {**layout.get(key, {}), **value}
    layout["annotations"] = [
        *layout.get("annotations", []),
        {
            "text": source,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -35,
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "align": "left",
            "font": {"size": 11, "color": "#555"},
        },
    ]
    return go.Figure(spec, _validate=False)


def image_bytes(
    panel: Panel, fmt: str = "png", *, scale: int | None = None, size: tuple[int, int] | None = None
) -> bytes:
    """Render a panel as PNG or SVG bytes with the warm renderer (PNG at `scale`, 2× unless given; `size` as
    in print_figure).

    When the renderer's Chromium has died (out-of-memory killer, crash), the first call raises and every later
    one would fail or hang: so any failure stops the server, starts a new one and retries once; a second
    failure raises `RendererError` with one plain "try again" message.
    """
    fig = print_figure(panel, size)
    scale = (scale or SCALE) if fmt == "png" else 1
    warm_renderer()
    renderer = _renderer()
    with renderer.lock:
        try:
            return _render(renderer, fig, fmt, scale)
        except Exception as first:  # a dead Chromium raises ChannelClosedError once, then calls hang
            LOG.warning("image renderer failed (%s: %s); restarting it and retrying once", type(first).__name__, first)
            _stop(renderer)
            _start(renderer)
            try:
                return _render(renderer, fig, fmt, scale)
            except Exception as second:
                _stop(renderer)  # never leave a broken server for the next caller: it would hang
                raise RendererError(RETRY_HINT) from second


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs keep the Vietnamese diacritics."""
    table = table.copy()
    for column in table.columns:
        if any(isinstance(v, list) for v in table[column]):  # not .map(...).any(): empty datetime columns raise
            table[column] = table[column].map(lambda v: "; ".join(v) if isinstance(v, list) else v)
    return table.to_csv(index=False).encode("utf-8-sig")


IMAGE_FORMATS = ("png", "svg")
FORMATS = (*IMAGE_FORMATS, "csv")


def export_all(panels: dict[str, Panel], out: Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write every panel in every format into `out`; returns the files written. A CSV is the panel's table
    (`tables.csv_table`: build the panels in English for CSVs that are the same in every language)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for panel in panels.values():
        for fmt in formats:
            path = out / f"{file_stem(panel)}.{fmt}"
            data = csv_bytes(tables.csv_table(panel.table)) if fmt == "csv" else image_bytes(panel, fmt)
            path.write_bytes(data)
            written.append(path)
    return written


class ExportRefused(Exception):
    """The command cannot do what was asked: the message says why, and the command exits non-zero."""


def _formats(text: str) -> tuple[str, ...]:
    asked = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in asked if f not in FORMATS]
    if unknown or not asked:
        raise ExportRefused(
            f"--formats: {', '.join(repr(f) for f in unknown) or 'nothing given'}; expected one or more of "
            f"{', '.join(FORMATS)}, comma-separated"
        )
    return asked


def _wanted(view: View, page: str | None) -> tuple[str, ...]:
    """The charts the link names: `chart=` alone, else the charts of the link's page, else every chart."""
    if view.chart:
        return (view.chart,)
    if page is not None:
        if not PAGE_CHARTS[page]:
            raise ExportRefused(f"the /{page} page shows no chart; give a link to a page with charts, or chart=")
        return PAGE_CHARTS[page]
    return CHARTS


def main(argv: list[str] | None = None) -> int:
    """Batch export: the charts a view names (a shared link, or its query string), as PNG, SVG and/or CSV.

    A link to one page exports that page's charts; `chart=` one chart. Charts with nothing to draw (no visit
    chosen, no figure in the years) are skipped with a message; the command exits non-zero, saying why, when
    it cannot export what was asked."""
    from components.dataset import DatasetError, load
    from components.figures import build

    parser = argparse.ArgumentParser(prog="python -m components.export", description=main.__doc__)
    parser.add_argument("--out", type=Path, default=Path("exports"), help="folder to write into")
    parser.add_argument(
        "--view",
        default="",
        help="a shared link (https://…/trade?from=2015&to=2020), or its query string ('from=2010&reporter=both')",
    )
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (default: data/)")
    parser.add_argument("--formats", default="png,svg", help=f"comma-separated: {', '.join(FORMATS)}")
    args = parser.parse_args(argv)
    try:
        formats = _formats(args.formats)
        ds = load(args.data) if args.data else load()
        choices = Choices.from_dataset(ds)
        page, query = split_link(args.view)
        view = from_query(parse_qs(query, keep_blank_values=True), choices)
        for notice in view.notices:
            print(f"warning: {notice}", file=sys.stderr)
        asked = parse_qs(query).get("chart", [""])[-1]
        if asked and view.chart != asked:  # the page would ignore it; a script asked for that chart alone
            raise ExportRefused(f"chart={asked!r} is not a chart: expected one of {', '.join(CHARTS)}")
        wanted = _wanted(view, page)
        if any(f in IMAGE_FORMATS for f in formats) and browser_path() is None:
            print(INSTALL_HINT, file=sys.stderr)
            return 2
        panels = build(ds, view, choices, wanted)
        drawn = {name: panel for name, panel in panels.items() if not panel.empty}
        for name in panels.keys() - drawn.keys():
            print(f"skipped {name}: {panels[name].empty}", file=sys.stderr)
        if not drawn:
            raise ExportRefused(f"nothing to export: {', '.join(wanted)} has nothing to draw in this view")
        written = export_all(drawn, args.out, tuple(f for f in formats if f != "csv"))
        if "csv" in formats:  # the same file in every language: built from the English panels
            english = build(ds, replace(view, lang="en"), choices, list(drawn))
            written += export_all(english, args.out, ("csv",))
    except DatasetError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except ExportRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
