"""Wording shared by every layer: plurals, dates in words, escaping for markdown and HTML, and
JSON as dhrtrack writes it (whole, or streamed a chunk of rows at a time).

A leaf module (it imports nothing from dhrtrack but the language, i18n), so that the core's descriptions ("slipped 4
months") and the renderers say things the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import islice
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional

from dhrtrack.i18n import _, current, p_, pN_


def plural(n: int, word: str, many: str = "") -> str:
    """ "1 action", "2 actions"; `many` for irregular plurals."""
    return f"{n} {noun(n, word, many)}"


def noun(n: int, word: str, many: str = "") -> str:
    """The word as a count of n needs it: "action" for 1, "actions" otherwise."""
    return word if n == 1 else (many or word + "s")


def percent(part: int, whole: int) -> int:
    """A share in whole per cent, the same everywhere: rounded to the nearest (8 of 9 is 89%, half
    up), except that 100% means all of it and 0% none of it (999 of 1,000 is 99%, 1 of 1,000 1%)."""
    if not whole:
        return 0
    rounded = (200 * part + whole) // (2 * whole)  # half up, in integers: no float surprises
    if rounded == 100 and part < whole:
        return 99
    if rounded == 0 and part > 0:
        return 1
    return rounded


DATE_STYLES = ("long", "iso")


def when_words(text: Optional[str], style: str = "long") -> Optional[str]:
    """A date or month as a UK reader expects it on paper: 2017-04-30 is "30 April 2017" and
    2017-04 "April 2017"; "iso" keeps them as written. Anything else is given back unchanged."""
    if text is None or style == "iso":
        return text
    found = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if not found:
        return text
    try:
        day = dt.date(int(found[1]), int(found[2]), int(found[3] or 1))
    except ValueError:
        return text
    return date_words(day) if found[3] else f"{month_name(day.month)} {day.year}"


def date_words(day: dt.date) -> str:
    """ "5 March 2026": unambiguous in every English-speaking country; "5 Mawrth 2026" in Welsh."""
    return f"{day.day} {month_name(day.month)} {day.year}"


MONTHS = (
    pN_("month", "January"),
    pN_("month", "February"),
    pN_("month", "March"),
    pN_("month", "April"),
    pN_("month", "May"),
    pN_("month", "June"),
    pN_("month", "July"),
    pN_("month", "August"),
    pN_("month", "September"),
    pN_("month", "October"),
    pN_("month", "November"),
    pN_("month", "December"),
)


RAG_WORDS = {
    "red": pN_("rag", "red"),
    "amber": pN_("rag", "amber"),
    "green": pN_("rag", "green"),
    "complete": pN_("rag", "complete"),
    None: pN_("rag", "unrated"),
}


def rag_word(rag: Optional[str]) -> str:
    """A RAG rating as the reader's language says it; plan files keep the English values."""
    return p_("rag", RAG_WORDS.get(rag, rag or "unrated"))


def month_name(month: int) -> str:
    """The month's name in the language being written (not the C library's locale)."""
    return p_("month", MONTHS[month - 1])


# Unicode's bidirectional embeddings, overrides, isolates and marks: invisible, and they make text
# display in another order than it is stored (a name that looks like another, "Trojan Source").
# validate warns where a name holds one; every output removes them (bidi_safe), so what a reader
# sees is the order in which the text is stored.
BIDI_CONTROLS = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def bidi_safe(text: str) -> str:
    """text without bidirectional controls: the one rule every renderer applies (HTML, markdown,
    Word, CSV, spreadsheets, the terminal). ASCII text, nearly all of it, is returned at once."""
    return text if text.isascii() else _BIDI.sub("", text)


# Markdown's text-safety rule, for every markdown output (tables, prose, chase messages, the board
# paper): plan text renders as the words it is, never as a link, an image, HTML or an autolink.
# Brackets are escaped (no [link](...) or ![image](...)), "<" too (no <http://...> autolink, no
# HTML), and where GitHub-flavoured markdown would make a link of bare text ("http://", "www.",
# "mailto:") the ":" or "." is escaped, which renders as itself but is no longer a link.
_BARE_LINK = re.compile(r"(?i)\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")  # prose: every character markdown gives a meaning
_MARKDOWN_CELL = re.compile(r"([\\|\[\]])")  # a table cell: its own bar, and link brackets


def _inert(escaped: str) -> str:
    return _BARE_LINK.sub(lambda m: m.group() + "\\", escaped) if ("." in escaped or ":" in escaped) else escaped


def markdown_cell(value: object) -> str:
    """Text for one cell of a markdown table: markdown's text-safety rule, with pipes escaped and
    line breaks as <br>."""
    text = _MARKDOWN_CELL.sub(r"\\\1", bidi_safe(str(value))).replace("<", "&lt;")
    return _inert(text).replace("\n", "<br>")


def markdown_text(value: str) -> str:
    """Prose for a markdown paragraph or list item: markdown's text-safety rule, with every
    character markdown gives a meaning escaped."""
    return _inert(_MARKDOWN_SPECIAL.sub(r"\\\1", bidi_safe(value)))


# Escape sequences (CSI, OSC such as hyperlinks and window titles, ...) and other control
# characters: text shown in a terminal must not be able to drive it.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Text for a terminal: escape sequences, control characters and bidirectional controls
    removed (newlines and tabs kept)."""
    return bidi_safe(_CONTROLS.sub("", _ESCAPES.sub("", text)))


# What a spreadsheet reads as the start of a formula (or DDE): =, +, -, @, tab, carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)  # each start is one character: a set lookup per cell


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: text starting like one gets a leading
    apostrophe, as OWASP recommends (spreadsheet_text undoes it when the file is imported);
    bidirectional controls are removed (bidi_safe)."""
    if isinstance(value, str):
        value = bidi_safe(value)
        if value[:1] in FORMULA_FIRST:
            return "'" + value
    return value


def spreadsheet_text(cell: str) -> str:
    """A CSV cell as written before spreadsheet_safe neutralised it."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


# An update-log entry's keys as update_summary says them, in the language being written.
_UPDATE_KEYS = {
    "rag": pN_("update", "rag"),
    "target": pN_("update", "target"),
    "completed": pN_("update", "completed"),
    "lead": pN_("update", "lead"),
    "owner": pN_("update", "owner"),
    "outcome": pN_("update", "outcome"),
    "evidence": pN_("update", "evidence"),
    "theme": pN_("update", "theme"),
}


def update_summary(entry: dict) -> str:
    """An updates-log entry in one line, in the language being written: "2026-11-26: rag amber;
    target 2027-03; Policy redraft with legal. (by West Midlands Police, from
    west-midlands-police.xlsx)". Dates stay as the log has them; the rating is said in words."""
    said = [
        f"{p_('update', _UPDATE_KEYS[k])} {rag_word(entry[k]) if k == 'rag' else entry[k]}"
        for k in ("rag", "target", "completed", "lead", "owner")
        if k in entry
    ]
    # The outcome in the language being written where the entry has it (outcome_cy), else as given.
    outcome = entry.get(f"outcome_{current()}") or entry.get("outcome") or entry.get("outcome_cy")
    values = {"outcome": outcome, "evidence": entry.get("evidence"), "theme": entry.get("theme")}
    said += [
        f"{p_('update', _UPDATE_KEYS[k])}: {' '.join(str(value).split())}"
        for k, value in values.items()
        if value is not None
    ]
    if "note" in entry:
        said.append(" ".join(str(entry["note"]).split()))
    who = [p_("update", "by {who}").format(who=entry["by"])] if "by" in entry else []
    who += [p_("update", "from {source}").format(source=entry["source"])] if "source" in entry else []
    return (
        f"{entry.get('date')}: "
        + ("; ".join(said) or p_("update", "(no values)"))
        + (f" ({', '.join(who)})" if who else "")
    )


def verification_words(record: Dict[str, Any], complete: bool, style: str = "long") -> str:
    """An action's `verified` record in one line: "14 March 2026 by DHR quality assurance
    subgroup; evidence: Case audit", and a warning when the action is no longer rated complete
    (its verification has lapsed). One home for every output that says it."""
    said = _("{date} by {by}").format(date=when_words(str(record["date"]), style), by=record["by"])
    said += _("; evidence: {evidence}").format(evidence=record["evidence"]) if record.get("evidence") else ""
    return said + ("" if complete else _("; verification lapsed: no longer rated complete"))


# What html.escape(quote=True) replaces, as one translation table: no import, and one pass.
def html_text(value: object) -> str:
    """Text for HTML, as html.escape writes it. Five replacements, each a fast scan when there is
    nothing to replace: several times faster than str.translate on text with any non-ASCII
    character (a curly apostrophe), which a national board paper escapes half a million times."""
    text = bidi_safe(value if type(value) is str else str(value))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def json_bytes(document: object) -> bytes:
    """A document as indented JSON in UTF-8, exactly as json.dumps(indent=2, ensure_ascii=False)
    writes it, with orjson when it is there: the standard library's encoder falls back to pure
    Python once it indents, which made JSON output the slowest part of a report over a national
    corpus. Bytes, because a national document (15 MB) decoded to text only to be encoded again
    cost a third of the time it takes to make."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; the standard library still works
        return _standard_json(document)
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # a value orjson does not take (an int beyond 64 bits): the standard library does
        return _standard_json(document)


def _standard_json(document: object) -> bytes:
    import json

    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def json_text(document: object) -> str:
    """json_bytes as text."""
    return json_bytes(document).decode("utf-8")


class Streamed:
    """A list in a JSON document that is made a chunk at a time as it is written (json_stream):
    a national report's rows are never all held at once. items are turned into the list's
    values by to_values, `chunk` items at a time."""

    def __init__(self, items: Iterable[Any], to_values: Callable[[List[Any]], List[Any]], chunk: int = 2000):
        self.items, self.to_values, self.chunk = items, to_values, chunk

    def chunks(self) -> Iterator[List[Any]]:
        # The items are started here, when the document is about to be written: whatever they
        # need (a plan's actions) is read before the first byte goes out.
        items = iter(self.items)
        batch = list(islice(items, self.chunk))
        while batch:
            yield self.to_values(batch)
            batch = list(islice(items, self.chunk))


def json_stream(document: Dict[str, Any]) -> Iterator[bytes]:
    """A document as json_bytes writes it, in pieces, each Streamed value a chunk at a time."""
    if not any(isinstance(value, Streamed) for value in document.values()):
        yield json_bytes(document)
        return
    streams: Dict[str, Iterator[List[Any]]] = {}
    for key, value in document.items():
        if isinstance(value, Streamed):
            chunks = value.chunks()
            # Started now, each of them: what its items need is read before the first byte.
            streams[key] = _restarted(next(chunks, None), chunks)
    yield b"{"
    for n, (key, value) in enumerate(document.items()):
        yield (b",\n  " if n else b"\n  ") + _json(key) + b": "
        if key in streams:
            yield from _json_list(streams[key])
        else:
            yield _json(value).replace(b"\n", b"\n  ")
    yield b"\n}\n"


def _restarted(first: Optional[List[Any]], rest: Iterator[List[Any]]) -> Iterator[List[Any]]:
    if first is not None:
        yield first
        yield from rest


def _json_list(chunks: Iterator[List[Any]]) -> Iterator[bytes]:
    """A list at depth one of an indented document, from chunks of its values."""
    started = False
    for values in chunks:
        if not values:
            continue
        body = _json(values)  # b'[\n  item,\n  item\n]': items one level in, two to go
        yield (b",\n" if started else b"[\n") + b"  " + body[2:-2].replace(b"\n", b"\n  ")
        started = True
    yield b"\n  ]" if started else b"[]"


def _json(value: object) -> bytes:
    """One value as json_bytes writes it, without the final line break."""
    return json_bytes(value)[:-1]


# Every JSON document of dhrtrack's own (not the SARIF, GitLab or JUnit reports, which have their
# own specifications) says which version of its shape it is, first; schema/output/ has a JSON
# Schema for each command's document. Keys may be added within a version; none is removed or
# changes its meaning without a new one.
FORMAT_VERSION = 1


def versioned(document: Dict[str, Any]) -> Dict[str, Any]:
    return {"format_version": FORMAT_VERSION, **document}
