"""What a reader downloads for search: the first page view, and the first query, in real Chromium.

Builds the shipped notes plus N synthetic ones (bench/corpus.py) twice: with this generator's search
(Pagefind, no `search` plugin) and with mkdocs-material's search plugin added back (lunr: the whole
index, on the first page view). Serves each site on 127.0.0.1, opens a paper page, then types one
query, and sums the bytes of what the browser fetched for search, compressed as a server would send
them (gzip -6 for text; Pagefind's index files and WebAssembly are gzip files already).

    python bench/search_bytes.py --sizes 0 5000 [--material]   # 0: the shipped notes alone
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]
from corpus import write_corpus  # noqa: E402

QUERY = "memory"  # common in both the shipped and the synthetic notes
PAGEFIND_PARTS = ("/pagefind/", "/reading-notes/search.")  # the index and its code; search.js and .css
MATERIAL_PARTS = ("/search/search_index.json", "/workers/search")  # lunr's index and worker


def make_site(base: Path, synthetic: int, material: bool) -> Path:
    site = base / ("material" if material else "pagefind")
    shutil.copytree(ROOT / "papers", site / "papers")
    shutil.copytree(ROOT / "docs", site / "docs")
    if synthetic:
        write_corpus(site / "papers" / "synthetic", synthetic)
    yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if material:
        yml = yml.replace("plugins:\n", "plugins:\n  - search:\n      separator: '[\\s\\u200b\\-]+'\n", 1)
    (site / "mkdocs.yml").write_text(yml, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml")],
                   cwd=site, env=env, check=True, capture_output=True)  # fmt: skip
    return site / "site"


def sent_bytes(site: Path, url: str) -> int:
    path = site / urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # already gzip (Pagefind's index pieces and WebAssembly)
        return len(data)
    return len(gzip.compress(data, 6))


@contextlib.contextmanager
def logging_server(site: Path) -> Iterator[tuple[str, list[str]]]:
    """Serve ``site`` on 127.0.0.1 and log every path asked for (the search's web worker fetches too,
    which the page's own network log does not show)."""
    asked: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            asked.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", asked
    finally:
        server.shutdown()
        server.server_close()


def measure(site: Path, material: bool) -> dict[str, int]:
    from browser import chrome, site_search

    parts = MATERIAL_PARTS if material else PAGEFIND_PARTS
    with logging_server(site) as (base, asked), chrome() as driver:
        driver.get(base + "papers/osdi/2022/orca/")
        time.sleep(2)  # Material starts its search worker on load
        first = [u for u in asked if any(p in u for p in parts)]
        if material:
            driver.execute_script("document.querySelector('label[for=__search]').click()")
            box = driver.find_element("css selector", "input.md-search__input")
            box.send_keys(QUERY)
            time.sleep(3)
        else:
            site_search(driver, QUERY)
            time.sleep(1)
        query = [u for u in asked if any(p in u for p in parts)]
    if os.environ.get("SEARCH_BYTES_DETAIL"):  # each file the query fetched, largest first
        for size, u in sorted(((sent_bytes(site, u), u) for u in dict.fromkeys(query) if u not in first), reverse=True):
            print(f"    {size / 1024:8.1f} KB  {u}", file=sys.stderr)
    first_bytes = sum(sent_bytes(site, u) for u in dict.fromkeys(first))
    query_bytes = sum(sent_bytes(site, u) for u in dict.fromkeys(query) if u not in first)
    return {"first_view": first_bytes, "first_query": query_bytes, "requests": len(set(first) | set(query))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 5000], help="synthetic notes added to the shipped ones")
    parser.add_argument("--material", action="store_true", help="also measure mkdocs-material's search (lunr)")
    args = parser.parse_args()
    shipped = len(list((ROOT / "papers").rglob("*.md")))
    print("| notes | search | first page view | first query | requests |")
    print("|---|---|---|---|---|")
    for size in args.sizes:
        for material in [False, True] if args.material else [False]:
            with tempfile.TemporaryDirectory() as tmp:
                site = make_site(Path(tmp), size, material)
                m = measure(site, material)
            name = "mkdocs-material (lunr)" if material else "Pagefind (this generator)"
            print(f"| {shipped + size:,} | {name} | {m['first_view'] / 1024:,.1f} KB | {m['first_query'] / 1024:,.1f} KB | {m['requests']} |",
                  flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
