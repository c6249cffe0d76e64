"""Which column is which, by what its heading means: the Home Office template's headings, the
variants partnerships and trackers use ("By when", "Responsible officer", "Progress indicator
(Red/Amber/Green)"), Welsh and bilingual headings ("Asiantaeth Arweiniol / Lead Agency"), and
dhrtrack's own export. The vocabulary is the field table's (dhrtrack.plan.fields).

A heading is read by parts (its lines, the sides of " / ", what is in brackets) and each part by
words: a part that is a field's heading names that field; otherwise the phrases it contains do
(the longest where two overlap: "progress indicator" is a rating before "progress" is an
outcome), weak words ("lead", "recommendation", which qualify others) only where no other word
names a field. When a heading names two fields, the one no other column supplies wins; where it
names a rating and progress ("Progress (RAG)", "Status / RAG") and no other column supplies
either, its values decide: mostly ratings (words or colours), it is the rating and the rest of
each cell progress; else progress. Otherwise the field it names first wins. A heading that names nothing is reported with its column letter, and its
cells are kept (never dropped); so is a second column for the same field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Sequence, Tuple

from dhrtrack.plan import fields

if TYPE_CHECKING:
    from dhrtrack.importing.cells import Agencies

Words = Tuple[str, ...]


def words(text: str) -> Words:
    """A heading's words as the vocabulary is matched: lower case, without accents (Welsh
    â, ŵ, ŷ), camelCase split, a plural s dropped ("Actions" is "action")."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    out = []
    for word in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text):
        word = word.replace("'", "")
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return tuple(out)


_NAMED = [(f.column, f) for f in fields.FIELDS if f.export] + [(c.key, c) for c in fields.COMPUTED]
_EXACT: Dict[Words, str] = {}
for _name, _named in _NAMED:
    for _heading in _named.headings:
        _EXACT.setdefault(words(_heading), _name)
_STRONG = [(words(k), f.column) for f in fields.FIELDS for k in f.keywords]
_WEAK = [(words(k), f.column) for f in fields.FIELDS for k in f.weak]
# "Agency" (and its Welsh) alone: the lead when the sheet has no lead column, else the agency
# whose table holds the recommendation.
_AGENCY = {words(w) for w in ("agency", "asiantaeth", "organisation", "sefydliad")}

# The Home Office template's columns, in order, for tables that come without a heading row.
TEMPLATE_ORDER = [
    "recommendation",
    "recommendation_text",
    "scope",
    "action",
    "lead",
    "milestones",
    "target",
    "outcome",
    "rag",
]
# Fields that make a row a heading row when three or more of them are named.
_HEADING_FIELDS = {"recommendation_text", "action", "lead", "target", "rag", "outcome", "milestones", "scope", "owner"}
# Computed columns of dhrtrack's own export: read past, never imported.
DERIVED = {c.key for c in fields.COMPUTED} - {"due"}

_PARTS = re.compile(r"\s*(?:\n|\s/\s|/|\(|\)|\[|\]|\s[–—-]\s|;)\s*")


def parts(heading: str) -> List[str]:
    """A heading's parts: its lines, the sides of a slash, what is in brackets."""
    return [p for p in _PARTS.split(heading) if p.strip()]


def _found(part: Words, phrases: List[Tuple[Words, str]]) -> List[Tuple[int, int, str]]:
    """(start, end, field) of each phrase in the part, less those inside a longer one found."""
    hits = []
    for phrase, name in phrases:
        n = len(phrase)
        for i in range(len(part) - n + 1):
            if part[i : i + n] == phrase:
                hits.append((i, i + n, name))
    return sorted(
        (
            h
            for h in hits
            if not any(o != h and o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0] for o in hits)
        ),
        key=lambda h: (h[0], h[0] - h[1]),
    )


def named(heading: str) -> List[str]:
    """The fields a heading names, first named first ([] for none)."""
    whole = words(heading)
    if whole in _EXACT:
        return [_EXACT[whole]]
    out: List[str] = []
    for part in [words(p) for p in parts(heading)] or [whole]:
        if part in _EXACT:
            # A part that is a field's heading names it, and any other field whose weak word it
            # is ("Status / RAG": the rating, or progress).
            found = [_EXACT[part]] + [name for s, e, name in _found(part, _WEAK) if e - s == len(part)]
        else:
            found = [name for _s, _e, name in _found(part, _STRONG)] or [name for _s, _e, name in _found(part, _WEAK)]
        out += [name for name in dict.fromkeys(found) if name not in out]
    return out


def column_letter(index: int) -> str:
    """Spreadsheet letters for a 0-based column: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class Columns:
    """What each column holds: fields by column, and the columns that hold no field (kept)."""

    fields: Dict[int, str] = field(default_factory=dict)  # column -> field
    # column -> the field the rest of each of its cells goes to: a rating column whose heading
    # names progress too ("Progress (RAG)"), where no other column is progress
    rest: Dict[int, str] = field(default_factory=dict)
    kept: Dict[int, str] = field(default_factory=dict)  # column -> heading: cells go to import_notes
    derived: set = field(default_factory=set)  # columns dhrtrack's export works out: read past
    warnings: List[str] = field(default_factory=list)

    def index(self, name: str) -> Optional[int]:
        return next((i for i, n in self.fields.items() if n == name), None)

    def has(self, name: str) -> bool:
        return name in self.fields.values()


# Fields a column may hold beside a rating, in one cell ("Amber - audit delayed"): progress.
PROGRESS = ("updates", "outcome")
Values = Callable[[int], Sequence[Tuple[str, Optional[str]]]]


def map_headings(headings: Sequence[str], values: Optional[Values] = None) -> Columns:
    """Columns for a heading row. The first column of a field wins; a second one, and a heading
    that names no field, are kept: their cells go to import_notes, with a warning naming the
    column. "Agency" and "Due date" mean the lead and the target when the sheet has none.
    `values(i)` gives the (text, colour rating) of the cells under heading i, which decide
    between a rating and progress where a heading names both and no other column does."""
    columns = Columns()
    found = [(i, " ".join((h or "").split()), named(h or "")) for i, h in enumerate(headings)]
    # What each column supplies on its own: a heading naming several fields takes the one no
    # other column supplies ("Progress and evidence" beside an Evidence column is progress).
    alone = {names[0] for _i, _h, names in found if len(names) == 1}
    present = {n for _i, _h, names in found for n in names}
    chosen = []
    for i, heading, names in found:
        name = next((n for n in names if n not in alone), names[0]) if len(names) > 1 else (names[0] if names else None)
        why = ""
        free = [n for n in names if n not in alone]
        progress = next((n for n in free if n in PROGRESS), None)
        if "rag" in free and progress is not None and values is not None:
            # Neither is supplied elsewhere: the column's values decide. Mostly ratings (words
            # or colours) make it the rating, the rest of each cell progress; else progress.
            rated, filled = _ratings(values(i))
            if filled:
                name = "rag" if 2 * rated > filled else progress
                if name == "rag":
                    columns.rest[i] = progress
                why = f" ({rated} of its {filled} values {'is a rating' if rated == 1 else 'are ratings'}" + (
                    "; the rest of each cell is progress)" if name == "rag" else ")"
                )
        if len(names) > 1:
            columns.warnings.append(
                f"column {column_letter(i)} ({heading!r}) names {' and '.join(names)}; it is read as {name}{why}"
            )
        chosen.append((i, heading, name))
    for i, heading, name in chosen:
        if name is None and words(heading) in _AGENCY:
            name = "agency" if "lead" in present else "lead"
        if name == "due" and "target" not in present:
            name = "target"
        if name in DERIVED or name == "due":
            columns.derived.add(i)
            continue
        if name is None:
            if heading:
                columns.kept[i] = heading
                columns.warnings.append(
                    f"column {column_letter(i)} ({heading!r}) is not a plan field; its cells are kept in import_notes"
                )
            continue
        if columns.has(name):
            first = column_letter(columns.index(name) or 0)
            columns.kept[i] = heading
            columns.warnings.append(
                f"column {column_letter(i)} ({heading!r}) is a second {name} column (the first "
                f"is column {first}); its cells are kept in import_notes"
            )
            continue
        columns.fields[i] = name
    return columns


def _ratings(cells: Sequence[Tuple[str, Optional[str]]]) -> Tuple[int, int]:
    """(how many are ratings, how many have a value) of a column's cells: a cell is a rating
    when it reads as one, whole, by its parts or at its start ("Amber - audit delayed"), is a
    status ("Not started"), or is coloured as one."""
    from dhrtrack.importing.cells import UNRATED_WORDS, rating_in_text, read_value

    rated = filled = 0
    for text, colour in cells:
        text = " ".join(text.split())
        if not text and not colour:
            continue
        filled += 1
        if (
            colour
            or text.lower().rstrip(".") in UNRATED_WORDS
            or read_value("rag", text)[0] is not None
            or rating_in_text(text, at_end=False)[0] is not None  # "... 20 cases done." is not
        ):
            rated += 1
    return rated, filled


_DATA = re.compile(r"\d{4}-\d{2}|\|")


def _heading_like(cell: str) -> bool:
    """A cell that could be a heading: short, and not data (a date, an update log line)."""
    return bool(cell and cell.strip()) and len(cell.split()) <= 12 and not _DATA.search(cell)


def is_header_row(cells: Sequence[str]) -> bool:
    """A row of column headings (the table's first row, or repeated after each page break)."""
    # "Agency" alone and "Due date" are the lead and the target in a sheet with neither.
    names = {n for c in cells if _heading_like(c) for n in named(c) or (["lead"] if words(c) in _AGENCY else [])}
    names = {"target" if n == "due" else n for n in names}
    found = names & _HEADING_FIELDS
    return len(found) >= 3 and bool(found & {"action", "recommendation_text"})


_SECTION = re.compile(
    r"^\s*(?:(overview)\s+(?:report\s+)?recommendations?|"
    r"(argymhellion\s+(?:yr\s+)?adroddiad\s+trosolwg|argymhellion\s+trosolwg)|"
    r"(?:individual\s+)?agency\s+recommendations?\s*[–—:-]+\s*(.+?)|"
    r"(?:individual\s+)?(?:management\s+review|imr)\s+recommendations?\s*[–—:-]+\s*(.+?)|"
    r"argymhellion\s+(?:unigol\s+)?(?:yr\s+)?asiantaeth(?:au)?\s*[–—:-]+\s*(.+?))\s*$",
    re.IGNORECASE,
)


# A heading's own number ("2. Overview report recommendations", "3.1 Northshire Police").
_HEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.)\s+(?=\S)")


def section_title(text: str) -> Optional[Tuple[str, Optional[str]]]:
    """("overview", None) or ("agency", name) for a template section title (English or Welsh),
    else None."""
    m = _SECTION.match(_HEADING_NUMBER.sub("", " ".join(text.split())))
    if not m:
        return None
    if m.group(1) or m.group(2):
        return ("overview", None)
    return ("agency", (m.group(3) or m.group(4) or m.group(5)).strip())


# Around an agency's name in a heading: "Agency: X", "Lead agency – X", "X action plan",
# "Individual agency action plan – X", and the Welsh.
_CONTEXT_BEFORE = re.compile(
    r"^(?:(?:individual\s+)?agency(?:\s+action\s+plan)?|lead\s+agency|organisation|action\s+plan(?:\s+for)?|"
    r"asiantaeth(?:\s+arweiniol)?|sefydliad|cynllun\s+gweithredu)\s*(?:[:–—-]\s*|\s+for\s+|\s+)",
    re.IGNORECASE,
)
_CONTEXT_AFTER = re.compile(
    r"\s*[:–—-]?\s*(?:(?:individual\s+)?(?:agency\s+)?action\s+plan|(?:agency\s+)?recommendations|"
    r"cynllun\s+gweithredu|argymhellion)\s*$",
    re.IGNORECASE,
)
_PARTNERSHIP = re.compile(r"\b(?:partnership|csp|community\s+safety|partneriaeth)\b", re.IGNORECASE)
# Where a heading's organisation ends and words about it begin: a spaced dash, a colon, a bracket.
_CONTEXT_PARTS = re.compile(r"\s+[–—-]\s+|:\s+|\s*[()]\s*")
# A line about the review (its title, a tracker's name) names no agency, whatever else it says.
_ABOUT_THE_REVIEW = re.compile(
    r"\b(?:dhr|dardr|susr|homicide|review|adolygiad|tracker|updated|version|appendix|atodiad)\b|\d{4}", re.IGNORECASE
)


def name_like(text: str) -> bool:
    """A name, as an organisation's or a department's is: a few words, each capitalised (or a
    linking word), no figures, no sentence."""
    words = text.split()
    small = {"and", "of", "the", "for", "&", "a", "ac", "a'r", "y", "yr"}
    return (
        0 < len(words) <= 6
        and not any(ch.isdigit() for ch in text)
        and not text.rstrip().endswith((".", "?", "!", ":"))
        and all(w[:1].isupper() or w.lower() in small for w in words)
    )


def agency_named(text: str, agencies: "Agencies", partnership_too: bool = True) -> Optional[str]:
    """The agency a short heading, a one-cell row or a sheet's name names ("Northshire Police",
    "Agency: Eastvale NHS Trust", "Housing action plan", "Heddlu Gogledd Cymru"), as its
    canonical name when it is known; None when the text names no organisation. A partnership's
    name above the first table is the document's title, not an agency: partnership_too=False."""
    from dhrtrack.importing.cells import is_organisation

    text = _HEADING_NUMBER.sub("", " ".join(text.split())).strip(" :.–—-")
    if not text or len(text) > 90 or len(text.split()) > 10 or section_title(text) is not None:
        return None
    core = _CONTEXT_AFTER.sub("", _CONTEXT_BEFORE.sub("", text)).strip(" :.–—-")
    if not core or _ABOUT_THE_REVIEW.search(core) or (not partnership_too and _PARTNERSHIP.search(core)):
        return None
    # "Eastborough Police – single agency actions", "Northshire ICB: update for the board": the
    # organisation is one part of the line, and the agency is that part, not the whole line.
    # But "Birmingham City Council – Children's Social Care" is a name in two parts: words about an
    # agency are not a name ("single agency actions"), a department's are ("Housing Options").
    parts = [p.strip(" :.–—-") for p in _CONTEXT_PARTS.split(core) if p.strip(" :.–—-")]
    candidates = parts + [core] if len(parts) > 1 and not all(name_like(p) for p in parts[1:]) else [core]
    for candidate in candidates:
        known = agencies.canonical(candidate)
        if known is not None:
            return known
    return next((c for c in candidates if is_organisation(c) and not _ABOUT_THE_REVIEW.search(c)), None)
