"""Pure figure builder for the other yearly indicators (Chinese investment, Chinese visitors)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import theme


def indicator_chart(rows: pd.DataFrame, *, title: str, unit: str, colour: str = theme.BLUE) -> go.Figure:
    """Full-year values as bars; part-year values as open markers beside them, never as if they were years."""
    fig = go.Figure()
    preferred = rows[rows["preferred"]]
    full = preferred[preferred["full_year"]]
    part = preferred[~preferred["full_year"]]
    for frame, name, trace in (
        (full, "Full year", go.Bar),
        (part, "Part of the year (months shown in hover)", go.Scatter),
    ):
        if frame.empty:
            continue
        style = (
            {"marker_color": colour}
            if trace is go.Bar
            else {
                "mode": "markers",
                "marker": {"symbol": "circle-open", "size": 10, "color": colour, "line": {"width": 2}},
            }
        )
        fig.add_trace(
            trace(
                x=frame["end"] if trace is go.Scatter else frame["year"].astype(str) + "-07-01",
                y=frame["value"],
                name=name,
                customdata=frame[["period", "source_label", "status"]].to_numpy(),
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>%{{y:,.3~f}} {unit}<br>Source: %{{customdata[1]}}"
                    "<br>%{customdata[2]}<extra></extra>"
                ),
                **style,
            )
        )
    others = rows[~rows["preferred"]]
    if not others.empty:
        fig.add_trace(
            go.Scatter(
                x=others["end"],
                y=others["value"],
                mode="markers",
                name="Other reported versions",
                marker={"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": theme.GREY}},
                customdata=others[["period", "source_label"]].to_numpy(),
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b> (another version)<br>%{{y:,.3~f}} {unit}"
                    "<br>Source: %{customdata[1]}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(type="date")
    fig.update_yaxes(title_text=unit)
    return theme.style(fig, title, height=340)
