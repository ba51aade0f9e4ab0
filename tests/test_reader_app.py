"""AppTest checks of what a careful reader sees (issue 13): headline cards for every reporter and a narrowed
range, gap notes as chart captions, the sources list as searchable text with live links, the visits table, the
search help and role choice, readable CSVs."""

from __future__ import annotations

import pytest
from conftest import chart_specs, new_app

from components import filtering, tables
from components.view import Choices, View

CARD_LABELS = ("Two-way trade", "Deficit with China", "Surplus with China")


def run_ok(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def on_page(at, path: str):
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == path)
    return run_ok(at)


@pytest.fixture
def app():
    return new_app(60)


@pytest.mark.parametrize("reporter", ["vn", "cn", "both"])
@pytest.mark.parametrize("years", [None, ("2015", "2024")])
def test_cards_follow_reporter_and_range_and_never_leave_a_slot_empty(app, ds, reporter, years):
    app.query_params["reporter"] = reporter
    if years:
        app.query_params["from"], app.query_params["to"] = years
    run_ok(app)
    metrics = list(app.metric)
    assert len(metrics) == 4
    view = View(reporter={"vn": "VN", "cn": "CN", "both": "both"}[reporter])
    if years:
        view = View(reporter=view.reporter, year_from=int(years[0]), year_to=int(years[1]))
    head = filtering.headline(ds, view, Choices.from_dataset(ds))
    captions = [c.value for c in app.caption]
    for metric, card in zip(metrics[:3], (head.total, head.balance, head.partial), strict=True):
        assert metric.label == card.label
        assert metric.value == (card.value or "—")
        assert card.value or card.note in captions  # a value, or the reason there is none
        if years:
            assert "2025" not in metric.label and "2026" not in metric.label
    assert metrics[0].label.startswith("Two-way trade")
    assert metrics[2].label.startswith("Two-way")  # like with like: the partial card is two-way too
    assert "(1 months)" not in " ".join(captions)


def test_china_cards_explain_what_is_missing(app):
    app.query_params["reporter"] = "cn"
    run_ok(app)
    deficit = next(m for m in app.metric if m.label.startswith(("Deficit", "Surplus")))
    assert deficit.value.startswith("US$")
    captions = " ".join(c.value for c in app.caption)
    assert "only two-way totals after 2020" in captions
    # the gap note under the trade chart says why China's lines stop
    assert "end in 2020" in captions and "IMF DOTS" in captions


def test_mirror_caption_and_vietnam_flows_after_2020(app):
    run_ok(app)
    on_page(app, "trade")
    spec = chart_specs(app)["mirror"]
    vn_exports = next(
        t for t in spec["data"] if t.get("name", "").endswith("Vietnam-reported") and "exports" in t["name"]
    )
    assert vn_exports["x"], "Vietnam's own exports are drawn"
    captions = " ".join(c.value for c in app.caption)
    assert "Each side's own figures are drawn wherever they exist" in captions
    assert "Vietnam-reported exports to China in 2021–2025" in captions


def test_sources_are_text_with_links_and_a_search_box(app, ds):
    run_ok(app)
    on_page(app, "data")
    listing = next(m.value for m in app.markdown if m.value.startswith("- ["))
    first = tables.search_sources(ds.sources, "").iloc[0]
    assert f"]({first.url})" in listing  # a live link per source, as text the browser's find sees
    assert listing.count("\n- [") == len(ds.sources) - 1
    box = app.text_input(key="sources_q")
    box.set_value("JETRO").run()
    listing = next(m.value for m in app.markdown if m.value.startswith("- ["))
    assert 0 < listing.count("- [") < len(ds.sources)
    assert all("JETRO" in line or "jetro" in line.lower() for line in listing.splitlines())


def test_search_help_and_role_choice(app, ds):
    run_ok(app)
    search = app.text_input(key="f_q")
    assert "OR" in search.help and "railway" in search.help
    app.multiselect(key="f_visitor").set_value(["Tô Lâm"])
    app.radio(key="f_role").set_value("hosted").run()
    years = Choices.from_dataset(ds)
    hosted = filtering.filter_visits(
        ds.visits, View(visitors=("Tô Lâm",), role="hosted"), (years.first_year, years.last_year)
    )
    visits = next(m for m in app.metric if m.label == "Visits in the current filter")
    assert int(visits.value) == len(hosted) > 0
    assert (hosted["visitor"] != "Tô Lâm").all()


def test_visits_table_reading_order_and_match_column(app):
    app.query_params["q"] = "railway"
    run_ok(app)
    on_page(app, "visits")
    grid = app.dataframe[0]
    shown = grid.value
    assert "match" in shown.columns and shown["match"].str.contains("rail").all()
    assert not app.exception


def test_readable_downloads_use_labels_and_public_text_only(ds):
    down = tables.downloads(ds)
    trade = down["trade"]
    assert set(trade["Reporter"]) == {"Vietnam-reported", "China-reported"}
    assert "cn_to_vn" not in set(trade["Flow"]) and "CN" not in set(trade["Reporter"])
    for table in down.values():
        assert "curator_note" not in table.columns and "Curator note" not in table.columns
    visits = down["visits"]
    assert "Vietnam → China" in set(visits["Direction"])


def test_chart_csvs_use_the_same_labels(ds, choices):
    from components import figures

    panels = figures.build(ds, View(reporter="both"), choices)
    timeline = tables.readable(panels["timeline"].table, keep_lines=True)
    assert "Office" in timeline.columns and "party_chief" not in set(timeline["Office"])
    assert "Vietnam → China" in set(timeline["Direction"])
    trade = tables.readable(panels["trade"].table, keep_lines=True)
    assert "VN" not in set(trade["Reporter"]) and "total" not in set(trade["Flow"])


def test_a_chosen_trade_point_lists_every_version_with_its_source(app, ds):
    run_ok(app)
    app.session_state["trade_point"] = "CN|2023|total"  # what a click on that point stores
    on_page(app, "trade")
    text = " ".join(m.value for m in app.markdown)
    assert "Where this figure comes from: 2023 · Two-way trade · China-reported" in text
    rows, _ = filtering.figure_versions(ds, "CN|2023|total")
    assert len(rows) >= 1
    for url in rows["source_url"]:
        assert f"]({url})" in text  # every version with a live link to its source
    assert "(preferred" in text


def test_trade_chart_diamonds_are_clickable_like_the_timelines(app):
    run_ok(app)
    spec = chart_specs(app)["trade"]
    assert spec["layout"]["clickmode"] == "event+select"
    strip = [t for t in spec["data"] if t.get("name", "").startswith("Visits")]
    assert strip and all(len(row) == 1 for t in strip for row in t["customdata"])  # [visit_id], as the timeline


def test_visit_details_highlight_the_searched_words(app, ds):
    found = filtering.filter_visits(ds.visits, View(query="railway"), (2000, 2030))
    visit = found[found["match"].str.startswith("Outcomes:")].iloc[0]
    app.query_params["q"] = "railway"
    app.query_params["visit"] = visit["visit_id"]
    run_ok(app)
    on_page(app, "visits")
    outcomes = next(m.value for m in app.markdown if m.value.startswith("**Outcomes:**"))
    assert "**rail" in outcomes  # the matched word in bold
