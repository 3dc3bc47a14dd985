"""Venues an import meets that the registry does not know: a new site venue, written to ``papers/venues.yml``.

A well-formed venue name in a ``booktitle`` or ``journal`` ("Proceedings of the 2nd Workshop on Widget
Systems") is a fact about the paper, not an error: the import adds it to the site's own registry as
``Workshop on Widget Systems`` (kind from its words) and reports "new venue". Hand-written notes get
no such help: ``notes check`` keeps refusing a venue that neither registry knows.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from generator.authoring.note_file import yaml_value
from generator.load.frontmatter import FrontMatterError, decode, load_yaml
from generator.load.venues import VenueRegistry, load_registry, venue_slug
from generator.model import Venue

MAX_NEW_VENUE_NAME = 120
_LEADING = re.compile(r"^(?:in\s*:?\s+)?(?:(?:the\s+)?proceedings|proc\.?)\s+(?:of\s+)?(?:the\s+)?", re.IGNORECASE)
_ORDINAL = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|(?:twenty|thirty|forty|fifty|sixty)?-?(?:first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|"
    r"eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth))\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w/])(?:'\d\d|(?:19|20)\d\d)(?![\w/])")
_ACRONYM_IN_PARENS = re.compile(r"\(\s*([A-Z][A-Za-z0-9&+\-]{1,15})(?:\s*'?\s*(?:19|20)?\d\d)?\s*\)")
# Publishers, schools and places: a container named only by one of these is not a venue.
_NOT_A_VENUE = re.compile(
    r"^(?:acm|ieee|usenix|springer(?:\s+\w+)*|elsevier|wiley|mit\s+press|.*\bpress|.*\bpublish\w*|.*\buniversity\b.*|"
    r"association|.*\binc\.?|.*\bltd\.?|online|web(?:site| page)?|blog|github|personal communication|to appear|"
    r"forthcoming|in press|under review|submitted|preprint|tech(?:nical)? report|openreview(?:\.net)?)$",
    re.IGNORECASE,
)


def new_venue_name(text: str) -> str | None:
    """The venue's own name from a container field, without "Proceedings of the", ordinals and years;
    None when the text is not a well-formed venue name (a URL, a publisher, a year, too long)."""
    text = " ".join(html.unescape(text).split())
    if not text or re.search(r"https?://|www\.|\\url|arxiv|\bcorr\b", text, re.IGNORECASE):
        return None
    name = _LEADING.sub("", text)
    name = _ORDINAL.sub(" ", name)
    name = _YEAR.sub(" ", name)
    name = re.sub(r"\(\s*\)", " ", name)
    name = " ".join(name.split()).strip(" ,.;:-–—'")
    name = re.sub(r"^(?:the|annual|of)\s+", "", name, flags=re.IGNORECASE)
    letters = sum(c.isalpha() for c in name)
    if letters < 3 or len(name.split()) < 2 or len(name) > MAX_NEW_VENUE_NAME or _NOT_A_VENUE.match(name):
        return None
    return name


def key_and_name(text: str) -> tuple[str, str] | None:
    """A new venue's key and name: "… Workshop on Widget Systems (WiSys '23)" → ("WiSys", "Workshop on
    Widget Systems"); without an acronym in parentheses the name is the key. None if not a venue name."""
    acronym = _ACRONYM_IN_PARENS.search(text)
    if acronym and sum(c.isupper() for c in acronym.group(1)) >= 2:
        name = new_venue_name(text[: acronym.start()] + " " + text[acronym.end() :])
        return (acronym.group(1), name) if name else None
    name = new_venue_name(text)
    return (name, name) if name else None


def new_venue(text: str, registry: VenueRegistry, *, journal: bool) -> Venue | None:
    """A site venue for a well-formed container name the registry lacks, added to ``registry``; None when
    the text is no venue name, or the registry already knows it, or it looks like a typo of a known one."""
    found = key_and_name(text)
    if found is None:
        return None
    key, name = found
    if registry.resolve(key) is not None or registry.resolve(name) is not None:
        return None
    slug = venue_slug(key)
    if registry.suggest(key) is not None or not slug or slug in {v.slug for v in registry.venues.values()}:
        return None  # a typo of a known venue, or a key that would share another venue's page: a person decides
    folded = name.casefold()
    if re.search(r"\bworkshops?\b", folded):
        kind = "workshop"
    elif journal or re.search(r"\b(?:journal|transactions|letters|magazine|review)\b", folded):
        kind = "journal"
    else:
        kind = "conference"
    venue = Venue(key=key, name=name, kind=kind, slug=slug, aliases=(name,) if key != name else ())
    registry.add(venue)
    return venue


class NewVenues:
    """The venues one import adds: created in memory when first met, written to the site's
    ``venues.yml`` just before the first note that names them (never, in a dry run)."""

    def __init__(self, registry: VenueRegistry, site_file: Path, *, dry_run: bool) -> None:
        self.registry = registry
        self.site_file = site_file
        self.dry_run = dry_run
        self.pending: dict[str, Venue] = {}
        self.written: list[Venue] = []

    def find(self, text: str, *, journal: bool) -> Venue | None:
        """The registry venue a container name resolves to now (one this import added included), or a new one."""
        for name in key_and_name(text) or (text,):
            known = self.registry.resolve(name)
            if known is not None:
                return known
        venue = new_venue(text, self.registry, journal=journal)
        if venue is not None:
            self.pending[venue.key] = venue
        return venue

    def commit(self, venue: Venue) -> tuple[str, str | None]:
        """Write ``venue`` if this import created it and has not written it yet: (report text, error)."""
        if venue.key not in self.pending:
            return "", None
        if not self.dry_run:
            error = add_site_venue(self.site_file, venue)
            if error is not None:
                return "", error
        del self.pending[venue.key]
        self.written.append(venue)
        verb = "would add" if self.dry_run else "added"
        return f"; new venue {venue.key!r} ({venue.kind}): {verb} to {self.site_file.name}", None


def venue_line(venue: Venue, indent: str = "  ") -> str:
    facts = [f"name: {yaml_value(venue.name)}", f"kind: {venue.kind}"]
    if venue.aliases:
        facts.append(f"aliases: {yaml_value(list(venue.aliases))}")
    return f"{indent}{yaml_value(venue.key)}: {{{', '.join(facts)}}}"


def add_site_venue(site_file: Path, venue: Venue) -> str | None:
    """Add ``venue`` to the site's ``venues.yml`` (created if missing); None, or why it could not."""
    try:
        before = decode(site_file.read_bytes()) if site_file.exists() else None
    except (OSError, FrontMatterError) as exc:
        return f"cannot read {site_file.name}: {exc}"
    after: str | None
    if before is None:
        after = "# Venues this site adds to the built-in registry (see README: Venues).\nvenues:\n" + venue_line(venue) + "\n"
    else:
        after = _with_venue(before, venue)
        if after is None:
            return f"{site_file.name} has its venues in a form an import cannot extend; add {venue.key!r} by hand"
    try:
        load_yaml(after, what="venues.yml")
    except FrontMatterError as exc:
        return f"{site_file.name} would not stay valid YAML ({exc.message})"
    site_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = site_file.with_name(site_file.name + ".tmp")
    tmp.write_text(after, encoding="utf-8", newline="\n")
    tmp.replace(site_file)
    _, problems = load_registry(site_file)
    if problems:  # never leave a broken site registry behind
        if before is None:
            site_file.unlink()
        else:
            site_file.write_text(before, encoding="utf-8", newline="\n")
        return f"{site_file.name} would not pass notes check: {problems[0].message}"
    return None


def _with_venue(text: str, venue: Venue) -> str | None:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(r"venues:\s*(?:\{\s*\})?\s*(?:#.*)?", line):
            indent = "  "
            for later in lines[i + 1 :]:
                if later.strip() and not later.lstrip().startswith("#"):
                    if later.startswith((" ", "\t")):
                        indent = later[: len(later) - len(later.lstrip())]
                    break
            lines[i] = "venues:"
            lines.insert(i + 1, venue_line(venue, indent))
            return "\n".join(lines) + "\n"
        if re.match(r"venues\s*:", line):
            return None
    return text.rstrip("\n") + ("\n\n" if text.strip() else "") + "venues:\n" + venue_line(venue) + "\n"
