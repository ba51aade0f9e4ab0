"""A part of a page drawn once the reader scrolls near it: the overview's visit timeline, below the first screen.

Why: plotly.js draws every chart a page holds as soon as it arrives, in the same long tasks as the first screen.
The overview's timeline lies below the first screen on a wide screen and on a phone, and drawing it cost a first
visit about 40–60 ms of blocking time on a desktop (more on a phone's slower processor): the one part of the
overview's blocking time beyond the trade chart's that the reader had not yet asked for. So the first run draws
a placeholder of the section's height instead; a small script in the page (Streamlit components v2) watches it
and, when it comes within `NEAR` of the viewport, asks for one rerun, which draws the section in its place.
The session then remembers it (`st.session_state`): later reruns draw the section at once.
"""

from __future__ import annotations

import streamlit as st

# Within this distance below the viewport the section is asked for: about a second of scrolling before it is seen
# (the rerun and the drawing take about 0.1–0.3 s), and far enough below the first screen that a reader who does not
# scroll never waits for it (the timeline starts about 1,540 px down on a 1350×940 screen, 1,690 px on a phone).
NEAR = "300px 0px"

JS = """
export default function ({ parentElement, data, setTriggerValue }) {
  const box = document.createElement("div");
  box.textContent = data.text;
  box.style.cssText = `height: ${data.height}px; display: flex; align-items: center; justify-content: center;
    border: 1px dashed rgba(128, 128, 128, 0.35); border-radius: 0.5rem; color: rgba(128, 128, 128, 0.9);
    font-size: 0.9rem;`;
  parentElement.replaceChildren(box);
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    setTriggerValue("near", true);
  }, { rootMargin: data.margin });
  observer.observe(box);
  return () => observer.disconnect();
}
"""

_WATCH = st.components.v2.component("vncn_when_near", js=JS)


def seen_key(name: str) -> str:
    """The session-state flag that says the section `name` has been asked for (set it to draw it at once)."""
    return f"vncn_near_{name}"


def when_near(name: str, height: int, text: str) -> bool:
    """True if the section `name` is to be drawn now: the reader has scrolled near it in this session. Otherwise
    draw a placeholder of `height` px saying `text`, which asks for a rerun when it nears the viewport."""
    key = seen_key(name)
    if st.session_state.get(key):
        return True
    _WATCH(
        data={"height": height, "text": text, "margin": NEAR},
        key=f"watch_{name}",
        height=height,
        on_near_change=lambda: st.session_state.__setitem__(key, True),
    )
    return False
