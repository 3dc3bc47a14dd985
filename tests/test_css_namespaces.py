"""Each component's stylesheet styles only its own classes, so one cannot override another (the
dashboard's progress bar once squashed the reading path's progress box to 7 px), and the generated
pages carry no inline style attribute (a page's CSP hashes them, and instant navigation keeps the
first page's policy)."""

from __future__ import annotations

import re

from conftest import ROOT, note

ASSETS = ROOT / "generator" / "assets"
BASE = "reading-notes.css"
# component stylesheet → the class prefix every class it defines starts with
PREFIXES = {
    "dashboard.css": "rn-dash",
    "paths.css": "rn-path",
    "explore.css": "rn-explore",
    "cite.css": "rn-cite",
    "tags.css": "rn-tagindex",
    "search.css": "rn-search",
}
_CLASS = re.compile(r"\.(rn-[A-Za-z0-9_-]+)")


def _selectors(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    out = []
    for head in re.findall(r"([^{}]+)\{", css):
        if head.strip().startswith("@"):
            continue
        out += [s.strip() for s in head.split(",") if s.strip()]
    return out


def _owned(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith((prefix + "-", prefix + "_"))


def test_every_stylesheet_is_known():
    assert {p.name for p in ASSETS.glob("*.css")} == {BASE, *PREFIXES}


def test_components_style_only_their_own_classes():
    base_classes = {name for s in _selectors((ASSETS / BASE).read_text()) for name in _CLASS.findall(s)}
    wrong = []
    for sheet, prefix in PREFIXES.items():
        for selector in _selectors((ASSETS / sheet).read_text()):
            names = _CLASS.findall(selector)
            for i, name in enumerate(names):
                if _owned(name, prefix):
                    continue
                # a base class may be refined only inside this component's own block
                scoped = name in base_classes and any(_owned(n, prefix) for n in names[:i])
                if not scoped:
                    wrong.append(f"{sheet}: {selector} ({name})")
    assert wrong == []


def test_base_stylesheet_uses_no_component_prefix():
    base = [n for s in _selectors((ASSETS / BASE).read_text()) for n in _CLASS.findall(s)]
    assert [n for n in base if any(_owned(n, p) for p in PREFIXES.values())] == []


def test_no_generated_page_has_an_inline_style_attribute(site):
    build = site(
        {
            "osdi/2022/a.md": note("A", tags="[x]", status="read", body="Some notes.\n"),
            "osdi/2023/b.md": note("B", year=2023, tags="[x]"),
            "paths/must-read.yml": "title: M\nsections:\n  - title: S\n    steps:\n      - a\n      - b\n",
        },
        docs={"index.md": "# Home\n\n<!-- reading-notes:dashboard -->\n"},
    )
    assert build.returncode == 0, build.log
    styled = [
        str(p.relative_to(build.root))
        for p in (build.root / "site").rglob("*.html")
        if re.search(r"<[^>]*\sstyle\s*=", p.read_text(encoding="utf-8"))
    ]
    assert styled == []
