"""`python -m bench.embeds`: what an article's readers cost, light embed against the live app, in one run.

Against `make serve`'s stack (Caddy, Varnish, one replica) on loopback, measured:
- readers per second and the replica's CPU (with its Chromium) per reader: the light embed (/embed/trade, its
  HTML and plotly.js) against the live iframe (?chart=trade&embed=true: its HTML and one Streamlit session over
  the websocket, as bench.protocol speaks it), straight to the replica; and the light embed through the cache;
- the bytes a first view transfers in Chromium, for an article with each snippet (through Caddy, compressed);
- preview image renders (1200×630), p50 of new views (cold) and of the same views again (warm, memoised);
- Varnish's hit ratio for the readers sent through it.

The readers and the server share two cores, so numbers are for comparing the two embeds in the same run.
Writes bench/results/embeds.json.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from bench import HOST, RESULTS, free_port, launch_chromium, median
from bench.load import serving_stack
from bench.protocol import Session
from components.web import embed
from serving import cache

LIGHT = "embed/trade?from=2010"
LIVE_QUERY = "chart=trade&embed=true&from=2010"


def _get(url: str, gzip: bool = True, seen: list[str] | None = None) -> int:
    """Fetch a URL; with `seen`, note whether the shared cache had it (its X-Cache header)."""
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=120) as answer:
        if seen is not None:
            seen.append(answer.headers.get("X-Cache", "none"))
        return len(answer.read())


def _process(port_flag: str, value: str) -> psutil.Process:
    """A process of the stack by its command line (`--server.port N`, `-a HOST:N`)."""
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if port_flag in cmd and cmd[cmd.index(port_flag) + 1] == value:
            return proc
    raise RuntimeError(f"no process with {port_flag} {value}")


def _cpu(proc: psutil.Process) -> float:
    """CPU seconds of a process and all its children (the replica's kaleido Chromium included)."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def _readers(work, count: int, concurrency: int, server: psutil.Process) -> dict:
    """`count` readers, `concurrency` at a time: readers per second and the server's CPU per reader."""
    before, started = _cpu(server), time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: work(), range(count)))
    wall, cpu = time.perf_counter() - started, _cpu(server) - before
    return {
        "readers": count,
        "readers_per_s": round(count / wall, 2),
        "server_cpu_ms_per_reader": round(1000 * cpu / count, 1),
    }


def light_reader(base: str, seen: list[str] | None = None) -> None:
    """What a first-time reader's browser asks the server for: the embed page and plotly.js."""
    _get(base + LIGHT, seen=seen)
    _get(base + embed.PLOTLY_PATH.lstrip("/"), seen=seen)


def live_reader(port: int) -> None:
    """The live iframe: the page's HTML, then one Streamlit session running the one-chart script."""
    _get(f"http://{HOST}:{port}/?{LIVE_QUERY}")

    async def session() -> None:
        s = Session(port, LIVE_QUERY)
        await s.connect()
        try:
            result = await s.run()
            assert result.status == "FINISHED_SUCCESSFULLY", result.status
        finally:
            await s.close()

    asyncio.run(session())


def first_view_bytes(base: str, tmp: Path) -> dict:
    """Bytes transferred (headers and encoded bodies) for a local article with each embed, in a new browser."""
    from playwright.sync_api import sync_playwright

    light = f'<iframe src="{base}{LIGHT}" width="100%" height="710" style="border:0"></iframe>'
    live = f'<iframe src="{base}?{LIVE_QUERY}" width="100%" height="760" style="border:0"></iframe>'
    out = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for name, snippet in (("light", light), ("live", live)):
                article = tmp / f"{name}.html"
                article.write_text(f"<!doctype html><html><body><h1>Article</h1>{snippet}</body></html>")
                context = browser.new_context()
                page = context.new_page()
                finished: list = []
                page.on("requestfinished", lambda r, seen=finished: seen.append(r))
                page.goto(article.as_uri())
                frame = page.frame_locator("iframe")
                frame.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(timeout=180_000)
                page.wait_for_timeout(1000)
                sizes = [r.sizes() for r in finished]
                out[name] = sum(max(s["responseBodySize"], 0) + max(s["responseHeadersSize"], 0) for s in sizes)
                context.close()
        finally:
            browser.close()
    return out


def previews(base: str, views: int) -> dict:
    """Preview renders of new views (cold) and of the same views again (warm), one at a time."""
    first = time.perf_counter()
    _get(base + "api/chart/trade.png?size=preview&from=2000&to=2001", gzip=False)  # starts the renderer
    start_s = time.perf_counter() - first
    urls = [base + f"api/chart/trade.png?size=preview&from={2001 + i}&to=2021" for i in range(views)]
    timed = []
    for _ in ("cold", "warm"):
        times = []
        for url in urls:
            t0 = time.perf_counter()
            _get(url, gzip=False)
            times.append(time.perf_counter() - t0)
        timed.append(round(1000 * median(times), 1))
    return {"renderer_start_ms": round(1000 * start_s), "cold_p50_ms": timed[0], "warm_p50_ms": timed[1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embeds", description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=40, help="light-embed readers per measurement")
    parser.add_argument("--live-readers", type=int, default=12, help="live-embed readers (each a script run)")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    if not cache.available():
        print(cache.INSTALL_VARNISH)
        return 2
    cache_port = free_port()
    with serving_stack(1, extra=["--cache-port", str(cache_port)]) as (port, replicas):
        replica = _process("--server.port", str(replicas[0]))
        direct, proxied = f"http://{HOST}:{replicas[0]}/", f"http://{HOST}:{port}/"
        light_reader(direct)
        live_reader(replicas[0])  # warm both: the first script run, the memoised panel, gzipped plotly.js
        results = {
            "light_direct": _readers(lambda: light_reader(direct), args.readers, args.concurrency, replica),
            "live_direct": _readers(lambda: live_reader(replicas[0]), args.live_readers, args.concurrency, replica),
        }
        results["previews"] = previews(direct, 8)  # also starts the renderer before the cache's first preview
        light_reader(proxied)  # the cache's first (missing) fetch of each
        seen: list[str] = []
        results["light_through_cache"] = _readers(
            lambda: light_reader(proxied, seen), args.readers, args.concurrency, replica
        )
        preview = proxied + "api/chart/timeline.png?size=preview&from=2004&to=2024"  # one new view, many readers
        results["one_preview_through_cache"] = _readers(
            lambda: _get(preview, gzip=False, seen=seen), args.readers, args.concurrency, replica
        )
        results["cache_hit_ratio"] = round(seen.count("HIT") / max(len(seen), 1), 3)
        with tempfile.TemporaryDirectory() as tmp:
            results["first_view_bytes_through_caddy"] = first_view_bytes(proxied, Path(tmp))
    light, live = results["light_direct"], results["live_direct"]
    results["ratios"] = {
        "readers_per_s_light_over_live": round(light["readers_per_s"] / live["readers_per_s"], 1),
        "cpu_per_reader_live_over_light": round(
            live["server_cpu_ms_per_reader"] / max(light["server_cpu_ms_per_reader"], 0.1), 1
        ),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "embeds.json").write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
