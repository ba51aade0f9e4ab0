"""Pure: the dataset's tables as readers download and search them. One vocabulary everywhere: the labels the
charts and tables use (not the codes of data/), public text only (never `curator_note`), the page's own derived
columns (search text, line numbers) left out. The codes and curator notes stay in the repository's data/.
"""

from __future__ import annotations

import pandas as pd

from components import theme
from components.dataset import Dataset, fold
from components.i18n import N_, Translator
from components.theme import ENGLISH

INTERNAL = (
    *("line", "start", "end", "months", "full_year", "search_text", "curator_note"),
    "documents_source_urls",
    *("type_label", "hover", "strip_hover"),
)
STATUS_LABELS = {"final": N_("final"), "preliminary": N_("preliminary"), "estimate": N_("estimate")}
HEADERS = {
    "reporter": N_("Reporter"),
    "period_start": N_("From (month)"),
    "period_end": N_("To (month)"),
    "period": N_("Period"),
    "year": N_("Year"),
    "flow": N_("Flow"),
    "value_usd_bn": N_("US$ bn (as stated)"),
    "value": N_("Value (as stated)"),
    "unit": N_("Unit"),
    "indicator": N_("Indicator"),
    "definition": N_("Definition"),
    "preferred": N_("Preferred"),
    "status": N_("Status"),
    "qualifier": N_("Source says"),
    "agency": N_("Agency"),
    "source_id": N_("Source id"),
    "source_label": N_("Source"),
    "source": N_("Source"),
    "source_urls": N_("Source links"),
    "source_url": N_("Source link"),
    "note": N_("Note"),
    "visit_id": N_("Visit id"),
    "start_date": N_("From"),
    "end_date": N_("To"),
    "visitor": N_("Visitor"),
    "visitor_zh": N_("Visitor (Chinese)"),
    "visitor_title": N_("Title at the time"),
    "office": N_("Office"),
    "direction": N_("Direction"),
    "visit_type": N_("Type"),
    "bilateral_part": N_("Bilateral part"),
    "date_basis": N_("Dates are"),
    "cities": N_("Cities"),
    "host": N_("Received by"),
    "outcomes": N_("Outcomes"),
    "source_ids": N_("Source ids"),
    "source_labels": N_("Sources"),
    "title": N_("Title"),
    "publisher": N_("Publisher"),
    "url": N_("Link"),
    "published": N_("Published"),
    "match": N_("Found in"),
    "documents_signed": N_("Documents signed"),
    "documents_source_ids": N_("Documents: source ids"),
    "documents_source_labels": N_("count stated by"),
    "milestone_id": N_("Milestone id"),
    "milestone": N_("Milestone"),
    "date": N_("Date"),
    "kind": N_("Kind"),
    "description": N_("Description"),
    "group": N_("product group"),
    "product": N_("product (inside its group)"),
    "line": N_("data/ line"),
    "VN_source": N_("Vietnam-reported: source"),
    "VN_source_url": N_("Vietnam-reported: source link"),
    "CN_source": N_("China-reported: source"),
    "CN_source_url": N_("China-reported: source link"),
    "side": N_("Before or after the visit"),
}
INDICATOR_LABELS = {
    "fdi_registered_capital_usd_bn": N_("Chinese direct investment registered in Vietnam"),
    "fdi_new_projects": N_("New Chinese investment projects"),
    "fdi_cumulative_capital_usd_bn": N_("Chinese direct investment in Vietnam, cumulative"),
    "tourist_arrivals_mn": N_("Chinese visitor arrivals in Vietnam"),
}
DEFINITION_LABELS = {
    "total_registered": N_("registered capital incl. additions"),
    "newly_registered": N_("new projects only"),
    "cumulative_stock": N_("cumulative stock"),
    "not_stated": N_("definition not stated"),
}


def readable(table: pd.DataFrame, *, keep_lines: bool = False, t: Translator = ENGLISH) -> pd.DataFrame:
    """Codes replaced by the page's labels, public columns only, readable headers, all in the reader's language
    (`t`). `keep_lines` keeps a `line` column that traces a computed row to its data/ lines (the analysis
    tables)."""
    drop = [c for c in INTERNAL if c in table and not (keep_lines and c == "line")]
    out = table.drop(columns=drop)
    labels = {
        "reporter": theme.REPORTER_LABELS,
        "flow": theme.FLOW_LABELS,
        "office": theme.OFFICE_LABELS,
        "direction": theme.DIRECTION_LABELS,
        "indicator": INDICATOR_LABELS,
        "definition": DEFINITION_LABELS,
        "bilateral_part": theme.BILATERAL_PART_LABELS,
        "kind": theme.MILESTONE_KINDS,
    }
    for column, mapping in labels.items():
        if column in out:
            out[column] = out[column].map(lambda v, m=mapping: t(m.get(v, v)) if isinstance(v, str) else v)
    if "visit_type" in out:
        out["visit_type"] = out["visit_type"].map(lambda v: t(theme.VISIT_TYPE_LABELS.get(v, v)))
    if "visitor_title" in out:  # a closed set of official titles, in the catalogs
        out["visitor_title"] = out["visitor_title"].map(lambda v: t(v) if isinstance(v, str) else v)
    if "status" in out:
        out["status"] = out["status"].map(lambda v: t(STATUS_LABELS.get(v, v)) if isinstance(v, str) else v)
    if "preferred" in out:
        out["preferred"] = out["preferred"].map({True: t("yes"), False: t("no")})
    return out.rename(columns={c: t(HEADERS.get(c, c)) for c in out.columns})


NOISE_DECIMALS = 10  # a float's binary noise (27.327599999999997) lies beyond this; no source states more
PERCENT_DECIMALS = 2  # percentages computed here (growth, gaps): a hundredth of a point


def csv_table(table: pd.DataFrame) -> pd.DataFrame:
    """A table as its CSV holds it: the same columns, in the same order, with the same English labels and
    headers in every interface language (the page translates its own tables; a script reading the CSV must
    not break when the reader switches language), numbers as the sources state them and computed percentages
    to PERCENT_DECIMALS. The columns are documented in the README ("CSV files")."""
    out = readable(table, keep_lines=True)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column].dtype):
            decimals = PERCENT_DECIMALS if "%" in str(column) else NOISE_DECIMALS
            out[column] = out[column].round(decimals)
    return out


def downloads(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every table of the dataset as a reader downloads it from the page: the same file in every language."""
    visits = ds.visits.sort_values("start_date", ascending=False, kind="stable")  # newest first, as on the page
    return {
        "trade": csv_table(ds.trade),
        "indicators": csv_table(ds.indicators),
        "visits": csv_table(visits),
        "visit-date-versions": csv_table(ds.visit_date_versions),
        "milestones": csv_table(ds.milestones),
        "goods": csv_table(ds.goods),
        "sources": csv_table(ds.sources),
    }


def search_sources(sources: pd.DataFrame, query: str) -> pd.DataFrame:
    """The sources whose title, publisher, date, note or address hold every word of the query (accents
    optional), in title order."""
    text = (
        sources[["title", "publisher", "published", "note", "url", "source_id"]]
        .fillna("")
        .astype(str)
        .agg(" ".join, axis=1)
        .map(fold)
    )
    mask = pd.Series(True, index=sources.index)
    for word in fold(query).split():
        mask &= text.str.contains(word, regex=False)
    return sources[mask].sort_values("title", key=lambda s: s.map(fold))
