"""Pure filtering: annual series with computed totals and balances, conflicting versions, mirror table, visit
filters, apply and the headline, on a tiny hand-made dataset (values known by heart) and on the real data."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers_data import TINY_SOURCES, TINY_TRADE, real, real_choices, tiny, trade_row

from components import filtering
from components.filtering import COMPUTED_BALANCE, COMPUTED_TOTAL, annual_series, disagreeing_versions, mirror_table
from components.view import Choices, View


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return tiny(tmp_path_factory.mktemp("filtering"))


@pytest.fixture(scope="module")
def small_choices(small):
    return Choices.from_dataset(small)


def _value(series, reporter, year, flow):
    rows = series[(series["reporter"] == reporter) & (series["year"] == year) & (series["flow"] == flow)]
    assert len(rows) == 1, (reporter, year, flow, rows)
    return rows.iloc[0]


# ---------------------------------------------------------------- annual_series


def test_stated_flows_are_kept_as_stated(small):
    series = annual_series(small.trade)
    row = _value(series, "VN", 2022, "vn_to_cn")
    assert row["value"] == 10.0
    assert not row["computed"]
    assert row["source_label"] == "Vietnam Customs Press, 2024-01-15"
    assert row["source_url"] == "https://example.org/vn"


def test_total_is_computed_only_where_none_is_stated(small):
    series = annual_series(small.trade)
    computed = _value(series, "VN", 2022, "total")
    assert computed["value"] == pytest.approx(40.0)
    assert computed["computed"]
    assert computed["note"] == COMPUTED_TOTAL
    assert computed["source_label"] == ""
    stated = _value(series, "VN", 2023, "total")  # stated 45.5, although the flows sum to 45
    assert stated["value"] == pytest.approx(45.5)
    assert not stated["computed"]
    assert stated["status"] == "preliminary"
    cn = _value(series, "CN", 2023, "total")
    assert cn["value"] == pytest.approx(54.0) and cn["computed"]


def test_balance_is_exports_minus_imports(small):
    series = annual_series(small.trade)
    for reporter, year, expected in (("VN", 2022, -20.0), ("VN", 2023, -21.0), ("CN", 2023, -26.0)):
        row = _value(series, reporter, year, "balance")
        assert row["value"] == pytest.approx(expected)
        assert row["computed"]
        assert row["note"] == COMPUTED_BALANCE
    assert (series.loc[series["flow"] == "balance", "computed"]).all()


def test_no_total_or_balance_without_both_flows(tmp_path):
    rows = [trade_row("VN", 2020, "vn_to_cn", 5.0), trade_row("VN", 2021, "vn_to_cn", 6.0)]
    rows += [trade_row("VN", 2021, "cn_to_vn", 8.0)]
    series = annual_series(tiny(tmp_path, trade=rows).trade)
    assert set(series.loc[series["year"] == 2020, "flow"]) == {"vn_to_cn"}
    assert set(series.loc[series["year"] == 2021, "flow"]) == {"vn_to_cn", "cn_to_vn", "total", "balance"}


def test_computed_total_is_preliminary_when_a_flow_is(tmp_path):
    rows = [trade_row("VN", 2020, "vn_to_cn", 5.0, status="estimate"), trade_row("VN", 2020, "cn_to_vn", 8.0)]
    series = annual_series(tiny(tmp_path, trade=rows).trade)
    assert _value(series, "VN", 2020, "total")["status"] == "preliminary"


def test_partial_years_and_other_versions_never_in_the_annual_series(small):
    series = annual_series(small.trade)
    assert 2024 not in set(series["year"])  # only partial-year rows for 2024
    assert len(series[(series["reporter"] == "VN") & (series["year"] == 2023) & (series["flow"] == "total")]) == 1
    assert list(series.columns) == filtering.SERIES_COLUMNS
    # one row per reporter, year and flow
    assert not series.duplicated(["reporter", "year", "flow"]).any()
    assert (series["date"].dt.month == 7).all()


def test_real_annual_series_has_no_partial_year():
    trade = real().trade
    series = annual_series(trade)
    partial_only = set(trade.loc[~trade["full_year"], "year"]) - set(trade.loc[trade["full_year"], "year"])
    assert partial_only, "the real data has years known only in part (e.g. 2026)"
    assert not (set(series["year"]) & partial_only)
    vn_2024 = _value(series, "VN", 2024, "total")
    assert vn_2024["value"] == pytest.approx(205.2) and not vn_2024["computed"]
    # the balance is exports minus imports everywhere
    wide = series.pivot_table(index=["reporter", "year"], columns="flow", values="value")
    both = wide.dropna(subset=["vn_to_cn", "cn_to_vn"])
    assert (both["balance"] - (both["vn_to_cn"] - both["cn_to_vn"])).abs().max() < 1e-9


# ---------------------------------------------------------------- versions and mirror


def test_disagreeing_versions_lists_only_other_values(small):
    versions = disagreeing_versions(small.trade)
    assert len(versions) == 1
    row = versions.iloc[0]
    assert (row["reporter"], row["year"], row["flow"]) == ("VN", 2023, "total")
    assert row["value_usd_bn"] == 44.0
    assert row["preferred_value"] == 45.5
    assert not row["preferred"]
    assert row["source_id"] == "src-other"


def test_disagreeing_versions_on_real_data():
    versions = disagreeing_versions(real().trade)
    assert len(versions) > 0
    assert not versions["preferred"].any()
    assert versions["full_year"].all()
    assert ((versions["value_usd_bn"] - versions["preferred_value"]).abs() > 1e-9).all()
    # the 2024 VN total stated twice as 205.2 is not a conflict
    same = versions[(versions["reporter"] == "VN") & (versions["year"] == 2024) & (versions["flow"] == "total")]
    assert not (same["value_usd_bn"] == 205.2).any()


def test_mirror_gap_is_china_minus_vietnam(small):
    mirror = mirror_table(annual_series(small.trade)).set_index(["flow", "year"])
    both = mirror.dropna(subset=["gap"])
    assert set(both.index) == {("vn_to_cn", 2023), ("cn_to_vn", 2023), ("total", 2023)}
    assert mirror.loc[("total", 2022), "VN"] == pytest.approx(40.0)  # 2022: VN only, kept, without a gap
    assert pd.isna(mirror.loc[("total", 2022), "CN"]) and pd.isna(mirror.loc[("total", 2022), "gap"])
    assert mirror.loc[("vn_to_cn", 2023), "VN"] == 12.0
    assert mirror.loc[("vn_to_cn", 2023), "CN"] == 14.0
    assert mirror.loc[("vn_to_cn", 2023), "gap"] == pytest.approx(2.0)
    assert mirror.loc[("vn_to_cn", 2023), "gap_pct"] == round(100 * 2 / 12, 2)  # a hundredth of a point
    assert mirror.loc[("cn_to_vn", 2023), "gap"] == pytest.approx(7.0)
    assert mirror.loc[("total", 2023), "gap"] == pytest.approx(54.0 - 45.5)


def test_mirror_on_real_data():
    mirror = mirror_table(annual_series(real().trade))
    assert (mirror["gap"] - (mirror["CN"] - mirror["VN"])).abs().max() < 1e-9
    # Vietnam's own flows after China's stop (2021 on) are kept: the mirror chart draws them
    vn_only = mirror[(mirror["flow"] == "vn_to_cn") & mirror["CN"].isna()]
    assert {2021, 2022, 2023, 2024} <= set(vn_only["year"]) and vn_only["gap"].isna().all()
    assert set(mirror["flow"]) <= {"vn_to_cn", "cn_to_vn", "total"}
    assert {2000, 2020} <= set(mirror["year"])


# ---------------------------------------------------------------- visits


def _ids(frame):
    return set(frame["visit_id"])


ALL_TINY = {
    "2022-10-nguyen-phu-trong",
    "2023-12-xi-jinping",
    "2023-06-pham-minh-chinh",
    "2024-08-to-lam",
    "2022-09-li-zhanshu",
}


@pytest.mark.parametrize(
    ("view", "years", "expected"),
    [
        (View(), (2000, 2030), ALL_TINY),
        (View(directions=("cn_to_vn",)), (2000, 2030), {"2023-12-xi-jinping", "2022-09-li-zhanshu"}),
        (
            View(offices=("party_chief",)),
            (2000, 2030),
            {"2022-10-nguyen-phu-trong", "2023-12-xi-jinping", "2024-08-to-lam"},
        ),
        (
            View(offices=("legislature_chief", "head_of_government")),
            (2000, 2030),
            {"2022-09-li-zhanshu", "2023-06-pham-minh-chinh"},
        ),
        (View(visitors=("Tô Lâm",)), (2000, 2030), {"2024-08-to-lam"}),
        (View(visit_types=("state",)), (2000, 2030), {"2023-12-xi-jinping", "2024-08-to-lam"}),
        # the summit trip with an official visit alongside counts as official
        (
            View(visit_types=("official",)),
            (2000, 2030),
            {"2022-10-nguyen-phu-trong", "2022-09-li-zhanshu", "2023-06-pham-minh-chinh"},
        ),
        (View(visit_types=("multilateral",)), (2000, 2030), {"2023-06-pham-minh-chinh"}),
        (View(), (2023, 2023), {"2023-12-xi-jinping", "2023-06-pham-minh-chinh"}),
        (View(), (2024, 2030), {"2024-08-to-lam"}),
        (View(query="to lam"), (2000, 2030), {"2024-08-to-lam"}),
        (View(query="TÔ LÂM"), (2000, 2030), {"2024-08-to-lam"}),
        (View(query="davos"), (2000, 2030), {"2023-06-pham-minh-chinh"}),
        (View(query="dinh hue"), (2000, 2030), {"2022-09-li-zhanshu"}),  # host Vương Đình Huệ, đ → d
        (View(query="nothing like this"), (2000, 2030), set()),
        (View(directions=("vn_to_cn",), query="trong"), (2000, 2030), {"2022-10-nguyen-phu-trong"}),
        (View(directions=("vn_to_cn",), offices=("party_chief",)), (2022, 2023), {"2022-10-nguyen-phu-trong"}),
    ],
)
def test_filter_visits(small, view, years, expected):
    assert _ids(filtering.filter_visits(small.visits, view, years)) == expected


def test_text_search_ignores_diacritics(small):
    found = _ids(filtering.filter_visits(small.visits, View(query="trong"), (2000, 2030)))
    assert "2022-10-nguyen-phu-trong" in found
    assert "2023-12-xi-jinping" in found  # hosted by Nguyễn Phú Trọng
    assert "2024-08-to-lam" not in found


def test_text_search_on_real_data():
    visits = real().visits
    found = filtering.filter_visits(visits, View(query="trong"), (2000, 2030))
    assert "Nguyễn Phú Trọng" in set(found["visitor"])
    assert "2022-10-nguyen-phu-trong" in set(found["visit_id"])
    assert len(found) < len(visits)
    assert set(filtering.filter_visits(visits, View(query="Nguyễn Phú Trọng"), (2000, 2030))["visit_id"]) == set(
        filtering.filter_visits(visits, View(query="nguyen phu trong"), (2000, 2030))["visit_id"]
    )


def test_every_visit_filter_narrows_the_real_data():
    visits = real().visits
    every = len(filtering.filter_visits(visits, View(), (2000, 2030)))
    assert every == len(visits)
    for view in (
        View(directions=("cn_to_vn",)),
        View(offices=("party_chief",)),
        View(visit_types=("state",)),
        View(visitors=("Tô Lâm",)),
        View(query="trong"),
    ):
        n = len(filtering.filter_visits(visits, view, (2000, 2030)))
        assert 0 < n < every, view
    assert 0 < len(filtering.filter_visits(visits, View(), (2010, 2015))) < every


# ---------------------------------------------------------------- apply


def test_apply_with_reporter_cn_has_only_china_rows(small, small_choices):
    data = filtering.apply(small, View(reporter="CN"), small_choices)
    assert set(data.annual["reporter"]) == {"CN"}
    assert data.partial.empty or set(data.partial["reporter"]) == {"CN"}
    assert set(data.mirror["flow"]) == {"vn_to_cn", "cn_to_vn", "total"}  # the mirror always compares both
    assert data.versions.empty


def test_apply_default_and_both(small, small_choices):
    vn = filtering.apply(small, View(), small_choices)
    assert set(vn.annual["reporter"]) == {"VN"}
    assert set(vn.partial["period"]) == {"Jan–Jun 2024", "Jul 2024"}
    assert len(vn.versions) == 1
    assert _ids(vn.visits) == ALL_TINY
    both = filtering.apply(small, View(reporter="both"), small_choices)
    assert set(both.annual["reporter"]) == {"VN", "CN"}


def test_apply_year_range_applies_everywhere(small, small_choices):
    data = filtering.apply(small, View(year_from=2023, year_to=2023, reporter="both"), small_choices)
    assert data.years == (2023, 2023)
    assert set(data.annual["year"]) == {2023}
    assert data.partial.empty
    assert set(data.mirror.dropna(subset=["gap"])["year"]) == {2023}
    assert set(data.indicators["year"]) == {2023}
    assert _ids(data.visits) == {"2023-12-xi-jinping", "2023-06-pham-minh-chinh"}


def test_apply_on_real_data_with_reporter_cn():
    data = filtering.apply(real(), View(reporter="CN", year_from=2010, year_to=2020), real_choices())
    assert set(data.annual["reporter"]) == {"CN"}
    assert data.annual["year"].between(2010, 2020).all()
    assert set(data.versions["reporter"]) <= {"CN"}
    assert set(data.partial["reporter"]) <= {"CN"}
    assert data.visits["start_date"].dt.year.between(2010, 2020).all()


# ---------------------------------------------------------------- headline


def _cards(h):
    return (h.total, h.balance, h.partial)


def test_headline_latest_full_year_change_and_partial(small, small_choices):
    h = filtering.headline(small, View(), small_choices)
    assert h.reporter == "VN" and h.year == 2023
    assert h.total.label == "Two-way trade 2023"
    # the fixture's stated total (45.5) is not the sum of its flows (12 + 33): the card says so
    assert h.total.note == "Vietnam's figures, full year 2023 (preliminary) · its two flows add up to US$45.0 bn"
    assert h.total.value == "US$45.5 bn"
    assert h.total.delta == "+13.7% on 2022"  # 45.5 / 40.0 - 1 is 0.13749999... in floating point
    assert "Vietnam Customs Press, 2024-01-15" in h.total.help
    assert (h.balance.label, h.balance.value, h.balance.delta) == (
        "Deficit with China 2023",
        "US$21.0 bn",
        "+US$1.0 bn on 2022",
    )
    assert h.balance.delta_color == "inverse"
    # like with like: the year-to-date two-way total, not the single month of imports that ends later
    assert (h.partial.label, h.partial.value) == ("Two-way, Jan–Jun 2024", "US$25.0 bn")
    assert h.partial_period == "Jan–Jun 2024"
    assert "Part of 2024" in h.partial.note and "6 months" in h.partial.note


def test_headline_follows_the_year_range(small, small_choices):
    h = filtering.headline(small, View(year_from=2022, year_to=2022), small_choices)
    assert h.year == 2022 and h.total.label == "Two-way trade 2022" and h.total.value == "US$40.0 bn"
    assert h.total.delta is None  # no 2021 to compare with
    assert h.balance.label == "Deficit with China 2022"
    assert not h.partial.available and "2022" in h.partial.note and "2024" in h.partial.note  # why, and where


def test_headline_for_china_with_a_computed_total(small, small_choices):
    h = filtering.headline(small, View(reporter="CN"), small_choices)
    assert h.reporter == "CN" and h.year == 2023
    assert h.total.value == "US$54.0 bn" and h.total.delta is None
    assert COMPUTED_TOTAL in h.total.help
    assert h.balance.value == "US$26.0 bn"
    assert not h.partial.available and "China's" in h.partial.note


def test_headline_for_both_uses_vietnams_figures_and_names_chinas(small, small_choices):
    h = filtering.headline(small, View(reporter="both"), small_choices)
    assert h.reporter == "VN" and h.total.value == "US$45.5 bn"
    assert "China's figure for 2023: US$54.0 bn" in h.total.help


@pytest.mark.parametrize("reporter", ["VN", "CN", "both"])
@pytest.mark.parametrize("years", [(None, None), (2015, 2024), (2000, 2003), (2021, 2023), (2025, None)])
def test_every_card_has_a_value_or_a_reason_on_real_data(reporter, years):
    ds = real()
    h = filtering.headline(ds, View(reporter=reporter, year_from=years[0], year_to=years[1]))
    for card in _cards(h):
        assert card.label and len(card.label) <= 23, card.label  # a longer label is cut in the card
        assert card.available or card.note, card  # never an empty slot
        assert "months)" not in card.note or "(1 months)" not in card.note


def test_narrowed_range_never_shows_a_later_year_on_real_data():
    ds = real()
    h = filtering.headline(ds, View(year_from=2015, year_to=2024))
    assert h.year == 2024 and h.balance_year == 2024
    for card in _cards(h):
        assert "2025" not in f"{card.label} {card.value} {card.delta} {card.note}"
        assert "2026" not in f"{card.label} {card.value} {card.delta} {card.note}"


def test_headline_on_real_data():
    ds = real()
    h = filtering.headline(ds, View())
    series = annual_series(ds.trade)
    totals = series[(series["reporter"] == "VN") & (series["flow"] == "total")].set_index("year")["value"]
    assert h.year == int(totals.index.max()) and h.year >= 2024
    assert h.total_value == pytest.approx(totals[h.year])
    assert h.partial.available and h.partial.label.startswith("Two-way, ")
    assert h.partial.note.startswith("Part of ")


def test_china_deficit_card_explains_the_year_it_shows_on_real_data():
    h = filtering.headline(real(), View(reporter="CN"))
    assert h.balance.available and h.balance_year < h.year  # China's flows stop earlier than its totals
    assert "only two-way totals after" in h.balance.note


def test_visits_card_counts():
    assert filtering.visits_card(1500).value == "1,500"


def test_tiny_trade_fixture_is_what_the_tests_assume():
    assert sum(r["preferred"] == "false" for r in TINY_TRADE) == 2


def _many_versions(tmp_path, n):
    sources = TINY_SOURCES + [
        {**TINY_SOURCES[0], "source_id": f"src-{i}", "url": f"https://example.org/{i}"} for i in range(n)
    ]
    rows = [trade_row("VN", 2020, "total", 100.0, source_id="src-0")]
    rows += [trade_row("VN", 2020, "total", 100.0 + i, preferred=False, source_id=f"src-{i}") for i in range(1, n)]
    return disagreeing_versions(tiny(tmp_path, trade=rows, sources=sources).trade)


def test_a_few_other_versions_are_all_drawn(tmp_path):
    versions = _many_versions(tmp_path, 1 + filtering.MAX_VERSIONS_DRAWN)
    assert sorted(versions["value_usd_bn"]) == [100.0 + i for i in range(1, 1 + filtering.MAX_VERSIONS_DRAWN)]


def test_many_other_versions_are_thinned_to_lowest_and_highest(tmp_path):
    versions = _many_versions(tmp_path, 12)
    assert sorted(versions["value_usd_bn"]) == [101.0, 111.0]
    assert set(versions["n_versions"]) == {11}


# ---------------------------------------------------------------- search


def test_search_finds_stems_and_whole_words_on_real_data():
    visits = real().visits
    railway = filtering.filter_visits(visits, View(query="railway"), (2000, 2030))
    assert railway["match"].str.contains("rail links").any()  # 'railway' finds 'rail links'
    assert (railway["match"] != "").all()
    # whole words: 'lam' must not find 'Islam' or 'lamb'; the match says which field it was found in
    lam = filtering.filter_visits(visits, View(query="Tô Lâm"), (2000, 2030))
    assert lam["match"].str.startswith(("Visitor:", "Received by:", "Outcomes:", "Title:")).all()


def test_several_words_are_an_and_and_or_is_supported():
    assert filtering.parse_query("rail OR port links") == [["rail"], ["port", "link"]]
    assert filtering.parse_query("or") == [["or"]]  # only an upper-case OR combines
    visits = real().visits
    years = (2000, 2030)
    rail = set(filtering.filter_visits(visits, View(query="railway"), years)["visit_id"])
    beijing = set(filtering.filter_visits(visits, View(query="Beijing"), years)["visit_id"])
    both = set(filtering.filter_visits(visits, View(query="railway Beijing"), years)["visit_id"])
    either = set(filtering.filter_visits(visits, View(query="railway OR Beijing"), years)["visit_id"])
    assert both == rail & beijing
    assert either == rail | beijing


def test_stem():
    assert filtering.stem("railways") == "railway"
    assert filtering.stem("cities") == "city"
    assert filtering.stem("agreements") == "agreement"
    assert filtering.stem("congress") == "congress"


def test_role_tells_visited_from_hosted_on_real_data():
    visits = real().visits
    years = (2000, 2030)
    made = visits[visits["visitor"] == "Tô Lâm"]
    any_role = filtering.filter_visits(visits, View(visitors=("Tô Lâm",)), years)
    visited = filtering.filter_visits(visits, View(visitors=("Tô Lâm",), role="visited"), years)
    hosted = filtering.filter_visits(visits, View(visitors=("Tô Lâm",), role="hosted"), years)
    assert set(visited["visit_id"]) == set(made["visit_id"])
    assert len(hosted) > 0 and (hosted["visitor"] != "Tô Lâm").all()
    assert set(any_role["visit_id"]) == set(visited["visit_id"]) | set(hosted["visit_id"])
    searched = filtering.filter_visits(visits, View(query="Tô Lâm", role="hosted"), years)
    assert not searched["match"].str.startswith("Visitor:").any()


def test_figure_versions_lists_every_source_preferred_first(small):
    rows, how = filtering.figure_versions(small, "VN|2023|total")
    assert how == "" and len(rows) == 3 and bool(rows["preferred"].iloc[0])
    assert set(rows["source_title"]) == {"Vietnam customs yearbook", "A newspaper", "China customs release"}
    computed, how = filtering.figure_versions(small, "VN|2022|total")
    assert how == COMPUTED_TOTAL and set(computed["flow"]) == {"vn_to_cn", "cn_to_vn"}


def test_name_filter_says_which_visits_were_made_and_which_received_on_real_data():
    found = filtering.filter_visits(real().visits, View(visitors=("Tô Lâm",)), (2000, 2030))
    made = found[found["visitor"] == "Tô Lâm"]
    received = found[found["visitor"] != "Tô Lâm"]
    assert (made["match"] == "Visitor: Tô Lâm").all()
    assert len(received) > 0 and received["match"].str.startswith("Received by:").all()
    assert received["match"].str.contains("Tô Lâm").all()


def test_match_spans_follow_the_search_rule():
    text = "priority for three rail links; railway cooperation"
    spans = filtering.match_spans(text, "railway")
    assert [text[a:b] for a, b in spans] == ["rail", "railway"]
    assert filtering.match_spans(text, "") == []
