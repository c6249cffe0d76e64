"""Cleaning and reading the cells of real action plans: HTML fragments and bullets, dates in the
forms plans use, RAG words, numbered points, and the lead/owner split."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Dict, Iterable, List, Optional, Tuple

from dhrtrack.plan.spelling import spelling_key

# --- text -----------------------------------------------------------------------------------

_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|ul|ol|li|tr|td|h[1-6])\b[^>]*>", re.IGNORECASE)
_INLINE_TAGS = re.compile(r"</?(?:i|b|em|strong|u|span|font|a|sup|sub)\b[^>]*>", re.IGNORECASE)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " "}
_PARAGRAPH_BULLETS = "•▪◦●■□➢►‣⁃"  # bullets that start a list item
_ASTERISK_BULLET = re.compile(r"(?:(?<=\s)|^)\*\s*")  # "*Referral criteria; *Use of ..."


def _entities(text: str) -> str:
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def paragraphs(cell: str) -> List[str]:
    """A cell's paragraphs and list items, with HTML fragments and bullet characters removed."""
    text = _BLOCK_TAGS.sub("\n", cell)
    text = _INLINE_TAGS.sub("", text)
    text = _entities(text)
    for bullet in _PARAGRAPH_BULLETS:
        text = text.replace(bullet, "\n")
    out = []
    for line in text.split("\n"):
        line = " ".join(_ASTERISK_BULLET.sub(" ", line).split())
        if line:
            out.append(line)
    return out


def clean(cell: str) -> Optional[str]:
    """A cell as plan text: paragraphs on their own lines, no markup or bullets; None if empty."""
    found = paragraphs(cell)
    return "\n".join(found) if found else None


def milestone_items(cell: str) -> List[str]:
    """One item per bullet, list item or numbered point; else one per paragraph."""
    items: List[str] = []
    for paragraph in paragraphs(cell):
        items.extend(split_numbered(paragraph) or [paragraph])
    return items


_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+")


def split_numbered(text: str) -> List[str]:
    """ "1. Do this. 2. Do that." -> ["1. Do this.", "2. Do that."]: points numbered in sequence
    from the start of the text (so "Section 11. " in a sentence is not a point). [] when the
    text does not start with a numbered point."""
    text = " ".join(text.split())
    first = _NUMBER.match(text)
    if not first:
        return []
    expected = int(first.group(1))
    cuts = []
    for match in _NUMBER.finditer(text):
        if int(match.group(1)) == expected:
            cuts.append(match.start())
            expected += 1
    cuts.append(len(text))
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


def numbered_actions(cell: str) -> List[str]:
    """The numbered sub-actions in an action cell (across its paragraphs), or [] if it has none."""
    joined = " ".join(paragraphs(cell))
    return split_numbered(joined)


# --- dates ----------------------------------------------------------------------------------

_MONTHS: Dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i].lower()] = _i
    _MONTHS[calendar.month_abbr[_i].lower()] = _i
_MONTHS["sept"] = 9

_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_UK = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_SLASH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")
_PREFIX = re.compile(r"^(?:by|due|before|end of|end|target:?|deadline:?)\s+", re.IGNORECASE)


def parse_date(text: str) -> Optional[str]:
    """A date as real plans write it, as YYYY-MM or YYYY-MM-DD; None when it is not one.

    "March 2016", "Sept 2015" -> 2016-03, 2015-09; "31/03/2017", "By 31/03/2017" (UK, day
    first), "2017-03-31", "31 March 2017" -> 2017-03-31. Nothing else is guessed.
    """
    value = " ".join(text.split()).strip().rstrip(".")
    value = _PREFIX.sub("", value).strip().lower()
    if not value:
        return None
    m = _MONTH_YEAR.match(value)
    if m and m.group(1) in _MONTHS:
        return _month(int(m.group(2)), _MONTHS[m.group(1)])
    m = _DAY_MONTH_YEAR.match(value)
    if m and m.group(2) in _MONTHS:
        return _day(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    m = _UK.match(value)
    if m:
        year = int(m.group(3))
        if len(m.group(3)) == 2:
            year += 2000
        return _day(year, int(m.group(2)), int(m.group(1)))
    m = _ISO.match(value)
    if m:
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _ISO_MONTH.match(value)
    if m:
        return _month(int(m.group(1)), int(m.group(2)))
    m = _MONTH_SLASH_YEAR.match(value)
    if m:
        return _month(int(m.group(2)), int(m.group(1)))
    return None


def _month(year: int, month: int) -> Optional[str]:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1 <= year <= 9999 else None


def _day(year: int, month: int, day: int) -> Optional[str]:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# --- recommendation numbers ------------------------------------------------------------------

_RECOMMENDATION_NUMBER = re.compile(r"\s*([0-9]{1,4})\s*[.)]?\s*")


def recommendation_number(cell: str) -> Optional[int]:
    """A recommendation number cell ("7", "7.", "7)") as a number of 1 or more; None for anything
    else ("0", "²", "①", "1a"), which the readers keep and warn about rather than guess."""
    match = _RECOMMENDATION_NUMBER.fullmatch(cell)
    number = int(match.group(1)) if match else 0
    return number if number >= 1 else None


# --- RAG ------------------------------------------------------------------------------------

RAG_WORDS = {
    "red": "red",
    "r": "red",
    "amber": "amber",
    "a": "amber",
    "green": "green",
    "g": "green",
    "complete": "complete",
    "completed": "complete",
    "blue": "complete",  # BRAG: blue is complete
    "b": "complete",
    "done": "complete",
}


def parse_rag(text: str) -> Optional[str]:
    """red, amber, green or complete for a RAG word in any case; None when it is not one."""
    key = " ".join(text.split()).strip().rstrip(".").lower()
    return RAG_WORDS.get(key)


# --- one cell into one field -------------------------------------------------------------


def _parse_day(text: str) -> Optional[str]:
    parsed = parse_date(text)
    return parsed if parsed and len(parsed) == 10 else None  # a completion date is a day


_CELLS = {
    # field: (the heading import notes name it by, how it is read, what it should have been)
    "target": ("Target Date", parse_date, "target date {!r} is not a date"),
    "rag": ("Completion/RAG", parse_rag, "{!r} is not a RAG rating"),
    "completed": ("Completed", _parse_day, "completion date {!r} is not a date"),
}


def map_cell(action: dict, name: str, cell: str, notes: List[str]) -> Optional[str]:
    """Set action[name] from a target, RAG or completion-date cell. A value that cannot be read
    is never guessed: it is kept verbatim in `notes` (for import_notes), and the warning to
    report is returned."""
    text = " ".join((clean(cell) or "").split())
    if not text:
        return None
    heading, read, problem = _CELLS[name]
    value = read(text)
    if value is not None:
        action[name] = value
        return None
    notes.append(f"{heading}: {text}")
    return f"action {action['id']}: {problem.format(text)}; kept in import_notes"


# --- lead and owner -------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
_SEPARATORS = " \t:;,–—-/"


class Agencies:
    """Known agency names (canonical, and the other spellings of each) for splitting lead cells."""

    def __init__(self) -> None:
        self._by_key: Dict[Tuple[str, ...], str] = {}
        self._max_words = 0

    def add(self, canonical: str, spellings: Iterable[str] = ()) -> None:
        for name in [canonical, *spellings]:
            key = spelling_key(name)
            if key and key not in self._by_key:
                self._by_key[key] = canonical
                self._max_words = max(self._max_words, len(_WORD.findall(name.replace("&", " and "))))

    def canonical(self, name: str) -> Optional[str]:
        return self._by_key.get(spelling_key(name))

    def split_lead(self, cell: str) -> Tuple[str, Optional[str]]:
        """(lead, owner): where the cell starts with a known agency's name, in any of its
        spellings, that agency (canonical name) is the lead and the rest, after ":", ",", ";",
        " – " or nothing, is the owner. Otherwise the whole cell is the lead and no owner."""
        text = " ".join(cell.split())
        words = list(_WORD.finditer(text))
        for count in range(min(len(words), self._max_words + 2), 0, -1):
            end = words[count - 1].end()
            prefix = text[:end]
            agency = self.canonical(prefix)
            if agency is not None:
                rest = text[end:].lstrip(_SEPARATORS).strip()
                return agency, (rest or None)
        return text, None
