"""Benchmark and load suite for the dashboard: `python -m bench` (timings) and `python -m bench.load` (20 users).

Every number is a ratio against a floor app that shows the same content with no work behind it, because the
machine is shared and noisy: absolute milliseconds drift between runs, the ratio of two alternated medians much
less. This module holds what every part shares: paths, the one way to launch Chromium, and servers on loopback.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from serving.supervise import healthy, streamlit_command

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
# Debian's chromium, never a downloaded one: `playwright install` fails offline and is not needed.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOST = "127.0.0.1"  # every server and client stays on loopback
DATA_DIR_ENV = "DASHBOARD_DATA_DIR"


def median(values: Sequence[float]) -> float:
    """Median, NaN for no values (a failed measurement shows as NaN rather than crashing the report)."""
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: with 20–100 samples it is an observed latency, not an interpolation."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def free_port() -> int:
    """A loopback port nothing listens on: bind port 0, read it, and check no server answers there (a foreign
    server on a guessed port would answer our health check)."""
    for _ in range(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex((HOST, port)) != 0:  # refused: free
                return port
    raise RuntimeError("no free loopback port found")


def free_ports(count: int) -> int:
    """The first of `count` consecutive free loopback ports (replicas behind Caddy use consecutive ports)."""
    for _ in range(50):
        first = free_port()
        if first + count <= 65535 and all(_port_free(first + i) for i in range(1, count)):
            return first
    raise RuntimeError(f"no {count} consecutive free loopback ports found")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


@dataclass
class Server:
    """A `streamlit run` child process on loopback; `url` is its page address."""

    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    @property
    def pid(self) -> int:
        return self.process.pid


@contextlib.contextmanager
def streamlit_server(
    script: Path, env: dict[str, str] | None = None, timeout: float = 60, log: Path | None = None
) -> Iterator[Server]:
    """Start `streamlit run script` on a free loopback port, wait for health, and always kill it afterwards.

    With `log`, the server's output goes to that file (and a failure to start quotes it)."""
    port = free_port()
    cmd = streamlit_command(script, port, HOST, PYTHON)
    # The dataset folder is only ever the one asked for: a leftover DASHBOARD_DATA_DIR would silently
    # serve another dataset (e.g. the 100× one after the growth benchmark).
    full_env = {k: v for k, v in os.environ.items() if k != DATA_DIR_ENV} | (env or {})
    out = log.open("w", encoding="utf-8") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        cmd, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    if log:
        out.close()  # the child keeps its own handle
    said = (lambda: "\n" + log.read_text(encoding="utf-8", errors="replace")) if log else (lambda: "")
    try:
        deadline = time.monotonic() + timeout
        while not healthy(HOST, port):
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode} before answering: {script}{said()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not answer /_stcore/health within {timeout} s: {script}{said()}")
            time.sleep(0.2)
        yield Server(process, port)
    finally:
        stop(process, 10)


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    """Ask a server to stop, and kill it if it has not within `grace` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def launch_chromium(playwright):
    """Debian's Chromium with the flags that work in a container; the only way the suite starts a browser."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
