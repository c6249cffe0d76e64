"""Building a plan from the rows of the Home Office template table (from exported text or a Word
document): recommendation rows, numbered sub-actions, and rows that only continue a cell's text
after a page break.

Nothing is guessed silently: a value that cannot be mapped is kept verbatim in the action's
import_notes and reported as a warning naming the source row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple, Union

from dhrtrack.errors import DhrtrackError
from dhrtrack.importing.cells import (
    Agencies,
    clean,
    map_cell,
    milestone_items,
    numbered_actions,
    recommendation_number,
)
from dhrtrack.plan.model import ordered

HEADING_NAMES = {
    "number": "No.",
    "recommendation": "Recommendation",
    "scope": "Scope",
    "action": "Action to take",
    "lead": "Lead Agency",
    "milestones": "Key milestones",
    "target": "Target Date",
    "outcome": "Outcome",
    "rag": "Completion/RAG",
}
SCOPES = {"local": "local", "regional": "regional", "national": "national"}


@dataclass
class Section:
    kind: str  # overview | agency
    agency: Optional[str]
    source: str


@dataclass
class Row:
    cells: Dict[str, str]
    source: str  # "line 64", "table 2, row 5"
    # True: the row has its own action cell (a Word table row) and so is a new action;
    # None: decide from the text (exported text, where page breaks split cells into rows).
    new_action: Optional[bool] = None

    def get(self, name: str) -> str:
        return self.cells.get(name) or ""


@dataclass
class Unplaced:
    text: str
    source: str


Item = Union[Section, Row, Unplaced]


@dataclass
class Result:
    plan: dict
    warnings: List[Tuple[str, str]] = field(default_factory=list)  # (source, message)


class ImportFailed(DhrtrackError):
    """The source cannot be imported at all (no table, no review id, ...)."""


class Builder:
    def __init__(self, agencies: Optional[Agencies] = None):
        self.agencies = agencies or Agencies()
        self.recs: List[dict] = []
        self.warnings: List[Tuple[str, str]] = []
        self.section: Optional[Section] = None
        self.pending_notes: List[str] = []

    # --- the whole document ------------------------------------------------------------------

    def build(self, items: List[Item], review_id: str, title: Optional[str], partnership: Optional[str]) -> Result:
        # Section titles name the agencies: learn them all first, so that a lead cell can be
        # split even in a table that comes before its agency's own section.
        for item in items:
            if isinstance(item, Section) and item.agency:
                self.agencies.add(self.agencies.canonical(item.agency) or item.agency)
        for item in items:
            if isinstance(item, Section):
                self.section = item
            elif isinstance(item, Unplaced):
                self._unplaced(item.text, item.source)
            else:
                self.add(item)
        if self.pending_notes and self.recs:
            last = self.recs[-1]["actions"][-1]
            last.setdefault("import_notes", []).extend(self.pending_notes)
        review = {"id": review_id}
        if title:
            review["title"] = title
        if partnership:
            review["partnership"] = partnership
        return Result({"schema_version": 1, "review": review, "recommendations": self.recs}, self.warnings)

    # --- rows --------------------------------------------------------------------------------

    def add(self, row: Row) -> None:
        if not any(v.strip() for v in row.cells.values()):
            return
        number_cell = row.get("number").strip()
        number = None
        if number_cell:
            number = recommendation_number(number_cell)
            if number is None:
                self._warn(
                    row,
                    f"recommendation number {number_cell!r} is not a whole number of 1 or more; the row is read as "
                    "continuing the recommendation above",
                )
        current = self.recs[-1] if self.recs else None
        if number is not None and (current is None or number != current["number"]):
            self._new_recommendation(number, row)
            action_cell = row.get("action")
            items = numbered_actions(action_cell) or [clean(action_cell) or ""]
            for text in items:
                self._new_action(text, row)
            return
        if current is None:
            self._unplaced(" | ".join(v for v in row.cells.values() if v.strip()), row.source)
            return
        action_cell = row.get("action")
        items = numbered_actions(action_cell) if action_cell.strip() else []
        if row.new_action is True or (row.new_action is None and items):
            self._same_recommendation_text(row)
            for text in items or [clean(action_cell) or ""]:
                self._new_action(text, row)
        else:
            self._continue(row)

    def _new_recommendation(self, number: int, row: Row) -> None:
        if any(r["number"] == number for r in self.recs):
            self._warn(
                row, f"recommendation {number} appears again after other recommendations; its rows are added to it"
            )
        section = self.section
        rec: dict = {"number": number, "section": section.kind if section else "overview"}
        if section and section.kind == "agency" and section.agency:
            rec["agency"] = self.agencies.canonical(section.agency) or section.agency
        scope = row.get("scope").strip()
        if scope:
            if scope.lower() in SCOPES:
                rec["scope"] = SCOPES[scope.lower()]
            else:
                self.pending_notes.append(f"{HEADING_NAMES['scope']} of recommendation {number}: {scope}")
                self._warn(row, f"scope {scope!r} is not local, regional or national; kept in import_notes")
        text = clean(row.get("recommendation"))
        if text is None:
            self._warn(row, f"recommendation {number} has no text; its first action's text is used")
            text = clean(row.get("action")) or f"Recommendation {number}"
        rec["text"] = text
        rec["actions"] = []
        existing = next((r for r in self.recs if r["number"] == number), None)
        if existing is not None:
            self.recs.remove(existing)
            rec["actions"] = existing["actions"]
        self.recs.append(rec)

    def _new_action(self, text: Optional[str], row: Row) -> None:
        rec = self.recs[-1]
        previous = rec["actions"][-1] if rec["actions"] else None
        notes: List[str] = self.pending_notes
        self.pending_notes = []
        action: dict = {"id": f"{rec['number']}.{len(rec['actions']) + 1}"}
        while any(a["id"] == action["id"] for a in rec["actions"]):
            action["id"] += "a"
        if not text:
            text = rec["text"]
            self._warn(row, f"action {action['id']} has no text in the document; the recommendation's text is used")
        action["action"] = text
        lead_cell = " ".join(row.get("lead").split())
        if lead_cell:
            lead, owner = self.agencies.split_lead(lead_cell)
            action["lead"] = lead
            if owner:
                action["owner"] = owner
        elif previous is not None:
            action["lead"] = previous["lead"]  # a blank lead cell on a sub-action row: the lead above
        elif rec.get("agency"):
            action["lead"] = rec["agency"]
            self._warn(row, f"action {action['id']} has no lead agency; the agency of its section is used")
            notes.append(f"{HEADING_NAMES['lead']}: blank in the document; the section's agency is used")
        else:
            action["lead"] = "Not given"
            self._warn(row, f"action {action['id']} has no lead agency: it is recorded as 'Not given'")
            notes.append(f"{HEADING_NAMES['lead']}: blank in the document")
        milestones = milestone_items(row.get("milestones"))
        if milestones:
            action["milestones"] = milestones
        self._map(action, "target", row, notes)
        outcome = clean(row.get("outcome"))
        if outcome:
            action["outcome"] = outcome
        self._map(action, "rag", row, notes)
        if notes:
            action["import_notes"] = notes
        rec["actions"].append(ordered(action))

    def _map(self, action: dict, name: str, row: Row, notes: List[str]) -> None:
        warning = map_cell(action, name, row.get(name), notes)
        if warning:
            self._warn(row, warning)

    def _same_recommendation_text(self, row: Row) -> None:
        """A sub-action row repeats its recommendation's text; anything else is noted."""
        text = clean(row.get("recommendation"))
        rec = self.recs[-1]
        if text and " ".join(text.split()) not in " ".join(rec["text"].split()):
            self.pending_notes.append(f"{HEADING_NAMES['recommendation']}: {text}")
            self._warn(
                row,
                f"a sub-action row of recommendation {rec['number']} has different recommendation "
                "text; kept in import_notes",
            )

    def _continue(self, row: Row) -> None:
        """A row that only continues the cells of the action above after a page break."""
        rec = self.recs[-1]
        action = rec["actions"][-1]
        rec_text = clean(row.get("recommendation"))
        if rec_text and " ".join(rec_text.split()) not in " ".join(rec["text"].split()):
            rec["text"] = _join(rec["text"], rec_text)
        action_text = clean(row.get("action"))
        if action_text and " ".join(action_text.split()) not in " ".join(action["action"].split()):
            action["action"] = _join(action["action"], action_text)
        lead_cell = " ".join(row.get("lead").split())
        if lead_cell:
            lead, owner = self.agencies.split_lead(lead_cell)
            if lead != action["lead"] or (owner and owner != action.get("owner")):
                action.setdefault("import_notes", []).append(f"{HEADING_NAMES['lead']}: {lead_cell}")
                self._warn(row, f"action {action['id']}: a continuation row names another lead; kept in import_notes")
        milestones = milestone_items(row.get("milestones"))
        if milestones:
            action["milestones"] = action.get("milestones", []) + milestones
        outcome = clean(row.get("outcome"))
        if outcome:
            action["outcome"] = f"{action['outcome']}\n{outcome}" if action.get("outcome") else outcome
        notes: List[str] = []
        for name in ("target", "rag"):
            cell = " ".join(row.get(name).split())
            if not cell:
                continue
            probe: dict = {"id": action["id"]}
            self._map(probe, name, row, notes)
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
        if notes:
            action.setdefault("import_notes", []).extend(notes)
        rec["actions"][-1] = ordered(action)

    def _unplaced(self, text: str, source: str) -> None:
        self.warnings.append((source, f"text outside the recommendations table is kept in import_notes: {text[:60]!r}"))
        self.pending_notes.append(f"{source}: {text}")

    def _warn(self, row: Row, message: str) -> None:
        self.warnings.append((row.source, message))


def _join(first: str, more: str) -> str:
    """A cell's text continued after a page break: the sentence goes on, so join with a space."""
    return f"{first} {more}"
