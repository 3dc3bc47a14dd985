"""User-derived text in a log line or a GitHub workflow command: one line, and no command in it.

GitHub Actions reads a job's output line by line (a line ends at LF, CR or CR LF) and runs
``::command props::data`` at the start of a line (after leading spaces) and ``##[command]data``
anywhere in one. A field name, file name or mapping key of a note can hold any of these, so every
message printer (``notes check``, the MkDocs plugin's warnings, the importers' reports) writes
user-derived text through ``log_safe``: controls become visible escapes (``\\n``, ``\\x1b``), a
``::`` that would start the line and every ``##[`` are defused; in a workflow command, the text is
then escaped the way the runner unescapes it (data: ``%`` ``\\r`` ``\\n``; properties: also ``:`` ``,``).
"""

from __future__ import annotations

import json
from typing import Literal

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# every C0/C1 control and DEL, and the Unicode line and paragraph separators
_ESCAPES = {
    code: _NAMED.get(chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}
_DATA = {ord("%"): "%25", ord("\r"): "%0D", ord("\n"): "%0A"}
_PROPERTY = {**_DATA, ord(":"): "%3A", ord(","): "%2C"}

Part = Literal["line", "data", "property"]


def log_safe(text: str, part: Part = "line") -> str:
    """``text`` made safe to print: as (the start of) a log line, or as a workflow command's data or property value."""
    text = text.translate(_ESCAPES).replace("##[", "##\\x5b")
    stripped = text.lstrip()
    if stripped.startswith("::"):
        text = text[: len(text) - len(stripped)] + "\\x3a" + stripped[1:]
    if part == "line":
        return text
    return text.translate(_DATA if part == "data" else _PROPERTY)


_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), 0x2028, 0x2029)}


def json_dump(data: object) -> str:
    """``data`` as indented JSON that decodes to exactly ``data`` and holds no workflow command either:
    JSON escapes the controls that end a line; ``##[`` and the other line breaks are written as ``\\uXXXX``."""
    text = json.dumps(data, ensure_ascii=False, indent=2)  # outside strings there is no '#', so '##[' is in one
    return text.translate(_JSON_ESCAPES).replace("##[", "##\\u005b")
