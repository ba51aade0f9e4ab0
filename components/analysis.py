"""Pure computations behind the relative views: growth, index, year-to-date comparisons and trade around a visit.

DataFrames in, DataFrames out; no Streamlit, no figures. Every row keeps where its numbers come from
(`source_label`, `source_url`, `source_id` and the `line` of data/trade.csv), so each number can be traced to a
row of data/. Figures are only ever compared with figures of the same reporter, flow and period length: a
year with a year, January–June with January–June. A missing year stays missing; nothing is interpolated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

import pandas as pd

from components import filtering
from components import formatting as fmt
from components.dataset import Dataset
from components.i18n import N_, Translator

MEASURES = ("value", "growth", "index")
SCALES = ("linear", "log")
YTD_FLOWS = ("total", "vn_to_cn", "cn_to_vn")  # the flows a source states (balances are never stated)
AROUND_FLOWS = ("total", "vn_to_cn", "cn_to_vn")
RELATIVE_FLOWS = ("vn_to_cn", "cn_to_vn", "total")  # a change in % of a deficit has no plain reading
WINDOW_DAYS = 365  # "other visits within twelve months"
CAVEAT = N_(  # shown translated: t(analysis.CAVEAT)
    "Trade moves for many reasons (prices, demand, supply chains, exchange rates); a visit's effect cannot be "
    "read from these numbers alone."
)
COMPUTED = "computed here"
MISSING = N_("no full-year figure in data/ (not interpolated)")  # shown translated: t(note)
SOURCE_COLUMNS = ["source_label", "source_url", "source_id", "line"]


def _join_ids(values: pd.Series) -> str:
    return ";".join(str(v) for v in values if v == v and str(v))


def with_lines(annual: pd.DataFrame, trade: pd.DataFrame) -> pd.DataFrame:
    """The annual series with the `source_id` and data/trade.csv `line` of each figure; computed totals and
    balances get the ids and lines of the two stated flows they are made from (';'-separated)."""
    rows = trade[trade["full_year"] & trade["preferred"]]
    key = ["reporter", "year", "flow"]
    stated = rows.set_index(key)[["source_id", "line"]]
    out = annual.drop(columns=["source_id", "line"], errors="ignore").join(stated, on=key)
    out["line"] = [str(int(v)) if v == v else "" for v in out["line"]]
    flows = rows[rows["flow"].isin(filtering.FLOWS)].sort_values("flow", ascending=False)
    parts = flows.groupby(["reporter", "year"]).agg(
        ids=("source_id", _join_ids), lines=("line", lambda s: ";".join(str(int(v)) for v in s))
    )
    made = out["computed"].to_numpy()
    if made.any():
        from_flows = out.loc[made].join(parts, on=["reporter", "year"])
        out.loc[made, "source_id"] = from_flows["ids"].to_numpy()
        out.loc[made, "line"] = from_flows["lines"].to_numpy()
    return out


def _ordered(series: pd.DataFrame) -> pd.DataFrame:
    """Per reporter, the flows in the trade chart's drawing and legend order, each by year."""
    order = series["flow"].map({f: i for i, f in enumerate(filtering.SERIES_FLOWS)})
    return series.assign(_o=order).sort_values(["reporter", "_o", "year"]).drop(columns="_o")


def _source(row_label: object, note: object, computed: bool) -> str:
    return str(note) if computed else str(row_label)


def growth(annual: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change in % of each reporter's preferred annual figure, only between adjacent years that both
    exist (a gap gives no change, never one spread over two years). Balances are left out."""
    series = _ordered(annual[annual["flow"].isin(RELATIVE_FLOWS)])
    prev = series[["reporter", "flow", "year", "value", "source_label", "source_id", "line", "computed", "note"]]
    prev = prev.assign(year=prev["year"] + 1).rename(
        columns={
            "value": "prev_value",
            "source_label": "prev_source_label",
            "source_id": "prev_source_id",
            "line": "prev_line",
            "computed": "prev_computed",
            "note": "prev_note",
        }
    )
    out = series.merge(prev, on=["reporter", "flow", "year"], how="inner")
    out = out.rename(columns={"value": "year_value"})
    out["value"] = 100 * (out["year_value"] / out["prev_value"] - 1)
    src = [_source(lab, n, c) for lab, n, c in zip(out["source_label"], out["note"], out["computed"], strict=True)]
    prev_src = [
        _source(lab, n, c)
        for lab, n, c in zip(out["prev_source_label"], out["prev_note"], out["prev_computed"], strict=True)
    ]
    out["note"] = [
        f"{COMPUTED}: change from {y - 1} (US${p:,.2f} bn, {ps}) to {y} (US${v:,.2f} bn, {s})"
        for y, p, v, ps, s in zip(out["year"], out["prev_value"], out["year_value"], prev_src, src, strict=True)
    ]
    out["prev_src"], out["src"] = prev_src, src  # for the note in other languages (localized_notes)
    out["source_label"] = [f"{ps} → {s}" for ps, s in zip(prev_src, src, strict=True)]
    out["source_id"] = out["prev_source_id"].astype(str) + " → " + out["source_id"].astype(str)
    out["line"] = out["prev_line"].astype(str) + " → " + out["line"].astype(str)
    out["computed"] = True
    return out.reset_index(drop=True)


def index(annual: pd.DataFrame, first_year: int) -> pd.DataFrame:
    """Each series as an index, 100 in the first year of the range where the series has a figure (the base
    year is kept in `base_year`, so a chart can say when a series starts later). Balances are left out."""
    series = annual[annual["flow"].isin(RELATIVE_FLOWS) & (annual["year"] >= first_year)]
    series = _ordered(series)
    base = series.groupby(["reporter", "flow"], sort=False).head(1).set_index(["reporter", "flow"])
    out = series.join(
        base[["year", "value"]].rename(columns={"year": "base_year", "value": "base_value"}), on=["reporter", "flow"]
    )
    out = out.rename(columns={"value": "year_value"})
    out["value"] = 100 * out["year_value"] / out["base_value"]
    src = [_source(lab, n, c) for lab, n, c in zip(out["source_label"], out["note"], out["computed"], strict=True)]
    out["note"] = [
        f"{COMPUTED}: US${v:,.2f} bn against US${b:,.2f} bn in {by} = 100 ({s})"
        for v, b, by, s in zip(out["year_value"], out["base_value"], out["base_year"], src, strict=True)
    ]
    out["src"] = src
    out["computed"] = True
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- year to date


def is_ytd(trade: pd.DataFrame) -> pd.Series:
    """Rows that state a year to date: January to some month of the same year (January alone included)."""
    return trade["start"].dt.month.eq(1) & trade["start"].dt.year.eq(trade["end"].dt.year)


def period_kind(trade: pd.DataFrame) -> pd.Series:
    """How a figure's period reads: full year, year to date, single month, quarter, or other months."""
    months = trade["months"]
    kind = pd.Series(N_("other period"), index=trade.index)  # shown translated: t(kind)
    kind[months.eq(3) & trade["start"].dt.month.isin([1, 4, 7, 10])] = N_("quarter")
    kind[months.eq(1)] = N_("single month")
    kind[is_ytd(trade)] = N_("year to date")
    kind[trade["full_year"]] = N_("full year")
    return kind


def ytd_figures(trade: pd.DataFrame) -> pd.DataFrame:
    """Every preferred, stated year-to-date figure (full years as January–December), with the change on the same
    period of the previous year where the data has both (computed here, same reporter, flow and months)."""
    rows = trade[trade["preferred"] & is_ytd(trade)]
    rows = rows[
        [
            "reporter",
            "flow",
            "year",
            "months",
            "period",
            "end",
            "value_usd_bn",
            "status",
            "full_year",
            "source_label",
            "source_url",
            "source_id",
            "line",
            "note",
            *filtering.SOURCE_FIELDS[1:],  # title, publisher, date, qualifier, versions: for the hover
        ]
    ].sort_values(["reporter", "flow", "year", "months"])
    key = ["reporter", "flow", "months"]
    prev = rows[[*key, "year", "value_usd_bn", "period", "source_label", "line"]].assign(year=rows["year"] + 1)
    prev = prev.rename(
        columns={
            "value_usd_bn": "prev_value",
            "period": "prev_period",
            "source_label": "prev_source_label",
            "line": "prev_line",
        }
    )
    out = rows.merge(prev, on=[*key, "year"], how="left")
    out["change_pct"] = 100 * (out["value_usd_bn"] / out["prev_value"] - 1)
    has = out["prev_value"].notna()
    out["change_note"] = ""
    out.loc[has, "change_note"] = [
        f"{COMPUTED}: {c:+.1f}% on {pp} (US${p:,.2f} bn, {ps})"
        for c, pp, p, ps in zip(
            out.loc[has, "change_pct"],
            out.loc[has, "prev_period"],
            out.loc[has, "prev_value"],
            out.loc[has, "prev_source_label"],
            strict=True,
        )
    ]
    out["line"] = out["line"].astype(int).astype(str)
    return out.reset_index(drop=True)


def localized_notes(rows: pd.DataFrame, kind: str, t: Translator) -> list[str]:
    """The 'computed here' notes of growth, index or year-to-date rows in the reader's language (the English
    ones are built once with the tables). A source that is itself a computation note is translated too.

    (No variable named `n` or `p` inside a t(...) call: Babel takes them for the t.n/t.p keywords.)"""
    money = partial(fmt.money, decimals=2, locale=t.locale)
    if kind == "growth":
        sources = [(t(ps), t(s)) for ps, s in zip(rows["prev_src"], rows["src"], strict=True)]  # notes in catalogs
        return [
            t(
                "computed here: change from {prev_year} ({prev_value}, {prev_source}) to {year} ({value}, {source})",
                prev_year=y - 1,
                prev_value=money(before),
                prev_source=ps,
                year=y,
                value=money(v),
                source=s,
            )
            for y, before, v, (ps, s) in zip(rows["year"], rows["prev_value"], rows["year_value"], sources, strict=True)
        ]
    if kind == "index":
        return [
            t(
                "computed here: {value} against {base} in {base_year} = 100 ({source})",
                value=money(v),
                base=money(b),
                base_year=by,
                source=t(s),
            )
            for v, b, by, s in zip(rows["year_value"], rows["base_value"], rows["base_year"], rows["src"], strict=True)
        ]
    sources = [t(ps) if isinstance(ps, str) else ps for ps in rows["prev_source_label"]]
    changes = [fmt.percent_change(c, locale=t.locale) for c in rows["change_pct"]]
    return [  # year to date: the change on the same months of the previous year
        t("computed here: {change} on {period} ({value}, {source})", change=c, period=pp, value=money(v), source=ps)
        if note
        else ""
        for note, c, pp, v, ps in zip(
            rows["change_note"], changes, rows["prev_period"], rows["prev_value"], sources, strict=True
        )
    ]


def of_series(rows: pd.DataFrame, reporter: str, flow: str, years: tuple[int, int]) -> pd.DataFrame:
    """The rows of one reporter and flow in the year range."""
    return rows[(rows["reporter"] == reporter) & (rows["flow"] == flow) & rows["year"].between(*years)]


def ytd_comparison(figures: pd.DataFrame, reporter: str, flow: str, years: tuple[int, int]) -> pd.DataFrame:
    """The year-to-date lines of one reporter and flow: the years in the range that have at least one stated
    January–N figure short of a full year, each with its January–December figure where one is stated."""
    rows = of_series(figures, reporter, flow, years)
    partial_years = set(rows.loc[~rows["full_year"], "year"])
    return rows[rows["year"].isin(partial_years)].reset_index(drop=True)


OTHER_COLUMNS = ["reporter", "flow", "year", "months", "period", "end", "value_usd_bn", "status"]


def other_partial(trade: pd.DataFrame) -> pd.DataFrame:
    """Preferred part-year figures that are not a year to date (single months, quarters, other spans): listed,
    never drawn as year-to-date points nor compared with them."""
    rows = trade[trade["preferred"] & ~trade["full_year"] & ~is_ytd(trade)]
    kind = period_kind(rows)
    rows = rows[[*OTHER_COLUMNS, "source_label", "source_url", "source_id", "line"]]
    return rows.assign(kind=kind, line=rows["line"].astype(int).astype(str)).sort_values("end")


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain Python objects: slicing Arrow-backed strings costs more on every rerun."""
    text = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) and not pd.api.types.is_object_dtype(df[c])]
    return df.astype(dict.fromkeys(text, object)) if text else df


# ---------------------------------------------------------------- trade around a visit


@dataclass(frozen=True)
class AroundVisit:
    """Trade figures around one visit: annual (year before, visit's year, year after), the nearest
    year-to-date figures either side of its date, and the other visits within twelve months."""

    visit: pd.Series
    years: pd.DataFrame
    ytd: pd.DataFrame
    others: pd.DataFrame


ROLE = {-1: N_("year before"), 0: N_("visit's year"), 1: N_("year after")}  # shown translated: t(role)


AROUND_COLUMNS = [
    "reporter",
    "flow",
    "year",
    "role",
    "value",
    "change_pct",
    "prev_value",
    "missing",
    "computed",
    "status",
    "source_label",
    "source_url",
    "source_id",
    "line",
    "note",
]


def around_years(annual: pd.DataFrame, year: int) -> pd.DataFrame:
    """Two-way trade and both flows in the year before, the visit's year and the year after, per reporter that
    has any of them; a missing year is a row marked missing with no value. `change_pct` is on the previous year
    (same reporter and flow, both years present)."""
    wanted = (year - 1, year, year + 1)
    rows = annual[annual["year"].between(year - 2, year + 1) & annual["flow"].isin(AROUND_FLOWS)]
    # a dozen rows: plain Python is far cheaper here than reindexing frames on every new visit
    found = {(r["reporter"], r["flow"], r["year"]): r for r in rows.to_dict("records")}
    present = [rep for rep in ("VN", "CN") if any((rep, f, y) in found for f in AROUND_FLOWS for y in wanted)]
    out = []
    for reporter in present:
        for flow in AROUND_FLOWS:
            for y in wanted:
                row = found.get((reporter, flow, y))
                prev = found.get((reporter, flow, y - 1))
                value = row["value"] if row else float("nan")
                prev_value = prev["value"] if prev else float("nan")
                out.append(
                    {
                        "reporter": reporter,
                        "flow": flow,
                        "year": y,
                        "role": ROLE[y - year],
                        "value": value,
                        "change_pct": 100 * (value / prev_value - 1),
                        "prev_value": prev_value,
                        "missing": row is None,
                        "computed": bool(row and row["computed"]),
                        **{c: (row[c] if row else "") for c in ("status", "source_label", "source_url", "source_id")},
                        "line": row["line"] if row else "",
                        "note": (row["note"] or "") if row else MISSING,
                    }
                )
    return pd.DataFrame(out, columns=AROUND_COLUMNS)


def nearest_ytd(figures: pd.DataFrame, date: pd.Timestamp) -> pd.DataFrame:
    """Per reporter and flow, the stated year-to-date figure (short of a full year) whose period ends last before
    the visit's date, and the one that ends first after it."""
    part = figures[~figures["full_year"]]
    before = part[part["end"] < date].sort_values("end").groupby(["reporter", "flow"]).tail(1)
    after = part[part["end"] >= date].sort_values("end").groupby(["reporter", "flow"]).head(1)
    out = pd.concat([before.assign(side=N_("before the visit")), after.assign(side=N_("after the visit"))])
    order = {"VN": 0, "CN": 1}
    return (
        out.assign(_r=out["reporter"].map(order), _f=out["flow"].map({f: i for i, f in enumerate(YTD_FLOWS)}))
        .sort_values(["_r", "_f", "end"])
        .drop(columns=["_r", "_f"])
        .reset_index(drop=True)
    )


def visits_nearby(visits: pd.DataFrame, visit_id: str, days: int = WINDOW_DAYS) -> pd.DataFrame:
    """The other visits that start within `days` before or after the chosen visit's start."""
    start = visits.loc[visits["visit_id"] == visit_id, "start_date"].iloc[0]
    gap = (visits["start_date"] - start).dt.days
    near = visits[(gap.abs() <= days) & (visits["visit_id"] != visit_id)]
    return near.assign(days_from_visit=gap[near.index]).sort_values("start_date")


def around_visit(annual: pd.DataFrame, figures: pd.DataFrame, visits: pd.DataFrame, visit_id: str) -> AroundVisit:
    """Everything the 'trade around the visit' block shows for one visit."""
    visit = visits.loc[visits["visit_id"] == visit_id].iloc[0]
    return AroundVisit(
        visit=visit,
        years=around_years(annual, int(visit["start_date"].year)),
        ytd=nearest_ytd(figures, visit["start_date"]),
        others=visits_nearby(visits, visit_id),
    )


# ---------------------------------------------------------------- per dataset


VISIT_COLUMNS = ["visit_id", "start_date", "end_date", "visitor", "visitor_title", "office", "direction"]
VISIT_COLUMNS += ["visitor_zh", "visit_type", "source_labels", "source_urls"]
# what growth, index and the trade around a visit need of the annual series
ANNUAL_COLUMNS = ["reporter", "year", "date", "flow", "value", "computed", "status", "note", *SOURCE_COLUMNS]


@dataclass(frozen=True)
class Tables:
    """The view-independent analysis tables of one dataset."""

    annual: pd.DataFrame  # filtering's annual series with source ids and data/ lines
    growth: pd.DataFrame
    ytd: pd.DataFrame  # stated January–N figures, with the change on the same months of the previous year
    others: pd.DataFrame  # part-year figures that are not a year to date
    visits: pd.DataFrame  # the visits' columns the trade around a visit shows


@lru_cache(maxsize=4)
def tables(ds: Dataset) -> Tables:
    """Computed once per (read-only) dataset; a rerun only slices them."""
    annual = _plain(with_lines(filtering.derived(ds).annual, ds.trade)[ANNUAL_COLUMNS])
    return Tables(
        visits=_plain(ds.visits[VISIT_COLUMNS]),
        annual=annual,
        growth=_plain(growth(annual)),
        ytd=_plain(ytd_figures(filtering.derived(ds).trade)),
        others=_plain(other_partial(ds.trade)),
    )


def measure_series(ds: Dataset, measure: str, years: tuple[int, int], reporters: tuple[str, ...]) -> pd.DataFrame:
    """The trade chart's series in the chosen measure, in the year range and for the reporters."""
    t = tables(ds)
    if measure == "growth":
        return filtering.select(t.growth, years, reporters).reset_index(drop=True)
    annual = filtering.select(t.annual, years, reporters)
    if measure == "index":
        return index(annual, years[0])
    return annual.reset_index(drop=True)
