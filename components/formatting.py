"""The one formatter for every number and period the page, its hovers, tables, CSVs and exports show.

Built on Babel, so each function takes a `locale` and the languages work only has to pass it and translate the
words (each wording goes through `_`). Precision follows one rule: prose (cards, hovers, alt text, captions)
rounds money to one decimal; tables and CSVs keep the value exactly as its source states it (`stated`).

Signs use the true minus sign (−) and a plus sign on changes, written before the currency ("+US$13.1 bn").
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache

import pandas as pd
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from components.i18n import N_, Translator, from_locale, translator


def _t(locale: str) -> Translator:
    """The translator for the language of `locale` (a Babel locale such as 'vi' or 'zh_Hans_CN')."""
    return translator(from_locale(locale))


def _(text: str, locale: str = "en") -> str:
    """The wording in the language of `locale`."""
    return _t(locale)(text)


def _chinese(locale: str) -> bool:
    """Chinese counts in 万 (10⁴) and 亿 (10⁸), not in millions and billions: numbers need code, not a catalog."""
    return from_locale(locale) == "zh"


# Unit words of indicator values, marked for extraction; translated where shown. Chinese writes the number in
# 万/亿 with its own unit word (scale, word).
UNIT_WORDS = {"million arrivals": N_("million arrivals"), "projects": N_("projects"), "US$ billion": N_("US$ billion")}
CHINESE_UNITS = {"million arrivals": (1e6, "人次"), "projects": (1, "个项目")}


MINUS = "−"  # U+2212, not the hyphen
QUALIFIERS = ("exact", "about", "nearly", "over", "under")
MONEY_DECIMALS = 1  # US$ bn in prose


def _qualifier_templates(locale: str) -> dict[str, str]:
    return {
        "exact": "{value}",
        "about": _("about {value}", locale),
        "nearly": _("nearly {value}", locale),
        "over": _("over {value}", locale),
        "under": _("under {value}", locale),
    }


def missing(value: object) -> bool:
    """True for None, NaN and pandas' NA: the values that must never be printed as a number."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=64)
def _pattern(decimals: int, percent: bool, locale: str) -> str:
    """A Babel number pattern with grouping and exactly `decimals` decimals, in the locale's percent style."""
    digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if not percent:
        return digits
    fmt = Locale.parse(locale).percent_formats[None]
    return f"{fmt.prefix[0]}{digits}{fmt.suffix[0]}"


def number(value: float, decimals: int = 1, locale: str = "en") -> str:
    """1,234.5 (en) / 1.234,5 (vi), with a true minus sign."""
    if missing(value):
        return ""
    return _number(float(value), decimals, locale)


@lru_cache(maxsize=16384)
def _number(value: float, decimals: int, locale: str) -> str:
    """Babel's formatting, once per value: every hover of every view formats the same few hundred figures."""
    text = babel_numbers.format_decimal(abs(value), _pattern(decimals, False, locale), locale=locale)
    return (MINUS if value < 0 and round(abs(value), decimals) != 0 else "") + text


def count(value: int, locale: str = "en") -> str:
    """A whole number with the locale's grouping: 1,500."""
    return number(int(value), 0, locale) if not missing(value) else ""


def year(value: int) -> str:
    """A year is never grouped: 2025, not 2,025."""
    return "" if missing(value) else str(int(value))


def stated_decimals(value: float) -> int:
    """How many decimals the source gave: the shortest repr of the parsed value (66.72759 → 5, 252.0 → 1)."""
    if missing(value) or not math.isfinite(value):
        return 0
    text = repr(float(value))
    if "e" in text:
        return 6
    return max(len(text.split(".")[1].rstrip("0")), 1) if "." in text else 1


def stated(value: float, locale: str = "en") -> str:
    """A value exactly as its source states it, for tables: no rounding, no padding beyond one decimal."""
    return number(value, stated_decimals(value), locale)


def qualified(text: str, qualifier: str | None = "exact", locale: str = "en") -> str:
    """'over US$250.0 bn' when the source says 'over'; an unknown or missing qualifier counts as exact."""
    templates = _qualifier_templates(locale)
    template = templates.get(qualifier or "exact", "{value}") if isinstance(qualifier, str) else "{value}"
    return template.format(value=text)


def money(value: float, qualifier: str | None = "exact", decimals: int = MONEY_DECIMALS, locale: str = "en") -> str:
    """US$252.0 bn; a negative value as −US$33.5 bn; with the source's qualifier ('over US$250.0 bn')."""
    if missing(value):
        return ""
    amount = _amount(abs(value), decimals, locale)
    return qualified((MINUS if value < 0 and round(value, decimals) != 0 else "") + amount, qualifier, locale)


def _amount(value_bn: float, decimals: int, locale: str) -> str:
    """US$252.0 bn; 252,0 tỷ USD (through the catalog); 2520亿美元 (Chinese counts in 亿)."""
    if _chinese(locale):
        digits = max(decimals - 1, 0)
        return babel_numbers.format_compact_decimal(value_bn * 1e9, locale="zh", fraction_digits=digits) + "美元"
    return _("US${value} bn", locale).format(value=number(value_bn, decimals, locale))


def signed(text_of_abs: str, value: float, decimals: int) -> str:
    """'+' or '−' in front of an already formatted absolute value; none for a change that rounds to zero."""
    if round(value, decimals) == 0:
        return text_of_abs
    return ("+" if value > 0 else MINUS) + text_of_abs


def money_change(value: float, decimals: int = MONEY_DECIMALS, locale: str = "en") -> str:
    """+US$13.1 bn / −US$2.1 bn: the sign before the currency."""
    if missing(value):
        return ""
    return signed(_amount(abs(value), decimals, locale), value, decimals)


def percent(value_pct: float, decimals: int = 1, locale: str = "en") -> str:
    """A share, given in percent: 45.2% (en), 45,2 % (fr)."""
    if missing(value_pct):
        return ""
    text = babel_numbers.format_decimal(abs(value_pct) / 100, _pattern(decimals, True, locale), locale=locale)
    return (MINUS if value_pct < 0 and round(value_pct, decimals) != 0 else "") + text


def percent_change(value_pct: float, decimals: int = 1, locale: str = "en") -> str:
    """+24.6% / −2.1%: a change in percent, always signed."""
    if missing(value_pct):
        return ""
    text = babel_numbers.format_decimal(abs(value_pct) / 100, _pattern(decimals, True, locale), locale=locale)
    return signed(text, value_pct, decimals)


def quantity(value: float, unit: str, qualifier: str | None = "exact", decimals: int = 2, locale: str = "en") -> str:
    """Any other indicator value with its unit: '1.74 million arrivals', 'over 5.28 million arrivals'.

    US$ billion values go through `money`, so they read the same as trade everywhere."""
    if missing(value):
        return ""
    if unit in ("US$ billion", "US$ bn"):
        return money(value, qualifier, decimals, locale)
    if _chinese(locale) and unit in CHINESE_UNITS:
        scale, word = CHINESE_UNITS[unit]
        text = babel_numbers.format_compact_decimal(value * scale, locale="zh", fraction_digits=decimals)
        return qualified(text + word, qualifier, locale)
    word = _t(locale)(UNIT_WORDS.get(unit, unit))
    if unit == "projects":
        return qualified(f"{count(value, locale)} {word}", qualifier, locale)
    return qualified(f"{number(value, decimals, locale)} {word}", qualifier, locale)


def _date(value: object) -> dt.date:
    return pd.Timestamp(value).date()


def _month_skeleton(locale: str) -> str:
    # Vietnamese reads 'tháng 12 năm 2023'; its abbreviated 'thg 12 2023' is not how the press writes it
    return "yMMMM" if from_locale(locale) == "vi" else "yMMM"


def month(value: object, locale: str = "en") -> str:
    """A single month: 'Jan 2025' (never '(1 months)')."""
    day = _date(value)
    return _month(day.year, day.month, locale)


@lru_cache(maxsize=4096)
def _month(year: int, number: int, locale: str) -> str:
    """Pure, and asked for the same few hundred months over and over (hovers of thinned visit markers)."""
    return babel_dates.format_skeleton(_month_skeleton(locale), dt.date(year, number, 1), locale=locale)


def _tidy_interval(text: str, locale: str) -> str:
    # CLDR English puts thin spaces around the dash of 'Jan – Jun 2025'; the page writes 'Jan–Jun 2025'.
    return text.replace("\u2009–\u2009", "–") if locale.split("_")[0].split("-")[0] == "en" else text


def period(start: object, end: object, locale: str = "en") -> str:
    """'2025' for a calendar year, 'Jan–Jun 2025' for part of one, 'Jan 2025' for one month,
    'Dec 2024–Feb 2025' across a year's end."""
    first, last = _date(start), _date(end)
    if first.month == 1 and last.month == 12 and first.year == last.year:
        return year(first.year)
    if (first.year, first.month) == (last.year, last.month):
        return month(first, locale)
    interval = babel_dates.format_interval(first, last, _month_skeleton(locale), locale=locale)
    return _tidy_interval(interval, locale)


def day(value: object, locale: str = "en") -> str:
    """A calendar date: '25 Jul 2024' (en)."""
    if missing(value):
        return ""
    if locale.split("_")[0] == "en":
        return babel_dates.format_date(_date(value), "d MMM y", locale=locale)
    return babel_dates.format_date(_date(value), "long", locale=locale)  # 12 tháng 12, 2023 · 2023年12月12日


def published(text: str, locale: str = "en") -> str:
    """A source's publication date as precise as the source gives it: '2024-07-25' → '25 Jul 2024',
    '2024-12' → 'Dec 2024', '2025' → '2025'. Anything else is returned as written."""
    text = (text or "").strip()
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return day(dt.date(int(parts[0]), int(parts[1]), int(parts[2])), locale)
        if len(parts) == 2:
            return month(dt.date(int(parts[0]), int(parts[1]), 1), locale)
    except ValueError:
        return text
    return text


def span(years: tuple[int, int]) -> str:
    """A year range: '2015–2024', or '2024' when it is one year."""
    first, last = years
    return year(first) if first == last else f"{year(first)}–{year(last)}"


def months(n: int, locale: str = "en") -> str:
    """'1 month', '6 months', in the plural forms of the language."""
    return _t(locale).n("{n} month", "{n} months", int(n))


def versions(n_other: int, locale: str = "en") -> str:
    """'1 other version', '3 other versions', '' for none."""
    n = int(n_other or 0)
    return _t(locale).n("{n} other version", "{n} other versions", n) if n > 0 else ""


def source_text(title: str, publisher: str, date: str, n_other: int = 0, locale: str = "en") -> str:
    """What a hover says about a figure's source: 'Source: <title> — <publisher>, 25 Jul 2024 · 2 other versions'."""
    return _source_text(str(title), str(publisher), str(date), int(n_other), locale)


@lru_cache(maxsize=8192)
def _source_text(title: str, publisher: str, date: str, n_other: int, locale: str) -> str:
    """Once per source and language: every hover point of every view names one of a few hundred sources."""
    text = _("Source: {title} — {publisher}, {date}", locale).format(
        title=title, publisher=publisher, date=published(date, locale)
    )
    other = versions(n_other, locale)
    return f"{text} · {other}" if other else text


def currency(trade_end: object, visits_end: object, checked: object, locale: str = "en") -> str:
    """How current the data is, each part on its own: 'Trade figures to Jan 2026 · visits to Mar 2026 · sources
    last checked 29 Nov 2026'. Trade and visits end in different months, and neither is the day the sources
    were last checked: a reader must tell "no visit since March" from "not collected"."""
    t = _t(locale)
    return t(
        "Trade figures to {trade} · visits to {visits} · sources last checked {checked}",
        trade=month(trade_end, locale),
        visits=month(visits_end, locale),
        checked=day(checked, locale),
    )
