"""/data: every source as a searchable list, the whole dataset to download, the curation notes, how to cite."""

from __future__ import annotations

import streamlit as st

from components import dataset, export, i18n, tables, view
from components import formatting as fmt
from components.sections.frame import _md, base_url, tr
from components.sections.sidebar import cite

DATA_API = "/api/data/"  # the HTTP layer serves data/'s files here (components.web.routes)
DATA_FILES = (
    dataset.DESCRIPTOR,
    "trade.csv",
    "indicators.csv",
    "visits.csv",
    "visit_date_versions.csv",
    "sources.csv",
    dataset.NOTES,
)


def data_file_links(files: tuple[str, ...] = DATA_FILES) -> str:
    """The dataset's files as markdown links to where the server serves them, named as in data/."""
    return ", ".join(f"[`{name}`]({DATA_API}{name})" for name in files)


def sources_section(ds: dataset.Dataset) -> None:
    """Every source as text with a live link, filtered by a visible search box: the browser's find sees it."""
    t = tr()
    st.header(t("Sources"))
    st.markdown(
        t(
            "Every figure and date in this dashboard comes from one of the **{n} public sources** below. Where "
            "sources disagree, each version is kept with its source and one is marked preferred (the curation "
            "rules are below). The dataset's own files, CSV with a Frictionless Data Package descriptor, are "
            "online: {files}.",
            n=len(ds.sources),
            files=data_file_links(),
        )
    )
    query = st.text_input(
        t("Search the sources"),
        key="sources_q",
        max_chars=view.MAX_QUERY_LENGTH,
        placeholder=t("title, publisher, year, site…"),
        help=t("Every word must be found; accents optional. Your browser's find (Ctrl+F) also works on this list."),
    )
    found = tables.search_sources(ds.sources, query)
    st.caption(
        t("{found} of {n} sources", found=len(found), n=len(ds.sources))
        if query.strip()
        else t.n("{n} source", "{n} sources", len(found))
    )
    if t.lang != i18n.SOURCE:
        st.caption(t("Source titles and notes are given as the sources and the curators wrote them."))
    lines = [
        f"- [{_md(s.title)}]({s.url}) — {_md(s.publisher)}, {_md(fmt.published(s.published, t.locale))}"
        + (f". {_md(s.note)}" if s.note else "")
        + f" · `{s.source_id}`"
        for s in found.itertuples()
    ]
    with st.container(height=480 if len(lines) > 12 else "content"):
        st.markdown("\n".join(lines) if lines else t("No source matches these words."))


def dataset_downloads(ds: dataset.Dataset) -> None:
    """The whole dataset, every version of every figure, in the page's vocabulary (labels, public notes)."""
    t = tr()
    st.header(t("Download the dataset"))
    st.markdown(
        t(
            "Every table of the dataset, with every source's version of each figure (the page draws the preferred "
            "one). UTF-8 CSV with English labels and headers, the same in every language (the columns are listed in "
            "the README). The same tables with their codes and the curators' working notes are the dataset's own "
            "files, described by {descriptor}: {files}.",
            descriptor=data_file_links((dataset.DESCRIPTOR,)),
            files=data_file_links(DATA_FILES[1:]),
        )
    )
    row = st.container(horizontal=True)
    for name, table in tables.downloads(ds).items():
        row.download_button(
            t.n("{name} ({n} row)", "{name} ({n} rows)", len(table), name=name),
            data=lambda table=table: export.csv_bytes(table),
            file_name=f"vn-cn-{name}.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"csv_all_{name}",
            icon=":material/download:",
        )


def curation_notes(ds: dataset.Dataset) -> None:
    t = tr()
    st.header(t("How the data was curated"))
    with st.expander(t("Curation notes: preferred sources, conflicts, errors found in the seed articles, gaps")):
        if t.lang != i18n.SOURCE:
            st.caption(t("The curation notes are written in English."))
        st.markdown(ds.notes)


def cite_section(current: view.View, ds: dataset.Dataset, choices: view.Choices) -> None:
    t = tr()
    st.header(t("How to cite"))
    st.markdown(
        t(
            "Cite the view you used: its link reopens exactly the same filters. The dataset version is the date "
            "of the data's last change."
        )
    )
    url = view.share_url(base_url(), current, page="")
    cite(url, ds, current, choices, key="data")
