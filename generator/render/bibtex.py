"""BibTeX out: one entry per paper, the "Cite" block of a paper page, and the site's ``.bib`` files.

An entry is built from the note (title, authors, venue, year, links, tags); a ``<note>.bib`` beside
the note (written by ``notes import-bib``, or by hand; read while loading: load/sidecar.py) adds its
entry type and the fields a note has no place for (pages, volume, publisher …). Every value goes through ``tex.text_to_tex``, so no note
can close a field, add a field or start an entry: each exported file parses back with bibtexparser
with no failed block.

A paper's citekey is the key of its ``.bib`` sidecar's entry, so a key imported from Zotero or Better
BibTeX (``yuOrcaDistributedServing2022``) stays the one people already cite; two papers with the same
kept key are a problem. A paper without one gets a generated key like ``yu2022orca`` (first author's
last name, year, first word of the title), made unique across the site deterministically: papers
sharing a key are ordered by id and all but the first get ``_2``, ``_3`` …, and no generated key
takes a kept one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from collections import defaultdict

from bibtexparser.middlewares.names import parse_single_name_into_parts

from generator import urls
from generator.load.bibparse import MONTHS
from generator.load.sidecar import EXTRA_FIELDS, kept_citekey
from generator.load.tex import closing_delimiter, tex_to_text, text_to_tex, visible
from generator.model import Catalog, Paper
from generator.render.pages import Asset, RenderContext, paper_tags, render_template

VERBATIM_FIELDS = ("doi", "url", "eprint")
_JR = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_STOP_WORDS = {"a", "an", "the", "on", "in", "of", "for", "to", "and", "with", "towards", "toward", "via",
               "at", "by", "from", "is", "are", "do", "does", "how", "why", "what", "when", "can", "not"}  # fmt: skip
_MONTH_KEYS = {v.casefold(): k for k, v in MONTHS.items()} | {k: k for k in MONTHS}
# how a note says its author list is cut short: a last entry "et al." / "others", or "… et al." on the last name
_ET_AL = re.compile(r"(?i)^(?:and\s+)?(?:et\.?\s*al\.?|others)$")
_ET_AL_SUFFIX = re.compile(r"(?i)\s+et\.?\s*al\.?$")
# keywords are written as plain text (a reference manager imports "\_" literally) when they hold
# only what a tag may hold; anything else is escaped like every other field
_PLAIN_KEYWORDS = re.compile(r"[\w ,+#.\-]*")


# ------------------------------------------------------------------------------------ values


def listed_authors(authors: tuple[str, ...] | list[str]) -> tuple[list[str], bool]:
    """The names a note lists, and whether it says the list goes on ("…, Ion Stoica, et al.")."""
    names = list(authors)
    truncated = False
    if names and _ET_AL.match(names[-1].strip()):
        names.pop()
        truncated = True
    elif names and _ET_AL_SUFFIX.search(names[-1]):
        names[-1] = _ET_AL_SUFFIX.sub("", names[-1])
        truncated = True
    return [n for n in names if n.strip()], truncated


def plain_keywords(value: str) -> str:
    """A keywords value as plain text when that is safe (no brace, backslash or other TeX), else escaped."""
    value = " ".join(value.split())
    return value if _PLAIN_KEYWORDS.fullmatch(value) else text_to_tex(value)


def verbatim_value(text: str) -> str:
    """A URL, DOI or arXiv id as BibTeX verbatim text: only braces, backslashes and spaces encoded."""
    text = re.sub(r"[\x00-\x20\x7f-\x9f]+", "", text)
    return text.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def verbatim_text(value: str) -> str:
    """The inverse of ``verbatim_value``, tolerant of what other tools write (``\\_``, ``\\url{…}``)."""
    value = value.strip()
    value = _unwrap_url_command(value)
    value = re.sub(r"\\([_%#&$~])", r"\1", value)
    value = value.replace("\\textasciitilde{}", "~").replace("\\textasciitilde", "~")
    value = value.replace("{", "").replace("}", "")
    value = re.sub(r"\s+", "", value)
    return value.replace("%5C", "\\").replace("%7B", "{").replace("%7D", "}")


_URL_COMMAND = re.compile(r"\\(?:url|href|path)\s*\{")


def _unwrap_url_command(value: str) -> str:
    """``\\url{X}`` or ``\\href{X}{text}`` → ``X``: the first ``}`` after which only ``{…}`` or
    nothing follows (a linear scan: the regex that said this backtracked quadratically)."""
    m = _URL_COMMAND.match(value)
    if m is None:
        return value
    last = len(value) - 1
    i = value.find("}", m.end())
    while i != -1:
        if i == last or (i + 1 < last and value[i + 1] == "{" and value[last] == "}"):
            return value[m.end() : i]
        i = value.find("}", i + 1)
    return value


@functools.lru_cache(maxsize=65536)  # a lab's notes name the same people again and again
def encode_name(name: str) -> str:
    """A person's name as BibTeX reads it back exactly: ``von Last, Jr, First`` or ``{Whole Name}``."""
    name = visible(name)
    tokens = name.split(" ")
    parts: tuple[list[str], list[str], list[str]] = ([], [], [])  # first, von+last, jr
    if len(tokens) >= 3 and tokens[-1].casefold() in _JR:
        parts[2].append(tokens.pop())
    if len(tokens) >= 2:
        last_start = len(tokens) - 1
        while last_start > 0 and tokens[last_start - 1][:1].islower():
            last_start -= 1
        parts[0].extend(tokens[:last_start])
        parts[1].extend(tokens[last_start:])
        pieces = [" ".join(parts[1])] + ([" ".join(parts[2])] if parts[2] else []) + ([" ".join(parts[0])] if parts[0] else [])
        candidate = ", ".join(text_to_tex(p) for p in pieces) if len(pieces) > 1 else text_to_tex(pieces[0])
    else:
        candidate = text_to_tex(name)
    if _needs_group(name) or decode_names(candidate) != [name]:
        return "{" + text_to_tex(name) + "}"
    return candidate


_ORGANIZATION = re.compile(
    r"(?i)\b(team|corporation|corp\.?|inc\.?|ltd\.?|llc|labs?|laboratory|consortium|collaboration|"
    r"group|project|foundation|institute|university|association|committee|community|contributors)\b"
)


def _needs_group(name: str) -> bool:
    """Names BibTeX must not split into first and last: "Gemini Team", "NVIDIA Corporation"."""
    return bool(re.search(r"(?i)(^|\s)and(\s|$)|,", name) or _ORGANIZATION.search(name)) or name.casefold() == "others"


def decode_names(value: str) -> list[str]:
    """``Yu, Gyeong-In and {{Google}} and others`` → ``["Gyeong-In Yu", "Google"]``."""
    names: list[str] = []
    for raw in split_names(value):
        if raw.casefold() == "others":
            continue  # "and others" means "et al."
        if raw.startswith("{") and closing_delimiter(raw, 0) == len(raw) - 1:
            names.append(tex_to_text(raw))  # {Google}, {Simon and Schuster}: one name as written
            continue
        try:
            parts = parse_single_name_into_parts(raw, strict=False)
            merged = " ".join(" ".join(p) for p in (parts.first, parts.von, parts.last, parts.jr) if p)
        except Exception:  # any error: a name bibtexparser cannot split is kept as written
            merged = raw
        text = tex_to_text(merged)
        if text:
            names.append(text)
    return names


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)  # between two names of an author field


def split_names(value: str) -> list[str]:
    """The names of an author field: split at " and " outside braces (any case, any whitespace)."""
    names: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and ch.isspace():
            m = _AND.match(value, i)
            if m:
                names.append(value[start:i])
                start = i = m.end()
                continue
        i += 1
    names.append(value[start:])
    return [name.strip() for name in names if name.strip()]


def format_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry; ``fields`` hold plain text, encoded here (verbatim fields and month specially)."""
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields:
        if not value:
            continue
        if name in VERBATIM_FIELDS:
            encoded = "{" + verbatim_value(value) + "}"
        elif name == "month" and value.casefold() in _MONTH_KEYS:
            encoded = _MONTH_KEYS[value.casefold()]
        elif name == "pages":
            encoded = "{" + "--".join(text_to_tex(p.strip()) for p in re.split(r"\s*(?:-+|–|—)\s*", value)) + "}"
        elif name == "author":
            encoded = "{" + value + "}"  # already encoded by encode_name
        elif name == "keywords":
            encoded = "{" + plain_keywords(value) + "}"
        elif name == "title":
            encoded = "{{" + text_to_tex(value) + "}}"  # inner braces keep the title's capitals
        else:
            encoded = "{" + text_to_tex(value) + "}"
        lines.append(f"  {name} = {encoded},")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ citekeys


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in folded if not unicodedata.combining(c)).lower())


def base_citekey(paper: Paper) -> str:
    """``yu2022orca``: first author's last name, year, first meaningful word of the title."""
    author = ""
    if paper.authors:
        tokens = paper.authors[0].split()
        while len(tokens) > 1 and tokens[-1].casefold() in _JR:
            tokens.pop()
        author = _ascii_word(tokens[-1]) if tokens else ""
    author = author or _ascii_word(paper.venue.key) or "paper"
    word = ""
    for candidate in re.split(r"[^\w]+", paper.title):
        folded = _ascii_word(candidate)
        if folded and folded not in _STOP_WORDS and not folded.isdigit():
            word = folded
            break
    return f"{author}{paper.year}{word}"


def citekeys(catalog: Catalog) -> dict[str, str]:
    """Paper id → citekey, unique across the site and the same on every build of the same notes
    (a rendering computes it once: ``ctx.index(citekeys)``)."""
    keys: dict[str, str] = {}
    taken: set[str] = set()  # BibTeX tools compare keys without case
    generated: dict[str, list[Paper]] = defaultdict(list)
    for paper in sorted(catalog.papers, key=lambda p: (p.id, p.path)):
        kept = kept_citekey(paper)
        if kept and kept.casefold() not in taken:
            keys[paper.id] = kept
            taken.add(kept.casefold())
        else:  # none kept, or a collision (a problem, see citekey_problems): the build still gives one
            generated[base_citekey(paper)].append(paper)
    for base, members in generated.items():
        n = 1
        for paper in members:
            while (key := base if n == 1 else f"{base}_{n}").casefold() in taken:
                n += 1
            keys[paper.id] = key
            taken.add(key.casefold())
    return keys


# ------------------------------------------------------------------------------------ entries


def paper_entry(paper: Paper, key: str, tags: list[str] | None = None) -> str:
    """The paper's BibTeX entry: the note's facts, plus what its ``.bib`` sidecar adds."""
    extra = dict(paper.bibtex.fields) if paper.bibtex else {}
    kind = paper.venue.kind
    entry_type = paper.bibtex.entry_type if paper.bibtex else {
        "conference": "inproceedings", "workshop": "inproceedings", "journal": "article",
        "preprint": "misc", "report": "techreport",
    }[kind]  # fmt: skip
    links = {link.kind: link for link in paper.links}
    doi = _link_id(links.get("doi"), "https://doi.org/")
    arxiv = _link_id(links.get("arxiv"), "https://arxiv.org/abs/")
    if not any(k in extra for k in ("booktitle", "journal", "institution", "howpublished", "school", "publisher")):
        container = {"inproceedings": "booktitle", "article": "journal", "techreport": "institution",
                     "misc": "howpublished"}.get(entry_type, "howpublished")  # fmt: skip
        if kind == "preprint" and arxiv:
            extra[container] = f"{paper.venue.name} arXiv:{arxiv}" if paper.venue.key == "arXiv" else paper.venue.name
        else:
            extra[container] = paper.venue.name
    names, truncated = listed_authors(paper.authors)
    author = " and ".join([encode_name(a) for a in names] + (["others"] if truncated and names else []))
    fields: list[tuple[str, str]] = [("title", paper.title), ("author", author)]
    fields += [(name, extra[name]) for name in EXTRA_FIELDS if name in extra and name != "primaryclass"]
    fields.append(("year", str(paper.year)))
    fields.append(("doi", doi or ""))
    fields.append(("url", links["paper"].url if "paper" in links else ""))
    if arxiv:
        fields += [("eprint", arxiv), ("archiveprefix", "arXiv"), ("primaryclass", extra.get("primaryclass", ""))]
    if tags:
        fields.append(("keywords", ", ".join(tags)))
    return format_entry(entry_type, key, fields)


def _link_id(link: object, prefix: str) -> str | None:
    url = getattr(link, "url", None)
    if not url or not url.startswith(prefix):
        return None
    return urllib.parse.unquote(url[len(prefix) :])


def catalog_entry(paper: Paper, ctx: RenderContext) -> str:
    """The paper's entry with its site citekey and tags, built once per rendering (it is in up to a dozen .bib files)."""
    cache_key = ("bibtex", paper.id)
    if cache_key not in ctx.fragments:
        key = ctx.index(citekeys)[paper.id]
        ctx.fragments[cache_key] = paper_entry(paper, key, [t.name for t in paper_tags(paper, ctx.catalog)])
    return ctx.fragments[cache_key]


def catalog_bib(papers: list[Paper], ctx: RenderContext) -> str:
    """The entries of ``papers``, ordered by citekey."""
    keys = ctx.index(citekeys)
    ordered = sorted(papers, key=lambda p: keys[p.id])
    return "\n".join(catalog_entry(p, ctx) for p in ordered)


def bib_assets(ctx: RenderContext) -> list[Asset]:
    """papers.bib, and one .bib per venue, venue-year and tag page."""
    catalog = ctx.catalog
    assets = [Asset(urls.ALL_BIB, catalog_bib(catalog.papers, ctx))]
    for index in catalog.venues:
        assets.append(Asset(urls.venue_bib(index.venue), catalog_bib([p for e in index.editions for p in e.papers], ctx)))
        for edition in index.editions:
            assets.append(Asset(urls.edition_bib(index.venue, edition.year), catalog_bib(edition.papers, ctx)))
    for tag_index in catalog.tags:
        assets.append(Asset(urls.tag_bib(tag_index.tag), catalog_bib(tag_index.papers, ctx)))
    return assets


def cite_section(paper: Paper, ctx: RenderContext, page_url: str) -> str:
    """The "Cite" block below a paper's notes: its BibTeX entry and a copy button (cite.js)."""
    key = ctx.index(citekeys).get(paper.id)
    if key is None:
        return ""
    entry = catalog_entry(paper, ctx)
    return render_template("cite.md.j2", page_url, ctx, paper=paper, citekey=key, bibtex=entry.rstrip("\n"))


def explorer_record(paper: Paper, ctx: RenderContext) -> dict[str, str]:
    """The citekey in papers.json, so the explorer can pick entries out of papers.bib."""
    key = ctx.index(citekeys).get(paper.id)
    return {"citekey": key} if key else {}
