"""Pure: the one-paragraph note under a chart that says which series end early, where years are missing, which
points stand alone, and why, so a reader (or a PNG) never sees a line simply stop.

The reasons are read from the data itself (the agency behind a series' last figure, which series continue),
never written by hand per chart.
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd

from components import formatting as fmt
from components import theme

WHOSE = {"VN": "Vietnam's", "CN": "China's"}
# Agencies whose public extract is known to end at a year: the reason a series drawn from them stops there.
EXTRACTS = {"IMF DOTS": "the IMF DOTS extract cited ends there"}


def _runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of years: [2000, 2001, 2003] → [(2000, 2001), (2003, 2003)]."""
    runs: list[tuple[int, int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def _name(reporter: str, flow: str) -> str:
    return f"{theme.REPORTER_LABELS[reporter]} {_flow(flow)}"


def _flow(flow: str) -> str:
    label = theme.FLOW_SHORT[flow]
    return label[0].lower() + label[1:]  # 'exports to China', not 'exports to china'


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _missing(runs: list[tuple[int, int]]) -> list[str]:
    holes = [(a[1] + 1, b[0] - 1) for a, b in pairwise(runs)]
    return [fmt.span(h) for h in holes]


def _reporter_note(
    reporter: str, group: pd.DataFrame, end: int, agencies: pd.DataFrame | None
) -> tuple[list[str], int | None]:
    """Sentences about one reporter's series, and the year the earliest early-ending series stops."""
    ended: dict[int, list[str]] = {}
    reasons: dict[int, str] = {}
    parts: list[str] = []
    for flow in [f for f in theme.FLOW_SHORT if f in set(group["flow"])]:
        present = sorted(set(group.loc[group["flow"] == flow, "year"].astype(int)))
        runs = _runs(present)
        main = runs[:-1] if len(runs) > 1 and runs[-1][0] == runs[-1][1] else runs  # a lone last point aside
        last = main[-1][1]
        if last < end:
            ended.setdefault(last, []).append(_flow(flow))
            if agencies is not None:
                rows = agencies[
                    (agencies["reporter"] == reporter) & (agencies["flow"] == flow) & (agencies["year"] == last)
                ]
                found = [EXTRACTS[a] for a in rows["agency"] if a in EXTRACTS]
                if found:
                    reasons[last] = found[0]
        holes = _missing(runs)
        lone = [a for a, b in runs if a == b and len(present) > 1]
        bits = []
        if holes:
            bits.append(f"no figure for {_join(holes)}")
        if lone:
            bits.append(f"{_join([str(y) for y in lone])} stand{'s' if len(lone) == 1 else ''} alone")
        if bits:
            parts.append(f"{_flow(flow)}: {', '.join(bits)}")
    sentences = [
        f"{_join(flows)} end in {year}" + (f" ({reasons[year]})" if year in reasons else "")
        for year, flows in sorted(ended.items())
    ]
    return sentences + parts, (min(ended) if ended else None)


def series_note(series: pd.DataFrame, years: tuple[int, int], *, agencies: pd.DataFrame | None = None) -> str:
    """The note for a chart of annual series (`reporter`, `flow`, `year` columns, one row per drawn point).

    `agencies` (reporter, flow, year, agency) gives the agency behind each stated figure: the reason a series
    ends where its source's extract ends. A lone point is one with no figure in the years either side."""
    if series.empty:
        return ""
    chart_end = int(series["year"].max())
    notes = []
    for reporter in [r for r in ("VN", "CN") if r in set(series["reporter"])]:
        group = series[series["reporter"] == reporter]
        end = int(group["year"].max())
        sentences, first_end = _reporter_note(reporter, group, end, agencies)
        if first_end is not None:
            later = group[group["year"] > first_end]
            kept = [_flow(f) for f in theme.FLOW_SHORT if f in set(later["flow"]) and later["flow"].eq(f).sum() > 1]
            if kept:
                sentences.append(f"after {first_end} only {_join(kept)}")
        if end < chart_end:
            sentences.append(f"nothing after {end}")
        if sentences:
            notes.append(f"{theme.REPORTER_LABELS[reporter]} figures: " + "; ".join(sentences) + ".")
    if not notes:
        return ""
    return " ".join(notes) + " No public source was found for the missing years (see Sources and method)."


def mirror_note(mirror: pd.DataFrame) -> str:
    """What the mirror chart leaves out: years where only one side's figure exists get no gap bar."""
    if mirror.empty:
        return ""
    parts = []
    for flow, group in mirror.groupby("flow", sort=False):
        for reporter, other in (("VN", "CN"), ("CN", "VN")):
            alone = group[group[reporter].notna() & group[other].isna()]["year"].astype(int).tolist()
            if alone:
                spans = [fmt.span(r) for r in _runs(alone)]
                parts.append(f"{_name(reporter, flow)} in {_join(spans)}")
    if not parts:
        return ""
    return (
        "Each side's own figures are drawn wherever they exist; the gap (bars) only where both do. One side only: "
        + "; ".join(parts)
        + "."
    )


def years_note(full_years: list[int], what: str = "full-year figure") -> str:
    """For a chart of one yearly series: the years between its first and last with no figure."""
    present = sorted({int(y) for y in full_years})
    holes = _missing(_runs(present)) if present else []
    if not holes:
        return ""
    return (
        f"No {what} for {_join(holes)}: no public source was found (see Sources and method). Part-year figures, "
        "where there are any, are the open circles."
    )
