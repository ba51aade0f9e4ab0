"""What a first visit to `/` costs: bytes transferred (Playwright) and Lighthouse scores, for the dashboard and for
a minimal one-Plotly-chart app, each served directly by Streamlit and through Caddy (serving/Caddyfile).

    python -m bench.firstload [--no-lighthouse]        # about 5–8 min; writes bench/results/firstload.json

Bytes: a fresh Chromium context opens `/` and waits until every chart on the page is drawn and the network has
been quiet for 3 s; HTTP bytes are what crossed the wire (Chrome's encodedDataLength: compressed bodies plus
headers), websocket bytes are the payload of the frames the server sent (the page's elements). Lighthouse 13
(bench/node_modules, installed by `make setup`) runs with the desktop preset on Debian's Chromium, offline, on
loopback; its performance score reflects this shared 2-core machine, so compare the rows with each other.
Every server runs on a free loopback port and is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import CHROMIUM, DASHBOARD, HOST, RESULTS, ROOT, launch_chromium, streamlit_server
from bench.load import serving_stack

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
MINIMAL_APP = '''"""Minimal reference: one Plotly chart (what any Streamlit app with a Plotly chart downloads)."""
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=[2020, 2021, 2022, 2023], y=[1.0, 3.0, 2.0, 4.0])))
'''
VISIT_TIMEOUT_MS = 120_000
QUIET_MS = 3000
CHARTS_DRAWN = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length > 0 && plots.every(p => p.querySelectorAll('.trace').length > 0);
}"""


def first_visit(browser, url: str) -> dict:
    """Bytes of one first visit in a fresh context: HTTP over the wire (by resource), websocket payload."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        kinds: dict[str, tuple[str, str, str]] = {}
        sizes: dict[str, int] = {}
        ws = {"bytes": 0, "frames": 0}

        def response(event: dict) -> None:
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            kinds[event["requestId"]] = (event["type"], event["response"]["url"], headers.get("content-encoding", ""))

        def finished(event: dict) -> None:
            sizes[event["requestId"]] = int(event["encodedDataLength"])

        def frame(event: dict) -> None:
            data = event["response"]["payloadData"]
            binary = event["response"].get("opcode") == 2  # binary frames come base64-encoded
            ws["bytes"] += len(data) * 3 // 4 if binary else len(data.encode())
            ws["frames"] += 1

        cdp.on("Network.responseReceived", response)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.webSocketFrameReceived", frame)
        page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
        page.wait_for_function(CHARTS_DRAWN, timeout=VISIT_TIMEOUT_MS)
        last = -1
        while last != sum(sizes.values()) + ws["bytes"]:  # until nothing arrives for QUIET_MS
            last = sum(sizes.values()) + ws["bytes"]
            page.wait_for_timeout(QUIET_MS)
        resources = sorted(
            (
                {
                    "url": kinds.get(rid, ("", "?", ""))[1].split("?")[0].rsplit("/", 1)[-1],
                    "bytes": n,
                    "encoding": kinds.get(rid, ("", "", ""))[2],
                }
                for rid, n in sizes.items()
            ),
            key=lambda r: -r["bytes"],
        )
        return {
            "http_bytes": sum(sizes.values()),
            "requests": len(sizes),
            "websocket_bytes": ws["bytes"],
            "total_bytes": sum(sizes.values()) + ws["bytes"],
            "compressed_responses": sum(1 for k in kinds.values() if k[2]),
            "largest": resources[:6],
            "charts": page.locator(".js-plotly-plot").count(),
        }
    finally:
        context.close()


def lighthouse(url: str, out: Path) -> dict:
    """Lighthouse (desktop preset) on Debian's Chromium: performance and accessibility scores, key metrics."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError("Lighthouse is missing: `make setup` installs it into bench/node_modules")
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--preset=desktop",
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    subprocess.run(cmd, env=os.environ | {"CHROME_PATH": CHROMIUM}, check=True, timeout=300, capture_output=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "performance": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "accessibility": round(100 * (report["categories"]["accessibility"]["score"] or 0)),
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
    }


@contextmanager
def served(script: Path, through_caddy: bool) -> Iterator[str]:
    """The app's base URL, served directly or through Caddy with one replica."""
    if through_caddy:
        with serving_stack(1, script=script) as (port, _):
            yield f"http://{HOST}:{port}/"
    else:
        with streamlit_server(script) as server:
            yield server.url


def measure(with_lighthouse: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="firstload-") as tmp_name:
        tmp = Path(tmp_name)
        minimal = tmp / "minimal_app.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                for app_name, script in (("dashboard", DASHBOARD), ("minimal one-chart app", minimal)):
                    for via in ("direct", "Caddy"):
                        with served(script, via == "Caddy") as url:
                            first_visit(browser, url)  # untimed: the server's first run loads the data
                            row = first_visit(browser, url)
                            if with_lighthouse:
                                row["lighthouse"] = lighthouse(url, tmp / f"lh-{len(rows)}.json")
                        rows[f"{app_name}, {via}"] = row
                        print(f"  {app_name}, {via}: {_line(row)}", flush=True)
            finally:
                browser.close()
    dash, mini = rows["dashboard, direct"], rows["minimal one-chart app, direct"]
    return {
        "rows": rows,
        "dashboard_vs_minimal_direct": dash["total_bytes"] / mini["total_bytes"],
        "dashboard_through_caddy_mb": rows["dashboard, Caddy"]["total_bytes"] / 1e6,
    }


def _line(row: dict) -> str:
    text = (
        f"{row['total_bytes'] / 1e6:.2f} MB ({row['http_bytes'] / 1e6:.2f} MB HTTP in {row['requests']} requests, "
        f"{row['websocket_bytes'] / 1e3:.0f} kB websocket)"
    )
    if "lighthouse" in row:
        lh = row["lighthouse"]
        text += (
            f"; Lighthouse performance {lh['performance']}, accessibility {lh['accessibility']}, "
            f"LCP {lh['lcp_s']:.1f} s, TBT {lh['tbt_ms']:.0f} ms"
        )
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.firstload", description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="bytes only (Playwright)")
    args = parser.parse_args(argv)
    print("First visit to / (fresh browser context), directly and through Caddy:")
    report = measure(not args.no_lighthouse)
    print(
        f"\ndashboard ÷ minimal app (direct): {report['dashboard_vs_minimal_direct']:.2f}× (target ≤ 1.1×); "
        f"dashboard through Caddy: {report['dashboard_through_caddy_mb']:.2f} MB (target ≤ 2.5 MB)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "firstload.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("written bench/results/firstload.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
