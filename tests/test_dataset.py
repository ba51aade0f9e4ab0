"""The loader and validator: the real data/ passes and covers what the dataset issue asks for; every kind of broken
file is reported with its file, line and field, all problems at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers_data import copy_data, edit, line_of, read_rows, real, write_rows

from components import dataset
from components.dataset import PREFERRED_KEYS, DatasetError, Problem, load

# ---------------------------------------------------------------- the real data


def test_real_data_validates():
    ds = load()
    for name in ("sources", "trade", "indicators", "visits", "visit_date_versions"):
        assert len(getattr(ds, name)) > 0, name
    assert "Curation rules" in ds.notes


def test_command_line_prints_valid_and_summary(capsys):
    assert dataset.main([]) == 0
    out = capsys.readouterr().out
    assert "valid" in out.splitlines()[0]
    assert "Rows per file:" in out
    assert "Full years covered" in out
    assert "visits.csv" in out


def test_command_line_on_broken_data_exits_1_with_report(tmp_path, capsys):
    data = copy_data(tmp_path)
    line = edit(data, "trade", lambda r: True, {"value_usd_bn": "abc"}, nth=3)
    assert dataset.main([str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("The dataset has 1 problem:")
    assert f"trade.csv, line {line}, field 'value_usd_bn'" in err


def _preferred_full_years(reporter: str, flow: str) -> set[int]:
    t = real().trade
    rows = t[(t["reporter"] == reporter) & (t["flow"] == flow) & t["preferred"] & t["full_year"]]
    return set(rows["year"].astype(int))


@pytest.mark.parametrize("reporter", ["VN", "CN"])
@pytest.mark.parametrize("flow", ["vn_to_cn", "cn_to_vn"])
def test_every_year_2000_to_2020_has_a_preferred_full_year_flow(reporter, flow):
    missing = set(range(2000, 2021)) - _preferred_full_years(reporter, flow)
    assert not missing, f"{reporter} {flow} lacks {sorted(missing)}"


def test_imf_dots_rows_back_the_early_years():
    t = real().trade
    dots = t[t["agency"].str.contains("IMF DOTS") & t["full_year"]]
    for reporter in ("VN", "CN"):
        years = set(dots.loc[dots["reporter"] == reporter, "year"].astype(int))
        assert set(range(2000, 2021)) <= years, reporter


@pytest.mark.parametrize("flow", ["vn_to_cn", "cn_to_vn"])
def test_vietnam_every_year_2000_to_2024(flow):
    missing = set(range(2000, 2025)) - _preferred_full_years("VN", flow)
    assert not missing, sorted(missing)


def test_china_total_for_2023_and_2024():
    assert {2023, 2024} <= _preferred_full_years("CN", "total")


def test_vietnam_2024_total_is_205_2():
    t = real().trade
    row = t[(t["reporter"] == "VN") & (t["flow"] == "total") & (t["period"] == "2024") & t["preferred"]]
    assert len(row) == 1
    assert row["value_usd_bn"].iloc[0] == pytest.approx(205.2)
    assert row["full_year"].iloc[0]
    assert row["period_start"].iloc[0] == "2024-01" and row["period_end"].iloc[0] == "2024-12"


def test_partial_year_rows_are_marked_by_their_period():
    t = real().trade
    jan_2026 = t[(t["period_start"] == "2026-01") & (t["period_end"] == "2026-01")]
    assert len(jan_2026) >= 1
    assert not jan_2026["full_year"].any()
    assert set(jan_2026["months"]) == {1}
    assert set(jan_2026["period"]) == {"Jan 2026"}
    h1_2024 = t[(t["period_start"] == "2024-01") & (t["period_end"] == "2024-06")]
    assert len(h1_2024) >= 1
    assert not h1_2024["full_year"].any()
    assert set(h1_2024["months"]) == {6}
    assert set(h1_2024["period"]) == {"Jan–Jun 2024"}
    assert set(t["status"]) <= {"final", "preliminary", "estimate"}


def test_at_least_51_visits_with_diacritics_kept():
    visits = real().visits
    assert len(visits) >= 51
    names = set(visits["visitor"])
    assert "Nguyễn Phú Trọng" in names
    assert "Tô Lâm" in names
    assert visits["visit_id"].is_unique


def test_every_source_id_resolves_and_every_source_has_a_url():
    ds = real()
    known = set(ds.sources["source_id"])
    assert ds.sources["source_id"].is_unique
    assert set(ds.trade["source_id"]) <= known
    assert set(ds.indicators["source_id"]) <= known
    assert set(ds.visit_date_versions["source_id"]) <= known
    cited = {sid for ids in ds.visits["source_ids"] for sid in ids.split(";")}
    assert cited <= known
    assert "" not in cited
    assert ds.sources["url"].map(lambda u: re.fullmatch(r"https?://\S+", u) is not None).all()
    # the joins made at load name the source
    assert ds.trade["source_label"].notna().all() and ds.trade["source_url"].str.match(r"https?://").all()


@pytest.mark.parametrize("table", sorted(PREFERRED_KEYS))
def test_exactly_one_preferred_row_per_key(table):
    df = getattr(real(), table)
    counts = df.groupby(PREFERRED_KEYS[table])["preferred"].sum()
    assert (counts == 1).all(), counts[counts != 1]


def test_trong_2022_date_conflict_is_kept():
    v = real().visit_date_versions
    trong = v[v["visit_id"] == "2022-10-nguyen-phu-trong"]
    assert len(trong) >= 2
    ends = {f"{d:%Y-%m-%d}" for d in trong["end_date"]}
    assert {"2022-11-01", "2022-11-02"} <= ends
    preferred = trong[trong["preferred"]]
    assert len(preferred) == 1
    assert f"{preferred['end_date'].iloc[0]:%Y-%m-%d}" == "2022-11-01"
    assert (trong.loc[~trong["preferred"], "end_date"].dt.strftime("%Y-%m-%d") == "2022-11-02").all()
    visit = real().visits.set_index("visit_id").loc["2022-10-nguyen-phu-trong"]
    assert f"{visit['end_date']:%Y-%m-%d}" == "2022-11-01"


# ---------------------------------------------------------------- broken files


def _problems(data: Path) -> tuple[Problem, ...]:
    with pytest.raises(DatasetError) as info:
        load(data)
    assert info.value.problems, "a DatasetError must list its problems"
    return info.value.problems


def _has(problems, file: str, line: int | None, field: str | None) -> bool:
    return any(p.file == file and p.line == line and p.field == field for p in problems)


def _assert_reported(problems, file, line, field, words: str = ""):
    assert _has(problems, file, line, field), "\n".join(map(str, problems))
    if words:
        hit = next(p for p in problems if p.file == file and p.line == line and p.field == field)
        assert words in str(hit), str(hit)


def _visit(vid: str):
    return lambda r: r["visit_id"] == vid


VISIT = "2013-06-truong-tan-sang"  # a visit in the middle of the file, without date versions


def test_chosen_visit_exists_and_has_no_date_versions():
    assert VISIT in set(real().visits["visit_id"])
    assert VISIT not in set(real().visit_date_versions["visit_id"])


def test_missing_column(tmp_path):
    data = copy_data(tmp_path)
    header, rows, _ = read_rows(data / "trade.csv")
    i = header.index("agency")
    write_rows(data / "trade.csv", header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    _assert_reported(_problems(data), "trade.csv", 1, "agency", "missing")


def test_bad_date(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "visits", _visit(VISIT), {"start_date": "2023-13-45"})
    assert line > 2
    _assert_reported(_problems(data), "visits.csv", line, "start_date", "2023-13-45")


def test_visit_end_before_start(tmp_path):
    data = copy_data(tmp_path)
    start = next(r for r in read_rows(data / "visits.csv")[1] if r[0] == VISIT)[1]
    line = edit(data, "visits", _visit(VISIT), {"end_date": f"{int(start[:4]) - 1}{start[4:]}"})
    _assert_reported(_problems(data), "visits.csv", line, "end_date", "before")


def test_trade_period_end_before_start(tmp_path):
    data = copy_data(tmp_path)
    line = edit(
        data, "trade", lambda r: r["period_start"] == "2010-01", {"period_start": "2010-05", "period_end": "2010-02"}
    )
    _assert_reported(_problems(data), "trade.csv", line, "period_end", "before")


def test_negative_value(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "trade", lambda r: True, {"value_usd_bn": "-5"}, nth=100)
    _assert_reported(_problems(data), "trade.csv", line, "value_usd_bn", "-5")


def test_non_numeric_value(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "trade", lambda r: True, {"value_usd_bn": "abc"}, nth=150)
    _assert_reported(_problems(data), "trade.csv", line, "value_usd_bn", "abc")


def test_unknown_source_in_trade(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "trade", lambda r: True, {"source_id": "no-such-source"}, nth=42)
    _assert_reported(_problems(data), "trade.csv", line, "source_id", "no-such-source")


def test_unknown_source_in_visit_source_list(tmp_path):
    data = copy_data(tmp_path)
    first = next(r for r in read_rows(data / "visits.csv")[1] if r[0] == VISIT)[11].split(";")[0]
    line = edit(data, "visits", _visit(VISIT), {"source_ids": f"{first};no-such-source"})
    problems = _problems(data)
    _assert_reported(problems, "visits.csv", line, "source_ids", "no-such-source")
    assert not any(first in str(p) for p in problems), "the known id must not be reported"


def test_duplicate_visit_id(tmp_path):
    data = copy_data(tmp_path)
    header, rows, lines = read_rows(data / "visits.csv")
    rows[20][0] = rows[19][0]
    write_rows(data / "visits.csv", header, rows)
    _assert_reported(_problems(data), "visits.csv", lines[20], "visit_id", "duplicate")


def test_duplicate_source_id(tmp_path):
    data = copy_data(tmp_path)
    header, rows, lines = read_rows(data / "sources.csv")
    rows[30][0] = rows[29][0]
    write_rows(data / "sources.csv", header, rows)
    _assert_reported(_problems(data), "sources.csv", lines[30], "source_id", "duplicate")


def test_two_preferred_rows_for_one_key(tmp_path):
    data = copy_data(tmp_path)

    def vn_2024_total(r):
        return (r["reporter"], r["period_start"], r["period_end"], r["flow"]) == ("VN", "2024-01", "2024-12", "total")

    first = line_of(data, "trade", lambda r: vn_2024_total(r) and r["preferred"] == "true")
    line = edit(data, "trade", lambda r: vn_2024_total(r) and r["preferred"] == "false", {"preferred": "true"})
    problems = _problems(data)
    _assert_reported(problems, "trade.csv", line, "preferred", f"line {first}")


def test_no_preferred_row_for_a_key(tmp_path):
    data = copy_data(tmp_path)
    line = edit(
        data, "trade", lambda r: r["period_start"] == "2005-01" and r["reporter"] == "CN", {"preferred": "false"}
    )
    _assert_reported(_problems(data), "trade.csv", line, "preferred", "no preferred row")


def test_non_utf8_file(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "visits", _visit(VISIT), {"note": "LATIN1HERE"})
    path = data / "visits.csv"
    path.write_bytes(path.read_bytes().replace(b"LATIN1HERE", "Réunion à Pékin".encode("latin-1")))
    problems = _problems(data)
    _assert_reported(problems, "visits.csv", line, "note", "UTF-8")


def test_empty_file(tmp_path):
    data = copy_data(tmp_path)
    (data / "sources.csv").write_bytes(b"")
    problems = _problems(data)
    assert any(p.file == "sources.csv" and p.line == 1 and "empty" in p.message for p in problems), problems


def test_missing_file(tmp_path):
    data = copy_data(tmp_path)
    (data / "indicators.csv").unlink()
    assert any(p.file == "indicators.csv" and "missing" in p.message for p in _problems(data))


def test_several_problems_reported_at_once(tmp_path):
    data = copy_data(tmp_path)
    trade_line = edit(data, "trade", lambda r: True, {"value_usd_bn": "abc"}, nth=30)
    visit_line = edit(data, "visits", _visit(VISIT), {"start_date": "2023-13-45"})
    bad_source = edit(data, "sources", lambda r: True, {"url": "ftp://example.org"}, nth=5)
    problems = _problems(data)
    _assert_reported(problems, "trade.csv", trade_line, "value_usd_bn")
    _assert_reported(problems, "visits.csv", visit_line, "start_date")
    _assert_reported(problems, "sources.csv", bad_source, "url")
    assert len(problems) >= 3


def test_rule_problems_and_schema_problems_together(tmp_path):
    """A broken cell in one file does not hide a broken cross-row rule elsewhere."""
    data = copy_data(tmp_path)
    value_line = edit(data, "trade", lambda r: True, {"value_usd_bn": "-5"}, nth=10)
    start = next(r for r in read_rows(data / "visits.csv")[1] if r[0] == VISIT)[1]
    end_line = edit(data, "visits", _visit(VISIT), {"end_date": f"{int(start[:4]) - 1}{start[4:]}"})
    problems = _problems(data)
    _assert_reported(problems, "trade.csv", value_line, "value_usd_bn")
    _assert_reported(problems, "visits.csv", end_line, "end_date")


def test_report_is_readable():
    err = DatasetError(
        [Problem("trade.csv", 7, "value_usd_bn", "'abc' is not a valid number"), Problem("sources.csv", 1, None, "x")]
    )
    text = err.report()
    assert text.startswith("The dataset has 2 problems:")
    lines = text.splitlines()
    assert len(lines) == 3
    assert lines[1] == "- trade.csv, line 7, field 'value_usd_bn': 'abc' is not a valid number"
    assert lines[2] == "- sources.csv, line 1: x"
    assert str(err) == text
    assert DatasetError([Problem("a.csv", None, None, "gone")]).report() == "The dataset has 1 problem:\n- a.csv: gone"


def test_report_from_a_real_failure(tmp_path):
    data = copy_data(tmp_path)
    edit(data, "trade", lambda r: True, {"value_usd_bn": "abc"}, nth=3)
    edit(data, "visits", _visit(VISIT), {"start_date": "2023-13-45"})
    with pytest.raises(DatasetError) as info:
        load(data)
    text = info.value.report()
    assert text.startswith("The dataset has")
    assert "\n- trade.csv, line" in text and "\n- visits.csv, line" in text
    assert "Traceback" not in text
