"""/trade: annual trade, what is traded, the year-to-date comparison, each side's statistics side by side, other
indicators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from components import sections
from components.i18n import N_

if TYPE_CHECKING:
    from components.pages import Context


def render(ctx: Context) -> None:
    sections.url_notices()
    sections.page_title(N_("Trade"))
    sections.trade_section(ctx.panels, ctx.view, ds=ctx.ds)
    sections.goods_section(ctx.panels, ctx.view)
    sections.ytd_section(ctx.panels, ctx.view)
    sections.mirror_section(ctx.panels, ctx.view)
    sections.indicators_section(ctx.panels, ctx.view)
