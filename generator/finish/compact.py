"""Finishing: a page's indentation left out (the theme's templates indent every line; at 10,000
pages that is ~30 MB of a site that shows the same without it).

Only whitespace a browser collapses goes: a run of spaces and line breaks that holds a line break
becomes one line break (shown, as before, as one space or nothing). Kept byte for byte: the
elements whose whitespace shows or runs: ``pre``, ``code``, ``kbd`` and ``textarea`` (the theme sets
``white-space: pre-wrap`` on code and kbd), ``script`` and ``style`` (their hashes are in the page's
Content-Security-Policy), and a Mermaid diagram's ``<div class="mermaid">`` (its source, read by
mermaid-init.js: a mindmap's indentation is its tree). A line break inside a tag is folded too:
between attributes that changes nothing, and inside a quoted value (which no page of this site's
templates has; a note's could) it folds the value's whitespace as it folds text's. That is what
makes it cheap: the text is folded by two scans at C speed, not tag by tag (0.7 → 0.2 ms a page).
"""

from __future__ import annotations

import re

_VALUE = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""  # a tag's inside: a quoted value may hold a '>'
_KEPT = re.compile(
    rf"<(pre|code|kbd|textarea|script|style)(?=[\s/>]){_VALUE}>.*?</\1\s*>"  # an element kept whole
    r"|<div\s[^>]*?\bclass=\"mermaid\"[^>]*>.*?</div\s*>",  # a diagram's source (a mindmap's indentation is its tree)
    re.IGNORECASE | re.DOTALL,
)
_AFTER_BREAK = re.compile(r"\n[ \t\r\n\f]+")  # starts with a literal: found at C speed


def _fold(text: str) -> str:
    """Each run of whitespace holding a line break made one line break."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    ends_trimmed = [line.rstrip(" \t\r\f") for line in lines[:-1]]  # the run's part before each break
    return _AFTER_BREAK.sub("\n", "\n".join([*ends_trimmed, lines[-1]]))


def compact_whitespace(page_html: str) -> str:
    """The page with each run of whitespace holding a line break, outside pre/code/kbd/textarea/
    script/style and diagram sources, made one line break: it shows the same."""
    parts, at = [], 0
    for kept in _KEPT.finditer(page_html):
        parts += [_fold(page_html[at : kept.start()]), kept.group(0)]
        at = kept.end()
    parts.append(_fold(page_html[at:]))
    return "".join(parts)
