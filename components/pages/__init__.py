"""The dashboard's pages, each at its own address, and the one-chart view for embedding.

Every page draws from the same `Context` (dataset, choices, the view in force), so the filters stay in force,
and in the link, when the reader moves between pages. Panels are built lazily: a page that shows no chart (the
data page) builds none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from components import sections
from components.dataset import Dataset
from components.figures import LazyPanels
from components.i18n import N_
from components.pages import data, overview, trade, visits
from components.view import Choices, View


@dataclass
class Context:
    """What every page draws from: the read-only dataset, what it allows, and the reader's view."""

    ds: Dataset
    choices: Choices
    view: View
    panels: LazyPanels = field(init=False)  # built on first use: a page builds only the charts it shows

    def __post_init__(self) -> None:
        self.panels = LazyPanels(self.ds, self.view, self.choices)


# (module, title, url path, icon); the overview is the default page at "/".
PAGES = (
    (overview, N_("Overview"), "", ":material/home:"),
    (trade, N_("Trade"), "trade", ":material/show_chart:"),
    (visits, N_("Visits"), "visits", ":material/flight:"),
    (data, N_("Data and sources"), "data", ":material/dataset:"),
)


def run(ctx: Context) -> None:
    """Draw the page the link names, or only the chart it names (`chart=`, for an article's iframe)."""
    page = sections.navigation(
        [(partial(module.render, ctx), title, path, icon) for module, title, path, icon in PAGES],
        hidden=bool(ctx.view.chart),
    )
    if ctx.view.chart:
        sections.chart_alone(ctx.panels[ctx.view.chart], ctx.view, ctx.choices)
    else:
        page.run()
