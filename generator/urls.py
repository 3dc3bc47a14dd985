"""The URL contract of the generated site, in one place.

URLs here are site-relative directory URLs ("venues/osdi/2022/"); ``source_uri`` gives the Markdown
file an engine must be handed so that it publishes the page at that URL.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse

from generator.model import Paper, Tag, Venue

HOME = ""
VENUES = "venues/"
TAGS = "tags/"
MUST_READ = "must-read/"  # the default reading path
PATHS = "paths/"


# A file or folder name made from user text (a tag, a venue key, a note's file name) is at most this
# many UTF-8 bytes: file systems allow 255, and NFKC can turn one character into 18 (U+FDFA).
MAX_NAME_BYTES = 100
# Names Windows refuses for a file or folder, with any extension (so the site can be checked out there).
_WINDOWS_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?", re.IGNORECASE)


def name_problem(path: str) -> str | None:
    """Why a site path made from user text cannot be written on every file system, or None when it can:
    a name longer than MAX_NAME_BYTES, or one that Windows reserves (CON, NUL, COM1.bib …)."""
    for name in path.split("/"):
        size = len(name.encode("utf-8"))
        if size > MAX_NAME_BYTES:
            shown = name if len(name) <= 24 else name[:24] + "…"
            return f"makes a file or folder name of {size} bytes ({shown!r}; at most {MAX_NAME_BYTES} bytes in UTF-8, after Unicode normalization)"
        if _WINDOWS_RESERVED.fullmatch(name) or name.endswith((".", " ")):
            return f"makes the file or folder name {name!r}, which Windows reserves (CON, PRN, AUX, NUL, COM0-9, LPT0-9, or a name ending in '.')"
    return None


def venue_url(venue: Venue) -> str:
    return f"venues/{venue.slug}/"


def edition_url(venue: Venue, year: int) -> str:
    return f"venues/{venue.slug}/{year}/"


def tag_url(tag: Tag) -> str:
    return f"tags/{tag.slug}/"


FEED = "feed.xml"  # the Atom feed of recently added notes


def tag_feed(tag: Tag) -> str:
    """tags/gpu-sharing/feed.xml: the Atom feed of one tag."""
    return tag_url(tag) + FEED


def path_url(name: str) -> str:
    return f"paths/{name}/"


LINEAGE = "lineage/"  # below a path's or a tag's page: the relations among its papers, by year


def path_lineage_url(name: str) -> str:
    """paths/llm-serving/lineage/"""
    return path_url(name) + LINEAGE


def tag_lineage_url(tag: Tag) -> str:
    """tags/llm-serving/lineage/"""
    return tag_url(tag) + LINEAGE


ALL_BIB = "papers.bib"  # every paper as BibTeX


def venue_bib(venue: Venue) -> str:
    """venues/osdi/osdi.bib: one venue's papers as BibTeX, beside the venue's page."""
    return venue_url(venue) + f"{venue.slug}.bib"


def edition_bib(venue: Venue, year: int) -> str:
    """venues/osdi/2022/osdi-2022.bib"""
    return edition_url(venue, year) + f"{venue.slug}-{year}.bib"


def tag_bib(tag: Tag) -> str:
    """tags/gpu-sharing/gpu-sharing.bib"""
    return tag_url(tag) + f"{tag.slug}.bib"


def file_href(path: str, from_url: str | None = None) -> str:
    """The href of a file that sits beside the page linking to it: its name, percent-encoded.

    With ``from_url``, the page may be elsewhere (page 2 of a listing links to the listing's file).
    """
    name = urllib.parse.quote(posixpath.basename(path), safe="-_.~")
    folder = posixpath.dirname(path) + "/"
    if from_url is None or from_url == folder:
        return name
    return relative(from_url, folder) + name


def listing_url(first: str, number: int) -> str:
    """Page ``number`` of a listing that starts at ``first``: tags/gpu-sharing/page/2/."""
    return first if number == 1 else f"{first}page/{number}/"


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
    # pure string work (posixpath.relpath asks the OS for the working directory on every call)
    start = [part for part in from_url.split("/") if part]
    target = [part for part in to_url.split("/") if part]
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    parts = [".."] * (len(start) - common) + target[common:]
    rel = "/".join(parts) + "/" if parts else "./"
    return urllib.parse.quote(rel, safe="/.-_~")


EXPLORE = "explore/"  # every paper in one filterable table (generator/render/explore.py)
COMPARE = "compare/"  # papers side by side, ids in the query: compare/?id=orca&id=vllm (generator/render/explore.py)


def explore_query(tags: list[Tag] | tuple[Tag, ...] = (), venue: Venue | None = None) -> str:
    """The query string of an explorer view: ?tag=GPU_sharing&tag=co-location&venue=OSDI ("" for none)."""
    pairs = [("tag", t.name) for t in tags] + ([("venue", venue.key)] if venue else [])
    return "?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote) if pairs else ""
