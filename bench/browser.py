"""First chart visible in headless Chromium: navigation start to the first Plotly trace on screen.

Each visit uses a fresh browser context (empty cache, new session), as a new visitor does. Both servers run
side by side and visits alternate between them; one untimed visit per server first, so the figure is not
paying for the server's own first run (that is the cold-run metric).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench import launch_chromium, streamlit_server

SELECTOR = ".js-plotly-plot .trace"
VISIT_TIMEOUT_MS = 60_000


def _visit(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=VISIT_TIMEOUT_MS)
        page.locator(SELECTOR).first.wait_for(state="visible", timeout=VISIT_TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        context.close()


def first_chart(apps: dict[str, Path], reps: int, log: Callable[[str], None] = print) -> dict[str, list[float]]:
    """Seconds to the first visible chart per app, `reps` visits each, alternated."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {name: [] for name in apps}
    with (
        streamlit_server(next(iter(apps.values()))) as first,
        streamlit_server(list(apps.values())[1]) as second,
        sync_playwright() as p,
    ):
        servers = dict(zip(apps, (first, second), strict=True))
        browser = launch_chromium(p)
        try:
            for server in servers.values():
                _visit(browser, server.url)  # untimed: the server's first run
            for i in range(reps):
                order = list(servers.items()) if i % 2 == 0 else list(servers.items())[::-1]
                for name, server in order:
                    times[name].append(_visit(browser, server.url))
                log("    " + "  ".join(f"{n} {times[n][-1]:5.2f} s" for n in servers))
        finally:
            browser.close()
    return times
