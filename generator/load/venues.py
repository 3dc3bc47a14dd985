"""The venue registry: which names a note may give in ``venue:``, and what is known about each edition.

The built-in registry ships in ``data/venues.yml``; a site adds or overrides venues and records
per-edition facts in ``papers/venues.yml``::

    venues:
      MyWorkshop: {name: Workshop on Something, kind: workshop}
    editions:
      OSDI:
        2022: {name: 16th USENIX Symposium on ..., homepage: https://..., papers: https://..., location: ...}
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from generator import urls
from generator.links import safe_http_url
from generator.load.frontmatter import FrontMatterError, Lines, decode, load_yaml
from generator.load.notes import link_problem
from generator.model import VENUE_KINDS, EditionFacts, Problem, Venue

_VENUE_FIELDS = ("name", "kind", "aliases", "rank", "homepage")
_EDITION_FIELDS = {"name": "name", "homepage": "homepage", "papers": "papers_url", "location": "location"}


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


def typo_budget(norm: str) -> int:
    """How many edits still count as a typo of a name this long (letters and digits only)."""
    return 1 if len(norm) <= 8 else 2 if len(norm) <= 16 else 3


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps.

    With a ``limit``, any distance over it comes back as ``limit + 1``, found as soon as two rows of
    the table exceed it (every later cell then does too: each comes from one of the two rows above
    it, plus one), so ``edit_distance(a, b, limit) <= limit`` is quick for far-apart words."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if limit is not None and min(current) > limit and min(previous) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if limit is None else min(previous[-1], limit + 1)


def venue_slug(key: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", key.casefold()).strip("-")


@dataclass
class VenueRegistry:
    venues: dict[str, Venue] = field(default_factory=dict)
    editions: dict[tuple[str, int], EditionFacts] = field(default_factory=dict)
    _lookup: dict[str, str] = field(default_factory=dict)

    def add(self, venue: Venue) -> None:
        self.venues[venue.key] = venue
        self._lookup = {}

    def _names(self) -> dict[str, str]:
        if not self._lookup:
            for venue in self.venues.values():
                for name in (venue.key, venue.name, *venue.aliases):
                    self._lookup.setdefault(_norm(name), venue.key)
            for venue in self.venues.values():  # keys win over other venues' aliases
                self._lookup[_norm(venue.key)] = venue.key
        return self._lookup

    def resolve(self, name: str) -> Venue | None:
        key = self._names().get(_norm(name))
        return self.venues[key] if key else None

    def suggest(self, name: str) -> str | None:
        """A venue whose key, name or alias is ``name`` with a typo or two, or None.

        Close *as written*: a few edits (substitutions, insertions, deletions, swaps of neighbours)
        relative to the length, so "OSDII" suggests OSDI, but "PLDI" does not suggest VLDB (two of four
        letters differ) and "USENIX Security" does not suggest "USENIX OSDI" (a shared prefix is not
        a typo)."""
        wanted = _norm(name)
        if not wanted:
            return None
        allowed = typo_budget(wanted)
        best: tuple[int, str] | None = None
        for written, key in self._names().items():
            if abs(len(written) - len(wanted)) > allowed:
                continue
            distance = edit_distance(wanted, written)
            if distance <= allowed and (best is None or (distance, key) < best):
                best = (distance, key)
        return best[1] if best else None

    def edition_facts(self, venue: Venue, year: int) -> EditionFacts:
        return self.editions.get((venue.key, year), EditionFacts())


def load_registry(site_file: Path | None = None, root: Path | None = None) -> tuple[VenueRegistry, list[Problem]]:
    """The built-in registry plus the site's ``venues.yml`` (if any), and the problems found in the latter."""
    registry = VenueRegistry()
    builtin = resources.files("generator").joinpath("data/venues.yml").read_text(encoding="utf-8")
    data, lines = load_yaml(builtin, what="venues")
    problems: list[Problem] = []
    _add_venues(registry, data, lines, (), "generator/data/venues.yml", problems)
    if problems:  # the shipped registry is code: a mistake in it is a bug, not a user error
        raise ValueError("\n".join(map(str, problems)))
    if site_file is not None and os.path.lexists(site_file):
        refused = link_problem(site_file, site_file.parent, root or site_file.parent.parent)
        if refused is not None:
            return registry, [refused]
    if site_file is not None and site_file.is_file():
        shown = _shown_path(site_file, root)
        try:
            data, lines = load_yaml(decode(site_file.read_bytes()), what="venues.yml")
        except FrontMatterError as exc:
            return registry, [Problem(shown, exc.line, exc.field, exc.message)]
        problems += _load_site(registry, data, lines, shown)
    return registry, problems


def _shown_path(path: Path, root: Path | None) -> str:
    try:
        return path.relative_to(root).as_posix() if root else path.as_posix()
    except ValueError:
        return path.as_posix()


def _load_site(registry: VenueRegistry, data: Any, lines: Lines, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    if data is None:
        return problems
    if not isinstance(data, dict):
        return [Problem(shown, 1, "venues.yml", "must be a mapping with 'venues:' and/or 'editions:'")]
    for key in data:
        if key not in ("venues", "editions"):
            problems.append(Problem(shown, lines[(key,)], str(key), "unknown section (use 'venues' or 'editions')"))
    _add_venues(registry, data.get("venues") or {}, lines, ("venues",), shown, problems)
    _add_editions(registry, data.get("editions") or {}, lines, shown, problems)
    return problems


def _add_venues(registry: VenueRegistry, data: Any, lines: Lines, at: tuple[Any, ...], shown: str, problems: list[Problem]) -> None:
    if not isinstance(data, dict):
        problems.append(Problem(shown, lines.get(at, 1), "venues", "must map a venue key to its facts"))
        return
    for key, facts in data.items():
        line = lines.get(at + (key,), 1)
        where = f"venues.{key}"
        if not isinstance(facts, dict):
            problems.append(Problem(shown, line, where, "must be a mapping with at least 'name' and 'kind'"))
            continue
        unknown = [f for f in facts if f not in _VENUE_FIELDS]
        if unknown:
            problems.append(Problem(shown, line, where, f"unknown field {unknown[0]!r} (fields: {', '.join(_VENUE_FIELDS)})"))
            continue
        name, kind = facts.get("name"), facts.get("kind")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(shown, line, where, "needs a 'name' (the venue's full name)"))
            continue
        if kind not in VENUE_KINDS:
            problems.append(Problem(shown, line, where, f"'kind' must be one of {', '.join(VENUE_KINDS)}"))
            continue
        aliases = facts.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(Problem(shown, line, where, "'aliases' must be a list of names"))
            continue
        homepage = facts.get("homepage")
        if homepage is not None and safe_http_url(homepage) is None:
            problems.append(Problem(shown, line, where, "'homepage' must be an http(s) URL"))
            continue
        slug = venue_slug(str(key))
        if not slug:
            problems.append(Problem(shown, line, where, "the key needs a letter or digit"))
            continue
        rank = facts.get("rank")
        venue = Venue(
            key=str(key),
            name=name.strip(),
            kind=kind,
            slug=slug,
            aliases=tuple(aliases),
            rank=str(rank) if rank else None,
            homepage=safe_http_url(homepage) if homepage else None,
        )
        if why := urls.name_problem(urls.edition_bib(venue, 9999)):  # the longest name made from the key
            problems.append(Problem(shown, line, where, f"the key {why}: use a shorter key"))
            continue
        registry.add(venue)


def _add_editions(registry: VenueRegistry, data: Any, lines: Lines, shown: str, problems: list[Problem]) -> None:
    if not isinstance(data, dict):
        problems.append(Problem(shown, lines.get(("editions",), 1), "editions", "must map a venue to its years"))
        return
    for name, years in data.items():
        line = lines.get(("editions", name), 1)
        venue = registry.resolve(str(name))
        if venue is None:
            hint = registry.suggest(str(name))
            problems.append(Problem(shown, line, f"editions.{name}", "unknown venue" + (f" (did you mean {hint!r}?)" if hint else "")))
            continue
        if not isinstance(years, dict):
            problems.append(Problem(shown, line, f"editions.{name}", "must map a year to its facts"))
            continue
        for year, facts in years.items():
            at = ("editions", name, year)
            where = f"editions.{name}.{year}"
            yline = lines.get(at, line)
            if not isinstance(year, int) or isinstance(year, bool):
                problems.append(Problem(shown, yline, where, "the year must be a number such as 2022"))
                continue
            if not isinstance(facts, dict):
                problems.append(Problem(shown, yline, where, f"must be a mapping of {', '.join(_EDITION_FIELDS)}"))
                continue
            values: dict[str, str] = {}
            for fname, value in facts.items():
                fline = lines.get(at + (fname,), yline)
                if fname not in _EDITION_FIELDS:
                    problems.append(Problem(shown, fline, f"{where}.{fname}", f"unknown field (fields: {', '.join(_EDITION_FIELDS)})"))
                elif not isinstance(value, str):
                    problems.append(Problem(shown, fline, f"{where}.{fname}", "must be text"))
                elif fname in ("homepage", "papers") and safe_http_url(value) is None:
                    problems.append(Problem(shown, fline, f"{where}.{fname}", "must be an http(s) URL"))
                else:
                    values[_EDITION_FIELDS[fname]] = safe_http_url(value) if fname in ("homepage", "papers") else value.strip()  # type: ignore[assignment]
            registry.editions[(venue.key, year)] = EditionFacts(**values)
