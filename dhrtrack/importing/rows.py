"""One row of an action plan, read as a person reads it: the row's action cell may list several
sub-actions, each becoming its own action; a value cell may give one value for the row (it
applies to each sub-action) or one value a line (one for each); the rating may be in a RAG
column, in the cell's colour, or written in the outcome cell. Every reader (text, Word, CSV,
Excel) fills actions through this one function, so the rules are the same everywhere.

Nothing is lost and nothing invented: a value that cannot be read is kept in import_notes with a
warning, and a value that had to be inferred (a rating read from the outcome, a lead taken from
the row above) says so in a warning naming the source row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from dhrtrack.importing.cells import (
    UNRATED_WORDS,
    Agencies,
    cell_lines,
    clean,
    completed_in_text,
    map_cell,
    milestone_items,
    parse_date,
    rating_in_text,
    read_value,
    sub_actions,
)
from dhrtrack.plan import fields

# The names import notes give to the fields (the Home Office template's headings where it has one).
HEADING_NAMES = {
    f.column: f.heading
    for f in fields.FIELDS
    if f.export and f.level in (fields.REVIEW, fields.RECOMMENDATION, fields.ACTION, *fields.WITHIN)
}
PER_LINE = ("target", "rag", "completed")  # values a row may give one a line, one per sub-action


@dataclass
class RowCells:
    """A row's cells by field, where it came from, and what it holds beyond the plan's fields."""

    cells: Dict[str, str]
    source: str  # "line 64", "table 2, row 5", "sheet 'Actions' row 7"
    kept: List[str] = field(default_factory=list)  # "Heading: value" of columns that are no field
    colour_rating: Optional[str] = None  # the RAG cell's fill colour, read as a rating

    def get(self, name: str) -> str:
        return self.cells.get(name) or ""


Warn = Callable[[str], None]


def action_texts(cell: str) -> List[Optional[str]]:
    """The actions a row's action cell holds: its sub-actions, or the cell as one action."""
    return list(sub_actions(cell)) or [clean(cell)]


def per_item(row: RowCells, name: str, count: int, warn: Warn) -> List[str]:
    """The value of a cell for each of `count` sub-actions: one a line when the lines match the
    sub-actions, else the whole cell for each (a cell that does not read is then kept in notes)."""
    cell = row.get(name)
    if count > 1:
        lines = cell_lines(cell)
        if len(lines) == count:
            return lines
        if len(lines) > 1:
            warn(
                f"the {HEADING_NAMES[name]} cell has {len(lines)} lines for {count} sub-actions; "
                "each sub-action is given the whole cell"
            )
    return [cell] * count


def fill(
    action: dict,
    row: RowCells,
    values: Dict[str, str],
    agencies: Agencies,
    lead_above: Optional[str],
    section_agency: Optional[str],
    notes: List[str],
    warn: Warn,
    on: str,
) -> None:
    """Set an action's fields from its row. `values` holds this action's own target, rag and
    completed cells (one line each for sub-actions); `lead_above` is the lead of the action above
    in the same recommendation, for a row whose lead cell is blank."""
    _lead(action, row, agencies, lead_above, section_agency, notes, warn)
    milestones = milestone_items(row.get("milestones"))
    if milestones:
        action["milestones"] = milestones
    _map(action, "target", values["target"], notes, warn)
    _rating_and_outcome(action, row, values, notes, warn)
    _map(action, "completed", values["completed"], notes, warn)
    evidence = milestone_items(row.get("evidence"))
    if evidence:
        action["evidence"] = evidence
    _verified(action, row, notes, warn)
    translations(action, fields.ACTION, row)
    notes_and_log(action, row, notes, warn, on)
    notes.extend(row.kept)


def translations(values: dict, level: str, row: RowCells) -> None:
    """The texts in another language a row's own columns give ("Action (Welsh)", "Argymhelliad
    (Cymraeg)"): set where the plan does not have one yet."""
    for f in fields.fields(level):
        text = clean(row.get(f.column)) if f.translates else None
        if text and not values.get(f.name):
            values[f.name] = text


def _verified(action: dict, row: RowCells, notes: List[str], warn: Warn) -> None:
    """The verification columns (dhrtrack's export): a day and who verified, with what
    evidence; a verification without both a day and a verifier is kept in import_notes."""
    got = {f.name: (row.get(f.column), f) for f in fields.fields(fields.VERIFIED)}
    if not any(clean(cell) for cell, _f in got.values()):
        return
    day = parse_date(" ".join(got["date"][0].split()))
    by = " ".join(got["by"][0].split())
    evidence = clean(got["evidence"][0])
    if day is None or len(day) != 10 or not by:
        notes.extend(f"{f.label}: {clean(cell)}" for cell, f in got.values() if clean(cell))
        warn(f"action {action['id']}: a verification needs a day and who verified; kept in import_notes")
        return
    action["verified"] = {"date": day, "by": by, **({"evidence": evidence} if evidence else {})}


def response_of(rec: dict, row: RowCells, notes: List[str], warn: Warn) -> None:
    """A national recommendation's addressee and response columns (dhrtrack's export, or a
    register kept as a spreadsheet): each value that reads as its kind is set; any other is kept
    in import_notes, saying why."""
    addressee = clean(row.get("addressee"))
    if addressee and not rec.get("addressee"):
        rec["addressee"] = " ".join(addressee.split())
    response = dict(rec.get("response") or {})
    for f in fields.fields(fields.RESPONSE):
        cell = clean(row.get(f.column))
        if not cell or f.name in response:
            continue
        value: Optional[str] = cell
        if f.kind == "date":
            value = parse_date(" ".join(cell.split()))
            value = value if value and len(value) == 10 else None
        elif f.kind == "choice":
            word = "_".join(cell.lower().replace("-", " ").split())
            value = word if word in f.choices else None
        if value is None:
            notes.append(f"{f.heading}: {cell}")
            warn(f"recommendation {rec['number']}: {f.label.lower()} {cell!r} is not a {f.kind}; kept in import_notes")
            continue
        response[f.name] = value
    if response:
        rec["response"] = {f.name: response[f.name] for f in fields.fields(fields.RESPONSE) if f.name in response}


def notes_and_log(action: dict, row: RowCells, notes: List[str], warn: Warn, on: str) -> None:
    """An earlier import's notes (dhrtrack's export keeps them: kept as they were), and the
    update log: dhrtrack's own (an entry a line), or a tracker's progress text, which becomes an
    update dated `on` (the document's date, else the import's)."""
    notes.extend(_lines(row.get("import_notes")))
    cell = row.get("updates")
    lines = _lines(cell)
    if lines and all(fields.parse_update_line(line) is None for line in lines):
        _progress(action, row, clean(cell) or "", on, warn)
    else:
        _update_log(action, cell, notes, warn)


def _progress(action: dict, row: RowCells, text: str, on: str, warn: Warn) -> None:
    """A progress cell as the action's update: its note, and, where the table has no RAG
    column, the rating it starts with ("Amber - audit delayed")."""
    entry: dict = {"date": on}
    if "rag" not in row.cells and "rag" not in action:
        rag, day, rest = rating_in_text(text, at_end=False)  # "Audit began, 20 cases done." is not complete
        if rag is not None:
            action["rag"] = entry["rag"] = rag
            warn(f"action {action['id']}: rated {rag} from its progress cell ({text[:40]!r})")
            if day is not None and "completed" not in action:
                action["completed"] = entry["completed"] = day
            text = rest
    if text:
        entry["note"] = text
    if len(entry) > 1:
        action.setdefault("updates", []).append(entry)
        warn(f"action {action['id']}: progress recorded as an update dated {on}")


def add_themes(rec: dict, cell: str) -> None:
    """A Themes cell's themes (one a line) added to the recommendation's, each once."""
    themes = list(rec.get("themes") or [])
    themes += [theme for theme in cell_lines(cell) if theme not in themes]
    if themes:
        rec["themes"] = themes


def _lines(cell: str) -> List[str]:
    return [line for line in cell.split("\n") if line.strip()]


def _update_log(action: dict, cell: str, notes: List[str], warn: Warn) -> None:
    """The entries of an Update log cell (dhrtrack's export writes one a line); a line that is
    not one is kept in import_notes."""
    for line in _lines(cell):
        entry = fields.parse_update_line(line)
        if entry is None:
            notes.append(f"{HEADING_NAMES['updates']}: {line}")
            warn("an Update log line is not an entry (date | name: value | ...); kept in import_notes")
        else:
            action.setdefault("updates", []).append(entry)


def _map(action: dict, name: str, cell: str, notes: List[str], warn: Warn) -> None:
    if name in action and not clean(cell):
        return
    warning = map_cell(action, name, cell, notes)
    if warning:
        warn(warning)


def _lead(
    action: dict,
    row: RowCells,
    agencies: Agencies,
    lead_above: Optional[str],
    section_agency: Optional[str],
    notes: List[str],
    warn: Warn,
) -> None:
    lead_cell = " ".join(row.get("lead").split())
    owner_cell = " ".join(row.get("owner").split())
    if lead_cell:
        if owner_cell:  # an owner column of its own: the lead cell is the agency, whole
            action["lead"] = agencies.canonical(lead_cell) or lead_cell
        else:
            lead, owner = agencies.split_lead(lead_cell)
            action["lead"] = lead
            if owner:
                action["owner"] = owner
    elif lead_above is not None:
        action["lead"] = lead_above
        warn(f"action {action['id']} has no lead agency; the lead above ({lead_above!r}) is used")
    elif section_agency:
        action["lead"] = section_agency
        warn(f"action {action['id']} has no lead agency; the agency of its section is used")
        notes.append(f"{HEADING_NAMES['lead']}: blank in the document; the section's agency is used")
    else:
        action["lead"] = "Not given"
        warn(f"action {action['id']} has no lead agency: it is recorded as 'Not given'")
        notes.append(f"{HEADING_NAMES['lead']}: blank in the document")
    if owner_cell:
        action["owner"] = owner_cell


def _rating_and_outcome(action: dict, row: RowCells, values: Dict[str, str], notes: List[str], warn: Warn) -> None:
    outcome = clean(row.get("outcome"))
    rag_cell = " ".join((clean(values["rag"]) or "").split())
    if rag_cell and row.colour_rating and read_value("rag", rag_cell)[0] is None:
        # "Behind schedule" in a cell shaded amber: the colour is the rating, the words a note.
        action["rag"] = row.colour_rating
        notes.append(f"Status: {rag_cell}")
        warn(
            f"action {action['id']}: rated {row.colour_rating} from the colour of its RAG cell; "
            f"its words {rag_cell!r} are kept in import_notes"
        )
    elif rag_cell:
        if rag_cell.lower().rstrip(".") in UNRATED_WORDS:
            notes.append(f"Status: {rag_cell}")
            warn(
                f"action {action['id']}: status {rag_cell!r} is not a rating; the action is unrated "
                "and the status is kept in import_notes"
            )
        else:
            _map(action, "rag", rag_cell, notes, warn)
    elif row.colour_rating:
        action["rag"] = row.colour_rating
        warn(f"action {action['id']}: rated {row.colour_rating} from the colour of its RAG cell")
    elif outcome and outcome.lower().rstrip(".") in UNRATED_WORDS:
        notes.append(f"Status: {outcome}")
        warn(
            f"action {action['id']}: status {outcome!r} is not a rating; the action is unrated and the status "
            "is kept in import_notes"
        )
        outcome = None
    elif outcome and "rag" not in row.cells:  # a rating written in the outcome: templates with no RAG column
        rag, day, rest = rating_in_text(outcome)
        if rag is not None:
            action["rag"] = rag
            warn(f"action {action['id']}: rated {rag} from its outcome cell ({outcome[:40]!r})")
            if day is not None:
                action["completed"] = day
            if rag == "complete":
                outcome = rest or None
            else:
                if rest:
                    notes.append(f"Progress: {rest}")
                outcome = None
    if outcome:
        action["outcome"] = outcome
        day = completed_in_text(outcome)
        if day is not None and "completed" not in action and not clean(values["completed"]):
            action["completed"] = day
            warn(f"action {action['id']}: completion date {day} read from its outcome")
            if "rag" not in action:
                action["rag"] = "complete"


def split_values(row: RowCells, count: int, warn: Warn) -> List[Dict[str, str]]:
    """Each sub-action's own target, rag and completed cells."""
    columns = {name: per_item(row, name, count, warn) for name in PER_LINE}
    return [{name: columns[name][i] for name in PER_LINE} for i in range(count)]


def kept_cells(cells: List[str], columns: Dict[int, str]) -> List[str]:
    """ "Heading: value" for the non-empty cells of columns that are no plan field."""
    return [
        f"{heading}: {' '.join(cells[i].split())}"
        for i, heading in columns.items()
        if i < len(cells) and cells[i] and cells[i].strip()
    ]


def distinct(items: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """Warnings in order, each once."""
    return list(dict.fromkeys(items))
