"""Hostile notes: each case is a note (or a piece of one) a stranger could send, with the exact
problem it must produce or the inert output it must become.

Groups: strict YAML, field rules (lengths, tags, links), file paths, pathological bodies, and the
HTML sanitizer. A last group builds a real site from the worst of them.
"""

from __future__ import annotations

import time

import pytest
from conftest import note, run_engine, write_site

from generator.index.catalog import build_catalog
from generator.load.frontmatter import FrontMatterError, decode, parse_front_matter
from generator.load.notes import load_note
from generator.load.venues import load_registry
from generator.model import RawNote
from generator.sanitize import sanitize_html
from generator.validate.body import body_problems
from generator.validate.note import validate_note
from generator.validate.tags import make_tag

REGISTRY, _ = load_registry()
PATH = "papers/osdi/2022/x.md"


def problems_of(text: str | bytes, rel: str = "osdi/2022/x.md") -> list[str]:
    """Every problem of one note, as `notes check` prints them."""
    raw_bytes = text.encode("utf-8") if isinstance(text, str) else text
    try:
        fm = parse_front_matter(decode(raw_bytes))
    except FrontMatterError as exc:
        return [f"papers/{rel}:{exc.line}: {exc.field}: {exc.message}"]
    raw = RawNote(f"papers/{rel}", rel, fm.data, fm.lines, fm.body, fm.body_line)
    return [str(p) for p in validate_note(raw, REGISTRY)[1]]


BASE = 'title: "T"\nvenue: OSDI\nyear: 2022\n'
# 441 bytes: nine levels of nine aliases, 9^9 strings once expanded (and serialized to JSON)
ALIAS_BOMB = (
    '---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{y}: &{y} [{', '.join(['*' + x] * 9)}]\n" for x, y in zip("abcdefgh", "bcdefghi", strict=True))
    + "---\n"
)
assert 400 < len(ALIAS_BOMB) < 460

YAML_CASES = [
    ("alias bomb", ALIAS_BOMB, "papers/osdi/2022/x.md:3: front-matter: YAML anchors and aliases (&, *) are not allowed"),
    (
        "self-referencing alias",
        "---\na: &a [*a]\n---\n",
        "papers/osdi/2022/x.md:2: front-matter: YAML anchors and aliases (&, *) are not allowed",
    ),
    (
        "anchor without alias",
        "---\n" + BASE + "topic: &t x\n---\n",
        "papers/osdi/2022/x.md:5: front-matter: YAML anchors and aliases (&, *) are not allowed",
    ),
    (
        "merge key",
        "---\nbase: &b {title: T}\n<<: *b\n---\n",
        "papers/osdi/2022/x.md:3: front-matter: YAML anchors and aliases (&, *) are not allowed",
    ),
    (
        "python object tag",
        "---\ntitle: !!python/object/apply:os.system [ls]\n---\n",
        "papers/osdi/2022/x.md:2: front-matter: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (write a plain value)",
    ),
    (
        "python name tag on a key",
        "---\n? !!python/name:os.system\n: 1\n---\n",
        "papers/osdi/2022/x.md:2: front-matter: the YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed (write a plain value)",
    ),
    (
        "explicit standard tag",
        '---\nyear: !!int "2022"\n---\n',
        "papers/osdi/2022/x.md:2: front-matter: the YAML tag 'tag:yaml.org,2002:int' is not allowed (write a plain value)",
    ),
    (
        "local tag",
        "---\ntitle: !x T\n---\n",
        "papers/osdi/2022/x.md:2: front-matter: the YAML tag '!x' is not allowed (write a plain value)",
    ),
    (
        "non-specific tag",
        "---\ntitle: ! T\n---\n",
        "papers/osdi/2022/x.md:2: front-matter: the YAML tag '!' is not allowed (write a plain value)",
    ),
    (
        "duplicate key",
        "---\n" + BASE + 'title: "U"\n---\n',
        "papers/osdi/2022/x.md:5: title: duplicate key (first given on line 2; keep one)",
    ),
    ("complex key", "---\n? [a, b]\n: 1\n---\n", "papers/osdi/2022/x.md:2: front-matter: a key must be a plain word"),
    (
        "flow nesting 30,000 deep",
        "---\nx: " + "[" * 30000 + "]" * 30000 + "\n---\n",
        "papers/osdi/2022/x.md:2: front-matter: invalid YAML: exceeded maximum nesting depth",
    ),
    (
        "mapping nesting 10,000 deep",
        "---\nx: " + "{a: " * 10000 + "1" + "}" * 10000 + "\n---\n",
        "papers/osdi/2022/x.md:2: front-matter: nested deeper than 8 levels",
    ),
    (
        "block list nesting 300 deep",
        "---\n" + "".join(" " * i + "- \n" for i in range(300)) + "---\n",
        "papers/osdi/2022/x.md:10: front-matter: nested deeper than 8 levels",
    ),
    ("front-matter over 64 KiB", "---\nsummary: '" + "a" * 70000 + "'\n---\n", "papers/osdi/2022/x.md:2: front-matter: longer than 64 KiB"),
    (
        "tab indentation",
        "---\ntitle: x\n\tyear: 1\n---\n",
        "papers/osdi/2022/x.md:3: front-matter: invalid YAML: found a tab character that violates indentation (indent with spaces, not tabs)",
    ),
    ("no closing fence", "---\n" + BASE + "\n# Body\n", "papers/osdi/2022/x.md:1: front-matter: no closing '---' line after the fields"),
    (
        "escaped NUL",
        "---\n" + BASE + 'summary: "a\\0b"\n---\n',
        "papers/osdi/2022/x.md:5: front-matter: contains the invisible control character U+0000 (remove it)",
    ),
    (
        "escaped bidi override",
        "---\n" + BASE + 'topic: "\\u202Eevil"\n---\n',
        "papers/osdi/2022/x.md:5: front-matter: contains the invisible control character U+202E (remove it)",
    ),
    (
        "raw bidi isolate",
        "---\n" + BASE + "summary: a\u2066b\n---\n",
        "papers/osdi/2022/x.md:5: front-matter: contains the invisible control character U+2066 (remove it)",
    ),
    (
        "escaped next-line",
        "---\n" + BASE + 'summary: "a\\Nb"\n---\n',
        "papers/osdi/2022/x.md:5: front-matter: contains the invisible control character U+0085 (remove it)",
    ),
    (
        "raw line separator",
        "---\n" + BASE + "summary: a\u2028b\n---\n",
        "papers/osdi/2022/x.md:5: front-matter: contains the invisible control character U+2028 (remove it)",
    ),
    (
        "lone surrogate escape",
        "---\n" + BASE + 'summary: "\\ud800"\n---\n',
        "papers/osdi/2022/x.md:5: front-matter: invalid YAML: found invalid Unicode character escape code",
    ),
    ("Latin-1 bytes", b"---\ntitle: caf\xe9\n---\n", "papers/osdi/2022/x.md:2: encoding: the file is not valid UTF-8 (save it as UTF-8)"),
    (
        "5,000-digit year",
        "---\ntitle: T\nvenue: OSDI\nyear: " + "9" * 5000 + "\n---\n",
        "papers/osdi/2022/x.md:4: year: must be a whole number such as 2022, not '" + "9" * 5000 + "'",
    ),
    (
        "YAML 1.1 date",
        "---\ntitle: T\nvenue: OSDI\nyear: 2021-01-01\n---\n",
        "papers/osdi/2022/x.md:4: year: must be a whole number such as 2022, not '2021-01-01'",
    ),
    (
        "YAML 1.1 boolean",
        "---\n" + BASE + "status: yes\n---\n",
        "papers/osdi/2022/x.md:5: status: 'yes' is not allowed (use one of: unread, reading, read)",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES])
def test_hostile_yaml(text, expected):
    start = time.perf_counter()
    assert problems_of(text)[0] == expected
    assert time.perf_counter() - start < 2


FIELD_CASES = [
    ("title over 300 characters", note("t" * 301), "papers/osdi/2022/x.md:2: title: is 301 characters long (at most 300)"),
    ("title on two lines", "---\ntitle: |\n  a\n  b\nvenue: OSDI\nyear: 2022\n---\n", "papers/osdi/2022/x.md:2: title: must be one line"),
    (
        "101 authors",
        note("T", authors="[" + ", ".join(["A"] * 101) + "]"),
        "papers/osdi/2022/x.md:5: authors: has 101 entries (at most 100)",
    ),
    (
        "tag that climbs folders",
        note("T", tags="['../../x']"),
        "papers/osdi/2022/x.md:5: tags: entry 1 '../../x' contains '/' (a tag may use letters, digits, spaces and _ - + # .)",
    ),
    (
        "tag of dots",
        note("T", tags="['..']"),
        "papers/osdi/2022/x.md:5: tags: entry 1 '..' has no letter or digit to build a page address from",
    ),
    (
        "tag of a lone combining mark",
        note("T", tags="['\u0301']"),
        "papers/osdi/2022/x.md:5: tags: entry 1 '\u0301' has no letter or digit to build a page address from",
    ),
    (
        "tag with HTML",
        note("T", tags="['<img src=x>']"),
        "papers/osdi/2022/x.md:5: tags: entry 1 '<img src=x>' contains '<' (a tag may use letters, digits, spaces and _ - + # .)",
    ),
    (
        "javascript: in mixed case",
        note("T", links="{paper: 'JaVaScRiPt:alert(1)'}"),
        "papers/osdi/2022/x.md:5: links.paper: 'JaVaScRiPt:alert(1)' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "javascript: split by a tab",
        note("T", links='{paper: "java\\tscript:alert(1)"}'),
        "papers/osdi/2022/x.md:5: links.paper: 'java\\tscript:alert(1)' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "javascript: as an entity",
        note("T", links="{paper: '&#x6A;avascript:alert(1)'}"),
        "papers/osdi/2022/x.md:5: links.paper: '&#x6A;avascript:alert(1)' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "javascript: with a host",
        note("T", links="{paper: 'javascript://example.org/%0Aalert(1)'}"),
        "papers/osdi/2022/x.md:5: links.paper: 'javascript://example.org/%0Aalert(1)' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "data: URL",
        note("T", links="{code: 'data:text/html,<script>alert(1)</script>'}"),
        "papers/osdi/2022/x.md:5: links.code: 'data:text/html,<script>alert(1)</script>' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "scheme-relative URL",
        note("T", links="{video: '//evil.example/x'}"),
        "papers/osdi/2022/x.md:5: links.video: '//evil.example/x' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "leading space",
        note("T", links="{paper: ' https://example.org'}"),
        "papers/osdi/2022/x.md:5: links.paper: ' https://example.org' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "zero-width space in the host",
        note("T", links="{paper: 'https://exa\u200bmple.org'}"),
        "papers/osdi/2022/x.md:5: links.paper: 'https://exa\\u200bmple.org' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "user@ before the host",
        note("T", links="{paper: 'https://example.org@evil.example/'}"),
        "papers/osdi/2022/x.md:5: links.paper: 'https://example.org@evil.example/' is not an http(s) URL (write the full address, https://…)",
    ),
    (
        "relation id with HTML",
        note("T", builds_on="['<img src=x onerror=alert(1)>']"),
        "papers/osdi/2022/x.md:5: builds_on: entry 1 is not a paper id (letters, digits, '-', '_' or '.', like 'orca')",
    ),
    (
        "relation id that climbs folders",
        note("T", compares_with="['../../x']"),
        "papers/osdi/2022/x.md:5: compares_with: entry 1 is not a paper id (letters, digits, '-', '_' or '.', like 'orca')",
    ),
    (
        "backslashes for slashes",
        note("T", links="{paper: 'https:\\\\evil.example'}"),
        "papers/osdi/2022/x.md:5: links.paper: 'https:\\\\\\\\evil.example' is not an http(s) URL (write the full address, https://…)",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES])
def test_hostile_fields(text, expected):
    assert problems_of(text)[0] == expected


def test_tags_that_would_share_a_page_are_refused():
    papers = []
    for name, tag in [("a", "a+b"), ("b", "aplusb")]:
        fm = parse_front_matter(note("T", tags=f"['{tag}']"))
        paper, _ = validate_note(RawNote(f"papers/osdi/2022/{name}.md", f"osdi/2022/{name}.md", fm.data, fm.lines, "", 6), REGISTRY)
        papers.append(paper)
    _, problems = build_catalog(papers, REGISTRY)
    assert [str(p) for p in problems] == [  # one note each, no history: the first spelling in code-point order keeps the page
        "papers/osdi/2022/b.md:5: tags: 'aplusb' would take the page tags/aplusb/ of the established tag 'a+b' (of papers/osdi/2022/a.md): use that spelling; this tag is left out",
        "papers/osdi/2022/a.md:5: tags: 'a+b' keeps its page tags/aplusb/, which 'aplusb' in papers/osdi/2022/b.md would share (one spelling per tag)",
    ]


@pytest.mark.parametrize(
    ("raw", "slug"), [("हिन्दी", "हिन्दी"), ("ＧＰＵ_sharing", "gpu-sharing"), ("İstanbul", "i̇stanbul"), ("C#", "csharp")]
)
def test_tags_of_any_script_get_their_own_slug(raw, slug):
    assert make_tag(raw).slug == slug


def test_accepted_urls_keep_their_spelling():
    fm = parse_front_matter(note("T", links="{paper: 'HTTPS://EXAMPLE.ORG/A', code: 'https://example.org/\"><script>alert(1)</script>'}"))
    paper, problems = validate_note(RawNote(PATH, "osdi/2022/x.md", fm.data, fm.lines, "", 6), REGISTRY)
    assert problems == []
    assert [link.url for link in paper.links] == [
        "HTTPS://EXAMPLE.ORG/A",
        'https://example.org/"><script>alert(1)</script>',
    ]  # escaped when shown


def test_symlinked_note_is_refused(tmp_path):
    papers = tmp_path / "papers"
    (papers / "osdi").mkdir(parents=True)
    secret = tmp_path / "secret.md"
    secret.write_text(note("Secret"), encoding="utf-8")
    (papers / "osdi" / "link.md").symlink_to(secret)
    assert (
        str(load_note(papers / "osdi" / "link.md", papers, tmp_path))
        == "papers/osdi/link.md:1: file: is a symbolic link (notes must be real files inside papers/)"
    )


@pytest.mark.parametrize("name", ['x"onmouseover=alert(1).md', "a b.md", "h#x.md", "p?x.md", "%2e%2e.md", "-x.md"])
def test_file_names_that_make_bad_urls_are_refused(tmp_path, name):
    papers = tmp_path / "papers"
    (papers / "osdi").mkdir(parents=True)
    (papers / "osdi" / name).write_text(note("T"), encoding="utf-8")
    assert str(load_note(papers / "osdi" / name, papers, tmp_path)) == (
        f"papers/osdi/{name}:1: file: folder and file names may use only letters, digits, '-', '_' and '.', "
        "and start with a letter, digit or '_' (they become the page's URL): rename it"
    )


BODY_CASES = [
    ("one 80 KB line of '[a('", "[a(" * 27000, "papers/osdi/2022/x.md:6: body: is 79 KiB (a note's text may be at most 64 KiB)"),
    (
        "one 20 KB line of '[a('",
        "[a(" * 7000,
        "papers/osdi/2022/x.md:6: body: a line of 21000 characters (at most 10000): break it into shorter lines",
    ),
    ("301 '[' in one paragraph", "[a(" * 301, "papers/osdi/2022/x.md:6: body: more than 300 '[' in one paragraph"),
    ("link bomb across paragraphs", "\n\n".join(["[a](b) " * 300] * 11), "papers/osdi/2022/x.md:26: body: more than 3000 '[' in the note"),
    (
        "lists opened 17 deep on one line",
        "- " * 17 + "a",
        "papers/osdi/2022/x.md:6: body: more than 16 quotes or list items opened on one line",
    ),
    ("quotes 300 deep", "> " * 300 + "a", "papers/osdi/2022/x.md:6: body: more than 16 quotes or list items opened on one line"),
    (
        "lists nested by indenting",
        "\n".join("  " * i + "- a" for i in range(40)),
        "papers/osdi/2022/x.md:39: body: indented by 66 columns (at most 64): lists or blocks nested too deep",
    ),
    (
        "201 lines without a blank line",
        "\n".join(["- - -"] * 201),
        "papers/osdi/2022/x.md:6: body: more than 200 lines without a blank line: separate paragraphs and lists with blank lines",
    ),
    ("1,001 raw HTML tags", "<b>x</b> " * 501, "papers/osdi/2022/x.md:6: body: more than 1000 HTML tags: write Markdown instead"),
    (
        "51 unclosed CDATA sections",
        "<![CDATA[" * 51,
        "papers/osdi/2022/x.md:6: body: more than 50 HTML comments or declarations (<!… and <?…)",
    ),
    ("201 headings", "\n\n".join(["# a"] * 201), "papers/osdi/2022/x.md:406: body: more than 200 headings"),
    (
        "201 code fences",
        "\n".join("`" * (3 + i) for i in range(201)),
        "papers/osdi/2022/x.md:206: body: more than 200 code fences (``` or ~~~ lines)",
    ),
    (
        "Markdown's placeholder characters",
        "a \x02wzxhzdk:0\x03 b",
        "papers/osdi/2022/x.md:6: body: contains the invisible control character U+0002 (remove it)",
    ),
    (
        "bidi override in code",
        "```\nif x: \u202e return\n```",
        "papers/osdi/2022/x.md:7: body: contains the invisible control character U+202E (remove it)",
    ),
    (
        "snippet include",
        '--8<-- "/etc/passwd"',
        "papers/osdi/2022/x.md:6: body: the include syntax '--8<--' is not allowed in notes (it would copy another file into the page)",
    ),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in BODY_CASES], ids=[c[0] for c in BODY_CASES])
def test_hostile_bodies(body, expected):
    start = time.perf_counter()
    assert next(str(p) for p in body_problems(PATH, body, 6)) == expected
    assert time.perf_counter() - start < 1
    assert expected in problems_of(note("T", body=body))  # validate_note reports it too


SANITIZER_CASES = [
    ("script element", "<p>hi<script>alert(1)</script></p>", "<p>hi</p>", ["<script>"]),
    ("event handler", "<img src=x onerror=alert(1)>", '<img src="x">', ["the onerror attribute"]),
    ("attribute-list handler", '<p onclick="alert(1)">x</p>', "<p>x</p>", ["the onclick attribute"]),
    ("javascript: link", '<a href="javascript:alert(1)">x</a>', "<a>x</a>", ['href "javascript:alert(1)"']),
    ("javascript: with a tab entity", '<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>", ['href "java script:alert(1)"']),
    (
        "data: link",
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
        "<a>x</a>",
        ['href "data:text/html,<script>alert(1)</script>"'],
    ),
    (
        "image from another host",
        '<img src="https://evil.example/t.png">',
        "<img>",
        ['src "https://evil.example/t.png" (images must come from the site itself)'],
    ),
    (
        "scheme-relative image",
        '<img src="//evil.example/t.png">',
        "<img>",
        ['src "//evil.example/t.png" (images must come from the site itself)'],
    ),
    (
        "SVG data image",
        '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
        "<img>",
        ['src "data:image/svg+xml,<svg onload=alert(1)>" (images must come from the site itself)'],
    ),
    ("id clobbering the theme config", '<h2 id="__config">x</h2>', "<h2>x</h2>", ['id "__config"']),
    ("id clobbering a global", '<h2 id="mermaid">x</h2>', "<h2>x</h2>", ['id "mermaid"']),
    (
        "classes posing as the theme",
        '<div class="md-dialog rn-tag note">x</div>',
        '<div class="note">x</div>',
        ['class "md-dialog"', 'class "rn-tag"'],
    ),
    ("iframe", '<iframe src="https://evil.example"></iframe>after', "after", ["<iframe>"]),
    ("form", '<form action="https://evil.example"><input name="q"></form>', "", ["<form>", "<input>"]),
    ("SVG with onload", "<svg onload=alert(1)><script>alert(2)</script></svg>", "", ["<script>", "<svg>"]),
    ("style element", "<style>body{display:none}</style>x", "x", ["<style>"]),
    ("style attribute", '<p style="position:fixed;top:0">x</p>', "<p>x</p>", ["the style attribute"]),
    ("base element", '<base href="https://evil.example/">', "", ["<base>"]),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">', "", ["<meta>"]),
    ("link to a stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">', "", ["<link>"]),
    (
        "opener and target",
        '<a href="https://example.org" target="_blank" rel="opener">x</a>',
        '<a href="https://example.org">x</a>',
        ["the rel attribute", "the target attribute"],
    ),
    ("name clobbering document", '<img name="getElementById" src="a.png">', '<img src="a.png">', ["the name attribute"]),
    (
        "data attribute for a theme component",
        '<div data-md-component="search">x</div>',
        "<div>x</div>",
        ["the data-md-component attribute"],
    ),
    (
        "noscript parser differential",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        '<img src="x">"&gt;',
        ["<noscript>", "<p>"],
    ),
    ("HTML comment", "<p>a<!-- hidden --></p>", "<p>a</p>", ["an HTML comment"]),
    # MathML (allowed for formulas, generator/render/mathml.py): presentation markup only
    ("MathML href", '<math href="javascript:alert(1)"><mi>x</mi></math>', "<math><mi>x</mi></math>", ['href "javascript:alert(1)"']),
    (
        "MathML xlink:href",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "<math><mi>x</mi></math>",
        ["the xlink:href attribute"],
    ),
    (
        "MathML annotation-xml with HTML",
        '<math><semantics><mi>x</mi><annotation-xml encoding="text/html"><script>alert(1)</script>'
        "<img src=x onerror=alert(2)></annotation-xml></semantics></math>",
        "<math><mi>x</mi></math>",
        ["<annotation-xml>", "<img>", "<script>", "<semantics>"],
    ),
    (
        "HTML image inside mtext",
        "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
        '<math><mtext><img src="x"></mtext></math>',
        ["the onerror attribute"],
    ),
    (
        "MathML maction",
        '<math><maction actiontype="statusline"><mi>x</mi><mtext>y</mtext></maction></math>',
        "<math><mi>x</mi><mtext>y</mtext></math>",
        ["<maction>"],
    ),
    (
        "MathML style and CSS in a value",
        '<math><mstyle mathsize="url(//evil.example/x)"><mi style="color:red">x</mi></mstyle></math>',
        "<math><mstyle><mi>x</mi></mstyle></math>",
        ["the style attribute", 'mathsize "url(//evil.example/x)"'],
    ),
    (
        "MathML event handler",
        '<math><mi onmouseover="alert(1)" mathvariant="bold">x</mi></math>',
        '<math><mi mathvariant="bold">x</mi></math>',
        ["the onmouseover attribute"],
    ),
]


@pytest.mark.parametrize(("html", "clean", "removed"), [c[1:] for c in SANITIZER_CASES], ids=[c[0] for c in SANITIZER_CASES])
def test_hostile_html_is_made_inert(html, clean, removed):
    result = sanitize_html(html)
    assert (result.html, result.removed) == (clean, removed)


def test_at_least_forty_distinct_cases():
    cases = YAML_CASES + FIELD_CASES + BODY_CASES + SANITIZER_CASES
    assert len({c[0] for c in cases}) == len(cases) >= 40


# --- a real build ----------------------------------------------------------------------------------

EVIL_BODY = """\
## Problem

<script>alert(1)</script><img src=x onerror=alert(2)> [click](javascript:alert(3))
<a href="JaVaScRiPt:alert(4)">mixed</a> <iframe src="https://evil.example/"></iframe>

## __config

Text.
"""


def test_a_build_refuses_pathological_bodies_in_bounded_time_and_makes_the_rest_inert(tmp_path, engine):
    notes = {
        "osdi/2022/evil.md": note("Evil", body=EVIL_BODY),
        "osdi/2022/line.md": note("Line", body="[a(" * 27000),
        "osdi/2022/nest.md": note("Nest", body="- " * 3000 + "a"),
        "osdi/2022/links.md": note("Links", body="\n\n".join(["[a](b) " * 300] * 11)),
        "osdi/2022/worst.md": note("Worst accepted", body="\n\n".join(["\n".join(["??? note"] * 200)] * 35)),
        "osdi/2022/deep.md": note("Deep accepted", body="\n".join("  " * i + "> " * 15 + "- a" for i in range(32))),
    }
    start = time.perf_counter()
    build = run_engine(write_site(tmp_path, notes), engine)
    elapsed = time.perf_counter() - start
    assert build.returncode == 0, build.log
    assert "Traceback" not in build.log and "RecursionError" not in build.log
    assert elapsed < 60, elapsed
    for message in [
        "papers/osdi/2022/line.md:6: body: is 79 KiB (a note's text may be at most 64 KiB)",
        "papers/osdi/2022/nest.md:6: body: more than 16 quotes or list items opened on one line",
        "papers/osdi/2022/links.md:26: body: more than 3000 '[' in the note",
        "papers/osdi/2022/evil.md:6: body: the HTML sanitizer removed <iframe>, <script>, the onerror attribute, "
        'href "JaVaScRiPt:alert(4)", href "javascript:alert(3)", id "__config"',
    ]:
        assert message in build.log
    assert build.exists("papers/osdi/2022/worst") and build.exists("papers/osdi/2022/deep")
    assert not build.exists("papers/osdi/2022/line")
    page = build.html("papers/osdi/2022/evil")
    content = page[page.index("<article") : page.index("</article>")]
    for raw in ["<script>alert", "onerror", "javascript:", "JaVaScRiPt", "<iframe", 'id="__config"']:
        assert raw not in content, raw
    assert '<h2 id="problem">Problem<a class="headerlink" href="#problem" title="Permanent link">¶</a></h2>' in content
    assert "reading-notes:trusted" not in page and "rn-slot" not in page and "rn-page" not in page
    assert page.count('<meta http-equiv="Content-Security-Policy"') == 1


def test_include_extensions_are_reported(tmp_path, engine):
    from conftest import MKDOCS_YML

    write_site(tmp_path, {"osdi/2022/a.md": note("A")}, mkdocs_yml=MKDOCS_YML + "  - pymdownx.snippets\n")
    build = run_engine(tmp_path, engine, "--strict")
    assert build.returncode != 0
    assert "markdown_extensions: pymdownx.snippets would let any note copy files of the repository into the site: remove it" in build.log


def test_shipped_config_has_no_include_extension():
    """Include-type extensions would apply to contributed notes too (the plugin warns about them)."""
    from conftest import ROOT
    from mkdocs.config import load_config

    from generator.finish.bodycheck import INCLUDE_EXTENSIONS

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert "pymdownx.highlight" in config.markdown_extensions
    assert INCLUDE_EXTENSIONS & set(config.markdown_extensions) == set()


def test_text_is_stored_in_nfc():
    fm = parse_front_matter(note("Cafe\u0301", tags="['re\u0301sume\u0301']"))
    paper, problems = validate_note(RawNote(PATH, "osdi/2022/x.md", fm.data, fm.lines, "", 7), REGISTRY)
    assert problems == [] and paper.title == "Caf\u00e9" and paper.tags[0].name == "r\u00e9sum\u00e9"
