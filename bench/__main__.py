"""`python -m bench [--quick]`: every timing of the dashboard in one run, as medians and ratios against the floor.

Measured (see bench/README.md): warm rerun after a filter change, cold first run, first chart visible in
Chromium, PNG export (first and later), warm rerun at 10× and 100× data, server memory after 1 and 20 sessions.
Where a target is missed, the warm rerun is profiled with pyinstrument and the dashboard's costliest functions
are listed. Writes bench/results/latest.json and latest.md.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import DASHBOARD, RESULTS, ROOT, median


@dataclass(frozen=True)
class Plan:
    """How many repetitions each measurement gets."""

    warm: int
    growth: int
    cold: int
    chart: int
    png_processes: int
    png_rounds: int
    profile: int


QUICK = Plan(warm=8, growth=5, cold=2, chart=3, png_processes=1, png_rounds=3, profile=4)
FULL = Plan(warm=20, growth=12, cold=4, chart=7, png_processes=3, png_rounds=5, profile=8)


@dataclass
class Row:
    """One line of the results table; `ratio` is dashboard ÷ reference, `target` a ceiling on ratio or value."""

    metric: str
    dashboard: float
    floor: float | None
    unit: str
    target: str = ""
    limit: float | None = None  # the ceiling the checked quantity must stay under
    on_ratio: bool = True
    samples: int = 0

    @property
    def ratio(self) -> float | None:
        if self.floor is None or not self.floor or math.isnan(self.floor):
            return None
        return self.dashboard / self.floor

    @property
    def passed(self) -> bool | None:
        if self.limit is None:
            return None
        value = self.ratio if self.on_ratio else self.dashboard
        return value is not None and not math.isnan(value) and value <= self.limit


def log(msg: str) -> None:
    print(msg, flush=True)


def _fmt(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "–"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"


def table(rows: list[Row]) -> list[list[str]]:
    head = ["metric", "dashboard (median)", "reference (median)", "ratio", "target", "result"]
    body = [
        [
            r.metric,
            _fmt(r.dashboard, r.unit),
            _fmt(r.floor, r.unit),
            f"{r.ratio:.2f}×" if r.ratio is not None else "–",
            r.target or "–",
            {True: "PASS", False: "MISS", None: "info"}[r.passed],
        ]
        for r in rows
    ]
    return [head, *body]


def print_table(rows: list[Row]) -> str:
    cells = table(rows)
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(rows: list[Row], meta: dict, profiles: list[dict], load: dict | None) -> str:
    cells = table(rows)
    out = [f"# Benchmark results ({meta['mode']}, {meta['date']})", ""]
    out.append("| " + " | ".join(cells[0]) + " |")
    out.append("|" + "---|" * len(cells[0]))
    out += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    out += [
        "",
        f"Machine: {meta['machine']}. Medians of alternated runs; the reference is the floor app unless "
        "the metric names another.",
    ]
    for prof in profiles:
        out += [
            "",
            f"## Profile: {prof['label']} ({prof['reruns']} reruns, {prof['wall_ms_per_rerun']:.0f} ms each "
            "under the profiler)",
            "",
            "| dashboard function | ms per rerun |",
            "|---|---|",
        ]
        out += [f"| `{f['function']}` | {f['ms_per_rerun']:.0f} |" for f in prof["functions"][:12]]
        out += ["", "| library call from the dashboard's code | ms per rerun |", "|---|---|"]
        out += [f"| `{c['call']}` | {c['ms_per_rerun']:.0f} |" for c in prof["library_calls"][:10]]
        out += ["", f"Full tree: `{prof['text']}` (and .html)."]
    return "\n".join(out) + "\n"


def _unseen_ranges(steps: int) -> tuple[tuple[int, int], ...]:
    """The year ranges `apptest_runs.alternate(change="years")` visits in `steps` steps (warm-up included)."""
    from bench.apptest_runs import year_step
    from components import dataset, view

    choices = view.Choices.from_dataset(dataset.load())
    return tuple(year_step(choices.first_year, choices.last_year, i) for i in range(steps))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: about 5–8 minutes")
    parser.add_argument(
        "--only",
        default="warm,unseen,cold,chart,png,growth,memory",
        help="comma-separated subset of: warm, unseen, cold, chart, png, growth, memory",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip profiling the misses")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    only = set(args.only.split(","))
    from streamlit import logger as st_logger

    from bench import apptest_runs, browser, floor, load, png, synthetic

    st_logger.set_log_level("error")  # AppTest outside a server warns "missing ScriptRunContext" on every run

    started = time.perf_counter()
    rows: list[Row] = []
    raw: dict = {"plan": asdict(plan)}
    profiles: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        log("Building the floor app (the overview's content pre-built for the views switched) …")
        floor_app = floor.write(tmp / "floor")

        if "warm" in only:
            log(f"Warm rerun after a filter change (AppTest, {plan.warm} alternated reruns per app):")
            apps = [apptest_runs.App("dashboard", DASHBOARD), apptest_runs.App("floor", floor_app)]
            times = apptest_runs.alternate(apps, plan.warm, log=log)
            raw["warm"] = times
            rows.append(
                Row(
                    "warm rerun after filter change",
                    median(times["dashboard"]),
                    median(times["floor"]),
                    "s",
                    "≤ 1.5× floor",
                    1.5,
                    samples=plan.warm,
                )
            )
            log(f"Warm rerun to a view not seen before (years slider, {plan.warm} alternated reruns per app):")
            log("  against the static floor: the same year ranges, each page pre-built …")
            static_app = floor.write(tmp / "static", years=_unseen_ranges(plan.warm + 2))
            apps = [apptest_runs.App("dashboard", DASHBOARD), apptest_runs.App("floor", static_app)]
            times = apptest_runs.alternate(apps, plan.warm, log=log, change="years")
            raw["warm_unseen"] = times
            rows.append(
                Row(
                    "warm rerun, view not seen before (ref: static floor, each range pre-built)",
                    median(times["dashboard"]),
                    median(times["floor"]),
                    "s",
                    "≤ 1.5× floor",
                    1.5,
                    samples=plan.warm,
                )
            )

        if "unseen" in only:
            log(f"Warm rerun to a year range never drawn vs back to the one drawn before ({plan.warm} each):")
            times = apptest_runs.unseen_vs_replayed(plan.warm, log=log)
            raw["unseen_vs_replayed"] = times
            rows.append(
                Row(
                    "warm rerun, unseen view (ref: the page replayed from the memos)",
                    median(times["unseen"]),
                    median(times["replayed"]),
                    "s",
                    "≤ 1.5× floor",
                    1.5,
                    samples=plan.warm,
                )
            )

        if "cold" in only:
            log(f"Cold first run (fresh process each, AppTest, {plan.cold} alternated):")
            cold: dict[str, list[float]] = {"dashboard": [], "floor": []}
            for _ in range(plan.cold):
                for name, script in (("dashboard", DASHBOARD), ("floor", floor_app)):
                    cold[name].append(apptest_runs.cold_once(script))
                log(f"    dashboard {cold['dashboard'][-1]:.2f} s  floor {cold['floor'][-1]:.2f} s")
            raw["cold"] = cold
            rows.append(Row("cold first run", median(cold["dashboard"]), median(cold["floor"]), "s", samples=plan.cold))

        if "chart" in only:
            log(f"First chart visible in Chromium ({plan.chart} fresh contexts per app, alternated):")
            charts = browser.first_chart({"dashboard": DASHBOARD, "floor": floor_app}, plan.chart, log=log)
            raw["first_chart"] = charts
            rows.append(
                Row(
                    "first chart visible (Chromium)",
                    median(charts["dashboard"]),
                    median(charts["floor"]),
                    "s",
                    "≤ 1.3× floor",
                    1.3,
                    samples=plan.chart,
                )
            )

        if "png" in only:
            log(f"PNG export ({plan.png_processes} fresh process(es), {plan.png_rounds} rounds of every chart):")
            runs = [png.run_once(plan.png_rounds) for _ in range(plan.png_processes)]
            raw["png"] = runs
            firsts = [r["first"] for r in runs]
            per_chart: dict[str, list[float]] = {}
            for r in runs:
                for name, ts in r["per_chart"].items():
                    per_chart.setdefault(name, []).extend(ts)
            log(
                f"    first export {median(firsts):.2f} s; later: "
                + ", ".join(f"{n} {median(t):.2f} s" for n, t in per_chart.items())
            )
            rows.append(Row("PNG: first export after start", median(firsts), None, "s", samples=len(firsts)))
            for name, ts in per_chart.items():
                rows.append(
                    Row(
                        f"PNG: later export, {name}",
                        median(ts),
                        None,
                        "s",
                        "≤ 0.4 s",
                        0.4,
                        on_ratio=False,
                        samples=len(ts),
                    )
                )

        if "growth" in only:
            log("Growth: writing synthetic data 10× and 100× (validated by the dashboard's loader) …")
            d10 = synthetic.write(10, tmp / "data10")
            d100 = synthetic.write(100, tmp / "data100")
            log(f"Growth: warm rerun at 1×, 10×, 100× rows ({plan.growth} alternated reruns each):")
            apps = [
                apptest_runs.App("1x", DASHBOARD),
                apptest_runs.App("10x", DASHBOARD, d10),
                apptest_runs.App("100x", DASHBOARD, d100),
            ]
            # New year ranges each time, so every panel is rebuilt: the work that could grow with the data.
            times = apptest_runs.alternate(apps, plan.growth, log=log, change="years")
            raw["growth"] = times
            rows.append(
                Row(
                    "warm rerun at 10× rows (ref: 1×)",
                    median(times["10x"]),
                    median(times["1x"]),
                    "s",
                    samples=plan.growth,
                )
            )
            rows.append(
                Row(
                    "warm rerun at 100× rows (ref: 1×)",
                    median(times["100x"]),
                    median(times["1x"]),
                    "s",
                    "≤ 2× the 1× rerun",
                    2.0,
                    samples=plan.growth,
                )
            )

        if "memory" in only:
            log("Server memory after 1 and 20 sessions (websocket sessions, each renders the page):")
            mem = {name: load.memory(script) for name, script in (("dashboard", DASHBOARD), ("floor", floor_app))}
            raw["memory"] = mem
            for name, m in mem.items():
                log(
                    f"    {name}: idle {m['idle_mb']:.0f} MB, 1 session {m['rss_1_mb']:.0f} MB, "
                    f"20 sessions {m['rss_20_mb']:.0f} MB, page {m['page_bytes'] / 1e3:.0f} kB"
                )
            d, f = mem["dashboard"], mem["floor"]
            rows.append(Row("server RSS after 1 session", d["rss_1_mb"], f["rss_1_mb"], "MB", samples=1))
            rows.append(Row("server RSS after 20 sessions", d["rss_20_mb"], f["rss_20_mb"], "MB", samples=1))
            rows.append(Row("page size (ForwardMsg bytes)", d["page_bytes"] / 1e3, f["page_bytes"] / 1e3, "kB"))

        if not args.no_profile:
            missed = {r.metric for r in rows if r.passed is False}
            warm_rows = {
                "warm rerun after filter change",
                "warm rerun, view not seen before (ref: static floor, each range pre-built)",
                "warm rerun, unseen view (ref: the page replayed from the memos)",
            }
            if warm_rows & missed:
                log(f"Profiling {plan.profile} warm reruns of the dashboard (real data) …")
                profiles.append(apptest_runs.profile_reruns(None, plan.profile, "warm-1x"))
            if "warm rerun at 100× rows (ref: 1×)" in missed:
                log(f"Profiling {plan.profile} warm reruns at 100× …")
                profiles.append(apptest_runs.profile_reruns(tmp / "data100", plan.profile, "warm-100x"))

    meta = {
        "mode": "quick" if args.quick else "full",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} CPUs, Python {platform.python_version()}",
        "wall_s": time.perf_counter() - started,
        "load_average_at_end": __import__("os").getloadavg(),  # the noise this run had to live with
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "meta": meta,
        "rows": [{**asdict(r), "ratio": r.ratio, "passed": r.passed} for r in rows],
        "raw": raw,
        "profiles": profiles,
    }
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (RESULTS / "latest.md").write_text(markdown(rows, meta, profiles, None), encoding="utf-8")
    log("")
    log(print_table(rows))
    for prof in profiles:
        log(f"\nProfile {prof['label']}: costliest dashboard functions per rerun ({prof['text']}):")
        for f in prof["functions"][:10]:
            log(f"  {f['ms_per_rerun']:7.0f} ms  {f['function']}")
        log("  library calls made from the dashboard's code:")
        for c in prof["library_calls"][:8]:
            log(f"  {c['ms_per_rerun']:7.0f} ms  {c['call']}")
    log(f"\nWall time {meta['wall_s']:.0f} s. Written {RESULTS.relative_to(ROOT)}/latest.json and latest.md.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
