"""The ``notes`` command: the same core as the MkDocs plugin, for contributors and CI.

Exit codes: 0 no problem, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, bibimport, bodycheck, init_site, pipeline, scaffold
from .importers import commands as import_commands
from .logline import json_dump, log_safe
from .model import Problem
from .placeholders import placeholder_problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="notes", description="Reading-notes tools: check notes before you open a pull request.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="report every problem in the notes as path:line: field: message")
    check.add_argument("paths", nargs="*", type=Path, help="notes or folders to report on (default: the whole papers folder)")
    check.add_argument("--papers", type=Path, default=Path("papers"), help="the notes folder (default: papers)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    check.add_argument("-f", "--config-file", type=Path, default=None,
                       help="the site's mkdocs.yml, for the Markdown extensions note bodies are rendered with (default: ./mkdocs.yml)")  # fmt: skip
    check.add_argument("--templates", action="store_true",
                       help="also report placeholders left in CODEOWNERS and the pre-commit example (on by itself under GitHub Actions)")  # fmt: skip
    check.add_argument("--summary", type=Path, metavar="FILE",
                       help="also append a Markdown report to FILE (in CI: \"$GITHUB_STEP_SUMMARY\")")  # fmt: skip
    check.add_argument("--changed-since", metavar="REF",
                       help="with --summary: list the notes added or changed since REF (git diff REF...HEAD), e.g. origin/main")  # fmt: skip
    schema = sub.add_parser("schema", help="write the JSON Schema of a note's front-matter, for editors")
    schema.add_argument("--papers", type=Path, default=Path("papers"), help="the notes folder, for its venues.yml (default: papers)")
    schema.add_argument("-o", "--output", default="schema/note.schema.json", help="where to write it, '-' for stdout (default: %(default)s)")
    scaffold.add_parser(sub)  # notes new
    bibimport.add_parser(sub)  # notes import-bib
    import_commands.add_parsers(sub)  # notes import-notes, notes import-list
    init_site.add_parser(sub)  # notes init
    args = parser.parse_args(argv)
    if args.command == "check":
        templates = args.templates or os.environ.get("GITHUB_ACTIONS") == "true"
        return run_check(args.papers, args.paths, args.format, args.config_file, args.summary, args.changed_since, templates)
    if args.command in ("new", "import-bib", "import-notes", "import-list", "init"):
        return int(args.run(args))
    if args.command == "schema":
        from .schema import write_schema

        return write_schema(args.papers, args.output)
    return 2  # pragma: no cover - argparse rejects unknown commands


def run_check(papers: Path, paths: list[Path], fmt: str, config_file: Path | None = None, summary: Path | None = None,
              since: str | None = None, templates: bool = False) -> int:  # fmt: skip
    if config_file is not None and not config_file.is_file():
        print(f"notes: no site configuration at {config_file}", file=sys.stderr)
        return 2
    if not papers.is_dir():
        print(log_safe(f"notes: no notes folder at {papers}") + " (run from the site's folder or pass --papers DIR)", file=sys.stderr)
        return 2
    for path in paths:
        if not path.exists():
            print(log_safe(f"notes: {path}: no such file or folder"), file=sys.stderr)
            return 2
    if since is not None and summary is None:
        print("notes: --changed-since goes with --summary FILE", file=sys.stderr)
        return 2
    root = Path.cwd()
    result = pipeline.build(papers, root)
    problems = [p for p in result.problems if _selected(p.path, paths, root)]
    # what the build's HTML sanitizer would remove from each body, with the build's message
    config = config_file or Path(bodycheck.CONFIG_FILE)
    bodies = [paper for paper in result.catalog.papers if _selected(paper.path, paths, root)]
    problems = sorted(problems + bodycheck.check_bodies(bodies, config, shown=config.as_posix()))
    if templates and not paths:
        problems += placeholder_problems(root)
    if summary is not None and not _write_summary(summary, result, problems, papers, root, since):
        return 2
    if fmt == "json":
        print(json_dump([p.__dict__ for p in problems]))
    else:
        for problem in problems:
            print(problem)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for problem in problems:
                print(problem.annotation())
        for warning in result.catalog.warnings:
            if _selected(warning.path, paths, root):
                print(f"warning: {warning}", file=sys.stderr)
        checked = len(result.catalog.papers)
        summary = f"{checked} notes OK" if not problems else f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found"
        print(summary, file=sys.stderr)
    return 1 if problems else 0


def _write_summary(target: Path, result: pipeline.Result, problems: list[Problem], papers: Path, root: Path, since: str | None) -> bool:
    """Append the Markdown report to ``target``; False (and a message) when it cannot be made."""
    from .history import changed_files
    from .load import shown_path
    from .summary import check_summary

    changed = None
    if since is not None:
        try:
            changed = [shown_path(papers / rel, root) for rel in changed_files(papers, since)]
        except OSError as error:
            print(f"notes: --changed-since {since}: {error}", file=sys.stderr)
            return False
    try:
        with target.open("a", encoding="utf-8") as out:
            out.write(check_summary(result.catalog, problems, changed))
    except OSError as error:
        print(f"notes: --summary {target}: {error.strerror or error}", file=sys.stderr)
        return False
    return True


def _selected(path: str, paths: list[Path], root: Path) -> bool:
    if not paths:
        return True
    target = (root / path).resolve()
    return any(target == p.resolve() or p.resolve() in target.parents for p in paths)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
