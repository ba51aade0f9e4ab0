"""The page: the only module that calls st.*. Each function draws one part of the page from prepared data.

Per-user state lives in st.session_state (widget keys `f_*`) and in the URL; nothing here is module-level state.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st
from babel.dates import get_date_format

from components import analysis, citation, dataset, export, figures, filtering, i18n, tables, theme, view
from components import formatting as fmt
from components.figures import Panel, readable_visits

TITLE = i18n.N_("Vietnam–China relations: trade and high-level visits")
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"  # another dataset folder, for benchmarks and tests


def page_config() -> None:
    st.set_page_config(
        page_title=tr()(citation.SITE),
        page_icon="🤝",
        layout="wide",
        initial_sidebar_state="auto",
    )  # "auto": the filters start open on wide screens and collapsed on phones, where they would cover the page
    st.html(PAGE_CSS)


# Captions in the text colour at 78 % (Streamlit's own grey fails WCAG contrast, 3.9:1; this is about 6:1 in
# the light and the dark theme). Card labels wrap instead of being cut ("Two-way trade 2025 (esti…"). Below
# Streamlit's 640 px breakpoint: a smaller title and less padding, so that the title, the headline numbers and
# the top of the first chart fit a phone's first screen; headline cards two by two instead of one per row.
PAGE_CSS = """<style>
[data-testid="stCaptionContainer"] { color: inherit !important; opacity: 0.78; }
[data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3.75rem 0.75rem 2rem; }
  [data-testid="stMain"] h1 { font-size: 1.35rem; line-height: 1.25; padding: 0 0 0.25rem; }
  [data-testid="stMain"] p { font-size: 0.95rem; }
  [data-testid="stMain"] h2 { font-size: 1.25rem; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) {
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important; }
  [data-testid="stMetric"] { padding: 0.5rem 0.6rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.3rem !important; }
  [data-testid="stMetricLabel"] p, [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
    font-size: 0.72rem !important; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) [data-testid="stCaptionContainer"] p {
    font-size: 0.7rem !important; line-height: 1.3; }
}
</style>"""

@st.cache_resource(show_spinner=False, max_entries=4)
def _load(data_dir: str, stamp: float) -> dataset.Dataset:
    """Read and validate once per dataset version (`stamp` is the newest file time, so an edit reloads).

    A resource cache, not a data cache: every session shares the one read-only Dataset, with no copy per rerun,
    and the tables derived from it (filtering.derived) are memoised by its identity.
    """
    return dataset.load(data_dir)


def load_dataset() -> tuple[dataset.Dataset, view.Choices]:
    """The validated dataset, or a readable list of its problems and a stopped page."""
    data_dir = Path(os.environ.get(DATA_DIR_ENV) or dataset.DATA_DIR)
    stamp = max((f.stat().st_mtime for f in data_dir.glob("*") if f.is_file()), default=0.0)
    t = tr()
    try:
        with st.spinner(t("Loading and checking the dataset…"), show_time=False):
            ds = _load(str(data_dir), stamp)
    except dataset.DatasetError as exc:
        st.error(t("The dataset failed validation, so the dashboard cannot be drawn. Problems found:"))
        st.code(exc.report(), language=None)
        st.stop()
    return ds, view.Choices.from_dataset(ds)


# ---------------------------------------------------------------- sidebar: the view state


def _seed_from_url(choices: view.Choices) -> None:
    """On a session's first run, read the URL's view once; later runs leave the user's choices be.

    The sidebar filters take the URL's values as their defaults (`_url_view`) rather than through
    session_state: after a server restart the open page's first click arrives in a new session together with
    the browser's widget values, and writing the URL (one run behind) into session_state would overwrite
    that click. A default yields to the value the browser sends."""
    if st.session_state.get("_seeded"):
        return
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    seeded = view.from_query(params, choices, default_lang=browser_lang())
    if LANG_KEY not in st.session_state or "lang" in params:  # "Reset all filters" keeps the language
        st.session_state[LANG_KEY] = seeded.lang
    st.session_state.update(
        _url_view=seeded,
        f_visit=seeded.visit or None,
        f_measure=seeded.measure,
        f_log=seeded.scale == "log",
        f_ytd=f"{seeded.ytd_reporter.lower()}-{seeded.ytd_flow}",
        _notices=list(seeded.notices),
        _seeded=True,
    )


# Widgets drawn on some pages only. Streamlit forgets a widget's state on a run that does not draw it, so each
# value is also kept under "_"+key and put back before the widget is drawn again: the choice (and the link)
# survive a visit to a page without that widget.
PAGE_WIDGET_KEYS = ("f_visit", "f_measure", "f_log", "f_ytd")


def _keep_page_widgets() -> None:
    state = st.session_state
    for key in PAGE_WIDGET_KEYS:
        if key in state:  # set again: a widget with this key on another page then starts from it, not its default
            state[key] = state[key]
        elif f"_{key}" in state:
            state[key] = state[f"_{key}"]
        state[f"_{key}"] = state.get(key)


def current_view(ds: dataset.Dataset, choices: view.Choices) -> view.View:
    """The view in force: from the sidebar's filters (seeded from the link), with the share link beside them;
    for a chart shown alone (`chart=`, embedded in an article) from the link only, with no sidebar."""
    if st.query_params.get("chart"):
        alone = view_from_url(choices)
        if alone.chart:
            return alone
    current = sidebar_filters(choices, ds)  # a bad chart= is reported with the other parameters
    share_link(current, ds, choices)
    return current


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


def language_selector() -> None:
    """English, Tiếng Việt, 中文 (简体); labelled in all three, so a reader can find it in any language."""
    st.sidebar.selectbox(
        "Language · Ngôn ngữ · 语言", i18n.LANGUAGES, key=LANG_KEY, format_func=i18n.LANGUAGE_NAMES.get
    )


def view_from_url(choices: view.Choices) -> view.View:
    """The view named by the link alone, with no filter widgets: for a chart shown alone (embedded)."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    current = view.from_query(params, choices, default_lang=browser_lang())
    st.session_state["_notices"] = list(current.notices)
    st.session_state[LANG_KEY] = current.lang  # the embedded chart speaks the link's language
    return current


def sidebar_filters(choices: view.Choices, ds: dataset.Dataset | None = None) -> view.View:
    """The filters, seeded from the URL once; returns the view in force and writes it back to the URL."""
    _seed_from_url(choices)
    _keep_page_widgets()
    language_selector()
    t = tr()
    sb = st.sidebar
    sb.header(t("Filters"))
    url = st.session_state["_url_view"]  # defaults only: the browser's widget values win (see _seed_from_url)
    sb.slider(t("Years"), choices.first_year, choices.last_year, value=url.years(choices), key="f_years")
    whose = {"VN": t("Vietnam's"), "CN": t("China's"), "both": t("Both")}
    sb.radio(
        t("Trade figures"),
        view.REPORTER_MODES,
        index=view.REPORTER_MODES.index(url.reporter),
        key="f_reporter",
        horizontal=True,
        format_func=whose.get,
        help=t("Whose statistics the trade chart shows. The two countries' figures differ: see Mirror statistics."),
    )
    sb.subheader(t("Visits"))
    sb.multiselect(
        t("Direction"),
        view.DIRECTIONS,
        default=list(url.directions),
        key="f_dir",
        format_func=t.map(theme.DIRECTION_LABELS).get,
        placeholder=t("Both directions"),
    )
    sb.multiselect(
        t("Office"),
        view.OFFICES,
        default=list(url.offices),
        key="f_office",
        format_func=t.map(theme.OFFICE_LABELS).get,
        placeholder=t("All offices"),
    )
    names = visitor_names(choices, ds, t.lang)
    sb.multiselect(
        t("Visitor"),
        choices.visitors,
        default=list(url.visitors),
        key="f_visitor",
        format_func=names.get,
        placeholder=t("All visitors"),
    )
    sb.multiselect(
        t("Visit type"),
        view.VISIT_TYPES,
        default=list(url.visit_types),
        key="f_type",
        format_func=t.map(theme.VISIT_TYPE_LABELS).get,
        placeholder=t("All types"),
    )
    sb.text_input(
        t("Search visits"),
        value=url.query,
        key="f_q",
        max_chars=view.MAX_QUERY_LENGTH,
        placeholder=t("visitor, city, host, outcome…"),
        help=t(SEARCH_HELP),
    )
    sb.radio(
        t("Names as"),
        view.ROLES,
        index=view.ROLES.index(url.role),
        key="f_role",
        horizontal=True,
        format_func=t.map(ROLE_NAMES).get,
        help=t("For the Visitor filter and names in the search: the person made the visit, received it, or either."),
    )
    groups = {"office": t("Office"), "direction": t("Direction")}
    sb.radio(
        t("Group the timeline by"),
        view.GROUPINGS,
        index=view.GROUPINGS.index(url.group_by),
        key="f_group",
        horizontal=True,
        format_func=groups.get,
    )
    if sb.button(t("Reset all filters"), width="stretch"):
        for key in [k for k in st.session_state if k.startswith(("f_", "_f_"))]:
            del st.session_state[key]
        st.session_state["_seeded"] = False
        st.query_params.clear()
        st.rerun()

    years = tuple(st.session_state["f_years"])
    current = view.normalise(
        view.View(
            year_from=years[0],
            year_to=years[1],
            reporter=st.session_state["f_reporter"],
            directions=tuple(st.session_state["f_dir"]),
            offices=tuple(st.session_state["f_office"]),
            visit_types=tuple(st.session_state["f_type"]),
            visitors=tuple(st.session_state["f_visitor"]),
            query=" ".join(st.session_state["f_q"].split()),
            group_by=st.session_state["f_group"],
            visit=st.session_state.get("f_visit") or "",
            role=st.session_state.get("f_role") or "any",
            measure=st.session_state.get("f_measure") or "value",
            scale="log" if st.session_state.get("f_log") else "linear",
            ytd_reporter=(st.session_state.get("f_ytd") or "vn-total").split("-", 1)[0].upper(),
            ytd_flow=(st.session_state.get("f_ytd") or "vn-total").split("-", 1)[1],
            lang=st.session_state[LANG_KEY],
        ),
        choices,
    )
    query = view.to_query(current, default_lang=browser_lang())
    if {k: st.query_params.get(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)
    return current


def visitor_names(choices: view.Choices, ds: dataset.Dataset | None, lang: str) -> dict[str, str]:
    """Each visitor as the interface shows the name (in characters in the Chinese interface, where known); the
    link and the filter keep the name as the data spells it."""
    names = {v: v for v in choices.visitors}
    if ds is not None:
        names.update(zip(ds.visits["visitor"], figures.shown_names(ds.visits, lang), strict=True))
    return names


def base_url() -> str:
    """The address the reader sees (scheme, host and page path), without its query."""
    return st.context.url or "http://localhost:8501/"


def copy_box(text: str, label: str, *, rows: int = 1, key: str) -> None:
    """Text with a one-click Copy button: plain HTML and a few lines of script, no code-highlighter bundle.

    The text is escaped; the button copies with the Clipboard API and falls back to selecting the text.
    """
    t = tr()
    copy, copied = (html.escape(json.dumps(t(w))) for w in (i18n.N_("Copy"), i18n.N_("Copied")))  # JS in an attribute
    field = (
        f'<textarea readonly rows="{rows}" aria-label="{html.escape(label)}" id="{key}">{html.escape(text)}</textarea>'
        if rows > 1
        else f'<input readonly type="text" aria-label="{html.escape(label)}" id="{key}" value="{html.escape(text)}">'
    )
    st.html(
        f"""<div class="vncn-copy">{field}<button type="button" data-target="{key}"
 onclick="const f=document.getElementById(this.dataset.target);f.select();
 (navigator.clipboard?navigator.clipboard.writeText(f.value):Promise.reject()).catch(()=>document.execCommand('copy'));
 this.textContent={copied};setTimeout(()=>{{this.textContent={copy}}},1500);">{html.escape(t("Copy"))}</button></div>
<style>.vncn-copy{{display:flex;gap:.4rem;align-items:flex-start;width:100%}}
.vncn-copy input,.vncn-copy textarea{{flex:1;min-width:0;font:0.8rem ui-monospace,monospace;padding:.35rem .45rem;
 border:1px solid rgba(128,128,128,.45);border-radius:.4rem;background:transparent;color:inherit;resize:vertical}}
.vncn-copy button{{padding:.35rem .7rem;border:1px solid rgba(128,128,128,.45);border-radius:.4rem;
 background:transparent;color:inherit;cursor:pointer;font-size:.85rem}}
.vncn-copy button:hover{{border-color:#E69F00}}</style>""",
        unsafe_allow_javascript=True,
    )


def share_link(current: view.View, ds: dataset.Dataset, choices: view.Choices) -> None:
    """In the sidebar: a copyable link to exactly this view and page, and a citation of it."""
    url = view.share_url(base_url(), current)
    t = tr()
    with st.sidebar:
        st.subheader(t("Share this view"))
        copy_box(url, t("Link to this view"), key="share-url")
        st.caption(t("The link reopens this page with exactly these filters."))
        with st.popover(t("Cite this view"), icon=":material/format_quote:", width="stretch"):
            cite(url, ds, view.describe(current, choices, theme.LABELS), key="side")


def cite(url: str, ds: dataset.Dataset, view_line: str, *, key: str) -> None:
    """How to cite the view: plain text and BibTeX, naming the dataset version and today's access date."""
    t = tr()
    version = dataset_version(ds)
    accessed = dt.date.today()
    st.markdown("**" + t("Plain text") + "**")
    text = citation.citation_text(url, version, accessed, view_line, ds.coverage_end, t)
    copy_box(text, t("Citation"), rows=4, key=f"cite-{key}")
    st.markdown("**BibTeX**")
    copy_box(citation.bibtex(url, version, accessed, view_line, ds.coverage_end), "BibTeX", rows=9, key=f"bib-{key}")
    st.caption(t("Dataset version {version}: the date of the data's last change.", version=version.isoformat()))


def data_as_of(ds: dataset.Dataset) -> None:
    """How current the data is: the latest date the sources support, and the date of the last data change."""
    t = tr()
    st.caption(
        t(
            "Data to {month}; last updated {date}.",
            month=fmt.month(ds.coverage_end, t.locale),
            date=fmt.day(ds.last_updated, t.locale),
        )
    )


def dataset_version(ds: dataset.Dataset) -> dt.date:
    """The date of the data's last change, as the dataset declares it."""
    return ds.last_updated


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


# ---------------------------------------------------------------- main page


def page_title(title: str) -> None:
    """The page's heading, in the reader's language (`title` is the English text, marked with N_)."""
    st.title(tr()(title))


def header(ds: dataset.Dataset, current: view.View, panels: Mapping[str, Panel]) -> None:
    t = i18n.translator(current.lang)
    st.title(t(TITLE))
    st.markdown(
        t(
            "How large and how lopsided trade between the two neighbours is, how it moved around the "
            "leaders' visits, and where every number comes from."
        )
    )
    locale = i18n.LOCALES.get(current.lang, "en")
    head = filtering.headline(ds, current, locale=locale)
    cards = (head.total, head.balance, head.partial, filtering.visits_card(len(panels["timeline"].table), locale))
    for column, card in zip(st.columns(4), cards, strict=True):
        metric_card(column, card)


def metric_card(column, card: filtering.Card) -> None:
    """One headline card: its value, or a dash and the one-line reason there is none; never an empty slot."""
    with column.container(border=True):
        st.metric(
            card.label,
            card.value or "—",
            card.delta,
            delta_color=card.delta_color,
            delta_arrow="off" if card.delta_color == "off" else "auto",
            help=card.help or None,
        )
        if card.note:
            st.caption(card.note)


def _png_button(panel: Panel, column) -> None:
    t = tr()
    if export.browser_path() is None:
        column.button(t("Download PNG"), key=f"png_{panel.name}", disabled=True, help=t(export.INSTALL_HINT))
        return
    column.download_button(
        t("Download PNG"),
        data=lambda: export.image_bytes(panel, "png"),
        file_name=f"{export.file_stem(panel)}.png",
        mime="image/png",
        key=f"png_{panel.name}",
        on_click="ignore",
        icon=":material/image:",
        help=t("A 2× print-quality image with the title, the filter and the sources drawn in."),
    )


def chart(panel: Panel, current: view.View, *, table: bool = True, pick_rows: bool = False, **select) -> object:
    """One panel: the chart (or why it is empty), its downloads and embed snippet, and its data as a table.

    `table=False` leaves the table out (the overview shows no data grid, so a first visit does not load it).
    """
    t = tr()
    chart_title(panel.title)
    if panel.empty:
        st.info(panel.empty, icon="ℹ️")
        return None
    event = st.plotly_chart(
        panel.figure, config=_chart_config(panel), alt=panel.alt, key=f"chart_{panel.name}", **select
    )
    if panel.note:  # which series end early and why: the same line the exported image carries
        st.caption(panel.note)
    buttons = st.container(horizontal=True)  # side by side at their natural width, wrapping in narrow columns
    _png_button(panel, buttons)
    buttons.download_button(
        t("Download CSV"),
        data=lambda: export.csv_bytes(tables.readable(panel.table, keep_lines=True, t=t)),  # labels, as on the page
        file_name=f"{export.file_stem(panel)}.csv",
        mime="text/csv",
        key=f"csv_{panel.name}",
        on_click="ignore",
        icon=":material/table:",
    )
    with buttons.popover(t("Embed"), icon=":material/code:"):
        embed_url = view.share_url(base_url(), replace(current, chart=panel.name), page="", embed="true")
        st.markdown(t("Paste this into an article's HTML to show this chart, with these filters:"))
        height = int(panel.figure.layout.height or 450) + citation.EMBED_EXTRA  # title, filter and source lines
        snippet = citation.embed_snippet(embed_url, panel.title, height)
        copy_box(snippet, t("Embed code"), rows=4, key=f"embed-{panel.name}")
        st.caption(t("The chart keeps its title, filter and source lines, and links back to the full view."))
    if table:
        with st.expander(t("Data as a table: choose a row to see its sources") if pick_rows else t("Data as a table")):
            st.dataframe(
                panel.table,
                hide_index=True,
                column_config=_column_config(panel.table),
                key=f"table_{panel.name}",
                on_select="rerun" if pick_rows else "ignore",
                selection_mode="single-row",
            )
    return event


def chart_title(title: str) -> None:
    """A chart's title as text above it: it wraps on a phone, and the browser's find sees it."""
    shown = title.replace("$", r"\$")  # a lone "US$" must not open LaTeX in markdown
    st.markdown(f"**{shown}**")


def _chart_config(panel: Panel) -> dict:
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": export.file_stem(panel), "scale": 2},
    }


def chart_alone(panel: Panel, current: view.View, choices: view.Choices) -> None:
    """One chart and nothing else, for an article's iframe: title, chart, filter and source line, full view."""
    st.html(EMBED_CSS)
    chart_title(panel.title)
    if panel.empty:
        st.info(panel.empty, icon="ℹ️")
    else:
        st.plotly_chart(panel.figure, config=_chart_config(panel), alt=panel.alt, key=f"chart_{panel.name}")
    full = view.share_url(base_url(), replace(current, chart=""), page="")
    note = f"{panel.note}  \n" if panel.note else ""
    link = tr()(OPEN_FULL_VIEW)
    st.caption(f"{note}{panel.source_line}  \n[{link}]({full})")


EMBED_CSS = "<style>[data-testid='stMainBlockContainer'] { padding-top: 1rem; padding-bottom: 0.5rem; }</style>"


def navigation(pages: Sequence[tuple[Callable[[], None], str, str, str]], *, hidden: bool = False):
    """The pages as (function, title, url path, icon); the overview first, at "/". Returns the page to run."""
    return st.navigation(
        [
            st.Page(render, title=tr()(title), url_path=path or None, icon=icon, default=not path)
            for render, title, path, icon in pages
        ],
        position="hidden" if hidden else "top",
    )


def _column_config(table: pd.DataFrame) -> dict:
    """Every column's header in the reader's language, with links, dates and US$ figures typed."""
    t = tr()
    label = {c: t(tables.HEADERS.get(c, c)) for c in table.columns}
    config = {
        "source_url": st.column_config.LinkColumn(label.get("source_url"), display_text=t("open")),
        "url": st.column_config.LinkColumn("URL"),
        "start_date": st.column_config.DateColumn(label.get("start_date"), format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn(label.get("end_date"), format="YYYY-MM-DD"),
        "source_urls": st.column_config.ListColumn(label.get("source_urls")),
        # tables keep each value as its source states it (66.72759, 0.9291); prose rounds (formatting.money)
        "US$ bn": st.column_config.NumberColumn(t("US$ bn (as stated)")),
        "value_usd_bn": st.column_config.NumberColumn(t("US$ bn (as stated)")),
    }
    return {**label, **{k: v for k, v in config.items() if k in table.columns}}


def intro() -> None:
    """What the overview shows, in three lines, for a reader arriving from a shared link."""
    t = tr()
    st.markdown(
        t(
            "**What this shows.** The two-way merchandise trade between Vietnam and China as each side's customs "
            "report it, and the high-level visits between the two countries since 2000, on one time axis. Hover any "
            "point for its source; click a visit for its details. The **Trade** page has the partial-year figures "
            "and each side's statistics side by side, **Visits** every visit in a table, and **Data** every source "
            "and how to cite this view."
        )
    )


def trade_section(
    panels: Mapping[str, Panel],
    current: view.View,
    *,
    table: bool = True,
    controls: bool = True,
    ds: dataset.Dataset | None = None,
) -> None:
    """The trade chart; the overview leaves out its table and its measure controls (they are on /trade)."""
    t = tr()
    st.header(t("Trade over time"))
    if controls:
        measure_controls()
    chart(
        panels["trade"],
        current,
        table=table,
        pick_rows=ds is not None,
        on_select=_select_from_trade_chart,
        selection_mode="points",
    )
    if ds is not None:
        picked_near_trade_chart(ds, panels)
    st.caption(  # under the chart: on a phone the chart itself comes first
        t(
            "Lines join full calendar years only. Open markers are preliminary or estimated; grey crosses are "
            "other sources' versions of the same figure (hover for the source). Diamonds below are the visits "
            "in the filter. Totals and balances marked 'computed here' are sums or differences of the two "
            "stated flows."
        )
    )
    if current.measure != "value":
        st.caption(
            t(
                "Growth and index are computed here from the preferred annual figures of each reporter: a change "
                "only between two adjacent years that both have a figure, an index from each series' first year in "
                "the range. Other sources' versions and the balance are not drawn on this axis."
            )
        )


MEASURE_NAMES = {
    "value": i18n.N_("US$ billion"),
    "growth": i18n.N_("Growth, % a year"),
    "index": i18n.N_("Index, first year = 100"),
}


def measure_controls() -> None:
    """The trade chart's measure and scale, next to it (in the link as `measure=` and `scale=`)."""
    t = tr()
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.radio(
        t("Show"),
        view.MEASURES,
        key="f_measure",
        horizontal=True,
        format_func=t.map(MEASURE_NAMES).get,
        help=t(
            "Growth: the change on the previous year, only between adjacent years that both have a figure. "
            "Index: each series against its first year in the range. Both are computed here from the figures shown."
        ),
    )
    row.toggle(
        t("Log scale"),
        key="f_log",
        disabled=st.session_state.get("f_measure", "value") != "value",
        help=t("For US$ values only: equal steps are equal growth rates. The balance, a deficit, is left out."),
    )


YTD_CHOICES = [f"{r}-{f}" for r in ("vn", "cn") for f in view.YTD_FLOWS]


def ytd_section(panels: Mapping[str, Panel], current: view.View) -> None:
    t = tr()
    st.subheader(t("Year to date: the same months of each year"))
    st.caption(
        t(
            "Each point is a figure a source states for January to that month; one line per year, so January–June "
            "of one year sits above January–June of the others. Lines only join stated figures: no month is "
            "filled in. Changes on the same months of the previous year are computed here where the data has both. "
            "Single months and other spans are listed in the table, not drawn."
        )
    )
    st.selectbox(
        t("Figures"),
        YTD_CHOICES,
        key="f_ytd",
        format_func=lambda c: (
            f"{t(theme.FLOW_LABELS[c.split('-', 1)[1]])} — {t(theme.REPORTER_LABELS[c.split('-', 1)[0].upper()])}"
        ),
    )
    chart(panels["ytd"], current)


def visit_trade_block(panels: Mapping[str, Panel], current: view.View, ds: dataset.Dataset, *, table: bool) -> None:
    """Trade around the chosen visit: the annual figures with sources, a small chart, the nearest year-to-date
    figures and the other visits within twelve months, under a one-line caveat. Without `table` (the overview,
    which loads no data grid) the chart only, with its sources on hover."""
    t = tr()
    panel = panels["visit_trade"]
    st.markdown("##### " + t("Trade around this visit"))
    st.caption(t(analysis.CAVEAT))
    chart(panel, current, table=False)
    if not table:
        st.caption(
            t(
                "Hover a bar for its source. The figures as a table, with the nearest year-to-date figures "
                "and the other visits of the same months, are on the Visits page."
            )
        )
        return
    st.dataframe(panel.table, hide_index=True, column_config=_column_config(panel.table))
    found = figures.around(ds, current.visit)
    if len(found.ytd):
        st.markdown("**" + t("Nearest year-to-date figures before and after the visit") + "**")
        nearest = figures.around_ytd_table(found.ytd, t)
        st.dataframe(nearest, hide_index=True, column_config=_column_config(nearest))
    else:
        st.caption(t("No year-to-date figures in data/ around this visit."))
    others = found.others
    if len(others):
        st.markdown("**" + t("Other visits within twelve months") + f"** ({len(others)})")
        shown = others.assign(
            direction=others["direction"].map(t.map(theme.DIRECTION_LABELS)),
            visitor=figures.shown_names(others, t.lang),
            visitor_title=[t(v) for v in others["visitor_title"]],
        )[["start_date", "days_from_visit", "visitor", "visitor_title", "direction", "source_labels"]]
        st.dataframe(shown, hide_index=True, column_config=_column_config(shown))


def mirror_section(panels: Mapping[str, Panel], current: view.View) -> None:
    t = tr()
    st.header(t("Mirror statistics: the same trade, counted twice"))
    st.markdown(
        t(
            "China's customs usually record more trade with Vietnam than Vietnam's customs do. Reasons include: "
            "imports are valued with freight and insurance (CIF) but exports without (FOB); goods may be counted by "
            "country of origin on one side and by consignment on the other, so trade routed through Hong Kong or "
            "third countries lands differently; informal and small-scale border trade is recorded unevenly; and "
            "goods in transit at the year's end fall into different years. Neither side's figure is 'wrong'."
        )
    )
    chart(panels["mirror"], current)


SEARCH_HELP = i18n.N_(
    "Whole words, accents optional ('Trong' finds 'Trọng'); a word also finds longer words it begins and simple "
    "plurals ('railway' finds 'rail links', 'rail' finds 'railways'). Several words must all be found (AND); "
    "write OR in capitals between words for either ('railway OR port'). Searches visitor, title, cities, host "
    "and outcomes; the visits table says where each visit matched."
)
OPEN_FULL_VIEW = i18n.N_("Open the full interactive view ↗")
OTHER_INDICATORS = i18n.N_("Other indicators")
ENGLISH_NOTE = i18n.N_("Outcomes and notes are curated in English and shown as the sources state them.")
ROLE_NAMES = {"any": i18n.N_("Either"), "visited": i18n.N_("Visitor"), "hosted": i18n.N_("Host")}
TRADE_POINT_KEY = "trade_point"  # the annual figure whose sources are open (from a click or a table row)
FROM_TRADE_KEY = "_visit_from_trade"  # a visit chosen on the trade chart: its details open beside it


def _match_label(match: object, t: i18n.Translator) -> object:
    """'Outcomes: …railway…' with the field's name translated (the matched text is the data's own)."""
    if not isinstance(match, str):
        return match
    field, sep, text = match.partition(": ")
    name = t.p("visitor", "Title") if field == "Title" else t(field)  # the visitor's title, not a document's
    return f"{name}{sep}{text}" if sep else match


def _grid_dates(t: i18n.Translator) -> str:
    """A date format for the data grid (moment.js, whose month names are English): '25 Dec 2000' in English,
    the locale's numeric short date elsewhere, from Babel ('25/12/2000', '2000/12/25')."""
    if t.lang == i18n.SOURCE:
        return "D MMM YYYY"
    pattern = get_date_format("short", locale=t.locale).pattern
    return re.sub(r"d+", lambda m: "D" * len(m.group()), re.sub(r"y+", "YYYY", pattern))


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


def _select_from_trade_chart() -> None:
    """A click on the trade chart: a visit's diamond selects the visit; a trade point opens its sources."""
    state = st.session_state.get("chart_trade")
    for point in state.selection.points if state else []:
        data = point.get("customdata") or []
        if len(data) >= 5 and "|" in str(data[4]):
            st.session_state[TRADE_POINT_KEY] = str(data[4])
            return
        if len(data) == 1 and data[0]:
            st.session_state["f_visit"] = data[0]
            st.session_state[FROM_TRADE_KEY] = data[0]
            return


def _point_from_table(panel: Panel) -> str | None:
    """The annual figure of the row chosen in the trade chart's table, as a point key."""
    state = st.session_state.get(f"table_{panel.name}")
    rows = state.selection.rows if state else []
    if not rows or "reporter" not in panel.table or rows[0] >= len(panel.table):
        return None
    row = panel.table.iloc[rows[0]]
    reporter = {v: k for k, v in theme.REPORTER_LABELS.items()}.get(row["reporter"])
    flow = {v: k for k, v in theme.FLOW_LABELS.items()}.get(row["flow"])
    return f"{reporter}|{int(row['year'])}|{flow}" if reporter and flow else None


def picked_near_trade_chart(ds: dataset.Dataset, panels: Mapping[str, Panel]) -> None:
    """Right under the trade chart: the sources of the figure clicked or chosen in its table, or the visit
    whose diamond was clicked."""
    key = _point_from_table(panels["trade"]) or st.session_state.get(TRADE_POINT_KEY)
    if key:
        figure_sources(ds, key)
    visit_id = st.session_state.get(FROM_TRADE_KEY)
    if visit_id and visit_id == st.session_state.get("f_visit") and visit_id in set(ds.visits["visit_id"]):
        visit = ds.visits.set_index("visit_id").loc[visit_id]
        visit_details(ds, visit, visit_id)


def figure_sources(ds: dataset.Dataset, key: str) -> None:
    """A small panel: every version of one figure with its source, as live links."""
    t = tr()
    rows, how = filtering.figure_versions(ds, key)
    reporter, year, flow = key.split("|")
    with st.container(border=True):
        head, close = st.columns([6, 1], vertical_alignment="center")
        flow_name, who = t(theme.FLOW_LABELS.get(flow, flow)), t(theme.REPORTER_LABELS.get(reporter, reporter))
        what_figure = f"{year} · {flow_name} · {who}"
        heading = t("Where this figure comes from: {figure}", figure=what_figure)
        head.markdown(f"**{_md(heading)}**")
        if close.button(t("Close"), key="close_trade_point"):
            st.session_state.pop(TRADE_POINT_KEY, None)
            st.rerun()
        if how:
            st.caption(t("Not stated by any source: {how}. The versions of the two flows:", how=how))
        lines = []
        for r in rows.itertuples():
            flag = t("preferred") if r.preferred else t("another version")
            status = "" if r.status == "final" else f", {t(tables.STATUS_LABELS.get(r.status, r.status))}"
            what = f"{t(theme.FLOW_SHORT[r.flow])}: " if how else ""
            note = f" — {_md(r.note)}" if isinstance(r.note, str) and r.note else ""
            lines.append(
                f"- {what}**{_md(fmt.money(r.value_usd_bn, r.qualifier, locale=t.locale))}** ({flag}{status}) — "
                f"[{_md(r.source_title or r.source_label)}]({r.source_url}), {_md(r.source_publisher)}, "
                f"{_md(fmt.published(r.source_published, t.locale))}{note}"
            )
        st.markdown("\n".join(lines) if lines else t("No source in data/ states this figure."))


def _select_visit_from_chart() -> None:
    """A click on a timeline marker selects that visit (callback: runs before the page is drawn)."""
    state = st.session_state.get("chart_timeline")
    points = state.selection.points if state else []
    ids = [p.get("customdata", [None])[0] for p in points if p.get("customdata")]
    if ids:
        st.session_state["f_visit"] = ids[0]


def timeline_section(
    ds: dataset.Dataset, panels: Mapping[str, Panel], current: view.View, *, table: bool = True
) -> None:
    t = tr()
    st.header(t("High-level visits"))
    panel = panels["timeline"]
    chart(panel, current, table=table, on_select=_select_visit_from_chart, selection_mode="points")
    visits = panel.table
    if visits.empty:
        return
    options = list(visits.sort_values("start_date", ascending=False)["visit_id"])
    if st.session_state.get("f_visit") not in options:
        st.session_state["f_visit"] = None
    labels = dict(
        zip(
            visits["visit_id"],
            visits["start_date"].dt.strftime("%Y-%m-%d")
            + " · "
            + visits["visitor"]
            + " · "
            + visits["direction"].map(t.map(theme.DIRECTION_LABELS)),
            strict=True,
        )
    )
    chosen = st.selectbox(
        t("Visit details (or click a diamond in the chart)"),
        options,
        key="f_visit",
        format_func=labels.get,
        placeholder=t("Choose a visit…"),
        index=None,
    )
    if chosen:
        visit_details(ds, visits.set_index("visit_id").loc[chosen], chosen)
        if chosen == current.visit:
            visit_trade_block(panels, current, ds, table=table)


def visit_details(ds: dataset.Dataset, visit: pd.Series, visit_id: str) -> None:
    t = tr()
    with st.container(border=True):
        # data text is escaped: 'US$5 bn … US$10 bn' must not turn into LaTeX, nor brackets into links
        st.markdown(f"#### {_md(visit['visitor'])} — {t(theme.DIRECTION_LABELS[visit['direction']])}")
        st.markdown(
            f"**{fmt.day(visit['start_date'], t.locale)} – {fmt.day(visit['end_date'], t.locale)}** · "
            f"{_marked(t(visit['visitor_title']))} · "
            f"{theme.visit_type_label(visit['visit_type'], visit['bilateral_part'], t)} · {_marked(visit['cities'])}"
        )
        if visit["host"]:
            st.markdown("**" + t("Received by:") + f"** {_marked(visit['host'])}")
        if visit["outcomes"]:
            st.markdown("**" + t("Outcomes:") + f"** {_marked(visit['outcomes'])}")
        if visit["note"]:
            st.caption(t("Note:") + f" {_md(visit['note'])}")
        if t.lang != i18n.SOURCE and (visit["host"] or visit["outcomes"] or visit["note"]):
            st.caption(t(ENGLISH_NOTE))
        versions = ds.visit_date_versions[ds.visit_date_versions["visit_id"] == visit_id]
        if len(versions) > 1:
            preferred = t("(preferred)")
            st.warning(
                t("Sources disagree on this visit's dates; the preferred version is shown above:")
                + "\n\n"
                + "\n".join(
                    f"- {fmt.day(v.start_date, t.locale)} – {fmt.day(v.end_date, t.locale)}"
                    f"{' ' + preferred if v.preferred else ''}: [{_md(v.source_label)}]({v.source_url}) — {_md(v.note)}"
                    for v in versions.itertuples()
                )
            )
        cited = ds.sources.set_index("source_id").loc[visit["source_ids"].split(";")]
        st.markdown(
            "**" + t("Sources:") + "**\n"
            + "\n".join(
                f"- [{_md(s.title)}]({s.url}) — {_md(s.publisher)}, {fmt.published(s.published, t.locale)}"
                for s in cited.itertuples()
            )
        )


VISITS_READING_ORDER = [  # what a reader needs first: when, who, which way, what kind; the rest to the right
    "start_date",
    "end_date",
    "visitor",
    "match",
    "direction",
    "visit_type",
    "outcomes",
    "source_url",
    "source_labels",
    "visitor_title",
    "office",
    "cities",
    "host",
    "note",
]


def visits_table(ds: dataset.Dataset, panels: Mapping[str, Panel]) -> None:
    """Every visit in the filter; a row click opens its details (dates, hosts, outcomes in full, sources)."""
    t = tr()
    st.header(t("All visits in the filter"))
    table = panels["timeline"].table
    shown = readable_visits(table, t).reset_index(drop=True)
    if "match" in shown and t.lang != i18n.SOURCE:  # 'Outcomes: …railway…': the field's name in the language
        shown["match"] = [_match_label(m, t) for m in shown["match"]]
    st.caption(
        t("Click a row (its box at the left) for the visit's details with its outcomes in full and every source.")
        + (" " + t("'Found in' shows where the search matched.") if "match" in shown else "")
        + (" " + t(ENGLISH_NOTE) if t.lang != i18n.SOURCE else "")
    )
    event = st.dataframe(
        shown,
        hide_index=True,
        column_order=[c for c in VISITS_READING_ORDER if c in shown],
        column_config={
            **_column_config(table.assign(source_url="")),
            "start_date": st.column_config.DateColumn(t("From"), format=_grid_dates(t)),
            "end_date": st.column_config.DateColumn(t("To"), format=_grid_dates(t)),
            "visitor": st.column_config.TextColumn(t("Visitor"), width="medium"),
            "visitor_title": st.column_config.TextColumn(t("Title at the time"), width="large"),
            "direction": st.column_config.TextColumn(t("Direction"), width="medium"),
            "office": st.column_config.TextColumn(t("Office"), width="medium"),
            "cities": t("Cities"),
            "host": st.column_config.TextColumn(t("Received by"), width="large"),
            "outcomes": st.column_config.TextColumn(t("Outcomes"), width="large", help=t("In full: click the row.")),
            "match": st.column_config.TextColumn(t("Found in"), width="large"),
            "note": st.column_config.TextColumn(t("Note"), width="large"),
            "visit_type": st.column_config.TextColumn(t("Type"), width="large"),
            "source_labels": st.column_config.TextColumn(t("Sources"), width="large"),
            "source_url": st.column_config.LinkColumn(t("Main source"), display_text=t("open ↗")),
        },
        key="visits_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event else []
    if rows and rows[0] < len(shown):
        visit_id = shown.iloc[rows[0]]["visit_id"]
        visit_details(ds, table.set_index("visit_id").loc[visit_id], visit_id)
    st.download_button(
        t("Download the visits in the filter (CSV)"),
        data=lambda: export.csv_bytes(tables.readable(table, t=t)),
        file_name="vn-cn-visits.csv",
        mime="text/csv",
        on_click="ignore",
        key="csv_visits_all",
        help=t("The same labels as the table; the codes are in the repository's data/ folder."),
    )


def indicators_section(panels: Mapping[str, Panel], current: view.View) -> None:
    st.header(tr()(OTHER_INDICATORS))
    left, right = st.columns(2)
    with left:
        chart(panels["fdi"], current)
    with right:
        chart(panels["tourists"], current)


def sources_section(ds: dataset.Dataset) -> None:
    """Every source as text with a live link, filtered by a visible search box: the browser's find sees it."""
    t = tr()
    st.header(t("Sources"))
    st.markdown(
        t(
            "Every figure and date in this dashboard comes from one of the **{n} public sources** below. Where "
            "sources disagree, each version is kept with its source and one is marked preferred (the curation "
            "rules are below). The dataset is in the repository's `data/` folder as CSV with a Frictionless Data "
            "Package descriptor.",
            n=len(ds.sources),
        )
    )
    query = st.text_input(
        t("Search the sources"),
        key="sources_q",
        max_chars=view.MAX_QUERY_LENGTH,
        placeholder=t("title, publisher, year, site…"),
        help=t("Every word must be found; accents optional. Your browser's find (Ctrl+F) also works on this list."),
    )
    found = tables.search_sources(ds.sources, query)
    st.caption(
        t("{found} of {n} sources", found=len(found), n=len(ds.sources))
        if query.strip()
        else t.n("{n} source", "{n} sources", len(found))
    )
    if t.lang != i18n.SOURCE:
        st.caption(t("Source titles and notes are given as the sources and the curators wrote them."))
    lines = [
        f"- [{_md(s.title)}]({s.url}) — {_md(s.publisher)}, {_md(fmt.published(s.published, t.locale))}"
        + (f". {_md(s.note)}" if s.note else "")
        + f" · `{s.source_id}`"
        for s in found.itertuples()
    ]
    with st.container(height=480 if len(lines) > 12 else "content"):
        st.markdown("\n".join(lines) if lines else t("No source matches these words."))


def dataset_downloads(ds: dataset.Dataset) -> None:
    """The whole dataset, every version of every figure, in the page's vocabulary (labels, public notes)."""
    t = tr()
    st.header(t("Download the dataset"))
    st.markdown(
        t(
            "Every table of the dataset, with every source's version of each figure (the page draws the preferred "
            "one). UTF-8 CSV with the labels used on this page; the codes and the curators' working notes are in "
            "the repository's `data/` folder, described in `data/datapackage.json`."
        )
    )
    row = st.container(horizontal=True)
    for name, table in tables.downloads(ds, t).items():
        row.download_button(
            t.n("{name} ({n} row)", "{name} ({n} rows)", len(table), name=name),
            data=lambda table=table: export.csv_bytes(table),
            file_name=f"vn-cn-{name}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"csv_all_{name}",
            icon=":material/download:",
        )


def curation_notes(ds: dataset.Dataset) -> None:
    t = tr()
    st.header(t("How the data was curated"))
    with st.expander(t("Curation notes: preferred sources, conflicts, errors found in the seed articles, gaps")):
        if t.lang != i18n.SOURCE:
            st.caption(t("The curation notes are written in English."))
        st.markdown(ds.notes)


def cite_section(current: view.View, ds: dataset.Dataset, choices: view.Choices) -> None:
    t = tr()
    st.header(t("How to cite"))
    st.markdown(
        t(
            "Cite the view you used: its link reopens exactly the same filters. The dataset version is the date "
            "of the data's last change."
        )
    )
    url = view.share_url(base_url(), current, page="")
    cite(url, ds, view.describe(current, choices, theme.LABELS), key="data")
