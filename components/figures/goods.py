"""The goods panel: what is traded, by product group and year, in Vietnam Customs' groups (data/goods.csv).

Only full calendar years are drawn, and only the preferred version of each figure; other agencies' versions are
named in the hover and kept in the table, part-year figures are listed in the table and never drawn as years. A
single product (durian) is a bar of its own, hatched and named as a product inside its group: it is part of the
group's figure, not added to it.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from components import formatting as fmt
from components import tables, theme
from components.dataset import Dataset
from components.figures.base import (
    MEMO,
    REPORTER_TITLES,
    Panel,
    agencies,
    empty_panel,
    local_periods,
    site_credit,
    statuses,
)
from components.filtering import FLOWS
from components.goods_charts import PALETTE, goods_bars
from components.i18n import N_, Translator, translator
from components.theme import ENGLISH
from components.view import Choices, View

MAX_GROUPS = 6  # the largest groups drawn; the others are in the table (more bars per year cannot be read)
DRAWN = {
    "yes": N_("yes"),
    "version": N_("no: another version (the preferred one is drawn)"),
    "partial": N_("no: part of a year, listed apart"),
    "smaller": N_("no: not among the largest groups drawn"),
}
GOODS_COLUMNS = {
    "period": N_("period"),
    "drawn": N_("drawn"),
    "flow": "flow",
    "group": N_("product group"),
    "product": N_("product (inside its group)"),
    "value_usd_bn": "value_usd_bn",
    "qualifier": "qualifier",
    "status": "status",
    "preferred": "preferred",
    "agency": "agency",
    "source_label": N_("source"),
    "source_url": "source_url",
    "note": "note",
    "line": "line",
}


def series_name(group: str, product: str, t: Translator = ENGLISH) -> str:
    """A bar's name: the group ('Fruit and vegetables') or a product marked as inside it."""
    return t("{product} (product in {group})", product=t(product), group=t(group)) if product else t(group)


def whose(view: View) -> str:
    """The reporter the goods panel shows: China's figures when the view asks for them, else Vietnam's (the
    two sides' figures are never mixed in one chart)."""
    return "CN" if view.reporter == "CN" else "VN"


def _hover(row: pd.Series, versions: pd.DataFrame, t: Translator) -> str:
    label = tables.STATUS_LABELS.get(row.status, row.status)
    status = "" if row.status == "final" else f" ({t(label)})"
    lines = [
        f"<b>{row['year']} · {row['series']}</b>",
        f"{fmt.money(row['value_usd_bn'], row['qualifier'], locale=t.locale)}{status} · {row['agency']}",
        theme.wrap(t("Source: {source}", source=row["source_label"]), 70),
    ]
    for v in versions.itertuples():
        other = fmt.money(v.value_usd_bn, v.qualifier, locale=t.locale)
        lines.append(
            theme.wrap(
                t("Another version: {value}, {agency} ({source})", value=other, agency=v.agency, source=v.source_label),
                70,
            )
        )
    if row["note"]:
        lines.append(f"<i>{theme.wrap(row['note'], 70)}</i>")
    return "<br>".join(lines)


def _years_text(years: list[int], t: Translator) -> str:
    """2000–2004, 2007 (compressed runs)."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and runs[-1][-1] == y - 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or t("none")


@lru_cache(maxsize=MEMO)
def goods_panel(ds: Dataset, view: View, choices: Choices) -> Panel:
    """The largest product groups per year in each direction, with the years that have no figure marked."""
    t = translator(view.lang)
    years = view.years(choices)
    reporter = whose(view)
    span = "–".join(map(str, years))
    title = t(
        "What is traded, {span}: the largest product groups per year, {whose}",
        span=span,
        whose=t(REPORTER_TITLES[reporter]),
    )
    goods = ds.goods[(ds.goods["reporter"] == reporter) & ds.goods["year"].between(*years)]
    goods = goods.sort_values(["year", "flow", "group", "product", "period_start"], kind="stable")
    if t.lang != "en":
        goods = local_periods(goods, t.locale)
    goods = goods.assign(series=[series_name(g, p, t) for g, p in zip(goods["group"], goods["product"], strict=True)])
    full = goods["full_year"]
    annual = goods[full & goods["preferred"]]
    group_size = annual[annual["product"] == ""].groupby("group")["value_usd_bn"].max().sort_values(ascending=False)
    kept_groups = list(group_size.index[:MAX_GROUPS])
    kept_groups += [g for g in annual["group"].unique() if g not in group_size.index][: MAX_GROUPS - len(kept_groups)]
    drawn_mask = annual["group"].isin(kept_groups)
    reason = pd.Series("smaller", index=goods.index)
    reason[~full] = "partial"
    reason[full & ~goods["preferred"]] = "version"
    reason[annual.index[drawn_mask]] = "yes"
    table = goods.assign(
        drawn=[t(DRAWN[r]) for r in reason],
        flow=goods["flow"].map(t.map(theme.FLOW_SHORT)),
        status=statuses(goods["status"], t),
        preferred=goods["preferred"].map({True: t("yes"), False: t("no")}),
        group=[t(g) for g in goods["group"]],
        product=[t(x) if x else x for x in goods["product"]],
    )[list(GOODS_COLUMNS)]
    table = table.rename(columns=GOODS_COLUMNS)
    drawn = annual[drawn_mask]
    if drawn.empty:
        message = (
            t(
                "No full-year product-group figures {whose} in {span}: widen the years.",
                whose=t(REPORTER_TITLES[reporter]),
                span=span,
            )
            if len(ds.goods)
            else t("No product-group figures in data/ yet: the goods panel appears when data/goods.csv has rows.")
        )
        if (~full).any():
            message += " " + t.n(
                "{n} part-year figure is listed in the table.",
                "{n} part-year figures are listed in the table.",
                int((~full).sum()),
            )
        return empty_panel("goods", title, message, table, t)
    first, last = int(drawn["year"].min()), int(drawn["year"].max())
    axis_years = list(range(first, last + 1))
    versions = goods[full & ~goods["preferred"]]
    key = ["flow", "year", "group", "product"]
    by_key = {k: g for k, g in versions.groupby(key)} if len(versions) else {}
    drawn = drawn.assign(
        is_product=drawn["product"] != "",
        hover=[_hover(r, by_key.get(tuple(r[k] for k in key), versions.iloc[0:0]), t) for _, r in drawn.iterrows()],
    )
    order = []
    for group in kept_groups:
        order.append(series_name(group, "", t))
        order += sorted(drawn.loc[(drawn["group"] == group) & drawn["is_product"], "series"].unique())
    colours = {
        name: PALETTE[kept_groups.index(group) % len(PALETTE)]
        for name, group in zip(drawn["series"], drawn["group"], strict=True)
    }
    missing = {
        flow: [y for y in axis_years if y not in set(drawn.loc[drawn["flow"] == flow, "year"])] for flow in FLOWS
    }
    note = _note(drawn, missing, axis_years, goods, group_size, kept_groups, t)
    alt = _alt(drawn, axis_years, kept_groups, reporter, t)
    return Panel(
        "goods",
        title,
        goods_bars(drawn, years=axis_years, series_order=order, colours=colours, missing=missing, title=title, t=t),
        f"{alt} {note}",
        table,
        t(
            "Sources: {agencies}. {span}, {whose}; groups as Vietnam Customs names them. {site}.",
            agencies=agencies(goods[full], t=t),
            span=span,
            whose=t(REPORTER_TITLES[reporter]),
            site=site_credit(ds, t),
        ),
        note=note,
    )


def _note(
    drawn: pd.DataFrame,
    missing: dict[str, list[int]],
    axis_years: list[int],
    goods: pd.DataFrame,
    group_size: pd.Series,
    kept: list[str],
    t: Translator,
) -> str:
    """The caption: which years each direction has and lacks, what is listed apart and what is left out."""
    parts = []
    for flow in FLOWS:
        have = sorted(set(drawn.loc[drawn["flow"] == flow, "year"]))
        if not have:
            parts.append(t("{flow}: no full-year product figures in these years.", flow=t(theme.FLOW_SHORT[flow])))
            continue
        text = t("{flow}: figures for {years}", flow=t(theme.FLOW_SHORT[flow]), years=_years_text(have, t))
        gaps = missing[flow]
        parts.append(text + ("; " + t("none found for {years}", years=_years_text(gaps, t)) if gaps else "") + ".")
    partial = int((~goods["full_year"]).sum())
    if partial:
        parts.append(
            t.n(
                "{n} part-year figure is listed in the table, not drawn as a year.",
                "{n} part-year figures are listed in the table, not drawn as years.",
                partial,
            )
        )
    if len(group_size) > len(kept):
        parts.append(t("{n} smaller groups are in the table only.", n=len(group_size) - len(kept)))
    if drawn["is_product"].any():
        parts.append(t("Hatched bars are single products inside their group, part of its figure, not added to it."))
    return " ".join(parts)


def _alt(drawn: pd.DataFrame, axis_years: list[int], kept: list[str], reporter: str, t: Translator) -> str:
    groups = drawn[~drawn["is_product"]]
    latest = groups[groups["year"] == groups["year"].max()].sort_values("value_usd_bn", ascending=False)
    top = latest.iloc[0] if len(latest) else drawn.iloc[0]
    return t(
        "Bar chart of Vietnam–China trade by product group, {first}–{last}, {whose}: Vietnam's exports to China "
        "above, its imports from China below, up to {n} groups per year. Largest in {year}: {group}, {value} "
        "({flow}).",
        first=axis_years[0],
        last=axis_years[-1],
        whose=t(REPORTER_TITLES[reporter]),
        n=len(kept),
        year=top["year"],
        group=top["series"],
        value=fmt.money(top["value_usd_bn"], top["qualifier"], locale=t.locale),
        flow=t(theme.FLOW_SHORT[top.flow]),
    )
