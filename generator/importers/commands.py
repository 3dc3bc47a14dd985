"""The ``notes import-bib``, ``notes import-notes`` and ``notes import-list`` subcommands (wired into
``generator/cli.py``).

Exit codes: 0 when every input was imported, a duplicate or skipped (import-bib: also updated or
unchanged); 1 when something could not be imported (each such line says why); 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.importers.awesome import run_import_list
from generator.importers.bib import import_bib
from generator.importers.common import Report
from generator.importers.gitbook import run_import_notes
from generator.load.venues import load_registry


def add_parsers(sub: argparse._SubParsersAction) -> None:
    bib = sub.add_parser(
        "import-bib",
        help="one note per entry of a .bib file; reports duplicates and failures by key and line",
        description="Import a BibTeX file: one note per entry, with a line for every entry that is not imported.",
    )
    bib.add_argument("file", type=Path, help="the .bib file")
    bib.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
    bib.add_argument("--out", type=Path, default=Path("papers"), help="the notes folder (default: papers)")
    bib.add_argument(
        "--no-new-venues", dest="add_venues", action="store_false",
        help="fail entries whose booktitle/journal the venue registry lacks, instead of adding them to venues.yml",
    )  # fmt: skip
    bib.set_defaults(run=run_bib_command)
    notes = sub.add_parser(
        "import-notes",
        help="convert a folder of Markdown notes (a GitBook space, say) into notes in papers/",
        description="Convert a folder of Markdown notes into this format. Venue and year come from the front-matter, "
        "the folder names (conference/osdi-2022/…), a 'Presented in' line or a [2021 OSDI] title prefix; tags from "
        "#hashtags in a GitBook description. Existing files are never overwritten.",
    )
    notes.add_argument("folder", type=Path, help="the folder of notes to import")
    _add_output_options(notes)
    notes.add_argument("--docs", type=Path, default=None, help="where images and edition pages' text go (default: docs/ beside --out)")
    notes.set_defaults(run=run_notes_command)
    lst = sub.add_parser(
        "import-list",
        help="turn an awesome-style paper list (- [OSDI'22] [Title](url)) into paper entries in papers/",
        description="Turn a Markdown paper list into paper entries (notes without a body): one per list item. "
        "Venue and year come from the line, the headings above it (# osdi / ## 2023) or the paper's address; "
        "[x] marks a paper read, ⚡ 💎 💡 its level, other headings its topic. Existing files are never overwritten.",
    )
    lst.add_argument("file", type=Path, help="the Markdown list to import")
    _add_output_options(lst)
    lst.set_defaults(run=run_list_command)


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    """--out and --dry-run, shared by both import commands."""
    parser.add_argument("--out", type=Path, default=Path("papers"), help="the notes folder to write to (default: papers)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be written, write nothing")
    parser.add_argument(
        "--merge", action="store_true",
        help="add a duplicate's level, topic and read status to the existing note when it has none (never overwrites a field)",
    )  # fmt: skip


def _usage_problem(out: Path) -> str | None:
    if out.exists() and not out.is_dir():
        return f"--out {out} is not a folder"
    _, problems = load_registry(out / "venues.yml", Path.cwd())
    if problems:
        return "fix the site's venues.yml first:\n" + "\n".join(map(str, problems))
    return None


def _usage(command: str, why: str) -> int:
    print(f"notes {command}: {why}", file=sys.stderr)
    return 2


def _finish(report: Report, summary: str, failed: str = "not imported") -> int:
    report.print(summary)
    return 1 if report.counts[failed] else 0


def run_bib_command(args: argparse.Namespace) -> int:
    why = None if args.file.is_file() else f"{args.file}: no such file"
    why = why or _usage_problem(args.out)
    if why:
        return _usage("import-bib", why)
    return _finish(*import_bib(args.file, args.out, Path.cwd(), dry_run=args.dry_run, add_venues=args.add_venues), failed="failed")


def run_notes_command(args: argparse.Namespace) -> int:
    why = None if args.folder.is_dir() else f"{args.folder}: no such folder"
    why = why or _usage_problem(args.out)
    if why:
        return _usage("import-notes", why)
    return _finish(*run_import_notes(args.folder, args.out, args.dry_run, args.docs, merge=args.merge))


def run_list_command(args: argparse.Namespace) -> int:
    why = None if args.file.is_file() else f"{args.file}: no such file"
    why = why or _usage_problem(args.out)
    if why:
        return _usage("import-list", why)
    return _finish(*run_import_list(args.file, args.out, args.dry_run, merge=args.merge))
