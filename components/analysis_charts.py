"""Pure figure builders for the analysis panels: the year-to-date comparison and the trade around a visit.

Tables from components.analysis in, plotly Figure out, built once from plain trace dicts (theme.figure), like
trade_charts. No Streamlit, no I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.dates import get_month_names
from plotly.colors import sample_colorscale

from components import formatting as fmt
from components import theme
from components.i18n import N_, Translator
from components.theme import ENGLISH
from components.trade_charts import STATUS_YEAR, source_hovers

NO_PREVIOUS = N_("no figure for the same months of the previous year in data/")
REPORTER_PATTERN = {"VN": "", "CN": "/"}


def _status(values: pd.Series) -> list[str]:
    return [s if isinstance(s, str) and s in STATUS_YEAR else "final" for s in values]


def _month_ticks(t: Translator) -> list[str]:
    """'Jan', 'Jan–Feb', ... 'Jan–Dec' in the language's own abbreviated month names."""
    months = get_month_names("abbreviated", locale=t.locale)
    return [months[1] if m == 1 else f"{months[1]}–{months[m]}" for m in range(1, 13)]


def year_colours(years: list[int]) -> dict[int, str]:
    """Older years pale, recent years dark (cividis: readable with colour-blindness and in greyscale)."""
    if len(years) == 1:
        return {years[0]: theme.BLUE}
    points = np.linspace(0.15, 0.95, len(years))
    return dict(zip(years, sample_colorscale("cividis", list(points)), strict=True))


def ytd_chart(rows: pd.DataFrame, *, title: str, t: Translator = ENGLISH) -> go.Figure:
    """One line per year over the months of the year: each point a stated January–N figure, so the same months
    of different years sit one above the other. The hover gives the change on the same period of the previous
    year where the data has both (computed here)."""
    years = sorted(rows["year"].unique())
    colours = year_colours(years)
    traces = []
    for year, group in rows.sort_values(["year", "months"]).groupby("year", sort=True):
        status = _status(group["status"])
        change = [n if n else t(NO_PREVIOUS) for n in group["change_note"]]
        traces.append(
            {
                "type": "scatter",
                "x": group["months"].to_numpy(),
                "y": group["value_usd_bn"].to_numpy(),
                "mode": "lines+markers",
                "name": str(year),
                # dotted: a line only joins stated figures, it is not a value for the months between
                "line": {"color": colours[year], "width": 1.5, "dash": "dot"},
                "marker": {
                    "size": 8,
                    "symbol": np.array(["circle" if s == "final" else "circle-open" for s in status]),
                    "line": {"width": 2, "color": colours[year]},
                },
                "customdata": theme.stack(
                    [t(STATUS_YEAR[s], year=p) for p, s in zip(group["period"], status, strict=True)],
                    [theme.wrap(c, 70) for c in change],
                    source_hovers(group.assign(computed=False), t),
                    group["line"],
                    [
                        fmt.money(v, q, locale=t.locale)
                        for v, q in zip(group["value_usd_bn"], group["qualifier"], strict=True)
                    ],
                ),
                "hovertemplate": (
                    "<b>%{customdata[0]}</b> ("
                    + t("year to date")
                    + ")<br>%{customdata[4]}<br>%{customdata[1]}<br>"
                    + t("{source} (data/trade.csv line {line})", source="%{customdata[2]}", line="%{customdata[3]}")
                    + "<extra></extra>"
                ),
            }
        )
    return theme.figure(
        traces,
        title,
        t=t,
        height=440,
        xaxis={
            "tickmode": "array",
            "tickvals": list(range(1, 13)),
            "ticktext": _month_ticks(t),
            "range": [0.5, 12.5],
        },
        yaxis={"title": {"text": t("US$ billion, January to the month")}, "rangemode": "tozero"},
    )


def around_visit_chart(years: pd.DataFrame, *, title: str, t: Translator = ENGLISH) -> go.Figure:
    """Bars of two-way trade and both flows in the year before, the visit's year and the year after, per
    reporter; a missing year is written as missing, never filled in."""
    records = years.to_dict("records")  # a dozen rows: plain Python, not a pandas split per series
    labels = {r["year"]: f"{r['year']}<br>({t(r['role'])})" for r in records}  # two lines: never turned
    series: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        series.setdefault((r["reporter"], r["flow"]), []).append(r)
    traces = []
    for (reporter, flow), rows in series.items():
        who = t(theme.REPORTER_LABELS[reporter])
        flow_name = t(theme.FLOW_SHORT[flow])
        if all(r["missing"] for r in rows):
            continue  # said in the table and the alt text; a legend entry with no bar would only puzzle
        # One bar per year in the series' own slot; a missing year is an empty slot labelled "missing" (its
        # height 0 only places the label: the hover and the table say there is no figure).
        change = [
            t("no full-year figure in data/ (not interpolated)")
            if r["missing"]
            else t(
                "{change} on {year} (computed here)",
                change=fmt.percent_change(r["change_pct"], locale=t.locale),
                year=r["year"] - 1,
            )
            if r["change_pct"] == r["change_pct"]
            else t("no {year} figure to compare", year=r["year"] - 1)
            for r in rows
        ]
        source = [
            ""
            if r["missing"]
            else r["note"]
            if r["computed"]
            else t("Source: {source} (data/trade.csv line {line})", source=r["source_label"], line=r["line"])
            for r in rows
        ]
        traces.append(
            {
                "type": "bar",
                "x": [labels[r["year"]] for r in rows],
                "y": np.array([0.0 if r["missing"] else r["value"] for r in rows]),
                "text": np.array([t("missing") if r["missing"] else "" for r in rows], dtype=object),
                "textposition": "outside",
                "textfont": {"color": theme.GREY, "size": 10},
                "name": f"{flow_name} — {who}",
                "marker": {"color": theme.FLOW_COLOURS[flow], "pattern": {"shape": REPORTER_PATTERN[reporter]}},
                "customdata": theme.stack(
                    [r["year"] for r in rows],
                    ["–" if r["missing"] else fmt.money(r["value"], locale=t.locale) for r in rows],
                    change,
                    [theme.wrap(x, 70) for x in source],
                ),
                "hovertemplate": (
                    f"<b>%{{customdata[0]}}</b> · {flow_name}, {who}<br>%{{customdata[1]}}"
                    "<br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"
                ),
            }
        )
    return theme.figure(
        traces,
        title,
        t=t,
        height=360,
        barmode="group",
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [labels[y] for y in sorted(labels)],
            "tickangle": 0,
        },
        yaxis={"title": {"text": t("US$ billion")}},
    )
