"""The dashboard's code. Data flows down this list, and imports only point down it:

dataset (read and validate data/) → view (filters ↔ URL) → filtering (tables × view) →
theme, trade_charts, timeline, indicator_charts (pure figure builders) → figures (the page's named figures) →
export (PNG/SVG/CSV bytes, batch command) → sections (the only module that calls st.*).
"""
