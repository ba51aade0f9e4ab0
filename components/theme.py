"""One palette and one set of labels for every figure, chosen to be colour-blind safe (Okabe–Ito) and readable
on Streamlit's light and dark themes: figures keep a transparent background and let the page choose the text
colour; exported images get an explicit white template instead.

Colour carries one meaning everywhere: orange is Vietnam → China (Vietnam's exports, Vietnamese leaders visiting
China), blue is China → Vietnam (Vietnam's imports, Chinese leaders visiting Vietnam).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

ORANGE = "#E69F00"  # Vietnam → China
BLUE = "#0072B2"  # China → Vietnam
GREEN = "#009E73"  # two-way total
PURPLE = "#CC79A7"  # balance
GREY = "#8C8C8C"  # other versions, annotations
VERMILLION = "#D55E00"
SKY = "#56B4E9"

FLOW_COLOURS = {"vn_to_cn": ORANGE, "cn_to_vn": BLUE, "total": GREEN, "balance": PURPLE}
DIRECTION_COLOURS = {"vn_to_cn": ORANGE, "cn_to_vn": BLUE}
REPORTER_DASH = {"VN": "solid", "CN": "dash"}
REPORTER_SYMBOL = {"VN": "circle", "CN": "square"}

FLOW_LABELS = {
    "vn_to_cn": "Vietnam → China (Vietnam's exports)",
    "cn_to_vn": "China → Vietnam (Vietnam's imports)",
    "total": "Two-way trade",
    "balance": "Vietnam's balance",
}
FLOW_SHORT = {
    "vn_to_cn": "Exports to China",
    "cn_to_vn": "Imports from China",
    "total": "Two-way trade",
    "balance": "Balance",
}
REPORTER_LABELS = {"VN": "Vietnam-reported", "CN": "China-reported"}
DIRECTION_LABELS = {"vn_to_cn": "Vietnam → China", "cn_to_vn": "China → Vietnam"}
OFFICE_LABELS = {
    "party_chief": "Party chief",
    "head_of_state": "Head of state",
    "vice_president": "Vice-president",
    "head_of_government": "Head of government",
    "deputy_head_of_government": "Deputy head of government",
    "legislature_chief": "Legislature chief",
    "advisory_body_chief": "CPPCC chair",
    "front_chief": "Fatherland Front chair",
    "foreign_minister": "Foreign minister",
    "other": "Other",
}
VISIT_TYPE_LABELS = {
    "state": "State visit",
    "official": "Official visit",
    "working": "Working visit",
    "party": "Party visit",
    "multilateral": "Multilateral + bilateral",
    "envoy": "Special envoy",
    "other": "Other",
}
BILATERAL_PART_LABELS = {
    "state": "state visit",
    "official": "official visit",
    "working": "working visit",
    "sidelines": "talks on the sidelines",
}


def visit_type_label(visit_type: str, bilateral_part: str = "") -> str:
    """'Multilateral + bilateral (state visit)' where a summit trip included a bilateral visit."""
    label = VISIT_TYPE_LABELS.get(visit_type, visit_type)
    part = BILATERAL_PART_LABELS.get(bilateral_part or "")
    return f"{label} ({part})" if part else label


LABELS = {**OFFICE_LABELS, **VISIT_TYPE_LABELS, **DIRECTION_LABELS, **FLOW_LABELS}
LABELS["other"] = "Other"

FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
GRID = "rgba(128,128,128,0.25)"
ZERO = "rgba(128,128,128,0.5)"


def stack(*values: pd.Series | list) -> np.ndarray:
    """customdata for plotly: the given columns side by side, one row per point."""
    return np.column_stack([np.asarray(v, dtype=object) for v in values])


def columns(frame: pd.DataFrame, *names: str) -> np.ndarray:
    """customdata from a frame's named columns (cheaper than frame[[...]].to_numpy())."""
    return stack(*(frame[name] for name in names))


def wrap(text: object, width: int) -> str:
    """Text broken into lines of at most `width` characters, joined with <br> for plotly hovers and notes."""
    return "<br>".join(textwrap.wrap(str(text), width)) if text else ""


def layout(title: str, *, height: int = 420, **extra: object) -> dict:
    """The shared look as a layout dict: transparent background, legend under the plot.

    The page shows `title` as text above the chart, where it wraps on a phone (plotly never wraps a title);
    the figure carries it only in `meta`, and an exported image draws it in (export.print_figure).
    """
    base: dict = {
        "title": {"x": 0, "xanchor": "left", "font": {"size": 16}},
        "meta": {"title": title},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 36, "b": 10},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": FONT},
        # Under the plot, a fixed ~45 px below it whatever the height, clear of the x tick labels.
        "legend": {"orientation": "h", "yanchor": "top", "y": -45 / max(height - 60, 100), "xanchor": "left", "x": 0},
        "hoverlabel": {"namelength": -1},
        "hovermode": "closest",
        "xaxis": {"showgrid": False, "zeroline": False},
        "yaxis": {"gridcolor": GRID, "zerolinecolor": ZERO},
    }
    for key, value in extra.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and key in base else value
    return base


def figure(traces: list[dict], title: str, *, height: int = 420, **extra: object) -> go.Figure:
    """Create the Figure once from plain trace dicts: far cheaper than adding traces one by one.

    Validation is skipped here because st.plotly_chart validates every figure again before sending it (and the
    tests check the builders' output); doing it twice cost about a fifth of a rerun.
    """
    return go.Figure(data=traces, layout=layout(title, height=height, **extra), _validate=False)


def empty(title: str, message: str) -> go.Figure:
    """A figure that says why it has nothing to show, instead of drawing empty axes."""
    note = {
        "text": message,
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": 14, "color": GREY},
    }
    return figure([], title, height=240, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False})
