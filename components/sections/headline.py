"""The overview's head: the headline cards, how current the data is, and what the dashboard shows."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components import dataset, filtering, i18n, view
from components import formatting as fmt
from components.figures import Panel
from components.page_style import CARDS_KEY
from components.sections.frame import TITLE, tr


def data_as_of(ds: dataset.Dataset) -> None:
    """How current the data is, each part on its own: trade and visits end at different months, and neither is
    the date the sources were last checked (so "no visits since March" reads apart from "not collected")."""
    t = tr()
    line = fmt.currency(ds.trade["end"].max(), ds.visits_end, ds.last_updated, t.locale)
    st.caption(line + ". " + t("What was searched after these dates is in the curation notes on the Data page."))


def header(ds: dataset.Dataset, current: view.View, choices: view.Choices, panels: Mapping[str, Panel]) -> None:
    t = i18n.translator(current.lang)
    st.title(t(TITLE))
    st.markdown(
        t(
            "How large and how lopsided trade between the two neighbours is, how it moved around the "
            "leaders' visits, and where every number comes from."
        )
    )
    locale = i18n.LOCALES.get(current.lang, "en")
    head = filtering.headline(ds, current, choices, locale=locale)
    cards = (head.total, head.balance, head.partial, filtering.visits_card(len(panels["timeline"].table), locale))
    with st.container(key=CARDS_KEY):  # laid out two by two on a phone from the first frame (page_style)
        for column, card in zip(st.columns(4), cards, strict=True):
            metric_card(column, card)


def metric_card(column, card: filtering.Card) -> None:
    """One headline card: its value, or a dash and the one-line reason there is none; never an empty slot."""
    with column.container(border=True):
        st.metric(
            card.label,
            card.value or "—",
            card.delta,
            delta_color=card.delta_color,
            delta_arrow="off" if card.delta_color == "off" else "auto",
            help=card.help or None,
        )
        if card.note:
            st.caption(card.note)


def intro() -> None:
    """What the overview shows, in three lines, for a reader arriving from a shared link."""
    t = tr()
    st.markdown(
        t(
            "**What this shows.** The two-way merchandise trade between Vietnam and China as each side's customs "
            "report it, and the high-level visits between the two countries since 2000, on one time axis. Tap or "
            "hover over any point for its source; tap or click a visit for its details. The **Trade** page has the "
            "partial-year figures and each side's statistics side by side, **Visits** every visit in a table, and "
            "**Data** every source and how to cite this view."
        )
    )
