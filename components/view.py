"""The view state: every filter and view choice, and its round trip through the URL's query string.

One frozen `View` is what the user sees; `from_query` reads it from a query string, ignoring each bad parameter on
its own with a notice that names it; `to_query` writes it back with defaults left out, so a link stays short and
reopens exactly the same view. The parameter names are part of the public interface (README "Share a view"):
keep them stable.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd

from components.dataset import Dataset
from components.i18n import LANGUAGES, N_, Translator, translator

REPORTER_MODES = ("VN", "CN", "both")
DIRECTIONS = ("vn_to_cn", "cn_to_vn")
OFFICES = (
    "party_chief",
    "head_of_state",
    "vice_president",
    "head_of_government",
    "deputy_head_of_government",
    "legislature_chief",
    "advisory_body_chief",
    "front_chief",
    "foreign_minister",
    "other",
)
VISIT_TYPES = ("state", "official", "working", "party", "multilateral", "envoy", "other")
GROUPINGS = ("office", "direction")
# Charts that can be shown alone (`chart=`, for embedding); tests keep this equal to figures.build's panels.
CHARTS = ("trade", "ytd", "mirror", "timeline", "fdi", "tourists", "visit_trade", "goods", "documents")
# Streamlit's own parameters: known, never ours to validate (st.query_params hides them anyway).
STREAMLIT_PARAMS = ("embed", "embed_options")
MEASURES = ("value", "growth", "index")  # the trade chart's measure (`measure=`)
SCALES = ("linear", "log")  # `scale=log`: the value measure only
YTD_FLOWS = ("total", "vn_to_cn", "cn_to_vn")  # `ytd=vn-total`: the year-to-date chart's reporter and flow
MAX_VALUE_LENGTH = 300  # longer values are refused whole (except a list of real visitors)
MAX_QUERY_LENGTH = 80

# Public parameter names, in the order they appear in a link.
PARAMS = (
    *("from", "to", "reporter", "dir", "office", "type", "visitor", "q", "group", "visit", "chart", "lang"),
    *("measure", "scale", "ytd"),
    "role",
    "recent",
    "milestones",  # `milestones=off`: the trade chart and the timeline without the milestones' rules
)
ROLES = ("any", "visited", "hosted")  # `role=`: a named person as the visitor, the host, or either
RECENT_MONTHS = 12  # `recent=12`: the visits of the latest twelve months the data covers


@dataclass(frozen=True)
class Choices:
    """What the dataset allows a view to name: the year range, visitors and visit ids, and the date the sources
    were last checked (the end of "the latest twelve months")."""

    first_year: int
    last_year: int
    visitors: tuple[str, ...]
    visit_ids: tuple[str, ...]
    checked: dt.date | None = None

    @classmethod
    def from_dataset(cls, ds: Dataset) -> Choices:
        years = pd.concat([ds.trade["start"].dt.year, ds.trade["year"], ds.visits["start_date"].dt.year])
        return cls(
            first_year=int(years.min()),
            last_year=int(years.max()),
            visitors=tuple(sorted(ds.visits["visitor"].unique())),
            visit_ids=tuple(ds.visits.sort_values("start_date")["visit_id"]),
            checked=ds.last_updated,
        )

    def recent_span(self, months: int) -> tuple[dt.date, dt.date] | None:
        return recent_span(self.checked, months)


def recent_span(checked: dt.date | None, months: int) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the latest `months` months up to the date the sources were last checked: a
    reader asking for "the latest twelve months" means what the data covers, not the months since the clock."""
    if checked is None or not months:
        return None
    start = (pd.Timestamp(checked) - pd.DateOffset(months=months) + pd.Timedelta(days=1)).date()
    return start, checked


@dataclass(frozen=True)
class View:
    """What the user has chosen. An empty tuple means "all"; `year_from`/`year_to` of None mean the data's ends."""

    year_from: int | None = None
    year_to: int | None = None
    reporter: str = "VN"
    directions: tuple[str, ...] = ()
    offices: tuple[str, ...] = ()
    visit_types: tuple[str, ...] = ()
    visitors: tuple[str, ...] = ()
    query: str = ""
    group_by: str = "office"
    visit: str = ""
    role: str = "any"  # names (visitor filter, search) as the visitor, the host, or either
    chart: str = ""  # one chart alone, for embedding; empty: the full page
    lang: str = "en"  # the interface language, one of i18n.LANGUAGES
    measure: str = "value"  # the trade chart: US$ values, year-on-year growth, or an index
    scale: str = "linear"  # log applies to the value measure only (kept, unused, with the others)
    ytd_reporter: str = "VN"  # the year-to-date chart's reporter and flow
    ytd_flow: str = "total"
    recent: int = 0  # visits: only the latest RECENT_MONTHS months the data covers (0: the year range)
    milestones: bool = True  # the relationship's milestones drawn on the trade chart and the timeline
    notices: tuple[str, ...] = field(default=(), compare=False)

    def years(self, choices: Choices) -> tuple[int, int]:
        """The year range in force, with the data's ends standing in for 'no limit'."""
        return (self.year_from or choices.first_year, self.year_to or choices.last_year)


def _clean_list(name: str, raw: str, allowed: Sequence[str], notices: list[str], t: Translator) -> tuple[str, ...]:
    values = [v.strip() for v in raw.split(",") if v.strip()]
    kept = tuple(dict.fromkeys(v for v in values if v in allowed))
    dropped = len(values) - len([v for v in values if v in allowed])
    if dropped:
        notices.append(
            t.n(
                "Parameter '{name}': ignored {n} unknown value.",
                "Parameter '{name}': ignored {n} unknown values.",
                dropped,
                name=name,
            )
        )
    return kept


def _year(name: str, raw: str, choices: Choices, notices: list[str], t: Translator) -> int | None:
    # ASCII digits only: str.isdigit() accepts '¹' or '٣', which int() then rejects or reads unexpectedly.
    if re.fullmatch(r"[0-9]{4}", raw) and choices.first_year <= int(raw) <= choices.last_year:
        return int(raw)
    notices.append(
        t(
            "Parameter '{name}': not a year from {first} to {last}; ignored.",
            name=name,
            first=choices.first_year,
            last=choices.last_year,
        )
    )
    return None


def _lang(params: Mapping[str, str | Sequence[str]], default_lang: str) -> str:
    """The language of the view (and of its notices): the link's `lang`, else the browser's, else English."""
    raw = params.get("lang")
    raw = raw if isinstance(raw, str) or raw is None else (raw[-1] if raw else "")
    if raw is None:
        return default_lang if default_lang in LANGUAGES else "en"
    return raw.lower() if raw.lower() in LANGUAGES else "en"


def _safe_name(name: str) -> str:
    """A parameter name fit to show: only letters, digits, '-' and '_', at most 20 characters."""
    shown = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "-_"))[:20]
    return shown or "?"


def from_query(params: Mapping[str, str | Sequence[str]], choices: Choices, *, default_lang: str = "en") -> View:
    """Read a view from query parameters. Each bad parameter is ignored alone, with a notice naming it.

    Without `lang` the language is `default_lang` (the browser's, on a first visit); a bad `lang` gets English.
    """
    notices: list[str] = []
    values: dict[str, str] = {}
    lang = _lang(params, default_lang)
    t = translator(lang)  # the notices speak the language the page will be in
    for name, raw in params.items():
        if name.lower() in STREAMLIT_PARAMS:
            continue
        if name not in PARAMS:
            notices.append(t("Unknown parameter '{name}' ignored.", name=_safe_name(name)))
            continue
        raw = raw if isinstance(raw, str) else (raw[-1] if raw else "")
        # a link naming every visitor is legitimate, and longer than the plain limit
        limit = max(MAX_VALUE_LENGTH, len(",".join(choices.visitors))) if name == "visitor" else MAX_VALUE_LENGTH
        if len(raw) > limit:
            notices.append(t("Parameter '{name}': value too long; ignored.", name=name))
            continue
        values[name] = raw
    view: dict = {}
    if "from" in values:
        view["year_from"] = _year("from", values["from"], choices, notices, t)
    if "to" in values:
        view["year_to"] = _year("to", values["to"], choices, notices, t)
    if view.get("year_from") and view.get("year_to") and view["year_from"] > view["year_to"]:
        notices.append(t("Parameters 'from' and 'to': 'from' is after 'to'; both ignored."))
        view["year_from"] = view["year_to"] = None
    if "reporter" in values:
        mode = {"vn": "VN", "cn": "CN", "both": "both"}.get(values["reporter"].lower())
        if mode:
            view["reporter"] = mode
        else:
            notices.append(t("Parameter 'reporter': expected vn, cn or both; ignored."))
    for name, key, allowed in (
        ("dir", "directions", DIRECTIONS),
        ("office", "offices", OFFICES),
        ("type", "visit_types", VISIT_TYPES),
        ("visitor", "visitors", choices.visitors),
    ):
        if name in values:
            view[key] = _clean_list(name, values[name], allowed, notices, t)
    if "q" in values:
        query = " ".join(values["q"].split())
        if len(query) > MAX_QUERY_LENGTH or any(c in query for c in "<>{}\\`"):
            notices.append(
                t("Parameter 'q': not a plain search of at most {n} characters; ignored.", n=MAX_QUERY_LENGTH)
            )
        else:
            view["query"] = query
    if "group" in values:
        if values["group"] in GROUPINGS:
            view["group_by"] = values["group"]
        else:
            notices.append(t("Parameter 'group': expected office or direction; ignored."))
    if "role" in values:
        if values["role"] in ROLES:
            view["role"] = values["role"]
        else:
            notices.append(t("Parameter 'role': expected visited or hosted; ignored."))
    if "recent" in values:
        if values["recent"] == str(RECENT_MONTHS):
            view["recent"] = RECENT_MONTHS
        else:
            notices.append(t("Parameter 'recent': expected {n}; ignored.", n=RECENT_MONTHS))
    if "visit" in values:
        if values["visit"] in choices.visit_ids:
            view["visit"] = values["visit"]
        else:
            notices.append(t("Parameter 'visit': no such visit; ignored."))
    if "chart" in values:
        if values["chart"] in CHARTS:
            view["chart"] = values["chart"]
        else:
            notices.append(t("Parameter 'chart': expected one of {values}; ignored.", values=", ".join(CHARTS)))
    if "measure" in values:
        if values["measure"] in MEASURES:
            view["measure"] = values["measure"]
        else:
            notices.append(t("Parameter 'measure': expected {values}; ignored.", values=", ".join(MEASURES)))
    if "scale" in values:
        if values["scale"] in SCALES:
            view["scale"] = values["scale"]
        else:
            notices.append(t("Parameter 'scale': expected linear or log; ignored."))
    if "ytd" in values:
        reporter, _, flow = values["ytd"].lower().partition("-")
        if reporter in ("vn", "cn") and flow in YTD_FLOWS:
            view["ytd_reporter"], view["ytd_flow"] = reporter.upper(), flow
        else:
            notices.append(
                t("Parameter 'ytd': expected vn or cn, '-', then {values}; ignored.", values=", ".join(YTD_FLOWS))
            )
    if "milestones" in values:
        if values["milestones"] in ("on", "off"):
            view["milestones"] = values["milestones"] == "on"
        else:
            notices.append(t("Parameter 'milestones': expected on or off; ignored."))
    view["lang"] = lang
    if "lang" in values and values["lang"].lower() not in LANGUAGES:
        notices.append(t("Parameter 'lang': expected {values}; ignored, English used.", values=", ".join(LANGUAGES)))
    return View(**view, notices=tuple(notices))


def to_query(view: View, *, default_lang: str = "en") -> dict[str, str]:
    """The query parameters for a view, defaults left out, in a stable order.

    `lang` is left out only for English when English is also `default_lang` (the browser's language), so a
    link in Vietnamese or Chinese always says so, and a reader who chose English over the browser's language
    keeps it on a reload.
    """
    default = View()
    out: dict[str, str] = {}
    if view.year_from is not None:
        out["from"] = str(view.year_from)
    if view.year_to is not None:
        out["to"] = str(view.year_to)
    if view.reporter != default.reporter:
        out["reporter"] = view.reporter.lower()
    for name, values in (
        ("dir", view.directions),
        ("office", view.offices),
        ("type", view.visit_types),
        ("visitor", view.visitors),
    ):
        if values:
            out[name] = ",".join(values)
    if view.query:
        out["q"] = view.query
    if view.group_by != default.group_by:
        out["group"] = view.group_by
    if view.visit:
        out["visit"] = view.visit
    if view.chart:
        out["chart"] = view.chart
    if view.lang != "en" or default_lang != "en":
        out["lang"] = view.lang
    if view.measure != default.measure:
        out["measure"] = view.measure
    if view.scale != default.scale:
        out["scale"] = view.scale
    if (view.ytd_reporter, view.ytd_flow) != (default.ytd_reporter, default.ytd_flow):
        out["ytd"] = f"{view.ytd_reporter.lower()}-{view.ytd_flow}"
    if view.role != default.role:
        out["role"] = view.role
    if view.recent:
        out["recent"] = str(view.recent)
    if not view.milestones:
        out["milestones"] = "off"
    return out


def share_url(base_url: str, view: View, page: str | None = None, **extra: str) -> str:
    """The full link that reopens `view`: the page's address with the view's query string.

    `page` is the page's url path ("" for the overview, "trade", ...) replacing the base's path; `extra`
    parameters (Streamlit's `embed=true`) go last.
    """
    parts = urlsplit(base_url)
    path = parts.path or "/"
    if page is not None:
        root = path.rstrip("/").rsplit("/", 1)[0] if _on_page(path) else path.rstrip("/")
        path = f"{root}/{page}" if page else f"{root}/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode({**to_query(view), **extra}), ""))


PAGE_PATHS = ("trade", "visits", "data")  # the pages' url paths besides the overview at "/"
EMBED_PATH = "embed"  # the light embed of one chart, /embed/<chart>?<view>, served by components/web
PAGE_CHARTS = {  # the charts each page draws (components/pages), for a link whose page names what to export
    "": ("trade", "timeline", "visit_trade"),
    "trade": ("trade", "goods", "ytd", "mirror", "fdi", "tourists"),
    "visits": ("timeline", "visit_trade", "documents"),
    "data": (),
}


def split_link(link: str) -> tuple[str | None, str]:
    """A shared link, a page path with its query, or a bare query string → (the page's url path, or None when
    the text names no page; the query string). 'https://x.streamlit.app/trade?from=2015' → ('trade', 'from=2015')."""
    text = link.strip()
    parts = urlsplit(text)
    if not (parts.scheme or parts.netloc or text.startswith("/")):
        return None, text.lstrip("?")  # 'from=2015&to=2020' (a '?' in front allowed)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return (last if last in PAGE_PATHS else ""), parts.query


def _on_page(path: str) -> bool:
    """Whether a URL path ends in one of the pages' paths (so the app's root is one level up)."""
    return path.rstrip("/").rsplit("/", 1)[-1] in PAGE_PATHS


def normalise(view: View, choices: Choices) -> View:
    """Drop limits equal to the data's ends, so the same view always has the same link."""
    year_from = None if view.year_from in (None, choices.first_year) else view.year_from
    year_to = None if view.year_to in (None, choices.last_year) else view.year_to
    return replace(view, year_from=year_from, year_to=year_to)


def _names(values: Iterable[str], labels: Mapping[str, str], t: Translator) -> str:
    return ", ".join(t(labels.get(v, v)) for v in values)


ROLE_WORDS = {"visited": N_("as visitor"), "hosted": N_("as host")}
FILTER_KINDS = ("directions", "offices", "visit_types")  # the coded visit filters `describe` names by label


def describe(view: View, choices: Choices, labels: Mapping[str, Mapping[str, str]], *, reporter: bool = True) -> str:
    """The filter in force, in one line for captions, exported images and embeds (without the reporter for
    charts of visits, which it does not filter; a trade chart's source line names its measure itself).

    `labels` holds one mapping per coded filter (`FILTER_KINDS`: visit directions, offices, visit types), so a
    visit direction is named as a direction ("Vietnam → China"), never as a trade flow, and an office "other" is
    never read as a visit type "other"."""
    t = translator(view.lang)
    start, end = view.years(choices)
    parts = [f"{start}–{end}"]
    span = choices.recent_span(view.recent)
    if span:  # the visits' own dates; the year range still holds for the trade figures
        latest = t("visits of the latest 12 months ({span})", span=f"{span[0]:%Y-%m-%d} – {span[1]:%Y-%m-%d}")
        parts = [*(parts if reporter else []), latest]
    if reporter:
        whose = {"VN": N_("Vietnam's figures"), "CN": N_("China's figures"), "both": N_("both countries' figures")}
        parts.append(t(whose[view.reporter]))
    if view.directions:
        parts.append(t("visits {directions}", directions=_names(view.directions, labels["directions"], t)))
    if view.offices:
        parts.append(t("office: {offices}", offices=_names(view.offices, labels["offices"], t)))
    if view.visit_types:
        parts.append(t("type: {types}", types=_names(view.visit_types, labels["visit_types"], t)))
    if view.visitors:
        people = ", ".join(view.visitors)
        parts.append(t(ROLE_PEOPLE[view.role], people=people))
    if view.query:
        parts.append(t('search "{query}"', query=view.query))
        if view.role != "any" and not view.visitors:
            parts.append(t(ROLE_WORDS[view.role]))
    return " · ".join(parts)


ROLE_PEOPLE = {  # a person filter names the role too: "either" is the default, and says so
    "any": N_("visits made or hosted by {people}"),
    "visited": N_("visits made by {people}"),
    "hosted": N_("visits hosted by {people}"),
}
