"""Every page in Vietnamese and in Chinese shows no English interface text from the catalog (AppTest): labels, help
texts, placeholders, headings, captions, notices, metric labels, buttons, chart titles, axes, legends, hovers and
alt texts. English stays only where it is data (curated outcomes, notes, source titles), which the check removes
first, using the dataset itself."""

from __future__ import annotations

import json
import re
import textwrap
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import APP_TIMEOUT
from google.protobuf.json_format import MessageToDict

from components import i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "components" / "locales"
PAGES = ("overview", "trade", "visits", "data")
PAGE_SCRIPT = """
from components import pages, sections
from components.pages import {page}

sections.page_config()
ds, choices = sections.load_dataset()
view = sections.current_view(ds, choices)
{page}.render(pages.Context(ds, choices, view))
"""
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\{[^{}]*\}|%[sd]")
# Not shown as text: ids, data, and widget values (codes such as 'office'; the options' labels are checked).
SKIP_KEYS = {
    "data",
    "arrowData",
    "styler",
    "id",
    "formId",
    "key",
    "src",
    "url",
    "iconUrl",
    "config",
    "theme",
    "value",
    "default",
    "rawValues",
    "rawValue",
    "rawDefaultValues",
    "defaultValues",
    "values",
    "columnOrder",
}


def _strings(node: object, out: list[str]) -> None:
    """Every text in an element's protobuf (as a dict), with a Plotly figure's JSON opened up."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SKIP_KEYS:
                continue
            if key == "spec" and isinstance(value, str):
                _figure_strings(json.loads(value), out)
            elif isinstance(value, str) and value.startswith("{") and value.endswith("}"):
                try:  # a table's column config: its keys are the columns' ids, its labels are what shows
                    _strings(json.loads(value), out)
                except ValueError:
                    _strings(value, out)
            else:
                _strings(value, out)
    elif isinstance(node, list):
        for value in node:
            _strings(value, out)
    elif isinstance(node, str) and any(c.isalpha() for c in node):
        out.append(node)


def _figure_strings(spec: dict, out: list[str]) -> None:
    keep = ("text", "name", "hovertemplate", "title", "ticktext", "legendgrouptitle")

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("customdata", "x", "y", "z", "base", "marker", "line", "hovertext") and not isinstance(v, str):
                    continue
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in keep:
            out.append(node)

    walk(spec)


def page_texts(at) -> list[str]:
    texts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            _strings(MessageToDict(proto), texts)
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return texts


@cache
def data_texts() -> tuple[str, ...]:
    """The dataset's free text, which stays as the sources give it (longest first, so parts do not split it)."""
    from components.dataset import load

    ds = load()
    values: set[str] = {ds.notes, textwrap.dedent(ds.notes).strip()}
    for table, columns in (
        (ds.visits, ("outcomes", "note", "host", "cities", "visitor", "visit_id", "source_ids")),
        (ds.sources, ("title", "publisher", "note", "source_id", "published")),
        (ds.trade, ("note", "agency", "source_label")),
        (ds.indicators, ("note", "agency", "source_label")),
        (ds.visit_date_versions, ("note", "source_label")),
    ):
        for column in columns:
            if column in table:
                values.update(str(v) for v in table[column].dropna().unique() if str(v).strip())
    return tuple(sorted(values, key=len, reverse=True))


@cache
def english_messages(lang: str) -> tuple[tuple[str, bool], ...]:
    """(English text, is a phrase) for each catalog message whose translation differs from the English."""
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    out = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if ids[0] == strings[0]:
            continue
        for text in ids:
            for part in PLACEHOLDER.split(text):
                part = part.strip(" .,:;·—–-()")
                words = re.findall(r"[A-Za-z]{2,}", part)
                if len(words) >= 3:
                    out.append((part, True))
                elif part and part == text.strip(" .,:;") and len(part) > 2 and words:
                    out.append((part, False))
    return tuple(sorted(set(out)))


def english_left(texts: list[str], lang: str) -> list[tuple[str, str]]:
    """(message, where) for each English catalog text still shown: a phrase anywhere, a single word or two as a
    whole label. The dataset's free text is removed first."""
    cleaned = []
    for text in texts:
        if "@misc{" in text:  # the BibTeX entry: bibliography metadata, in English by design
            continue
        text = text.replace("\\", "")  # markdown escapes ('\$', '\[') would hide the data's own text
        for value in data_texts():
            if value in text:
                text = text.replace(value, " ")
        cleaned.append(text)
    found = []
    for message, phrase in english_messages(lang):
        for text in cleaned:
            hit = message in text if phrase else text.strip(" .,:;*#") == message
            if hit:
                found.append((message, text[:120]))
                break
    return found


def run_page(page: str, lang: str, **params: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(PAGE_SCRIPT.format(page=page), default_timeout=APP_TIMEOUT)
    at.query_params["lang"] = lang
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["vi", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_page_shows_no_english_interface_text(page, lang):
    at = run_page(page, lang)
    texts = page_texts(at)
    t = i18n.translator(lang)
    assert t("Filters") in texts, "the sidebar is in the chosen language (the check is not vacuous)"
    assert english_left(texts, lang) == []


def test_the_check_finds_english_when_there_is_some():
    """The English page, checked against the Vietnamese catalog, is full of catalog texts."""
    at = run_page("overview", "en")
    assert len(english_left(page_texts(at), "vi")) > 10


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_a_visit_shows_its_outcomes_in_english_with_a_note(lang):
    from components.dataset import load

    chosen = load().visits.sort_values("start_date")["visit_id"].iloc[-1]
    texts = " ".join(page_texts(run_page("visits", lang, visit=chosen)))
    note = i18n.translator(lang)("Outcomes and notes are curated in English and shown as the sources state them.")
    assert note in texts


def test_the_language_selector_switches_the_page_and_the_link_and_reset_keeps_it():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=APP_TIMEOUT)
    at.run()
    assert at.selectbox(key="ui_lang").value == "en" and "lang" not in at.query_params
    at.selectbox(key="ui_lang").set_value("zh").run()
    assert at.query_params.get("lang") in ("zh", ["zh"])
    assert at.title[0].value == i18n.translator("zh")("Vietnam–China relations: trade and high-level visits")
    reset = next(b for b in at.button if b.label == i18n.translator("zh")("Reset all filters"))
    reset.click().run()
    assert at.selectbox(key="ui_lang").value == "zh", "Reset all filters keeps the language"
    assert at.query_params.get("lang") in ("zh", ["zh"])
