"""The other yearly indicators: Chinese investment registered in Vietnam and Chinese visitor arrivals."""

from __future__ import annotations

from functools import lru_cache

from components import filtering, gap_notes, theme
from components import formatting as fmt
from components.dataset import Dataset
from components.figures.base import (
    MEMO,
    Panel,
    agencies,
    empty_panel,
    local_periods,
    site_credit,
    statuses,
)
from components.i18n import N_, translator
from components.indicator_charts import indicator_chart
from components.view import Choices, View

INDICATORS = {
    "fdi": (
        "fdi_registered_capital_usd_bn",
        N_("Chinese direct investment registered in Vietnam"),
        N_("US$ billion"),
        theme.VERMILLION,
    ),
    "tourists": ("tourist_arrivals_mn", N_("Chinese visitor arrivals in Vietnam"), N_("million arrivals"), theme.SKY),
}


@lru_cache(maxsize=MEMO)
def indicator_panel(ds: Dataset, name: str, view: View, choices: Choices) -> Panel:
    """One of the other yearly indicators, full years as bars and part-years as open markers."""
    t = translator(view.lang)
    indicator, title, unit, colour = INDICATORS[name]
    title = t(title)
    years = view.years(choices)
    every = filtering.derived(ds).indicators  # with source titles and version counts, for the hovers
    rows = every[(every["indicator"] == indicator) & every["year"].between(*years)]
    if t.lang != "en":  # periods in the reader's locale, statuses in the reader's language
        rows = local_periods(rows, t.locale)
    definition = ["definition"] if "definition" in rows else []
    shown = ["period", "value", "unit", *definition, "qualifier", "preferred", "status", "agency"]
    table = rows[[*shown, "source_label", "source_url", "note"]]
    if t.lang != "en" and len(table):
        table = table.assign(status=statuses(table["status"], t))
    if rows.empty:
        return empty_panel(name, title, t("No figures in this year range."), table, t)
    full = rows[rows["preferred"] & rows["full_year"]].sort_values("year")
    latest = (
        " "
        + t(
            "The latest full year, {year}, stands at {value}.",
            year=full.year.iloc[-1],
            value=fmt.quantity(full.value.iloc[-1], unit, full.qualifier.iloc[-1], locale=t.locale),
        )
        if len(full)
        else ""
    )
    return Panel(
        name,
        title,
        indicator_chart(rows, title=title, unit=unit, colour=colour, years=years, t=t),
        t(
            "Bar chart of {title} per year in {unit}, with part-year figures as open circles.",
            title=title[0].lower() + title[1:],
            unit=t(unit),
        )
        + latest,
        table,
        t(
            "Sources: {agencies}. {span}. {site}.",
            agencies=agencies(rows, t=t),
            span="–".join(map(str, years)),
            site=site_credit(ds, t),
        ),
        note=gap_notes.years_note(list(full["year"]), t=t),
    )
