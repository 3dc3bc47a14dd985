"""Atom feeds of recently added notes: ``feed.xml`` for the site, ``tags/<tag>/feed.xml`` per tag.

Feeds are built with ElementTree, so every value from a note is escaped as XML text or attribute;
characters that XML 1.0 cannot hold at all are dropped. Links are absolute when the site's URL is
known (``site_url`` in mkdocs.yml) and relative to the feed otherwise. Entry ids do not depend on
the site's URL when it is unknown (``urn:uuid:`` from the page's path), so they stay stable.
"""

from __future__ import annotations

import html
import re
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable

from generator import urls
from generator.load.history import recently_added
from generator.model import Catalog, Paper, Tag
from generator.render.pages import Asset, paper_tags

ATOM_NS = "http://www.w3.org/2005/Atom"
SITE_FEED_SIZE = 30
TAG_FEED_SIZE = 20
NO_DATE = "1970-01-01T00:00:00Z"  # the <updated> of a feed with no dated entry
Linker = Callable[[str], str]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_feeds(catalog: Catalog, site_url: str = "", site_name: str = "Reading notes") -> list[Asset]:
    """The site's feed and one feed per tag."""
    feeds = [Asset(urls.FEED, site_feed(catalog, site_url, site_name))]
    feeds += [Asset(urls.tag_feed(index.tag), tag_feed(index.tag, index.papers, catalog, site_url, site_name))
              for index in catalog.tags]  # fmt: skip
    return feeds


def site_feed(catalog: Catalog, site_url: str = "", site_name: str = "Reading notes") -> str:
    """The site's Atom feed: the notes added most recently."""
    papers = recently_added(catalog.papers, catalog.added_on, SITE_FEED_SIZE)
    return atom_feed(urls.FEED, urls.HOME, site_name, "Recently added reading notes", papers, catalog, site_url, site_name)


def tag_feed(tag: Tag, papers: list[Paper], catalog: Catalog, site_url: str = "", site_name: str = "Reading notes") -> str:
    """A tag's Atom feed: its papers added most recently."""
    newest = recently_added(papers, catalog.added_on, TAG_FEED_SIZE)
    title = f"#{tag.name} · {site_name}"
    return atom_feed(urls.tag_feed(tag), urls.tag_url(tag), title, f"Papers tagged #{tag.name}, recently added first",
                     newest, catalog, site_url, site_name)  # fmt: skip


def atom_feed(path: str, page_url: str, title: str, subtitle: str, papers: list[Paper], catalog: Catalog,
              site_url: str, site_name: str) -> str:  # fmt: skip
    """An Atom 1.0 document at ``path`` (site-relative) for ``papers``, in the order given."""
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    link = _linker(base, site_url)
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _text(feed, "title", title)
    _text(feed, "subtitle", subtitle)
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": link(path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": link(page_url)})
    _text(feed, "id", _id(path, site_url))
    dates = [catalog.added_on[p.id] for p in papers]
    _text(feed, "updated", max(dates, default=NO_DATE))
    _text(ET.SubElement(feed, "author"), "name", site_name)
    _text(feed, "generator", "reading-notes generator")
    for paper in papers:
        feed.append(_entry(paper, catalog, link, site_url))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _entry(paper: Paper, catalog: Catalog, link: Linker, site_url: str) -> ET.Element:
    entry = ET.Element("entry")
    url = urls.paper_url(paper)
    when = catalog.added_on[paper.id]
    _text(entry, "title", paper.title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": link(url)})
    _text(entry, "id", _id(url, site_url))
    _text(entry, "published", when)
    _text(entry, "updated", when)
    if paper.summary:
        _text(entry, "summary", paper.summary)
    for tag in paper_tags(paper, catalog):
        ET.SubElement(entry, "category", {"term": _clean(tag.slug), "label": _clean(tag.name)})
    content = _text(entry, "content", _content_html(paper, catalog))
    content.set("type", "html")
    return entry


def _content_html(paper: Paper, catalog: Catalog) -> str:
    """A short HTML description (escaped once here, then again as XML text, as Atom wants)."""
    esc = html.escape
    parts = [f"<p><strong>{esc(paper.venue.key)} {paper.year}</strong> · {esc(paper.venue.name)}</p>"]
    if paper.authors:
        parts.append(f"<p>{esc(', '.join(paper.authors))}</p>")
    if paper.summary:
        parts.append(f"<p>{esc(paper.summary)}</p>")
    tags = paper_tags(paper, catalog)
    if tags:
        parts.append("<p>" + " ".join(esc("#" + t.name) for t in tags) + "</p>")
    if not paper.has_body:
        parts.append("<p><em>A paper entry: no reading notes yet.</em></p>")
    return "".join(parts)


def _linker(base: str, site_url: str) -> Linker:
    """href for a site-relative target: absolute under ``site_url``, else relative to ``base``."""

    def link(target: str) -> str:
        if site_url:
            return _absolute(site_url, target)
        if target == "" or target.endswith("/"):
            return urls.relative(base, target)
        folder, _, name = target.rpartition("/")
        rel = urls.relative(base, folder + "/" if folder else "")
        return ("" if rel == "./" else rel) + urllib.parse.quote(name, safe=".-_~")

    return link


def _absolute(site_url: str, target: str) -> str:
    return site_url.rstrip("/") + "/" + urllib.parse.quote(target, safe="/.-_~")


def _id(target: str, site_url: str) -> str:
    if site_url:
        return _absolute(site_url, target)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "reading-notes:" + target))


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _clean(text)
    return element
