"""Shared helpers for the data, view, filtering and figure tests: copy data/ aside, edit one cell of a CSV, and
write a tiny dataset that follows the same contract (datapackage.json) as the real one."""

from __future__ import annotations

import csv
import functools
import json
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from components.dataset import DATA_DIR, Dataset, load
from components.view import Choices

FILES = ("sources", "trade", "indicators", "visits", "visit_date_versions", "milestones", "goods")


@functools.cache
def real() -> Dataset:
    """The real dataset, loaded once per test run (treated as read-only)."""
    return load()


@functools.cache
def real_choices() -> Choices:
    return Choices.from_dataset(real())


def copy_data(tmp_path: Path) -> Path:
    """A private copy of data/ to break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def read_rows(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows and the 1-based file line each data row starts on (header is line 1)."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows, lines = [], []
        start = reader.line_num + 1
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    return header, rows, lines


def write_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def edit(
    data_dir: Path, name: str, where: Callable[[dict[str, str]], bool], changes: dict[str, str], nth: int = 0
) -> int:
    """Change cells of the nth row matching `where` in `name`.csv; returns that row's line in the file."""
    path = data_dir / f"{name}.csv"
    header, rows, lines = read_rows(path)
    matches = [i for i, row in enumerate(rows) if where(dict(zip(header, row, strict=True)))]
    i = matches[nth]
    for field, value in changes.items():
        rows[i][header.index(field)] = value
    write_rows(path, header, rows)
    return lines[i]


def line_of(data_dir: Path, name: str, where: Callable[[dict[str, str]], bool], nth: int = 0) -> int:
    header, rows, lines = read_rows(data_dir / f"{name}.csv")
    return [line for row, line in zip(rows, lines, strict=True) if where(dict(zip(header, row, strict=True)))][nth]


# ---------------------------------------------------------------- a tiny dataset with the real contract

TINY_SOURCES = [
    {
        "source_id": "src-vn",
        "title": "Vietnam customs yearbook",
        "publisher": "Vietnam Customs Press",
        "url": "https://example.org/vn",
        "published": "2024-01-15",
        "note": "",
    },
    {
        "source_id": "src-cn",
        "title": "China customs release",
        "publisher": "GACC Newsroom",
        "url": "https://example.org/cn",
        "published": "2024-01-20",
        "note": "",
    },
    {
        "source_id": "src-other",
        "title": "A newspaper",
        "publisher": "Daily Paper",
        "url": "http://example.org/paper",
        "published": "2023",
        "note": "",
    },
]


def trade_row(
    reporter: str,
    year: int,
    flow: str,
    value: float,
    *,
    preferred: bool = True,
    status: str = "final",
    source_id: str | None = None,
    months: tuple[int, int] = (1, 12),
    note: str = "",
    qualifier: str = "exact",
) -> dict[str, str]:
    return {
        "reporter": reporter,
        "period_start": f"{year}-{months[0]:02d}",
        "period_end": f"{year}-{months[1]:02d}",
        "flow": flow,
        "value_usd_bn": str(value),
        "preferred": "true" if preferred else "false",
        "status": status,
        "agency": "Vietnam Customs" if reporter == "VN" else "China Customs (GACC)",
        "source_id": source_id or ("src-vn" if reporter == "VN" else "src-cn"),
        "note": note,
        "qualifier": qualifier,
        "curator_note": "",
    }


# VN states 2022 and 2023 flows; a total is stated for 2023 only (so 2022's is computed). CN states 2023 flows.
# A second, non-preferred VN 2023 total disagrees; another agrees with the preferred value. Two partial-year rows.
TINY_TRADE = [
    trade_row("VN", 2022, "vn_to_cn", 10.0),
    trade_row("VN", 2022, "cn_to_vn", 30.0),
    trade_row("VN", 2023, "vn_to_cn", 12.0),
    trade_row("VN", 2023, "cn_to_vn", 33.0),
    trade_row("VN", 2023, "total", 45.5, status="preliminary"),
    trade_row("VN", 2023, "total", 44.0, preferred=False, source_id="src-other", qualifier="about"),
    trade_row("VN", 2023, "total", 45.5, preferred=False, source_id="src-cn", note="Same value."),
    trade_row("CN", 2023, "vn_to_cn", 14.0),
    trade_row("CN", 2023, "cn_to_vn", 40.0),
    trade_row("VN", 2024, "total", 25.0, months=(1, 6)),
    trade_row("VN", 2024, "cn_to_vn", 6.0, months=(7, 7), status="estimate"),
]

TINY_INDICATORS = [
    {
        "indicator": "fdi_registered_capital_usd_bn",
        "period_start": "2022-01",
        "period_end": "2022-12",
        "value": "2.5",
        "unit": "US$ billion",
        "preferred": "true",
        "status": "final",
        "agency": "Vietnam Ministry of Planning and Investment",
        "source_id": "src-vn",
        "note": "",
        "qualifier": "exact",
        "definition": "total_registered",
    },
    {
        "indicator": "fdi_registered_capital_usd_bn",
        "period_start": "2023-01",
        "period_end": "2023-06",
        "value": "1.5",
        "unit": "US$ billion",
        "preferred": "true",
        "status": "preliminary",
        "agency": "Vietnam Ministry of Planning and Investment",
        "source_id": "src-vn",
        "note": "",
        "qualifier": "exact",
        "definition": "total_registered",
    },
    {
        "indicator": "tourist_arrivals_mn",
        "period_start": "2023-01",
        "period_end": "2023-12",
        "value": "1.74",
        "unit": "million arrivals",
        "preferred": "true",
        "status": "final",
        "agency": "Vietnam National Statistics Office",
        "source_id": "src-vn",
        "note": "",
        "qualifier": "over",
    },
    {
        "indicator": "tourist_arrivals_mn",
        "period_start": "2023-01",
        "period_end": "2023-12",
        "value": "1.7",
        "unit": "million arrivals",
        "preferred": "false",
        "status": "final",
        "agency": "A newspaper",
        "source_id": "src-other",
        "note": "Rounded.",
        "qualifier": "exact",
    },
]


def visit_row(
    visit_id: str,
    start: str,
    end: str,
    visitor: str,
    office: str,
    direction: str,
    visit_type: str,
    *,
    title: str = "Leader",
    cities: str = "Hanoi",
    host: str = "",
    outcomes: str = "",
    source_ids: str = "src-other",
    bilateral_part: str = "",
    date_basis: str = "actual",
    visitor_zh: str = "",
) -> dict[str, str]:
    return {
        "visit_id": visit_id,
        "start_date": start,
        "end_date": end,
        "visitor": visitor,
        "visitor_title": title,
        "office": office,
        "direction": direction,
        "visit_type": visit_type,
        "cities": cities,
        "host": host,
        "outcomes": outcomes,
        "source_ids": source_ids,
        "note": "",
        "bilateral_part": bilateral_part,
        "date_basis": date_basis,
        "visitor_zh": visitor_zh,
        "curator_note": "",
    }


TINY_VISITS = [
    visit_row(
        "2022-10-nguyen-phu-trong",
        "2022-10-30",
        "2022-11-01",
        "Nguyễn Phú Trọng",
        "party_chief",
        "vn_to_cn",
        "official",
        title="General Secretary of the CPV",
        cities="Beijing",
        host="Xi Jinping",
        outcomes="Joint statement",
        source_ids="src-vn;src-other",
    ),
    visit_row(
        "2023-12-xi-jinping",
        "2023-12-12",
        "2023-12-13",
        "Xi Jinping",
        "party_chief",
        "cn_to_vn",
        "state",
        title="General Secretary of the CPC and President of China",
        cities="Hanoi",
        host="Nguyễn Phú Trọng",
        outcomes="Community with a shared future",
        source_ids="src-cn",
    ),
    visit_row(
        "2023-06-pham-minh-chinh",
        "2023-06-25",
        "2023-06-28",
        "Phạm Minh Chính",
        "head_of_government",
        "vn_to_cn",
        "multilateral",
        title="Prime Minister of Vietnam",
        cities="Tianjin;Beijing",
        host="Li Qiang",
        outcomes="Summer Davos",
        bilateral_part="official",
    ),
    visit_row(
        "2024-08-to-lam",
        "2024-08-18",
        "2024-08-20",
        "Tô Lâm",
        "party_chief",
        "vn_to_cn",
        "state",
        title="General Secretary and State President",
        cities="Guangzhou;Beijing",
        host="Xi Jinping",
        outcomes="Trade and rail agreements",
    ),
    visit_row(
        "2022-09-li-zhanshu",
        "2022-09-08",
        "2022-09-10",
        "Li Zhanshu",
        "legislature_chief",
        "cn_to_vn",
        "official",
        title="Chairman of the NPC Standing Committee",
        cities="Hanoi",
        host="Vương Đình Huệ",
        outcomes="Legislative cooperation",
    ),
]

TINY_DATE_VERSIONS = [
    {
        "visit_id": "2022-10-nguyen-phu-trong",
        "start_date": "2022-10-30",
        "end_date": "2022-11-01",
        "preferred": "true",
        "source_id": "src-vn",
        "note": "Post-visit report.",
        "date_basis": "actual",
    },
    {
        "visit_id": "2022-10-nguyen-phu-trong",
        "start_date": "2022-10-30",
        "end_date": "2022-11-02",
        "preferred": "false",
        "source_id": "src-other",
        "note": "Announcement.",
        "date_basis": "announced",
    },
]


# Milestones and goods are empty in the default tiny dataset (so the older figure tests see what they saw);
# tests of those tables pass these.
TINY_MILESTONES = [
    {
        "milestone_id": "2008-05-comprehensive-strategic-partnership",
        "date": "2008-05-30",
        "kind": "framework",
        "title": "Comprehensive strategic cooperative partnership",
        "description": "The two parties raise the relationship to a comprehensive strategic cooperative partnership.",
        "source_ids": "src-other",
    },
    {
        "milestone_id": "2022-01-rcep-in-force",
        "date": "2022-01-01",
        "kind": "trade_agreement",
        "title": "RCEP enters into force",
        "description": "The Regional Comprehensive Economic Partnership takes effect for both countries.",
        "source_ids": "src-vn;src-cn",
    },
    {
        "milestone_id": "2023-12-community-with-a-shared-future",
        "date": "2023-12-12",
        "kind": "framework",
        "title": "Community with a shared future",
        "description": "A joint statement commits both sides to build a community with a shared future.",
        "source_ids": "src-cn",
    },
]


def goods_row(
    year: int,
    flow: str,
    group: str,
    value: float,
    *,
    product: str = "",
    reporter: str = "VN",
    preferred: bool = True,
    months: tuple[int, int] = (1, 12),
    source_id: str = "src-vn",
    agency: str = "Vietnam Customs",
    status: str = "final",
    qualifier: str = "exact",
    note: str = "",
) -> dict[str, str]:
    return {
        "reporter": reporter,
        "period_start": f"{year}-{months[0]:02d}",
        "period_end": f"{year}-{months[1]:02d}",
        "flow": flow,
        "group": group,
        "product": product,
        "value_usd_bn": str(value),
        "preferred": "true" if preferred else "false",
        "status": status,
        "agency": agency,
        "source_id": source_id,
        "note": note,
        "qualifier": qualifier,
    }


PHONES = "Phones and components"
COMPUTERS = "Computers, electronic products and components"
FRUIT = "Fruit and vegetables"
MACHINERY = "Machinery, equipment, tools and spare parts"
# VN exports: 2022 and 2023 for three groups, 2022 missing for computers; durian inside fruit; a GACC version of
# 2023 phones (not preferred); a Jan–Jun 2024 figure (partial, listed apart). VN imports: machinery 2023 only.
TINY_GOODS = [
    goods_row(2022, "vn_to_cn", PHONES, 10.5),
    goods_row(2022, "vn_to_cn", FRUIT, 3.4),
    goods_row(2023, "vn_to_cn", PHONES, 9.1),
    goods_row(2023, "vn_to_cn", COMPUTERS, 12.2, qualifier="over"),
    goods_row(2023, "vn_to_cn", FRUIT, 4.6),
    goods_row(2023, "vn_to_cn", FRUIT, 2.2, product="Durian", source_id="src-other"),
    goods_row(2023, "vn_to_cn", PHONES, 9.8, preferred=False, source_id="src-cn", agency="China Customs (GACC)"),
    goods_row(2024, "vn_to_cn", PHONES, 5.0, months=(1, 6), status="preliminary"),
    goods_row(2023, "cn_to_vn", MACHINERY, 20.0),
]


def write_dataset(
    target: Path,
    *,
    sources: Sequence[dict[str, str]] = TINY_SOURCES,
    trade: Sequence[dict[str, str]] = TINY_TRADE,
    indicators: Sequence[dict[str, str]] = TINY_INDICATORS,
    visits: Sequence[dict[str, str]] = TINY_VISITS,
    visit_date_versions: Sequence[dict[str, str]] = TINY_DATE_VERSIONS,
    milestones: Sequence[dict[str, str]] = (),
    goods: Sequence[dict[str, str]] = (),
) -> Path:
    """Write a small dataset with the real columns and descriptor into `target`; the descriptor's coverage is
    set to the tiny rows' own ends, so it validates like the real one."""
    target.mkdir(parents=True, exist_ok=True)
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    ends = [row["period_end"] for row in (*trade, *indicators, *goods)]
    descriptor["coverage"] = {
        **descriptor["coverage"],
        "figures_to": max(ends) if ends else descriptor["coverage"]["figures_to"],
        "visits_to": max(row["end_date"] for row in visits) if visits else descriptor["coverage"]["visits_to"],
    }
    (target / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    tables = {
        "sources": sources,
        "trade": trade,
        "indicators": indicators,
        "visits": visits,
        "visit_date_versions": visit_date_versions,
        "milestones": milestones,
        "goods": goods,
    }
    for name, rows in tables.items():
        header, _, _ = read_rows(DATA_DIR / f"{name}.csv")
        write_rows(target / f"{name}.csv", header, [[row.get(c, "") for c in header] for row in rows])
    return target


def tiny(tmp_path: Path, **tables: Sequence[dict[str, str]]) -> Dataset:
    """Write and load the tiny dataset (it must validate)."""
    return load(write_dataset(tmp_path / "tiny", **tables))
