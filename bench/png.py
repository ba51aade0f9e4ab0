"""PNG export timings in a fresh process: the first export (starts kaleido's browser) and later ones per chart.

Later exports are timed half a second apart, as clicks are (see CLICK_GAP_S). A fresh process is the only honest
"first export after start": the warm renderer is process-wide, so any
export earlier in the same process would hide the browser start.

    python -m bench.png ROUNDS      # prints one JSON line
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from bench import PYTHON, ROOT

# Exports come from clicks, never back to back: kaleido reloads its tab after each image (about 0.2 s, in the
# background since components/export.py returns the image first), and a click within that time waits for it.
CLICK_GAP_S = 0.5


def run_once(rounds: int, timeout: float = 240) -> dict:
    """One fresh process: {'first': s, 'first_chart': name, 'per_chart': {name: [s, ...]}}."""
    args = [PYTHON, "-m", "bench.png", str(rounds)]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _main(rounds: int) -> int:
    from components import dataset, export, view
    from components.figures import build

    ds = dataset.load()
    choices = view.Choices.from_dataset(ds)
    panels = [p for p in build(ds, view.View(), choices).values() if not p.empty]
    try:
        start = time.perf_counter()
        export.image_bytes(panels[0], "png")
        first = time.perf_counter() - start
        per_chart: dict[str, list[float]] = {p.name: [] for p in panels}
        for _ in range(rounds):
            for panel in panels:
                time.sleep(CLICK_GAP_S)
                start = time.perf_counter()
                data = export.image_bytes(panel, "png")
                per_chart[panel.name].append(time.perf_counter() - start)
                assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    finally:
        export.stop_renderer()  # close the renderer's Chromium: leave no browser behind
    print(json.dumps({"first": first, "first_chart": panels[0].name, "per_chart": per_chart}))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
