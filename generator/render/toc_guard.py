"""A Markdown extension for engines that print a heading's HTML in the table of contents.

Zensical fills its sidebar table of contents from ``toc_tokens[…]["html"]``: a note's heading
``## Problem <script>…</script>`` would reach the page outside the content that finishing
sanitizes. ``notes build --engine zensical`` adds this extension to the derived configuration; it
runs after ``toc`` and puts every token's HTML through the note sanitizer.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from generator.sanitize import sanitize_html


class _CleanTokens(Postprocessor):
    def run(self, text: str) -> str:
        _clean(getattr(self.md, "toc_tokens", []))
        return text


def _clean(tokens: list[dict[str, Any]]) -> None:
    for token in tokens:
        for key in ("html", "name", "data-toc-label"):
            if isinstance(token.get(key), str) and token[key]:
                token[key] = sanitize_html(token[key]).html
        _clean(token.get("children", []))


class TocGuard(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(_CleanTokens(md), "reading-notes-toc-guard", 0)


def makeExtension(**kwargs: Any) -> TocGuard:
    return TocGuard(**kwargs)
