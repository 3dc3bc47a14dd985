"""Benchmark: stock mkdocs-material (A) against this generator (B) on the same notes: the shipped
notes (papers/) plus N synthetic ones (bench/corpus.py, under papers/synthetic/).

    python bench/run.py                   # N = 1,000 and 5,000, 3 alternating runs each
    python bench/run.py --sizes 1000 --runs 1
    python bench/run.py --big             # adds N = 10,000 with 1,000 tags

A: the notes as plain pages under docs/, mkdocs-material's own `tags` plugin with a tag index,
   notes out of the nav (as B keeps them). B: this project's plugin, notes under papers/.
B is built twice per run: cold (no converted pages kept, as on a first deploy) and as the next deploy
(the cold build's .cache/reading-notes kept, one note edited since). Reports median wall time, CPU time (steadier than wall time on a shared machine), peak memory, site size and search_index.json size, the ratio B/A, and the
generator's own phase (load → validate → index → render) against the floor of reading the notes
and parsing their front-matter with libyaml. Writes the table to bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import write_corpus  # noqa: E402

SECTION = "\n## "  # a section of results.md that this script does not write
STOCK_YML = """\
site_name: Stock
site_url: https://example.org/
theme: {name: material, font: false}
plugins:
  - search
  - tags
nav: [index.md, tags.md]
markdown_extensions: [toc, tables, admonition, pymdownx.details, pymdownx.superfences, pymdownx.highlight]
"""

OURS_YML = """\
site_name: Ours
site_url: https://example.org/
theme: {name: material, font: false}
plugins:
  - reading-notes
markdown_extensions: [toc, tables, admonition, pymdownx.details, pymdownx.superfences, pymdownx.highlight]
"""

# Runs one build in a child and reports its wall time and the peak RSS of the build process.
MEASURE = textwrap.dedent("""\
    import resource, subprocess, sys, time
    t = time.perf_counter()
    proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if proc.returncode:
        sys.stderr.write(proc.stderr[-3000:])
        sys.exit(proc.returncode)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(wall, used.ru_maxrss, used.ru_utime + used.ru_stime)
""")

PHASE = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    import yaml
    papers = Path(sys.argv[1])
    t = time.perf_counter()
    for p in sorted(papers.rglob("*.md")):
        text = p.read_text(encoding="utf-8")
        yaml.load(text.split("---", 2)[1], Loader=yaml.CSafeLoader)
    floor = time.perf_counter() - t
    from generator import pipeline
    from generator.load.cache import BuildCache
    from generator.render.site import render_site
    t = time.perf_counter()  # what `mkdocs build` pays
    result = pipeline.build(papers, papers.parent)
    t_index = time.perf_counter() - t
    render_site(result.catalog)
    cold = time.perf_counter() - t
    cache = BuildCache()  # `mkdocs serve`: the first build fills the cache …
    result = pipeline.build(papers, papers.parent, cache)
    t = time.perf_counter()  # … and the next rebuild with no note changed pays this (outputs reused)
    again = pipeline.build(papers, papers.parent, cache)
    assert again is result
    warm = time.perf_counter() - t
    print(floor, cold, warm, len(result.catalog.papers), len(result.problems), t_index)
""")


def make_sites(base: Path, count: int, tag_count: int) -> tuple[Path, Path]:
    stock, ours = base / "stock", base / "ours"
    shutil.copytree(ROOT / "papers", ours / "papers")  # the shipped notes (their venues, tags, paths) …
    notes = [(f"synthetic/{rel}", text) for rel, text in write_corpus(ours / "papers" / "synthetic", count, tag_count)]
    shipped = sorted((ROOT / "papers").rglob("*.md"))  # … and the same notes, as plain pages, for A
    notes += [(p.relative_to(ROOT / "papers").as_posix(), p.read_text(encoding="utf-8")) for p in shipped]
    (ours / "docs").mkdir(parents=True)
    (ours / "docs" / "index.md").write_text("# Notes\n", encoding="utf-8")
    (ours / "mkdocs.yml").write_text(OURS_YML, encoding="utf-8")
    (stock / "docs").mkdir(parents=True)
    (stock / "docs" / "index.md").write_text("# Notes\n", encoding="utf-8")
    (stock / "docs" / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    for rel, text in notes:
        path = stock / "docs" / "papers" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (stock / "mkdocs.yml").write_text(STOCK_YML, encoding="utf-8")
    return stock, ours


def build(site: Path) -> dict[str, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    cmd = [sys.executable, "-c", MEASURE, sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml")]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout.split()
    out_dir = site / "site"
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    index = out_dir / "search" / "search_index.json"  # Material's search; B's Pagefind index is the pagefind/ folder
    pagefind = sum(p.stat().st_size for p in (out_dir / "pagefind").rglob("*") if p.is_file())
    largest = max(p.stat().st_size for p in out_dir.rglob("*.html"))
    return {
        "wall": float(out[0]),
        "rss_mb": int(out[1]) / 1024,
        "cpu": float(out[2]),
        "site_mb": size / 1e6,
        "index_mb": (index.stat().st_size if index.exists() else pagefind) / 1e6,
        "largest_kb": largest / 1024,
    }


def phase(site: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", PHASE, str(site / "papers")], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return {
        "floor": float(out[0]),
        "cold": float(out[1]),
        "warm": float(out[2]),
        "papers": int(out[3]),
        "problems": int(out[4]),
        "index": float(out[5]),
    }


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def edit_one_note(site: Path) -> tuple[Path, str]:
    """One synthetic note's body edited, as a merged pull request would: (its path, its old text)."""
    path = min((site / "papers" / "synthetic").rglob("*.md"))
    old = path.read_text(encoding="utf-8")
    path.write_text(old + "\nOne more sentence, added since the last deploy.\n", encoding="utf-8")
    return path, old


def build_ours(site: Path) -> tuple[dict[str, float], dict[str, float]]:
    """B cold (no converted pages kept: a first deploy) and B warm (the next deploy: the cache of the
    cold build, one note edited since)."""
    shutil.rmtree(site / ".cache", ignore_errors=True)
    cold = build(site)
    path, old = edit_one_note(site)
    try:
        warm = build(site)
    finally:
        path.write_text(old, encoding="utf-8")
    return cold, warm


def bench(count: int, tag_count: int, runs: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix=f"bench{count}-") as tmp:
        stock, ours = make_sites(Path(tmp), count, tag_count)
        a: list[dict[str, float]] = []
        b: list[dict[str, float]] = []
        w: list[dict[str, float]] = []
        for _ in range(runs):  # alternate, so drift in the machine hits both sides alike
            a.append(build(stock))
            cold, warm = build_ours(ours)
            b.append(cold)
            w.append(warm)
        ph = phase(ours)
        wa, ca = median(a, "wall"), median(a, "cpu")

        def row(name: str, runs: list[dict[str, float]]) -> str:
            wall, cpu = median(runs, "wall"), median(runs, "cpu")
            ratios = ("", "") if runs is a else (f"**{wall / wa:.2f}**", f"**{cpu / ca:.2f}**")
            return (
                f"| {count:,} | {name} | {wall:.1f} s | {ratios[0]} | {cpu:.1f} s | {ratios[1]} | {median(runs, 'rss_mb'):.0f} MB "
                f"| {median(runs, 'site_mb'):.0f} MB | {median(runs, 'index_mb'):.1f} MB | {median(runs, 'largest_kb'):.0f} KB |"
            )

        phase_row = (
            f"| {count:,} | {ph['floor'] * 1000:.0f} ms | {ph['index'] * 1000:.0f} ms ({ph['index'] / ph['floor']:.1f}× floor) "
            f"| {ph['cold'] * 1000:.0f} ms ({ph['cold'] / median(b, 'wall') * 100:.1f}% of build) | {ph['warm'] * 1000:.0f} ms | {ph['problems']} |"
        )
        return [row("A stock", a), row("B ours, cold", b), row("B ours, next deploy", w), phase_row]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="also N = 10,000 notes with 1,000 tags (one run)")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    jobs = [(n, 150, args.runs) for n in args.sizes] + ([(10000, 1000, 1)] if args.big else [])
    builds, phases = [], []
    for count, tags, runs in jobs:
        print(f"building {count} notes, {tags} tags, {runs} run(s) each …", file=sys.stderr, flush=True)
        rows = bench(count, tags, runs)
        builds += rows[:3]
        phases.append(rows[3])
    table = "\n".join(
        [
            "| notes | build | median wall | B/A | median CPU (user + sys, the build and its children) | B/A CPU | peak memory | site | search index | largest page |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *builds,
            "",
            "| notes | floor: read + CSafeLoader | load → validate → index, cold | … + render, cold | warm (serve rebuild, notes unchanged) | problems |",
            "|---|---|---|---|---|---|",
            *phases,
        ]
    )
    print(table)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    # the dated sections and the Search section below the latest table stay (bench/search_*.py write that part)
    kept = old[old.index(SECTION) :] if SECTION in old else ""
    args.out.write_text(f"Command: `python bench/run.py {' '.join(sys.argv[1:])}`\n\n{table}\n{kept}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
