"""The page under streamlit.testing.v1.AppTest: default render, every filter, the URL view, hostile links,
a broken dataset, and no image export on a plain rerun."""

from __future__ import annotations

import shutil

import pytest
from conftest import (
    APP,
    all_text,
    array_len,
    chart_specs,
    new_app,
    on_page,
    share_link,
    timeline_points,
    visits_metric,
)

from components import view as view_mod
from components.dataset import fold

CHART_NAMES = ("trade", "ytd", "mirror", "timeline", "fdi", "tourists")
REPORTER_LABELS = {"Vietnam-reported", "China-reported"}


def run_ok(at):
    """Run (or rerun) and insist the page drew without an exception or an error box."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def years_of(values) -> list[int]:
    return [int(str(v)[:4]) for v in values]


def trade_reporters(spec: dict) -> set[str]:
    """Reporter labels carried by the trade lines' hover data (cells equal to a reporter label)."""
    found = set()
    for trace in spec["data"]:
        for row in trace.get("customdata") or []:
            if isinstance(row, list):
                found |= {cell for cell in row if cell in REPORTER_LABELS}
    return found


def timeline_ids(spec: dict) -> set[str]:
    ids = set()
    for trace in spec["data"]:
        if trace.get("name") == "Selected visit":
            continue
        ids |= {row[0] for row in trace.get("customdata") or []}
    return ids


def assert_visits_shown(at, expected) -> None:
    """The metric, the timeline's markers and the visit ids in the timeline all equal the expected visits."""
    expected_ids = set(expected["visit_id"])
    assert visits_metric(at) == len(expected_ids)
    spec = chart_specs(at)["timeline"]
    assert timeline_points(spec) == len(expected_ids)
    assert timeline_ids(spec) == expected_ids


# ---------------------------------------------------------------- default page


def test_default_page_renders(app, ds):
    at = run_ok(app)
    assert len(at.metric) == 4
    assert visits_metric(at) == len(ds.visits)
    assert not at.warning, "a plain link must not warn"
    specs = chart_specs(at)
    assert timeline_points(specs["timeline"]) == len(ds.visits)
    # the share link of the default view carries no parameters
    assert "?" not in share_link(at) and "=" not in share_link(at)
    on_page(at, "trade")  # the other charts
    specs |= chart_specs(at)
    assert set(CHART_NAMES) <= set(specs)
    for element in at.get("plotly_chart"):
        assert element.proto.alt.strip(), f"chart {element.proto.id} has no alt text"
    for name, spec in specs.items():
        points = sum(array_len(t.get("x")) + array_len(t.get("y")) for t in spec["data"])
        assert points > 0, f"chart {name} has no data"
        assert spec["layout"].get("meta", {}).get("title"), f"chart {name} has no title"


# ---------------------------------------------------------------- filters


def test_years_slider_narrows_trade_chart(app, ds):
    at = run_ok(app)
    before = chart_specs(at)["trade"]
    at.slider(key="f_years").set_value((2010, 2015))
    run_ok(at)
    after = chart_specs(at)["trade"]
    x_range = after["layout"]["xaxis"]["range"]
    assert years_of(x_range) == [2010, 2015]
    n_before = sum(array_len(t.get("x")) for t in before["data"])
    n_after = sum(array_len(t.get("x")) for t in after["data"])
    assert 0 < n_after < n_before
    for trace in after["data"]:
        assert all(2010 <= y <= 2015 for y in years_of(trace.get("x") or [])), trace.get("name")
    expected = ds.visits[ds.visits["start_date"].dt.year.between(2010, 2015)]
    assert_visits_shown(at, expected)
    assert "from=2010" in share_link(at) and "to=2015" in share_link(at)


@pytest.mark.parametrize(
    ("mode", "reporters", "title_words"),
    [
        ("VN", {"Vietnam-reported"}, "as Vietnam reports it"),
        ("CN", {"China-reported"}, "as China reports it"),
        ("both", {"Vietnam-reported", "China-reported"}, "as each side reports it"),
    ],
)
def test_reporter_changes_trade_traces(app, mode, reporters, title_words):
    at = run_ok(app)
    default_names = [t.get("name") for t in chart_specs(at)["trade"]["data"]]
    at.radio(key="f_reporter").set_value(mode)
    run_ok(at)
    spec = chart_specs(at)["trade"]
    assert title_words in spec["layout"]["meta"]["title"]
    assert trade_reporters(spec) == reporters
    names = " | ".join(t.get("name", "") for t in spec["data"])
    if mode == "both":
        assert "China-reported" in names and "Vietnam-reported" in names
        assert len(spec["data"]) > len(default_names)
    else:
        assert "China-reported" not in names and "Vietnam-reported" not in names
    if mode != "VN":
        assert f"reporter={mode.lower()}" in share_link(at)


def _most_frequent_visitor(ds) -> str:
    return ds.visits["visitor"].value_counts().index[0]


def _of_type(visits, types):
    """A visit's own type, or the type of the bilateral part of a summit trip (a state visit during APEC)."""
    return visits["visit_type"].isin(types) | visits["bilateral_part"].isin(types)


@pytest.mark.parametrize(
    ("key", "value", "select"),
    [
        ("f_dir", ["cn_to_vn"], lambda v: v["direction"] == "cn_to_vn"),
        ("f_office", ["party_chief"], lambda v: v["office"] == "party_chief"),
        ("f_type", ["state"], lambda v: _of_type(v, ["state"])),
        ("f_type", ["state", "official"], lambda v: _of_type(v, ["state", "official"])),
    ],
    ids=["direction", "office", "type", "two-types"],
)
def test_visit_filters_narrow_timeline(app, ds, key, value, select):
    at = run_ok(app)
    at.multiselect(key=key).set_value(value)
    run_ok(at)
    expected = ds.visits[select(ds.visits)]
    assert 0 < len(expected) < len(ds.visits)
    assert_visits_shown(at, expected)


def test_visitor_filter(app, ds):
    name = _most_frequent_visitor(ds)
    at = run_ok(app)
    at.multiselect(key="f_visitor").set_value([name])
    at.radio(key="f_role").set_value("visited")  # names as the visitor (default: visitor or host, issue 13)
    run_ok(at)
    expected = ds.visits[ds.visits["visitor"] == name]
    assert len(expected) > 1
    assert_visits_shown(at, expected)


def test_search_is_accent_insensitive(app, ds):
    at = run_ok(app)
    at.text_input(key="f_q").set_value("Trong")
    run_ok(at)
    n = visits_metric(at)
    trong = ds.visits[ds.visits["visitor"] == "Nguyễn Phú Trọng"]
    assert len(trong) > 0
    assert len(trong) <= n < len(ds.visits)
    ids = timeline_ids(chart_specs(at)["timeline"])
    assert set(trong["visit_id"]) <= ids
    assert timeline_points(chart_specs(at)["timeline"]) == n
    shown = ds.visits[ds.visits["visit_id"].isin(ids)]
    assert shown["search_text"].str.contains("trong").all()
    # the accented spelling finds the same visits
    at.text_input(key="f_q").set_value("Trọng")
    run_ok(at)
    assert timeline_ids(chart_specs(at)["timeline"]) == ids
    assert "q=" in share_link(at)


def test_group_by_direction_changes_rows(app, ds):
    at = run_ok(app)
    offices = {y for t in chart_specs(at)["timeline"]["data"] for y in t["y"]}
    assert len(offices) > 2
    at.radio(key="f_group").set_value("direction")
    run_ok(at)
    spec = chart_specs(at)["timeline"]
    rows = {y for t in spec["data"] for y in t["y"]}
    assert rows == {"Vietnam → China", "China → Vietnam"}
    assert set(spec["layout"]["yaxis"]["categoryarray"]) == rows
    assert "by direction" in spec["layout"]["meta"]["title"]


def test_selecting_a_visit_shows_details_with_sources(app, ds):
    at = run_ok(app)
    visit = ds.visits.sort_values("start_date").iloc[-5]
    at.selectbox(key="f_visit").set_value(visit["visit_id"])
    run_ok(at)
    texts = [m.value for m in at.markdown]
    assert any(visit["visitor"] in t for t in texts)
    sources = [t for t in texts if t.startswith("**Sources:**")]
    assert sources and "http" in sources[0]
    n_cited = len(visit["source_ids"].split(";"))
    assert sources[0].count("](http") == n_cited
    assert f"visit={visit['visit_id']}" in share_link(at)


def test_filter_that_leaves_nothing_shows_info(app):
    at = run_ok(app)
    at.text_input(key="f_q").set_value("zzzzqqq")
    run_ok(at)
    assert "timeline" not in chart_specs(at)
    assert any("No visit matches" in i.value for i in at.info)
    assert visits_metric(at) == 0
    assert "chart_trade" in {e.proto.id.rsplit("-", 1)[-1] for e in at.get("plotly_chart")}


# ---------------------------------------------------------------- URL view


def test_url_view_applies(app, ds):
    app.query_params.update({"from": "2015", "to": "2020", "reporter": "both", "office": "party_chief"})
    at = run_ok(app)
    assert not at.warning
    assert tuple(at.slider(key="f_years").value) == (2015, 2020)
    assert at.radio(key="f_reporter").value == "both"
    assert at.multiselect(key="f_office").value == ["party_chief"]
    specs = chart_specs(at)
    assert years_of(specs["trade"]["layout"]["xaxis"]["range"]) == [2015, 2020]
    assert trade_reporters(specs["trade"]) == REPORTER_LABELS
    v = ds.visits
    expected = v[v["start_date"].dt.year.between(2015, 2020) & (v["office"] == "party_chief")]
    assert len(expected) > 0
    assert_visits_shown(at, expected)
    link = share_link(at)
    for part in ("from=2015", "to=2020", "reporter=both", "office=party_chief"):
        assert part in link
    # a rerun keeps the view (the URL is read once, the widgets then own it)
    run_ok(at)
    assert tuple(at.slider(key="f_years").value) == (2015, 2020)


LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
VALID = {"to": "2020", "reporter": "both", "dir": "cn_to_vn"}


def _default(key):
    return {
        "f_years": None,  # filled in with the data's ends
        "f_reporter": "VN",
        "f_dir": [],
        "f_office": [],
        "f_type": [],
        "f_visitor": [],
        "f_q": "",
        "f_group": "office",
        "f_visit": None,
    }[key]


HOSTILE = [
    # (parameters, the name the notice must show, the widget that must keep its default)
    ({"from": "abc"}, "from", "f_years"),
    ({"from": "1850"}, "from", "f_years"),
    ({"to": "99999999999999999999"}, "to", "f_years"),
    ({"to": "-2020"}, "to", "f_years"),
    ({"colour": "red"}, "colour", None),
    ({"reporter": "martian"}, "reporter", "f_reporter"),
    ({"reporter": SCRIPT}, "reporter", "f_reporter"),
    ({"office": "emperor"}, "office", "f_office"),
    ({"type": SCRIPT}, "type", "f_type"),
    ({"visitor": LONG}, "visitor", "f_visitor"),
    ({"q": SCRIPT}, "q", "f_q"),
    ({"q": LONG}, "q", "f_q"),
    ({"group": SCRIPT}, "group", "f_group"),
    ({"visit": "no-such-visit"}, "visit", "f_visit"),
    ({SCRIPT: "1"}, "scriptalert1script", None),
    ({"from": "2020", "to": "2010"}, "from", "f_years"),
]


def _check_hostile(at, choices, bad: dict, name: str, widget: str | None, valid: dict) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    warnings = " ".join(w.value for w in at.warning)
    assert warnings, "a bad parameter must be named in a notice"
    assert f"&#x27;{name}&#x27;" in warnings or f"'{name}'" in warnings, warnings
    for text in all_text(at):
        assert "<script" not in text.lower()
    assert LONG not in " ".join(all_text(at))
    if widget == "f_years":
        shown = tuple(at.slider(key="f_years").value)
        if "to" in valid:
            assert shown[1] == int(valid["to"])
        else:
            assert shown == (choices.first_year, choices.last_year)
        if "from" in bad and "to" not in bad:
            assert shown[0] == choices.first_year
    elif widget == "f_visit":
        assert at.selectbox(key="f_visit").value is None
    elif widget is not None:
        element = {
            "f_reporter": at.radio,
            "f_group": at.radio,
            "f_dir": at.multiselect,
            "f_office": at.multiselect,
            "f_type": at.multiselect,
            "f_visitor": at.multiselect,
            "f_q": at.text_input,
        }[widget](key=widget)
        assert element.value == _default(widget)
    # the valid parameters given alongside are in force
    if "reporter" in valid:
        assert at.radio(key="f_reporter").value == "both"
    if "dir" in valid:
        assert at.multiselect(key="f_dir").value == ["cn_to_vn"]
    if "to" in valid:
        assert tuple(at.slider(key="f_years").value)[1] == 2020
    link = share_link(at)
    assert "<" not in link and "x" * 100 not in link
    for key, value in valid.items():
        assert f"{key}={value}" in link


@pytest.mark.parametrize("mixed", [False, True], ids=["alone", "with-valid"])
@pytest.mark.parametrize(("bad", "name", "widget"), HOSTILE, ids=[f"{i}-{h[1]}" for i, h in enumerate(HOSTILE)])
def test_hostile_url_parameter(app, choices, bad, name, widget, mixed):
    valid = {k: v for k, v in VALID.items() if k not in bad and not (k == "to" and "from" in bad)} if mixed else {}
    app.query_params.update({**valid, **bad})
    at = app.run()
    _check_hostile(at, choices, bad, name, widget, valid)


def test_all_hostile_parameters_at_once(app, choices):
    app.query_params.update(
        {"from": "abc", "to": "2020", "reporter": SCRIPT, SCRIPT: "1", "q": LONG, "office": "party_chief,emperor"}
    )
    at = app.run()
    assert not at.exception and not at.error
    warnings = " ".join(w.value for w in at.warning)
    for name in ("from", "reporter", "scriptalert1script", "q", "office"):
        assert name in warnings
    assert "<script" not in " ".join(all_text(at)).lower()
    assert at.multiselect(key="f_office").value == ["party_chief"]  # the known value of a mixed list is kept
    assert at.radio(key="f_reporter").value == "VN"
    assert tuple(at.slider(key="f_years").value) == (choices.first_year, 2020)


def test_share_link_round_trip(app, ds, choices):
    """Every parameter at once: the view applies, and the share link is the same query, reopening the same view."""
    from urllib.parse import parse_qsl, urlsplit

    name = _most_frequent_visitor(ds)
    theirs = ds.visits[ds.visits["visitor"] == name].sort_values("start_date")
    first, last = int(theirs["start_date"].dt.year.min()), int(theirs["start_date"].dt.year.max())
    # their latest visit whose dates no source disputes (a disputed one shows its date versions as a warning)
    visit = theirs[~theirs["visit_id"].isin(ds.visit_date_versions["visit_id"])].iloc[-1]
    params = {
        "from": str(first),
        "to": str(last),
        "reporter": "cn",
        "dir": visit["direction"],
        "office": visit["office"],
        "type": visit["visit_type"],
        "visitor": name,
        "q": fold(name).split()[-1],
        "group": "direction",
        "visit": visit["visit_id"],
        "lang": "vi",
        "measure": "index",
        "scale": "log",
        "ytd": "cn-vn_to_cn",
        "role": "visited",
        "milestones": "off",
    }
    # every parameter but chart= (which shows one chart alone, with no filters: tests/test_pages.py) and recent=
    # (the latest twelve months hold none of this person's visits: tests/test_reader_data.py)
    assert list(params) == [p for p in view_mod.PARAMS if p not in ("chart", "recent")]
    app.query_params.update(params)
    at = run_ok(app)
    assert not at.warning
    assert at.radio(key="f_reporter").value == "CN"
    assert at.radio(key="f_group").value == "direction"
    assert at.multiselect(key="f_visitor").value == [name]
    assert at.selectbox(key="f_visit").value == visit["visit_id"]
    assert at.toggle(key="f_milestones").value is False
    n = visits_metric(at)
    assert n >= 1
    link = share_link(at)
    ends = {"from": str(choices.first_year), "to": str(choices.last_year)}  # the data's ends drop out of a link
    assert dict(parse_qsl(urlsplit(link).query)) == {k: v for k, v in params.items() if ends.get(k) != v}

    again = new_app(60)
    again.query_params.update(dict(parse_qsl(urlsplit(link).query)))
    run_ok(again)
    assert visits_metric(again) == n
    assert share_link(again) == link
    assert chart_specs(again)["timeline"] == chart_specs(at)["timeline"]


# ---------------------------------------------------------------- broken dataset


def test_broken_dataset_shows_error_not_traceback(app, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(APP.parent / "data", data)
    trade = data / "trade.csv"
    lines = trade.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[2].split(",")
    fields[4] = "not-a-number"  # value_usd_bn on file line 3
    lines[2] = ",".join(fields)
    trade.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.error, "a broken dataset must show an error"
    report = "\n".join(c.value for c in at.code)
    assert "trade.csv" in report and "line 3" in report, report
    assert "value_usd_bn" in report
    assert not at.get("plotly_chart")


# ---------------------------------------------------------------- export stays out of reruns


def test_plain_rerun_never_exports(app, monkeypatch):
    import kaleido
    import plotly.basedatatypes
    import plotly.io

    from components import export

    calls = []

    def recorder(name):
        def record(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} called during a plain run")

        return record

    monkeypatch.setattr(export, "image_bytes", recorder("export.image_bytes"))
    monkeypatch.setattr(export, "warm_renderer", recorder("export.warm_renderer"))
    monkeypatch.setattr(export, "_start", recorder("export._start"))  # the browser start
    monkeypatch.setattr(export, "_render", recorder("export._render"))
    monkeypatch.setattr(plotly.io, "to_image", recorder("plotly.io.to_image"))
    monkeypatch.setattr(plotly.io, "write_image", recorder("plotly.io.write_image"))
    monkeypatch.setattr(plotly.basedatatypes.BaseFigure, "to_image", recorder("Figure.to_image"))
    monkeypatch.setattr(plotly.basedatatypes.BaseFigure, "write_image", recorder("Figure.write_image"))
    for name in ("calc_fig_sync", "write_fig_sync", "start_sync_server"):
        if hasattr(kaleido, name):
            monkeypatch.setattr(kaleido, name, recorder(f"kaleido.{name}"))

    at = run_ok(app)
    at.radio(key="f_reporter").set_value("both")
    run_ok(at)
    at.slider(key="f_years").set_value((2012, 2020))
    run_ok(at)
    run_ok(at)
    on_page(at, "trade")
    assert calls == []
    buttons = {b.key: b.label for b in at.get("download_button")}
    for name in set(CHART_NAMES) - {"timeline"}:  # the timeline is on the overview and /visits
        assert buttons.get(f"png_{name}") == "Download PNG", buttons


def test_fold_is_what_search_uses():
    """Sanity for the search test above: folding drops the Vietnamese diacritics."""
    assert fold("Nguyễn Phú Trọng") == "nguyen phu trong"


def test_reset_restores_every_default_and_clears_the_link(app, ds):
    app.query_params.update({"from": "2015", "reporter": "both", "office": "party_chief", "q": "Trong"})
    at = run_ok(app)
    assert visits_metric(at) < len(ds.visits)
    reset = next(b for b in at.button if b.label == "Reset all filters")
    reset.click()
    at = run_ok(at)
    assert at.radio(key="f_reporter").value == "VN"
    assert at.multiselect(key="f_office").value == []
    assert at.text_input(key="f_q").value == ""
    assert visits_metric(at) == len(ds.visits)
    assert "?" not in share_link(at)  # the share link is back to the bare page
