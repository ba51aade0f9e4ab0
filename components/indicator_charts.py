"""Pure figure builder for the other yearly indicators (Chinese investment, Chinese visitors)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import formatting as fmt
from components import theme
from components.i18n import N_, Translator
from components.tables import STATUS_LABELS
from components.theme import ENGLISH
from components.trade_charts import source_hovers, year_axis

# What a figure counts, where sources define it differently: unlike figures are never one series.
DEFINITION_LABELS = {
    "total_registered": N_("registered capital incl. additions"),
    "newly_registered": N_("new projects only"),
    "cumulative_stock": N_("cumulative stock"),
    "not_stated": N_("definition not stated"),
}
DEFINITION_PATTERN = {"total_registered": "", "newly_registered": "x", "cumulative_stock": ".", "not_stated": "/"}
HOVER = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"


def _status(status: str, t: Translator) -> str:
    return "" if status == "final" else t(STATUS_LABELS.get(status, status))


def _custom(rows: pd.DataFrame, unit: str, t: Translator = ENGLISH) -> list[list[str]]:
    """Per point: period, value in words (with the source's qualifier), what it counts and its status, source."""
    qualifiers = rows["qualifier"] if "qualifier" in rows else pd.Series("exact", index=rows.index)
    definitions = rows["definition"] if "definition" in rows else pd.Series("", index=rows.index)
    kinds = [
        "; ".join(p for p in (t(DEFINITION_LABELS.get(d or "", "")), _status(s, t)) if p)
        for d, s in zip(definitions.fillna(""), rows["status"], strict=True)
    ]
    sources = source_hovers(rows.assign(computed=False), t)
    return [
        [period, fmt.quantity(v, unit, q, locale=t.locale), kind, source]
        for period, v, q, kind, source in zip(rows["period"], rows["value"], qualifiers, kinds, sources, strict=True)
    ]


def indicator_chart(
    rows: pd.DataFrame,
    *,
    title: str,
    unit: str,
    colour: str = theme.BLUE,
    years: tuple[int, int] | None = None,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Full-year values as bars, one series per definition; part-year values as open markers beside them,
    never as if they were years; other sources' versions as grey crosses."""
    preferred = rows[rows["preferred"]]
    full = preferred[preferred["full_year"]]
    part = preferred[~preferred["full_year"]]
    others = rows[~rows["preferred"]]
    definitions = full["definition"].fillna("") if "definition" in full else pd.Series("", index=full.index)
    several = definitions.nunique() > 1
    traces = []
    for definition, group in full.groupby(definitions, sort=False):
        label = t(DEFINITION_LABELS.get(definition, "")) if DEFINITION_LABELS.get(definition) else ""
        traces.append(
            {
                "type": "bar",
                "x": group["year"].astype(str) + "-07-01",
                "y": group["value"],
                "name": t("Full year ({definition})", definition=label) if label and several else t("Full year"),
                "marker": {"color": colour, "pattern": {"shape": DEFINITION_PATTERN.get(definition, "")}},
                "customdata": _custom(group, unit, t),
                "hovertemplate": HOVER,
            }
        )
    if not part.empty:
        traces.append(
            {
                "type": "scatter",
                "x": part["end"],
                "y": part["value"],
                "mode": "markers",
                "name": t("Part of the year (tap or hover for the months)"),
                "marker": {"symbol": "circle-open", "size": 10, "color": colour, "line": {"width": 2}},
                "customdata": _custom(part, unit, t),
                "hovertemplate": HOVER,
            }
        )
    if not others.empty:
        traces.append(
            {
                "type": "scatter",
                "x": others["end"],
                "y": others["value"],
                "mode": "markers",
                "name": t("Other reported versions"),
                "marker": {"symbol": "x-thin", "size": 9, "line": {"width": 2, "color": theme.GREY}},
                "customdata": _custom(others, unit, t),
                "hovertemplate": "<b>%{customdata[0]}</b> (" + t("another version") + ")<br>%{customdata[1]}"
                "<br>%{customdata[3]}<extra></extra>",
            }
        )
    xaxis = year_axis(years) if years else {"type": "date"}
    return theme.figure(traces, title, t=t, height=340, xaxis=xaxis, yaxis={"title": {"text": t(unit)}})
