"""What every HTTP resource shares, with no st.* call: the dataset (loaded once per process and version), the view
read from a request's query string exactly as the page reads it, the panels, cache validators, and rendered
images memoised and rendered under a bound.

Everything here is pure or a bounded, thread-safe per-process cache: one process serves many readers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

import plotly

from components import citation, dataset, export, figures, tables, theme, view
from components.dataset import Dataset
from components.figures import Panel
from components.i18n import Translator, translator
from components.view import Choices, View

DATA_DIR_ENV = "DASHBOARD_DATA_DIR"  # the page's dataset folder setting (sections.frame), read the same way
PREVIEW_SIZE = (1200, 630)  # og:image: the size chat apps and social sites crop to
DENSITIES = (1, 2, 3)  # PNG pixels per CSS pixel offered (`density=`), clamped to this range
MEMO_IMAGES = 64  # rendered images kept per process (a few hundred kB each)
MAX_PENDING_RENDERS = 4  # renders running or waiting; one more is told to come back (503, Retry-After)
RETRY_AFTER_S = 5


class Unavailable(Exception):
    """The server cannot answer now (dataset invalid, renderer busy or missing): 503 with a reason."""


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or dataset.DATA_DIR)


def stamp(folder: Path) -> float:
    """The newest file time in the dataset folder: an edit gives a new version (as the page's cache does)."""
    return max((f.stat().st_mtime for f in folder.glob("*") if f.is_file()), default=0.0)


@lru_cache(maxsize=2)
def _load(folder: str, stamp: float) -> tuple[Dataset, Choices]:
    """Validated once per dataset version and process, then shared read-only by every request."""
    ds = figures.prepare(dataset.load(folder))
    return ds, Choices.from_dataset(ds)


@dataclass(frozen=True)
class Data:
    """The dataset in force and its version key (for validators: a data change invalidates every ETag)."""

    ds: Dataset
    choices: Choices
    version: str


def current_data() -> Data:
    folder = data_dir()
    version = stamp(folder)
    try:
        ds, choices = _load(str(folder), version)
    except dataset.DatasetError as exc:
        raise Unavailable("The dataset failed validation; the server's log lists the problems.") from exc
    return Data(ds, choices, f"{ds.last_updated.isoformat()}.{int(version)}")


def read_view(
    params: Sequence[tuple[str, str]], choices: Choices, *, own: Sequence[str] = (), default_lang: str = "en"
) -> View:
    """The view a query string names, read by the page's own parser (same values, same notices).

    `own` are the resource's own parameters (size, scale, ...), kept out of the view."""
    grouped: dict[str, list[str]] = {}
    for name, value in params:
        if name not in own:
            grouped.setdefault(name, []).append(value)
    return view.from_query(grouped, choices, default_lang=default_lang)


def view_key(current: View, choices: Choices) -> str:
    """The view as its shortest link, parameters in one order: equal views share one cache entry."""
    query = view.to_query(replace(view.normalise(current, choices), notices=()))
    return "&".join(f"{k}={v}" for k, v in sorted(query.items()))


def etag(*parts: object) -> str:
    """A strong validator for a representation: the view key, the dataset version, the format and size."""
    digest = hashlib.sha256("|".join(map(str, (*parts, plotly.__version__))).encode()).hexdigest()[:32]
    return f'"{digest}"'


def not_modified(if_none_match: str | None, tag: str) -> bool:
    """Whether the client's cached copy is still this one (RFC 9110: weak comparison, lists, '*')."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or tag in tags


def panel(data: Data, current: View, name: str) -> Panel:
    """One panel of the view, from the page's own builder (memoised there)."""
    return figures.build(data.ds, current, data.choices, [name])[name]


def table_csv(found: Panel, t: Translator) -> bytes:
    """A panel's table as the page's Download CSV gives it: readable labels, every source line kept."""
    return export.csv_bytes(tables.readable(found.table, keep_lines=True, t=t))


def clamp_density(raw: str | None) -> int:
    """`density=` within DENSITIES (2, the page's Download PNG, when absent); ValueError if not a whole number."""
    value = int(raw[:6]) if raw else export.SCALE
    return min(max(value, DENSITIES[0]), DENSITIES[-1])


def translated(current: View) -> Translator:
    return translator(current.lang)


class Renders:
    """This process's rendered images: an LRU memo, and a bound on renders running or waiting.

    Renders are serialised by the one warm renderer (export); a burst of new views past the bound is refused at
    once (Unavailable, 503 with Retry-After) instead of queueing without end while readers' pages wait."""

    def __init__(self, size: int = MEMO_IMAGES, pending: int = MAX_PENDING_RENDERS) -> None:
        self._size = size
        self._memo: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(pending)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._memo.get(key)
            if found is not None:
                self._memo.move_to_end(key)
            return found

    def render(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The memoised bytes for `key`, or `make()` within the bound (Unavailable past it)."""
        found = self.get(key)
        if found is not None:
            return found
        if not self._slots.acquire(blocking=False):
            raise Unavailable("Too many images are being drawn right now; try again in a few seconds.")
        try:
            found = self.get(key)  # drawn by another request meanwhile
            if found is None:
                found = make()
                with self._lock:
                    self._memo[key] = found
                    while len(self._memo) > self._size:
                        self._memo.popitem(last=False)
            return found
        finally:
            self._slots.release()


@cache
def renders() -> Renders:
    return Renders()


def image(data: Data, found: Panel, key: str, fmt: str, scale: int, preview: bool) -> bytes:
    """The panel drawn as the page's Download PNG draws it (title, filter and source lines), memoised."""
    if export.browser_path() is None:
        raise Unavailable("Images need Chromium on the server (apt-get install -y chromium).")

    def make() -> bytes:
        try:
            if preview:
                return export.image_bytes(found, fmt, scale=1, size=PREVIEW_SIZE)
            return export.image_bytes(found, fmt, scale=scale)
        except export.RendererError as exc:
            raise Unavailable(str(exc)) from exc

    return renders().render(f"{data.version}|{key}", make)


def metadata(data: Data, found: Panel, current: View, links: Mapping[str, str]) -> dict:
    """What a citing script needs about one panel of one view: title, lines, version, links (the citation is
    dated today, so the caller's validator carries the date)."""
    t = translated(current)
    return {
        "panel": found.name,
        "title": found.title,
        "description": found.alt,
        "filter": view.describe(current, data.choices, theme.FILTER_LABELS, reporter=found.name not in NO_REPORTER),
        "note": found.note,
        "source_line": found.source_line,
        "empty": found.empty,
        "language": current.lang,
        "dataset_version": data.ds.last_updated.isoformat(),
        "data_to": data.ds.coverage_end.strftime("%Y-%m"),
        "citation": citation.citation_text(
            links["page"], data.ds.last_updated, dt.date.today(), found.title, data.ds.coverage_end, t
        ),
        "links": dict(links),
    }


NO_REPORTER = ("timeline", "fdi", "tourists", "documents")  # panels the reporter does not filter
