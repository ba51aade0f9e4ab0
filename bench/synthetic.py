"""Synthetic datasets N× the real rows of trade.csv and visits.csv, valid under data/datapackage.json.

The growth benchmark must feed the same loader and validation as real data, so the folder written here passes
`components.dataset.load` unchanged. The data model bounds time (years 2000 to now, calendar months), so more
rows can only mean what they mean in the real files: more sources' versions of the same figures, and more visits.

- trade: every row is kept; each gets N−1 copies that cite other sources and state a value 1–9 % off, marked
  not preferred (exactly one preferred row per key remains, keys stay unique). Like real conflicts, they are
  drawn as grey crosses on the trade chart.
- visits: every visit gets N−1 copies with a unique id `<id>-synK`, the same visitor, office and sources, on a
  random date of the same year (so the year range and the visitor list do not change).
- sources: the real ones plus as many `syn-NNNN` sources as the largest key needs distinct citations.
- indicators and visit_date_versions: unchanged.

    python -m bench.synthetic 100 /tmp/data100    # writes and validates
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import pandas as pd

from bench import ROOT

REAL_DATA = ROOT / "data"
TRADE_KEY = ["reporter", "period_start", "period_end", "flow"]
SEED = 20240101  # the same folder every run, so runs compare


def _synthetic_sources(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": [f"syn-{i:04d}" for i in range(count)],
            "title": [f"Synthetic source {i} (benchmark only)" for i in range(count)],
            "publisher": "bench.synthetic",
            "url": [f"https://example.org/synthetic/{i}" for i in range(count)],
            "published": "2024",
            "note": "Generated for the growth benchmark; not a real source.",
        }
    )


def _trade(trade: pd.DataFrame, factor: int, rng: random.Random) -> tuple[pd.DataFrame, int]:
    """Original rows plus factor−1 non-preferred copies per row, each citing a distinct synthetic source."""
    copies: list[dict] = []
    needed = 0
    for _, group in trade.groupby(TRADE_KEY, sort=False):
        n = 0  # index of the next synthetic source within this key: distinct per key, so keys stay unique
        for row in group.to_dict("records"):
            for k in range(1, factor):
                value = float(row["value_usd_bn"]) * (1 + rng.choice((-1, 1)) * rng.uniform(0.01, 0.09))
                copies.append(
                    {
                        **row,
                        "value_usd_bn": f"{max(value, 0.0001):.4f}",
                        "preferred": "false",
                        "source_id": f"syn-{n:04d}",
                        "note": f"Synthetic version {k} of a real figure (benchmark only).",
                    }
                )
                n += 1
        needed = max(needed, n)
    out = pd.concat([trade, pd.DataFrame(copies, columns=trade.columns)], ignore_index=True)
    return out, needed


def _visits(visits: pd.DataFrame, factor: int, rng: random.Random, latest: pd.Timestamp) -> pd.DataFrame:
    """Original visits plus factor−1 copies each, on random dates of the same year up to `latest` (the data's
    declared coverage end, which the validator holds every visit to), with unique ids."""
    copies: list[dict] = []
    for row in visits.to_dict("records"):
        start = pd.Timestamp(row["start_date"])
        length = pd.Timestamp(row["end_date"]) - start
        first = pd.Timestamp(year=start.year, month=1, day=1)
        last = min(pd.Timestamp(year=start.year, month=12, day=31), latest)
        room = (last - length - first).days
        for k in range(1, factor):
            day = first + pd.Timedelta(days=rng.randint(0, max(room, 0)))
            copies.append(
                {
                    **row,
                    "visit_id": f"{row['visit_id']}-syn{k}",
                    "start_date": f"{day:%Y-%m-%d}",
                    "end_date": f"{day + length:%Y-%m-%d}",
                    "note": f"Synthetic copy {k} (benchmark only).",
                }
            )
    return pd.concat([visits, pd.DataFrame(copies, columns=visits.columns)], ignore_index=True)


def write(factor: int, out_dir: Path, source: Path = REAL_DATA) -> Path:
    """Write a dataset `factor`× the real trade and visit rows into `out_dir` (created); returns `out_dir`."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    rng = random.Random(SEED + factor)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in (
        "datapackage.json",
        "README.md",
        "indicators.csv",
        "visit_date_versions.csv",
        "milestones.csv",
        "goods.csv",
    ):
        if (source / name).exists():
            shutil.copy2(source / name, out_dir / name)

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(source / name, dtype=str, keep_default_na=False, encoding="utf-8")

    trade, needed = _trade(read("trade.csv"), factor, rng)
    sources = pd.concat([read("sources.csv"), _synthetic_sources(needed)], ignore_index=True)
    coverage = json.loads((source / "datapackage.json").read_text(encoding="utf-8")).get("coverage", {})
    visits = read("visits.csv")
    latest = pd.Timestamp(coverage.get("visits_to") or max(visits["end_date"]))
    visits = _visits(visits, factor, rng, latest)
    for name, table in (("sources.csv", sources), ("trade.csv", trade), ("visits.csv", visits)):
        table.to_csv(out_dir / name, index=False, encoding="utf-8", lineterminator="\n")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic folder and validate it with the dashboard's own loader."""
    import time

    from components.dataset import DatasetError, load

    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m bench.synthetic FACTOR OUT_DIR", file=sys.stderr)
        return 2
    out = write(int(argv[0]), Path(argv[1]))
    start = time.perf_counter()
    try:
        ds = load(out)
    except DatasetError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(
        f"{out}: valid in {time.perf_counter() - start:.1f} s; trade {len(ds.trade)} rows, visits {len(ds.visits)}, "
        f"sources {len(ds.sources)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
