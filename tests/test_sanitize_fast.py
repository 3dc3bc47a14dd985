"""The sanitizer's fast inventory (a strict regex reading of plain HTML) takes the same inventory as
html.parser wherever it answers, so ``removed`` is the same with and without it; it hands everything
unusual to html.parser."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import SANITIZER_CASES
from test_sanitize import CONFIG, EXTENSIONS, RICH, URL_CASES

from generator import sanitize
from generator.sanitize import _fast_inventory, _parsed_inventory, sanitize_html

SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def slow_sanitize(html: str, monkeypatch: pytest.MonkeyPatch) -> sanitize.Sanitized:
    with monkeypatch.context() as patch:
        patch.setattr(sanitize, "_fast_inventory", lambda html: None)
        return sanitize_html(html)


def assert_paths_agree(html: str, monkeypatch: pytest.MonkeyPatch) -> sanitize.Sanitized:
    fast = sanitize_html(html)
    for text in (html, fast.html):  # what nh3 got and what it made
        counts = _fast_inventory(text)
        assert counts is None or counts == _parsed_inventory(text), text
    slow = slow_sanitize(html, monkeypatch)
    assert (fast.html, fast.removed) == (slow.html, slow.removed), html
    return fast


# (input, what is reported): each is read by the fast inventory on at least one side
TRICKY = [
    ('<p class="x">a</p>', []),
    ("<P CLASS='x'>a</P>", []),
    ('<p onclick="go()">a</p>', ["the onclick attribute"]),
    ("<p ONCLICK='go()'>a</p>", ["the onclick attribute"]),
    ('<a href="https://e.org/" target="_blank" rel="opener">x</a>', ["the rel attribute", "the target attribute"]),
    ('<p>plain <b>bold</b> then <form action="/x">f</form></p>', ["<form>"]),
    ('<p>a<input name="q" value="v">b</p>', ["<input>"]),
    ('<p>a <span data-md-component="x">b</span></p>', ["the data-md-component attribute"]),
    ('<p>a</p><font color="red">b</font>', ["<font>"]),
    ('<img src="//evil.example/t.png" alt="x" />', ['src "//evil.example/t.png" (images must come from the site itself)']),
    ("<img src=//evil.example/t.png>", ['src "//evil.example/t.png" (images must come from the site itself)']),
    ('<img src="a.png" onerror="x()"/>', ["the onerror attribute"]),
    ('<img src="a.png" alt="a" title="t" />', []),
    ('<a href="java&#x09;script:alert(1)">x</a>', ['href "java script:alert(1)"']),
    ('<a href="&#106;avascript:alert(1)">x</a>', ['href "javascript:alert(1)"']),
    ('<a href="vbscript:x">x</a>', ['href "vbscript:x"']),
    ('<a href="https://e.org/?a=1&amp;b=2" title="a &quot;b&quot; &lt;c&gt;">x</a>', []),
    ('<a href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;a@e.org">m</a>', []),
    ('<p title="a>b">x</p><p title=\'a"b\'>y</p>', []),
    ("<br><br/><br /><hr><hr/><hr />", []),
    ("<p>a<br\n/>b</p>", []),
    ('<p\n  class="x"\n  title="y"\n>a</p>', []),
    ("<details open><summary>s</summary>x</details>", []),
    ('<details open="open" class="note"><summary>s</summary>x</details>', []),
    ("<p>a<!-- hidden -->b</p>", ["an HTML comment"]),
    ("<p>a</p><!DOCTYPE html><p>b</p>", []),
    ("<p>a</p><![CDATA[<b onclick=x>]]><p>b</p>", []),
    ("<p>a</p><?php echo 1 ?><p>b</p>", []),
    ("<p>1 < 2 and 3 > 2</p>", []),
    ("<p>a<script>document.write('<p onclick=x>')</script>b</p>", ["<script>"]),
    ("<p>a<style>p{}</style><b>b</b></p>", ["<style>"]),
    ('<textarea><p onclick="x">a</p></textarea>', ["<p>", "<textarea>"]),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', ["<noscript>", "<p>"]),
    ("<svg><circle r=1 /></svg><p>a</p>", ["<circle>", "<svg>"]),
    ("<td>a</td><p>b</p>", ["<td>"]),
    ("<caption>c</caption>", ["<caption>"]),
    ("<table><tr><td>a</td></tr></table>", []),
    ('<p class="md-header x">a</p>', ['class "md-header"']),
    ('<h2 id="__config">a</h2>', ['id "__config"']),
    ('<p style="color:red">a</p><td style="text-align: left;">b</td>', ["<td>", "the style attribute"]),
    ('<p a="1"b="2">x</p>', ["the a attribute", "the b attribute"]),
    ('<p a = "1" b>x</p>', ["the a attribute", "the b attribute"]),
    ('<p a=="1">x</p>', ["the a attribute"]),
    ('<p\xa0onclick="x">a</p>', ['<p\xa0onclick="x">']),
    ('<p onclick="x"\xa0title="t">a</p>', ["the onclick attribute", "the title attribute"]),  # html5ever: "\xa0title"
    ('<p\tonclick="x">a</p>', ["the onclick attribute"]),
    ('<p/onclick="x">a</p>', ["the onclick attribute"]),
    ('<my-el onclick="x">a</my-el>', ["<my-el>"]),
    ("<x:y>a</x:y>", ["<x:y>"]),
    ("<p>a</p", []),
    ('<p title="x>a', []),
    ("<p>&amp; &lt; &gt; &nbsp; &copy; &#60;b&#62; &unknown;</p>", []),
    ("<p>caf\u00e9 \u7b97\u5b50 <code>&lt;T&gt;</code></p>", []),
    ("</p>stray end tags</div>", []),
]


@pytest.mark.parametrize(("html", "removed"), TRICKY, ids=[repr(c[0])[:60] for c in TRICKY])
def test_fast_and_slow_paths_agree(html, removed, monkeypatch):
    clean = assert_paths_agree(html, monkeypatch)
    assert clean.removed == removed
    assert _fast_inventory(html) is not None or _fast_inventory(clean.html) is not None


@pytest.mark.parametrize(("html", "clean", "removed"), [c[1:] for c in SANITIZER_CASES], ids=[c[0] for c in SANITIZER_CASES])
def test_the_hostile_cases_agree(html, clean, removed, monkeypatch):
    assert assert_paths_agree(html, monkeypatch).removed == removed


@pytest.mark.parametrize("html", [
    "<p>a<!-- c --></p>", "<!DOCTYPE html>", "<![CDATA[x]]>", "<?x?>", "<p>1 < 2</p>", "a <", "<p title=x>a</p>", "<p title=\"a<b\">",
    "<script>x</script>", "<style>p{}</style>", "<textarea>x</textarea>", "<title>x</title>", "<p\xa0class=\"x\">", "<p class=\"x\"\xa0>",
    "<p a=\"1\"b=\"2\">", "<p/class=\"x\">", "<my-el>", "<p a==\"1\">", "</ p>", "</p x>", "<p>a</p", "<p class=\"x\" / >",
])  # fmt: skip
def test_unusual_html_goes_to_html_parser(html):
    assert _fast_inventory(html) is None


def test_markdown_output_and_its_sanitized_form_take_the_fast_path():
    html = markdown.markdown(RICH, extensions=EXTENSIONS, extension_configs=CONFIG)
    clean = sanitize_html(html)
    for text in (html, clean.html):
        counts = _fast_inventory(text)
        assert counts is not None
        assert counts == _parsed_inventory(text)
    assert counts.tags["h2"] == 2 and counts.urls[("img", "src", "data:image/png;base64,iVBORw0KGgo=")] == 1
    assert counts.urls[("a", "href", "mailto:a@example.org")] == 1  # Markdown writes it as character references


NAMES = [
    "p",
    "P",
    "a",
    "img",
    "IMG",
    "br",
    "hr",
    "h2",
    "div",
    "span",
    "td",
    "li",
    "script",
    "style",
    "textarea",
    "title",
    "noscript",
    "svg",
    "iframe",
    "form",
    "input",
    "my-el",
    "b",
    "details",
    "table",
    "xmp",
]
ATTRS = [
    "href",
    "HREF",
    "src",
    "SrC",
    "id",
    "class",
    "title",
    "onclick",
    "onerror",
    "style",
    "name",
    "data-x",
    "xlink:href",
    "open",
    "_a",
    ":b",
    "a.b",
    "1a",
    "'q",
    "a<b",
]
VALUES = [
    '"x"',
    "'x'",
    "x",
    '""',
    '"javascript:alert(1)"',
    '"//evil/x.png"',
    "//evil/x.png",
    '"&amp;"',
    '"&#106;avascript:x"',
    '"a>b"',
    "'a\"b'",
    '"<p>"',
    '"a\nb"',
    '"x.png"',
    "x>y",
    '"md-x __config"',
    '"text-align: left;"',
]
SEPS = [" ", " ", " ", "\t", "\n", "\f", "\x0b", "\xa0", "/", "", "\u2003"]
EQS = ["=", "=", "=", " = ", "==", "=\xa0"]
ENDS = [">", ">", ">", "/>", " />", " / >", "", "\xa0>"]
TEXT = ["text", "&amp;", "&lt;", "<", ">", "<3", "&", '"', "'", "<!-- c -->", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[x]]>",
        "<?pi?>", "</p>", "</P >", "</ p>", "</p x>", "</>", "</script>", "</noscript>", "\n", "\xa0"]  # fmt: skip
attribute = st.tuples(
    st.sampled_from(SEPS),
    st.sampled_from(ATTRS),
    st.one_of(st.just(""), st.tuples(st.sampled_from(EQS), st.sampled_from(VALUES)).map("".join)),
)
tag = st.tuples(st.sampled_from(NAMES), st.lists(attribute.map("".join), max_size=3).map("".join), st.sampled_from(ENDS)).map(
    lambda t: f"<{''.join(t)}"
)
html_soup = st.lists(st.one_of(tag, st.sampled_from(TEXT)), min_size=1, max_size=10).map("".join)


@SETTINGS
@given(html_soup)
def test_fast_inventory_matches_html_parser_on_random_soup(soup):
    for text in (soup, sanitize_html(soup).html):
        counts = _fast_inventory(text)
        assert counts is None or counts == _parsed_inventory(text), text


@SETTINGS
@given(html_soup)
def test_fast_and_slow_paths_agree_on_random_soup(soup):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert_paths_agree(soup, monkeypatch)


@pytest.mark.parametrize(("html", "removed"), URL_CASES, ids=[c[0] for c in URL_CASES])
def test_the_url_cases_agree(html, removed, monkeypatch):
    assert assert_paths_agree(html, monkeypatch).removed == removed
