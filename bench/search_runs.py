"""The search index from runs kept between builds (generator/finish/search_runs.py): index_site's time on a
built site with no kept runs (one Pagefind run over every page), then, for each run size, with the runs
made cold, kept and unchanged, and after one note's body was edited (its page's article gets a new word).
Wall time and CPU time (this process and its Pagefind children, user + sys): the CPU time is the steadier
of the two on a shared machine.

    python bench/search_runs.py SITE_DIR --run-pages 250 500 1000 [--jobs 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.finish import search, search_runs


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its children) of ``action``."""
    before, start = os.times(), time.perf_counter()
    action()
    after, wall = os.times(), time.perf_counter() - start
    return wall, sum(after[:4]) - sum(before[:4])


def _best(action: Callable[[], object], repeat: int) -> str:
    wall, cpu = min(_timed(action) for _ in range(repeat))
    return f"{wall:.2f} s (CPU {cpu:.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--run-pages", type=int, nargs="+", default=[search_runs.RUN_PAGES])
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    search_runs.JOBS = args.jobs
    site = args.site.resolve()
    note = next(p for p in sorted((site / "papers").rglob("index.html"))[500:] if "md-content__inner" in p.read_text(encoding="utf-8"))
    original = note.read_text(encoding="utf-8")
    edits = iter(range(1_000_000))

    def edited() -> None:
        note.write_text(original.replace("</article>", f"<p>benchword{next(edits)}</p></article>", 1), encoding="utf-8")
        search.index_site(site, kept)

    print(f"load average {os.getloadavg()}; edited {note.relative_to(site)}", flush=True)
    print(f"no kept runs (one Pagefind run): {_best(lambda: search.index_site(site), args.repeat)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="rn-bench-runs-") as tmp:
        kept = Path(tmp, "kept")
        try:
            for size in args.run_pages:
                search_runs.RUN_PAGES = size

                def cold() -> None:
                    shutil.rmtree(kept, ignore_errors=True)
                    search.index_site(site, kept)

                cold_time = _best(cold, args.repeat)
                runs = len(list(kept.iterdir()))
                unchanged = _best(lambda: search.index_site(site, kept), args.repeat)
                one_edit = _best(edited, args.repeat)
                print(
                    f"RUN_PAGES={size}, {runs} runs, jobs={args.jobs}: cold {cold_time}; unchanged {unchanged}; one note edited {one_edit}",
                    flush=True,
                )
        finally:
            note.write_text(original, encoding="utf-8")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
