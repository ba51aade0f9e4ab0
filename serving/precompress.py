"""Streamlit's static files, precompressed once at the highest levels, for Caddy to serve without a replica.

Streamlit sends its bundles uncompressed (on purpose: it leaves compression to the proxy). Caddy's on-the-fly
`encode` uses fast levels (plotly.js: 4.7 MB → 1.48 MB with zstd); compressed once ahead at zstd -19 and
gzip -9 the same file is 1.13 MB / 1.42 MB. The files are content-hashed and never change for one Streamlit
version, so this runs once per version (a stamp file) and Caddy's `file_server { precompressed zstd gzip }`
serves them from here. A file missing here is simply proxied to a replica and compressed on the fly.

    python -m serving.precompress [DEST]        # default .venv/caddy-static; prints the folder
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / ".venv" / "caddy-static"
COMPRESSIBLE = {".js", ".css", ".html", ".json", ".svg", ".txt", ".map", ".ttf"}
MIN_BYTES = 1024  # smaller files gain nothing worth a request header's difference


def _compress(path: Path, zstd: str | None) -> None:
    with path.open("rb") as src, gzip.open(path.with_name(path.name + ".gz"), "wb", compresslevel=9) as dst:
        shutil.copyfileobj(src, dst)
    if zstd:
        subprocess.run([zstd, "-19", "-q", "-f", str(path), "-o", str(path) + ".zst"], check=True)


def prepare(dest: Path = DEFAULT_DEST) -> Path:
    """A copy of Streamlit's `static` folder with .zst and .gz siblings; rebuilt when Streamlit's version changes.

    Returns the folder to use as Caddy's root (URL /static/js/x.js → <root>/static/js/x.js)."""
    stamp = dest / ".streamlit-version"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == streamlit.__version__:
        return dest
    source = Path(streamlit.__file__).resolve().parent / "static"
    staging = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    files = [
        p for p in staging.rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= MIN_BYTES
    ]
    zstd = shutil.which("zstd")  # Debian's zstd (make caddy installs it); without it, gzip -9 only
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda p: _compress(p, zstd), files))
    (staging / stamp.name).write_text(streamlit.__version__, encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)  # whole or nothing: Caddy never sees a half-built folder
    return dest


if __name__ == "__main__":
    print(prepare(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DEST))
