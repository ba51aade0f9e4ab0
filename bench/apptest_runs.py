"""Script-run timings through AppTest: warm reruns after a filter change, growth, cold first runs, profiles.

AppTest runs the real script with the real widgets and caches, without a browser or network, so a rerun's time
is what the script and Streamlit's element serialisation cost. Apps are alternated run by run, so a burst of
noise from the shared machine hits both sides of a ratio.

`python -m bench.apptest_runs cold PATH [DATA_DIR]` prints one cold first run (a fresh process) as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import DASHBOARD, DATA_DIR_ENV, PYTHON, RESULTS, ROOT

TIMEOUT = 300  # seconds per script run: the first run at 100× validates ~34k rows


@dataclass
class App:
    """An app under test: its script, the dataset folder it reads (None: data/), and its timings."""

    name: str
    script: Path
    data_dir: Path | None = None
    times: list[float] = field(default_factory=list)
    at: object = None

    def _env(self) -> None:
        if self.data_dir is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = str(self.data_dir)

    def start(self) -> None:
        """First run (not timed): loads the dataset into the cache and seeds the widgets."""
        from streamlit.testing.v1 import AppTest

        self._env()
        self.at = AppTest.from_file(str(self.script), default_timeout=TIMEOUT)
        self.at.run()
        self._check()

    def _check(self) -> None:
        if self.at.exception:
            raise RuntimeError(f"{self.name}: the script raised: {self.at.exception[0].message}")

    def switch(self, step: int, change: str = "reporter") -> float:
        """Change a filter and rerun; returns the rerun's wall time in seconds.

        `reporter` toggles VN ↔ both (views seen before after the first two steps: the dashboard's per-panel
        memos answer them); `years` moves the start year to a value not used before, so every panel of the
        dashboard is rebuilt (the floor just redraws its content).
        """
        self._env()
        if change == "years":
            slider = self.at.slider(key="f_years")
            slider.set_value(year_step(slider.min, slider.max, step))
        else:
            self.at.radio(key="f_reporter").set_value("both" if step % 2 == 0 else "VN")
        start = time.perf_counter()
        self.at.run()
        elapsed = time.perf_counter() - start
        self._check()
        return elapsed


def year_step(low: int, high: int, step: int) -> tuple[int, int]:
    """The year range of a `years` change at `step`: a start year not used in the steps just before."""
    return low + 1 + step % max(high - low - 1, 1), high


def alternate(
    apps: list[App], reps: int, warmup: int = 2, log: Callable[[str], None] = print, change: str = "reporter"
) -> dict[str, list]:
    """Time `reps` filter changes per app, interleaved app by app; the first `warmup` per app are dropped."""
    saved = os.environ.get(DATA_DIR_ENV)
    try:
        for app in apps:
            app.start()
        for i in range(warmup + reps):
            for app in apps:
                elapsed = app.switch(i, change)
                if i >= warmup:
                    app.times.append(elapsed)
            if i >= warmup:
                log("    " + "  ".join(f"{a.name} {a.times[-1] * 1000:6.0f} ms" for a in apps))
    finally:  # later steps (servers, profiles) must not inherit a synthetic dataset
        if saved is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = saved
    return {app.name: app.times for app in apps}


def unseen_vs_replayed(reps: int, warmup: int = 2, log: Callable[[str], None] = print) -> dict[str, list[float]]:
    """The dashboard's rerun to a year range it has never drawn, against its rerun back to the range drawn just
    before (every panel then answered from its memo: the same kind of page replayed from memory), alternated in
    one AppTest. The replay still pays the dashboard's per-rerun overhead, so the ratio understates the cost of
    an unseen view; it needs no generated floor app, so it follows the pages as they change."""
    app = App("dashboard", DASHBOARD)
    saved = os.environ.get(DATA_DIR_ENV)
    times: dict[str, list[float]] = {"unseen": [], "replayed": []}
    try:
        app.start()
        slider = app.at.slider(key="f_years")
        low, high = slider.min, slider.max
        span = max(high - low - 1, 1)
        for i in range(warmup + reps):
            for label, start_year in (("unseen", low + 1 + i % span), ("replayed", low + 1 + max(i - 1, 0) % span)):
                app.at.slider(key="f_years").set_value((start_year, high))
                started = time.perf_counter()
                app.at.run()
                elapsed = time.perf_counter() - started
                app._check()
                if i >= warmup:
                    times[label].append(elapsed)
            if i >= warmup:
                log(f"    unseen {times['unseen'][-1] * 1000:6.0f} ms  replayed {times['replayed'][-1] * 1000:6.0f} ms")
    finally:
        if saved is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = saved
    return times


# ---------------------------------------------------------------- cold first run, in a fresh process


def cold_once(script: Path, data_dir: Path | None = None) -> float:
    """Seconds from a fresh process's first AppTest run start to its end (Streamlit itself already imported)."""
    env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV}
    if data_dir is not None:
        env[DATA_DIR_ENV] = str(data_dir)
    args = [PYTHON, "-m", "bench.apptest_runs", "cold", str(script)]
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def _cold_main(script: str) -> int:
    from streamlit.testing.v1 import AppTest

    start = time.perf_counter()
    at = AppTest.from_file(script, default_timeout=TIMEOUT)
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        print(at.exception[0].message, file=sys.stderr)
        return 1
    print(json.dumps({"seconds": elapsed}))
    return 0


# ---------------------------------------------------------------- profiles of a miss

PROFILED_APP = '''"""Generated by bench/apptest_runs.py: dashboard.py under pyinstrument, one profile per run."""
import runpy

import streamlit as st
from pyinstrument import Profiler

_p = Profiler(interval=0.001)
_p.start()
try:
    runpy.run_path({dashboard!r}, run_name="__main__")
finally:
    _p.stop()
    st.session_state.setdefault("_bench_profiles", []).append(_p.last_session)
'''


def _function_totals(session, runs: int) -> list[dict]:
    """Wall ms per rerun of each function of the dashboard's own code (outermost call only), largest first."""
    totals: dict[str, float] = {}

    def walk(frame, seen: frozenset) -> None:
        path = frame.file_path or ""
        own = str(ROOT / "components") in path or path == str(DASHBOARD)
        ident = f"{frame.function} ({Path(path).relative_to(ROOT)}:{frame.line_no})" if own else ""
        if own and ident not in seen:
            totals[ident] = totals.get(ident, 0.0) + frame.time
            seen = seen | {ident}
        for child in frame.children:
            walk(child, seen)

    root = session.root_frame()
    if root is not None:
        walk(root, frozenset())
    rows = [{"function": k, "ms_per_rerun": 1000 * v / runs} for k, v in totals.items()]
    return sorted(rows, key=lambda r: -r["ms_per_rerun"])


def _library_hotspots(session, runs: int, limit: int = 12) -> list[dict]:
    """The library calls made directly from the dashboard's code that cost most (e.g. plotly Figure.__init__)."""
    totals: dict[str, float] = {}

    def walk(frame, parent_own: str) -> None:
        path = frame.file_path or ""
        own = str(ROOT / "components") in path or path == str(DASHBOARD)
        if not own and parent_own:
            key = f"{frame.function} ({Path(path).name}) called from {parent_own}"
            totals[key] = totals.get(key, 0.0) + frame.time
            return
        name = f"{frame.function} ({Path(path).name}:{frame.line_no})" if own else ""
        for child in frame.children:
            walk(child, name)

    root = session.root_frame()
    if root is not None:
        walk(root, "")
    rows = [{"call": k, "ms_per_rerun": 1000 * v / runs} for k, v in totals.items()]
    return sorted(rows, key=lambda r: -r["ms_per_rerun"])[:limit]


def profile_reruns(data_dir: Path | None, reps: int, label: str) -> dict:
    """Profile `reps` warm reruns after filter changes; writes text and HTML profiles into bench/results/."""
    import tempfile

    from pyinstrument.renderers import ConsoleRenderer, HTMLRenderer
    from pyinstrument.session import Session

    with tempfile.TemporaryDirectory(prefix="bench-prof-") as tmp:
        script = Path(tmp) / "profiled_dashboard.py"
        script.write_text(PROFILED_APP.format(dashboard=str(ROOT / "dashboard.py")), encoding="utf-8")
        app = App(label, script, data_dir)
        app.start()
        for i in range(reps):
            app.switch(i, "years")  # unseen views: the rebuild work, not the memo hits
        sessions = app.at.session_state["_bench_profiles"][1:]  # the first run loads the data: not a rerun
    combined = sessions[0]
    for s in sessions[1:]:
        combined = Session.combine(combined, s)
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = ConsoleRenderer(unicode=True, color=False, time="seconds", show_all=False).render(combined)
    (RESULTS / f"profile-{label}.txt").write_text(text, encoding="utf-8")
    (RESULTS / f"profile-{label}.html").write_text(HTMLRenderer().render(combined), encoding="utf-8")
    return {
        "label": label,
        "reruns": len(sessions),
        "wall_ms_per_rerun": 1000 * combined.duration / len(sessions),
        "functions": _function_totals(combined, len(sessions))[:20],
        "library_calls": _library_hotspots(combined, len(sessions)),
        "text": str((RESULTS / f"profile-{label}.txt").relative_to(ROOT)),
    }


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "cold":
        raise SystemExit(_cold_main(sys.argv[2]))
    print("usage: python -m bench.apptest_runs cold SCRIPT", file=sys.stderr)
    raise SystemExit(2)
