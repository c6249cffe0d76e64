"""The import invariant: nothing lost, nothing invented.

Every word of every non-empty source cell must end up in the imported plan: in a field's text,
in import_notes, or as a value a mapping read from it (a date, a rating, a scope, a number).
Words a mapping consumes are allowed only when the plan holds a value of that kind; numbers
must appear somewhere in the plan (a date, an id, a text). Heading rows are labels, not data.
"""

from __future__ import annotations

import calendar
import re
from typing import Iterable, List, Set

_MONTHS = {m.lower() for m in calendar.month_name[1:]} | {m.lower() for m in calendar.month_abbr[1:]} | {"sept"}
_RATINGS = {
    "red",
    "amber",
    "green",
    "complete",
    "completed",
    "closed",
    "done",
    "achieved",
    "blue",
    "on",
    "off",
    "track",
    "r",
    "a",
    "g",
    "c",
    "b",
    "rag",
}
_SCOPES = {"local", "regional", "national", "lleol", "rhanbarthol", "cenedlaethol"}


def _vocabulary() -> None:
    """The rating and month words the importer reads, Welsh too: consumed into a value."""
    from dhrtrack.importing import cells

    _RATINGS.update(w for key in cells.RAG_WORDS for w in _WORD.findall(key.lower()))
    _MONTHS.update(cells._MONTHS)


_NUMBERING = {"recommendation", "rec", "no", "by", "st", "nd", "rd", "th", "i", "ii", "iii", "iv", "v", "vi"}
# The words of section titles ("Individual Agency Recommendations – X"): labels, not data.
_SECTIONS = {"individual", "agency", "recommendations", "overview", "report", "management", "review", "imr"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MARKUP = re.compile(r"</?[a-z]+[^>]*>", re.IGNORECASE)
# List markers ("2. ", "b) ", "(iv) ") number sub-actions: the order is kept in the ids.
_MARKER = re.compile(r"(?:(?<=\s)|^)\(?(?:[0-9]{1,2}|[a-z]|[ivx]{1,4})[.)](?=\s|$)", re.IGNORECASE)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, int) and not isinstance(value, bool):
        yield str(value)


def lost_words(cells: Iterable[str], plan: dict) -> List[str]:
    """The words of source cells that the plan does not account for (empty when nothing is lost)."""
    _vocabulary()
    corpus = " ".join(_strings(plan)).lower()
    words: Set[str] = set(_WORD.findall(corpus))
    actions = [a for r in plan["recommendations"] for a in r["actions"]]
    dated = any(a.get("target") or a.get("completed") for a in actions)
    rated = any(a.get("rag") for a in actions)
    scoped = any(r.get("scope") for r in plan["recommendations"])
    lost = []
    for cell in cells:
        for word in _WORD.findall(_MARKER.sub(" ", _MARKUP.sub(" ", cell)).lower()):
            word = re.sub(r"^([0-9]+)(?:st|nd|rd|th)$", r"\1", word)  # "31st March"
            word = re.sub(r"^r([0-9]+)$", r"\1", word)  # "R4": recommendation 4
            if word in words or word in _SECTIONS:
                continue
            if word.isdigit():
                if word.lstrip("0") in corpus or word in corpus:
                    continue
            elif (
                word in _NUMBERING
                or (word in _MONTHS and dated)
                or (word in _RATINGS and rated)
                or (word in _SCOPES and scoped)
            ):
                continue
            lost.append(word)
    return lost


def build_sheet(headings: List[str], rows: List[tuple], review_id: str = "R 1"):
    """The plan the builder makes of one sheet: a heading row, then (source, cells) rows."""
    from dhrtrack.importing.build import build
    from dhrtrack.importing.cells import Agencies
    from dhrtrack.importing.document import Cell, Document, Row, Table

    table = Table(
        [Row([Cell(h) for h in headings], "row 1", True)] + [Row([Cell(c) for c in r], s, True) for s, r in rows],
        "the sheet",
        stands_alone=True,
    )
    return build(Document("sheet.csv", [table]), Agencies(), review_id, None, None)[0]
