"""Pure functions: validated tables × view → the tables the page shows. No Streamlit, no figures.

Each filter applies where it makes sense: the year range everywhere; the reporter to the trade chart (the mirror
chart always compares both); direction, office, visitor, type and the text search to the visits.
Totals and balances that no source states are computed here, and marked `computed`, never stored in data/.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from components import formatting as fmt
from components.dataset import Dataset, fold
from components.i18n import N_, Translator, from_locale, translator
from components.view import Choices, View, recent_span

FLOWS = ("vn_to_cn", "cn_to_vn")
SERIES_FLOWS = (*FLOWS, "total", "balance")  # drawing and legend order
MAX_VERSIONS_DRAWN = 5  # beyond this many other versions of one point, draw only the lowest and the highest
SOURCE_FIELDS = ["source_id", "source_title", "source_publisher", "source_published", "qualifier", "n_other"]
NO_SOURCE = {  # what a computed figure has in the source fields
    "source_id": "",
    "source_title": "",
    "source_publisher": "",
    "source_published": "",
    "qualifier": "exact",
    "n_other": 0,
}
TRADE_KEY = ["reporter", "period_start", "period_end", "flow"]  # one figure; several rows are its versions
INDICATOR_KEY = ["indicator", "period_start", "period_end"]
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
    *SOURCE_FIELDS,
]
COMPUTED_TOTAL = N_("computed here: sum of the two flows")  # shown translated: t(note)
COMPUTED_BALANCE = N_("computed here: Vietnam → China minus China → Vietnam")


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


def with_sources(rows: pd.DataFrame, sources: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Each figure with its source's title, publisher and date, its qualifier ('over', 'about'...; a missing
    column counts as exact) and how many other versions of the same figure the data holds, for hovers."""
    src = sources.set_index("source_id")
    qualifier = rows["qualifier"].replace("", "exact").fillna("exact") if "qualifier" in rows else "exact"
    return rows.assign(
        source_title=rows["source_id"].map(src["title"]).fillna(""),
        source_publisher=rows["source_id"].map(src["publisher"]).fillna(""),
        source_published=rows["source_id"].map(src["published"]).fillna(""),
        qualifier=qualifier,
        n_other=rows.groupby(key)["source_id"].transform("size") - 1,
    )


def annual_series(trade: pd.DataFrame) -> pd.DataFrame:
    """Preferred full-year figures, long format, with the two-way total (stated, else computed) and the balance.

    `trade` is the trade table with its sources joined (`with_sources`)."""
    full = trade[trade["full_year"] & trade["preferred"]]
    full = full.assign(**{k: v for k, v in NO_SOURCE.items() if k not in full})  # a table without sources joined
    stated = full.assign(computed=False, value=full["value_usd_bn"])[[c for c in SERIES_COLUMNS if c != "date"]]
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
        exports, imports = wide["vn_to_cn"], wide["cn_to_vn"]
        sums = round_to_inputs(exports + imports, exports, imports)
        keep = [key not in has_total for key in sums.index]
        derived.append(pd.DataFrame({"flow": "total", "value": sums[keep], "note": COMPUTED_TOTAL}))
        balance = round_to_inputs(exports - imports, exports, imports)
        derived.append(pd.DataFrame({"flow": "balance", "value": balance, "note": COMPUTED_BALANCE}))
    if derived:
        computed = pd.concat(derived).reset_index()
        computed = computed.assign(
            computed=True,
            status=computed.set_index(["reporter", "year"]).index.map(status),
            source_label="",
            source_url="",
            **NO_SOURCE,
        )
        series = pd.concat([stated, computed], ignore_index=True)
    else:
        series = stated
    series = series.assign(date=mid_year(series["year"])) if len(series) else series.assign(date=pd.NaT)
    order = series["flow"].map({f: i for i, f in enumerate(SERIES_FLOWS)})
    return series.assign(_order=order).sort_values(["reporter", "_order", "year"], ignore_index=True)[SERIES_COLUMNS]


def places(value: float) -> int:
    """How many decimals a value is stated with (66.72759 → 5): the shortest text that reads back as it."""
    return len(repr(float(value)).partition(".")[2].rstrip("0")) if pd.notna(value) else 0


def decimals(values: pd.Series) -> pd.Series:
    """How many decimals each value is stated with (`places`, per value)."""
    return values.map(places)


def round_to_inputs(result: pd.Series, *inputs: pd.Series) -> pd.Series:
    """A sum or difference computed here, rounded to the most decimals its inputs are stated with: 10.1234 +
    17.2042 is 27.3276, not the 27.327599999999997 of binary floating point."""
    places = pd.concat([decimals(i) for i in inputs], axis=1).max(axis=1)
    return pd.Series(
        [round(v, int(p)) if pd.notna(v) else v for v, p in zip(result, places, strict=True)], index=result.index
    )


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


def _texts_at(index: pd.Index, texts: pd.Series) -> pd.Index:
    """`texts` at each key of `index`, "" where it has none. Where it has none at all (a side that reports no
    year in the range), the lookup gives float NaNs, which pandas 4 will refuse to fill with text."""
    found = index.map(texts)
    return pd.Index([""] * len(index), dtype=texts.dtype) if found.isna().all() else found.fillna("")


def mirror_table(series: pd.DataFrame) -> pd.DataFrame:
    """Vietnam- and China-reported values of the same flow and year, and the gap between them.

    Every year either side reports is kept, so each side's own figures are drawn where they exist; the gap is
    empty unless both exist."""
    flows = series[series["flow"].isin((*FLOWS, "total"))]
    # a total computed here has no source: its note ("computed here: sum of the two flows") stands for it
    flows = flows.assign(source=flows["source_label"].where(flows["source_label"] != "", flows["note"]))
    wide = flows.pivot_table(index=["flow", "year"], columns="reporter", values="value", aggfunc="first")
    wide = wide.reindex(columns=["VN", "CN"]).dropna(how="all")
    for reporter in ("VN", "CN"):  # each side's figure with its source, so the table and its CSV cite both
        mine = flows[flows["reporter"] == reporter].set_index(["flow", "year"])
        wide[f"{reporter}_source"] = _texts_at(wide.index, mine["source"])
        wide[f"{reporter}_source_url"] = _texts_at(wide.index, mine["source_url"])
    wide = wide.reset_index()
    wide["gap"] = round_to_inputs(wide["CN"] - wide["VN"], wide["CN"], wide["VN"])
    wide["gap_pct"] = (100 * wide["gap"] / wide["VN"]).round(2)
    wide["date"] = mid_year(wide["year"])
    sources = [f"{r}_{c}" for r in ("VN", "CN") for c in ("source", "source_url")]
    return wide[["flow", "year", "VN", "CN", "gap", "gap_pct", *sources, "date"]]


SEARCH_FIELDS = {  # searched visit fields and how a match names them (translated where shown: sections)
    "visitor": N_("Visitor"),
    "visitor_title": N_("Title"),
    "cities": N_("Cities"),
    "host": N_("Received by"),
    "outcomes": N_("Outcomes"),
}
ROLE_FIELDS = {  # which fields a name may be found in, by the person's role in the visit
    "any": tuple(SEARCH_FIELDS),
    "visited": ("visitor", "visitor_title", "cities", "outcomes"),
    "hosted": ("cities", "host", "outcomes"),
}
STEM_MIN = 4  # a word this long or longer also matches the words it begins ('rail' ~ 'railway')
SNIPPET = 40  # characters of context either side of a match
_WORD = re.compile(r"\w+")
_SUFFIXES = (("ies", "y"), ("ings", ""), ("ing", ""), ("es", "e"), ("ed", ""), ("s", ""))


def stem(word: str) -> str:
    """A crude English stem of a folded word: 'railways' → 'railway', 'cities' → 'city', 'signed' → 'sign'."""
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith(("ss", "us")):
            return word[: -len(suffix)] + repl
    return word


def _same_word(query: str, word: str) -> bool:
    """Whole words after stemming, or one begins the other when the shorter is at least STEM_MIN letters
    ('railway' finds 'rail links', 'rail' finds 'railway'); short words such as names must match whole."""
    if query == word:
        return True
    short, long = sorted((query, word), key=len)
    return len(short) >= STEM_MIN and long.startswith(short)


def parse_query(query: str) -> list[list[str]]:
    """Stemmed words, AND within a group, groups joined by the word OR (upper case, as typed)."""
    groups: list[list[str]] = [[]]
    for raw in query.split():
        if raw == "OR":
            groups.append([])
            continue
        groups[-1].extend(stem(w) for w in _WORD.findall(fold(raw)))
    return [g for g in groups if g]


@lru_cache(maxsize=8192)  # the visits' texts (about 500 today): a search then folds and stems no text twice
def _tokens(text: str) -> tuple[tuple[str, int, int], ...]:
    """Each word of a text, folded and stemmed, with its position in the original text (for the snippet)."""
    return tuple((stem(fold(m.group())), m.start(), m.end()) for m in _WORD.finditer(text or ""))


def _snippet(label: str, text: str, start: int, end: int) -> str:
    left, right = max(start - SNIPPET, 0), min(end + SNIPPET, len(text))
    left = text.find(" ", left) + 1 if left else 0  # whole words at both ends
    right = text.rfind(" ", end, right) if right < len(text) and text.rfind(" ", end, right) > 0 else right
    return f"{label}: {'…' if left else ''}{text[left:right].strip()}{'…' if right < len(text) else ''}"


def _vocabulary(visits: pd.DataFrame, fields: tuple[str, ...]) -> set[str]:
    """Every distinct folded word of these fields: a search compares each query word with each once."""
    return {t for name in fields for text in visits[name] for t, _, _ in _tokens(text)}


def search_matches(visits: pd.DataFrame, query: str, role: str = "any") -> pd.Series:
    """For each visit, where the search matched ('Outcomes: …rail links…'), or '' where it did not.

    Every word of a group must be found (in any of the fields the role allows); any group may match."""
    groups = parse_query(query)
    fields = ROLE_FIELDS.get(role, ROLE_FIELDS["any"])
    out = []
    same = {(w, t): _same_word(w, t) for w in {w for g in groups for w in g} for t in _vocabulary(visits, fields)}
    for row in visits[list(fields)].itertuples(index=False):
        tokens = {name: _tokens(text) for name, text in zip(fields, row, strict=True)}
        found = ""
        for group in groups:
            first = None
            for word in group:
                hit = next(((name, a, b) for name in fields for t, a, b in tokens[name] if same[word, t]), None)
                if hit is None:
                    first = None
                    break
                first = first or hit
            if first:
                name, a, b = first
                found = _snippet(SEARCH_FIELDS[name], getattr(row, name), a, b)
                break
        out.append(found)
    return pd.Series(out, index=visits.index, dtype=object)


def _names_in(text: pd.Series, names: tuple[str, ...]) -> pd.Series:
    """Whether the folded text names one of these people, as whole words."""
    patterns = [re.compile(r"\b" + re.escape(fold(n)) + r"\b") for n in names]
    folded = text.fillna("").map(fold)
    return folded.map(lambda t: any(p.search(t) for p in patterns)).astype(bool)


def filter_visits(
    visits: pd.DataFrame, view: View, years: tuple[int, int], checked: dt.date | None = None
) -> pd.DataFrame:
    """The visits that match every visit filter of the view, newest first; with a search, a `match` column says
    where. `checked` is the date the sources were last checked (the end of `recent`).

    Names (the visitor filter and the search) count the person's role: `visited` (the visitor), `hosted` (who
    received the visit) or `any`."""
    return newest_first(with_matches(visits[visit_mask(visits, view, years, checked)], view))


def newest_first(visits: pd.DataFrame) -> pd.DataFrame:
    """Visits in the order every list of them uses: the latest start first, the data's order among equals."""
    return visits.iloc[newest_order(visits)]


def newest_order(visits: pd.DataFrame) -> np.ndarray:
    """The positions of `newest_first`'s order."""
    start = visits["start_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    return np.argsort(-start, kind="stable")


def visit_mask(visits: pd.DataFrame, view: View, years: tuple[int, int], checked: dt.date | None = None) -> np.ndarray:
    """Which visits pass the year (or latest-months), direction, office, type and name filters (the search
    aside), as a numpy mask: a rerun to a new view pays array comparisons, not a chain of pandas operations."""
    role = getattr(view, "role", "any")
    start = visits["start_date"].to_numpy().astype("datetime64[D]")
    span = recent_span(checked, getattr(view, "recent", 0))
    if span:  # the latest months the data covers, whatever the year range
        mask = (start >= np.datetime64(span[0])) & (start <= np.datetime64(span[1]))
    else:
        year = start.astype("datetime64[Y]").astype(int) + 1970
        mask = (year >= years[0]) & (year <= years[1])
    if view.directions:
        mask &= np.isin(visits["direction"].to_numpy(dtype=object), view.directions)
    if view.offices:
        mask &= np.isin(visits["office"].to_numpy(dtype=object), view.offices)
    if view.visit_types:  # a state visit made alongside a summit counts as a state visit too
        mask &= np.isin(visits["visit_type"].to_numpy(dtype=object), view.visit_types) | np.isin(
            visits["bilateral_part"].to_numpy(dtype=object), view.visit_types
        )
    if view.visitors:
        visited = np.isin(visits["visitor"].to_numpy(dtype=object), view.visitors)
        if role == "visited":
            mask &= visited
        else:
            hosted = _names_in(visits.loc[mask, "host"], view.visitors).reindex(visits.index, fill_value=False)
            mask &= hosted.to_numpy() if role == "hosted" else visited | hosted.to_numpy()
    return mask


def with_matches(kept: pd.DataFrame, view: View) -> pd.DataFrame:
    """The visits a search finds among those kept by the other filters, with a `match` column saying where; with
    a name filter, whether the person made or received each visit."""
    role = getattr(view, "role", "any")
    if view.query:
        matches = search_matches(kept, view.query, role)
        return kept.assign(match=matches)[matches != ""]
    if view.visitors and role != "visited":  # say which visits the person made and which they received
        return kept.assign(match=_name_matches(kept, view.visitors))
    return kept


def _name_matches(visits: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    """'Visitor: Tô Lâm' for a visit the person made, 'Received by: …Tô Lâm…' for one they received."""
    out = []
    for visitor, host in zip(visits["visitor"], visits["host"].fillna(""), strict=True):
        if visitor in names:
            out.append(f"{SEARCH_FIELDS['visitor']}: {visitor}")
            continue
        folded = fold(host)
        hit = next((m for n in names if (m := re.search(r"\b" + re.escape(fold(n)) + r"\b", folded))), None)
        out.append(_snippet(SEARCH_FIELDS["host"], host, hit.start(), hit.end()) if hit else "")
    return pd.Series(out, index=visits.index, dtype=object)


def person_counts(visits: pd.DataFrame, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """For each named person, how many of these visits they made and how many they received (hosted): the
    person filter finds both, and a reader must see which is which."""
    return {
        name: (
            int((visits["visitor"].to_numpy(dtype=object) == name).sum()),
            int(_names_in(visits["host"], (name,)).sum()),
        )
        for name in names
    }


VISIT_COUNT_COLUMNS = ["visitor", "offices", "direction", "visits", "latest"]


def visit_counts(visits: pd.DataFrame, offices: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Who made the most of these visits: one row per visitor, the offices they held on them (labels from
    `offices`, in the order first held), their direction, the count and the latest start; most visits first,
    then the most recent."""
    if visits.empty:
        return pd.DataFrame(columns=VISIT_COUNT_COLUMNS)
    labels = offices or {}
    ordered = visits.sort_values("start_date", kind="stable")
    rows = [
        {
            "visitor": visitor,
            "offices": ", ".join(dict.fromkeys(labels.get(o, o) for o in group["office"])),
            "direction": group["direction"].iloc[-1],
            "visits": len(group),
            "latest": group["start_date"].iloc[-1],
        }
        for visitor, group in ordered.groupby("visitor", sort=False)
    ]
    table = pd.DataFrame(rows, columns=VISIT_COUNT_COLUMNS)
    return table.sort_values(["visits", "latest"], ascending=False, kind="stable", ignore_index=True)


@dataclass(frozen=True)
class Derived:
    """Tables that depend on the dataset only, not on the view: computed once per dataset."""

    annual: pd.DataFrame
    versions: pd.DataFrame
    partial: pd.DataFrame
    mirror: pd.DataFrame
    trade: pd.DataFrame  # every trade row with its source's title, publisher, date and version count
    indicators: pd.DataFrame  # the same for the other indicators


@lru_cache(maxsize=4)
def derived(ds: Dataset) -> Derived:
    """Annual series, conflicting versions, partial years and mirror table, memoised per (read-only) dataset,
    so a rerun only slices them."""
    trade = with_sources(ds.trade, ds.sources, TRADE_KEY)
    annual = annual_series(trade)
    partial = trade[~trade["full_year"] & trade["preferred"]].sort_values(["end", "months"])
    indicators = with_sources(ds.indicators, ds.sources, INDICATOR_KEY)
    return Derived(annual, disagreeing_versions(trade), partial, mirror_table(annual), trade, indicators)


def reporters(view: View) -> tuple[str, ...]:
    """The reporters whose trade figures the view shows."""
    return ("VN", "CN") if view.reporter == "both" else (view.reporter,)


def rows_in(df: pd.DataFrame, years: tuple[int, int], by: tuple[str, ...] | None = None) -> np.ndarray:
    """Which rows lie in the year range and, when `by` is given, are of those reporters (a numpy mask: on frames
    of a few hundred rows, pandas' own comparisons cost more than the work)."""
    year = df["year"].to_numpy()
    mask = (year >= years[0]) & (year <= years[1])
    if by is not None:
        mask &= np.isin(df["reporter"].to_numpy(dtype=object), by)
    return mask


def select(df: pd.DataFrame, years: tuple[int, int], by: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Rows in the year range and, when `by` is given, of those reporters."""
    return df[rows_in(df, years, by)]


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
        visits=filter_visits(ds.visits, view, years, ds.last_updated),
        indicators=base.indicators[base.indicators["year"].between(*years)],
        years=years,
    )


@dataclass(frozen=True)
class Card:
    """One headline card: a formatted value, or (value "") the one-line reason there is none. Never an empty slot."""

    label: str
    value: str = ""
    delta: str | None = None
    note: str = ""  # one line under the card: what the figure is, or why there is none
    help: str = ""
    delta_color: str = "normal"

    @property
    def available(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class Headline:
    """The cards at the top of the page, following the year range and the reporter.

    With both reporters chosen, the cards use Vietnam's figures (the series that runs to the latest year and has
    both flows every year); the total card's help gives China's figure for the same year where there is one.
    """

    reporter: str
    years: tuple[int, int]
    total: Card
    balance: Card
    partial: Card
    year: int | None = None  # the full year of the total card
    total_value: float | None = None
    balance_year: int | None = None
    partial_period: str = ""
    partial_value: float | None = None


CARD_REPORTER = {"VN": "VN", "CN": "CN", "both": "VN"}  # whose figures the cards use
WHOSE = {"VN": "Vietnam's", "CN": "China's"}
WHOSE_FIGURES = {"VN": N_("Vietnam's figures"), "CN": N_("China's figures")}
FLAG = {"preliminary": N_("(preliminary)"), "estimate": N_("(estimate)")}


def _flag(status: str, t: Translator) -> str:
    """' (preliminary)' after a label, in the reader's language; nothing for a final figure."""
    return " " + t(FLAG[status]) if status in FLAG else ""


def headline(ds: Dataset, view: View, choices: Choices | None = None, locale: str = "en") -> Headline:
    """Cards for the latest full year inside the chosen years, from the chosen reporter's figures."""
    years = view.years(choices or Choices.from_dataset(ds))
    return _headline(ds, CARD_REPORTER[view.reporter], years, view.reporter == "both", locale)


def _qualifier(row: object) -> str:
    value = getattr(row, "qualifier", "exact")
    return value if isinstance(value, str) and value else "exact"


def _outside(available: Iterable[int], years: tuple[int, int], what: str, figures: str, t: Translator) -> str:
    """Why a card has no value: the nearest years where this figure exists, against the chosen range."""
    before = [y for y in available if y < years[0]]
    after = [y for y in available if y > years[1]]
    nearest = [str(int(y)) for y in (max(before, default=None), min(after, default=None)) if y]
    where = ""
    if nearest:
        both = t("{first} and {second}", first=nearest[0], second=nearest[1]) if len(nearest) == 2 else nearest[0]
        where = t("; nearest: {years}", years=both)
    return t(
        "No {what} in {figures} for {span}{where}.", what=t(what), figures=figures, span=fmt.span(years), where=where
    )


def prepare(ds: Dataset) -> Dataset:
    """Derive the per-dataset tables of the headline cards for each reporter when the dataset loads: left to the
    first view that needs them, a burst of readers on new links computed each of them once per reader at once."""
    derived(ds)
    for reporter in ("VN", "CN"):
        _figures(ds, reporter)
    _vocabulary(ds.visits, tuple(SEARCH_FIELDS))  # the search's folded words of every visit
    return ds


@lru_cache(maxsize=8)
def ytd_totals(ds: Dataset, reporter: str) -> pd.DataFrame:
    """One reporter's year-to-date two-way totals: they depend on the (read-only) dataset alone, so they are
    derived once, not on every rerun (they were 40 % of an unseen view's rerun). Treat as read-only."""
    return _ytd_totals(ds.trade[ds.trade["reporter"] == reporter])


def _ytd_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Year-to-date two-way totals per period (January to some month), as stated: the figures the year-to-date
    chart draws, so the card and the chart agree (a period with only its two flows, often from two different
    agencies, is left to the chart's table)."""
    ytd = rows[~rows["full_year"] & rows["preferred"] & rows["start"].dt.month.eq(1) & rows["flow"].eq("total")]
    ytd = ytd.drop_duplicates(["start", "end"])
    columns = ["start", "end", "year", "months", "value", "status", "qualifier", "sources"]
    return pd.DataFrame(
        {
            "start": ytd["start"],
            "end": ytd["end"],
            "year": ytd["end"].dt.year,
            "months": ytd["months"],
            "value": ytd["value_usd_bn"],
            "status": ytd["status"],
            "qualifier": [_qualifier(r) for r in ytd.itertuples()],
            "sources": ytd["source_label"],
        },
        columns=columns,
    ).reset_index(drop=True)


@dataclass(frozen=True)
class _Figures:
    """One reporter's full-year totals and balances by year, and its year-to-date totals, as plain Python."""

    totals: dict[int, dict]
    flows: dict[int, dict[str, dict]]  # the two stated flows by year
    balances: dict[int, float]
    ytd: list[dict]  # in the order of ytd_totals
    ytd_sorted: list[dict]  # by period end, then length


@lru_cache(maxsize=8)
def _figures(ds: Dataset, reporter: str) -> _Figures:
    """Built once per dataset: a new year range then picks years from dicts instead of filtering frames."""
    annual = derived(ds).annual
    mine = annual[annual["reporter"] == reporter]
    totals = {int(r["year"]): r for r in mine[mine["flow"] == "total"].to_dict("records")}
    flows: dict[int, dict[str, dict]] = {}
    for r in mine[mine["flow"].isin(FLOWS) & ~mine["computed"]].to_dict("records"):
        flows.setdefault(int(r["year"]), {})[r["flow"]] = r
    balances = {int(y): float(v) for y, v in mine.loc[mine["flow"] == "balance", ["year", "value"]].to_numpy()}
    ytd = ytd_totals(ds, reporter).to_dict("records")
    return _Figures(totals, flows, balances, ytd, sorted(ytd, key=lambda r: (r["end"], r["months"])))


@lru_cache(maxsize=32)
def _headline(ds: Dataset, reporter: str, years: tuple[int, int], both: bool, locale: str) -> Headline:
    """Depends on the dataset, the reporter, the years and the locale only, so it is computed once per set."""
    t = translator(from_locale(locale))
    figures = t(WHOSE_FIGURES[reporter])
    who = figures + (" " + t("(both chosen: the cards use Vietnam's)") if both else "")
    mine = _figures(ds, reporter)
    first, last = years
    out: dict = {"reporter": reporter, "years": years}

    inside = [y for y in mine.totals if first <= y <= last]
    if inside:
        year = max(inside)
        latest = mine.totals[year]
        source = latest["note"] if latest["computed"] else t("source: {source}", source=latest["source_label"])
        delta = None
        if year - 1 in mine.totals:
            delta = t(
                "{change} on {year}",
                change=fmt.percent_change(100 * (latest["value"] / mine.totals[year - 1]["value"] - 1), locale=locale),
                year=year - 1,
            )
        other = ""
        if both:
            theirs = _figures(ds, "CN").totals.get(year)
            other = " " + (
                t("China's figure for {year}: {value}.", year=year, value=fmt.money(theirs["value"], locale=locale))
                if theirs
                else t("China's figures have no two-way total for {year}.", year=year)
            )
        note, why = _sum_differs(latest, mine.flows.get(year, {}), t, locale)
        total = Card(
            t("Two-way trade {year}", year=year),  # short: a card's label is cut at about 22 characters
            fmt.money(latest["value"], latest.get("qualifier") or "exact", locale=locale),
            delta,
            note=t("{figures}, full year {year}", figures=figures, year=year) + _flag(latest["status"], t) + note,
            help=t("{who}. Latest full year inside {span}; {source}.", who=who, span=fmt.span(years), source=source)
            + why
            + other,
        )
        out.update(year=year, total_value=float(latest["value"]))
    else:
        total = Card(t("Two-way trade"), note=_outside(mine.totals, years, N_("full-year total"), figures, t))

    inside = [y for y in mine.balances if first <= y <= last]
    if inside:
        byear = max(inside)
        value = mine.balances[byear]
        delta = None
        if byear - 1 in mine.balances:
            change = -value + mine.balances[byear - 1]  # change in the deficit
            delta = t(
                "{change} on {year}",
                change=fmt.money_change(change if value <= 0 else -change, locale=locale),
                year=byear - 1,
            )
        later = (
            ""
            if byear == out.get("year")
            else "; " + t("{figures} give only two-way totals after {year}", figures=figures, year=byear)
        )
        balance = Card(
            t("Deficit with China {year}", year=byear) if value <= 0 else t("Surplus with China {year}", year=byear),
            fmt.money(abs(value), locale=locale),
            delta,
            note=t("Latest year with both flows") + later,
            help=t(
                "{who}. Vietnam's imports from China minus its exports to China (or the reverse for a surplus), "
                "computed here from the two stated flows.",
                who=who,
            ),
            delta_color="inverse" if value <= 0 else "normal",
        )
        out["balance_year"] = byear
    else:
        balance = Card(
            t("Deficit with China"), note=_outside(mine.balances, years, N_("year with both flows"), figures, t)
        )

    inside = [r for r in mine.ytd_sorted if first <= r["year"] <= last]
    if inside:
        pick = inside[-1]
        period = fmt.period(pick["start"], pick["end"], locale)
        earlier = [r for r in mine.ytd if r["year"] == pick["year"] - 1 and r["months"] == pick["months"]]
        delta = None
        compared = t("no figure for the same months of {year} to compare", year=pick["year"] - 1)
        if earlier:
            before = earlier[0]
            then = fmt.period(before["start"], before["end"], locale)
            delta = t(
                "{change} on {period}",
                change=fmt.percent_change(100 * (pick["value"] / before["value"] - 1), locale=locale),
                period=then,
            )
            compared = t("compared with {period}", period=then)
        how = t("as stated")
        partial = Card(
            t("Two-way, {period}", period=period),
            fmt.money(pick["value"], pick["qualifier"], locale=locale),
            delta,
            note=t(
                "Part of {year}, year to date ({months}); {compared}",
                year=pick["year"],
                months=fmt.months(pick["months"], locale),
                compared=compared,
            ),
            help=t(
                "{who}. Covers only {period}, {how}; not comparable with a full year{flag}. Source: {sources}.",
                who=who,
                period=period,
                how=how,
                flag=_flag(pick["status"], t),
                sources=pick["sources"],
            ),
            delta_color="off" if delta is None else "normal",
        )
        out.update(partial_period=period, partial_value=float(pick["value"]))
    else:
        partial = Card(
            t("Two-way, year to date"),
            note=_outside({r["year"] for r in mine.ytd}, years, N_("year-to-date two-way figure"), figures, t),
        )
    return Headline(total=total, balance=balance, partial=partial, **out)


SUM_TOLERANCE = 0.05  # US$ bn: within the rounding of a figure stated to one decimal


def _sum_differs(total: dict, flows: dict[str, dict], t: Translator, locale: str) -> tuple[str, str]:
    """When a stated total is not the sum of the year's two stated flows (one source's estimate against another's
    flows), the card's note and help say so, with both figures: nothing is adjusted to make them agree."""
    if total["computed"] or set(flows) != set(FLOWS):
        return "", ""
    exports, imports = (float(flows[f]["value"]) for f in FLOWS)
    added = round(exports + imports, max(places(exports), places(imports)))  # as round_to_inputs, for two scalars
    if abs(added - float(total["value"])) <= SUM_TOLERANCE:
        return "", ""
    flow_sources = "; ".join(dict.fromkeys(flows[f]["source_label"] for f in FLOWS))
    note = " · " + t("its two flows add up to {sum}", sum=fmt.money(added, locale=locale))
    why = " " + t(
        "The total is one source's figure ({source}); the two flows come from another ({flows}) and add up to "
        "{sum}. Both are kept as stated; neither is adjusted.",
        source=total["source_label"],
        flows=flow_sources,
        sum=fmt.money(added, locale=locale),
    )
    return note, why


def visits_card(n: int, locale: str = "en") -> Card:
    """The fourth card: how many visits match the filters."""
    t = translator(from_locale(locale))
    return Card(
        t("Visits in the current filter"),
        fmt.count(n, locale),
        help=t("High-level visits between the two countries that match the filters in the sidebar."),
    )


def figure_versions(ds: Dataset, key: str) -> tuple[pd.DataFrame, str]:
    """Every version of one annual figure (key 'VN|2023|total', from a chart point), preferred first, each with
    its source; for a total or balance computed here, the versions of the two flows it is computed from."""
    reporter, year, flow = key.split("|")
    trade = derived(ds).trade
    mine = trade[(trade["reporter"] == reporter) & (trade["year"] == int(year)) & trade["full_year"]]
    rows = mine[mine["flow"] == flow]
    how = ""
    if rows.empty and flow in ("total", "balance"):
        rows = mine[mine["flow"].isin(FLOWS)]
        how = COMPUTED_TOTAL if flow == "total" else COMPUTED_BALANCE
    order = rows["flow"].map({f: i for i, f in enumerate(SERIES_FLOWS)})
    rows = rows.assign(_order=order).sort_values(["_order", "preferred"], ascending=[True, False])
    return rows.drop(columns="_order"), how


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of a search occur in a text (start, end), by the same whole-word and stem rule as the
    search itself: what the page highlights."""
    words = [w for group in parse_query(query) for w in group]
    return [(a, b) for token, a, b in _tokens(text) if any(_same_word(w, token) for w in words)]
