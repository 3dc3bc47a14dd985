"""The search's "did you mean" list: the words a reader is likely to look for, from every indexed page.

Pagefind matches words exactly (or by prefix), so a typo finds nothing. search.js fetches this
list only when a query finds little, and offers the nearest word by edit distance. The words come
from what readers search by: titles, short names (``aka``), tag names and author surnames (of hand
written pages, their heading). One word a line, the most frequent first (ties in alphabetical order),
written as most pages write it; at most ``MAX_WORDS``, so the file stays small on a large site.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

FILE = "rn-words.txt"  # in the index's folder, beside Pagefind's files
MAX_WORDS = 6000  # the most frequent words; a site of 5,000 synthetic notes has far fewer
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away to suggest one
_META = re.compile(r'data-pagefind-meta="(?:title|aka|tags)"[^>]*>([^<]*)<')
_AUTHORS = re.compile(r'<p class="rn-paper-header__authors">([^<]*)</p>')
_HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+")  # letters and digits; _ and - split words, as the search box does
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def page_words(page_html: str) -> list[str]:
    """The words of one page that a reader may search by, as written (repeats kept)."""
    texts = [html.unescape(m.group(1)) for m in _META.finditer(page_html)]
    for authors in _AUTHORS.findall(page_html):
        texts += [name.split()[-1] for name in html.unescape(authors).split(",") if name.split()]
    if not texts:  # a hand-written page: its heading
        heading = _HEADING.search(page_html)
        texts = [html.unescape(_TAG.sub("", heading.group(1)))] if heading else []
    return [w for text in texts for w in _WORD.findall(text) if _useful(w)]


def _useful(word: str) -> bool:
    return len(word) >= MIN_LENGTH and not word.isdigit() and _CJK.search(word) is None


class Vocabulary:
    """Words counted over the pages, case-insensitively; each shown in its most common spelling."""

    def __init__(self) -> None:
        self.spellings: Counter[str] = Counter()

    def add(self, page_html: str) -> None:
        self.add_words(page_words(page_html))

    def add_words(self, words: list[str]) -> None:
        """Words of one page, as ``page_words`` gives them (kept from an earlier build)."""
        self.spellings.update(words)

    def words(self) -> list[str]:
        counts: Counter[str] = Counter()
        shown: dict[str, tuple[int, str]] = {}
        for spelling, n in self.spellings.items():
            key = spelling.lower()
            counts[key] += n
            best = shown.get(key)
            if best is None or (-n, spelling) < best:
                shown[key] = (-n, spelling)
        ranked = sorted(counts, key=lambda key: (-counts[key], key))[:MAX_WORDS]
        return [shown[key][1] for key in ranked]

    def write(self, folder: Path) -> Path:
        path = folder / FILE
        path.write_text("".join(word + "\n" for word in self.words()), encoding="utf-8")
        return path
