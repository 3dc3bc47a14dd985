"""Tags that look like one topic spelled two ways: advice for ``notes check``, never a problem.

Two tags are likely twins when, after ``tags.tag_key`` folded case and ``_``/``-``/spaces:

- they differ only in where words break (``dataloader``/``data-loader``);
- their words are the same up to an ending (``cache``/``caching``, ``cluster_scheduler``/
  ``cluster_scheduling``, ``GPU``/``GPUs``) or in another order (``memory_GPU``/``GPU_memory``);
- one is the other with one more word, both having at least two (``ring_attention``/
  ``ring_self-attention``, ``time-sharing``/``GPU_time_sharing``);
- they are a typo apart: a few edits relative to the length (``schduling``/``scheduling``).

Each warning suggests the alias line for ``papers/tags.yml`` (the tag on more notes is canonical).
A pair that was looked at and is *not* one topic is listed under ``distinct:`` in ``tags.yml``.
Pairs found by the word rules are grouped by signature (linear time); the typo rule compares pairs,
once there are more than ``_PAIRWISE_LIMIT`` tags only among those one deletion apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from generator.load.venues import edit_distance, typo_budget
from generator.model import Paper, Problem, TagIndex

_PAIRWISE_LIMIT = 2000
_ENDINGS = ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "s", "e", "y")
_MIN_TYPO_LENGTH = 5  # "llm"/"lm" and "rl"/"ml" are different topics


def stem(word: str) -> str:
    """A crude English stem: ``caching``/``cache``/``caches`` → ``cach``; other scripts unchanged."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3 and word.isascii():
            return word[: -len(ending)]
    return word


def _words(key: str) -> tuple[str, ...]:
    return tuple(w for w in key.split("-") if w)


def _reasons(a: str, b: str) -> str | None:
    """Why the tag keys ``a`` and ``b`` look like one topic, or None."""
    wa, wb = _words(a), _words(b)
    if "".join(wa) == "".join(wb):
        return "the same letters, split differently"
    sa, sb = tuple(map(stem, wa)), tuple(map(stem, wb))
    if sa == sb:
        return "the same words up to an ending"
    if sorted(sa) == sorted(sb):
        return "the same words in another order"
    short, long_ = (sa, sb) if len(sa) < len(sb) else (sb, sa)
    if len(short) >= 2 and len(long_) == len(short) + 1 and _is_subsequence(short, long_):
        return "one more word"
    joined_a, joined_b = "".join(wa), "".join(wb)
    shorter = min(len(joined_a), len(joined_b))
    if (shorter >= _MIN_TYPO_LENGTH and abs(len(joined_a) - len(joined_b)) <= typo_budget(joined_a)
            and edit_distance(joined_a, joined_b) <= typo_budget(min(joined_a, joined_b, key=len))):
        return "a typo apart"
    return None


def _is_subsequence(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    rest = iter(long_)
    return all(word in rest for word in short)


def _candidate_pairs(keys: list[str]) -> Iterable[tuple[str, str]]:
    """Pairs worth comparing: all of them for a few hundred tags, else those sharing a signature or a first letter."""
    if len(keys) <= _PAIRWISE_LIMIT:
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                yield a, b
        return
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = tuple(map(stem, _words(key)))
        joined = "".join(_words(key))
        signatures = {joined, " ".join(sorted(words))}
        signatures |= {"del:" + joined[:i] + joined[i + 1 :] for i in range(len(joined))}  # one typo apart
        signatures |= {"less:" + " ".join(words[:i] + words[i + 1 :]) for i in range(len(words))} if len(words) >= 3 else set()
        signatures |= {"less:" + " ".join(words)} if len(words) >= 2 else set()
        for signature in signatures:
            buckets[signature].append(key)
    seen: set[tuple[str, str]] = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = (a, b) if a < b else (b, a)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def twin_warnings(tags: list[TagIndex], distinct: set[frozenset[str]] | None = None, tags_file: str = "papers/tags.yml") -> list[Problem]:
    """One warning per likely pair of twins, at the first note of the less used tag."""
    by_key = {t.tag.key: t for t in tags}
    warnings: list[Problem] = []
    for a, b in _candidate_pairs(sorted(by_key)):
        if distinct and frozenset((a, b)) in distinct:
            continue
        reason = _reasons(a, b)
        if reason is None:
            continue
        keep, alias = sorted((by_key[a], by_key[b]), key=lambda t: (-len(t.papers), t.tag.name.casefold(), t.tag.key))
        first = min(alias.papers, key=lambda p: p.path)
        warnings.append(Problem(first.path, _tag_line(first, alias.tag.key), "tags",
                                f"{alias.tag.name!r} ({_notes(alias)}) and {keep.tag.name!r} ({_notes(keep)}) may be one topic ({reason}): "
                                f"if so, add '{_yaml(keep.tag.name)}: [{_yaml(alias.tag.name)}]' under 'aliases:' in {tags_file}, "
                                f"else '- [{_yaml(keep.tag.name)}, {_yaml(alias.tag.name)}]' under 'distinct:'"))  # fmt: skip
    return sorted(warnings)


def _notes(index: TagIndex) -> str:
    n = len(index.papers)
    return f"{n} note{'s' if n != 1 else ''}"


def _yaml(name: str) -> str:
    """``name`` as a YAML flow scalar (quoted when plain would not read back as this text)."""
    if re.fullmatch(r"[^\s:#,\[\]{}&*!|>'\"%@`?-][^:#,\[\]{}]*", name) and not name.endswith(" "):
        return name
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tag_line(paper: Paper, key: str) -> int:
    return next((ln for tag, ln in zip(paper.tags, paper.tag_lines, strict=False) if tag.key == key), paper.line)
