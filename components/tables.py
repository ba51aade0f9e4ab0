"""Pure: the dataset's tables as readers download and search them. One vocabulary everywhere: the labels the
charts and tables use (not the codes of data/), public text only (never `curator_note`), the page's own derived
columns (search text, line numbers) left out. The codes and curator notes stay in the repository's data/.
"""

from __future__ import annotations

import pandas as pd

from components import theme
from components.dataset import Dataset, fold

INTERNAL = (
    *("line", "start", "end", "months", "full_year", "search_text", "source_urls", "curator_note"),
    *("type_label", "hover", "strip_hover"),
)
STATUS_LABELS = {"final": "final", "preliminary": "preliminary", "estimate": "estimate"}
HEADERS = {
    "reporter": "Reporter",
    "period_start": "From (month)",
    "period_end": "To (month)",
    "period": "Period",
    "year": "Year",
    "flow": "Flow",
    "value_usd_bn": "US$ bn (as stated)",
    "value": "Value (as stated)",
    "unit": "Unit",
    "indicator": "Indicator",
    "definition": "Definition",
    "preferred": "Preferred",
    "status": "Status",
    "qualifier": "Source says",
    "agency": "Agency",
    "source_id": "Source id",
    "source_label": "Source",
    "source_url": "Source link",
    "note": "Note",
    "visit_id": "Visit id",
    "start_date": "From",
    "end_date": "To",
    "visitor": "Visitor",
    "visitor_zh": "Visitor (Chinese)",
    "visitor_title": "Title at the time",
    "office": "Office",
    "direction": "Direction",
    "visit_type": "Type",
    "bilateral_part": "Bilateral part",
    "date_basis": "Dates are",
    "cities": "Cities",
    "host": "Received by",
    "outcomes": "Outcomes",
    "source_ids": "Source ids",
    "source_labels": "Sources",
    "title": "Title",
    "publisher": "Publisher",
    "url": "Link",
    "published": "Published",
    "match": "Found in",
    "line": "data/ line",
}
INDICATOR_LABELS = {
    "fdi_registered_capital_usd_bn": "Chinese direct investment registered in Vietnam",
    "fdi_new_projects": "New Chinese investment projects",
    "fdi_cumulative_capital_usd_bn": "Chinese direct investment in Vietnam, cumulative",
    "tourist_arrivals_mn": "Chinese visitor arrivals in Vietnam",
}
DEFINITION_LABELS = {
    "total_registered": "registered capital incl. additions",
    "newly_registered": "new projects only",
    "cumulative_stock": "cumulative stock",
    "not_stated": "definition not stated",
}


def readable(table: pd.DataFrame, *, keep_lines: bool = False) -> pd.DataFrame:
    """Codes replaced by the page's labels, public columns only, readable headers. `keep_lines` keeps a `line`
    column that traces a computed row to its data/ lines (the analysis tables)."""
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
    }
    for column, mapping in labels.items():
        if column in out:
            out[column] = out[column].map(lambda v, m=mapping: m.get(v, v) if isinstance(v, str) else v)
    if "visit_type" in out:
        out["visit_type"] = out["visit_type"].map(lambda v: theme.VISIT_TYPE_LABELS.get(v, v))
    if "preferred" in out:
        out["preferred"] = out["preferred"].map({True: "yes", False: "no"})
    return out.rename(columns={c: HEADERS.get(c, c) for c in out.columns})


def downloads(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Every table of the dataset as a reader downloads it from the page."""
    return {
        "trade": readable(ds.trade),
        "indicators": readable(ds.indicators),
        "visits": readable(ds.visits),
        "visit-date-versions": readable(ds.visit_date_versions),
        "sources": readable(ds.sources),
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
