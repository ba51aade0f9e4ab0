"""The page: the only module that calls st.*. Each function draws one part of the page from prepared data.

Per-user state lives in st.session_state (widget keys `f_*`) and in the URL; nothing here is module-level state.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from components import dataset, export, filtering, theme, view
from components.figures import VISITS_TABLE_ORDER, Panel, readable_visits

TITLE = "Vietnam–China relations: trade and high-level visits"
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"  # another dataset folder, for benchmarks and tests


def page_config() -> None:
    st.set_page_config(
        page_title="Vietnam–China relations dashboard", page_icon="🤝", layout="wide", initial_sidebar_state="expanded"
    )


@st.cache_resource(show_spinner="Loading and checking the dataset…", max_entries=4)
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
    try:
        ds = _load(str(data_dir), stamp)
    except dataset.DatasetError as exc:
        st.error("The dataset failed validation, so the dashboard cannot be drawn. Problems found:")
        st.code(exc.report(), language=None)
        st.stop()
    return ds, view.Choices.from_dataset(ds)


# ---------------------------------------------------------------- sidebar: the view state


def _seed_from_url(choices: view.Choices) -> None:
    """On a session's first run, put the URL's view into the widgets; later runs leave the user's choices be."""
    if st.session_state.get("_seeded"):
        return
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    seeded = view.from_query(params, choices)
    st.session_state.update(
        f_years=seeded.years(choices),
        f_reporter=seeded.reporter,
        f_dir=list(seeded.directions),
        f_office=list(seeded.offices),
        f_type=list(seeded.visit_types),
        f_visitor=list(seeded.visitors),
        f_q=seeded.query,
        f_group=seeded.group_by,
        f_visit=seeded.visit or None,
        _notices=list(seeded.notices),
        _seeded=True,
    )


def sidebar_filters(choices: view.Choices) -> view.View:
    """The filters, seeded from the URL once; returns the view in force and writes it back to the URL."""
    _seed_from_url(choices)
    sb = st.sidebar
    sb.header("Filters")
    sb.slider("Years", choices.first_year, choices.last_year, key="f_years")
    sb.radio(
        "Trade figures",
        view.REPORTER_MODES,
        key="f_reporter",
        horizontal=True,
        format_func={"VN": "Vietnam's", "CN": "China's", "both": "Both"}.get,
        help="Whose statistics the trade chart shows. The two countries' figures differ: see Mirror statistics.",
    )
    sb.subheader("Visits")
    sb.multiselect(
        "Direction", view.DIRECTIONS, key="f_dir", format_func=theme.DIRECTION_LABELS.get, placeholder="Both directions"
    )
    sb.multiselect(
        "Office", view.OFFICES, key="f_office", format_func=theme.OFFICE_LABELS.get, placeholder="All offices"
    )
    sb.multiselect("Visitor", choices.visitors, key="f_visitor", placeholder="All visitors")
    sb.multiselect(
        "Visit type", view.VISIT_TYPES, key="f_type", format_func=theme.VISIT_TYPE_LABELS.get, placeholder="All types"
    )
    sb.text_input(
        "Search visits",
        key="f_q",
        max_chars=view.MAX_QUERY_LENGTH,
        placeholder="visitor, city, host, outcome…",
        help="Accents optional: 'Trong' finds 'Trọng'.",
    )
    sb.radio("Group the timeline by", view.GROUPINGS, key="f_group", horizontal=True, format_func=str.capitalize)
    if sb.button("Reset all filters", width="stretch"):
        for key in [k for k in st.session_state if k.startswith("f_")]:
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
        ),
        choices,
    )
    query = view.to_query(current)
    if {k: st.query_params.get(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)
    return current


def share_link(current: view.View) -> None:
    """A visible, copyable link to exactly this view, built in Python from the view state."""
    base = st.context.url or "http://localhost:8501/"
    url = view.share_url(base, current)
    with st.sidebar:
        st.subheader("Share this view")
        st.code(url, language=None, wrap_lines=True)
        st.caption("Copy the link (icon at the right of the box): it reopens this exact view.")


def url_notices() -> None:
    """What was wrong with the opening link; plain text only, never the raw values."""
    notices = st.session_state.get("_notices") or []
    if notices:
        st.warning(
            "Some parts of the link were ignored and their defaults used:\n\n"
            + "\n".join(f"- {html.escape(n)}" for n in notices),
            icon="⚠️",
        )


# ---------------------------------------------------------------- main page


def header(ds: dataset.Dataset, current: view.View, panels: dict[str, Panel]) -> None:
    st.title(TITLE)
    st.markdown(
        "How large and how lopsided trade between the two neighbours is, how it moved around the "
        "leaders' visits, and where every number comes from."
    )
    head = filtering.headline(ds, current)
    who = theme.REPORTER_LABELS[head.reporter]
    cols = st.columns(4)
    if head.total is not None:
        change = f"{head.total_change_pct:+.1f}% on {head.year - 1}" if head.total_change_pct is not None else None
        flag = {"preliminary": " (prelim.)", "estimate": " (est.)"}.get(head.total_status, "")
        cols[0].metric(
            f"Two-way trade {head.year}{flag}",
            f"US${head.total:,.1f} bn",
            change,
            border=True,
            help=f"{who} figure. {head.total_note}",
        )
    if head.balance is not None:
        deficit = -head.balance
        delta = None
        if head.balance_prev is not None:
            delta = f"{deficit + head.balance_prev:+,.1f} bn on {head.year - 1}"
        cols[1].metric(
            f"Deficit with China {head.year}{flag}",
            f"US${deficit:,.1f} bn",
            delta,
            delta_color="inverse",
            border=True,
            help=f"Vietnam's deficit: {who} imports from China minus exports to China, computed here "
            "from the two stated flows.",
        )
    if head.partial_value is not None:
        status = "" if head.partial_status == "final" else f", {head.partial_status}"
        cols[2].metric(
            f"Latest partial year: {head.partial_period}",
            f"US${head.partial_value:,.1f} bn",
            f"{theme.FLOW_SHORT[head.partial_flow]}, partial{status}",
            delta_color="off",
            delta_arrow="off",
            border=True,
            help=f"Covers only the months named; not comparable with a full year. Source: {head.partial_source}",
        )
    n = len(panels["timeline"].table)
    cols[3].metric(
        "Visits in the current filter",
        f"{n}",
        border=True,
        help="High-level visits between the two countries that match the filters in the sidebar.",
    )


def _png_button(panel: Panel, column) -> None:
    if export.browser_path() is None:
        column.button("Download PNG", key=f"png_{panel.name}", disabled=True, help=export.INSTALL_HINT)
        return
    column.download_button(
        "Download PNG",
        data=lambda: export.image_bytes(panel, "png"),
        file_name=f"{export.file_stem(panel)}.png",
        mime="image/png",
        key=f"png_{panel.name}",
        on_click="ignore",
        icon=":material/image:",
        help="A 2× print-quality image with the title, the filter and the sources drawn in.",
    )


def chart(panel: Panel, **select) -> object:
    """One panel: the chart (or why it is empty), its downloads, and its data as a table."""
    if panel.empty:
        st.info(panel.empty, icon="ℹ️")
        return None
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": export.file_stem(panel), "scale": 2},
    }
    event = st.plotly_chart(panel.figure, config=config, alt=panel.alt, key=f"chart_{panel.name}", **select)
    buttons = st.container(horizontal=True)  # side by side at their natural width, wrapping in narrow columns
    _png_button(panel, buttons)
    buttons.download_button(
        "Download CSV",
        data=lambda: export.csv_bytes(panel.table),
        file_name=f"{export.file_stem(panel)}.csv",
        mime="text/csv",
        key=f"csv_{panel.name}",
        on_click="ignore",
        icon=":material/table:",
    )
    with st.expander("Data as a table"):
        st.dataframe(panel.table, hide_index=True, column_config=_column_config(panel.table))
    return event


def _column_config(table: pd.DataFrame) -> dict:
    config = {
        "source_url": st.column_config.LinkColumn("Source link", display_text="open"),
        "url": st.column_config.LinkColumn("URL"),
        "start_date": st.column_config.DateColumn("From", format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn("To", format="YYYY-MM-DD"),
        "source_urls": st.column_config.ListColumn("Source links"),
        "US$ bn": st.column_config.NumberColumn(format="%.2f"),
        "value_usd_bn": st.column_config.NumberColumn("US$ bn", format="%.2f"),
    }
    return {k: v for k, v in config.items() if k in table.columns}


def trade_section(panels: dict[str, Panel]) -> None:
    st.header("Trade over time")
    st.caption(
        "Lines join full calendar years only. Open markers are preliminary or estimated; grey crosses are "
        "other sources' versions of the same figure (hover for the source). Diamonds below are the visits "
        "in the filter. Totals and balances marked 'computed here' are sums or differences of the two "
        "stated flows."
    )
    chart(panels["trade"])
    st.subheader("Partial-year figures")
    chart(panels["partial"])


def mirror_section(panels: dict[str, Panel]) -> None:
    st.header("Mirror statistics: the same trade, counted twice")
    st.markdown(
        "China's customs usually record more trade with Vietnam than Vietnam's customs do. Reasons include: "
        "imports are valued with freight and insurance (CIF) but exports without (FOB); goods may be counted by "
        "country of origin on one side and by consignment on the other, so trade routed through Hong Kong or "
        "third countries lands differently; informal and small-scale border trade is recorded unevenly; and "
        "goods in transit at the year's end fall into different years. Neither side's figure is 'wrong'."
    )
    chart(panels["mirror"])


def _select_visit_from_chart() -> None:
    """A click on a timeline marker selects that visit (callback: runs before the page is drawn)."""
    state = st.session_state.get("chart_timeline")
    points = state.selection.points if state else []
    ids = [p.get("customdata", [None])[0] for p in points if p.get("customdata")]
    if ids:
        st.session_state["f_visit"] = ids[0]


def timeline_section(ds: dataset.Dataset, panels: dict[str, Panel]) -> None:
    st.header("High-level visits")
    panel = panels["timeline"]
    chart(panel, on_select=_select_visit_from_chart, selection_mode="points")
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
            + visits["direction"].map(theme.DIRECTION_LABELS),
            strict=True,
        )
    )
    chosen = st.selectbox(
        "Visit details (or click a diamond in the chart)",
        options,
        key="f_visit",
        format_func=labels.get,
        placeholder="Choose a visit…",
        index=None,
    )
    if chosen:
        visit_details(ds, visits.set_index("visit_id").loc[chosen], chosen)


def visit_details(ds: dataset.Dataset, visit: pd.Series, visit_id: str) -> None:
    with st.container(border=True):
        st.markdown(f"#### {visit['visitor']} — {theme.DIRECTION_LABELS[visit['direction']]}")
        st.markdown(
            f"**{visit['start_date']:%d %B %Y} – {visit['end_date']:%d %B %Y}** · {visit['visitor_title']} · "
            f"{theme.visit_type_label(visit['visit_type'], visit['bilateral_part'])} · {visit['cities']}"
        )
        if visit["host"]:
            st.markdown(f"**Received by:** {visit['host']}")
        if visit["outcomes"]:
            st.markdown(f"**Outcomes:** {visit['outcomes']}")
        if visit["note"]:
            st.caption(f"Note: {visit['note']}")
        versions = ds.visit_date_versions[ds.visit_date_versions["visit_id"] == visit_id]
        if len(versions) > 1:
            st.warning(
                "Sources disagree on this visit's dates; the preferred version is shown above:\n\n"
                + "\n".join(
                    f"- {v.start_date:%d %b %Y} – {v.end_date:%d %b %Y}{' (preferred)' if v.preferred else ''}: "
                    f"[{v.source_label}]({v.source_url}) — {v.note}"
                    for v in versions.itertuples()
                )
            )
        cited = ds.sources.set_index("source_id").loc[visit["source_ids"].split(";")]
        st.markdown(
            "**Sources:**\n"
            + "\n".join(f"- [{s.title}]({s.url}) — {s.publisher}, {s.published}" for s in cited.itertuples())
        )


def visits_table(ds: dataset.Dataset, panels: dict[str, Panel]) -> None:
    st.header("All visits in the filter")
    table = panels["timeline"].table
    st.dataframe(
        readable_visits(table),
        hide_index=True,
        column_order=VISITS_TABLE_ORDER,
        column_config={
            **_column_config(table.assign(source_url="")),
            "visitor": st.column_config.TextColumn("Visitor", pinned=True),
            "visitor_title": "Title at the time",
            "direction": "Direction",
            "office": "Office",
            "cities": "Cities",
            "host": "Received by",
            "outcomes": "Outcomes",
            "note": "Note",
            "visit_type": "Type",
            "source_labels": "Sources",
            "source_url": st.column_config.LinkColumn("Main source", display_text="open"),
        },
    )
    st.download_button(
        "Download the visits in the filter (CSV)",
        data=lambda: export.csv_bytes(table),
        file_name="vn-cn-visits.csv",
        mime="text/csv",
        on_click="ignore",
        key="csv_visits_all",
    )


def indicators_section(panels: dict[str, Panel]) -> None:
    st.header("Other indicators")
    left, right = st.columns(2)
    with left:
        chart(panels["fdi"])
    with right:
        chart(panels["tourists"])


def sources_section(ds: dataset.Dataset) -> None:
    st.header("Sources and method")
    st.markdown(
        f"Every figure and date on this page comes from one of the **{len(ds.sources)} public sources** "
        "below. Where sources disagree, each version is kept with its source and one is marked preferred "
        "(the curation rules are below). The dataset is in the repository's `data/` folder as CSV with a "
        "Frictionless Data Package descriptor."
    )
    st.dataframe(
        ds.sources.drop(columns="line"),
        hide_index=True,
        column_order=["title", "publisher", "published", "url", "note", "source_id"],
        column_config={
            "url": st.column_config.LinkColumn("Link", display_text="open"),
            "title": st.column_config.TextColumn("Title", pinned=True),
            "publisher": "Publisher",
            "published": "Published",
            "note": "Note",
            "source_id": "Id (as cited in data/)",
        },
    )
    trade = ds.trade.drop(columns=["line", "start", "end"])
    st.download_button(
        "Download all trade figures, every version (CSV)",
        data=lambda: export.csv_bytes(trade),
        file_name="vn-cn-trade-all-versions.csv",
        mime="text/csv",
        on_click="ignore",
        key="csv_trade_all",
    )
    with st.expander("Curation notes: preferred sources, conflicts, errors found in the seed articles, gaps"):
        st.markdown(ds.notes)
