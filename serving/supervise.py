"""Start n `streamlit run dashboard.py` replicas on consecutive loopback ports and Caddy in front of them, and
restart any of them that dies. What `make serve REPLICAS=n` runs.

    python -m serving.supervise --replicas 2 --port 8080            # http://localhost:8080/

A Streamlit process runs every session's script on about one core, so more simultaneous readers need more
processes; Caddy (serving/Caddyfile) keeps each browser on one replica with a cookie, since a session and its
downloads live in that process's memory, and stops sending new sessions to a replica whose health check fails.
A replica that dies is started again on its port; the sessions it held reconnect through Caddy to a live one and
reopen their view from the URL. SIGINT/SIGTERM stop everything; children also die with this process (Linux).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from serving import cache, precompress

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = Path(__file__).resolve().parent / "Caddyfile"
DASHBOARD = ROOT / "dashboard.py"
REPLICA_HOST = "127.0.0.1"  # replicas are reached only through Caddy
START_TIMEOUT_S = 90
POLL_S = 0.5
QUICK_DEATH_S = 10  # a child that dies sooner than this after starting is restarted with a growing delay
MAX_BACKOFF_S = 30
INSTALL_CADDY = "Caddy is not installed: `make caddy` or `apt-get install -y caddy` (Debian/Ubuntu)."


def streamlit_command(script: Path, port: int, host: str = REPLICA_HOST, python: str = sys.executable) -> list[str]:
    """The one way this project starts a Streamlit server (the bench and the tests use it too)."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def healthy(host: str, port: int, timeout: float = 1) -> bool:
    """Streamlit (or Caddy in front of it) answers `/_stcore/health` with `ok`."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/_stcore/health", timeout=timeout) as resp:
            return resp.read().strip() == b"ok"
    except OSError:
        return False


def _die_with_parent() -> None:
    """In the child before exec: receive SIGTERM when the supervisor dies, so no replica is orphaned (Linux)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    """One supervised process: how to start it, the running process, and its restart history."""

    name: str
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    quick_deaths: int = 0
    not_before: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, preexec_fn=_die_with_parent if sys.platform == "linux" else None
        )
        self.started_at = time.monotonic()
        say(f"{self.name}: started, pid {self.process.pid}")

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def check(self, now: float) -> None:
        """Restart the process if it has exited, after a delay that grows while it keeps dying at start."""
        code = self.exited()
        if code is None:
            return
        if self.not_before == 0.0:
            lived = now - self.started_at
            self.quick_deaths = self.quick_deaths + 1 if lived < QUICK_DEATH_S else 0
            delay = min(MAX_BACKOFF_S, 2 ** (self.quick_deaths - 1)) if self.quick_deaths else 0
            self.not_before = now + delay
            say(f"{self.name}: exited with {code} after {lived:.0f} s; restarting in {delay:.0f} s")
        if now >= self.not_before:
            self.not_before = 0.0
            self.restarts += 1
            self.start()


def say(message: str) -> None:
    print(f"[supervise {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _static_root() -> Path:
    if not (precompress.DEFAULT_DEST / ".streamlit-version").exists():
        say("precompressing Streamlit's static files for Caddy (once per Streamlit version, about 30 s)")
    return precompress.prepare()


def children(
    replicas: int,
    port: int,
    first_port: int,
    bind: str,
    site: str | None,
    caddy: str,
    app: Path = DASHBOARD,
    cache_port: int | None = None,
) -> list[Child]:
    """The replicas on first_port, first_port+1, …, Varnish (the shared cache of /api/* and /embed/*) on
    `cache_port` when given, and Caddy on `port`, all from the same environment."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    out = [
        Child(f"replica {i + 1} (port {first_port + i})", streamlit_command(app, first_port + i), env)
        for i in range(replicas)
    ]
    upstreams = [(REPLICA_HOST, first_port + i) for i in range(replicas)]
    shared = " ".join(f"{host}:{p}" for host, p in upstreams)
    if cache_port is not None:
        workdir = Path(tempfile.mkdtemp(prefix="vncn-varnish-"))
        listen = f"{REPLICA_HOST}:{cache_port}"
        out.append(
            Child(
                f"varnish (port {cache_port})",
                cache.varnish_command(listen, cache.write_vcl(upstreams, workdir), workdir),
                env,
            )
        )
        shared = listen
    caddy_env = env | {
        "STATIC_ROOT": str(_static_root()),
        "SITE_ADDRESS": site or f"http://:{port}",
        "BIND": bind,
        "UPSTREAMS": " ".join(f"{host}:{p}" for host, p in upstreams),
        "SHARED_UPSTREAMS": shared,
    }
    out.append(Child("caddy", [caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"], caddy_env))
    return out


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((REPLICA_HOST, 0))
        return sock.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m serving.supervise", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=1, help="Streamlit processes (default 1; one per core)")
    parser.add_argument("--port", type=int, default=8080, help="Caddy's port (default 8080)")
    parser.add_argument("--first-port", type=int, default=8501, help="first replica's port (default 8501)")
    parser.add_argument("--bind", default="0.0.0.0 [::]", help="Caddy's interfaces (default: all; '127.0.0.1')")
    parser.add_argument("--site", default=None, help="Caddy site address, e.g. a domain for HTTPS")
    parser.add_argument("--app", type=Path, default=DASHBOARD, help="the Streamlit script (default dashboard.py)")
    parser.add_argument("--cache-port", type=int, default=0, help="Varnish's loopback port (default: a free one)")
    parser.add_argument("--no-cache", action="store_true", help="no shared cache: Caddy sends /api/* to replicas")
    args = parser.parse_args(argv)
    if not 1 <= args.replicas <= 32:
        parser.error("--replicas must be 1–32")
    caddy = shutil.which("caddy")
    if caddy is None:
        print(INSTALL_CADDY, file=sys.stderr)
        return 2

    stopping = False

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    cache_port = None
    if not args.no_cache:
        if cache.available():
            cache_port = args.cache_port or free_loopback_port()
        else:
            say(cache.INSTALL_VARNISH + " Serving without a shared cache.")
    procs = children(
        args.replicas, args.port, args.first_port, args.bind, args.site, caddy, args.app.resolve(), cache_port
    )
    try:
        for child in procs:
            child.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        ports = [args.first_port + i for i in range(args.replicas)]
        while not stopping and not all(healthy(REPLICA_HOST, p) for p in ports):
            if time.monotonic() > deadline:
                say(f"replicas not healthy after {START_TIMEOUT_S} s; still waiting")
                deadline = float("inf")
            time.sleep(POLL_S)
        if not stopping:
            say(f"serving {args.replicas} replica(s) through Caddy on port {args.port}")
        while not stopping:
            now = time.monotonic()
            for child in procs:
                child.check(now)
            time.sleep(POLL_S)
    finally:
        say("stopping")
        for child in reversed(procs):  # Caddy first, so no request reaches a replica being stopped
            child.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
