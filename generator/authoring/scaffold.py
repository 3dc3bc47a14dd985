"""``notes new``: start a note at ``papers/<venue>/<year>/<slug>.md``, ready for ``notes check``.

The note is written from ``templates/note.md.j2`` (front-matter, then the reading method's sections:
Problem → Key idea → Design → Evaluation → Takeaways / My questions) by ``authoring/note_file.py``,
which the importers share.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from generator.authoring.note_file import NoteDraft, check_text, existing_ids, free_stem, note_text, slugify, stem_problem, write_file
from generator.load.notes import shown_path
from generator.load.venues import load_registry
from generator.validate.graph import did_you_mean
from generator.validate.note import FIRST_YEAR, MAX_TITLE
from generator.validate.tags import tag_key, tag_problem

# ------------------------------------------------------------------------------------ the command


def add_parser(sub: argparse._SubParsersAction) -> None:
    new = sub.add_parser(
        "new",
        help="start a note at papers/<venue>/<year>/<slug>.md (asks for what is missing when run in a terminal)",
        description="Start a note from a title, venue and year. In a terminal, asks for whatever is not given.",
    )
    new.add_argument("--title", help="the paper's title")
    new.add_argument("--venue", help="a venue key or alias from the registry: OSDI, USENIX ATC, arXiv …")
    new.add_argument("--year", help="the publication year")
    new.add_argument("--authors", help='comma-separated names: "Gyeong-In Yu, Joo Seong Jeong"')
    new.add_argument("--aka", help='comma-separated short names of the system: "vLLM, PagedAttention"')
    new.add_argument("--tags", help='comma-separated tags: "LLM_serving, scheduling"')
    new.add_argument("--summary", help="one line in your own words")
    new.add_argument("--url", help="the paper's http(s) address (links.paper)")
    new.add_argument("--builds-on", help='comma-separated ids of papers of the site whose design it extends: "orca"')
    new.add_argument("--compares-with", help='comma-separated ids of papers of the site it evaluates against: "orca, vllm"')
    new.add_argument("--slug", help="the file name without .md (default: from the title)")
    new.add_argument("--papers", type=Path, default=Path("papers"), help="the notes folder (default: papers)")
    new.set_defaults(run=run_new)


class _Usage(Exception):
    """A usage error: exit code 2."""


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class _Asker:
    """Asks for a value in a terminal (prompt on stderr), or fails as a usage error elsewhere."""

    def __init__(self, interactive: bool, stdin: TextIO) -> None:
        self.interactive = interactive
        self.stdin = stdin

    def ask(self, label: str, given: str | None, check: Callable[[str], str | None], *, required: bool, option: str) -> str:
        value = given
        while True:
            if value is not None and (value.strip() or not required):
                why = check(value.strip()) if value.strip() else None
                if why is None:
                    return value.strip()
                if not self.interactive:
                    raise _Usage(f"{option}: {why}")
                print(f"  {why}", file=sys.stderr)
            elif not self.interactive:
                raise _Usage(f"{option} is required (or run `notes new` in a terminal to be asked)")
            print(f"{label}{'' if required else ' (optional, Enter to skip)'}: ", end="", file=sys.stderr, flush=True)
            line = self.stdin.readline()
            if not line:
                raise _Usage(f"no answer for {option}")
            value = line.rstrip("\n")


def run_new(args: argparse.Namespace, stdin: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    papers: Path = args.papers
    root = Path.cwd()
    registry, problems = load_registry(papers / "venues.yml", root)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    asker = _Asker(stdin.isatty(), stdin)
    this_year = dt.date.today().year

    def venue_problem(text: str) -> str | None:
        if registry.resolve(text) is not None:
            return None
        hint = registry.suggest(text)
        return f"unknown venue {text!r}" + (f" (did you mean {hint!r}?)" if hint else " (add it to papers/venues.yml)")

    def year_problem(text: str) -> str | None:
        if not re.fullmatch(r"\d{4}", text) or not FIRST_YEAR <= int(text) <= this_year + 1:
            return f"{text!r} is not a year between {FIRST_YEAR} and {this_year + 1}"
        return None

    def title_problem(text: str) -> str | None:
        return f"is longer than {MAX_TITLE} characters" if len(text) > MAX_TITLE else None

    def tags_problem(text: str) -> str | None:
        for tag in _split(text):
            why = tag_problem(tag)
            if why:
                return f"tag {tag!r} {why}"
        return None

    def url_problem(text: str) -> str | None:
        from generator.links import safe_http_url

        return None if safe_http_url(text) else f"{text!r} is not an http(s) URL"

    try:
        title = asker.ask("Title", args.title, title_problem, required=True, option="--title")
        venue_text = asker.ask("Venue (OSDI, SOSP, arXiv …)", args.venue, venue_problem, required=True, option="--venue")
        year = int(asker.ask("Year", args.year, year_problem, required=True, option="--year"))
        # in a terminal, someone who was asked for the basics is also offered the optional fields
        prompting = asker.interactive and None in (args.title, args.venue, args.year)

        def optional(label: str, given: str | None, check: Callable[[str], str | None], option: str) -> str:
            if given is None and not prompting:
                return ""
            return asker.ask(label, given, check, required=False, option=option)

        authors = optional("Authors, comma-separated", args.authors, lambda text: None, "--authors")
        aka = getattr(args, "aka", None) or ""  # not asked for in a terminal: few papers name a system
        tags = optional("Tags, comma-separated", args.tags, tags_problem, "--tags")
        url = optional("Paper URL", args.url, url_problem, "--url")
        slug = asker.ask("File name", args.slug, stem_problem, required=True, option="--slug") if args.slug is not None else None
        summary = (args.summary or "").strip()
    except _Usage as exc:
        print(f"notes new: {exc}", file=sys.stderr)
        return 2
    if "\n" in summary or len(summary) > 400:
        print("notes new: --summary must be one line of at most 400 characters", file=sys.stderr)
        return 2

    venue = registry.resolve(venue_text)
    assert venue is not None
    folder = papers / venue.slug / str(year)
    ids = existing_ids(papers, root)
    base = slug or slugify(title)
    target = folder / f"{base}.md"
    if target.exists():
        print(f"notes new: {shown_path(target, root)} already exists; not overwritten (choose another name with --slug)", file=sys.stderr)
        return 1
    if slug is not None and slug in ids:
        print(f"notes new: the id {slug!r} is already used by {ids[slug]} (ids are unique: choose another --slug)", file=sys.stderr)
        return 1
    relations: dict[str, list[str]] = {}
    for option, given in (("--builds-on", getattr(args, "builds_on", None)), ("--compares-with", getattr(args, "compares_with", None))):
        relations[option] = list(dict.fromkeys(_split(given)))
        unknown = [rid for rid in relations[option] if rid not in ids]
        if unknown:
            print(f"notes new: {option}: unknown paper id {unknown[0]!r}" + did_you_mean(unknown[0], ids), file=sys.stderr)
            return 2
    stem = base if slug is not None else free_stem(base, folder, venue.slug, year, ids)
    target = folder / f"{stem}.md"

    unique_tags: list[str] = []
    for tag in _split(tags):
        if tag_key(tag) not in {tag_key(t) for t in unique_tags}:
            unique_tags.append(tag)
    draft = NoteDraft(
        title=" ".join(title.split()), venue=venue.key, year=year, authors=_split(authors), aka=list(dict.fromkeys(_split(aka))),
        tags=unique_tags, summary=summary, links={"paper": url} if url else {}, added=dt.date.today().isoformat(),
        builds_on=relations["--builds-on"], compares_with=relations["--compares-with"],
    )  # fmt: skip
    text = note_text(draft, body=True, hints=True)
    shown = shown_path(target, root)
    problems = check_text(text, shown, target.relative_to(papers).as_posix(), registry)
    if problems:  # a bad --authors entry, say: nothing is written
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    try:
        write_file(target, text)
    except FileExistsError:
        print(f"notes new: {shown} already exists; not overwritten", file=sys.stderr)
        return 1
    print(shown)
    print(f"Created {shown}: write your notes under its headings, then run `notes check`.", file=sys.stderr)
    return 0
