"""The URL contract of the generated site, in one place.

URLs here are site-relative directory URLs ("venues/osdi/2022/"); ``source_uri`` gives the Markdown
file an engine must be handed so that it publishes the page at that URL.
"""

from __future__ import annotations

import posixpath
import urllib.parse

from .model import Paper, Tag, Venue

HOME = ""
VENUES = "venues/"
TAGS = "tags/"


def venue_url(venue: Venue) -> str:
    return f"venues/{venue.slug}/"


def edition_url(venue: Venue, year: int) -> str:
    return f"venues/{venue.slug}/{year}/"


def tag_url(tag: Tag) -> str:
    return f"tags/{tag.slug}/"


def paper_source(paper: Paper) -> str:
    """papers/osdi/2022/reef.md: the page's source path follows the note's path under papers/."""
    return "papers/" + paper.rel_path


def paper_url(paper: Paper) -> str:
    return posixpath.splitext(paper_source(paper))[0] + "/"


def source_uri(url: str) -> str:
    """The Markdown source that an index URL is built from: venues/osdi/ → venues/osdi/index.md."""
    return url + "index.md"


def relative(from_url: str, to_url: str) -> str:
    """An href from the page at ``from_url`` to ``to_url`` (both directory URLs), percent-encoded."""
    start = from_url.rstrip("/") or "."
    target = to_url.rstrip("/") or "."
    rel = posixpath.relpath(target, start)
    rel = "./" if rel == "." else rel + "/"
    return urllib.parse.quote(rel, safe="/.-_~")
