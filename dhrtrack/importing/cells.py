"""Cleaning and reading the cells of real action plans: HTML fragments and bullets, dates in the
forms plans use, RAG words, numbered points, and the lead/owner split."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Dict, Iterable, List, Optional, Tuple

from dhrtrack.plan import fields
from dhrtrack.plan.dates import implausible
from dhrtrack.plan.spelling import spelling_key

# --- text -----------------------------------------------------------------------------------

_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|ul|ol|li|tr|td|h[1-6])\b[^>]*>", re.IGNORECASE)
_INLINE_TAGS = re.compile(r"</?(?:i|b|em|strong|u|span|font|a|sup|sub)\b[^>]*>", re.IGNORECASE)
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " "}
_PARAGRAPH_BULLETS = "•▪◦●■□➢►‣⁃"  # bullets that start a list item
_ASTERISK_BULLET = re.compile(r"(?:(?<=\s)|^)\*\s*")  # "*Referral criteria; *Use of ..."


# Control characters a cell may carry from another program (NUL, ESC, backspace...): never plan
# text. Carriage returns and Unicode line separators are line breaks.
_CONTROLS = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]")
_BREAKS = re.compile("\r\n?|[\u0085\u2028\u2029]")


def printable(text: str) -> Tuple[str, int]:
    """A cell's text without control characters (tab and line breaks kept), and how many went."""
    text = _BREAKS.sub("\n", text)
    cleaned, removed = _CONTROLS.subn("", text)
    return cleaned, removed


def controls_removed(count: int) -> str:
    return (
        f"{count} control character{'s' if count != 1 else ''} (often pasted from another program) "
        "removed from the text"
    )


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


def words_within(part: str, whole: str) -> bool:
    """Whether part's words come, in order and whole, within whole (a repeated, merged or
    continued cell); "h" is not within "Do this", though "this" is."""
    words, within = part.split(), whole.split()
    return any(within[i : i + len(words)] == words for i in range(len(within) - len(words) + 1))


def milestone_items(cell: str) -> List[str]:
    """One item per bullet, list item or numbered point; else one per paragraph."""
    items: List[str] = []
    for paragraph in paragraphs(cell):
        items.extend(split_numbered(paragraph) or [paragraph])
    return items


_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+")
# Words a number belongs to: "recommendation 2. Agencies should..." is a sentence going on, not
# a second point.
_NUMBERED_NOUNS = frozenset(
    "recommendation recommendations rec section sections part phase stage page paragraph para appendix chapter "
    "action item year level tier step option figure table version clause schedule article annex argymhelliad "
    "rhan cam atodiad".split()
)


def _point(text: str, match: "re.Match[str]") -> bool:
    """Whether a numbered marker found in text starts a point (not a number a noun before it owns)."""
    before = text[: match.start()].rstrip().split()
    return not before or before[-1].lower().strip("(,") not in _NUMBERED_NOUNS


def split_numbered(text: str) -> List[str]:
    """ "1. Do this. 2. Do that." -> ["1. Do this.", "2. Do that."]: points numbered in sequence
    from the start of the text (so "Section 11. " in a sentence is not a point). [] when the
    text does not start with a numbered point."""
    text = text.strip()
    first = _NUMBER.match(text)
    if not first:
        return []
    expected = int(first.group(1))
    cuts = []
    for match in _NUMBER.finditer(text):
        if int(match.group(1)) == expected and _point(text, match):
            cuts.append(match.start())
            expected += 1
    cuts.append(len(text))
    return [" ".join(text[a:b].split()) for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


# Markers of sub-actions at the start of an action cell: 1. / 1) ; a) / (a) ; (i) / i). Each kind
# is read only as a sequence from its first item (1, a, i), so "Section 11. " or "(e)" inside a
# sentence is text, not a sub-action.
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
_MARKERS: List[Tuple[re.Pattern, List[str]]] = [
    (re.compile(r"(?:(?<=\s)|^)\(?(\d{1,2})[.)]\s+"), [str(n) for n in range(1, 100)]),
    (re.compile(r"(?:(?<=\s)|^)\(?([ivx]{1,4})\)\s+"), _ROMAN),
    (re.compile(r"(?:(?<=\s)|^)\(?([a-z])\)\s+"), [chr(c) for c in range(ord("a"), ord("z") + 1)]),
]
_LEADING_BULLET = re.compile(r"^\s*(?:<(?:ul|ol)\b[^>]*>\s*)?(?:<li\b|[•▪◦●■□➢►‣⁃]|[-*]\s)", re.IGNORECASE)
_LINE_BULLET = re.compile(r"^\s*(?:[•▪◦●■□➢►‣⁃]|[-*](?=\s))\s*")


def _sequence(text: str) -> List[str]:
    """The items of a marked sequence that starts the text, markers removed; [] when none does.
    A sequence may start anywhere (a list goes on from the row above: "3. ... 4. ..."); a single
    item counts for numbers only ("4. Audit" is item 4), not for a lone "(e)" or "i)"."""
    for kind, (pattern, labels) in enumerate(_MARKERS):
        first = pattern.match(text)
        if not first or first.group(1) not in labels:
            continue
        cuts: List[Tuple[int, int]] = []
        expected = labels.index(first.group(1))
        for match in pattern.finditer(text):
            if expected < len(labels) and match.group(1) == labels[expected] and _point(text, match):
                cuts.append((match.start(), match.end()))
                expected += 1
        if len(cuts) < 2 and kind != 0:
            continue
        ends = [start for start, _end in cuts[1:]] + [len(text)]
        items = [text[end:stop].strip() for (_start, end), stop in zip(cuts, ends)]
        return [item for item in items if item]
    return []


def sub_actions(cell: str) -> List[str]:
    """The sub-actions of an action cell, their numbering removed: "1. X 2. Y", "a) X b) Y",
    "(i) X (ii) Y", or a list of bullets that starts the cell. [] when the cell holds one action
    (a bulleted list introduced by a sentence belongs to that sentence's action)."""
    if _LEADING_BULLET.match(cell):
        lines = [_LINE_BULLET.sub("", line) for line in re.split(r"\n|<li\b[^>]*>", cell)]
        items = [p for line in lines for p in paragraphs(line)]
        if len(items) >= 2:
            return items
    return _sequence(" ".join(paragraphs(cell)))


def cell_lines(cell: str) -> List[str]:
    """A cell's non-empty lines: one value a line for a row listing several sub-actions."""
    return [" ".join(line.split()) for line in paragraphs(cell)]


# --- recommendation and action numbers ---------------------------------------------------------

_NUMBER_CELL = re.compile(
    r"\s*(?:(?:recommendation|rec|r)\.?\s*(?:no\.?\s*)?)?([0-9]{1,4})"
    r"(?:\s*[.)]?\s*$|[.]([0-9]{1,3})[.)]?\s*$|\s*\(?([a-z])\)?\s*$)",
    re.IGNORECASE,
)
# "1." "1)" "1:" at the start of the cell, or a word prefix ("Recommendation 1", "Rec 1", "R1")
# followed by a separator or a space.
_NUMBER_PREFIX = re.compile(
    r"^\s*(?:([0-9]{1,4})\s*[.):]|(?:recommendation|argymhelliad|rec\.?|r)\s*([0-9]{1,4})\s*(?:[.):–—-]|(?=\s)))\s*",
    re.IGNORECASE,
)


def number_cell(cell: str) -> Tuple[Optional[int], Optional[str]]:
    """(recommendation number, action id or None) of a number column's cell: "7", "7.", "Rec 7",
    "R7" -> (7, None); "7.2" -> (7, "7.2"); "7a", "7(a)" -> (7, "7a"). (None, None) otherwise
    ("0", "²", "see above"), which the readers keep and warn about rather than guess."""
    match = _NUMBER_CELL.fullmatch(cell.strip())
    if not match or int(match.group(1)) < 1:
        return None, None
    number = int(match.group(1))
    if match.group(2):
        return number, f"{number}.{int(match.group(2))}"
    if match.group(3):
        return number, f"{number}{match.group(3).lower()}"
    return number, None


def numbered_text(cell: str) -> Tuple[Optional[int], str]:
    """A recommendation cell that starts with its number, as the Home Office template is filled
    in ("1. Agencies should...", "Recommendation 2: ...", "R3 ..."): (number, the text after it)."""
    text = cell.strip()
    match = _NUMBER_PREFIX.match(text)
    if not match:
        return None, cell
    number = int(match.group(1) or match.group(2))
    if number < 1 or not text[match.end() :].strip():
        return None, cell
    return number, text[match.end() :]


# --- dates ----------------------------------------------------------------------------------

_MONTHS: Dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i].lower()] = _i
    _MONTHS[calendar.month_abbr[_i].lower()] = _i
_MONTHS["sept"] = 9
# Welsh months, with the mutated forms that follow "ym", "erbyn", "o" ("erbyn Fawrth 2025").
_WELSH_MONTHS = {
    "ionawr": 1,
    "chwefror": 2,
    "mawrth": 3,
    "fawrth": 3,
    "ebrill": 4,
    "mai": 5,
    "fai": 5,
    "mehefin": 6,
    "fehefin": 6,
    "gorffennaf": 7,
    "orffennaf": 7,
    "awst": 8,
    "medi": 9,
    "fedi": 9,
    "hydref": 10,
    "tachwedd": 11,
    "dachwedd": 11,
    "rhagfyr": 12,
}
_MONTHS.update(_WELSH_MONTHS)

_MONTH_YEAR = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_UK = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_SLASH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")
# "Mar-26", "Sept-2026": a month as Excel shows mmm-yy, typed into a text cell (the hyphen, not a
# space: "Mar 26" may be the 26th of March).
_MONTH_DASH_YEAR = re.compile(r"^([a-z]{3,9})-(\d{2}|\d{4})$")
_PREFIX = re.compile(r"^(?:by|due|before|end of|end|target:?|deadline:?|erbyn|diwedd|cyn|targed:?)\s+", re.IGNORECASE)


def parse_date(text: str) -> Optional[str]:
    """A date as real plans write it, as YYYY-MM or YYYY-MM-DD; None when it is not one.

    "March 2016", "Sept 2015", "Mar-26" -> 2016-03, 2015-09, 2026-03; "31/03/2017", "By 31/03/2017" (UK, day
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
    m = _MONTH_DASH_YEAR.match(value)
    if m and m.group(1) in _MONTHS:
        year = int(m.group(2))
        return _month(year + 2000 if len(m.group(2)) == 2 else year, _MONTHS[m.group(1)])
    return None


def _month(year: int, month: int) -> Optional[str]:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1 <= year <= 9999 else None


def _day(year: int, month: int, day: int) -> Optional[str]:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# --- RAG ------------------------------------------------------------------------------------

RAG_WORDS = {
    "red": "red",
    "r": "red",
    "off track": "red",
    "amber": "amber",
    "a": "amber",
    "green": "green",
    "g": "green",
    "on track": "green",
    "complete": "complete",
    "completed": "complete",
    "closed": "complete",
    "done": "complete",
    "achieved": "complete",
    "c": "complete",
    "blue": "complete",  # BRAG: blue is complete
    "b": "complete",
    # Welsh
    "coch": "red",
    "ambr": "amber",
    "oren": "amber",
    "gwyrdd": "green",
    "glas": "complete",
    "cwblhawyd": "complete",
    "wedi cwblhau": "complete",
    "wedi'i gwblhau": "complete",
    "wedi ei gwblhau": "complete",
    "cyflawnwyd": "complete",
    "cwblhau": "complete",
    "ar y trywydd iawn": "green",
    "oddi ar y trywydd": "red",
}
# Statuses that are not ratings: the action stays unrated, and the status is kept in a note.
UNRATED_WORDS = {
    "not started",
    "in progress",
    "ongoing",
    "open",
    "tbc",
    "n/a",
    "pending",
    "heb ddechrau",  # Welsh: not started, in progress, ongoing
    "ar waith",
    "yn mynd rhagddo",
    "parhaus",
}


def parse_rag(text: str) -> Optional[str]:
    """red, amber, green or complete for a RAG word in any case; None when it is not one."""
    key = " ".join(text.replace("-", " ").split()).strip().rstrip(".").lower()
    return RAG_WORDS.get(key)


# A rating written into the outcome cell of a template with no RAG column: at the start
# ("Completed 15/11/2025: ...", "Amber - audit delayed") or at the end ("... Complete.").
_RATING = r"(complete|completed|closed|done|achieved|green|amber|red|on track|off track)"
_LEADING_RATING = re.compile(
    rf"^\s*{_RATING}\b(?:\s+(?:on\s+)?(\d{{1,2}}(?:st|nd|rd|th)?[\s/.][\w]+[\s/.]\d{{2,4}}))?\s*(?:[:.;,–—-]\s*|$)",
    re.IGNORECASE,
)
_TRAILING_RATING = re.compile(rf"[\s.;,–—-]+{_RATING}\.?\s*$", re.IGNORECASE)
_COMPLETED_ON = re.compile(
    r"\bcompleted?\s+(?:on\s+|in\s+)?(\d{1,2}(?:st|nd|rd|th)?[\s/.][\w]+[\s/.]\d{2,4})", re.IGNORECASE
)


def rating_in_text(text: str, at_end: bool = True) -> Tuple[Optional[str], Optional[str], str]:
    """(rag, completed day, the rest of the text) for an outcome cell that carries its rating:
    "Completed 15/11/2025: Policy approved." -> ("complete", "2025-11-15", "Policy approved.");
    "Red – audit delayed" -> ("red", None, "audit delayed"). (None, None, text) when it has none.
    at_end=False: only a rating it starts with (in a column that may be progress, "... 20 cases
    done." says nothing of a rating)."""
    match = _LEADING_RATING.match(text)
    if match:
        rag = parse_rag(match.group(1))
        day = parse_date(match.group(2)) if match.group(2) else None
        if match.group(2) and (day is None or len(day) != 10 or implausible(day, "") is not None):
            return None, None, text  # "Complete March" is not a rating and a date: leave it whole
        rest = text[match.end() :].strip()
        if rag != "complete" and _LEADING_RATING.match(rest):
            # "Green - complete. Reminder sent.": a completion word beats a colour.
            said, said_day, said_rest = rating_in_text(rest, at_end=False)
            if said == "complete":
                return said, said_day or day, said_rest
        return rag, day, rest
    match = _TRAILING_RATING.search(text) if at_end else None
    if match and match.start() > 0:
        return parse_rag(match.group(1)), None, text[: match.start()].strip()
    return None, None, text


def completed_in_text(text: str) -> Optional[str]:
    """The day an outcome says the action was completed ("Completed 12/08/2021."), if it says."""
    match = _COMPLETED_ON.search(text)
    if not match:
        return None
    day = parse_date(match.group(1).rstrip("."))
    return day if day is not None and len(day) == 10 and implausible(day, "") is None else None


# --- one cell into one field -------------------------------------------------------------


def _parse_day(text: str) -> Optional[str]:
    parsed = parse_date(text)
    return parsed if parsed and len(parsed) == 10 else None  # a completion date is a day


_CELLS = {
    # field: (the heading import notes name it by, how it is read, what it should have been)
    name: (fields.field(fields.ACTION, name).heading, read, problem)
    for name, read, problem in (
        ("target", parse_date, "target date {!r} is not a date"),
        ("rag", parse_rag, "{!r} is not a RAG rating"),
        ("completed", _parse_day, "completion date {!r} is not a date"),
    )
}


# A value cell in parts: the sides of a slash (bilingual cells: "Ambr / Amber"), a dash or a
# colon ("Green - complete", "Red: delayed"), its lines.
_VALUE_PARTS = re.compile(r"\s+/\s+|\s+[-–—]\s+|\s*[–—]\s*|:\s+|\n")


def read_value(name: str, text: str) -> Tuple[Optional[str], List[str], Optional[str]]:
    """(value, the parts that are not it, a warning) of a target, RAG or completion cell: the
    cell whole, else its parts. A completion word beats a colour ("Green - complete" is
    complete); parts that give different values are named in the warning (the first is used)."""
    _heading, read, _problem = _CELLS[name]
    value = read(text)
    if value is not None:
        return value, [], None
    pieces = [p.strip() for p in _VALUE_PARTS.split(text) if p.strip()]
    if len(pieces) < 2:
        return None, [], None
    read_parts = [(p, read(p)) for p in pieces]
    values = [v for _p, v in read_parts if v is not None]
    if not values:
        return None, [], None
    chosen = "complete" if name == "rag" and "complete" in values else values[0]
    # Kept beside the value: what is not one, and what gives another (a second date is not lost).
    rest = [p for p, v in read_parts if v is None or (v != chosen and not (name == "rag" and chosen == "complete"))]
    distinct = list(dict.fromkeys(values))
    colours_and_complete = name == "rag" and chosen == "complete"
    warning = None
    if len(distinct) > 1 and not colours_and_complete:
        warning = f"the cell {text!r} gives {' and '.join(distinct)}; {chosen} is used"
    return chosen, rest, warning


def rating_and_rest(cell: str) -> Tuple[str, str]:
    """A cell of a column that is the rating and progress in one ("Progress (RAG)"), line by
    line: (its rating, the rest as progress). A line that reads as a rating (or a status, "Not
    started") is the rating; one that starts or ends with a rating ("Amber - audit delayed",
    "Completed 15/11/2025: policy signed off") gives the rating, the rest is progress (the whole
    line where it names a day); a line with no rating is progress."""
    ratings: List[str] = []
    rest: List[str] = []
    for line in [" ".join(x.split()) for x in cell.split("\n")]:
        if not line:
            continue
        value, parts, _warning = read_value("rag", line)
        if line.lower().rstrip(".") in UNRATED_WORDS or (value is not None and not parts):
            ratings.append(line)
            continue
        if value is not None:  # "Amber - audit delayed", "Green: on track"
            ratings.append(value)
            rest.append(" / ".join(parts))
            continue
        rag, day, after = rating_in_text(line, at_end=False)  # "... 20 cases done." is progress
        if rag is None:
            rest.append(line)
            continue
        ratings.append(rag)
        rest += [line] if day is not None else [after] if after else []
    return "\n".join(ratings), "\n".join(rest)


def map_cell(action: dict, name: str, cell: str, notes: List[str]) -> Optional[str]:
    """Set action[name] from a target, RAG or completion-date cell. A value that cannot be read
    is never guessed: it is kept verbatim in `notes` (for import_notes), and the warning to
    report is returned; so are the parts of a cell beside its value ("Red - delayed")."""
    text = " ".join((clean(cell) or "").split()) if "\n" not in cell else "\n".join(paragraphs(cell))
    if not text.strip():
        return None
    heading, _read, problem = _CELLS[name]
    value, rest, warning = read_value(name, text)
    why = implausible(value, f"{heading} cell") if value and name != "rag" else None
    if why is not None:  # the one plausibility rule (plan.dates): a year 1066 or 1899 is never set
        notes.append(f"{heading}: {' '.join(text.split())}")
        return f"action {action['id']}: {why}; kept in import_notes"
    if value is not None:
        action[name] = value
        if rest:
            notes.append(f"{heading}: {' / '.join(rest)}")
            warning = (warning + "; " if warning else "") + f"{' / '.join(rest)!r} kept in import_notes"
        return f"action {action['id']}: {warning}" if warning else None
    text = " ".join(text.split())
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
        """(lead, owner) of a lead cell.

        - A joint lead ("Police & Probation Service", "Council and ICB") stays whole.
        - Where the cell starts with a known agency (the registry, a section title), in any of
          its spellings, that agency (its canonical name) is the lead and the rest is the owner.
        - "Organisation – role", "Organisation: role", "Organisation, role" split when the left
          part names an organisation and the right part does not.
        - Otherwise the whole cell is the lead, and there is no owner.
        """
        text = " ".join(cell.split())
        words = list(_WORD.finditer(text))
        for count in range(min(len(words), self._max_words + 2), 0, -1):
            end = words[count - 1].end()
            agency = self.canonical(text[:end])
            if agency is None:
                continue
            rest = text[end:].lstrip(_SEPARATORS).strip()
            if not rest:
                return agency, None
            if _JOINT.match(text[end:]):
                return text, None  # a joint lead ("Police & Probation Service"): both are agencies
            return agency, rest
        for separator in (" – ", " — ", " - ", ": ", "; ", ", "):
            left, found, right = text.partition(separator)
            if not (found and left.strip() and right.strip()) or _JOINT.search(left):
                continue
            if is_organisation(left) and is_role(right):
                return left.strip(), right.strip()
        return text, None


# Words that make a name an organisation's (for telling "Organisation – role" from a joint lead).
_ORGANISATION_WORDS = {
    "police",
    "constabulary",
    "council",
    "trust",
    "board",
    "partnership",
    "service",
    "services",
    "icb",
    "ccg",
    "probation",
    "housing",
    "nhs",
    "hospital",
    "hospitals",
    "authority",
    "agency",
    "department",
    "foundation",
    "commissioner",
    "pcc",
    "csp",
    "practice",
    "surgery",
    "association",
    "ltd",
    "limited",
    "cic",
    "charity",
    "refuge",
    "women's",
    "aid",
    "prison",
    "court",
    "courts",
    "cafcass",
    "ambulance",
    "fire",
    "university",
    "college",
    "school",
    "schools",
    "academy",
    "directorate",
    "office",
    "government",
    "ministry",
    "network",
    "health",
    "care",
    "education",
    # Welsh: police, council, board, health, trust, service(s), probation, housing, authority,
    # school, university, college, government, care
    "heddlu",
    "cyngor",
    "bwrdd",
    "iechyd",
    "ymddiriedolaeth",
    "gwasanaeth",
    "gwasanaethau",
    "prawf",
    "tai",
    "awdurdod",
    "ysgol",
    "prifysgol",
    "coleg",
    "llywodraeth",
    "gofal",
}
_JOINT = re.compile(r"^\s*(?:&|and\b|\+|/)", re.IGNORECASE)


# Words that make a phrase a role or a person's title rather than an organisation.
_ROLE_WORDS = {
    "head",
    "director",
    "directors",
    "manager",
    "managers",
    "lead",
    "leads",
    "officer",
    "officers",
    "coordinator",
    "co-ordinator",
    "chief",
    "deputy",
    "assistant",
    "inspector",
    "superintendent",
    "dci",
    "di",
    "ds",
    "nurse",
    "adviser",
    "advisor",
    "chair",
    "secretary",
    "worker",
    "workers",
    "consultant",
    "gp",
    "practitioner",
    "designated",
    "named",
    "safeguarding",
    "team",
    "analyst",
    "commander",
    "matron",
    "mr",
    "mrs",
    "ms",
    "dr",
    "associate",
    "executive",
    "senior",
    "principal",
    "operational",
    "strategic",
    "clinical",
    "specialist",
}


def is_organisation(name: str) -> bool:
    words = [word.casefold().strip("'’") for word in _WORD.findall(name)]
    return any(word in _ORGANISATION_WORDS or word.rstrip("s") in _ORGANISATION_WORDS for word in words)


def is_role(name: str) -> bool:
    # A role is named by its head noun, usually the last word ("Practice Manager", "Service Lead"),
    # or starts with a title ("Head of Housing", "DCI Smith").
    words = [w.casefold() for w in _WORD.findall(name)]
    return bool(words) and (words[0] in _ROLE_WORDS or words[-1] in _ROLE_WORDS)
