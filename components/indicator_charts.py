"""Pure figure builder for the other yearly indicators (Chinese investment, Chinese visitors)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import theme


def indicator_chart(rows: pd.DataFrame, *, title: str, unit: str, colour: str = theme.BLUE) -> go.Figure:
    """Full-year values as bars; part-year values as open markers beside them, never as if they were years;
    other sources' versions as grey crosses."""
    preferred = rows[rows["preferred"]]
    full = preferred[preferred["full_year"]]
    part = preferred[~preferred["full_year"]]
    others = rows[~rows["preferred"]]
    hover = f"<b>%{{customdata[0]}}</b><br>%{{y:,.3~f}} {unit}<br>Source: %{{customdata[1]}}<br>%{{customdata[2]}}"
    traces = []
    if not full.empty:
        traces.append(
            {
                "type": "bar",
                "x": full["year"].astype(str) + "-07-01",
                "y": full["value"],
                "name": "Full year",
                "marker": {"color": colour},
                "customdata": theme.columns(full, "period", "source_label", "status"),
                "hovertemplate": hover + "<extra></extra>",
            }
        )
    if not part.empty:
        traces.append(
            {
                "type": "scatter",
                "x": part["end"],
                "y": part["value"],
                "mode": "markers",
                "name": "Part of the year (months shown in hover)",
                "marker": {"symbol": "circle-open", "size": 10, "color": colour, "line": {"width": 2}},
                "customdata": theme.columns(part, "period", "source_label", "status"),
                "hovertemplate": hover + "<extra></extra>",
            }
        )
    if not others.empty:
        traces.append(
            {
                "type": "scatter",
                "x": others["end"],
                "y": others["value"],
                "mode": "markers",
                "name": "Other reported versions",
                "marker": {"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": theme.GREY}},
                "customdata": theme.columns(others, "period", "source_label"),
                "hovertemplate": (
                    f"<b>%{{customdata[0]}}</b> (another version)<br>%{{y:,.3~f}} {unit}"
                    "<br>Source: %{customdata[1]}<extra></extra>"
                ),
            }
        )
    return theme.figure(traces, title, height=340, xaxis={"type": "date"}, yaxis={"title": {"text": unit}})
