from __future__ import annotations

import pytest

from generator.validate.tags import make_tag, tag_problem


@pytest.mark.parametrize(
    "spellings",
    [
        ["GPU_sharing", "#GPU_sharing", "GPU\\_sharing", "gpu-sharing", "GPU sharing", "#gpu__Sharing"],
        ["co-location", "co_location", "#Co-Location"],
        ["LLM_serving", "llm serving"],
    ],
)
def test_spellings_of_one_tag(spellings):
    tags = {make_tag(s) for s in spellings}
    assert len({t.key for t in tags}) == 1
    assert len({t.slug for t in tags}) == 1


@pytest.mark.parametrize(
    "raw, name, slug",
    [
        ("#GPU\\_sharing", "GPU_sharing", "gpu-sharing"),
        ("算子融合", "算子融合", "算子融合"),
        ("C++", "C++", "cplusplus"),
        ("C#", "C#", "csharp"),
        ("Node.js", "Node.js", "node-js"),
        ("RoCEv2", "RoCEv2", "rocev2"),
    ],
)
def test_names_and_slugs(raw, name, slug):
    tag = make_tag(raw)
    assert (tag.name, tag.slug) == (name, slug)


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("#", "is empty"),
        ("a/b", "'a/b' contains '/' (a tag may use letters, digits, spaces and _ - + # .)"),
        ("<script>", "'<script>' contains '<' (a tag may use letters, digits, spaces and _ - + # .)"),
        ("...", "'...' has no letter or digit to build a page address from"),
        ("x" * 61, "is longer than 60 characters"),
        ("GPU_sharing", None),
    ],
)
def test_tag_problems(raw, problem):
    assert tag_problem(raw) == problem
