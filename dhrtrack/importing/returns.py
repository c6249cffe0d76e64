"""Agency returns coming back: a workbook (or CSV form) written by `chase --format xlsx|csv`,
filled in by the agency, read and applied to the plans.

This module is the one home of the return format (the sheets, the column headings, which are
input) shared by the writer (dhrtrack.render.returns) and the reader here. Reading checks every
cell and gives problems as values naming the file, sheet, row and column; applying matches rows
to actions by `Ref`, recognises stale rows (the action changed since the return was written)
and rows already applied, and turns the rest into surgical updates through the same engine as
`dhrtrack update`. All or nothing per return: one bad or stale row and nothing of that return is
applied. Nothing is written here: the command writes the edited plans.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from dhrtrack.agencies import Canon
from dhrtrack.errors import DhrtrackError
from dhrtrack.importing.cells import parse_date, printable
from dhrtrack.importing.template import ImportFailed
from dhrtrack.plan import edit, snapshot
from dhrtrack.plan.model import RAGS, Action, Plan, plan_name
from dhrtrack.plan.store import Loaded, read_file

ACTIONS_SHEET = "Actions"
INSTRUCTIONS_SHEET = "Instructions"
CHECK_SHEET = "dhrtrack"  # hidden: each row's Ref and the snapshot of its action

# Read-only columns, then the agency's input columns, with the headings the reader matches.
REF, REVIEW, RECOMMENDATION, ACTION, TARGET, DUE, FLAG, RAG, LATEST = (
    "Ref",
    "Review",
    "Recommendation",
    "Action",
    "Target",
    "Due",
    "Status",
    "Current RAG",
    "Latest update",
)
NEW_RAG, UPDATE, OUTCOME, COMPLETED_ON, NEW_TARGET, EVIDENCE = (
    "New RAG",
    "Update",
    "Outcome",
    "Completed on",
    "New target",
    "Evidence",
)
CHECK = "Check"  # the CSV form's last column: the snapshot (the workbook hides it in a sheet)
READ_ONLY = (REF, REVIEW, RECOMMENDATION, ACTION, TARGET, DUE, FLAG, RAG, LATEST)
INPUTS = (NEW_RAG, UPDATE, OUTCOME, COMPLETED_ON, NEW_TARGET, EVIDENCE)
DATE_INPUTS = (COMPLETED_ON, NEW_TARGET)
MAX_ROWS = 100_000  # a return lists one agency's open actions: thousands at most


# --- reading --------------------------------------------------------------------------------


@dataclass
class Answer:
    """One row of a return as read: where it is, its Ref, its input cells (None when empty, a
    date cell as a date) and the snapshot written with it (None when there is none)."""

    row: int  # as the spreadsheet numbers it
    ref: str
    cells: Dict[str, Any]
    check: Optional[str]
    shown: Dict[str, str] = field(default_factory=dict)  # read-only cells (Current RAG, Target)

    @property
    def empty(self) -> bool:
        return all(value is None for value in self.cells.values())


@dataclass
class ReturnFile:
    path: str
    sheet: Optional[str]  # None for a CSV form
    answers: List[Answer]
    ignored_columns: List[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def where(self, row: int, column: Optional[str] = None) -> str:
        """'Police.xlsx, Actions, row 4, New RAG'"""
        bits = [self.name] + ([self.sheet] if self.sheet else []) + [f"row {row}"] + ([column] if column else [])
        return ", ".join(bits)


def read_return(path: str) -> ReturnFile:
    """The rows of a return (.xlsx or .csv). Raises ImportFailed when it is not one."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path)
    raise ImportFailed(f"{path}: a return is an .xlsx workbook or a .csv form written by dhrtrack chase")


def _read_csv(path: str) -> ReturnFile:
    from dhrtrack.importing.sheet import csv_rows

    rows = csv_rows(path)
    return _answers(path, None, [[cell if cell.strip() else None for cell in row] for row in rows], {})


def _read_xlsx(path: str) -> ReturnFile:
    from dhrtrack.importing import office

    def load() -> Tuple[str, List[List[Any]], Dict[str, str]]:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            names = workbook.sheetnames
            name = ACTIONS_SHEET if ACTIONS_SHEET in names else names[0]
            rows = _sheet_rows(workbook[name])
            checks = {}
            if CHECK_SHEET in names:
                for row in _sheet_rows(workbook[CHECK_SHEET])[1:]:
                    if len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], str):
                        checks[row[0]] = row[1]
            return name, rows, checks
        finally:
            workbook.close()

    name, rows, checks = office.read(path, "xlsx", load)
    return _answers(path, name, rows, checks)


def _sheet_rows(sheet: Any) -> List[List[Any]]:
    sheet.reset_dimensions()  # read every row there is, whatever size the file says it has
    rows: List[List[Any]] = []
    for row in sheet.iter_rows():
        if len(rows) > MAX_ROWS:
            raise ImportFailed(f"sheet {sheet.title!r} has more than {MAX_ROWS} rows: not a return")
        rows.append([_value(cell) for cell in row])
    return rows


def _value(cell: Any) -> Any:
    """A cell's value; empty text is no value; a date cell shown as a month is the month."""
    value = getattr(cell, "value", None)
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
        number_format = (getattr(cell, "number_format", "") or "").lower().replace("[red]", "")
        return f"{day.year:04d}-{day.month:02d}" if "d" not in number_format else day
    return value


def _fold(heading: object) -> str:
    return " ".join(str(heading).split()).casefold() if heading is not None else ""


def _answers(path: str, sheet: Optional[str], rows: List[List[Any]], checks: Dict[str, str]) -> ReturnFile:
    known = {_fold(h): h for h in READ_ONLY + INPUTS + (CHECK,)}
    heading_row = next((i for i, row in enumerate(rows[:40]) if _fold(REF) in [_fold(c) for c in row]), None)
    if heading_row is None:
        raise ImportFailed(
            f"{path}: no heading row with a {REF!r} column: this is not a return written by dhrtrack chase "
            f"(expected the headings {', '.join(READ_ONLY + INPUTS)})"
        )
    headings = [_fold(cell) for cell in rows[heading_row]]
    columns = {known[h]: i for i, h in enumerate(headings) if h in known}
    missing = [h for h in INPUTS if h not in columns]
    if missing:
        raise ImportFailed(
            f"{path}: the heading row (row {heading_row + 1}) has no {', '.join(map(repr, missing))} column"
        )
    ignored = [str(rows[heading_row][i]).strip() for i, h in enumerate(headings) if h and h not in known]
    returned = ReturnFile(path, sheet, [], ignored)
    for number, row in enumerate(rows[heading_row + 1 :], heading_row + 2):
        values = {h: (row[i] if i < len(row) else None) for h, i in columns.items()}
        ref = values.get(REF)
        cells = {heading: values[heading] for heading in INPUTS}
        if ref is None and all(v is None for v in cells.values()):
            continue  # a blank row
        ref_text = _text(ref) if ref is not None else ""
        check = values.get(CHECK) if CHECK in columns else checks.get(ref_text)
        shown = {h: _text(values[h]) for h in (RAG, TARGET) if values.get(h) is not None}
        returned.answers.append(Answer(number, ref_text, cells, check if isinstance(check, str) else None, shown))
    return returned


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):
        value = value.isoformat()
    return printable(str(value))[0].strip()


# --- checking and applying ------------------------------------------------------------------


@dataclass
class Applied:
    """What applying one return did, or why it did nothing."""

    path: str
    agency: Optional[str] = None
    problems: List[str] = field(default_factory=list)  # any one refuses the whole return
    stale: List[str] = field(default_factory=list)  # rows whose action changed since
    applied: List[Tuple[str, List[str]]] = field(default_factory=list)  # (ref, changes)
    already: int = 0  # rows applied before (the same answer is in the action's log)
    unanswered: int = 0
    ignored_columns: List[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)


@dataclass
class PlanEdit:
    file: str
    raw: bytes
    edited: edit.Edited


@dataclass
class Outcome:
    returns: List[Applied]
    edits: List[PlanEdit]  # one per plan file that changes

    @property
    def warnings(self) -> List[str]:
        """validate's warnings on the edited actions ("rated green but was due ...")."""
        return [f"{w.file}:{w.line}:{w.column}: warning: {w.message}" for e in self.edits for w in e.edited.warnings]


@dataclass
class _Accepted:
    answer: Answer
    plan: Plan
    action: Action
    update: edit.ActionUpdate


def apply_returns(
    paths: Sequence[str],
    loaded: Loaded,
    canon: Canon,
    day: dt.date,
    skip_stale: bool = False,
    with_diff: bool = False,
    remember: bool = False,
) -> Outcome:
    """Check every return and make the plans' edits for the returns that pass (with their
    unified diffs when with_diff); writes no plan. remember: the edits will be written, so their
    checked data goes into the content cache."""
    from dhrtrack.plan.parallel import parallel_map

    by_ref: Dict[str, Tuple[Plan, Action]] = {f"{p.name}:{a.id}": (p, a) for p in loaded.plans for a in p.actions}
    read = parallel_map(_read_or_fail, list(paths))  # workbooks are slow to read: a hundred at once
    actions = _answered_actions([r for r in read if isinstance(r, ReturnFile)], by_ref, loaded)
    results: List[Applied] = []
    accepted: Dict[str, List[_Accepted]] = {}  # return path -> rows to apply
    claimed: Dict[str, str] = {}  # Ref -> the return that answers it in this run
    for path, returned in zip(paths, read):
        applied = Applied(path)
        results.append(applied)
        if isinstance(returned, str):
            applied.problems.append(returned)
            continue
        applied.ignored_columns = returned.ignored_columns
        rows = _check_rows(returned, loaded, by_ref, actions, canon, day, applied, skip_stale)
        for row in rows:
            if row.answer.ref in claimed:
                applied.problems.append(
                    f"{returned.where(row.answer.row, REF)}: {row.answer.ref} is answered by "
                    f"{claimed[row.answer.ref]} too; apply one answer at a time"
                )
        if not applied.refused:
            accepted[path] = rows
            claimed.update((row.answer.ref, returned.name) for row in rows)
    edits = _edits(accepted, results, loaded, day, with_diff, remember and loaded.use_cache)
    return Outcome(results, edits)


def _read_or_fail(path: str) -> Union[ReturnFile, str]:
    try:
        return read_return(path)
    except ImportFailed as error:
        return str(error)
    except OSError as error:  # unreadable, a directory, gone since it was named
        return f"{path}: cannot be read: {error.strerror or error}"


def _answered_actions(
    returned: List[ReturnFile], by_ref: Dict[str, Tuple[Plan, Action]], loaded: Loaded
) -> Dict[str, dict]:
    """The full data of every action some return answers, by Ref: each plan read once and only
    the answered actions kept, so a national run holds no more than it needs."""
    wanted: Dict[str, List[Tuple[str, Action]]] = {}
    plans: Dict[str, Plan] = {}
    for one in returned:
        for answer in one.answers:
            found = by_ref.get(answer.ref) if not answer.empty else None
            if found is not None:
                wanted.setdefault(found[0].file, []).append((answer.ref, found[1]))
                plans[found[0].file] = found[0]
    actions: Dict[str, dict] = {}
    loaded.prepare_data(list(plans.values()))
    for file, refs in wanted.items():
        whole = [a for r in loaded.take_data(plans[file])["recommendations"] for a in r["actions"]]
        actions.update((ref, whole[action.order]) for ref, action in refs)
    return actions


def _check_rows(
    returned: ReturnFile,
    loaded: Loaded,
    by_ref: Dict[str, Tuple[Plan, Action]],
    actions: Dict[str, dict],
    canon: Canon,
    day: dt.date,
    applied: Applied,
    skip_stale: bool,
) -> List[_Accepted]:
    rows: List[_Accepted] = []
    seen: Dict[str, int] = {}
    # Whose return it is: the agencies leading the actions it lists, answered or not.
    agencies = {canon(by_ref[a.ref][1].lead) for a in returned.answers if a.ref in by_ref}
    for answer in returned.answers:
        where = returned.where(answer.row)
        if answer.empty:
            applied.unanswered += 1
            continue
        if not answer.ref:
            applied.problems.append(
                f"{where}, {REF}: the row has answers but no Ref; it cannot be matched to an action"
            )
            continue
        if answer.ref in seen:
            applied.problems.append(
                f"{where}, {REF}: {answer.ref!r} is answered twice in this return (also row {seen[answer.ref]})"
            )
            continue
        seen[answer.ref] = answer.row
        found = by_ref.get(answer.ref)
        if found is None:
            applied.problems.append(f"{where}, {REF}: {answer.ref!r} {_unknown(answer.ref, loaded)}")
            continue
        plan, action = found
        update, problems = _update_of(answer, returned, day)
        if problems:
            applied.problems += problems
            continue
        assert update is not None
        whole = actions[answer.ref]
        update.by, update.source = canon(action.lead), returned.name
        if _already_applied(whole, update):
            applied.already += 1
            continue
        changed = _staleness(answer, whole)
        if changed:
            said = f"{where}: {answer.ref} changed in the plan since this return was written ({'; '.join(changed)})"
            if not skip_stale:
                applied.problems.append(said + "; write a new return for it, or apply the rest with --skip-stale")
            else:
                applied.stale.append(said)
            continue
        if edit.needs_outcome(update, bool(whole.get("outcome"))):
            applied.problems.append(
                f"{returned.where(answer.row, OUTCOME)}: rating {answer.ref} complete needs an outcome "
                "(none is recorded): say what was achieved"
            )
            continue
        rows.append(_Accepted(answer, plan, action, update))
    applied.agency = ", ".join(sorted(agencies)) or None
    return rows


def _unknown(ref: str, loaded: Loaded) -> str:
    name, _colon, ident = ref.rpartition(":")
    if not name:
        return "is not a Ref: it is written plan:action-id, as in the workbook dhrtrack wrote"

    if any(plan_name(i.file) == name for i in loaded.invalid):
        return f"is in plan {name}, which is not valid now: fix it (dhrtrack validate), then apply this return again"
    if not any(p.name == name for p in loaded.plans):
        return f"names no plan among those read (no plan named {name!r})"
    return f"is not an action in the plans (plan {name} has no action {ident!r})"


def _update_of(answer: Answer, returned: ReturnFile, day: dt.date) -> Tuple[Optional[edit.ActionUpdate], List[str]]:
    """The update a row asks for, every cell checked; problems name the cell."""
    problems: List[str] = []

    def bad(column: str, value: Any, why: str) -> None:
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        problems.append(f"{returned.where(answer.row, column)}: {shown!r} {why}")

    update = edit.ActionUpdate(day)
    rag = answer.cells[NEW_RAG]
    if rag is not None:
        word = " ".join(str(rag).split()).casefold()
        if word not in RAGS:
            bad(NEW_RAG, rag, f"is not one of {', '.join(RAGS)}")
        update.rag = word
    for column, name in ((UPDATE, "note"), (OUTCOME, "outcome"), (EVIDENCE, "evidence")):
        value = answer.cells[column]
        if value is not None:
            text = _long_text(value)
            if text:
                setattr(update, name, text)
    completed = answer.cells[COMPLETED_ON]
    if completed is not None:
        day_given = _day_of(completed)
        if day_given is None:
            bad(COMPLETED_ON, completed, "is not a date: give the day it was completed, e.g. 31/03/2027")
        elif day_given > day:
            bad(COMPLETED_ON, completed, f"is after {day.isoformat()}, the date of this update")
        else:
            update.completed = day_given
    target = answer.cells[NEW_TARGET]
    if target is not None:
        month_or_day = _month_or_day(target)
        if month_or_day is None:
            bad(NEW_TARGET, target, "is not a date: give a day (31/03/2027) or a month (March 2027)")
        else:
            update.target = month_or_day
    return (None if problems else update), problems


def _long_text(value: Any) -> str:
    text = _text(value) if not isinstance(value, str) else printable(value.replace("\r\n", "\n"))[0].strip()
    return text


def _day_of(value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.date):
        return value
    parsed = parse_date(str(value)) if isinstance(value, str) else None
    return dt.date.fromisoformat(parsed) if parsed and len(parsed) == 10 else None


def _month_or_day(value: Any) -> Optional[str]:
    if isinstance(value, dt.date):
        return value.isoformat()
    return parse_date(value) if isinstance(value, str) else None


def _already_applied(action: dict, update: edit.ActionUpdate) -> bool:
    """The same answer, from the same return, is already in the action's log (at any date)."""
    wanted = {k: v for k, v in update.entry().items() if k != "date"}
    return any({k: v for k, v in entry.items() if k != "date"} == wanted for entry in action.get("updates") or [])


def _staleness(answer: Answer, action: dict) -> List[str]:
    """What changed since the return was written: from its snapshot, else (a CSV form made by
    hand) from the rating and target it showed."""
    taken = snapshot.decode(answer.check) if answer.check else None
    if taken is not None:
        return [] if snapshot.unchanged(taken, action) else snapshot.changes(taken, action)
    said = []
    for column, name in ((RAG, "rag"), (TARGET, "target")):
        if column in answer.shown:
            before, now = answer.shown[column] or None, action.get(name)
            if (before or "").casefold() != (now or "").casefold():
                said.append(f"{name} {before or 'none'} → {now or 'none'}")
    return said


def _edits(
    accepted: Dict[str, List[_Accepted]],
    results: List[Applied],
    loaded: Loaded,
    day: dt.date,
    with_diff: bool,
    remember: bool,
) -> List[PlanEdit]:
    """One batch edit per plan file (in worker processes: a national run edits thousands). A
    plan whose edit is refused refuses every return that had rows for it, and the edits are
    made again without them: all or nothing per return."""
    from dhrtrack.plan.parallel import parallel_map

    by_path = {r.path: r for r in results}
    while True:
        per_file: Dict[str, List[Tuple[str, _Accepted]]] = {}
        for path, rows in accepted.items():
            for row in rows:
                per_file.setdefault(row.plan.file, []).append((path, row))
        jobs = []
        for file, rows_of_file in per_file.items():
            raw = read_file(file)
            rows_of_file.sort(key=lambda item: item[1].action.order)
            changes = [(r.action.id, r.update) for _p, r in rows_of_file]
            jobs.append((file, raw, changes, day, loaded.holds(file, raw), with_diff, remember))
        made = parallel_map(_edit, jobs)
        refused = False
        for rows_of_file, outcome in zip(per_file.values(), made):
            if isinstance(outcome, str):
                for path in sorted({p for p, _r in rows_of_file}):
                    by_path[path].problems.append(f"{os.path.basename(path)}: {outcome}")
                    accepted.pop(path, None)
                refused = True
        if refused:
            continue
        edits = [PlanEdit(job[0], job[1], edited) for job, edited in zip(jobs, made) if isinstance(edited, edit.Edited)]
        said = {(e.file, a.ident): a.changes for e in edits for a in e.edited.actions}
        for path, rows in accepted.items():
            by_path[path].applied = [(r.answer.ref, said[(r.plan.file, r.action.id)]) for r in rows]
        return edits


def _edit(
    job: Tuple[str, bytes, List[Tuple[str, edit.ActionUpdate]], dt.date, bool, bool, bool],
) -> Union[edit.Edited, str]:
    file, raw, changes, day, checked, with_diff, remember = job
    try:
        return edit.update_actions(file, raw, changes, day, checked=checked, with_diff=with_diff, remember=remember)
    except DhrtrackError as error:
        return str(error)
