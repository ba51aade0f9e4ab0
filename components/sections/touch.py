"""A tap on a chart's point selects it, as a click does: a small script (Streamlit components v2, run in the page).

Why: Plotly selects the point under the pointer on a click, and knows which point that is from the last hover.
On a touch screen there is no hover before the tap: the browser sends its mouse events only after the touch has
ended, so Plotly's click finds nothing and the late mouse event merely opens a hover box. The script sends the
chart the hover first, at the finger's position, when a touch starts on a plot; Plotly's own click then selects
the point, and Streamlit's `on_select` opens the visit (or the trade figure's sources) as for a mouse click.
One listener for the whole page, set up once, whatever the number of charts and reruns.

On a touch screen these charts show no hover box either: it would cover the chart, and the tap opens the same
texts in full under it.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

JS = """
export default function ({ data }) {
  // on a touch screen the tap opens the point's details under the chart: no hover box over the chart as well
  let style = document.getElementById("vncn-tap-selects");
  if (!style) {
    style = document.createElement("style");
    style.id = "vncn-tap-selects";
    document.head.appendChild(style);
  }
  const rule = `@media (hover: none) { .st-key-${data.chart} .hoverlayer { display: none; } }`;
  if (!style.textContent.includes(rule)) style.textContent += rule + "\\n";
  if (window.__vncnTapHovers) return;
  window.__vncnTapHovers = true;
  document.addEventListener("touchstart", (event) => {
    const target = event.target;
    if (event.touches.length !== 1 || !(target instanceof Element)) return;
    if (!target.closest(".js-plotly-plot .nsewdrag")) return;
    const { clientX, clientY } = event.touches[0];
    target.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX, clientY }));
  }, { capture: true, passive: true });
}
"""

_TAP_SELECTS = st.components.v2.component("vncn_tap_selects", js=JS)


def tap_selects(row: DeltaGenerator, chart_key: str) -> None:
    """A tap on the chart keyed `chart_key` selects its point, and on a touch screen the chart shows no hover
    box (the tap opens the point's details under it). Drawn at the end of `row` (the chart's buttons), where a
    1-px element adds no empty line; the script sets its one listener for the page once."""
    with row:
        _TAP_SELECTS(data={"chart": chart_key}, key=f"tap-{chart_key}", width=1, height=1)
