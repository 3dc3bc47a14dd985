"""Build the site with Zensical, which reads ``mkdocs.yml`` but runs no third-party plugin.

The core does what the MkDocs plugin does, around Zensical instead of inside it: it writes the
generated pages (with their slot markers), the hand-written pages (merged, the engine notice
removed), the nav, the theme override and the assets into a build folder that is not tracked
(``.cache/reading-notes/zensical/``), with a derived ``mkdocs.yml`` (no reading-notes plugin);
runs ``zensical build`` there; then finishes every HTML file it wrote (``finish/pages.py``: note bodies
sanitized, generated blocks filled, edit links, CSP) and copies the result to the site folder.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from generator import pipeline, urls
from generator.finish import csp, page_assets, search
from generator.finish import pages as finish
from generator.finish.setup import setup_problems
from generator.model import Paper
from generator.render import mathml
from generator.render.pages import PAGE_SIZE, Asset, Page, fill_edit_link
from generator.render.site import render_site

BUILD_DIR = Path(".cache/reading-notes/zensical")  # under the site's folder; .gitignore keeps it out
PLUGIN = "reading-notes"
ZENSICAL_INDEX = "search.json"  # Zensical's own search index: not shipped, the site searches with Pagefind


class EngineError(Exception):
    """A mistake in the site's setup, reported as one line (no traceback)."""


@dataclass
class Outcome:
    """What a build made: the pages written, and every problem (each one line)."""

    pages: int = 0
    problems: list[str] = field(default_factory=list)
    searched: search.SearchIndex | None = None  # what the site search indexed


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder of mkdocs.yml
    config: dict[str, Any]  # mkdocs.yml as read
    papers_dir: str
    auto_nav: bool
    page_size: int

    @property
    def docs_dir(self) -> str:
        return str(self.config.get("docs_dir") or "docs")


def read_settings(config_file: Path) -> Settings:
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise EngineError(f"{config_file}: cannot read it: {exc}".splitlines()[0]) from None
    if not isinstance(config, dict):
        raise EngineError(f"{config_file}: not a mapping of settings")
    options = _plugin_options(config_file, config.get("plugins"))
    if not isinstance(_entries(config.get("markdown_extensions")), list):
        raise EngineError(f"{config_file}: markdown_extensions: expected a list of extensions")
    return Settings(config_file.resolve().parent, config, options["papers_dir"], options["auto_nav"], options["listing_page_size"])


# the plugin's options as the MkDocs plugin's config declares them (ReadingNotesConfig): name → (type, default)
_OPTIONS: dict[str, tuple[type, Any]] = {"papers_dir": (str, "papers"), "auto_nav": (bool, True), "listing_page_size": (int, PAGE_SIZE)}
_TYPE_NAMES = {str: "a text", bool: "true or false", int: "a whole number"}


def _plugin_options(config_file: Path, plugins: Any) -> dict[str, Any]:
    """The reading-notes plugin's options from mkdocs.yml's ``plugins`` (a list, or a mapping as MkDocs
    also takes it), each of its declared type: a wrong one is an EngineError, as MkDocs refuses it."""
    entries = _entries(plugins)
    if not isinstance(entries, list):
        raise EngineError(f"{config_file}: plugins: expected a list of plugins")
    given: Any = {}
    for entry in entries:
        if entry == PLUGIN:
            given = {}
        elif isinstance(entry, dict) and PLUGIN in entry:
            given = entry[PLUGIN] or {}
    if not isinstance(given, dict):
        raise EngineError(f"{config_file}: plugins: {PLUGIN}: expected a mapping of options ({', '.join(_OPTIONS)})")
    options = {}
    for name, (kind, default) in _OPTIONS.items():
        value = given.get(name, default)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise EngineError(f"{config_file}: plugins: {PLUGIN}: {name}: expected {_TYPE_NAMES[kind]}, not {value!r}")
        options[name] = value
    return options


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' own tags (!ENV, !relative, python names): kept as plain values."""


# `format: !!python/name:pymdownx.superfences.fence_div_format` (a custom fence): the dotted name,
# which is how Zensical reads such a value from its own config (registered first: the first matching prefix wins)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)
_Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)  # site_url, edit_uri from the environment, as MkDocs reads them
_Loader.add_multi_constructor("", lambda loader, suffix, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else None)


def build(config_file: Path, site_dir: Path | None = None, strict: bool = False, echo: bool = True) -> Outcome:
    """Materialize, run ``zensical build``, finish; ``site_dir`` defaults to the config's site_dir."""
    settings = read_settings(config_file)
    root = settings.root
    papers = (root / settings.papers_dir).resolve()
    outcome = Outcome(problems=setup_problems(_extension_names(settings.config), papers, settings.papers_dir))
    result = pipeline.build(papers, root)
    outcome.problems += [str(p) for p in result.problems]
    site_url, site_name = str(settings.config.get("site_url") or ""), str(settings.config.get("site_name") or "")
    outputs = render_site(result.catalog, site_url=site_url, site_name=site_name, page_size=settings.page_size)
    work = root / BUILD_DIR
    pages = materialize(settings, result.catalog, outputs, work, outcome.problems)
    _run_zensical(work / "mkdocs.yml", strict, echo)
    notes = {urls.paper_source(p): p for p in result.catalog.papers}
    theme_dirs = [work / "overrides", Path(_zensical_templates())]
    outcome.pages = finish_site(work / "site", pages, notes, settings, theme_dirs, outcome.problems)
    kept_search = root / BUILD_DIR.parent / "zensical-search"  # as with MkDocs: its runs kept between builds
    outcome.searched = search.index_site(work / "site", kept_search)
    (work / "site" / ZENSICAL_INDEX).unlink(missing_ok=True)  # its search is off, but it writes an empty index
    target = site_dir if site_dir is not None else root / str(settings.config.get("site_dir") or "site")
    if target.resolve() != (work / "site").resolve():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(work / "site", target)
    return outcome


def _entries(setting: Any) -> Any:
    """A ``plugins`` or ``markdown_extensions`` setting as a list (MkDocs takes a mapping of name to
    options too): each item a name, or a one-item mapping of name to options. Anything else as it is."""
    if isinstance(setting, dict):
        return [name if options is None else {name: options} for name, options in setting.items()]
    return list(setting) if isinstance(setting, list | tuple) else setting or []


def _extension_names(config: dict[str, Any]) -> list[str]:
    """The names in mkdocs.yml's markdown_extensions (each a name, or a mapping of name to options)."""
    names: list[str] = []
    for entry in _entries(config.get("markdown_extensions")):
        names += [str(k) for k in entry] if isinstance(entry, dict) else [str(entry)]
    return names


def materialize(settings: Settings, catalog: Any, outputs: list[Page | Asset], work: Path, problems: list[str]) -> dict[str, Page]:
    """Write the docs folder, theme override and config Zensical builds from; the pages by URL."""
    docs = work / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    hand = settings.root / settings.docs_dir
    if hand.is_dir():
        shutil.copytree(hand, docs)
    docs.mkdir(parents=True, exist_ok=True)
    hand_pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    for rel in hand_pages:
        text, unknown = finish.shown_markdown(rel, (docs / rel).read_text(encoding="utf-8"), catalog)
        problems += unknown  # "built without the generator" removed, the home page's dashboard filled
        (docs / rel).write_text(text, encoding="utf-8")
    placed = finish.place_outputs(outputs, lambda rel: (docs / rel).exists(), lambda rel: (docs / rel).read_text(encoding="utf-8"))
    problems += placed.problems
    pages: dict[str, Page] = {}
    for out, content, _merged in placed.outputs:
        path = docs / (out.src_uri if isinstance(out, Page) else out.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(out, Page):
            content = finish.page_markdown(out, content)
            pages[out.url] = out
        path.write_text(content, encoding="utf-8")
    for uri, source in finish.published_assets():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, docs / uri)
    _write_theme(settings, work / "overrides")
    nav = finish.site_nav(hand_pages, [o for o in outputs if isinstance(o, Page)]) if settings.auto_nav else None
    (work / "mkdocs.yml").write_text(json.dumps(derived_config(settings, nav), indent=1), encoding="utf-8")  # JSON is YAML
    return pages


def derived_config(settings: Settings, nav: list[Any] | None) -> dict[str, Any]:
    """The site's config for Zensical: the build folder's docs, the override, no reading-notes plugin
    and no search of Zensical's own."""
    config = dict(settings.config)
    config["docs_dir"], config["site_dir"] = "docs", "site"
    # Zensical's own search (on unless turned off) is off: the site has one search, the Pagefind box the
    # finishing step adds (as with MkDocs), not a second icon and search.json in the header
    theirs = [p for p in _entries(config.get("plugins")) if not _names_plugin(p, PLUGIN) and not _names_plugin(p, "search")]
    config["plugins"] = theirs + [{"search": {"enabled": False}}]
    theme = dict(config.get("theme") or {}) if not isinstance(config.get("theme"), str) else {"name": config["theme"]}
    theme["custom_dir"] = "overrides"
    config["theme"] = theme
    css, js = page_assets.every_page_files()  # a component's files only where a page uses it: finish_site
    config["extra_css"] = list(config.get("extra_css") or []) + css
    config["extra_javascript"] = list(config.get("extra_javascript") or []) + js
    config["markdown_extensions"] = _entries(config.get("markdown_extensions")) + ["generator.render.toc_guard"]
    if nav is not None and not config.get("nav"):
        config["nav"] = nav
    return config


def _names_plugin(entry: Any, name: str) -> bool:
    """Whether an entry of mkdocs.yml's ``plugins:`` list is the plugin ``name`` (bare or with options)."""
    return entry == name or (isinstance(entry, dict) and name in entry)


def _write_theme(settings: Settings, target: Path) -> None:
    """The generator's theme override, and the site's own custom_dir over it (the site's wins)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(Path(str(resources.files("generator").joinpath("theme"))), target)
    theme = settings.config.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if custom:
        shutil.copytree(settings.root / str(custom), target, dirs_exist_ok=True)


def _zensical_templates() -> str:
    try:
        import zensical
    except ImportError:
        raise EngineError("Zensical is not installed: pip install 'reading-notes-generator[zensical]'") from None
    return str(Path(zensical.__file__).parent / "templates")


def _run_zensical(config: Path, strict: bool, echo: bool) -> None:
    _zensical_templates()  # installed?
    command = [sys.executable, "-m", "zensical", "build", "-f", str(config)] + (["--strict"] if strict else [])
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(command, cwd=config.parent, capture_output=True, text=True, env=env)
    if echo and (proc.stdout or proc.stderr):
        print((proc.stdout + proc.stderr).rstrip(), file=sys.stderr)
    if proc.returncode != 0:
        raise EngineError(f"zensical build failed (exit {proc.returncode}); its output is above")


def finish_site(site: Path, pages: dict[str, Page], notes: dict[str, Paper], settings: Settings,
                theme_dirs: list[Path], problems: list[str]) -> int:  # fmt: skip
    """Finish every HTML file Zensical wrote; returns how many.

    What the MkDocs plugin hands its theme, finishing writes into Zensical's HTML: the venue → year
    tree in the sidebar, the component files a page uses (page_assets.py), "Edit this page".
    """
    known = csp.known_inline(theme_dirs)
    edit_base = _edit_base(settings)
    hand_written = {url: src for url, src in _hand_written(settings).items() if url not in pages}
    icon = (Path(_zensical_templates()) / ".icons/material/file-edit-outline.svg").read_text(encoding="utf-8").strip()
    count = 0
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        html = path.read_text(encoding="utf-8")
        page = pages.get(url)
        untrusted = ""
        if page is not None:
            html = _drop_theme_title(html, page)
            finished = finish.fill_page(html, page, notes.get(page.src_uri))
            problems += [str(p) for p in finished.problems]
            html = finish.add_sidebar(finished.html, page.sidebar)
            untrusted = _article(html)
            if page.src_uri.startswith("papers/"):
                note_edit = finish.edit_url(edit_base, settings.papers_dir, settings.docs_dir, page.src_uri) if edit_base else None
                if note_edit:
                    html = finish.set_edit_link(html, note_edit, icon)
                html = fill_edit_link(html, note_edit)  # an entry page's "Write the notes" button
                if (paper := notes.get(page.src_uri)) is not None:
                    problems += [str(p) for p in mathml.math_problems(paper.path, paper.body, paper.body_line, untrusted)]
        elif url in hand_written and edit_base:  # a hand-written page: its file in the docs folder, as MkDocs links it
            html = finish.set_edit_link(html, edit_base.rstrip("/") + "/" + hand_written[url], icon)
        html = finish.link_assets(html, _article(html))
        path.write_text(finish.add_policy(html, known, untrusted), encoding="utf-8")
        count += 1
    return count


def _edit_base(settings: Settings) -> str:
    """The docs folder's edit address (edit_uri, a full URL, or relative to repo_url as MkDocs reads
    it), when the theme shows edit links (the content.action.edit feature); else ""."""
    theme = settings.config.get("theme")
    features = theme.get("features") or [] if isinstance(theme, dict) else []
    edit_uri, repo_url = str(settings.config.get("edit_uri") or ""), str(settings.config.get("repo_url") or "")
    if edit_uri and repo_url and not edit_uri.startswith(("https://", "http://")):
        edit_uri = urllib.parse.urljoin(repo_url.rstrip("/") + "/", edit_uri)
    if not (edit_uri.startswith(("https://", "http://")) and "content.action.edit" in features):
        return ""  # no repo_url: Zensical's own edit links would need one (and it makes the theme call GitHub)
    return edit_uri


def _hand_written(settings: Settings) -> dict[str, str]:
    """The site's hand-written pages: URL (as Zensical and MkDocs write it) → path in the docs folder."""
    docs = settings.root / settings.docs_dir
    directory_urls = settings.config.get("use_directory_urls", True) is not False
    found = {}
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        src = path.relative_to(docs).as_posix()
        stem = src[: -len(".md")]
        if posixpath.basename(stem) in ("index", "README"):
            url = stem[: -len(posixpath.basename(stem))]
        else:
            url = stem + "/" if directory_urls else stem + ".html"
        found[url] = src
    return found


def _drop_theme_title(html: str, page: Page) -> str:
    """Zensical's theme adds ``<h1>{title}</h1>`` when the converted content has no ``<h1``, which
    it cannot see in a generated block still out as a marker: that heading goes when a block has one."""
    start = html.find(f"<!-- rn-page:{page.slots.key} -->")
    article = html.rfind("<article", 0, start)
    if start < 0 or article < 0 or not any("<h1" in block for block in page.slots.blocks):
        return html
    return html[:article] + re.sub(r"<h1>[^<]*</h1>", "", html[article:start], count=1) + html[start:]


def _article(html: str) -> str:
    start, end = html.find("<article"), html.rfind("</article>")
    return html[start:end] if 0 <= start < end else html
