"""The pages under AppTest: each page at its address draws its sections, keeps the view when the reader moves
between pages, old links still open the same view, one chart alone for embedding, and the citation."""

from __future__ import annotations

import pytest
from conftest import all_text, chart_specs, on_page

from components.view import CHARTS

# Links made before the pages existed (README "Share a view"), each with every parameter it had then.
OLD_LINKS = [
    {"from": "2010", "to": "2024"},
    {"reporter": "both", "dir": "cn_to_vn", "group": "direction"},
    {"office": "party_chief,head_of_state", "type": "state"},
    {"visitor": "Tô Lâm", "q": "China"},
    {"visit": "2023-12-xi-jinping", "reporter": "cn"},
]


def run_ok(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def headers(at) -> list[str]:
    return [h.value for h in at.header]


def test_each_page_draws_its_sections(app):
    run_ok(app)
    assert {"Trade over time", "High-level visits"} <= set(headers(app))
    assert set(chart_specs(app)) == {"trade", "timeline"}
    assert len(app.dataframe) == 0, "the overview draws no data grid (its bundle would load on a first visit)"
    assert len(app.code) == 0, "the overview draws no code block (its highlighter would load on a first visit)"

    on_page(app, "trade")
    assert not app.error
    assert [t.value for t in app.title] == ["Trade"]
    assert {"trade", "mirror", "fdi", "tourists"} <= set(chart_specs(app))

    on_page(app, "visits")
    assert set(chart_specs(app)) >= {"timeline"}
    assert "All visits in the filter" in headers(app)

    on_page(app, "data")
    assert {"How to cite", "Sources", "Download the dataset"} <= set(headers(app))
    assert not chart_specs(app)


def test_the_view_stays_when_moving_between_pages(app):
    app.query_params.update({"from": "2012", "reporter": "both", "office": "party_chief"})
    run_ok(app)
    expected = {"from": "2012", "reporter": "both", "office": "party_chief"}
    for path in ("trade", "visits", "data", ""):
        on_page(app, path)
        assert {
            k: app.query_params[k][0] if isinstance(app.query_params[k], list) else app.query_params[k]
            for k in app.query_params
        } == expected, path
        assert app.slider(key="f_years").value == (2012, 2026) or app.slider(key="f_years").value[0] == 2012


def test_a_chosen_visit_survives_a_page_without_the_visit_picker(app):
    app.query_params["visit"] = "2023-12-xi-jinping"
    run_ok(app)
    on_page(app, "data")  # no visit picker on this page
    assert app.query_params["visit"] in ("2023-12-xi-jinping", ["2023-12-xi-jinping"])
    on_page(app, "visits")
    assert app.selectbox(key="f_visit").value == "2023-12-xi-jinping"


@pytest.mark.parametrize("params", OLD_LINKS, ids=lambda p: "&".join(p))
def test_links_in_todays_format_open_the_same_view(app, params):
    app.query_params.update(params)
    run_ok(app)
    assert not app.warning, [w.value for w in app.warning]
    shown = {k: (v[0] if isinstance(v, list) else v) for k, v in app.query_params.items()}
    assert shown == params


@pytest.mark.parametrize("name", CHARTS)
def test_one_chart_alone_for_embedding(app, name):
    app.query_params.update({"chart": name, "from": "2015", "visit": "2023-12-xi-jinping"})
    run_ok(app)
    specs = chart_specs(app)
    text = " ".join(all_text(app))
    assert len(specs) <= 1 and (set(specs) == {name} or len(app.info) == 1), (specs, name)
    assert not app.sidebar.children or not list(app.sidebar.slider), "no filters beside an embedded chart"
    assert "Open the full interactive view" in text
    assert "chart=" not in text.split("Open the full interactive view")[1].split(")")[0]
    assert "2015" in text  # the filter line


def test_a_bad_chart_name_is_ignored_with_a_notice(app):
    app.query_params["chart"] = "<script>"
    run_ok(app)
    assert any("Parameter &#x27;chart&#x27;" in w.value for w in app.warning)  # escaped markdown
    assert {"trade", "timeline"} <= set(chart_specs(app))


def test_every_chart_offers_an_embed_snippet_for_this_view(app):
    app.query_params["from"] = "2011"
    run_ok(app)
    text = " ".join(all_text(app))
    for name in ("trade", "timeline"):
        assert f"chart={name}" in text and "embed=true" in text and "<iframe" in text


def test_citation_names_the_dataset_version(app, ds):
    run_ok(app)
    on_page(app, "data")
    text = " ".join(all_text(app))
    version = ds.last_updated.isoformat()
    assert f"Dataset version {version}" in text
    assert "@misc{vncn_dashboard_" in text


def test_the_view_knows_every_page_path():
    from components.pages import PAGES
    from components.view import PAGE_PATHS

    assert tuple(path for _, _, path, _ in PAGES if path) == PAGE_PATHS


def test_a_page_builds_only_the_charts_it_shows(app, monkeypatch):
    from components import figures

    built = []
    for name, builder in list(figures.BUILDERS.items()):
        monkeypatch.setitem(
            figures.BUILDERS, name, lambda *args, name=name, builder=builder: built.append(name) or builder(*args)
        )
    run_ok(app)
    assert set(built) == {"trade", "timeline"}, built
    built.clear()
    on_page(app, "data")
    assert built == [], "the data page shows no chart and builds none"
    on_page(app, "trade")
    assert set(built) == {"trade", "goods", "ytd", "mirror", "fdi", "tourists"}


def test_lazy_panels_are_the_built_panels(ds, choices):
    from components.figures import LazyPanels, build
    from components.view import View

    view = View(year_from=2012, reporter="both")
    lazy, eager = LazyPanels(ds, view, choices), build(ds, view, choices)
    assert list(lazy) == list(eager) == list(CHARTS)
    assert all(lazy[name] is eager[name] for name in eager)  # the same memoised panels
