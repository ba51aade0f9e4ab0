"""A burst of shared links: 20 sessions at once, each with its own filter, against the dashboard and its floor.

    python -m bench.load [--sessions 20] [--reruns 5] [--timeout 300]
    python -m bench.load --through-proxy --replicas 1,2          # through Caddy (serving/), 1 then 2 replicas

Each session opens the overview with its own query string (years, office, search), then changes the reporter
filter a few times. The same burst runs twice on the same warmed server: first as readers arrive (every view new
to the server: the dashboard filters and builds each one), then again as the **floor**: each session's own pages
replayed, every panel already built and answered from the dashboard's memos, so what remains is Streamlit's cost
of drawing that page plus the dashboard's per-rerun overhead. The floor is therefore an upper bound of
Streamlit's own cost, and the ratios (burst ÷ floor) a lower bound of what building unseen views adds.

Checked per session, on every run: the share link carries exactly its own filter, the "Visits in the current
filter" metric equals the count for its own filter (computed here with the dashboard's filtering code), and on
the first run the years slider shows its own years. Any mismatch means state leaked between sessions.
Reported: wall time, p50/p95 of first-run and rerun latency for both bursts and their ratios, server memory.
Bounded: a fixed number of sessions and reruns, a hard timeout per burst, every server killed at the end; only
127.0.0.1. Sessions speak Streamlit's websocket protocol (bench/protocol.py) rather than driving 20 browser
pages, which on two cores would measure plotly.js parsing instead of the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import hashlib
import hmac
import json
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psutil

from bench import (
    DASHBOARD,
    HOST,
    PYTHON,
    RESULTS,
    ROOT,
    free_port,
    free_ports,
    median,
    percentile,
    stop,
    streamlit_server,
)
from bench.protocol import RunResult, Session
from serving.supervise import healthy

VISITS_METRIC = "Visits in the current filter"
STICKY_COOKIE = "vn_cn_replica"  # lb_policy cookie's name in serving/Caddyfile
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


def share_links(result: RunResult) -> list[str]:
    """The page's share link, as its copy box (components.sections.copy, key `copy-share-url`) is given it."""
    return [
        json.loads(e.bidi_component.json)["text"]
        for e in result.of_type("bidi_component")
        if e.bidi_component.component_name == "vncn_copy_box" and e.bidi_component.id.endswith("-copy-share-url")
    ]


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
    links = share_links(result)
    want = _expected_query(user, reporter)
    if not links or urlsplit(links[0]).query != want:
        user.problems.append(f"{where}: share link {links[:1]}, expected query {want!r}")
    if first:
        # the URL's years are the slider's default (`default`); `value` is set only when the server overrides it
        sliders = [
            list(s.slider.value or s.slider.default)
            for s in result.of_type("slider")
            if s.slider.id.endswith("-f_years")
        ]
        if not sliders or tuple(int(v) for v in sliders[0]) != user.expected_years:
            user.problems.append(f"{where}: years slider {sliders[:1]}, expected {user.expected_years}")


async def _one_user(user: User, port: int, reruns: int, start_gate: asyncio.Event, replicas: list[int]) -> None:
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    headers = {"Cookie": sticky_cookie(replicas[user.index % len(replicas)])} if replicas else None
    user.session = Session(port, user.query_string, headers)
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


def sticky_cookie(replica_port: int) -> str:
    """Caddy's `lb_policy cookie` value for a replica: HMAC-SHA256 of its address with an empty secret. Through
    Caddy, user i goes to replica i mod n, in the burst and again in its replay."""
    digest = hmac.new(b"", f"{HOST}:{replica_port}".encode(), hashlib.sha256).hexdigest()
    return f"{STICKY_COOKIE}={digest}"


async def _drive(users: list[User], port: int, reruns: int, replicas: list[int] | None = None) -> None:
    gate = asyncio.Event()
    tasks = [asyncio.create_task(_one_user(u, port, reruns, gate, replicas or [])) for u in users]
    await asyncio.sleep(0.5)  # let every websocket connect first
    gate.set()
    try:
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for user, res in zip(users, results, strict=True):
            if isinstance(res, BaseException):
                user.problems.append(f"session {user.index}: {type(res).__name__}: {res}")
    finally:
        await asyncio.gather(*(u.session.close() for u in users if u.session), return_exceptions=True)


def fresh(users: list[User]) -> list[User]:
    """The same users with nothing measured yet, for another burst."""
    return [dataclasses.replace(u, session=None, first_run=float("nan"), reruns=[], problems=[]) for u in users]


def burst(users: list[User], port: int, reruns: int, timeout: float, replicas: list[int] | None = None) -> dict:
    """All users at once against one port (a server, or Caddy with `replicas`); latencies, wall time, problems."""
    started = time.perf_counter()
    timed_out = False
    try:
        asyncio.run(asyncio.wait_for(_drive(users, port, reruns, replicas), timeout))
    except TimeoutError:
        timed_out = True
    wall = time.perf_counter() - started
    firsts = [u.first_run for u in users if u.first_run == u.first_run]
    reruns_all = [t for u in users for t in u.reruns]
    problems = [p for u in users for p in u.problems]
    return {
        "rendered": len(firsts),
        "isolated": not problems and len(firsts) == len(users) and not timed_out,
        "timed_out": timed_out,
        "problems": problems[:50],
        "wall_s": wall,
        "first_run_p50_s": median(firsts),
        "first_run_p95_s": percentile(firsts, 95),
        "rerun_p50_s": median(reruns_all),
        "rerun_p95_s": percentile(reruns_all, 95),
        "rerun_samples": len(reruns_all),
    }


def warm(port: int) -> None:
    """One untimed session of the default view: the server's imports and the dataset are loaded before a burst
    (the cold start is its own benchmark in `python -m bench`)."""

    async def once() -> None:
        session = Session(port)
        await session.connect()
        try:
            await session.run(timeout=180)
        finally:
            await session.close()

    asyncio.run(asyncio.wait_for(once(), 240))


RATIO_KEYS = ("wall_s", "first_run_p50_s", "first_run_p95_s", "rerun_p50_s", "rerun_p95_s")


def compare(users: list[User], port: int, reruns: int, timeout: float, replicas: list[int] | None = None) -> dict:
    """The burst (views new to the server), then the floor (the same burst replayed), and their ratios."""
    dashboard = burst(fresh(users), port, reruns, timeout, replicas)
    floor = burst(fresh(users), port, reruns, timeout, replicas)
    ratios = {k: dashboard[k] / floor[k] if floor[k] else float("nan") for k in RATIO_KEYS}
    return {"dashboard": dashboard, "floor": floor, "ratios": ratios}


@contextlib.contextmanager
def serving_stack(
    replicas: int, log: Path | None = None, timeout: float = 120, script: Path = DASHBOARD, extra: Sequence[str] = ()
) -> Iterator[tuple[int, list[int]]]:
    """`python -m serving.supervise` (Caddy + `replicas` Streamlit processes, + its `extra` arguments) on loopback
    ports; yields Caddy's port and the replicas' ports, and always stops the whole stack."""
    first, port = free_ports(replicas), free_port()
    ports = [first + i for i in range(replicas)]
    command = [PYTHON, "-m", "serving.supervise", "--replicas", str(replicas), "--port", str(port)]
    command += ["--first-port", str(first), "--bind", HOST, "--app", str(script), *extra]
    out = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    if log:
        out.close()
    try:
        deadline = time.monotonic() + timeout
        while not (healthy(HOST, port) and all(healthy(HOST, p) for p in ports)):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the serving stack did not come up ({replicas} replicas)")
            time.sleep(0.3)
        yield port, ports
    finally:
        stop(process, 30)


def run_load(
    sessions: int = 20,
    reruns: int = 5,
    timeout: float = 300,
    script: Path = DASHBOARD,
    through_proxy: bool = False,
    replicas: tuple[int, ...] = (1,),
    static_floor: bool = True,
) -> dict:
    """The whole load run; returns the report (also written to bench/results/load.json)."""
    users = make_users(sessions)
    started = time.perf_counter()
    report: dict = {"sessions": sessions, "reruns_per_session": reruns, "runs": {}}
    if not through_proxy:
        with streamlit_server(script) as server:
            warm(server.port)
            idle = rss_mb(server.pid)
            result = compare(users, server.port, reruns, timeout)
            result["server_rss_idle_mb"], result["server_rss_after_mb"] = idle, rss_mb(server.pid)
            report["runs"]["direct"] = result
        if static_floor:
            report["static_floor"] = against_static_floor(users, reruns, timeout, result["dashboard"])
    else:
        for n in replicas:
            with serving_stack(n) as (port, ports):
                for replica in ports:
                    warm(replica)
                name = f"caddy, {n} replica{'s' if n > 1 else ''}"
                report["runs"][name] = compare(users, port, reruns, timeout, ports)
        walls = {n: r["dashboard"]["wall_s"] for n, r in zip(replicas, report["runs"].values(), strict=True)}
        if len(walls) > 1:
            base = walls[replicas[0]]
            report["throughput_gain"] = {
                f"{n} vs {replicas[0]}": base / w for n, w in walls.items() if w and n != replicas[0]
            }
    report["isolated"] = all(r[k]["isolated"] for r in report["runs"].values() for k in ("dashboard", "floor")) and (
        report.get("static_floor", {}).get("floor", {}).get("isolated", True)
    )
    report["wall_s"] = time.perf_counter() - started
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "load-proxy.json" if through_proxy else "load.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def against_static_floor(users: list[User], reruns: int, timeout: float, dashboard: dict) -> dict:
    """The same burst against the static floor (bench/floor.py): a generated app with one page per distinct link
    (and reporter), every figure pre-built, on a fresh server warmed like the dashboard's by one session. What is
    left is Streamlit's own cost of these pages, so burst ÷ static floor is what the dashboard adds for readers
    whose views it has not built yet."""
    import tempfile

    from bench import floor

    with tempfile.TemporaryDirectory(prefix="static-floor-") as tmp:
        app = floor.write(Path(tmp), links=tuple(u.params for u in users))
        with streamlit_server(app) as server:
            warm(server.port)
            static = burst(fresh(users), server.port, reruns, timeout)
    ratios = {k: dashboard[k] / static[k] if static[k] else float("nan") for k in RATIO_KEYS}
    return {"floor": static, "ratios": ratios}


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


def _row(label: str, d: float, f: float, r: float) -> str:
    return f"  {label:<18}{d:8.2f} s {f:8.2f} s {r:8.2f}×"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--reruns", type=int, default=5, help="filter changes per session (default 5)")
    parser.add_argument("--timeout", type=float, default=300, help="hard limit per burst, seconds")
    parser.add_argument("--through-proxy", action="store_true", help="through Caddy (serving/), see --replicas")
    parser.add_argument("--replicas", default="1,2", help="with --through-proxy: replica counts, e.g. 1,2")
    args = parser.parse_args(argv)
    replicas = tuple(int(n) for n in args.replicas.split(","))
    if not 1 <= args.sessions <= 50 or not 0 <= args.reruns <= 20 or not all(1 <= n <= 4 for n in replicas):
        parser.error("at most 50 sessions, 20 reruns each, 1–4 replicas")
    where = "through Caddy" if args.through_proxy else "one server"
    print(f"Load: {args.sessions} sessions at once, {args.reruns} filter changes each, {where} on 127.0.0.1")
    report = run_load(args.sessions, args.reruns, args.timeout, through_proxy=args.through_proxy, replicas=replicas)
    for name, run in report["runs"].items():
        d, f, r = run["dashboard"], run["floor"], run["ratios"]
        print(f"\n{name}: burst (new views) / floor (same pages replayed) / ratio")
        print(_row("wall time", d["wall_s"], f["wall_s"], r["wall_s"]))
        print(_row("first run p50", d["first_run_p50_s"], f["first_run_p50_s"], r["first_run_p50_s"]))
        print(_row("first run p95", d["first_run_p95_s"], f["first_run_p95_s"], r["first_run_p95_s"]))
        print(_row("rerun p50", d["rerun_p50_s"], f["rerun_p50_s"], r["rerun_p50_s"]))
        print(_row("rerun p95", d["rerun_p95_s"], f["rerun_p95_s"], r["rerun_p95_s"]))
        print(f"  rendered {d['rendered']}/{args.sessions} and {f['rendered']}/{args.sessions}")
        if "server_rss_idle_mb" in run:
            print(f"  server memory {run['server_rss_idle_mb']:.0f} MB warm → {run['server_rss_after_mb']:.0f} MB")
        for problem in d["problems"] + f["problems"]:
            print(f"    - {problem}")
        if name == "direct" and "static_floor" in report:
            sf, sr = report["static_floor"]["floor"], report["static_floor"]["ratios"]
            print("\n  the same burst / static floor (one pre-built page per link; both on a fresh server) / ratio")
            rows = (("wall time", "wall_s"), ("first run p95", "first_run_p95_s"), ("rerun p95", "rerun_p95_s"))
            for label, k in rows:
                print(_row(label, d[k], sf[k], sr[k]) + "  (target ≤ 1.5×)")
            print(f"  static floor rendered {sf['rendered']}/{args.sessions}")
            for problem in sf["problems"]:
                print(f"    - {problem}")
    for label, gain in report.get("throughput_gain", {}).items():
        print(f"\nthroughput gained, {label} replicas (burst wall time ratio): {gain:.2f}×")
    ok = "PASS: every session saw only its own filter" if report["isolated"] else "FAIL"
    print(f"\nisolation {ok}; wall time {report['wall_s']:.0f} s; written to bench/results/")
    return 0 if report["isolated"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
