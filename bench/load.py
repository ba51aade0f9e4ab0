"""Concurrent users: 20 sessions at once against one dashboard server on loopback, each with its own filter.

    python -m bench.load [--sessions 20] [--reruns 5] [--timeout 300]

Each session opens the page with its own query string (years, office, search), then changes the reporter filter
a few times. Checked per session, on every run: the share link carries exactly its own filter, the "Visits in
the current filter" metric equals the count for its own filter (computed here with the dashboard's filtering
code), and on the first run the years slider shows its own years. Any mismatch means state leaked between
sessions. Reported: p50/p95 of first-run and rerun latency, server memory. Bounded: a fixed number of sessions
and reruns, a hard timeout on the whole run, the server killed at the end; only 127.0.0.1.

Sessions speak Streamlit's websocket protocol (bench/protocol.py) rather than driving 20 browser pages, which on
two cores would measure plotly.js parsing instead of the server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psutil

from bench import DASHBOARD, RESULTS, median, percentile, streamlit_server
from bench.protocol import RunResult, Session

VISITS_METRIC = "Visits in the current filter"
REPORTER_LABELS = {"VN": "Vietnam's", "both": "Both"}


def rss_mb(pid: int) -> float:
    """Resident memory of the server process and any children (kaleido's browser, if one was started)."""
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 1e6


@dataclass
class User:
    """One session's filter, what it must see, and what it saw."""

    index: int
    params: dict[str, str]
    expected_visits: int
    expected_years: tuple[int, int]
    session: Session | None = None
    first_run: float = float("nan")
    reruns: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def query_string(self) -> str:
        return urlencode(self.params)


def make_users(count: int) -> list[User]:
    """`count` distinct filters, with the visits count each must show, from the dashboard's own code."""
    from components import dataset, filtering, view

    ds = dataset.load()
    choices = view.Choices.from_dataset(ds)
    span = choices.last_year - choices.first_year
    users = []
    for i in range(count):
        start = choices.first_year + (i * 7) % max(span - 4, 1)
        end = min(choices.last_year, start + 4 + i % 9)
        params = {"from": str(start), "to": str(end)}
        if i % 3 == 1:
            params["office"] = view.OFFICES[i % len(view.OFFICES)]
        if i % 5 == 2:
            params["q"] = "hanoi"
        seeded = view.from_query(params, choices)
        assert not seeded.notices, seeded.notices
        visits = filtering.filter_visits(ds.visits, seeded, seeded.years(choices))
        users.append(User(i, params, len(visits), seeded.years(choices)))
    assert len({u.query_string for u in users}) == count, "filters must differ"
    return users


def _expected_query(user: User, reporter: str) -> str:
    from components import view

    params = {**user.params, **({"reporter": reporter.lower()} if reporter != "VN" else {})}
    seeded = view.from_query(params, _choices())
    return urlencode(view.to_query(view.normalise(seeded, _choices())))


_CHOICES: list = []


def _choices():
    if not _CHOICES:
        from components import dataset, view

        _CHOICES.append(view.Choices.from_dataset(dataset.load()))
    return _CHOICES[0]


def check(user: User, result: RunResult, reporter: str, first: bool) -> None:
    """Record every way this run's page differs from what this user's own filter must show."""
    where = f"session {user.index} ({user.query_string}, reporter={reporter})"
    if result.status != "FINISHED_SUCCESSFULLY":
        user.problems.append(f"{where}: script ended {result.status}")
        return
    if result.of_type("exception"):
        user.problems.append(f"{where}: exception {result.of_type('exception')[0].exception.message}")
    metrics = {m.metric.label: m.metric.body for m in result.of_type("metric")}
    if metrics.get(VISITS_METRIC) != str(user.expected_visits):
        user.problems.append(f"{where}: visits metric {metrics.get(VISITS_METRIC)!r}, expected {user.expected_visits}")
    links = [c.code.code_text for c in result.of_type("code")]
    want = _expected_query(user, reporter)
    if not links or urlsplit(links[0]).query != want:
        user.problems.append(f"{where}: share link {links[:1]}, expected query {want!r}")
    if first:
        sliders = [list(s.slider.value) for s in result.of_type("slider") if s.slider.id.endswith("-f_years")]
        if not sliders or tuple(int(v) for v in sliders[0]) != user.expected_years:
            user.problems.append(f"{where}: years slider {sliders[:1]}, expected {user.expected_years}")


async def _one_user(user: User, port: int, reruns: int, start_gate: asyncio.Event) -> None:
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    user.session = Session(port, user.query_string)
    await user.session.connect()
    await start_gate.wait()  # every session asks for its first run at the same moment
    result = await user.session.run()
    user.first_run = result.seconds
    check(user, result, "VN", first=True)
    radio = user.session.widget_id("f_reporter")
    for i in range(reruns):
        reporter = "both" if i % 2 == 0 else "VN"
        result = await user.session.run([WidgetState(id=radio, string_value=REPORTER_LABELS[reporter])])
        user.reruns.append(result.seconds)
        check(user, result, reporter, first=False)


async def _drive(users: list[User], port: int, reruns: int) -> None:
    gate = asyncio.Event()
    tasks = [asyncio.create_task(_one_user(u, port, reruns, gate)) for u in users]
    await asyncio.sleep(0.5)  # let every websocket connect first
    gate.set()
    try:
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for user, res in zip(users, results, strict=True):
            if isinstance(res, BaseException):
                user.problems.append(f"session {user.index}: {type(res).__name__}: {res}")
    finally:
        await asyncio.gather(*(u.session.close() for u in users if u.session), return_exceptions=True)


def run_load(sessions: int = 20, reruns: int = 5, timeout: float = 300, script: Path = DASHBOARD) -> dict:
    """The whole load run; returns the report as a dict (also written to bench/results/load.json)."""
    users = make_users(sessions)
    started = time.perf_counter()
    with streamlit_server(script) as server:
        idle = rss_mb(server.pid)
        timed_out = False
        try:
            asyncio.run(asyncio.wait_for(_drive(users, server.port, reruns), timeout))
        except TimeoutError:
            timed_out = True
        after = rss_mb(server.pid)
    firsts = [u.first_run for u in users if u.first_run == u.first_run]
    reruns_all = [t for u in users for t in u.reruns]
    problems = [p for u in users for p in u.problems]
    rendered = sum(1 for u in users if u.first_run == u.first_run)
    report = {
        "sessions": sessions,
        "reruns_per_session": reruns,
        "rendered": rendered,
        "isolated": not problems and rendered == sessions and not timed_out,
        "timed_out": timed_out,
        "problems": problems[:50],
        "first_run_p50_s": median(firsts),
        "first_run_p95_s": percentile(firsts, 95),
        "rerun_p50_s": median(reruns_all),
        "rerun_p95_s": percentile(reruns_all, 95),
        "rerun_samples": len(reruns_all),
        "server_rss_idle_mb": idle,
        "server_rss_after_mb": after,
        "wall_s": time.perf_counter() - started,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


# ---------------------------------------------------------------- memory (used by python -m bench)


async def _open_sessions(port: int, count: int, keep: list[Session]) -> list[RunResult]:
    new = [Session(port) for _ in range(count)]
    await asyncio.gather(*(s.connect() for s in new))
    keep.extend(new)
    return list(await asyncio.gather(*(s.run() for s in new)))


def memory(script: Path, counts: tuple[int, int] = (1, 20), settle: float = 1.0) -> dict:
    """Server RSS (MB) with `counts[0]` then `counts[1]` rendered sessions open; and first-run ForwardMsg bytes."""
    with streamlit_server(script) as server:
        sessions: list[Session] = []

        async def scenario() -> dict:
            out: dict = {"idle_mb": rss_mb(server.pid)}
            try:
                first = await _open_sessions(server.port, counts[0], sessions)
                await asyncio.sleep(settle)
                out[f"rss_{counts[0]}_mb"] = rss_mb(server.pid)
                out["page_bytes"] = first[0].bytes_received
                await _open_sessions(server.port, counts[1] - counts[0], sessions)
                await asyncio.sleep(settle)
                out[f"rss_{counts[1]}_mb"] = rss_mb(server.pid)
            finally:
                await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
            return out

        return asyncio.run(asyncio.wait_for(scenario(), 300))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--reruns", type=int, default=5, help="filter changes per session (default 5)")
    parser.add_argument("--timeout", type=float, default=300, help="hard limit for the whole run, seconds")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 50 or not 0 <= args.reruns <= 20:
        parser.error("at most 50 sessions and 20 reruns each")
    print(f"Load: {args.sessions} sessions at once, {args.reruns} filter changes each, one server on 127.0.0.1")
    r = run_load(args.sessions, args.reruns, args.timeout)
    print(f"  rendered          {r['rendered']}/{r['sessions']}{'  (TIMED OUT)' if r['timed_out'] else ''}")
    print(f"  first run         p50 {r['first_run_p50_s']:.2f} s   p95 {r['first_run_p95_s']:.2f} s")
    print(
        f"  rerun             p50 {r['rerun_p50_s']:.2f} s   p95 {r['rerun_p95_s']:.2f} s"
        f"   ({r['rerun_samples']} reruns)"
    )
    print(f"  server memory     {r['server_rss_idle_mb']:.0f} MB idle → {r['server_rss_after_mb']:.0f} MB")
    print(f"  isolation         {'PASS: every session saw only its own filter' if r['isolated'] else 'FAIL'}")
    for problem in r["problems"]:
        print(f"    - {problem}")
    print(f"  wall time {r['wall_s']:.0f} s; written bench/results/load.json")
    return 0 if r["isolated"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
