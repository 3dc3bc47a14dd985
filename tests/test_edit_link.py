"""'Edit this page' opens the file a page comes from: a note in papers/, a hand-written page in docs/."""

from __future__ import annotations

import re

from conftest import MKDOCS_YML, note

EDIT_YML = MKDOCS_YML.replace("  font: false\n", "  font: false\n  features: [content.action.edit]\n") + (
    "edit_uri: https://github.com/o/r/edit/main/docs/\n"
)


def edit_links(html: str) -> list[str]:
    """The href of every edit button (mkdocs-material: <a ... title="Edit this page" class="md-content__button">)."""
    return [m.group(1) for m in re.finditer(r'<a href="([^"]*)" title="Edit this page"', html)]


def test_paper_pages_edit_the_note_in_papers(site):
    assert "features: [content.action.edit]" in EDIT_YML
    build = site(
        {"osdi/2022/reef.md": note("REEF", body="## Notes\n\nText.\n"), "arxiv/2023/flexgen.md": note("FlexGen", venue="arXiv", year=2023)},
        docs={"about.md": "# About\n\nHand-written.\n"},
        mkdocs_yml=EDIT_YML,
    )
    assert build.returncode == 0, build.log
    assert edit_links(build.html("papers/osdi/2022/reef")) == ["https://github.com/o/r/edit/main/papers/osdi/2022/reef.md"]
    assert edit_links(build.html("papers/arxiv/2023/flexgen")) == ["https://github.com/o/r/edit/main/papers/arxiv/2023/flexgen.md"]
    assert edit_links(build.html("about")) == ["https://github.com/o/r/edit/main/docs/about.md"]
    # a generated index has no file to edit
    assert edit_links(build.html("venues/osdi/2022")) == []
    assert edit_links(build.html("tags")) == []


def test_entry_pages_ask_for_notes_with_the_edit_link_and_links_come_first(site):
    links = "{paper: 'https://example.org/p.pdf', code: 'https://github.com/x/y'}"
    build = site(
        {"osdi/2022/reef.md": note("REEF", tags="[GPU_sharing]", body="## Notes\n\nText.\n", links=links),
         "arxiv/2023/flexgen.md": note("FlexGen", venue="arXiv", year=2023, tags="[LLM_serving]", links=links)},
        mkdocs_yml=EDIT_YML,
    )  # fmt: skip
    assert build.returncode == 0, build.log
    entry = build.html("papers/arxiv/2023/flexgen")
    prompt = re.search(r'<div class="rn-empty rn-empty--prompt">(.*?)</div>', entry, re.DOTALL)
    assert prompt and "No notes yet." in prompt.group(1)
    assert (
        '<a class="md-button rn-empty__edit" href="https://github.com/o/r/edit/main/papers/arxiv/2023/flexgen.md"'
        ' rel="noopener nofollow">✎ Write the notes</a>'
    ) in prompt.group(1)
    assert "#rn-write-notes" not in entry
    # the Paper/Code links sit at the top of the header, before the tags
    assert entry.index('class="rn-paper-header__links"') < entry.index('<span class="rn-tags"><a href=') < entry.index("rn-empty--prompt")
    written = build.html("papers/osdi/2022/reef")
    assert "rn-empty" not in written and written.index("rn-paper-header__links") < written.index('<span class="rn-tags"><a href=')


def test_without_an_edit_url_the_prompt_has_no_button(site):
    build = site({"arxiv/2023/flexgen.md": note("FlexGen", venue="arXiv", year=2023)})
    assert build.returncode == 0, build.log
    entry = build.html("papers/arxiv/2023/flexgen")
    assert "No notes yet." in entry and "rn-empty__edit" not in entry and "#rn-write-notes" not in entry
