"""One script run draws at a time per process (components/sections/frame.drawing_turn): a burst of readers is
served in turn, a turn is given back however a run ends, and a run stuck in its turn holds nobody up for long."""

from __future__ import annotations

import threading
import time

import pytest

from components.sections import frame


def test_a_second_run_waits_until_the_first_has_drawn():
    order: list[str] = []
    first_in = threading.Event()
    release = threading.Event()

    def first() -> None:
        with frame.drawing_turn():
            order.append("first starts")
            first_in.set()
            release.wait(5)
            order.append("first ends")

    def second() -> None:
        first_in.wait(5)
        with frame.drawing_turn():
            order.append("second starts")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in.wait(5)
    time.sleep(0.2)  # the second run is waiting now, or would have started
    assert order == ["first starts"], order
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == ["first starts", "first ends", "second starts"]


def test_a_run_that_stops_or_reruns_gives_its_turn_back():
    class Rerun(Exception):  # what st.rerun() and st.stop() raise through the script
        pass

    with pytest.raises(Rerun), frame.drawing_turn():
        raise Rerun
    assert frame._TURNS.acquire(blocking=False), "the turn was not given back after the run raised"
    frame._TURNS.release()


def test_a_run_stuck_in_its_turn_holds_the_others_up_for_at_most_the_timeout(monkeypatch):
    monkeypatch.setattr(frame, "TURN_TIMEOUT_S", 0.3)
    stuck = threading.Event()
    free = threading.Event()

    def hold() -> None:
        with frame.drawing_turn():
            stuck.set()
            free.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    stuck.wait(5)
    started = time.monotonic()
    with frame.drawing_turn():
        waited = time.monotonic() - started
    free.set()
    holder.join(5)
    assert 0.25 <= waited < 2, waited
    with frame.drawing_turn():  # and the count is whole again: a taken-anyway turn gives nothing back
        pass
    assert frame._TURNS.acquire(blocking=False)
    frame._TURNS.release()
