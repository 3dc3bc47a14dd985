"""The Content-Security-Policy, computed from a page's HTML (tested on strings)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from generator.csp import add_policy, inline_code, page_policy, source_hash

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


def test_page_policy():
    policy = page_policy(PAGE)
    scripts = " ".join(sha(s) for s in ['__md_scope=new URL("../..",location)', 'var palette=__md_get("__palette")', 'import("./x.js")'])
    assert policy == (
        f"default-src 'none'; script-src 'self' {scripts}; style-src 'self' {sha('.a{color:red}')}; "
        f"style-src-attr 'unsafe-hashes' {sha('text-align: left;')} {sha('width: 40%')}; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; media-src 'self'; base-uri 'self'; form-action 'self'"
    )


def test_a_page_without_inline_code_allows_only_the_site():
    assert page_policy("<html><head></head><body><p>x</p></body></html>") == (
        "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'none'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; media-src 'self'; base-uri 'self'; form-action 'self'"
    )


def test_same_script_twice_is_hashed_once():
    assert page_policy("<script>a()</script><script>a()</script>").count(sha("a()")) == 1


def test_policy_is_the_first_element_of_head():
    out = add_policy(PAGE)
    head = out[out.index("<head>") + len("<head>") :].lstrip()
    assert head.startswith('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\' \'sha256-')
    meta = out[out.index("<meta http-equiv") : out.index(">", out.index("<meta http-equiv")) + 1]
    assert out.replace("\n" + meta, "", 1) == PAGE  # nothing else changed
    assert out.index("Content-Security-Policy") < out.index("<meta charset") < 1024


def test_charset_stays_within_the_first_1024_bytes():
    scripts = "".join(f"<script>f({i})</script>" for i in range(40))  # 40 hashes: a policy over 1 KB
    page = f"<!doctype html><html><head>\n<meta charset=\"utf-8\">\n<title>t</title></head><body>{scripts}</body></html>"
    out = add_policy(page)
    assert out.index('<meta charset="utf-8">') < out.index("Content-Security-Policy") < out.index("<title>")
    assert out.encode().index(b'<meta charset="utf-8">') < 1024


@pytest.mark.parametrize("page", ["", "<p>no head</p>", "<header>not a head</header>"])
def test_pages_without_head_are_left_alone(page):
    assert add_policy(page) == page


def test_a_script_in_note_text_is_not_hashed():
    assert inline_code("<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>").scripts == []


def test_scripts_in_untrusted_content_are_not_hashed():
    content = "<h2>x<script>alert(1)</script></h2><style>body{display:none}</style><td style=\"text-align: left;\">1</td>"
    page = f"<html><head><script>theme()</script></head><body><article>{content}</article></body></html>"
    policy = page_policy(page, untrusted=content)
    assert sha("theme()") in policy and sha("alert(1)") not in policy and sha("body{display:none}") not in policy
    assert sha("text-align: left;") in policy
    assert sha("alert(1)") in page_policy(page)  # without it, everything inline is the site's
