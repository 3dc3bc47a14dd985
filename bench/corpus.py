"""A deterministic synthetic corpus: N notes with realistic bodies, ~150 tags, 12 venues, 2015–2026."""

from __future__ import annotations

import random
from pathlib import Path

VENUES = ["OSDI", "SOSP", "NSDI", "ATC", "EuroSys", "ASPLOS", "ISCA", "MLSys", "NeurIPS", "ICML", "SC", "arXiv"]
WORDS = (
    "gpu cluster scheduler memory cache batch kernel tensor pipeline parallel model serving latency throughput "
    "training inference graph compiler operator fusion network rdma storage checkpoint elastic fault tolerance "
    "placement sharding expert attention token request queue preemption fairness utilization bandwidth offload "
    "quantization compression gradient optimizer embedding recommendation accelerator hardware datacenter job "
    "workload trace simulator evaluation baseline speedup overhead design implementation system framework"
).split()
TOPICS = ["Model serving", "Cluster scheduling", "Distributed training", "Memory", "Compilers", "Networking", "Storage", ""]


def tag_names(count: int) -> list[str]:
    rng = random.Random(7)
    names: set[str] = set()
    while len(names) < count:
        names.add("_".join(rng.sample(WORDS, rng.choice([1, 2, 2, 3]))))
    return sorted(names)


def body(rng: random.Random, words: int) -> str:
    sections = ["Problem", "Key idea", "Design", "Evaluation", "Takeaways"]
    out: list[str] = []
    per = words // len(sections)
    for section in sections:
        out.append(f"## {section}\n")
        left = per
        while left > 0:
            n = min(left, rng.randint(40, 90))
            sentence_words = [rng.choice(WORDS) for _ in range(n)]
            text = " ".join(sentence_words).capitalize()
            if rng.random() < 0.3:
                text += f" See `{rng.choice(WORDS)}_{rng.choice(WORDS)}()` and **{rng.choice(WORDS)}**."
            out.append(text + ".\n")
            left -= n
        if rng.random() < 0.3:
            out.append("- " + "\n- ".join(" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(4)) + "\n")
    return "\n".join(out)


def note_text(i: int, rng: random.Random, tags: list[str]) -> tuple[str, str]:
    venue = VENUES[i % len(VENUES)]
    year = 2015 + (i // len(VENUES) * 5 + i) % 12  # every venue in every year: 144 editions
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 10))).title()
    chosen = rng.sample(tags, rng.randint(2, 6))
    topic = rng.choice(TOPICS)
    lines = [
        "---",
        f'title: "Paper {i}: {title}"',
        f"venue: {venue}",
        f"year: {year}",
        f"authors: [Author {i % 97}, Author {(i * 3) % 89}, Author {(i * 5) % 83}]",
        "tags: [" + ", ".join(chosen) + "]",
        f'summary: "{" ".join(rng.choice(WORDS) for _ in range(18)).capitalize()}."',
        f"links: {{paper: 'https://example.org/papers/{i}'}}",
        f"status: {rng.choice(['read', 'unread', 'unread', 'reading'])}",
    ]
    if topic:
        lines.append(f"topic: {topic}")
    lines.append("---")
    rel = f"{venue.lower()}/{year}/paper-{i:05d}.md"
    return rel, "\n".join(lines) + "\n" + body(rng, rng.randint(600, 1200))


def write_corpus(folder: Path, count: int, tag_count: int = 150) -> list[tuple[str, list[str]]]:
    """Write ``count`` notes under ``folder``; returns (relative path, tags) for each."""
    rng = random.Random(12345)
    tags = tag_names(tag_count)
    written = []
    for i in range(count):
        rel, text = note_text(i, rng, tags)
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append((rel, text))
    return written
