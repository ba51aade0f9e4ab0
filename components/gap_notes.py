"""Pure: the one-paragraph note under a chart that says which series end early, where years are missing, which
points stand alone, and why, so a reader (or a PNG) never sees a line simply stop.

The reasons are read from the data itself (the agency behind a series' last figure, which series continue),
never written by hand per chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import pandas as pd
from babel.lists import format_list

from components import formatting as fmt
from components import theme
from components.i18n import N_, Translator
from components.theme import ENGLISH

WHOSE = {"VN": "Vietnam's", "CN": "China's"}
# Agencies whose public extract is known to end at a year: the reason a series drawn from them stops there.
EXTRACTS = {"IMF DOTS": N_("the IMF DOTS extract cited ends there")}


def _runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of years: [2000, 2001, 2003] → [(2000, 2001), (2003, 2003)]."""
    runs: list[tuple[int, int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def _name(reporter: str, flow: str, t: Translator = ENGLISH) -> str:
    return t("{reporter} {flow}", reporter=t(theme.REPORTER_LABELS[reporter]), flow=_flow(flow, t))


def _flow(flow: str, t: Translator = ENGLISH) -> str:
    label = t(theme.FLOW_SHORT[flow])
    return label[0].lower() + label[1:]  # 'exports to China', not 'exports to china'


def _join(items: list[str], t: Translator = ENGLISH) -> str:
    """'a, b and c' (the house style, no serial comma); other languages their own way ('a, b và c', 'a、b和c')."""
    if t.lang == "en":
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return format_list(items, locale=t.locale)


def _missing(runs: list[tuple[int, int]]) -> list[str]:
    holes = [(a[1] + 1, b[0] - 1) for a, b in pairwise(runs)]
    return [fmt.span(h) for h in holes]


def _reporter_note(
    reporter: str, flows: dict[str, list[int]], end: int, reasons_at: dict, t: Translator = ENGLISH
) -> tuple[list[str], int | None]:
    """Sentences about one reporter's series (the sorted years of each flow), and the year the earliest
    early-ending series stops."""
    ended: dict[int, list[str]] = {}
    reasons: dict[int, str] = {}
    parts: list[str] = []
    for flow in [f for f in theme.FLOW_SHORT if f in flows]:
        present = flows[flow]
        runs = _runs(present)
        main = runs[:-1] if len(runs) > 1 and runs[-1][0] == runs[-1][1] else runs  # a lone last point aside
        last = main[-1][1]
        if last < end:
            ended.setdefault(last, []).append(_flow(flow, t))
            found = [t(EXTRACTS[a]) for a in reasons_at.get((reporter, flow, last), ()) if a in EXTRACTS]
            if found:
                reasons[last] = found[0]
        holes = _missing(runs)
        lone = [a for a, b in runs if a == b and len(present) > 1]
        bits = []
        if holes:
            bits.append(t("no figure for {years}", years=_join(holes, t)))
        if lone:
            alone = _join([str(y) for y in lone], t)
            bits.append(t.n("{years} stands alone", "{years} stand alone", len(lone), years=alone))
        if bits:
            parts.append(t("{flow}: {details}", flow=_flow(flow, t), details=", ".join(bits)))
    sentences = [
        t("{flows} end in {year}", flows=_join(flows, t), year=year)
        + (f" ({reasons[year]})" if year in reasons else "")
        for year, flows in sorted(ended.items())
    ]
    return sentences + parts, (min(ended) if ended else None)


Agencies = Mapping[tuple[str, str, int], Sequence[str]]  # (reporter, flow, year) → the agencies stating it


def agencies_by_point(agencies: pd.DataFrame) -> dict[tuple[str, str, int], list[str]]:
    """`series_note`'s agencies from a (reporter, flow, year, agency) table: made once per dataset, as every new
    year range asks for them."""
    out: dict[tuple[str, str, int], list[str]] = {}
    for key in zip(agencies["reporter"], agencies["flow"], agencies["year"], agencies["agency"], strict=True):
        out.setdefault((key[0], key[1], int(key[2])), []).append(key[3])
    return out


def series_note(
    series: pd.DataFrame, years: tuple[int, int], *, agencies: Agencies | None = None, t: Translator = ENGLISH
) -> str:
    """The note for a chart of annual series (`reporter`, `flow`, `year` columns, one row per drawn point).

    `agencies` (`agencies_by_point`) gives the agency behind each stated figure: the reason a series ends where
    its source's extract ends. A lone point is one with no figure in the years either side.

    Works on plain dicts of years (a few hundred rows at most): it runs for every new year range."""
    if series.empty:
        return ""
    present: dict[str, dict[str, set[int]]] = {}
    for reporter, flow, year in zip(series["reporter"], series["flow"], series["year"], strict=True):
        present.setdefault(reporter, {}).setdefault(flow, set()).add(int(year))
    reasons_at = agencies or {}
    chart_end = max(max(ys) for flows in present.values() for ys in flows.values())
    notes = []
    for reporter in [r for r in ("VN", "CN") if r in present]:
        flows = {flow: sorted(ys) for flow, ys in present[reporter].items()}
        end = max(ys[-1] for ys in flows.values())
        sentences, first_end = _reporter_note(reporter, flows, end, reasons_at, t)
        if first_end is not None:
            kept = [_flow(f, t) for f in theme.FLOW_SHORT if f in flows and sum(y > first_end for y in flows[f]) > 1]
            if kept:
                sentences.append(t("after {year} only {flows}", year=first_end, flows=_join(kept, t)))
        if end < chart_end:
            sentences.append(t("nothing after {year}", year=end))
        if sentences:
            notes.append(
                t("{who} figures: {details}.", who=t(theme.REPORTER_LABELS[reporter]), details="; ".join(sentences))
            )
    if not notes:
        return ""
    return " ".join([*notes, t("No public source was found for the missing years (see Sources and method).")])


def mirror_note(mirror: pd.DataFrame, t: Translator = ENGLISH) -> str:
    """What the mirror chart leaves out: years where only one side's figure exists get no gap bar."""
    if mirror.empty:
        return ""
    parts = []
    for flow, group in mirror.groupby("flow", sort=False):
        for reporter, other in (("VN", "CN"), ("CN", "VN")):
            alone = group[group[reporter].notna() & group[other].isna()]["year"].astype(int).tolist()
            if alone:
                spans = [fmt.span(r) for r in _runs(alone)]
                parts.append(t("{name} in {years}", name=_name(reporter, flow, t), years=_join(spans, t)))
    if not parts:
        return ""
    return t(
        "Each side's own figures are drawn wherever they exist; the gap (bars) only where both do. One side only: "
        "{parts}.",
        parts="; ".join(parts),
    )


def years_note(full_years: list[int], what: str = N_("full-year figure"), t: Translator = ENGLISH) -> str:
    """For a chart of one yearly series: the years between its first and last with no figure."""
    present = sorted({int(y) for y in full_years})
    holes = _missing(_runs(present)) if present else []
    if not holes:
        return ""
    return t(
        "No {what} for {years}: no public source was found (see Sources and method). Part-year figures, "
        "where there are any, are the open circles.",
        what=t(what),
        years=_join(holes, t),
    )
