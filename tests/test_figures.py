"""The pure figure builders on a tiny dataset: trace names, values, hover text naming the source, visit markers
with their ids, partial years as markers only; figures.build returns every panel with alt text and a table."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers_data import real, real_choices, tiny

from components import figures, filtering, theme
from components.filtering import COMPUTED_TOTAL
from components.indicator_charts import indicator_chart
from components.timeline import visit_timeline
from components.trade_charts import mirror_statistics, trade_over_time
from components.view import Choices, View

PANELS = {"trade", "mirror", "ytd", "timeline", "fdi", "tourists", "visit_trade", "goods", "documents"}
RELATIONS = {"goods", "documents"}  # drawn from the issue-21 tables (tests/test_relations_figures.py)
VN_SOURCE = "Vietnam Customs Press, 2024-01-15"
CN_SOURCE = "GACC Newsroom, 2024-01-20"
VN_HOVER = "Source: Vietnam customs yearbook — Vietnam Customs Press, 15 Jan 2024"  # title, publisher, date
CN_HOVER = "Source: China customs release — GACC Newsroom, 20 Jan 2024"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return tiny(tmp_path_factory.mktemp("figures"))


@pytest.fixture(scope="module")
def small_choices(small):
    return Choices.from_dataset(small)


def _trace(fig, name):
    found = [t for t in fig.data if t.name.replace("<br>", " ") == name]  # long legend names wrap
    assert len(found) == 1, (name, [t.name for t in fig.data])
    return found[0]


def _dates(values) -> list[str]:
    return [f"{d:%Y-%m-%d}" for d in pd.to_datetime(list(values))]


def _column(trace, i) -> list:
    return [row[i] for row in trace.customdata]


def _hover(trace) -> list[str]:
    """The text a hover shows: the template with each point's customdata and hovertext filled in."""
    out = []
    for j in range(len(trace.x)):
        text = trace.hovertemplate or ""
        if trace.customdata is not None:
            for i, value in enumerate(trace.customdata[j]):
                text = text.replace(f"%{{customdata[{i}]}}", str(value))
        if trace.hovertext is not None:
            text = text.replace("%{hovertext}", str(trace.hovertext[j]))
        out.append(text)
    return out


# ---------------------------------------------------------------- trade over time


@pytest.fixture(scope="module")
def trade_fig(small, small_choices):
    data = filtering.apply(small, View(), small_choices)
    return trade_over_time(
        data.annual, data.versions, data.visits, years=(2022, 2024), title="Trade", selected_visit="2024-08-to-lam"
    )


def test_trade_traces_are_named_by_flow(trade_fig):
    names = [t.name for t in trade_fig.data]
    for flow in ("vn_to_cn", "cn_to_vn", "total", "balance"):
        assert theme.FLOW_LABELS[flow] in names
    assert "Other reported versions" in names
    assert "Visits Vietnam → China" in names and "Visits China → Vietnam" in names
    assert trade_fig.layout.meta["title"] == "Trade" and not trade_fig.layout.title.text  # the page shows it as text


def test_trade_values_on_mid_year_dates(trade_fig):
    exports = _trace(trade_fig, theme.FLOW_LABELS["vn_to_cn"])
    assert list(exports.y) == [10.0, 12.0]
    assert _dates(exports.x) == ["2022-07-01", "2023-07-01"]
    assert exports.mode == "lines+markers"
    balance = _trace(trade_fig, theme.FLOW_LABELS["balance"])
    assert list(balance.y) == pytest.approx([-20.0, -21.0])
    total = _trace(trade_fig, theme.FLOW_LABELS["total"])
    assert list(total.y) == pytest.approx([40.0, 45.5])
    # a preliminary value gets an open marker
    assert list(total.marker.symbol) == ["circle", "circle-open"]


def test_trade_hover_names_the_source_or_the_computation(trade_fig):
    exports = _trace(trade_fig, theme.FLOW_LABELS["vn_to_cn"])
    assert "%{customdata[2]}" in exports.hovertemplate
    for text in _hover(exports):
        assert VN_HOVER in text
        assert "other version" not in text  # one version only
    assert [row[3] for row in exports.customdata] == ["US$10.0 bn", "US$12.0 bn"]  # the one formatter
    total = [t.replace("<br>", " ") for t in _hover(_trace(trade_fig, theme.FLOW_LABELS["total"]))]
    assert COMPUTED_TOTAL in total[0]  # 2022: computed here
    assert VN_HOVER in total[1]  # 2023: stated
    assert "2 other versions" in total[1]  # 44.0 and a second 45.5 are in the data
    assert "(preliminary)" in total[1]
    assert "US$45.5 bn" in total[1]


def test_trade_other_versions_name_their_source(trade_fig):
    versions = _trace(trade_fig, "Other reported versions")
    assert list(versions.y) == [44.0]
    assert versions.mode == "markers"
    text = _hover(versions)[0]
    assert "A newspaper — Daily Paper, 2023" in text
    assert "about US$44.0 bn" in text  # the source's qualifier, in words
    assert _column(versions, 1) == ["US$45.5 bn"]


def test_trade_visit_strip_markers(trade_fig):
    out = _trace(trade_fig, "Visits Vietnam → China")
    assert out.mode == "markers"
    assert out.marker.symbol == "diamond"
    ids = _column(out, 0)
    assert set(ids) == {"2022-10-nguyen-phu-trong", "2023-06-pham-minh-chinh", "2024-08-to-lam"}
    for visit_id, text in zip(ids, _hover(out), strict=True):
        visitor = {"2022-10-nguyen-phu-trong": "Nguyễn Phú Trọng", "2023-06-pham-minh-chinh": "Phạm Minh Chính"}.get(
            visit_id, "Tô Lâm"
        )
        assert visitor in text
    inbound = _trace(trade_fig, "Visits China → Vietnam")
    assert set(_column(inbound, 0)) == {"2023-12-xi-jinping", "2022-09-li-zhanshu"}
    assert any("Xi Jinping" in t for t in _hover(inbound))


def test_trade_selected_visit_is_marked(trade_fig):
    assert len(trade_fig.layout.shapes) == 1
    assert f"{pd.Timestamp(trade_fig.layout.shapes[0].x0):%Y-%m-%d}" == "2024-08-18"


def test_trade_with_both_reporters_names_the_reporter(small, small_choices):
    data = filtering.apply(small, View(reporter="both"), small_choices)
    fig = trade_over_time(data.annual, data.versions, data.visits.iloc[:0], years=(2022, 2024), title="t")
    cn = _trace(fig, f"{theme.FLOW_LABELS['vn_to_cn']} — {theme.REPORTER_LABELS['CN']}")
    assert list(cn.y) == [14.0]
    assert cn.line.dash == theme.REPORTER_DASH["CN"]
    assert all(CN_HOVER in t for t in _hover(cn))
    assert not any((t.name or "").startswith("Visits") for t in fig.data)


def test_trade_line_breaks_at_a_missing_year(tmp_path):
    from helpers_data import trade_row

    rows = [trade_row("VN", y, "vn_to_cn", float(y - 2000)) for y in (2020, 2021, 2023)]
    small = tiny(tmp_path, trade=rows)
    series = filtering.annual_series(small.trade)
    fig = trade_over_time(series, series.iloc[:0], small.visits.iloc[:0], years=(2020, 2023), title="t")
    exports = _trace(fig, theme.FLOW_LABELS["vn_to_cn"])
    assert len(exports.y) == 4
    assert pd.isna(exports.y[2])  # 2022: no value, so no line across it


# ---------------------------------------------------------------- mirror, partial, timeline, indicators


def test_mirror_statistics(small):
    mirror = filtering.mirror_table(filtering.annual_series(small.trade))
    fig = mirror_statistics(mirror, years=(2022, 2024), title="Mirror")
    vn = _trace(fig, f"{theme.FLOW_LABELS['vn_to_cn']} — {theme.REPORTER_LABELS['VN']}")
    cn = _trace(fig, f"{theme.FLOW_LABELS['vn_to_cn']} — {theme.REPORTER_LABELS['CN']}")
    # each side's own figures where they exist: Vietnam's 2022 is drawn although China has none
    assert list(vn.y) == [10.0, 12.0]
    cn_y, gap_y = list(cn.y), None
    assert pd.isna(cn_y[0]) and cn_y[1] == 14.0
    gap = _trace(fig, f"Gap: {theme.FLOW_LABELS['total']}")
    assert gap.type == "bar"
    gap_y = list(gap.y)
    assert pd.isna(gap_y[0])  # no gap without both
    assert gap_y[1] == round(100 * 8.5 / 45.5, 2)  # a hundredth of a point, as the CSV
    assert _column(gap, 1)[1] == "+US$8.5 bn"


@pytest.mark.parametrize("group_by", ["office", "direction"])
def test_visit_timeline(small, group_by):
    fig = visit_timeline(
        small.visits, group_by=group_by, years=(2022, 2024), title="Visits", selected="2023-12-xi-jinping"
    )
    out = _trace(fig, "Vietnam → China (3)")
    inbound = _trace(fig, "China → Vietnam (2)")
    assert out.marker.color == theme.DIRECTION_COLOURS["vn_to_cn"]
    assert inbound.marker.color == theme.DIRECTION_COLOURS["cn_to_vn"]
    ids = _column(out, 0)
    assert set(ids) == {"2022-10-nguyen-phu-trong", "2023-06-pham-minh-chinh", "2024-08-to-lam"}
    visitors = dict(zip(small.visits["visit_id"], small.visits["visitor"], strict=True))
    for visit_id, text in zip(ids, _hover(out), strict=True):
        assert visitors[visit_id] in text
    labels = theme.OFFICE_LABELS if group_by == "office" else theme.DIRECTION_LABELS
    assert set(out.y) <= set(labels.values())
    selected = _trace(fig, "Selected visit")
    assert _dates(selected.x) == ["2023-12-12"]


def test_visit_timeline_hover_shows_the_bilateral_part(small):
    fig = visit_timeline(small.visits, group_by="office", years=(2022, 2024), title="Visits")
    texts = _hover(_trace(fig, "Vietnam → China (3)"))
    chinh = next(t for t in texts if "Phạm Minh Chính" in t)
    assert "Multilateral + bilateral (official visit)" in chinh


def test_indicator_chart(small):
    rows = small.indicators[small.indicators["indicator"] == "fdi_registered_capital_usd_bn"]
    fig = indicator_chart(rows, title="FDI", unit="US$ billion", colour=theme.VERMILLION)
    bars = _trace(fig, "Full year")
    assert bars.type == "bar"
    assert list(bars.y) == [2.5]
    assert f"Source: {VN_SOURCE}" in _hover(bars)[0]
    part = _trace(fig, "Part of the year (tap or hover for the months)")
    assert part.mode == "markers"
    assert list(part.y) == [1.5]
    assert "Jan–Jun 2023" in _hover(part)[0]
    tourists = small.indicators[small.indicators["indicator"] == "tourist_arrivals_mn"]
    fig = indicator_chart(tourists, title="Tourists", unit="million arrivals")
    other = _trace(fig, "Other reported versions")
    assert list(other.y) == [1.7]
    assert "Source: Daily Paper, 2023" in _hover(other)[0]


# ---------------------------------------------------------------- build


def test_build_returns_every_panel_with_alt_text_and_a_table(small, small_choices):
    panels = figures.build(small, View(visit="2023-12-xi-jinping"), small_choices)  # a visit: every panel draws
    assert set(panels) == PANELS
    for name, panel in ((n, p) for n, p in panels.items() if n not in RELATIONS):  # the tiny has no goods rows
        assert panel.name == name
        assert panel.alt.strip(), name
        assert panel.title.strip(), name
        assert isinstance(panel.table, pd.DataFrame), name
        assert len(panel.table) > 0, name
        assert panel.empty == "", name
        assert panel.figure.data, name
    assert "Vietnam Customs" in panels["trade"].source_line


def test_build_on_real_data():
    panels = figures.build(real(), View(reporter="both", visit="2023-12-xi-jinping"), real_choices())
    assert set(panels) == PANELS
    for panel in panels.values():
        if panel.name in RELATIONS and panel.empty:  # until data/ has goods rows and stated counts
            assert panel.alt.strip() and panel.figure.layout.annotations, panel.name
            continue
        assert panel.alt.strip() and len(panel.table) > 0 and panel.figure.data
    assert f"{len(real().visits)} high-level visits" in panels["trade"].alt


def test_a_filter_matching_no_visit_empties_the_timeline(small, small_choices):
    panels = figures.build(small, View(query="no visit has these words"), small_choices)
    timeline = panels["timeline"]
    assert timeline.empty.strip()
    assert timeline.alt.strip()
    assert len(timeline.table) == 0
    assert not timeline.figure.data
    assert panels["trade"].empty == ""  # the trade chart still draws


def test_a_year_range_without_data_empties_the_trade_panels(small, small_choices):
    panels = figures.build(small, View(year_from=2024, year_to=2024), small_choices)
    assert set(panels) == PANELS
    for name in ("trade", "mirror", "fdi", "tourists"):
        assert panels[name].empty.strip(), name
        assert panels[name].alt.strip(), name
        assert isinstance(panels[name].table, pd.DataFrame)
    assert panels["ytd"].empty == ""  # Jan–Jun 2024 is a year to date
    assert panels["timeline"].empty == ""


def test_palette_gives_each_direction_one_colour(small, small_choices, trade_fig):
    for direction in ("vn_to_cn", "cn_to_vn"):
        assert theme.FLOW_COLOURS[direction] == theme.DIRECTION_COLOURS[direction]
    assert theme.FLOW_COLOURS["vn_to_cn"] != theme.FLOW_COLOURS["cn_to_vn"]
    # and the drawn figures follow it: exports line, visit strip and timeline share orange
    line = _trace(trade_fig, theme.FLOW_LABELS["vn_to_cn"]).line.color
    strip = _trace(trade_fig, "Visits Vietnam → China").marker.color
    timeline = _trace(
        visit_timeline(small.visits, group_by="office", years=(2022, 2024), title="v"), "Vietnam → China (3)"
    ).marker.color
    assert line == strip == timeline == theme.FLOW_COLOURS["vn_to_cn"]


def test_indicator_chart_splits_definitions_and_states_qualifiers_on_real_data():
    panels = figures.build(real(), View(), real_choices())
    fdi = panels["fdi"].figure
    names = [t.name for t in fdi.data]
    assert "Full year (definition not stated)" in names and "Full year (registered capital incl. additions)" in names
    tourists = panels["tourists"].figure
    texts = [" ".join(map(str, row)) for t in tourists.data for row in t.customdata]
    assert any("over 5.28 million arrivals" in t for t in texts)  # the source says 'more than'
    assert all("Source: " in t for t in texts)


def test_trade_panel_notes_the_gaps_for_chinas_figures():
    panels = figures.build(real(), View(reporter="CN"), real_choices())
    assert "end in 2020" in panels["trade"].note and "2024 stands alone" in panels["trade"].note
    assert figures.build(real(), View(), real_choices())["trade"].note == ""  # Vietnam's series are complete


def test_many_visits_are_drawn_one_marker_per_period_and_row(ds, choices, monkeypatch):
    """At large N (the 100× bench data) the strip and the timeline draw one marker per year (or, over under four
    years, per month) and row, with the count in its hover and a caption that says so; the table keeps every
    visit."""
    from components import figures
    from components.theme import ENGLISH

    panel = figures.timeline_panel(ds, View(year_from=2000), choices)  # real data: under the cap, each visit
    assert sum(len(trace.x) for trace in panel.figure.data if trace.name != "Selected visit") == len(panel.table)
    assert panel.note == ""
    visits = figures.visits.filtered_visits(ds, View(), View().years(choices))
    doubled = pd.concat([visits, visits.assign(visit_id=visits["visit_id"] + "-copy")])
    monkeypatch.setattr(figures.visits, "MAX_VISITS_DRAWN", 50)
    drawn, note = figures.visits.drawn_visits(doubled, "office", ENGLISH)
    assert len(drawn) <= len(visits)  # every copy shares its original's year and row
    assert any(h.startswith("2 visits in ") for h in drawn["hover"])
    assert f"{len(doubled)} visits in this filter: drawn as one marker per year and row" in note
    fig = visit_timeline(drawn, group_by="office", years=(2000, 2026), title="t")
    legend = {trace.name for trace in fig.data}  # the legend counts visits, not markers
    vn = int((doubled["direction"] == "vn_to_cn").sum())
    assert f"{theme.DIRECTION_LABELS['vn_to_cn']} ({vn})" in legend, legend
    recent = doubled[doubled["start_date"].dt.year >= 2024]  # under four years: one marker per month and row
    recent = pd.concat([recent] * (50 // len(recent) + 1))
    by_month, note = figures.visits.drawn_visits(recent, "office", ENGLISH)
    assert "one marker per month and row" in note and len(by_month) < len(recent)
    assert all(" visits in " in h or h.startswith("<b>") for h in by_month["hover"])  # a count, or the visit
    kept, none = figures.visits.drawn_visits(visits.head(50), "office", ENGLISH)
    assert len(kept) == 50 and none == ""
