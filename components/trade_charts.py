"""Pure figure builders for trade: tables in, plotly Figure out. No Streamlit, no I/O.

Traces are plain dicts and each Figure is created once (theme.figure): a few ms, where Plotly Express or
add_trace/make_subplots cost tens of ms each, on every click.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import formatting as fmt
from components import theme
from components.filtering import FLOWS, MAX_VERSIONS_DRAWN
from components.i18n import N_, Translator
from components.theme import ENGLISH

HOVER_VALUE = "%{customdata[3]}"  # the value as the formatter writes it, with the source's qualifier
STRIP = {"domain": [0, 0.17], "showgrid": False, "fixedrange": True}  # the visits strip under a trade chart
STATUS_YEAR = {"final": "{year}", "preliminary": N_("{year} (preliminary)"), "estimate": N_("{year} (estimate)")}


def with_gaps(group: pd.DataFrame) -> pd.DataFrame:
    """One row per year from the first to the last, missing years empty, so a line breaks where data is missing
    instead of bridging years no source covers."""
    first, last = int(group["year"].min()), int(group["year"].max())
    if len(group) == last - first + 1 and group["year"].is_unique:
        return group  # no gap: nothing to insert
    full = group.set_index("year").reindex(range(first, last + 1)).reset_index()
    full["date"] = pd.to_datetime(full["year"].astype(str) + "-07-01")
    if "computed" in full:
        full["computed"] = full["computed"].astype("boolean").fillna(False).astype(bool)
    return full


def _x_range(years: tuple[int, int]) -> list[str]:
    return [f"{years[0]}-01-01", f"{years[1]}-12-31"]


def year_axis(years: tuple[int, int], **extra: object) -> dict:
    """A date axis whose labels sit under each year's annual point (1 July), not on 1 January between two
    points, so a reader can tell which year a point is; every year, or every 2nd or 5th on long ranges.

    The first label sits half a year in from the axis, clear of the value axis' lowest label."""
    first, last = years
    n = last - first + 1
    step = 1 if n <= 12 else 2 if n <= 26 else 5
    shown = [y for y in range(first, last + 1) if (y - first) % step == 0]
    return {
        "type": "date",
        "range": _x_range(years),
        "tickmode": "array",
        "tickvals": [f"{y}-07-01" for y in shown],
        "ticktext": [fmt.year(y) for y in shown],
        "ticklabelstandoff": 6,
        "showgrid": False,
        **extra,
    }


def point_key(reporter: str, year: int, flow: str) -> str:
    """The id of one annual trade figure in a chart's customdata, so a click can open its versions."""
    return f"{reporter}|{int(year)}|{flow}"


def source_hovers(group: pd.DataFrame, t: Translator = ENGLISH) -> list[str]:
    """Per point: the source's title, publisher and date and the number of other versions, or how it was
    computed; wrapped for the hover box."""
    n = len(group)
    title = group["source_title"] if "source_title" in group else pd.Series([""] * n, index=group.index)
    out = []
    for computed, note, label, title_, pub, date, others in zip(
        group["computed"].to_numpy(),
        group["note"].fillna("").to_numpy(),
        group["source_label"].fillna("").to_numpy(),
        title.fillna("").to_numpy(),
        group.get("source_publisher", pd.Series([""] * n, index=group.index)).fillna("").to_numpy(),
        group.get("source_published", pd.Series([""] * n, index=group.index)).fillna("").to_numpy(),
        group.get("n_other", pd.Series([0] * n, index=group.index)).fillna(0).to_numpy(),
        strict=True,
    ):
        if computed or not (title_ or label):
            out.append(theme.wrap(t(note), 80))  # the notes of computed totals are in the catalogs
        elif title_:
            out.append(theme.wrap(fmt.source_text(title_, pub, date, others, t.locale), 80))
        else:
            out.append(theme.wrap(t("Source: {source}", source=label), 80))
    return out


def strip_hover(visits: pd.DataFrame, t: Translator = ENGLISH) -> list[str]:
    """The short hover of a visit on the trade chart's strip: who, title, dates, type, cities."""
    return [
        f"<b>{v.visitor}</b><br>{t(v.visitor_title)}<br>{fmt.day(v.start_date, t.locale)}–"
        f"{fmt.day(v.end_date, t.locale)}<br>{theme.visit_type_label(v.visit_type, v.bilateral_part, t)} · {v.cities}"
        for v in visits.itertuples()
    ]


def visit_strip(visits: pd.DataFrame, *, yaxis: str = "y2", t: Translator = ENGLISH) -> list[dict]:
    """The visits as diamonds on their own strip of the shared date axis, one line per direction.

    Uses a precomputed `strip_hover` column when the table has one (figures.build adds it once per dataset).
    """
    traces = []
    for direction in FLOWS:
        subset = visits[visits["direction"] == direction]
        if subset.empty:
            continue
        hover = subset["strip_hover"] if "strip_hover" in subset else strip_hover(subset, t)
        traces.append(
            {
                "type": "scatter",
                "x": subset["start_date"],
                "y": np.full(len(subset), t(theme.DIRECTION_LABELS[direction]), dtype=object),
                "yaxis": yaxis,
                "mode": "markers",
                "name": t("Visits {direction}", direction=t(theme.DIRECTION_LABELS[direction])),
                "legendgroup": "visits",
                "marker": {
                    "symbol": "diamond",
                    "size": 11,
                    "color": theme.DIRECTION_COLOURS[direction],
                    "line": {"width": 1, "color": "white"},
                },
                "customdata": theme.columns(subset, "visit_id"),
                "hovertext": np.asarray(hover, dtype=object),
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return traces


def _selected_line(visits: pd.DataFrame, selected: str) -> list[dict]:
    chosen = visits[visits["visit_id"] == selected]
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": d,
            "x1": d,
            "y0": 0,
            "y1": 1,
            "line": {"color": theme.GREY, "dash": "dot", "width": 1},
        }
        for d in chosen["start_date"]
    ]


def trade_over_time(
    series: pd.DataFrame,
    versions: pd.DataFrame,
    visits: pd.DataFrame,
    *,
    years: tuple[int, int],
    title: str,
    selected_visit: str = "",
    hover_value: str = HOVER_VALUE,
    y_title: str = "US$ billion",
    log: bool = False,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Exports, imports, total and balance per reporter on a date axis, with the visits on a strip below.

    `hover_value` and `y_title` name another measure (growth, index: components.analysis) when the series'
    `value` holds one; `log` draws the value axis on a log scale.

    Only full calendar years are drawn as lines, broken where a year is missing; other versions of a point are
    grey crosses; preliminary or estimated values have open markers.
    """
    both = series["reporter"].nunique() > 1
    traces = []
    for (reporter, flow), group in series.groupby(["reporter", "flow"], sort=False):
        group = with_gaps(group)
        name = t(theme.FLOW_LABELS[flow]) + (f" — {t(theme.REPORTER_LABELS[reporter])}" if both else "")
        symbol = theme.REPORTER_SYMBOL[reporter]
        who = t(theme.REPORTER_LABELS[reporter])
        # Per-point strings in plain Python over a few dozen points: cheaper than chains of pandas operations.
        status = ["final" if s != s or s is None else s for s in group["status"].to_numpy()]
        qualifiers = group["qualifier"] if "qualifier" in group else pd.Series("exact", index=group.index)
        points = zip(
            group["year"].to_numpy(),
            status,
            source_hovers(group, t),
            group["value"].to_numpy(),
            qualifiers.to_numpy(),
            strict=True,
        )
        custom = [
            [
                t(STATUS_YEAR[st], year=year),
                who,
                source,
                fmt.money(value, qualifier, locale=t.locale),
                point_key(reporter, year, flow),
            ]
            for year, st, source, value, qualifier in points
        ]
        traces.append(
            {
                "type": "scatter",
                "x": group["date"].to_numpy(),
                "y": group["value"].to_numpy(),
                "mode": "lines+markers",
                "name": name,
                "legendgroup": f"{reporter}-{flow}",
                "line": {"color": theme.FLOW_COLOURS[flow], "dash": theme.REPORTER_DASH[reporter], "width": 2.5},
                # numpy arrays, not lists: plotly deep-copies trace data, and lists element by element
                "marker": {
                    "size": 6,
                    "symbol": np.array([symbol if st == "final" else f"{symbol}-open" for st in status]),
                },
                "customdata": np.array(custom, dtype=object),
                "hovertemplate": (
                    f"<b>%{{customdata[0]}}</b> · {t(theme.FLOW_LABELS[flow])}<br>{hover_value}"
                    + "<br>"
                    + t("{who} figures", who="%{customdata[1]}")
                    + "<br>%{customdata[2]}<extra></extra>"
                ),
            }
        )
    if not versions.empty:
        what = [
            f"{year} · {t(theme.FLOW_LABELS[flow])} · {t(theme.REPORTER_LABELS[reporter])}"
            + (" " + t("(lowest or highest of {n} other versions)", n=n) if n > MAX_VERSIONS_DRAWN else "")
            for year, flow, reporter, n in zip(
                versions["year"],
                versions["flow"],
                versions["reporter"],
                versions.get("n_versions", pd.Series(1, index=versions.index)),
                strict=True,
            )
        ]
        traces.append(
            {
                "type": "scatter",
                "x": versions["date"],
                "y": versions["value_usd_bn"],
                "mode": "markers",
                "name": t("Other reported versions"),
                "marker": {"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": theme.GREY}},
                "customdata": theme.stack(
                    what,
                    [fmt.money(v, locale=t.locale) for v in versions["preferred_value"]],
                    source_hovers(versions.assign(computed=False), t),
                    [
                        fmt.money(v, q, locale=t.locale)
                        for v, q in zip(
                            versions["value_usd_bn"],
                            versions.get("qualifier", pd.Series("exact", index=versions.index)),
                            strict=True,
                        )
                    ],
                    [
                        point_key(r, y, f)
                        for r, y, f in zip(versions["reporter"], versions["year"], versions["flow"], strict=True)
                    ],
                    [theme.wrap(n, 80) for n in versions["note"].fillna("")],
                ),
                "hovertemplate": (
                    "<b>" + t("Another version") + "</b>: %{customdata[0]}<br>%{customdata[3]}"
                    " (" + t("preferred: {value}", value="%{customdata[1]}") + ")<br>%{customdata[2]}"
                    "<br>%{customdata[5]}<extra></extra>"
                ),
            }
        )
    traces += visit_strip(visits, t=t)
    return theme.figure(
        traces,
        title,
        t=t,
        height=560,
        xaxis=year_axis(years, anchor="y2"),
        yaxis={"title": {"text": t(y_title)}, "domain": [0.22, 1], "type": "log" if log else "linear"},
        yaxis2=STRIP,
        shapes=_selected_line(visits, selected_visit),
        clickmode="event+select",  # a click on a visit's diamond selects it, as on the timeline
    )


def mirror_statistics(
    mirror: pd.DataFrame, *, years: tuple[int, int], title: str, t: Translator = ENGLISH
) -> go.Figure:
    """Vietnam-reported against China-reported values of each flow, and China's minus Vietnam's in percent."""
    traces = []
    for flow in (*FLOWS, "total"):
        rows = mirror[mirror["flow"] == flow]
        if rows.empty:
            continue
        rows = with_gaps(rows)
        for reporter in ("VN", "CN"):
            traces.append(
                {
                    "type": "scatter",
                    "x": rows["date"],
                    "y": rows[reporter],
                    "mode": "lines+markers",
                    "name": f"{t(theme.FLOW_LABELS[flow])} — {t(theme.REPORTER_LABELS[reporter])}",
                    "legendgroup": flow,
                    "line": {"color": theme.FLOW_COLOURS[flow], "dash": theme.REPORTER_DASH[reporter]},
                    "marker": {"symbol": theme.REPORTER_SYMBOL[reporter], "size": 6},
                    "customdata": theme.stack(rows["year"], [fmt.money(v, locale=t.locale) for v in rows[reporter]]),
                    "hovertemplate": (
                        f"<b>%{{customdata[0]}}</b> · {t(theme.FLOW_LABELS[flow])}<br>"
                        f"{t(theme.REPORTER_LABELS[reporter])}: %{{customdata[1]}}<extra></extra>"
                    ),
                }
            )
        traces.append(
            {
                "type": "bar",
                "x": rows["date"],
                "y": rows["gap_pct"],
                "yaxis": "y2",
                "name": t("Gap: {flow}", flow=t(theme.FLOW_LABELS[flow])),
                "legendgroup": flow,
                "showlegend": False,
                "marker": {"color": theme.FLOW_COLOURS[flow]},
                "customdata": theme.stack(
                    rows["year"],
                    [fmt.money_change(g, locale=t.locale) for g in rows["gap"]],
                    [fmt.percent_change(p, 0, locale=t.locale) for p in rows["gap_pct"]],
                ),
                "hovertemplate": (
                    f"<b>%{{customdata[0]}}</b> · {t(theme.FLOW_LABELS[flow])}<br>"
                    + t("China's figure minus Vietnam's: {gap} ({pct})", gap="%{customdata[1]}", pct="%{customdata[2]}")
                    + "<extra></extra>"
                ),
            }
        )
    return theme.figure(
        traces,
        title,
        t=t,
        height=520,
        barmode="group",
        xaxis=year_axis(years, anchor="y2"),
        yaxis={"title": {"text": t("US$ billion")}, "domain": [0.4, 1]},
        yaxis2={
            "title": {"text": t("China vs Vietnam, %")},
            "domain": [0, 0.34],
            "ticksuffix": "%",
            "gridcolor": theme.GRID,
            "zerolinecolor": theme.ZERO,
        },
    )
