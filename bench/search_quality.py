"""Search quality on the shipped notes: this generator's search (Pagefind) against mkdocs-material's (lunr).

Builds the shipped site twice (as shipped, and with mkdocs-material's `search` plugin added back,
with the separator the project used for jieba's cuts), types every query below into each site's
search box in real Chromium, and counts where the expected paper lands among the results:
hits@1 and hits@3 per class of query. Typos: this generator's search box reruns a query that finds
nothing with the nearest word of the site, or offers it ("Did you mean …?"); a typo query counts the
results of that rerun, or of the offer taken (clicked), as a reader would.

    python bench/search_quality.py            # prints a Markdown table
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]
from search_bytes import make_site  # noqa: E402  (the same site: the shipped notes, with or without Material's search)

# (class, query, the expected paper's page), written from the shipped notes
QUERIES = [
    ("title", "Distributed Serving System for Transformer-Based Generative Models", "papers/osdi/2022/orca/"),
    ("title", "Microsecond-scale Preemption", "papers/osdi/2022/reef/"),
    ("title", "Automating Inter- and Intra-Operator Parallelism", "papers/osdi/2022/alpa/"),
    ("title", "Memory Optimizations Toward Training Trillion Parameter Models", "papers/sc/2020/zero/"),
    ("title", "Fast Pipelined Context Switching", "papers/osdi/2020/pipeswitch/"),
    ("title", "Disaggregating Prefill and Decoding", "papers/osdi/2024/distserve/"),
    ("short name", "vLLM", "papers/sosp/2023/vllm/"),
    ("short name", "BytePS", "papers/osdi/2020/byteps/"),
    ("short name", "REEF", "papers/osdi/2022/reef/"),
    ("short name", "FlexFlow", "papers/mlsys/2019/flexflow/"),
    ("short name", "Gavel", "papers/osdi/2020/gavel/"),
    ("short name", "RadixAttention", "papers/neurips/2024/sglang/"),
    ("short name", "DistributedDataParallel", "papers/vldb/2020/pytorch-ddp/"),
    ("short name", "Orca", "papers/osdi/2022/orca/"),
    ("author", "Jeff Rasley", "papers/sc/2020/zero/"),
    ("author", "Vincent Liu", "papers/osdi/2023/alpaserve/"),
    ("author", "Percy Liang", "papers/icml/2023/flexgen/"),
    ("author", "Radhika Mittal", "papers/sigcomm/2018/irn/"),
    ("author", "Romil Bhardwaj", "papers/socc/2022/escher/"),
    ("author", "Juncheng Yang", "papers/fast/2023/gl-cache/"),
    ("tag", "statistical_multiplexing", "papers/osdi/2023/alpaserve/"),
    ("tag", "throughput-oriented inference", "papers/icml/2023/flexgen/"),
    ("tag", "ephemeral_resources", "papers/socc/2022/escher/"),
    ("tag", "memory fragmentation", "papers/pacmmod/2025/memo/"),
    ("tag", "learned_eviction", "papers/fast/2023/gl-cache/"),
    ("tag", "overlay_network", "papers/nsdi/2023/skyplane/"),
    ("Chinese", "算子融合", "papers/hpca/2023/chimera/"),
    ("Chinese", "融合", "papers/hpca/2023/chimera/"),
    ("Chinese", "分时共享", "papers/osdi/2020/pipeswitch/"),
    ("Chinese", "共享", "papers/osdi/2020/pipeswitch/"),
    ("Chinese", "算子优化", "papers/osdi/2020/ansor/"),
    ("Chinese", "优化", "papers/osdi/2020/ansor/"),
    ("typo", "Horovd", "papers/arxiv/2018/horovod/"),
    ("typo", "Clockwrok", "papers/osdi/2020/clockwork/"),
    ("typo", "pipedrem", "papers/sosp/2019/pipedream/"),
]


def material_search(driver, text: str) -> list[str]:
    """mkdocs-material's search box: the result pages' addresses, best first (settled)."""
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("css selector", "input.md-search__input")
    if not box.is_displayed():
        driver.execute_script("document.querySelector('label[for=__search]').click()")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    meta = "return document.querySelector('.md-search-result__meta').textContent"
    deadline = time.time() + 20  # the previous query's results are gone before the next is typed
    while time.time() < deadline and not driver.execute_script(meta).startswith("Type to start"):
        time.sleep(0.1)
    box.send_keys(text)
    time.sleep(0.5)
    previous, deadline = None, time.time() + 20
    while time.time() < deadline:
        meta, links = driver.execute_script(
            "const meta = document.querySelector('.md-search-result__meta').textContent;"
            "return [meta, [...document.querySelectorAll('.md-search-result__item > a:first-child')].map(a => a.href)];"
        )
        settled = not ("Initializing" in meta or meta.startswith("Type to start")) and (links or "No matching" in meta)
        if settled and links == previous:
            return links
        previous = links if settled else None
        time.sleep(0.3)
    return previous or []


def taken_suggestion(driver, text: str, links: list[str]) -> list[str]:
    """The results after clicking "Did you mean …?" if the search box offers it (it comes after the word
    list is fetched); else ``links``."""
    deadline = time.time() + 3
    while time.time() < deadline:
        offers = driver.find_elements("css selector", ".rn-search__suggestion")
        if offers:
            word = offers[0].text
            offers[0].click()
            return settled_links(driver, word)
        time.sleep(0.2)
    return links


def settled_links(driver, query: str) -> list[str]:
    """The result links once the box holds ``query`` and its results stop changing."""
    read = ("const s = document.querySelector('.rn-search__status').textContent;"
            "const v = document.querySelector('.rn-search__input').value;"
            "return [s, v, [...document.querySelectorAll('.rn-search__result a')].map(a => a.href)];")  # fmt: skip
    previous, deadline = None, time.time() + 20
    while time.time() < deadline:
        status, value, links = driver.execute_script(read)
        settled = value == query and not status.startswith(("Searching", "Type to search"))
        if settled and links == previous:
            return links
        previous = links if settled else None
        time.sleep(0.25)
    return previous or []


def evaluate(site: Path, material: bool) -> list[int | None]:
    """For each query, the rank (0-based) of the expected page among the result pages, or None."""
    from browser import chrome, serve, site_search

    ranks: list[int | None] = []
    with serve(site) as base, chrome() as driver:
        driver.get(base + "about/")
        time.sleep(1)
        for kind, text, expected in QUERIES:
            links = material_search(driver, text) if material else [href for _, href in site_search(driver, text)]
            if kind == "typo" and not material:
                links = taken_suggestion(driver, text, links)
            pages = list(dict.fromkeys(link.split("#")[0].replace(base, "") for link in links))  # one per page
            ranks.append(pages.index(expected) if expected in pages else None)
    return ranks


def main() -> int:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for material in (False, True):
            results[material] = evaluate(make_site(Path(tmp), 0, material), material)
    classes: dict[str, list[int]] = defaultdict(list)
    for i, (kind, _, _) in enumerate(QUERIES):
        classes[kind].append(i)
    print("| class | queries | Pagefind hits@1 | Pagefind hits@3 | Material (lunr) hits@1 | Material hits@3 |")
    print("|---|---|---|---|---|---|")
    for kind, idx in [*classes.items(), ("all", list(range(len(QUERIES))))]:
        row = [kind, str(len(idx))]
        for material in (False, True):
            r = [results[material][i] for i in idx]
            row += [str(sum(1 for x in r if x is not None and x < 1)), str(sum(1 for x in r if x is not None and x < 3))]
        print("| " + " | ".join(row) + " |")
    print()
    for i, (kind, text, expected) in enumerate(QUERIES):
        print(f"- {kind}: `{text}` → {expected}: Pagefind rank {_rank(results[False][i])}, Material rank {_rank(results[True][i])}")
    return 0


def _rank(rank: int | None) -> str:
    return "—" if rank is None else str(rank + 1)


if __name__ == "__main__":
    sys.exit(main())
