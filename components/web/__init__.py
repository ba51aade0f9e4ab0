"""The HTTP front door beside the page (never st.*): link previews, charts and data by URL, oEmbed, light embeds.

    routes     the resources: /api/chart/..., /api/data/..., /api/oembed, /embed/<chart>, plotly.js, openapi.yaml
    previews   the page HTML's title, description and Open Graph tags for the view a link names (middleware)
    embed      the light embed page and the oEmbed answer
    resources  the dataset per process, the view from a query string, validators, memoised bounded renders

dashboard.py hands `app_options()` to st.App, which serves these beside Streamlit's own routes.
"""

from __future__ import annotations

from starlette.middleware import Middleware

from components.page_style import PageStyle
from components.web.previews import LinkPreviews
from components.web.routes import ROUTES


def app_options() -> dict:
    """st.App's routes and middleware for this dashboard."""
    return {"routes": list(ROUTES), "middleware": [Middleware(LinkPreviews), Middleware(PageStyle)]}
