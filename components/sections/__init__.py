"""The page's parts: the only package that calls st.*. Each function draws one part of a page from prepared
data; the pages (components/pages) arrange them. Per-user state lives in st.session_state (widget keys `f_*`)
and in the URL; nothing here is module-level state (the one shared object is a lock: `frame.drawing_turn`).

    frame     page config and style, the drawing turn, the cached dataset, the language, navigation, small helpers
    sidebar   filters and language ↔ URL, share link, citation
    charts    one chart with its downloads, embed snippet and table; one chart alone for an iframe
    headline  the cards, how current the data is, what the dashboard shows
    trade     trade chart and its measure, a point's sources, year to date, mirror statistics, other indicators
    visits    timeline, the chosen visit with the trade around it, the table of visits, who made the most
    deferred  a part drawn once the reader scrolls near it (the overview's timeline)
    relations what is traded (goods), documents signed per summit, the milestones list
    data      sources, the dataset's downloads, curation notes, how to cite
"""

from components.sections.charts import _column_config, chart_alone
from components.sections.data import cite_section, curation_notes, dataset_downloads, sources_section
from components.sections.frame import (
    TITLE,
    drawing_turn,
    load_dataset,
    navigation,
    page_config,
    page_title,
    url_notices,
)
from components.sections.headline import data_as_of, header, intro
from components.sections.relations import documents_section, goods_section, milestones_section
from components.sections.sidebar import current_view
from components.sections.trade import indicators_section, mirror_section, trade_section, ytd_section
from components.sections.visits import most_visits, timeline_section, visits_table

__all__ = [
    "TITLE",
    "_column_config",
    "chart_alone",
    "cite_section",
    "curation_notes",
    "current_view",
    "data_as_of",
    "dataset_downloads",
    "documents_section",
    "drawing_turn",
    "goods_section",
    "header",
    "indicators_section",
    "intro",
    "load_dataset",
    "milestones_section",
    "mirror_section",
    "most_visits",
    "navigation",
    "page_config",
    "page_title",
    "sources_section",
    "timeline_section",
    "trade_section",
    "url_notices",
    "visits_table",
    "ytd_section",
]
