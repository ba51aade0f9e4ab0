"""A read-only text with a Copy button that copies: a small Streamlit component (components v2), whose script runs
in the page itself.

Why a component: Streamlit strips inline scripts and `onclick` from the HTML that `st.html` renders, so a plain
HTML button can show but never copy. A components-v2 module runs in the page (no iframe, so the Clipboard API
works wherever the page is a secure context), costs one 15 kB chunk, and draws at a height fixed here in Python:
the box reserves its space before the script arrives, and nothing below it moves when it does.
"""

from __future__ import annotations

import streamlit as st

from components import i18n
from components.sections.frame import tr

LINE_PX = 18  # one line of the 0.8rem monospace text at line-height 18px
PAD_PX = 16  # the field's padding and border, top and bottom together

CSS = """
.vncn-copy { display: flex; gap: .4rem; align-items: flex-start; width: 100%; }
.vncn-copy input, .vncn-copy textarea { flex: 1; min-width: 0; box-sizing: border-box; margin: 0;
  font: 0.8rem/18px ui-monospace, SFMono-Regular, Menlo, monospace; padding: 7px .45rem;
  border: 1px solid rgba(128,128,128,.45); border-radius: .4rem; background: transparent; color: inherit;
  resize: none; }
.vncn-copy button { box-sizing: border-box; height: 34px; padding: 0 .7rem; flex: none; white-space: nowrap;
  border: 1px solid rgba(128,128,128,.45); border-radius: .4rem; background: transparent; color: inherit;
  cursor: pointer; font: inherit; font-size: .85rem; }
.vncn-copy button:hover, .vncn-copy button:focus-visible { border-color: #E69F00; }
"""

# Built once per mount, updated in place on a rerun (new text, new language). The Clipboard API first; where
# it is missing or refused (an insecure http:// page, a denied permission) the old execCommand on the selected
# text; where that fails too, the text stays selected and the button says how to copy it by hand.
JS = """
export default function ({ parentElement, data }) {
  let box = parentElement.querySelector(".vncn-copy");
  if (!box || box.dataset.rows !== String(data.rows)) {
    if (box) box.remove();
    box = document.createElement("div");
    box.className = "vncn-copy";
    box.dataset.rows = String(data.rows);
    const field = document.createElement(data.rows > 1 ? "textarea" : "input");
    field.readOnly = true;
    if (data.rows > 1) field.rows = data.rows; else field.type = "text";
    field.style.height = data.height + "px";
    const button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-live", "polite");
    box.append(field, button);
    parentElement.appendChild(box);
  }
  const field = box.firstElementChild, button = box.lastElementChild;
  field.value = data.text;
  field.setAttribute("aria-label", data.label);
  button.textContent = data.copy;
  button.onclick = async () => {
    field.focus();
    field.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(data.text);
      copied = true;
    } catch (e) {
      try { copied = document.execCommand("copy"); } catch (e2) { copied = false; }
    }
    button.textContent = copied ? data.copied : data.selected;
    clearTimeout(button._reset);
    button._reset = setTimeout(() => { button.textContent = data.copy; }, copied ? 1500 : 4000);
  };
}
"""

_COPY_BOX = st.components.v2.component("vncn_copy_box", css=CSS, js=JS)

COPY = i18n.N_("Copy")
COPIED = i18n.N_("Copied")
SELECTED = i18n.N_("Selected: press Ctrl+C")


def height(rows: int) -> int:
    """The box's height in px, the same in Python (reserved before the script runs) and in the page."""
    return max(rows, 1) * LINE_PX + PAD_PX


def copy_box(text: str, label: str, *, rows: int = 1, key: str) -> None:
    """`text` in a read-only field labelled `label`, with a Copy button; `rows` > 1 draws a text area."""
    t = tr()
    data = {
        "text": text,
        "label": label,
        "rows": rows,
        "height": height(rows),
        "copy": t(COPY),
        "copied": t(COPIED),
        "selected": t(SELECTED),
    }
    _COPY_BOX(data=data, key=f"copy-{key}", height=height(rows))
