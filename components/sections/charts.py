"""One chart as the page shows it (title, chart, downloads, embed snippet, data table), and one chart alone
for an iframe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

from components import citation, export, i18n, tables, view
from components.figures import Panel
from components.sections.copy import copy_box
from components.sections.frame import base_url, tr
from components.sections.touch import tap_selects


def _png_button(panel: Panel, column) -> None:
    t = tr()
    if export.browser_path() is None:
        column.button(t("Download PNG"), key=f"png_{panel.name}", disabled=True, help=t(export.INSTALL_HINT))
        return
    column.download_button(
        t("Download PNG"),
        data=lambda: export.image_bytes(panel, "png"),
        file_name=f"{export.file_stem(panel)}.png",
        mime="image/png",
        key=f"png_{panel.name}",
        on_click="ignore",
        icon=":material/image:",
        help=t("A 2× print-quality image with the title, the filter and the sources drawn in."),
    )


def chart(
    panel: Panel,
    current: view.View,
    *,
    table: bool = True,
    pick_rows: bool = False,
    english: Callable[[], Panel] | None = None,
    **select,
) -> object:
    """One panel: the chart (or why it is empty), its downloads and embed snippet, and its data as a table.

    `table=False` leaves the table out (the overview shows no data grid, so a first visit does not load it).
    `english` gives the panel in English: its CSV is the same file in every language (tables.csv_table).
    """
    t = tr()
    chart_title(panel.title)
    if panel.empty:
        st.info(panel.empty, icon="ℹ️")
        return None
    event = st.plotly_chart(
        panel.figure, config=_chart_config(panel), alt=panel.alt, key=f"chart_{panel.name}", **select
    )
    if panel.note:  # which series end early and why: the same line the exported image carries
        st.caption(panel.note)
    buttons = st.container(horizontal=True)  # side by side at their natural width, wrapping in narrow columns
    _png_button(panel, buttons)
    buttons.download_button(
        t("Download CSV"),
        data=lambda: export.csv_bytes(tables.csv_table((english or (lambda: panel))().table)),
        file_name=f"{export.file_stem(panel)}.csv",
        mime="text/csv",
        key=f"csv_{panel.name}",
        on_click="ignore",
        icon=":material/table:",
    )
    with buttons.popover(t("Embed"), icon=":material/code:"):
        _embed_snippets(panel, current)
    if select:  # a chart whose points open something: a tap must do what a click does
        tap_selects(buttons, f"chart_{panel.name}")
    if table:
        with st.expander(t("Data as a table: choose a row to see its sources") if pick_rows else t("Data as a table")):
            st.dataframe(
                panel.table,
                hide_index=True,
                column_config=_column_config(panel.table),
                key=f"table_{panel.name}",
                on_select="rerun" if pick_rows else "ignore",
                selection_mode="single-row",
            )
    return event


def _embed_snippets(panel: Panel, current: view.View) -> None:
    """The light embed first (a small page, no live session: fast for every reader of an article), then the live
    app (the whole dashboard, one server session per reader)."""
    t = tr()
    st.markdown(t("Paste this into an article's HTML to show this chart, with these filters:"))
    light = view.share_url(base_url(), replace(current, chart=""), page=f"{view.EMBED_PATH}/{panel.name}")
    height = int(panel.figure.layout.height or 450)
    snippet = citation.embed_snippet(light, panel.title, height + citation.LIGHT_EMBED_EXTRA)
    copy_box(snippet, t("Embed code"), rows=4, key=f"embed-{panel.name}")
    st.caption(
        t(
            "A light page that loads fast and needs no live session: the interactive chart with its title, filter "
            "and source lines, and a link back to the full view."
        )
    )
    live = view.share_url(base_url(), replace(current, chart=panel.name), page="", embed="true")
    st.markdown(t("Or the live app, which runs the dashboard for each reader:"))
    live_snippet = citation.embed_snippet(live, panel.title, height + citation.EMBED_EXTRA)
    copy_box(live_snippet, t("Live app embed code"), rows=3, key=f"embed-live-{panel.name}")


def chart_title(title: str) -> None:
    """A chart's title as text above it: it wraps on a phone, and the browser's find sees it."""
    shown = title.replace("$", r"\$")  # a lone "US$" must not open LaTeX in markdown
    st.markdown(f"**{shown}**")


def _chart_config(panel: Panel) -> dict:
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": export.file_stem(panel), "scale": 2},
    }


def chart_alone(panel: Panel, current: view.View, choices: view.Choices) -> None:
    """One chart and nothing else, for an article's iframe: title, chart, filter and source line, full view."""
    st.html(EMBED_CSS)
    chart_title(panel.title)
    if panel.empty:
        st.info(panel.empty, icon="ℹ️")
    else:
        st.plotly_chart(panel.figure, config=_chart_config(panel), alt=panel.alt, key=f"chart_{panel.name}")
    full = view.share_url(base_url(), replace(current, chart=""), page="")
    note = f"{panel.note}  \n" if panel.note else ""
    link = tr()(OPEN_FULL_VIEW)
    st.caption(f"{note}{panel.source_line}  \n[{link}]({full})")


EMBED_CSS = "<style>[data-testid='stMainBlockContainer'] { padding-top: 1rem; padding-bottom: 0.5rem; }</style>"


def _column_config(table: pd.DataFrame) -> dict:
    """Every column's header in the reader's language, with links, dates and US$ figures typed."""
    t = tr()
    label = {c: t(tables.HEADERS.get(c, c)) for c in table.columns}
    config = {
        "source_url": st.column_config.LinkColumn(label.get("source_url"), display_text=t("open")),
        "url": st.column_config.LinkColumn("URL"),
        "start_date": st.column_config.DateColumn(label.get("start_date"), format="YYYY-MM-DD"),
        "end_date": st.column_config.DateColumn(label.get("end_date"), format="YYYY-MM-DD"),
        "source_urls": st.column_config.ListColumn(label.get("source_urls")),
        # tables keep each value as its source states it (66.72759, 0.9291); prose rounds (formatting.money)
        "US$ bn": st.column_config.NumberColumn(t("US$ bn (as stated)")),
        "value_usd_bn": st.column_config.NumberColumn(t("US$ bn (as stated)")),
    }
    return {**label, **{k: v for k, v in config.items() if k in table.columns}}


OPEN_FULL_VIEW = i18n.N_("Open the full interactive view ↗")
