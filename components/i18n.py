"""Translation of everything a reader sees, over gettext catalogs (English is the source language).

The catalogs are `components/locales/{vi,zh}/LC_MESSAGES/messages.po`, extracted and updated with Babel
(`make i18n`), and compiled to the committed `.mo` files the app reads, so a deployment needs no build step.
Translators work on the `.po` files in any PO editor.

The language is the reader's, not the process's: one Streamlit process serves many sessions at once, so nothing
here depends on a global "current language". Code that shows text asks for a translator for the language of its
view and passes it down:

    t = i18n.translator(view.lang)
    t("Visits")                                  # gettext
    t("{n} sources", n=12)                       # gettext, then str.format with the named values
    t.n("{n} visit", "{n} visits", count)        # plural forms of the language; `n` is filled in
    t.p("office", "Other")                       # with a context, where one English word has two meanings

Texts defined at import time (labels in dicts) are marked with `N_` so Babel extracts them, and translated where
they are shown: `t(theme.OFFICE_LABELS[code])` or `t.map(theme.OFFICE_LABELS)`. Translators are cached per
language and immutable, so sessions share them safely across threads.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
SOURCE = "en"
LANGUAGES = ("en", "vi", "zh")
# How each language names itself in the language selector.
LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt", "zh": "中文 (简体)"}
# The CLDR locale used for numbers and dates (Babel identifiers): Chinese is Simplified, as in mainland China.
LOCALES = {"en": "en", "vi": "vi", "zh": "zh_Hans_CN"}
# A list in one data cell ('Beijing; Shanghai'); written back with the language's own list separator.
LIST_SEPARATOR = ";"
LIST_JOINERS = {"en": ", ", "vi": ", ", "zh": "、"}


def N_(message: str) -> str:
    """Mark a text for extraction without translating it yet (it is translated where it is shown)."""
    return message


@dataclass(frozen=True)
class Translator:
    """Callable translation into one language: `t(msg)`, `t.n(singular, plural, n)`, `t.p(context, msg)`."""

    lang: str
    catalog: gettext.NullTranslations

    @property
    def locale(self) -> str:
        """The Babel locale identifier for this language's numbers and dates."""
        return LOCALES[self.lang]

    def __call__(self, message: str, /, **values: object) -> str:
        if not message:  # gettext("") is the catalog's header, never a text to show
            return message
        text = self.catalog.gettext(message)
        return text.format(**values) if values else text

    def n(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The plural form for `n` (Vietnamese and Chinese have one form; English two)."""
        return self.catalog.ngettext(singular, plural, n).format(n=n, **values)

    def p(self, context: str, message: str, /, **values: object) -> str:
        """A text whose meaning depends on `context` (msgctxt in the catalog)."""
        text = self.catalog.pgettext(context, message)
        return text.format(**values) if values else text

    def parts(self, cell: str) -> str:
        """A closed-vocabulary list from data/ ('Beijing; Shanghai'), each part translated ('北京、上海')."""
        parts = [self(part.strip()) for part in cell.split(LIST_SEPARATOR) if part.strip()]
        return LIST_JOINERS.get(self.lang, ", ").join(parts)

    def map(self, labels: Mapping[str, str]) -> dict[str, str]:
        """A dict of `N_`-marked labels with each value translated."""
        return {key: self(value) for key, value in labels.items()}


@cache
def translator(lang: str) -> Translator:
    """The translator for `lang` (one of LANGUAGES; anything else gets English). Cached: catalogs load once."""
    if lang not in LANGUAGES or lang == SOURCE:
        return Translator(SOURCE, gettext.NullTranslations())
    # fallback=False: a missing compiled catalog is a broken deployment, not a reason to show English silently.
    return Translator(lang, gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=False))


def extract_csv(fileobj, keywords, comment_tags, options):
    """Babel extractor for closed vocabularies in data/ (components/locales/babel.cfg names the file and its
    `columns`): the visitors' official titles are translated through the catalogs like any text of the interface."""
    import csv
    import io

    columns = [c.strip() for c in options.get("columns", "").split(",") if c.strip()]
    lists = {c.strip() for c in options.get("lists", "").split(",")}  # cells like 'Beijing; Shanghai'
    seen: set[str] = set()
    reader = csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8"))
    for row in reader:
        for column in columns:
            cell = (row.get(column) or "").strip()
            for part in cell.split(LIST_SEPARATOR) if column in lists else [cell]:
                text = part.strip()
                if text and text not in seen:
                    seen.add(text)
                    yield reader.line_num, None, text, [f"data: {column}"]


def from_locale(locale: str | None) -> str:
    """The language for a browser locale such as 'vi-VN', 'zh-CN', 'zh-TW' or 'en-GB'; English when none fits.

    Every Chinese locale gets the Simplified interface, the only Chinese one there is.
    """
    if not locale:
        return SOURCE
    primary = locale.replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in LANGUAGES else SOURCE
