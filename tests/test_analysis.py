"""The analysis computations against values worked out by hand from data/ and from the tiny dataset: growth
between adjacent years only, the index base, year-to-date comparisons of the same months only, partial periods
never compared with full years, trade around a visit with missing years left missing, and every number traceable
to a row of data/trade.csv."""

from __future__ import annotations

import csv

import pandas as pd
import plotly.graph_objects as go
import pytest
from helpers_data import DATA_DIR, TINY_TRADE, tiny, trade_row

from components import analysis
from components.analysis_charts import around_visit_chart, ytd_chart


@pytest.fixture(scope="module")
def real():
    from components.dataset import load

    return load()


@pytest.fixture(scope="module")
def t(real):
    return analysis.tables(real)


@pytest.fixture(scope="module")
def csv_rows():
    """data/trade.csv as read by a spreadsheet: {file line number: row}."""
    with open(DATA_DIR / "trade.csv", encoding="utf-8") as f:
        return {i: row for i, row in enumerate(csv.DictReader(f), start=2)}


def _row(df: pd.DataFrame, **match) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for k, v in match.items():
        mask &= df[k] == v
    found = df[mask]
    assert len(found) == 1, (match, len(found))
    return found.iloc[0]


# ---------------------------------------------------------------- growth and index


def test_vn_two_way_growth_2023_by_hand(t, csv_rows):
    # data/trade.csv: VN total 2022 = 175.6, 2023 = 171.9: 171.9 / 175.6 - 1 = -2.107 %
    row = _row(t.growth, reporter="VN", flow="total", year=2023)
    assert row["value"] == pytest.approx(-2.107, abs=0.001)
    assert row["prev_value"] == 175.6 and row["year_value"] == 171.9
    before, after = (csv_rows[int(n)] for n in row["line"].split(" → "))
    assert (before["period_start"], before["flow"], float(before["value_usd_bn"])) == ("2022-01", "total", 175.6)
    assert (after["period_start"], after["flow"], float(after["value_usd_bn"])) == ("2023-01", "total", 171.9)
    assert "computed here" in row["note"] and "2022" in row["note"]


def test_growth_only_between_adjacent_years(tmp_path):
    # VN exports 2020 and 2022 only: no 2022 growth over two years; 2021 missing gives no row at all
    trade = [
        trade_row("VN", 2020, "vn_to_cn", 10.0),
        trade_row("VN", 2022, "vn_to_cn", 12.0),
        trade_row("VN", 2023, "vn_to_cn", 15.0),
    ]
    ds = tiny(tmp_path, trade=trade)
    g = analysis.tables(ds).growth
    exports = g[(g["reporter"] == "VN") & (g["flow"] == "vn_to_cn")]
    assert list(exports["year"]) == [2023]
    assert exports["value"].iloc[0] == pytest.approx(25.0)


def test_growth_never_mixes_reporters_or_partial_years(t):
    # CN total 2023 = 229.8, CN 2022 = 234.9; the VN figure of the same year is never the base
    row = _row(t.growth, reporter="CN", flow="total", year=2023)
    assert row["value"] == pytest.approx(100 * (229.8 / 234.9 - 1))
    # 2026 has only partial figures: no growth for it
    assert 2026 not in set(t.growth["year"])
    assert "balance" not in set(t.growth["flow"])


def test_index_first_year_of_range_is_100(t):
    idx = analysis.index(t.annual, 2022)
    vn = idx[(idx["reporter"] == "VN") & (idx["flow"] == "total")].set_index("year")
    assert vn.loc[2022, "value"] == pytest.approx(100)
    assert vn.loc[2023, "value"] == pytest.approx(100 * 171.9 / 175.6)
    assert vn.loc[2024, "value"] == pytest.approx(100 * 205.2 / 175.6)
    assert (vn["base_year"] == 2022).all()


def test_index_of_a_series_starting_later_names_its_base(tmp_path):
    ds = tiny(tmp_path)  # CN flows start in 2023, VN in 2022
    idx = analysis.index(analysis.tables(ds).annual, 2022)
    cn = idx[(idx["reporter"] == "CN") & (idx["flow"] == "vn_to_cn")]
    assert list(cn["base_year"]) == [2023] and list(cn["value"]) == [pytest.approx(100)]


def test_measure_series_follows_the_range_and_reporters(real):
    growth = analysis.measure_series(real, "growth", (2020, 2024), ("VN",))
    assert set(growth["reporter"]) == {"VN"} and growth["year"].between(2020, 2024).all()
    value = analysis.measure_series(real, "value", (2020, 2024), ("VN", "CN"))
    assert _row(value, reporter="VN", flow="total", year=2023)["value"] == 171.9


# ---------------------------------------------------------------- year to date


def test_ytd_compares_the_same_months_only(t):
    vn = analysis.ytd_comparison(t.ytd, "VN", "total", (2000, 2026))
    sep24 = _row(vn, year=2024, months=9)
    # Jan–Sep 2024 = 149.2 (line 247) against Jan–Sep 2023 = 120 (line 208)
    assert sep24["change_pct"] == pytest.approx(100 * (149.2 / 120 - 1))
    assert "Jan–Sep 2023" in sep24["change_note"] and "computed here" in sep24["change_note"]
    # Jan–Jun 2024 has no Jan–Jun 2023 total: no change, even though 2023 has other months
    jun24 = _row(vn, year=2024, months=6)
    assert pd.isna(jun24["change_pct"]) and jun24["change_note"] == ""


def test_ytd_lines_are_years_with_a_partial_figure(t):
    vn = analysis.ytd_comparison(t.ytd, "VN", "total", (2000, 2026))
    assert 2016 not in set(vn["year"])  # only a full-year total that year
    assert set(vn.loc[vn["year"] == 2023, "months"]) == {5, 8, 9, 10, 11, 12}
    assert (vn["period"].str.startswith("Jan") | vn["full_year"]).all()


def test_single_months_are_listed_apart_never_compared(real, t):
    others = analysis.of_series(analysis.other_partial(real.trade), "VN", "total", (2000, 2026))
    assert list(others["period"]) == ["Dec 2024"]
    assert list(others["kind"]) == ["single month"]
    # a December-only figure is never read as a year to date nor compared with one
    assert not (t.ytd["period"] == "Dec 2024").any()


def test_partial_period_is_never_compared_with_a_full_year(tmp_path):
    trade = [
        *TINY_TRADE,
        trade_row("VN", 2023, "total", 20.0, months=(1, 6)),
        trade_row("VN", 2025, "total", 30.0, months=(1, 12)),
    ]
    ytd = analysis.tables(tiny(tmp_path, trade=trade)).ytd
    jun24 = _row(ytd, reporter="VN", flow="total", year=2024, months=6)
    assert jun24["change_pct"] == pytest.approx(25.0)  # 25 against Jan–Jun 2023's 20, not 2023's full year
    # 2025's full year has no 2024 full-year total to compare with (2024 is known only in part)
    assert pd.isna(_row(ytd, reporter="VN", flow="total", year=2025)["change_pct"])
    kinds = analysis.period_kind(tiny(tmp_path / "k", trade=trade).trade)
    assert "single month" in set(kinds)  # Jul 2024


# ---------------------------------------------------------------- around a visit


def test_dec_2023_visit_shows_2022_2023_2024(t, real):
    around = analysis.around_visit(t.annual, t.ytd, real.visits, "2023-12-xi-jinping")
    vn = around.years[(around.years["reporter"] == "VN") & (around.years["flow"] == "total")]
    assert list(vn["year"]) == [2022, 2023, 2024]
    assert list(vn["value"]) == [175.6, 171.9, 205.2]
    assert list(vn["role"]) == ["year before", "visit's year", "year after"]
    assert vn["change_pct"].iloc[1] == pytest.approx(-2.107, abs=0.001)
    assert vn["change_pct"].iloc[2] == pytest.approx(100 * (205.2 / 171.9 - 1))
    # China's flows are not stated for 2022/2023: missing, with no value, never interpolated
    cn_imports = around.years[(around.years["reporter"] == "CN") & (around.years["flow"] == "cn_to_vn")]
    assert list(cn_imports["missing"]) == [True, True, False]
    assert cn_imports["value"].iloc[:2].isna().all()
    assert (cn_imports.loc[cn_imports["missing"], "note"] == analysis.MISSING).all()


def test_nearest_ytd_either_side_of_the_visit(t, real):
    around = analysis.around_visit(t.annual, t.ytd, real.visits, "2023-12-xi-jinping")
    vn = around.ytd[(around.ytd["reporter"] == "VN") & (around.ytd["flow"] == "total")]
    assert list(vn["period"]) == ["Jan–Nov 2023", "Jan 2024"]
    assert list(vn["side"]) == ["before the visit", "after the visit"]
    assert not around.ytd["full_year"].any()


def test_other_visits_within_twelve_months(t, real):
    around = analysis.around_visit(t.annual, t.ytd, real.visits, "2023-12-xi-jinping")
    ids = set(around.others["visit_id"])
    assert "2023-12-wang-yi" in ids and "2024-08-to-lam" in ids
    assert "2023-12-xi-jinping" not in ids
    assert around.others["days_from_visit"].abs().le(365).all()


def test_a_visit_in_a_year_without_figures_says_missing(tmp_path):
    ds = tiny(tmp_path)  # figures for 2022–2023 only; the 2024 visit has no year after, no 2024 full year
    tabs = analysis.tables(ds)
    around = analysis.around_visit(tabs.annual, tabs.ytd, ds.visits, "2024-08-to-lam")
    vn = around.years[(around.years["reporter"] == "VN") & (around.years["flow"] == "vn_to_cn")]
    assert list(vn["year"]) == [2023, 2024, 2025]
    assert list(vn["missing"]) == [False, True, True]
    assert vn["change_pct"].iloc[0] == pytest.approx(20.0)  # 12 against 2022's 10
    assert vn["change_pct"].iloc[1:].isna().all()  # a missing year gets no change, nor the year after it
    # the nearest year to date before the visit: Jan–Jun 2024; the single month Jul 2024 is not a year to date
    assert list(around.ytd["period"]) == ["Jan–Jun 2024"]


# ---------------------------------------------------------------- traceable to data/


def test_every_number_traces_to_a_row_of_data(t, real, csv_rows):
    around = analysis.around_visit(t.annual, t.ytd, real.visits, "2023-12-xi-jinping")
    stated = around.years[~around.years["missing"] & ~around.years["computed"]]
    assert len(stated)
    for row in stated.itertuples():
        src = csv_rows[int(row.line)]
        assert float(src["value_usd_bn"]) == row.value and src["source_id"] == row.source_id
    for row in t.ytd.itertuples():
        src = csv_rows[int(row.line)]
        assert float(src["value_usd_bn"]) == row.value_usd_bn and src["source_id"] == row.source_id
    computed = t.annual[t.annual["computed"] & (t.annual["flow"] == "total")]
    for row in computed.head(20).itertuples():
        parts = [float(csv_rows[int(n)]["value_usd_bn"]) for n in row.line.split(";")]
        assert sum(parts) == pytest.approx(row.value)


# ---------------------------------------------------------------- figures


def test_ytd_chart_one_line_per_year_over_months(t):
    rows = analysis.ytd_comparison(t.ytd, "VN", "total", (2023, 2024))
    fig = ytd_chart(rows, title="YTD")
    go.Figure(fig.to_dict())  # validates
    assert [tr.name for tr in fig.data] == ["2023", "2024"]
    y2024 = fig.data[1]
    assert list(y2024.x) == [1, 2, 3, 6, 8, 9, 10, 11, 12]
    hover = [row[1] for row in y2024.customdata]
    assert any("computed here" in h and "Jan–Sep 2023" in h for h in hover)
    assert any("no figure for the same months" in h for h in hover)
    assert list(fig.layout.xaxis.ticktext)[:2] == ["Jan", "Jan–Feb"]


def test_around_visit_chart_labels_missing_years(t, real):
    around = analysis.around_visit(t.annual, t.ytd, real.visits, "2023-12-xi-jinping")
    fig = around_visit_chart(around.years, title="Around")
    go.Figure(fig.to_dict())
    bars = {tr.name: tr for tr in fig.data}
    vn_total = bars["Two-way trade — Vietnam-reported"]
    assert list(vn_total.y) == [175.6, 171.9, 205.2]
    assert list(vn_total.x) == ["2022<br>(year before)", "2023<br>(visit's year)", "2024<br>(year after)"]  # two lines
    # China's imports: stated for 2024 only; 2022 and 2023 are labelled missing, never filled in
    cn_imports = bars["Imports from China — China-reported"]
    assert list(cn_imports.text) == ["missing", "missing", ""]
    assert list(cn_imports.y) == [0, 0, 162.0]
    assert [row[1] for row in cn_imports.customdata][:2] == ["–", "–"]
    assert "not interpolated" in cn_imports.customdata[0][2]
    assert "Exports to China — China-reported" not in bars  # no figure in any of the three years
    hover = vn_total.customdata[1]
    assert "−2.1% on 2022 (computed here)" in hover[2] and "data/trade.csv line" in hover[3]


# ---------------------------------------------------------------- panels


@pytest.fixture(scope="module")
def choices(real):
    from components.view import Choices

    return Choices.from_dataset(real)


def test_growth_panel_says_its_measure_everywhere(real, choices):
    from components import figures
    from components.view import View

    panel = figures.build(real, View(measure="growth"), choices)["trade"]
    assert "change on the previous year, %" in panel.title
    assert panel.figure.layout.yaxis.title.text == "change on the previous year, %"
    assert "change on the previous year in percent" in panel.alt and "Measure:" in panel.source_line
    row = _row(panel.table, year=2023, reporter="Vietnam-reported", flow="Two-way trade")
    assert row["change %"] == -2.11  # 171.9 / 175.6 - 1, to 2 decimals
    total = next(t for t in panel.figure.data if t.name == "Two-way trade")
    assert "%{y:+,.1f}%" in total.hovertemplate and "computed here" in total.hovertemplate
    assert not [t for t in panel.figure.data if t.name == "Other reported versions"]
    assert "Vietnam's balance" not in {t.name for t in panel.figure.data}


def test_index_and_log_panels(real, choices):
    from components import figures
    from components.view import View

    index = figures.build(real, View(measure="index", year_from=2010), choices)["trade"]
    assert "index, first year of the range = 100" in index.title
    row = _row(index.table, year=2010, reporter="Vietnam-reported", flow="Two-way trade")
    assert row["index"] == pytest.approx(100)
    log = figures.build(real, View(scale="log"), choices)["trade"]
    assert log.figure.layout.yaxis.type == "log" and "log scale" in log.title
    assert "Vietnam's balance" not in {t.name for t in log.figure.data}  # a deficit has no logarithm
    # log applies to values only: with growth the axis stays linear
    assert figures.build(real, View(scale="log", measure="growth"), choices)["trade"].figure.layout.yaxis.type != "log"


def test_ytd_panel_lists_single_months_apart(real, choices):
    from components import figures
    from components.view import View

    panel = figures.build(real, View(ytd_reporter="VN", ytd_flow="total"), choices)["ytd"]
    assert "Two-way trade, Vietnam-reported" in panel.title
    dec = _row(panel.table, period="Dec 2024")
    assert dec["kind"] == "single month" and dec["drawn"].startswith("no")
    drawn = {tr.name for tr in panel.figure.data}
    assert "2024" in drawn and all(len(tr.x) == len(set(tr.x)) for tr in panel.figure.data)
    cn = figures.build(real, View(ytd_reporter="CN", ytd_flow="vn_to_cn"), choices)["ytd"]
    assert cn.empty and "choose another reporter or flow" in cn.empty


def test_visit_trade_panel(real, choices):
    from components import figures
    from components.view import View

    none = figures.build(real, View(), choices)["visit_trade"]
    assert none.empty.startswith("Choose a visit")
    panel = figures.build(real, View(visit="2023-12-xi-jinping"), choices)["visit_trade"]
    assert "2022–2024" in panel.title and "12 Dec 2023" in panel.title
    assert analysis.CAVEAT in panel.alt and analysis.CAVEAT in panel.source_line
    vn = panel.table[(panel.table["reporter"] == "Vietnam-reported") & (panel.table["flow"] == "Two-way trade")]
    assert list(vn["year"]) == [2022, 2023, 2024] and list(vn["US$ bn"]) == [175.6, 171.9, 205.2]
    assert vn["source"].str.len().gt(0).all() and vn["source_url"].str.startswith("http").all()
    missing = panel.table[panel.table["US$ bn"].isna()]
    assert len(missing) and (missing["source"] == analysis.MISSING).all()


def test_panels_are_memoised_on_their_own_fields(real, choices):
    from components import figures
    from components.view import View

    a = figures.build(real, View(measure="growth"), choices)
    b = figures.build(real, View(measure="growth", ytd_reporter="CN"), choices)
    assert a["trade"] is b["trade"] and a["ytd"] is not b["ytd"]
    c = figures.build(real, View(measure="growth", ytd_reporter="CN", offices=("party_chief",)), choices)
    assert c["ytd"] is b["ytd"] and c["visit_trade"] is b["visit_trade"]
