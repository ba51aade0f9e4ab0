"""Vietnam–China relations dashboard. Run: streamlit run dashboard.py

The script reads top to bottom as the data flows: dataset → view (filters ↔ URL) → the page the link names.
"""

from components import pages, sections

sections.page_config()
ds, choices = sections.load_dataset()  # validated tables, cached
view = sections.current_view(ds, choices)  # filters ↔ URL, share link (the link alone for one chart)
pages.run(pages.Context(ds, choices, view))  # overview, /trade, /visits, /data, or one chart
