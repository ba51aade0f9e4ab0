"""Pure: the relationship's milestones (data/milestones.csv) as labelled vertical rules on a date axis, shared by
the trade chart and the timeline, and as the rows of a chart's table.

A rule is a layout shape and its label an annotation (with the description and sources as its hover text), so
they sit on any chart without a trace of their own, and an exported image (which keeps the layout) carries them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from components import formatting as fmt
from components import theme
from components.i18n import Translator
from components.theme import ENGLISH, MILESTONE_KINDS

COLOUR = "#6B4C9A"  # a muted violet: apart from the flows' and directions' colours, readable on white
LABEL_WIDTH = 30  # characters of a label along its rule; the whole title is in the hover
CLOSE = 0.045  # milestones nearer than this share of the axis share one label (on a phone theirs would overlap)


@dataclass(frozen=True)
class Milestone:
    """One milestone as the charts show it in one language, prepared once per dataset and language
    (`prepare`): a new view then filters these by year instead of running pandas and babel again."""

    milestone_id: str
    date: pd.Timestamp
    year: int
    title: str  # in the reader's language
    hover: str  # the label's hover text
    named: str  # "12 December 2023 Title", for the alt text
    row: dict[str, str]  # the row of a chart's table (`table_rows`)


ROW_COLUMNS = ("date", "kind", "title", "description", "source_labels", "source_url", "milestone_id")


def prepare(milestones: pd.DataFrame, t: Translator = ENGLISH) -> tuple[Milestone, ...]:
    """Every milestone in date order, with its label, hover, alt text and table row in `t`'s language."""
    items = []
    for row in milestones.sort_values("date", kind="stable").itertuples():
        title = t(row.title)
        items.append(
            Milestone(
                milestone_id=row.milestone_id,
                date=row.date,
                year=row.date.year,
                title=title,
                hover=hover(row, t),
                named=f"{fmt.day(row.date, t.locale)} {title}",
                row={
                    "date": row.date.strftime("%Y-%m-%d"),
                    "kind": t(MILESTONE_KINDS.get(row.kind, row.kind)),
                    "title": title,
                    "description": row.description,
                    "source_labels": row.source_labels,
                    "source_url": next(iter(row.source_urls), None),
                    "milestone_id": row.milestone_id,
                },
            )
        )
    return tuple(items)


def in_years(milestones: Sequence[Milestone], years: tuple[int, int]) -> list[Milestone]:
    """The milestones inside the year range, in date order."""
    return [m for m in milestones if years[0] <= m.year <= years[1]]


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


def _clusters(dates: Sequence[pd.Timestamp], years: tuple[int, int]) -> list[list[int]]:
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


def marks(milestones: Sequence[Milestone], years: tuple[int, int]) -> tuple[list[dict], list[dict]]:
    """The rules (shapes) and their labels (annotations) of the milestones in `years`.

    A label runs up its rule from the plot's top edge down, in the reader's language; milestones too close to
    be told apart share one label (the first one's title and "+1", "+2") and one hover listing each."""
    shown = in_years(milestones, years)
    shapes = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": m.date,
            "x1": m.date,
            "y0": 0,
            "y1": 1,
            "layer": "below",
            "line": {"color": COLOUR, "dash": "dot", "width": 1.5},
            "name": f"milestone:{m.milestone_id}",
        }
        for m in shown
    ]
    labels = []
    for group in _clusters([m.date for m in shown], years):
        members = [shown[i] for i in group]
        more = f" (+{len(members) - 1})" if len(members) > 1 else ""
        labels.append(
            {
                "x": members[0].date,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "textangle": -90,
                "text": _short(members[0].title, LABEL_WIDTH - len(more)) + more,
                "showarrow": False,
                "font": {"size": 10, "color": COLOUR},
                "bgcolor": "rgba(255,255,255,0.8)",
                "hovertext": "<br><br>".join(m.hover for m in members),
                "hoverlabel": {"bgcolor": "white", "bordercolor": COLOUR},
                "name": "milestone:" + ";".join(m.milestone_id for m in members),
            }
        )
    return shapes, labels


def alt_sentence(milestones: Sequence[Milestone], years: tuple[int, int], t: Translator = ENGLISH) -> str:
    """What the rules are, for a chart's alt text: 'Milestones marked as vertical lines: 2008 …; 2023 …'."""
    shown = in_years(milestones, years)
    if not shown:
        return ""
    names = "; ".join(m.named for m in shown)
    return t("Milestones of the relationship are marked as vertical lines: {names}.", names=names)


def table_rows(milestones: Sequence[Milestone], years: tuple[int, int]) -> pd.DataFrame:
    """The milestones in `years` as readers see them in a table: date, kind, title, description, sources."""
    return pd.DataFrame([m.row for m in in_years(milestones, years)], columns=list(ROW_COLUMNS))
