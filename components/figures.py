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

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import analysis, filtering, gap_notes, tables, theme
from components import formatting as fmt
from components.analysis_charts import around_visit_chart, ytd_chart
from components.dataset import Dataset
from components.i18n import LANGUAGES, N_, Translator, translator
from components.indicator_charts import indicator_chart
from components.theme import ENGLISH
from components.timeline import hover_text, visit_timeline
from components.trade_charts import (
    Points,
    clip_lines,
    mirror_statistics,
    strip_hover,
    trade_lines,
    trade_over_time,
    version_points,
)
from components.view import Choices, View, describe

REPORTER_TITLES = {
    "VN": N_("as Vietnam reports it"),
    "CN": N_("as China reports it"),
    "both": N_("as each side reports it"),
}


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


def _agencies(*frames: pd.DataFrame, t: Translator = ENGLISH) -> str:
    """The agencies behind the figures, for a credit line: 'China Customs (GACC); IMF DOTS; Vietnam Customs'."""
    names = {a for f in frames if "agency" in f for a in f["agency"].to_numpy(dtype=object) if isinstance(a, str) and a}
    return _credit(names, t)


def _credit(names: Iterable[str], t: Translator = ENGLISH) -> str:
    return "; ".join(sorted(names)) or t("see the Sources table")


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


def _statuses(values: pd.Series, t: Translator) -> list:
    """final / preliminary / estimate in the reader's language (the page's tables; CSVs go through tables)."""
    return [t(tables.STATUS_LABELS.get(v, v)) if isinstance(v, str) else v for v in values]


def _trade_table(series: pd.DataFrame, t: Translator = ENGLISH) -> pd.DataFrame:
    table = series.assign(
        flow=series["flow"].map(t.map(theme.FLOW_LABELS)),
        reporter=series["reporter"].map(t.map(theme.REPORTER_LABELS)),
        source=[
            t(note) if computed and isinstance(note, str) else label
            for label, note, computed in zip(series["source_label"], series["note"], series["computed"], strict=True)
        ],
        status=_statuses(series["status"], t),
    )
    return table[["year", "reporter", "flow", "value", "status", "source", "source_url"]].rename(
        columns={"value": N_("US$ bn")}
    )


MEMO = 64  # panels kept per kind: the views of a burst of shared links (20 readers × a few views each), bounded
SITE = N_("Vietnam–China relations dashboard")


def _site(ds: Dataset, t: Translator) -> str:
    """The credit at the end of every source line, with how current the data is (exports carry it too)."""
    return t("{site}, data to {month}", site=t(SITE), month=fmt.month(ds.coverage_end, t.locale))


YEARS = ("year_from", "year_to")
VISIT_FILTERS = ("directions", "offices", "visit_types", "visitors", "query", "role")


def shown_names(visits: pd.DataFrame, lang: str) -> pd.Series:
    """Visitors' names as the interface shows them: in Chinese characters in the Chinese interface where the
    dataset gives them (`visitor_zh`), else as the data spells them (Vietnamese with diacritics, Pinyin)."""
    if lang != "zh" or "visitor_zh" not in visits:
        return visits["visitor"]
    chinese = visits["visitor_zh"].fillna("").astype(str).str.strip()
    return chinese.where(chinese != "", visits["visitor"])


@lru_cache(maxsize=8)
def _visit_hovers(ds: Dataset, lang: str = "en") -> pd.DataFrame:
    """A visit's hover texts depend on the visit and the language alone: built once per (read-only) dataset and
    language, not per rerun. In Chinese, `visitor` holds the name in characters where the dataset has it."""
    t = translator(lang)
    types = [
        theme.visit_type_label(v, b, t)
        for v, b in zip(ds.visits["visit_type"], ds.visits["bilateral_part"], strict=True)
    ]
    shown = ds.visits.assign(visitor=shown_names(ds.visits, lang))
    shown = shown.assign(hover=hover_text(shown, t), strip_hover=strip_hover(shown, t), type_label=types)
    # Only what the charts and the visits table read, as plain objects: a view takes its rows of this frame, and
    # numpy takes object columns about 2.5x faster than Arrow strings (it matters at thousands of visits).
    kept = shown[[*dict.fromkeys([*VISIT_COLUMNS, "hover", "strip_hover"])]]
    return kept.astype({c: object for c in kept.columns if pd.api.types.is_string_dtype(kept[c].dtype)})


@lru_cache(maxsize=8)
def visit_labels(ds: Dataset, lang: str = "en") -> dict[str, str]:
    """Each visit's label in the visit picker ('2023-12-12 · Xi Jinping · China → Vietnam'): made once per
    dataset and language, not on every rerun."""
    t = translator(lang)
    visits = _visit_hovers(ds, lang)
    directions = t.map(theme.DIRECTION_LABELS)
    return {
        vid: f"{start:%Y-%m-%d} · {visitor} · {directions.get(way, way)}"
        for vid, start, visitor, way in zip(
            visits["visit_id"], visits["start_date"], visits["visitor"], visits["direction"], strict=True
        )
    }


def _visits(ds: Dataset, view: View, years: tuple[int, int]) -> pd.DataFrame:
    """The visits in the filter, with their precomputed hover texts: filtered once per view for the trade chart's
    strip and the timeline alike. Treat as read-only."""
    return _filtered_visits(ds, _only(view, *VISIT_FILTERS, "lang"), years)


@lru_cache(maxsize=MEMO)
def _filtered_visits(ds: Dataset, view: View, years: tuple[int, int]) -> pd.DataFrame:
    mask = filtering.visit_mask(ds.visits, view, years)
    every = _visit_hovers(ds, view.lang)  # the same rows as ds.visits, with hover columns
    visits = every if mask.all() else every[mask]
    if not (view.query or view.visitors):
        return visits
    found = filtering.with_matches(ds.visits[mask], view)  # searched in the data's own names, not the shown ones
    visits = visits.loc[found.index]
    return visits.assign(match=found["match"]) if "match" in found else visits  # where a search matched


MAX_VISITS_DRAWN = 400  # beyond this many visits in a filter, a chart draws one marker per month and row


def _drawn_visits(visits: pd.DataFrame, by: str, t: Translator) -> tuple[pd.DataFrame, str]:
    """The visits as a chart draws them, and the caption that says how.

    Up to MAX_VISITS_DRAWN, each visit. Beyond, one marker per year and row (direction, and `by`), or per month
    when the visits span under four years: thousands of diamonds on a 25-year axis cannot be told apart (a
    month is about 3 px there), and each costs the page its hover text. A marker names its count and selects
    its first visit; the table keeps every visit."""
    if len(visits) <= MAX_VISITS_DRAWN:
        return visits, ""
    month = visits["start_date"].to_numpy().astype("datetime64[M]")
    by_month = int(month.max().astype(np.int64) - month.min().astype(np.int64)) < 48
    period = month if by_month else month.astype("datetime64[Y]")
    way, _ = pd.factorize(visits["direction"].to_numpy())
    row, rows = pd.factorize(visits[by].to_numpy())
    steps = period.astype(np.int64) - period.min().astype(np.int64)
    key = (way.astype(np.int64) * (len(rows) + 1) + row) * (int(steps.max()) + 1) + steps
    _, first_at, bucket, counts = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    first = np.zeros(len(key), dtype=bool)
    first[first_at] = True  # the first visit of each period and row stands for it
    drawn = visits[first]
    n, when = counts[bucket][first], period[first]
    names = {  # each period named once
        p: fmt.month(pd.Timestamp(p), t.locale) if by_month else fmt.year(pd.Timestamp(p).year)
        for p in np.unique(when[n > 1])
    }
    narrow = t("Narrow the filters to see each one.")
    many = np.array(
        [
            t("{n} visits in {period}", n=int(k), period=names[p]) + "<br>" + narrow if k > 1 else ""
            for k, p in zip(n, when, strict=True)
        ],
        dtype=object,
    )
    counted = {
        col: np.where(n > 1, many, drawn[col].to_numpy(dtype=object))
        for col in ("hover", "strip_hover")
        if col in drawn
    }
    count = fmt.count(len(visits), t.locale)
    note = (
        t(
            "{n} visits in this filter: drawn as one marker per month and row, with the count in its hover; "
            "narrow the filters to see each visit (the table lists them all).",
            n=count,
        )
        if by_month
        else t(
            "{n} visits in this filter: drawn as one marker per year and row, with the count in its hover; "
            "narrow the filters to see each visit (the table lists them all).",
            n=count,
        )
    )
    return drawn.assign(**counted, visits_drawn=n), note  # visits_drawn: how many visits each marker stands for


def _only(view: View, *fields: str) -> View:
    """The view reduced to the fields a panel depends on: its memo key."""
    return View(**{name: getattr(view, name) for name in fields})


def _empty_panel(name: str, title: str, message: str, table: pd.DataFrame, t: Translator = ENGLISH) -> Panel:
    return Panel(
        name,
        title,
        theme.empty(title, message, t),
        t("Empty chart: {message}", message=message),
        table,
        t(SITE),
        empty=message,
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
        return _empty_panel(
            "trade",
            title,
            t("No annual trade figures in this year range with a previous year to compare with: widen the years.")
            if measure == "growth"
            else t("No annual trade figures in this year range: widen the years."),
            table,
            t,
        )
    visits = _visits(ds, view, years)
    drawn, thinned = _drawn_visits(visits, "direction", t)
    by_year = _trade_agencies(ds)
    agencies = _credit(
        set().union(*(by_year.get((r, y), ()) for r in chosen for y in range(years[0], years[1] + 1))), t
    )
    trend = _trend(annual, "total", t) if measure == "value" else _relative_trend(series, measure, t)
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
        + drawn_too,
        table,
        (
            t(
                "Sources: {agencies}. {filters}. Measure: {measure}. {site}.",
                agencies=agencies,
                filters=describe(view, choices, theme.LABELS),
                measure=what,
                site=_site(ds, t),
            )
            if measure == "value"
            else t(
                "Sources: {agencies}. {filters}. Measure: {measure}, computed here from the figures of data/. {site}.",
                agencies=agencies,
                filters=describe(view, choices, theme.LABELS),
                measure=what,
                site=_site(ds, t),
            )
        ),
        note=" ".join(n for n in (_trade_note(ds, annual, years, t), thinned) if n),
    )


@lru_cache(maxsize=8)
def _stated(ds: Dataset) -> pd.DataFrame:
    """The agency behind each stated full-year figure (the reason a series ends where its source's extract does)."""
    trade = filtering.derived(ds).trade
    return trade[trade["full_year"] & trade["preferred"]][["reporter", "flow", "year", "agency"]]


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
        return _empty_panel("mirror", title, t("No year in this range has both countries' figures."), table, t)
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
        t("Sources: {agencies}. {span}. {site}.", agencies=_agencies(full_years, t=t), span=span, site=_site(ds, t)),
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


def _local_periods(frame: pd.DataFrame, locale: str) -> pd.DataFrame:
    """Each row's period (and its previous year's) in the locale ('thg 1 – thg 6 2025', '2025年1月至6月'), from
    the month it ends and the months it covers; the data's own `period` is English."""
    if frame.empty:
        return frame
    end = pd.to_datetime(frame["end"])
    start = [(e.to_period("M") - (int(m) - 1)).to_timestamp() for e, m in zip(end, frame["months"], strict=True)]
    out = frame.assign(period=[fmt.period(a, b, locale) for a, b in zip(start, end, strict=True)])
    if "prev_period" in frame:
        year = pd.DateOffset(years=1)
        out["prev_period"] = [fmt.period(a - year, b - year, locale) for a, b in zip(start, end, strict=True)]
    return out


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
        rows, others = _local_periods(rows, t.locale), _local_periods(others, t.locale)
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
        return _empty_panel("ytd", title, message, table, t)
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
            agencies=_agencies(ds.trade[ds.trade["line"].astype(str).isin(table["line"])], t=t),
            span=span,
            who=who,
            site=_site(ds, t),
        ),
    )


NO_VISIT = N_(
    "Choose a visit (click it on the timeline, pick it from the list, or put visit= in the link) to see the "
    "trade in its year, the year before and the year after."
)
AROUND_COLUMNS = {
    "year": "year",
    "role": N_("year is"),
    "reporter": "reporter",
    "flow": "flow",
    "value": N_("US$ bn"),
    "change_pct": N_("change on the previous year, % (computed here)"),
    "status": "status",
    "source": N_("source"),
    "source_url": "source_url",
    "source_id": "source_id",
    "line": "line",
}


@lru_cache(maxsize=MEMO)
def around(ds: Dataset, visit_id: str) -> analysis.AroundVisit:
    """The trade around one visit (memoised: the page's details and the panel share it)."""
    tabs = analysis.tables(ds)
    return analysis.around_visit(tabs.annual, tabs.ytd, tabs.visits, visit_id)


def around_table(years: pd.DataFrame, t: Translator = ENGLISH) -> pd.DataFrame:
    """The annual figures around a visit as people read them, each with its source or computation."""
    source = [  # a computation or "no figure" note is in the catalogs
        (t(note) if isinstance(note, str) else note) if computed or missing else label
        for note, computed, missing, label in zip(
            years["note"], years["computed"], years["missing"], years["source_label"], strict=True
        )
    ]
    return years.assign(
        role=[t(r) for r in years["role"]],
        reporter=years["reporter"].map(t.map(theme.REPORTER_LABELS)),
        flow=years["flow"].map(t.map(theme.FLOW_SHORT)),
        source=source,
        change_pct=years["change_pct"].round(2),
    )[list(AROUND_COLUMNS)].rename(columns=AROUND_COLUMNS)


def around_ytd_table(ytd: pd.DataFrame, t: Translator = ENGLISH) -> pd.DataFrame:
    """The nearest year-to-date figures before and after a visit, with their sources."""
    if t.lang != "en" and len(ytd):
        ytd = _local_periods(ytd, t.locale)
        ytd = ytd.assign(change_note=analysis.localized_notes(ytd, "ytd", t), status=_statuses(ytd["status"], t))
    return ytd.assign(
        side=[t(side) for side in ytd["side"]],
        reporter=ytd["reporter"].map(t.map(theme.REPORTER_LABELS)),
        flow=ytd["flow"].map(t.map(theme.FLOW_SHORT)),
    )[
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
    ].rename(columns={"change_note": N_("change on the same months of the previous year")})


def _lines(values: pd.Series) -> set[str]:
    return {part for v in values for part in str(v).replace(" → ", ";").split(";") if part}


@lru_cache(maxsize=MEMO)
def visit_trade_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Trade in the chosen visit's year, the year before and the year after, per reporter, with the changes."""
    t = translator(view.lang)
    if not view.visit:
        return _empty_panel(
            "visit_trade",
            t("Trade around a visit"),
            t(NO_VISIT),
            pd.DataFrame(columns=list(AROUND_COLUMNS.values())),
            t,
        )
    found = around(ds, view.visit)
    visit = found.visit
    year = int(visit["start_date"].year)
    name = shown_names(found.visit.to_frame().T, view.lang).iloc[0]
    title = t(
        "Trade {before}–{after} around {visitor}'s visit of {date}",
        visitor=name,
        date=fmt.day(visit["start_date"], t.locale),
        before=year - 1,
        after=year + 1,
    )
    table = around_table(found.years, t)
    present = found.years[~found.years["missing"]]
    if present.empty:
        message = t(
            "No full-year trade figures for {before}, {year} or {after} in data/.",
            before=year - 1,
            year=year,
            after=year + 1,
        )
        return _empty_panel("visit_trade", title, message, table, t)
    parts = []
    for reporter, group in found.years[found.years["flow"] == "total"].groupby("reporter", sort=False):
        values = [
            t("missing")
            if m
            else fmt.money(v, locale=t.locale) + (f" ({fmt.percent_change(c, locale=t.locale)})" if c == c else "")
            for v, c, m in zip(group["value"], group["change_pct"], group["missing"], strict=True)
        ]
        parts.append(
            t("{who} two-way trade {values}", who=t(theme.REPORTER_LABELS[reporter]), values=", ".join(values))
        )
    missing = found.years[found.years["missing"]]
    gaps = (
        " " + t.n("{n} figure is missing and left empty.", "{n} figures are missing and left empty.", len(missing))
        if len(missing)
        else ""
    )
    rows = ds.trade[ds.trade["line"].astype(str).isin(_lines(present["line"]))]
    caveat = t(analysis.CAVEAT)
    return Panel(
        "visit_trade",
        title,
        around_visit_chart(found.years, title=title, t=t),
        t(
            "Bar chart of two-way trade, Vietnam's exports to China and its imports from China in {before}, {year} "
            "and {after}, around the visit: {parts}.",
            before=year - 1,
            year=year,
            after=year + 1,
            parts="; ".join(parts),
        )
        + f"{gaps} {caveat}",
        table,
        t(
            "Sources: {agencies}. Changes computed here. {caveat} {site}.",
            agencies=_agencies(rows, t=t),
            caveat=caveat,
            site=_site(ds, t),
        ),
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


def readable_visits(table: pd.DataFrame, t: Translator = ENGLISH) -> pd.DataFrame:
    """The visits table as people read it: labels instead of codes, the first source as a link (show it with
    column_order=VISITS_TABLE_ORDER)."""
    return table.assign(
        source_url=table["source_urls"].str[0],
        visitor_title=[t(v) for v in table["visitor_title"]],
        office=table["office"].map(t.map(theme.OFFICE_LABELS)),
        direction=table["direction"].map(t.map(theme.DIRECTION_LABELS)),
        visit_type=table["type_label"],
    )


@lru_cache(maxsize=MEMO)
def timeline_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Every visit in the filter on a date axis."""
    t = translator(view.lang)
    years = view.years(choices)
    span = "–".join(map(str, years))
    visits = _visits(ds, view, years)
    group = t(GROUP_NAMES[view.group_by])
    title = t("High-level visits {span}, by {group}", span=span, group=group)
    table = visits[[*VISIT_COLUMNS, *(["match"] if "match" in visits else [])]]
    if visits.empty:
        return _empty_panel(
            "timeline", title, t("No visit matches these filters: clear a filter or widen the years."), table, t
        )
    counts = visits["direction"].value_counts()
    drawn, thinned = _drawn_visits(visits, view.group_by, t)
    return Panel(
        "timeline",
        title,
        visit_timeline(drawn, group_by=view.group_by, years=years, title=title, selected=view.visit, t=t),
        t(
            "Timeline of {n} high-level visits, {span}: {vn} by Vietnamese leaders to China and {cn} by Chinese "
            "leaders to Vietnam, one row per {group}.",
            n=len(visits),
            span=span,
            vn=counts.get("vn_to_cn", 0),
            cn=counts.get("cn_to_vn", 0),
            group=group,
        ),
        table,
        t(
            "Sources: see the visits table. {filters}. {site}.",
            filters=describe(view, choices, theme.LABELS, reporter=False),
            site=_site(ds, t),
        ),
        note=thinned,
    )


GROUP_NAMES = {"office": N_("office"), "direction": N_("direction")}


INDICATORS = {
    "fdi": (
        "fdi_registered_capital_usd_bn",
        N_("Chinese direct investment registered in Vietnam"),
        N_("US$ billion"),
        theme.VERMILLION,
    ),
    "tourists": ("tourist_arrivals_mn", N_("Chinese visitor arrivals in Vietnam"), N_("million arrivals"), theme.SKY),
}


@lru_cache(maxsize=MEMO)
def indicator_panel(ds: Dataset, name: str, view: View, choices: Choices) -> Panel:
    """One of the other yearly indicators, full years as bars and part-years as open markers."""
    t = translator(view.lang)
    indicator, title, unit, colour = INDICATORS[name]
    title = t(title)
    years = view.years(choices)
    every = filtering.derived(ds).indicators  # with source titles and version counts, for the hovers
    rows = every[(every["indicator"] == indicator) & every["year"].between(*years)]
    if t.lang != "en":  # periods in the reader's locale, statuses in the reader's language
        rows = _local_periods(rows, t.locale)
    definition = ["definition"] if "definition" in rows else []
    shown = ["period", "value", "unit", *definition, "qualifier", "preferred", "status", "agency"]
    table = rows[[*shown, "source_label", "source_url", "note"]]
    if t.lang != "en" and len(table):
        table = table.assign(status=_statuses(table["status"], t))
    if rows.empty:
        return _empty_panel(name, title, t("No figures in this year range."), table, t)
    full = rows[rows["preferred"] & rows["full_year"]].sort_values("year")
    latest = (
        " "
        + t(
            "The latest full year, {year}, stands at {value}.",
            year=full.year.iloc[-1],
            value=fmt.quantity(full.value.iloc[-1], unit, full.qualifier.iloc[-1], locale=t.locale),
        )
        if len(full)
        else ""
    )
    return Panel(
        name,
        title,
        indicator_chart(rows, title=title, unit=unit, colour=colour, years=years, t=t),
        t(
            "Bar chart of {title} per year in {unit}, with part-year figures as open circles.",
            title=title[0].lower() + title[1:],
            unit=t(unit),
        )
        + latest,
        table,
        t(
            "Sources: {agencies}. {span}. {site}.",
            agencies=_agencies(rows, t=t),
            span="–".join(map(str, years)),
            site=_site(ds, t),
        ),
        note=gap_notes.years_note(list(full["year"]), t=t),
    )


# Each panel from only the view fields it depends on (its memo key, the language included), in page order.
BUILDERS: dict[str, Callable[[Dataset, View, Choices], Panel]] = {
    "trade": lambda ds, view, choices: trade_panel(
        ds, _only(view, *YEARS, "reporter", *VISIT_FILTERS, "visit", "measure", "scale", "lang"), choices
    ),
    "ytd": lambda ds, view, choices: ytd_panel(ds, _only(view, *YEARS, "ytd_reporter", "ytd_flow", "lang"), choices),
    "mirror": lambda ds, view, choices: mirror_panel(ds, _only(view, *YEARS, "lang"), choices),
    "timeline": lambda ds, view, choices: timeline_panel(
        ds, _only(view, *YEARS, *VISIT_FILTERS, "group_by", "visit", "lang"), choices
    ),
    **{
        name: (lambda ds, view, choices, name=name: indicator_panel(ds, name, _only(view, *YEARS, "lang"), choices))
        for name in INDICATORS
    },
    "visit_trade": lambda ds, view, choices: visit_trade_panel(ds, _only(view, "visit", "lang"), choices),
}


def prepare(ds: Dataset) -> Dataset:
    """Derive every view-independent table once, when the dataset is loaded, in every language: a reader's first
    view in any language, like every later new view, then only slices them (about 65 ms a language, once)."""
    for lang in LANGUAGES:
        _value_points(ds, lang)
        _visit_hovers(ds, lang)
        visit_labels(ds, lang)
    return ds


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
