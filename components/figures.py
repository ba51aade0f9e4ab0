"""One function, dataset × view → the page's named panels (figure, alt text, table equivalent, source line).

The page and the batch export both call `build`, so an exported PNG is always the chart the page shows.

Each panel is built by its own function from only the view fields it depends on (the mirror chart from the
years, the partial-year chart from the years and the reporter, ...), memoised on exactly those fields. A filter
change therefore rebuilds only the panels it affects. The memos are pure (same inputs, same panel) and keyed
by the read-only dataset's identity, so sessions can share them safely; treat a returned Panel as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from components import filtering, theme
from components.dataset import Dataset
from components.indicator_charts import indicator_chart
from components.timeline import hover_text, visit_timeline
from components.trade_charts import mirror_statistics, partial_years, strip_hover, trade_over_time
from components.view import Choices, View, describe

REPORTER_TITLES = {"VN": "as Vietnam reports it", "CN": "as China reports it", "both": "as each side reports it"}


@dataclass(frozen=True)
class Panel:
    """One chart of the page with everything that goes with it."""

    name: str  # stable id: file names, keys, tests
    title: str
    figure: go.Figure
    alt: str  # a sentence for screen readers
    table: pd.DataFrame  # the same data as a table
    source_line: str  # drawn under exported images
    empty: str = ""  # why there is nothing to draw, when there is nothing


def _agencies(*frames: pd.DataFrame) -> str:
    names = pd.concat([f["agency"] for f in frames if "agency" in f and len(f)], ignore_index=True)
    return ", ".join(sorted(names.dropna().unique())) or "see the Sources table"


def _trend(series: pd.DataFrame, flow: str) -> str:
    rows = series[series["flow"] == flow].sort_values("year")
    if rows.empty:
        return ""
    first, last = rows.iloc[0], rows.iloc[-1]
    return (
        f"{theme.FLOW_LABELS[flow].lower()} went from US${first.value:,.1f} bn in {first.year} "
        f"to US${last.value:,.1f} bn in {last.year}"
    )


def _trade_table(series: pd.DataFrame) -> pd.DataFrame:
    table = series.assign(
        flow=series["flow"].map(theme.FLOW_LABELS),
        reporter=series["reporter"].map(theme.REPORTER_LABELS),
        source=series["source_label"].where(~series["computed"], series["note"]),
    )
    return table[["year", "reporter", "flow", "value", "status", "source", "source_url"]].rename(
        columns={"value": "US$ bn"}
    )


MEMO = 32  # panels kept per kind: enough for the views in use at once, bounded in memory
SITE = "Vietnam–China relations dashboard"
YEARS = ("year_from", "year_to")
VISIT_FILTERS = ("directions", "offices", "visit_types", "visitors", "query")


@lru_cache(maxsize=4)
def _visit_hovers(ds: Dataset) -> pd.DataFrame:
    """A visit's hover texts depend on the visit alone: built once per (read-only) dataset, not per rerun."""
    types = [
        theme.visit_type_label(t, b) for t, b in zip(ds.visits["visit_type"], ds.visits["bilateral_part"], strict=True)
    ]
    return ds.visits.assign(hover=hover_text(ds.visits), strip_hover=strip_hover(ds.visits), type_label=types)


def _visits(ds: Dataset, view: View, years: tuple[int, int]) -> pd.DataFrame:
    """The visits in the filter, with their precomputed hover texts."""
    return _visit_hovers(ds).loc[filtering.filter_visits(ds.visits, view, years).index]


def _only(view: View, *fields: str) -> View:
    """The view reduced to the fields a panel depends on: its memo key."""
    return View(**{name: getattr(view, name) for name in fields})


def _empty_panel(name: str, title: str, message: str, table: pd.DataFrame) -> Panel:
    return Panel(name, title, theme.empty(title, message), f"Empty chart: {message}", table, SITE, empty=message)


@lru_cache(maxsize=MEMO)
def trade_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Trade over time for the reporter(s), with the filtered visits on a strip."""
    data = filtering.apply(ds, view, choices)
    span = "–".join(map(str, data.years))
    title = f"Vietnam–China trade {span}, {REPORTER_TITLES[view.reporter]}"
    if data.annual.empty:
        return _empty_panel(
            "trade", title, "No annual trade figures in this year range: widen the years.", _trade_table(data.annual)
        )
    visits = _visits(ds, view, data.years)
    trade_rows = ds.trade[ds.trade["year"].between(*data.years)]
    return Panel(
        "trade",
        title,
        trade_over_time(data.annual, data.versions, visits, years=data.years, title=title, selected_visit=view.visit),
        f"Line chart of Vietnam–China merchandise trade in US$ billion, {span}, "
        f"{REPORTER_TITLES[view.reporter]}: {_trend(data.annual, 'total')}. Vietnam's exports to China, imports "
        f"from China and the balance are drawn too, and {len(visits)} high-level visits are marked as diamonds "
        "on a strip below.",
        _trade_table(data.annual),
        f"Sources: {_agencies(trade_rows)}. {describe(view, choices, theme.LABELS)}. {SITE}.",
    )


@lru_cache(maxsize=MEMO)
def mirror_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Both countries' figures for the same flows and years, and the gap."""
    years = view.years(choices)
    mirror = filtering.select(filtering.derived(ds).mirror, years)
    span = "–".join(map(str, years))
    title = f"Mirror statistics {span}: what each side reports for the same trade"
    table = mirror.drop(columns="date").rename(
        columns={"VN": "Vietnam-reported", "CN": "China-reported", "gap": "gap US$ bn", "gap_pct": "gap %"}
    )
    if mirror.empty:
        return _empty_panel("mirror", title, "No year in this range has both countries' figures.", table)
    latest = mirror[mirror["flow"] == "total"].sort_values("year").tail(1)
    gap = (
        f" In {latest.year.iloc[0]} China's two-way figure was {latest.gap_pct.iloc[0]:+.0f}% against Vietnam's."
        if len(latest)
        else ""
    )
    full_years = ds.trade[ds.trade["full_year"] & ds.trade["year"].between(*years)]
    return Panel(
        "mirror",
        title,
        mirror_statistics(mirror, years=years, title=title),
        f"Line chart comparing Vietnam-reported and China-reported trade flows, {span}, with a bar chart of the "
        f"gap in percent.{gap}",
        table,
        f"Sources: {_agencies(full_years)}. {span}. {SITE}.",
    )


@lru_cache(maxsize=MEMO)
def partial_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Year-to-date and single-month figures, apart from the annual series."""
    partial = filtering.select(filtering.derived(ds).partial, view.years(choices), filtering.reporters(view))
    title = "Partial-year figures, drawn at the end of the months they cover (not comparable with full years)"
    table = partial[["period", "reporter", "flow", "value_usd_bn", "status", "source_label", "source_url"]]
    if partial.empty:
        return _empty_panel("partial", title, "No partial-year figures in this range.", table)
    return Panel(
        "partial",
        title,
        partial_years(partial, title=title),
        f"Scatter chart of {len(partial)} partial-year trade figures (year to date or single months), each "
        "at the end of the period it covers, in US$ billion.",
        table,
        f"Sources: {_agencies(partial)}. {describe(view, choices, theme.LABELS)}. {SITE}.",
    )


VISIT_COLUMNS = [
    "start_date",
    "end_date",
    "visitor",
    "visitor_title",
    "office",
    "direction",
    "visit_type",
    "bilateral_part",
    "cities",
    "host",
    "outcomes",
    "source_labels",
    "source_urls",
    "source_ids",
    "note",
    "visit_id",
    "type_label",
]
VISITS_TABLE_ORDER = [
    "start_date",
    "end_date",
    "visitor",
    "visitor_title",
    "direction",
    "office",
    "visit_type",
    "cities",
    "host",
    "outcomes",
    "source_url",
    "source_labels",
    "note",
]


def readable_visits(table: pd.DataFrame) -> pd.DataFrame:
    """The visits table as people read it: labels instead of codes, the first source as a link (show it with
    column_order=VISITS_TABLE_ORDER)."""
    return table.assign(
        source_url=table["source_urls"].str[0],
        office=table["office"].map(theme.OFFICE_LABELS),
        direction=table["direction"].map(theme.DIRECTION_LABELS),
        visit_type=table["type_label"],
    )


@lru_cache(maxsize=MEMO)
def timeline_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Every visit in the filter on a date axis."""
    years = view.years(choices)
    span = "–".join(map(str, years))
    visits = _visits(ds, view, years)
    title = f"High-level visits {span}, by {view.group_by}"
    table = visits[VISIT_COLUMNS]
    if visits.empty:
        return _empty_panel(
            "timeline", title, "No visit matches these filters: clear a filter or widen the years.", table
        )
    counts = visits["direction"].value_counts()
    return Panel(
        "timeline",
        title,
        visit_timeline(visits, group_by=view.group_by, years=years, title=title, selected=view.visit),
        f"Timeline of {len(visits)} high-level visits, {span}: {counts.get('vn_to_cn', 0)} by Vietnamese leaders "
        f"to China and {counts.get('cn_to_vn', 0)} by Chinese leaders to Vietnam, one row per {view.group_by}.",
        table,
        f"Sources: see the visits table. {describe(view, choices, theme.LABELS, reporter=False)}. {SITE}.",
    )


INDICATORS = {
    "fdi": (
        "fdi_registered_capital_usd_bn",
        "Chinese direct investment registered in Vietnam",
        "US$ billion",
        theme.VERMILLION,
    ),
    "tourists": ("tourist_arrivals_mn", "Chinese visitor arrivals in Vietnam", "million arrivals", theme.SKY),
}


@lru_cache(maxsize=MEMO)
def indicator_panel(ds: Dataset, name: str, view: View, choices: Choices) -> Panel:
    """One of the other yearly indicators, full years as bars and part-years as open markers."""
    indicator, title, unit, colour = INDICATORS[name]
    years = view.years(choices)
    rows = ds.indicators[(ds.indicators["indicator"] == indicator) & ds.indicators["year"].between(*years)]
    table = rows[["period", "value", "unit", "preferred", "status", "agency", "source_label", "source_url", "note"]]
    if rows.empty:
        return _empty_panel(name, title, "No figures in this year range.", table)
    full = rows[rows["preferred"] & rows["full_year"]].sort_values("year")
    latest = (
        f" The latest full year, {full.year.iloc[-1]}, stands at {full.value.iloc[-1]:,.2f} {unit}."
        if len(full)
        else ""
    )
    return Panel(
        name,
        title,
        indicator_chart(rows, title=title, unit=unit, colour=colour),
        f"Bar chart of {title.lower()} per year in {unit}, with part-year figures as open circles.{latest}",
        table,
        f"Sources: {_agencies(rows)}. {'–'.join(map(str, years))}. {SITE}.",
    )


def build(ds: Dataset, view: View, choices: Choices) -> dict[str, Panel]:
    """All panels for a view, in page order; each from the view fields it depends on."""
    panels = [
        trade_panel(ds, _only(view, *YEARS, "reporter", *VISIT_FILTERS, "visit"), choices),
        partial_panel(ds, _only(view, *YEARS, "reporter"), choices),
        mirror_panel(ds, _only(view, *YEARS), choices),
        timeline_panel(ds, _only(view, *YEARS, *VISIT_FILTERS, "group_by", "visit"), choices),
        *(indicator_panel(ds, name, _only(view, *YEARS), choices) for name in INDICATORS),
    ]
    return {p.name: p for p in panels}
