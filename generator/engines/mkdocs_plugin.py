"""The MkDocs adapter: runs the core on the notes and hands MkDocs the generated pages.

Collect in ``on_files`` (load → validate → index → render), add every page with ``File.generated``,
report problems as warnings so that ``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from generator import pipeline, urls
from generator.finish import csp, page_assets, search
from generator.finish import pages as finish
from generator.load.cache import BuildCache
from generator.logline import log_safe
from generator.render import dashboard, incremental, mathml
from generator.render.pages import (
    EDIT_PLACEHOLDER,
    PAGE_SIZE,
    Asset,
    Page,
    fill_edit_link,
    merge_hand_written,
    render_site,
    rerender_bodies,
)
from generator.validate.bodycheck import INCLUDE_EXTENSIONS

log = get_plugin_logger(__name__)
ASSET_DIR = finish.ASSET_DIR  # where the files of generator/assets/ are published
BASE_STYLESHEET = page_assets.BASE_STYLESHEET  # on every page; a component's files only where it is used


def _warn(message: str) -> None:
    """A warning (a failure under --strict) whose text may hold user text: a file name, a marker."""
    log.warning(log_safe(message))


class ReadingNotesConfig(Config):
    papers_dir = c.Type(str, default="papers")
    """The folder holding the notes, relative to mkdocs.yml."""
    auto_nav = c.Type(bool, default=True)
    """When mkdocs.yml has no `nav`, show Home, Venues, Tags and the hand-written pages."""
    listing_page_size = c.Type(int, default=PAGE_SIZE)
    """An edition or tag page lists at most this many papers; the rest continue on …/page/2/ (0: no limit)."""


class ReadingNotesPlugin(BasePlugin[ReadingNotesConfig]):
    serving = False  # `mkdocs serve` injects its own inline live-reload script: no CSP there
    note_pages: Mapping[str, Any] = {}  # src_uri of a note's page → its Paper
    generated_pages: Mapping[str, Page] = {}  # src_uri → the generated page (its HTML blocks go back in after conversion)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object alive across `mkdocs serve` rebuilds: the caches
        # below make a rebuild with unchanged notes skip the generator entirely.
        self.serving = command == "serve"
        self.dirty = dirty
        self.cache = BuildCache() if self.serving else None  # one `mkdocs build` reads each note once: no stamps
        self.outputs: tuple[Any, list[Page | Asset], Any] | None = None  # (key, outputs, the catalog rendered)
        self.bytecode = _TemplateBytecode()  # the theme's templates, compiled once per `mkdocs serve`
        self.kept: dict[str, _Kept] = {}  # generated file → what the last build made of it
        self.search_kept: Path | None = None  # under `mkdocs serve`: a copy of the first build's search index

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        logging.getLogger("jieba").setLevel(logging.WARNING)  # the theme's Chinese search: no chatter per build
        for name in INCLUDE_EXTENSIONS & {str(e) for e in config.markdown_extensions}:
            _warn(f"markdown_extensions: {name} would let any note copy files of the repository into the site: remove it")
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.papers_dir = (self.root / self.config.papers_dir).resolve()
        for name in (BASE_STYLESHEET, *page_assets.EVERY_PAGE):  # on every page; the components' files: see on_page_context
            uri = ASSET_DIR + name
            if name.endswith(".css") and uri not in config.extra_css:
                config.extra_css.append(uri)
            elif name.endswith(".js") and uri not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(uri)
        theme_dir = str(resources.files("generator").joinpath("theme"))  # main.html: feed links in <head>
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
        # the only inline code the CSP lets run (no CSP under `mkdocs serve`: its live-reload script is inline)
        self.known_inline = csp.KnownInline() if self.serving else csp.known_inline(config.theme.dirs)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if not self.papers_dir.is_dir():
            _warn(f"the notes folder {self.config.papers_dir!r} does not exist (set papers_dir in mkdocs.yml)")
        result = pipeline.build(self.papers_dir, self.root, getattr(self, "cache", None))
        for problem in result.problems:
            log.warning(str(problem))  # Problem.__str__ makes its user text safe for the log
        for warning in result.catalog.warnings:  # advice (one work filed twice), not a problem: --strict passes
            log.info(f"notes check would warn: {warning}")
        if not config.site_url:
            # a fork or a local build: the feeds link relative to themselves; the deploy workflow sets SITE_URL
            log.info("site_url is not set (mkdocs.yml reads it from SITE_URL): the Atom feeds use relative links")
        self.catalog = result.catalog
        self.note_pages = {urls.paper_source(p): p for p in result.catalog.papers}
        outputs = self._render(result, config)
        pages = [out for out in outputs if isinstance(out, Page)]
        self.generated_pages = {page.src_uri: page for page in pages}
        # "Edit this page" on a paper opens the note itself, which lives beside docs/, not in it
        docs_rel = os.path.relpath(config.docs_dir, self.root).replace(os.sep, "/")
        self.edit_prefix = posixpath.relpath(self.config.papers_dir, docs_rel)
        for out in outputs:
            if isinstance(out, Page):
                self._add_page(files, config, out)
            else:
                self._add_asset(files, config, out)
        for name in finish.asset_names() + finish.VENDOR_ASSETS:  # published; each page links what it uses (on_page_context)
            path = resources.files("generator") / "assets" / name
            files.append(File.generated(config, ASSET_DIR + name, abs_src_path=str(path)))
        if self.config.auto_nav and config.nav is None:
            config.nav = self._nav(files, pages)
        catalog = result.catalog
        log.info(
            f"{len(catalog.papers)} papers, {len(catalog.venues)} venues, {len(catalog.tags)} tags"
            + (f"; {len(result.problems)} problems (see warnings above)" if result.problems else "")
        )
        return files

    def _render(self, result: pipeline.Result, config: MkDocsConfig) -> list[Page | Asset]:
        key = (result, config.site_url, config.site_name, self.config.listing_page_size)
        cached = getattr(self, "outputs", None)  # (key, outputs, the catalog they were rendered from)
        outputs, rendered_from = None, result.catalog
        if cached is not None and cached[0][1:] == key[1:]:
            if cached[0][0] is result:  # no note changed
                return cached[1]
            # only bodies changed (the usual edit while writing): re-render just those notes' pages
            outputs = rerender_bodies(cached[1], cached[2], result.catalog)
            rendered_from = cached[2]
            if outputs is None:  # a tag or title edit: re-render the pages that show it (incremental.py)
                outputs, rendered_from = incremental.rerender(cached[1], cached[2], result.catalog, config.site_url or "", config.site_name,
                                                              self.config.listing_page_size), result.catalog  # fmt: skip
        if outputs is None:
            outputs, rendered_from = render_site(result.catalog, site_url=config.site_url or "", site_name=config.site_name,
                                                 page_size=self.config.listing_page_size), result.catalog  # fmt: skip
        if getattr(self, "cache", None) is not None:
            self.outputs = (key, outputs, rendered_from)
        return outputs

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        markdown = finish.drop_notice(markdown)  # "built without the generator": not when built with it
        if page.file.src_uri != "index.md":  # the dashboard markers work on the home page only
            return markdown
        markdown, unknown = dashboard.fill_markers(markdown, self.catalog)
        for name in unknown:
            _warn(f"{page.file.src_uri}: unknown marker 'reading-notes:{name}' (known: {', '.join(dashboard.MARKER_NAMES)})")
        return markdown

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.serving and env.bytecode_cache is None:  # each rebuild gets a new environment: reuse the compiled code
            env.bytecode_cache = self.bytecode
        return env

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.papers_dir.is_dir():
            server.watch(str(self.papers_dir))
        return server

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        generated = self.generated_pages.get(page.file.src_uri) if page.file.generated_by else None
        if generated is None:
            return html
        # the blocks the search reads go in now (the note's body sanitized), the others in on_post_page
        finished = finish.fill_body(html, generated, self.note_pages.get(page.file.src_uri), generated.slots.early)
        for problem in finished.problems:
            log.warning(str(problem))
        if (paper := self.note_pages.get(page.file.src_uri)) is not None:
            for problem in mathml.math_problems(paper.path, paper.body, paper.body_line, html):
                log.warning(str(problem))
        return finished.html

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        generated = self.generated_pages.get(page.file.src_uri) if page.file.generated_by else None
        untrusted = (page.content or "") if generated else ""  # generated pages carry note text
        if generated is not None:
            output = finish.fill_body(output, generated, None, generated.slots.late).html  # after the search read the page
        if self.serving:
            return output
        return finish.add_policy(output, self.known_inline, untrusted)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name.endswith(".html") and not self.serving:  # 404.html
            return finish.add_policy(output_content, self.known_inline)
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index = Path(config.site_dir) / search.OUTPUT
        kept = getattr(self, "search_kept", None)
        if self.serving and kept is not None:  # `mkdocs serve`: indexed once, so an edit shows in ~1 s, not after a re-index
            if not index.exists():
                shutil.copytree(kept, index)
            return
        found = search.index_site(config.site_dir)  # the site search: a Pagefind index in site/pagefind/
        log.info(f"search: indexed {found.pages} pages ({found.skipped} listings and other pages left out)")
        if self.serving:
            self.search_kept = Path(tempfile.mkdtemp(prefix="rn-search-serve-")) / search.OUTPUT
            atexit.register(shutil.rmtree, self.search_kept.parent, True)
            shutil.copytree(index, self.search_kept)
            log.info("search: under `mkdocs serve` the index is built once; restart it to search what you edit")

    def on_page_context(self, context: Any, /, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        if page.edit_url and "/../" in page.edit_url:
            page.edit_url = finish.resolve_dots(page.edit_url)
        if page.file.generated_by and page.content and EDIT_PLACEHOLDER in page.content:
            page.content = fill_edit_link(page.content, page.edit_url)  # entry pages: "Write the notes"
        generated = self.generated_pages.get(page.file.src_uri) if page.file.generated_by else None
        html = (page.content or "") + "".join(generated.slots.blocks if generated else ())  # late blocks too
        names = page_assets.page_assets(html)  # read by generator/theme/main.html
        page.meta["rn_css"] = [ASSET_DIR + n for n in names if n.endswith(".css")]
        page.meta["rn_js"] = [ASSET_DIR + n for n in names if n.endswith(".js")]
        context["rn_sidebar"] = Markup(generated.sidebar) if generated else ""  # the venue → year tree (partials/nav.html)
        return context

    def _add_page(self, files: Files, config: MkDocsConfig, page: Page) -> None:
        existing = files.get_file_from_path(page.src_uri)
        content = page.markdown
        if existing is not None:
            if page.src_uri.startswith("papers/"):
                _warn(f"docs/{page.src_uri} hides the page of the note papers/{page.src_uri[7:]}; rename one of them")
                return
            content = merge_hand_written(page.markdown, existing.content_string)
            files.remove(existing)
        def make() -> File:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            made = File.generated(config, page.src_uri, content=content, inclusion=inclusion)
            if page.src_uri.startswith("papers/"):
                made.edit_uri = posixpath.join(self.edit_prefix, page.src_uri[len("papers/") :])
            return made

        files.append(self._generated_file(config, page.src_uri, page, content, make))

    def _generated_file(self, config: MkDocsConfig, uri: str, output: Page | Asset, content: str, make: Callable[[], File]) -> File:
        """The File of a generated page or asset; ``make()`` creates it.

        Under `mkdocs serve`, the very output of the last build (the render cache) gets the File made
        then (thousands per rebuild), and with `--dirty` a File is marked modified only when its
        content changed, so MkDocs rebuilds only those pages.
        """
        settings = (config.site_dir, config.use_directory_urls, self.edit_prefix)  # what a File's paths depend on
        kept = getattr(self, "kept", {}).get(uri)
        if kept is not None and kept.output is output and kept.content is content and kept.settings == settings:
            kept.file.page = None  # MkDocs makes a new Page for it in this build
            file, digest, changed = kept.file, kept.digest, False
        else:
            file, digest = make(), ""
            if getattr(self, "dirty", False):
                blocks = output.slots.blocks if isinstance(output, Page) else ()
                digest = hashlib.sha256("\x00".join((content, *blocks)).encode("utf-8")).hexdigest()
            changed = kept is None or kept.digest != digest
        if getattr(self, "cache", None) is not None:
            self.kept[uri] = _Kept(output, content, settings, file, digest)
        if getattr(self, "dirty", False):
            file.is_modified = lambda: changed
        return file

    def _add_asset(self, files: Files, config: MkDocsConfig, asset: Asset) -> None:
        if files.get_file_from_path(asset.path) is not None:
            _warn(f"docs/{asset.path} hides a generated file of the same name; rename it")
            return
        make = lambda: File.generated(config, asset.path, content=asset.content)  # noqa: E731
        files.append(self._generated_file(config, asset.path, asset, asset.content, make))

    def _nav(self, files: Files, pages: list[Page]) -> list[Any]:
        hand_written = sorted(f.src_uri for f in files.documentation_pages() if f.generated_by is None)
        return finish.site_nav(hand_written, pages)


@dataclass
class _Kept:
    """A generated file as the last `mkdocs serve` build made it."""

    output: Any  # the Page or Asset (the same object while its inputs are unchanged)
    content: str
    settings: tuple[Any, ...]
    file: File
    digest: str  # of the content, under --dirty


class _TemplateBytecode(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory between `mkdocs serve` rebuilds (Jinja checks each
    template's source checksum, so an edited template is compiled again)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()

