"""The Panel type and what every panel shares: credit lines, empty panels, memo keys, localised periods."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from components import formatting as fmt
from components import milestone_charts, tables, theme
from components.dataset import Dataset
from components.i18n import N_, Translator, translator
from components.theme import ENGLISH
from components.view import View

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


def agencies(*frames: pd.DataFrame, t: Translator = ENGLISH) -> str:
    """The agencies behind the figures, for a credit line: 'China Customs (GACC); IMF DOTS; Vietnam Customs'."""
    names = {a for f in frames if "agency" in f for a in f["agency"].to_numpy(dtype=object) if isinstance(a, str) and a}
    return credit(names, t)


def credit(names: Iterable[str], t: Translator = ENGLISH) -> str:
    return "; ".join(sorted(names)) or t("see the Sources table")


def statuses(values: pd.Series, t: Translator) -> list:
    """final / preliminary / estimate in the reader's language (the page's tables; CSVs go through tables)."""
    return [t(tables.STATUS_LABELS.get(v, v)) if isinstance(v, str) else v for v in values]


MEMO = 64  # panels kept per kind: the views of a burst of shared links (20 readers × a few views each), bounded
SITE = N_("Vietnam–China relations dashboard")


def site_credit(ds: Dataset, t: Translator) -> str:
    """The credit at the end of every source line, with how current the data is (exports carry it too): trade
    and visits each to their own month, never one "data to" date that fits neither."""
    return t(
        "{site}, trade figures to {trade}, visits to {visits}",
        site=t(SITE),
        trade=fmt.month(ds.trade["end"].max(), t.locale),
        visits=fmt.month(ds.visits_end, t.locale),
    )


YEARS = ("year_from", "year_to")
VISIT_FILTERS = ("directions", "offices", "visit_types", "visitors", "query", "role", "recent")


def shown_names(visits: pd.DataFrame, lang: str) -> pd.Series:
    """Visitors' names as the interface shows them: in Chinese characters in the Chinese interface where the
    dataset gives them (`visitor_zh`), else as the data spells them (Vietnamese with diacritics, Pinyin)."""
    if lang != "zh" or "visitor_zh" not in visits:
        return visits["visitor"]
    chinese = visits["visitor_zh"].fillna("").astype(str).str.strip()
    return chinese.where(chinese != "", visits["visitor"])


@lru_cache(maxsize=8)
def milestones(ds: Dataset, lang: str) -> tuple[milestone_charts.Milestone, ...]:
    """The milestones with their labels, hovers and table rows in one language, prepared once per dataset."""
    return milestone_charts.prepare(ds.milestones, translator(lang))


def only(view: View, *fields: str) -> View:
    """The view reduced to the fields a panel depends on: its memo key."""
    return View(**{name: getattr(view, name) for name in fields})


def empty_panel(name: str, title: str, message: str, table: pd.DataFrame, t: Translator = ENGLISH) -> Panel:
    return Panel(
        name,
        title,
        theme.empty(title, message, t),
        t("Empty chart: {message}", message=message),
        table,
        t(SITE),
        empty=message,
    )


def local_periods(frame: pd.DataFrame, locale: str) -> pd.DataFrame:
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
