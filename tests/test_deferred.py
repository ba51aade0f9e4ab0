"""The overview's timeline waits below the first screen until the reader nears it (sections.deferred): its first
run draws a placeholder of the section's height that asks for one rerun; then, and in every later rerun of the
session, the timeline is drawn. A link that opens a visit draws it at once, since the visit's details are there.
(In a browser: tests/test_first_screen.py, one chart on the first screen, the timeline once scrolled to.)"""

from __future__ import annotations

import json

from conftest import chart_specs, new_app
from waiting import run_app

from components import figures, view
from components.sections import deferred, visits
from components.web import resources


def _first_run(query: dict[str, str] | None = None):
    at = new_app(60, scrolled=False)
    at.query_params.update(query or {})
    return run_app(at)


def _watches(at) -> list[dict]:
    """The placeholders asking for a section, with the data they were drawn with."""
    return [json.loads(e.proto.json) for e in at.get("bidi_component") if e.proto.component_name == "vncn_when_near"]


def test_the_first_run_holds_the_timelines_place_and_draws_only_the_trade_chart():
    at = _first_run()
    assert set(chart_specs(at)) == {"trade"}
    assert "High-level visits" in [h.value for h in at.header]  # its heading is on the page, for a reader scanning
    (watch,) = _watches(at)
    data = resources.current_data()
    timeline = figures.build(data.ds, view.from_query({}, data.choices), data.choices, ["timeline"])["timeline"]
    assert watch["height"] == timeline.figure.layout.height + visits.PLACEHOLDER_EXTRA
    assert watch["text"] == "Drawing the timeline…" and watch["margin"] == deferred.NEAR


def test_once_asked_for_the_timeline_is_drawn_and_stays_drawn():
    at = _first_run()
    at.session_state[deferred.seen_key("timeline")] = True  # what the placeholder's rerun sets
    run_app(at)
    assert set(chart_specs(at)) == {"trade", "timeline"} and not _watches(at)
    at.slider(key="f_years").set_value((2010, 2020))
    run_app(at)  # a later rerun (a filter changed): drawn at once, no placeholder again
    assert set(chart_specs(at)) == {"trade", "timeline"} and not _watches(at)


def test_a_link_to_a_visit_draws_the_timeline_and_the_visit_at_once(ds):
    visit = ds.visits["visit_id"].iloc[-1]
    at = _first_run({"visit": visit})
    assert {"trade", "timeline"} <= set(chart_specs(at)) and not _watches(at)
    assert at.selectbox(key="f_visit").value == visit


def test_the_placeholder_is_in_the_readers_language():
    at = _first_run({"lang": "vi"})
    (watch,) = _watches(at)
    assert watch["text"] == "Đang vẽ dòng thời gian…"


def test_a_filter_with_no_visit_says_so_at_once_without_a_placeholder():
    at = _first_run({"q": "zzzzqqq"})
    assert not _watches(at) and "timeline" not in chart_specs(at)
    assert any("No visit matches these filters" in i.value for i in at.info)
