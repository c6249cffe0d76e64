"""Building a plan from the rows of the Home Office template table (from exported text or a Word
document): recommendation rows, numbered sub-actions, and rows that only continue a cell's text
after a page break.

Nothing is guessed silently: a value that cannot be mapped is kept verbatim in the action's
import_notes and reported as a warning naming the source row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple, Union

from dhrtrack.errors import DhrtrackError
from dhrtrack.importing.cells import (
    Agencies,
    clean,
    is_organisation,
    number_cell,
    numbered_text,
    rating_and_rest,
    sub_actions,
    words_within,
)
from dhrtrack.importing.headings import Columns, column_letter
from dhrtrack.importing.rows import (
    HEADING_NAMES,
    RowCells,
    action_texts,
    add_themes,
    fill,
    kept_cells,
    notes_and_log,
    response_of,
    split_values,
    translations,
)
from dhrtrack.plan import fields
from dhrtrack.plan.model import ordered

SCOPES = {
    "local": "local",
    "regional": "regional",
    "national": "national",
    "lleol": "local",  # Welsh
    "rhanbarthol": "regional",
    "cenedlaethol": "national",
}


@dataclass
class Section:
    kind: str  # overview | agency
    agency: Optional[str]
    source: str


@dataclass
class Row(RowCells):
    # True: the row has its own action cell (a Word table row) and so is a new action;
    # None: decide from the text (exported text, where page breaks split cells into rows).
    new_action: Optional[bool] = None


@dataclass
class Banner:
    """A row across the table naming the recommendation of the rows under it ("Recommendation
    2: Thames Valley Police should..."), in a table with no recommendation column of its own."""

    number: int
    text: str
    source: str


@dataclass
class Unplaced:
    text: str
    source: str


@dataclass
class Note:
    """A warning from the reader (an unknown column, ...), in document order."""

    message: str
    source: str


@dataclass
class Header:
    """A heading row the reader recognised (the table's first, or one repeated after a page break)."""

    cells: List[str]
    source: str


Item = Union[Section, Row, Unplaced, Note, Header, Banner]


def row_of(cells: List[str], columns: Columns, source: str, new_action: Optional[bool] = None) -> Row:
    """A table row's cells by field; cells of columns that are no field, and cells beyond the
    heading row, are kept for import_notes."""
    values = {name: cells[i] if i < len(cells) else "" for i, name in columns.fields.items()}
    for i, other in columns.rest.items():
        # A rating column that is progress too: the rating, and the rest of the cell as progress.
        values[columns.fields[i]], values[other] = rating_and_rest(values[columns.fields[i]])
    kept = kept_cells(cells, columns.kept)
    kept += [
        f"column {column_letter(i)}: {' '.join(c.split())}"
        for i, c in enumerate(cells)
        if i not in columns.fields and i not in columns.kept and i not in columns.derived and c.strip()
    ]
    return Row(values, source, kept, new_action=new_action)


@dataclass
class Result:
    plan: dict
    warnings: List[Tuple[str, str]] = field(default_factory=list)  # (source, message)


class ImportFailed(DhrtrackError):
    """The source cannot be imported at all (no table, no review id, ...)."""


class Builder:
    def __init__(self, agencies: Optional[Agencies] = None, on: Optional[str] = None):
        import datetime as dt

        self.agencies = agencies or Agencies()
        # The date progress text is recorded under: the document's own, else the import's.
        self.on = on or dt.date.today().isoformat()
        self.recs: List[dict] = []
        self.warnings: List[Tuple[str, str]] = []
        self.section: Optional[Section] = None
        self.section_used = False
        self.pending_notes: List[str] = []
        self.banner: Optional[Banner] = None  # the recommendation the next action rows are under

    # --- the whole document ------------------------------------------------------------------

    def build(self, items: List[Item], review_id: str, title: Optional[str], partnership: Optional[str]) -> Result:
        # Section titles name the agencies: learn them all first, so that a lead cell can be
        # split even in a table that comes before its agency's own section.
        for item in items:
            if isinstance(item, Section) and item.agency:
                self.agencies.add(self.agencies.canonical(item.agency) or item.agency)
        for item in items:
            if isinstance(item, Section):
                if self.section is not None and (item.kind, item.agency) == (self.section.kind, self.section.agency):
                    continue  # the same section's title again (repeated after a page break)
                self._section_unused()
                self.section, self.section_used = item, False
            elif isinstance(item, Unplaced):
                self._unplaced(item.text, item.source)
            elif isinstance(item, Note):
                self.warnings.append((item.source, item.message))
            elif isinstance(item, Header):
                continue
            elif isinstance(item, Banner):
                self._banner_unused()
                self.banner = item
            else:
                self.add(item)
        self._section_unused()
        self._banner_unused()
        if self.pending_notes and self.recs and self.recs[-1]["actions"]:
            last = self.recs[-1]["actions"][-1]
            last.setdefault("import_notes", []).extend(self.pending_notes)
        for rec in self.recs:
            if rec["section"] == "agency" and not rec.get("agency"):
                rec["section"] = "overview"
        review = {"id": review_id}
        if title:
            review["title"] = title
        if partnership:
            review["partnership"] = partnership
        return Result({"schema_version": 1, "review": review, "recommendations": self.recs}, self.warnings)

    # --- rows --------------------------------------------------------------------------------

    def _number(self, row: Row) -> Tuple[Optional[int], Optional[str], str]:
        """(recommendation number, action id, recommendation text) of a row: from the number
        column ("7", "7.2", "7a", "Rec 7"), or from the start of the recommendation cell ("7.",
        "Recommendation 7:", "R7"), as the Home Office template is often filled in."""
        cell = row.get("recommendation").strip()
        rec_cell = row.get("recommendation_text")
        in_text, rest = numbered_text(rec_cell)
        own_id = "".join(row.get("action_id").split())
        if own_id:  # an action id column of its own (dhrtrack's export, trackers)
            number = number_cell(cell)[0] if cell else (in_text or number_cell(own_id)[0])
            if number is not None:
                return number, own_id, (rest if in_text == number else rec_cell)
        if cell:
            number, action_id = number_cell(cell)
            if number is None:
                self._warn(
                    row,
                    f"recommendation number {cell!r} is not a number of 1 or more (like 7, 7.2 or "
                    "7a); the row is read as continuing the recommendation above, and the cell is "
                    "kept in import_notes",
                )
                self.pending_notes.append(f"{HEADING_NAMES['recommendation']}: {cell}")
                return None, None, rec_cell
            return number, action_id, (rest if in_text == number else rec_cell)
        if in_text is not None:
            return in_text, None, rest
        return None, None, rec_cell

    def add(self, row: Row) -> None:
        if not any(v.strip() for v in row.cells.values()) and not row.kept:
            return
        number, action_id, rec_text = self._number(row)
        if self.banner is not None and number is None and not rec_text.strip():
            number, rec_text, self.banner = self.banner.number, self.banner.text, None
        current = self.recs[-1] if self.recs else None
        if number is None and row.new_action is True and (current is None or self._another_text(rec_text, current)):
            # A row of its own with no number, under other recommendation text: the next
            # recommendation, numbered in order.
            number = max((r["number"] for r in self.recs), default=0) + 1
            self._warn(row, f"the document gives this recommendation no number; it is numbered {number}")
        if number is not None and (current is None or number != current["number"]):
            self._new_recommendation(number, row, rec_text)
            self._row_section(self.recs[-1], row)
            self._new_actions(row, action_id)
            return
        if current is None:
            self._unplaced(" | ".join(v for v in list(row.cells.values()) + row.kept if v.strip()), row.source)
            return
        self._row_section(current, row)
        action_cell = row.get("action")
        items = sub_actions(action_cell) if action_cell.strip() else []
        if action_id is not None or row.new_action is True or (row.new_action is None and items):
            self._same_recommendation_text(row, rec_text)
            self._new_actions(row, action_id)
        else:
            self._continue(row)

    @staticmethod
    def _another_text(rec_text: str, current: dict) -> bool:
        text = clean(rec_text)
        return bool(text) and not words_within(text or "", current["text"])

    def _row_section(self, rec: dict, row: Row) -> None:
        """A row's Section and Agency cells (a tracker's, or dhrtrack's export) place its
        recommendation."""
        section = row.get("section").strip().lower()
        agency = " ".join(row.get("agency").split())
        if section in ("overview", "agency"):
            rec["section"] = section
        elif agency:
            rec["section"] = "agency"
        if agency:
            rec["agency"] = self.agencies.canonical(agency) or agency
        elif section and section not in ("overview", "agency"):
            self.pending_notes.append(f"{HEADING_NAMES['section']}: {section}")
            self._warn(row, f"section {section!r} is not overview or agency; kept in import_notes")
        add_themes(rec, row.get("themes"))
        translations(rec, fields.RECOMMENDATION, row)
        scope = " ".join(row.get("scope").split())
        # "Lleol / Local": a bilingual cell gives the scope when its parts agree.
        readings = {SCOPES.get(part.strip().lower().rstrip(".")) for part in [scope, *scope.split("/")]} - {None}
        known = readings.pop() if len(readings) == 1 else None
        if scope and known is not None and rec.get("scope") in (None, known):
            rec["scope"] = known
        elif scope:
            self.pending_notes.append(f"{HEADING_NAMES['scope']} of recommendation {rec['number']}: {scope}")
            why = "is not local, regional or national" if known is None else f"differs from {rec['scope']!r}"
            self._warn(row, f"scope {scope!r} {why}; kept in import_notes")
        response_of(rec, row, self.pending_notes, lambda message: self._warn(row, message))

    def _new_recommendation(self, number: int, row: Row, rec_text: str) -> None:
        if any(r["number"] == number for r in self.recs):
            self._warn(
                row, f"recommendation {number} appears again after other recommendations; its rows are added to it"
            )
        section = self.section
        self.section_used = True
        rec: dict = {"number": number, "section": section.kind if section else "overview"}
        if section and section.kind == "agency" and section.agency:
            rec["agency"] = self.agencies.canonical(section.agency) or section.agency
        text = clean(rec_text)
        if text is None:
            self._warn(row, f"recommendation {number} has no text; its first action's text is used")
            text = clean(row.get("action")) or f"Recommendation {number}"
        rec["text"] = text
        rec["actions"] = []
        existing = next((r for r in self.recs if r["number"] == number), None)
        if existing is not None:
            # The recommendation goes on; text it did not have is kept, not put in its place.
            self.recs.remove(existing)
            if clean(rec_text) and not words_within(rec["text"], existing["text"]):
                self.pending_notes.append(f"{HEADING_NAMES['recommendation_text']}: {rec['text']}")
                self._warn(row, f"recommendation {number} is given other text here; kept in import_notes")
            if rec.get("agency") and rec.get("agency") != existing.get("agency"):
                # Under another agency's heading: the recommendation keeps its first place, and
                # the heading that would have moved it is said, not lost.
                self.pending_notes.append(f"{HEADING_NAMES['agency']}: {rec['agency']}")
                self._warn(
                    row,
                    f"recommendation {number} appears again under the heading of {rec['agency']!r}; "
                    "it stays where it was first, and the agency is kept in import_notes",
                )
            rec = existing
        self.recs.append(rec)

    def _new_actions(self, row: Row, action_id: Optional[str]) -> None:
        """The row's actions: one, or one per sub-action its action cell lists."""
        texts = action_texts(row.get("action"))
        values = split_values(row, len(texts), lambda message: self._warn(row, message))
        for i, (text, own) in enumerate(zip(texts, values)):
            ident = action_id if action_id is None or len(texts) == 1 else f"{action_id}.{i + 1}"
            self._new_action(text, row, own, ident, carry=i > 0)

    def _new_action(
        self, text: Optional[str], row: Row, values: Dict[str, str], ident: Optional[str], carry: bool
    ) -> None:
        rec = self.recs[-1]
        previous = rec["actions"][-1] if rec["actions"] else None
        notes: List[str] = self.pending_notes
        self.pending_notes = []
        action: dict = {"id": ident or f"{rec['number']}.{len(rec['actions']) + 1}"}
        while any(a["id"] == action["id"] for r in self.recs for a in r["actions"]):
            action["id"] += "a"
        if not text:
            text = rec["text"]
            self._warn(row, f"action {action['id']} has no text in the document; the recommendation's text is used")
        action["action"] = text
        row_for_action = row if not carry else Row(row.cells, row.source, [], row.colour_rating, row.new_action)
        fill(
            action,
            row_for_action,
            values,
            self.agencies,
            previous["lead"] if previous else None,
            rec.get("agency"),
            notes,
            lambda message: self._warn(row, message),
            self.on,
        )
        if notes:
            action["import_notes"] = notes
        rec["actions"].append(ordered(action))

    def _same_recommendation_text(self, row: Row, rec_text: str) -> None:
        """A sub-action row repeats its recommendation's text; anything else is noted."""
        text = clean(rec_text)
        rec = self.recs[-1]
        if text and not words_within(text, rec["text"]):
            self.pending_notes.append(f"{HEADING_NAMES['recommendation_text']}: {text}")
            self._warn(
                row,
                f"a sub-action row of recommendation {rec['number']} has different recommendation "
                "text; kept in import_notes",
            )

    def _continue(self, row: Row) -> None:
        """A row that only continues the cells of the action above after a page break."""
        rec = self.recs[-1]
        if not rec["actions"]:
            self._new_actions(row, None)
            return
        action = rec["actions"][-1]
        rec_text = clean(row.get("recommendation_text"))
        if rec_text and not words_within(rec_text, rec["text"]):
            rec["text"] = _join(rec["text"], rec_text)
        action_text = clean(row.get("action"))
        if action_text and not words_within(action_text, action["action"]):
            action["action"] = _join(action["action"], action_text)
        lead_cell = " ".join(row.get("lead").split())
        if lead_cell:
            lead, owner = self.agencies.split_lead(lead_cell)
            if action.get("owner") and owner is None and not is_organisation(lead_cell):
                # The rest of the owner's role, cut by the page break ("Head of" / "Safeguarding").
                action["owner"] = f"{action['owner']} {lead_cell}"
            elif not action.get("owner") and (lead_cell[:1].islower() or not is_organisation(action["lead"])):
                # The rest of the lead's cell, cut by the page break ("Eastvale" / "NHS Trust – Head of ...").
                joined, joined_owner = self.agencies.split_lead(f"{action['lead']} {lead_cell}")
                action["lead"] = joined
                if joined_owner:
                    action["owner"] = joined_owner
            elif lead != action["lead"] or (owner and owner != action.get("owner")):
                action.setdefault("import_notes", []).append(f"{HEADING_NAMES['lead']}: {lead_cell}")
                self._warn(row, f"action {action['id']}: a continuation row names another lead; kept in import_notes")
        owner_cell = " ".join(row.get("owner").split())
        if owner_cell and owner_cell != action.get("owner"):
            # An owner column's cell going on after the page break ("Senior" / "Probation Officer").
            action["owner"] = f"{action['owner']} {owner_cell}" if action.get("owner") else owner_cell
        for name in ("milestones", "evidence"):
            items = [i for i in _items(row.get(name)) if i not in action.get(name, [])]
            if items and action.get(name) and items[0][:1].islower():
                # The last item going on after the page break ("Guide" / "published").
                action[name] = action[name][:-1] + [f"{action[name][-1]} {items.pop(0)}"]
            if items:
                action[name] = action.get(name, []) + items
        outcome = clean(row.get("outcome"))
        if outcome and outcome not in (action.get("outcome") or ""):
            action["outcome"] = f"{action['outcome']}\n{outcome}" if action.get("outcome") else outcome
        notes: List[str] = []
        progress = clean(row.get("updates"))
        last = (action.get("updates") or [{}])[-1]
        if progress and last.get("date") == self.on and "note" in last and not fields.parse_update_line(progress):
            last["note"] = _join(last["note"], progress)  # the progress text going on after the page break
        else:
            notes_and_log(action, row, notes, lambda message: self._warn(row, message), self.on)
        for name in ("target", "rag", "completed"):
            cell = " ".join(row.get(name).split())
            if not cell:
                continue
            if name not in action and self._rejoined(action, name, cell):
                self._warn(row, f"action {action['id']}: the {name} cut by the page break reads as {action[name]}")
                continue
            probe: dict = {"id": action["id"]}
            fill_one(probe, name, cell, notes, lambda message: self._warn(row, message))
            if name not in probe:
                continue
            if name not in action:
                action[name] = probe[name]
            elif action[name] != probe[name]:
                notes.append(f"{HEADING_NAMES[name]}: {cell}")
                self._warn(
                    row,
                    f"action {action['id']}: a continuation row gives another {name} ({cell!r}); kept in import_notes",
                )
        notes += row.kept
        if notes:
            action.setdefault("import_notes", []).extend(notes)
        rec["actions"][-1] = ordered(action)

    def _rejoined(self, action: dict, name: str, cell: str) -> bool:
        """A value cut by the page break: the part above was kept in the notes as unreadable
        ("31/03/202"), and with this part ("6") it reads. Then it is the value, and the note goes."""
        from dhrtrack.importing.cells import read_value

        prefix = f"{HEADING_NAMES[name]}: "
        notes = action.get("import_notes") or []
        kept = next((n for n in reversed(notes) if n.startswith(prefix)), None)
        if kept is None:
            return False
        head = kept[len(prefix) :]
        for joined in (head + cell, f"{head} {cell}"):
            value, rest, _warning = read_value(name, joined)
            if value is not None and not rest:
                action[name] = value
                notes.remove(kept)
                if not notes:
                    action.pop("import_notes")
                return True
        return False

    def _section_unused(self) -> None:
        """A heading that named an agency with no recommendation under it: said, not lost."""
        if self.section is not None and self.section.agency and not self.section_used:
            self.warnings.append(
                (self.section.source, f"{self.section.agency!r} heads no recommendation; it is not in the plan")
            )

    def _banner_unused(self) -> None:
        """A recommendation's row with no action row under it: said, not lost."""
        if self.banner is not None:
            self.warnings.append(
                (
                    self.banner.source,
                    f"recommendation {self.banner.number} has no action under it; it is not in the plan: "
                    f"{self.banner.text!r}",
                )
            )
            self.banner = None

    def _unplaced(self, text: str, source: str) -> None:
        self.warnings.append((source, f"text outside the recommendations table is kept in import_notes: {text[:60]!r}"))
        self.pending_notes.append(f"{source}: {text}")

    def _warn(self, row: Row, message: str) -> None:
        self.warnings.append((row.source, message))


def _items(cell: str) -> List[str]:
    from dhrtrack.importing.cells import milestone_items

    return milestone_items(cell)


def fill_one(action: dict, name: str, cell: str, notes: List[str], warn: Callable[[str], None]) -> None:
    from dhrtrack.importing.cells import map_cell

    warning = map_cell(action, name, cell, notes)
    if warning:
        warn(warning)


def _join(first: str, more: str) -> str:
    """A cell's text continued after a page break: the sentence goes on, so join with a space."""
    return f"{first} {more}"
