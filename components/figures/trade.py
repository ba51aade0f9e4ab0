"""The trade panels: trade over time (in US$, growth or index), the mirror comparison and the year-to-date chart."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from components import analysis, filtering, gap_notes, milestone_charts, theme
from components import formatting as fmt
from components.analysis_charts import ytd_chart
from components.dataset import Dataset
from components.figures.base import (
    MEMO,
    REPORTER_TITLES,
    Panel,
    agencies,
    credit,
    empty_panel,
    local_periods,
    milestones,
    site_credit,
    statuses,
)
from components.figures.visits import drawn_visits, filtered_visits
from components.i18n import N_, Translator, translator
from components.theme import ENGLISH
from components.trade_charts import (
    Points,
    clip_lines,
    mirror_statistics,
    trade_lines,
    trade_over_time,
    version_points,
)
from components.view import Choices, View, describe


@lru_cache(maxsize=8)
def _trade_agencies(ds: Dataset) -> dict[tuple[str, int], frozenset[str]]:
    """The agencies behind each reporter's trade figures of each year (every row, all versions): a trade chart's
    credit line is then a union over its years, not a pass over the whole trade table per view."""
    found: dict[tuple[str, int], set[str]] = {}
    for reporter, year, agency in zip(ds.trade["reporter"], ds.trade["year"], ds.trade["agency"], strict=True):
        if isinstance(agency, str) and agency:
            found.setdefault((reporter, int(year)), set()).add(agency)
    return {key: frozenset(names) for key, names in found.items()}


def _trend(series: pd.DataFrame, flow: str, t: Translator = ENGLISH) -> str:
    on = series["flow"].to_numpy(dtype=object) == flow
    if not on.any():
        return ""
    years, values = series["year"].to_numpy()[on], series["value"].to_numpy()[on]
    order = np.argsort(years, kind="stable")  # the first and the last year (on a tie, in the table's order)
    first, last = order[0], order[-1]
    return t(
        "{flow} went from {first} in {first_year} to {last} in {last_year}",
        flow=t(theme.FLOW_LABELS[flow]).lower(),
        first=fmt.money(values[first], locale=t.locale),
        first_year=years[first],
        last=fmt.money(values[last], locale=t.locale),
        last_year=years[last],
    )


def _trade_table(series: pd.DataFrame, t: Translator = ENGLISH) -> pd.DataFrame:
    table = series.assign(
        flow=series["flow"].map(t.map(theme.FLOW_LABELS)),
        reporter=series["reporter"].map(t.map(theme.REPORTER_LABELS)),
        source=[
            t(note) if computed and isinstance(note, str) else label
            for label, note, computed in zip(series["source_label"], series["note"], series["computed"], strict=True)
        ],
        status=statuses(series["status"], t),
    )
    return table[["year", "reporter", "flow", "value", "status", "source", "source_url"]].rename(
        columns={"value": N_("US$ bn")}
    )


MEASURE_TITLES = {
    "value": N_("US$ billion"),
    "growth": N_("change on the previous year, %"),
    "index": N_("index, first year of the range = 100"),
}
MEASURE_HOVERS = {  # the value measure keeps the trade chart's own hover; {y} is plotly's template for the value
    "growth": N_("{y} on the previous year (computed here)"),
    "index": N_("index {y} (computed here)"),
}
HOVER_Y = {"growth": "%{y:+,.1f}%", "index": "%{y:,.1f}"}  # outside the catalog: '% o' reads as a printf format
MEASURE_ALT = {
    "value": N_("in US$ billion"),
    "growth": N_(
        "as the change on the previous year in percent (only between adjacent years that both have a "
        "figure; the balance is left out)"
    ),
    "index": N_(
        "as an index with the first year of the range at 100 (a series starting later has its own first "
        "year at 100; the balance is left out)"
    ),
}


def _measure_table(series: pd.DataFrame, measure: str, t: Translator = ENGLISH) -> pd.DataFrame:
    """The trade chart's data in its measure, each number with the figures and sources it comes from."""
    if measure == "value":
        return _trade_table(series, t)
    name = {"growth": N_("change %"), "index": N_("index")}[measure]
    table = series.assign(
        flow=series["flow"].map(t.map(theme.FLOW_LABELS)),
        reporter=series["reporter"].map(t.map(theme.REPORTER_LABELS)),
        **{name: series["value"].round(2), "US$ bn": series["year_value"]},  # computed: 2 decimals are plenty
    )
    extra = ["prev_value"] if measure == "growth" else ["base_year", "base_value"]
    return table[["year", "reporter", "flow", name, "US$ bn", *extra, "note", "source_id", "line"]].rename(
        columns={"prev_value": N_("previous year US$ bn"), "base_value": N_("base US$ bn"), "note": N_("computation")}
    )


@lru_cache(maxsize=8)
def _value_points(ds: Dataset, lang: str) -> tuple[tuple[Points, ...], Points, pd.DataFrame]:
    """The US$ lines, the other versions and the readable table of every annual figure, in one language: built
    once per dataset, then clipped to each view (a year range never drawn costs a slice, not a rebuild)."""
    t = translator(lang)
    base = filtering.derived(ds)
    return trade_lines(base.annual, t), version_points(base.versions, t), _trade_table(base.annual, t)


def prepare(ds: Dataset) -> None:
    """The trade panels' per-dataset tables (figures.prepare)."""
    _trade_agencies(ds)
    _stated(ds)


def prepare_language(ds: Dataset, lang: str) -> None:
    """The trade panels' per-dataset tables in one language (figures.prepare)."""
    _value_points(ds, lang)
    _value_table_with_milestones(ds, lang)


@lru_cache(maxsize=MEMO)
def trade_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Trade over time for the reporter(s) in the chosen measure (US$, growth, index), with the filtered visits
    on a strip."""
    t = translator(view.lang)
    years, chosen = view.years(choices), filtering.reporters(view)
    span = "–".join(map(str, years))
    measure = view.measure
    log = view.scale == "log" and measure == "value"
    what = t(MEASURE_TITLES[measure])
    what = t("{measure}, log scale", measure=what) if log else what
    whose = t(REPORTER_TITLES[view.reporter])
    title = t("Vietnam–China trade {span}, {whose} — {measure}", span=span, whose=whose, measure=what)
    base = filtering.derived(ds)
    in_view = filtering.rows_in(base.annual, years, chosen)
    annual = base.annual[in_view]
    if measure == "value":
        every_line, every_version, every_row = _value_points(ds, t.lang)
        series, table = annual, every_row[in_view]
        lines, versions = clip_lines(every_line, years, chosen), every_version.clip(years, chosen)
    else:
        series = analysis.measure_series(ds, measure, years, chosen)
        if t.lang != "en" and len(series):
            series = series.assign(note=analysis.localized_notes(series, measure, t))
        table = _measure_table(series, measure, t)
        lines = trade_lines(series.assign(note=[theme.wrap(n, 90) for n in series["note"]]), t)
        versions = version_points(base.versions.iloc[0:0], t)  # other versions are US$ figures: not on this axis
    if log:  # a deficit has no logarithm
        drawn = (series["flow"] != "balance").to_numpy()
        series, table = series[drawn], table[drawn]
        lines = tuple(line for line in lines if line.flow[0] != "balance")
    if series.empty:
        return empty_panel(
            "trade",
            title,
            t("No annual trade figures in this year range with a previous year to compare with: widen the years.")
            if measure == "growth"
            else t("No annual trade figures in this year range: widen the years."),
            table,
            t,
        )
    visits = filtered_visits(ds, view, years)
    drawn, thinned = drawn_visits(visits, "direction", t)
    by_year = _trade_agencies(ds)
    agencies = credit(set().union(*(by_year.get((r, y), ()) for r in chosen for y in range(years[0], years[1] + 1))), t)
    trend = _trend(annual, "total", t) if measure == "value" else _relative_trend(series, measure, t)
    marks = milestones(ds, view.lang) if view.milestones else None
    if marks and measure == "value" and not log:  # the prepared table already ends with every milestone's row
        table = _value_table_with_milestones(ds, t.lang)[np.concatenate([in_view, _milestone_years(ds, years)])]
    elif marks:
        shown = _milestone_rows(ds, t.lang)[_milestone_years(ds, years)]
        table = pd.concat([table, shown], ignore_index=True) if len(shown) else table
    drawn_too = (
        t(
            "Vietnam's exports to China, imports from China and the balance are drawn too, and {n} high-level "
            "visits are marked as diamonds on a strip below.",
            n=len(visits),
        )
        if measure == "value" and not log
        else t(
            "Vietnam's exports to China and imports from China are drawn too, and {n} high-level visits are "
            "marked as diamonds on a strip below.",
            n=len(visits),
        )
    )
    return Panel(
        "trade",
        title,
        trade_over_time(
            lines,
            versions,
            drawn,
            years=years,
            title=title,
            selected_visit=view.visit,
            y_title=what,
            log=log,
            milestones=marks,
            t=t,
            **({"hover_value": t(MEASURE_HOVERS[measure], y=HOVER_Y[measure])} if measure in MEASURE_HOVERS else {}),
        ),
        t(
            "Line chart of Vietnam–China merchandise trade {measure}, {span}, {whose}: {trend}.",
            measure=t(MEASURE_ALT[measure]) + (t(", on a log scale") if log else ""),
            span=span,
            whose=whose,
            trend=trend,
        )
        + " "
        + drawn_too
        + (" " + milestone_charts.alt_sentence(marks, years, t) if marks else ""),
        table,
        (
            t(
                "Sources: {agencies}. {filters}. Measure: {measure}. {site}.",
                agencies=agencies,
                filters=describe(view, choices, theme.FILTER_LABELS),
                measure=what,
                site=site_credit(ds, t),
            )
            if measure == "value"
            else t(
                "Sources: {agencies}. {filters}. Measure: {measure}, computed here from the figures of data/. {site}.",
                agencies=agencies,
                filters=describe(view, choices, theme.FILTER_LABELS),
                measure=what,
                site=site_credit(ds, t),
            )
        ),
        note=" ".join(n for n in (_trade_note(ds, annual, years, t), thinned) if n),
    )


@lru_cache(maxsize=8)
def _milestone_rows(ds: Dataset, lang: str) -> pd.DataFrame:
    """Every milestone as a row of the trade chart's table (flow 'Milestone', no value), so that the table and
    its CSV hold what the chart shows; made once per dataset and language, then sliced by year."""
    t = translator(lang)
    rows = milestone_charts.table_rows(milestones(ds, lang), (1, 9999))
    return pd.DataFrame(
        {
            "year": pd.to_datetime(rows["date"]).dt.year,
            "flow": t("Milestone"),
            "milestone": rows["date"] + " · " + rows["title"] + " (" + rows["kind"] + ")",
            "source": rows["source_labels"],
            "source_url": rows["source_url"],
        }
    )


@lru_cache(maxsize=8)
def _value_table_with_milestones(ds: Dataset, lang: str) -> pd.DataFrame:
    """The US$ chart's readable table of every annual figure, then every milestone's row: made once per dataset
    and language, then masked per view (a concat per view cost more than the rest of the table's work)."""
    rows = _milestone_rows(ds, lang)
    every_row = _value_points(ds, lang)[2]
    return pd.concat([every_row, rows], ignore_index=True) if len(rows) else every_row


def _milestone_years(ds: Dataset, years: tuple[int, int]) -> np.ndarray:
    """Which of the milestones' rows fall in the year range (a mask in `_milestone_rows`' order)."""
    year = _milestone_rows(ds, "en")["year"].to_numpy()
    return (year >= years[0]) & (year <= years[1])


@lru_cache(maxsize=8)
def _stated(ds: Dataset) -> dict[tuple[str, str, int], list[str]]:
    """The agency behind each stated full-year figure (the reason a series ends where its source's extract does)."""
    trade = filtering.derived(ds).trade
    return gap_notes.agencies_by_point(trade[trade["full_year"] & trade["preferred"]])


def _trade_note(ds: Dataset, series: pd.DataFrame, years: tuple[int, int], t: Translator = ENGLISH) -> str:
    """Which annual series end early, miss years or stand alone, with the reason the data gives."""
    return gap_notes.series_note(series, years, agencies=_stated(ds), t=t)


def _relative_trend(series: pd.DataFrame, measure: str, t: Translator = ENGLISH) -> str:
    rows = series[series["flow"] == "total"].sort_values(["reporter", "year"])
    if rows.empty:
        return t("no two-way figure to compare in this range")
    last = rows.iloc[-1]
    if measure == "growth":
        return t(
            "two-way trade changed {change} in {year} on {previous}",
            change=fmt.percent_change(last.value, locale=t.locale),
            year=last.year,
            previous=last.year - 1,
        )
    return t(
        "two-way trade stood at {index} in {year} ({base} = 100)",
        index=fmt.number(last.value, 0, locale=t.locale),
        year=last.year,
        base=last.base_year,
    )


@lru_cache(maxsize=MEMO)
def mirror_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Both countries' figures for the same flows and years, and the gap."""
    t = translator(view.lang)
    years = view.years(choices)
    mirror = filtering.select(filtering.derived(ds).mirror, years)
    span = "–".join(map(str, years))
    title = t("Mirror statistics {span}: what each side reports for the same trade", span=span)
    table = (
        mirror.drop(columns="date")
        .assign(flow=mirror["flow"].map(t.map(theme.FLOW_LABELS)))
        .rename(columns=MIRROR_COLUMNS)
    )
    if mirror.empty:
        return empty_panel("mirror", title, t("No year in this range has both countries' figures."), table, t)
    latest = mirror[(mirror["flow"] == "total") & mirror["gap"].notna()].sort_values("year").tail(1)
    gap = (
        " "
        + t(
            "In {year} China's two-way figure was {gap} against Vietnam's.",
            year=latest.year.iloc[0],
            gap=fmt.percent_change(latest.gap_pct.iloc[0], 0, locale=t.locale),
        )
        if len(latest)
        else ""
    )
    note = gap_notes.mirror_note(mirror, t=t)
    full_years = ds.trade[ds.trade["full_year"] & ds.trade["year"].between(*years)]
    return Panel(
        "mirror",
        title,
        mirror_statistics(mirror, years=years, title=title, t=t),
        t(
            "Line chart comparing Vietnam-reported and China-reported trade flows, {span}, with a bar chart of the "
            "gap in percent.",
            span=span,
        )
        + f"{gap} {note}",
        table,
        t(
            "Sources: {agencies}. {span}. {site}.",
            agencies=agencies(full_years, t=t),
            span=span,
            site=site_credit(ds, t),
        ),
        note=note,
    )


MIRROR_COLUMNS = {"VN": "Vietnam-reported", "CN": "China-reported", "gap": N_("gap US$ bn"), "gap_pct": N_("gap %")}
YTD_COLUMNS = {
    "period": "period",
    "kind": N_("kind"),
    "drawn": N_("drawn"),
    "reporter": "reporter",
    "flow": "flow",
    "value_usd_bn": N_("US$ bn"),
    "change_pct": N_("change on the same months of the previous year, % (computed here)"),
    "change_note": N_("computation"),
    "status": "status",
    "source_label": N_("source"),
    "source_url": "source_url",
    "source_id": "source_id",
    "line": "line",
}


@lru_cache(maxsize=MEMO)
def ytd_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Year-to-date figures of one reporter and flow, one line per year over the months, so January–June of one
    year sits above January–June of the others; single months and other spans are listed, never drawn."""
    t = translator(view.lang)
    years = view.years(choices)
    span = "–".join(map(str, years))
    reporter, flow = view.ytd_reporter, view.ytd_flow
    tables = analysis.tables(ds)
    rows = analysis.ytd_comparison(tables.ytd, reporter, flow, years)
    others = analysis.of_series(tables.others, reporter, flow, years)
    if t.lang != "en":  # periods and computation notes in the reader's language
        rows, others = local_periods(rows, t.locale), local_periods(others, t.locale)
        if len(rows):
            rows = rows.assign(change_note=analysis.localized_notes(rows, "ytd", t))
    who = f"{t(theme.FLOW_LABELS[flow])}, {t(theme.REPORTER_LABELS[reporter])}"
    title = t("Year to date, {span}: {who}, the same months of each year", span=span, who=who)
    table = pd.concat(
        [
            rows.assign(kind=rows["full_year"].map({True: t("full year"), False: t("year to date")}), drawn=t("yes")),
            others.assign(drawn=t("no: not a year to date"), change_pct=float("nan"), change_note=""),
        ],
        ignore_index=True,
    )
    table = table.assign(
        reporter=table["reporter"].map(t.map(theme.REPORTER_LABELS)),
        flow=table["flow"].map(t.map(theme.FLOW_LABELS)),
        kind=[t(k) if isinstance(k, str) else k for k in table["kind"]],
    )[list(YTD_COLUMNS)].rename(columns=YTD_COLUMNS)
    if rows.empty:
        message = t(
            "No year-to-date figures of {who} in {span}: choose another reporter or flow, or widen the years.",
            who=who.lower(),
            span=span,
        )
        if len(others):
            message += " " + t.n(
                "{n} other part-year figure is listed in the table.",
                "{n} other part-year figures are listed in the table.",
                len(others),
            )
        return empty_panel("ytd", title, message, table, t)
    partial = rows[~rows["full_year"]]
    latest = partial.sort_values("end").iloc[-1]
    change = (
        " "
        + t(
            "({change} on the same months of {year}, computed here)",
            change=fmt.percent_change(latest.change_pct, locale=t.locale),
            year=latest.year - 1,
        )
        if latest.change_pct == latest.change_pct
        else ""
    )
    shown = sorted(rows["year"].unique())
    alt = t.n(
        "Line chart of year-to-date figures in US$ billion of {who}: one line per year for {n} year from {first} "
        "to {last}, each point a stated January-to-month figure placed at its last month.",
        "Line chart of year-to-date figures in US$ billion of {who}: one line per year for {n} years from {first} "
        "to {last}, each point a stated January-to-month figure placed at its last month.",
        len(shown),
        who=who,
        first=shown[0],
        last=shown[-1],
    )
    alt += " " + t(
        "The latest is {period}: {value}{change}.",
        period=latest.period,
        value=fmt.money(latest.value_usd_bn, locale=t.locale),
        change=change,
    )
    alt += " " + t("Single months and other spans ({n}) are in the table, not drawn.", n=len(others))
    return Panel(
        "ytd",
        title,
        ytd_chart(rows, title=title, t=t),
        alt,
        table,
        t(
            "Sources: {agencies}. {span}, {who}. Changes computed here. {site}.",
            agencies=agencies(ds.trade[ds.trade["line"].astype(str).isin(table["line"])], t=t),
            span=span,
            who=who,
            site=site_credit(ds, t),
        ),
    )
