"""Finished pages kept across MkDocs builds: a generated page whose every input is the same as in the
last build is not put through the theme again.

After its Markdown is converted, each page still costs a theme render (mkdocs-material's ``main.html``
with the whole nav) and this plugin's finishing (``on_post_page``: late blocks, whitespace, CSP): at
1,173 notes, about half of a next deploy that finds every conversion kept. Most pages come out byte
for byte as in the last build, so the finished page is kept too, keyed by a digest of everything the
theme and the finishing read (``OutputKeys``):

- once per build: the versions of MkDocs, mkdocs-material, Jinja2 and the generator's code; every file
  of a theme folder that no installed package's version names (``custom_dir``, this plugin's own); the
  whole configuration, every plugin's with it and the source of its module; what the Jinja
  environment offers templates (names of filters, tests and globals; values of plain globals); the
  nav (titles, URLs, shape); the site's pages (paths, URLs, titles);
- per page: its path, URL, canonical and edit URLs, title, meta, table of contents and content; its
  place in the nav (none: only pages out of the nav are kept); the blocks this plugin adds after the
  theme; every other value a plugin put in the page's template context, as long as it is plain data
  (a page with any other value is rendered as usual, and not kept).

A page is kept only when nothing was logged while it was rendered, and only when this plugin is the
one that finishes pages (no other plugin has an ``on_post_page``). A theme whose templates show the
build's date (``build_date_utc``) keeps nothing. The pages are kept in one file (``output.pack`` in
``cache_dir``), rewritten by each build with the pages it used or made: what a build did not use is
gone after it, and the file is replaced in one step at the end of a build that finished.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import shutil
import sys
import sysconfig
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.structure.files import Files, InclusionLevel

from generator.engines.cache_keys import Unkeyable, file_digest, name_of, plain
from generator.engines.mkdocs_page_cache import LogCount, forking, in_forked_shares
from generator.replace_file import remove
from generator.versions import package_version

FORMAT = 1  # of the pack and of a key; a change to either bumps it
_MAGIC = b"RNPACK01"
_VERSIONS = ("mkdocs", "mkdocs-material", "jinja2", "markupsafe")
# what MkDocs' get_context gives every page: keyed by OutputKeys itself, not as plain data
_STANDARD = {"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version", "config", "page", "build_date_utc"}
KEPT = "rn_kept_output"  # in a page's template context: the finished page, for KeptTemplate to return


class KeptTemplate(jinja2.Template):
    """A template that returns a page's kept output instead of rendering it again.

    Set as the environment's ``template_class`` (Jinja's own hook for this); every other render is
    Jinja's own."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if len(args) == 1 and not kwargs and isinstance(args[0], Mapping) and isinstance(args[0].get(KEPT), str):
            return args[0][KEPT]
        return super().render(*args, **kwargs)


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _installed(folder: Path) -> bool:
    """Whether ``folder`` is inside an installed package (its version then stands for its files)."""
    roots = {Path(sysconfig.get_paths()[name]).resolve() for name in ("purelib", "platlib")}
    return any(root in folder.resolve().parents for root in roots)


def _theme_digest(dirs: list[str]) -> tuple[str, bool]:
    """Every file of the theme folders not inside an installed package, and whether any template of any
    theme folder reads the build's date (then nothing can be kept)."""
    digest, dated = hashlib.sha256(), False
    for folder in map(Path, dirs):
        installed = _installed(folder)
        for top, subdirs, names in os.walk(folder):
            if installed:  # its version stands for its files: only its templates are read, for the date
                subdirs[:] = [name for name in subdirs if name not in (".icons", "assets")]
            subdirs.sort()
            for name in sorted(names):
                path = Path(top, name)
                if installed and path.suffix not in (".html", ".xml", ".j2", ".jinja"):
                    continue
                data = path.read_bytes()
                dated = dated or b"build_date_utc" in data
                if not installed:
                    digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + data)
    return digest.hexdigest(), dated


def _module_source(obj: Any) -> str:
    """The source of a plugin's module (a hook is a module itself)."""
    return file_digest(getattr(obj, "__file__", None) or getattr(sys.modules.get(type(obj).__module__), "__file__", None))


class OutputKeys:
    """The digest of every input of a page's finished output (see the module's docstring)."""

    def __init__(self, config: Any, env: jinja2.Environment, code: str, skip_globals: set[str]) -> None:
        theme, self.dated = _theme_digest(list(config.theme.dirs))
        self.site = _digest(
            FORMAT,
            {name: package_version(name) for name in _VERSIONS},
            code,
            theme,
            self._config(config),
            self._environment(env, skip_globals),
        )
        self._nav: tuple[Any, str] = (None, "")
        self._pages: tuple[Any, str] = (None, "")

    @staticmethod
    def _config(config: Any) -> Any:
        try:
            # where the site is written and --strict are no page's business (the same pages for both)
            skipped = ("plugins", "theme", "site_dir", "strict")
            settings = plain({key: value for key, value in config.items() if key not in skipped})
            theme = config.theme
            settings["theme"] = [theme.name, list(theme.dirs), str(theme.locale), plain(dict(theme.items())),
                                 sorted(theme.static_templates)]  # fmt: skip
            settings["plugins"] = [[name, plain(dict(getattr(plugin, "config", {}))), _module_source(plugin)]
                                   for name, plugin in config.plugins.items()]  # fmt: skip
            return settings
        except Unkeyable as error:  # a setting of unknown kind: a key this build only
            return f"unkeyable setting {error} {os.getpid()} {id(config)}"

    @staticmethod
    def _environment(env: jinja2.Environment, skip_globals: set[str]) -> Any:
        # a filter or test by its name: its code is in the versions and sources above (a closure's values,
        # often the environment or the config, are not data)
        names = {kind: sorted(f"{name}={name_of(value) if callable(value) else ''}" for name, value in table.items())
                 for kind, table in (("filters", env.filters), ("tests", env.tests))}  # fmt: skip
        values = {}
        for name, value in env.globals.items():
            if name in skip_globals:
                continue
            try:
                values[name] = plain(value)
            except Unkeyable:
                values[name] = name_of(type(value))  # a helper object (macros' modules)
        return [names, values]

    def key(self, context: Mapping[str, Any], page: Any, late: str) -> str | None:
        """The key of ``page``'s finished output, or None when it cannot be kept."""
        if self.dated:
            return None
        try:
            extra = {name: plain(value) for name, value in context.items() if name not in _STANDARD and name != KEPT}
            shared = [plain(context.get(name)) for name in ("base_url", "extra_css", "extra_javascript", "mkdocs_version")]
            return _digest(self.site, self._nav_digest(context.get("nav")), self._pages_digest(context.get("pages")),
                           self._page(page), shared, extra, hashlib.sha256(late.encode("utf-8")).hexdigest())  # fmt: skip
        except Unkeyable:
            return None

    def _page(self, page: Any) -> Any:
        content = hashlib.sha256((page.content or "").encode("utf-8")).hexdigest()
        around = [[p.url, p.title] if p is not None else None for p in (page.previous_page, page.next_page)]
        return [page.file.src_uri, page.url, page.canonical_url, page.edit_url, page.title, page.is_homepage,
                page.file.inclusion.name, plain(page.meta), _toc(page.toc), content, around,
                [[a.title, getattr(a, "url", None)] for a in page.ancestors]]  # fmt: skip

    def _nav_digest(self, nav: Any) -> str:
        if self._nav[0] is not nav:
            homepage = getattr(getattr(nav, "homepage", None), "url", None)
            self._nav = (nav, _digest(homepage, _nav_items(getattr(nav, "items", None) or [])))
        return self._nav[1]

    def _pages_digest(self, pages: Any) -> str:
        if self._pages[0] is not pages:
            rows = [[f.src_uri, f.url, getattr(f.page, "title", None)] for f in pages or []]
            self._pages = (pages, _digest(rows))
        return self._pages[1]


def _nav_items(items: list[Any]) -> list[Any]:
    # nothing in it is active: only pages out of the nav are kept
    return [[type(item).__name__, item.title, getattr(item, "url", None), _nav_items(getattr(item, "children", None) or [])]
            for item in items]  # fmt: skip


def _toc(toc: Any) -> list[Any]:
    return [[link.level, link.id, link.title, _toc(link.children)] for link in toc or []]


class OutputPack:
    """The finished pages of the last build in one file, and those of this build written beside it.

    Layout: the pages' UTF-8 bytes one after another, then a JSON index (format, and each key's offset
    and length), then 16 bytes: the index's length and a magic word. A file that is cut short or of
    another format is not read. Pages rendered ahead by workers (``render_ahead``) come in packs of
    the same layout, read as the last build's is."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        self.index: dict[str, tuple[int, int, int]] = {}  # key → (source, offset, length)
        self.written: dict[str, list[int]] = {}
        self.hits = self.misses = self.ahead = 0
        self.site = ""  # the digest of what every page of this build shares (OutputKeys.site)
        self.last_site: str | None = None  # the last build's (None: no pack)
        self._sources: list[tuple[mmap.mmap, bool]] = []  # each pack read, and whether workers rendered it
        self._out: Any = None

    def open(self, site: str) -> None:
        """Read the last build's index, and start this build's file (``site``: OutputKeys.site)."""
        self.close()
        self.site, self.last_site = site, None
        self.adopt(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.path.parent)
        self._out = self.tmp.open("wb")
        self.written, self.hits, self.misses, self.ahead = {}, 0, 0, 0

    def adopt(self, path: Path, ahead: bool = False) -> int:
        """The pages of the pack at ``path`` found by ``get`` too; how many it holds."""
        kept, entries, site = _read(path)
        if kept is None:
            return 0
        if not ahead:
            self.last_site = site
        number = len(self._sources)
        self._sources.append((kept, ahead))
        for key, (offset, length) in entries.items():
            self.index[key] = (number, offset, length)
        return len(entries)

    def get(self, key: str) -> str | None:
        """The kept page for ``key`` (carried into this build's file), or None."""
        place = self.index.get(key)
        if place is None or self._out is None:
            self.misses += 1
            return None
        number, offset, length = place
        source, ahead = self._sources[number]
        data = source[offset : offset + length]
        try:
            html = data.decode("utf-8")
        except UnicodeDecodeError:  # a damaged entry: render the page again
            self.misses += 1
            return None
        self._write(key, data)
        if ahead:
            self.ahead += 1
        else:
            self.hits += 1
        return html

    def put(self, key: str, html: str) -> None:
        if self._out is not None and key not in self.written:
            self._write(key, html.encode("utf-8"))

    def _write(self, key: str, data: bytes) -> None:
        self.written[key] = [self._out.tell(), len(data)]
        self._out.write(data)

    def start_worker(self, path: Path) -> None:
        """In a forked worker: this build's pages go to a file of its own (not the parent's)."""
        self._out, self.tmp, self.written = path.open("wb"), path, {}

    def finish(self, replace: bool = True) -> bool:
        """This build's file in place of the last one's (False: it could not be written); a worker's
        file (``replace`` False) is only completed."""
        if self._out is None:
            return False
        try:
            index = json.dumps({"format": FORMAT, "site": self.site, "entries": self.written}, separators=(",", ":")).encode()
            self._out.write(index + len(index).to_bytes(8, "big") + _MAGIC)
            self._out.close()
            self._out = None
            if replace:
                self.tmp.replace(self.path)
            return True
        except OSError:
            return False
        finally:
            if replace:
                self.close()

    def close(self) -> None:
        """Stop without replacing the last build's file (a build that failed, or `finish` done)."""
        if self._out is not None:
            self._out.close()
            self._out = None
        self.tmp.unlink(missing_ok=True)
        for source, _ahead in self._sources:
            source.close()
        self._sources, self.index = [], {}


def _remove_stale(folder: Path) -> None:
    """What builds that were stopped left: their packs cut short, their workers' folders."""
    for path in [*folder.glob("*.pack.*.tmp"), *folder.glob("ahead-*")]:
        pid = path.name.split(".")[-2] if path.suffix == ".tmp" else path.name.split("-")[1]
        if pid.isdigit() and not _running(int(pid)):
            remove(path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _read(path: Path) -> tuple[mmap.mmap | None, dict[str, list[int]], str]:
    try:
        with path.open("rb") as file:
            kept = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # none yet, or empty
        return None, {}, ""
    try:
        if len(kept) < 16 or kept[-8:] != _MAGIC:
            raise ValueError("not a pack")
        length = int.from_bytes(kept[-16:-8], "big")
        data = json.loads(kept[len(kept) - 16 - length : len(kept) - 16])
        entries = data["entries"] if data.get("format") == FORMAT else {}
        end = len(kept) - 16 - length
        if not all(isinstance(v, list) and len(v) == 2 and v[0] >= 0 and v[0] + v[1] <= end for v in entries.values()):
            raise ValueError("an entry outside the pack")
        return kept, entries, str(data.get("site", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        kept.close()
        return None, {}, ""


# --- Rendering ahead, on all cores. MkDocs renders one page after another; on a build that finds few
# pages kept (a first deploy), forked workers render and finish the pages first, each as MkDocs' own
# loop would (its context, every plugin's on_page_context, the template, on_post_page), into packs of
# their own; MkDocs' loop then finds them as kept pages. A page whose context comes out differently
# in MkDocs' loop (a plugin with state) has another key, and is rendered there as usual; so is a page
# that failed or logged anything in a worker (its message then shows once, from MkDocs' loop).


def render_ahead(pages: list[Any], config: Any, nav: Any, env: jinja2.Environment, files: Files, pack: OutputPack, workers: int) -> int:
    """Render ``pages`` in ``workers`` forked processes into packs that ``pack`` adopts; how many were rendered."""
    if not pages or not forking(workers):
        return 0
    folder = Path(tempfile.mkdtemp(prefix=f"ahead-{os.getpid()}-", dir=pack.path.parent))
    try:
        made = in_forked_shares(_render_share, (pages, config, nav, env, files, pack, folder), workers)
        return sum(pack.adopt(Path(path), ahead=True) for path in made if path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # an adopted pack stays readable (mapped) until the build ends


def _render_share(pages: list[Any], config: Any, nav: Any, env: jinja2.Environment, files: Files, pack: OutputPack, folder: Path,
                  first: int, step: int) -> str | None:  # fmt: skip
    """In a worker: every ``step``-th page from ``first``, into a pack of its own (its path, None: failed)."""
    for logger in (logging.getLogger(), logging.getLogger("mkdocs")):  # quiet, but still counting
        logger.handlers[:] = [handler for handler in logger.handlers if isinstance(handler, LogCount)]
    path = folder / f"{first}.pack"
    pack.start_worker(path)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for page in pages[first::step]:
        config._current_page, page.active = page, True
        try:
            context = get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            if KEPT not in context:  # else kept from the last build
                config.plugins.on_post_page(template.render(context), page=page, config=config)
        except Exception:  # MkDocs' own loop renders the page again and reports what fails
            pass
        finally:
            config._current_page, page.active = None, False
    return str(path) if pack.finish(replace=False) else None
