"""Bytes for downloads: print-quality PNG and SVG of a panel, CSV of a table; and the batch export command.

Images are rendered by kaleido in Debian's Chromium. Starting a browser costs seconds, so one warm renderer is
started per process, on the first export, and reused by every session; a plain rerun never renders anything.

    python -m components.export --out exports --view "from=2010&reporter=both"
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from components import theme
from components.figures import Panel
from components.i18n import N_

LOG = logging.getLogger(__name__)
SCALE = 2  # 2× scale: 2400 px wide at the default width, sharp in print
WIDTH = 1200
RENDER_TIMEOUT_S = 60  # a chart renders in well under a second; a first export starts a browser (3–5 s)
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
    """Whether this process's kaleido server is up. Kaleido keeps one server per process, so this is too."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    started: bool = False


@cache
def _renderer() -> _Renderer:
    return _Renderer()


def _start(renderer: _Renderer) -> None:
    import kaleido

    path = browser_path()
    if path is None:
        raise RuntimeError(INSTALL_HINT)
    os.environ.setdefault("BROWSER_PATH", path)
    pio.defaults.headers = {}  # silences plotly's per-call "kopts ignored" warning when a server is used
    kaleido.start_sync_server(silence_warnings=True)
    renderer.started = True


def _stop(renderer: _Renderer) -> None:
    """Stop the server (also a dead one: its thread still answers the stop request) so a new one can start."""
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
    renderer.started = False


def warm_renderer() -> bool:
    """Start kaleido's sync server once per process; every later export reuses its browser."""
    renderer = _renderer()
    with renderer.lock:
        if not renderer.started:
            _start(renderer)
    return True


def file_stem(panel: Panel) -> str:
    """A meaningful download name: vn-cn-trade-2000-2026."""
    years = "-".join(re.findall(r"\b(?:19|20)\d{2}\b", panel.title)[:2])
    return "-".join(part for part in ("vn-cn", panel.name, years) if part)


def print_figure(panel: Panel) -> go.Figure:
    """The panel's figure dressed for a report: white background, title, filter and source line drawn in.

    The legend goes to the right, where plotly reserves room for it, and the bottom margin grows with the
    wrapped source line, so the line never overlaps the axis labels or the legend.
    """
    fig = go.Figure(copy.deepcopy(panel.figure.to_dict()))
    # the gap note (which series end early, and why) first, then the sources: both travel with the image
    source = "<br>".join(theme.wrap(t, SOURCE_LINE_CHARS) for t in (panel.note, panel.source_line) if t)
    bottom = 50 + 15 * (source.count("<br>") + 1)
    fig.update_layout(
        template="plotly_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=WIDTH,
        height=int(fig.layout.height or 450) + bottom,
        margin={"l": 70, "r": 20, "t": 70, "b": bottom},
        font={"family": theme.FONT, "color": "#222"},
        title={"text": panel.title, "x": 0, "xref": "paper", "xanchor": "left"},  # the page shows it as text
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
    )
    fig.add_annotation(
        text=source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-35,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#555"},
    )
    return fig


def _watched(fig: go.Figure, fmt: str, scale: int) -> bytes:
    """`fig.to_image` in a helper thread, watched from here: kaleido's server thread dies when its browser is
    closed under it while it waits for a tab (a CancelledError it does not catch), and its caller would then
    wait forever. A dead server thread, or no image within RENDER_TIMEOUT_S, is a failure like any other."""
    import kaleido

    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["image"] = fig.to_image(format=fmt, scale=scale)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, name="png-export", daemon=True)  # daemon: never blocks an exit
    worker.start()
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    server = getattr(kaleido, "_global_server", None)
    while worker.is_alive():
        worker.join(0.05)
        server_thread = getattr(server, "_thread", None)
        if worker.is_alive() and server_thread is not None and not server_thread.is_alive():
            raise RuntimeError("kaleido's server thread died")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no image within {RENDER_TIMEOUT_S} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["image"]  # type: ignore[return-value]


def image_bytes(panel: Panel, fmt: str = "png") -> bytes:
    """Render a panel as PNG or SVG bytes with the warm renderer.

    When the renderer's Chromium has died (out-of-memory killer, crash), the first call raises and every later
    one would fail or hang: so any failure stops the server, starts a new one and retries once; a second
    failure raises `RendererError` with one plain "try again" message.
    """
    fig = print_figure(panel)
    scale = SCALE if fmt == "png" else 1
    warm_renderer()
    renderer = _renderer()
    with renderer.lock:
        try:
            return _watched(fig, fmt, scale)
        except Exception as first:  # a dead Chromium raises ChannelClosedError once, then calls hang
            LOG.warning("image renderer failed (%s: %s); restarting it and retrying once", type(first).__name__, first)
            _stop(renderer)
            _start(renderer)
            try:
                return _watched(fig, fmt, scale)
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


def export_all(panels: dict[str, Panel], out: Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write every panel in every format into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for panel in panels.values():
        for fmt in formats:
            path = out / f"{file_stem(panel)}.{fmt}"
            path.write_bytes(image_bytes(panel, fmt))
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Batch export: a PNG and an SVG of every chart, for the view given by the page's URL parameters."""
    from components.dataset import DatasetError, load
    from components.figures import build
    from components.view import Choices, from_query

    parser = argparse.ArgumentParser(prog="python -m components.export", description=main.__doc__)
    parser.add_argument("--out", type=Path, default=Path("exports"), help="folder to write into")
    parser.add_argument("--view", default="", help="the page's query string, e.g. 'from=2010&reporter=both'")
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (default: data/)")
    parser.add_argument("--formats", default="png,svg", help="comma-separated: png, svg")
    args = parser.parse_args(argv)
    try:
        ds = load(args.data) if args.data else load()
    except DatasetError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    choices = Choices.from_dataset(ds)
    view = from_query(parse_qs(args.view.lstrip("?"), keep_blank_values=True), choices)
    for notice in view.notices:
        print(f"warning: {notice}", file=sys.stderr)
    if browser_path() is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    formats = tuple(f for f in args.formats.split(",") if f in ("png", "svg"))
    for path in export_all(build(ds, view, choices), args.out, formats):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
