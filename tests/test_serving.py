"""Production serving: `python -m serving.supervise` (what `make serve` runs) with two replicas behind Debian's
Caddy, on loopback ports. Checked: static files compressed, a real page rendered through the proxy (its websocket
passes through), cookie-sticky sessions spread over both replicas, and a killed replica restarted while the page
that used it comes back with its view.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from waiting import runs_finished, wait_for, wait_for_chart, wait_for_text, wait_run_finished

from bench import HOST, PYTHON, ROOT, free_port, free_ports, stop
from serving import precompress
from serving.supervise import healthy

pytestmark = pytest.mark.browser

REPLICAS = 2
COOKIE = "vn_cn_replica"  # lb_policy cookie's name in serving/Caddyfile
START_TIMEOUT_S = 120
RESTART_TIMEOUT_S = 90
PAGE_TIMEOUT_MS = 120_000


@dataclass
class Stack:
    """The running supervisor: Caddy's port, the replicas' ports, and its log."""

    process: subprocess.Popen
    port: int
    replica_ports: list[int]
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def replica_pid(self, port: int) -> int | None:
        for child in psutil.Process(self.process.pid).children():
            try:
                if "streamlit" in " ".join(child.cmdline()) and f"--server.port {port}" in " ".join(child.cmdline()):
                    return child.pid
            except psutil.NoSuchProcess:
                continue
        return None

    def cookie_port(self, value: str) -> int:
        """The replica a stickiness cookie points at: Caddy's value is HMAC-SHA256(secret '', upstream address)."""
        for port in self.replica_ports:
            if hmac.new(b"", f"{HOST}:{port}".encode(), hashlib.sha256).hexdigest() == value:
                return port
        raise AssertionError(f"cookie {value!r} names no replica of {self.replica_ports}")

    def keeps(self, port: int) -> bool:
        """A request through Caddy with the stickiness cookie of the replica on `port` stays there."""
        cookie = hmac.new(b"", f"{HOST}:{port}".encode(), hashlib.sha256).hexdigest()
        _, headers, _ = get(self.url + "_stcore/health", {"Cookie": f"{COOKIE}={cookie}"})
        return set_cookie(headers) is None


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    assert shutil.which("caddy"), "Debian's caddy is needed: `make caddy`"
    first = free_ports(REPLICAS)
    port = free_port()
    log = tmp_path_factory.mktemp("serving") / "supervise.log"
    command = [PYTHON, "-m", "serving.supervise", "--replicas", str(REPLICAS), "--port", str(port)]
    command += ["--first-port", str(first), "--bind", HOST]
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Stack(process, port, [first + i for i in range(REPLICAS)], log)
    try:
        wait_for(
            lambda: process.poll() is None and "serving 2 replica(s)" in log.read_text(),
            START_TIMEOUT_S,
            f"the stack to start:\n{log.read_text()}",
        )
        wait_for(lambda: healthy(HOST, port), 30, "Caddy to answer the health check")
        wait_for(lambda: all(healthy(HOST, p) for p in running.replica_ports), 60, "every replica to be healthy")
        # Caddy's active health checks (every 2 s) have put every replica in rotation: a visitor whose cookie
        # names a replica stays on it (Caddy re-picks, with a new cookie, for one it holds unavailable).
        wait_for(lambda: all(running.keeps(p) for p in running.replica_ports), 30, "Caddy to use every replica")
        yield running
    finally:
        stop(process, 30)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names; repeated ones such as Set-Cookie joined by newlines) and body."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as resp:
        joined = {k.lower(): "\n".join(resp.headers.get_all(k)) for k in set(resp.headers.keys())}
        return resp.status, joined, resp.read()


def set_cookie(headers: dict[str, str]) -> str | None:
    found = re.search(rf"(?:^|\n){COOKIE}=([0-9a-f]+)", headers.get("set-cookie", ""))
    return found.group(1) if found else None


def test_static_files_are_compressed(stack):
    _, _, html = get(stack.url)
    scripts = re.findall(r'src="\.?/?(static/js/[^"]+\.js)"', html.decode())
    assert scripts, "the page names its script bundle"
    status, headers, body = get(stack.url + scripts[0], {"Accept-Encoding": "zstd, gzip"})
    assert status == 200
    assert headers.get("content-encoding") in ("zstd", "gzip")
    _, plain_headers, plain = get(stack.url + scripts[0], {"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain_headers
    assert len(body) < 0.5 * len(plain), f"{len(body)} compressed bytes of {len(plain)}"
    # Served by Caddy from the files precompressed once at the highest level, not compressed per request.
    suffix = {"zstd": ".zst", "gzip": ".gz"}[headers["content-encoding"]]
    assert body == (precompress.DEFAULT_DEST / (scripts[0] + suffix)).read_bytes()
    assert "immutable" in headers.get("cache-control", "")


def test_sessions_are_sticky_and_spread_over_the_replicas(stack):
    chosen = set()
    for _ in range(24):
        _, headers, _ = get(stack.url + "_stcore/health")
        value = set_cookie(headers)
        assert value, "a new visitor gets the stickiness cookie"
        chosen.add(stack.cookie_port(value))
    assert chosen == set(stack.replica_ports), "new visitors go to every replica"
    pinned = stack.replica_ports[0]
    cookie = hmac.new(b"", f"{HOST}:{pinned}".encode(), hashlib.sha256).hexdigest()
    for _ in range(10):
        _, headers, _ = get(stack.url + "_stcore/health", {"Cookie": f"{COOKIE}={cookie}"})
        assert set_cookie(headers) is None, "a visitor with a valid cookie stays on its replica"


def test_a_page_renders_through_the_proxy_and_survives_its_replica_being_killed(stack, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(stack.url + "?from=2010&to=2020", timeout=PAGE_TIMEOUT_MS)
        wait_for_chart(page, "chart_trade", timeout=PAGE_TIMEOUT_MS)  # drawn over the websocket, the run over
        cookie = next(c["value"] for c in context.cookies() if c["name"] == COOKIE)
        port = stack.cookie_port(cookie)
        old_pid = stack.replica_pid(port)
        assert old_pid, f"replica on port {port} not found"

        psutil.Process(old_pid).kill()
        wait_for(
            lambda: stack.replica_pid(port) not in (None, old_pid) and healthy(HOST, port),
            RESTART_TIMEOUT_S,
            f"the supervisor to restart the replica on port {port}",
        )
        assert "exited with" in stack.log.read_text()
        assert healthy(HOST, stack.port), "Caddy kept serving"

        # The page reconnects by itself (to a replica that has no session for it); a reconnection runs nothing,
        # so the reader's next action (here Streamlit's "r", rerun) is the new session's first run: it must
        # draw the page's view again, the years in the address bar still the page's.
        wait_run_finished(page, timeout=PAGE_TIMEOUT_MS)  # connected again
        before = runs_finished(page)
        page.locator("h1").first.click()  # focus on the page, not in a widget, for the shortcut
        page.keyboard.press("r")
        wait_run_finished(page, since=before, timeout=PAGE_TIMEOUT_MS)
        wait_for_chart(page, "chart_trade", timeout=PAGE_TIMEOUT_MS)
        url = page.evaluate("location.href")
        assert "from=2010" in url and "to=2020" in url, url
        wait_for_text(page, ["2010", "2020"], within='[data-testid="stSlider"]')
    finally:
        context.close()


def test_containers_use_the_ci_setup_and_the_same_caddyfile():
    """Docker is not run here: check that the image builds with CI's set-up and compose's Caddy config adapts."""
    import json
    import os

    import yaml

    test_prereqs = re.search(r"^test:(.*)$", (ROOT / "Makefile").read_text(), re.M).group(1).split()
    build = re.search(r"^RUN make (.*?) PYTHON=", (ROOT / "Dockerfile").read_text(), re.M).group(1).split()
    assert build == test_prereqs, "the image is built with the same make targets `make test` (CI) sets up"
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    caddy = compose["services"]["caddy"]
    config = caddy["command"][caddy["command"].index("--config") + 1]
    assert config == "/app/serving/Caddyfile"
    adapted = subprocess.run(
        ["caddy", "adapt", "--config", str(ROOT / "serving/Caddyfile"), "--adapter", "caddyfile"],
        env=os.environ | caddy["environment"],
        capture_output=True,
        text=True,
        check=True,
    )
    dials = re.findall(r'"dial":"([^"]+)"', json.dumps(json.loads(adapted.stdout), separators=(",", ":")))
    replicas = [name for name in compose["services"] if name != "caddy"]
    assert dials == [f"{name}:8501" for name in replicas]
