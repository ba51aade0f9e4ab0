"""The view state and its URL: any valid view survives a round trip through the query string and a real link;
hostile parameters are ignored one by one, with a safe notice, while the rest of the link still applies."""

from __future__ import annotations

from dataclasses import fields, replace
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers_data import real_choices
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components import theme
from components.i18n import LANGUAGES
from components.view import (
    CHARTS,
    DIRECTIONS,
    GROUPINGS,
    MEASURES,
    OFFICES,
    PARAMS,
    RECENT_MONTHS,
    REPORTER_MODES,
    SCALES,
    VISIT_TYPES,
    YTD_FLOWS,
    View,
    describe,
    from_query,
    normalise,
    share_url,
    to_query,
)

CHOICES = real_choices()
BASE = "https://x.streamlit.app/"

# ---------------------------------------------------------------- strategies

VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐƯƠÂÊÔĂ"
QUERY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 " + VIETNAMESE


def ordered_subset(values):
    """A subset of `values`, in their original order, without duplicates."""
    return st.sets(st.sampled_from(values)).map(lambda chosen: tuple(v for v in values if v in chosen))


@st.composite
def year_range(draw):
    first, last = CHOICES.first_year, CHOICES.last_year
    year_from = draw(st.none() | st.integers(first, last))
    year_to = draw(st.none() | st.integers(year_from or first, last))
    return year_from, year_to


queries = st.text(alphabet=QUERY_ALPHABET, max_size=120).map(lambda s: " ".join(s.split())[:80].strip())


@st.composite
def views(draw):
    year_from, year_to = draw(year_range())
    return View(
        year_from=year_from,
        year_to=year_to,
        reporter=draw(st.sampled_from(REPORTER_MODES)),
        directions=draw(ordered_subset(DIRECTIONS)),
        offices=draw(ordered_subset(OFFICES)),
        visit_types=draw(ordered_subset(VISIT_TYPES)),
        visitors=draw(ordered_subset(CHOICES.visitors)),
        query=draw(queries),
        group_by=draw(st.sampled_from(GROUPINGS)),
        visit=draw(st.just("") | st.sampled_from(CHOICES.visit_ids)),
        role=draw(st.sampled_from(("any", "visited", "hosted"))),
        lang=draw(st.sampled_from(LANGUAGES)),
        measure=draw(st.sampled_from(MEASURES)),
        scale=draw(st.sampled_from(SCALES)),
        ytd_reporter=draw(st.sampled_from(("VN", "CN"))),
        ytd_flow=draw(st.sampled_from(YTD_FLOWS)),
        chart=draw(st.just("") | st.sampled_from(CHARTS)),
        recent=draw(st.sampled_from((0, RECENT_MONTHS))),
        milestones=draw(st.booleans()),
    )


def _all_fields_equal(a: View, b: View) -> None:
    for f in fields(View):
        if f.name != "notices":
            assert getattr(a, f.name) == getattr(b, f.name), f.name


# ---------------------------------------------------------------- round trip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(views())
def test_round_trip_through_query(view):
    back = from_query(to_query(view), CHOICES)
    assert back == view
    _all_fields_equal(back, view)
    assert back.notices == ()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(views())
def test_round_trip_through_a_real_link(view):
    url = share_url(BASE, view)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "x.streamlit.app", "/")
    params = parse_qs(parts.query)
    assert set(params) <= set(PARAMS)
    back = from_query(params, CHOICES)
    assert back == view
    _all_fields_equal(back, view)
    assert back.notices == ()


def test_every_parameter_is_exercised_by_the_strategy():
    """A view with every field away from its default writes every public parameter, and reads back."""
    view = View(
        year_from=CHOICES.first_year + 1,
        year_to=CHOICES.last_year - 1,
        reporter="both",
        directions=("cn_to_vn",),
        offices=("party_chief", "head_of_state"),
        visit_types=("state", "official"),
        visitors=("Nguyễn Phú Trọng", "Tô Lâm"),
        query="Trọng Bắc Kinh 2015",
        group_by="direction",
        visit="2022-10-nguyen-phu-trong",
        lang="zh",
        measure="growth",
        scale="log",
        ytd_reporter="CN",
        ytd_flow="vn_to_cn",
        role="hosted",
        chart="mirror",
        recent=RECENT_MONTHS,
        milestones=False,
    )
    query = to_query(view)
    assert tuple(query) == PARAMS  # every parameter, in the stable order
    assert query["visitor"] == "Nguyễn Phú Trọng,Tô Lâm"
    assert query["reporter"] == "both"
    back = from_query(parse_qs(urlsplit(share_url(BASE, view)).query), CHOICES)
    assert back == view


def test_reporter_parameter_is_case_insensitive():
    assert from_query({"reporter": "CN"}, CHOICES).reporter == "CN"
    assert from_query({"reporter": "vn"}, CHOICES).reporter == "VN"
    assert from_query({"reporter": "Both"}, CHOICES).reporter == "both"


def test_query_with_extra_whitespace_is_normalised():
    view = from_query({"q": "  Tô   Lâm  "}, CHOICES)
    assert view.query == "Tô Lâm"
    assert view.notices == ()


def test_list_parameters_keep_the_last_value_given():
    assert from_query({"group": ["office", "direction"]}, CHOICES).group_by == "direction"


# ---------------------------------------------------------------- defaults and normalise


def test_defaults_give_an_empty_query_and_a_bare_link():
    assert to_query(View()) == {}
    url = share_url(BASE, View())
    assert "?" not in url
    assert url == BASE
    assert from_query({}, CHOICES) == View()
    assert share_url("https://x.streamlit.app", View()) == BASE


def test_normalise_drops_years_at_the_data_ends():
    first, last = CHOICES.first_year, CHOICES.last_year
    assert normalise(View(year_from=first, year_to=last), CHOICES) == View()
    assert to_query(normalise(View(year_from=first, year_to=last), CHOICES)) == {}
    inner = View(year_from=first + 1, year_to=last - 1, reporter="CN")
    assert normalise(inner, CHOICES) == inner
    assert normalise(View(year_from=first, year_to=last - 2), CHOICES) == View(year_to=last - 2)
    assert normalise(View(year_from=first + 3, year_to=last), CHOICES) == View(year_from=first + 3)


def test_years_uses_the_data_ends_for_no_limit():
    assert View().years(CHOICES) == (CHOICES.first_year, CHOICES.last_year)
    assert View(year_from=2010).years(CHOICES) == (2010, CHOICES.last_year)


def test_describe_names_the_filters():
    view = View(year_from=2010, year_to=2015, reporter="CN", directions=("vn_to_cn",), query="Trọng")
    text = describe(view, CHOICES, theme.FILTER_LABELS)
    assert "2010–2015" in text
    assert "China's figures" in text
    assert "Vietnam → China" in text
    assert '"Trọng"' in text


# ---------------------------------------------------------------- hostile parameters

SCRIPT = "<script>alert(1)</script>"
LONG = "a" * 10_000

VALID = {
    "from": "2005",
    "to": "2020",
    "reporter": "cn",
    "dir": "vn_to_cn",
    "office": "party_chief,head_of_state",
    "type": "state",
    "visitor": "Tô Lâm",
    "q": "trade",
    "group": "direction",
    "visit": "2022-10-nguyen-phu-trong",
}

# (name of the test case, hostile parameters, the parameter names the notice must name)
HOSTILE = [
    ("garbage year", {"from": "abc"}, ["from"]),
    ("year too early", {"from": "1850"}, ["from"]),
    ("year too late", {"to": "3000"}, ["to"]),
    ("negative year", {"to": "-2020"}, ["to"]),
    ("from after to", {"from": "2020", "to": "2010"}, ["from", "to"]),
    ("unknown name", {"evil": "1"}, ["evil"]),
    ("script in a name", {SCRIPT: "1"}, []),
    ("unknown office", {"office": "king"}, ["office"]),
    ("unknown direction", {"dir": "sideways"}, ["dir"]),
    ("unknown type", {"type": "holiday"}, ["type"]),
    ("unknown reporter", {"reporter": "xx"}, ["reporter"]),
    ("unknown grouping", {"group": "foo"}, ["group"]),
    ("unknown visit", {"visit": "nope"}, ["visit"]),
    ("unknown visitor", {"visitor": "Nobody"}, ["visitor"]),
    ("script in the search", {"q": SCRIPT}, ["q"]),
    ("script in a visitor", {"visitor": SCRIPT}, ["visitor"]),
    ("script in a visit", {"visit": SCRIPT}, ["visit"]),
    ("script as a year", {"from": SCRIPT}, ["from"]),
    ("long search", {"q": LONG}, ["q"]),
    ("long visitor", {"visitor": LONG}, ["visitor"]),
    ("long year", {"to": "2" * 10_000}, ["to"]),
    ("long name", {"x" * 10_000: "1"}, []),
    ("long name with script", {SCRIPT * 500: SCRIPT * 500}, []),
    ("search over 80 characters", {"q": "word " * 30}, ["q"]),
    ("unknown language", {"lang": "fr"}, ["lang"]),
    ("script as a language", {"lang": SCRIPT}, ["lang"]),
]

PARAM_FIELDS = {
    "from": "year_from",
    "to": "year_to",
    "reporter": "reporter",
    "dir": "directions",
    "office": "offices",
    "type": "visit_types",
    "visitor": "visitors",
    "q": "query",
    "group": "group_by",
    "visit": "visit",
    "lang": "lang",
}


def _check_notices(view: View, hostile: dict[str, str], names: list[str]) -> None:
    assert view.notices, "a hostile parameter must give a notice"
    for name in names:
        assert any(f"'{name}'" in n for n in view.notices), (name, view.notices)
    for notice in view.notices:
        assert "<" not in notice and ">" not in notice, notice
        assert len(notice) < 200, notice
        for key, value in hostile.items():
            if len(value) >= 3:
                assert value not in notice, notice
            if key not in PARAMS and key not in names:  # a name shown only if short and plain
                assert key not in notice, notice
    if not names:  # an unknown name: the notice says so, and shows no markup
        assert any("Unknown parameter" in n for n in view.notices)


@pytest.mark.parametrize(("case", "hostile", "names"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_parameter_alone(case, hostile, names):
    view = from_query(hostile, CHOICES)
    _check_notices(view, hostile, names)
    assert view == View(), "the defaults stand"


@pytest.mark.parametrize(("case", "hostile", "names"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_parameter_among_valid_ones(case, hostile, names):
    valid = {k: v for k, v in VALID.items() if k not in hostile}
    expected = from_query(valid, CHOICES)
    assert expected.notices == ()
    view = from_query({**valid, **hostile}, CHOICES)
    _check_notices(view, hostile, names)
    assert view == expected, "the other parameters still apply"
    for name in [n for n in names if n in PARAM_FIELDS]:  # and the hostile one fell back to its default
        assert getattr(view, PARAM_FIELDS[name]) == getattr(View(), PARAM_FIELDS[name])
    assert len(view.notices) == len(from_query(hostile, CHOICES).notices)


def test_valid_parameters_alone_all_apply():
    view = from_query(VALID, CHOICES)
    assert view.notices == ()
    assert view == View(
        year_from=2005,
        year_to=2020,
        reporter="CN",
        directions=("vn_to_cn",),
        offices=("party_chief", "head_of_state"),
        visit_types=("state",),
        visitors=("Tô Lâm",),
        query="trade",
        group_by="direction",
        visit="2022-10-nguyen-phu-trong",
    )


def test_unknown_values_in_a_list_drop_alone():
    view = from_query({"office": "king,party_chief,<b>x</b>", "visitor": "Nobody,Tô Lâm"}, CHOICES)
    assert view.offices == ("party_chief",)
    assert view.visitors == ("Tô Lâm",)
    assert any("'office'" in n and "2" in n for n in view.notices)
    assert any("'visitor'" in n for n in view.notices)
    assert all("<" not in n and "Nobody" not in n and "king" not in n for n in view.notices)


def test_several_hostile_parameters_each_get_a_notice():
    view = from_query({"from": "abc", "office": "king", "q": SCRIPT, "evil": "1", "reporter": "both"}, CHOICES)
    assert view == View(reporter="both")
    for name in ("from", "office", "q", "evil"):
        assert any(f"'{name}'" in n for n in view.notices), name
    assert len(view.notices) == 4


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(PARAMS) | st.text(max_size=30),
        st.text(max_size=400) | st.lists(st.text(max_size=50), max_size=3),
        max_size=12,
    )
)
def test_any_query_gives_a_valid_view_and_safe_notices(params):
    view = from_query(params, CHOICES)
    assert view.reporter in REPORTER_MODES
    assert view.group_by in GROUPINGS
    assert set(view.directions) <= set(DIRECTIONS)
    assert set(view.offices) <= set(OFFICES)
    assert set(view.visit_types) <= set(VISIT_TYPES)
    assert set(view.visitors) <= set(CHOICES.visitors)
    assert view.visit in ("", *CHOICES.visit_ids)
    start, end = view.years(CHOICES)
    assert CHOICES.first_year <= start <= end <= CHOICES.last_year
    assert len(view.query) <= 80
    assert not any(c in view.query for c in "<>")
    for notice in view.notices:
        assert "<" not in notice and ">" not in notice
    # whatever came in, the view it gives round-trips
    assert from_query(to_query(view), CHOICES) == view
    assert replace(view, notices=()) == view


# ---------------------------------------------------------------- language (issue 10)


def test_lang_defaults_to_the_browser_language_on_a_first_visit():
    assert from_query({}, CHOICES, default_lang="vi").lang == "vi"
    assert from_query({"from": "2010"}, CHOICES, default_lang="zh").lang == "zh"
    assert from_query({}, CHOICES).lang == "en"
    assert from_query({}, CHOICES, default_lang="fr").lang == "en"  # no such interface: English


def test_lang_in_the_link_wins_over_the_browser():
    view = from_query({"lang": "en"}, CHOICES, default_lang="vi")
    assert view.lang == "en" and view.notices == ()
    assert from_query({"lang": "ZH"}, CHOICES, default_lang="vi").lang == "zh"


def test_bad_lang_gets_a_notice_and_english_whatever_the_browser():
    view = from_query({"lang": "fr", "reporter": "cn"}, CHOICES, default_lang="vi")
    assert view.lang == "en"
    assert view.reporter == "CN", "the other parameters still apply"
    assert len(view.notices) == 1 and "'lang'" in view.notices[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lang_round_trips_in_the_share_link(lang):
    view = View(year_from=2010, reporter="both", lang=lang)
    url = share_url(BASE, view)
    params = parse_qs(urlsplit(url).query)
    assert params.get("lang") == ([lang] if lang != "en" else None)
    for browser in LANGUAGES:  # whoever opens the link, a Vietnamese or Chinese view stays in its language
        back = from_query(params, CHOICES, default_lang=browser)
        assert back.lang == (lang if lang != "en" else browser)
        assert replace(back, lang=lang) == view


def test_lang_left_out_of_the_address_only_for_english_with_an_english_browser():
    assert to_query(View()) == {}
    assert to_query(View(lang="vi")) == {"lang": "vi"}
    # a reader whose browser prefers Vietnamese and who chose English keeps English on a reload
    assert to_query(View(lang="en"), default_lang="vi") == {"lang": "en"}
    assert from_query(to_query(View(lang="en"), default_lang="vi"), CHOICES, default_lang="vi").lang == "en"
    assert to_query(View(lang="zh"), default_lang="zh") == {"lang": "zh"}


# ---------------------------------------------------------------- measure, scale, year-to-date chart


def test_measure_scale_and_ytd_round_trip():
    view = from_query({"measure": "growth", "ytd": "cn-total"}, CHOICES)
    assert (view.measure, view.ytd_reporter, view.ytd_flow, view.notices) == ("growth", "CN", "total", ())
    assert to_query(view) == {"measure": "growth", "ytd": "cn-total"}
    assert from_query({"scale": "log"}, CHOICES).scale == "log"
    assert to_query(View(measure="value", scale="linear", ytd_reporter="VN", ytd_flow="total")) == {}


@pytest.mark.parametrize(
    ("name", "bad"),
    [("measure", "percent"), ("measure", "<b>"), ("scale", "ln"), ("ytd", "vn"), ("ytd", "us-total"), ("ytd", "vn-x")],
)
def test_bad_measure_scale_or_ytd_gets_its_own_notice(name, bad):
    view = from_query({name: bad, "reporter": "cn"}, CHOICES)
    assert view.reporter == "CN"  # the rest still applies
    assert (view.measure, view.scale, view.ytd_reporter, view.ytd_flow) == ("value", "linear", "VN", "total")
    assert len(view.notices) == 1 and f"'{name}'" in view.notices[0]
    assert "<" not in view.notices[0]


def test_role_parameter_round_trips_and_a_bad_value_is_ignored_alone():
    view = from_query({"role": "hosted", "reporter": "cn"}, CHOICES)
    assert (view.role, view.reporter) == ("hosted", "CN")
    assert to_query(view)["role"] == "hosted"
    assert "role" not in to_query(from_query({"role": "any"}, CHOICES))  # the default drops out of a link
    bad = from_query({"role": "<b>boss</b>", "reporter": "cn"}, CHOICES)
    assert (bad.role, bad.reporter) == ("any", "CN")
    assert any("'role'" in n for n in bad.notices)
    assert "<b>" not in " ".join(bad.notices)


# ---------------------------------------------------------------- pages and embedding


@pytest.mark.parametrize(
    ("base", "page", "expected"),
    [
        ("http://h:8501/", "trade", "http://h:8501/trade"),
        ("http://h:8501/trade", "", "http://h:8501/"),
        ("http://h:8501/visits", "data", "http://h:8501/data"),
        ("https://h/app/visits", "", "https://h/app/"),  # served under a sub-path
        ("https://h/app", "trade", "https://h/app/trade"),
        ("http://h:8501/visits", None, "http://h:8501/visits"),  # no page: the page the reader is on
    ],
)
def test_share_url_points_at_the_page(base, page, expected):
    assert share_url(base, View(), page=page) == expected


def test_share_url_for_an_embed_keeps_the_view_and_adds_streamlits_embed_last():
    url = share_url("http://h/trade", View(year_from=2010, chart="mirror"), page="", embed="true")
    assert url == "http://h/?from=2010&chart=mirror&embed=true"


def test_streamlits_own_embed_parameters_are_not_reported(choices):
    view = from_query({"embed": "true", "embed_options": "light_theme", "chart": "trade"}, choices)
    assert view.chart == "trade" and view.notices == ()


def test_a_bad_chart_is_ignored_with_a_notice(choices):
    view = from_query({"chart": "pie", "from": "2010"}, choices)
    assert view.chart == "" and view.year_from == 2010
    assert any("'chart'" in n for n in view.notices)
