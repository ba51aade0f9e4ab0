"""The trade around one chosen visit: its year, the year before and the year after."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from components import analysis, theme
from components import formatting as fmt
from components.analysis_charts import around_visit_chart
from components.dataset import Dataset
from components.figures.base import (
    MEMO,
    Panel,
    agencies,
    empty_panel,
    local_periods,
    shown_names,
    site_credit,
    statuses,
)
from components.i18n import N_, Translator, translator
from components.theme import ENGLISH
from components.view import Choices, View

NO_VISIT = N_(
    "Choose a visit (tap or click it on the timeline, pick it from the list, or put visit= in the link) to see the "
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
        ytd = local_periods(ytd, t.locale)
        ytd = ytd.assign(change_note=analysis.localized_notes(ytd, "ytd", t), status=statuses(ytd["status"], t))
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


def documents_note(ds: Dataset, visit_id: str, t: Translator = ENGLISH) -> str:
    """'36 cooperation documents were signed during the visit (source: …).' where a source states the count."""
    visit = ds.visits.loc[ds.visits["visit_id"] == visit_id]
    if visit.empty or pd.isna(visit["documents_signed"].iloc[0]):
        return ""
    row = visit.iloc[0]
    return t.n(
        "{n} document was signed during the visit (count stated by {sources}).",
        "{n} documents were signed during the visit (count stated by {sources}).",
        int(row["documents_signed"]),
        sources=row["documents_source_labels"],
    )


def _lines(values: pd.Series) -> set[str]:
    return {part for v in values for part in str(v).replace(" → ", ";").split(";") if part}


@lru_cache(maxsize=MEMO)
def visit_trade_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Trade in the chosen visit's year, the year before and the year after, per reporter, with the changes."""
    t = translator(view.lang)
    if not view.visit:
        return empty_panel(
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
        return empty_panel("visit_trade", title, message, table, t)
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
    documents = documents_note(ds, view.visit, t)
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
        + f"{gaps} {caveat}"
        + (f" {documents}" if documents else ""),
        table,
        t(
            "Sources: {agencies}. Changes computed here. {caveat} {site}.",
            agencies=agencies(rows, t=t),
            caveat=caveat,
            site=site_credit(ds, t),
        ),
        note=documents,
    )
