"""Citation and embed texts: they name the view's link, the dataset version and the access date, and stay
well-formed whatever the link holds."""

from __future__ import annotations

import datetime as dt
import re

from components.citation import bibtex, citation_text, embed_snippet

URL = "https://example.org/visits?from=2010&q=joint+statement&visitor=T%C3%B4+L%C3%A2m"
VERSION = dt.date(2026, 3, 13)
ACCESSED = dt.date(2026, 11, 29)


def test_plain_citation_names_link_version_and_access_date():
    text = citation_text(URL, VERSION, ACCESSED, '2010–2026 · search "joint statement"', dt.date(2026, 1, 31))
    assert "(data to January 2026)" in text
    assert URL in text
    assert "Dataset version 2026-03-13" in text
    assert "accessed 29 November 2026" in text
    assert text.startswith("Vietnam–China relations dashboard (2026).")
    assert "joint statement" in text


def test_bibtex_is_balanced_and_escapes_specials():
    entry = bibtex(URL + "&x=50%25#top", VERSION, ACCESSED, 'search "R&D_1"')
    assert entry.startswith("@misc{vncn_dashboard_20260313,")
    assert entry.count("{") == entry.count("}"), entry
    assert r"\url{" in entry and r"50\%25" in entry and r"\#top" in entry
    assert r"R\&D\_1" in entry  # in the note, & and _ are escaped
    assert "version      = {2026-03-13}" in entry
    assert "urldate      = {2026-11-29}" in entry


def test_embed_snippet_is_one_escaped_iframe():
    url = "https://example.org/?chart=trade&q=%22a%22&embed=true"
    snippet = embed_snippet(url, 'Trade "as reported" <2024>')
    assert snippet.startswith("<iframe ") and snippet.endswith("</iframe>")
    src = re.search(r'src="([^"]*)"', snippet).group(1)
    assert src == url.replace("&", "&amp;")
    assert "<2024>" not in snippet and "&lt;2024&gt;" in snippet
    assert 'height="' in snippet and 'loading="lazy"' in snippet
