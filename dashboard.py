"""Vietnam–China relations dashboard. Run: streamlit run dashboard.py

The script reads top to bottom as the data flows: dataset → view (filters ↔ URL) → the page the link names.
`streamlit run` finds `app` below and serves the page with the HTTP routes beside it (components/web: link
previews, charts and data by URL, oEmbed, light embeds; the pages' style sheet in their HTML head); each reader's
script run draws the page.
"""

import streamlit as st

from components import pages, sections

if __name__ == "__main__":  # a script run (a reader's session, AppTest): draw the page
    with sections.drawing_turn():  # one run draws at a time per process: a burst of readers is served in turn
        sections.page_config()
        ds, choices = sections.load_dataset()  # validated tables, cached
        view = sections.current_view(ds, choices)  # filters ↔ URL, share link (the link alone for one chart)
        pages.run(pages.Context(ds, choices, view))  # overview, /trade, /visits, /data, or one chart
else:  # imported by the server that `streamlit run` starts for `app`
    from components.web import app_options

    app = st.App(__file__, **app_options())
