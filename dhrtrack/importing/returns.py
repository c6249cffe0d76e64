"""Agency returns coming back: a workbook (or CSV form) written by `chase --format xlsx|csv`,
filled in by the agency, read and applied to the plans.

This module is the one home of the return format (the sheets, the column headings, which are
input) shared by the writer (dhrtrack.render.returns) and the reader here. Reading checks every
cell and gives problems as values naming the file, sheet, row and column; applying matches rows
to actions by `Ref`, recognises stale rows (the action changed since the return was written)
and rows already applied, and turns the rest into surgical updates through the same engine as
`dhrtrack update`. All or nothing per return: one bad or stale row and nothing of that return is
applied. Nothing is written here: the command writes the edited plans.

Trust: a return speaks only for its agency. Its hidden sheet (the CSV form: a line above the
headings) records the agency, a return id, the day it was written and a signature, an
HMAC-SHA-256 over those and every row's Ref and snapshot under a key agencies never see
(dhrtrack.plan.returnkey). `apply` refuses an unsigned or wrongly signed return, a row whose Ref
the return was not written for, and a row whose action another agency leads. Each applied row
is logged with the return's agency as `by` and a `source` naming the file, the return id and the
row, so an answer counts once: the same row of the same return is "already applied", the same
words in next quarter's return are a new update.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from dhrtrack.agencies import Canon
from dhrtrack.errors import DhrtrackError
from dhrtrack.i18n import every_language, p_, pN_
from dhrtrack.importing.cells import parse_date, printable
from dhrtrack.importing.template import ImportFailed
from dhrtrack.plan import edit, snapshot
from dhrtrack.plan.dates import completion_problem
from dhrtrack.plan.model import RAGS, Action, Plan, plan_name, shared_names
from dhrtrack.plan.store import Loaded, read_file
from dhrtrack.wording import rag_word

# The sheets' names, the headings and the CSV form's identity labels are messages (context
# "return"): a return is written in the language of the chase that made it (`said`), and read in
# any language dhrtrack has a catalogue for (`_named`). The constants are the English, which is
# what the code, the problems `apply` reports and the hidden sheet use.
ACTIONS_SHEET = pN_("return", "Actions")
INSTRUCTIONS_SHEET = pN_("return", "Instructions")
CHECK_SHEET = "dhrtrack"  # hidden: each row's Ref and the snapshot of its action

# Read-only columns, then the agency's input columns, with the headings the reader matches.
REF, REVIEW, RECOMMENDATION, ACTION, TARGET, DUE, FLAG, RAG, LATEST, CURRENT_OUTCOME = (
    pN_("return", "Ref"),
    pN_("return", "Review"),
    pN_("return", "Recommendation"),
    pN_("return", "Action"),
    pN_("return", "Target"),
    pN_("return", "Due"),
    pN_("return", "Status"),
    pN_("return", "Current RAG"),
    pN_("return", "Latest update"),
    pN_("return", "Current outcome"),
)
NEW_RAG, UPDATE, OUTCOME, COMPLETED_ON, NEW_TARGET, EVIDENCE = (
    pN_("return", "New RAG"),
    pN_("return", "Update"),
    pN_("return", "Outcome"),
    pN_("return", "Completed on"),
    pN_("return", "New target"),
    pN_("return", "Evidence"),
)
CHECK = pN_("return", "Check")  # the CSV form's last column: the snapshot (the workbook hides it in a sheet)
READ_ONLY = (REF, REVIEW, RECOMMENDATION, ACTION, TARGET, DUE, FLAG, RAG, LATEST, CURRENT_OUTCOME)
INPUTS = (NEW_RAG, UPDATE, OUTCOME, COMPLETED_ON, NEW_TARGET, EVIDENCE)
DATE_INPUTS = (COMPLETED_ON, NEW_TARGET)
# Whose return it is, in the hidden sheet (one per row, the value beside it) or, in the CSV form,
# on the line above the headings (each heading followed by its value).
RETURN_ID, AGENCY, WRITTEN, SIGNATURE = (
    pN_("return", "Return"),
    pN_("return", "Agency"),
    pN_("return", "Written"),
    pN_("return", "Signature"),
)
IDENTITY = (RETURN_ID, AGENCY, WRITTEN, SIGNATURE)
MAX_ROWS = 50_000  # a return lists one agency's open actions: thousands at most
MAX_COLUMNS = 60  # a return has 16 columns; an agency may add a few
MAX_CSV_RETURN = 16 * 1024 * 1024
CELL_LIMIT = 32_767  # the most characters a spreadsheet cell holds (Excel's limit)
SIGNING_FORMAT = 1


def said(name: str) -> str:
    """A sheet's name, a heading or a label as a return in the language being written says it."""
    return p_("return", name)


def _named(name: str) -> List[str]:
    """A sheet's name, heading or label in every language (folded): what the reader recognises."""
    return list(dict.fromkeys(_fold(n) for forms in every_language("return", name).values() for n in forms))


def rag_choices() -> Dict[str, str]:
    """New RAG's choices as the return's language says them -> the plan's value."""
    return {rag_word(rag): rag for rag in RAGS}


def _rag_words(language: str) -> Dict[str, str]:
    """The New RAG answers a return in a language takes (the plan's values, and the language's
    words for them, folded) -> the plan's value."""
    words = {rag: rag for rag in RAGS}
    words.update({_fold(word): rag for rag in RAGS for word in every_language("rag", rag)[language]})
    return words


def signature(key: bytes, agency: str, return_id: str, written: str, rows: Sequence[Tuple[str, str]]) -> str:
    """The HMAC-SHA-256, under the coordinator's key, of whose return it is and of every row's
    Ref and snapshot as written: what an agency must not change."""
    payload = json.dumps(
        [SIGNING_FORMAT, agency, return_id, written, [list(row) for row in rows]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def source_of(file_name: str, return_id: str, row: int) -> str:
    """An applied row's `source` in the log: the file, and the return and row it came from."""
    return f"{file_name} (return {return_id}, row {row})"


_SOURCE = re.compile(r"\(return ([0-9a-f]+), row ([0-9]+)\)$")


def answered_by(source: Optional[str]) -> Optional[Tuple[str, int]]:
    """(return id, row) of a log entry applied from a return, whatever its file is called now."""
    found = _SOURCE.search(source or "")
    return (found.group(1), int(found.group(2))) if found else None


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """A cell whose value cannot be taken: a formula, a spreadsheet error, too long a text."""

    why: str


@dataclass
class Answer:
    """One row of a return as read: where it is, its Ref, its input cells (None when empty, a
    date cell as a date, a Refused for a cell that cannot be taken)."""

    row: int  # as the spreadsheet numbers it
    ref: Any  # text, or Refused
    cells: Dict[str, Any]

    @property
    def empty(self) -> bool:
        return all(value is None for value in self.cells.values())


@dataclass
class Identity:
    """Whose return it is and its signature, as the return records them; each value with the
    cell it is in. None for a value that is not there."""

    values: Dict[str, Optional[str]]
    cells: Dict[str, str]  # heading -> "dhrtrack, B2"
    rows: List[Tuple[str, str]]  # (Ref, snapshot) as written, in order: what the signature covers


@dataclass
class ReturnFile:
    path: str
    sheet: Optional[str]  # None for a CSV form
    answers: List[Answer]
    identity: Identity
    ignored_columns: List[str] = field(default_factory=list)
    language: str = "en"  # the language of its headings: the language of its New RAG words

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def where(self, row: int, column: Optional[str] = None) -> str:
        """'Police.xlsx, Actions, row 4, New RAG'"""
        bits = [self.name] + ([self.sheet] if self.sheet else []) + [f"row {row}"] + ([column] if column else [])
        return ", ".join(bits)

    @property
    def agency(self) -> Optional[str]:
        return self.identity.values.get(AGENCY)

    @property
    def snapshots(self) -> Dict[str, str]:
        return dict(self.identity.rows)


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

    size = os.path.getsize(path)
    if size > MAX_CSV_RETURN:
        raise ImportFailed(
            f"{path} is {size // (1024 * 1024)} MB: a return lists one agency's actions and is kilobytes; "
            "this is not one"
        )
    rows = csv_rows(path)
    if len(rows) > MAX_ROWS + 2:
        raise ImportFailed(f"{path} has {len(rows):,} rows, more than a return can ({MAX_ROWS:,}): not a return")
    cells = [[_csv_value(cell) for cell in row[: MAX_COLUMNS + 1]] for row in rows]
    _no_cells_beyond(path, cells)
    heading = _heading_row(path, cells)
    identity = _csv_identity(cells[:heading], cells[heading], cells[heading + 1 :])
    return _answers(path, None, cells, heading, identity)


def _csv_value(cell: str) -> Any:
    if len(cell) > CELL_LIMIT:
        return Refused(_too_long(cell))
    return cell if cell.strip() else None


def _too_long(text: str) -> str:
    return f"holds {len(text):,} characters, more than a spreadsheet cell can ({CELL_LIMIT:,}): shorten it"


def _csv_identity(above: List[List[Any]], headings: List[Any], rows: List[List[Any]]) -> Identity:
    """The identity line above the headings ("Return", id, "Agency", name, ...) and the Check
    column's snapshots."""
    values: Dict[str, Optional[str]] = dict.fromkeys(IDENTITY)
    cells: Dict[str, str] = {}
    for number, line in enumerate(above, 1):
        for index in range(0, len(line) - 1):
            label = _fold(line[index])
            for name in IDENTITY:
                if label in _named(name) and values[name] is None:
                    value = line[index + 1]
                    values[name] = value.strip() if isinstance(value, str) else None
                    cells[name] = f"row {number}, column {_letter(index + 2)}"
    folded = [_fold(h) for h in headings]
    ref_at = next(i for i, h in enumerate(folded) if h in _named(REF))
    check_at = next((i for i, h in enumerate(folded) if h in _named(CHECK)), None)
    written: List[Tuple[str, str]] = []
    if check_at is not None:
        for row in rows:
            ref = row[ref_at] if ref_at < len(row) else None
            check = row[check_at] if check_at < len(row) else None
            if isinstance(ref, str) and ref.strip():
                written.append((ref.strip(), check if isinstance(check, str) else ""))
    for name in IDENTITY:
        cells.setdefault(name, "the line above the headings")
    return Identity(values, cells, written)


def _read_xlsx(path: str) -> ReturnFile:
    from dhrtrack.importing import office

    def load() -> Tuple[str, List[List[Any]], Identity]:
        from openpyxl import load_workbook

        # Not data_only: a formula must be seen as one (and refused), not taken as the value a
        # program last computed for it.
        workbook = load_workbook(path, read_only=True, data_only=False)
        try:
            names = workbook.sheetnames
            actions = _named(ACTIONS_SHEET)
            name = next((n for n in names if _fold(n) in actions), names[0])
            rows = _sheet_rows(path, workbook[name])
            identity = _sheet_identity(_sheet_rows(path, workbook[CHECK_SHEET]) if CHECK_SHEET in names else None)
            return name, rows, identity
        finally:
            workbook.close()

    name, rows, identity = office.read(path, "xlsx", load)
    return _answers(path, name, rows, _heading_row(path, rows), identity)


def _sheet_identity(rows: Optional[List[List[Any]]]) -> Identity:
    """The hidden sheet: Return, Agency, Written and Signature (each beside its value), then a
    Ref / Check heading and a row per action: its Ref and snapshot."""
    values: Dict[str, Optional[str]] = dict.fromkeys(IDENTITY)
    cells: Dict[str, str] = {name: f"{CHECK_SHEET} sheet" for name in IDENTITY}
    written: List[Tuple[str, str]] = []
    heading_seen = False
    for number, row in enumerate(rows or [], 1):
        label = _fold(row[0]) if row else ""
        value = row[1] if len(row) > 1 else None
        if heading_seen:
            if isinstance(row[0] if row else None, str) and row[0].strip():
                written.append((row[0].strip(), value if isinstance(value, str) else ""))
            continue
        if label == _fold(REF):
            heading_seen = True
            continue
        for name in IDENTITY:
            if label == _fold(name):
                values[name] = value.strip() if isinstance(value, str) else None
                cells[name] = f"{CHECK_SHEET} sheet, cell B{number}"
    return Identity(values, cells, written)


def _sheet_rows(path: str, sheet: Any) -> List[List[Any]]:
    sheet.reset_dimensions()  # read every row there is, whatever size the file says it has
    rows: List[List[Any]] = []
    # At most one column past those a return may have: enough to see that there are cells out
    # there, never the thousands of empty cells a stray far cell would make of every row.
    for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1):
        if len(rows) > MAX_ROWS:
            raise ImportFailed(
                f"{path}: sheet {sheet.title!r} has more than {MAX_ROWS:,} rows, more than a return can: not a return"
            )
        rows.append([_value(cell) for cell in row])
    _no_cells_beyond(path, rows, sheet.title)
    while rows and all(value is None for value in rows[-1]):
        rows.pop()  # the empty rows a stray far cell leaves are not the return's
    return rows


def _no_cells_beyond(path: str, rows: List[List[Any]], sheet: Optional[str] = None) -> None:
    for number, row in enumerate(rows, 1):
        if len(row) > MAX_COLUMNS and row[MAX_COLUMNS] is not None:
            where = f"sheet {sheet!r}, " if sheet else ""
            raise ImportFailed(
                f"{path}: {where}row {number} has a cell in column {_letter(MAX_COLUMNS + 1)}, beyond the "
                f"{MAX_COLUMNS} columns a return can have: not a return (delete what is out there)"
            )


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _value(cell: Any) -> Any:
    """A cell's value; empty text is no value; a date cell shown as a month is the month; a
    formula, an error or too long a text is Refused."""
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", None)
    if kind == "f" or (value is not None and not isinstance(value, (str, int, float, bool, dt.date, dt.time))):
        shown = value if isinstance(value, str) else getattr(value, "text", None) or "a formula"
        return Refused(f"is a formula ({str(shown)[:60]}): type the value itself, not a formula")
    if kind == "e":
        return Refused(f"is a spreadsheet error ({value}): type the value itself")
    if isinstance(value, str):
        if len(value) > CELL_LIMIT:
            return Refused(_too_long(value))
        if not value.strip():
            return None
    if isinstance(value, dt.datetime):
        day = value.date()
        number_format = (getattr(cell, "number_format", "") or "").lower().replace("[red]", "")
        return f"{day.year:04d}-{day.month:02d}" if "d" not in number_format else day
    return value


def _fold(heading: object) -> str:
    return " ".join(str(heading).split()).casefold() if isinstance(heading, (str, int, float)) else ""


def _heading_row(path: str, rows: List[List[Any]]) -> int:
    refs = _named(REF)
    found = next((i for i, row in enumerate(rows[:40]) if any(_fold(c) in refs for c in row)), None)
    if found is None:
        raise ImportFailed(
            f"{path}: no heading row with a {REF!r} column: this is not a return written by dhrtrack chase "
            f"(expected the headings {', '.join(READ_ONLY + INPUTS)})"
        )
    return found


def _answers(
    path: str, sheet: Optional[str], rows: List[List[Any]], heading_row: int, identity: Identity
) -> ReturnFile:
    known = {folded: h for h in READ_ONLY + INPUTS + (CHECK,) for folded in _named(h)}
    headings = [_fold(cell) for cell in rows[heading_row]]
    columns: Dict[str, int] = {}
    for index, heading in enumerate(headings):
        if heading not in known:
            continue
        if known[heading] in columns:
            # Two columns of one heading: which answer counts is anyone's guess, so neither does.
            first = _letter(columns[known[heading]] + 1)
            raise ImportFailed(
                f"{path}: the heading row (row {heading_row + 1}) has two {known[heading]!r} columns "
                f"({first} and {_letter(index + 1)}): delete the one that is not the return's"
            )
        columns[known[heading]] = index
    missing = [h for h in INPUTS if h not in columns]
    if missing:
        raise ImportFailed(
            f"{path}: the heading row (row {heading_row + 1}) has no {', '.join(map(repr, missing))} column"
        )
    ignored = [str(rows[heading_row][i]).strip() for i, h in enumerate(headings) if h and h not in known]
    new_rag = headings[columns[NEW_RAG]]
    language = next(code for code, forms in every_language("return", NEW_RAG).items() if new_rag in map(_fold, forms))
    returned = ReturnFile(path, sheet, [], identity, ignored, language)
    for number, row in enumerate(rows[heading_row + 1 :], heading_row + 2):
        values = {h: (row[i] if i < len(row) else None) for h, i in columns.items()}
        ref = values.get(REF)
        cells = {heading: values[heading] for heading in INPUTS}
        if ref is None and all(v is None for v in cells.values()):
            continue  # a blank row
        ref_text = ref if isinstance(ref, Refused) else _text(ref) if ref is not None else ""
        returned.answers.append(Answer(number, ref_text, cells))
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
    key: bytes,
    skip_stale: bool = False,
    with_diff: bool = False,
    remember: bool = False,
) -> Outcome:
    """Check every return and make the plans' edits for the returns that pass (with their
    unified diffs when with_diff); writes no plan. key: the coordinator's return key, which
    checks each return's signature. remember: the edits will be written, so their checked data
    goes into the content cache."""
    from dhrtrack.plan.parallel import parallel_map

    shared = shared_names(loaded.files)
    by_ref: Dict[str, Tuple[Plan, Action]] = {
        f"{p.name}:{a.id}": (p, a) for p in loaded.plans if p.name not in shared for a in p.actions
    }
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
        applied.agency = returned.agency
        applied.problems += _signature_problems(returned, key)
        if applied.refused:
            continue  # an unsigned or altered return says nothing about any row
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
            found = by_ref.get(answer.ref) if isinstance(answer.ref, str) and not answer.empty else None
            if found is not None:
                wanted.setdefault(found[0].file, []).append((answer.ref, found[1]))
                plans[found[0].file] = found[0]
    actions: Dict[str, dict] = {}
    loaded.prepare_data(list(plans.values()))
    for file, refs in wanted.items():
        whole = [a for r in loaded.take_data(plans[file])["recommendations"] for a in r["actions"]]
        actions.update((ref, whole[action.order]) for ref, action in refs)
    return actions


def _signature_problems(returned: ReturnFile, key: bytes) -> List[str]:
    """Why the return's identity cannot be trusted: not signed, or not as dhrtrack signed it."""
    values, cells = returned.identity.values, returned.identity.cells
    missing = [name for name in IDENTITY if not values.get(name)]
    if missing:
        return [
            f"{returned.name}, {cells[missing[0]]}: the return is not signed (no {', '.join(missing)} recorded): "
            "only a return written by dhrtrack chase, with its hidden sheet as written, can be applied; "
            "write the agency a new return (dhrtrack chase --format xlsx)"
        ]
    expected = signature(
        key, values[AGENCY] or "", values[RETURN_ID] or "", values[WRITTEN] or "", returned.identity.rows
    )
    if not hmac.compare_digest(expected, values[SIGNATURE] or ""):
        return [
            f"{returned.name}, {cells[SIGNATURE]}: the signature does not match the return's agency, id, date "
            "and rows: they were changed after dhrtrack wrote the return (or it was written with another "
            "coordinator's key); nothing in it can be trusted: write the agency a new return"
        ]
    return []


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
    agency = returned.agency or ""
    snapshots = returned.snapshots
    for answer in returned.answers:
        where = returned.where(answer.row)
        if answer.empty:
            applied.unanswered += 1
            continue
        if isinstance(answer.ref, Refused):
            applied.problems.append(f"{where}, {REF}: {answer.ref.why}")
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
        if answer.ref not in snapshots:
            applied.problems.append(
                f"{where}, {REF}: {answer.ref!r} is not one of the actions this return was written for "
                f"({agency}'s): a return answers only for the rows dhrtrack wrote in it"
            )
            continue
        found = by_ref.get(answer.ref)
        if found is None:
            applied.problems.append(f"{where}, {REF}: {answer.ref!r} {_unknown(answer.ref, loaded)}")
            continue
        plan, action = found
        if canon(action.lead) != agency:
            applied.problems.append(
                f"{where}, {REF}: {answer.ref} is led by {canon(action.lead) or 'no agency'}, not {agency}: "
                "a return answers only for its own agency's actions"
            )
            continue
        update, problems = _update_of(answer, returned, day)
        if problems:
            applied.problems += problems
            continue
        assert update is not None
        whole = actions[answer.ref]
        update.by = agency
        update.source = source_of(returned.name, returned.identity.values[RETURN_ID] or "", answer.row)
        before = _applied_before(whole, update)
        if before is not None:
            if before:
                applied.already += 1
            else:
                applied.problems.append(
                    f"{where}: this row of return {returned.identity.values[RETURN_ID]} was applied before with "
                    "other answers; what it says now is not applied (answer again in a new return)"
                )
            continue
        changed = _staleness(snapshots[answer.ref], whole)
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
    return rows


def _unknown(ref: str, loaded: Loaded) -> str:
    name, _colon, ident = ref.rpartition(":")
    if not name:
        return "is not a Ref: it is written plan:action-id, as in the workbook dhrtrack wrote"
    shared = shared_names(loaded.files).get(name)
    if shared:
        return f"is ambiguous: {len(shared)} plans are named {name} ({', '.join(shared)}); rename all but one"

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
    for column, value in answer.cells.items():
        if isinstance(value, Refused):
            problems.append(f"{returned.where(answer.row, column)}: {value.why}")
    if problems:
        return None, problems
    rag = answer.cells[NEW_RAG]
    if rag is not None:
        words = _rag_words(returned.language)
        word = words.get(_fold(rag))
        if word is None:
            bad(NEW_RAG, rag, f"is not one of {', '.join(words)}")
        update.rag = word or _fold(rag)
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
        elif completion_problem(day_given, day):
            bad(COMPLETED_ON, completed, completion_problem(day_given, day) or "")
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


def _applied_before(action: dict, update: edit.ActionUpdate) -> Optional[bool]:
    """Whether this row of this return is in the action's log already (decided by the return's
    id and row, not by the words: the same words next quarter are a new answer): None when it is
    not; True when it is with the same answers; False when with others."""
    this = answered_by(update.source)
    wanted = {k: v for k, v in update.entry().items() if k not in ("date", "source")}
    for entry in action.get("updates") or []:
        if answered_by(entry.get("source")) == this:
            return {k: v for k, v in entry.items() if k not in ("date", "source")} == wanted
    return None


def _staleness(check: str, action: dict) -> List[str]:
    """What changed since the return was written, from the snapshot written with its row. A
    snapshot that cannot be read makes the row stale: never unchecked."""
    taken = snapshot.decode(check) if check else None
    if taken is None:
        return ["its snapshot in the return cannot be read, so whether it changed cannot be told"]
    return [] if snapshot.unchanged(taken, action) else snapshot.changes(taken, action)


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
