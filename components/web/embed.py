"""Embeds for articles: the light embed page of one chart, plotly.js for it, and oEmbed answers.

The light embed needs no Streamlit session and no websocket: one small HTML page with the panel's figure as
JSON, drawn by plotly.js from the installed plotly package (served once per version, compressed, cached for a
year), with the panel's title, gap note, source line and a link to the full view. A shared cache can keep it.
"""

from __future__ import annotations

import gzip
import html
import json
from dataclasses import replace
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import plotly

from components import citation, i18n, view
from components.figures import Panel
from components.figures.base import SITE
from components.view import View
from components.web.resources import PREVIEW_SIZE

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PLOTLY_PATH = f"/api/static/plotly-{plotly.__version__}.min.js"  # versioned: a new plotly gets a new address
LIGHT_EXTRA = citation.LIGHT_EMBED_EXTRA  # px besides the plot: the title, the note, the source line, the link
WIDTH = 800  # oEmbed's default width
MIN_SIZE, MAX_SIZE = 200, 2000  # oEmbed maxwidth / maxheight are clamped to this


@cache
def plotly_js() -> tuple[bytes, bytes]:
    """plotly.js as it is and gzipped (once per process: 4.8 MB, about 1.5 MB compressed)."""
    raw = PLOTLY_JS.read_bytes()
    return raw, gzip.compress(raw, 6)


def light_url(root: str, current: View, name: str) -> str:
    """The light embed's address for one chart of a view."""
    query = view.to_query(replace(current, chart=""))
    return f"{root}/{view.EMBED_PATH}/{name}" + (f"?{urlencode(query)}" if query else "")


def height(panel: Panel) -> int:
    return int(panel.figure.layout.height or 450) + LIGHT_EXTRA


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can close or confuse it."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e")


def page(panel: Panel, current: View, root: str) -> str:
    """The light embed: title, interactive chart (an SVG image without JavaScript), note, sources, link back."""
    e = html.escape
    t = i18n.translator(current.lang)
    full = view.share_url(f"{root}/", replace(current, chart=""), page="")
    query = urlencode(view.to_query(replace(current, chart="")))
    svg = f"{root}/api/chart/{panel.name}.svg" + (f"?{query}" if query else "")
    if panel.empty:
        chart = f'<p class="empty">{e(panel.empty)}</p>'
        script = ""
    else:
        spec = json.loads(panel.figure.to_json())
        layout = spec["layout"]
        layout.pop("width", None)
        layout["autosize"] = True
        # room for the tick labels, as the page's Streamlit theme makes it: every axis grows its margin to fit
        for axis in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
            layout[axis] = {**layout.get(axis, {}), "automargin": True}
        chart = (
            f'<div id="chart" role="img" aria-label="{e(panel.alt)}" style="height:{height(panel) - LIGHT_EXTRA}px">'
            f'<noscript><img src="{e(svg)}" alt="{e(panel.alt)}" width="100%"></noscript></div>'
        )
        script = (
            f'<script src="{e(PLOTLY_PATH)}"></script>\n'
            f'<script type="application/json" id="figure">{_script_json(spec)}</script>\n'
            "<script>const f=JSON.parse(document.getElementById('figure').textContent);"
            "Plotly.newPlot('chart',f.data,f.layout,{responsive:true,displaylogo:false});</script>"
        )
    note = f'<p class="note">{e(panel.note)}</p>' if panel.note else ""
    return f"""<!DOCTYPE html>
<html lang="{current.lang}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{e(panel.title)} — {e(t(SITE))}</title>
<link rel="canonical" href="{e(full)}" />
<style>
html,body{{margin:0;background:transparent;color:#222;font:14px/1.4 "Source Sans Pro",system-ui,sans-serif}}
main{{padding:8px 10px}} h1{{font-size:16px;margin:0 0 4px}} p{{margin:4px 0;font-size:12px;color:#444}}
#chart{{width:100%}} a{{color:#0b5f8a}} .empty{{font-size:14px;padding:2em 0}}
@media (prefers-color-scheme: dark){{html,body{{color:#eee}} p{{color:#ccc}} a{{color:#7cc7f0}}}}
</style>
</head>
<body>
<main>
<h1>{e(panel.title)}</h1>
{chart}
{note}
<p class="source">{e(panel.source_line)}</p>
<p><a href="{e(full)}" target="_blank" rel="noopener">{e(t(OPEN_FULL_VIEW))}</a></p>
</main>
{script}
</body>
</html>
"""


OPEN_FULL_VIEW = i18n.N_("Open the full interactive view ↗")


def oembed(panel: Panel, current: View, root: str, maxwidth: int | None, maxheight: int | None) -> dict:
    """The oEmbed 1.0 answer for one chart of one view: a `rich` iframe of the light embed."""
    t = i18n.translator(current.lang)
    width = min(WIDTH, maxwidth or WIDTH)
    tall = min(height(panel), maxheight or MAX_SIZE)
    query = urlencode({**view.to_query(replace(current, chart="")), "size": "preview"})
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": t(SITE),
        "provider_url": f"{root}/",
        "title": panel.title,
        "html": citation.embed_snippet(light_url(root, current, panel.name), panel.title, tall),
        "width": width,
        "height": tall,
        "thumbnail_url": f"{root}/api/chart/{panel.name}.png?{query}",
        "thumbnail_width": PREVIEW_SIZE[0],
        "thumbnail_height": PREVIEW_SIZE[1],
        "cache_age": 3600,
    }


def clamp(raw: str | None) -> int | None:
    """oEmbed's maxwidth/maxheight: None when absent, else within MIN_SIZE..MAX_SIZE; ValueError if not a number."""
    if raw is None or raw == "":
        return None
    return min(max(int(raw), MIN_SIZE), MAX_SIZE)
