"""Pure figure builder for what is traded: product-group figures per year as grouped bars, Vietnam's exports to
China above its imports from China, every year of the range on the axis so a year without a figure shows as a
grey, labelled gap rather than disappearing.

Tables in, plotly Figure out: the figures package decides which rows are drawn (full calendar years, preferred
versions, the largest groups) and passes them with their hover texts.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import theme
from components.filtering import FLOWS
from components.i18n import Translator
from components.theme import ENGLISH

# One colour per group, the same in both directions (Okabe–Ito, then greys); products take their group's colour.
PALETTE = (theme.BLUE, theme.ORANGE, theme.GREEN, theme.VERMILLION, theme.PURPLE, theme.SKY, "#7F6D00", theme.GREY)
GAP_FILL = "rgba(140,140,140,0.12)"
PRODUCT_PATTERN = {"shape": "/", "fillmode": "overlay", "size": 6, "solidity": 0.35}
DOMAINS = {"vn_to_cn": [0.56, 1.0], "cn_to_vn": [0.0, 0.44]}
AXES = {"vn_to_cn": ("x", "y"), "cn_to_vn": ("x2", "y2")}


def goods_bars(
    drawn: pd.DataFrame,
    *,
    years: list[int],
    series_order: list[str],
    colours: dict[str, str],
    missing: dict[str, list[int]],
    title: str,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Bars per year and series (`series` names a group, or a product inside its group when `is_product`).

    `drawn` has one row per bar: flow, year, series, value_usd_bn, is_product, hover. `missing` names, per flow,
    the years of the axis with no drawn figure: each is a shaded, labelled slot.
    """
    traces: list[dict] = []
    shown_in_legend: set[str] = set()
    for flow in FLOWS:
        x_axis, y_axis = AXES[flow]
        rows = _placed(drawn[drawn["flow"] == flow], series_order)
        for name in series_order:
            bars = rows[rows["series"] == name]
            if bars.empty:
                continue
            product = bool(bars["is_product"].iloc[0])
            traces.append(
                {
                    "type": "bar",
                    "x": bars["x"].to_numpy(dtype=float),
                    "width": bars["width"].to_numpy(dtype=float),
                    "y": bars["value_usd_bn"].to_numpy(dtype=float),
                    "xaxis": x_axis,
                    "yaxis": y_axis,
                    "name": name,
                    "legendgroup": name,
                    "showlegend": name not in shown_in_legend,
                    "marker": {
                        "color": colours[name],
                        "line": {"color": "white", "width": 0.5},
                        **({"pattern": PRODUCT_PATTERN} if product else {}),
                    },
                    "hovertext": bars["hover"].to_numpy(dtype=object),
                    "hovertemplate": "%{hovertext}<extra></extra>",
                }
            )
            shown_in_legend.add(name)
    shapes, notes = [], []
    for flow in FLOWS:
        x_axis, y_axis = AXES[flow]
        gaps = missing.get(flow, [])
        if len(gaps) == len(years):
            notes.append(_label(t("No product-group figure in these years"), x_axis, y_axis, 0.5, angle=0))
            continue
        for year in gaps:
            shapes.append(
                {
                    "type": "rect",
                    "xref": x_axis,
                    "yref": f"{y_axis} domain",
                    "x0": year - 0.45,
                    "x1": year + 0.45,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": GAP_FILL,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
            notes.append(_label(t("no figure"), x_axis, y_axis, year, angle=-90))
    # a linear axis of whole years (a category axis of numeric-looking labels is read as numbers by plotly.js)
    axis = {
        "type": "linear",
        "range": [years[0] - 0.5, years[-1] + 0.5],
        "tickmode": "array",
        "tickvals": years,
        "ticktext": [str(y) for y in years],
        "showgrid": False,
    }
    return theme.figure(
        traces,
        title,
        t=t,
        height=620,
        barmode="overlay",  # each bar placed by _placed: centred in its own year, whatever the other years hold
        shapes=shapes,
        annotations=notes,
        xaxis={**axis, "anchor": "y", "showticklabels": True},
        xaxis2={**axis, "anchor": "y2", "matches": "x"},
        yaxis={"title": {"text": _axis_title("vn_to_cn", t)}, "domain": DOMAINS["vn_to_cn"]},
        yaxis2={
            "title": {"text": _axis_title("cn_to_vn", t)},
            "domain": DOMAINS["cn_to_vn"],
            "gridcolor": theme.GRID,
        },
    )


SLOT = 0.8  # of a year's width, shared by that year's bars
MAX_BAR = 0.28  # a year with one or two bars keeps them slim


def _placed(rows: pd.DataFrame, series_order: list[str]) -> pd.DataFrame:
    """Each bar's x (centred in its year among that year's bars, in series order) and width.

    Plotly's grouped bars reserve a slot for every series in every year, so a year with one figure would show it
    off-centre, even over the next year's slot: placing the bars here keeps each inside its year."""
    rank = {name: i for i, name in enumerate(series_order)}
    rows = rows.assign(rank=rows["series"].map(rank)).sort_values(["year", "rank"], kind="stable")
    k = rows.groupby("year")["series"].transform("size")
    i = rows.groupby("year").cumcount()
    width = (SLOT / k).clip(upper=MAX_BAR)
    return rows.assign(x=rows["year"] - k * width / 2 + width * (i + 0.5), width=width)


def _axis_title(flow: str, t: Translator) -> str:
    return t("{flow}, US$ bn", flow=t(theme.FLOW_SHORT[flow]))


def _label(text: str, x_axis: str, y_axis: str, x: int | float, *, angle: int) -> dict:
    """A grey note inside one of the two plots: at a year's slot, or (x=0.5 on the paper) across the plot."""
    across = isinstance(x, float)
    return {
        "text": text,
        "x": x,
        "xref": "paper" if across else x_axis,
        "y": 0.5,
        "yref": f"{y_axis} domain",
        "textangle": angle,
        "showarrow": False,
        "font": {"size": 10 if not across else 13, "color": theme.GREY},
    }
