"""Pure figure builders for trade: tables in, plotly Figure out. No Streamlit, no I/O.

Built with graph_objects (a few ms per figure) rather than Plotly Express (about ten times slower here), since
every click reruns them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components import theme
from components.filtering import FLOWS

HOVER_VALUE = "US$%{y:,.2f} bn"


def _source_text(frame: pd.DataFrame) -> pd.Series:
    """'Source: publisher, date' or, for values computed here, what they were computed from."""
    stated = "Source: " + frame["source_label"].astype(str)
    return stated.where(~frame["computed"], frame["note"].astype(str))


def _status_text(frame: pd.DataFrame) -> pd.Series:
    return frame["status"].map({"final": "", "preliminary": " (preliminary)", "estimate": " (estimate)"}).fillna("")


def _visit_hover(visits: pd.DataFrame) -> list[str]:
    return [
        f"<b>{v.visitor}</b><br>{v.visitor_title}<br>{v.start_date:%d %b %Y}–{v.end_date:%d %b %Y}"
        f"<br>{theme.VISIT_TYPE_LABELS.get(v.visit_type, v.visit_type)} · {v.cities}"
        for v in visits.itertuples()
    ]


def add_visit_strip(fig: go.Figure, visits: pd.DataFrame, *, row: int, selected: str = "") -> None:
    """The visits as diamonds on their own row of the shared date axis, one line per direction."""
    for direction in FLOWS:
        subset = visits[visits["direction"] == direction]
        if subset.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=subset["start_date"],
                y=[theme.DIRECTION_LABELS[direction]] * len(subset),
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 11,
                    "color": theme.DIRECTION_COLOURS[direction],
                    "line": {"width": 1, "color": "white"},
                },
                name=f"Visits {theme.DIRECTION_LABELS[direction]}",
                legendgroup="visits",
                customdata=subset[["visit_id"]].to_numpy(),
                hovertext=_visit_hover(subset),
                hovertemplate="%{hovertext}<extra></extra>",
            ),
            row=row,
            col=1,
        )
    chosen = visits[visits["visit_id"] == selected]
    for v in chosen.itertuples():
        fig.add_vline(x=v.start_date, line={"color": theme.GREY, "dash": "dot", "width": 1})


def trade_over_time(
    series: pd.DataFrame,
    versions: pd.DataFrame,
    visits: pd.DataFrame,
    *,
    years: tuple[int, int],
    title: str,
    selected_visit: str = "",
) -> go.Figure:
    """Exports, imports, total and balance per reporter on a date axis, with the visits on a strip below.

    Only full calendar years are drawn as lines; other versions of a point are grey crosses; preliminary or
    estimated values have open markers.
    """
    both = series["reporter"].nunique() > 1
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.8, 0.2], vertical_spacing=0.04)
    for (reporter, flow), group in series.groupby(["reporter", "flow"], sort=False):
        name = theme.FLOW_LABELS[flow] + (f" — {theme.REPORTER_LABELS[reporter]}" if both else "")
        final = group["status"].eq("final")
        symbol = theme.REPORTER_SYMBOL[reporter]
        fig.add_trace(
            go.Scatter(
                x=group["date"],
                y=group["value"],
                mode="lines+markers",
                name=name,
                legendgroup=f"{reporter}-{flow}",
                line={"color": theme.FLOW_COLOURS[flow], "dash": theme.REPORTER_DASH[reporter], "width": 2.5},
                marker={"size": 6, "symbol": [symbol if f else f"{symbol}-open" for f in final]},
                customdata=pd.DataFrame(
                    {
                        "year": group["year"].astype(str) + _status_text(group),
                        "reporter": theme.REPORTER_LABELS[reporter],
                        "source": _source_text(group),
                    }
                ).to_numpy(),
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b> · {theme.FLOW_LABELS[flow]}<br>{HOVER_VALUE}"
                    "<br>%{customdata[1]} figures<br>%{customdata[2]}<extra></extra>"
                ),
            ),
            row=1,
            col=1,
        )
    if not versions.empty:
        fig.add_trace(
            go.Scatter(
                x=versions["date"],
                y=versions["value_usd_bn"],
                mode="markers",
                name="Other reported versions",
                marker={"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": theme.GREY}},
                customdata=pd.DataFrame(
                    {
                        "what": versions["year"].astype(str)
                        + " · "
                        + versions["flow"].map(theme.FLOW_LABELS)
                        + " · "
                        + versions["reporter"].map(theme.REPORTER_LABELS),
                        "preferred": versions["preferred_value"],
                        "source": versions["source_label"],
                        "note": versions["note"].fillna(""),
                    }
                ).to_numpy(),
                hovertemplate=(
                    "<b>Another version</b>: %{customdata[0]}<br>"
                    + HOVER_VALUE
                    + " (preferred: US$%{customdata[1]:,.2f} bn)<br>Source: %{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>"
                ),
            ),
            row=1,
            col=1,
        )
    add_visit_strip(fig, visits, row=2, selected=selected_visit)
    fig.update_xaxes(type="date", range=[f"{years[0]}-01-01", f"{years[1]}-12-31"])
    fig.update_yaxes(title_text="US$ billion", row=1, col=1)
    fig.update_yaxes(showgrid=False, row=2, col=1, fixedrange=True)
    fig.update_layout(hovermode="closest")
    return theme.style(fig, title, height=560)


def mirror_statistics(mirror: pd.DataFrame, *, years: tuple[int, int], title: str) -> go.Figure:
    """Vietnam-reported against China-reported values of each flow, and China's minus Vietnam's in percent."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.06)
    for flow in (*FLOWS, "total"):
        rows = mirror[mirror["flow"] == flow]
        if rows.empty:
            continue
        for reporter in ("VN", "CN"):
            fig.add_trace(
                go.Scatter(
                    x=rows["date"],
                    y=rows[reporter],
                    mode="lines+markers",
                    name=f"{theme.FLOW_LABELS[flow]} — {theme.REPORTER_LABELS[reporter]}",
                    legendgroup=flow,
                    line={"color": theme.FLOW_COLOURS[flow], "dash": theme.REPORTER_DASH[reporter]},
                    marker={"symbol": theme.REPORTER_SYMBOL[reporter], "size": 6},
                    customdata=rows[["year"]].to_numpy(),
                    hovertemplate=(
                        f"<b>%{{customdata[0]}}</b> · {theme.FLOW_LABELS[flow]}<br>"
                        f"{theme.REPORTER_LABELS[reporter]}: {HOVER_VALUE}<extra></extra>"
                    ),
                ),
                row=1,
                col=1,
            )
        fig.add_trace(
            go.Bar(
                x=rows["date"],
                y=rows["gap_pct"],
                name=f"Gap: {theme.FLOW_LABELS[flow]}",
                legendgroup=flow,
                showlegend=False,
                marker_color=theme.FLOW_COLOURS[flow],
                customdata=rows[["year", "gap"]].to_numpy(),
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b> · {theme.FLOW_LABELS[flow]}<br>China's figure minus "
                    "Vietnam's: US$%{customdata[1]:+,.1f} bn (%{y:+.0f}%)<extra></extra>"
                ),
            ),
            row=2,
            col=1,
        )
    fig.update_xaxes(type="date", range=[f"{years[0]}-01-01", f"{years[1]}-12-31"])
    fig.update_yaxes(title_text="US$ billion", row=1, col=1)
    fig.update_yaxes(title_text="China vs Vietnam, %", row=2, col=1, ticksuffix="%")
    fig.update_layout(barmode="group")
    return theme.style(fig, title, height=520)


def partial_years(partial: pd.DataFrame, *, title: str) -> go.Figure:
    """Partial-year figures as separate markers at the end of their period, never joined to the annual lines."""
    fig = go.Figure()
    for (reporter, flow), group in partial.groupby(["reporter", "flow"], sort=False):
        fig.add_trace(
            go.Scatter(
                x=group["end"],
                y=group["value_usd_bn"],
                mode="markers",
                name=f"{theme.FLOW_LABELS[flow]} — {theme.REPORTER_LABELS[reporter]}",
                marker={
                    "color": theme.FLOW_COLOURS[flow],
                    "size": 9,
                    "symbol": f"{theme.REPORTER_SYMBOL[reporter]}-open",
                    "line": {"width": 2},
                },
                customdata=pd.DataFrame(
                    {
                        "period": group["period"] + " (" + group["months"].astype(str) + " months)",
                        "status": group["status"],
                        "source": group["source_label"],
                    }
                ).to_numpy(),
                hovertemplate=(
                    "<b>%{customdata[0]}</b> · "
                    + theme.FLOW_LABELS[flow]
                    + "<br>"
                    + HOVER_VALUE
                    + f"<br>{theme.REPORTER_LABELS[reporter]}, %{{customdata[1]}}"
                    "<br>Source: %{customdata[2]}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(type="date", title_text="End of the period covered")
    fig.update_yaxes(title_text="US$ billion, for the months covered")
    return theme.style(fig, title, height=380)
