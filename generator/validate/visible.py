r"""Characters that show nothing, refused where text must be what it looks like: tags, authors, titles.

A zero-width space, a word joiner, a bidi mark, a Unicode TAG character or a Hangul filler makes two
names that look the same differ (``GPU\u200bsharing`` gets its own tag page), or a title that looks
blank. Invisible here means: every format character (Unicode category Cf: zero-width and bidi
marks, word joiners, TAG characters, the soft hyphen), the blank-looking fillers (U+115F, U+1160,
U+3164, U+FFA0, U+2800) and the marks that only select a glyph (variation selectors, the combining
grapheme joiner, Mongolian selectors).

Tags and authors may hold none of them (so a Persian name is written without its zero-width
non-joiner). A title may use them only inside an emoji sequence: a zero-width joiner between two
pictographs (👩‍💻), a variation selector after a pictograph or a keycap's digit (❤️, 1️⃣), and TAG characters after
a black flag (the flags of England, Scotland and Wales).
"""

from __future__ import annotations

import unicodedata

_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
_ZWJ = "\u200d"
_BLACK_FLAG = "\U0001f3f4"
_TAG_END = "\U000e007f"


def _selector(ch: str) -> bool:
    """A variation selector or a Mongolian free variation selector (both change only the glyph)."""
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F


def invisible(ch: str) -> bool:
    """Does ``ch`` show nothing (see the module's docstring)?"""
    return ch in _FILLERS or _selector(ch) or unicodedata.category(ch) == "Cf"


def _pictograph(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk") or 0x1F000 <= ord(ch) <= 0x1FAFF


def _tag_char(ch: str) -> bool:
    return 0xE0020 <= ord(ch) <= 0xE007F


def _emoji_part(text: str, i: int) -> bool:
    """May the invisible ``text[i]`` stay in a title, as part of an emoji sequence?"""
    ch = text[i]
    before = text[i - 1] if i > 0 else ""
    if _selector(ch):
        return ord(ch) in (0xFE0E, 0xFE0F) and bool(before) and (_pictograph(before) or before in "0123456789#*")
    if ch == _ZWJ:
        j = i - 1
        while j >= 0 and (_selector(text[j]) or 0x1F3FB <= ord(text[j]) <= 0x1F3FF):  # ❤️ and 👩🏽 before the joiner
            j -= 1
        after = text[i + 1] if i + 1 < len(text) else ""
        return j >= 0 and _pictograph(text[j]) and bool(after) and _pictograph(after)
    if _tag_char(ch):
        j = i - 1
        while j >= 0 and _tag_char(text[j]) and text[j] != _TAG_END:
            j -= 1
        return j >= 0 and text[j] == _BLACK_FLAG
    return False


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def invisible_problem(text: str) -> str | None:
    """Why ``text`` (a tag or an author) cannot be used: the first invisible character it holds."""
    if text.isascii():  # the common case; ASCII has no invisible characters (controls are refused earlier)
        return None
    bad = next((ch for ch in text if invisible(ch)), None)
    return f"contains the invisible character {_describe(bad)}: remove it" if bad is not None else None


def title_problem(text: str) -> str | None:
    """Why ``text`` cannot be a title: an invisible character outside an emoji sequence, or nothing visible."""
    if text.isascii() and text.strip():
        return None
    for i, ch in enumerate(text):
        if invisible(ch) and not _emoji_part(text, i):
            return f"contains the invisible character {_describe(ch)}: remove it (only emoji sequences may hold one)"
    if all(ch.isspace() or invisible(ch) for ch in text):
        return "shows nothing: write the paper's title"
    return None
