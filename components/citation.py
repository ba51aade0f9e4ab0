"""Pure texts for sharing a view: how to cite it (plain text and BibTeX) and how to embed one chart.

A citation names the view's own link, the dataset's version (the date of the data's last change, declared in
the data itself, so two readers of the same data cite the same version whatever the day) and the access date.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from babel.dates import format_date, format_skeleton

from components.i18n import N_, Translator, translator

SITE = N_("Vietnam–China relations dashboard")
TITLE = N_("Vietnam–China relations: trade and high-level visits")
ENGLISH = translator("en")
EMBED_HEIGHT = 620  # px: a chart of about 450 px with its title, filter and source lines, without a scroll bar
EMBED_EXTRA = 200  # px above and below the plot itself: the title, the filter and source lines, the link back
LIGHT_EMBED_EXTRA = 150  # the same in the light embed (/embed/<chart>, components/web), which has no app chrome


def _day(date: dt.date, t: Translator = ENGLISH) -> str:
    """'5 November 2026' in English, the locale's long date elsewhere ('5 tháng 11, 2026', '2026年11月5日')."""
    return format_date(date, "d MMMM y" if t.lang == "en" else "long", locale=t.locale)


def _version(version: dt.date, data_to: dt.date | None, t: Translator = ENGLISH) -> str:
    text = t("Dataset version {version}", version=version.isoformat())
    if data_to:
        text += " " + t("(data to {month})", month=format_skeleton("yMMMM", data_to, locale=t.locale))
    return text


def citation_text(
    url: str,
    version: dt.date,
    accessed: dt.date,
    view_line: str = "",
    data_to: dt.date | None = None,
    t: Translator = ENGLISH,
) -> str:
    """A plain-text citation in the author–title–date–link style most house styles accept, in the reader's
    language (the BibTeX entry stays in English, as bibliography metadata)."""
    shown = " " + t("View: {view}.", view=view_line) if view_line else ""
    return t(
        "{site} ({year}). {title}.{view} {version}. {url} (accessed {date}).",
        site=t(SITE),
        year=version.year,
        title=t(TITLE),
        view=shown,
        version=_version(version, data_to, t),
        url=url,
        date=_day(accessed, t),
    )


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
