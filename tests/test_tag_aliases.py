"""papers/tags.yml (tag aliases) and the near-duplicate tag warnings of ``notes check``."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import note, run_notes, write_site

from generator import pipeline
from generator.index.tag_twins import twin_warnings
from generator.model import TagIndex
from generator.validate.tag_aliases import load_aliases
from generator.validate.tags import make_tag


def aliases_of(tmp_path: Path, text: str):
    (tmp_path / "papers").mkdir(exist_ok=True)
    (tmp_path / "papers" / "tags.yml").write_text(text, encoding="utf-8")
    return load_aliases(tmp_path / "papers" / "tags.yml", tmp_path)


def test_aliases_map_every_spelling_to_the_canonical_tag(tmp_path):
    aliases, problems = aliases_of(tmp_path, "aliases:\n  caching: [cache]\n  time-sharing: [分时共享, GPU time sharing]\n")
    assert problems == []
    assert aliases.resolve(make_tag("Cache")).name == "caching"
    assert aliases.resolve(make_tag("#GPU_time_sharing")).name == "time-sharing"
    assert aliases.resolve(make_tag("分时共享")).slug == "time-sharing"
    assert aliases.resolve(make_tag("caching")).name == "caching"
    assert aliases.by_tag() == {"caching": ("cache",), "time-sharing": ("GPU time sharing", "分时共享")}  # as written
    assert aliases.aliases_of("time-sharing") == ["GPU time sharing", "分时共享"]


@pytest.mark.parametrize(
    "text, line, field, message",
    [
        ("- caching\n", 1, "tags.yml", "must be a mapping with 'aliases:'"),
        ("alias:\n  caching: [cache]\n", 1, "alias", "unknown section (use 'aliases' or 'distinct')"),
        ("aliases: [caching, cache]\n", 1, "aliases", "must map a canonical tag to a list"),
        ("aliases:\n  caching: cache\n", 2, "aliases.caching", "must be a list of other spellings"),
        (
            "aliases:\n  caching: [cache]\n  scheduling: [sched, cache]\n",
            3,
            "aliases.scheduling",
            "alias 'cache' is listed twice (also under 'caching' at line 2)",
        ),
        ("aliases:\n  caching: [cache]\n  cache: [caches]\n", 2, "aliases.caching", "alias 'cache' is itself a canonical tag (line 3)"),
        ("aliases:\n  caching: [cache]\n  cache: [caching]\n", 2, "aliases.caching", "cycle: 'caching' → 'cache' → 'caching'"),
        ("aliases:\n  caching: [Caching]\n", 2, "aliases.caching", "alias 'Caching' is the tag itself"),
        ('aliases:\n  caching: ["a/b"]\n', 2, "aliases.caching", "alias 'a/b' contains '/'"),
        ('aliases:\n  "<b>": [cache]\n', 2, "aliases.<b>", "the canonical tag '<b>' contains '<'"),
        ("aliases:\n  caching: [cache]\n  Caching: [caches]\n", 3, "aliases.Caching", "the same tag as the entry at line 2"),
        ("aliases:\n  caching: [" + "x" * 60 + "y]\n", 2, "aliases.caching", "is longer than 60 characters"),
        ("aliases:\n  caching: [cache]\n  caching: [caches]\n", 3, None, "duplicate"),
        ("distinct: [llm, lm]\n", 1, "distinct", "each entry must be a list of two or more tags"),
    ],
)
def test_tags_yml_problems_name_the_line(tmp_path, text, line, field, message):
    _, problems = aliases_of(tmp_path, text)
    assert problems, text
    problem = problems[0]
    assert (problem.path, problem.line) == ("papers/tags.yml", line)
    assert field is None or problem.field == field
    assert message in problem.message


def test_a_symlinked_tags_yml_is_refused(tmp_path):
    (tmp_path / "papers").mkdir()
    (tmp_path / "elsewhere.yml").write_text("aliases:\n  caching: [cache]\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.yml", tmp_path / "papers" / "tags.yml")
    aliases, problems = load_aliases(tmp_path / "papers" / "tags.yml", tmp_path)
    assert aliases.canonical == {} and problems and problems[0].path == "papers/tags.yml"


def test_a_bad_tags_yml_fails_notes_check(tmp_path):
    write_site(tmp_path, {"osdi/2022/a.md": note("A", tags="[cache]"), "tags.yml": "aliases:\n  caching: [cache]\n  cache: [caching]\n"})
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert "papers/tags.yml:2: aliases.caching: cycle" in proc.stdout


def _index(names_counts: dict[str, int], tmp_path: Path) -> list[TagIndex]:
    from generator.model import Paper, Venue

    venue = Venue(key="OSDI", name="OSDI", kind="conference", slug="osdi")
    out = []
    for name, count in names_counts.items():
        papers = [Paper(id=f"{name}-{i}", title="T", venue=venue, year=2022, path=f"papers/{name}-{i}.md", rel_path=f"{name}-{i}.md",
                        tags=(make_tag(name),), tag_lines=(6,)) for i in range(count)]  # fmt: skip
        out.append(TagIndex(make_tag(name), papers))
    return out


@pytest.mark.parametrize(
    "a, b, reason",
    [
        ("cache", "caching", "the same words up to an ending"),
        ("cluster_scheduler", "cluster_scheduling", "the same words up to an ending"),
        ("GPU", "GPUs", "the same words up to an ending"),
        ("dataloader", "data-loader", "the same letters, split differently"),
        ("memory_GPU", "GPU_memory", "the same words in another order"),
        ("ring_attention", "ring_self-attention", "one more word"),
        ("time-sharing", "GPU_time_sharing", "one more word"),
        ("schduling", "scheduling", "a typo apart"),
    ],
)
def test_twin_tags_are_warned_with_an_alias_line(tmp_path, a, b, reason):
    warnings = twin_warnings(_index({a: 1, b: 3}, tmp_path))
    assert len(warnings) == 1
    message = warnings[0].message
    assert reason in message
    assert f"add '{make_tag(b).name}: [{make_tag(a).name}]' under 'aliases:' in papers/tags.yml" in message
    assert warnings[0].path == f"papers/{a}-0.md" and warnings[0].line == 6


@pytest.mark.parametrize(
    "a, b",
    [
        ("llm", "lm"),
        ("RL", "ML"),
        ("GPU_sharing", "GPU_memory"),
        ("scheduling", "GPU_scheduling"),
        ("caching", "batching"),
        ("LLM_serving", "LLM_training"),
        ("分时共享", "算子融合"),
    ],
)
def test_different_topics_are_not_warned(tmp_path, a, b):
    assert twin_warnings(_index({a: 1, b: 2}, tmp_path)) == []


def test_distinct_pairs_silence_the_warning(tmp_path):
    aliases, problems = aliases_of(tmp_path, "distinct:\n  - [ring_attention, ring self-attention]\n")
    assert problems == []
    assert twin_warnings(_index({"ring_attention": 1, "ring_self-attention": 1}, tmp_path), aliases.distinct) == []


def test_twin_detection_is_fast_on_many_tags(tmp_path):
    import time

    names = {f"topic{i}_area{i % 97}": 1 for i in range(3000)} | {"cache": 1, "caching": 2}
    index = _index(names, tmp_path)
    start = time.perf_counter()
    warnings = twin_warnings(index)
    assert time.perf_counter() - start < 10
    assert any("'cache' (1 note) and 'caching' (2 notes)" in w.message for w in warnings)


def test_twin_warnings_do_not_fail_check_or_strict_build(tmp_path):
    write_site(
        tmp_path,
        {
            "osdi/2022/a.md": note("A", tags="[cache]"),
            "osdi/2022/b.md": note("B", tags="[caching]"),
            "osdi/2022/c.md": note("C", tags="[caching]"),
        },
    )
    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning: papers/osdi/2022/a.md:5: tags: 'cache' (1 note) and 'caching' (2 notes) may be one topic" in proc.stderr
    from conftest import run_mkdocs

    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    assert "may be one topic" in build.log


def test_aliases_apply_on_pages_json_feeds_and_bib(tmp_path):
    from conftest import run_mkdocs

    notes = {
        "osdi/2022/a.md": note("Alpha Cache Paper", tags="[caching, GPU_sharing]", authors="[Ann Lee]"),
        "osdi/2022/b.md": note("Beta Cache Paper", tags="[cache, GPU_sharing]", authors="[Bob Ray]"),
        "osdi/2022/c.md": note("Gamma Paper", tags="[分时共享]", authors="[Cy Dee]"),
        "tags.yml": "aliases:\n  caching: [cache]\n  time-sharing: [分时共享]\n",
    }
    write_site(tmp_path, notes)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    site = tmp_path / "site"
    assert not (site / "tags" / "cache").exists() and not (site / "tags" / "分时共享").exists()
    caching = build.html("tags/caching")
    assert "Alpha Cache Paper" in caching and "Beta Cache Paper" in caching
    assert "Gamma Paper" in build.html("tags/time-sharing")
    beta = (
        build.html("osdi/2022/b")
        if (site / "osdi/2022/b/index.html").exists()
        else next(
            p.read_text(encoding="utf-8")
            for p in site.rglob("index.html")
            if "<h1" in p.read_text(encoding="utf-8") and "Beta Cache Paper</h1>" in p.read_text(encoding="utf-8")
        )
    )
    assert "tags/caching/" in beta and "tags/cache/" not in beta
    papers = json.loads((site / "papers.json").read_text(encoding="utf-8"))["papers"]
    text = json.dumps(papers, ensure_ascii=False)
    assert '"cache"' not in text and "分时共享" not in text and '"time-sharing"' in text
    assert (site / "tags" / "caching" / "feed.xml").is_file() and not (site / "tags" / "cache" / "feed.xml").exists()
    bib = (site / "papers.bib").read_text(encoding="utf-8")
    assert "keywords = {cache," not in bib and "keywords = {caching, GPU_sharing}" in bib
    assert "分时共享" not in bib
    result = pipeline.build(tmp_path / "papers", tmp_path)
    beta_paper = next(p for p in result.catalog.papers if p.title == "Beta Cache Paper")
    assert [t.name for t in beta_paper.tags] == ["caching", "GPU_sharing"]


def index_terms(html: str) -> str:
    """The text of a paper page's hidden search line (tags, their spellings, venue words)."""
    found = re.search(r'<p class="rn-index-terms" hidden>(.*?)</p>', html, re.DOTALL)
    assert found, "no search line on the page"
    return found.group(1)


def test_a_tags_other_spellings_are_searchable_and_shown_on_its_page(tmp_path):
    from conftest import run_mkdocs

    notes = {
        "osdi/2020/pipeswitch.md": note("PipeSwitch Paper", tags="[time-sharing]", authors="[Ann Lee]"),  # writes no alias
        "osdi/2022/other.md": note("Other Paper", tags="[GPU_time_sharing, C++]", authors="[Bob Ray]"),
        "osdi/2022/plain.md": note("Plain Paper", tags="[caching]", authors="[Cy Dee]"),
        "tags.yml": "aliases:\n  time-sharing: [分时共享, GPU_time_sharing]\n  C++: [cpp]\n",
    }
    write_site(tmp_path, notes)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    for page in ("papers/osdi/2020/pipeswitch", "papers/osdi/2022/other"):
        terms = index_terms(build.html(page)).split()
        assert "分时共享" in terms and "GPU_time_sharing" in terms and "time-sharing" in terms, terms
        assert terms[terms.index("GPU_time_sharing") + 1 : terms.index("GPU_time_sharing") + 4] == ["GPU", "time", "sharing"]
    assert "cpp" in index_terms(build.html("papers/osdi/2022/other")).split()
    plain = index_terms(build.html("papers/osdi/2022/plain")).split()
    assert "分时共享" not in plain and "cpp" not in plain  # only a paper's own tags bring their spellings
    tag_page = build.html("tags/time-sharing")
    shown = re.search(r'<p class="rn-tag-aliases">(.*?)</p>', tag_page, re.DOTALL)
    assert shown and re.sub(r"<[^>]+>", "", shown.group(1)) == "Also written as GPU_time_sharing, 分时共享"
    assert 'class="rn-tag-aliases"' not in build.html("tags/caching")  # no alias, no line


def test_a_spelling_with_markup_never_reaches_a_page(tmp_path):
    """tags.yml is contributed text: an alias holding markup is refused, not written into the search line."""
    notes = {
        "osdi/2020/a.md": note("A Paper", tags="[time-sharing]"),
        "tags.yml": 'aliases:\n  time-sharing: ["<img src=x onerror=alert(1)>"]\n',
    }
    write_site(tmp_path, notes)
    result = run_notes("check", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "papers/tags.yml:2: aliases.time-sharing: alias '<img src=x onerror=alert(1)>' contains '<'" in output, output
