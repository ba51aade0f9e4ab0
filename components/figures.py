"""One function, dataset × view → the page's named panels (figure, alt text, table equivalent, source line).

The page and the batch export both call `build`, so an exported PNG is always the chart the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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


@lru_cache(maxsize=4)
def _visit_hovers(ds: Dataset) -> pd.DataFrame:
    """A visit's hover texts depend on the visit alone: built once per (read-only) dataset, not per rerun."""
    return ds.visits.assign(hover=hover_text(ds.visits), strip_hover=strip_hover(ds.visits))


def build(ds: Dataset, view: View, choices: Choices) -> dict[str, Panel]:
    """All panels for a view, in page order."""
    data = filtering.apply(ds, view, choices)
    data = replace(data, visits=_visit_hovers(ds).loc[data.visits.index])
    start, end = data.years
    span = f"{start}–{end}"
    filters = describe(view, choices, theme.LABELS)
    site = "Vietnam–China relations dashboard"
    panels: list[Panel] = []

    trade_rows = ds.trade[ds.trade["year"].between(start, end)]
    title = f"Vietnam–China trade {span}, {REPORTER_TITLES[view.reporter]}"
    if data.annual.empty:
        panels.append(
            Panel(
                "trade",
                title,
                theme.empty(title, "No annual trade figures in this year range."),
                "Empty chart: no annual trade figures in this year range.",
                _trade_table(data.annual),
                site,
                empty="No annual trade figures in this year range: widen the years.",
            )
        )
    else:
        trend = _trend(data.annual, "total")
        panels.append(
            Panel(
                "trade",
                title,
                trade_over_time(
                    data.annual, data.versions, data.visits, years=data.years, title=title, selected_visit=view.visit
                ),
                f"Line chart of Vietnam–China merchandise trade in US$ billion, {span}, "
                f"{REPORTER_TITLES[view.reporter]}: {trend}. Vietnam's exports to China, imports from China and "
                f"the balance are drawn too, and {len(data.visits)} high-level visits are marked as diamonds "
                "on a strip below.",
                _trade_table(data.annual),
                f"Sources: {_agencies(trade_rows)}. {filters}. {site}.",
            )
        )

    title = f"Mirror statistics {span}: what each side reports for the same trade"
    if data.mirror.empty:
        panels.append(
            Panel(
                "mirror",
                title,
                theme.empty(title, "No year with both countries' figures here."),
                "Empty chart: no year in range has both countries' figures.",
                data.mirror,
                site,
                empty="No year in this range has both countries' figures.",
            )
        )
    else:
        latest = data.mirror[data.mirror["flow"] == "total"].sort_values("year").tail(1)
        gap = (
            f" In {latest.year.iloc[0]} China's two-way figure was {latest.gap_pct.iloc[0]:+.0f}% against Vietnam's."
            if len(latest)
            else ""
        )
        panels.append(
            Panel(
                "mirror",
                title,
                mirror_statistics(data.mirror, years=data.years, title=title),
                f"Line chart comparing Vietnam-reported and China-reported trade flows, {span}, with a bar chart of "
                f"the gap in percent.{gap}",
                data.mirror.drop(columns="date").rename(
                    columns={"VN": "Vietnam-reported", "CN": "China-reported", "gap": "gap US$ bn", "gap_pct": "gap %"}
                ),
                f"Sources: {_agencies(trade_rows[trade_rows['full_year']])}. {span}. {site}.",
            )
        )

    title = "Partial-year figures, drawn at the end of the months they cover (not comparable with full years)"
    partial_table = data.partial[["period", "reporter", "flow", "value_usd_bn", "status", "source_label", "source_url"]]
    if data.partial.empty:
        panels.append(
            Panel(
                "partial",
                title,
                theme.empty(title, "No partial-year figures in this range."),
                "Empty chart: no partial-year figures.",
                partial_table,
                site,
                empty="No partial-year figures in this range.",
            )
        )
    else:
        panels.append(
            Panel(
                "partial",
                title,
                partial_years(data.partial, title=title),
                f"Scatter chart of {len(data.partial)} partial-year trade figures (year to date or single months), "
                "each at the end of the period it covers, in US$ billion.",
                partial_table,
                f"Sources: {_agencies(data.partial)}. {filters}. {site}.",
            )
        )

    title = f"High-level visits {span}, by {view.group_by}"
    visits_table = data.visits[
        [
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
        ]
    ]
    if data.visits.empty:
        message = "No visit matches these filters: clear a filter or widen the years."
        panels.append(
            Panel(
                "timeline",
                title,
                theme.empty(title, message),
                "Empty chart: no visit matches.",
                visits_table,
                site,
                empty=message,
            )
        )
    else:
        counts = data.visits["direction"].value_counts()
        panels.append(
            Panel(
                "timeline",
                title,
                visit_timeline(data.visits, group_by=view.group_by, years=data.years, title=title, selected=view.visit),
                f"Timeline of {len(data.visits)} high-level visits, {span}: {counts.get('vn_to_cn', 0)} by Vietnamese "
                f"leaders to China and {counts.get('cn_to_vn', 0)} by Chinese leaders to Vietnam, one row per "
                f"{view.group_by}.",
                visits_table,
                f"Sources: see the visits table. {filters}. {site}.",
            )
        )

    for name, indicator, title, unit, colour in (
        (
            "fdi",
            "fdi_registered_capital_usd_bn",
            "Chinese direct investment registered in Vietnam",
            "US$ billion",
            theme.VERMILLION,
        ),
        ("tourists", "tourist_arrivals_mn", "Chinese visitor arrivals in Vietnam", "million arrivals", theme.SKY),
    ):
        rows = data.indicators[data.indicators["indicator"] == indicator]
        table = rows[["period", "value", "unit", "preferred", "status", "agency", "source_label", "source_url", "note"]]
        if rows.empty:
            panels.append(
                Panel(
                    name,
                    title,
                    theme.empty(title, "No figures in this year range."),
                    "Empty chart.",
                    table,
                    site,
                    empty="No figures in this year range.",
                )
            )
            continue
        full = rows[rows["preferred"] & rows["full_year"]].sort_values("year")
        latest = (
            f" The latest full year, {full.year.iloc[-1]}, stands at {full.value.iloc[-1]:,.2f} {unit}."
            if len(full)
            else ""
        )
        panels.append(
            Panel(
                name,
                title,
                indicator_chart(rows, title=title, unit=unit, colour=colour),
                f"Bar chart of {title.lower()} per year in {unit}, with part-year figures as open circles.{latest}",
                table,
                f"Sources: {_agencies(rows)}. {span}. {site}.",
            )
        )
    return {p.name: p for p in panels}
