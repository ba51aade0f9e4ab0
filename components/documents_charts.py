"""Pure figure builder: the number of documents signed per summit over time, as the sources state it.

Each visit with a stated count is a stem from zero to its count, topped by a marker carrying the number: a
one-day visit is a date, not a bar a pixel wide. Visits without a stated count are not drawn (never zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import formatting as fmt
from components import theme
from components.filtering import FLOWS
from components.i18n import Translator
from components.theme import ENGLISH
from components.timeline import _numeric_dates


def documents_hover(visits: pd.DataFrame, t: Translator = ENGLISH) -> list[str]:
    """Who, when, how many documents, and the sources that state the count."""
    out = []
    for v in visits.itertuples():
        signed = t.n("{n} document signed", "{n} documents signed", int(v.documents_signed))
        stated = theme.wrap(t("Count stated by: {sources}", sources=v.documents_source_labels), 70)
        out.append(
            f"<b>{v.visitor}</b> · {fmt.day(v.start_date, t.locale)}–{fmt.day(v.end_date, t.locale)}"
            f"<br>{signed}<br><i>{stated}</i>"
        )
    return out


def documents_chart(visits: pd.DataFrame, *, years: tuple[int, int], title: str, t: Translator = ENGLISH) -> go.Figure:
    """Documents signed per visit on a date axis, one colour per direction (only visits with a stated count)."""
    direction = visits["direction"].to_numpy(dtype=object)
    counts = visits["documents_signed"].to_numpy(dtype=float)
    hovers = np.asarray(documents_hover(visits, t), dtype=object)
    traces = []
    for way in FLOWS:
        on = direction == way
        if not on.any():
            continue
        y = counts[on]
        traces.append(
            {
                "type": "scatter",
                "x": visits["start_date"].to_numpy()[on],
                "y": y,
                "mode": "markers+text",
                "name": t(theme.DIRECTION_LABELS[way]),
                "text": [fmt.count(int(n), t.locale) for n in y],
                "textposition": "top center",
                "marker": {"symbol": "circle", "size": 11, "color": theme.DIRECTION_COLOURS[way]},
                # the stem: an error bar from the marker down to zero
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": np.zeros(len(y)),
                    "arrayminus": y,
                    "width": 0,
                    "thickness": 2,
                    "color": theme.DIRECTION_COLOURS[way],
                },
                "customdata": visits["visit_id"].to_numpy(dtype=object)[on].reshape(-1, 1),
                "hovertext": hovers[on],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "cliponaxis": False,
            }
        )
    top = float(np.nanmax(counts)) if len(counts) else 1.0
    return theme.figure(
        traces,
        title,
        t=t,
        height=340,
        xaxis={"type": "date", "range": [f"{years[0]}-01-01", f"{years[1]}-12-31"], **_numeric_dates(years, t)},
        yaxis={"title": {"text": t("documents signed")}, "rangemode": "tozero", "range": [0, top * 1.25 + 1]},
    )
