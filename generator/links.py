"""What a link in a note may be: only http(s) URLs, and DOI / arXiv ids turned into such URLs."""

from __future__ import annotations

import re
import urllib.parse

MAX_URL_LENGTH = 2000
_HTTP = re.compile(r"^https?://[^\s/?#@]+(?:[/?#]|$)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def safe_http_url(value: object) -> str | None:
    """The URL if it is a plain http(s) URL with a host, else None.

    Anything a browser would strip or fold before reading the scheme (spaces, tabs, newlines,
    invisible characters) makes the URL invalid rather than being cleaned up, so what passes here
    is exactly what the browser sees.
    """
    if not isinstance(value, str) or len(value) > MAX_URL_LENGTH:
        return None
    if _INVISIBLE.search(value) or not _HTTP.match(value):
        return None
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def doi_url(doi: str) -> str:
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/:;()._-")


def arxiv_url(arxiv_id: str) -> str:
    return "https://arxiv.org/abs/" + urllib.parse.quote(arxiv_id, safe="/._-")
