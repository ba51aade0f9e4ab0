"""Read data/ into typed pandas tables and check it against its contract, data/datapackage.json.

The descriptor is the single source of truth for columns, types and closed lists: frictionless checks the files
against it (types, enums, patterns, unique and foreign keys). The rules a Table Schema cannot say (end ≥ start,
one preferred row per key, `;`-separated source lists, date versions agreeing with visits.csv) are checked here.
Every problem is collected, each naming file, line and field, and raised together as one DatasetError, so a
curator fixes a file in one pass and the app can show a readable message instead of a traceback.

Run `python -m components.dataset [DATA_DIR]` to validate and print a coverage summary.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"
NOTES = "README.md"

# Keys that must have exactly one preferred row (the other rows are conflicting versions).
PREFERRED_KEYS: dict[str, list[str]] = {
    "trade": ["reporter", "period_start", "period_end", "flow"],
    "indicators": ["indicator", "period_start", "period_end"],
    "visit_date_versions": ["visit_id"],
    "goods": ["reporter", "period_start", "period_end", "flow", "group", "product"],
}
PERIOD_TABLES = ("trade", "indicators", "goods")
# Columns holding `;`-separated source ids, each of which must be in sources.csv.
SOURCE_LISTS = (("visits", "source_ids"), ("visits", "documents_source_ids"), ("milestones", "source_ids"))
DATE_TABLES = ("visits", "visit_date_versions")
# FDI indicators whose definition is fixed by what they measure; the other fdi_* rows must name theirs.
FIXED_DEFINITIONS = {"fdi_cumulative_capital_usd_bn": "cumulative_stock", "fdi_new_projects": "newly_registered"}
# Visits whose dates rest on a schedule published beforehand may lie after the last data change; the others not.
HAPPENED = ("actual", "reported")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of the dataset."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DatasetError(Exception):
    """Everything wrong with data/, found in one pass."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        head = f"The dataset has {n} problem{'s' if n != 1 else ''}:"
        return "\n".join([head, *(f"- {p}" for p in self.problems)])


@dataclass(frozen=True, eq=False)
class Dataset:
    """The validated tables. Read-only: one cached copy serves every session, and tables derived from it are
    memoised by identity (eq=False makes it hashable by identity)."""

    sources: pd.DataFrame
    trade: pd.DataFrame
    indicators: pd.DataFrame
    visits: pd.DataFrame
    visit_date_versions: pd.DataFrame
    milestones: pd.DataFrame
    goods: pd.DataFrame
    notes: str
    figures_end: dt.date  # last day of the latest month a trade or indicator figure covers
    visits_end: dt.date  # the latest end date of a visit
    coverage_end: dt.date  # the later of the two: "Data to <month year>"
    last_updated: dt.date  # the date of the last change to the data files


# ---------------------------------------------------------------- file-level checks (before frictionless)


def _read_descriptor(data_dir: Path) -> dict:
    path = data_dir / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError([Problem(DESCRIPTOR, None, None, f"cannot read the descriptor: {exc}")]) from None


def _file_problems(data_dir: Path, resource: dict) -> list[Problem]:
    """Missing, empty, non-UTF-8 files and wrong headers: reported with the line, before anything parses."""
    name = resource["path"]
    path = data_dir / name
    if not path.is_file():
        return [Problem(name, None, None, "file is missing")]
    raw = path.read_bytes()
    if not raw.strip():
        return [Problem(name, 1, None, "file is empty: expected a header row and data rows")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        prefix = raw[line_start : exc.start].decode("utf-8", errors="replace")
        header = next(csv.reader(io.StringIO(raw.split(b"\n", 1)[0].decode("utf-8", errors="replace"))))
        column = max(len(next(csv.reader(io.StringIO(prefix)), [""])) - 1, 0)
        field = header[column] if column < len(header) else None
        return [
            Problem(
                name, line, field, f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded (save the file as UTF-8)"
            )
        ]
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    expected = [f["name"] for f in resource["schema"]["fields"]]
    problems = [Problem(name, 1, col, "column is missing from the header") for col in expected if col not in header]
    problems += [
        Problem(name, 1, col, "column is not described in datapackage.json") for col in header if col not in expected
    ]
    if not problems and header != expected:
        problems.append(Problem(name, 1, None, f"columns are out of order: expected {', '.join(expected)}"))
    return problems


# ---------------------------------------------------------------- frictionless


def _describe_field(field: dict) -> str:
    kinds = {"date": "date (YYYY-MM-DD)", "number": "number", "integer": "whole number", "boolean": "true or false"}
    return kinds.get(field.get("type", "string"), field.get("type", "string"))


def _message(error, fields: dict[str, dict]) -> str:
    """Turn a frictionless error into a sentence a curator can act on."""
    cell = getattr(error, "cell", None)
    field = fields.get(getattr(error, "field_name", None) or "", {})
    code = error.type
    if code == "type-error":
        return f"'{cell}' is not a valid {_describe_field(field)}"
    if code == "constraint-error":
        constraints = field.get("constraints", {})
        note = error.note
        if '"required"' in note:
            return "value is required but empty"
        if '"enum"' in note:
            return f"'{cell}' is not one of: {', '.join(constraints.get('enum', []))}"
        if '"minimum"' in note:
            least = constraints.get("minimum")
            return f"'{cell}' must be at least 0" if least == 0 else f"'{cell}' must be greater than 0"
        if '"pattern"' in note:
            return f"'{cell}' is not in the expected form ({field.get('description', constraints.get('pattern'))})"
        return f"'{cell}' breaks a constraint: {note}"
    if code in ("primary-key", "unique-error"):
        return f"duplicate key: {error.note}"
    if code == "foreign-key":
        # note reads: for "source_id": values "s7" not found in the lookup table "sources" as "source_id"
        parts = error.note.split('"')
        if len(parts) >= 7:
            return f"'{parts[3]}' is not a {parts[7] if len(parts) > 7 else 'key'} in {parts[5]}.csv"
        return f"unknown reference: {error.note}"
    if code == "missing-cell":
        return "the row has too few cells"
    if code == "extra-cell":
        return "the row has more cells than the header"
    if code == "blank-row":
        return "blank row"
    return error.message


def _frictionless_problems(descriptor: dict, data_dir: Path, healthy: set[str]) -> list[Problem]:
    """Check the resources whose files are readable; foreign keys into a broken file are skipped."""
    from frictionless import Package  # imported here: it costs about a second and only validation needs it

    resources = []
    for res in descriptor["resources"]:
        if res["name"] not in healthy:
            continue
        res = json.loads(json.dumps(res))
        schema = res["schema"]
        schema["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in healthy]
        resources.append(res)
    if not resources:
        return []
    package = Package({**descriptor, "resources": resources}, basepath=str(data_dir))
    report = package.validate()
    problems: list[Problem] = []
    by_name = {r["name"]: r for r in resources}
    for task in report.tasks:
        res = by_name.get(task.name, {})
        fields = {f["name"]: f for f in res.get("schema", {}).get("fields", [])}
        for error in task.errors:
            field = getattr(error, "field_name", None) or getattr(error, "label", None)
            if error.type == "primary-key":
                field = ", ".join(res["schema"]["primaryKey"])
            elif error.type == "foreign-key":
                field = ", ".join(error.note.split('"')[1:2]) or None
            if error.type == "primary-key" and any(
                p.line == getattr(error, "row_number", None) and p.message.startswith("duplicate") for p in problems
            ):
                continue  # a one-column key already reported as a unique-error on this line
            problems.append(
                Problem(res.get("path", task.name), getattr(error, "row_number", None), field, _message(error, fields))
            )
    return problems


# ---------------------------------------------------------------- typed tables and cross-row rules


def _read_table(data_dir: Path, resource: dict) -> pd.DataFrame:
    """Read as text, then type the columns the schema types; `line` keeps each row's line in the file.

    Cells that do not parse become missing (frictionless has reported them), so the cross-row rules can still
    run over the rest and every problem is reported in one pass.
    """
    df = pd.read_csv(data_dir / resource["path"], dtype=str, keep_default_na=False, encoding="utf-8")
    df.insert(0, "line", range(2, len(df) + 2))
    if "documents_signed" in df:  # the cell as written, so a count that does not parse still counts as set
        df["documents_signed_text"] = df["documents_signed"].str.strip()
    for field in resource["schema"]["fields"]:
        name, kind = field["name"], field.get("type", "string")
        if kind == "number":
            df[name] = pd.to_numeric(df[name], errors="coerce")
        elif kind == "integer":  # blank stays missing (a count no source states), so a nullable integer
            number = pd.to_numeric(df[name], errors="coerce")
            df[name] = number.where(number.mod(1).eq(0)).astype("Int64")
        elif kind == "boolean":
            df[name] = df[name].eq("true")
        elif kind == "date":
            df[name] = pd.to_datetime(df[name], format="%Y-%m-%d", errors="coerce")
    if "period_start" in df:
        df["start"] = pd.to_datetime(df["period_start"], format="%Y-%m", errors="coerce")
        df["end"] = pd.to_datetime(df["period_end"], format="%Y-%m", errors="coerce") + pd.offsets.MonthEnd(0)
        df["months"] = (df["end"].dt.year - df["start"].dt.year) * 12 + df["end"].dt.month - df["start"].dt.month + 1
        df["full_year"] = df["start"].dt.month.eq(1) & df["months"].eq(12)
        df["year"] = df["end"].dt.year
        df["period"] = _period_labels(df)
    return df


def _period_labels(df: pd.DataFrame) -> pd.Series:
    """'2024' for a calendar year, 'Jan–Jun 2024' for part of one, 'Jan 2026' for a single month."""
    start = df["start"].dt.strftime("%b")
    end = df["end"].dt.strftime("%b %Y")
    label = start.where(df["months"] > 1, "") + "–" + end
    label = label.str.lstrip("–")
    same_year = df["start"].dt.year == df["end"].dt.year
    label = label.where(same_year, df["start"].dt.strftime("%b %Y") + "–" + end)
    return label.where(~df["full_year"], df["year"].astype("string")).fillna("")


def _rule_problems(tables: dict[str, pd.DataFrame], paths: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for name in PERIOD_TABLES:
        df = tables[name]
        for row in df[df["end"] < df["start"]].itertuples():
            problems.append(
                Problem(
                    paths[name], row.line, "period_end", f"{row.period_end} is before period_start {row.period_start}"
                )
            )
    for name in DATE_TABLES:
        df = tables[name]
        for row in df[df["end_date"] < df["start_date"]].itertuples():
            problems.append(
                Problem(
                    paths[name],
                    row.line,
                    "end_date",
                    f"{row.end_date:%Y-%m-%d} is before start_date {row.start_date:%Y-%m-%d}",
                )
            )
    for name, key in PREFERRED_KEYS.items():
        df = tables[name]
        for values, group in df.groupby(key, sort=False):
            label = " / ".join(str(v) for v in (values if isinstance(values, tuple) else (values,)))
            chosen = group[group["preferred"]]
            if chosen.empty:
                lines = ", ".join(str(n) for n in group["line"])
                problems.append(
                    Problem(
                        paths[name],
                        int(group["line"].iloc[0]),
                        "preferred",
                        f"no preferred row for {label} (lines {lines}): mark exactly one true",
                    )
                )
            for line in chosen["line"].iloc[1:]:
                problems.append(
                    Problem(
                        paths[name],
                        int(line),
                        "preferred",
                        f"second preferred row for {label}; line {chosen['line'].iloc[0]} is preferred already",
                    )
                )
    indicators = tables["indicators"]
    for row in indicators.itertuples():
        fixed = FIXED_DEFINITIONS.get(row.indicator)
        if fixed and row.definition != fixed:
            problems.append(
                Problem(paths["indicators"], row.line, "definition", f"{row.indicator} rows must be '{fixed}'")
            )
        elif row.indicator.startswith("fdi_") and not row.definition:
            problems.append(
                Problem(paths["indicators"], row.line, "definition", f"required on {row.indicator} rows (see README)")
            )
        elif not row.indicator.startswith("fdi_") and row.definition:
            problems.append(Problem(paths["indicators"], row.line, "definition", "only fdi_* rows have a definition"))
    named = tables["visits"][tables["visits"]["visitor_zh"] != ""]
    first_form = named.drop_duplicates("visitor").set_index("visitor")
    for row in named.itertuples():
        first = first_form.loc[row.visitor]
        if row.visitor_zh != first["visitor_zh"]:
            problems.append(
                Problem(
                    paths["visits"],
                    row.line,
                    "visitor_zh",
                    f"'{row.visitor_zh}' differs from '{first['visitor_zh']}' on line {first['line']} ({row.visitor})",
                )
            )
    known = set(tables["sources"]["source_id"])
    for name, column in SOURCE_LISTS:
        for line, ids in zip(tables[name]["line"], tables[name][column], strict=True):
            for sid in ids.split(";"):
                if sid and sid not in known:
                    problems.append(
                        Problem(paths[name], line, column, f"unknown source '{sid}': not in {paths['sources']}")
                    )
    visits_raw = tables["visits"]
    stated = visits_raw["documents_signed"].notna() | visits_raw["documents_signed_text"].ne("")
    for row in visits_raw[stated & visits_raw["documents_source_ids"].eq("")].itertuples():
        problems.append(
            Problem(
                paths["visits"],
                row.line,
                "documents_source_ids",
                "required when documents_signed is set: the ids of the sources that state the count",
            )
        )
    for row in visits_raw[~stated & visits_raw["documents_source_ids"].ne("")].itertuples():
        problems.append(
            Problem(
                paths["visits"],
                row.line,
                "documents_source_ids",
                "only set together with documents_signed (no count, no sources for it)",
            )
        )
    problems += _group_problems(tables["goods"], paths["goods"])
    visits = tables["visits"].set_index("visit_id")
    versions = tables["visit_date_versions"]
    for row in versions[versions["preferred"]].itertuples():
        if row.visit_id in visits.index:
            visit = visits.loc[row.visit_id]
            if (row.start_date, row.end_date) != (visit["start_date"], visit["end_date"]):
                problems.append(
                    Problem(
                        paths["visit_date_versions"],
                        row.line,
                        "start_date",
                        f"preferred dates differ from {paths['visits']} line {visit['line']}",
                    )
                )
            if row.date_basis != visit["date_basis"]:
                problems.append(
                    Problem(
                        paths["visit_date_versions"],
                        row.line,
                        "date_basis",
                        f"the preferred version's basis '{row.date_basis}' differs from "
                        f"{paths['visits']} line {visit['line']} ('{visit['date_basis']}')",
                    )
                )
    return problems


def _spelling(text: str) -> str:
    return " ".join(fold(text).split())


def _group_problems(goods: pd.DataFrame, path: str) -> list[Problem]:
    """A group or product is spelled one way throughout (the panel groups rows by the exact text), and a product
    is something inside its group, not the group's own name."""
    problems: list[Problem] = []
    for column in ("group", "product"):
        first: dict[str, tuple[str, int]] = {}
        for line, value in zip(goods["line"], goods[column], strict=True):
            if not value:
                continue
            seen = first.setdefault(_spelling(value), (value, line))
            if seen[0] != value:
                problems.append(
                    Problem(path, line, column, f"'{value}' is spelled '{seen[0]}' on line {seen[1]}: use one spelling")
                )
    for row in goods[goods["product"].map(_spelling) == goods["group"].map(_spelling)].itertuples():
        problems.append(
            Problem(path, row.line, "product", "is the group itself: leave product blank for the whole group")
        )
    return problems


def _published_start(published: str) -> dt.date | None:
    """The earliest day a `published` value (YYYY, YYYY-MM or YYYY-MM-DD) can mean."""
    parts = [int(p) for p in published.split("-") if p.isdigit()]
    try:
        return dt.date(*[*parts, 1, 1][:3]) if parts else None
    except ValueError:
        return None


def _declared_date(value: object, fmt: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(str(value), fmt).date()
    except ValueError:
        return None


@dataclass(frozen=True)
class Coverage:
    """How far the data reaches and when it last changed, as datapackage.json declares it."""

    figures_end: dt.date
    visits_end: dt.date
    last_updated: dt.date


def _coverage(
    descriptor: dict, tables: dict[str, pd.DataFrame], paths: dict[str, str], today: dt.date
) -> tuple[Coverage | None, list[Problem]]:
    """Check the declared coverage and last-update date against the rows.

    The declared ends must equal the latest rows (nothing beyond them, nothing stale). The last update cannot be
    in the future, before a cited source was published, or before a visit that has happened had ended.
    """
    declared = descriptor.get("coverage") or {}
    problems: list[Problem] = []
    figures_to = _declared_date(declared.get("figures_to"), "%Y-%m")
    visits_to = _declared_date(declared.get("visits_to"), "%Y-%m-%d")
    updated = _declared_date(descriptor.get("last_updated"), "%Y-%m-%d")
    for field, value, form in (
        ("coverage.figures_to", figures_to, "YYYY-MM"),
        ("coverage.visits_to", visits_to, "YYYY-MM-DD"),
        ("last_updated", updated, "YYYY-MM-DD"),
    ):
        if value is None:
            problems.append(Problem(DESCRIPTOR, None, field, f"missing or not a date in the form {form}"))
    if problems:
        return None, problems
    figures_end = (pd.Timestamp(figures_to) + pd.offsets.MonthEnd(0)).date()
    periods = pd.concat(
        [tables[name][["line", "period_end", "end"]].assign(file=paths[name]) for name in PERIOD_TABLES]
    )
    latest = periods["end"].max()
    if pd.notna(latest) and latest.date() != figures_end:
        beyond = periods[periods["end"].dt.date > figures_end]
        for row in beyond.itertuples():
            problems.append(
                Problem(row.file, row.line, "period_end", f"{row.period_end} is after the declared coverage.figures_to")
            )
        if beyond.empty:
            problems.append(
                Problem(
                    DESCRIPTOR,
                    None,
                    "coverage.figures_to",
                    f"declared {figures_to:%Y-%m} but the latest figure ends {latest:%Y-%m}",
                )
            )
    visits = tables["visits"]
    last_visit = visits["end_date"].max()
    if pd.notna(last_visit) and last_visit.date() != visits_to:
        beyond = visits[visits["end_date"].dt.date > visits_to]
        for row in beyond.itertuples():
            problems.append(
                Problem(
                    paths["visits"],
                    row.line,
                    "end_date",
                    f"{row.end_date:%Y-%m-%d} is after the declared coverage.visits_to",
                )
            )
        if beyond.empty:
            problems.append(
                Problem(
                    DESCRIPTOR,
                    None,
                    "coverage.visits_to",
                    f"declared {visits_to:%Y-%m-%d} but the latest visit ends {last_visit:%Y-%m-%d}",
                )
            )
    if updated > today:
        problems.append(Problem(DESCRIPTOR, None, "last_updated", f"{updated:%Y-%m-%d} is in the future"))
    sources = tables["sources"]
    for row in sources.itertuples():
        start = _published_start(row.published)
        if start and start > updated:
            problems.append(
                Problem(paths["sources"], row.line, "published", f"{row.published} is after the declared last_updated")
            )
    happened = visits[visits["date_basis"].isin(HAPPENED)]
    for row in happened[happened["end_date"].dt.date > updated].itertuples():
        problems.append(
            Problem(
                paths["visits"],
                row.line,
                "end_date",
                f"{row.end_date:%Y-%m-%d} ({row.date_basis}) is after the declared last_updated",
            )
        )
    return Coverage(figures_end, visits_to, updated), problems


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so a search for 'Trong' finds 'Trọng' and 'Dang' finds 'Đặng'."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _add_source_labels(tables: dict[str, pd.DataFrame]) -> None:
    """Join each figure to its source once, at load, so hovers and tables can name it on every rerun for free."""
    sources = tables["sources"].set_index("source_id")
    label = sources["publisher"] + ", " + sources["published"]
    for name in ("trade", "indicators", "visit_date_versions", "goods"):
        df = tables[name]
        df["source_label"] = df["source_id"].map(label)
        df["source_url"] = df["source_id"].map(sources["url"])
    for name, column in SOURCE_LISTS:
        df = tables[name]
        prefix = column.removesuffix("source_ids")
        ids = df[column].map(lambda v: [x for x in v.split(";") if x])
        df[f"{prefix}source_labels"] = ids.map(lambda xs: "; ".join(label.get(x, x) for x in xs))
        df[f"{prefix}source_urls"] = ids.map(lambda xs: [sources["url"].get(x, "") for x in xs])
    visits = tables["visits"]
    text = visits[["visitor", "visitor_zh", "visitor_title", "cities", "host", "outcomes"]].agg(" ".join, axis=1)
    visits["search_text"] = text.map(fold)


def load(data_dir: Path | str = DATA_DIR, *, today: dt.date | None = None) -> Dataset:
    """Validate data/ and return its typed tables, or raise DatasetError listing every problem.

    `today` is the date a declared last update may not pass (the real date unless a test fixes it).
    """
    data_dir = Path(data_dir)
    descriptor = _read_descriptor(data_dir)
    resources = {r["name"]: r for r in descriptor["resources"]}
    problems: list[Problem] = []
    healthy = set()
    for name, res in resources.items():
        found = _file_problems(data_dir, res)
        problems += found
        if not found:
            healthy.add(name)
    problems += _frictionless_problems(descriptor, data_dir, healthy)
    if healthy != set(resources):
        raise DatasetError(problems)
    tables = {name: _read_table(data_dir, res) for name, res in resources.items()}
    paths = {name: res["path"] for name, res in resources.items()}
    problems += _rule_problems(tables, paths)
    tables["visits"] = tables["visits"].drop(columns="documents_signed_text")
    coverage, found = _coverage(descriptor, tables, paths, today or dt.date.today())
    problems += found
    if problems or coverage is None:
        raise DatasetError(problems)
    _add_source_labels(tables)
    notes_path = data_dir / NOTES
    notes = notes_path.read_text(encoding="utf-8") if notes_path.is_file() else ""
    return Dataset(
        notes=notes,
        figures_end=coverage.figures_end,
        visits_end=coverage.visits_end,
        coverage_end=max(coverage.figures_end, coverage.visits_end),
        last_updated=coverage.last_updated,
        **{name: tables[name] for name in resources},
    )


# ---------------------------------------------------------------- summary command


def _years(series: pd.Series) -> str:
    """Compress years into ranges: 2000–2020, 2023."""
    years = sorted(set(int(y) for y in series))
    runs: list[str] = []
    for y in years:
        if runs and int(runs[-1].split("–")[-1]) == y - 1:
            runs[-1] = f"{runs[-1].split('–')[0]}–{y}"
        else:
            runs.append(str(y))
    return ", ".join(runs) or "none"


def summary(ds: Dataset) -> str:
    """What a curator checks after an edit: size, annual coverage, conflicts kept, visit counts."""
    out = ["Rows per file:"]
    for name in ("sources", "trade", "indicators", "visits", "visit_date_versions", "milestones", "goods"):
        out.append(f"  {name + '.csv':26} {len(getattr(ds, name)):5}")
    annual = ds.trade[ds.trade["full_year"] & ds.trade["preferred"]]
    out.append("Full years covered (preferred rows), per reporter and flow:")
    for (reporter, flow), group in annual.groupby(["reporter", "flow"]):
        out.append(f"  {reporter} {flow:9} {_years(group['year'])}")
    partial = ds.trade[~ds.trade["full_year"] & ds.trade["preferred"]]
    out.append(f"Partial-year figures: {len(partial)} (periods {_years(partial['year'])})")
    for name, key in PREFERRED_KEYS.items():
        df = getattr(ds, name)
        value = {"trade": "value_usd_bn", "indicators": "value", "goods": "value_usd_bn"}.get(name, "end_date")
        conflicts = df.groupby(key)[value].nunique().gt(1).sum()
        out.append(f"Conflicts kept in {name}.csv: {conflicts} keys with more than one stated value")
    for name in PERIOD_TABLES:
        counts = getattr(ds, name)["qualifier"].value_counts()
        out.append(f"Qualifiers in {name}.csv: " + ", ".join(f"{q} {n}" for q, n in counts.items()))
    fdi = ds.indicators[ds.indicators["indicator"].str.startswith("fdi_")]
    counts = fdi.groupby(["indicator", "definition"]).size()
    out.append("FDI rows per definition: " + ", ".join(f"{i} {d} {n}" for (i, d), n in counts.items()))
    out.append("Visits per direction and office:")
    counts = ds.visits.groupby(["direction", "office"]).size()
    for (direction, office), n in counts.items():
        out.append(f"  {direction:9} {office:26} {n:3}")
    out.append(
        f"  total {len(ds.visits)}, {ds.visits['start_date'].min():%Y-%m-%d} to "
        f"{ds.visits['start_date'].max():%Y-%m-%d}"
    )
    out.append("Visits per office (both directions):")
    for office, n in ds.visits["office"].value_counts().items():
        out.append(f"  {office:26} {n:3}")
    out.append("Visits per date basis:")
    for basis, n in ds.visits["date_basis"].value_counts().items():
        out.append(f"  {basis:26} {n:3}")
    counted = ds.visits[ds.visits["documents_signed"].notna()]
    out.append(
        f"Visits with a stated count of documents signed: {len(counted)}"
        + "".join(f"\n  {r.visit_id:40} {r.documents_signed:3}" for r in counted.itertuples())
    )
    out.append(summary_milestones(ds.milestones))
    out.append(summary_goods(ds.goods))
    out.append(
        f"Data to: figures {ds.figures_end:%Y-%m}, visits {ds.visits_end:%Y-%m-%d}; "
        f"last updated {ds.last_updated:%Y-%m-%d}"
    )
    return "\n".join(out)


def summary_milestones(milestones: pd.DataFrame) -> str:
    """Milestones per kind, with their years."""
    out = [f"Milestones: {len(milestones)}"]
    for kind, group in milestones.groupby("kind"):
        out.append(f"  {kind:16} {len(group):3}  ({_years(group['date'].dt.year)})")
    return "\n".join(out)


def summary_goods(goods: pd.DataFrame) -> str:
    """Which full years each group has per reporter and flow (preferred rows), and how many figures are apart."""
    preferred = goods[goods["preferred"]]
    annual = preferred[preferred["full_year"]]
    out = [f"Goods: {goods['group'].nunique()} groups, {goods['product'].replace('', pd.NA).nunique()} products"]
    out.append("  Full years (preferred rows), per reporter, flow and group (products marked 'in'):")
    for (reporter, flow, group, product), rows in annual.groupby(["reporter", "flow", "group", "product"]):
        name = f"{product} in {group}" if product else group
        out.append(f"    {reporter} {flow:9} {name[:60]:60} {_years(rows['year'])}")
    partial = preferred[~preferred["full_year"]]
    out.append(f"  Partial-year figures (listed apart, not drawn): {len(partial)} (periods {_years(partial['year'])})")
    out.append(f"  Versions kept (not preferred): {int((~goods['preferred']).sum())}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else DATA_DIR
    try:
        ds = load(data_dir)
    except DatasetError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"{data_dir}: valid.")
    print(summary(ds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
