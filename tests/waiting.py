"""The one way a test waits: for the exact text, element or chart it is about to read, bounded, and failing with
a message that says what was missing and what the page showed instead.

A Streamlit page arrives in pieces over a websocket: a section's heading can be on screen while the list under it
is still on its way, and a rerun keeps the old elements (marked stale) until the new ones replace them. So a test
never waits for "something" and then reads something else. Each browser helper waits, in ONE check, for the
content the test asserts and (unless `settled=False`) for the script run to be over: the app connected, its
script state `notRunning`, no running icon in the status widget, no stale element, no skeleton.

Every browser helper takes a Playwright `Page` or `Frame` (an embedded app in an iframe is a frame).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEFAULT_TIMEOUT_MS = 60_000
# A first load also waits for the server's cold run (dataset validation) and the 4.7 MB plotly.js parse.
PAGE_LOAD_TIMEOUT_MS = 120_000
POLL_MS = 200  # a poll every 200 ms costs the busy machine less than one per animation frame

QUIET_MS = 300  # the run state must hold this long: an st.rerun() shows "not running" for a moment in between

# Streamlit's own marks (frontend of 1.67): stApp carries data-test-script-state and data-test-connection-state.
# A MutationObserver on those two attributes (installed on first use, kept in `window.__vncnWait`) counts the
# finished runs and every change, so "settled" means: connected, not running, no running icon, no stale element,
# no skeleton, and nothing changed for QUIET_MS.
RUN_FINISHED = f"""() => {{
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    let w = window.__vncnWait;
    if (!w || w.app !== app) {{
        w = window.__vncnWait = {{app, changes: 0, finished: 0, seen: -1, since: null}};
        new MutationObserver(records => records.forEach(r => {{
            w.changes += 1;
            if (r.attributeName === 'data-test-script-state' && r.oldValue === 'running') w.finished += 1;
        }})).observe(app, {{attributes: true, attributeOldValue: true,
                           attributeFilter: ['data-test-script-state', 'data-test-connection-state']}});
    }}
    const ok = app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
        && !document.querySelector('[data-stale="true"]')
        && !document.querySelector('[data-testid="stSkeleton"]');
    if (!ok) {{ w.since = null; return false; }}
    if (w.since === null || w.seen !== w.changes) {{ w.seen = w.changes; w.since = performance.now(); }}
    return performance.now() - w.since >= {QUIET_MS};
}}"""

# Every element matching a CSS selector, in the page and inside open shadow roots (a components-v2 element such
# as the copy box draws in one). A selector does not cross a shadow boundary: name the element itself.
_DEEP_ALL = """(selector) => {
    const found = [];
    const walk = root => {
        found.push(...root.querySelectorAll(selector));
        root.querySelectorAll('*').forEach(e => e.shadowRoot && walk(e.shadowRoot));
    };
    walk(document);
    return found;
}"""

# What the page showed when a wait failed, for the failure message.
_STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]') || document.body;
    return {
        url: location.href,
        script: app ? app.getAttribute('data-test-script-state') : 'no stApp',
        connection: app ? app.getAttribute('data-test-connection-state') : null,
        running: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'),
        stale: document.querySelectorAll('[data-stale="true"]').length,
        charts: [...document.querySelectorAll('.js-plotly-plot')].map(p => (p._fullData || []).length),
        exceptions: [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.innerText.slice(0, 300)),
        text: main ? (main.innerText || '').slice(0, 800) : '',
    };
}"""

# The plotly.js element of a chart: by Streamlit key (`.st-key-<key>`) or by position on the page.
_PLOT = """sel => typeof sel === 'number'
    ? document.querySelectorAll('.js-plotly-plot')[sel]
    : document.querySelector(`.st-key-${sel} .js-plotly-plot`)"""

# A chart is drawn when plotly.js holds its traces (`_fullData`, typed arrays decoded) and has painted them.
_CHART_DRAWN = f"""a => {{
    const plot = ({_PLOT})(a.sel);
    return !!plot && !!plot._fullData && !!plot.querySelector('.main-svg')
        && (a.traces === null ? plot._fullData.length > 0 : plot._fullData.length === a.traces)
        && plot.querySelectorAll('.trace').length > 0;
}}"""

_TRACES = f"""sel => ({_PLOT})(sel)._fullData.map(t => ({{
    name: t.name, type: t.type, visible: t.visible,
    x: Array.from(t.x || []), y: Array.from(t.y || []), text: Array.from(t.text || [])
}}))"""


def _state(target) -> str:
    try:
        return "\n".join(f"  {k}: {v}" for k, v in target.evaluate(_STATE).items())
    except Exception as err:  # the page may be gone; the timeout is the message that matters
        return f"  (page state unreadable: {err})"


def wait_until(target, predicate: str, arg: Any = None, *, what: str, timeout: float, settled: bool = True) -> Any:
    """Wait until the JS function `predicate(arg)` is truthy (and the run is over, if `settled`), in one check;
    return its value as JSON. For a condition the named helpers below do not cover; `what` names it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    script = f"""a => {{
        const settled = {RUN_FINISHED};
        const content = {predicate};
        const ok = !a.settled || settled();  // first: it installs the run counter
        return ok && content(a.arg);
    }}"""
    try:
        handle = target.wait_for_function(
            script, arg={"arg": arg, "settled": settled}, timeout=timeout, polling=POLL_MS
        )
    except PlaywrightTimeout:
        run = " with the script run finished" if settled else ""
        raise AssertionError(
            f"timed out after {timeout / 1000:.0f} s waiting for {what}{run}; the page showed:\n{_state(target)}"
        ) from None
    return handle.json_value()


def runs_finished(target) -> int:
    """How many script runs the page has finished since the helper first watched it. Read it before an action,
    then `wait_run_finished(page, since=n)` waits for a run the action started (not the one already over)."""
    watch = f"() => {{ ({RUN_FINISHED})(); return !!window.__vncnWait; }}"  # installs the counter once stApp is up
    target.wait_for_function(watch, timeout=PAGE_LOAD_TIMEOUT_MS, polling=POLL_MS)
    return target.evaluate("() => window.__vncnWait.finished")


def wait_run_finished(target, *, since: int | None = None, timeout: float = PAGE_LOAD_TIMEOUT_MS) -> None:
    """The script run is over and its content is on the page (not only the empty frame before the first run);
    with `since` (from `runs_finished`), a run that finished after that count.

    Without `since`, right after a click it may pass before the rerun has started: then wait for the content the
    click produces (every helper here combines that with this check), or pass `since`."""
    wait_until(
        target,
        """since => !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')
                    && (since === null || (window.__vncnWait || {finished: -1}).finished > since)""",
        since,
        what="the page's content" + ("" if since is None else f" after run {since}"),
        timeout=timeout,
        settled=True,
    )


def wait_for_text(
    target, text: str | list[str], *, within: str = "body", timeout: float = DEFAULT_TIMEOUT_MS, settled: bool = True
) -> None:
    """Every one of `text` is in the visible text (innerText) of the first `within` element (CSS selector)."""
    texts = [text] if isinstance(text, str) else list(text)
    wait_until(
        target,
        """a => { const el = document.querySelector(a.within);
                  return !!el && a.texts.every(t => el.innerText.includes(t)); }""",
        {"texts": texts, "within": within},
        what=f"text {texts!r} in {within!r}",
        timeout=timeout,
        settled=settled,
    )


def wait_for_no_text(
    target, text: str, *, within: str = "body", timeout: float = DEFAULT_TIMEOUT_MS, settled: bool = True
) -> None:
    """`text` is not (or no longer) in the visible text of `within`: for content a filter must remove."""
    wait_until(
        target,
        """a => { const el = document.querySelector(a.within); return !!el && !el.innerText.includes(a.text); }""",
        {"text": text, "within": within},
        what=f"text {text!r} gone from {within!r}",
        timeout=timeout,
        settled=settled,
    )


def wait_for_element(
    target,
    selector: str,
    *,
    count: int | None = None,
    has_text: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_MS,
    settled: bool = True,
) -> list[str]:
    """Elements matching the CSS `selector` (and containing `has_text`) are there, in the page or in a shadow
    root: at least one, or exactly `count`. Returns their visible texts, read in the same check."""
    texts = wait_until(
        target,
        f"""a => {{ const found = ({_DEEP_ALL})(a.selector)
                      .filter(e => a.text === null || (e.innerText || e.textContent || '').includes(a.text));
                  const ok = a.count === null ? found.length > 0 : found.length === a.count;
                  return ok && found.map(e => e.innerText || e.textContent || ''); }}""",
        {"selector": selector, "count": count, "text": has_text},
        what=f"{'an element' if count is None else f'exactly {count} element(s)'} {selector!r}"
        + (f" with text {has_text!r}" if has_text else ""),
        timeout=timeout,
        settled=settled,
    )
    return texts


def wait_for_chart(
    target,
    key_or_index: str | int,
    *,
    traces: int | None = None,
    timeout: float = PAGE_LOAD_TIMEOUT_MS,
    settled: bool = True,
) -> list[dict]:
    """The Plotly chart with Streamlit key `key_or_index` (e.g. "chart_trade"), or the n-th chart on the page,
    is drawn with exactly `traces` traces (at least one if None). Returns its traces as plotly.js holds them:
    name, type, visible, x, y, text (typed arrays decoded)."""
    return wait_until(
        target,
        f"a => ({_CHART_DRAWN})(a) && ({_TRACES})(a.sel)",
        {"sel": key_or_index, "traces": traces},
        what=f"chart {key_or_index!r} drawn with {'some' if traces is None else traces} trace(s)",
        timeout=timeout,
        settled=settled,
    )


def wait_for_charts(target, count: int, *, timeout: float = PAGE_LOAD_TIMEOUT_MS, settled: bool = True) -> None:
    """The page shows exactly `count` Plotly charts, every one drawn with its traces (a page's full set)."""
    wait_until(
        target,
        f"""n => {{ const plots = document.querySelectorAll('.js-plotly-plot');
                   return plots.length === n && [...plots].every((_, i) => ({_CHART_DRAWN})({{sel: i, traces: null}}));
                }}""",
        count,
        what=f"{count} drawn chart(s)",
        timeout=timeout,
        settled=settled,
    )


def wait_for_url(target, part: str, *, timeout: float = DEFAULT_TIMEOUT_MS, settled: bool = True) -> str:
    """The address contains `part` (read in the page: sync Playwright's `page.url` can lag); returns it."""
    return wait_until(
        target,
        "part => location.href.includes(part) && location.href",
        part,
        what=f"the address to contain {part!r}",
        timeout=timeout,
        settled=settled,
    )


def wait_for_value(
    target, selector: str, part: str, *, timeout: float = DEFAULT_TIMEOUT_MS, settled: bool = True
) -> str:
    """The first input or textarea matching `selector` (in the page or in a shadow root, as the copy box's) holds
    a value containing `part` (e.g. the share link); returns the value."""
    return wait_until(
        target,
        f"a => {{ const el = ({_DEEP_ALL})(a.selector)[0]; return !!el && el.value.includes(a.part) && el.value; }}",
        {"selector": selector, "part": part},
        what=f"{selector!r} to hold a value containing {part!r}",
        timeout=timeout,
        settled=settled,
    )


def wait_for(condition: Callable[[], Any], timeout: float, what: str, poll: float = 0.5) -> Any:
    """Outside the browser (a process, a port, a log line): poll `condition` until truthy, for `timeout` seconds.
    Returns its value; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)
    return value


def run_app(at, timeout: float | None = None):
    """Run an AppTest to the end of its script and fail with the page's exceptions, if any.

    AppTest.run blocks until the run is over (or raises on its timeout), so its elements are never read
    mid-run; this only makes a timeout or an exception read as a clear assertion."""
    try:
        at.run(timeout=timeout)
    except RuntimeError as err:  # AppTest's "script run timed out after N(s)"
        raise AssertionError(f"the AppTest run did not finish: {err}") from None
    assert not at.exception, [e.value for e in at.exception]
    return at
