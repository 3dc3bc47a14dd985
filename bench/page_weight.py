"""First-view weight of the shipped site's pages: every file Chromium requests, gzipped.

Not a test: it prints numbers. Target (issue #17): the first view of a paper page at most 100 KB
gzipped in total (HTML + CSS + JS + fonts/icons), with and without the theme's search index
(Material's search loads search/search_index.json on every first view; Pagefind loads nothing
until the first query).

    .venv/bin/python bench/page_weight.py                 # builds the shipped site into a temp folder
    .venv/bin/python bench/page_weight.py --site /tmp/s   # an already built site

How: `mkdocs build` of the repository's mkdocs.yml, served from 127.0.0.1 by Python's server (which
does not compress), each page opened in a fresh headless Chromium with its cache off; the URLs it
requested (Chrome's network log, after 3 s so that the search worker has fetched its index) are
mapped to the built files and each file is gzipped at level 6, as a static host (GitHub Pages)
sends it. The total is an estimate of the bytes on the wire, without HTTP headers.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chrome, requested_urls, serve  # noqa: E402

PAGES = {
    "paper (Ekko)": "papers/osdi/2022/ekko/",
    "paper, no notes": "papers/sosp/2023/vllm/",
    "home": "",
    "venue (OSDI)": "venues/osdi/",
    "edition (OSDI 2022)": "venues/osdi/2022/",
    "tag": "tags/gpu-sharing/",
    "path (must-read)": "must-read/",
    "explore": "explore/",
    "404": "404.html",
}
SEARCH_INDEX = "search/search_index.json"
SEARCH_WORKER = "assets/javascripts/workers/"  # Material's search worker: gone with Pagefind too


def build(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
                   cwd=ROOT, env=env, check=True)  # fmt: skip


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def weigh(site: Path, base: str, page: str) -> dict[str, int]:
    """Each local file the first view of ``page`` requested → its gzipped size."""
    with chrome() as driver:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        driver.get(base + page)
        time.sleep(3)
        sizes: dict[str, int] = {}
        for url in requested_urls(driver):
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https"):
                continue
            rel = urllib.parse.unquote(parts.path).lstrip("/")
            file = site / rel
            if file.is_dir() or rel == "" or rel.endswith("/"):
                file = file / "index.html"
            if file.is_file():
                sizes[rel or "index.html"] = gzipped(file)
        return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the repository's into a temp folder)")
    parser.add_argument("--files", action="store_true", help="list every file of each page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        with serve(site) as base:
            print(
                f"{'page':22} {'total KB':>9} {'w/o search index':>17} {'w/o index+worker':>17} {'search index':>13}   (gzipped KB, first view)"
            )
            for name, page in PAGES.items():
                sizes = weigh(site, base, page)
                index = sizes.get(SEARCH_INDEX, 0)
                total = sum(sizes.values())
                worker = sum(size for rel, size in sizes.items() if rel.startswith(SEARCH_WORKER))
                print(
                    f"{name:22} {total / 1024:9.1f} {(total - index) / 1024:17.1f} {(total - index - worker) / 1024:17.1f} {index / 1024:13.1f}"
                )
                if args.files:
                    for rel, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
                        print(f"    {size / 1024:7.1f} KB  {rel}")


if __name__ == "__main__":
    main()
