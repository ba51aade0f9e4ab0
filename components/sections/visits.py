"""The visits: the timeline, the chosen visit's details with the trade around it, and the table of visits."""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import streamlit as st
from babel.dates import get_date_format

from components import analysis, dataset, export, figures, filtering, i18n, tables, theme, view
from components import formatting as fmt
from components.figures import Panel
from components.figures.visits import readable_visits
from components.sections import deferred
from components.sections.charts import _column_config, chart
from components.sections.frame import _marked, _md, tr
from components.sections.relations import documents_line


def visit_trade_block(panels: Mapping[str, Panel], current: view.View, ds: dataset.Dataset, *, table: bool) -> None:
    """Trade around the chosen visit: the annual figures with sources, a small chart, the nearest year-to-date
    figures and the other visits within twelve months, under a one-line caveat. Without `table` (the overview,
    which loads no data grid) the chart only, with its sources on hover."""
    t = tr()
    panel = panels["visit_trade"]
    st.markdown("##### " + t("Trade around this visit"))
    st.caption(t(analysis.CAVEAT))
    chart(panel, current, table=False, english=figures.english(panels, "visit_trade"))
    if not table:
        st.caption(
            t(
                "Tap or hover over a bar for its source. The figures as a table, with the nearest year-to-date figures "
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
    others = filtering.newest_first(found.others)  # as every list of visits
    if len(others):
        st.markdown("**" + t("Other visits within twelve months") + f"** ({len(others)})")
        shown = others.assign(
            direction=others["direction"].map(t.map(theme.DIRECTION_LABELS)),
            visitor=figures.shown_names(others, t.lang),
            visitor_title=[t(v) for v in others["visitor_title"]],
        )[["start_date", "days_from_visit", "visitor", "visitor_title", "direction", "source_labels"]]
        st.dataframe(shown, hide_index=True, column_config=_column_config(shown))


ENGLISH_NOTE = i18n.N_("Outcomes and notes are curated in English and shown as the sources state them.")


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


def _select_visit_from_chart() -> None:
    """A click on a timeline marker selects that visit (callback: runs before the page is drawn)."""
    state = st.session_state.get("chart_timeline")
    points = state.selection.points if state else []
    ids = [p.get("customdata", [None])[0] for p in points if p.get("customdata")]
    if ids:
        st.session_state["f_visit"] = ids[0]


# The placeholder's height beyond the chart's: its title, the buttons under it and the visit picker.
PLACEHOLDER_EXTRA = 182


def placeholder_height(panel: Panel) -> int:
    """The height the timeline's section takes when drawn (on a desktop), held by its placeholder until then."""
    return int(panel.figure.layout.height or 450) + PLACEHOLDER_EXTRA


def timeline_section(
    ds: dataset.Dataset, panels: Mapping[str, Panel], current: view.View, *, table: bool = True, later: bool = False
) -> None:
    """The timeline, the visit picker and the chosen visit. With `later` (the overview, where it lies below the
    first screen) the chart and the rest wait until the reader scrolls near them (sections.deferred), unless the
    link opens a visit, whose details are here, or no visit is in the filter (a line says so, nothing to draw)."""
    t = tr()
    st.header(t("High-level visits"))
    panel = panels["timeline"]
    waits = later and not current.visit and not panel.empty
    if waits and not deferred.when_near("timeline", placeholder_height(panel), t("Drawing the timeline…")):
        return
    chart(
        panel,
        current,
        table=table,
        english=figures.english(panels, "timeline"),
        on_select=_select_visit_from_chart,
        selection_mode="points",
    )
    visits = panel.table
    if current.visitors and not visits.empty:
        st.caption(person_counts_line(ds, visits, current, t))
    if visits.empty:
        return
    labels = figures.visit_labels(ds, current.lang)
    ids = visits["visit_id"].to_numpy(dtype=object)
    newest = ids[np.argsort(-visits["start_date"].to_numpy().astype(np.int64), kind="stable")]
    picked = st.session_state.get("f_visit")
    if picked is not None and not (ids == picked).any():
        st.session_state["f_visit"] = picked = None
    options = newest[: figures.MAX_VISITS_DRAWN].tolist()
    if len(newest) > len(options):  # thousands of options cost every rerun, and no reader scrolls through them
        options += [picked] if picked and picked not in options else []
        st.caption(
            t(
                "The list below holds the {shown} newest of the {n} visits in the filter: narrow the filters to "
                "find an older one.",
                shown=fmt.count(figures.MAX_VISITS_DRAWN, t.locale),
                n=fmt.count(len(newest), t.locale),
            )
        )
    chosen = st.selectbox(
        t("Visit details (or tap or click a diamond in the chart)"),
        options,
        key="f_visit",
        format_func=labels.get,
        placeholder=t("Choose a visit…"),
        index=None,
    )
    if chosen:
        visit_details(ds, visits.iloc[int(np.flatnonzero(visits["visit_id"].to_numpy() == chosen)[0])], chosen)
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
        documents_line(ds, visit)
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
            "**"
            + t("Sources:")
            + "**\n"
            + "\n".join(
                f"- [{_md(s.title)}]({s.url}) — {_md(s.publisher)}, {fmt.published(s.published, t.locale)}"
                for s in cited.itertuples()
            )
        )


def person_counts_line(ds: dataset.Dataset, visits: pd.DataFrame, current: view.View, t: i18n.Translator) -> str:
    """'Tô Lâm: made 1 of these visits, hosted 6.': the person filter finds both, and says which is which."""
    rows = ds.visits.set_index("visit_id").loc[visits["visit_id"]]  # the data's own spelling of the names
    shown = figures.shown_names(ds.visits.set_index("visit_id"), t.lang)
    zh = dict(zip(ds.visits["visitor"], shown, strict=True))
    counts = filtering.person_counts(rows, current.visitors)
    return " ".join(
        t(
            "{person}: made {made} of these visits, hosted {hosted}.",
            person=zh.get(person, person),
            made=fmt.count(made, t.locale),
            hosted=fmt.count(hosted, t.locale),
        )
        for person, (made, hosted) in counts.items()
    )


def most_visits(panels: Mapping[str, Panel], current: view.View, choices: view.Choices) -> None:
    """Who made the most of the visits in the filter, with the offices they held on them: follows every filter."""
    t = tr()
    span = choices.recent_span(current.recent)
    years = t("latest 12 months") if span else "–".join(map(str, current.years(choices)))
    st.header(t("Most visits {span}", span=years))
    counts = filtering.visit_counts(panels["timeline"].table, t.map(theme.OFFICE_LABELS))
    if counts.empty:
        st.caption(t("No visit matches these filters: clear a filter or widen the years."))
        return
    st.caption(t("Visits made in the filter, per visitor, with the offices held on them; most first."))
    shown = counts.assign(direction=counts["direction"].map(t.map(theme.DIRECTION_LABELS)))
    st.dataframe(
        shown,
        hide_index=True,
        height=min(38 + 35 * len(shown), 360),
        column_config={
            "visitor": st.column_config.TextColumn(t("Visitor"), width="medium"),
            "offices": st.column_config.TextColumn(t("Offices held"), width="medium"),
            "direction": st.column_config.TextColumn(t("Direction")),
            "visits": st.column_config.NumberColumn(t("Visits made")),
            "latest": st.column_config.DateColumn(t("Latest"), format=_grid_dates(t)),
        },
        key="most_visits",
    )


VISITS_READING_ORDER = [  # what a reader needs first: when, who, which way, what kind; the rest to the right
    "start_date",
    "end_date",
    "visitor",
    "match",
    "direction",
    "visit_type",
    "outcomes",
    "documents_signed",
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
    english = figures.english(panels, "timeline")
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
            "documents_signed": st.column_config.NumberColumn(
                t("Documents signed"), help=t("Only where a cited source states the count.")
            ),
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
        data=lambda: export.csv_bytes(tables.csv_table(english().table)),
        file_name="vn-cn-visits.csv",
        mime="text/csv",
        on_click="ignore",
        key="csv_visits_all",
        help=t("Newest first, with English labels and headers in every language; the codes are in data/."),
    )
