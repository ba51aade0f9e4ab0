"""/data: every source, the whole dataset to download, how it was curated, and how to cite the view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components import sections
from components.i18n import N_

if TYPE_CHECKING:
    from components.pages import Context


def render(ctx: Context) -> None:
    sections.url_notices()
    sections.page_title(N_("Data and sources"))
    sections.data_as_of(ctx.ds)
    sections.cite_section(ctx.view, ctx.ds, ctx.choices)
    sections.sources_section(ctx.ds)
    sections.dataset_downloads(ctx.ds)
    sections.curation_notes(ctx.ds)
