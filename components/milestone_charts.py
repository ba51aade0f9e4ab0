"""Pure: the relationship's milestones (data/milestones.csv) as labelled vertical rules on a date axis, shared by
the trade chart and the timeline, and as the rows of a chart's table.

A rule is a layout shape and its label an annotation (with the description and sources as its hover text), so
they sit on any chart without a trace of their own, and an exported image (which keeps the layout) carries them.
"""

from __future__ import annotations

import pandas as pd

from components import formatting as fmt
from components import theme
from components.i18n import Translator
from components.theme import ENGLISH, MILESTONE_KINDS

COLOUR = "#6B4C9A"  # a muted violet: apart from the flows' and directions' colours, readable on white
LABEL_WIDTH = 30  # characters of a label along its rule; the whole title is in the hover
CLOSE = 0.045  # milestones nearer than this share of the axis share one label (on a phone theirs would overlap)


def in_years(milestones: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """The milestones inside the year range, in date order."""
    if milestones.empty:
        return milestones
    year = milestones["date"].dt.year
    return milestones[(year >= years[0]) & (year <= years[1])].sort_values("date", kind="stable")


def _short(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def hover(row: pd.Series | object, t: Translator = ENGLISH) -> str:
    """Date, title and kind, the description (curated in English) and the sources, for a label's hover."""
    title, kind = t(row.title), t(MILESTONE_KINDS.get(row.kind, row.kind))
    sources = theme.wrap(t("Sources: {sources}", sources=row.source_labels), 70)
    return (
        f"<b>{fmt.day(row.date, t.locale)} · {title}</b> ({kind})"
        f"<br>{theme.wrap(row.description, 70)}<br><i>{sources}</i>"
    )


def _clusters(dates: pd.Series, years: tuple[int, int]) -> list[list[int]]:
    """Positions of milestones grouped where their labels would overlap on an axis over `years`."""
    span = (pd.Timestamp(f"{years[1]}-12-31") - pd.Timestamp(f"{years[0]}-01-01")).days or 1
    groups: list[list[int]] = []
    first = None  # the day of the current group's label: a group never drifts further than CLOSE from it
    for i, day in enumerate(dates):
        if first is not None and (day - first).days / span < CLOSE:
            groups[-1].append(i)
        else:
            groups.append([i])
            first = day
    return groups


def marks(milestones: pd.DataFrame, years: tuple[int, int], t: Translator = ENGLISH) -> tuple[list[dict], list[dict]]:
    """The rules (shapes) and their labels (annotations) of the milestones in `years`.

    A label runs up its rule from the plot's top edge down, in the reader's language; milestones too close to
    be told apart share one label (the first one's title and "+1", "+2") and one hover listing each."""
    shown = in_years(milestones, years)
    if shown.empty:
        return [], []
    rows = list(shown.itertuples())
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": row.date,
            "x1": row.date,
            "y0": 0,
            "y1": 1,
            "layer": "below",
            "line": {"color": COLOUR, "dash": "dot", "width": 1.5},
            "name": f"milestone:{row.milestone_id}",
        }
        for row in rows
    ]
    labels = []
    for group in _clusters(shown["date"], years):
        members = [rows[i] for i in group]
        more = f" (+{len(members) - 1})" if len(members) > 1 else ""
        text = _short(t(members[0].title), LABEL_WIDTH - len(more)) + more
        labels.append(
            {
                "x": members[0].date,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "textangle": -90,
                "text": text,
                "showarrow": False,
                "font": {"size": 10, "color": COLOUR},
                "bgcolor": "rgba(255,255,255,0.8)",
                "hovertext": "<br><br>".join(hover(m, t) for m in members),
                "hoverlabel": {"bgcolor": "white", "bordercolor": COLOUR},
                "name": "milestone:" + ";".join(m.milestone_id for m in members),
            }
        )
    return shapes, labels


def alt_sentence(milestones: pd.DataFrame, years: tuple[int, int], t: Translator = ENGLISH) -> str:
    """What the rules are, for a chart's alt text: 'Milestones marked as vertical lines: 2008 …; 2023 …'."""
    shown = in_years(milestones, years)
    if shown.empty:
        return ""
    names = "; ".join(f"{fmt.day(r.date, t.locale)} {t(r.title)}" for r in shown.itertuples())
    return t("Milestones of the relationship are marked as vertical lines: {names}.", names=names)


def table_rows(milestones: pd.DataFrame, years: tuple[int, int], t: Translator = ENGLISH) -> pd.DataFrame:
    """The milestones in `years` as readers see them in a table: date, kind, title, description, sources."""
    shown = in_years(milestones, years)
    return pd.DataFrame(
        {
            "date": shown["date"].dt.strftime("%Y-%m-%d"),
            "kind": [t(MILESTONE_KINDS.get(k, k)) for k in shown["kind"]],
            "title": [t(x) for x in shown["title"]],
            "description": shown["description"],
            "source_labels": shown["source_labels"],
            "source_url": shown["source_urls"].str[0],
            "milestone_id": shown["milestone_id"],
        }
    )
