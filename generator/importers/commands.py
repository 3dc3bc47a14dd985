"""The ``notes import-notes`` and ``notes import-list`` subcommands (wired into ``generator/cli.py``).

Exit codes: 0 when every input was imported, a duplicate or skipped; 1 when something could not be
imported (each such line says why); 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.importers.awesome import run_import_list
from generator.importers.common import Report
from generator.importers.gitbook import run_import_notes
from generator.load.venues import load_registry


def add_parsers(sub: argparse._SubParsersAction) -> None:
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


def _finish(report: Report, summary: str) -> int:
    report.print(summary)
    return 1 if report.counts["not imported"] else 0


def run_notes_command(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        print(f"notes import-notes: {args.folder}: no such folder", file=sys.stderr)
        return 2
    why = _usage_problem(args.out)
    if why:
        print(f"notes import-notes: {why}", file=sys.stderr)
        return 2
    return _finish(*run_import_notes(args.folder, args.out, args.dry_run, args.docs, merge=args.merge))


def run_list_command(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"notes import-list: {args.file}: no such file", file=sys.stderr)
        return 2
    why = _usage_problem(args.out)
    if why:
        print(f"notes import-list: {why}", file=sys.stderr)
        return 2
    return _finish(*run_import_list(args.file, args.out, args.dry_run, merge=args.merge))
