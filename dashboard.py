"""Vietnam–China relations dashboard. Run: streamlit run dashboard.py

The script reads top to bottom as the data flows: dataset → view (filters ↔ URL) → the page the link names.
`streamlit run` finds `app` below and serves the pages through it, with their style sheet in the HTML head
(components/page_style); each reader's script run draws the page.
"""

import streamlit as st

from components import pages, sections

if __name__ == "__main__":  # a script run (a reader's session, AppTest): draw the page
    sections.page_config()
    ds, choices = sections.load_dataset()  # validated tables, cached
    view = sections.current_view(ds, choices)  # filters ↔ URL, share link (the link alone for one chart)
    pages.run(pages.Context(ds, choices, view))  # overview, /trade, /visits, /data, or one chart
else:  # imported by the server that `streamlit run` starts for `app`
    from starlette.middleware import Middleware

    from components.page_style import PageStyle

    app = st.App(__file__, middleware=[Middleware(PageStyle)])
