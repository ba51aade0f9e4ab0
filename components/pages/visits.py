"""/visits: the timeline, the details of the chosen visit, the documents signed per summit, the milestones,
every visit in the filter as a table, and who made the most of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components import sections
from components.i18n import N_

if TYPE_CHECKING:
    from components.pages import Context


def render(ctx: Context) -> None:
    sections.url_notices()
    sections.page_title(N_("Visits"))
    sections.timeline_section(ctx.ds, ctx.panels, ctx.view)
    sections.documents_section(ctx.panels, ctx.view)
    sections.milestones_section(ctx.ds, ctx.view)
    sections.visits_table(ctx.ds, ctx.panels)
    sections.most_visits(ctx.panels, ctx.view, ctx.choices)
