"""The ``notes`` command: the same core as the MkDocs plugin, for contributors and CI.

Exit codes: 0 no problem, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import bibimport, init_site, pipeline, scaffold
from .importers import commands as import_commands
from .model import Problem


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="notes", description="Reading-notes tools: check notes before you open a pull request.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="report every problem in the notes as path:line: field: message")
    check.add_argument("paths", nargs="*", type=Path, help="notes or folders to report on (default: the whole papers folder)")
    check.add_argument("--papers", type=Path, default=Path("papers"), help="the notes folder (default: papers)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    schema = sub.add_parser("schema", help="write the JSON Schema of a note's front-matter, for editors")
    schema.add_argument("--papers", type=Path, default=Path("papers"), help="the notes folder, for its venues.yml (default: papers)")
    schema.add_argument("-o", "--output", default="schema/note.schema.json", help="where to write it, '-' for stdout (default: %(default)s)")
    scaffold.add_parser(sub)  # notes new
    bibimport.add_parser(sub)  # notes import-bib
    import_commands.add_parsers(sub)  # notes import-notes, notes import-list
    init_site.add_parser(sub)  # notes init
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args.papers, args.paths, args.format)
    if args.command in ("new", "import-bib", "import-notes", "import-list", "init"):
        return int(args.run(args))
    if args.command == "schema":
        from .schema import write_schema

        return write_schema(args.papers, args.output)
    return 2  # pragma: no cover - argparse rejects unknown commands


def run_check(papers: Path, paths: list[Path], fmt: str) -> int:
    if not papers.is_dir():
        print(f"notes: no notes folder at {papers} (run from the site's folder or pass --papers DIR)", file=sys.stderr)
        return 2
    for path in paths:
        if not path.exists():
            print(f"notes: {path}: no such file or folder", file=sys.stderr)
            return 2
    root = Path.cwd()
    result = pipeline.build(papers, root)
    problems = [p for p in result.problems if _selected(p, paths, root)]
    if fmt == "json":
        print(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for problem in problems:
                print(github_annotation(problem))
        for warning in result.catalog.warnings:
            if _selected(warning, paths, root):
                print(f"warning: {warning}", file=sys.stderr)
        checked = len(result.catalog.papers)
        summary = f"{checked} notes OK" if not problems else f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found"
        print(summary, file=sys.stderr)
    return 1 if problems else 0


def _selected(problem: Problem, paths: list[Path], root: Path) -> bool:
    if not paths:
        return True
    target = (root / problem.path).resolve()
    return any(target == p.resolve() or p.resolve() in target.parents for p in paths)


def github_annotation(problem: Problem) -> str:
    """A workflow command that shows the problem on the pull request's diff."""

    def esc(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    return f"::error file={esc(problem.path, True)},line={problem.line},title={esc(problem.field, True)}::{esc(problem.message)}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
