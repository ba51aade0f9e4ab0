"""Issue 19, the page-interaction half, without a browser: the copy boxes hand their script the exact texts, the
BibTeX entry stays English after a switch of language, the phone layout of the visit, mirror and around-visit
charts, every legend clear of the tick labels, the year-to-date table's headers, touch wording, and the /data
page linking the dataset's files. The clicks and taps themselves are in test_copy_browser and
test_touch_browser."""

from __future__ import annotations

import re

import pytest
from conftest import all_text, copy_boxes, on_page

from components import export, figures, i18n, tables, theme
from components.figures import build
from components.view import View

CJK = re.compile(r"[\u3400-\u9fff]")


def run_ok(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def panels(ds, choices):
    return build(ds, View(visit="2023-12-xi-jinping"), choices)


# ---------------------------------------------------------------- copy boxes


def test_every_copy_box_is_a_component_holding_its_exact_text(app):
    app.query_params["from"] = "2010"
    run_ok(app)
    boxes = copy_boxes(app)
    embeds = {f"embed-{kind}{chart}" for kind in ("", "live-") for chart in ("trade", "timeline")}
    assert {"share-url", "cite-side", "bib-side", *embeds} <= set(boxes), sorted(boxes)
    assert boxes["share-url"]["text"] == "http://localhost:8501/?from=2010"
    assert boxes["bib-side"]["text"].startswith("@misc{vncn_dashboard_")
    assert boxes["embed-trade"]["text"].startswith('<iframe src="http://localhost:8501/embed/trade?from=2010"')
    assert "chart=trade" in boxes["embed-live-trade"]["text"] and "embed=true" in boxes["embed-live-trade"]["text"]
    for box in boxes.values():  # the height reserved in Python is the one the script draws
        assert box["height"] == 18 * box["rows"] + 16
        assert (box["copy"], box["copied"]) == ("Copy", "Copied")


def test_the_copy_box_speaks_the_readers_language(app):
    app.query_params["lang"] = "vi"
    run_ok(app)
    t = i18n.translator("vi")
    box = copy_boxes(app)["share-url"]
    assert (box["copy"], box["copied"], box["label"]) == (t("Copy"), t("Copied"), t("Link to this view"))
    assert box["copied"] != "Copied" and box["selected"] != "Selected: press Ctrl+C"


def test_the_citations_name_the_chosen_visit(app):
    app.query_params.update({"visit": "2023-12-xi-jinping", "from": "2020", "lang": "vi"})
    run_ok(app)
    boxes = copy_boxes(app)
    assert "2023-12-12 · Xi Jinping" in boxes["cite-side"]["text"]  # the plain text, in the reader's language
    assert "chuyến thăm: 2023-12-12 · Xi Jinping" in boxes["cite-side"]["text"]
    assert "visit: 2023-12-12 · Xi Jinping · China → Vietnam" in boxes["bib-side"]["text"]  # BibTeX in English


def test_bibtex_stays_english_after_switching_to_chinese(app):
    app.query_params["dir"] = "cn_to_vn"  # the view line then names a direction, a label the catalog translates
    run_ok(app)
    app.selectbox(key="ui_lang").set_value("zh")
    run_ok(app)
    boxes = copy_boxes(app)
    assert CJK.search(boxes["cite-side"]["text"]), "the plain-text citation is in the reader's language"
    bib = boxes["bib-side"]["text"]
    assert not CJK.search(bib), bib
    assert "China → Vietnam" in bib  # the direction, in English


# ---------------------------------------------------------------- phone layout of the figures


def test_timeline_names_its_rows_inside_the_plot_not_in_a_margin(panels):
    layout = panels["timeline"].figure.layout
    assert layout.yaxis.showticklabels is False
    rows = list(layout.yaxis.categoryarray)
    named = [a for a in layout.annotations if a.yref == "y"]
    assert [a.text for a in named] == rows  # bottom row first, as the category axis counts
    assert all(a.xref == "paper" and a.x == 0 and a.xanchor == "left" and a.yshift > 0 for a in named)
    assert layout.margin.l <= 30


def test_trade_strip_names_its_rows_inside_the_plot(panels):
    layout = panels["trade"].figure.layout
    assert layout.yaxis2.showticklabels is False
    named = [a.text for a in layout.annotations if a.yref == "y2"]
    assert named == [theme.DIRECTION_LABELS["vn_to_cn"], theme.DIRECTION_LABELS["cn_to_vn"]]
    rows = [t.y[0] for t in panels["trade"].figure.data if t.yaxis == "y2"]
    assert rows == named  # each label sits on its own row's category


@pytest.mark.parametrize("lang", ["en", "vi", "zh"])
def test_mirror_names_its_percent_panel_across_and_wraps_long_legend_names(ds, choices, lang):
    fig = build(ds, View(lang=lang), choices)["mirror"].figure
    t = i18n.translator(lang)
    assert not (fig.layout.yaxis2.title and fig.layout.yaxis2.title.text), "a turned title is cut off on a phone"
    panel_name = [a for a in fig.layout.annotations if a.text == t("China vs Vietnam, %")]
    assert len(panel_name) == 1 and panel_name[0].y <= fig.layout.yaxis.domain[0]
    for trace in fig.data:
        if trace.showlegend is not False:
            assert all(len(line) <= 44 for line in trace.name.split("<br>")), trace.name


@pytest.mark.parametrize("lang", ["en", "vi", "zh"])
def test_around_visit_years_are_two_unturned_lines(ds, choices, lang):
    fig = build(ds, View(visit="2023-12-xi-jinping", lang=lang), choices)["visit_trade"].figure
    assert fig.layout.xaxis.tickangle == 0
    assert all("<br>(" in label for label in fig.layout.xaxis.categoryarray)


def test_every_legend_sits_at_the_figures_foot_and_exports_keep_it_on_the_right(panels):
    for name, panel in panels.items():
        legend = panel.figure.layout.legend
        assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom"), name
        printed = export.print_figure(panel).layout.legend
        assert (printed.yref, printed.x, printed.orientation) == ("paper", 1.02, "v"), name


def test_wrapping_keeps_hyphenated_words_whole():
    assert theme.wrap("Vietnam → China (Vietnam's exports) — China-reported", 44).endswith("<br>China-reported")


# ---------------------------------------------------------------- texts


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_year_to_date_table_headers_are_all_translated(ds, lang):
    t = i18n.translator(lang)
    nearest = figures.around_ytd_table(figures.around(ds, "2023-12-xi-jinping").ytd, t)
    untranslated = [c for c in nearest.columns if t(tables.HEADERS.get(c, c)) == c]
    assert untranslated == []


@pytest.mark.parametrize("lang", ["en", "vi", "zh"])
def test_visit_texts_say_tap_on_touch_screens(app, lang):
    app.query_params["lang"] = lang
    run_ok(app)
    t = i18n.translator(lang)
    label = t("Visit details (or tap or click a diamond in the chart)")
    assert any(s.label == label for s in app.selectbox)
    assert lang != "en" or "tap" in label


def test_data_page_links_the_datasets_files_not_an_unnamed_repository(app):
    run_ok(app)
    on_page(app, "data")
    text = " ".join(all_text(app))
    for name in ("datapackage.json", "trade.csv", "visits.csv", "sources.csv", "visit_date_versions.csv"):
        assert f"(/api/data/{name})" in text, name
    assert "repository's" not in text
