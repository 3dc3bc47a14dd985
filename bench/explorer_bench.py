"""Benchmark of the explorer (explore/) on a synthetic site: 10,000 papers, 1,000 tags.

Not a test: it prints numbers. Targets (issue #5): first render and each filter change < 50 ms in
Chromium, papers.json < 250 bytes per paper gzipped.

    .venv/bin/python bench/explorer_bench.py            # notes → core pipeline → papers.json, plus a
                                                        # real `mkdocs build` of the theme and explore/ page
    .venv/bin/python bench/explorer_bench.py --full     # `mkdocs build` of all 10,000 paper pages (slow)

What is measured, in headless Chromium (Debian's chromium + chromedriver, served from 127.0.0.1):
- load: fetch + JSON.parse + indexing of papers.json (the "rn-explore:index" measure of explore.js);
- first render: building the controls and the first page of rows (the "rn-explore:render" measure),
  plus the style and layout it causes (forced right after, synchronously);
- each filter change: a click (or an input event) on a real control, then a forced layout, timed in
  one synchronous script: event handling + filtering + counting + DOM + style + layout (not paint).
Each is repeated; the median and the worst are printed. Wall time grows when other programs share
the CPU, so the "cpu:" lines also give the renderer's CPU time per change (40 changes, each followed by
two animation frames so that paint is included; the "idle" line is the same without a change).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chrome, dialogs, external_requests, serve  # noqa: E402

WORDS = """
adaptive aggregation allocation accelerator attention autoscaling bandwidth batching benchmark cache
caching checkpoint cluster collective communication compiler compression compute concurrency consensus
container contention coordination data dataflow decentralized deep dense design disaggregated
distributed dynamic efficient elastic embedding energy execution expert fabric fairness fast
fault federated fine-grained flexible framework gradient graph hardware heterogeneous hierarchical
high-performance hybrid inference in-network interconnect isolation kernel language large latency
layer learning lightweight load locality low-latency machine memory mixture model multi-tenant
network neural offloading operator optimization orchestration overlap parallelism parameter
partitioning performance pipeline placement precision predictable preemption prefetching profiling
quantization queueing recommendation reconfigurable reduction reinforcement replication resource
robust runtime scalable scheduling serverless serving sharding sharing sparse speculative storage
straggler streaming synchronization system tensor throughput tiering training transformer tuning
unified utilization virtualization workload zero-copy
""".split()
SUMMARY_WORDS = (
    WORDS
    + """
the a an of for with to on in by and that which while across without under using into over than
reduces improves cuts keeps lets makes shows finds trades hides splits packs moves places runs
GPU GPUs CPU jobs requests tokens models users clusters nodes servers workers tail p99 cost time
""".split()
)
FIRST = "Wei Jing Yu Hao Min Xin Lei Yan Tao Jun Ana Maria Lucas Sofia Noah Emma Liam Olivia Ravi Priya Arjun Aisha Omar Lina Ken Yuki Hiro Sara Jonas Elena".split()
LAST = "Zhang Wang Li Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Ma Zhu Hu Guo Smith Johnson Garcia Miller Davis Rodriguez Martinez Kumar Singh Patel Kim Park Lee Tanaka Sato Müller Schmidt Rossi Silva".split()
VENUES = ["OSDI", "SOSP", "NSDI", "ATC", "EuroSys", "ASPLOS", "ISCA", "MICRO", "SC", "PPoPP", "MLSys",
          "SIGCOMM", "VLDB", "SIGMOD", "NeurIPS", "ICML", "ICLR", "SoCC", "HPDC", "arXiv"]  # fmt: skip
LEVELS = [None] * 6 + ["essential", "recommended", "advanced"]
STATUSES = ["unread"] * 5 + ["read"] * 3 + ["reading"]
MKDOCS_YML = """\
site_name: Explorer benchmark
site_url: {base}
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  - search
  - reading-notes
"""


def make_tags(rng: random.Random, count: int) -> list[str]:
    tags: set[str] = set()
    while len(tags) < count:
        a, b = rng.sample(WORDS, 2)
        name = f"{a}_{b}" if rng.random() < 0.7 else a
        if rng.random() < 0.15:
            name = name.upper() if len(name) < 6 else name
        tags.add(name)
    return sorted(tags)


def write_notes(papers_dir: Path, n_papers: int, n_tags: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    tags = make_tags(rng, n_tags)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(tags))]  # a few tags are common, most rare
    for i in range(n_papers):
        venue = rng.choice(VENUES)
        year = rng.randint(2012, 2025)
        title_words = rng.sample(WORDS, rng.randint(5, 10))
        name = title_words[0].capitalize().replace("-", "")
        title = f"{name}: " + " ".join(title_words[1:]).capitalize()
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 6))]
        summary = " ".join(rng.choice(SUMMARY_WORDS) for _ in range(rng.randint(12, 22))).capitalize() + "."
        chosen = set()
        while len(chosen) < rng.randint(2, 5):
            chosen.add(rng.choices(tags, weights)[0])
        lines = ["---", f"title: {json.dumps(title)}", f"venue: {venue}", f"year: {year}",
                 f"authors: {json.dumps(authors)}", f"tags: {json.dumps(sorted(chosen))}",
                 f"summary: {json.dumps(summary)}", f"status: {rng.choice(STATUSES)}"]  # fmt: skip
        level = rng.choice(LEVELS)
        if level:
            lines.append(f"level: {level}")
        if rng.random() < 0.6:
            lines.append(f"added: {rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        path = papers_dir / venue.lower() / str(year) / f"p{i:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n---\n", encoding="utf-8")


def build_site(root: Path, base: str, n_papers: int, n_tags: int, full: bool) -> float:
    """Write the notes and build; returns the build's seconds. Without ``full``, mkdocs builds the
    theme, the explorer page and its assets from a handful of notes and papers.json is replaced by
    the one the core writes for all the notes (the same function the plugin calls)."""
    from generator import pipeline
    from generator.render import explore

    papers = root / "papers"
    write_notes(papers, n_papers, n_tags)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Benchmark\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(base=base), encoding="utf-8")
    started = time.perf_counter()
    if full:
        mkdocs(root, papers_dir="papers")
    else:
        small = root / "papers-small"
        notes = sorted(papers.rglob("*.md"))[:20]
        for note in notes:
            target = small / note.relative_to(papers)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(note, target)
        (root / "mkdocs.yml").write_text(
            MKDOCS_YML.format(base=base).replace("  - reading-notes\n", "  - reading-notes:\n      papers_dir: papers-small\n"),
            encoding="utf-8",
        )
        mkdocs(root)
        result = pipeline.build(papers, root)
        assert not result.problems, result.problems[:5]
        (root / "site" / explore.PAPERS_JSON).write_text(explore.papers_json(result.catalog), encoding="utf-8")
    return time.perf_counter() - started


def mkdocs(root: Path, **_: str) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                          cwd=root, capture_output=True, text=True, env=env)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)


# Runs before any page script: times the style + layout that the first render causes.
FIRST_LAYOUT = """
window.__bench = {};
const measure = performance.measure.bind(performance);
performance.measure = function (name, ...rest) {
  const entry = measure(name, ...rest);
  if (name === "rn-explore:first-render") {
    const t0 = performance.now();
    void document.body.offsetHeight;
    window.__bench.firstLayout = performance.now() - t0;
  }
  return entry;
};
"""

# One filter change: dispatch it, force style + layout, return the milliseconds.
CHANGE = """
const [kind, selector, value] = arguments;
const el = document.querySelector(selector);
if (!el) return -1;
const t0 = performance.now();
if (kind === "click") el.click();
else {
  if (value !== null) el.value = value;
  el.dispatchEvent(new Event(kind, {bubbles: true}));
}
void document.body.offsetHeight;
return performance.now() - t0;
"""


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def renderer_cpu_ms(driver) -> float:
    """CPU time (user + system, all threads) used so far by the browser's renderer processes."""
    total = 0
    for pid in descendants(driver.service.process.pid):
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total * 1000 / os.sysconf("SC_CLK_TCK")


# A change, then two animation frames: so that style, layout and paint have all run.
CHANGE_PAINTED = """
const [selector, done] = [arguments[0], arguments[arguments.length - 1]];
document.querySelector(selector).click();
requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
"""


def cpu_per_change(driver, selector: str, repeat: int = 40) -> float:
    """Renderer CPU milliseconds per change, over ``repeat`` changes (a toggle, on and off)."""
    before = renderer_cpu_ms(driver)
    for _ in range(repeat):
        driver.execute_async_script(CHANGE_PAINTED, selector)
    return (renderer_cpu_ms(driver) - before) / repeat


def facet_selector(driver, nth: int) -> str:
    tag = driver.execute_script(
        "return document.querySelectorAll('.rn-facet[data-tag][aria-pressed=false]')[arguments[0]].getAttribute('data-tag')", nth
    )
    return f'.rn-facet[data-tag="{tag}"]'


def run_browser(base: str, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        assert value >= 0, name
        times.setdefault(name, []).append(value)

    with chrome() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_LAYOUT})
        for _ in range(runs):
            driver.get(base + "explore/")
            deadline = time.time() + 60
            while not driver.execute_script("return document.querySelector('.rn-explore[data-results]') !== null"):
                if time.time() > deadline:
                    raise SystemExit("the explorer did not render")
                time.sleep(0.05)
            m = driver.execute_script(
                "const get = n => performance.getEntriesByName(n).map(e => e.duration);"
                "return {index: get('rn-explore:index'), render: get('rn-explore:render'), total: get('rn-explore:first-render'),"
                " layout: window.__bench.firstLayout, size: document.querySelectorAll('.rn-explore tbody tr').length};"
            )
            add("load: fetch + parse + index papers.json", m["total"][0] - m["render"][0])
            add("load: JSON.parse + index only", m["index"][0])
            add("first render: DOM (script)", m["render"][0])
            add("first render: DOM + style + layout", m["render"][0] + m["layout"])

            change = lambda kind, selector, value=None: driver.execute_script(CHANGE, kind, selector, value)  # noqa: E731
            first_tag = facet_selector(driver, 0)
            add("filter: add a common tag", change("click", first_tag))
            add("filter: add a second tag (all of)", change("click", facet_selector(driver, 0)))
            add("filter: switch to any of", change("change", 'input[name="rn-explore-match"][value="any"]'))
            driver.execute_script('document.querySelector(\'input[name="rn-explore-match"][value="any"]\').checked = true')
            add("filter: back to all of", change("click", 'input[name="rn-explore-match"][value="all"]'))
            add("filter: clear all", change("click", '.rn-chosen[data-remove="all"]'))
            add("filter: a venue", change("click", ".rn-facet[data-venue]"))
            add("filter: year from 2020", change("change", ".rn-explore__year input", "2020"))
            add("filter: level essential", change("click", '.rn-facet[data-levels="essential"]'))
            add("filter: status read", change("click", '.rn-facet[data-statuses="read"]'))
            add("filter: clear all (again)", change("click", '.rn-chosen[data-remove="all"]'))
            add("filter: text 'gpu' (one input event)", change("input", ".rn-explore__text", "gpu"))
            add("filter: text 'gpu sched'", change("input", ".rn-explore__text", "gpu sched"))
            add("filter: clear text", change("input", ".rn-explore__text", ""))
            add("sort: by title", change("click", '.rn-explore__sort[data-sort="title"]'))
            add("sort: by venue", change("click", '.rn-explore__sort[data-sort="venue"]'))
            add("sort: by year", change("click", '.rn-explore__sort[data-sort="year"]'))
            add("rows: show more", change("click", ".rn-explore__show-more"))
            add("tags: show all 1,000 tag facets", change("click", ".rn-explore__more-tags"))
            add("filter: a tag with all tag facets shown", change("click", facet_selector(driver, 3)))
            driver.execute_script("history.replaceState(null, '', location.pathname)")
            assert dialogs(driver) == []
        # CPU time, which other programs on the machine do not inflate (wall time above includes waiting)
        driver.get(base + "explore/")
        while not driver.execute_script("return document.querySelector('.rn-explore[data-results]') !== null"):
            time.sleep(0.05)
        idle = cpu_per_change(driver, "h1")  # a click that changes nothing: the cost of two frames
        add("cpu: idle baseline (two frames, no change)", idle)
        add("cpu: toggle a common tag (painted)", cpu_per_change(driver, facet_selector(driver, 0)))
        add("cpu: toggle status read (painted)", cpu_per_change(driver, '.rn-facet[data-statuses="read"]'))
        add("cpu: toggle sort by title (painted)", cpu_per_change(driver, '.rn-explore__sort[data-sort="title"]'))
        external = external_requests(driver)
        assert external == [], external
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--tags", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5, help="page loads; every change is timed once per load")
    parser.add_argument("--full", action="store_true", help="mkdocs-build every paper page too (slow)")
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    (root / "site").mkdir(parents=True, exist_ok=True)
    try:
        with serve(root / "site") as base:
            seconds = build_site(root, base, args.papers, args.tags, args.full)
            data = (root / "site" / "papers.json").read_bytes()
            papers = json.loads(data)["papers"]
            assert len(papers) == args.papers, len(papers)
            n_tags = len(json.loads(data)["tags"])
            print(f"site: {len(papers):,} papers, {n_tags:,} tags, built in {seconds:.0f} s ({'full' if args.full else 'explorer only'})")
            print(
                f"papers.json: {len(data):,} B = {len(data) / len(papers):.0f} B/paper; gzipped "
                f"{len(gzip.compress(data, 6)) / len(papers):.0f} B/paper (level 6), "
                f"{len(gzip.compress(data, 9)) / len(papers):.0f} B/paper (level 9)  [target < 250]"
            )
            times = run_browser(base, args.runs)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"Chromium {chrome_version()}, {args.runs} page loads, {os.cpu_count()} CPUs, load average {load}; "
            "milliseconds, median / worst  [target < 50]"
        )
        for name, values in times.items():
            print(f"  {name:<48} {statistics.median(values):7.1f} / {max(values):6.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def chrome_version() -> str:
    from browser import CHROMIUM

    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.split()[1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


if __name__ == "__main__":
    main()
