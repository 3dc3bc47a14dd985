"""In-note citations: ``[@vllm]`` and ``[@vllm, p. 3]`` in a note's body, found outside code.

This module only reads them (``catalog.build_catalog`` reports unknown ids with ``citation_problems``);
references.py turns them into links and gives every cited paper its "Referenced by" block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.model import Paper, Problem
from generator.validate.graph import did_you_mean

CITATION = re.compile(r"\[@([A-Za-z0-9][A-Za-z0-9_.\-]{0,79})(?:,[ \t]*([^\[\]\n]{1,80}?))?[ \t]*\](?![(\[:])")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)")


@dataclass(frozen=True)
class Citation:
    paper_id: str
    locator: str  # "p. 3", or ""
    line: int  # 0-based line in the body
    start: int  # offsets in that line
    end: int


def _prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(index, line) of every body line outside fenced code."""
    fence: str | None = None
    for i, line in enumerate(body.split("\n")):
        if m := _FENCE.match(line):
            marker = m.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line[m.end() :].strip():
                fence = None
            continue
        if fence is None:
            yield i, line


def find_citations(body: str) -> list[Citation]:
    """Every ``[@id]`` of the body outside code, in order."""
    if "[@" not in body:
        return []
    found: list[Citation] = []
    for i, line in _prose_lines(body):
        if "[@" not in line:
            continue
        spans = [m.span() for m in _CODE_SPAN.finditer(line)] if "`" in line else []
        for m in CITATION.finditer(line):
            if not any(a <= m.start() < b for a, b in spans):
                found.append(Citation(m.group(1), (m.group(2) or "").strip(), i, m.start(), m.end()))
    return found


def cited_ids(body: str) -> list[str]:
    return list(dict.fromkeys(c.paper_id for c in find_citations(body)))


def citation_problems(paper: Paper, by_id: dict[str, Paper]) -> list[Problem]:
    return [
        Problem(
            paper.path,
            paper.body_line + c.line,
            "body",
            f"unknown paper id {c.paper_id!r} in [@{c.paper_id}]" + did_you_mean(c.paper_id, by_id),
        )
        for c in find_citations(paper.body)
        if c.paper_id not in by_id
    ]


def short_title(paper: Paper) -> str:
    """ "vLLM" for "vLLM: Efficient Memory Management …"; the id when the part before the colon is long."""
    head, sep, _ = paper.title.partition(":")
    head = head.strip()
    return head if sep and head and len(head) <= 40 else paper.title if len(paper.title) <= 40 else paper.id
