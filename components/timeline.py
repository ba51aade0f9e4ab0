"""Pure figure builder for the visit timeline: visits table in, plotly Figure out.

Visits are markers, not bars: a one-day visit drawn as a bar is narrower than a pixel on a 25-year axis.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import formatting as fmt
from components import milestone_charts, theme
from components.filtering import FLOWS
from components.i18n import Translator
from components.theme import ENGLISH


def hover_text(visits: pd.DataFrame, t: Translator = ENGLISH) -> list[str]:
    """Dates, visitor, title, type, cities and outcomes (curated in English), for the hover box."""
    return [
        f"<b>{v.visitor}</b> · {fmt.day(v.start_date, t.locale)}–{fmt.day(v.end_date, t.locale)}"
        f"<br>{theme.wrap(t(v.visitor_title), 70)}"
        f"<br>{theme.visit_type_label(v.visit_type, v.bilateral_part, t)} · {v.cities}"
        f"<br><i>{theme.wrap(v.outcomes, 70)}</i>"
        for v in visits.itertuples()
    ]


def _numeric_dates(years: tuple[int, int], t: Translator) -> dict:
    """Plotly names months in English ('Jan 2024'): other languages get numeric date ticks instead."""
    if t.lang == "en":
        return {}
    return {"tickformat": "%Y" if years[1] - years[0] >= 3 else "%m/%Y"}


def visit_timeline(
    visits: pd.DataFrame,
    *,
    group_by: str,
    years: tuple[int, int],
    title: str,
    selected: str = "",
    milestones: Sequence[milestone_charts.Milestone] | None = None,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Every visit on a date axis, one row per office (or direction), coloured by direction, with the
    `milestones` (if given) as labelled vertical rules.

    Uses a precomputed `hover` column when the table has one (figures.build adds it once per dataset).
    """
    labels = t.map(theme.OFFICE_LABELS if group_by == "office" else theme.DIRECTION_LABELS)
    # Plain arrays, not pandas selections: this runs for every new filter.
    groups = visits[group_by].to_numpy(dtype=object)
    rows = [labels[k] for k in labels if k in set(groups)]
    row = np.array([labels.get(g, g) for g in groups], dtype=object)
    direction = visits["direction"].to_numpy(dtype=object)
    dates, ids = visits["start_date"].to_numpy(), visits["visit_id"].to_numpy(dtype=object)
    hovers = np.asarray(visits["hover"] if "hover" in visits else hover_text(visits, t), dtype=object)
    # a thinned table (figures._drawn_visits) has one row per month or year and row: count the visits, not markers
    stands_for = visits["visits_drawn"].to_numpy() if "visits_drawn" in visits else np.ones(len(visits), dtype=int)
    traces = []
    for way in FLOWS:
        on = direction == way
        if not on.any():
            continue
        traces.append(
            {
                "type": "scatter",
                "x": dates[on],
                "y": row[on],
                "mode": "markers",
                "name": f"{t(theme.DIRECTION_LABELS[way])} ({int(stands_for[on].sum())})",
                "marker": {
                    "symbol": "diamond",
                    "size": 13,
                    "color": theme.DIRECTION_COLOURS[way],
                    "line": {"width": 1, "color": "white"},
                    "opacity": 0.9,
                },
                "customdata": ids[on].reshape(-1, 1),
                "hovertext": hovers[on],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    chosen = ids == selected
    if selected and chosen.any():
        traces.append(
            {
                "type": "scatter",
                "x": dates[chosen],
                "y": row[chosen],
                "mode": "markers",
                "name": t("Selected visit"),
                "hoverinfo": "skip",
                "marker": {"symbol": "circle-open", "size": 24, "line": {"width": 3, "color": theme.VERMILLION}},
            }
        )
    rules, labels = milestone_charts.marks(milestones, years) if milestones else ([], [])
    return theme.figure(
        traces,
        title,
        t=t,
        shapes=rules,
        annotations=[*labels, *theme.row_labels(rows[::-1])],
        height=160 + 55 * max(len(rows), 1),
        clickmode="event+select",
        dragmode="pan",
        margin={"l": 24, "b": 63},  # no row labels in the margin (theme.row_labels); b: the legend, as drawn
        xaxis={"type": "date", "range": [f"{years[0]}-01-01", f"{years[1]}-12-31"], **_numeric_dates(years, t)},
        yaxis={"categoryorder": "array", "categoryarray": rows[::-1], **theme.ROW_AXIS},
    )
