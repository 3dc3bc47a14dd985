"""The sanitizer keeps what the site's Markdown extensions make, and only the note's own HTML is sanitized."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown

from conftest import MKDOCS_YML, note
from generator.sanitize import sanitize_html

# the shipped mkdocs.yml's extensions
EXTENSIONS = ["toc", "tables", "admonition", "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.arithmatex"]
CONFIG = {"toc": {"permalink": True}, "pymdownx.highlight": {"use_pygments": True}, "pymdownx.arithmatex": {"generic": True}}
SHIPPED_YML = MKDOCS_YML + """\
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight:
      use_pygments: true
  - pymdownx.arithmatex:
      generic: true
"""

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
    for piece in ['<h2 id="problem-design">', 'class="headerlink"', 'style="text-align: right;"', '<span class="k">def</span>',
                  'class="linenos"', 'class="hll"', '<span class="arithmatex">', '<div class="admonition warning">',
                  '<details class="note">', 'src="data:image/png;base64,iVBORw0KGgo="', 'href="&#109;&#97;&#105;']:
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
    for piece in ['<h2 id="problem-design">Problem &amp; <em>design</em><a class="headerlink" href="#problem-design" title="Permanent link">¶</a></h2>',
                  '<th style="text-align: right;">right</th>', '<span class="k">def</span>', '<span class="arithmatex">\\(E=mc^2\\)</span>',
                  '<p class="admonition-title">Careful</p>', '<details class="note">', '<summary>More</summary>',
                  '<a href="https://example.org/a?b=1&amp;c=2">link</a>', '<img alt="diagram" src="../../../../img/d.png" title="t">',
                  'class="rn-paper-header"']:
        assert piece in content, piece
    assert "reading-notes:trusted" not in page and "rn-slot" not in page
