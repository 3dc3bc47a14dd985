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
