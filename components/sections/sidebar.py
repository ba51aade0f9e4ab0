"""The sidebar: the filters and the language, seeded from the link once, the share link and the citation of the view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

import streamlit as st

from components import citation, dataset, figures, i18n, theme, view
from components import formatting as fmt
from components.sections.copy import copy_box
from components.sections.frame import LANG_KEY, base_url, browser_lang, tr


def _seed_from_url(choices: view.Choices) -> None:
    """On a session's first run, read the URL's view once; later runs leave the user's choices be.

    The sidebar filters take the URL's values as their defaults (`_url_view`) rather than through
    session_state: after a server restart the open page's first click arrives in a new session together with
    the browser's widget values, and writing the URL (one run behind) into session_state would overwrite
    that click. A default yields to the value the browser sends."""
    if st.session_state.get("_seeded"):
        return
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    seeded = view.from_query(params, choices, default_lang=browser_lang())
    if LANG_KEY not in st.session_state or "lang" in params:  # "Reset all filters" keeps the language
        st.session_state[LANG_KEY] = seeded.lang
    st.session_state.update(
        _url_view=seeded,
        f_visit=seeded.visit or None,
        f_measure=seeded.measure,
        f_log=seeded.scale == "log",
        f_ytd=f"{seeded.ytd_reporter.lower()}-{seeded.ytd_flow}",
        _notices=list(seeded.notices),
        _seeded=True,
    )


# Widgets drawn on some pages only. Streamlit forgets a widget's state on a run that does not draw it, so each
# value is also kept under "_"+key and put back before the widget is drawn again: the choice (and the link)
# survive a visit to a page without that widget.
PAGE_WIDGET_KEYS = ("f_visit", "f_measure", "f_log", "f_ytd")


def _keep_page_widgets() -> None:
    state = st.session_state
    for key in PAGE_WIDGET_KEYS:
        if key in state:  # set again: a widget with this key on another page then starts from it, not its default
            state[key] = state[key]
        elif f"_{key}" in state:
            state[key] = state[f"_{key}"]
        state[f"_{key}"] = state.get(key)


def current_view(ds: dataset.Dataset, choices: view.Choices) -> view.View:
    """The view in force: from the sidebar's filters (seeded from the link), with the share link beside them;
    for a chart shown alone (`chart=`, embedded in an article) from the link only, with no sidebar."""
    if st.query_params.get("chart"):
        alone = view_from_url(choices)
        if alone.chart:
            return alone
    current = sidebar_filters(choices, ds)  # a bad chart= is reported with the other parameters
    share_link(current, ds, choices)
    return current


def language_selector() -> None:
    """English, Tiếng Việt, 中文 (简体); labelled in all three, so a reader can find it in any language."""
    st.sidebar.selectbox(
        "Language · Ngôn ngữ · 语言", i18n.LANGUAGES, key=LANG_KEY, format_func=i18n.LANGUAGE_NAMES.get
    )


def view_from_url(choices: view.Choices) -> view.View:
    """The view named by the link alone, with no filter widgets: for a chart shown alone (embedded)."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    current = view.from_query(params, choices, default_lang=browser_lang())
    st.session_state["_notices"] = list(current.notices)
    st.session_state[LANG_KEY] = current.lang  # the embedded chart speaks the link's language
    return current


def sidebar_filters(choices: view.Choices, ds: dataset.Dataset | None = None) -> view.View:
    """The filters, seeded from the URL once; returns the view in force and writes it back to the URL."""
    _seed_from_url(choices)
    _keep_page_widgets()
    language_selector()
    t = tr()
    sb = st.sidebar
    sb.header(t("Filters"))
    url = st.session_state["_url_view"]  # defaults only: the browser's widget values win (see _seed_from_url)
    sb.slider(t("Years"), choices.first_year, choices.last_year, value=url.years(choices), key="f_years")
    whose = {"VN": t("Vietnam's"), "CN": t("China's"), "both": t("Both")}
    sb.radio(
        t("Trade figures"),
        view.REPORTER_MODES,
        index=view.REPORTER_MODES.index(url.reporter),
        key="f_reporter",
        horizontal=True,
        format_func=whose.get,
        help=t("Whose statistics the trade chart shows. The two countries' figures differ: see Mirror statistics."),
    )
    sb.subheader(t("Visits"))
    checked = choices.recent_span(view.RECENT_MONTHS)
    sb.toggle(
        t("Latest 12 months only"),
        value=bool(url.recent),
        key="f_recent",
        help=t(
            "The visits from {start} to {end}, the day the sources were last checked; the years above still "
            "apply to the trade figures.",
            start=fmt.day(checked[0], t.locale) if checked else "",
            end=fmt.day(checked[1], t.locale) if checked else "",
        ),
        disabled=checked is None,
    )
    sb.multiselect(
        t("Direction"),
        view.DIRECTIONS,
        default=list(url.directions),
        key="f_dir",
        format_func=t.map(theme.DIRECTION_LABELS).get,
        placeholder=t("Both directions"),
        **PLAIN_PICKER,
    )
    sb.multiselect(
        t("Office"),
        view.OFFICES,
        default=list(url.offices),
        key="f_office",
        format_func=t.map(theme.OFFICE_LABELS).get,
        placeholder=t("All offices"),
        **PLAIN_PICKER,
    )
    person_picker(choices, ds, url, t)
    sb.multiselect(
        t("Visit type"),
        view.VISIT_TYPES,
        default=list(url.visit_types),
        key="f_type",
        format_func=t.map(theme.VISIT_TYPE_LABELS).get,
        placeholder=t("All types"),
        **PLAIN_PICKER,
    )
    sb.text_input(
        t("Search visits"),
        value=url.query,
        key="f_q",
        max_chars=view.MAX_QUERY_LENGTH,
        placeholder=t("visitor, city, host, outcome…"),
        help=t(SEARCH_HELP),
    )
    sb.radio(
        t("Names as"),
        view.ROLES,
        index=view.ROLES.index(url.role),
        key="f_role",
        horizontal=True,
        format_func=t.map(ROLE_NAMES).get,
        help=t("For the Person filter and names in the search: the person made the visit, received it, or either."),
    )
    groups = {"office": t("Office"), "direction": t("Direction")}
    sb.radio(
        t("Group the timeline by"),
        view.GROUPINGS,
        index=view.GROUPINGS.index(url.group_by),
        key="f_group",
        horizontal=True,
        format_func=groups.get,
    )
    sb.toggle(
        t("Milestones on the charts"),
        value=url.milestones,
        key="f_milestones",
        help=t("The relationship's milestones (partnerships, treaties, trade agreements) as labelled vertical lines."),
    )
    if sb.button(t("Reset all filters"), width="stretch"):
        for key in [k for k in st.session_state if k.startswith(("f_", "_f_"))]:
            del st.session_state[key]
        st.session_state["_seeded"] = False
        st.query_params.clear()
        st.rerun()

    years = tuple(st.session_state["f_years"])
    current = view.normalise(
        view.View(
            year_from=years[0],
            year_to=years[1],
            reporter=st.session_state["f_reporter"],
            directions=tuple(st.session_state["f_dir"]),
            offices=tuple(st.session_state["f_office"]),
            visit_types=tuple(st.session_state["f_type"]),
            visitors=tuple(st.session_state["f_visitor"]),
            query=" ".join(st.session_state["f_q"].split()),
            group_by=st.session_state["f_group"],
            visit=st.session_state.get("f_visit") or "",
            role=st.session_state.get("f_role") or "any",
            measure=st.session_state.get("f_measure") or "value",
            scale="log" if st.session_state.get("f_log") else "linear",
            ytd_reporter=(st.session_state.get("f_ytd") or "vn-total").split("-", 1)[0].upper(),
            ytd_flow=(st.session_state.get("f_ytd") or "vn-total").split("-", 1)[1],
            lang=st.session_state[LANG_KEY],
            recent=view.RECENT_MONTHS if st.session_state.get("f_recent") else 0,
            milestones=st.session_state.get("f_milestones", True),
        ),
        choices,
    )
    query = view.to_query(current, default_lang=browser_lang())
    if {k: st.query_params.get(k) for k in st.query_params} != query:
        st.query_params.from_dict(query)
    return current


# Streamlit's own texts in a picker ("No results", "Select all") are English in every language: the pickers
# take no typing (a short list, or the person picker's own search box) and offer no "Select all" (an empty
# filter already means all).
PLAIN_PICKER = MappingProxyType({"filter_mode": None, "select_all": False})


def person_picker(choices: view.Choices, ds: dataset.Dataset | None, url: view.View, t: i18n.Translator) -> None:
    """The person filter: a search box that ignores accents and case ('to lam' finds Tô Lâm; Chinese names in
    characters too), then the people it finds; the people already chosen stay listed."""
    names = visitor_names(choices, ds, t.lang)
    typed = st.sidebar.text_input(
        t("Find a person"),
        key="f_person_q",
        max_chars=view.MAX_QUERY_LENGTH,
        placeholder=t("name, accents optional"),
        help=t("Narrows the list below. Accents and capitals are optional: 'to lam' finds Tô Lâm."),
    )
    chosen = st.session_state.get("f_visitor", list(url.visitors))
    found = find_people(choices, ds, t.lang, typed)
    options = [p for p in choices.visitors if p in found or p in chosen]
    if typed.strip() and not found:
        st.sidebar.caption(t("No person's name matches '{typed}'.", typed=typed.strip()))
    st.sidebar.multiselect(
        t("Person"),
        options,
        default=[p for p in url.visitors if p in options],
        key="f_visitor",
        format_func=names.get,
        placeholder=t("Anyone"),
        help=t(
            "Finds the visits a person made and the visits they received as host; 'Names as' below narrows to "
            "one of the two. The Visits page counts each."
        ),
        **PLAIN_PICKER,
    )


def find_people(choices: view.Choices, ds: dataset.Dataset | None, lang: str, typed: str) -> frozenset[str]:
    """The people whose name (as the data spells it, or as the interface shows it) holds every typed word,
    accents and capitals aside. Nothing typed finds everyone."""
    words = dataset.fold(typed).split()
    if not words:
        return frozenset(choices.visitors)
    names = visitor_names(choices, ds, lang)
    return frozenset(p for p in choices.visitors if all(w in dataset.fold(f"{p} {names.get(p, p)}") for w in words))


@lru_cache(maxsize=16)
def visitor_names(choices: view.Choices, ds: dataset.Dataset | None, lang: str) -> Mapping[str, str]:
    """Each visitor as the interface shows the name (in characters in the Chinese interface, where known); the
    link and the filter keep the name as the data spells it. Once per dataset and language, read-only."""
    names = {v: v for v in choices.visitors}
    if ds is not None:
        names.update(zip(ds.visits["visitor"], figures.shown_names(ds.visits, lang), strict=True))
    return MappingProxyType(names)


def share_link(current: view.View, ds: dataset.Dataset, choices: view.Choices) -> None:
    """In the sidebar: a copyable link to exactly this view and page, and a citation of it."""
    url = view.share_url(base_url(), current)
    t = tr()
    with st.sidebar:
        st.subheader(t("Share this view"))
        copy_box(url, t("Link to this view"), key="share-url")
        st.caption(t("The link reopens this page with exactly these filters."))
        with st.popover(t("Cite this view"), icon=":material/format_quote:", width="stretch"):
            cite(url, ds, current, choices, key="side")


def cite(url: str, ds: dataset.Dataset, current: view.View, choices: view.Choices, *, key: str) -> None:
    """How to cite the view: plain text and BibTeX, naming the dataset version and today's access date.

    The plain text names the view in the reader's language; the BibTeX entry is English bibliography metadata
    throughout, its note included, whatever the interface's language."""
    t = tr()
    version = dataset_version(ds)
    accessed = dt.date.today()
    st.markdown("**" + t("Plain text") + "**")
    shown = _with_visit(view.describe(current, choices, theme.FILTER_LABELS), ds, current)
    text = citation.citation_text(url, version, accessed, shown, ds.coverage_end, t)
    copy_box(text, t("Citation"), rows=4, key=f"cite-{key}")
    st.markdown("**BibTeX**")
    english_view = replace(current, lang=i18n.SOURCE)
    english = _with_visit(view.describe(english_view, choices, theme.FILTER_LABELS), ds, english_view)
    copy_box(citation.bibtex(url, version, accessed, english, ds.coverage_end), "BibTeX", rows=9, key=f"bib-{key}")
    st.caption(t("Dataset version {version}: the date of the data's last change.", version=version.isoformat()))


def _with_visit(line: str, ds: dataset.Dataset, current: view.View) -> str:
    """The view line with the chosen visit named ('… · visit: 2023-12-12 · Xi Jinping · China → Vietnam'): the
    link carries it, and a citation read on paper must too."""
    label = figures.visit_labels(ds, current.lang).get(current.visit) if current.visit else None
    if not label:
        return line
    t = i18n.translator(current.lang)
    named = t("visit: {visit}", visit=label)
    return f"{line} · {named}" if line else named


def dataset_version(ds: dataset.Dataset) -> dt.date:
    """The date of the data's last change, as the dataset declares it."""
    return ds.last_updated


SEARCH_HELP = i18n.N_(
    "Whole words, accents optional ('Trong' finds 'Trọng'); a word also finds longer words it begins and simple "
    "plurals ('railway' finds 'rail links', 'rail' finds 'railways'). Several words must all be found (AND); "
    "write OR in capitals between words for either ('railway OR port'). Searches visitor, title, cities, host "
    "and outcomes; the visits table says where each visit matched."
)


ROLE_NAMES = {"any": i18n.N_("Made or hosted"), "visited": i18n.N_("Made"), "hosted": i18n.N_("Hosted")}
