"""Which registry venue a piece of free text names.

BibTeX ``booktitle``/``journal`` fields, GitBook headings and awesome-list lines name venues in
many ways: "Proceedings of the 16th USENIX Symposium on Operating Systems Design and
Implementation", "2022 USENIX Annual Technical Conference (USENIX ATC 22)", "arXiv preprint
arXiv:2309.06180", "Advances in Neural Information Processing Systems 35", "SOSP '23". This module
turns such text into a ``Venue`` of the registry, or ``None`` when it cannot tell. It prefers no
answer to a wrong one: a long name only matches a venue whose own name covers most of it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from itertools import pairwise

from generator.load.venues import VenueRegistry
from generator.model import Venue

# Words that say nothing about which venue it is: dropped from both the text and the venue names.
_NOISE = {
    "proceedings", "proc", "of", "the", "in", "on", "at", "for", "and", "acm", "ieee", "usenix",
    "ifip", "cvf", "sigops", "sigplan", "sigarch", "sigbed", "sigmicro", "sigsac", "international",
    "annual", "advances", "conference", "symposium", "volume", "vol", "part", "papers", "long",
    "short", "companion", "association", "held", "joint", "th", "st", "nd", "rd", "edition",
}  # fmt: skip
_ORDINAL_WORDS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
    "twenty", "thirty", "forty", "fifty", "sixty",
}  # fmt: skip
_KIND_WORDS = {
    "workshop": "workshop", "transactions": "journal", "journal": "journal", "conference": "conference",
    "symposium": "conference",
}  # fmt: skip
# Words that say the text names an event: without one, a text never maps by its words to a
# conference or workshop (journal "Machine Learning" is not ICML, "Artificial Intelligence" not IJCAI).
_EVENT_WORDS = re.compile(
    r"\b(?:conference|conf|symposium|symp|workshop|proceedings|proc|meeting|congress|colloquium|advances|"
    r"forum|summit|annual|findings)\b",
    re.IGNORECASE,
)
_WORKSHOP = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_WORD = re.compile(r"[0-9a-z]+")
_PAREN = re.compile(r"\(([^()]{2,40})\)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9\-/+]*")
_YEARISH = re.compile(r"^(?:(?:19|20)\d\d|'?\d\d|\d{1,3}(?:st|nd|rd|th)?)$", re.IGNORECASE)
_ARXIV = re.compile(r"\barxiv\b|\bcorr\b|arxiv\.org", re.IGNORECASE)
MIN_COVERAGE = 0.75  # a venue's name must cover this share of the text's meaningful words


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _words(text: str) -> list[str]:
    """The meaningful words of a name, in order: no numbers, ordinals or boilerplate."""
    words = []
    for word in _WORD.findall(_fold(text).replace("&", " and ")):
        if word in _NOISE or word in _ORDINAL_WORDS or word.isdigit() or re.fullmatch(r"\d+(st|nd|rd|th)", word):
            continue
        words.append(word)
    return words


def _same_word(text_word: str, name_word: str) -> bool:
    """Equal, or an abbreviation of it: "Trans." for Transactions, "Distrib." for Distributed."""
    return text_word == name_word or (len(text_word) >= 4 and name_word.startswith(text_word))


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(all(_same_word(a, b) for a, b in zip(haystack[i : i + n], needle, strict=True)) for i in range(len(haystack) - n + 1))


def _strip_years(text: str) -> str:
    """ "OSDI 22" → "OSDI", "SOSP '23" → "SOSP", "SC20" → "SC", "IJCAI-19" → "IJCAI"."""
    words = [w for w in text.replace("’", "'").split() if not _YEARISH.match(w)]
    joined = " ".join(words)
    return re.sub(r"(?<=[A-Za-z])[-']?(?:19|20)?\d\d$", "", joined).strip(" -:,")


def _acronym_like(token: str) -> bool:
    """SOSP, EuroSys, arXiv, CoRR: not an ordinary capitalised word such as "Cluster"."""
    letters = [c for c in token if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 or any(a.islower() and b.isupper() for a, b in pairwise(token))


def venue_from_text(text: str, registry: VenueRegistry) -> Venue | None:
    """The registry venue that ``text`` names, or None when no venue clearly matches."""
    text = " ".join(html.unescape(text).split())  # "Parallel &amp; Distributed" from web pages
    if not text:
        return None
    # 1. the whole text is a key, name or alias ("OSDI", "USENIX ATC", "Proc. ACM Manag. Data")
    for candidate in (text, _strip_years(text), re.sub(r"^(?:the|proceedings of the)\s+", "", text, flags=re.I)):
        venue = registry.resolve(candidate) if candidate else None
        if venue is not None:
            return venue
    # 2. an acronym in parentheses: "… Implementation (OSDI 22)", "ACM Computing Surveys (CSUR)"
    for group in _PAREN.findall(text):
        venue = registry.resolve(_strip_years(group))
        if venue is not None:
            return venue
    # 3. arXiv in any spelling
    if _ARXIV.search(text):
        venue = registry.resolve("arXiv")
        if venue is not None:
            return venue
    # 4. the venue's own name covers the text: "Proceedings of the 29th Symposium on Operating
    #    Systems Principles" → SOSP; "Advances in Neural Information Processing Systems" → NeurIPS
    venue = _by_name(text, registry)
    if venue is not None:
        return venue
    # 5. exactly one acronym in the text names a venue: "Proceedings of the ACM SIGCOMM 2022 Conference";
    #    in a workshop's name only a workshop counts ("Workshop on X at NeurIPS" is not NeurIPS)
    workshop = _WORKSHOP.search(text) is not None
    found: dict[str, Venue] = {}
    tokens = _TOKEN.findall(text)
    for i, token in enumerate(tokens):
        for candidate in (token, " ".join(tokens[i : i + 2])):
            candidate = _strip_years(candidate)
            if candidate and _acronym_like(candidate.split()[0]):
                venue = registry.resolve(candidate)
                if venue is not None and (venue.kind == "workshop" or not workshop):
                    found[venue.key] = venue
    return next(iter(found.values())) if len(found) == 1 else None


def _by_name(text: str, registry: VenueRegistry) -> Venue | None:
    text_words = _words(text)
    if not text_words:
        return None
    folded = _fold(text)
    wanted_kind = next((kind for word, kind in _KIND_WORDS.items() if re.search(rf"\b{word}\b", folded)), None)
    event = _EVENT_WORDS.search(text) is not None
    best: tuple[float, int, str] | None = None
    best_venue: Venue | None = None
    tied = False
    for venue in registry.venues.values():
        if venue.kind in ("conference", "workshop") and not event:
            continue
        if wanted_kind == "workshop" and venue.kind != "workshop":
            continue
        for name in (venue.name, *venue.aliases):
            words = _words(name)
            if not words or (len(words) < 2 and words != text_words) or not _contains(text_words, words):
                continue
            coverage = len(words) / len(text_words)
            if coverage < MIN_COVERAGE:
                continue
            if venue.kind == "workshop" and _names_another_venue(text_words, words, venue, registry):
                continue  # "NeurIPS Workshop on Machine Learning Systems" is not EuroSys's workshop
            kind_bonus = 1 if wanted_kind is not None and (venue.kind == wanted_kind) else 0
            kind_penalty = 1 if wanted_kind is None and venue.kind == "workshop" else 0
            score = (kind_bonus - kind_penalty + coverage, len(words), venue.key)
            if best is None or score[:2] > best[:2]:
                best, best_venue, tied = score, venue, False
            elif score[:2] == best[:2] and best_venue is not None and venue.key != best_venue.key:
                tied = True
    return None if tied else best_venue  # two venues fit equally well: unsure, so no answer


def _names_another_venue(text_words: list[str], name_words: list[str], venue: Venue, registry: VenueRegistry) -> bool:
    """Whether a word of the text that the venue's name does not cover is another venue's key."""
    for word in text_words:
        if word in name_words:
            continue
        other = registry.resolve(word)
        if other is not None and other.key != venue.key:
            return True
    return False
