"""What a first visit to `/` costs: bytes transferred (Playwright) and Lighthouse scores, for the dashboard and for
a minimal one-Plotly-chart app, each served directly by Streamlit and through Caddy (serving/Caddyfile).

    python -m bench.firstload [--no-lighthouse] [--reps 2]   # about 15–25 min; writes bench/results/firstload.json

Bytes: a fresh Chromium context opens `/` and waits until every chart on the page is drawn and the network has
been quiet for 3 s; HTTP bytes are what crossed the wire (Chrome's encodedDataLength: compressed bodies plus
headers), websocket bytes are the payload of the frames the server sent (the page's elements). Lighthouse 13
(bench/node_modules, installed by `make setup`) runs with the desktop and the mobile preset on Debian's
Chromium, offline, on loopback, `--reps` times each, the dashboard and the minimal app alternated run by run;
medians and their ratios are reported, with cumulative layout shift and the elements Lighthouse saw move. Its
scores reflect this shared 2-core machine, so compare the rows with each other, not with other machines.
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

from bench import CHROMIUM, DASHBOARD, HOST, RESULTS, ROOT, launch_chromium, median, streamlit_server
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


PRESETS = ("desktop", "mobile")  # mobile: Lighthouse's default, a slow phone (4× CPU, slow 4G), simulated
METRICS = ("performance", "cls", "tbt_ms", "lcp_s")


def lighthouse(url: str, out: Path, preset: str = "desktop") -> dict:
    """Lighthouse on Debian's Chromium with one preset: performance and accessibility scores, key metrics, and
    the elements that moved (its layout-shift audit)."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError("Lighthouse is missing: `make setup` installs it into bench/node_modules")
    cmd = [
        str(LIGHTHOUSE),
        url,
        *(["--preset=desktop"] if preset == "desktop" else []),
        "--chrome-flags=--headless --no-sandbox --disable-gpu",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    subprocess.run(cmd, env=os.environ | {"CHROME_PATH": CHROMIUM}, check=True, timeout=300, capture_output=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    shifts = (audits.get("layout-shifts", {}).get("details") or {}).get("items", [])
    return {
        "performance": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "accessibility": round(100 * (report["categories"]["accessibility"]["score"] or 0)),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "moved": [
            {"score": round(i.get("score", 0), 4), "selector": (i.get("node") or {}).get("selector", "")}
            for i in shifts[:5]
        ],
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


APPS = ("dashboard", "minimal one-chart app")


def measure(with_lighthouse: bool = True, reps: int = 2) -> dict:
    """Bytes of a first visit, then `reps` Lighthouse runs per preset, the two apps alternated run by run (both
    served at once, so drift on the shared machine hits both), directly and through Caddy."""
    from playwright.sync_api import sync_playwright

    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="firstload-") as tmp_name:
        tmp = Path(tmp_name)
        minimal = tmp / "minimal_app.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                for via in ("direct", "Caddy"):
                    with served(DASHBOARD, via == "Caddy") as dash_url, served(minimal, via == "Caddy") as mini_url:
                        urls = dict(zip(APPS, (dash_url, mini_url), strict=True))
                        for app_name, url in urls.items():
                            first_visit(browser, url)  # untimed: the server's first run loads the data
                            rows[f"{app_name}, {via}"] = first_visit(browser, url)
                        if with_lighthouse:
                            _lighthouse_alternated(urls, via, rows, tmp, reps)
                        for app_name in APPS:
                            print(f"  {app_name}, {via}: {_line(rows[f'{app_name}, {via}'])}", flush=True)
            finally:
                browser.close()
    dash, mini = rows["dashboard, direct"], rows["minimal one-chart app, direct"]
    report = {
        "rows": rows,
        "dashboard_vs_minimal_direct": dash["total_bytes"] / mini["total_bytes"],
        "dashboard_through_caddy_mb": rows["dashboard, Caddy"]["total_bytes"] / 1e6,
    }
    if with_lighthouse:
        report["lighthouse_ratios"] = {
            f"{via}, {preset}": _ratios(rows[f"dashboard, {via}"], rows[f"minimal one-chart app, {via}"], preset)
            for via in ("direct", "Caddy")
            for preset in PRESETS
        }
    return report


def _lighthouse_alternated(urls: dict[str, str], via: str, rows: dict, tmp: Path, reps: int) -> None:
    for rep in range(reps):
        for preset in PRESETS:
            for app_name, url in urls.items():
                run = lighthouse(url, tmp / f"lh-{len(rows)}-{rep}-{preset}.json", preset)
                row = rows[f"{app_name}, {via}"].setdefault("lighthouse", {}).setdefault(preset, {"runs": []})
                row["runs"].append(run)
                row["median"] = {k: median([r[k] for r in row["runs"]]) for k in (*METRICS, "accessibility")}
                print(
                    f"    {via} {preset} {rep + 1}/{reps} {app_name}: performance {run['performance']}, "
                    f"CLS {run['cls']:.3f}, TBT {run['tbt_ms']:.0f} ms, LCP {run['lcp_s']:.1f} s",
                    flush=True,
                )


def _ratios(dash: dict, mini: dict, preset: str) -> dict:
    """Dashboard ÷ minimal app of the medians (score: higher is better; TBT and LCP: lower is better)."""
    d, m = dash["lighthouse"][preset]["median"], mini["lighthouse"][preset]["median"]
    return {
        "performance": d["performance"] / m["performance"] if m["performance"] else float("nan"),
        "tbt_ms": d["tbt_ms"] / m["tbt_ms"] if m["tbt_ms"] else float("nan"),
        "lcp_s": d["lcp_s"] / m["lcp_s"] if m["lcp_s"] else float("nan"),
        "cls_dashboard": d["cls"],
        "cls_minimal": m["cls"],
    }


def _line(row: dict) -> str:
    text = (
        f"{row['total_bytes'] / 1e6:.2f} MB ({row['http_bytes'] / 1e6:.2f} MB HTTP in {row['requests']} requests, "
        f"{row['websocket_bytes'] / 1e3:.0f} kB websocket)"
    )
    for preset, lh in row.get("lighthouse", {}).items():
        m = lh["median"]
        text += (
            f"; {preset} (median of {len(lh['runs'])}): performance {m['performance']:.0f}, CLS {m['cls']:.3f}, "
            f"TBT {m['tbt_ms']:.0f} ms, LCP {m['lcp_s']:.1f} s"
        )
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.firstload", description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="bytes only (Playwright)")
    parser.add_argument("--reps", type=int, default=2, help="Lighthouse runs per preset and app (default 2)")
    args = parser.parse_args(argv)
    if not 1 <= args.reps <= 5:
        parser.error("1–5 Lighthouse runs per preset")
    print("First visit to / (fresh browser context), directly and through Caddy:")
    report = measure(not args.no_lighthouse, args.reps)
    print(
        f"\ndashboard ÷ minimal app (direct): {report['dashboard_vs_minimal_direct']:.2f}× (target ≤ 1.1×); "
        f"dashboard through Caddy: {report['dashboard_through_caddy_mb']:.2f} MB (target ≤ 2.5 MB)"
    )
    for name, r in report.get("lighthouse_ratios", {}).items():
        print(
            f"Lighthouse {name}, dashboard ÷ minimal (medians): performance {r['performance']:.2f}× "
            f"(target ≥ 0.9×), TBT {r['tbt_ms']:.2f}×, LCP {r['lcp_s']:.2f}×; "
            f"CLS {r['cls_dashboard']:.3f} (target ≤ 0.05) against {r['cls_minimal']:.3f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "firstload.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("written bench/results/firstload.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
