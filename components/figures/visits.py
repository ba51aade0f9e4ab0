"""The visits panels: the timeline, and the filtered visits with their hover texts (shared with the trade strip)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from components import filtering, milestone_charts, theme
from components import formatting as fmt
from components.dataset import Dataset
from components.documents_charts import documents_chart
from components.figures.base import (
    MEMO,
    VISIT_FILTERS,
    Panel,
    empty_panel,
    milestones,
    only,
    shown_names,
    site_credit,
)
from components.i18n import N_, Translator, translator
from components.theme import ENGLISH
from components.timeline import hover_text, visit_timeline
from components.trade_charts import (
    strip_hover,
)
from components.view import Choices, View, describe


@lru_cache(maxsize=8)
def _newest_first(ds: Dataset) -> np.ndarray:
    """The positions of ds.visits in the order every list of visits reads (filtering.newest_first)."""
    return filtering.newest_order(ds.visits)


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
    kept = kept.astype({c: object for c in kept.columns if pd.api.types.is_string_dtype(kept[c].dtype)})
    return kept.iloc[_newest_first(ds)]  # the order of every list of visits, so a view's rows need no sort


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


def filtered_visits(ds: Dataset, view: View, years: tuple[int, int]) -> pd.DataFrame:
    """The visits in the filter, with their precomputed hover texts: filtered once per view for the trade chart's
    strip and the timeline alike. Treat as read-only."""
    return _filtered_visits(ds, only(view, *VISIT_FILTERS, "lang"), years)


@lru_cache(maxsize=MEMO)
def _filtered_visits(ds: Dataset, view: View, years: tuple[int, int]) -> pd.DataFrame:
    mask = filtering.visit_mask(ds.visits, view, years, ds.last_updated)
    every = _visit_hovers(ds, view.lang)  # the rows of ds.visits newest first (as every list reads), with hovers
    shown = mask[_newest_first(ds)]  # the mask in that order
    visits = every if shown.all() else every[shown]
    if view.query or view.visitors:
        found = filtering.with_matches(ds.visits[mask], view)  # searched in the data's own names, not the shown
        visits = visits[visits.index.isin(found.index)]
        visits = visits.assign(match=found["match"]) if "match" in found else visits  # where a search matched
    return visits


MAX_VISITS_DRAWN = 400  # beyond this many visits in a filter, a chart draws one marker per month and row


def drawn_visits(visits: pd.DataFrame, by: str, t: Translator) -> tuple[pd.DataFrame, str]:
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
    "documents_signed",
    "documents_source_ids",
    "documents_source_labels",
    "documents_source_urls",
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
    "documents_signed",
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
    visits = filtered_visits(ds, view, years)
    recent = choices.recent_span(view.recent)
    if recent:  # the latest twelve months: the axis spans their years
        years = (recent[0].year, recent[1].year)
    span = "–".join(map(str, years))
    group = t(GROUP_NAMES[view.group_by])
    title = t("High-level visits {span}, by {group}", span=span, group=group)
    table = visits[[*VISIT_COLUMNS, *(["match"] if "match" in visits else [])]]
    if visits.empty:
        return empty_panel(
            "timeline", title, t("No visit matches these filters: clear a filter or widen the years."), table, t
        )
    counts = visits["direction"].value_counts()
    drawn, thinned = drawn_visits(visits, view.group_by, t)
    return Panel(
        "timeline",
        title,
        visit_timeline(
            drawn,
            group_by=view.group_by,
            years=years,
            title=title,
            selected=view.visit,
            milestones=milestones(ds, view.lang) if view.milestones else None,
            t=t,
        ),
        t(
            "Timeline of {n} high-level visits, {span}: {vn} by Vietnamese leaders to China and {cn} by Chinese "
            "leaders to Vietnam, one row per {group}.",
            n=len(visits),
            span=span,
            vn=counts.get("vn_to_cn", 0),
            cn=counts.get("cn_to_vn", 0),
            group=group,
        )
        + (" " + milestone_charts.alt_sentence(milestones(ds, view.lang), years, t) if view.milestones else ""),
        table,
        t(
            "Sources: see the visits table. {filters}. {site}.",
            filters=describe(view, choices, theme.FILTER_LABELS, reporter=False),
            site=site_credit(ds, t),
        ),
        note=thinned,
    )


GROUP_NAMES = {"office": N_("office"), "direction": N_("direction")}


DOCUMENTS_COLUMNS = {
    "start_date": "start_date",
    "end_date": "end_date",
    "visitor": "visitor",
    "direction": "direction",
    "documents_signed": N_("documents signed"),
    "documents_source_labels": N_("count stated by"),
    "source_url": "source_url",
    "visit_id": "visit_id",
}


@lru_cache(maxsize=MEMO)
def documents_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """Documents signed per summit over time: only the visits in the filter whose sources state a count."""
    t = translator(view.lang)
    years = view.years(choices)
    span = "–".join(map(str, years))
    visits = filtered_visits(ds, view, years)
    counted = visits[visits["documents_signed"].notna()].sort_values("start_date", kind="stable")
    title = t("Documents signed per visit, {span}, where a source states the count", span=span)
    table = counted.assign(
        direction=counted["direction"].map(t.map(theme.DIRECTION_LABELS)),
        source_url=counted["documents_source_urls"].str[0],
    )[list(DOCUMENTS_COLUMNS)].rename(columns=DOCUMENTS_COLUMNS)
    if counted.empty:
        message = t(
            "No visit in this filter has a count of documents signed stated by a source: none is estimated. "
            "Clear a filter or widen the years."
        )
        return empty_panel("documents", title, message, table, t)
    left_out = len(visits) - len(counted)
    note = t.n(
        "Only visits whose sources state a count are drawn: {n} visit in the filter has one. {m} others have no "
        "stated count and are left out; nothing is estimated.",
        "Only visits whose sources state a count are drawn: {n} visits in the filter have one. {m} others have no "
        "stated count and are left out; nothing is estimated.",
        len(counted),
        m=left_out,
    )
    most = counted.loc[counted["documents_signed"].astype(float).idxmax()]
    alt = (
        t.n(
            "Chart of the documents signed during {n} visit, {span}, each a stem as high as its count.",
            "Chart of the documents signed during {n} visits, {span}, each a stem as high as its count.",
            len(counted),
            span=span,
        )
        + " "
        + t(
            "The most: {count} during {visitor}'s visit of {date}.",
            count=int(most["documents_signed"]),
            visitor=most["visitor"],
            date=fmt.day(most["start_date"], t.locale),
        )
    )
    return Panel(
        "documents",
        title,
        documents_chart(counted, years=years, title=title, t=t),
        f"{alt} {note}",
        table,
        t(
            "Sources: the sources that state each count (in the table). {filters}. {site}.",
            filters=describe(view, choices, theme.FILTER_LABELS, reporter=False),
            site=site_credit(ds, t),
        ),
        note=note,
    )
