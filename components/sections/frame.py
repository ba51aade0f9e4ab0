"""The frame every page shares: page config and style, the cached dataset, the reader's language, the pages'
navigation, and small helpers (markdown escaping); the copy box is in `copy`."""

from __future__ import annotations

import gc
import html
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import streamlit as st

from components import citation, dataset, figures, filtering, i18n, view
from components.page_style import FRAME_DRAWN_KEY, PAGES_KEY

TITLE = i18n.N_("Vietnam–China relations: trade and high-level visits")


DATA_DIR_ENV = "DASHBOARD_DATA_DIR"  # another dataset folder, for benchmarks and tests


# One script run draws at a time in this process; the others wait their turn, blocked, outside the interpreter
# lock. Python runs one thread at a time anyway, so this costs no throughput. Without it, twenty readers who arrive
# together share the lock in turns. Each pending run sends its elements in pieces, and the server's event loop
# (which sends every session's messages and needs the lock for each) waits behind all of them: every page of the
# burst was finished together, at the end (bench.load: first renders p50 = p95). Taking turns finishes them one
# after another, the first reader's soonest. A turn not given within `TURN_TIMEOUT_S` (a run stuck elsewhere) is
# taken anyway, so a stuck run can never hold up every reader.
_TURNS = threading.BoundedSemaphore(1)
TURN_TIMEOUT_S = 10.0


@contextmanager
def drawing_turn() -> Iterator[None]:
    """Wait for this process's turn to draw a page (bounded), and give it back however the run ends (finished,
    stopped, rerun)."""
    got = _TURNS.acquire(timeout=TURN_TIMEOUT_S)
    try:
        yield
    finally:
        if got:
            _TURNS.release()


def page_config() -> None:
    """The page's config. Its style sheet is in the HTML head (components/page_style), applied from the first
    frame; a style sent from here would apply only after its elements had been drawn, and they would move."""
    st.set_page_config(
        page_title=tr()(citation.SITE),
        page_icon="🤝",
        layout="wide",
        initial_sidebar_state="auto",
    )  # "auto": the filters start open on wide screens and collapsed on phones, where they would cover the page


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(data_dir: str, stamp: float) -> dataset.Dataset:
    """Read and validate once per dataset version (`stamp` is the newest file time, so an edit reloads).

    A resource cache, not a data cache: every session shares the one read-only Dataset, with no copy per rerun,
    and the tables derived from it (filtering.derived, figures.prepare) are memoised by its identity.
    """
    ds = figures.prepare(dataset.load(data_dir))
    gc.collect()
    gc.freeze()  # the modules and the prepared dataset live as long as the process: no collection walks them again
    return ds


LOADED_KEY = "_dataset_stamp"  # the data version this session has loaded


def load_dataset() -> tuple[dataset.Dataset, view.Choices]:
    """The validated dataset, or a readable list of its problems and a stopped page."""
    data_dir = Path(os.environ.get(DATA_DIR_ENV) or dataset.DATA_DIR)
    stamp = _stamp(data_dir)
    t = tr()
    try:
        if st.session_state.get(LOADED_KEY) == stamp:  # loaded for this session before: a cache hit, no spinner
            ds = _load(str(data_dir), stamp)
        else:  # a spinner starts a timer thread: worth it only where the load may be slow (a new session or data)
            with st.spinner(t("Loading and checking the dataset…"), show_time=False):
                ds = _load(str(data_dir), stamp)
            st.session_state[LOADED_KEY] = stamp
    except dataset.DatasetError as exc:
        st.error(t("The dataset failed validation, so the dashboard cannot be drawn. Problems found:"))
        st.code(exc.report(), language=None)
        st.container(key=FRAME_DRAWN_KEY).markdown("")  # the page is drawn: show it (page_style.FRAME_CSS)
        st.stop()
    return ds, _choices(ds)


def _stamp(data_dir: Path) -> float:
    """The newest file time in data/: an edit while serving reloads the dataset. os.scandir, not Path.glob: this
    runs on every rerun, and pathlib's glob cost several per cent of one."""
    with os.scandir(data_dir) as entries:
        return max((e.stat().st_mtime for e in entries if e.is_file()), default=0.0)


@lru_cache(maxsize=4)
def _choices(ds: dataset.Dataset) -> view.Choices:
    """What the (read-only) dataset allows a view to name: derived once, not on every rerun."""
    return view.Choices.from_dataset(ds)


def browser_lang() -> str:
    """The interface language the reader's browser prefers (navigator.language, else Accept-Language)."""
    return i18n.from_locale(st.context.locale or st.context.headers.get("Accept-Language", "").split(",")[0])


LANG_KEY = "ui_lang"  # not "f_...": the language is not a filter, and "Reset all filters" keeps it


def tr() -> i18n.Translator:
    """This session's translator: the language selector's value, else the link's `lang`, else the browser's.

    Per session (st.session_state), never per process: readers in different languages share the server."""
    lang = st.session_state.get(LANG_KEY)
    if lang not in i18n.LANGUAGES:
        link = (st.query_params.get("lang") or "").lower()
        lang = link if link in i18n.LANGUAGES else browser_lang()
    return i18n.translator(lang)


def base_url() -> str:
    """The address the reader sees (scheme, host and page path), without its query."""
    return st.context.url or "http://localhost:8501/"


def url_notices() -> None:
    """What was wrong with the opening link; plain text only, never the raw values."""
    notices = st.session_state.get("_notices") or []
    if notices:
        t = tr()
        st.warning(
            t("Some parts of the link were ignored and their defaults used:")
            + "\n\n"
            + "\n".join(f"- {html.escape(n)}" for n in notices),
            icon="⚠️",
        )


def page_title(title: str) -> None:
    """The page's heading, in the reader's language (`title` is the English text, marked with N_)."""
    st.title(tr()(title))


def navigation(pages: Sequence[tuple[Callable[[], None], str, str, str]], *, hidden: bool = False):
    """The pages as (function, title, url path, icon); the overview first, at "/". Returns the page to run.

    Wide screens show them at the top. Below Streamlit's 768 px breakpoint Streamlit moves them into the
    collapsed sidebar, so a phone reader would not see them: there a compact row of the same links, and a
    "» Filters" hint pointing at the button that opens the sidebar, leads the main column (hidden by CSS on
    wide screens)."""
    t = tr()
    st_pages = [
        st.Page(render, title=t(title), url_path=path or None, icon=icon, default=not path)
        for render, title, path, icon in pages
    ]
    page = st.navigation(st_pages, position="hidden" if hidden else "top")
    if hidden:
        st.container(key=FRAME_DRAWN_KEY).markdown("")  # the mark that the frame is drawn (page_style.FRAME_CSS)
        return page
    with st.container(key=PAGES_KEY, horizontal=True):  # also that mark
        for st_page, (_, _, _, icon) in zip(st_pages, pages, strict=True):
            st.page_link(st_page, icon=icon)
        # where the filters are: behind the » button at the top left, which this hint repeats (plain HTML, no
        # script: st.html drops inline handlers, and the page carries no <script> of its own)
        st.html(f'<span class="vncn-filters">» {html.escape(t("Filters"))}</span>')
    return page


def _md(text: object) -> str:
    """Plain text made safe inside markdown: '$' would start LaTeX, and brackets or stars would format."""
    return "".join("\\" + c if c in "\\`*_[]<>#$|" else c for c in str(text))


def _marked(text: object) -> str:
    """Data text as safe markdown with the words of the current search in bold: the reader sees why it matched."""
    text = str(text)
    spans = filtering.match_spans(text, st.session_state.get("f_q") or "")
    out, at = [], 0
    for start, end in spans:
        out += [_md(text[at:start]), f"**{_md(text[start:end])}**"]
        at = end
    return "".join([*out, _md(text[at:])])
