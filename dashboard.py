"""Vietnam–China relations dashboard. Run: streamlit run dashboard.py

The page reads top to bottom as the data flows: dataset → view (sidebar, URL) → panels (figures) → sections.
"""

from components import sections
from components.figures import build

sections.page_config()
ds, choices = sections.load_dataset()  # validated tables, cached
view = sections.sidebar_filters(choices)  # filters ↔ URL
sections.share_link(view)
panels = build(ds, view, choices)  # filtered tables → named figures

sections.url_notices()
sections.header(ds, view, panels)
sections.trade_section(panels)
sections.mirror_section(panels)
sections.timeline_section(ds, panels)
sections.visits_table(ds, panels)
sections.indicators_section(panels)
sections.sources_section(ds)
