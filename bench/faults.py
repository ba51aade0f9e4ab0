"""Faults too slow for CI, as bench steps: a replica killed behind Caddy during a burst, and a soak.

    python -m bench.faults replica [--sessions 20] [--reruns 5]     # about 1–2 min
    python -m bench.faults soak [--minutes 20] [--sessions 10]      # 20 min by default; --minutes 2 for a check

replica: `python -m serving.supervise` with two replicas behind Caddy; every session is pinned to a replica
with Caddy's stickiness cookie (user i → replica i mod 2). Once every session has drawn its first page, replica
1 is killed (SIGKILL, as the out-of-memory killer does). Its sessions lose their websocket, reconnect through
Caddy (to the other replica, or to replica 1 once the supervisor has restarted it) and ask for their page with
their current link, as a browser does; every page is checked as in bench.load (own share link, own visit
count). Passes when every session finishes its reruns with its own view, the killed replica's sessions all
reconnected, the other replica's sessions never had to, and the supervisor restarted the replica.

soak: one server, `--sessions` sessions changing filters every 1–3 s (years and reporter, from a bounded set of
views) for `--minutes`; every run is checked. Server memory (RSS, with children) is sampled every 15 s; the
first quarter of the time is warm-up. Passes with no error and memory growth under 10 % after warm-up.
Loopback only, bounded, every process stopped at the end. Results: bench/results/faults-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from pathlib import Path

import psutil
import websockets

from bench import DASHBOARD, RESULTS, median, percentile, streamlit_server
from bench.load import (
    REPORTER_LABELS,
    User,
    _expected_query,
    check,
    fresh,
    make_users,
    rss_mb,
    serving_stack,
    sticky_cookie,
    warm,
)
from bench.protocol import Session

SOAK_WARMUP_SHARE = 0.25
SOAK_GROWTH_LIMIT = 0.10
MEMORY_EVERY_S = 15


def _replica_pid(port: int) -> int | None:
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if "streamlit" in cmd and f"--server.port {port}" in cmd:
            return proc.pid
    return None


async def _run_pinned(user: User, port: int, cookie: str, reruns: int, first_done: asyncio.Event) -> dict:
    """One user through Caddy: first page, then `reruns` reporter changes; reconnects once if its replica dies."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = {"reconnects": 0}
    user.session = Session(port, user.query_string, {"Cookie": cookie})
    await user.session.connect()
    result = await user.session.run()
    user.first_run = result.seconds
    check(user, result, "VN", first=True)
    first_done.set()
    radio = user.session.widget_id("f_reporter")
    reporter = "VN"
    for i in range(reruns):
        reporter = "both" if i % 2 == 0 else "VN"
        widgets = [WidgetState(id=radio, string_value=REPORTER_LABELS[reporter])]
        for attempt in range(2):
            try:
                result = await user.session.run(widgets)
                break
            except (websockets.ConnectionClosed, OSError):
                if attempt:
                    raise
                # As a browser does: reconnect through Caddy and send the click with the page's current link.
                state["reconnects"] += 1
                previous = "both" if i % 2 == 1 else "VN"
                link = _expected_query(user, previous)
                await user.session.close()
                user.session = Session(port, link, {"Cookie": cookie})
                await asyncio.sleep(0.5)
                await user.session.connect()
        user.reruns.append(result.seconds)
        check(user, result, reporter, first=False)
        await asyncio.sleep(0.3)  # reader think time, so the kill lands mid-burst
    return state


def replica_fault(sessions: int = 20, reruns: int = 5, timeout: float = 400) -> dict:
    """Kill replica 1 of 2 behind Caddy during a burst; see the module docstring for what passes."""
    users = fresh(make_users(sessions))
    report: dict = {"sessions": sessions, "reruns": reruns}
    with serving_stack(2) as (port, ports):
        for replica in ports:
            warm(replica)
        victim = ports[0]
        old_pid = _replica_pid(victim)

        async def scenario() -> list:
            firsts = [asyncio.Event() for _ in users]
            tasks = [
                asyncio.create_task(_run_pinned(u, port, sticky_cookie(ports[u.index % 2]), reruns, e))
                for u, e in zip(users, firsts, strict=True)
            ]
            await asyncio.gather(*(e.wait() for e in firsts))
            psutil.Process(old_pid).kill()
            report["killed_at_s"] = time.perf_counter() - started
            try:
                return await asyncio.gather(*tasks, return_exceptions=True)
            finally:
                await asyncio.gather(*(u.session.close() for u in users if u.session), return_exceptions=True)

        started = time.perf_counter()
        outcomes = asyncio.run(asyncio.wait_for(scenario(), timeout))
        report["wall_s"] = time.perf_counter() - started
        deadline = time.monotonic() + 60
        while _replica_pid(victim) in (None, old_pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        report["restarted"] = _replica_pid(victim) not in (None, old_pid)
    on_victim = [u for u in users if u.index % 2 == 0]
    problems = [p for u in users for p in u.problems]
    for user, outcome in zip(users, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            problems.append(f"session {user.index}: {type(outcome).__name__}: {outcome}")
    reconnects = {
        u.index: (o["reconnects"] if isinstance(o, dict) else None) for u, o in zip(users, outcomes, strict=True)
    }
    report |= {
        "problems": problems[:50],
        "reconnected_on_killed_replica": sum(1 for u in on_victim if reconnects[u.index]),
        "sessions_on_killed_replica": len(on_victim),
        "reconnected_on_other_replica": sum(1 for u in users if u.index % 2 and reconnects[u.index]),
        "completed": sum(1 for u in users if len(u.reruns) == reruns),
        "rerun_p50_s": median([t for u in users for t in u.reruns]),
        "rerun_p95_s": percentile([t for u in users for t in u.reruns], 95),
    }
    # Sessions whose reruns all finished before the kill never needed to reconnect: only a session that lost
    # its socket must have reconnected, and none of the other replica's sessions may have.
    report["passed"] = (
        not problems
        and report["completed"] == sessions
        and report["reconnected_on_other_replica"] == 0
        and report["reconnected_on_killed_replica"] > 0
        and report["restarted"]
    )
    return report


def soak(minutes: float = 20, sessions: int = 10, seed: int = 7) -> dict:
    """`sessions` sessions clicking for `minutes` against one server; errors and memory growth after warm-up."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    users = fresh(make_users(sessions))
    rng = random.Random(seed)
    samples: list[tuple[float, float]] = []
    counts = {"runs": 0}
    with streamlit_server(DASHBOARD) as server:
        warm(server.port)
        end = time.monotonic() + minutes * 60

        async def clicker(user: User) -> None:
            user.session = Session(server.port, user.query_string)
            await user.session.connect()
            result = await user.session.run()
            check(user, result, "VN", first=True)
            radio = user.session.widget_id("f_reporter")
            reporter = "VN"
            while time.monotonic() < end and not user.problems:
                reporter = "both" if reporter == "VN" else "VN"
                widgets = [WidgetState(id=radio, string_value=REPORTER_LABELS[reporter])]
                result = await user.session.run(widgets)
                counts["runs"] += 1
                user.reruns.append(result.seconds)
                check(user, result, reporter, first=False)
                await asyncio.sleep(rng.uniform(1, 3))

        async def sampler() -> None:
            start = time.monotonic()
            while time.monotonic() < end:
                samples.append((time.monotonic() - start, rss_mb(server.pid)))
                await asyncio.sleep(MEMORY_EVERY_S)
            samples.append((time.monotonic() - start, rss_mb(server.pid)))

        async def scenario() -> list:
            try:
                return await asyncio.gather(sampler(), *(clicker(u) for u in users), return_exceptions=True)
            finally:
                await asyncio.gather(*(u.session.close() for u in users if u.session), return_exceptions=True)

        outcomes = asyncio.run(asyncio.wait_for(scenario(), minutes * 60 + 300))
    problems = [p for u in users for p in u.problems]
    problems += [f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, BaseException)]
    warm_until = minutes * 60 * SOAK_WARMUP_SHARE
    after_warmup = [mb for t, mb in samples if t >= warm_until]
    base = after_warmup[0] if after_warmup else float("nan")
    growth = (after_warmup[-1] - base) / base if after_warmup else float("nan")
    return {
        "minutes": minutes,
        "sessions": sessions,
        "runs": counts["runs"],
        "problems": problems[:50],
        "rerun_p50_s": median([t for u in users for t in u.reruns]),
        "rerun_p95_s": percentile([t for u in users for t in u.reruns], 95),
        "memory_mb": samples,
        "memory_after_warmup_mb": base,
        "memory_end_mb": after_warmup[-1] if after_warmup else float("nan"),
        "growth_after_warmup": growth,
        "passed": not problems and growth == growth and growth < SOAK_GROWTH_LIMIT,
    }


def _write(name: str, report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"faults-{name}.json"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("replica", "soak"))
    parser.add_argument("--sessions", type=int, default=None, help="replica: 20, soak: 10")
    parser.add_argument("--reruns", type=int, default=5, help="replica: filter changes per session")
    parser.add_argument("--minutes", type=float, default=20, help="soak: duration (default 20)")
    args = parser.parse_args(argv)
    if args.step == "replica":
        sessions = args.sessions or 20
        if not 2 <= sessions <= 50 or not 1 <= args.reruns <= 20:
            parser.error("2–50 sessions, 1–20 reruns")
        r = replica_fault(sessions, args.reruns)
        print(f"Replica 1 of 2 killed {r['killed_at_s']:.1f} s into a burst of {sessions} sessions through Caddy:")
        print(f"  sessions that completed their reruns with their own view: {r['completed']}/{sessions}")
        print(
            f"  killed replica's sessions that reconnected: {r['reconnected_on_killed_replica']}"
            f"/{r['sessions_on_killed_replica']}; other replica's: {r['reconnected_on_other_replica']}"
        )
        print(f"  replica restarted by the supervisor: {r['restarted']}; rerun p95 {r['rerun_p95_s']:.2f} s")
    else:
        sessions = args.sessions or 10
        if not 1 <= sessions <= 20 or not 0.5 <= args.minutes <= 60:
            parser.error("1–20 sessions, 0.5–60 minutes")
        r = soak(args.minutes, sessions)
        print(f"Soak: {sessions} sessions for {args.minutes:g} min, {r['runs']} reruns")
        print(
            f"  memory {r['memory_after_warmup_mb']:.0f} MB after warm-up → {r['memory_end_mb']:.0f} MB "
            f"({100 * r['growth_after_warmup']:+.1f} %, limit +{100 * SOAK_GROWTH_LIMIT:.0f} %)"
        )
        print(f"  rerun p50 {r['rerun_p50_s']:.2f} s, p95 {r['rerun_p95_s']:.2f} s")
    for problem in r["problems"]:
        print(f"    - {problem}")
    path = _write(args.step, r)
    print(f"  {'PASS' if r['passed'] else 'FAIL'}; written {path.name}")
    return 0 if r["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
