"""Image and CSV bytes for downloads, and the batch export command, with one warm kaleido renderer."""

from __future__ import annotations

import struct
import time

import pytest
from conftest import PNG_SIGNATURE

from components import export, theme
from components.figures import build
from components.view import View, describe

SECOND_EXPORT_BOUND_S = 1.5  # a sanity bound (a cold browser costs 3 s or more); the real timing is in bench/


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def renderer():
    started = time.perf_counter()
    assert export.warm_renderer() is True
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def panels(ds, choices):
    return build(ds, View(visit="2023-12-xi-jinping"), choices)  # a visit, so the trade around it draws too


@pytest.fixture(scope="module")
def pngs(renderer, panels):
    """Each panel's PNG, rendered once for the module, with the time each took."""
    out = {}
    for name, panel in panels.items():
        started = time.perf_counter()
        data = export.image_bytes(panel, "png")
        out[name] = (data, time.perf_counter() - started)
    return out


def test_every_panel_is_exported(panels):
    assert set(panels) == {"trade", "ytd", "mirror", "timeline", "fdi", "tourists", "visit_trade", "goods", "documents"}
    assert all(not p.empty for p in panels.values()), "the default view with a visit has data in every panel"


@pytest.mark.parametrize(
    "name", ["trade", "ytd", "mirror", "timeline", "fdi", "tourists", "visit_trade", "goods", "documents"]
)
def test_png_is_2x_the_print_figure(pngs, panels, name):
    data, _ = pngs[name]
    width, height = png_size(data)
    fig = export.print_figure(panels[name])
    assert (width, height) == (2 * fig.layout.width, 2 * fig.layout.height)
    assert width == 2 * export.WIDTH
    assert len(data) > 20_000, "an image of a chart, not a blank page"


@pytest.mark.parametrize("name", ["trade", "ytd", "mirror", "timeline", "fdi", "tourists", "goods", "documents"])
def test_print_figure_carries_title_source_and_filter(panels, choices, name):
    panel = panels[name]
    before = panel.figure.to_json()
    fig = export.print_figure(panel)
    assert panel.figure.to_json() == before, "dressing for print must not change the page's figure"
    assert fig.layout.title.text == panel.title
    assert fig.layout.paper_bgcolor == "white"
    notes = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    source = [n for n in notes if n.endswith(panel.source_line)]
    assert source, notes
    assert source[-1] == " ".join(t for t in (panel.note, panel.source_line) if t)  # the gap note first
    start, end = View().years(choices)
    assert f"{start}–{end}" in source[-1]


def test_print_figure_names_a_non_default_filter(ds, choices):
    current = View(year_from=2010, year_to=2020, reporter="both", offices=("party_chief",), query="Trong")
    filters = describe(current, choices, theme.FILTER_LABELS)
    assert "2010–2020" in filters and "Trong" in filters
    built = build(ds, current, choices)
    # The timeline shows visits, which the reporter does not filter: its line names every other filter.
    expected = {"trade": filters, "timeline": describe(current, choices, theme.FILTER_LABELS, reporter=False)}
    for name in ("trade", "timeline"):
        notes = " ".join(a.text.replace("<br>", " ") for a in export.print_figure(built[name]).layout.annotations)
        assert expected[name] in notes, (name, notes)
    assert "figures" not in expected["timeline"] and "Trong" in expected["timeline"]
    for panel in built.values():
        notes = " ".join(a.text.replace("<br>", " ") for a in export.print_figure(panel).layout.annotations)
        assert "2010–2020" in notes or panel.empty, (panel.name, notes)


@pytest.mark.parametrize("name", ["trade", "timeline"])
def test_svg(renderer, panels, name):
    data = export.image_bytes(panels[name], "svg")
    assert data.lstrip().startswith((b"<svg", b"<?xml"))
    assert panels[name].title.split(",")[0].encode() in data


def test_second_export_is_fast(pngs, panels, capsys):
    first = {name: round(t, 2) for name, (_, t) in pngs.items()}
    again = []
    for _ in range(3):
        started = time.perf_counter()
        data = export.image_bytes(panels["trade"], "png")
        again.append(time.perf_counter() - started)
        assert data[:8] == PNG_SIGNATURE
    with capsys.disabled():
        print(f"\nPNG export times (s): first per panel {first}; trade again {[round(t, 2) for t in again]}")
    assert min(again) < SECOND_EXPORT_BOUND_S


def test_csv_keeps_diacritics(panels):
    data = export.csv_bytes(panels["timeline"].table)
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so spreadsheets read UTF-8"
    text = data.decode("utf-8-sig")
    assert "Nguyễn" in text and "Trọng" in text
    header = text.splitlines()[0].split(",")
    assert "visitor" in header and "source_urls" in header
    assert "[" not in text.splitlines()[1].split(",")[0], "list cells are joined, not repr'd"


def test_csv_of_an_empty_table(ds, choices):
    """A filter that leaves nothing still gives a CSV with its header (it used to raise on datetime columns)."""
    empty = build(ds, View(query="zzzzqqq"), choices)["timeline"]
    assert empty.empty and empty.table.empty
    text = export.csv_bytes(empty.table).decode("utf-8-sig")
    assert text.splitlines() == [",".join(empty.table.columns)]


def _check_batch(out, panels, svg: bool = True) -> None:
    panels = {name: panel for name, panel in panels.items() if not panel.empty}  # empty ones are skipped
    pngs = sorted(out.glob("*.png"))
    svgs = sorted(out.glob("*.svg"))
    assert len(pngs) == len(panels)
    assert len(svgs) == (len(panels) if svg else 0)
    if svg:
        assert sorted(p.stem for p in pngs) == sorted(p.stem for p in svgs)
    assert len({p.stem for p in pngs}) == len(panels)
    assert sorted(p.name for p in out.iterdir()) == sorted([*(p.name for p in pngs), *(p.name for p in svgs)])
    for path in pngs:
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        assert path.name.startswith("vn-cn-")
    for path in svgs:
        assert path.read_bytes().lstrip().startswith((b"<svg", b"<?xml"))


def test_batch_command(renderer, ds, choices, tmp_path, capsys):
    out = tmp_path / "exports"
    assert export.main(["--out", str(out), "--view", "from=2010&reporter=both"]) == 0
    built = build(ds, View(year_from=2010, reporter="both"), choices)
    _check_batch(out, built)
    assert (out / "vn-cn-trade-2010-2026.png").is_file()
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    drawn = [p for p in built.values() if not p.empty]
    assert len(captured.out.split()) == 2 * len(drawn)
    assert "skipped visit_trade" in captured.err  # no visit= in the view: no placeholder image


def test_batch_command_with_a_bad_view_warns_and_works(renderer, ds, choices, tmp_path, capsys):
    out = tmp_path / "exports"
    view = "from=abc&colour=red&reporter=both&q=<script>"
    assert export.main(["--out", str(out), "--view", view, "--formats", "png"]) == 0  # PNG only: time
    _check_batch(out, build(ds, View(reporter="both"), choices), svg=False)
    assert (out / "vn-cn-trade-2000-2026.png").is_file(), "the bad 'from' fell back to the data's first year"
    err = capsys.readouterr().err
    assert "warning" in err
    for name in ("from", "colour", "q"):
        assert f"'{name}'" in err, err
    assert "<script>" not in err


def test_print_figure_draws_the_gap_note_and_keeps_year_labels_off_the_corner(ds, choices):
    """The mirror PNG says which years have one side only; its first year label sits half a year in from the
    value axis (clear of its lowest label, '0%'), under the first year's points."""
    panel = build(ds, View(reporter="both"), choices)["mirror"]
    assert panel.note and "Vietnam-reported" in panel.note
    fig = export.print_figure(panel)
    notes = " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)
    assert panel.note in notes
    first, _ = View().years(choices)
    assert fig.layout.xaxis.tickvals[0] == f"{first}-07-01" and fig.layout.xaxis.ticktext[0] == str(first)
    assert fig.layout.xaxis.ticklabelstandoff > 0
