"""The served stack of `make serve` (Caddy, Varnish, a replica): pages keep their preview tags through Caddy, and the
HTTP resources come from the shared cache after the first reader (X-Cache), with 304s answered there too."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from test_web import Head
from waiting import wait_for

from bench import HOST, free_port
from bench.load import serving_stack
from serving import cache

START_TIMEOUT_S = 120  # the stack's first start also precompresses Streamlit's bundles once


@pytest.fixture(scope="module")
def proxied():
    assert cache.available(), cache.INSTALL_VARNISH  # `make caddy` installs it, as it installs Caddy
    with serving_stack(1, timeout=START_TIMEOUT_S, extra=["--cache-port", str(free_port())]) as (port, _):
        base = f"http://{HOST}:{port}/"
        # through Varnish too: its first health probes of the replica may still be under way (503 meanwhile)
        wait_for(lambda: _get(base + "api/openapi.yaml")[0] == 200, START_TIMEOUT_S, "Varnish to reach the replica")
        yield base


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=90) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_a_page_keeps_its_preview_tags_through_caddy(proxied):
    status, _, body = _get(proxied + "trade?lang=vi")  # Caddy's transport asks the replica for gzip
    head = Head(body.decode())
    assert status == 200 and head.lang == "vi" and head.title.startswith("Thương mại · ")
    assert head.meta["og:image"].startswith(proxied + "api/chart/trade.png?")


def test_readers_after_the_first_are_served_by_the_shared_cache(proxied):
    url = proxied + "embed/mirror?from=2013"
    first, second = _get(url), _get(url)
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert (first[1]["x-cache"], second[1]["x-cache"]) == ("MISS", "HIT")
    assert _get(url, **{"If-None-Match": first[1]["etag"]})[0] == 304
    csv = proxied + "api/chart/mirror.csv?from=2013"
    assert [_get(csv, Cookie="vn_cn_replica=abc")[1]["x-cache"] for _ in range(2)] == ["MISS", "HIT"]


def test_bad_requests_are_not_kept(proxied):
    url = proxied + "api/chart/trade.csv?from=abc"
    answers = [_get(url) for _ in range(2)]
    assert [(status, headers["x-cache"]) for status, headers, _ in answers] == [(400, "MISS"), (400, "MISS")]
