"""Finishing: a page's indentation left out (the theme's templates indent every line; at 10,000
pages that is ~30 MB of a site that shows the same without it).

Only whitespace a browser collapses goes: between and in text, a run of spaces and line breaks
that holds a line break becomes one line break (shown, as before, as one space or nothing). The
rest is kept byte for byte: the inside of every tag (attribute values), and the elements whose
whitespace shows or runs: ``pre``, ``code``, ``kbd`` and ``textarea`` (the theme sets
``white-space: pre-wrap`` on code and kbd), ``script`` and ``style`` (their hashes are in the page's
Content-Security-Policy), and a Mermaid diagram's ``<div class="mermaid">`` (its source, read by
mermaid-init.js: a mindmap's indentation is its tree).
"""

from __future__ import annotations

import re

_VALUE = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""  # a tag's inside: a quoted value may hold a '>'
_KEPT = re.compile(
    rf"<(pre|code|kbd|textarea|script|style)(?=[\s/>]){_VALUE}>.*?</\1\s*>"  # an element kept whole
    rf"|<div\s{_VALUE}?\bclass=\"mermaid\"{_VALUE}>.*?</div\s*>"  # a diagram's source (a mindmap's indentation is its tree)
    rf"|<{_VALUE}>"  # any other tag, kept as it is
    r"|([ \t\r\f]*\n[ \t\r\n\f]*)",  # a run of whitespace with a line break in text
    re.IGNORECASE | re.DOTALL,
)


def _keep_or_fold(m: re.Match[str]) -> str:
    return "\n" if m.group(2) is not None else m.group(0)


def compact_whitespace(page_html: str) -> str:
    """The page with each run of whitespace holding a line break, outside tags and outside
    pre/code/kbd/textarea/script/style and diagram sources, made one line break: it shows the same."""
    return _KEPT.sub(_keep_or_fold, page_html)
