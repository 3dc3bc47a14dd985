"""A Content-Security-Policy for each built page, computed from the page's final HTML.

The policy allows nothing by default; scripts, styles, images, fonts and fetches only from the
site itself (no page of the site starts a web worker: the search runs Pagefind in the page, Zensical's
own search is off, Mermaid draws in the page; a site that turns the theme's search back on gets its
worker through script-src 'self', the fallback of the missing worker-src), plus the SHA-256 hashes
of the page's inline scripts and ``<style>`` elements that the theme's templates emit (``known_inline``), and of the ``style`` attributes the page contains
(table alignment). An inline script or style is hashed only if its text is one the templates
write, where each ``{{ … }}`` inside a string literal stands for any text without a quote, a
backslash, ``<`` or a line break (the base URL): an inline script that reaches a page any other way
(a hand-written page, a generated page, a note that slipped past the sanitizer) is not hashed and
does not run, and the page cannot load anything from another host. It is a ``<meta http-equiv>`` because GitHub Pages
cannot send headers; a meta policy ignores ``frame-ancestors``, ``sandbox`` and reporting.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Fixed directives. Images may be data: URLs because the theme's stylesheet draws its icons with
# data: SVG masks (and a note may embed a small data: image); nothing may come from another host.
BASE_POLICY = (
    ("default-src", "'none'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),  # instant navigation fetches pages and sitemap.xml; the search its index pieces
    ("manifest-src", "'self'"),
    ("media-src", "'self'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)
# No page allows 'unsafe-inline', not even one with a Mermaid diagram: mermaid-init.js shows each
# diagram as an <img> of a data: SVG (img-src data:), whose inner <style> is the image's own.

# The site search (Pagefind) runs its index lookup as WebAssembly compiled from the site's own
# pagefind/*.pagefind files; compiling WebAssembly needs exactly this, and allows no eval() of JavaScript.
WASM = "'wasm-unsafe-eval'"
# type="" values that make a <script> run; others (application/json, text/template) are data
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
# These three run on the page's UTF-8 bytes lowercased (ASCII only: the same length, and as fast as
# a case-sensitive search); the matched text is then taken from the original bytes.
_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL)
_STYLE = re.compile(rb"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL)
_STYLE_ATTR = re.compile(rb"""style\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")  # after whitespace (checked)
_ATTR_SPACE = frozenset(b" \t\n\r\f")
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>\s*", re.IGNORECASE)
CHARSET_PRESCAN = 1024  # a <meta charset> must end within the first 1024 bytes


def source_hash(text: str) -> str:
    """The CSP source expression for an inline script or style: 'sha256-<base64>'."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@dataclass
class InlineCode:
    scripts: list[str]  # the text of inline scripts that run (not JSON data blocks)
    styles: list[str]  # the text of <style> elements
    style_attrs: list[str]  # style attribute values, unescaped


@dataclass(frozen=True)
class KnownInline:
    """The inline scripts and ``<style>`` texts the theme's templates emit, as one pattern each."""

    scripts: re.Pattern[str] | None = None
    styles: re.Pattern[str] | None = None

    def script(self, text: str) -> bool:
        return self.scripts is not None and self.scripts.fullmatch(text) is not None

    def style(self, text: str) -> bool:
        return self.styles is not None and self.styles.fullmatch(text) is not None


# Jinja in a template: an expression, a statement, a comment
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# what an expression between double quotes may become: no way out of the string literal
_IN_STRING = r'[^"\\<\r\n]*'


def known_inline(template_dirs: Iterable[str | Path]) -> KnownInline:
    """The inline code of every ``*.html`` template in ``template_dirs`` (the theme's folders)."""
    scripts: dict[str, None] = {}
    styles: dict[str, None] = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            found = inline_code(path.read_text(encoding="utf-8", errors="replace"))
            scripts.update(dict.fromkeys(p for p in map(_template_pattern, found.scripts) if p is not None))
            styles.update(dict.fromkeys(p for p in map(_template_pattern, found.styles) if p is not None))

    def union(patterns: dict[str, None]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.DOTALL) if patterns else None

    return KnownInline(union(scripts), union(styles))


def _template_pattern(template: str) -> str | None:
    """A regular expression for the texts ``template`` (inline code with Jinja in it) renders to.

    An expression must sit alone between double quotes; a template with one elsewhere, or with a
    statement (``{% … %}``) inside its code, gives None: its code is never hashed.
    """
    parts, pos = [], 0
    for m in _JINJA.finditer(template):
        literal, token = template[pos : m.start()], m.group()
        pos = m.end()
        if token.startswith("{#"):
            parts.append(re.escape(literal))
            continue
        if token.startswith("{%") or not (literal.endswith('"') and template.startswith('"', m.end())):
            return None
        parts += [re.escape(literal), _IN_STRING]
    parts.append(re.escape(template[pos:]))
    return "".join(parts)


def inline_code(page_html: str) -> InlineCode:
    """What a page has inline, found with regular expressions (an HTML parser takes 5 s per site).

    Script and style text is raw text in HTML (no entities, ends at the first ``</script``), so a
    regular expression reads it as the browser does; the hash is of that exact text.
    """
    raw = page_html.encode("utf-8")
    lowered = raw.lower()

    def text(m: re.Match[bytes], group: int) -> str:
        return raw[m.start(group) : m.end(group)].decode("utf-8")

    scripts = []
    for m in _SCRIPT.finditer(lowered):
        attrs = text(m, 1)
        kind = _TYPE.search(attrs)
        if _SRC.search(attrs) is None and (_value(kind).strip().lower() if kind else "") in _SCRIPT_TYPES:
            scripts.append(text(m, 2))
    styles = [text(m, 1) for m in _STYLE.finditer(lowered)]
    style_attrs = [
        html.unescape(text(m, next(g for g in (1, 2, 3) if m.start(g) >= 0)))
        for m in _STYLE_ATTR.finditer(lowered)
        if m.start() > 0 and lowered[m.start() - 1] in _ATTR_SPACE and _in_tag(lowered, m.start())
    ]
    return InlineCode(scripts, styles, style_attrs)


def _in_tag(page: bytes, pos: int) -> bool:
    """Is ``pos`` inside a start tag (after a '<' with no '>' since), rather than in text?"""
    return page.rfind(b"<", 0, pos) > page.rfind(b">", 0, pos)


def _value(m: re.Match[str]) -> str:
    """An attribute value matched as "…", '…' or bare, unescaped as the browser reads it."""
    return html.unescape(next((g for g in m.groups() if g is not None), ""))


def page_policy(page_html: str, known: KnownInline, untrusted: str = "") -> str:
    """The policy for one page: the fixed directives plus hashes of what the page has inline.

    Inline scripts and ``<style>`` elements are hashed only if ``known`` (the theme's) has them,
    and never if they occur in ``untrusted`` (the content of a generated page, which holds text
    from notes). Style attributes are hashed wherever they are (tables align cells with them); the
    sanitizer lets only ``text-align`` through in notes.
    """
    found = inline_code(page_html)
    refused = inline_code(untrusted) if untrusted else InlineCode([], [], [])
    scripts = " ".join(dict.fromkeys(source_hash(s) for s in found.scripts if known.script(s) and s not in refused.scripts))
    styles = " ".join(dict.fromkeys(source_hash(s) for s in found.styles if known.style(s) and s not in refused.styles))
    attrs = " ".join(dict.fromkeys(source_hash(s) for s in found.style_attrs))  # values come unescaped
    directives = dict(BASE_POLICY)
    directives["script-src"] = f"'self' {WASM} {scripts}".strip()
    directives["style-src"] = f"'self' {styles}".strip()
    directives["style-src-attr"] = f"'unsafe-hashes' {attrs}" if attrs else "'none'"
    order = ["default-src", "script-src", "style-src", "style-src-attr"] + [k for k, _ in BASE_POLICY[1:]]
    return "; ".join(f"{name} {directives[name]}" for name in order)


def add_policy(page_html: str, known: KnownInline, untrusted: str = "") -> str:
    """The page with its policy as the first element of <head> (unchanged if it has no <head>).

    If the policy would push the page's ``<meta charset>`` past the first 1024 bytes, where browsers
    look for it, the charset stays first and the policy follows it, still before anything it governs.
    """
    head = _HEAD.search(page_html)
    if head is None:
        return page_html
    policy = html.escape(page_policy(page_html, known, untrusted), quote=False).replace('"', "&quot;")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    before, after = page_html[: head.end()], page_html[head.end() :]
    charset = _CHARSET.match(after.lstrip())
    if charset and len((before + meta + after.lstrip()[: charset.end()]).encode("utf-8")) > CHARSET_PRESCAN:
        rest = after.lstrip()
        return before + "\n" + rest[: charset.end()] + meta + "\n" + rest[charset.end() :]
    return before + "\n" + meta + after
