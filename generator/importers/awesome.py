"""``notes import-list FILE.md``: an awesome-style paper list → paper entries (notes without a body).

Shapes it reads (one paper per list item; ``-``, ``*``, ``+`` or ``1.`` bullets):

    - [OSDI'22] [Title](url)                       venue tag in brackets, then the linked title
    - [VLDB'21] Title                              the same without a link
    - [Title](url) by First Author et al., OSDI 2018
    * Title ([EuroSys 2024](url)) \\[[Code](url)]
    - [x] [Title](url)                             under "# osdi" / "## 2023": venue and year headings;
        * a short note                             [x] = read; sub-items become the summary
    - misc                                         a short item holding papers is a group: its topic
        * [Title](url)
    - `⚡` 📄 [Title](url)                          ⚡ 💎 💡 = level; 📄 = paper (📔 🎓 🛠️ 📦 are skipped)
    - [Title](/notes/conference/osdi-2022/x.md): #tag_one #tag_two A summary.   (a GitBook SUMMARY.md)

Headings that name a venue and/or a year set them for the items below; other headings become the
``topic``. Where a line names no venue, the paper's address may (arXiv ids, USENIX, PVLDB, PMLR …).
Every list item is an entry, a sub-item of one (summary), or a group (topic); every entry is
imported, reported as a duplicate, skipped (not a paper) or reported with its line and reason.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.importers.common import LEVEL_BY_MARK, Entry, Importer, Report, Venues, outside_code, plain_text, split_hashtags
from generator.load.frontmatter import decode
from generator.load.notes import shown_path
from generator.model import Venue

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+(?P<text>\S.*)$")
_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX])\][ \t]+")
_LEVEL = re.compile(r"^`?(?P<mark>⚡|💎|💡)\ufe0f?`?\s*")
_KIND = re.compile(r"^(?P<mark>📄|📔|🎓|🛠|📦|📝|🎬|📑|📚|📖|💻|🔗)\ufe0f?\s*")
KIND_NAMES = {"📄": "paper", "📑": "paper", "📔": "book", "📚": "book", "📖": "book", "🎓": "course",
              "🛠": "tool", "💻": "tool", "📦": "material", "📝": "article", "🎬": "video", "🔗": "link"}  # fmt: skip
_LINK = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url><[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
_TAG = re.compile(r"^\[(?P<text>[^\[\]]+)\](?!\()\s*")
_AFFILIATION = re.compile(
    r"(?i)\b(?:universit(?:y|ät|é|à|eit)|institut(?:e|o)?|laborator(?:y|ies)|labs?|college|school|academy|"
    r"inc|corp(?:oration)?|ltd|research|cent(?:er|re)|department|dept|polytechnic)\b"
)
_TAG_ANYWHERE = re.compile(r"\[(?P<text>[^\[\]]+)\](?!\()")
_CROSS_REF = re.compile(r"\[\s*(?:also|see)\b(?:[^\[\]]|\[[^\[\]]*\]\([^()]*\))*\]", re.IGNORECASE)
_LABELS = {"code": "code", "github": "code", "repo": "code", "source": "code", "paper": "paper", "pdf": "paper",
           "slides": "slides", "slide": "slides", "video": "video", "talk": "video", "artifact": "artifact",
           "arxiv": "paper", "doi": "paper", "project": "paper", "website": "paper", "homepage": "paper",
           "model": "artifact", "models": "artifact", "weights": "artifact", "trace": "artifact", "traces": "artifact",
           "dataset": "artifact", "data": "artifact", "benchmark": "artifact"}  # fmt: skip
# Labels of links beside a paper that are neither the paper nor a kind of link a note keeps.
_OTHER_LABELS = re.compile(
    r"(?i)^(?:blog|blog post|notes?|personal notes?|my notes|review|summary|zhihu|知乎|中文.*|"
    r"官网|website \(.*\)|twitter|x|tweet|thread|demo|poster|openreview|hf|hugging ?face|docs?|"
    r"documentation|media|press|news|reddit|hn|hacker news|discussion|bib|bibtex|cite)$"
)
# "Project page: [x](…)": a line that introduces a link, not a paper.
_LINK_LINE = re.compile(
    r"(?i)^(?:project(?: page| website| homepage)?|website|home ?page|demo|code|blog|docs?|documentation|"
    r"slides|video|paper list|contact|twitter|wechat|discord|slack|star history)\s*[:：]$"
)
# A link to a venue's list of papers, not to one paper.
_PAPER_LIST_LINK = re.compile(r"(?i)\b(?:accepted papers|technical sessions|proceedings|program(?:me)?|paper list|all papers)\b")
# Headings whose items are not papers: a table of contents, references, project pages.
NOT_PAPER_SECTIONS = re.compile(
    r"(?i)^(?:table of )?contents$|^toc$|^references?$|^bibliography$|^citations?$|^cite$|"
    r"^acknowledge?ments?$|^licen[cs]e$|^contribut\w*$|^related (?:lists|projects|resources)$|^star history$"
)
_CODE_HOSTS = re.compile(r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|gitee\.com)/", re.IGNORECASE)
_NICKNAME = re.compile(r"^\((?P<nick>[^()]{1,60})\)\s+(?=\S)")
_BY = re.compile(r"\s+by\s+(?P<authors>.+?)(?:[,;]\s*(?P<venue>[^,;]*?(?:\b(?:19|20)\d\d|['’]\d\d)\b[^,;]*))?\s*\.?$", re.IGNORECASE)
_PAREN_VENUE = re.compile(r"\s*\(\s*\)\s*$|\s\((?P<venue>[^()]*(?:\b(?:19|20)\d\d|['’]\d\d)\b[^()]*)\)\s*$")
_TAIL_VENUE = re.compile(r"[,;(]\s*(?P<venue>[^,;()]{2,60}?(?:(?:19|20)\d\d|['’]\d\d))\s*\)?\s*\.?$")
MAX_GROUP_WORDS = 4
NOT_TOPICS = {"papers", "paper list", "accepted papers", "notes", "reading notes", "reading list", "list", "contents", "table of contents"}


@dataclass
class Item:
    line: int
    indent: int
    text: str
    children: list[Item] = field(default_factory=list)


@dataclass
class Context:
    """What the headings above an item say."""

    venue: Venue | None = None
    year: int | None = None
    topic: str | None = None
    section: str | None = None  # the nearest heading above the item


@dataclass
class ListStats:
    entries: int = 0
    notes: int = 0  # sub-items kept as an entry's summary
    groups: int = 0  # items that hold papers: their text became the topic


def _document_title(lines: list[str]) -> int | None:
    """The line of a lone first-level heading that starts the file: the list's title, not a topic."""
    h1 = [i for i, line in enumerate(lines) if re.match(r"^#[ \t]+\S", line)]
    first = next((i for i, line in enumerate(lines) if _HEADING.match(line)), None)
    return first if len(h1) == 1 and first == h1[0] else None


def read_items(text: str) -> list[tuple[list[tuple[int, str, int]], Item]]:
    """Top-level list items as trees, each with the headings (level, text, line) above it."""
    lines = text.split("\n")
    title_line = _document_title(lines)
    headings: list[tuple[int, str, int]] = []
    roots: list[tuple[list[tuple[int, str, int]], Item]] = []
    stack: list[Item] = []
    for i, raw in outside_code(lines):
        m = _HEADING.match(raw)
        if m:
            stack = []
            if i != title_line:
                level = len(m.group(1))
                headings = [h for h in headings if h[0] < level] + [(level, m.group(2), i + 1)]
            continue
        m = _ITEM.match(raw)
        if not m:
            if raw.strip() and not raw.startswith((" ", "\t")):
                stack = []  # a paragraph ends the list
            continue
        indent = len(m.group("indent").expandtabs(4))
        item = Item(i + 1, indent, m.group("text").rstrip())
        while stack and stack[-1].indent >= indent:
            stack.pop()
        if stack:
            stack[-1].children.append(item)
        else:
            roots.append((list(headings), item))
        stack.append(item)
    return roots


def heading_context(headings: list[tuple[int, str, int]], venues: Venues) -> Context:
    ctx = Context()
    depth = 0  # the level of the deepest venue/year heading: only deeper headings are topics
    for level, text, _ in headings:
        found = venues.heading(text)
        if found is None:
            continue
        venue, year = found
        if venue is not None:
            ctx.venue, ctx.year = venue, year
        elif year is not None:
            ctx.year = year
        depth = level
    topics = [plain_text(text) for level, text, _ in headings if level > depth and venues.heading(text) is None]
    topics = [t for t in topics if t and t.casefold() not in NOT_TOPICS]
    ctx.topic = topics[-1] if topics else None
    ctx.section = plain_text(headings[-1][1]).strip() if headings else None
    return ctx


# ------------------------------------------------------------------------------------- one line


@dataclass
class Parsed:
    """What one list line says."""

    title: str = ""
    kind: str = "paper"
    kind_mark: str = ""
    status: str | None = None
    level: str | None = None
    venue: Venue | None = None
    year: int | None = None
    venue_name: str | None = None  # a venue named but not known
    not_a_paper: str | None = None  # why the line is not a paper (a contents line, a link to a list of papers …)
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, url) in order
    path: str | None = None  # a link to a Markdown file (a GitBook table of contents)
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    nickname: str | None = None


def parse_item(text: str, venues: Venues) -> Parsed:
    """Read one list item's text (without its bullet)."""
    p = Parsed()
    text = text.strip()
    m = _CHECKBOX.match(text)
    if m:
        p.status = "read" if m.group("mark") in "xX" else "unread"
        text = text[m.end() :]
    m = _LEVEL.match(text)
    if m:
        p.level = LEVEL_BY_MARK[m.group("mark")]
        text = text[m.end() :]
    m = _KIND.match(text)
    if m:
        p.kind_mark = m.group("mark")
        p.kind = KIND_NAMES[p.kind_mark]
        text = text[m.end() :]
    text = text.replace("\\[", "").replace("\\]", "")
    text = _CROSS_REF.sub(" ", text).strip()
    # leading venue tags: "[OSDI'22] …", "**[OSDI 2022]** …"
    while True:
        stripped = re.sub(r"^\*\*(\[[^\[\]]+\])\*\*", r"\1", text)
        m = _TAG.match(stripped)
        if not m:
            break
        venue, year, name = venues.short(m.group("text"))
        if venue is None and year is None:
            break
        p.venue, p.year = p.venue or venue, p.year or year
        if venue is None and name:
            p.venue_name = name
        text = stripped[m.end() :]
    # links: labels ([Code](…)), venues ([EuroSys 2024](…)), and the first other one is the title,
    # unless the line starts with the title as text: then every link is a side link ("Title [[Blog](…)]")
    links = list(_LINK.finditer(text))
    lead = plain_text(text[: links[0].start()]).strip(" -–—|(") if links else ""
    if links and _LINK_LINE.match(lead):
        p.not_a_paper = f"a {lead.rstrip(':').strip()!r} line, not a paper"
    if links and all(lm.group("url").startswith("#") for lm in links) and not lead:
        p.not_a_paper = "a contents line (a link within the page), not a paper"
    lead_is_title = (
        len(lead.split()) >= 2 and not lead.endswith(":") and venues.short(lead)[0] is None
        and all(_side_link(plain_text(lm.group("text")), venues, len(lead.split())) for lm in links)
    )  # fmt: skip
    title_span: tuple[int, int] | None = None
    for lm in links:
        label, url = plain_text(lm.group("text")), lm.group("url").strip("<>").strip()
        is_http = url.lower().startswith(("http://", "https://"))
        kind = _LABELS.get(label.casefold().strip(" :"))
        if kind and is_http:
            p.links.append(("code" if kind == "paper" and _CODE_HOSTS.match(url) else kind, url))
            continue
        if _OTHER_LABELS.match(label.strip(" :")) or (lead_is_title and venues.short(label)[0] is None):
            continue  # a blog, notes, a mirror …: not the paper
        venue, year, _ = venues.short(label)
        if venue is not None and is_http and len(label) <= 40 and (year is not None or title_span is not None):
            p.venue, p.year = p.venue or venue, p.year or year
            p.links.append(("paper", url))
            continue
        if title_span is None and label:
            title_span = lm.span()
            p.title = label
            if _PAPER_LIST_LINK.search(label):
                p.not_a_paper = f"a link to a list of papers ({label!r}), not a paper"
            if is_http:
                p.links.insert(0, ("code" if _CODE_HOSTS.match(url) else "paper", url))
            elif url and not url.startswith("#") and ":" not in url.split("/", 1)[0]:
                p.path = urllib.parse.unquote(url.split("#", 1)[0])
    if title_span is not None:
        before, tail = plain_text(text[: title_span[0]]), text[title_span[1] :]
        if before:  # "**OSDI 2022** [Title](…)", or words before the link
            venue, year, _ = venues.short(before)
            if venue is not None or year is not None:
                p.venue, p.year = p.venue or venue, p.year or year
            else:
                tail = before + " " + tail
    else:
        rest, tail = re.sub(r"\(\s*\)|[\[\]]", " ", _LINK.sub(" ", text)), ""
        m = _BY.search(rest)
        if m is not None and not (m.group("venue") or re.search(r"(?i)\bet\.? al", m.group("authors"))):
            m = None  # "Learning by Doing": a title, not authors
        m = m or _PAREN_VENUE.search(rest)
        if m is None:
            m = _TAIL_VENUE.search(rest)
            if m is not None and venues.free(m.group("venue"))[0] is None:
                m = None
        if m is not None:
            rest, tail = rest[: m.start()], rest[m.start() :]
        p.title = plain_text(rest)
    _read_tail(p, _LINK.sub(" ", tail), venues)
    m = _NICKNAME.match(p.title)
    if m:
        p.nickname = m.group("nick").strip()
        p.title = p.title[m.end() :]
    p.title = p.title.strip(" -–—:,;")
    return p


def _side_link(label: str, venues: Venues, lead_words: int) -> bool:
    """A link beside a title given as text: a kind ([Code]), another page ([Blog]), a venue, or (after
    a title of three words or more) a label of one or two words such as [Trace] or [2.1]."""
    label = label.strip(" :")
    known = _LABELS.get(label.casefold()) or _OTHER_LABELS.match(label) or venues.short(label)[0]
    return bool(known or (lead_words >= 3 and len(label.split()) <= 2))


def _read_tail(p: Parsed, tail: str, venues: Venues) -> None:
    """What follows the title: ``by A, B et al., OSDI 2018``, ``(OSDI 2018)``, ``: #tags summary``,
    ``[NeurIPS'25 Spotlight]``, ``CGO 2019``."""
    tail = tail.strip()
    for m in list(_TAG_ANYWHERE.finditer(tail)):  # "[NeurIPS'25 Spotlight]" after the title
        venue, year, name = venues.short(m.group("text"))
        if venue is not None or (year is not None and len(name.split()) <= 2):
            if venue is None and name and p.venue is None:
                p.venue_name = name
            p.venue, p.year = p.venue or venue, p.year or year
            tail = tail.replace(m.group(0), " ")
    tail = tail.strip()
    bare = plain_text(tail).strip(" ()[]-–—:,;.")
    if bare and len(bare.split()) <= 5 and not bare.lower().startswith("by "):  # "CGO 2019", "OSDI '22 (best paper)"
        venue, year, _ = venues.short(bare)
        if venue is not None and year is not None:
            p.venue, p.year = p.venue or venue, p.year or year
            return
    if not tail:
        return
    by = _BY.match(" " + tail)
    if by:
        p.authors = split_authors(plain_text(by.group("authors")))
        if by.group("venue"):
            _take_venue(p, by.group("venue"), venues)
        return
    if tail.startswith(":"):
        p.tags, p.summary = split_hashtags(plain_text(tail[1:]))
        return
    trailing = _TAIL_VENUE.search(tail)
    if trailing:
        _take_venue(p, trailing.group("venue"), venues)
        tail = tail[: trailing.start()]
    rest = plain_text(tail).strip(" ()[]-–—:,;")
    if rest:
        tags, summary = split_hashtags(rest)
        p.tags += tags
        p.summary = summary


def _take_venue(p: Parsed, text: str, venues: Venues) -> None:
    venue, year, name = venues.free(text)
    if venue is not None:
        p.venue = p.venue or venue
    elif name and p.venue is None:
        p.venue_name = name
    p.year = p.year or year


def split_authors(text: str) -> list[str]:
    """ "A, B and C" → [A, B, C]; "A et al." → [A]: "et al." is not a name (BibTeX would make it
    ``et al., A`` and a citekey starting with "al"), so only the names given are kept."""
    text = re.sub(r"\([^()]*\)", "", text)
    text = re.sub(r"(?<![\w\\])_[^_]+_(?!\w)|(?<!\w)\*[^*]+\*(?!\w)", ",", text)  # _University of X, Y_: an affiliation
    text = re.sub(r"(?i)[,\s]*\bet\.?\s*al\b\.?", "", text)
    parts = [part.strip(" .*_") for part in re.split(r",|;|\band\b|&", text)]
    return [part for part in parts if part and not _AFFILIATION.search(part)]


# --------------------------------------------------------------------------------------- groups


def is_group(item: Item, venues: Venues) -> bool:
    """``- misc`` / ``- GPU share`` holding papers: a few words, no link, no venue, with sub-items."""
    if not item.children:
        return False
    p = parse_item(item.text, venues)
    if p.links or p.path or p.venue or p.year or p.status:
        return False
    if any(_LINK.search(child.text) for child in item.children):
        return True
    return len(p.title.split()) <= MAX_GROUP_WORDS and ":" not in p.title


# ----------------------------------------------------------------------------------------- run


def path_venue(path: str, venues: Venues) -> tuple[Venue | None, int | None, str | None, bool]:
    """Venue and year of a GitBook page path; the last value says whether the page is an index page
    (a venue, a venue-year or a section) rather than a paper."""
    parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".", "..")]
    if not parts:
        return None, None, None, True
    stem = posixpath.splitext(parts[-1])[0]
    dirs = parts[:-1]
    if stem.lower() in ("readme", "index", "summary"):
        return (*venues.from_parts(dirs), True)
    venue, year, unknown = venues.from_parts(dirs)
    own = venues.from_parts(dirs + [stem])
    if year is None and (own[1] is not None or own[0] is not None):
        return own[0], own[1], own[2], True  # osdi-2022.md, arxiv.md, tcc/2021.md: an index page
    return venue, year, unknown, False


def entry_from_item(
    item: Item, ctx: Context, source: str, venues: Venues, topic: str | None, notes: list[str]
) -> tuple[Entry | None, str | None, Parsed]:
    """An entry, or why the item is not a paper (the skip reason)."""
    p = parse_item(item.text, venues)
    if p.kind != "paper":
        return None, f"a {p.kind} ({p.kind_mark}), not a paper", p
    if p.not_a_paper:
        return None, p.not_a_paper, p
    if ctx.section and NOT_PAPER_SECTIONS.match(ctx.section):
        return None, f"under {ctx.section!r}, not a paper", p
    pv, py, unknown = None, None, None
    if p.path is not None:
        pv, py, unknown, index = path_venue(p.path, venues)
        if index:
            return None, f"an index page ({p.path}), not a paper", p
    if not p.title:
        return None, "no title in this item", p
    if p.path is not None and pv is None and py is None and len(p.title.split()) <= 2 and ":" not in p.title:
        return None, f"a section page ({p.path}), not a paper", p
    venue, year, venue_problem = p.venue, p.year, None
    if p.venue_name and venue is None:
        venue_problem = venues.unknown(p.venue_name)
    if p.path is not None:
        venue, year = venue or pv, year or py
        if venue is None and unknown:
            venue_problem = venue_problem or venues.unknown(unknown)
    venue, year = venue or ctx.venue, year or ctx.year
    if venue is None or year is None:
        for _, url in p.links:
            uv, uy = venues.from_url(url)
            if uv is not None and venue is None and venue_problem is not None:
                year = year or uy  # a venue named but not known is reported, not replaced by the address's
                break
            if uv is not None and (venue is None or uv.key == venue.key):
                venue, year = venue or uv, year or uy
                break
    entry = Entry(title=p.title, source=source, line=item.line, venue=venue, year=year, venue_problem=venue_problem,
                  authors=p.authors, tags=p.tags, summary=p.summary, status=p.status, level=p.level, topic=topic)  # fmt: skip
    if venue is None and venue_problem is None:
        host = next((urllib.parse.urlsplit(url).hostname for _, url in p.links), None)
        entry.venue_problem = (
            "no venue: neither the line nor its headings name one" + (f", and its {host} address does not tell" if host else "")
            + " (add it to the line, like [OSDI'22])"
        )  # fmt: skip
    for kind, url in p.links:
        entry.add_link(kind, url)
    if p.path is not None:
        entry.stem = posixpath.splitext(posixpath.basename(p.path))[0]
    notes = [n for n in (plain_text(n) for n in notes) if n]
    if p.nickname:
        notes.insert(0, f"Also known as {p.nickname}.")
    entry.summary = join_notes(([entry.summary] if entry.summary else []) + notes)
    return entry, None, p


def join_notes(notes: list[str]) -> str:
    """Sub-item notes as one summary line: "a; b", or "A sentence. Another." when they end in stops."""
    out = ""
    for note in notes:
        out += ("" if not out else " " if out[-1] in ".!?。；;！？" else "; ") + note
    return out


def _descendants(item: Item) -> list[Item]:
    out: list[Item] = []
    for child in item.children:
        out.append(child)
        out += _descendants(child)
    return out


@dataclass
class ListOptions:
    """How a list is read: plainly (import-list) or as a GitBook index page (import-notes)."""

    base: Context | None = None  # venue and year when the headings do not say (an edition page's)
    topics: bool = True  # headings and groups become topics
    covered: Callable[[str], bool] | None = None  # a linked page that is imported as a file of its own
    pages_nest: bool = False  # items linking to pages hold pages, not notes (a table of contents)
    only_linked: bool = False  # items with no link and no venue are prose, not papers (a home page)


def import_items(
    roots: list[tuple[list[tuple[int, str, int]], Item]],
    source: str,
    importer: Importer,
    stats: ListStats,
    options: ListOptions | None = None,
) -> list[Entry]:
    """Turn list trees into entries and hand each to the importer."""
    options = options or ListOptions()
    venues = importer.venues
    report = importer.report
    entries: list[Entry] = []

    def visit(item: Item, ctx: Context, topic: str | None) -> None:
        parsed = parse_item(item.text, venues)
        if options.only_linked and not (parsed.links or parsed.path or parsed.venue):
            for child in item.children:
                visit(child, ctx, topic)
            return
        covered = parsed.path is not None and options.covered is not None and options.covered(parsed.path)
        if parsed.path is not None and options.pages_nest:
            if not covered:
                handle(item, ctx, topic, [])
            for child in item.children:
                visit(child, ctx, topic)
            return
        if covered:  # the listed note is imported from its own file
            notes = _descendants(item)
            if notes:
                stats.notes += len(notes)
                report.notice(
                    source, item.line, f"the {len(notes)} sub-item line(s) under this link to {parsed.path} are not imported (its file is)"
                )
            return
        if is_group(item, venues):
            stats.groups += 1
            group_topic = (plain_text(item.text) or topic) if options.topics else topic
            for child in item.children:
                visit(child, ctx, group_topic)
            return
        notes = _descendants(item)
        stats.notes += len(notes)
        handle(item, ctx, topic, [n.text for n in notes])

    def handle(item: Item, ctx: Context, topic: str | None, notes: list[str]) -> None:
        stats.entries += 1
        entry, skip, _parsed = entry_from_item(item, ctx, source, venues, topic, notes)
        if entry is None:
            report.outcome(source, item.line, "skipped", skip or "not a paper")
            return
        entries.append(entry)
        importer.add(entry)

    for headings, item in roots:
        ctx = heading_context(headings, venues)
        if options.base is not None:
            ctx.venue, ctx.year = ctx.venue or options.base.venue, ctx.year or options.base.year
        if not options.topics:
            ctx.topic = None
        visit(item, ctx, ctx.topic)
    return entries


def run_import_list(path: Path, out: Path, dry_run: bool, *, merge: bool = False) -> tuple[Report, str]:
    """Import one list file; returns the report and its closing summary line."""
    root = Path.cwd()
    report = Report(dry_run)
    importer = Importer(out, root, report, merge=merge)
    source = shown_path(path, root)
    text = decode(path.read_bytes())
    stats = ListStats()
    import_items(read_items(text), source, importer, stats, ListOptions(pages_nest=True))
    return report, list_summary(report, source, stats)


def list_summary(report: Report, source: str, stats: ListStats) -> str:
    summary = report.summary(source, "list entries")
    extra = []
    if stats.notes:
        extra.append(f"{stats.notes} sub-item line{'s' if stats.notes != 1 else ''} kept in summaries")
    if stats.groups:
        extra.append(f"{stats.groups} group line{'s' if stats.groups != 1 else ''} kept as topic{'s' if stats.groups != 1 else ''}")
    return summary + (" (" + "; ".join(extra) + ")" if extra else "")
