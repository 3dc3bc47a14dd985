"""Citations as links, and the "Referenced by" block of every paper page.

A citation (``[@vllm]``, ``[@vllm, p. 3]``, see citations.py) becomes an inline link whose text is the
cited paper's short title (the part before the colon), escaped for Markdown and HTML (titles are
contributed text), before the body goes to the Markdown converter; the sanitizer then keeps it like
any relative link. "Referenced by" lists the notes that cite a paper, build on it or compare with it
(listed in ``site.PAPER_SECTIONS``; a generated block, so kept out of the search).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from generator import urls
from generator.index.citations import Citation, cited_ids, find_citations, short_title
from generator.model import RELATIONS, Catalog, Paper, newest_first
from generator.render import pages as render
from generator.render.pages import RenderContext

CITES = "cites"  # the kind of an in-text citation, beside RELATIONS' "builds on" and "compares with"


def link_citations(body: str, catalog: Catalog, page_url: str) -> str:
    """The body with each citation of a known paper written as a Markdown link (unknown ones stay as written)."""
    found = find_citations(body)
    if not found:
        return body
    lines = body.split("\n")
    by_line: dict[int, list[Citation]] = defaultdict(list)
    for c in found:
        by_line[c.line].append(c)
    for i, cites in by_line.items():
        line = lines[i]
        for c in reversed(cites):
            cited = catalog.by_id.get(c.paper_id)
            if cited is None:
                continue
            text = short_title(cited) + (f", {c.locator}" if c.locator else "")
            href = urls.relative(page_url, urls.paper_url(cited))
            # an inline <a>, not a Markdown link: engines (MkDocs) check Markdown links against source files
            line = line[: c.start] + f'<a href="{href}">{render.markdown_text(text)}</a>' + line[c.end :]
        lines[i] = line
    return "\n".join(lines)


@dataclass(frozen=True)
class Reference:
    paper: Paper  # the note that refers
    kinds: tuple[str, ...]  # "cites", "builds on", "compares with"


def references(catalog: Catalog) -> dict[str, list[Reference]]:
    """Paper id → the notes that refer to it and how, newest first (built once per rendering: see
    ``referenced_by_section``)."""
    kinds: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for paper in catalog.papers:
        for rid in cited_ids(paper.body):
            kinds[rid].setdefault(paper.id, []).append(CITES)
        for name, rid in paper.relations():
            kinds[rid].setdefault(paper.id, []).append(RELATIONS[name])
    return {
        rid: sorted((Reference(catalog.by_id[pid], tuple(dict.fromkeys(k))) for pid, k in by.items()
                     if pid != rid and rid in catalog.by_id), key=lambda r: newest_first(r.paper))
        for rid, by in kinds.items()
    }  # fmt: skip


def referenced_by_section(paper: Paper, ctx: RenderContext, page_url: str) -> str:
    """The paper-page block of the notes that cite this paper with ``[@id]`` ("" when none)."""
    found = ctx.index(references).get(paper.id)
    if not found:
        return ""
    head: Callable[[Paper], str] = lambda other: render.site_fragment(  # noqa: E731
        ctx, ("related_head", other.id), "related_head.j2", page_url, paper=other
    )
    return render.render_template("referenced_by.md.j2", page_url, ctx, found=found, related_head=head)
