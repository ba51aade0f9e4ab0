"""Issue 19, the data and text half: visits in date order everywhere, one truthful filter line, a person filter
that says what it finds with counts per person, a person picker that ignores accents and shows no English in
the other languages, CSVs a script can trust, an export command that does what it is asked or says why not,
currency stated plainly, and a headline total that says why it is not the sum of its flows."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest
from conftest import ROOT, all_text, on_page
from streamlit.proto.MultiSelect_pb2 import MultiSelect

from components import export, figures, filtering, tables, theme
from components import formatting as fmt
from components.figures import LazyPanels, build
from components.sections.sidebar import find_people
from components.view import CHARTS, PAGE_CHARTS, RECENT_MONTHS, View, describe, from_query, split_link

NO_TYPING = MultiSelect.DESCRIPTOR.fields_by_name["filter_mode"].enum_type.values_by_name["FILTER_MODE_NONE"].number
NOISE = re.compile(r"-?\d+\.\d{9,}")  # binary float noise: 27.327599999999997, -49.39999999999999


def run_ok(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def read_csv(data: bytes) -> pd.DataFrame:
    """A CSV as a script reads it: every cell as text, so noise and decimal marks show as written."""
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- 1. date order


@pytest.mark.parametrize("years", [(None, None), (2025, 2026)])
def test_visits_table_and_its_csv_are_newest_first(ds, choices, years):
    view = View(year_from=years[0], year_to=years[1])
    table = build(ds, view, choices, ["timeline"])["timeline"].table
    assert len(table) > 2
    assert table["start_date"].is_monotonic_decreasing, table[["start_date", "visitor"]].to_string()
    csv = read_csv(export.csv_bytes(tables.csv_table(table)))
    assert csv["From"].tolist() == sorted(csv["From"], reverse=True)
    if years == (None, None):
        li_peng = csv.index[(csv["Visitor"] == "Li Peng") & csv["From"].str.startswith("2001-09")][0]
        assert li_peng > len(csv) - 10, "September 2001 is near the end, after every later visit"
    else:
        assert csv["From"].iloc[0].startswith("2026-03"), "March 2026 first, before January 2026 and August 2025"


def test_filtered_visits_and_the_dataset_download_are_newest_first(ds):
    found = filtering.filter_visits(ds.visits, View(query="Beijing"), (2000, 2030))
    assert found["start_date"].is_monotonic_decreasing
    visits = read_csv(export.csv_bytes(tables.downloads(ds)["visits"]))
    assert visits["From"].tolist() == sorted(visits["From"], reverse=True)


def test_visits_page_grid_is_newest_first(app):
    app.query_params["from"], app.query_params["to"] = "2025", "2026"
    run_ok(app)
    on_page(app, "visits")
    grid = app.dataframe[0].value
    assert list(grid["start_date"]) == sorted(grid["start_date"], reverse=True)


# ---------------------------------------------------------------- 2. one truthful filter line


def line(choices, lang: str = "en", trade: bool = False, **view) -> str:
    """The filter line of a chart of visits (or, with `trade`, of the trade chart)."""
    return describe(View(lang=lang, **view), choices, theme.FILTER_LABELS, reporter=trade)


@pytest.mark.parametrize(
    ("lang", "china_to_vietnam", "flow_words"),
    [
        ("en", "visits China → Vietnam", "Vietnam's imports"),
        ("vi", "Trung Quốc → Việt Nam", "nhập khẩu"),
        ("zh", "中国 → 越南", "进口"),
    ],
)
def test_a_visit_direction_is_named_as_a_direction_in_every_language(choices, lang, china_to_vietnam, flow_words):
    text = line(choices, lang, year_from=2012, directions=("cn_to_vn",))
    assert text.startswith("2012–2026 · ")
    assert china_to_vietnam in text
    assert flow_words not in text, text


def test_the_timeline_caption_and_its_exported_image_carry_the_direction(ds, choices):
    view = View(year_from=2012, directions=("cn_to_vn",), chart="timeline")
    panel = build(ds, view, choices, ["timeline"])["timeline"]
    assert "2012–2026 · visits China → Vietnam." in panel.source_line
    assert "imports" not in panel.source_line
    drawn = " ".join(a.text for a in export.print_figure(panel).layout.annotations)
    assert "visits China → Vietnam" in drawn.replace("<br>", " ")


def test_each_filter_kind_is_named(choices):
    assert line(choices, year_from=2010, year_to=2015) == "2010–2015"
    assert line(choices, trade=True, reporter="CN") == "2000–2026 · China's figures"
    assert "both countries' figures" in line(choices, trade=True, reporter="both")
    assert "Vietnam's figures" not in line(choices)  # a chart of visits: the reporter is not its filter
    assert line(choices, offices=("other",)) == "2000–2026 · office: Other"
    assert line(choices, visit_types=("state", "other")) == "2000–2026 · type: State visit, Other"
    assert line(choices, offices=("party_chief",), visit_types=("state",)).endswith(
        "office: Party chief · type: State visit"
    )
    assert line(choices, visitors=("Tô Lâm",)) == "2000–2026 · visits made or hosted by Tô Lâm"
    assert line(choices, visitors=("Tô Lâm",), role="visited") == "2000–2026 · visits made by Tô Lâm"
    assert line(choices, visitors=("Tô Lâm",), role="hosted") == "2000–2026 · visits hosted by Tô Lâm"
    assert line(choices, query="railway") == '2000–2026 · search "railway"'
    assert line(choices, query="Tô Lâm", role="hosted") == '2000–2026 · search "Tô Lâm" · as host'
    start, end = choices.recent_span(RECENT_MONTHS)
    assert line(choices, recent=RECENT_MONTHS) == f"visits of the latest 12 months ({start} – {end})"
    assert line(choices, trade=True, recent=RECENT_MONTHS).startswith("2000–2026 · visits of the latest 12")


def test_the_trade_line_names_the_measure_and_the_visit_filters(ds, choices):
    view = View(measure="growth", directions=("vn_to_cn",), reporter="both")
    source = build(ds, view, choices, ["trade"])["trade"].source_line
    assert "both countries' figures · visits Vietnam → China." in source
    assert "Measure: change on the previous year, %" in source
    assert "trade figures to Jan 2026, visits to Mar 2026" in source  # currency in every export too


# ---------------------------------------------------------------- 3. names for what they do, counts per person


def test_person_counts_say_made_and_hosted(ds):
    found = filtering.filter_visits(ds.visits, View(visitors=("Tô Lâm",)), (2000, 2030))
    assert len(found) == 7
    assert filtering.person_counts(found, ("Tô Lâm",)) == {"Tô Lâm": (1, 6)}


def test_most_visits_follows_the_filters(ds):
    every = filtering.visit_counts(filtering.filter_visits(ds.visits, View(), (2000, 2030)), theme.OFFICE_LABELS)
    assert every["visits"].is_monotonic_decreasing
    assert every["visits"].sum() == len(ds.visits)
    top = every.iloc[0]
    assert top["visits"] == (ds.visits["visitor"] == top["visitor"]).sum()
    chinese = filtering.visit_counts(
        filtering.filter_visits(ds.visits, View(directions=("cn_to_vn",), offices=("party_chief",)), (2000, 2030))
    )
    assert set(chinese["direction"]) == {"cn_to_vn"} and "Xi Jinping" in set(chinese["visitor"])


def test_visits_page_shows_person_counts_and_most_visits(app):
    app.query_params["visitor"] = "Tô Lâm"
    app.query_params["lang"] = "vi"
    run_ok(app)
    on_page(app, "visits")
    headers = [h.value for h in app.header]
    assert any(h.startswith("Nhiều chuyến thăm nhất") for h in headers), headers
    captions = " ".join(c.value for c in app.caption)
    assert "Tô Lâm: đã thực hiện 1" in captions and "đón 6" in captions, captions
    assert app.multiselect(key="f_visitor").label == "Người"


# ---------------------------------------------------------------- 4. the person picker


@pytest.mark.parametrize(("lang", "typed"), [("en", "to lam"), ("vi", "TO LAM"), ("zh", "苏林"), ("en", "lâm")])
def test_the_person_search_ignores_accents_and_finds_chinese_names(ds, choices, lang, typed):
    assert "Tô Lâm" in find_people(choices, ds, lang, typed)


def test_pickers_show_no_english_built_in_texts(app):
    app.query_params["lang"] = "zh"
    run_ok(app)
    app.text_input(key="f_person_q").set_value("to lam").run()
    picker = app.multiselect(key="f_visitor")
    assert picker.options == ["苏林"] or picker.options == ["Tô Lâm"], picker.options
    for key in ("f_visitor", "f_dir", "f_office", "f_type"):
        proto = app.multiselect(key=key).proto
        assert proto.filter_mode == NO_TYPING, key  # no typing, so no English "No results"
        assert proto.select_all == 0, key  # no untranslated "Select all"
    app.text_input(key="f_person_q").set_value("zzzz").run()
    assert any("zzzz" in c.value for c in app.caption)  # our own, translated "no match", not Streamlit's


# ---------------------------------------------------------------- 5. CSV downloads


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_csv_is_the_same_in_every_language_with_sources_and_no_noise(ds, choices, name):
    view = View(reporter="both", visit="2023-12-xi-jinping")
    files = {
        lang: export.csv_bytes(
            tables.csv_table(figures.english(LazyPanels(ds, replace(view, lang=lang), choices), name)().table)
        )
        for lang in ("en", "vi", "zh")
    }
    assert files["en"] == files["vi"] == files["zh"]
    csv = read_csv(files["en"])
    assert any("source" in c.lower() for c in csv.columns), csv.columns
    cells = [v for c in csv.columns for v in csv[c]]
    assert not [v for v in cells if NOISE.fullmatch(v)], [v for v in cells if NOISE.fullmatch(v)][:3]
    assert not [v for v in cells if re.fullmatch(r"-?\d+,\d+", v)], "dot decimals"


def test_mirror_csv_cites_both_sides_and_computed_values_keep_their_inputs_precision(ds, choices):
    panel = build(ds, View(), choices, ["mirror"])["mirror"]
    csv = read_csv(export.csv_bytes(tables.csv_table(panel.table)))
    for column in ("Vietnam-reported: source", "China-reported: source", "Vietnam-reported: source link"):
        assert column in csv.columns
    both = csv[(csv["Vietnam-reported"] != "") & (csv["China-reported"] != "")]
    assert (both["Vietnam-reported: source"] != "").all() and (both["China-reported: source"] != "").all()
    for row in both.itertuples():
        places = max(len(v.partition(".")[2]) for v in (row._3, row._4))
        assert len(row._5.partition(".")[2]) <= places, row  # the gap: no more decimals than its inputs


def test_dataset_downloads_are_the_same_for_every_reader(ds):
    for name, table in tables.downloads(ds).items():
        data = export.csv_bytes(table)
        assert not NOISE.search(data.decode("utf-8-sig")), name
        assert "curator_note" not in read_csv(data).columns


def test_the_readme_documents_the_csv_columns(ds, choices):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### CSV files", 1)[1].split("\n## ", 1)[0]
    charts = [tables.csv_table(p.table) for p in build(ds, View(visit="2023-12-xi-jinping"), choices).values()]
    for table in [*charts, *tables.downloads(ds).values()]:
        for column in table.columns:
            assert f"`{column}`" in section, column


# ---------------------------------------------------------------- 6. the export command


def test_every_chart_is_on_a_page():
    """A link to a page exports that page's charts: the list names each chart once, and only real ones."""
    named = [c for charts in PAGE_CHARTS.values() for c in charts]
    assert set(named) == set(CHARTS)
    assert set(PAGE_CHARTS["trade"]).isdisjoint(PAGE_CHARTS["visits"])


def test_split_link_reads_a_shared_link_a_page_path_or_a_query():
    assert split_link("https://x.streamlit.app/trade?from=2015&to=2020") == ("trade", "from=2015&to=2020")
    assert split_link("https://x.streamlit.app/?chart=trade") == ("", "chart=trade")
    assert split_link("/visits?visit=a") == ("visits", "visit=a")
    assert split_link("?from=2015") == (None, "from=2015")
    assert split_link("from=2015") == (None, "from=2015")


def test_export_command_as_a_script_writes_csv_for_a_full_link(tmp_path, ds, choices):
    """Run as a report author would (a new process); CSV only, so no browser is needed."""
    out = tmp_path / "out"
    link = "https://x.streamlit.app/trade?from=2015&to=2020"
    done = subprocess.run(
        [sys.executable, "-m", "components.export", "--out", str(out), "--formats", "csv", "--view", link],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in out.iterdir())
    view = View(year_from=2015, year_to=2020)
    drawn = [p for p in build(ds, view, choices, PAGE_CHARTS["trade"]).values() if not p.empty]
    assert names == sorted(f"{export.file_stem(p)}.csv" for p in drawn), names
    assert "vn-cn-trade-2015-2020.csv" in names and "vn-cn-mirror-2015-2020.csv" in names
    assert not any("timeline" in n for n in names), "the /trade page's charts only"
    trade = read_csv((out / "vn-cn-trade-2015-2020.csv").read_bytes())
    assert set(trade["Year"].astype(int)) == set(range(2015, 2021))
    assert sorted(done.stdout.split()) == sorted(str(out / n) for n in names)


def test_export_command_exports_only_the_named_chart_and_skips_empty_ones(tmp_path, capsys):
    out = tmp_path / "one"
    assert export.main(["--out", str(out), "--formats", "csv", "--view", "chart=trade&from=2015"]) == 0
    assert [p.name for p in out.iterdir()] == ["vn-cn-trade-2015-2026.csv"]
    every = tmp_path / "every"
    assert export.main(["--out", str(every), "--formats", "csv"]) == 0
    assert not list(every.glob("*visit_trade*")), "no placeholder for a visit nobody chose"
    assert "skipped visit_trade" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--formats", "gif"], "--formats: 'gif'"),
        (["--formats", ""], "--formats: nothing given"),
        (["--formats", "csv", "--view", "chart=visit_trade"], "nothing to export"),
        (["--formats", "csv", "--view", "https://x.streamlit.app/data?from=2015"], "shows no chart"),
        (["--formats", "csv", "--view", "https://x.streamlit.app/trade?chart=nope"], "chart='nope' is not a chart"),
    ],
)
def test_export_command_refuses_what_it_cannot_do(tmp_path, capsys, args, said):
    out = tmp_path / "refused"
    assert export.main(["--out", str(out), *args]) == 1
    assert said in capsys.readouterr().err
    assert not out.exists() or not list(out.iterdir())


# ---------------------------------------------------------------- 7. currency


def test_currency_line_comes_from_the_data(ds):
    import datetime as dt

    expected = "Trade figures to Jan 2026 · visits to Mar 2026 · sources last checked 29 Nov 2026"
    assert fmt.currency(dt.date(2026, 1, 31), dt.date(2026, 3, 17), dt.date(2026, 11, 29)) == expected
    line = fmt.currency(ds.trade["end"].max(), ds.visits_end, ds.last_updated)
    assert line.startswith("Trade figures to Jan 2026 · visits to Mar 2026 · sources last checked ")
    assert line.endswith(fmt.day(ds.last_updated)), "the declared last_updated, not the clock"
    assert "sources last checked" in fmt.currency(ds.trade["end"].max(), ds.visits_end, ds.last_updated, "en")
    assert "Số liệu thương mại đến tháng 1 năm 2026" in fmt.currency(
        ds.trade["end"].max(), ds.visits_end, ds.last_updated, "vi"
    )


def test_overview_states_currency_plainly(app, ds):
    run_ok(app)
    captions = " ".join(c.value for c in app.caption)
    assert fmt.currency(ds.trade["end"].max(), ds.visits_end, ds.last_updated) in captions
    assert "Data to " not in captions


def test_data_readme_says_what_was_searched_after_the_latest_dates():
    notes = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = " ".join(notes.split("## After the latest dates", 1)[1].split("\n## ", 1)[0].split())
    assert "January 2026" in section and "March 2026" in section and "`last_updated`" in section
    assert "not collected" in section and "none found" in section


def test_headline_year_to_date_card_is_a_point_of_the_year_to_date_chart(ds, choices):
    head = filtering.headline(ds, View(), choices)
    chart = build(ds, View(), choices, ["ytd"])["ytd"].table
    drawn = chart[chart["drawn"] == "yes"]
    assert head.partial_period in set(drawn["period"]), (head.partial_period, sorted(set(drawn["period"]))[-3:])
    assert (drawn["US$ bn"] == head.partial_value).any()


def test_latest_twelve_months_of_visits(ds, choices):
    view = from_query({"recent": "12"}, choices)
    assert view.recent == RECENT_MONTHS and not view.notices
    start, end = choices.recent_span(RECENT_MONTHS)
    table = build(ds, view, choices, ["timeline"])["timeline"].table
    assert len(table) and table["start_date"].dt.date.between(start, end).all()
    assert len(table) < len(ds.visits)
    assert from_query({"recent": "6"}, choices).notices  # only the documented value


def test_visits_page_toggle_latest_twelve_months(app):
    run_ok(app)
    app.toggle(key="f_recent").set_value(True).run()
    assert not app.exception
    assert app.query_params.get("recent") in ("12", ["12"])


# ---------------------------------------------------------------- 8. the 2025 headline


def test_a_total_that_is_not_the_sum_of_its_flows_says_why(ds, choices):
    head = filtering.headline(ds, View(), choices)
    assert head.year == 2025 and head.total.value == "US$252.0 bn"
    assert "its two flows add up to US$256.5 bn" in head.total.note
    assert "one source's figure" in head.total.help and "neither is adjusted" in head.total.help
    agree = filtering.headline(ds, View(year_to=2024), choices)
    assert "add up to" not in agree.total.note  # a total that is the sum of its flows says nothing


def test_no_page_text_says_visitor_for_the_person_filter(app):
    run_ok(app)
    assert app.multiselect(key="f_visitor").label == "Person"
    assert not any('label: "Visitor"' in text for text in all_text(app))


def test_the_http_api_gives_the_same_chart_csv_in_every_language():
    """/api/chart/<name>.csv is the page's Download CSV: one file whatever `lang` the link carries."""
    from test_web import get

    bodies = {lang: get(f"/api/chart/mirror.csv?from=2015&lang={lang}").body for lang in ("en", "vi", "zh")}
    assert bodies["en"] == bodies["vi"] == bodies["zh"]
    assert "Vietnam-reported: source" in read_csv(bodies["en"]).columns
