"""A shared HTTP cache (Debian's `varnish`) for the dashboard's HTTP resources: chart images, tables, metadata,
the light embed and plotly.js (/api/*, /embed/*). Caddy sends those paths here, and Varnish asks a replica only
on a miss, so N readers of one embed or link preview cost one render. Pages and websockets never come here.

The answers already say how long they keep (`Cache-Control: public, max-age`, an `ETag`); Varnish honours that,
answers `If-None-Match` itself, and never keeps a 503 (a busy renderer) or anything with a cookie.
"""

from __future__ import annotations

import shutil
from pathlib import Path

INSTALL_VARNISH = "Varnish is not installed: `make caddy` or `apt-get install -y varnish` (Debian/Ubuntu)."
CACHE_MB = 256
SHARED_PATHS = r"^/(api|embed)/"


def vcl(upstreams: list[tuple[str, int]]) -> str:
    """The VCL for these replicas: a round-robin director with health probes, caching only the shared paths."""
    backends = "\n".join(
        f"""backend replica{i} {{
    .host = "{host}";
    .port = "{port}";
    .first_byte_timeout = 90s;
    .probe = {{ .url = "/_stcore/health"; .interval = 2s; .timeout = 5s; .window = 5; .threshold = 2; .initial = 2; }}
}}"""
        for i, (host, port) in enumerate(upstreams)
    )
    members = "\n".join(f"    replicas.add_backend(replica{i});" for i in range(len(upstreams)))
    return f"""vcl 4.1;
import directors;

{backends}

sub vcl_init {{
    new replicas = directors.round_robin();
{members}
}}

sub vcl_recv {{
    set req.backend_hint = replicas.backend();
    if (req.url !~ "{SHARED_PATHS}" || (req.method != "GET" && req.method != "HEAD")) {{
        return (pass);
    }}
    unset req.http.Cookie;  # the resources depend on the URL alone (Caddy's replica cookie is irrelevant)
    return (hash);
}}

sub vcl_backend_response {{
    if (beresp.status >= 500) {{
        set beresp.uncacheable = true;  # a busy renderer's 503 is retried, never kept
        set beresp.ttl = 0s;
        return (deliver);
    }}
    if (beresp.http.Cache-Control ~ "immutable") {{
        set beresp.ttl = 1d;
    }}
}}

sub vcl_deliver {{
    set resp.http.X-Cache = "MISS";
    if (obj.hits > 0) {{
        set resp.http.X-Cache = "HIT";
    }}
}}
"""


def varnish_command(listen: str, vcl_path: Path, workdir: Path) -> list[str]:
    """varnishd in the foreground (its parent supervises it), no management port, memory storage."""
    binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
    return [
        binary,
        "-F",
        "-a",
        listen,
        "-f",
        str(vcl_path),
        "-n",
        str(workdir),
        "-s",
        f"malloc,{CACHE_MB}m",
        "-T",
        "none",
    ]


def available() -> bool:
    return Path(shutil.which("varnishd") or "/usr/sbin/varnishd").is_file()


def write_vcl(upstreams: list[tuple[str, int]], workdir: Path) -> Path:
    """The VCL in varnishd's working folder, readable by the user varnishd drops its privileges to."""
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)
    path = workdir / "dashboard.vcl"
    path.write_text(vcl(upstreams), encoding="utf-8")
    path.chmod(0o644)
    return path
