"""The MkDocs adapter: runs the core on the notes and hands MkDocs the generated pages.

Collect in ``on_files`` (load → validate → index → render), add every page with ``File.generated``,
report problems as warnings so that ``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import normalize_url

from generator import pipeline, urls
from generator.engines.mkdocs_files import KeptFiles, TemplateBytecode
from generator.engines.mkdocs_output_cache import KEPT, KeptTemplate, OutputKeys, OutputPack, render_ahead
from generator.engines.mkdocs_page_cache import CachedPage, LogCount, PageCache, convert_ahead
from generator.finish import csp, page_assets, search
from generator.finish import pages as finish
from generator.finish.bodycheck import INCLUDE_EXTENSIONS
from generator.finish.setup import setup_problems
from generator.load.cache import BuildCache
from generator.render.pages import EDIT_PLACEHOLDER, PAGE_SIZE, Asset, Page, fill_edit_link
from generator.render.reuse import RENDERED_ALL, RenderCache, code_digest

log = get_plugin_logger(__name__)
RENDERED = "rendered.pickle"  # in cache_dir: the last build's render outputs (render/reuse.py)
OUTPUT_PACK = "output.pack"  # in cache_dir: the last build's finished pages (mkdocs_output_cache.py)


def _cores() -> int:
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return min(len(usable), 8)


class _NavMemo:
    """The nav's list as rendered for the first page outside the nav with the same relative links."""

    def __init__(self) -> None:
        self.rendered: dict[str, Markup] = {}

    def __call__(self, key: str, render: Any) -> Markup:
        if key not in self.rendered:
            self.rendered[key] = Markup(render())
        return self.rendered[key]


class ReadingNotesConfig(Config):
    papers_dir = c.Type(str, default="papers")
    """The folder holding the notes, relative to mkdocs.yml."""
    auto_nav = c.Type(bool, default=True)
    """When mkdocs.yml has no `nav`, show Home, Venues, Tags and the hand-written pages."""
    listing_page_size = c.Type(int, default=PAGE_SIZE)
    """An edition or tag page lists at most this many papers; the rest continue on …/page/2/ (0: no limit)."""
    cache_dir = c.Type(str, default=".cache/reading-notes")
    """The build's own folder, relative to mkdocs.yml: converted pages, the last rendering, search runs ("": none)."""
    workers = c.Type(int, default=0)
    """Processes converting the pages `mkdocs build` finds no conversion of, and rendering the pages it finds
    few of kept (0: one per core, 1: none)."""


class ReadingNotesPlugin(BasePlugin[ReadingNotesConfig]):
    serving = False  # `mkdocs serve` injects its own inline live-reload script: no CSP there
    note_pages: Mapping[str, Any] = {}  # src_uri of a note's page → its Paper
    generated_pages: Mapping[str, Page] = {}  # src_uri → the generated page (its HTML blocks go back in after conversion)
    cache: BuildCache | None = None  # under `mkdocs serve`: each note read again only when it changed
    renders = RenderCache(keep=False)  # under `mkdocs serve`: the last build's outputs, reused
    files = KeptFiles()  # under `mkdocs serve`: the last build's File objects, reused
    search_once: search.IndexOnce | None = None  # under `mkdocs serve`: the site indexed on the first build only
    page_cache: PageCache | None = None  # converted pages, kept across builds (mkdocs_page_cache.py)
    cache_root: Path | None = None  # the cache_dir option as a folder (None: "")
    nav: Any = None  # this build's nav (on_nav)
    nav_urls: tuple[Any, list[str]] = (None, [])  # a nav and every URL in it
    output_pack: OutputPack | None = None  # finished pages, kept across builds (mkdocs_output_cache.py)
    output_keys: OutputKeys | None = None  # this build's, when it keeps finished pages
    dirty = False

    def __init__(self) -> None:
        super().__init__()
        self.logged = LogCount()  # what was logged while a page was rendered: such a page is not kept
        self.kept_outputs: dict[str, str] = {}  # src_uri → the finished page found kept, until on_post_page
        self.pending_outputs: dict[str, tuple[str, int]] = {}  # src_uri → its key and the log's count, until on_post_page

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object alive across `mkdocs serve` rebuilds: the caches
        # below make a rebuild with unchanged notes skip the generator entirely.
        self.serving, self.dirty = command == "serve", dirty
        self.cache = BuildCache() if self.serving else None  # one `mkdocs build` reads each note once: no stamps
        self.renders = RenderCache(keep=self.serving)
        self.files = KeptFiles(keep=self.serving, dirty=dirty)
        self.bytecode = TemplateBytecode()  # the theme's templates, compiled once per `mkdocs serve`
        self.search_once = search.IndexOnce() if self.serving else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        logging.getLogger("jieba").setLevel(logging.WARNING)  # the theme's Chinese search: no chatter per build
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.papers_dir = (self.root / self.config.papers_dir).resolve()
        self.cache_root = self.root / self.config.cache_dir if self.config.cache_dir else None  # zensical/ is beside ours
        if self.page_cache is None:  # one per `mkdocs serve`: its entries in memory too
            self.page_cache = PageCache(self.cache_root / "pages" if self.cache_root else None)
            if self.cache_root:  # the last build's rendering: the next deploy renders only what changed
                self.renders.keep = True
                self.renders.load(self.cache_root / RENDERED)
        if self.cache_root and not self.serving:
            self.output_pack = OutputPack(self.cache_root / OUTPUT_PACK)
        for message in setup_problems(map(str, config.markdown_extensions), self.papers_dir, self.config.papers_dir):
            log.warning(message)  # a warning fails `mkdocs build --strict`
        css, js = page_assets.every_page_files()  # the components' files: only where used, see on_page_context
        config.extra_css += [uri for uri in css if uri not in config.extra_css]
        config.extra_javascript += [uri for uri in js if uri not in [str(s) for s in config.extra_javascript]]
        theme_dir = str(resources.files("generator").joinpath("theme"))  # main.html: feed links in <head>
        if theme_dir not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, theme_dir)
        # the only inline code the CSP lets run (no CSP under `mkdocs serve`: its live-reload script is inline)
        self.known_inline = csp.KnownInline() if self.serving else csp.known_inline(config.theme.dirs)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        result = pipeline.build(self.papers_dir, self.root, self.cache)
        for problem in result.problems:
            log.warning(str(problem))  # Problem.__str__ makes its user text safe for the log
        for warning in result.catalog.warnings:  # advice (one work filed twice), not a problem: --strict passes
            log.info(f"notes check would warn: {warning}")
        if not config.site_url:
            # a fork or a local build: the feeds link relative to themselves; the deploy workflow sets SITE_URL
            log.info("site_url is not set (mkdocs.yml reads it from SITE_URL): the Atom feeds use relative links")
        self.catalog = result.catalog
        self.note_pages = {urls.paper_source(p): p for p in result.catalog.papers}
        outputs = self.renders.render(result, site_url=config.site_url or "", site_name=config.site_name,
                                      page_size=self.config.listing_page_size)  # fmt: skip
        log.debug(f"rendered {self.renders.how}")
        pages = [out for out in outputs if isinstance(out, Page)]
        self.generated_pages = {page.src_uri: page for page in pages}
        self.docs_rel = os.path.relpath(config.docs_dir, self.root).replace(os.sep, "/")  # the notes live beside it
        self._add_outputs(files, config, outputs)
        self._cache_conversions(files, config)
        for uri, source in finish.published_assets():  # each page links what it uses (on_page_context)
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        if self.config.auto_nav and config.nav is None:
            hand_written = sorted(f.src_uri for f in files.documentation_pages() if f.generated_by is None)
            config.nav = finish.site_nav(hand_written, pages)
        catalog = result.catalog
        log.info(
            f"{len(catalog.papers)} papers, {len(catalog.venues)} venues, {len(catalog.tags)} tags"
            + (f"; {len(result.problems)} problems (see warnings above)" if result.problems else "")
        )
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        markdown, problems = finish.shown_markdown(page.file.src_uri, markdown, self.catalog)
        for message in problems:  # "built without the generator" removed, the home page's dashboard filled
            log.warning(message)
        return markdown

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.nav = nav
        # `mkdocs serve` runs threads: no fork there; a build from the last one's rendering changed few pages
        if not self.serving and not self.dirty and self.renders.how == RENDERED_ALL:
            pages = [f.page for f in files.documentation_pages() if isinstance(f.page, CachedPage)]
            workers = self.config.workers or (_cores() if len(pages) >= 50 else 1)  # a small site: not worth a fork
            ahead = convert_ahead(pages, config, files, workers)
            log.debug(f"converted pages: {ahead} in {workers} processes ahead of MkDocs")
        return nav

    @event_priority(-100)  # after every plugin's: the environment's filters and globals are then final
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        env.globals["rn_nav_memo"] = _NavMemo()  # a new environment per build: a new memo
        if self.serving and env.bytecode_cache is None:  # each rebuild gets a new environment: reuse the compiled code
            env.bytecode_cache = self.bytecode
        self.output_keys, self.kept_outputs, self.pending_outputs, self.logged = None, {}, {}, LogCount()
        others = [m for m in config.plugins.events["post_page"] if getattr(m, "__self__", None) is not self]
        if self.output_pack is not None and not others:  # another plugin's on_post_page would see a finished page
            env.template_class = KeptTemplate
            if env.cache is not None:
                env.cache.clear()  # templates loaded before are of the plain class
            self.output_keys = OutputKeys(config, env, code_digest(), skip_globals={"rn_nav_memo"})
            self.output_pack.open(self.output_keys.site)
            self.logged.attach()
            self._render_ahead(env, config, files)
        return env

    def _render_ahead(self, env: Any, config: MkDocsConfig, files: Files) -> None:
        """A build that finds few of its pages kept renders them on all cores first: one whose shared inputs
        changed (the code, mkdocs.yml, the theme …), or that finds fewer than half its pages' keys."""
        pack, nav = self.output_pack, self.nav
        assert pack is not None
        if nav is None:
            return
        pages = [f.page for f in files.documentation_pages() if self._keepable(f.page, nav)]
        if self.dirty or (pack.last_site == pack.site and len(pack.index) * 2 >= len(pages)):
            return
        workers = self.config.workers or (_cores() if len(pages) >= 50 else 1)  # a small site: not worth a fork
        ahead = render_ahead(pages, config, nav, env, files, pack, workers)
        log.debug(f"finished pages: {ahead} rendered in {workers} processes ahead of MkDocs")

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.papers_dir.is_dir():
            server.watch(str(self.papers_dir))
        return server

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        generated = self.generated_pages.get(page.file.src_uri) if page.file.generated_by else None
        if generated is None:
            return html
        # the blocks the search reads go in now (the note's body sanitized), the others in on_post_page
        finished = finish.fill_searched(html, generated, self.note_pages.get(page.file.src_uri))
        for problem in finished.problems:  # what the sanitizer removed, formulas that failed
            log.warning(str(problem))
        return finished.html

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        kept = self.kept_outputs.pop(page.file.src_uri, None)
        if kept is not None and output is kept:  # the page as the last build finished it
            return output
        finished = self._finish_page(output, page)
        pending = self.pending_outputs.pop(page.file.src_uri, None)
        if pending is not None and self.output_pack is not None and pending[1] == self.logged.count:  # nothing logged
            self.output_pack.put(pending[0], finished)
        return finished

    def _finish_page(self, output: str, page: Any) -> str:
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
        if self.output_keys is not None and self.output_pack is not None:
            self.logged.detach()
            pack = self.output_pack
            log.debug(f"finished pages: {pack.hits} kept, {pack.misses} rendered, {pack.ahead} rendered ahead")
            if not pack.finish():
                log.info("the finished pages could not be kept for the next build (it will render them all)")
        if self.page_cache is not None:
            log.debug(f"converted pages: {self.page_cache.hits} kept, {self.page_cache.misses} converted")
            if not self.dirty:  # every page was converted or found: what was not used is stale
                self.page_cache.prune()
        saving = threading.Thread(target=self._save_rendering)  # written while Pagefind indexes the site
        saving.start()
        try:
            # the site search (a Pagefind index in site/pagefind/); under `mkdocs serve` built once, so an edit shows in ~1 s
            kept_runs = self.cache_root / "search" if self.cache_root else None  # search_runs.py
            found = self.search_once.index(config.site_dir) if self.search_once else search.index_site(config.site_dir, kept_runs)
        finally:
            saving.join()
        if found is not None:
            log.info(f"search: indexed {found.pages} pages ({found.skipped} listings and other pages left out)"
                     + ("; under `mkdocs serve` only once: restart it to search what you edit" if self.serving else ""))  # fmt: skip

    def _save_rendering(self) -> None:
        if self.cache_root and not self.serving and not self.renders.save(self.cache_root / RENDERED):
            log.info("the rendering could not be saved for the next build (it will render every page)")

    def on_build_error(self, *, error: Exception) -> None:
        if self.output_pack is not None:  # the last build's finished pages stay as they were
            self.logged.detach()
            self.output_pack.close()

    def _page_context(self, context: Any, /, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        if page.edit_url and "/../" in page.edit_url:
            page.edit_url = finish.resolve_dots(page.edit_url)
        if page.file.generated_by and page.content and EDIT_PLACEHOLDER in page.content:
            page.content = fill_edit_link(page.content, page.edit_url)  # entry pages: "Write the notes"
        generated = self.generated_pages.get(page.file.src_uri) if page.file.generated_by else None
        html = (page.content or "") + "".join(generated.slots.blocks if generated else ())  # late blocks too
        page.meta["rn_css"], page.meta["rn_js"] = page_assets.page_files(html)  # read by generator/theme/main.html
        context["rn_sidebar"] = Markup(generated.sidebar) if generated else ""  # the venue → year tree (partials/nav.html)
        # a page outside the nav has nothing active in it: pages whose links to the nav's pages read the
        # same show the same nav, which partials/nav.html renders once for them all
        context["rn_nav_key"] = None if page in nav.pages else "\n".join(normalize_url(u, page=page) for u in self._nav_urls(nav))
        return context

    @event_priority(-100)  # after every plugin's: the context as the theme will read it
    def _kept_output(self, context: Any, /, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        if self.output_keys is None or self.output_pack is None or not self._keepable(page, nav):
            return context
        generated = self.generated_pages[page.file.src_uri]
        late = generated.slots.key + "\0".join(generated.slots.blocks[i] for i in generated.slots.late)
        key = self.output_keys.key(context, page, late)
        kept = self.output_pack.get(key) if key is not None else None
        if kept is not None:
            context[KEPT] = self.kept_outputs[page.file.src_uri] = kept  # KeptTemplate returns it
        elif key is not None:
            self.pending_outputs[page.file.src_uri] = (key, self.logged.count)
        return context

    on_page_context = CombinedEvent(_page_context, _kept_output)

    def _keepable(self, page: Any, nav: Any) -> bool:
        """Whether ``page``'s finished output may be kept: a generated page out of the nav."""
        generated = page is not None and page.file.generated_by is not None and page.file.src_uri in self.generated_pages
        return generated and page not in nav.pages

    def _nav_urls(self, nav: Any) -> list[str]:
        if self.nav_urls[0] is not nav:
            urls, todo = [], list(nav.items)
            while todo:
                item = todo.pop(0)
                urls += [item.url] if getattr(item, "url", None) is not None else []
                todo += getattr(item, "children", None) or []
            self.nav_urls = (nav, urls)
        return self.nav_urls[1]

    def _add_outputs(self, files: Files, config: MkDocsConfig, outputs: list[Page | Asset]) -> None:
        """Each generated page and asset as a File (a hand-written page of the same path merged in)."""
        placed = finish.place_outputs(outputs, lambda uri: files.get_file_from_path(uri) is not None,
                                      lambda uri: files.get_file_from_path(uri).content_string)  # type: ignore[union-attr]  # fmt: skip
        for message in placed.problems:
            log.warning(message)
        settings = (config.site_dir, config.use_directory_urls, self.docs_rel)  # what a File's paths depend on
        for out, content, merged in placed.outputs:
            uri = out.src_uri if isinstance(out, Page) else out.path
            if merged:
                files.remove(files.get_file_from_path(uri))  # type: ignore[arg-type]
            files.append(self.files.file(uri, out, content, settings, functools.partial(self._file, config, out, content)))

    def _cache_conversions(self, files: Files, config: MkDocsConfig) -> None:
        """Generated pages out of the nav get a ``CachedPage`` (the nav's own pages keep MkDocs' ``Page``)."""
        cache = self.page_cache
        if cache is None or INCLUDE_EXTENSIONS.intersection(map(str, config.markdown_extensions)):
            return  # an extension that reads other files: a page may change while its Markdown does not
        if not cache.start(config):  # the Markdown settings as every plugin's on_config left them
            log.debug("converted pages: none kept (a Markdown setting is an object no key can stand for)")
            return
        for uri in self.generated_pages:
            file = files.get_file_from_path(uri)
            if file is not None and file.generated_by and file.page is None and not file.inclusion.is_in_nav():
                CachedPage(None, file, config).cache = cache  # the new Page sets itself as file.page

    def _file(self, config: MkDocsConfig, out: Page | Asset, content: str) -> File:
        if isinstance(out, Asset):
            return File.generated(config, out.path, content=content)
        inclusion = InclusionLevel.UNDEFINED if out.in_nav else InclusionLevel.NOT_IN_NAV
        made = File.generated(config, out.src_uri, content=content, inclusion=inclusion)
        if out.src_uri.startswith("papers/"):  # "Edit this page" on a paper opens the note itself, in papers/
            made.edit_uri = finish.edit_path(self.config.papers_dir, self.docs_rel, out.src_uri)
        return made
