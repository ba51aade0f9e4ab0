"""Pure figure builders for trade: tables in, plotly Figure out. No Streamlit, no I/O.

Traces are plain dicts and each Figure is created once (theme.figure): a few ms, where Plotly Express or
add_trace/make_subplots cost tens of ms each, on every click.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import formatting as fmt
from components import milestone_charts, theme
from components.filtering import FLOWS, MAX_VERSIONS_DRAWN
from components.i18n import N_, Translator
from components.theme import ENGLISH

HOVER_VALUE = "%{customdata[3]}"  # the value as the formatter writes it, with the source's qualifier
# The visits strip under a trade chart: tall enough on a phone for each row's name over its line (row_labels)
STRIP = {"domain": [0, 0.22], **theme.ROW_AXIS}
GAP_PANEL_TOP = 0.34  # the mirror chart's percent panel, under the values (domain [0.45, 1]), named in between
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
    direction = visits["direction"].to_numpy(dtype=object)
    dates, ids = visits["start_date"].to_numpy(), visits["visit_id"].to_numpy(dtype=object)
    hovers = np.asarray(visits["strip_hover"] if "strip_hover" in visits else strip_hover(visits, t), dtype=object)
    traces = []
    for way in FLOWS:
        on = direction == way
        if not on.any():
            continue
        label = t(theme.DIRECTION_LABELS[way])
        traces.append(
            {
                "type": "scatter",
                "x": dates[on],
                "y": np.full(int(on.sum()), label, dtype=object),
                "yaxis": yaxis,
                "mode": "markers",
                "name": t("Visits {direction}", direction=label),
                "legendgroup": "visits",
                "marker": {
                    "symbol": "diamond",
                    "size": 11,
                    "color": theme.DIRECTION_COLOURS[way],
                    "line": {"width": 1, "color": "white"},
                },
                "customdata": ids[on].reshape(-1, 1),
                "hovertext": hovers[on],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return traces


def _selected_line(visits: pd.DataFrame, selected: str) -> list[dict]:
    if not selected:
        return []
    chosen = visits["start_date"].to_numpy()[visits["visit_id"].to_numpy(dtype=object) == selected]
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
        for d in chosen
    ]


@dataclass(frozen=True)
class Points:
    """One trace's points as plain arrays with their hover strings.

    Built once per dataset and language from the whole table (`trade_lines`, `version_points`) and clipped per
    view: a year range never drawn before slices arrays instead of re-running pandas and the formatter per point.
    """

    reporter: np.ndarray  # per point (a line has one reporter and one flow)
    flow: np.ndarray
    year: np.ndarray
    date: np.ndarray
    value: np.ndarray  # NaN in a missing year, so a line breaks there
    custom: np.ndarray  # customdata, one row per point
    symbol: np.ndarray  # marker symbols: open for preliminary or estimated values

    def __len__(self) -> int:
        return len(self.year)

    def clip(self, years: tuple[int, int], reporters: tuple[str, ...] | None = None, *, trim: bool = False) -> Points:
        """The points inside the years (and of these reporters); `trim` drops missing years at either end, as
        a line over fewer years would not have them."""
        keep = (self.year >= years[0]) & (self.year <= years[1])
        if reporters is not None:
            keep &= np.isin(self.reporter, reporters)
        index = np.flatnonzero(keep)
        if trim and len(index):
            present = index[~np.isnan(self.value[index])]
            index = index[(index >= present[0]) & (index <= present[-1])] if len(present) else present
        return Points(*(field[index] for field in self._fields()))

    def _fields(self) -> tuple[np.ndarray, ...]:
        return (self.reporter, self.flow, self.year, self.date, self.value, self.custom, self.symbol)


def clip_lines(lines: tuple[Points, ...], years: tuple[int, int], reporters: tuple[str, ...]) -> tuple[Points, ...]:
    """The lines of these reporters inside the years, without the ones left empty."""
    kept = (line.clip(years, trim=True) for line in lines if line.reporter[0] in reporters)
    return tuple(line for line in kept if len(line))


def trade_lines(series: pd.DataFrame, t: Translator = ENGLISH) -> tuple[Points, ...]:
    """One line per reporter and flow, in the table's order, each year from its first to its last (a missing
    year as a gap), with the hover strings of every point."""
    lines = []
    for (reporter, flow), group in series.groupby(["reporter", "flow"], sort=False):
        group = with_gaps(group)
        n = len(group)
        who = t(theme.REPORTER_LABELS[reporter])
        symbol = theme.REPORTER_SYMBOL[reporter]
        status = ["final" if s != s or s is None else s for s in group["status"].to_numpy()]
        qualifiers = group["qualifier"] if "qualifier" in group else pd.Series("exact", index=group.index)
        values = group["value"].to_numpy(dtype=float)
        points = zip(
            group["year"].to_numpy(), status, source_hovers(group, t), values, qualifiers.to_numpy(), strict=True
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
        lines.append(
            Points(
                np.full(n, reporter, dtype=object),
                np.full(n, flow, dtype=object),
                group["year"].to_numpy(dtype=int),
                group["date"].to_numpy(),
                values,
                np.array(custom, dtype=object).reshape(n, 5),
                np.array([symbol if st == "final" else f"{symbol}-open" for st in status], dtype=object),
            )
        )
    return tuple(lines)


def version_points(versions: pd.DataFrame, t: Translator = ENGLISH) -> Points:
    """Other sources' versions of the annual figures, with their hover strings."""
    n = len(versions)
    if not n:
        none = np.empty(0, dtype=object)
        return Points(none, none, np.empty(0, dtype=int), none, np.empty(0), np.empty((0, 6), dtype=object), none)
    counts = versions.get("n_versions", pd.Series(1, index=versions.index))
    qualifiers = versions.get("qualifier", pd.Series("exact", index=versions.index))
    what = [
        f"{year} · {t(theme.FLOW_LABELS[flow])} · {t(theme.REPORTER_LABELS[reporter])}"
        + (" " + t("(lowest or highest of {n} other versions)", n=k) if k > MAX_VERSIONS_DRAWN else "")
        for year, flow, reporter, k in zip(
            versions["year"], versions["flow"], versions["reporter"], counts, strict=True
        )
    ]
    custom = theme.stack(
        what,
        [fmt.money(v, locale=t.locale) for v in versions["preferred_value"]],
        source_hovers(versions.assign(computed=False), t),
        [fmt.money(v, q, locale=t.locale) for v, q in zip(versions["value_usd_bn"], qualifiers, strict=True)],
        [point_key(r, y, f) for r, y, f in zip(versions["reporter"], versions["year"], versions["flow"], strict=True)],
        [theme.wrap(note, 80) for note in versions["note"].fillna("")],
    ).reshape(n, 6)
    return Points(
        versions["reporter"].to_numpy(dtype=object),
        versions["flow"].to_numpy(dtype=object),
        versions["year"].to_numpy(dtype=int),
        versions["date"].to_numpy(),
        versions["value_usd_bn"].to_numpy(dtype=float),
        custom,
        np.full(n, "x-thin", dtype=object),
    )


# The margins plotly grows this chart's to on a desktop screen (1280–1600 px, in English and Chinese): the value
# axis's labels and title on the left, the legend under the plot. Starting there saves the second full drawing
# plotly makes when a margin it started with turns out too small (about a quarter of a first visit's drawing
# time). Elsewhere plotly still grows what does not fit; on a wider screen the legend leaves a strip free below.
FIRST_DRAW_MARGIN = {"l": 80, "b": 117}


def trade_over_time(
    series: pd.DataFrame | tuple[Points, ...],
    versions: pd.DataFrame | Points,
    visits: pd.DataFrame,
    *,
    years: tuple[int, int],
    title: str,
    selected_visit: str = "",
    hover_value: str = HOVER_VALUE,
    y_title: str = "US$ billion",
    log: bool = False,
    milestones: Sequence[milestone_charts.Milestone] | None = None,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Exports, imports, total and balance per reporter on a date axis, with the visits on a strip below and the
    `milestones` (if given) as labelled vertical rules.

    `series` and `versions` are tables, or their points prepared once (`trade_lines`, `version_points`) and
    clipped to the view. `hover_value` and `y_title` name another measure (growth, index: components.analysis)
    when the series' `value` holds one; `log` draws the value axis on a log scale.

    Only full calendar years are drawn as lines, broken where a year is missing; other versions of a point are
    grey crosses; preliminary or estimated values have open markers.
    """
    lines = trade_lines(series, t) if isinstance(series, pd.DataFrame) else series
    others = version_points(versions, t) if isinstance(versions, pd.DataFrame) else versions
    both = len({line.reporter[0] for line in lines}) > 1
    traces = []
    for line in lines:
        reporter, flow = line.reporter[0], line.flow[0]
        traces.append(
            {
                "type": "scatter",
                "x": line.date,
                "y": line.value,
                "mode": "lines+markers",
                "name": t(theme.FLOW_LABELS[flow]) + (f" — {t(theme.REPORTER_LABELS[reporter])}" if both else ""),
                "legendgroup": f"{reporter}-{flow}",
                "line": {"color": theme.FLOW_COLOURS[flow], "dash": theme.REPORTER_DASH[reporter], "width": 2.5},
                # numpy arrays, not lists: plotly deep-copies trace data, and lists element by element
                "marker": {"size": 6, "symbol": line.symbol},
                "customdata": line.custom,
                "hovertemplate": (
                    f"<b>%{{customdata[0]}}</b> · {t(theme.FLOW_LABELS[flow])}<br>{hover_value}"
                    + "<br>"
                    + t("{who} figures", who="%{customdata[1]}")
                    + "<br>%{customdata[2]}<extra></extra>"
                ),
            }
        )
    if len(others):
        traces.append(
            {
                "type": "scatter",
                "x": others.date,
                "y": others.value,
                "mode": "markers",
                "name": t("Other reported versions"),
                "marker": {"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": theme.GREY}},
                "customdata": others.custom,
                "hovertemplate": (
                    "<b>" + t("Another version") + "</b>: %{customdata[0]}<br>%{customdata[3]}"
                    " (" + t("preferred: {value}", value="%{customdata[1]}") + ")<br>%{customdata[2]}"
                    "<br>%{customdata[5]}<extra></extra>"
                ),
            }
        )
    traces += visit_strip(visits, t=t)
    ways = set(visits["direction"])  # the strip's rows, in visit_strip's order (a category axis counts from 0)
    rules, labels = milestone_charts.marks(milestones, years) if milestones else ([], [])
    return theme.figure(
        traces,
        title,
        t=t,
        height=560,
        margin=FIRST_DRAW_MARGIN,
        xaxis=year_axis(years, anchor="y2"),
        yaxis={"title": {"text": t(y_title)}, "domain": [0.28, 1], "type": "log" if log else "linear"},
        yaxis2=STRIP,
        shapes=[*rules, *_selected_line(visits, selected_visit)],
        annotations=[*labels, *theme.row_labels([t(theme.DIRECTION_LABELS[w]) for w in FLOWS if w in ways], "y2")],
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
                    # wrapped: a legend entry wider than a phone is cut off, not wrapped, by plotly
                    "name": theme.wrap(f"{t(theme.FLOW_LABELS[flow])} — {t(theme.REPORTER_LABELS[reporter])}", 44),
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
        yaxis={"title": {"text": t("US$ billion")}, "domain": [0.45, 1]},
        # the percent panel named over it, across: turned up its side the name was longer than the panel and
        # was cut off on a phone
        annotations=[
            {
                "text": t("China vs Vietnam, %"),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": GAP_PANEL_TOP,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        ],
        yaxis2={
            "domain": [0, GAP_PANEL_TOP],
            "ticksuffix": "%",
            "gridcolor": theme.GRID,
            "zerolinecolor": theme.ZERO,
        },
    )
