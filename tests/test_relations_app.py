"""Issue 21 on the pages (AppTest, real data/): the goods panel on /trade, the documents chart and the milestones
list on /visits, a visit's count of documents in its details, the milestones switch, in all three languages."""

from __future__ import annotations

import json

import pytest
from conftest import chart_specs, new_app, on_page
from waiting import run_app

from components import figures, i18n
from components.view import Choices, View

CHECKED_VISIT = "2023-12-xi-jinping"  # a summit whose sources state a count (research-visits, issue 21)


@pytest.fixture
def app():
    return new_app(60)


def _milestone_shapes(spec: dict) -> list[str]:
    return [s["name"] for s in spec["layout"].get("shapes", []) if str(s.get("name", "")).startswith("milestone:")]


def _texts(at) -> str:
    return " ".join(
        [*(m.value for m in at.markdown), *(h.value for h in at.header), *(s.value for s in at.subheader)]
        + [c.value for c in at.caption]
    )


@pytest.mark.parametrize("lang", ["en", "vi", "zh"])
def test_trade_page_has_the_goods_panel(app, ds, lang):
    t = i18n.translator(lang)
    app.query_params["lang"] = lang
    run_app(app)
    on_page(app, "trade")
    assert t("What is traded") in [h.value for h in app.header]
    panel = figures.build(ds, View(lang=lang), Choices.from_dataset(ds), ["goods"])["goods"]
    if panel.empty:  # no full-year rows in data/goods.csv yet
        assert panel.empty in [i.value for i in app.info]
        return
    goods = chart_specs(app)["goods"]
    assert [trace["name"] for trace in goods["data"]] == [trace.name for trace in panel.figure.data]
    preferred = ds.goods[ds.goods["preferred"] & ds.goods["full_year"] & (ds.goods["reporter"] == "VN")]
    assert t(preferred.sort_values("value_usd_bn").iloc[-1]["group"]) in {tr["name"] for tr in goods["data"]}
    plot = next(el for el in app.get("plotly_chart") if el.proto.id.endswith("chart_goods"))
    assert plot.proto.alt == panel.alt and panel.note in [c.value for c in app.caption]
    if (~ds.goods["full_year"]).any():
        assert t("Part-year figures, listed apart (never drawn as a year)") in _texts(app).replace("**", "")


@pytest.mark.parametrize("lang", ["en", "vi", "zh"])
def test_visits_page_lists_milestones_and_draws_documents(app, ds, lang):
    t = i18n.translator(lang)
    app.query_params["lang"] = lang
    run_app(app)
    on_page(app, "visits")
    heads = [h.value for h in app.header] + [s.value for s in app.subheader]
    assert t("Milestones of the relationship") in heads and t("Documents signed per visit") in heads
    specs = chart_specs(app)
    assert "documents" in specs
    counted = ds.visits[ds.visits["documents_signed"].notna()]
    if len(counted):
        drawn = sum(len(trace["y"]) if isinstance(trace["y"], list) else 0 for trace in specs["documents"]["data"])
        assert drawn in (0, len(counted))  # typed arrays reach AppTest undecoded; the figure tests count them
        table = next(df.value for df in app.dataframe if "title" in df.value.columns)
        assert list(table["title"]) == [t(x) for x in ds.milestones.sort_values("date", kind="stable")["title"]]
        assert table["source_url"].str.startswith("http").all()


def test_a_visit_with_a_stated_count_shows_it_in_its_details(app, ds):
    visit = ds.visits.set_index("visit_id").loc[CHECKED_VISIT]
    if visit["documents_signed"] != visit["documents_signed"]:
        pytest.fail(f"{CHECKED_VISIT} has no count of documents signed in data/visits.csv")
    app.query_params["visit"] = CHECKED_VISIT
    run_app(app)
    on_page(app, "visits")
    line = next(m.value for m in app.markdown if m.value.startswith("**Documents signed:**"))
    assert f"** {int(visit['documents_signed'])} — count stated by [" in line
    for sid in visit["documents_source_ids"].split(";"):
        assert ds.sources.set_index("source_id").loc[sid, "url"] in line
    around = next(el for el in app.get("plotly_chart") if el.proto.id.endswith("chart_visit_trade"))
    assert f"{int(visit['documents_signed'])} documents were signed during the visit" in around.proto.alt


def test_the_milestones_switch_in_the_link(app, ds):
    run_app(app)
    shown = chart_specs(app)
    assert len(_milestone_shapes(shown["trade"])) == len(_milestone_shapes(shown["timeline"])) > 0
    assert app.toggle(key="f_milestones").value is True
    app.toggle(key="f_milestones").set_value(False)
    run_app(app)
    hidden = chart_specs(app)
    assert _milestone_shapes(hidden["trade"]) == [] and _milestone_shapes(hidden["timeline"]) == []
    assert app.query_params.get("milestones") in (["off"], "off")


def test_milestones_off_in_a_link(app):
    app.query_params["milestones"] = "off"
    run_app(app)
    assert app.toggle(key="f_milestones").value is False
    assert _milestone_shapes(chart_specs(app)["trade"]) == []


def test_a_bad_milestones_value_is_named_and_ignored(app):
    app.query_params["milestones"] = "sometimes"
    run_app(app)
    assert any("&#x27;milestones&#x27;" in w.value for w in app.warning)  # escaped, as every notice
    assert app.toggle(key="f_milestones").value is True
    assert _milestone_shapes(chart_specs(app)["trade"])


def test_the_trade_table_lists_the_milestones(app, ds):
    run_app(app)
    on_page(app, "trade")
    table = next(df.value for df in app.dataframe if "milestone" in df.value.columns)
    rows = table[table["milestone"].notna()]
    choices = Choices.from_dataset(ds)
    years = ds.milestones["date"].dt.year
    assert len(rows) == int(years.between(choices.first_year, choices.last_year).sum()) > 0
    assert json.dumps(list(rows["source_url"])).count("http") == len(rows)
