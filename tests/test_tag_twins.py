"""The tag-twin search finds exactly the pairs that comparing every pair finds, only faster."""

from __future__ import annotations

import random

from generator.index import tag_twins
from generator.load.venues import edit_distance


def _all_pairs(keys: list[str]) -> dict[tuple[str, str], str]:
    found = {}
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if (reason := tag_twins._reasons(a, b)) is not None:
                found[(a, b)] = reason
    return found


def _keys(rng: random.Random, count: int) -> list[str]:
    words = [
        "gpu",
        "cache",
        "caching",
        "schedul",
        "scheduling",
        "memory",
        "llm",
        "serving",
        "sharing",
        "time",
        "attention",
        "ring",
        "self",
        "data",
        "loader",
        "dataloader",
        "kv",
        "算子",
        "融合",
    ]
    keys: set[str] = set()
    while len(keys) < count:
        key = "-".join(rng.sample(words, rng.randint(1, 3)))
        if rng.random() < 0.5:  # a typo: drop, double, swap or change a letter
            i = rng.randrange(len(key))
            key = rng.choice(
                [
                    key[:i] + key[i + 1 :],
                    key[:i] + key[i] + key[i:],
                    key[:i] + rng.choice("aeiouxz") + key[i + 1 :],
                    key[:i] + key[i + 1 : i + 2] + key[i : i + 1] + key[i + 2 :],
                ]
            )
        key = key.strip("-")
        if key and "--" not in key:
            keys.add(key)
    return sorted(keys)


def test_candidate_pairs_miss_no_pair_that_all_pairs_find():
    rng = random.Random(5)
    for _ in range(5):
        keys = _keys(rng, 250)
        expected = _all_pairs(keys)
        assert any(reason == "a typo apart" for reason in expected.values())  # the test exercises the typo rule
        found = {pair: reason for pair in tag_twins._candidate_pairs(keys) if (reason := tag_twins._reasons(*pair)) is not None}
        assert found == expected


def test_bounded_edit_distance_agrees_with_the_full_one():
    rng = random.Random(9)
    texts = ["".join(rng.choice("abcd") for _ in range(rng.randint(0, 10))) for _ in range(150)]
    for a in texts:
        for b in texts[:60]:
            distance = edit_distance(a, b)
            for limit in (0, 1, 2, 3):
                assert edit_distance(a, b, limit) == min(distance, limit + 1), (a, b, limit)
