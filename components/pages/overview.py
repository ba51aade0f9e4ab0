"""The overview at "/": the headline numbers, trade with the visits on one time axis, what it shows, and the visit
timeline (drawn when the reader scrolls near it: it lies below the first screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components import sections

if TYPE_CHECKING:
    from components.pages import Context


def render(ctx: Context) -> None:
    sections.url_notices()
    sections.header(ctx.ds, ctx.view, ctx.choices, ctx.panels)
    sections.data_as_of(ctx.ds)
    sections.trade_section(ctx.panels, ctx.view, table=False, controls=False, ds=ctx.ds)
    sections.intro()
    # last: drawn when the reader nears it, it then only grows downwards, with nothing below it to push out of place
    sections.timeline_section(ctx.ds, ctx.panels, ctx.view, table=False, later=True)
