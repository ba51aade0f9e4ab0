"""The analysis panels in the running page (AppTest): the growth measure, the year-to-date chart and its
reporter/flow control, and the trade around a chosen visit with its sources and caveat."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from conftest import chart_specs

from components import analysis


def run_ok(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def on_page(at, path: str):
    """Switch to the page at `path` (function pages registered with a url_path by st.navigation)."""
    at._page_hash = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == path)
    return run_ok(at)


def values(array) -> list:
    """A trace array from Plotly JSON: a plain list, or a typed array {dtype, bdata}."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array or [])


def param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def growth_app():
    from conftest import APP, APP_TIMEOUT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
    at.query_params.update({"measure": "growth", "visit": "2023-12-xi-jinping"})
    run_ok(at)
    return on_page(at, "trade")


def test_growth_shows_vn_two_way_2023_at_minus_2_1_percent(growth_app):
    spec = chart_specs(growth_app)["trade"]
    total = next(t for t in spec["data"] if t.get("name") == "Two-way trade")
    years = [int(str(x)[:4]) for x in values(total["x"])]
    by_year = dict(zip(years, values(total["y"]), strict=True))
    assert by_year[2023] == pytest.approx(-2.107, abs=0.001)
    assert "change on the previous year" in spec["layout"]["yaxis"]["title"]["text"]
    assert growth_app.radio(key="f_measure").value == "growth"
    assert param(growth_app, "measure") == "growth"


def test_measure_and_ytd_controls_write_the_link(growth_app):
    growth_app.radio(key="f_measure").set_value("index")
    run_ok(growth_app)
    assert param(growth_app, "measure") == "index"
    assert "index" in chart_specs(growth_app)["trade"]["layout"]["yaxis"]["title"]["text"]
    growth_app.selectbox(key="f_ytd").set_value("cn-total")
    run_ok(growth_app)
    assert param(growth_app, "ytd") == "cn-total"
    names = {t.get("name") for t in chart_specs(growth_app)["ytd"]["data"]}
    assert {"2023", "2024"} <= names  # China's Jan–Nov 2023 and 2024 totals


def test_ytd_chart_puts_months_on_the_x_axis(growth_app):
    spec = chart_specs(growth_app)["ytd"]
    assert spec["layout"]["xaxis"]["ticktext"][:2] == ["Jan", "Jan–Feb"]
    for trace in spec["data"]:
        assert set(values(trace["x"])) <= set(range(1, 13))


def test_the_dec_2023_visit_shows_2022_2023_2024_with_sources(growth_app):
    at = on_page(growth_app, "visits")
    spec = chart_specs(at)["visit_trade"]
    bars = {t["name"]: t for t in spec["data"] if t.get("type") == "bar"}
    vn = bars["Two-way trade — Vietnam-reported"]
    # each year over its role, on two lines (no turned labels running into the legend on a phone)
    assert values(vn["x"]) == ["2022<br>(year before)", "2023<br>(visit's year)", "2024<br>(year after)"]
    assert values(vn["y"]) == [175.6, 171.9, 205.2]
    text = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    assert "Trade around this visit" in text and analysis.CAVEAT in text
    tables = [df.value for df in at.dataframe]
    around = next(t for t in tables if "year is" in t.columns)
    vn_rows = around[(around["reporter"] == "Vietnam-reported") & (around["flow"] == "Two-way trade")]
    assert list(vn_rows["year"]) == [2022, 2023, 2024]
    assert vn_rows["source_url"].str.startswith("http").all()
    assert any("side" in t.columns for t in tables), "the nearest year-to-date figures are listed"
    assert "Other visits within twelve months" in text


def test_no_visit_shows_no_trade_block(app):
    run_ok(app)
    on_page(app, "visits")
    assert "visit_trade" not in chart_specs(app)
    assert analysis.CAVEAT not in " ".join(c.value for c in app.caption)


def test_bad_measure_gets_a_notice_and_the_rest_applies(app):
    app.query_params.update({"measure": "<b>", "reporter": "cn"})
    run_ok(app)
    assert any("Parameter &#x27;measure&#x27;" in w.value for w in app.warning)  # escaped: plain text only
    assert app.radio(key="f_reporter").value == "CN"


@pytest.mark.parametrize("name", ["ytd", "visit_trade"])
def test_new_charts_can_be_shown_alone_for_embedding(app, name):
    app.query_params.update({"chart": name, "visit": "2023-12-xi-jinping", "ytd": "vn-cn_to_vn"})
    run_ok(app)
    assert set(chart_specs(app)) == {name}
