"""The contract of the relations tables (issue 21): milestones.csv, goods.csv and the documents-signed columns of
visits.csv. Each broken row is reported with its file, line and field, like the older tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_data import (
    COMPUTERS,
    FRUIT,
    PHONES,
    TINY_GOODS,
    TINY_MILESTONES,
    TINY_VISITS,
    goods_row,
    read_rows,
    real,
    tiny,
    write_dataset,
    write_rows,
)

from components import dataset
from components.dataset import DatasetError, Problem, load


def _problems(data: Path) -> tuple[Problem, ...]:
    with pytest.raises(DatasetError) as info:
        load(data)
    return info.value.problems


def _assert_reported(problems, file: str, line: int | None, field: str | None, words: str = "") -> None:
    hits = [p for p in problems if (p.file, p.line, p.field) == (file, line, field)]
    assert hits, "\n".join(map(str, problems))
    assert not words or any(words in str(p) for p in hits), "\n".join(map(str, hits))


def _write(tmp_path: Path, **tables) -> Path:
    tables = {"milestones": TINY_MILESTONES, "goods": TINY_GOODS, **tables}
    return write_dataset(tmp_path / "data", **tables)


def _with(rows: list[dict[str, str]], i: int, **changes: str) -> list[dict[str, str]]:
    return [{**row, **changes} if n == i else row for n, row in enumerate(rows)]


# ---------------------------------------------------------------- the real files follow the contract


def test_real_files_have_the_new_tables_and_columns():
    ds = real()
    descriptor = json.loads((dataset.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in descriptor["resources"]}
    assert fields["milestones"] == [
        "milestone_id",
        "date",
        "kind",
        "title",
        "description",
        "source_ids",
        "curator_note",
    ]
    assert fields["goods"] == [
        *("reporter", "period_start", "period_end", "flow", "group", "product", "value_usd_bn", "preferred"),
        *("status", "agency", "source_id", "note", "qualifier", "curator_note"),
    ]
    assert fields["visits"][-2:] == ["documents_signed", "documents_source_ids"]
    header, _, _ = read_rows(dataset.DATA_DIR / "visits.csv")
    assert header[-2:] == ["documents_signed", "documents_source_ids"]
    assert str(ds.visits["documents_signed"].dtype) == "Int64"
    assert {"milestone_id", "date", "kind", "source_labels"} <= set(ds.milestones.columns)
    assert {"group", "product", "full_year", "source_label"} <= set(ds.goods.columns)


def test_the_tiny_tables_load_typed_and_joined_to_their_sources(tmp_path):
    ds = tiny(tmp_path, milestones=TINY_MILESTONES, goods=TINY_GOODS)
    rcep = ds.milestones.set_index("milestone_id").loc["2022-01-rcep-in-force"]
    assert f"{rcep['date']:%Y-%m-%d}" == "2022-01-01"
    assert rcep["source_labels"] == "Vietnam Customs Press, 2024-01-15; GACC Newsroom, 2024-01-20"
    assert rcep["source_urls"] == ["https://example.org/vn", "https://example.org/cn"]
    durian = ds.goods[ds.goods["product"] == "Durian"].iloc[0]
    assert durian["group"] == FRUIT and durian["full_year"] and durian["source_label"] == "Daily Paper, 2023"
    partial = ds.goods[~ds.goods["full_year"]]
    assert list(partial["period"]) == ["Jan–Jun 2024"]


def test_summary_describes_the_new_tables(tmp_path, capsys):
    counted = _with(TINY_VISITS, 1, documents_signed="36", documents_source_ids="src-cn")
    data = _write(tmp_path, visits=counted)
    assert dataset.main([str(data)]) == 0
    out = capsys.readouterr().out
    assert "milestones.csv                 3" in out
    assert "goods.csv                      9" in out
    assert "Visits with a stated count of documents signed: 1" in out
    assert "2023-12-xi-jinping" in out and " 36" in out
    assert "framework          2  (2008, 2023)" in out
    assert f"VN vn_to_cn  {PHONES}" in out and "2022–2023" in out
    assert "Durian in Fruit and vegetables" in out
    assert "Partial-year figures (listed apart, not drawn): 1 (periods 2024)" in out
    assert "Versions kept (not preferred): 1" in out


# ---------------------------------------------------------------- milestones.csv


def test_milestone_kind_outside_the_closed_list(tmp_path):
    data = _write(tmp_path, milestones=_with(TINY_MILESTONES, 1, kind="summit"))
    _assert_reported(_problems(data), "milestones.csv", 3, "kind", "'summit' is not one of: framework")


def test_milestone_bad_date(tmp_path):
    data = _write(tmp_path, milestones=_with(TINY_MILESTONES, 0, date="2008-05"))
    _assert_reported(_problems(data), "milestones.csv", 2, "date", "2008-05")


def test_milestone_unknown_source(tmp_path):
    data = _write(tmp_path, milestones=_with(TINY_MILESTONES, 2, source_ids="src-cn;no-such-source"))
    problems = _problems(data)
    _assert_reported(problems, "milestones.csv", 4, "source_ids", "unknown source 'no-such-source'")
    assert not any("'src-cn'" in str(p) for p in problems)


def test_milestone_without_a_source_or_description(tmp_path):
    data = _write(tmp_path, milestones=_with(TINY_MILESTONES, 0, source_ids="", description=""))
    problems = _problems(data)
    _assert_reported(problems, "milestones.csv", 2, "source_ids", "required")
    _assert_reported(problems, "milestones.csv", 2, "description", "required")


def test_milestone_duplicate_id_and_bad_slug(tmp_path):
    rows = _with(TINY_MILESTONES, 2, milestone_id=TINY_MILESTONES[1]["milestone_id"])
    rows = _with(rows, 0, milestone_id="Partnership 2008")
    problems = _problems(_write(tmp_path, milestones=rows))
    _assert_reported(problems, "milestones.csv", 4, "milestone_id", "duplicate")
    _assert_reported(problems, "milestones.csv", 2, "milestone_id", "expected form")


# ---------------------------------------------------------------- goods.csv


def test_goods_flow_has_no_total(tmp_path):
    data = _write(tmp_path, goods=_with(TINY_GOODS, 0, flow="total"))
    _assert_reported(_problems(data), "goods.csv", 2, "flow", "'total' is not one of: vn_to_cn, cn_to_vn")


def test_goods_bad_period_value_and_qualifier(tmp_path):
    rows = _with(TINY_GOODS, 1, period_start="2022-1", value_usd_bn="3,4")
    rows = _with(rows, 2, qualifier="roughly")
    problems = _problems(_write(tmp_path, goods=rows))
    _assert_reported(problems, "goods.csv", 3, "period_start", "2022-1")
    _assert_reported(problems, "goods.csv", 3, "value_usd_bn", "3,4")
    _assert_reported(problems, "goods.csv", 4, "qualifier", "roughly")


def test_goods_unknown_source(tmp_path):
    data = _write(tmp_path, goods=_with(TINY_GOODS, 4, source_id="nowhere"))
    _assert_reported(_problems(data), "goods.csv", 6, "source_id", "nowhere")


def test_goods_two_preferred_versions(tmp_path):
    data = _write(tmp_path, goods=_with(TINY_GOODS, 6, preferred="true"))  # the GACC version of 2023 phones
    _assert_reported(_problems(data), "goods.csv", 8, "preferred", "line 4 is preferred already")


def test_goods_no_preferred_version(tmp_path):
    data = _write(tmp_path, goods=_with(TINY_GOODS, 2, preferred="false"))
    _assert_reported(_problems(data), "goods.csv", 4, "preferred", "no preferred row")


def test_a_product_and_its_whole_group_are_different_keys(tmp_path):
    """Durian 2023 and Fruit and vegetables 2023 are each preferred: no clash between a product and its group."""
    ds = tiny(tmp_path, goods=TINY_GOODS)
    fruit = ds.goods[(ds.goods["group"] == FRUIT) & (ds.goods["year"] == 2023)]
    assert fruit["preferred"].all() and set(fruit["product"]) == {"", "Durian"}


def test_goods_group_spelled_two_ways(tmp_path):
    rows = [*TINY_GOODS, goods_row(2021, "vn_to_cn", "computers, electronic products and  components", 8.0)]
    problems = _problems(_write(tmp_path, goods=rows))
    _assert_reported(problems, "goods.csv", len(rows) + 1, "group", f"is spelled '{COMPUTERS}' on line 5")


def test_goods_product_that_is_its_group(tmp_path):
    data = _write(tmp_path, goods=_with(TINY_GOODS, 5, product="Fruit and Vegetables"))
    _assert_reported(_problems(data), "goods.csv", 7, "product", "leave product blank")


def test_goods_period_end_before_start_and_beyond_coverage(tmp_path):
    rows = _with(TINY_GOODS, 0, period_start="2022-06", period_end="2022-02")
    data = _write(tmp_path, goods=rows)
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    late = [*rows, goods_row(2030, "vn_to_cn", PHONES, 1.0)]
    write_dataset(data, goods=late, milestones=TINY_MILESTONES)
    (data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")  # coverage as before
    problems = _problems(data)
    _assert_reported(problems, "goods.csv", 2, "period_end", "before period_start")
    _assert_reported(problems, "goods.csv", len(late) + 1, "period_end", "after the declared coverage.figures_to")


def test_goods_header_missing_a_column(tmp_path):
    data = _write(tmp_path)
    header, rows, _ = read_rows(data / "goods.csv")
    i = header.index("product")
    write_rows(data / "goods.csv", header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    _assert_reported(_problems(data), "goods.csv", 1, "product", "missing")


def test_header_only_tables_are_valid(tmp_path):
    ds = tiny(tmp_path)
    assert ds.milestones.empty and ds.goods.empty


# ---------------------------------------------------------------- visits.csv: documents signed


@pytest.mark.parametrize(
    ("count", "words"), [("-1", "must be at least 0"), ("3.5", "not a valid whole number"), ("many", "many")]
)
def test_documents_signed_is_a_whole_count(tmp_path, count, words):
    data = _write(tmp_path, visits=_with(TINY_VISITS, 3, documents_signed=count, documents_source_ids="src-vn"))
    problems = _problems(data)
    _assert_reported(problems, "visits.csv", 5, "documents_signed", words)
    assert not any(p.field == "documents_source_ids" for p in problems), "the sources are given"


def test_a_count_needs_the_sources_that_state_it(tmp_path):
    data = _write(tmp_path, visits=_with(TINY_VISITS, 1, documents_signed="36"))
    _assert_reported(_problems(data), "visits.csv", 3, "documents_source_ids", "required when documents_signed")


def test_sources_for_a_count_need_the_count(tmp_path):
    data = _write(tmp_path, visits=_with(TINY_VISITS, 0, documents_source_ids="src-vn"))
    _assert_reported(_problems(data), "visits.csv", 2, "documents_source_ids", "only set together")


def test_documents_source_must_be_known(tmp_path):
    rows = _with(TINY_VISITS, 4, documents_signed="0", documents_source_ids="src-vn;ghost")
    problems = _problems(_write(tmp_path, visits=rows))
    _assert_reported(problems, "visits.csv", 6, "documents_source_ids", "unknown source 'ghost'")


def test_a_stated_count_loads_with_its_sources(tmp_path):
    rows = _with(TINY_VISITS, 1, documents_signed="36", documents_source_ids="src-cn;src-other")
    ds = tiny(tmp_path, visits=rows)
    xi = ds.visits.set_index("visit_id").loc["2023-12-xi-jinping"]
    assert xi["documents_signed"] == 36
    assert xi["documents_source_labels"] == "GACC Newsroom, 2024-01-20; Daily Paper, 2023"
    assert ds.visits["documents_signed"].isna().sum() == len(rows) - 1
    assert "documents_signed_text" not in ds.visits
