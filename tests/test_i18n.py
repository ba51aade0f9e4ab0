"""Translations: the catalogs are complete (no missing or fuzzy entry), extracted from today's code, compiled into
the committed .mo files, keep every placeholder, and use the glossary's official terms; the translator is chosen
per language with no shared "current language"; numbers and dates follow each language's locale."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gettext
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from components import formatting, i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "components" / "locales"
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalog(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _messages(catalog) -> list:
    return [m for m in catalog if m.id]  # the header has an empty id


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


# ---------------------------------------------------------------- complete catalogs


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    messages = _messages(_catalog(lang))
    assert messages, "the catalog has messages"
    missing = [m.id for m in messages if not all(s.strip() for s in _strings(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not missing, f"{lang}: untranslated: {missing[:10]}"
    assert not fuzzy, f"{lang}: fuzzy (check and clear the flag): {fuzzy[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_translation_is_left_in_english(lang):
    """A copy of the English is a forgotten translation, except for what is the same in every language."""
    same = [
        m.id
        for m in _messages(_catalog(lang))
        if _strings(m)[0] == _ids(m)[0] and re.search(r"[a-z]{3}", PLACEHOLDER.sub("", _ids(m)[0]))
    ]
    assert not same, f"{lang}: left in English: {same[:10]}"


def _extract(out: Path) -> set:
    """What `make i18n` would extract from the code today, with the Makefile's own keywords."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    keywords = re.search(r"^BABEL_KEYWORDS\s*:=\s*(.+)$", makefile, flags=re.M).group(1).split()
    config = "components/locales/babel.cfg"
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", config, *keywords]
    subprocess.run(
        [*command, "-o", out, "."],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    with out.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_catalogs_hold_exactly_the_messages_in_the_code(tmp_path):
    """A wrapped text missing from the catalogs would show in English: run `make i18n` and translate it."""
    in_code = _extract(tmp_path / "messages.pot")
    assert in_code, "the code marks texts for translation"
    for lang in TRANSLATED:
        in_catalog = {m.id for m in _messages(_catalog(lang))}
        assert in_code - in_catalog == set(), f"{lang}: not in the catalog yet (run make i18n)"
        assert in_catalog - in_code == set(), f"{lang}: no longer in the code (run make i18n)"


def _texts_in_code() -> set:
    """Every literal text the code passes to t(...), t.n(...), t.p(...) or N_(...), read with Python's own parser."""
    import ast

    found: set = set()
    for path in sorted((ROOT / "components").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            literal = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if name in ("t", "N_") and literal[0]:
                found.add(literal[0])
            elif name == "n" and len(literal) >= 2 and literal[0] and literal[1]:
                found.add((literal[0], literal[1]))
            elif name == "p" and len(literal) >= 2 and literal[1]:
                found.add(literal[1])
    return found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_text_in_the_code_is_in_the_catalog(lang):
    """Python's parser, not Babel's tokenizer, finds the texts: one Babel would miss (inside an f-string, or in
    some nestings of calls) fails here instead of showing in English."""
    in_catalog = {m.id for m in _messages(_catalog(lang))}
    assert sorted(map(str, _texts_in_code() - in_catalog)) == []


def test_no_text_is_hidden_from_extraction_inside_an_f_string():
    """Babel (on Python 3.11) reads an f-string as one token: a t("...") inside one is never extracted, so it
    would stay English in every language. Build the text outside the f-string."""
    hidden = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "components").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\{(t|tr\(\))(\.n|\.p)?\(\s*['\"]", line)
    ]
    assert hidden == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalog_is_up_to_date_with_the_po_file(lang):
    """The app reads the committed .mo (no build step on Streamlit Community Cloud): it must say what the .po says."""
    with (LOCALES / lang / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)._catalog
    compiled = {k: v for k, v in compiled.items() if k != ""}  # the header
    expected: dict = {}
    for m in _messages(_catalog(lang)):
        key = m.id[0] if isinstance(m.id, tuple) else m.id
        key = f"{m.context}\x04{key}" if m.context else key
        if isinstance(m.id, tuple):
            for index, text in enumerate(_strings(m)):
                expected[(key, index)] = text
        else:
            expected[key] = m.string
    assert compiled == expected, "run `make i18n` (pybabel compile) and commit the .mo files"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    """'{value}' renamed or dropped in a translation would raise or lose a number at run time."""
    for m in _messages(_catalog(lang)):
        wanted = sorted(PLACEHOLDER.findall(_ids(m)[-1]))
        for text in _strings(m):
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (lang, m.id, text)


# ---------------------------------------------------------------- glossary: official terms


def _glossary() -> list[dict[str, str]]:
    with (LOCALES / "glossary.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_glossary_cites_a_source_for_every_form():
    rows = _glossary()
    assert {"en", "vi", "zh", "source_vi", "source_zh"} <= set(rows[0])
    assert len({r["key"] for r in rows}) == len(rows)
    for row in rows:
        assert row["en"] and row["vi"] and row["zh"], row
        for column in ("source_vi", "source_zh"):
            assert row[column].startswith(("http://", "https://")), (row["key"], column)
        assert re.search(r"[À-ỹĐđ]|^[A-Za-z ]+$", row["vi"]), row["vi"]
        assert re.search(r"[\u4e00-\u9fff]", row["zh"]), row["zh"]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_uses_the_glossary_forms(lang):
    """Where a message is a glossary term (a visit type, an office), its translation is the official form."""
    forms = {row["en"].casefold(): row[lang] for row in _glossary()}
    checked = 0
    for m in _messages(_catalog(lang)):
        official = forms.get(_ids(m)[0].casefold())
        if official:
            checked += 1
            assert official.casefold() in _strings(m)[0].casefold(), (m.id, _strings(m)[0], official)
    assert checked >= 3, "the visit types and offices in the catalog come from the glossary"


# ---------------------------------------------------------------- the translator


def test_english_is_the_source_and_unknown_languages_get_english():
    assert i18n.translator("en")("Filters") == "Filters"
    assert i18n.translator("fr")("Filters") == "Filters"
    assert i18n.translator("fr").lang == "en"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translator_reads_the_compiled_catalog(lang):
    t = i18n.translator(lang)
    for m in _messages(_catalog(lang)):
        if isinstance(m.id, tuple):
            assert t.catalog.ngettext(*m.id, 1) == m.string[0]
        elif m.context:
            assert t.catalog.pgettext(m.context, m.id) == m.string
        else:
            assert t.catalog.gettext(m.id) == m.string


def test_plurals_and_named_values():
    t = i18n.translator("en")
    assert t.n("{n} visit", "{n} visits", 1) == "1 visit"
    assert t.n("{n} visit", "{n} visits", 3) == "3 visits"
    assert t("{a} and {b}", a="x", b="y") == "x and y"
    assert i18n.N_("Party chief") == "Party chief"
    assert t.map({"k": "Party chief"}) == {"k": "Party chief"}
    for lang in i18n.LANGUAGES:  # gettext("") would be the catalog's header
        assert i18n.translator(lang)("") == ""


def test_languages_do_not_leak_between_threads():
    """One process serves many readers at once: each call names its language, nothing global is switched."""
    en, vi, zh = (i18n.translator(lang) for lang in i18n.LANGUAGES)
    probe = next(m.id for m in _messages(_catalog("vi")) if isinstance(m.id, str) and not PLACEHOLDER.search(m.id))
    expected = {"en": probe, "vi": vi(probe), "zh": zh(probe)}
    assert len(set(expected.values())) == 3

    def read(lang: str) -> tuple[str, str]:
        return lang, i18n.translator(lang)(probe)

    with ThreadPoolExecutor(8) as pool:
        for lang, text in pool.map(read, list(i18n.LANGUAGES) * 200):
            assert text == expected[lang]
    assert en(probe) == probe


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("vi-VN", "vi"),
        ("vi", "vi"),
        ("zh-CN", "zh"),
        ("zh-TW", "zh"),  # the only Chinese interface is Simplified
        ("zh_Hans_CN", "zh"),
        ("en-GB", "en"),
        ("fr-FR", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_browser_locale_to_language(locale, lang):
    assert i18n.from_locale(locale) == lang


def test_locales_for_numbers_and_dates():
    assert {lang: i18n.translator(lang).locale for lang in i18n.LANGUAGES} == i18n.LOCALES


# ---------------------------------------------------------------- numbers and dates per locale (issue 10)

DAY = dt.date(2023, 12, 12)


@pytest.mark.parametrize(
    ("lang", "money", "day"),
    [
        ("en", "US$252.0 bn", "12 Dec 2023"),
        ("vi", "252,0 tỷ USD", "12 tháng 12, 2023"),
        ("zh", "2520亿美元", "2023年12月12日"),
    ],
)
def test_money_and_dates_follow_the_locale(lang, money, day):
    locale = i18n.LOCALES[lang]
    assert formatting.money(252.0, locale=locale) == money
    assert formatting.day(DAY, locale=locale) == day


@pytest.mark.parametrize(
    ("lang", "number", "percent"),
    [("en", "1,234.5", "+24.6%"), ("vi", "1.234,5", "+24,6%"), ("zh", "1,234.5", "+24.6%")],
)
def test_numbers_and_shares_follow_the_locale(lang, number, percent):
    locale = i18n.LOCALES[lang]
    assert formatting.number(1234.5, 1, locale=locale) == number
    assert formatting.percent_change(24.6, locale=locale) == percent


def test_chinese_money_counts_in_yi_with_the_same_precision():
    """亿 (10⁸) is how Chinese states billions: US$13.1 bn is 131亿美元, a change keeps its sign."""
    locale = i18n.LOCALES["zh"]
    assert formatting.money(13.1, locale=locale) == "131亿美元"
    assert formatting.money_change(-2.1, locale=locale) == "−21亿美元"


# ---------------------------------------------------------------- fonts: exported images draw both scripts


def test_cjk_font_is_installed_by_the_set_up():
    assert "fonts-noto-cjk" in (ROOT / "packages.txt").read_text(encoding="utf-8").split()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^setup:.*\bfonts\b", makefile, flags=re.M)
    assert "fonts-noto-cjk" in makefile


@functools.cache
def _title_png(text: str) -> bytes:
    import plotly.graph_objects as go

    from components import export

    export.warm_renderer()
    fig = go.Figure(
        layout={
            "title": {"text": text, "font": {"size": 40}},
            "width": 500,
            "height": 120,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "margin": {"t": 60},
        }
    )
    return fig.to_image(format="png")


@pytest.mark.parametrize("text", ["国事访问", "Nguyễn Phú Trọng"])
def test_exported_images_draw_real_glyphs_not_boxes(text):
    """Characters with no font are drawn as identical 'tofu' boxes: a text must not look like unknown characters.

    (Checked: with fontconfig limited to DejaVu, "国事访问" and four private-use characters give the same PNG.)
    """
    tofu = "".join(chr(0xE000 + i) for i in range(len(text)))  # private-use code points: no font has them
    assert _title_png(text) != _title_png(tofu)
    assert _title_png("国事访问") != _title_png("国事访向")  # and two different characters differ
