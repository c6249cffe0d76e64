"""Which column is which, by what its heading means: the Home Office template's headings, the
variants partnerships and trackers use ("By when", "Responsible officer", "Progress indicator
(Red/Amber/Green)"), and dhrtrack's own export. A heading that names nothing is reported with its
column letter, and its cells are kept (never dropped); so is a second column for the same field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from dhrtrack.plan import fields

# The vocabulary is the field table's (dhrtrack.plan.fields): each field's exact headings and the
# words that name it inside a longer heading. Names here are the table's column keys
# ("recommendation" is the recommendation's number, "recommendation_text" its text).
_NAMED = [(f.column, f) for f in fields.FIELDS if f.export] + [(c.key, c) for c in fields.COMPUTED]
_LOOKUP: Dict[str, str] = {}
for _name, _named in _NAMED:
    for _heading in _named.headings:
        _LOOKUP.setdefault(re.sub(r"[^a-z0-9]", "", _heading), _name)
# Words inside a longer heading: a strong word ("lead officer", "progress") names its field
# wherever it is; a weak one ("lead", "recommendation", which qualify other headings: "Lead
# officer", "Recommendation progress") only when no strong word is there. Among several, the
# first in the heading wins, and of two starting together the longer ("progress indicator" is a
# rating before "progress" is an outcome).
_STRONG = [(re.sub(r"[^a-z0-9]", "", k), f.column) for f in fields.FIELDS for k in f.keywords]
_WEAK = [(re.sub(r"[^a-z0-9]", "", k), f.column) for f in fields.FIELDS for k in f.weak]

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


def normalise(heading: str) -> str:
    return re.sub(r"[^a-z0-9]", "", heading.lower())


def field_for(heading: str) -> Optional[str]:
    key = normalise(heading)
    if key in _LOOKUP:
        return _LOOKUP[key]
    for words in (_STRONG, _WEAK):
        found = [(key.find(word), -len(word), name) for word, name in words if word in key]
        if found:
            return min(found)[2]
    return None


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
    kept: Dict[int, str] = field(default_factory=dict)  # column -> heading: cells go to import_notes
    warnings: List[str] = field(default_factory=list)

    def index(self, name: str) -> Optional[int]:
        return next((i for i, n in self.fields.items() if n == name), None)

    def has(self, name: str) -> bool:
        return name in self.fields.values()


def map_headings(headings: Sequence[str]) -> Columns:
    """Columns for a heading row. The first column of a field wins; a second one, and a heading
    that names no field, are kept: their cells go to import_notes, with a warning naming the
    column. "Agency" and "Due date" mean the lead and the target when the sheet has none."""
    columns = Columns()
    named = [(i, (h or "").strip(), field_for(h or "")) for i, h in enumerate(headings)]
    present = {name for _i, _h, name in named if name}
    for i, heading, name in named:
        if name is None and normalise(heading) == "agency":
            name = "agency" if "lead" in present else "lead"
        if name == "due" and "target" not in present:
            name = "target"
        if name in DERIVED or name == "due":
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


def is_header_row(cells: Sequence[str]) -> bool:
    """A row of column headings (the table's first row, or repeated after each page break)."""
    names = {field_for(c) for c in cells if c and c.strip()}
    found = names & _HEADING_FIELDS
    return len(found) >= 3 and bool(found & {"action", "recommendation_text"})


_SECTION = re.compile(
    r"^\s*(?:(overview)\s+(?:report\s+)?recommendations?|"
    r"(?:individual\s+)?agency\s+recommendations?\s*[–—:-]+\s*(.+?)|"
    r"(?:individual\s+)?(?:management\s+review|imr)\s+recommendations?\s*[–—:-]+\s*(.+?))\s*$",
    re.IGNORECASE,
)


def section_title(text: str) -> Optional[Tuple[str, Optional[str]]]:
    """("overview", None) or ("agency", name) for a template section title, else None."""
    m = _SECTION.match(" ".join(text.split()))
    if not m:
        return None
    if m.group(1):
        return ("overview", None)
    return ("agency", (m.group(2) or m.group(3)).strip())
