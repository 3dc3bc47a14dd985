"""``notes import-notes DIR``: a folder of Markdown notes (a GitBook space, say) → notes in this format.

For each note:

- **venue and year** from its front-matter, else from its folder (``conference/osdi-2022/…``,
  ``journal/tcc/tcc-2021/…``, ``journal/tcc/2021/…``, ``miscellaneous/arxiv/2023/…``), else from a
  "Presented in [OSDI 2022](url)" line, else from a title prefix (``# [2021 OSDI] Pollux: …``);
- **tags** are the ``#hashtags`` of a GitBook ``description:`` (single-quoted or folded); a plain
  sentence there becomes the summary; **title** from the first ``#`` heading; **authors** from an
  "Authors:" line; links from "Code:" / "Paper:" / "Slides:" / "Video:" lines;
- the **body** is kept, with GitBook-only markup turned into what MkDocs renders
  (``{% hint %}`` → an admonition, ``&#x20;`` → a space, ``<figure><img>`` → an image), links to
  other notes pointed at their new place, local images copied to ``docs/assets/imported/`` and
  links to missing images reported.

Index pages — a folder's ``README.md``, a ``osdi-2022.md`` beside an ``osdi-2022/`` folder, the
``SUMMARY.md`` table of contents — are not notes: an edition's page gives facts for ``venues.yml``
(homepage, location, full name, list of papers) and its text goes above the generated edition page;
papers they list that have no note of their own become paper entries.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
import urllib.parse
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from generator import urls
from generator.authoring.note_file import write_file
from generator.importers.awesome import Context, ListOptions, ListStats, import_items, read_items, split_authors
from generator.importers.common import CODE_FENCE, Entry, Importer, Plan, Report, one_line, outside_code, plain_text, split_hashtags
from generator.links import safe_http_url
from generator.load.frontmatter import FrontMatterError, decode, front_matter_span, opens_front_matter, parse_front_matter
from generator.load.notes import shown_path
from generator.model import EditionFacts, Venue

ASSET_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf"}  # copied as they are (no SVG: it can carry scripts)
ASSET_FOLDER = "assets/imported"  # under docs/
_FM_FIELDS = ("title", "venue", "year", "authors", "tags", "summary", "links", "status", "level", "topic", "related", "added", "id")
_H1 = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")
_TITLE_PREFIX = re.compile(r"^\[(?P<tag>[^\[\]]{2,40})\]\s*(?P<title>.+)$")
_PRESENTED = re.compile(r"(?i)\bpresented\s+(?:in|at)\b\s*:?\s*(?P<rest>.+)$")
_LABEL_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>authors?|code|paper|pdf|slides|video|artifact|arxiv|doi)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_FACT_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>homepage|website|location|where|name|full name|papers|accepted papers|program)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_FACT_KEYS = {"homepage": "homepage", "website": "homepage", "location": "location", "where": "location", "name": "name",
              "full name": "name", "papers": "papers_url", "accepted papers": "papers_url", "program": "papers_url"}  # fmt: skip
_LINK_OR_IMAGE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url><[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?P<title>\s+\"[^\"]*\")?\)"
)
_URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:]")
_GITBOOK_TAG = re.compile(r"\{%\s*(?P<name>[a-z\-]+)(?P<args>[^%]*)%\}")
_ATTR = re.compile(r'(?P<key>[a-z]+)="(?P<value>[^"]*)"')
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_HTML_ATTR = re.compile(r'(?P<key>[a-z]+)\s*=\s*"(?P<value>[^"]*)"', re.IGNORECASE)
_HINT_STYLES = {"info": "info", "success": "success", "warning": "warning", "danger": "danger", "tip": "tip"}
_DROPPED_TAGS = {"tabs", "endtabs", "endtab", "code", "endcode", "content-ref", "endcontent-ref", "stepper", "endstepper",
                 "step", "endstep", "endembed", "columns", "endcolumns", "column", "endcolumn", "swagger", "endswagger"}  # fmt: skip


@dataclass
class Page:
    """One Markdown file of the folder."""

    path: Path
    rel: str  # relative to the folder, with /
    kind: str  # "note", "index", "toc"
    index_of: str | None = None  # for an index page: the folder it stands for (relative, "" = the top)


@dataclass
class _Book:
    src: Path
    pages: dict[str, Page] = field(default_factory=dict)  # rel → page
    other_files: list[str] = field(default_factory=list)  # rel paths of files that are not Markdown
    hidden_files: set[str] = field(default_factory=set)  # in hidden folders (.gitbook/assets): only for images
    symlinks: list[str] = field(default_factory=list)

    def find(self, link: str, from_rel: str) -> str | None:
        """The folder-relative path a link in ``from_rel`` points to, if that file exists in the folder.

        GitBook writes links relative to the page; a table of contents may write them from the site's
        root (``/reading-notes/conference/osdi-2022.md``): leading folders that do not exist are dropped."""
        link = urllib.parse.unquote(link.split("#", 1)[0].split("?", 1)[0])
        if not link:
            return None
        if link.startswith("/"):
            parts = [p for p in link.split("/") if p]
            for i in range(len(parts)):
                candidate = posixpath.normpath("/".join(parts[i:]))
                if self._exists(candidate):
                    return candidate
            return None
        candidate = posixpath.normpath(posixpath.join(posixpath.dirname(from_rel), link))
        if candidate.startswith("../"):
            return None
        return candidate if self._exists(candidate) else None

    def _exists(self, rel: str) -> bool:
        return rel in self.pages or rel in self.other_files or rel in self.hidden_files


def scan(src: Path, skip: list[Path]) -> _Book:
    """Every file of the folder, except hidden ones (``.git``, ``.gitbook``) and the folders written to."""
    book = _Book(src)
    skip_resolved = [p.resolve() for p in skip]
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(src):
        here = Path(dirpath)
        hidden = any(part.startswith(".") for part in here.relative_to(src).parts)
        dirnames[:] = sorted(d for d in dirnames if d != ".git" and (here / d).resolve() not in skip_resolved)
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(src).as_posix()
            if hidden or name.startswith("."):
                if not path.is_symlink() and path.suffix.lower() in ASSET_TYPES:
                    book.hidden_files.add(rel)
                continue
            if path.is_symlink():
                book.symlinks.append(rel)
            elif path.suffix.lower() == ".md":
                files.append(rel)
            else:
                book.other_files.append(rel)
    folders = {posixpath.dirname(rel) for rel in files} | {posixpath.dirname(rel) for rel in book.other_files}
    all_dirs = set()
    for folder in folders:
        while folder:
            all_dirs.add(folder)
            folder = posixpath.dirname(folder)
    for rel in files:
        name = posixpath.basename(rel)
        stem = posixpath.splitext(rel)[0]
        if name.lower() == "summary.md" and "/" not in rel:
            book.pages[rel] = Page(src / rel, rel, "toc")
        elif name.lower() in ("readme.md", "index.md"):
            book.pages[rel] = Page(src / rel, rel, "index", posixpath.dirname(rel))
        elif stem in all_dirs:
            book.pages[rel] = Page(src / rel, rel, "index", stem)
        else:
            book.pages[rel] = Page(src / rel, rel, "note")
    return book


# ----------------------------------------------------------------------------------------- notes


def read_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(front-matter, body, body's first line); GitBook's YAML is read leniently if the strict parser refuses it."""
    if not opens_front_matter(text):
        return {}, text, 1
    try:
        fm = parse_front_matter(text)
        return fm.data, fm.body, fm.body_line
    except FrontMatterError as exc:
        span = front_matter_span(text)
        if span is None:
            raise
        start, stop, fence_end = span
        try:
            data = yaml.safe_load(text[start:stop])
        except yaml.YAMLError:
            raise exc from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise
        return {str(k): v for k, v in data.items()}, text[fence_end:].lstrip("\n"), text.count("\n", 0, fence_end) + 2


def _text(value: Any) -> str:
    return "" if value is None else one_line(str(value))


def note_entry(page: Page, book: _Book, importer: Importer) -> tuple[Entry | None, str | None, str, int]:
    """An entry for a note file, or the reason it cannot be one; also the body and its first line."""
    venues = importer.venues
    report = importer.report
    shown = shown_path(page.path, importer.root)
    try:
        text = decode(page.path.read_bytes())
        data, body, body_line = read_front_matter(text)
    except FrontMatterError as exc:
        return None, f"line {exc.line}: {exc.field}: {exc.message}", "", 1
    entry = Entry(title="", source=shown, line=1, stem=posixpath.splitext(posixpath.basename(page.rel))[0])
    dropped = [k for k in data if k not in _FM_FIELDS and k != "description"]
    if dropped:
        report.notice(
            shown,
            1,
            f"front-matter field{'s' if len(dropped) > 1 else ''} {', '.join(map(repr, dropped))} not imported (no such field in this format)",
        )

    # front-matter fields of this format, when the notes already use them
    venue: Venue | None = None
    year: int | None = None
    if data.get("venue") is not None:
        venue, fm_year, name = venues.free(_text(data["venue"]))
        year = fm_year
        if venue is None:
            entry.venue_problem = venues.unknown(name or _text(data["venue"]))
    if data.get("year") is not None:
        y = _text(data["year"])
        year = int(y) if y.isdigit() else year
    entry.title = _text(data.get("title"))
    entry.summary = _text(data.get("summary"))
    entry.topic = _text(data.get("topic")) or None
    entry.added = _text(data.get("added")) or None
    if isinstance(data.get("id"), str):
        entry.stem = data["id"].strip()
    for key in ("status", "level"):
        if isinstance(data.get(key), str):
            setattr(entry, key, data[key].strip().lower())
    if isinstance(data.get("authors"), list):
        entry.authors = [_text(a) for a in data["authors"] if _text(a)]
    elif isinstance(data.get("authors"), str):
        entry.authors = split_authors(data["authors"])
    tags = data.get("tags")
    if isinstance(tags, list):
        entry.tags = [_text(t) for t in tags if _text(t)]
    elif isinstance(tags, str):
        entry.tags = split_hashtags(tags)[0] if "#" in tags else [t.strip() for t in tags.split(",") if t.strip()]
    if isinstance(data.get("related"), list):
        entry.related = [_text(r) for r in data["related"]]
    if isinstance(data.get("links"), dict):
        for kind, value in data["links"].items():
            if isinstance(value, str | int | float):
                entry.links.setdefault(str(kind), str(value).strip())
    description = data.get("description")
    if isinstance(description, str):
        tags_found, sentence = split_hashtags(description)
        entry.tags += tags_found
        if sentence and not entry.summary:
            entry.summary = sentence

    # the body: title heading, meta lines
    lines = body.split("\n")
    title_index: int | None = None
    presented: tuple[Venue | None, int | None, str] | None = None
    presented_text = ""
    for i, line in outside_code(lines):
        m = _H1.match(line)
        if m and title_index is None:
            title_index = i
            if not entry.title:
                entry.title = plain_text(m.group("title"))
                entry.line = body_line + i
            continue
        m = _PRESENTED.search(line)
        if m and presented is None:
            rest = m.group("rest")
            links = list(_LINK_OR_IMAGE.finditer(rest))
            venue_text = plain_text(links[0].group("text")) if links else plain_text(rest).rstrip(".")
            presented = venues.free(venue_text)
            presented_text = venue_text
            for link in links:
                url = link.group("url").strip("<>")
                if safe_http_url(url):
                    entry.add_link("paper", url)
                    break
            continue
        m = _LABEL_LINE.match(line)
        if m:
            label, value = m.group("label").lower(), m.group("value")
            if label.startswith("author"):
                if not entry.authors:
                    entry.authors = split_authors(plain_text(value))
                continue
            urls = [lm.group("url").strip("<>") for lm in _LINK_OR_IMAGE.finditer(value)] + _URL.findall(value)
            url = next((u for u in urls if safe_http_url(u)), None)
            kind = {"pdf": "paper", "arxiv": "paper", "doi": "paper"}.get(label, label)
            if url:
                entry.add_link(kind, url)
            elif label == "arxiv" and re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", plain_text(value)):
                entry.links.setdefault("arxiv", plain_text(value))
            elif label == "doi" and plain_text(value).startswith("10."):
                entry.links.setdefault("doi", plain_text(value))
    if title_index is not None:
        del lines[title_index]
    body = "\n".join(lines).strip("\n")

    # a title prefix "[2021 OSDI] Pollux: …"
    prefix: tuple[Venue | None, int | None] = (None, None)
    m = _TITLE_PREFIX.match(entry.title)
    if m:
        pv, py, _ = venues.short(m.group("tag"))
        if pv is not None or py is not None:
            prefix = (pv, py)
            entry.title = m.group("title").strip()

    # venue and year: front-matter, folder, "Presented in", title prefix
    folder_venue, folder_year, unknown = venues.from_parts(page.rel.split("/")[:-1])
    if folder_venue is None and unknown:
        folder_venue = _venue_of_index(book, page.rel, importer)
    candidates = [(venue, year), (folder_venue, folder_year), (presented[0], presented[1]) if presented else (None, None), prefix]
    entry.venue = next((v for v, _ in candidates if v is not None), None)
    entry.year = next((y for _, y in candidates if y is not None), None)
    if entry.venue is None and importer.new_venues is not None:  # a full venue name the registry lacks
        for text in (_text(data.get("venue")), presented_text):
            new = importer.new_venues.find(text, journal=False) if text else None
            if new is not None:
                entry.venue, entry.venue_problem = new, None
                break
    if entry.venue is None and entry.venue_problem is None:
        if unknown:
            entry.venue_problem = venues.unknown(unknown) + f" (from the folder {posixpath.dirname(page.rel)}/)"
        elif presented and presented[2]:
            entry.venue_problem = venues.unknown(presented[2]) + " (from the 'Presented in' line)"
        else:
            entry.venue_problem = "no venue: not in the front-matter, the folder names, a 'Presented in' line or a [OSDI 2022] title prefix"
    if not entry.title:
        return None, "no title: no '# ' heading and no 'title:' in the front-matter", body, body_line
    entry.body = body
    return entry, None, body, body_line


def _edition_page(page: Page, importer: Importer) -> bool:
    """A single-file edition page: its name (``osdi-2023.md``) and its heading (``# OSDI 2023``) name
    the same venue and year, so it lists that edition's papers rather than being a paper's note."""
    parts = posixpath.splitext(page.rel)[0].split("/")
    venue, year, _ = importer.venues.from_parts(parts)
    if venue is None or year is None or not re.search(r"(?:19|20)\d\d$", parts[-1]):
        return False
    heading = _first_heading(decode(page.path.read_bytes()))
    if not heading:
        return False
    h_venue, h_year, _ = importer.venues.short(heading)
    return h_venue is not None and h_venue.key == venue.key and h_year == year


def _venue_of_index(book: _Book, rel: str, importer: Importer) -> Venue | None:
    """The venue named by the heading of an index page above the note (``# IEEE Transactions on …``)."""
    folder = posixpath.dirname(rel)
    while folder:
        for page in book.pages.values():
            if page.kind == "index" and page.index_of == folder:
                heading = _first_heading(decode(page.path.read_bytes()))
                if heading:
                    venue = importer.venues.free(heading)[0]
                    if venue is not None:
                        return venue
        folder = posixpath.dirname(folder)
    return None


def _first_heading(text: str) -> str | None:
    _, body, _ = read_front_matter(text)
    for line in body.split("\n"):
        m = _H1.match(line)
        if m:
            return plain_text(m.group("title"))
    return None


# ------------------------------------------------------------------------------------------ body


@dataclass
class BodyContext:
    """What converting one note's body needs to know."""

    book: _Book
    page_rel: str  # the note in the folder
    page_uri: str  # its page in the site: papers/osdi/2022/orca.md
    targets: dict[str, str]  # folder rel of a note → its page in the site
    index_uris: dict[str, str]  # folder rel of an index page → its generated page in the site
    docs_dir: Path
    report: Report
    source: str
    first_line: int
    copied: set[str] = field(default_factory=set)  # folder rel of files copied (or that would be)


def convert_body(body: str, ctx: BodyContext) -> str:
    """GitBook Markdown → the Markdown MkDocs renders, with links and images pointing at their new places."""
    out: list[str] = []
    in_fence = False
    hint_indent = ""
    for i, line in enumerate(body.split("\n")):
        lineno = ctx.first_line + i
        if CODE_FENCE.match(line):
            in_fence = not in_fence
            out.append(hint_indent + line if line.strip() else line)
            continue
        if in_fence:
            out.append(hint_indent + line if line.strip() else line)
            continue
        line = line.replace("&#x20;", " ").replace("&nbsp;", " ")
        pieces: list[str] = []
        pos = 0
        for m in _GITBOOK_TAG.finditer(line):
            pieces.append(line[pos : m.start()])
            pos = m.end()
            name, args = m.group("name"), {a.group("key"): a.group("value") for a in _ATTR.finditer(m.group("args"))}
            if name == "hint":
                style = _HINT_STYLES.get(args.get("style", "info"), "note")
                pieces.append(f"\n!!! {style}\n\n")
                hint_indent = "    "
            elif name == "endhint":
                hint_indent = ""
                pieces.append("\n")
            elif name == "embed":
                url = args.get("url", "")
                pieces.append(f"<{url}>" if safe_http_url(url) else "")
            elif name == "tab":
                pieces.append(f"**{args.get('title', '')}**" if args.get("title") else "")
            elif name in _DROPPED_TAGS:
                pass
            else:
                ctx.report.notice(ctx.source, lineno, f"GitBook block {{% {name} %}} has no equivalent here: left out (its text is kept)")
        pieces.append(line[pos:])
        text = "".join(pieces)
        text = _convert_html_images(text)
        text = _LINK_OR_IMAGE.sub(partial(_rewrite_link, ctx=ctx, lineno=lineno), text)
        for part in text.split("\n"):
            out.append(hint_indent + part if part.strip() and hint_indent and not part.startswith("!!! ") else part)
    result = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", result).strip("\n")


def _convert_html_images(text: str) -> str:
    """GitBook's ``<figure><img src="…" alt="…"><figcaption>…</figcaption></figure>`` → ``![alt](src)``."""
    if "<" not in text:
        return text

    def image(m: re.Match[str]) -> str:
        attrs = {a.group("key").lower(): a.group("value") for a in _HTML_ATTR.finditer(m.group("attrs"))}
        src = attrs.get("src", "")
        return f"![{attrs.get('alt', '')}]({src})" if src else ""

    text = _IMG.sub(image, text)
    text = re.sub(r"</?figure[^>]*>", "", text, flags=re.IGNORECASE)
    text = re.sub(
        r"<figcaption>(.*?)</figcaption>",
        lambda m: f"\n\n*{plain_text(m.group(1))}*" if plain_text(m.group(1)) else "",
        text,
        flags=re.IGNORECASE,
    )
    return text


def _rewrite_link(m: re.Match[str], ctx: BodyContext, lineno: int) -> str:
    bang, text, url = m.group("bang"), m.group("text"), m.group("url").strip("<>").strip()
    is_image = bang == "!"
    what = "image" if is_image else "link"
    if url.startswith("#") or not url:
        return m.group(0)
    scheme = urllib.parse.urlsplit(url).scheme.lower() if ":" in url.split("/", 1)[0] else ""
    if scheme in ("http", "https"):
        if is_image:
            ctx.report.notice(
                ctx.source, lineno, f"image {url} is on another site: turned into a link (the site loads nothing from third parties)"
            )
            return f"[{text or 'image'}]({url})"
        return m.group(0)
    if scheme == "mailto" and not is_image:
        return m.group(0)
    if scheme:
        ctx.report.notice(ctx.source, lineno, f"{what} {url!r} is not an http(s) address: kept as text")
        return text
    anchor = "#" + url.split("#", 1)[1] if "#" in url else ""
    target = ctx.book.find(url, ctx.page_rel)
    if target is None:
        outside = _outside_file(url, ctx)
        if outside is not None:
            ctx.report.notice(ctx.source, lineno, f"{what} {url} is outside the imported folder ({outside}): not copied "
                              "(import the folder that holds it too): kept as text")  # fmt: skip
            return text if not is_image else f"(image not imported: `{url.replace('`', '')}`)"
        if is_image:
            ctx.report.notice(ctx.source, lineno, f"missing image {url}: kept as text")
            return f"(image not found: `{url.replace('`', '')}`)"
        ctx.report.notice(ctx.source, lineno, f"link to {url}, which is not in the folder: kept as text")
        return text
    base = posixpath.dirname(ctx.page_uri)
    if target in ctx.targets:
        return f"{bang}[{text}]({posixpath.relpath(ctx.targets[target], base)}{anchor})"
    if target in ctx.index_uris:
        return f"{bang}[{text}]({posixpath.relpath(ctx.index_uris[target], base)})"
    if target in ctx.book.pages:
        ctx.report.notice(ctx.source, lineno, f"link to {url}, which is not imported as a page: kept as text")
        return text
    ext = posixpath.splitext(target)[1].lower()
    if ext not in ASSET_TYPES:
        ctx.report.notice(ctx.source, lineno, f"{what} to {url}: {ext or 'this'} files are not copied: kept as text")
        return text
    uri = _copy_asset(target, ctx, lineno)
    return f"{bang}[{text}]({posixpath.relpath(uri, base)})"


def _outside_file(url: str, ctx: BodyContext) -> str | None:
    """The folder a relative link leads to when it names an existing file outside the imported folder
    (``../../.gitbook/assets/x.png`` from a sub-folder of a GitBook space); it is never read."""
    link = urllib.parse.unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not link or link.startswith("/"):
        return None
    src = ctx.book.src.resolve()
    path = (src / posixpath.dirname(ctx.page_rel) / link).resolve()
    if path.is_relative_to(src) or not path.is_file():
        return None
    return os.path.relpath(path.parent, src.parent)


def _copy_asset(target: str, ctx: BodyContext, lineno: int) -> str:
    """Copy an image or PDF of the folder to ``docs/assets/imported/`` (a name with its content's hash)."""
    path = ctx.book.src / target
    data = path.read_bytes()
    stem, ext = posixpath.splitext(posixpath.basename(target))
    safe = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").lower() or "file"
    name = f"{safe[:50]}-{hashlib.sha256(data).hexdigest()[:8]}{ext.lower()}"
    dest = ctx.docs_dir / ASSET_FOLDER / name
    ctx.copied.add(target)
    if not ctx.report.dry_run and not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    return f"{ASSET_FOLDER}/{name}"


# ---------------------------------------------------------------------------------- index pages


def read_facts(text: str) -> tuple[EditionFacts, str, set[int]]:
    """An edition page's facts ("Homepage: …", "Location: …", [Accepted papers](…)), its text without
    them, and the lines (0-based) that held them."""
    values: dict[str, str] = {}
    fact_lines: set[int] = set()
    for i, line in enumerate(text.split("\n")):
        m = _FACT_LINE.match(line)
        if m:
            key = _FACT_KEYS[m.group("label").lower()]
            value = m.group("value")
            if key in ("homepage", "papers_url"):
                urls = [lm.group("url").strip("<>") for lm in _LINK_OR_IMAGE.finditer(value)] + _URL.findall(value)
                url = next((u for u in urls if safe_http_url(u)), None)
                if url:
                    values.setdefault(key, url)
                    fact_lines.add(i)
            elif plain_text(value):
                values.setdefault(key, plain_text(value))
                fact_lines.add(i)
            continue
        for lm in _LINK_OR_IMAGE.finditer(line):
            label = plain_text(lm.group("text")).casefold()
            url = lm.group("url").strip("<>")
            link_key = {"homepage": "homepage", "website": "homepage", "accepted papers": "papers_url", "program": "papers_url"}.get(label)
            if link_key and safe_http_url(url) and plain_text(_LINK_OR_IMAGE.sub("", line)).strip(" -*|·") == "":
                values.setdefault(link_key, url)
                fact_lines.add(i)
    kept = "\n".join(line for i, line in enumerate(text.split("\n")) if i not in fact_lines)
    return EditionFacts(**values), kept, fact_lines


def _prose(text: str) -> str:
    """What an edition page says besides its title, facts and lists: kept for the edition's page."""
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if CODE_FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and (_H1.match(line) or re.match(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+", line)):
            continue
        out.append(line)
    kept: list[str] = []
    for i, line in enumerate(out):  # a heading with nothing under it (its list is gone) goes too
        m = re.match(r"^(#{2,6})\s", line)
        if m:
            rest = [ln for ln in out[i + 1 :] if ln.strip()]
            following = re.match(r"^(#{1,6})\s", rest[0]) if rest else None
            if not rest or (following and len(following.group(1)) <= len(m.group(1))):
                continue
        kept.append(line)
    prose = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return "" if not re.search(r"\w", re.sub(r"^#+.*$", "", prose, flags=re.MULTILINE)) else prose


# ------------------------------------------------------------------------------------------- run


def run_import_notes(src: Path, out: Path, dry_run: bool, docs_dir: Path | None = None, *, merge: bool = False) -> tuple[Report, str]:
    """Import a notes folder; returns the report and its closing summary line."""
    root = Path.cwd()
    docs_dir = docs_dir if docs_dir is not None else out.resolve().parent / "docs"
    report = Report(dry_run)
    importer = Importer(out, root, report, merge=merge)
    venues = importer.venues
    book = scan(src, [out, docs_dir])
    for rel, page in book.pages.items():  # osdi-2023.md with no osdi-2023/ folder: one page lists the edition
        if page.kind == "note" and _edition_page(page, importer):
            page.kind, page.index_of = "index", posixpath.splitext(rel)[0]
    stats = ListStats()
    source_of = {rel: shown_path(page.path, root) for rel, page in book.pages.items()}

    for rel in book.symlinks:
        report.outcome(shown_path(src / rel, root), 1, "skipped", "a symbolic link (only real files are imported)")

    # 1. notes: decide where each goes (duplicates and problems are reported here)
    plans: dict[str, Plan] = {}
    bodies: dict[str, tuple[str, int]] = {}
    for rel, page in book.pages.items():
        if page.kind != "note":
            continue
        entry, why, body, body_line = note_entry(page, book, importer)
        if entry is None:
            report.outcome(source_of[rel], 1, "not imported", why or "not a note")
            continue
        plan = importer.plan(entry)
        if plan is not None:
            plans[rel] = plan
            bodies[rel] = (entry.body, body_line)

    # 2. index pages: edition facts, and the papers they list without a note
    index_uris: dict[str, str] = {}
    for rel, page in book.pages.items():
        if page.kind == "note":
            continue
        shown = source_of[rel]

        def covered(link: str, at: str = rel) -> bool:
            return book.find(link, at) is not None

        text = decode(page.path.read_bytes())
        _, body, body_line = read_front_matter(text)
        body = "\n" * (body_line - 1) + body  # so that the list's line numbers are the file's
        if page.kind == "toc":
            roots = read_items(body)
            before = stats.entries
            import_items(roots, shown, importer, stats, ListOptions(topics=False, pages_nest=True, only_linked=True, covered=covered))
            report.outcome(
                shown,
                1,
                "skipped",
                f"the table of contents: the {stats.entries - before} listed page(s) with no file in the folder are read as paper entries",
            )
            continue
        folder = page.index_of or ""
        venue, year, _ = venues.from_parts(folder.split("/") if folder else [])
        if venue is not None and year is not None:
            index_uris[rel] = urls.source_uri(urls.edition_url(venue, year))
            facts, kept, _ = read_facts(body)
            importer.add_edition(venue, year, facts, shown, 1)
            before = stats.entries
            import_items(read_items(kept), shown, importer, stats, ListOptions(base=Context(venue, year), covered=covered))
            listed = stats.entries - before
            prose = _prose(kept)
            if prose:
                _write_edition_text(prose, venue, year, docs_dir, report, shown)
            report.outcome(
                shown,
                1,
                "skipped",
                f"the index page of {venue.key} {year}: read for its facts"
                + (f" and {listed} listed paper(s) without a note" if listed else ""),
            )
        else:
            # a venue's page or a section's: papers it links to without a note are entries too
            before = stats.entries
            import_items(
                read_items(body), shown, importer, stats, ListOptions(base=Context(venue, year), only_linked=True, covered=covered)
            )
            listed = stats.entries - before
            also = f"; {listed} listed paper(s) without a note read" if listed else ""
            if venue is not None:
                index_uris[rel] = urls.source_uri(urls.venue_url(venue))
                report.outcome(shown, 1, "skipped", f"the index page of {venue.key} (no year): not a note{also}")
            else:
                report.outcome(shown, 1, "skipped", f"an index page with no venue and year of its own: not a note{also}")

    # 3. write the notes, with links to each other pointing at their new places
    targets = {rel: "papers/" + plan.rel_path for rel, plan in plans.items()}
    copied: set[str] = set()
    for rel, plan in plans.items():
        body, first_line = bodies[rel]
        ctx = BodyContext(book, rel, targets[rel], targets, index_uris, docs_dir, report, source_of[rel], first_line)
        converted = convert_body(plan.entry.body, ctx)
        copied |= ctx.copied
        importer.commit(plan, converted)

    for rel in book.other_files:
        if rel not in copied:
            report.outcome(
                shown_path(src / rel, root),
                1,
                "skipped",
                "not a Markdown note" + (" (an image no imported note uses)" if posixpath.splitext(rel)[1].lower() in ASSET_TYPES else ""),
            )
    if copied:
        verb = "would copy" if dry_run else "copied"
        report.notice(
            shown_path(src, root),
            0,
            f"{verb} {len(copied)} image/PDF file(s) that notes use to {shown_path(docs_dir / ASSET_FOLDER, root)}/",
        )
    importer.finish()
    files = len(book.pages) + len(book.other_files) - len(copied & set(book.other_files)) + len(book.symlinks)
    unit = f"inputs ({files} files, {stats.entries} list entries of index pages)"
    return report, report.summary(shown_path(src, root), unit)


def _write_edition_text(prose: str, venue: Venue, year: int, docs_dir: Path, report: Report, shown: str) -> None:
    """An edition page's own text goes above the generated page: docs/venues/<venue>/<year>/index.md."""
    target = docs_dir / "venues" / venue.slug / str(year) / "index.md"
    where = shown_path(target, Path.cwd())
    if target.exists():
        if target.read_text(encoding="utf-8", errors="replace").strip() != prose.strip():
            report.notice(shown, 1, f"{where} exists: the page's text is not copied there")
        return
    if report.dry_run:
        report.notice(shown, 1, f"would write the page's text to {where} (shown above the generated edition page)")
        return
    write_file(target, prose + "\n")
    report.notice(shown, 1, f"wrote the page's text to {where} (shown above the generated edition page)")
