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
Pairs found by the word rules are grouped by signature (linear time); the typo rule compares pairs
of close length and letters, once there are more than ``_PAIRWISE_LIMIT`` tags only those one
deletion apart.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class _Shape:
    """What the rules compare of one tag key, worked out once per key (not once per pair)."""

    joined: str  # the letters without the word breaks
    stems: tuple[str, ...]
    sorted_stems: tuple[str, ...]


@functools.lru_cache(maxsize=65536)
def _shape(key: str) -> _Shape:
    words = _words(key)
    stems = tuple(map(stem, words))
    return _Shape("".join(words), stems, tuple(sorted(stems)))


def _reasons(a: str, b: str) -> str | None:
    """Why the tag keys ``a`` and ``b`` look like one topic, or None."""
    sha, shb = _shape(a), _shape(b)
    if sha.joined == shb.joined:
        return "the same letters, split differently"
    sa, sb = sha.stems, shb.stems
    if sa == sb:
        return "the same words up to an ending"
    if sha.sorted_stems == shb.sorted_stems:
        return "the same words in another order"
    short, long_ = (sa, sb) if len(sa) < len(sb) else (sb, sa)
    if len(short) >= 2 and len(long_) == len(short) + 1 and _is_subsequence(short, long_):
        return "one more word"
    joined_a, joined_b = sha.joined, shb.joined
    shorter = min(len(joined_a), len(joined_b))
    if (
        shorter >= _MIN_TYPO_LENGTH
        and abs(len(joined_a) - len(joined_b)) <= typo_budget(joined_a)
        and edit_distance(joined_a, joined_b, limit := typo_budget(min(joined_a, joined_b, key=len))) <= limit
    ):
        return "a typo apart"
    return None


def _is_subsequence(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    rest = iter(long_)
    return all(word in rest for word in short)


def _candidate_pairs(keys: list[str]) -> Iterable[tuple[str, str]]:
    """Pairs worth comparing (each as (smaller, larger)): those sharing a signature of the word rules,
    and those a typo apart might be; for more than ``_PAIRWISE_LIMIT`` tags, those one deletion apart."""
    many = len(keys) > _PAIRWISE_LIMIT
    buckets: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = _shape(key).stems
        joined = _shape(key).joined
        signatures = {joined, " ".join(sorted(words))}
        if many:
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
    if not many:
        yield from (pair for pair in _typo_pairs(keys) if pair not in seen)


def _typo_pairs(keys: list[str]) -> Iterable[tuple[str, str]]:
    """Every pair the typo rule might accept: lengths close enough, and letters that differ by no more
    than the edits allowed (one edit changes which characters occur by at most two)."""
    shapes = sorted((len(_shape(k).joined), k, _letters(_shape(k).joined)) for k in keys if len(_shape(k).joined) >= _MIN_TYPO_LENGTH)
    for i, (length, a, letters_a) in enumerate(shapes):
        limit = typo_budget("x" * length)  # the shorter one's budget: it is at most the longer one's
        for other_length, b, letters_b in shapes[i + 1 :]:
            if other_length - length > 3:
                break
            if (letters_a ^ letters_b).bit_count() <= 2 * limit and _count_gap(a, b) <= 2 * limit:
                yield (a, b) if a < b else (b, a)


def _count_gap(a: str, b: str) -> int:
    """How far apart the two keys' character counts are (an edit moves them by at most two)."""
    ca, cb = _counts(a), _counts(b)
    return (ca - cb).total() + (cb - ca).total()


@functools.lru_cache(maxsize=65536)
def _counts(key: str) -> Counter[str]:
    return Counter(_shape(key).joined)


def _letters(text: str) -> int:
    """The characters of ``text`` as bits (two characters may share one: that only lets more pairs through)."""
    mask = 0
    for char in text:
        mask |= 1 << (ord(char) % 63)
    return mask


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
