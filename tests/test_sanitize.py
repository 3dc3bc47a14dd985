"""The sanitizer keeps what the site's Markdown extensions make, and only the note's own HTML is sanitized."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest
from conftest import MKDOCS_YML, note

from generator.sanitize import ATTRIBUTES, URL_ATTRIBUTES, BrowserUrl, browser_url, sanitize_html

# the shipped mkdocs.yml's extensions
EXTENSIONS = ["toc", "tables", "admonition", "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight", "generator.render.mathml"]
CONFIG = {"toc": {"permalink": True}, "pymdownx.highlight": {"use_pygments": True}, "generator.render.mathml": {"generic": True}}
SHIPPED_YML = (
    MKDOCS_YML
    + """\
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight:
      use_pygments: true
  - generator.render.mathml:
      generic: true
"""
)

RICH = """\
## Problem & *design*

## 问题

| left | right | centre |
|:-----|------:|:------:|
| 1    | 2     | 3      |

```python linenums="1" hl_lines="1"
def f(x):  # comment
    return x["a"] < 2
```

Inline `code`, $E=mc^2$ and <kbd>Ctrl</kbd> H<sub>2</sub>O<sup>1</sup>.

$$
\\begin{aligned} M &= \\frac{(2+2+K)\\Psi}{N_d} \\\\ \\mathcal{O}(N^2) &= \\text{memory} \\end{aligned}
$$

$$
\\int_0^1 x\\,dx
$$

!!! warning "Careful"
    Body **bold** with a [link](https://example.org/a?b=1&c=2) and a [relative one](../other/).

??? note "More"
    Hidden.

1. one
2. two

> quote

---

![diagram](../../../img/d.png "t") ![dot](data:image/png;base64,iVBORw0KGgo=) <mailto:a@example.org>
"""


class _Events(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []

    def handle_starttag(self, tag, attrs):
        if tag != "tbody":  # the HTML parser inside nh3 adds <tbody> to Pygments' line-number table
            self.events.append(("start", tag, *sorted(f"{k}={v or ''}" for k, v in attrs)))

    def handle_endtag(self, tag):
        if tag not in ("tbody", "hr", "img", "br"):  # <hr /> and <hr> are the same
            self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))


def events(html: str) -> list[tuple[str, ...]]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def test_what_the_extensions_make_survives_unchanged():
    html = markdown.markdown(RICH, extensions=EXTENSIONS, extension_configs=CONFIG)
    for piece in [
        '<h2 id="problem-design">',
        'class="headerlink"',
        'style="text-align: right;"',
        '<span class="k">def</span>',
        'class="linenos"',
        'class="hll"',
        "<mi>m</mi><msup><mi>c</mi><mn>2</mn></msup>",
        "<mfrac>",
        '<mtd columnalign="right">',
        '<div class="admonition warning">',
        '<details class="note">',
        'src="data:image/png;base64,iVBORw0KGgo="',
        'href="&#109;&#97;&#105;',
    ]:
        assert piece in html, piece  # the input has each feature
    clean = sanitize_html(html)
    assert clean.removed == []
    assert events(clean.html) == events(html)


def test_rich_note_builds_clean_and_unchanged(site):
    build = site({"osdi/2022/rich.md": note("Rich", body=RICH)}, docs={"img/d.png": "png"}, mkdocs_yml=SHIPPED_YML)
    assert build.returncode == 0, build.log  # --strict: no sanitizer warning
    assert "sanitizer" not in build.log
    page = build.html("papers/osdi/2022/rich")
    content = page[page.index("<article") : page.index("</article>")]
    for piece in [
        '<h2 id="problem-design">Problem &amp; <em>design</em><a class="headerlink" href="#problem-design" title="Permanent link">¶</a></h2>',
        '<th style="text-align: right;">right</th>',
        '<span class="k">def</span>',
        '<math display="inline"><mrow><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn></msup></mrow></math>',
        '<p class="admonition-title">Careful</p>',
        '<details class="note">',
        "<summary>More</summary>",
        '<a href="https://example.org/a?b=1&amp;c=2">link</a>',
        '<img alt="diagram" src="../../../../img/d.png" title="t">',
        'class="rn-paper-header"',
    ]:
        assert piece in content, piece
    assert "reading-notes:trusted" not in page and "rn-slot" not in page


# URLs as browsers read them (WHATWG URL parsing): tabs and newlines anywhere are dropped, leading
# controls and spaces are stripped, "\" is "/" in http(s) and relative URLs, schemes ignore case.
# (html, what is reported): an image must not reach another host, a link must not run script.
OFF_SITE = " (images must come from the site itself)"
URL_CASES = [
    ('<img src="/&#9;/evil.example/p.png">', ['src "/ /evil.example/p.png"' + OFF_SITE]),
    ('<img src="/&#10;/evil.example/p.png">', ['src "/ /evil.example/p.png"' + OFF_SITE]),
    ('<img src="/&#13;/evil.example/p.png">', ['src "/ /evil.example/p.png"' + OFF_SITE]),
    ('<img src="\\/evil.example/p.png">', ['src "\\/evil.example/p.png"' + OFF_SITE]),
    ('<img src="/\\evil.example/p.png">', ['src "/\\evil.example/p.png"' + OFF_SITE]),
    ('<img src="\\\\evil.example/p.png">', ['src "\\\\evil.example/p.png"' + OFF_SITE]),
    ('<img src="///evil.example/p.png">', ['src "///evil.example/p.png"' + OFF_SITE]),
    ('<img src=" //evil.example/p.png">', ['src "//evil.example/p.png"' + OFF_SITE]),
    ('<img src="&#1;//evil.example/p.png">', ['src "//evil.example/p.png"' + OFF_SITE]),
    ('<img src="ht&#9;tps://evil.example/p.png">', ['src "ht tps://evil.example/p.png"' + OFF_SITE]),
    ('<img src="HTTPS://evil.example/p.png">', ['src "HTTPS://evil.example/p.png"' + OFF_SITE]),
    ('<img src="https:\\\\evil.example/p.png">', ['src "https:\\\\evil.example/p.png"' + OFF_SITE]),
    ('<img src="DaTa:image/svg+xml,&lt;svg onload=alert(1)&gt;">', ['src "DaTa:image/svg+xml,<svg onload=alert(1)>"' + OFF_SITE]),
    ('<img src="da&#9;ta:image/svg+xml;base64,PHN2Zz4=">', ['src "da ta:image/svg+xml;base64,PHN2Zz4="' + OFF_SITE]),
    ('<img src="data:&#10;image/png;base64,iVBORw0KGgo=">', ['src "data: image/png;base64,iVBORw0KGgo="' + OFF_SITE]),
    ('<img src="da&#9;ta:image/png;base64,iVBORw0KGgo=">', ['src "da ta:image/png;base64,iVBORw0KGgo="' + OFF_SITE]),
    ('<img src=" data:image/png;base64,iVBORw0KGgo=">', []),
    ('<img src="data:image/png;base64,iVBO&#10;Rw0KGgo=">', []),
    ('<img src="img/&#9;x.png">', []),
    ('<img src=".\\x.png">', []),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', ['href "JaVaScRiPt:alert(1)"']),
    ('<a href="java&#10;script:alert(1)">x</a>', ['href "java script:alert(1)"']),
    ('<a href="&#32;&#1;javascript:alert(1)">x</a>', ['href "javascript:alert(1)"']),
    ('<a href="&#x6A;avascript&#x3A;alert(1)">x</a>', ['href "javascript:alert(1)"']),
    ('<a href="d&#9;ata:text/html,x">x</a>', ['href "d ata:text/html,x"']),
    ('<a href="vb&#13;script:x">x</a>', ['href "vb script:x"']),
    ('<a href="ja\\vascript:alert(1)">x</a>', []),  # no scheme ("\" ends it): a relative path
    ('<a href="https://example.org/a">x</a>', []),
    ('<a href="/&#9;/example.org/">x</a>', []),  # a link may lead to another host, like https://example.org/
    ('<a href="mailto:a@example.org">x</a>', []),
    ('<a href="../other/">x</a>', []),
]


@pytest.mark.parametrize(("html", "removed"), URL_CASES, ids=[c[0] for c in URL_CASES])
def test_urls_are_judged_as_browsers_read_them(html, removed):
    clean = sanitize_html(html)
    assert clean.removed == removed
    if removed:  # the attribute is gone, the element stays
        assert "src=" not in clean.html and "href=" not in clean.html


@pytest.mark.parametrize(("url", "scheme", "rest"), [
    (" \x01java\tscript:x ", "javascript", "x"), ("HTTPS:\\\\h\\p", "https", "//h/p"), ("/\t/h", None, "//h"),
    ("\\/h", None, "//h"), ("mailto:a\\b", "mailto", "a\\b"), ("a\\b:c", None, "a/b:c"), ("data:image/png,\n1", "data", "image/png,1"),
])  # fmt: skip
def test_browser_url(url, scheme, rest):
    assert browser_url(url) == BrowserUrl(scheme, rest)


def test_every_url_attribute_the_allow_list_keeps_is_judged():
    # the attributes HTML reads as URLs (HTML Living Standard, attribute index, plus SVG/legacy ones)
    html_url_attributes = {"href", "src", "srcset", "cite", "action", "formaction", "poster", "data", "background", "longdesc",
                           "usemap", "ping", "manifest", "codebase", "archive", "xlink:href", "itemid", "itemtype"}  # fmt: skip
    kept = {attr for attrs in ATTRIBUTES.values() for attr in attrs}
    assert kept & html_url_attributes <= URL_ATTRIBUTES
