"""``notes init [DIR]``: an empty site to write or import notes into.

It writes what a fresh site needs and nothing that refers to notes: ``mkdocs.yml`` (the plugin, the
theme without third-party requests, the safe Markdown extensions), ``docs/index.md`` and
``papers/venues.yml`` (where imports add the venues they meet). No reading paths: ``papers/paths/``
is created by the first path a person writes. ``mkdocs build --strict`` passes on it with zero notes.
Existing files are never overwritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.authoring.note_file import TEMPLATES
from generator.links import safe_http_url

FILES = {"mkdocs.yml": "new_site/mkdocs.yml.j2", "docs/index.md": "new_site/index.md.j2", "papers/venues.yml": "new_site/venues.yml.j2"}


def site_files(name: str, site_url: str) -> dict[str, str]:
    """The files of an empty site, by path relative to its folder."""
    return {path: TEMPLATES.get_template(template).render(name=name, site_url=site_url) for path, template in FILES.items()}


def init_site(folder: Path, name: str, site_url: str) -> list[str]:
    """Write the files of an empty site into ``folder``; returns their paths. Raises FileExistsError
    (naming every file in the way) rather than overwrite anything."""
    files = site_files(name, site_url)
    taken = [path for path in files if (folder / path).exists()]
    if taken:
        raise FileExistsError(", ".join(taken))
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    return list(files)


def add_parser(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser(
        "init",
        help="start an empty site (mkdocs.yml, docs/index.md, papers/venues.yml) to write or import notes into",
        description="Write an empty site that builds with `mkdocs build --strict` and has no notes yet.",
    )
    cmd.add_argument("folder", nargs="?", type=Path, default=Path("."), help="where to create it (default: here)")
    cmd.add_argument("--name", default="Reading Notes", help="the site's name (default: %(default)s)")
    cmd.add_argument("--site-url", default="https://example.org/reading-notes/", help="where it will be published (default: %(default)s)")
    cmd.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    if args.folder.exists() and not args.folder.is_dir():
        print(f"notes init: {args.folder} is not a folder", file=sys.stderr)
        return 2
    site_url = safe_http_url(args.site_url)
    if site_url is None:
        print(f"notes init: --site-url {args.site_url!r} is not an http(s) address", file=sys.stderr)
        return 2
    name = " ".join(args.name.split())
    if not name:
        print("notes init: --name is empty", file=sys.stderr)
        return 2
    try:
        written = init_site(args.folder, name, site_url)
    except FileExistsError as exc:
        print(f"notes init: not overwriting what is there: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {(args.folder / path).as_posix()}")
    print("next: notes import-bib refs.bib (or notes new), then mkdocs serve", file=sys.stderr)
    return 0
