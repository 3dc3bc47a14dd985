"""TeX math in note bodies → MathML at build time (a Python-Markdown extension, no script on the page).

``generator.render.mathml`` in ``markdown_extensions`` takes arithmatex's syntax (``$…$``, ``\\(…\\)``,
``$$…$$``, ``\\[…\\]``, ``\\begin{env}…\\end{env}``) and replaces each formula with the ``<math>``
element that latex2mathml makes of it; Chromium, Firefox and Safari render MathML Core natively,
so the page needs no MathJax/KaTeX script and no CDN. It is a Markdown extension, so MkDocs, any
other engine that reads ``markdown_extensions`` and ``notes check`` (bodycheck.py) render the same.

The MathML is rebuilt here from latex2mathml's element tree, never from its string output: only
the elements and attributes in ``ELEMENTS``/``ATTRIBUTES`` are kept (no ``href`` from ``\\href``, no
``style`` from ``\\style``, no ``annotation-xml``, no ``maction``), and text is escaped by
ElementTree (latex2mathml's own string output leaves ``<`` of ``\\text{<img …>}`` raw). The
sanitizer (sanitize.py) then checks the result with the same lists like every other tag.

A formula longer than ``MAX_TEX_CHARS`` or nested deeper than ``MAX_DEPTH`` braces/environments,
or one latex2mathml cannot read (or a note's formula after the ``MAX_FORMULAS``-th), becomes ``<span class="math-error">`` with the TeX shown as
escaped text, and ``math_problems`` reports it as ``path:line: body: …`` (build and ``notes check``).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, cast

from markdown import Markdown
from pymdownx.arithmatex import ArithmatexExtension, BlockArithmatexProcessor, InlineArithmatexPattern

from generator.model import Problem
from generator.sanitize import MATHML_ATTRIBUTES as ATTRIBUTES
from generator.sanitize import MATHML_TAGS as ELEMENTS
from generator.sanitize import MATHML_VALUE as _VALUE

MAX_TEX_CHARS = 2_000  # one formula; a whole note is at most 64 KiB (body.py), about 0.3 s of conversion
MAX_DEPTH = 24  # nested { } , \left…\right and \begin…\end in one formula
MAX_FORMULAS = 300  # in one note (about 1 ms each); the rest are shown as their TeX, with one warning
MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
_NESTING = re.compile(r"\\left\b|\\begin\b|\{|\\right\b|\\end\b|\}")
_OPENERS = ("\\left", "\\begin", "{")
ERROR_CLASS = "math-error"
_ERROR_SPAN = re.compile(r'<span class="math-error" title="([^"]*)">(.*?)</span>', re.DOTALL)


class MathError(ValueError):
    """A formula that cannot be shown as MathML (the message says why)."""


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """The ``<math>`` element for ``tex``; raises MathError for a formula too large, too deep or unreadable."""
    from latex2mathml.converter import convert_to_element  # here: imported only when a note has math

    tex = tex.strip()
    if len(tex) > MAX_TEX_CHARS:
        raise MathError(f"a formula of {len(tex)} characters (at most {MAX_TEX_CHARS})")
    if (depth := _depth(tex)) > MAX_DEPTH:
        raise MathError(f"nested {depth} deep (at most {MAX_DEPTH} levels of braces and environments)")
    tex = tex.replace("{aligned}", "{align*}")  # latex2mathml reads align* as a table; aligned as plain text
    try:
        element = convert_to_element(tex, display="block" if display else "inline")
    except RecursionError as error:
        raise MathError("nested too deep") from error
    except Exception as error:  # latex2mathml raises its own errors and plain ones on bad TeX
        raise MathError(" ".join(f"{type(error).__name__} {error}".split())[:120]) from error
    return ET.tostring(_clean(element), encoding="unicode", short_empty_elements=False)


def _depth(tex: str) -> int:
    depth = deepest = 0
    for match in _NESTING.finditer(tex.replace("\\{", "").replace("\\}", "")):
        depth += 1 if match.group() in _OPENERS else -1
        deepest = max(deepest, depth)
    return deepest


def _clean(element: ET.Element) -> ET.Element:
    """A copy of latex2mathml's tree with only allowed elements and attributes, text decoded once
    (latex2mathml writes character references such as ``&#x0003D;`` into its text)."""
    tag = element.tag.removeprefix(MATHML_NS)
    if tag not in ELEMENTS:
        tag = "mrow"  # an element this list does not know keeps its content, as a plain group
    allowed = ATTRIBUTES.get(tag, set())
    attrs = {k: v for k, v in element.attrib.items() if k in allowed and _VALUE.match(v)}
    copy = ET.Element(tag, attrs)
    copy.text = html.unescape(element.text) if element.text else None
    for child in element:
        cleaned = _clean(child)
        cleaned.tail = html.unescape(child.tail) if child.tail else None
        copy.append(cleaned)
    return copy


def error_span(tex: str, message: str) -> str:
    """What a reader sees instead of a formula that cannot be converted: the TeX, escaped."""
    return f'<span class="{ERROR_CLASS}" title="{html.escape(message)}">{html.escape(tex)}</span>'


class _Counter:
    """Formulas converted in the current document (reset with the Markdown instance)."""

    def __init__(self) -> None:
        self.count = 0

    def render(self, md: Markdown, tex: str, display: bool) -> str:
        self.count += 1
        if self.count > MAX_FORMULAS:
            text = html.escape(tex)
            markup = (
                error_span(tex, f"is one formula too many (a note may have at most {MAX_FORMULAS})")
                if self.count == MAX_FORMULAS + 1
                else text
            )
            return md.htmlStash.store(markup)
        try:
            markup = tex_to_mathml(tex, display)
        except MathError as error:
            markup = error_span(tex, f"cannot be shown as math: {error}")
        return md.htmlStash.store(markup)


class _Inline(InlineArithmatexPattern):
    def __init__(self, pattern: str, config: dict, md: Markdown, counter: _Counter) -> None:
        super().__init__(pattern, config)
        self.md, self.counter = md, counter

    def handleMatch(self, m, data):  # type: ignore[no-untyped-def]
        groups = m.groups()
        escapes = groups[0] or (groups[3] if len(groups) > 3 else None)
        if escapes:  # \$ and \\: arithmatex's own handling
            return super().handleMatch(m, data)
        tex = groups[2] or (groups[5] if len(groups) > 3 else "")
        return self.counter.render(self.md, tex, display=False), m.start(0), m.end(0)


class _Block(BlockArithmatexProcessor):
    def __init__(self, pattern: str, config: dict, md: Markdown, counter: _Counter) -> None:
        super().__init__(pattern, config, md)
        self.md, self.counter = md, counter

    def run(self, parent, blocks):  # type: ignore[no-untyped-def]
        blocks.pop(0)
        groups = self.match.groupdict()
        tex = groups.get("math") or groups.get("math2") or groups.get("math3") or ""
        ET.SubElement(parent, "p").text = self.counter.render(self.md, tex, display=True)
        return True


class MathMLExtension(ArithmatexExtension):
    """arithmatex's syntax, with MathML made at build time as the output."""

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)  # registers this extension: md.reset() calls reset() below
        self.counter = _Counter()
        inline = md.inlinePatterns["arithmatex-inline"]
        block = md.parser.blockprocessors["arithmatex-block"]
        config = self.getConfigs()
        md.inlinePatterns.register(_Inline(inline.pattern, config, md, self.counter), "arithmatex-inline", 189.9)
        md.parser.blockprocessors.register(_Block(cast(Any, block).pattern.pattern, config, md, self.counter), "arithmatex-block", 79.9)

    def reset(self) -> None:
        self.counter.count = 0


def makeExtension(**kwargs: object) -> MathMLExtension:
    return MathMLExtension(**kwargs)


@dataclass(frozen=True)
class MathFailure:
    tex: str
    message: str


def failures(rendered: str) -> list[MathFailure]:
    """The formulas of a rendered (and sanitized) body that could not be converted."""
    return [MathFailure(html.unescape(tex), html.unescape(title)) for title, tex in _ERROR_SPAN.findall(rendered)]


def math_problems(path: str, body: str, body_line: int, rendered: str) -> list[Problem]:
    """One problem per formula of ``rendered`` that could not be converted, at its line in ``body``."""
    problems = []
    for failure in failures(rendered):
        index = body.find(failure.tex)
        line = body_line + (body.count("\n", 0, index) if index >= 0 else 0)
        problems.append(Problem(path, line, "body", f"the formula ${_short(failure.tex)}$ {failure.message}"))
    return problems


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
