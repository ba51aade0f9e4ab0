"""The one formatter: every number and period in the shapes the page promises, in English and another locale."""

from __future__ import annotations

import math

import pytest

from components import formatting as fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [(252.0, "US$252.0 bn"), (252.004, "US$252.0 bn"), (66.72759, "US$66.7 bn"), (-33.49, "−US$33.5 bn")],
)
def test_money_rounds_to_one_decimal_in_prose(value: float, expected: str) -> None:
    assert fmt.money(value) == expected


def test_money_change_puts_the_sign_before_the_currency() -> None:
    assert fmt.money_change(13.06) == "+US$13.1 bn"
    assert fmt.money_change(-2.1) == "−US$2.1 bn"
    assert fmt.money_change(0.01) == "US$0.0 bn"  # rounds to nothing: no sign


def test_percent_change_and_share() -> None:
    assert fmt.percent_change(-2.1) == "−2.1%"
    assert fmt.percent_change(24.56) == "+24.6%"
    assert fmt.percent(45.23) == "45.2%"


def test_qualifier_words_and_missing_qualifier_is_exact() -> None:
    assert fmt.money(250, "over") == "over US$250.0 bn"
    assert fmt.money(250, "about") == "about US$250.0 bn"
    assert fmt.money(250, None) == "US$250.0 bn"
    assert fmt.money(250, float("nan")) == "US$250.0 bn"  # a missing cell read from CSV
    assert fmt.quantity(5.28, "million arrivals", "over") == "over 5.28 million arrivals"
    assert fmt.quantity(632, "projects") == "632 projects"


def test_stated_keeps_the_sources_decimals() -> None:
    assert fmt.stated(66.72759) == "66.72759"
    assert fmt.stated(0.9291) == "0.9291"
    assert fmt.stated(252.0) == "252.0"


def test_counts_years_and_missing_values() -> None:
    assert fmt.count(1500) == "1,500"
    assert fmt.year(2025) == "2025"  # never grouped
    assert fmt.money(float("nan")) == ""
    assert fmt.money(None) == ""
    assert fmt.number(math.nan) == ""


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-01-01", "2025-06-30", "Jan–Jun 2025"),
        ("2025-01-01", "2025-01-31", "Jan 2025"),
        ("2024-12-01", "2025-02-28", "Dec 2024–Feb 2025"),
        ("2024-01-01", "2024-12-31", "2024"),
    ],
)
def test_periods(start: str, end: str, expected: str) -> None:
    assert fmt.period(start, end) == expected
    assert "months" not in fmt.period(start, end)


def test_published_dates_keep_their_precision() -> None:
    assert fmt.published("2024-07-25") == "25 Jul 2024"
    assert fmt.published("2024-12") == "Dec 2024"
    assert fmt.published("2025") == "2025"
    assert fmt.published("undated") == "undated"


def test_months_singular_and_plural() -> None:
    assert fmt.months(1) == "1 month"
    assert fmt.months(6) == "6 months"


def test_other_locales_use_their_own_separators() -> None:
    assert fmt.number(1234.5, 1, "vi") == "1.234,5"
    assert fmt.percent_change(24.6, locale="fr") == "+24,6\xa0%"
    assert fmt.period("2025-01-01", "2025-06-30", "zh") == "2025年1月至6月"


def test_chinese_counts_in_yi_and_wan_and_vietnamese_reads_long_months():
    assert fmt.money(252.04, locale="zh_Hans_CN") == "2520亿美元"
    assert fmt.money(252.04, decimals=2, locale="zh_Hans_CN") == "2520.4亿美元"
    assert fmt.quantity(1.74, "million arrivals", locale="zh_Hans_CN") == "174万人次"
    assert fmt.month("2023-12-01", "vi") == "tháng 12 năm 2023"
    assert fmt.day("2023-12-12", "vi") == "12 tháng 12, 2023"
    assert fmt.day("2023-12-12", "zh_Hans_CN") == "2023年12月12日"


def test_other_versions_count():
    assert fmt.versions(0) == ""
    assert fmt.versions(1) == "1 other version"
    assert fmt.versions(3) == "3 other versions"
