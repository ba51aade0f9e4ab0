"""Trade: the trade chart with its measure, the sources of a clicked point, year to date, mirror statistics and
other indicators."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components import dataset, figures, filtering, i18n, tables, theme, view
from components import formatting as fmt
from components.figures import Panel
from components.sections.charts import chart
from components.sections.frame import _md, tr
from components.sections.visits import visit_details


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
        english=figures.english(panels, "trade"),
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
            "other sources' versions of the same figure (tap or hover for the source). Diamonds below are the "
            "visits in the filter: tap or click one for its details. Totals and balances marked 'computed here' "
            "are sums or differences of the two stated flows."
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
    chart(panels["ytd"], current, english=figures.english(panels, "ytd"))


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
    chart(panels["mirror"], current, english=figures.english(panels, "mirror"))


OTHER_INDICATORS = i18n.N_("Other indicators")


TRADE_POINT_KEY = "trade_point"  # the annual figure whose sources are open (from a click or a table row)


FROM_TRADE_KEY = "_visit_from_trade"  # a visit chosen on the trade chart: its details open beside it


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


def indicators_section(panels: Mapping[str, Panel], current: view.View) -> None:
    st.header(tr()(OTHER_INDICATORS))
    left, right = st.columns(2)
    with left:
        chart(panels["fdi"], current, english=figures.english(panels, "fdi"))
    with right:
        chart(panels["tourists"], current, english=figures.english(panels, "tourists"))
