"""The loader and validator: the real data/ passes and covers what the dataset issue asks for; every kind of broken
file is reported with its file, line and field, all problems at once."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
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


# ---------------------------------------------------------------- curators' columns, public text, coverage


CURATOR_WORDS = re.compile(
    r"repost, title|title not captured|title paraphrased|aggregator|\bweak\b|Diplomat-style|\bthe research\b"
    r"|search tool|year inferred|not named\)|statistics not named|\(as cited\)|seed article",
    re.I,
)


@pytest.mark.parametrize("table", ["sources", "trade", "indicators", "visits", "visit_date_versions"])
def test_public_text_has_no_curator_working_notes(table):
    df = getattr(real(), table)
    assert "curator_note" in df
    columns = ["note"] + (["title", "publisher"] if table == "sources" else [])
    for column in columns:
        hits = df.loc[df[column].str.contains(CURATOR_WORDS), column]
        assert hits.empty, hits.tolist()


def test_agencies_read_cleanly_in_a_credit_line():
    agencies = set(real().trade["agency"]) | set(real().indicators["agency"])
    assert {"Vietnam Customs", "China Customs (GACC)", "IMF DOTS"} <= agencies
    for agency in agencies:
        assert not re.search(r"not named|as cited|statistics as|;|\bvia\b", agency), agency
        assert re.fullmatch(r"[^()]+( \([A-Za-z ]+\))?", agency), agency


def test_qualifiers_come_from_the_sources_words():
    t = real().trade
    assert set(t["qualifier"]) <= {"exact", "about", "nearly", "over", "under"}

    def qualifier(reporter, start, end, flow, value):
        row = t[
            (t["reporter"] == reporter)
            & (t["period_start"] == start)
            & (t["period_end"] == end)
            & (t["flow"] == flow)
            & (t["value_usd_bn"] == value)
        ]
        assert len(row) >= 1
        return set(row["qualifier"])

    assert qualifier("CN", "2024-01", "2024-12", "total", 250) == {"over"}  # "exceeded 250"
    assert qualifier("VN", "2024-01", "2024-06", "total", 95) == {"nearly"}
    assert qualifier("VN", "2013-01", "2013-12", "vn_to_cn", 13.1) == {"about"}  # "some 13.1"
    assert qualifier("VN", "2024-01", "2024-12", "total", 205.2) == {"exact"}
    assert (t.loc[t["agency"] == "IMF DOTS", "qualifier"] == "exact").all()
    tourists = real().indicators.set_index(["indicator", "period_start", "period_end", "source_id"])
    assert (
        tourists.loc[("tourist_arrivals_mn", "2025-01", "2025-12", "peoplesdaily-2026-01-07-xinhua"), "qualifier"]
        == "over"
    )


def test_fdi_rows_name_their_definition():
    ind = real().indicators
    fdi = ind[ind["indicator"].str.startswith("fdi_")]
    assert fdi["definition"].ne("").all()
    assert (ind.loc[~ind.index.isin(fdi.index), "definition"] == "").all()
    registered = fdi[fdi["indicator"] == "fdi_registered_capital_usd_bn"].set_index("period")
    assert registered.loc["2023", "definition"] == "total_registered"  # includes additions and share purchases
    assert registered.loc["Jan–Jul 2019", "definition"] == "newly_registered"


def test_visit_dates_name_their_basis():
    v = real().visits.set_index("visit_id")
    assert set(v["date_basis"]) == {"actual", "announced", "reported"}
    assert v.loc["2022-10-nguyen-phu-trong", "date_basis"] == "actual"
    assert v.loc["2024-12-bui-thanh-son", "date_basis"] == "announced"
    assert v.loc["2008-08-nguyen-minh-triet", "date_basis"] == "reported"
    versions = real().visit_date_versions
    announced = versions[versions["source_id"] == "v-vns-2022-10-25-trong-announce"]
    assert announced["date_basis"].tolist() == ["announced"]


def test_visitor_names_in_chinese_characters():
    v = real().visits
    names = dict(zip(v["visitor"], v["visitor_zh"], strict=True))
    assert names["Xi Jinping"] == "习近平"
    assert names["Nguyễn Phú Trọng"] == "阮富仲"
    assert names["Tô Lâm"] == "苏林"
    filled = v.loc[v["visitor_zh"] != "", "visitor_zh"]
    assert filled.str.fullmatch(r"[\u4e00-\u9fff]{2,4}").all(), filled.tolist()
    forms = v[v["visitor_zh"] != ""].groupby("visitor")["visitor_zh"].nunique()
    assert forms.le(1).all(), f"one Chinese form per visitor: {forms[forms > 1].index.tolist()}"
    assert v[v["visitor"] == "Tô Lâm"]["search_text"].str.contains("苏林").all()


def test_every_office_has_a_label_and_a_filter_value():
    from components import theme, view

    descriptor = json.loads((dataset.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    visits = next(r for r in descriptor["resources"] if r["name"] == "visits")
    offices = next(f for f in visits["schema"]["fields"] if f["name"] == "office")["constraints"]["enum"]
    assert {"advisory_body_chief", "front_chief", "vice_president"} <= set(offices)
    assert set(offices) == set(view.OFFICES) == set(theme.OFFICE_LABELS)
    assert set(real().visits["office"]) <= set(offices)


def test_every_column_and_closed_value_is_documented_in_the_readme():
    descriptor = json.loads((dataset.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    notes = real().notes
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            assert field.get("description"), (resource["name"], field["name"])
            assert f"`{field['name']}`" in notes, f"{resource['name']}.{field['name']} is not in data/README.md"
            for value in field.get("constraints", {}).get("enum", []):
                assert f"`{value}`" in notes, f"{resource['name']}.{field['name']} value {value} not in README"


def test_declared_coverage_matches_the_rows():
    ds = real()
    descriptor = json.loads((dataset.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    ends = pd.concat([ds.trade["end"], ds.indicators["end"]])
    assert ds.figures_end == ends.max().date()
    assert f"{ds.figures_end:%Y-%m}" == descriptor["coverage"]["figures_to"]
    assert ds.visits_end == ds.visits["end_date"].max().date()
    assert ds.coverage_end == max(ds.figures_end, ds.visits_end)
    assert isinstance(ds.last_updated, dt.date) and not isinstance(ds.last_updated, dt.datetime)
    assert ds.last_updated.isoformat() == descriptor["last_updated"]
    assert ds.last_updated <= dt.date.today()
    assert "Data to: figures" in dataset.summary(ds)


def _set_descriptor(data: Path, **changes) -> None:
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key in ("figures_to", "visits_to"):
            descriptor["coverage"][key] = value
        else:
            descriptor[key] = value
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")


def test_bad_qualifier(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "trade", lambda r: True, {"qualifier": "roughly"}, nth=7)
    _assert_reported(_problems(data), "trade.csv", line, "qualifier", "roughly")


def test_missing_date_basis(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "visits", _visit(VISIT), {"date_basis": ""})
    _assert_reported(_problems(data), "visits.csv", line, "date_basis", "required")


def test_unknown_office(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "visits", _visit(VISIT), {"office": "emperor"})
    _assert_reported(_problems(data), "visits.csv", line, "office", "advisory_body_chief")


def test_fdi_definition_rules(tmp_path):
    data = copy_data(tmp_path)
    missing = edit(data, "indicators", lambda r: r["indicator"] == "fdi_registered_capital_usd_bn", {"definition": ""})
    wrong = edit(
        data, "indicators", lambda r: r["indicator"] == "fdi_cumulative_capital_usd_bn", {"definition": "not_stated"}
    )
    stray = edit(data, "indicators", lambda r: r["indicator"] == "tourist_arrivals_mn", {"definition": "not_stated"})
    problems = _problems(data)
    _assert_reported(problems, "indicators.csv", missing, "definition", "required")
    _assert_reported(problems, "indicators.csv", wrong, "definition", "cumulative_stock")
    _assert_reported(problems, "indicators.csv", stray, "definition", "only fdi_")


def test_preferred_date_version_must_share_the_visits_basis(tmp_path):
    data = copy_data(tmp_path)
    line = edit(
        data,
        "visit_date_versions",
        lambda r: r["visit_id"] == "2022-10-nguyen-phu-trong" and r["preferred"] == "true",
        {"date_basis": "announced"},
    )
    _assert_reported(_problems(data), "visit_date_versions.csv", line, "date_basis", "actual")


def test_figure_after_the_declared_coverage(tmp_path):
    data = copy_data(tmp_path)
    _set_descriptor(data, figures_to="2025-12")
    lines = [
        line_of(data, "trade", lambda r: r["period_end"] == "2026-01", nth=i)
        for i in range(sum(r[2] == "2026-01" for r in read_rows(data / "trade.csv")[1]))
    ]
    problems = _problems(data)
    for line in lines:
        _assert_reported(problems, "trade.csv", line, "period_end", "coverage.figures_to")


def test_stale_coverage_declaration(tmp_path):
    data = copy_data(tmp_path)
    _set_descriptor(data, figures_to="2026-06", visits_to="2026-12-31")
    problems = _problems(data)
    _assert_reported(problems, "datapackage.json", None, "coverage.figures_to", "latest figure ends 2026-01")
    _assert_reported(problems, "datapackage.json", None, "coverage.visits_to", "latest visit ends")


def test_visit_after_the_declared_coverage(tmp_path):
    data = copy_data(tmp_path)
    line = edit(data, "visits", _visit(VISIT), {"end_date": "2026-12-30"})
    _assert_reported(_problems(data), "visits.csv", line, "end_date", "coverage.visits_to")


def test_missing_coverage_declaration(tmp_path):
    data = copy_data(tmp_path)
    _set_descriptor(data, last_updated="soon", figures_to="2026")
    problems = _problems(data)
    _assert_reported(problems, "datapackage.json", None, "last_updated", "YYYY-MM-DD")
    _assert_reported(problems, "datapackage.json", None, "coverage.figures_to", "YYYY-MM")


def test_last_update_cannot_precede_a_source_or_a_past_visit(tmp_path):
    data = copy_data(tmp_path)
    source = edit(data, "sources", lambda r: True, {"published": "2026-05-02"}, nth=3)
    _set_descriptor(data, last_updated="2026-03-16")
    problems = _problems(data)
    _assert_reported(problems, "sources.csv", source, "published", "last_updated")
    last = real().visits.sort_values("end_date").iloc[-1]
    assert last["date_basis"] == "announced"  # an announced visit may lie after the update: not reported
    assert not any(p.file == "visits.csv" and p.line == last["line"] for p in problems)
    happened = real().visits[real().visits["date_basis"].isin(["actual", "reported"])]
    late = happened[happened["end_date"] > pd.Timestamp("2026-01-31")]
    _set_descriptor(data, last_updated="2026-01-31")
    edit(data, "sources", lambda r: True, {"published": "2025"}, nth=3)
    edit_all_sources_before(data, "2026-01-31")
    problems = _problems(data)
    for row in late.itertuples():
        _assert_reported(problems, "visits.csv", row.line, "end_date", "last_updated")


def edit_all_sources_before(data: Path, day: str) -> None:
    """Move every source's publication date to `day` at the latest, so only the visit rule can fire."""
    header, rows, _ = read_rows(data / "sources.csv")
    i = header.index("published")
    for row in rows:
        row[i] = min(row[i], day)
    write_rows(data / "sources.csv", header, rows)


def test_last_update_in_the_future(tmp_path):
    data = copy_data(tmp_path)
    declared = real().last_updated
    problems = _problems_at(data, today=declared - dt.timedelta(days=1))
    _assert_reported(problems, "datapackage.json", None, "last_updated", "future")
    assert load(data, today=declared).last_updated == declared


def _problems_at(data: Path, today: dt.date) -> tuple[Problem, ...]:
    with pytest.raises(DatasetError) as info:
        load(data, today=today)
    return info.value.problems


def test_visitor_zh_form_and_consistency(tmp_path):
    data = copy_data(tmp_path)
    latin = edit(data, "visits", _visit(VISIT), {"visitor_zh": "Truong Tan Sang"})
    other = edit(data, "visits", lambda r: r["visitor"] == "Xi Jinping", {"visitor_zh": "习大大"}, nth=1)
    first = line_of(data, "visits", lambda r: r["visitor"] == "Xi Jinping")
    problems = _problems(data)
    _assert_reported(problems, "visits.csv", latin, "visitor_zh", "Truong Tan Sang")
    _assert_reported(problems, "visits.csv", other, "visitor_zh", f"line {first}")


def test_readme_counts_match_the_visits():
    """The README's visit counts are regenerated from the data; a stale count fails here."""
    ds = real()
    match = re.search(
        r"(\d+) visits, (\d+) by Vietnamese leaders to China \(`vn_to_cn`\) and (\d+) by Chinese", ds.notes
    )
    assert match, "the README must state the visit counts"
    total, vn, cn = map(int, match.groups())
    directions = ds.visits["direction"].value_counts()
    assert (total, vn, cn) == (len(ds.visits), directions["vn_to_cn"], directions["cn_to_vn"])
    for basis, count in ds.visits["date_basis"].value_counts().items():
        assert f"{count} `{basis}`" in ds.notes, basis
