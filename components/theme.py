"""One palette and one set of labels for every figure, chosen to be colour-blind safe (Okabe–Ito) and readable
on Streamlit's light and dark themes: figures keep a transparent background and let the page choose the text
colour; exported images get an explicit white template instead.

Colour carries one meaning everywhere: orange is Vietnam → China (Vietnam's exports, Vietnamese leaders visiting
China), blue is China → Vietnam (Vietnam's imports, Chinese leaders visiting Vietnam).
"""

from __future__ import annotations

import textwrap
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from babel.numbers import get_decimal_symbol, get_group_symbol

from components.i18n import N_, Translator, translator

ENGLISH = translator("en")  # the default of every function that takes a translator: English, the source language

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
    "vn_to_cn": N_("Vietnam → China (Vietnam's exports)"),
    "cn_to_vn": N_("China → Vietnam (Vietnam's imports)"),
    "total": N_("Two-way trade"),
    "balance": N_("Vietnam's balance"),
}
FLOW_SHORT = {
    "vn_to_cn": N_("Exports to China"),
    "cn_to_vn": N_("Imports from China"),
    "total": N_("Two-way trade"),
    "balance": N_("Balance"),
}
REPORTER_LABELS = {"VN": N_("Vietnam-reported"), "CN": N_("China-reported")}
DIRECTION_LABELS = {"vn_to_cn": N_("Vietnam → China"), "cn_to_vn": N_("China → Vietnam")}
OFFICE_LABELS = {
    "party_chief": N_("Party chief"),
    "head_of_state": N_("Head of state"),
    "vice_president": N_("Vice-president"),
    "head_of_government": N_("Head of government"),
    "deputy_head_of_government": N_("Deputy head of government"),
    "legislature_chief": N_("Legislature chief"),
    "advisory_body_chief": N_("CPPCC chair"),
    "front_chief": N_("Fatherland Front chair"),
    "foreign_minister": N_("Foreign minister"),
    "other": N_("Other"),
}
VISIT_TYPE_LABELS = {
    "state": N_("State visit"),
    "official": N_("Official visit"),
    "working": N_("Working visit"),
    "party": N_("Party visit"),
    "multilateral": N_("Multilateral + bilateral"),
    "envoy": N_("Special envoy"),
    "other": N_("Other"),
}
BILATERAL_PART_LABELS = {
    "state": N_("state visit"),
    "official": N_("official visit"),
    "working": N_("working visit"),
    "sidelines": N_("talks on the sidelines"),
}


def visit_type_label(visit_type: str, bilateral_part: str = "", t: Translator = ENGLISH) -> str:
    """'Multilateral + bilateral (state visit)' where a summit trip included a bilateral visit."""
    label = t(VISIT_TYPE_LABELS.get(visit_type, visit_type))
    part = BILATERAL_PART_LABELS.get(bilateral_part or "")
    return t("{label} ({part})", label=label, part=t(part)) if part else label


# The coded visit filters, each with its own labels (view.describe): a visit direction is not a trade flow.
FILTER_LABELS = {"directions": DIRECTION_LABELS, "offices": OFFICE_LABELS, "visit_types": VISIT_TYPE_LABELS}
MILESTONE_KINDS = {  # data/milestones.csv `kind`
    "framework": N_("relationship framework"),
    "treaty": N_("treaty"),
    "trade_agreement": N_("trade agreement"),
    "other": N_("milestone"),
}

ROW_AXIS = {"showticklabels": False, "showgrid": True, "fixedrange": True}  # rows named by row_labels instead

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
    """Text broken into lines of at most `width` characters, joined with <br> for plotly hovers and notes.

    Chinese has no spaces and each character is about two Latin letters wide: such text breaks between
    characters at half the width.
    """
    return _wrap(str(text), width) if text else ""


@lru_cache(maxsize=16384)
def _wrap(text: str, width: int) -> str:
    """Pure and called for every hover point of every view: the same few hundred texts, wrapped once."""
    if sum(unicodedata.east_asian_width(c) in "WF" for c in text) * 3 > len(text):
        width = max(width // 2, 10)
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False))  # "China-<br>reported" reads badly


def row_labels(names: list[str], yref: str = "y") -> list[dict]:
    """The rows of a visit chart (offices, directions; `names` from the bottom row up) named over their own
    line at the plot's left edge, as annotations: as tick labels in a left margin they took about 40 % of a
    phone's chart width ("Deputy head of government"). Raised clear of the markers on the line."""
    return [
        {
            "text": name,
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "yref": yref,
            "y": i,  # a category axis places category i at i
            "yanchor": "bottom",
            "yshift": 7,
            "showarrow": False,
            "font": {"size": 11, "color": GREY},
        }
        for i, name in enumerate(names)
    ]


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
        # At the foot of the figure (the container, not the plot): plotly then makes room for it below the x
        # tick labels however tall they are (two lines, or turned on a phone), where a fixed offset under the
        # plot let turned labels run into it.
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "xanchor": "left", "x": 0},
        "hoverlabel": {"namelength": -1},
        "hovermode": "closest",
        "xaxis": {"showgrid": False, "zeroline": False},
        "yaxis": {"gridcolor": GRID, "zerolinecolor": ZERO},
    }
    for key, value in extra.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and key in base else value
    return base


def separators(t: Translator) -> str:
    """Plotly's decimal and thousands separators in the language's locale ("1.234,5" in Vietnamese)."""
    return get_decimal_symbol(t.locale) + get_group_symbol(t.locale)


def figure(traces: list[dict], title: str, *, height: int = 420, t: Translator = ENGLISH, **extra: object) -> go.Figure:
    """Create the Figure once from plain trace dicts: far cheaper than adding traces one by one.

    Axis and hover numbers use the separators of `t`'s locale.

    Validation is skipped here because st.plotly_chart validates every figure again before sending it (and the
    tests check the builders' output); doing it twice cost about a fifth of a rerun.
    """
    shape = layout(title, height=height, separators=separators(t), **extra)
    return go.Figure(data=traces, layout={"template": template(), **shape}, _validate=False)


@lru_cache(maxsize=4)
def template(name: str = "") -> dict:
    """A plotly template (the default one unless named) as a plain dict, made once: left unset, every new Figure
    deep-copies the template object (about 3 ms a figure, on every new view). The figure's JSON is the same."""
    return pio.templates[name or pio.templates.default].to_plotly_json()


def empty(title: str, message: str, t: Translator = ENGLISH) -> go.Figure:
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
    return figure([], title, t=t, height=240, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False})
