"""Lean pages: the indentation left out (generator/finish/compact.py: only whitespace a browser
collapses) and no class on markup repeated in every listing line (tag chips)."""

from __future__ import annotations

import re

import pytest
from conftest import note, run_engine, write_site

from generator.finish.compact import compact_whitespace


def test_indentation_between_tags_becomes_one_line_break():
    page = "<ul>\n    <li>\n      <a href='x'>\n        Home\n      </a>\n    </li>\n  \n\n</ul>"
    assert compact_whitespace(page) == "<ul>\n<li>\n<a href='x'>\nHome\n</a>\n</li>\n</ul>"


def test_spaces_without_a_line_break_stay():
    page = "<p>two  spaces <b>bold</b> <i>it</i></p>"
    assert compact_whitespace(page) == page


@pytest.mark.parametrize("element", ["pre", "code", "kbd", "textarea", "script", "style", "PRE"])
def test_elements_whose_whitespace_shows_or_runs_are_kept_byte_for_byte(element):
    inside = "line 1\n    indented\n\n\n  last  "
    page = f'<div>\n   <{element} class="x">{inside}</{element}>\n   </div>'
    assert compact_whitespace(page) == f'<div>\n<{element} class="x">{inside}</{element}>\n</div>'


def test_code_in_pre_keeps_its_indentation():
    page = "<pre><code>def f():\n    return 1\n\n\n    # end\n</code></pre>\n\n   <p>after</p>"
    assert compact_whitespace(page) == "<pre><code>def f():\n    return 1\n\n\n    # end\n</code></pre>\n<p>after</p>"


def test_a_line_break_inside_a_tag_is_folded_like_text():
    # no template of this site writes one (the built shipped site and 1,173 notes: 0 such tags); a
    # note's may: its value keeps one line break where it had a run, as text does
    page = '<img alt="a > b\n     c" title=\'x\n   y\'>\n   <p\n   data-x="<p>\n  q">t</p>'
    assert compact_whitespace(page) == '<img alt="a > b\nc" title=\'x\ny\'>\n<p\ndata-x="<p>\nq">t</p>'


def test_text_ending_in_a_space_before_a_tag_keeps_it():
    assert compact_whitespace("<p>set <code>x</code> and\n    more </p>") == "<p>set <code>x</code> and\nmore </p>"


def test_a_name_that_only_starts_like_a_kept_element_is_not_kept():
    page = "<preview>\n    a\n</preview>"
    assert compact_whitespace(page) == "<preview>\na\n</preview>"


def test_a_diagrams_source_is_kept_byte_for_byte():
    source = "mindmap\n  root\n    child\n      grandchild\n\n    other"
    page = f'<p>\n  a</p>\n   <div class="mermaid">{source}</div>\n   <div class="x">\n  b</div>'
    assert compact_whitespace(page) == f'<p>\na</p>\n<div class="mermaid">{source}</div>\n<div class="x">\nb</div>'


def test_compacting_twice_changes_nothing():
    page = "<div>\n  <pre>a\n   b</pre>\n    <p>c\n   d</p>\n</div>\n"
    once = compact_whitespace(page)
    assert compact_whitespace(once) == once


NOTES = {
    "osdi/2022/ekko.md": note(
        "Ekko",
        authors="[A. Author]",
        tags="[gpu-sharing]",
        summary='"A scheduler."',
        body="""
        ## Design

        A paragraph
        over two lines.

        ```python
        def schedule(jobs):
            for job in jobs:
                run(job)


            return None
        ```
        """,
    ),
    "osdi/2022/other.md": note("Other", tags="[gpu-sharing]", summary='"Another."'),
}


MINDMAP = """
## Design

```mermaid
mindmap
  root((Scheduler))
    Queue
      Priority
    Batching
```
"""


def test_a_mindmaps_indentation_reaches_the_page(tmp_path, engine):
    from test_browser_security import INSTANT_YML

    build = run_engine(write_site(tmp_path, {"osdi/2022/map.md": note("Map", body=MINDMAP)}, mkdocs_yml=INSTANT_YML), engine)
    assert build.returncode == 0, build.log
    diagram = re.search(r'<div class="mermaid">(.*?)</div>', build.html("papers/osdi/2022/map/"), re.DOTALL)
    assert diagram and "mindmap\n  root((Scheduler))\n    Queue\n      Priority\n    Batching" in diagram.group(1)


def test_built_pages_carry_no_indentation_and_show_the_same(tmp_path, engine):
    build = run_engine(write_site(tmp_path, NOTES), engine)
    assert build.returncode == 0, build.log
    page = build.html("papers/osdi/2022/ekko/")
    outside = re.sub(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1>", "(kept)", page, flags=re.DOTALL)
    assert not re.search(r"\n[ \t]", outside) and "\n\n" not in outside  # no indentation, no blank lines
    # the note's code block keeps its indentation and blank lines
    code = re.search(r"<pre[^>]*>.*?</pre>", page, re.DOTALL).group(0)
    assert re.sub(r"<[^>]+>", "", code).count("\n\n\n") == 1 and "\n        run(job)" in re.sub(r"<[^>]+>", "", code)
    # and the page still shows its parts: header, the body, Related, Cite, the theme's navigation
    assert '<h1 class="rn-paper-header__title">Ekko</h1>' in page
    assert "A paragraph\nover two lines." in page
    assert 'id="related-papers"' in page and "papers/osdi/2022/other/" in page and 'class="rn-cite"' in page
    assert 'class="md-nav md-nav--primary"' in page and "Content-Security-Policy" in page
    tag = build.html("tags/gpu-sharing/")
    assert not re.search(r"\n[ \t]", re.sub(r"<(pre|code|script|style)\b.*?</\1>", "(kept)", tag, flags=re.DOTALL))


def test_tag_chips_carry_no_class_and_still_look_like_chips(tmp_path):
    build = run_engine(write_site(tmp_path, NOTES), "mkdocs")
    assert build.returncode == 0, build.log
    page = build.html("papers/osdi/2022/ekko/")
    assert '<span class="rn-tags"><a href="../../../../tags/gpu-sharing/">#gpu-sharing</a></span>' in page
    assert 'class="rn-tag"' not in page and 'class="rn-tag"' not in build.html("tags/gpu-sharing/")

    from browser import chrome, serve

    with serve(tmp_path / "site") as base, chrome() as driver:
        driver.get(base + "papers/osdi/2022/ekko/")
        chip = driver.find_element("css selector", ".rn-paper-header .rn-tags > a")
        style = "const s = getComputedStyle(arguments[0]); return [s.display, s.borderRadius, s.backgroundColor, s.whiteSpace]"
        display, radius, background, space = driver.execute_script(style, chip)  # a flex item: display computes to block
        assert display in ("block", "inline-block") and space == "nowrap" and radius != "0px" and background != "rgba(0, 0, 0, 0)"
