"""Pure functions: validated tables × view → the tables the page shows. No Streamlit, no figures.

Each filter applies where it makes sense: the year range everywhere; the reporter to the trade chart (the mirror
chart always compares both); direction, office, visitor, type and the text search to the visits.
Totals and balances that no source states are computed here, and marked `computed`, never stored in data/.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from components.dataset import Dataset, fold
from components.view import Choices, View

FLOWS = ("vn_to_cn", "cn_to_vn")
SERIES_FLOWS = (*FLOWS, "total", "balance")  # drawing and legend order
MAX_VERSIONS_DRAWN = 5  # beyond this many other versions of one point, draw only the lowest and the highest
SERIES_COLUMNS = [
    "reporter",
    "year",
    "date",
    "flow",
    "value",
    "computed",
    "status",
    "source_label",
    "source_url",
    "note",
]
COMPUTED_TOTAL = "computed here: sum of the two flows"
COMPUTED_BALANCE = "computed here: Vietnam → China minus China → Vietnam"


@dataclass(frozen=True)
class Filtered:
    """The tables behind every chart and table of the page, for one view."""

    annual: pd.DataFrame  # full-year series per reporter and flow, incl. total and balance
    versions: pd.DataFrame  # full-year figures that disagree with the preferred one
    partial: pd.DataFrame  # preferred partial-year figures
    mirror: pd.DataFrame  # both reporters side by side per flow and year, with the gap
    visits: pd.DataFrame
    indicators: pd.DataFrame
    years: tuple[int, int]


def mid_year(years: pd.Series) -> pd.Series:
    """Annual values are drawn at 1 July, so they line up with the visits of that year on a date axis."""
    return pd.to_datetime(years.astype(int).astype(str) + "-07-01")


def annual_series(trade: pd.DataFrame) -> pd.DataFrame:
    """Preferred full-year figures, long format, with the two-way total (stated, else computed) and the balance."""
    full = trade[trade["full_year"] & trade["preferred"]]
    stated = full.assign(computed=False, value=full["value_usd_bn"])[
        ["reporter", "year", "flow", "value", "computed", "status", "source_label", "source_url", "note"]
    ]
    wide = full[full["flow"].isin(FLOWS)].pivot_table(
        index=["reporter", "year"], columns="flow", values="value_usd_bn", aggfunc="first"
    )
    wide = wide.reindex(columns=list(FLOWS)).dropna()
    status = (
        full[full["flow"].isin(FLOWS)]
        .groupby(["reporter", "year"])["status"]
        .agg(lambda s: "final" if (s == "final").all() else "preliminary")
    )
    derived = []
    if not wide.empty:
        has_total = set(map(tuple, stated.loc[stated["flow"] == "total", ["reporter", "year"]].to_numpy()))
        sums = wide.sum(axis=1)
        keep = [key not in has_total for key in sums.index]
        derived.append(pd.DataFrame({"flow": "total", "value": sums[keep], "note": COMPUTED_TOTAL}))
        derived.append(
            pd.DataFrame({"flow": "balance", "value": wide["vn_to_cn"] - wide["cn_to_vn"], "note": COMPUTED_BALANCE})
        )
    if derived:
        computed = pd.concat(derived).reset_index()
        computed = computed.assign(
            computed=True,
            status=computed.set_index(["reporter", "year"]).index.map(status),
            source_label="",
            source_url="",
        )
        series = pd.concat([stated, computed], ignore_index=True)
    else:
        series = stated
    series = series.assign(date=mid_year(series["year"])) if len(series) else series.assign(date=pd.NaT)
    order = series["flow"].map({f: i for i, f in enumerate(SERIES_FLOWS)})
    return series.assign(_order=order).sort_values(["reporter", "_order", "year"], ignore_index=True)[SERIES_COLUMNS]


def disagreeing_versions(trade: pd.DataFrame) -> pd.DataFrame:
    """Non-preferred full-year figures whose value differs from the preferred one: the conflicts to show.

    Where a point has more than MAX_VERSIONS_DRAWN such versions, only the lowest and the highest are kept, with
    the count in `n_versions`: the spread stays visible without a cloud of markers, and the figure does not grow
    with the number of sources (every version is in the trade CSV).
    """
    full = trade[trade["full_year"]]
    key = ["reporter", "year", "flow"]
    preferred = full[full["preferred"]].set_index(key)["value_usd_bn"].rename("preferred_value")
    others = full[~full["preferred"]].join(preferred, on=key)
    others = others[(others["value_usd_bn"] - others["preferred_value"]).abs() > 1e-9].sort_values("value_usd_bn")
    groups = others.groupby(key, sort=False)
    others = others.assign(n_versions=groups["value_usd_bn"].transform("size"))
    ends = pd.concat([groups.head(1), groups.tail(1)]).index
    keep = others.index.isin(ends) | (others["n_versions"] <= MAX_VERSIONS_DRAWN)
    return others[keep].assign(date=lambda df: mid_year(df["year"]))


def mirror_table(series: pd.DataFrame) -> pd.DataFrame:
    """Vietnam- and China-reported values of the same flow and year, and the gap between them."""
    flows = series[series["flow"].isin((*FLOWS, "total"))]
    wide = flows.pivot_table(index=["flow", "year"], columns="reporter", values="value", aggfunc="first")
    wide = wide.reindex(columns=["VN", "CN"]).dropna().reset_index()
    wide["gap"] = wide["CN"] - wide["VN"]
    wide["gap_pct"] = 100 * wide["gap"] / wide["VN"]
    wide["date"] = mid_year(wide["year"])
    return wide


def filter_visits(visits: pd.DataFrame, view: View, years: tuple[int, int]) -> pd.DataFrame:
    """The visits that match every visit filter of the view."""
    mask = visits["start_date"].dt.year.between(*years)
    if view.directions:
        mask &= visits["direction"].isin(view.directions)
    if view.offices:
        mask &= visits["office"].isin(view.offices)
    if view.visit_types:  # a state visit made alongside a summit counts as a state visit too
        mask &= visits["visit_type"].isin(view.visit_types) | visits["bilateral_part"].isin(view.visit_types)
    if view.visitors:
        mask &= visits["visitor"].isin(view.visitors)
    for word in fold(view.query).split():
        mask &= visits["search_text"].str.contains(word, regex=False)
    return visits[mask]


@dataclass(frozen=True)
class Derived:
    """Tables that depend on the dataset only, not on the view: computed once per dataset."""

    annual: pd.DataFrame
    versions: pd.DataFrame
    partial: pd.DataFrame
    mirror: pd.DataFrame


@lru_cache(maxsize=4)
def derived(ds: Dataset) -> Derived:
    """Annual series, conflicting versions, partial years and mirror table, memoised per (read-only) dataset,
    so a rerun only slices them."""
    trade = ds.trade
    annual = annual_series(trade)
    partial = trade[~trade["full_year"] & trade["preferred"]].sort_values(["end", "months"])
    return Derived(annual, disagreeing_versions(trade), partial, mirror_table(annual))


def reporters(view: View) -> tuple[str, ...]:
    """The reporters whose trade figures the view shows."""
    return ("VN", "CN") if view.reporter == "both" else (view.reporter,)


def select(df: pd.DataFrame, years: tuple[int, int], by: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows in the year range and, when `by` is given, of those reporters."""
    mask = df["year"].between(*years)
    if by is not None:
        mask &= df["reporter"].isin(by)
    return df[mask]


def apply(ds: Dataset, view: View, choices: Choices) -> Filtered:
    """Everything the page needs for one view: slices of the derived tables, and the filtered visits."""
    years = view.years(choices)
    chosen = reporters(view)
    base = derived(ds)
    return Filtered(
        annual=select(base.annual, years, chosen).reset_index(drop=True),
        versions=select(base.versions, years, chosen),
        partial=select(base.partial, years, chosen),
        mirror=select(base.mirror, years),
        visits=filter_visits(ds.visits, view, years),
        indicators=ds.indicators[ds.indicators["year"].between(*years)],
        years=years,
    )


@dataclass(frozen=True)
class Headline:
    """The numbers at the top of the page, always from the latest data whatever the year filter."""

    reporter: str
    year: int | None = None
    total: float | None = None
    total_change_pct: float | None = None
    total_note: str = ""
    total_status: str = "final"
    balance: float | None = None
    balance_prev: float | None = None
    partial_period: str = ""
    partial_flow: str = ""
    partial_value: float | None = None
    partial_status: str = ""
    partial_source: str = ""


def headline(ds: Dataset, view: View) -> Headline:
    """Latest full year's two-way trade and its change, Vietnam's balance, and the latest partial-year figure."""
    return _headline(ds, "VN" if view.reporter == "both" else view.reporter)


@lru_cache(maxsize=8)
def _headline(ds: Dataset, reporter: str) -> Headline:
    """Depends on the dataset and the reporter only, so it is computed once per pair."""
    rows = ds.trade[ds.trade["reporter"] == reporter]
    series = derived(ds).annual
    series = series[series["reporter"] == reporter]
    totals = series[series["flow"] == "total"].set_index("year").sort_index()
    out: dict = {"reporter": reporter}
    if len(totals):
        year = int(totals.index[-1])
        latest = totals.iloc[-1]
        out.update(
            year=year,
            total=float(latest["value"]),
            total_status=latest["status"],
            total_note=latest["note"] if latest["computed"] else f"Source: {latest['source_label']}",
        )
        if year - 1 in totals.index:
            out["total_change_pct"] = 100 * (latest["value"] / totals.loc[year - 1, "value"] - 1)
        balance = series[series["flow"] == "balance"].set_index("year")["value"]
        out["balance"] = float(balance[year]) if year in balance.index else None
        out["balance_prev"] = float(balance[year - 1]) if year - 1 in balance.index else None
    partial = rows[~rows["full_year"] & rows["preferred"]]
    if len(partial):
        last = partial[partial["end"] == partial["end"].max()]
        rank = last["flow"].map({"total": 0, "cn_to_vn": 1, "vn_to_cn": 2})
        pick = last.assign(rank=rank).sort_values(["months", "rank"], ascending=[False, True]).iloc[0]
        out.update(
            partial_period=pick["period"],
            partial_flow=pick["flow"],
            partial_value=float(pick["value_usd_bn"]),
            partial_status=pick["status"],
            partial_source=pick["source_label"],
        )
    return Headline(**out)
