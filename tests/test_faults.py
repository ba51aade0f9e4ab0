"""Faults the dashboard must survive: a dead PNG renderer, a server restart under an open page, a broken data file.

Each test breaks the real thing (kills the real process, edits a real copy of the data) and checks what a reader
sees afterwards. The slow ones (a replica killed during a burst, a 20-minute soak) are bench steps instead:
`python -m bench.faults`.
"""

from __future__ import annotations

import os
import time

import psutil
import pytest
from conftest import PNG_SIGNATURE

from components import export
from components.figures import build
from components.view import View

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


def test_a_renderer_that_keeps_failing_gives_one_plain_message(trade_panel, monkeypatch):
    from choreographer.channels import ChannelClosedError

    starts = []
    real_start = export._start
    monkeypatch.setattr(export, "_start", lambda r: (starts.append(1), real_start(r))[1])

    def broken(*args, **kwargs):
        raise ChannelClosedError("Executor is closed.")

    monkeypatch.setattr(export.go.Figure, "to_image", broken)
    with pytest.raises(export.RendererError) as caught:
        export.image_bytes(trade_panel, "png")
    assert str(caught.value) == export.RETRY_HINT
    assert "try again" in str(caught.value).lower() and "Traceback" not in str(caught.value)
    assert len(starts) == 1, "one restart and one retry, not a loop"
    monkeypatch.undo()
    assert export.image_bytes(trade_panel, "png")[:8] == PNG_SIGNATURE, "the next export works again"
