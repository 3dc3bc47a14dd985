"""Split a note into front-matter and body, and parse the front-matter strictly.

MkDocs silently ignores broken front-matter and publishes it as text; this module reports it instead.
The YAML is parsed with libyaml (``CParser``) when available and a resolver that only knows plain
JSON-like scalars, so ``yes``, ``NO``, ``2021-01-01`` and ``0777`` stay strings instead of changing type.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

try:  # libyaml: about 5x faster than the pure-Python parser
    from yaml._yaml import CParser as _Parser

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    LIBYAML = False
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_DEPTH = 8
MAX_FRONT_MATTER_BYTES = 64 * 1024
_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)  # searched for in the whole text
# C0/C1 controls (but tab and newline), line/paragraph separators, bidi overrides and isolates
# (the "Trojan Source" characters), lone surrogates, a mid-text BOM and the noncharacters U+FFFE/F.
_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff"
FORBIDDEN_CHARS = re.compile(f"[{_FORBIDDEN}]")
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}


class _PlainResolver(BaseResolver):
    """Resolves only true/false, decimal numbers and null; everything else is a string."""


_PlainResolver.add_implicit_resolver(_STD + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_PlainResolver.add_implicit_resolver(
    _STD + "int",
    re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$"),
    list("-+0123456789"),  # longer: text
)
_PlainResolver.add_implicit_resolver(
    _STD + "float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_PlainResolver.add_implicit_resolver(_STD + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class StrictLoader(_Parser, SafeConstructor, _PlainResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        SafeConstructor.__init__(self)
        _PlainResolver.__init__(self)


class FrontMatterError(Exception):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.field = field
        self.message = message


Lines = dict[tuple[Any, ...], int]  # key path → 1-based file line: ("links", "paper"), ("tags", 2)


@dataclass
class FrontMatter:
    data: dict[str, Any]
    lines: Lines = field(default_factory=dict)
    body: str = ""
    body_line: int = 1


def decode(raw: bytes) -> str:
    """UTF-8 with an optional BOM; CRLF becomes LF."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FrontMatterError(line, "encoding", "the file is not valid UTF-8 (save it as UTF-8)") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def opens_front_matter(text: str) -> bool:
    """The text's first line is a ``---`` fence (with a line after it)."""
    first_end = text.find("\n")
    return first_end >= 0 and _FENCE.match(text[:first_end]) is not None


def front_matter_span(text: str) -> tuple[int, int, int] | None:
    """Where the fields are: (start, end) of the YAML between the fences and the end of the closing
    fence (before its line break); None when the text does not open and close a front-matter."""
    if not opens_front_matter(text):
        return None
    start = text.find("\n") + 1
    end = _END_FENCE.search(text, start)
    return None if end is None else (start, end.start(), end.end())


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (yaml_text, body, body_line). The YAML starts on line 2."""
    span = front_matter_span(text)
    if span is None:
        first_end = text.find("\n")  # found by position, not by splitting the whole note into lines
        if not _FENCE.match(text if first_end < 0 else text[:first_end]):
            raise FrontMatterError(
                1,
                "front-matter",
                "missing (a note starts with a '---' line, then fields such as 'title:', then '---')",
            )
        raise FrontMatterError(1, "front-matter", "no closing '---' line after the fields")
    start, stop, fence_end = span
    after = text.find("\n", fence_end)
    yaml_text = text[start:stop] if stop > start else "\n"
    return yaml_text, "" if after < 0 else text[after + 1 :], text.count("\n", 0, stop) + 2


def parse_front_matter(text: str) -> FrontMatter:
    """Parse a whole note. Raises FrontMatterError with a file line number."""
    yaml_text, body, body_line = split_front_matter(text)
    data, lines = load_yaml(yaml_text, first_line=2, what="front-matter")
    if data is None:
        raise FrontMatterError(2, "front-matter", "is empty (add at least title, venue and year)")
    if not isinstance(data, dict):
        raise FrontMatterError(2, "front-matter", "must be a list of 'field: value' lines")
    return FrontMatter(data, lines, body, body_line)


def load_yaml(text: str, first_line: int = 1, what: str = "yaml") -> tuple[Any, Lines]:
    """Strictly parse one YAML document; ``first_line`` is the file line of the text's first line."""
    if len(text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterError(first_line, what, f"longer than {MAX_FRONT_MATTER_BYTES // 1024} KiB")
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + first_line
        raise FrontMatterError(line, what, f"contains the invisible control character U+{ord(bad.group()):04X} (remove it)")
    loaded = _load_plain(text, first_line)
    if loaded is None:  # something to report: the checks below name it exactly as they always did
        loader = StrictLoader(text)
        try:  # first the event stream (no recursion, no nodes built): depth, tags, anchors and aliases
            _check_events(loader, first_line, what)
        finally:
            loader.dispose()
        loader = StrictLoader(text)
        try:
            node = _compose(loader, first_line, what)
            if node is None:
                return None, {}
            lines = _check_tree(node, first_line, what)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    else:
        data, lines = loaded
    if "\\" in text:  # only an escape in a double-quoted scalar can make a character the raw text has not
        _check_strings(data, (), lines, first_line, what)
    return data, lines


_WILDCARD = tuple(_PlainResolver.yaml_implicit_resolvers.get(None, ()))
_RESOLVERS = {
    first: tuple(resolvers) + _WILDCARD for first, resolvers in _PlainResolver.yaml_implicit_resolvers.items() if first is not None
}
_BOOLS = {"true": True, "false": False}  # what SafeConstructor makes of the _PlainResolver bools, lowercased
_CONVERT: dict[str, Any] = {  # the SafeConstructor result for the other scalars _PlainResolver resolves
    _STD + "int": int,  # a decimal without '_' or a leading 0 (see the resolver's pattern): int() reads it alike
    _STD + "float": float,  # digits with a '.', an optional exponent: no '.inf', '.nan', '_' or ':'
    _STD + "null": lambda value: None,
    _STD + "bool": lambda value: _BOOLS[value.lower()],
}


def _load_plain(text: str, first_line: int) -> tuple[Any, Lines] | None:
    """One pass over libyaml's events that builds what ``load_yaml``'s checks and ``StrictLoader`` build.

    It gives the same ``(data, lines)`` for a document that passes every check, and None as soon as
    anything is unusual (an alias, anchor, tag, deep nesting, a non-scalar or repeated key, a second
    document, invalid YAML), so that the full checks report it exactly as before. Nothing recurses.
    """
    parser = _Parser(text)
    next_event = parser.get_event
    lines: Lines = {}
    root: Any = None
    stack: list[tuple[Any, tuple[Any, ...]]] = []  # the open dicts and lists, with their key paths
    top: Any = None  # the innermost open dict or list (stack[-1]); None at the top level
    top_path: tuple[Any, ...] = ()
    key: Any = _KEYLESS  # in a dict: the key whose value comes next
    key_path: tuple[Any, ...] = ()
    documents = 0
    try:
        while True:
            event: Any = next_event()  # dispatched on its class below (faster than isinstance)
            kind = event.__class__
            if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    return None
                if kind is ScalarEvent:
                    raw = value = event.value
                    tag = None
                    if event.implicit[0]:  # plain, as _PlainResolver.resolve reads it
                        for tag, regexp in _RESOLVERS.get(raw[:1], _WILDCARD):
                            if regexp.match(raw):
                                value = _CONVERT[tag](raw)
                                break
                        else:
                            tag = None
                else:
                    value = {} if kind is MappingStartEvent else []
                if top is None:
                    root = value
                    lines[()] = event.start_mark.line + first_line
                    path: tuple[Any, ...] = ()
                elif top.__class__ is list:
                    path = top_path + (len(top),)
                    lines[path] = event.start_mark.line + first_line
                    top.append(value)
                elif key is _KEYLESS:  # a key: a scalar, not given before in this mapping
                    if kind is not ScalarEvent:
                        return None
                    key_path = top_path + ((value if tag == _INT else raw),)
                    if key_path in lines:
                        return None
                    lines[key_path] = event.start_mark.line + first_line
                    key = value
                    continue
                else:
                    top[key] = value
                    path, key = key_path, _KEYLESS
                if kind is not ScalarEvent:
                    stack.append((value, path))
                    top, top_path = value, path
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                top, top_path = stack[-1] if stack else (None, ())
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return None
            elif kind is StreamEndEvent:
                return (root, lines) if documents else (None, {})
            elif kind is not StreamStartEvent and kind is not DocumentEndEvent:  # an alias
                return None
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()


_INT = _STD + "int"
_KEYLESS = object()


def _check_events(loader: StrictLoader, first_line: int, what: str) -> None:
    """Reject explicit tags, anchors, aliases and deep nesting before anything is composed.

    Composing is recursive, so a 30,000-deep ``[[[…]]]`` would raise RecursionError there; an
    alias bomb never gets to be expanded.
    """
    depth = 0
    anchor_line = 0
    try:
        while (event := loader.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            line = (event.start_mark.line if event.start_mark else 0) + first_line  # the parser marks every event
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                continue
            if isinstance(event, yaml.AliasEvent):
                raise FrontMatterError(line, what, "YAML anchors and aliases (&, *) are not allowed")
            if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                continue
            if event.anchor is not None and not anchor_line:
                anchor_line = line
            if event.tag is not None:
                raise FrontMatterError(line, what, f"the YAML tag {event.tag!r} is not allowed (write a plain value)")
            if depth >= MAX_DEPTH:
                raise FrontMatterError(line, what, f"nested deeper than {MAX_DEPTH} levels")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, first_line, what) from None
    if anchor_line:
        raise FrontMatterError(anchor_line, what, "YAML anchors and aliases (&, *) are not allowed")


def _check_strings(value: Any, path: tuple[Any, ...], lines: Lines, first_line: int, what: str) -> None:
    """Escapes in quoted YAML ("\\0", "\\u202e") must not bring back the characters refused in the raw text."""
    items: list[tuple[Any, tuple[Any, ...]]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            items += [(key, path), (item, path + (key,))]
    elif isinstance(value, list):
        items = [(item, path + (i,)) for i, item in enumerate(value)]
    elif isinstance(value, str) and (bad := FORBIDDEN_CHARS.search(value)):
        line = lines.get(path, lines.get((), first_line))
        raise FrontMatterError(line, what, f"contains the invisible control character U+{ord(bad.group()):04X} (remove it)")
    for item, at in items:
        _check_strings(item, at, lines, first_line, what)


def _compose(loader: StrictLoader, first_line: int, what: str) -> Node | None:
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, first_line, what) from None


def _yaml_problem(exc: yaml.YAMLError, first_line: int, what: str) -> FrontMatterError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        problem = exc.problem or "invalid YAML"
        hint = ""
        if "\\t" in problem or "\t" in problem or "tab character" in problem:
            hint = " (indent with spaces, not tabs)"
        elif "expected <block end>" in problem or "mapping values are not allowed" in problem:
            hint = " (check the indentation, and quote values that contain ': ')"
        elif "found undefined alias" in problem:
            hint = " (YAML aliases are not allowed)"
        return FrontMatterError(line, what, f"invalid YAML: {problem}{hint}")
    return FrontMatterError(first_line, what, f"invalid YAML: {exc}")


def _check_tree(root: Node, first_line: int, what: str) -> Lines:
    """Reject duplicate and non-text keys; return the line of every key path.

    Tags, anchors, aliases and depth were refused by ``_check_events`` already.
    """
    lines: Lines = {(): root.start_mark.line + first_line}
    queue: deque[tuple[Node, tuple[Any, ...]]] = deque([(root, ())])
    while queue:
        node, path = queue.popleft()
        line = node.start_mark.line + first_line
        if node.tag not in _ALLOWED_TAGS:  # pragma: no cover - the resolver makes only these
            raise FrontMatterError(line, what, f"the YAML tag {node.tag!r} is not allowed (write a plain value)")
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + first_line
                if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                    raise FrontMatterError(key_line, what, "a key must be a plain word")
                key = int(key_node.value) if key_node.tag == _STD + "int" else key_node.value
                key_path = path + (key,)
                if key_path in lines:
                    name = ".".join(str(p) for p in key_path)
                    raise FrontMatterError(key_line, name, f"duplicate key (first given on line {lines[key_path]}; keep one)")
                lines[key_path] = key_line
                queue.append((value_node, key_path))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                lines[path + (i,)] = item.start_mark.line + first_line
                queue.append((item, path + (i,)))
    return lines


def yaml_quoted(text: str) -> str:
    """``text`` as one double-quoted YAML scalar on one line, written by PyYAML's own emitter, so that
    every YAML loader (libyaml included, which MkDocs uses) reads back exactly ``text``; line breaks
    YAML would fold (U+0085, U+2028) are escaped. PyYAML escapes every character outside the Basic
    Multilingual Plane (``\\U0001F680``); those escapes are put back as the characters, which YAML allows
    in a double-quoted scalar, so a person reading the note sees its emoji as typed."""
    quoted = yaml.safe_dump(text, allow_unicode=True, default_style='"', width=1 << 30).rstrip("\n")
    return _ESCAPE.sub(_astral, quoted)


_ESCAPE = re.compile(r"\\(?:\\|U([0-9A-Fa-f]{8}))")  # an escaped backslash is skipped whole


def _astral(escape: re.Match[str]) -> str:
    code = escape.group(1)
    return chr(int(code, 16)) if code and 0x10000 <= int(code, 16) <= 0x10FFFF else escape.group(0)
