"""Gap notes: every series that ends early, every missing run of years and every lone point is named, with the
reason the data gives; a complete series gets no note."""

from __future__ import annotations

import pandas as pd
from helpers_data import real

from components import filtering, gap_notes


def _series(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["reporter", "flow", "year"])


def test_complete_series_need_no_note():
    rows = [("VN", f, y) for f in ("vn_to_cn", "cn_to_vn", "total") for y in range(2010, 2015)]
    assert gap_notes.series_note(_series(rows), (2010, 2014)) == ""


def test_early_end_hole_and_lone_point_are_named():
    rows = [("CN", "vn_to_cn", y) for y in range(2010, 2016)]
    rows += [("CN", "total", y) for y in range(2010, 2020)]
    rows += [("CN", "cn_to_vn", y) for y in (2010, 2011, 2012, 2015, 2016, 2018)]
    agencies = pd.DataFrame([("CN", "vn_to_cn", 2015, "IMF DOTS")], columns=["reporter", "flow", "year", "agency"])
    note = gap_notes.series_note(_series(rows), (2010, 2019), agencies=gap_notes.agencies_by_point(agencies))
    assert "exports to China" in note and "end in 2015 (the IMF DOTS extract cited ends there)" in note
    assert "imports from China end in 2016" in note  # its last run; the lone 2018 point is named apart
    assert "no figure for 2013–2014 and 2017, 2018 stands alone" in note
    assert "after 2015 only imports from China and two-way trade" in note


def test_real_china_figures_explain_2021_to_2024():
    d = filtering.derived(real())
    agencies = d.trade[d.trade["full_year"] & d.trade["preferred"]][["reporter", "flow", "year", "agency"]]
    note = gap_notes.series_note(
        filtering.select(d.annual, (2000, 2026), ("CN",)), (2000, 2026), agencies=gap_notes.agencies_by_point(agencies)
    )
    assert "end in 2020" in note and "IMF DOTS" in note
    assert "2024 stands alone" in note  # China's 2024 imports-from-China point
    assert gap_notes.series_note(filtering.select(d.annual, (2000, 2026), ("VN",)), (2000, 2026)) == ""


def test_mirror_note_names_the_years_with_one_side_only():
    mirror = filtering.select(filtering.derived(real()).mirror, (2000, 2026))
    note = gap_notes.mirror_note(mirror)
    assert "Vietnam-reported exports to China in 2021–2025" in note
    assert "only where both do" in note


def test_years_note_names_missing_full_years():
    assert gap_notes.years_note([2018, 2019, 2022, 2023]).startswith("No full-year figure for 2020–2021")
    assert gap_notes.years_note([2018, 2019]) == ""
    assert gap_notes.years_note([]) == ""
