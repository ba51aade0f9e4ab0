"""One function, dataset × view → the page's named panels (figure, alt text, table equivalent, source line).

The page and the batch export both call `build`, so an exported PNG is always the chart the page shows.

Each panel is built by its own function from only the view fields it depends on (the mirror chart from the
years, the year-to-date chart from the years and its reporter and flow, ...), memoised on exactly those fields. A filter
change therefore rebuilds only the panels it affects. The memos are pure (same inputs, same panel) and keyed
by the read-only dataset's identity, so sessions can share them safely; treat a returned Panel as read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from components import analysis, filtering, gap_notes, theme
from components import formatting as fmt
from components.analysis_charts import around_visit_chart, ytd_chart
from components.dataset import Dataset
from components.indicator_charts import indicator_chart
from components.timeline import hover_text, visit_timeline
from components.trade_charts import mirror_statistics, strip_hover, trade_over_time
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
    note: str = ""  # which series end early or have gaps, and why: the chart's caption, drawn into exports too


def _agencies(*frames: pd.DataFrame) -> str:
    """The agencies behind the figures, for a credit line: 'China Customs (GACC); IMF DOTS; Vietnam Customs'."""
    names = pd.concat([f["agency"] for f in frames if "agency" in f and len(f)], ignore_index=True)
    return "; ".join(sorted(names.dropna().unique())) or "see the Sources table"


def _trend(series: pd.DataFrame, flow: str) -> str:
    rows = series[series["flow"] == flow].sort_values("year")
    if rows.empty:
        return ""
    first, last = rows.iloc[0], rows.iloc[-1]
    return (
        f"{theme.FLOW_LABELS[flow].lower()} went from {fmt.money(first.value)} in {first.year} "
        f"to {fmt.money(last.value)} in {last.year}"
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
VISIT_FILTERS = ("directions", "offices", "visit_types", "visitors", "query", "role")


@lru_cache(maxsize=4)
def _visit_hovers(ds: Dataset) -> pd.DataFrame:
    """A visit's hover texts depend on the visit alone: built once per (read-only) dataset, not per rerun."""
    types = [
        theme.visit_type_label(t, b) for t, b in zip(ds.visits["visit_type"], ds.visits["bilateral_part"], strict=True)
    ]
    return ds.visits.assign(hover=hover_text(ds.visits), strip_hover=strip_hover(ds.visits), type_label=types)


def _visits(ds: Dataset, view: View, years: tuple[int, int]) -> pd.DataFrame:
    """The visits in the filter, with their precomputed hover texts."""
    found = filtering.filter_visits(ds.visits, view, years)
    visits = _visit_hovers(ds).loc[found.index]
    return visits.assign(match=found["match"]) if "match" in found else visits  # where a search matched


def _only(view: View, *fields: str) -> View:
    """The view reduced to the fields a panel depends on: its memo key."""
    return View(**{name: getattr(view, name) for name in fields})


def _empty_panel(name: str, title: str, message: str, table: pd.DataFrame) -> Panel:
    return Panel(name, title, theme.empty(title, message), f"Empty chart: {message}", table, SITE, empty=message)


MEASURE_TITLES = {
    "value": "US$ billion",
    "growth": "change on the previous year, %",
    "index": "index, first year of the range = 100",
}
MEASURE_HOVERS = {  # the value measure keeps the trade chart's own hover
    "growth": "%{y:+,.1f}% on the previous year (computed here)",
    "index": "index %{y:,.1f} (computed here)",
}
MEASURE_ALT = {
    "value": "in US$ billion",
    "growth": "as the change on the previous year in percent (only between adjacent years that both have a "
    "figure; the balance is left out)",
    "index": "as an index with the first year of the range at 100 (a series starting later has its own first "
    "year at 100; the balance is left out)",
}


def _measure_table(series: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The trade chart's data in its measure, each number with the figures and sources it comes from."""
    if measure == "value":
        return _trade_table(series)
    name = {"growth": "change %", "index": "index"}[measure]
    table = series.assign(
        flow=series["flow"].map(theme.FLOW_LABELS),
        reporter=series["reporter"].map(theme.REPORTER_LABELS),
        **{name: series["value"].round(2), "US$ bn": series["year_value"]},  # computed: 2 decimals are plenty
    )
    extra = ["prev_value"] if measure == "growth" else ["base_year", "base_value"]
    return table[["year", "reporter", "flow", name, "US$ bn", *extra, "note", "source_id", "line"]].rename(
        columns={"prev_value": "previous year US$ bn", "base_value": "base US$ bn", "note": "computation"}
    )


@lru_cache(maxsize=MEMO)
def trade_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Trade over time for the reporter(s) in the chosen measure (US$, growth, index), with the filtered visits
    on a strip."""
    data = filtering.apply(ds, view, choices)
    span = "–".join(map(str, data.years))
    measure = view.measure
    log = view.scale == "log" and measure == "value"
    what = MEASURE_TITLES[measure] + (", log scale" if log else "")
    title = f"Vietnam–China trade {span}, {REPORTER_TITLES[view.reporter]} — {what}"
    if measure == "value":
        series, versions = data.annual, data.versions
    else:
        series = analysis.measure_series(ds, measure, data.years, filtering.reporters(view))
        versions = data.versions.iloc[0:0]  # other versions are US$ figures: not on a relative axis
    if log:  # a deficit has no logarithm
        series = series[series["flow"] != "balance"]
    if series.empty:
        return _empty_panel(
            "trade",
            title,
            "No annual trade figures in this year range"
            + (" with a previous year to compare with" if measure == "growth" else "")
            + ": widen the years.",
            _measure_table(series, measure),
        )
    visits = _visits(ds, view, data.years)
    trade_rows = ds.trade[ds.trade["year"].between(*data.years) & ds.trade["reporter"].isin(filtering.reporters(view))]
    trend = _trend(data.annual, "total") if measure == "value" else _relative_trend(series, measure)
    return Panel(
        "trade",
        title,
        trade_over_time(
            series if measure == "value" else series.assign(note=[theme.wrap(n, 90) for n in series["note"]]),
            versions,
            visits,
            years=data.years,
            title=title,
            selected_visit=view.visit,
            y_title=what,
            log=log,
            **({"hover_value": MEASURE_HOVERS[measure]} if measure in MEASURE_HOVERS else {}),
        ),
        f"Line chart of Vietnam–China merchandise trade {MEASURE_ALT[measure]}"
        f"{', on a log scale' if log else ''}, {span}, {REPORTER_TITLES[view.reporter]}: {trend}. Vietnam's "
        f"exports to China, imports from China{'' if measure != 'value' or log else ' and the balance'} are "
        f"drawn too, and {len(visits)} high-level visits are marked as diamonds on a strip below.",
        _measure_table(series, measure),
        f"Sources: {_agencies(trade_rows)}. {describe(view, choices, theme.LABELS)}. Measure: {what}"
        f"{'' if measure == 'value' else ', computed here from the figures of data/'}. {SITE}.",
        note=_trade_note(ds, data.annual, data.years),
    )


def _trade_note(ds: Dataset, series: pd.DataFrame, years: tuple[int, int]) -> str:
    """Which annual series end early, miss years or stand alone, with the reason the data gives."""
    trade = filtering.derived(ds).trade
    stated = trade[trade["full_year"] & trade["preferred"]][["reporter", "flow", "year", "agency"]]
    return gap_notes.series_note(series, years, agencies=stated)


def _relative_trend(series: pd.DataFrame, measure: str) -> str:
    rows = series[series["flow"] == "total"].sort_values(["reporter", "year"])
    if rows.empty:
        return "no two-way figure to compare in this range"
    last = rows.iloc[-1]
    if measure == "growth":
        return f"two-way trade changed {last.value:+.1f}% in {last.year} on {last.year - 1}"
    return f"two-way trade stood at {last.value:,.0f} in {last.year} ({last.base_year} = 100)"


@lru_cache(maxsize=MEMO)
def mirror_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Both countries' figures for the same flows and years, and the gap."""
    years = view.years(choices)
    mirror = filtering.select(filtering.derived(ds).mirror, years)
    span = "–".join(map(str, years))
    title = f"Mirror statistics {span}: what each side reports for the same trade"
    table = (
        mirror.drop(columns="date")
        .assign(flow=mirror["flow"].map(theme.FLOW_LABELS))
        .rename(columns={"VN": "Vietnam-reported", "CN": "China-reported", "gap": "gap US$ bn", "gap_pct": "gap %"})
    )
    if mirror.empty:
        return _empty_panel("mirror", title, "No year in this range has both countries' figures.", table)
    latest = mirror[(mirror["flow"] == "total") & mirror["gap"].notna()].sort_values("year").tail(1)
    gap = (
        f" In {latest.year.iloc[0]} China's two-way figure was {fmt.percent_change(latest.gap_pct.iloc[0], 0)} "
        "against Vietnam's."
        if len(latest)
        else ""
    )
    full_years = ds.trade[ds.trade["full_year"] & ds.trade["year"].between(*years)]
    return Panel(
        "mirror",
        title,
        mirror_statistics(mirror, years=years, title=title),
        f"Line chart comparing Vietnam-reported and China-reported trade flows, {span}, with a bar chart of the "
        f"gap in percent.{gap} {gap_notes.mirror_note(mirror)}",
        table,
        f"Sources: {_agencies(full_years)}. {span}. {SITE}.",
        note=gap_notes.mirror_note(mirror),
    )


YTD_COLUMNS = {
    "period": "period",
    "kind": "kind",
    "drawn": "drawn",
    "reporter": "reporter",
    "flow": "flow",
    "value_usd_bn": "US$ bn",
    "change_pct": "change on the same months of the previous year, % (computed here)",
    "change_note": "computation",
    "status": "status",
    "source_label": "source",
    "source_url": "source_url",
    "source_id": "source_id",
    "line": "line",
}


@lru_cache(maxsize=MEMO)
def ytd_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Year-to-date figures of one reporter and flow, one line per year over the months, so January–June of one
    year sits above January–June of the others; single months and other spans are listed, never drawn."""
    years = view.years(choices)
    span = "–".join(map(str, years))
    reporter, flow = view.ytd_reporter, view.ytd_flow
    tables = analysis.tables(ds)
    rows = analysis.ytd_comparison(tables.ytd, reporter, flow, years)
    others = analysis.of_series(tables.others, reporter, flow, years)
    who = f"{theme.FLOW_LABELS[flow]}, {theme.REPORTER_LABELS[reporter]}"
    title = f"Year to date, {span}: {who}, the same months of each year"
    table = pd.concat(
        [
            rows.assign(kind=rows["full_year"].map({True: "full year", False: "year to date"}), drawn="yes"),
            others.assign(drawn="no: not a year to date", change_pct=float("nan"), change_note=""),
        ],
        ignore_index=True,
    )
    table = table.assign(
        reporter=table["reporter"].map(theme.REPORTER_LABELS), flow=table["flow"].map(theme.FLOW_LABELS)
    )[list(YTD_COLUMNS)].rename(columns=YTD_COLUMNS)
    if rows.empty:
        message = f"No year-to-date figures of {who.lower()} in {span}: choose another reporter or flow, or widen "
        message += "the years." + (
            f" {len(others)} other part-year figures are listed in the table." if len(others) else ""
        )
        return _empty_panel("ytd", title, message, table)
    partial = rows[~rows["full_year"]]
    latest = partial.sort_values("end").iloc[-1]
    change = (
        f" ({fmt.percent_change(latest.change_pct)} on the same months of {latest.year - 1}, computed here)"
        if latest.change_pct == latest.change_pct
        else ""
    )
    shown = sorted(rows["year"].unique())
    return Panel(
        "ytd",
        title,
        ytd_chart(rows, title=title),
        f"Line chart of year-to-date figures in US$ billion of {who}: one line per year for {len(shown)} "
        f"year{'s' if len(shown) > 1 else ''} "
        f"from {shown[0]} to {shown[-1]}, each point a stated January-to-month figure placed at its last month. "
        f"The latest is {latest.period}: {fmt.money(latest.value_usd_bn)}{change}. Single months and other "
        f"spans ({len(others)}) are in the table, not drawn.",
        table,
        f"Sources: {_agencies(ds.trade[ds.trade['line'].astype(str).isin(table['line'])])}. {span}, {who}. "
        f"Changes computed here. {SITE}.",
    )


NO_VISIT = (
    "Choose a visit (click it on the timeline, pick it from the list, or put visit= in the link) to see the "
    "trade in its year, the year before and the year after."
)
AROUND_COLUMNS = {
    "year": "year",
    "role": "year is",
    "reporter": "reporter",
    "flow": "flow",
    "value": "US$ bn",
    "change_pct": "change on the previous year, % (computed here)",
    "status": "status",
    "source": "source",
    "source_url": "source_url",
    "source_id": "source_id",
    "line": "line",
}


@lru_cache(maxsize=MEMO)
def around(ds: Dataset, visit_id: str) -> analysis.AroundVisit:
    """The trade around one visit (memoised: the page's details and the panel share it)."""
    tabs = analysis.tables(ds)
    return analysis.around_visit(tabs.annual, tabs.ytd, tabs.visits, visit_id)


def around_table(years: pd.DataFrame) -> pd.DataFrame:
    """The annual figures around a visit as people read them, each with its source or computation."""
    source = [
        note if computed or missing else label
        for note, computed, missing, label in zip(
            years["note"], years["computed"], years["missing"], years["source_label"], strict=True
        )
    ]
    return years.assign(
        reporter=years["reporter"].map(theme.REPORTER_LABELS),
        flow=years["flow"].map(theme.FLOW_SHORT),
        source=source,
        change_pct=years["change_pct"].round(2),
    )[list(AROUND_COLUMNS)].rename(columns=AROUND_COLUMNS)


def around_ytd_table(ytd: pd.DataFrame) -> pd.DataFrame:
    """The nearest year-to-date figures before and after a visit, with their sources."""
    return ytd.assign(reporter=ytd["reporter"].map(theme.REPORTER_LABELS), flow=ytd["flow"].map(theme.FLOW_SHORT))[
        [
            "side",
            "period",
            "reporter",
            "flow",
            "value_usd_bn",
            "change_note",
            "status",
            "source_label",
            "source_url",
            "source_id",
            "line",
        ]
    ].rename(columns={"change_note": "change on the same months of the previous year"})


def _lines(values: pd.Series) -> set[str]:
    return {part for v in values for part in str(v).replace(" → ", ";").split(";") if part}


@lru_cache(maxsize=MEMO)
def visit_trade_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Trade in the chosen visit's year, the year before and the year after, per reporter, with the changes."""
    if not view.visit:
        return _empty_panel(
            "visit_trade",
            "Trade around a visit",
            NO_VISIT,
            pd.DataFrame(columns=list(AROUND_COLUMNS.values())),
        )
    found = around(ds, view.visit)
    visit = found.visit
    year = int(visit["start_date"].year)
    title = f"Trade {year - 1}–{year + 1} around {visit['visitor']}'s visit of {visit['start_date']:%d %b %Y}"
    table = around_table(found.years)
    present = found.years[~found.years["missing"]]
    if present.empty:
        return _empty_panel(
            "visit_trade", title, f"No full-year trade figures for {year - 1}, {year} or {year + 1} in data/.", table
        )
    parts = []
    for reporter, group in found.years[found.years["flow"] == "total"].groupby("reporter", sort=False):
        values = [
            "missing" if m else fmt.money(v) + (f" ({fmt.percent_change(c)})" if c == c else "")
            for v, c, m in zip(group["value"], group["change_pct"], group["missing"], strict=True)
        ]
        parts.append(f"{theme.REPORTER_LABELS[reporter]} two-way trade {', '.join(values)}")
    missing = found.years[found.years["missing"]]
    gaps = f" {len(missing)} figures are missing and left empty." if len(missing) else ""
    rows = ds.trade[ds.trade["line"].astype(str).isin(_lines(present["line"]))]
    return Panel(
        "visit_trade",
        title,
        around_visit_chart(found.years, title=title),
        f"Bar chart of two-way trade, Vietnam's exports to China and its imports from China in {year - 1}, {year} "
        f"and {year + 1}, around the visit: {'; '.join(parts)}.{gaps} {analysis.CAVEAT}",
        table,
        f"Sources: {_agencies(rows)}. Changes computed here. {analysis.CAVEAT} {SITE}.",
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
    table = visits[[*VISIT_COLUMNS, *(["match"] if "match" in visits else [])]]
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
    every = filtering.derived(ds).indicators  # with source titles and version counts, for the hovers
    rows = every[(every["indicator"] == indicator) & every["year"].between(*years)]
    definition = ["definition"] if "definition" in rows else []
    shown = ["period", "value", "unit", *definition, "qualifier", "preferred", "status", "agency"]
    table = rows[[*shown, "source_label", "source_url", "note"]]
    if rows.empty:
        return _empty_panel(name, title, "No figures in this year range.", table)
    full = rows[rows["preferred"] & rows["full_year"]].sort_values("year")
    latest = (
        f" The latest full year, {full.year.iloc[-1]}, stands at "
        f"{fmt.quantity(full.value.iloc[-1], unit, full.qualifier.iloc[-1])}."
        if len(full)
        else ""
    )
    return Panel(
        name,
        title,
        indicator_chart(rows, title=title, unit=unit, colour=colour, years=years),
        f"Bar chart of {title.lower()} per year in {unit}, with part-year figures as open circles.{latest}",
        table,
        f"Sources: {_agencies(rows)}. {'–'.join(map(str, years))}. {SITE}.",
        note=gap_notes.years_note(list(full["year"])),
    )


# Each panel from only the view fields it depends on (its memo key), in page order.
BUILDERS: dict[str, Callable[[Dataset, View, Choices], Panel]] = {
    "trade": lambda ds, view, choices: trade_panel(
        ds, _only(view, *YEARS, "reporter", *VISIT_FILTERS, "visit", "measure", "scale"), choices
    ),
    "ytd": lambda ds, view, choices: ytd_panel(ds, _only(view, *YEARS, "ytd_reporter", "ytd_flow"), choices),
    "mirror": lambda ds, view, choices: mirror_panel(ds, _only(view, *YEARS), choices),
    "timeline": lambda ds, view, choices: timeline_panel(
        ds, _only(view, *YEARS, *VISIT_FILTERS, "group_by", "visit"), choices
    ),
    **{
        name: (lambda ds, view, choices, name=name: indicator_panel(ds, name, _only(view, *YEARS), choices))
        for name in INDICATORS
    },
    "visit_trade": lambda ds, view, choices: visit_trade_panel(ds, _only(view, "visit"), choices),
}


def build(ds: Dataset, view: View, choices: Choices, names: Iterable[str] | None = None) -> dict[str, Panel]:
    """The panels for a view (all of them, or the `names` a page shows), in page order."""
    return {name: BUILDERS[name](ds, view, choices) for name in (BUILDERS if names is None else names)}


class LazyPanels(Mapping[str, Panel]):
    """The panels of one view, each built on first use: a page builds only the charts it shows."""

    def __init__(self, ds: Dataset, view: View, choices: Choices) -> None:
        self._args = (ds, view, choices)
        self._built: dict[str, Panel] = {}

    def __getitem__(self, name: str) -> Panel:
        if name not in self._built:
            if name not in BUILDERS:
                raise KeyError(name)
            self._built[name] = BUILDERS[name](*self._args)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(BUILDERS)

    def __len__(self) -> int:
        return len(BUILDERS)
