"""Property tests (hypothesis): random front-matter only ever yields problems, never an exception, and
text that is accepted never appears unescaped in a generated page; sanitized HTML never keeps a
script, an event handler or a javascript: URL."""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator import urls
from generator.index.catalog import build_catalog
from generator.load.frontmatter import FrontMatterError, decode, load_yaml, parse_front_matter
from generator.load.venues import load_registry
from generator.model import Paper, Problem, RawNote
from generator.render.pages import Page
from generator.render.site import render_site
from generator.sanitize import MATHML_TAGS, sanitize_html
from generator.validate.note import validate_note

REGISTRY, _ = load_registry()
SETTINGS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# every '<' and '>' of a payload follows "zq", which no template contains: "zq<" in a page is unescaped text
PAYLOADS = ["zq<img src=x onerror=alert(1)zq>", "zq<script>alert(1)zq</script>", "zq</script>zq<script>", "\"zq><svg onload=alert(1)zq>", "zq<", "zq>",
            "{: onclick=alert(1) }", "[x](javascript:alert(1))", "&lt;b&gt;", "&amp;", "<!--", "-->", "`", "*_", "$x$", "\\", "'",
            "\u202e", "\x00", "\u2028", "\ud7ff", "算子", "हिन्दी", "&#x6A;avascript:", "--8zq<--", "\t", "\n", "---", "...", "&", "zq<!--"]  # fmt: skip
text = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(st.characters(blacklist_characters="<>"), max_size=6)), max_size=6).map(
    "".join
)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True), text)
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)), max_leaves=12)
field_values = {
    "title": text, "venue": st.one_of(st.sampled_from(["OSDI", "arXiv", "usenix atc", "SOSP"]), text), "year": st.one_of(st.integers(1900, 2100), text),
    "authors": st.lists(text, max_size=4), "tags": st.lists(st.one_of(text, st.sampled_from(["GPU_sharing", "C++", "算子融合"])), max_size=4),
    "summary": text, "topic": text, "status": st.one_of(st.sampled_from(["read", "unread"]), text), "level": st.one_of(st.sampled_from(["⚡", "essential"]), text),
    "links": st.dictionaries(st.sampled_from(["paper", "code", "doi", "arxiv", "pdf"]), st.one_of(st.sampled_from(["https://example.org/<x>", "10.1/x", "2309.06180"]), text), max_size=3),
    "id": text, "related": st.lists(text, max_size=2), "added": st.one_of(st.sampled_from(["2024-01-01"]), text),
}  # fmt: skip
structured = st.fixed_dictionaries(
    {"title": field_values["title"], "venue": field_values["venue"], "year": field_values["year"]},
    optional={**{k: v for k, v in field_values.items() if k not in ("title", "venue", "year")}, "extra": value, "Title": value},
).map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False))
# notes that pass often: visible text full of HTML and Markdown, valid venue and year
HTML_PAYLOADS = [p for p in PAYLOADS if p.isprintable() and p not in ("\\", "'")]
visible = (
    st.lists(
        st.one_of(st.sampled_from(HTML_PAYLOADS), st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), max_size=6)),
        min_size=1,
        max_size=5,
    )
    .map("".join)
    .filter(lambda t: t.strip() and len(t) < 120)
)
tag_text = st.text("abcXYZ019_-+#. 算子", min_size=1, max_size=12).filter(lambda t: any(c.isalnum() for c in t))
plausible = st.fixed_dictionaries(
    {"title": visible, "venue": st.sampled_from(["OSDI", "arXiv", "usenix atc"]), "year": st.integers(2000, 2024)},
    optional={
        "summary": visible,
        "topic": visible,
        "authors": st.lists(visible, max_size=3),
        "tags": st.lists(tag_text, max_size=3),
        "links": st.fixed_dictionaries(
            {}, optional={"paper": st.sampled_from(["https://example.org/<x>?a=1&b=2", 'https://e.org/"><script>'])}
        ),
    },
).map(lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False, width=10_000))
raw_lines = st.lists(
    st.one_of(text, st.sampled_from(["title: x", "venue: OSDI", "year: 2022", "- a", "  b: c", "&a", "*a", "!!str", "? x", "{", "["])),
    max_size=8,
).map("\n".join)
front_matter = st.one_of(plausible, plausible, structured, raw_lines)
note_bytes = st.one_of(
    st.tuples(front_matter, text).map(lambda fb: ("---\n" + fb[0] + "\n---\n" + fb[1]).encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)


def accepted_strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in accepted_strings(k) + accepted_strings(v)]
    if isinstance(data, list):
        return [s for item in data for s in accepted_strings(item)]
    return []


@SETTINGS
@given(note_bytes)
def test_random_notes_only_ever_yield_problems(raw_bytes):
    try:
        fm = parse_front_matter(decode(raw_bytes))
    except FrontMatterError as exc:
        assert exc.line >= 1 and exc.message
        return
    raw = RawNote("papers/osdi/2022/x.md", "osdi/2022/x.md", fm.data, fm.lines, fm.body, fm.body_line)
    paper, problems = validate_note(raw, REGISTRY)
    assert (paper is None) == bool(problems)
    for problem in problems:
        assert problem.line >= 1 and problem.message and "\n" not in str(problem)
    if paper is None:
        return
    catalog, _ = build_catalog([paper], REGISTRY)
    outputs = render_site(catalog, site_url="https://example.org/", site_name="Notes")
    body = fm.body.rstrip("\n")  # the body is Markdown on purpose: it is sanitized after rendering (test_sanitize.py)
    pages = [out.full_markdown.replace(body, "") if body else out.full_markdown for out in outputs if isinstance(out, Page)]
    if any(re.search("zq[<>]", s) for s in accepted_strings(fm.data)):
        for markdown in pages:
            assert not re.search("zq[<>]", markdown)  # shown as zq&lt; zq&gt; (or numeric references)


TAGS = [
    "script",
    "img",
    "a",
    "svg",
    "iframe",
    "p",
    "div",
    "math",
    "mi",
    "mtext",
    "maction",
    "semantics",
    "annotation-xml",
    "style",
    "noscript",
    "textarea",
    "template",
    "object",
    "form",
    "h2",
    "span",
    "details",
]
ATTRS = [
    "onerror",
    "onclick",
    "ONLOAD",
    "href",
    "src",
    "id",
    "name",
    "style",
    "class",
    "xlink:href",
    "formaction",
    "srcdoc",
    "data-md-component",
]
URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", " javascript:alert(1)", "data:text/html,x", "vbscript:x",
        "https://e.org/x.png", "#x", "x.png", "&#106;avascript:alert(1)", "javas\u0000cript:alert(1)"]  # fmt: skip
attribute = st.tuples(
    st.sampled_from(ATTRS), st.one_of(st.sampled_from(URLS), st.sampled_from(["__config", "md-header", "alert(1)", "x"]))
).map(lambda av: f' {av[0]}="{av[1]}"')
element = st.tuples(
    st.sampled_from(TAGS),
    st.lists(attribute, max_size=3),
    st.sampled_from(["x", "alert(1)", "</noscript><img src=x onerror=alert(1)>", ""]),
    st.booleans(),
).map(lambda e: f"<{e[0]}{''.join(e[1])}>{e[2]}" + (f"</{e[0]}>" if e[3] else ""))
html_soup = st.lists(st.one_of(element, st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<", ">", "&", '"', "'"])), max_size=12).map(
    "".join
)


def name_is_mathml_href(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    return tag in MATHML_TAGS and any(name in ("href", "xlink:href") for name, _ in attrs)


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if name_is_mathml_href(tag, attrs):  # MathML is kept for formulas, never with a link
            self.bad.append(f"{tag} href")
        if tag in (
            "script",
            "iframe",
            "svg",
            "maction",
            "semantics",
            "annotation-xml",
            "style",
            "object",
            "form",
            "base",
            "meta",
            "link",
            "noscript",
            "textarea",
            "template",
        ):
            self.bad.append(tag)
        for name, val in attrs:
            url = re.sub(r"[\x00-\x20]", "", val or "").lower() if name in ("href", "src") else ""
            if (
                name.startswith("on")
                or name in ("name", "srcdoc", "formaction", "xlink:href")
                or url.startswith(("javascript:", "vbscript:", "data:text"))
            ):
                self.bad.append(f"{tag} {name}={val}")
            if name == "id" and (val or "").startswith("__"):
                self.bad.append(f"id={val}")


@SETTINGS
@given(html_soup)
def test_sanitized_html_has_no_script_handler_or_javascript_url(soup):
    clean = sanitize_html(soup).html
    audit = _Audit()
    audit.feed(clean)
    audit.close()
    assert audit.bad == [], clean
    assert sanitize_html(clean).html == clean  # sanitizing is stable


# a workflow command behind a line break, or '##[' anywhere: in keys (fields, link kinds, venues) and values
COMMANDS = ["::error file=x.md,line=1::pwned", "::stop-commands::tok", "##[error]v1", "::warning::w", "  ::notice::n", "::add-mask::m"]
BREAKS = ["\n", "\r", "\r\n", "\u2028", "\x85", "\x0b", "", " "]
hostile_text = st.tuples(st.text(max_size=3), st.sampled_from(BREAKS), st.sampled_from(COMMANDS), st.text(max_size=3)).map("".join)
hostile_note = st.fixed_dictionaries(
    {"title": st.one_of(visible, hostile_text), "venue": st.sampled_from(["OSDI", "arXiv"]), "year": st.integers(2000, 2024)},
    optional={
        "links": st.dictionaries(hostile_text, st.sampled_from(["https://e.org/", "x"]), max_size=2),
        "tags": st.lists(hostile_text, max_size=2),
        "status": hostile_text,
    },
).flatmap(lambda d: st.dictionaries(hostile_text, st.integers(), max_size=2).map(lambda extra: {**d, **extra}))
hostile_venues = st.dictionaries(
    hostile_text, st.fixed_dictionaries({"name": visible, "kind": st.one_of(st.just("workshop"), hostile_text)}), max_size=2
)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_note, hostile_venues)
def test_newline_bearing_keys_print_no_workflow_command(note_data, venues):
    from test_log_lines import workflow_commands  # what GitHub's runner would run in a job's output

    from generator.load.venues import _load_site

    problems: list[Problem] = []
    try:
        fm = parse_front_matter("---\n" + yaml.safe_dump(note_data, allow_unicode=True, width=10_000) + "---\n")
        problems += validate_note(RawNote("papers/osdi/2022/x.md", "osdi/2022/x.md", fm.data, fm.lines, fm.body, fm.body_line), REGISTRY)[1]
    except FrontMatterError as exc:  # a refused control character: a problem like any other
        problems.append(Problem("papers/osdi/2022/x.md", exc.line, exc.field, exc.message))
    try:
        site, lines = load_yaml(yaml.safe_dump({"venues": venues}, allow_unicode=True, width=10_000), what="venues.yml")
        problems += _load_site(load_registry()[0], site, lines, "papers/venues.yml")
    except FrontMatterError as exc:
        problems.append(Problem("papers/venues.yml", exc.line, exc.field, exc.message))
    plain = "\n".join(map(str, problems))
    assert workflow_commands(plain) == []
    annotations = "\n".join(p.annotation() for p in problems)
    commands = workflow_commands(annotations)
    assert [(name, props["file"], props["line"]) for name, props, _ in commands] == [("error", p.path, str(p.line)) for p in problems]


# NFKC expanders (U+FDFA is 18 characters, ㍿ 4, ⑴ 3 …) and characters outside the BMP (emoji, CJK
# extension B, mathematical alphanumerics): a note that is accepted gets file names no file system
# refuses, and front-matter that MkDocs' own loader reads back as written.
EXPANDERS = [
    chr(c)
    for lo, hi in ((0x2460, 0x24FF), (0x3300, 0x33FF), (0xFB00, 0xFDFF), (0x1F100, 0x1F1FF))
    for c in range(lo, hi + 1)
    if len(unicodedata.normalize("NFKC", chr(c))) >= 3 and unicodedata.category(chr(c))[0] in "LN"
]  # tag characters
assert "\ufdfa" in EXPANDERS and len(EXPANDERS) > 100
FEW = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY = sorted(EXPANDERS, key=lambda c: -len(unicodedata.normalize("NFKC", c).encode("utf-8")))[:6]  # 33 to 8 bytes each
expanding_tag = st.lists(
    st.one_of(st.sampled_from(HEAVY), st.sampled_from(EXPANDERS), st.sampled_from("ab1 -")), min_size=1, max_size=20
).map("".join)
non_bmp = st.characters(min_codepoint=0x10000, max_codepoint=0x3FFFF, blacklist_categories=("Cs", "Co", "Cn", "Cf"))
non_bmp_name = st.lists(st.one_of(non_bmp, st.sampled_from(["🚀", "𠀀", "𝐀", "a", " ", "<", "&"])), min_size=1, max_size=12).map("".join)
non_bmp_text = st.lists(st.one_of(non_bmp_name, st.just("👩\u200d💻")), min_size=1, max_size=3).map("".join)  # emoji sequences: titles only
non_bmp_tag = st.lists(st.one_of(st.sampled_from(["𠀀", "𝐀", "𝔸", "𐐀", "a"]), non_bmp.filter(lambda c: unicodedata.category(c)[0] in "LN")),
                       min_size=1, max_size=8).map("".join)  # fmt: skip


def _accepted(data: dict[str, object]) -> tuple[Paper | None, list[str]]:
    fm = parse_front_matter("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000) + "---\n")
    raw = RawNote("papers/osdi/2022/x.md", "osdi/2022/x.md", fm.data, fm.lines, fm.body, fm.body_line)
    paper, problems = validate_note(raw, REGISTRY)
    return paper, [str(p) for p in problems]


@FEW
@given(st.lists(expanding_tag, min_size=1, max_size=3))
def test_accepted_tags_make_file_names_of_at_most_the_byte_cap(tags):
    paper, problems = _accepted({"title": "T", "venue": "OSDI", "year": 2022, "tags": tags})
    if paper is None:
        assert all(": tags: " in p for p in problems), problems
        return
    catalog, _ = build_catalog([paper], REGISTRY)
    for out in render_site(catalog):
        path = out.url if isinstance(out, Page) else out.path
        assert all(len(name.encode("utf-8")) <= urls.MAX_NAME_BYTES for name in path.split("/")), path


@FEW
@given(non_bmp_text, st.lists(non_bmp_name, max_size=2), non_bmp_text, st.lists(non_bmp_tag, max_size=2))
def test_non_bmp_text_survives_in_generated_front_matter(title, authors, summary, tags):
    paper, _problems = _accepted({"title": title, "venue": "OSDI", "year": 2022, "authors": authors, "summary": summary, "tags": tags})
    if paper is None:
        return
    catalog, _ = build_catalog([paper], REGISTRY)
    for out in render_site(catalog):
        if isinstance(out, Page) and out.full_markdown.startswith("---\n"):
            rest, meta = get_data(out.full_markdown)
            assert meta.get("title") == html.escape(out.title, quote=False), out.src_uri
            if out.src_uri == "papers/osdi/2022/x.md":
                assert meta["title"] == html.escape(paper.title, quote=False)
                assert meta.get("tags", []) == [html.escape(t.name, quote=False) for t in paper.tags]
                assert all(html.escape(a, quote=False) in rest for a in paper.authors)
