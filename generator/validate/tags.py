"""Tag spelling rules: which spellings are the same tag, and the URL slug of a tag.

``GPU_sharing``, ``#GPU_sharing``, ``GPU\\_sharing``, ``gpu-sharing`` and ``GPU sharing`` are one tag.
Slugs keep letters of every script, so Chinese tags get real URLs, and ``C++``/``C#`` stay apart.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from generator import urls
from generator.model import Tag
from generator.validate.visible import invisible_problem

MAX_TAG_LENGTH = 60
_SEPARATORS = re.compile(r"[\s_\-]+")
_SLUG_WORDS = {"+": "plus", "#": "sharp"}


def _word_char(ch: str) -> bool:
    """A letter, mark or digit of any script (so Devanagari vowel signs and Thai tone marks count)."""
    return unicodedata.category(ch)[0] in "LMN"


def allowed_char(ch: str) -> bool:
    """May ``ch`` appear in a tag? Letters, marks and digits of any script, '_', '-', '+', '#', '.' and spaces."""
    return _word_char(ch) or ch.isspace() or ch in "_-+#."


def clean_tag(raw: str) -> str:
    """The tag as its author meant it to be shown: no leading '#', no Markdown escapes."""
    text = unicodedata.normalize("NFC", raw).replace("\\", "").strip()
    return text.lstrip("#").strip()


@functools.lru_cache(maxsize=4096)  # the same few hundred tags recur on thousands of notes
def tag_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be a tag, or None when it can."""
    name = clean_tag(raw)
    if not name:
        return "is empty"
    if len(name) > MAX_TAG_LENGTH:
        return f"is longer than {MAX_TAG_LENGTH} characters"
    if why := invisible_problem(name):  # before the rule below: it names the character and says why
        return f"{name!r} {why}"
    bad = next((ch for ch in name if not allowed_char(ch)), None)
    if bad is not None:
        return f"{name!r} contains {bad!r} (a tag may use letters, digits, spaces and _ - + # .)"
    if not any(unicodedata.category(ch)[0] in "LN" for ch in tag_slug(name)):  # not only marks
        return f"{name!r} has no letter or digit to build a page address from"
    if why := urls.name_problem(urls.tag_bib(make_tag(name))):  # the page's folder and its .bib file
        return f"{name!r} {why}: use another spelling"
    return None


def tag_key(raw: str) -> str:
    """Identity of a tag: compatibility-normalized (ＧＰＵ is GPU) and case-folded, with runs of space,
    '_' and '-' folded into one '-'."""
    name = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", clean_tag(raw)).casefold())
    return _SEPARATORS.sub("-", name).strip("-")


def tag_slug(raw: str) -> str:
    """URL-safe slug of a tag: letters and digits of any script, '-' between words."""
    out: list[str] = []
    for ch in tag_key(raw):
        if _word_char(ch):
            out.append(ch)
        elif ch in _SLUG_WORDS:
            out.append(_SLUG_WORDS[ch])
        else:
            out.append("-")
    return re.sub("-+", "-", "".join(out)).strip("-")


@functools.lru_cache(maxsize=4096)
def make_tag(raw: str) -> Tag:
    name = clean_tag(raw)
    return Tag(key=tag_key(name), slug=tag_slug(name), name=name)
