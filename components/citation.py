"""Pure texts for sharing a view: how to cite it (plain text and BibTeX) and how to embed one chart.

A citation names the view's own link, the dataset's version (the date of the data's last change, declared in
the data itself, so two readers of the same data cite the same version whatever the day) and the access date.
"""

from __future__ import annotations

import datetime as dt
import html
import re

SITE = "Vietnam–China relations dashboard"
TITLE = "Vietnam–China relations: trade and high-level visits"
EMBED_HEIGHT = 620  # px: a chart of about 450 px with its title, filter and source lines, without a scroll bar
EMBED_EXTRA = 200  # px above and below the plot itself: the title, the filter and source lines, the link back


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _version(version: dt.date, data_to: dt.date | None) -> str:
    return f"Dataset version {version.isoformat()}" + (f" (data to {data_to:%B %Y})" if data_to else "")


def citation_text(
    url: str, version: dt.date, accessed: dt.date, view_line: str = "", data_to: dt.date | None = None
) -> str:
    """A plain-text citation in the author–title–date–link style most house styles accept."""
    shown = f" View: {view_line}." if view_line else ""
    return f"{SITE} ({version.year}). {TITLE}.{shown} {_version(version, data_to)}. {url} (accessed {_day(accessed)})."


def _bibtex_escape(text: str) -> str:
    """Escape BibTeX's special characters; the link goes inside \\url{}, which needs only % and # escaped."""
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def bibtex(url: str, version: dt.date, accessed: dt.date, view_line: str = "", data_to: dt.date | None = None) -> str:
    """A @misc entry (biblatex reads `urldate`; plain BibTeX styles show `note`)."""
    note = f"{_version(version, data_to)}; accessed {accessed.isoformat()}"
    if view_line:
        note = f"View: {view_line}. {note}"
    link = url.replace("%", r"\%").replace("#", r"\#")
    return "\n".join(
        [
            f"@misc{{vncn_dashboard_{version:%Y%m%d},",
            f"  title        = {{{_bibtex_escape(TITLE)}}},",
            f"  author       = {{{{{_bibtex_escape(SITE)}}}}},",
            f"  year         = {{{version.year}}},",
            f"  version      = {{{version.isoformat()}}},",
            f"  howpublished = {{\\url{{{link}}}}},",
            f"  urldate      = {{{accessed.isoformat()}}},",
            f"  note         = {{{_bibtex_escape(note)}}},",
            "}",
        ]
    )


def embed_snippet(url: str, title: str, height: int = EMBED_HEIGHT) -> str:
    """The <iframe> an article pastes to show one chart of one view (`url` already carries chart= and embed=)."""
    return (
        f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" height="{height}" '
        'style="border:0" loading="lazy"></iframe>'
    )
