"""Which component stylesheets and scripts a page needs: those whose classes it uses.

Each component's stylesheet in generator/assets/ styles only classes of its own prefix (rn-dash-,
rn-path-, rn-explore-, rn-cite-; tests/test_css_namespaces.py), and its script works only on those
elements. So a page needs ``<component>.css`` and ``<component>.js`` exactly when its HTML carries
a class that stylesheet defines; every other page loads neither (the explorer's script is most of
the site's own weight). The base stylesheet, reading-notes.css, loads on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

ASSET_DIR = "assets/reading-notes/"  # where the files of generator/assets/ are published
BASE_STYLESHEET = "reading-notes.css"
# the site search's box sits in the header of every page: its files load everywhere, like the base
EVERY_PAGE = ("search.css", "search.js")
_CLASS_IN_CSS = re.compile(r"\.(rn-[A-Za-z0-9_-]+)")
_CLASS_IN_JS = re.compile(r"""querySelector(?:All)?\(["'][^"']*?\.(rn-[A-Za-z0-9_-]+)""")
# a script with no stylesheet of its own (mermaid-init.js) is needed where the elements it looks for are
_ANY_CLASS_IN_JS = re.compile(r"""querySelector(?:All)?\(["'][^"']*?\.([A-Za-z][A-Za-z0-9_-]*)""")
_CLASS_ATTR = re.compile(r"""class=["']?([^"'>]*)""")


@dataclass(frozen=True)
class Component:
    """A component's files in generator/assets/ and the classes that make a page use them."""

    name: str  # dashboard, paths, explore, cite
    files: tuple[str, ...]  # its stylesheet first, then its script (when it has one)
    classes: frozenset[str]  # the classes its stylesheet styles and its script looks for


@cache
def components() -> tuple[Component, ...]:
    folder = resources.files("generator").joinpath("assets")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".css") and p.name not in (BASE_STYLESHEET, *EVERY_PAGE))
    base = _classes(folder.joinpath(BASE_STYLESHEET).read_text(encoding="utf-8"))
    found = []
    for sheet in names:
        stem = sheet[: -len(".css")]
        script = f"{stem}.js"
        files = (sheet, script) if folder.joinpath(script).is_file() else (sheet,)
        # its own classes: a base class it refines (.rn-dash-stat .rn-count) does not make a page use it
        own = _classes(folder.joinpath(sheet).read_text(encoding="utf-8"))
        if len(files) == 2:  # and the elements its script looks for (.rn-explore-compare is not styled)
            own |= set(_CLASS_IN_JS.findall(folder.joinpath(script).read_text(encoding="utf-8")))
        found.append(Component(stem, files, frozenset(own - base)))
    styled = {name[: -len(".css")] for name in names}
    scripts = (p.name for p in folder.iterdir() if p.name.endswith(".js") and p.name not in EVERY_PAGE)
    for script in sorted(name for name in scripts if name[: -len(".js")] not in styled):
        looked_for = set(_ANY_CLASS_IN_JS.findall(folder.joinpath(script).read_text(encoding="utf-8")))
        found.append(Component(script[: -len(".js")], (script,), frozenset(looked_for)))
    return tuple(found)


def _classes(css: str) -> set[str]:
    return set(_CLASS_IN_CSS.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)))


def used_classes(html: str) -> set[str]:
    """Every class named in a class attribute of ``html``."""
    return {name for value in _CLASS_ATTR.findall(html) for name in value.split()}


def page_assets(html: str) -> list[str]:
    """The component files (names in generator/assets/) the page with this HTML needs, stylesheets
    and scripts in a stable order."""
    used = used_classes(html)
    return [name for c in components() if used & c.classes for name in c.files]


def every_page_files() -> tuple[list[str], list[str]]:
    """The site's stylesheets and scripts that every page links (URIs in the site): the base
    stylesheet and the search box's files. An engine adds them to its config's extra_css and
    extra_javascript."""
    names = (BASE_STYLESHEET, *EVERY_PAGE)
    return [ASSET_DIR + n for n in names if n.endswith(".css")], [ASSET_DIR + n for n in names if n.endswith(".js")]


def page_files(html: str) -> tuple[list[str], list[str]]:
    """The component stylesheets and scripts (URIs in the site) the page with this HTML (its content,
    generated blocks included) links, besides ``every_page_files``."""
    names = page_assets(html)
    return [ASSET_DIR + n for n in names if n.endswith(".css")], [ASSET_DIR + n for n in names if n.endswith(".js")]
