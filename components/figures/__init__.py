"""One function, dataset × view → the page's named panels (figure, alt text, table equivalent, source line).

The page and the batch export both call `build`, so an exported PNG is always the chart the page shows.

Each panel is built by its own function from only the view fields it depends on (the mirror chart from the
years, the year-to-date chart from the years and its reporter and flow, ...), memoised on exactly those fields. A filter
change therefore rebuilds only the panels it affects. The memos are pure (same inputs, same panel) and keyed
by the read-only dataset's identity, so sessions can share them safely; treat a returned Panel as read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace

from components import filtering, theme
from components.dataset import Dataset
from components.figures import trade
from components.figures.around import around, around_ytd_table, visit_trade_panel
from components.figures.base import VISIT_FILTERS, YEARS, Panel, milestones, only, shown_names
from components.figures.goods import goods_panel
from components.figures.indicators import INDICATORS, indicator_panel
from components.figures.trade import mirror_panel, trade_panel, ytd_panel
from components.figures.visits import MAX_VISITS_DRAWN, _visit_hovers, documents_panel, timeline_panel, visit_labels
from components.i18n import LANGUAGES
from components.view import Choices, View

__all__ = [
    "BUILDERS",
    "MAX_VISITS_DRAWN",
    "LazyPanels",
    "Panel",
    "around",
    "around_ytd_table",
    "build",
    "english",
    "prepare",
    "shown_names",
    "timeline_panel",
    "visit_labels",
]

# Each panel from only the view fields it depends on (its memo key, the language included), in page order.
BUILDERS: dict[str, Callable[[Dataset, View, Choices], Panel]] = {
    "trade": lambda ds, view, choices: trade_panel(
        ds, only(view, *YEARS, "reporter", *VISIT_FILTERS, "visit", "measure", "scale", "milestones", "lang"), choices
    ),
    "ytd": lambda ds, view, choices: ytd_panel(ds, only(view, *YEARS, "ytd_reporter", "ytd_flow", "lang"), choices),
    "mirror": lambda ds, view, choices: mirror_panel(ds, only(view, *YEARS, "lang"), choices),
    "timeline": lambda ds, view, choices: timeline_panel(
        ds, only(view, *YEARS, *VISIT_FILTERS, "group_by", "visit", "milestones", "lang"), choices
    ),
    **{
        name: (lambda ds, view, choices, name=name: indicator_panel(ds, name, only(view, *YEARS, "lang"), choices))
        for name in INDICATORS
    },
    "visit_trade": lambda ds, view, choices: visit_trade_panel(ds, only(view, "visit", "lang"), choices),
    "goods": lambda ds, view, choices: goods_panel(ds, only(view, *YEARS, "reporter", "lang"), choices),
    "documents": lambda ds, view, choices: documents_panel(ds, only(view, *YEARS, *VISIT_FILTERS, "lang"), choices),
}


def prepare(ds: Dataset) -> Dataset:
    """Derive every view-independent table once, when the dataset is loaded, in every language: a reader's first
    view in any language, like every later new view, then only slices them (about 65 ms a language, once).
    Left to the first view, a burst of readers on new links would each derive them at the same moment."""
    filtering.prepare(ds)
    trade.prepare(ds)
    theme.template()
    for lang in LANGUAGES:
        trade.prepare_language(ds, lang)
        _visit_hovers(ds, lang)
        visit_labels(ds, lang)
        milestones(ds, lang)
    return ds


def build(ds: Dataset, view: View, choices: Choices, names: Iterable[str] | None = None) -> dict[str, Panel]:
    """The panels for a view (all of them, or the `names` a page shows), in page order."""
    return {name: BUILDERS[name](ds, view, choices) for name in (BUILDERS if names is None else names)}


class LazyPanels(Mapping[str, Panel]):
    """The panels of one view, each built on first use: a page builds only the charts it shows."""

    def __init__(self, ds: Dataset, view: View, choices: Choices) -> None:
        self._args = (ds, view, choices)
        self._built: dict[str, Panel] = {}

    def __getitem__(self, name: str) -> Panel:
        if name not in self._built:
            if name not in BUILDERS:
                raise KeyError(name)
            self._built[name] = BUILDERS[name](*self._args)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(BUILDERS)

    def __len__(self) -> int:
        return len(BUILDERS)

    def english(self, name: str) -> Panel:
        """The same panel in English: its table is what a CSV holds, the same in every language."""
        ds, view, choices = self._args
        return self[name] if view.lang == "en" else BUILDERS[name](ds, replace(view, lang="en"), choices)


def english(panels: Mapping[str, Panel], name: str) -> Callable[[], Panel]:
    """A deferred English version of one panel (built when a CSV is downloaded, not on every rerun)."""
    return (lambda: panels.english(name)) if isinstance(panels, LazyPanels) else (lambda: panels[name])
