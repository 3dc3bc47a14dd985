"""Where one `mkdocs build` spends its time, event by event: when each MkDocs event first runs
(seconds since the start) and how long all its runs took, in order.

Usage: ``python bench/timeline.py path/to/mkdocs.yml`` (a corpus made by ``bench/run.py``'s
``make_sites``, or any site). The gaps between events are MkDocs' own work: between the first
``page_content`` and ``env`` it reads and converts every page; between the first ``page_context``
and ``post_build`` it renders every page with the theme and writes it. Set the plugin's
``workers: 1`` to see every step in this process (else the workers convert and render ahead,
inside ``nav`` and ``env``).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import plugins
from mkdocs.commands import build
from mkdocs.config import load_config


def main(config_file: str) -> None:
    start = time.perf_counter()
    seen: dict[str, list[float]] = {}  # event → [first start, total seconds, runs]
    run_event = plugins.PluginCollection.run_event

    def timed(self: plugins.PluginCollection, name: str, item: object = None, **kwargs: object) -> object:
        began = time.perf_counter()
        result = run_event(self, name, item, **kwargs)
        entry = seen.setdefault(name, [began - start, 0.0, 0])
        entry[1] += time.perf_counter() - began
        entry[2] += 1
        return result

    plugins.PluginCollection.run_event = timed  # type: ignore[method-assign]
    config = load_config(config_file)
    config.plugins.on_startup(command="build", dirty=False)
    build.build(config)
    total = time.perf_counter() - start
    for name, (first, seconds, runs) in sorted(seen.items(), key=lambda item: item[1][0]):
        print(f"first at {first:6.2f} s  all runs {seconds:6.2f} s  ×{runs:<5.0f} {name}")
    children = os.times()
    print(
        f"{total:6.2f} s in all; CPU {time.process_time():.2f} s here, {children.children_user + children.children_system:.2f} s in child processes"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "mkdocs.yml")
