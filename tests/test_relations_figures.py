"""Issue 21 drawn: the milestones on the trade chart and the timeline (labelled, hovered, switchable, exported,
tabled), the documents signed per summit, and the goods panel, on tiny datasets, in all three languages."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers_data import (
    COMPUTERS,
    FRUIT,
    MACHINERY,
    PHONES,
    TINY_GOODS,
    TINY_MILESTONES,
    TINY_VISITS,
    goods_row,
    real,
    tiny,
)

from components import export, figures, i18n, milestone_charts, tables
from components.figures.goods import DRAWN, MAX_GROUPS
from components.view import Choices, View, from_query, to_query

XI = "2023-12-xi-jinping"
COUNTED = [
    {**v, "documents_signed": "36", "documents_source_ids": "src-cn"} if v["visit_id"] == XI else v for v in TINY_VISITS
]


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """The tiny dataset with milestones, goods and one stated count of documents (Xi, December 2023)."""
    return tiny(tmp_path_factory.mktemp("relations"), milestones=TINY_MILESTONES, goods=TINY_GOODS, visits=COUNTED)


@pytest.fixture(scope="module")
def rich_choices(rich):
    return Choices.from_dataset(rich)


def _milestone_layout(fig) -> tuple[list, list]:
    shapes = [s for s in fig.layout.shapes if (s.name or "").startswith("milestone:")]
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith("milestone:")]
    return shapes, labels


# ---------------------------------------------------------------- milestones


@pytest.mark.parametrize("name", ["trade", "timeline"])
def test_milestones_are_labelled_rules_with_hover(rich, rich_choices, name):
    panel = figures.build(rich, View(), rich_choices, [name])[name]
    shapes, labels = _milestone_layout(panel.figure)
    # the 2008 partnership lies before the data's first year (2022): only the two in range are drawn
    assert [s.name for s in shapes] == [
        "milestone:2022-01-rcep-in-force",
        "milestone:2023-12-community-with-a-shared-future",
    ]
    assert [str(s.x0)[:10] for s in shapes] == ["2022-01-01", "2023-12-12"]
    assert all(s.yref == "paper" and (s.y0, s.y1) == (0, 1) for s in shapes)
    assert [a.text for a in labels] == ["RCEP enters into force", "Community with a shared future"]
    rcep = labels[0].hovertext.replace("<br>", " ")
    assert "1 Jan 2022" in rcep and "takes effect for both countries" in rcep
    assert "Vietnam Customs Press, 2024-01-15; GACC Newsroom, 2024-01-20" in rcep
    assert "trade agreement" in rcep
    assert "Milestones of the relationship are marked as vertical lines" in panel.alt
    assert "RCEP enters into force" in panel.alt


@pytest.mark.parametrize("name", ["trade", "timeline"])
def test_milestones_off_removes_them(rich, rich_choices, name):
    panel = figures.build(rich, View(milestones=False), rich_choices, [name])[name]
    assert _milestone_layout(panel.figure) == ([], [])
    assert "Milestones" not in panel.alt
    if name == "trade":
        assert "milestone" not in panel.table.columns


def test_milestones_follow_the_year_range(rich, rich_choices):
    panel = figures.build(rich, View(year_from=2023), rich_choices, ["trade"])["trade"]
    shapes, labels = _milestone_layout(panel.figure)
    assert [a.text for a in labels] == ["Community with a shared future"] and len(shapes) == 1


def test_milestones_in_the_trade_table_and_its_csv(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["trade"])["trade"]
    rows = panel.table[panel.table["flow"] == "Milestone"]
    assert list(rows["milestone"]) == [
        "2022-01-01 · RCEP enters into force (trade agreement)",
        "2023-12-12 · Community with a shared future (relationship framework)",
    ]
    assert list(rows["source_url"]) == ["https://example.org/vn", "https://example.org/cn"]
    csv = export.csv_bytes(tables.readable(panel.table, keep_lines=True)).decode("utf-8")
    assert "RCEP enters into force (trade agreement)" in csv and "Milestone" in csv


def test_milestones_are_in_the_exported_image(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["trade"])["trade"]
    printed = export.print_figure(panel)
    texts = [a.text for a in printed.layout.annotations]
    assert "RCEP enters into force" in texts and "Community with a shared future" in texts
    assert sum(1 for s in printed.layout.shapes if (s.name or "").startswith("milestone:")) == 2


def test_close_milestones_share_one_label(rich):
    day = pd.Timestamp("2020-03-01")
    close = rich.milestones.assign(date=[day + pd.Timedelta(days=d) for d in (0, 20, 40)])
    shapes, labels = milestone_charts.marks(milestone_charts.prepare(close), (2000, 2025))
    assert len(shapes) == 3 and len(labels) == 1
    assert labels[0]["text"] == "Comprehensive strategic… (+2)"
    assert labels[0]["hovertext"].count("<b>") == 3 and "RCEP enters into force" in labels[0]["hovertext"]


def test_a_milestone_title_goes_through_the_catalogs(tmp_path):
    """A title the catalogs know is shown translated (the titles are extracted by babel.cfg's csv entry)."""
    rows = [{**TINY_MILESTONES[1], "title": "Two-way trade"}]
    ds = tiny(tmp_path, milestones=rows)
    for lang in i18n.LANGUAGES:
        t = i18n.translator(lang)
        panel = figures.build(ds, View(lang=lang), Choices.from_dataset(ds), ["trade"])["trade"]
        _, labels = _milestone_layout(panel.figure)
        assert labels[0].text == t("Two-way trade"), lang
    assert i18n.translator("vi")("Two-way trade") != "Two-way trade"


def test_milestones_view_parameter(rich_choices):
    assert from_query({"milestones": "off"}, rich_choices).milestones is False
    assert from_query({}, rich_choices).milestones is True
    assert to_query(View(milestones=False)) == {"milestones": "off"}
    assert "milestones" not in to_query(View())
    bad = from_query({"milestones": "<b>no</b>", "reporter": "cn"}, rich_choices)
    assert bad.milestones is True and bad.reporter == "CN"
    assert any("'milestones'" in n for n in bad.notices) and not any("<b>" in n for n in bad.notices)


# ---------------------------------------------------------------- documents signed


def test_documents_panel_draws_only_stated_counts(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["documents"])["documents"]
    assert not panel.empty
    (trace,) = panel.figure.data
    assert list(trace.y) == [36.0] and list(trace.text) == ["36"]
    assert str(trace.x[0])[:10] == "2023-12-12"
    assert "36 documents signed" in trace.hovertext[0] and "GACC Newsroom, 2024-01-20" in trace.hovertext[0]
    assert list(trace.error_y.arrayminus) == [36.0]  # the stem reaches zero
    assert "1 visit in the filter has one" in panel.note and "4 others have no stated count" in panel.note
    assert list(panel.table["documents signed"]) == [36]
    assert list(panel.table["count stated by"]) == ["GACC Newsroom, 2024-01-20"]
    assert "The most: 36 during Xi Jinping's visit of 12 Dec 2023." in panel.alt


def test_documents_panel_is_empty_without_a_stated_count(tmp_path):
    ds = tiny(tmp_path)
    panel = figures.build(ds, View(), Choices.from_dataset(ds), ["documents"])["documents"]
    assert "none is estimated" in panel.empty and panel.table.empty


def test_trade_around_a_visit_names_its_count(rich, rich_choices):
    panel = figures.build(rich, View(visit=XI), rich_choices, ["visit_trade"])["visit_trade"]
    assert panel.note == "36 documents were signed during the visit (count stated by GACC Newsroom, 2024-01-20)."
    assert panel.note in panel.alt
    other = figures.build(rich, View(visit="2024-08-to-lam"), rich_choices, ["visit_trade"])["visit_trade"]
    assert "documents" not in other.note


def test_the_visits_table_has_the_count(rich, rich_choices):
    table = figures.build(rich, View(), rich_choices, ["timeline"])["timeline"].table
    counts = table.set_index("visit_id")["documents_signed"]
    assert counts[XI] == 36 and counts.drop(XI).isna().all()
    readable = tables.readable(table)
    assert "Documents signed" in readable.columns and "documents_source_urls" not in readable.columns


# ---------------------------------------------------------------- goods


def _bars(panel) -> dict[tuple[str, str], dict[str, float]]:
    """{(flow axis, series): {year: value}}, each bar inside its year."""
    for tr in panel.figure.data:
        for x, w in zip(tr.x, tr.width, strict=True):
            assert abs(x - round(x)) + w / 2 <= 0.45, (tr.name, x, w)
    return {(tr.xaxis, tr.name): dict(zip((round(x) for x in tr.x), tr.y, strict=True)) for tr in panel.figure.data}


def test_goods_draws_preferred_full_years_per_flow(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["goods"])["goods"]
    bars = _bars(panel)
    assert bars[("x", PHONES)] == {2022: 10.5, 2023: 9.1}  # the preferred 9.1, not GACC's 9.8
    assert bars[("x", COMPUTERS)] == {2023: 12.2}
    assert bars[("x2", MACHINERY)] == {2023: 20.0}
    assert 2024 not in bars[("x", PHONES)], "a part-year figure is never drawn as a year"
    axis = panel.figure.layout.xaxis
    assert list(axis.tickvals) == [2022, 2023] and list(axis.ticktext) == ["2022", "2023"]
    assert tuple(axis.range) == (2021.5, 2023.5)


def test_goods_bars_of_one_year_sit_side_by_side_in_its_slot(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["goods"])["goods"]
    exports_2023 = sorted((x, tr.name) for tr in panel.figure.data if tr.xaxis == "x" for x in tr.x if round(x) == 2023)
    assert [name for _, name in exports_2023] == [COMPUTERS, PHONES, FRUIT, f"Durian (product in {FRUIT})"]
    xs = [x for x, _ in exports_2023]
    assert xs[0] < 2023 < xs[-1] and abs((xs[0] + xs[-1]) / 2 - 2023) < 1e-9  # centred on the year
    (alone,) = [x for tr in panel.figure.data if tr.xaxis == "x2" for x in tr.x]
    assert alone == 2023  # a year's only bar sits on the year


def test_goods_product_is_marked_inside_its_group(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["goods"])["goods"]
    durian = next(tr for tr in panel.figure.data if tr.name.startswith("Durian"))
    assert durian.name == f"Durian (product in {FRUIT})"
    assert durian.marker.pattern.shape == "/"
    fruit = next(tr for tr in panel.figure.data if tr.name == FRUIT)
    assert durian.marker.color == fruit.marker.color and fruit.marker.pattern.shape is None
    assert "Hatched bars are single products inside their group" in panel.note


def test_goods_hover_names_source_and_other_versions(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["goods"])["goods"]
    phones = next(tr for tr in panel.figure.data if tr.name == PHONES)
    hover = dict(zip((round(x) for x in phones.x), phones.hovertext, strict=True))[2023].replace("<br>", " ")
    assert "US$9.1 bn" in hover and "Vietnam Customs" in hover and "Vietnam Customs Press, 2024-01-15" in hover
    assert "Another version: US$9.8 bn, China Customs (GACC) (GACC Newsroom, 2024-01-20)" in hover
    computers = next(tr for tr in panel.figure.data if tr.name == COMPUTERS)
    assert "over US$12.2 bn" in computers.hovertext[0]


def test_goods_missing_years_are_shown_and_named(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["goods"])["goods"]
    gaps = [s for s in panel.figure.layout.shapes if s.xref == "x2"]
    assert len(gaps) == 1 and (gaps[0].x0, gaps[0].x1) == (2021.55, 2022.45)  # 2022 has no import figure
    notes = [a for a in panel.figure.layout.annotations if a.text == "no figure"]
    assert [(a.xref, a.x) for a in notes] == [("x2", 2022)]
    assert "Imports from China: figures for 2023; none found for 2022." in panel.note
    assert "Exports to China: figures for 2022–2023." in panel.note
    assert "1 part-year figure is listed in the table, not drawn as a year." in panel.note


def test_goods_table_keeps_every_row_with_why_it_is_or_is_not_drawn(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["goods"])["goods"]
    table = panel.table
    assert len(table) == len(TINY_GOODS)
    by_reason = table["drawn"].value_counts().to_dict()
    assert by_reason == {DRAWN["yes"]: 7, DRAWN["version"]: 1, DRAWN["partial"]: 1}
    partial = table[table["drawn"] == DRAWN["partial"]].iloc[0]
    assert partial["period"] == "Jan–Jun 2024" and partial["status"] == "preliminary"
    assert set(table["source_url"]) == {"https://example.org/vn", "https://example.org/cn", "http://example.org/paper"}
    assert "curator_note" not in table.columns
    csv = export.csv_bytes(tables.readable(table, keep_lines=True)).decode("utf-8")
    assert "Durian" in csv and "no: part of a year, listed apart" in csv


def test_goods_draws_only_the_largest_groups(tmp_path):
    rows = [goods_row(2023, "vn_to_cn", f"Group {i}", float(i + 1)) for i in range(MAX_GROUPS + 2)]
    ds = tiny(tmp_path, goods=rows)
    panel = figures.build(ds, View(), Choices.from_dataset(ds), ["goods"])["goods"]
    names = [tr.name for tr in panel.figure.data]
    assert names == [f"Group {i}" for i in range(MAX_GROUPS + 1, 1, -1)]  # the largest first
    assert "2 smaller groups are in the table only." in panel.note
    assert (panel.table["drawn"] == DRAWN["smaller"]).sum() == 2
    assert "No product-group figure in these years" in [a.text for a in panel.figure.layout.annotations]


def test_goods_by_reporter_and_empty_states(rich, rich_choices, tmp_path):
    china = figures.build(rich, View(reporter="CN"), rich_choices, ["goods"])["goods"]
    assert china.empty.startswith("No full-year product-group figures as China reports it")
    both = figures.build(rich, View(reporter="both"), rich_choices, ["goods"])["goods"]
    assert "as Vietnam reports it" in both.title and not both.empty  # the two sides are never mixed
    ds = tiny(tmp_path)
    none = figures.build(ds, View(), Choices.from_dataset(ds), ["goods"])["goods"]
    assert none.empty.startswith("No product-group figures in data/ yet")


def test_goods_alt_and_source_line(rich, rich_choices):
    panel = figures.build(rich, View(), rich_choices, ["goods"])["goods"]
    assert panel.alt.startswith("Bar chart of Vietnam–China trade by product group, 2022–2023")
    assert f"Largest in 2023: {MACHINERY}, US$20.0 bn (Imports from China)." in panel.alt
    assert panel.source_line.startswith("Sources: China Customs (GACC); Vietnam Customs.")  # versions too
    assert "groups as Vietnam Customs names them" in panel.source_line


# ---------------------------------------------------------------- every language


@pytest.mark.parametrize("lang", ["vi", "zh"])
@pytest.mark.parametrize("name", ["goods", "documents", "trade", "timeline", "visit_trade"])
def test_the_new_texts_are_translated(rich, rich_choices, lang, name):
    english = figures.build(rich, View(visit=XI), rich_choices, [name])[name]
    panel = figures.build(rich, View(visit=XI, lang=lang), rich_choices, [name])[name]
    assert panel.title != english.title
    for text, source in ((panel.alt, english.alt), (panel.note, english.note)):
        if source:
            assert text != source
            for sentence in (
                "Milestones of the relationship",
                "documents were signed",
                "part-year figure",
                "figures for",
                "Hatched bars",
                "Only visits whose sources",
                "Bar chart of",
            ):
                assert sentence not in text, (lang, name, sentence, text)
    if name == "goods":
        texts = {a.text for a in panel.figure.layout.annotations}
        assert i18n.translator(lang)("no figure") in texts and "no figure" not in texts


def test_every_milestone_title_and_goods_group_in_data_is_translated():
    """babel.cfg extracts these columns; a row added without its Vietnamese and Chinese forms fails here (run
    `make -o .venv/.installed-stamp i18n` and fill in the msgstr)."""
    ds = real()
    texts = {*ds.milestones["title"], *ds.goods["group"], *(p for p in ds.goods["product"] if p)}
    for lang in ("vi", "zh"):
        t = i18n.translator(lang)
        missing = sorted(x for x in texts if t(x) == x)
        assert not missing, (lang, missing)
