"""Faults the dashboard must survive: a dead PNG renderer, a server restart under an open page, a broken data file.

Each test breaks the real thing (kills the real process, edits a real copy of the data) and checks what a reader
sees afterwards. The slow ones (a replica killed during a burst, a 20-minute soak) are bench steps instead:
`python -m bench.faults`.
"""

from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from conftest import PNG_SIGNATURE
from waiting import runs_finished, wait_for, wait_for_chart, wait_for_url, wait_run_finished, wait_until

from bench import DASHBOARD, HOST, PYTHON, ROOT, free_port, stop
from components import export
from components.figures import build
from components.view import View
from serving.supervise import healthy, streamlit_command

KILL_WAIT_S = 15


def renderer_browsers() -> list[psutil.Process]:
    """This process's kaleido Chromium: the `chromium` started by choreographer's pipe wrapper (a playwright
    browser of the same test session is a child of playwright's driver, so it is never picked)."""
    found = []
    for child in psutil.Process(os.getpid()).children(recursive=True):
        try:
            if child.name() == "chromium" and "choreographer" in " ".join(child.parent().cmdline()):
                found.append(child)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


@pytest.fixture(scope="module")
def trade_panel(ds, choices):
    return build(ds, View(), choices)["trade"]


def test_export_survives_the_renderers_chromium_being_killed(trade_panel):
    assert export.image_bytes(trade_panel, "png")[:8] == PNG_SIGNATURE
    browsers = renderer_browsers()
    assert browsers, "the warm renderer's Chromium was not found among this process's children"
    for proc in browsers:
        proc.kill()
    _gone, alive = psutil.wait_procs(browsers, timeout=KILL_WAIT_S)
    assert not alive, "the renderer's Chromium did not die"

    data = export.image_bytes(trade_panel, "png")  # first call after the kill: restart and retry inside

    assert data[:8] == PNG_SIGNATURE
    new = renderer_browsers()
    assert new and {p.pid for p in new}.isdisjoint(p.pid for p in browsers), "a new renderer was started"
    started = time.perf_counter()
    assert export.image_bytes(trade_panel, "png")[:8] == PNG_SIGNATURE
    assert time.perf_counter() - started < 3, "later exports reuse the new warm renderer"


def test_a_failed_background_reload_restarts_the_renderer(trade_panel):
    """The tab reload after an image runs in the background; if it failed (Chromium died meanwhile), the next
    export sees it, restarts the renderer and still returns its image."""
    assert export.image_bytes(trade_panel, "png")[:8] == PNG_SIGNATURE
    old = export._renderer().kaleido
    old.failed = RuntimeError("the tab reload failed")
    assert export.image_bytes(trade_panel, "png")[:8] == PNG_SIGNATURE
    assert export._renderer().kaleido is not old, "a new renderer was started"


def test_a_renderer_that_keeps_failing_gives_one_plain_message(trade_panel, monkeypatch):
    from choreographer.channels import ChannelClosedError

    starts = []
    real_start = export._start
    monkeypatch.setattr(export, "_start", lambda r: (starts.append(1), real_start(r))[1])

    def broken(*args, **kwargs):
        raise ChannelClosedError("Executor is closed.")

    monkeypatch.setattr(export, "_render", broken)
    with pytest.raises(export.RendererError) as caught:
        export.image_bytes(trade_panel, "png")
    assert str(caught.value) == export.RETRY_HINT
    assert "try again" in str(caught.value).lower() and "Traceback" not in str(caught.value)
    assert len(starts) == 1, "one restart and one retry, not a loop"
    monkeypatch.undo()
    assert export.image_bytes(trade_panel, "png")[:8] == PNG_SIGNATURE, "the next export works again"


# ---------------------------------------------------------------- server restart under an open page

PAGE_TIMEOUT_MS = 120_000


def _start_server(port: int, log: Path) -> subprocess.Popen:
    """`streamlit run dashboard.py` on a given loopback port (a restart must reuse the page's port)."""
    with log.open("a") as out:
        process = subprocess.Popen(
            streamlit_command(DASHBOARD, port, HOST, PYTHON), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    wait_for(lambda: healthy(HOST, port) or process.poll() is not None, 90, f"the server on port {port} to start")
    assert process.poll() is None, log.read_text()
    return process


DISCONNECTED = """() => document.querySelector('[data-testid="stApp"]')
    .getAttribute('data-test-connection-state') !== 'CONNECTED'"""


def _move_start_year(page) -> None:
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    page.keyboard.press("ArrowRight")


@pytest.mark.browser
def test_a_click_after_a_server_restart_changes_the_page_and_its_link(browser, tmp_path):
    """The first click after a restart reaches a new session with the browser's widget values; they must win
    over the link (which is one run behind), or the click is lost and the slider snaps back.

    Two server starts and three page runs: about 40 s on a quiet machine, up to 2 min with a core kept busy.
    Each click waits for the run before it to be over (a key pressed while the page reconnects is lost)."""
    port = free_port()
    log = tmp_path / "server.log"
    server = _start_server(port, log)
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(f"http://{HOST}:{port}/?from=2010&to=2020", timeout=PAGE_TIMEOUT_MS)
        wait_for_chart(page, "chart_trade", timeout=PAGE_TIMEOUT_MS)
        before = runs_finished(page)
        _move_start_year(page)  # a click before the restart works as usual
        wait_run_finished(page, since=before)
        wait_for_url(page, "from=2011")

        stop(server)
        wait_until(page, DISCONNECTED, what="the page to see the server gone", timeout=PAGE_TIMEOUT_MS, settled=False)
        server = _start_server(port, log)
        wait_run_finished(page)  # connected again (a reconnection runs nothing until the reader acts)

        before = runs_finished(page)
        _move_start_year(page)  # the first click after the restart
        wait_run_finished(page, since=before)
        assert "from=2012" in wait_for_url(page, "from="), "the link kept the click"
        slider = page.locator('[data-testid="stSlider"]').first.inner_text()
        assert "2012" in slider and "2011" not in slider, f"the slider snapped back: {slider!r}"
        wait_for_chart(page, "chart_trade")
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "2012" in main, "the page was redrawn for the new years"
        assert "Traceback" not in main
    finally:
        context.close()
        stop(server)


# ---------------------------------------------------------------- a data file broken while the server runs


def _page(result) -> tuple[list[str], list[str]]:
    """Alert texts and code-box texts of one run's page."""
    alerts = [a.alert.body for a in result.of_type("alert")]
    codes = [c.code.code_text for c in result.of_type("code")]
    return alerts, codes


def test_a_data_file_broken_while_serving_shows_the_problems_and_a_fix_recovers(tmp_path):
    """Edit a copy of data/ (never data/ itself) under a running server: every session shows the readable
    problem list, then recovers on its next run once the file is fixed, without a restart."""
    import asyncio
    import shutil

    from bench import DATA_DIR_ENV, streamlit_server
    from bench.protocol import Session

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    trade = data / "trade.csv"
    original = trade.read_text(encoding="utf-8")
    header, first, rest = original.split("\n", 2)
    value_at = header.split(",").index("value_usd_bn")
    cells = first.split(",")
    cells[value_at] = "not-a-number"
    broken = "\n".join([header, ",".join(cells), rest])

    def write(text: str) -> None:
        trade.write_text(text, encoding="utf-8")
        stamp = time.time() + 1  # a newer modification time than any earlier load, whatever the clock's grain
        os.utime(trade, (stamp, stamp))

    with streamlit_server(DASHBOARD, env={DATA_DIR_ENV: str(data)}, timeout=90) as server:

        async def runs(sessions):
            out = []
            for session in sessions:
                session.elements = {}
                out.append(await session.run(timeout=120))
            return out

        async def scenario():
            sessions = [Session(server.port, "from=2010"), Session(server.port)]
            for session in sessions:
                await session.connect()
            try:
                for result in await runs(sessions):
                    alerts, _ = _page(result)
                    assert result.status == "FINISHED_SUCCESSFULLY" and result.of_type("plotly_chart")
                    assert not any("failed validation" in a for a in alerts)
                write(broken)
                for result in await runs(sessions):
                    alerts, codes = _page(result)
                    assert not result.of_type("exception"), "a readable list, not a traceback"
                    assert any("failed validation" in a for a in alerts)
                    assert any("trade.csv" in c and "value_usd_bn" in c for c in codes), codes
                    assert not result.of_type("plotly_chart")
                write(original)
                for result in await runs(sessions):
                    alerts, _ = _page(result)
                    assert result.of_type("plotly_chart") and not result.of_type("exception")
                    assert not any("failed validation" in a for a in alerts)
            finally:
                for session in sessions:
                    await session.close()

        # In a thread of its own: Playwright's sync API (the browser fixture) keeps an event loop on this one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, asyncio.wait_for(scenario(), 600)).result()
