"""The relationship beyond the trade totals: what is traded (the goods panel on /trade), the documents signed per
summit and the list of milestones (on /visits)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components import dataset, figures, i18n, milestone_charts, view
from components.figures import Panel
from components.figures.goods import DRAWN
from components.sections.charts import _column_config, chart
from components.sections.frame import _md, tr


def goods_section(panels: Mapping[str, Panel], current: view.View) -> None:
    """The largest product groups per year, with the part-year figures listed apart under the chart."""
    t = tr()
    st.header(t("What is traded"))
    st.caption(
        t(
            "Product groups as Vietnam Customs names them, in US$ billion, one bar per group and year: only "
            "full calendar years, and only the preferred figure where agencies differ (the others are in the "
            "hover and the table). A shaded slot is a year with no figure in data/, not a zero."
        )
    )
    panel = panels["goods"]
    chart(panel, current, english=figures.english(panels, "goods"))  # the CSV is the same in every language
    apart = DRAWN["partial"]
    partial = panel.table[panel.table["drawn"] == t(apart)] if len(panel.table) else panel.table
    if len(partial):
        st.markdown("**" + t("Part-year figures, listed apart (never drawn as a year)") + "**")
        st.dataframe(partial, hide_index=True, column_config=_column_config(partial))


def documents_section(panels: Mapping[str, Panel], current: view.View) -> None:
    t = tr()
    st.subheader(t("Documents signed per visit"))
    st.caption(
        t(
            "How many cooperation documents were signed during a visit, only where a cited source states the "
            "number. A visit without a stated count is left out, never drawn as zero."
        )
    )
    chart(panels["documents"], current, english=figures.english(panels, "documents"))


def milestones_section(ds: dataset.Dataset, current: view.View) -> None:
    """Every milestone of the relationship with its sources (the rules on the trade chart and the timeline)."""
    t = tr()
    st.header(t("Milestones of the relationship"))
    if ds.milestones.empty:
        st.caption(t("No milestones in data/ yet."))
        return
    shown = milestone_charts.table_rows(figures.base.milestones(ds, t.lang), (1, 9999))
    st.caption(
        t("Drawn as labelled vertical lines on the trade chart and the timeline (turn them off in the sidebar).")
        + (" " + t("Descriptions are curated in English.") if t.lang != i18n.SOURCE else "")
        + ("" if current.milestones else " " + t("They are turned off in this view."))
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_order=["date", "kind", "title", "description", "source_url", "source_labels"],
        column_config={
            "date": st.column_config.TextColumn(t("Date")),
            "kind": st.column_config.TextColumn(t("Kind")),
            "title": st.column_config.TextColumn(t("Milestone"), width="medium"),
            "description": st.column_config.TextColumn(t("Description"), width="large"),
            "source_url": st.column_config.LinkColumn(t("Main source"), display_text=t("open ↗")),
            "source_labels": st.column_config.TextColumn(t("Sources"), width="large"),
        },
        key="milestones_table",
    )


def documents_line(ds: dataset.Dataset, visit: pd.Series) -> None:
    """In a visit's details: the count of documents signed, with the sources that state it (nothing without)."""
    count = visit.get("documents_signed")
    if count is None or pd.isna(count):
        return
    t = tr()
    ids = [x for x in str(visit.get("documents_source_ids") or "").split(";") if x]
    cited = ds.sources.set_index("source_id").reindex(ids).dropna(subset=["url"])
    links = ", ".join(f"[{_md(s.title)}]({s.url})" for s in cited.itertuples())
    st.markdown(
        "**"
        + t("Documents signed:")
        + f"** {int(count)}"
        + (" — " + t("count stated by {sources}", sources=links) if links else "")
    )
