"""The Content-Security-Policy, computed from a page's HTML (tested on strings)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from generator.finish.csp import KnownInline, add_policy, inline_code, known_inline, page_policy, source_hash

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <script>__md_scope=new URL("../..",location)</script>
    <link rel="stylesheet" href="../../assets/x.css">
  </head>
  <body>
    <script>var palette=__md_get("__palette")</script>
    <td style="text-align: left;">1</td><span style='width: 40%'>x</span>
    <script id="__config" type="application/json">{"base": ".."}</script>
    <script src="../../assets/bundle.js"></script>
    <script type="module">import("./x.js")</script>
    <style>.a{color:red}</style>
    <p>text mentioning style="not an attribute" and &lt;script&gt;</p>
  </body>
</html>
"""


# templates of a theme that emits PAGE's inline code (with Jinja, as the real theme's templates have it)
THEME = {
    "base.html": '{% if x %}<script>__md_scope=new URL("{{ base_url }}",location)</script>{% endif %}\n<script src="{{ x }}"></script>',
    "partials/palette.html": '<script>var palette=__md_get("__palette")</script><script id="__config" type="application/json">{{ c }}</script>',
    "partials/module.html": '<script type="module">import("./x.js")</script>{# a comment #}<style>.a{color:red}</style>',
    "partials/unsafe.html": "<script>var x={{ value }}</script><script>{% if a %}a(){% endif %}</script><style>{{ css }}</style>",
}


@pytest.fixture(scope="module")
def known(tmp_path_factory) -> KnownInline:
    theme = tmp_path_factory.mktemp("theme")
    for name, text in THEME.items():
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / name).write_text(text, encoding="utf-8")
    return known_inline([theme, theme / "missing"])


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_source_hash_is_the_browsers():
    # the example of the CSP specification: sha256 of "alert('Hello, world.');"
    assert source_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"


def test_inline_code_finds_what_runs_and_what_styles():
    found = inline_code(PAGE)
    assert found.scripts == ['__md_scope=new URL("../..",location)', 'var palette=__md_get("__palette")', 'import("./x.js")']
    assert found.styles == [".a{color:red}"]
    assert found.style_attrs == ["text-align: left;", "width: 40%"]


def test_page_policy(known):
    policy = page_policy(PAGE, known)
    scripts = " ".join(sha(s) for s in ['__md_scope=new URL("../..",location)', 'var palette=__md_get("__palette")', 'import("./x.js")'])
    assert policy == (
        f"default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self' {sha('.a{color:red}')}; "
        f"style-src-attr 'unsafe-hashes' {sha('text-align: left;')} {sha('width: 40%')}; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; manifest-src 'self'; media-src 'self'; base-uri 'self'; form-action 'self'"
    )


def test_a_page_without_inline_code_allows_only_the_site(known):
    assert page_policy("<html><head></head><body><p>x</p></body></html>", known) == (
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; style-src-attr 'none'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; manifest-src 'self'; media-src 'self'; base-uri 'self'; form-action 'self'"
    )


def test_a_page_with_a_diagram_gets_the_same_strict_policy(known):
    """A Mermaid diagram is drawn as a data: image (mermaid-init.js): its page allows no inline style."""
    plain = "<html><head></head><body><p>x</p></body></html>"
    diagram = '<html><head></head><body><div class="mermaid">flowchart LR\n  A --&gt; B</div></body></html>'
    policy = page_policy(diagram, known)
    assert policy == page_policy(plain, known)
    assert "'unsafe-inline'" not in policy and "style-src 'self'; style-src-attr 'none'" in policy
    assert "img-src 'self' data:" in policy  # the diagram's image


def test_same_script_twice_is_hashed_once(known):
    script = '<script>var palette=__md_get("__palette")</script>'
    assert page_policy(script * 2, known).count(sha('var palette=__md_get("__palette")')) == 1


def test_policy_is_the_first_element_of_head(known):
    out = add_policy(PAGE, known)
    head = out[out.index("<head>") + len("<head>") :].lstrip()
    assert head.startswith(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"
    )
    meta = out[out.index("<meta http-equiv") : out.index(">", out.index("<meta http-equiv")) + 1]
    assert out.replace("\n" + meta, "", 1) == PAGE  # nothing else changed
    assert out.index("Content-Security-Policy") < out.index("<meta charset") < 1024


def test_charset_stays_within_the_first_1024_bytes(known):
    scripts = "".join(f'<script>__md_scope=new URL("{i}",location)</script>' for i in range(40))  # 40 hashes: a policy over 1 KB
    page = f'<!doctype html><html><head>\n<meta charset="utf-8">\n<title>t</title></head><body>{scripts}</body></html>'
    out = add_policy(page, known)
    assert out.index('<meta charset="utf-8">') < out.index("Content-Security-Policy") < out.index("<title>")
    assert out.encode().index(b'<meta charset="utf-8">') < 1024


@pytest.mark.parametrize("page", ["", "<p>no head</p>", "<header>not a head</header>"])
def test_pages_without_head_are_left_alone(page, known):
    assert add_policy(page, known) == page


def test_a_script_in_note_text_is_not_hashed():
    assert inline_code("<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>").scripts == []


def test_scripts_in_untrusted_content_are_not_hashed(known):
    theme = 'var palette=__md_get("__palette")'
    content = f'<h2>x<script>{theme}</script></h2><style>.a{{color:red}}</style><td style="text-align: left;">1</td>'
    page = f'<html><head><script>__md_scope=new URL(".",location)</script></head><body><article>{content}</article></body></html>'
    policy = page_policy(page, known, untrusted=content)
    assert sha('__md_scope=new URL(".",location)') in policy
    assert sha(theme) not in policy and sha(".a{color:red}") not in policy
    assert sha("text-align: left;") in policy
    assert sha(theme) in page_policy(page, known)  # outside untrusted content, the theme's code is the theme's


def test_only_the_themes_inline_code_is_hashed(known):
    page = (
        '<html><head><script>__md_scope=new URL("../..",location)</script><script>alert(1)</script></head><body>'
        "<script>var x=1</script><script>a()</script><style>.a{color:red}</style><style>body{display:none}</style>"
        '<script>__md_scope=new URL("x",location);alert(2)</script></body></html>'
    )
    policy = page_policy(page, known)
    assert sha('__md_scope=new URL("../..",location)') in policy and sha(".a{color:red}") in policy
    for text in ["alert(1)", "var x=1", "a()", "body{display:none}", '__md_scope=new URL("x",location);alert(2)']:
        assert sha(text) not in policy, text
    assert page_policy(page, KnownInline()).startswith("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; ")


@pytest.mark.parametrize("value", ["../..", ".", "https://example.org/a b/", ""])
def test_an_expression_in_a_string_stands_for_any_text_that_stays_in_the_string(known, value):
    assert known.script(f'__md_scope=new URL("{value}",location)')


@pytest.mark.parametrize("value", ['"+alert(1)+"', '\\"+alert(1)//', "</script><script>alert(1)", "a\nb"])
def test_an_expression_cannot_leave_its_string(known, value):
    assert not known.script(f'__md_scope=new URL("{value}",location)')


def test_jinja_outside_a_string_or_a_statement_in_code_is_never_known(known):
    # from partials/unsafe.html: each could render to anything
    assert not known.script("var x=alert(1)") and not known.script("a()") and not known.script("")
    assert not known.style("body{display:none}")


def test_a_built_page_hashes_the_themes_scripts_and_not_a_hand_written_one(site):
    from conftest import note

    docs = {"about.md": "# About\n\n<script>window.__evil = 1</script>\n\n<style>body{display:none}</style>\n\nText.\n"}
    build = site({"osdi/2022/a.md": note("A")}, docs=docs)
    assert build.returncode == 0, build.log
    for url in ["about", "papers/osdi/2022/a", "404.html"]:
        page = build.html(url)
        policy = page[page.index('content="default-src') : page.index('">', page.index('content="default-src'))]
        theme_scripts = [s for s in inline_code(page).scripts if "__md_" in s]
        assert theme_scripts and all(source_hash(s) in policy for s in theme_scripts), url  # the theme still works
        assert source_hash("window.__evil = 1") not in policy and source_hash("body{display:none}") not in policy
    assert "<script>window.__evil = 1</script>" in build.html("about")  # it is there, and does not run
