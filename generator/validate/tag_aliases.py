"""Tag aliases: spellings of one topic that a site merges into one tag, read from ``papers/tags.yml``::

    aliases:
      caching: [cache]
      time-sharing: [分时共享, GPU_time_sharing]

Each canonical tag maps to the spellings that mean the same. A note that writes an alias gets the
canonical tag (on its page, in the tag index, feeds, papers.json, BibTeX keywords, search and the
related-papers scores), because the aliases are applied to the validated notes before anything is
indexed. Spellings that ``tags.tag_key`` already folds together (``GPU_sharing``/``gpu sharing``) need
no alias.

The file is read like ``venues.yml``: one strict YAML document, no symbolic link, and every mistake is
a problem at its line: an unknown section, a list that is not a list of tags, a spelling that is no
valid tag, an alias listed twice, an alias that is itself canonical (a chain or a cycle).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.load.frontmatter import FrontMatterError, Lines, decode, load_yaml
from generator.load.notes import link_problem, shown_path
from generator.model import Paper, Problem, Tag
from generator.validate.tags import make_tag, tag_problem

TAGS_FILE = "tags.yml"


@dataclass
class TagAliases:
    """Alias key → the canonical tag it stands for."""

    canonical: dict[str, Tag] = field(default_factory=dict)
    spelled: dict[str, str] = field(default_factory=dict)  # alias key → the alias as tags.yml writes it
    distinct: set[frozenset[str]] = field(default_factory=set)  # pairs of tag keys looked at: not one topic

    def resolve(self, tag: Tag) -> Tag:
        return self.canonical.get(tag.key, tag)

    def aliases_of(self, key: str) -> list[str]:
        """The other spellings of the tag with ``key``, as ``tags.yml`` writes them."""
        return sorted(self.spelled.get(alias, alias) for alias, tag in self.canonical.items() if tag.key == key)

    def by_tag(self) -> dict[str, tuple[str, ...]]:
        """Canonical tag key → its other spellings, as ``tags.yml`` writes them (sorted)."""
        spellings: dict[str, list[str]] = {}
        for alias, tag in self.canonical.items():
            spellings.setdefault(tag.key, []).append(self.spelled.get(alias, alias))
        return {key: tuple(sorted(names)) for key, names in sorted(spellings.items())}


def load_aliases(site_file: Path, root: Path) -> tuple[TagAliases, list[Problem]]:
    """The aliases of ``papers/tags.yml`` (none when it does not exist) and the problems found in it."""
    if not os.path.lexists(site_file):
        return TagAliases(), []
    refused = link_problem(site_file, site_file.parent, root)
    if refused is not None:
        return TagAliases(), [refused]
    shown = shown_path(site_file, root)
    if not site_file.is_file():
        return TagAliases(), [Problem(shown, 1, "file", "must be a file")]
    try:
        data, lines = load_yaml(decode(site_file.read_bytes()), what="tags.yml")
    except FrontMatterError as exc:
        return TagAliases(), [Problem(shown, exc.line, exc.field, exc.message)]
    return parse_aliases(data, lines, shown)


def parse_aliases(data: Any, lines: Lines, shown: str) -> tuple[TagAliases, list[Problem]]:
    problems: list[Problem] = []
    if data is None:
        return TagAliases(), problems
    if not isinstance(data, dict):
        return TagAliases(), [Problem(shown, 1, "tags.yml", "must be a mapping with 'aliases:' (canonical tag: [its other spellings])")]
    for key in data:
        if key not in ("aliases", "distinct"):
            problems.append(Problem(shown, lines.get((key,), 1), str(key), "unknown section (use 'aliases' or 'distinct')"))
    section = data.get("aliases") or {}
    if not isinstance(section, dict):
        problems.append(Problem(shown, lines.get(("aliases",), 1), "aliases", "must map a canonical tag to a list of its other spellings"))
        section = {}
    aliases = _link(_entries(section, lines, shown, problems), shown, problems)
    aliases.distinct = _distinct(data.get("distinct") or [], lines, shown, problems)
    return aliases, problems


def _distinct(section: Any, lines: Lines, shown: str, problems: list[Problem]) -> set[frozenset[str]]:
    """``distinct: [[a, b], ...]``: groups of tags that look alike but are different topics."""
    if not isinstance(section, list):
        problems.append(Problem(shown, lines.get(("distinct",), 1), "distinct", "must be a list of lists of tags, e.g. - [llm, lm]"))
        return set()
    pairs: set[frozenset[str]] = set()
    for i, group in enumerate(section):
        line = lines.get(("distinct", i), 1)
        if not isinstance(group, list) or len(group) < 2 or any(not isinstance(t, str) or tag_problem(t) for t in group):
            problems.append(Problem(shown, line, "distinct", "each entry must be a list of two or more tags, e.g. - [llm, lm]"))
            continue
        keys = sorted({make_tag(t).key for t in group})
        pairs |= {frozenset((a, b)) for j, a in enumerate(keys) for b in keys[j + 1 :]}
    return pairs


@dataclass
class _Entry:
    canonical: Tag
    line: int
    aliases: list[tuple[Tag, int]]


def _entries(section: dict[Any, Any], lines: Lines, shown: str, problems: list[Problem]) -> list[_Entry]:
    """One entry per canonical tag whose spellings are valid tags (the others are problems)."""
    entries: list[_Entry] = []
    seen: dict[str, int] = {}
    for name, spellings in section.items():
        line = lines.get(("aliases", name), 1)
        where = f"aliases.{name}"
        if not isinstance(name, str) or (why := tag_problem(name)):
            problems.append(Problem(shown, line, where, f"the canonical tag {why or 'must be text'}"))
            continue
        canonical = make_tag(name)
        if canonical.key in seen:
            problems.append(Problem(shown, line, where, f"the same tag as the entry at line {seen[canonical.key]}: merge the two lists"))
            continue
        seen[canonical.key] = line
        if not isinstance(spellings, list) or not spellings:
            problems.append(Problem(shown, line, where, f"must be a list of other spellings, e.g. {name}: [{name}s]"))
            continue
        aliases: list[tuple[Tag, int]] = []
        for i, spelling in enumerate(spellings):
            aline = lines.get(("aliases", name, i), line)
            if not isinstance(spelling, str) or (why := tag_problem(spelling)):
                problems.append(Problem(shown, aline, where, f"alias {why or repr(spelling) + ' must be text'}"))
                continue
            alias = make_tag(spelling)
            if alias.key == canonical.key:
                problems.append(Problem(shown, aline, where, f"alias {spelling!r} is the tag itself (case, '_', '-' and spaces "
                                        "never make two tags): leave it out"))  # fmt: skip
                continue
            aliases.append((alias, aline))
        entries.append(_Entry(canonical, line, aliases))
    return entries


def _link(entries: list[_Entry], shown: str, problems: list[Problem]) -> TagAliases:
    """Alias key → canonical tag, refusing an alias listed twice and an alias that is canonical itself."""
    canonical_keys = {e.canonical.key: e for e in entries}
    result = TagAliases()
    where_listed: dict[str, tuple[str, int]] = {}
    for entry in entries:
        for alias, line in entry.aliases:
            where = f"aliases.{entry.canonical.name}"
            if alias.key in where_listed:
                first_name, first_line = where_listed[alias.key]
                problems.append(Problem(shown, line, where, f"alias {alias.name!r} is listed twice (also under {first_name!r} "
                                        f"at line {first_line}): keep one"))  # fmt: skip
                continue
            where_listed[alias.key] = (entry.canonical.name, line)
            if alias.key in canonical_keys:
                other = canonical_keys[alias.key]
                if any(a.key == entry.canonical.key for a, _ in other.aliases):
                    why = f"cycle: {entry.canonical.name!r} → {alias.name!r} → {entry.canonical.name!r} (each spelling is canonical or an alias, not both)"
                else:
                    why = (
                        f"alias {alias.name!r} is itself a canonical tag (line {other.line}): list its aliases under "
                        f"{entry.canonical.name!r} and remove its entry, or drop this alias"
                    )
                problems.append(Problem(shown, line, where, why))
                continue
            result.canonical[alias.key] = entry.canonical
            result.spelled[alias.key] = alias.name
    return result


def apply_aliases(papers: list[Paper], aliases: TagAliases) -> list[Paper]:
    """The notes with each alias replaced by its canonical tag (once per note, at the first line it appears)."""
    if not aliases.canonical:
        return papers
    return [_canonical_paper(paper, aliases) for paper in papers]


def _canonical_paper(paper: Paper, aliases: TagAliases) -> Paper:
    if not any(tag.key in aliases.canonical for tag in paper.tags):
        return paper
    tags: dict[str, tuple[Tag, int]] = {}
    lines = paper.tag_lines if len(paper.tag_lines) == len(paper.tags) else (paper.line,) * len(paper.tags)
    for tag, line in zip(paper.tags, lines, strict=True):
        resolved = aliases.resolve(tag)
        tags.setdefault(resolved.key, (resolved, line))
    return replace(paper, tags=tuple(t for t, _ in tags.values()), tag_lines=tuple(ln for _, ln in tags.values()))
