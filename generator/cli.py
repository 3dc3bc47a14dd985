"""The ``notes`` command: the same core as the MkDocs plugin, for contributors and CI.

Exit codes: 0 no problem, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import __version__, pipeline
from generator.authoring import init_site, scaffold
from generator.authoring.placeholders import placeholder_problems
from generator.finish import bodycheck
from generator.importers import commands as import_commands
from generator.logline import json_dump, log_safe
from generator.model import Problem


def main(argv: Sequence[str] | None = None) -> int:
    """The ``notes`` command: parse ``argv`` and run the subcommand; returns the exit status."""
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
    schema.add_argument(
        "-o", "--output", default="schema/note.schema.json", help="where to write it, '-' for stdout (default: %(default)s)"
    )
    build = sub.add_parser("build", help="build the whole site with MkDocs (default) or Zensical")
    build.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs", help="the site engine (default: mkdocs)")
    build.add_argument("--strict", action="store_true", help="fail (exit 1) on any problem in the notes or the site")
    build.add_argument("-d", "--site-dir", type=Path, default=None, help="where to write the site (default: site_dir of mkdocs.yml)")
    build.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="the site's configuration (default: mkdocs.yml)")
    scaffold.add_parser(sub)  # notes new
    import_commands.add_parsers(sub)  # notes import-bib, notes import-notes, notes import-list
    init_site.add_parser(sub)  # notes init
    args = parser.parse_args(argv)
    if args.command == "check":
        templates = args.templates or os.environ.get("GITHUB_ACTIONS") == "true"
        return run_check(args.papers, args.paths, args.format, args.config_file, args.summary, args.changed_since, templates)
    if args.command in ("new", "import-bib", "import-notes", "import-list", "init"):
        return int(args.run(args))
    if args.command == "build":
        return run_build(args.engine, args.config_file, args.site_dir, args.strict)
    if args.command == "schema":
        from generator.authoring.schema import write_schema

        return write_schema(args.papers, args.output)
    return 2  # pragma: no cover - argparse rejects unknown commands


def run_check(papers: Path, paths: list[Path], fmt: str, config_file: Path | None = None, summary: Path | None = None,
              since: str | None = None, templates: bool = False) -> int:  # fmt: skip
    """``notes check``: load and validate the notes as the build does and print every problem.

    Returns 0 when there are none, 1 when there are, 2 when it cannot run (a missing folder or
    configuration, options that do not go together)."""
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
        verdict = f"{checked} notes OK" if not problems else f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found"
        print(verdict, file=sys.stderr)
    return 1 if problems else 0


def _write_summary(target: Path, result: pipeline.Result, problems: list[Problem], papers: Path, root: Path, since: str | None) -> bool:
    """Append the Markdown report to ``target``; False (and a message) when it cannot be made."""
    from generator.authoring.summary import check_summary
    from generator.load.history import changed_files
    from generator.load.notes import shown_path

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


def run_build(engine: str, config_file: Path, site_dir: Path | None, strict: bool) -> int:
    if not config_file.is_file():
        print(log_safe(f"notes: no site configuration at {config_file}"), file=sys.stderr)
        return 2
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)] + (["--strict"] if strict else [])
        command += ["-d", str(site_dir.resolve())] if site_dir is not None else []
        return 0 if subprocess.run(command, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}).returncode == 0 else 1
    from generator.engines import zensical_build

    try:
        outcome = zensical_build.build(config_file, site_dir, strict)
    except zensical_build.EngineError as exc:
        print(log_safe(f"notes: {exc}"), file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:  # a missing custom_dir, an unreadable page: one line, no traceback
        print(log_safe(f"notes: {exc}"), file=sys.stderr)
        return 1
    for problem in outcome.problems:
        print(f"WARNING -  {problem}", file=sys.stderr)
    print(
        f"notes: built {outcome.pages} pages with Zensical" + (f"; {len(outcome.problems)} problems" if outcome.problems else ""),
        file=sys.stderr,
    )
    if outcome.searched is not None:  # the same line as `mkdocs build` logs
        found = outcome.searched
        print(f"notes: search: indexed {found.pages} pages ({found.skipped} listings and other pages left out)", file=sys.stderr)
    return 1 if strict and outcome.problems else 0


def _selected(path: str, paths: list[Path], root: Path) -> bool:
    if not paths:
        return True
    target = (root / path).resolve()
    return any(target == p.resolve() or p.resolve() in target.parents for p in paths)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
