"""The one YAML reader for plan files.

One parse per file, straight from libyaml's event stream, building plain data and a position
index together. Doing the construction ourselves (rather than yaml.safe_load) is what lets us
keep dates as strings, name both lines of a duplicate key, reject anchors, aliases and custom
tags, and point every later problem at a line and column. Asked for (`spans=True`), the same
walk records where each value and key starts and ends in the text, which surgical edits need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import yaml

from dhrtrack.errors import DhrtrackError
from dhrtrack.plan.problems import ERROR, Path, Problem, json_path

# libyaml's C parser when PyYAML was built with it; the pure-Python one otherwise.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})

Position = Tuple[int, int]  # 1-based line, column

# The event classes, named once here: the walks below compare each event's class with them, a
# few times for every value in a file.
AliasEvent, ScalarEvent, DocumentStartEvent = yaml.AliasEvent, yaml.ScalarEvent, yaml.DocumentStartEvent
MappingStartEvent, MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
SequenceStartEvent, SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
DocumentEndEvent, StreamEndEvent = yaml.DocumentEndEvent, yaml.StreamEndEvent


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class LoadError(DhrtrackError):
    """A problem that stops a file from being read at all (it becomes a Problem value)."""

    def __init__(self, message: str, line: int = 1, column: int = 1, path: Path = ()):
        super().__init__(message)
        self.line = line
        self.column = column
        self.path = path


@dataclass
class Span:
    """Where a value sits in the text: character offsets [start, end), and how it is written."""

    kind: str  # scalar | map | seq
    start: int
    end: int  # for block collections, set by the editor from their last item
    style: Optional[str] = None  # scalars: None (plain), "'", '"', "|", ">"
    flow: bool = False  # collections written [..] or {..}


@dataclass
class Document:
    """A plan file's data plus where each value (and each mapping key) sits in the file."""

    file: str
    data: Any
    # Where each value and each mapping key starts, as the parser's marks (made for every event
    # anyway; 0-based line and column): turned into positions only when a problem is located.
    positions: Dict[Path, Any] = field(default_factory=dict)
    key_positions: Dict[Path, Any] = field(default_factory=dict)
    # How non-string scalars were written (`NO` for a value read as False), for messages.
    raw: Dict[Path, str] = field(default_factory=dict)
    # With spans=True: each value's Span, and each mapping key's (start, end) offsets.
    spans: Dict[Path, Span] = field(default_factory=dict)
    key_spans: Dict[Path, Tuple[int, int]] = field(default_factory=dict)
    text: str = ""  # the text parsed (without a byte-order mark), kept when spans are recorded

    def position(self, path: Path) -> Position:
        """The position of the value at path, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        mark = self.positions.get(path)
        return _mark(mark) if mark is not None else (1, 1)

    def key_position(self, path: Path) -> Position:
        mark = self.key_positions.get(tuple(path))
        return _mark(mark) if mark is not None else self.position(path)

    def problem(self, path: Path, severity: str, message: str, *, at_key: bool = False) -> Problem:
        line, column = self.key_position(path) if at_key else self.position(path)
        return Problem(self.file, line, column, json_path(path), severity, message)


@dataclass
class LoadResult:
    file: str
    document: Optional[Document]
    problems: List[Problem]


def _mark(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


# First characters for which YAML 1.1 might read a plain scalar as something other than text
# (numbers, booleans, null, dates, `=`, `<<`). A plain scalar starting with anything else, or
# a quoted one, is text: no need to run the resolver's regular expressions on it.
_RESOLVABLE_FIRST = frozenset(k for k in _Loader.yaml_implicit_resolvers if k)
_ALWAYS_RESOLVE = None in _Loader.yaml_implicit_resolvers  # a resolver for any first character
# First characters whose only resolvers are YAML 1.1's booleans and null (yes, No, TRUE, off,
# null, ...): these match whole words of at most five characters, so a longer plain scalar
# starting with such a letter ("Northshire Police", "training") is text without a regex.
_WORD_FIRST = frozenset(
    k
    for k, resolvers in _Loader.yaml_implicit_resolvers.items()
    if k and {tag for tag, _regexp in resolvers} <= {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}
)
_LONGEST_WORD = 5  # "false", "False", "FALSE"
# A plan's dates (2024-01, 2024-01-15) resolve to text or a timestamp, and both stay the text
# as written: no need to try the number and date expressions on each of them.
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?\Z").match


def _scalar(loader: Any, event: Any, path: Path, raw: Optional[dict] = None) -> Any:
    tag = event.tag
    value = event.value
    if tag is None or tag == "!":
        if not event.implicit[0] or (
            value
            and not _ALWAYS_RESOLVE
            and (
                value[0] not in _RESOLVABLE_FIRST
                or (len(value) > _LONGEST_WORD and value[0] in _WORD_FIRST)
                or _DATE_SHAPE(value) is not None
            )
        ):
            return value
        tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
    if tag not in _SCALAR_TAGS:
        raise LoadError(
            f"unsupported tag {_short_tag(tag)}: plan files use plain YAML values only; remove the tag",
            *_mark(event.start_mark),
            path,
        )
    if tag == _STR or tag == _TIMESTAMP:
        # Dates stay strings: the schema and the date checks decide what they mean.
        return value
    if raw is not None:
        raw[path] = value
    if tag == _NULL:
        return None
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
    try:
        if tag == _BOOL:
            return loader.construct_yaml_bool(node)
        if tag == _INT:
            return loader.construct_yaml_int(node)
        return loader.construct_yaml_float(node)
    except (ValueError, KeyError, yaml.YAMLError):
        # An explicitly tagged value that is not of its type (`!!int abc`).
        raise LoadError(
            f"value {value!r} is not a valid {tag.rsplit(':', 1)[-1]}",
            *_mark(event.start_mark),
            path,
        ) from None


def _reader_error(error: Any, text: str) -> LoadError:
    """A character YAML does not allow in a file (control characters, often pasted from Word)."""
    position = getattr(error, "position", 0) or 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    char = error.character
    code = ord(char) if isinstance(char, str) else int(char or 0)
    return LoadError(
        f"the file contains the control character U+{code:04X}, which YAML does not allow "
        "(often pasted from a word processor): delete it",
        line,
        column,
    )


def _yaml_error(error: yaml.YAMLError, text: str) -> LoadError:
    if isinstance(error, yaml.reader.ReaderError):
        return _reader_error(error, text)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = _mark(mark) if mark is not None else (1, 1)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    lines = text.splitlines()
    # libyaml reports a tab as "a character that cannot start any token"; say what it is.
    bad_char = ""
    if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
        bad_char = lines[line - 1][column - 1]
    if bad_char == "\t" or ("\t" in problem and "character" in problem):
        return LoadError(
            "tab character in the file: YAML indentation must use spaces; replace the tab with spaces",
            line,
            column,
        )
    message = f"YAML syntax error: {problem}"
    context_mark = getattr(error, "context_mark", None)
    if context and context not in problem:
        if context_mark is not None and _mark(context_mark) != (line, column):
            context += " started at line {}, column {}".format(*_mark(context_mark))
        message += f" ({context})"
    if "mapping values are not allowed" in problem:
        message += "; a value containing ': ' must be quoted or written as a block (>-)"
    elif "could not find expected ':'" in problem:
        message += "; check the indentation and that every key ends with ':'"
    return LoadError(message, line, column)


def parse(text: str, file: str, spans: bool = False) -> Document:
    """Parse one YAML document into plain data with positions (and spans). Raises LoadError."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise LoadError("the file is empty: a plan needs schema_version, review and recommendations")
    try:
        # The pure-Python reader checks for unprintable characters as it is created.
        loader = _Loader(text)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text) from None
    try:
        document = _build(loader, file, text if spans else None)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text) from None
    finally:
        loader.dispose()
    return document


def _build(loader: Any, file: str, text: Optional[str] = None) -> Document:
    positions: Dict[Path, Any] = {}
    key_positions: Dict[Path, Any] = {}
    raw: Dict[Path, str] = {}
    record = text is not None  # record spans: only for the editor, off the reports' hot path
    spans: Dict[Path, Span] = {}
    key_spans: Dict[Path, Tuple[int, int]] = {}
    get_event = loader.get_event
    get_event()  # StreamStart
    event = get_event()
    if isinstance(event, StreamEndEvent):
        raise LoadError(
            "the file has no YAML document (only comments?): a plan needs schema_version, review and recommendations"
        )
    # Stack entries: [container, path, pending key, flow style, pending key's path]
    stack: List[list] = []
    new_container: Any
    root: Any = None
    root_set = False
    while True:
        event = get_event()
        cls = type(event)
        if cls is DocumentEndEvent:
            break
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            closed = stack.pop()
            if record and closed[3]:
                spans[closed[1]].end = event.end_mark.index
            continue
        # Where does this value go?
        if stack:
            top = stack[-1]
            container = top[0]
            if type(container) is dict and top[2] is _NO_KEY:
                # This event is a key.
                if cls is not ScalarEvent:
                    raise LoadError(
                        "a mapping key must be a plain name, not a list or mapping",
                        *_mark(event.start_mark),
                        top[1],
                    )
                if event.anchor is not None:
                    raise _anchor_error(event, top[1])
                key = _scalar(loader, event, top[1])
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
                kpath = top[1] + (key,)
                mark = event.start_mark
                if key in container:
                    first, again = _mark(key_positions[kpath]), _mark(mark)
                    raise LoadError(
                        f"duplicate key {key!r}: first at line {first[0]}, again at line {again[0]}; "
                        "keep one and delete the other",
                        *again,
                        kpath,
                    )
                top[2] = key
                top[4] = kpath  # the value's path too: made once
                key_positions[kpath] = mark
                if record:
                    key_spans[kpath] = (mark.index, event.end_mark.index)
                continue
            path = top[4] if type(container) is dict else top[1] + (len(container),)
        else:
            if root_set:
                raise LoadError("unexpected content after the document")
            path = ()
        if cls is AliasEvent:
            raise LoadError(
                f"alias *{event.anchor} is not allowed: plan files must not use anchors or aliases; "
                "write the value out in full",
                *_mark(event.start_mark),
                path,
            )
        if event.anchor is not None:
            raise _anchor_error(event, path)
        if cls is ScalarEvent:
            value: Any = _scalar(loader, event, path, raw)
            new_container = None
        elif cls is MappingStartEvent:
            if event.tag not in (None, "!", _MAP):
                raise LoadError(
                    f"unsupported tag {_short_tag(event.tag)}: remove the tag", *_mark(event.start_mark), path
                )
            value = new_container = {}
        elif cls is SequenceStartEvent:
            if event.tag not in (None, "!", _SEQ):
                raise LoadError(
                    f"unsupported tag {_short_tag(event.tag)}: remove the tag", *_mark(event.start_mark), path
                )
            value = new_container = []
        else:  # pragma: no cover - the parser emits no other event here
            raise LoadError(f"unexpected YAML event {cls.__name__}", *_mark(event.start_mark), path)
        positions[path] = event.start_mark
        if record:
            spans[path] = _span(event, new_container, text)
        if stack:
            top = stack[-1]
            if type(top[0]) is dict:
                top[0][top[2]] = value
                top[2] = _NO_KEY
            else:
                top[0].append(value)
        else:
            root = value
            root_set = True
        if new_container is not None:
            stack.append([new_container, path, _NO_KEY, bool(getattr(event, "flow_style", False)), None])
    event = get_event()
    if not isinstance(event, StreamEndEvent):
        raise LoadError(
            "the file holds more than one YAML document (a '---' line?): keep one plan per file",
            *_mark(event.start_mark),
        )
    return Document(file, root, positions, key_positions, raw, spans, key_spans, text or "")


_NO_KEY = object()


def _span(event: Any, container: Any, text: Optional[str]) -> Span:
    start = event.start_mark.index
    if container is None:
        end = event.end_mark.index
        if event.style in ("|", ">") and text is not None:
            # A block scalar's end mark is after its trailing blank lines: stop at its last character.
            end = start + len(text[start:end].rstrip())
        return Span("scalar", start, end, event.style)
    kind = "map" if type(container) is dict else "seq"
    return Span(kind, start, start, flow=bool(event.flow_style))


def _anchor_error(event: Any, path: Path) -> LoadError:
    return LoadError(
        f"anchor &{event.anchor} is not allowed: plan files must not use anchors or aliases; "
        "remove the anchor and write values out in full",
        *_mark(event.start_mark),
        path,
    )


def decode(raw: bytes) -> str:
    """Decode a plan file's bytes: UTF-8, with or without a byte-order mark. Raises LoadError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("the file is UTF-16 encoded: save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        before = raw[:start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        raise LoadError(
            f"the file is not valid UTF-8 (byte 0x{raw[start]:02x}): save it as UTF-8",
            line,
            column,
        ) from None


def load_text(text: str, file: str, spans: bool = False) -> LoadResult:
    try:
        document = parse(text, file, spans)
    except LoadError as error:
        return LoadResult(
            file, None, [Problem(file, error.line, error.column, json_path(error.path), ERROR, error.message)]
        )
    except RecursionError:  # pragma: no cover - guarded by the iterative builder; belt and braces
        return LoadResult(file, None, [Problem(file, 1, 1, "$", ERROR, "the file is nested too deeply to read")])
    return LoadResult(file, document, [])


def load_bytes(raw: bytes, file: str) -> LoadResult:
    try:
        text = decode(raw)
    except LoadError as error:
        return LoadResult(file, None, [Problem(file, error.line, error.column, "$", ERROR, error.message)])
    return load_text(text, file)


def load_file(path: str) -> LoadResult:
    from dhrtrack.plan.files import Unreadable, read_bytes

    try:
        raw = read_bytes(path)
    except Unreadable as error:
        return LoadResult(path, None, [Problem(path, 1, 1, "$", ERROR, error.message)])
    return load_bytes(raw, path)
