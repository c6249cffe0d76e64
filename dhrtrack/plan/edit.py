"""Surgical edits of a plan file's text: change or add an action's fields and append to its
updates log, leaving every other byte as it was (comments, key order, quoting, line endings).

The reader gives, in the same walk that builds the data, where each value and key starts and
ends; edits are made on the text; the result is parsed again and must equal the intended data.
`update_action` is the whole `dhrtrack update` pipeline as a function: text in, text, diff and
warnings out. It writes nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.plan import fields, write
from dhrtrack.plan.model import ACTION_FIELDS, COMPLETE, RECOMMENDATION_FIELDS, UPDATE_FIELDS
from dhrtrack.plan.problems import WARNING, Path, Problem, json_path
from dhrtrack.plan.reader import Document, LoadError, Span, parse
from dhrtrack.wording import date_words


class EditError(DhrtrackError):
    """The edit cannot be made (flow-style YAML, an action that is not there, ...)."""


def _document(text: str) -> Document:
    try:
        return parse(text, "", spans=True)
    except LoadError as error:
        raise EditError(f"the file is not valid YAML at line {error.line}: {error.message}") from None


def _end(document: Document, path: Path) -> int:
    """Where the value at path ends: a block collection ends with its last item."""
    span = document.spans[path]
    if span.kind == "scalar" or span.flow:
        return span.end
    value = _value(document, path)
    children: List[Any] = list(range(len(value))) if isinstance(value, list) else list(value)  # type: ignore[call-overload]
    return max([span.start] + [_end(document, path + (child,)) for child in children])


def _value(document: Document, path: Path) -> object:
    node: object = document.data
    for part in path:
        node = node[part]  # type: ignore[index]
    return node


@dataclass
class _Key:
    name: str
    start: int  # of the key
    end: int  # of the key
    value: Span
    value_end: int
    items: List[Span]  # a list value's items


# --- edits ----------------------------------------------------------------------------------


class Editor:
    """Edits of one plan's text, all measured against one reading of it: each edit is a splice
    (start, end, new text) of the original text, and `result` makes them from the end of the
    file backwards so that no splice moves another. Edits of several actions, or of several
    fields of one action, cost one parse however many there are."""

    def __init__(self, text: str):
        self.bom = text.startswith("\ufeff")
        self.text = text[1:] if self.bom else text
        self.newline = "\r\n" if "\r\n" in self.text else "\n"
        self._document = _document(self.text)
        self.data = self._document.data  # the plan as read, before any edit
        self._splices: List[Tuple[int, int, int, str]] = []  # start, end, order made, new text
        self._touched: set = set()

    def result(self) -> str:
        text = self.text
        # From the end backwards; at one position the splice made first must end up first.
        for start, end, _order, new in sorted(self._splices, key=lambda s: (s[0], s[2]), reverse=True):
            text = text[:start] + new + text[end:]
        return ("\ufeff" if self.bom else "") + text

    def _action(self, path: Path, key: str) -> List[_Key]:
        """The action's keys in document order, as the text was read; each key is edited once."""
        if (tuple(path), key) in self._touched:
            raise EditError(f"{key} of the action at {json_path(path)} is edited twice")
        self._touched.add((tuple(path), key))
        document = self._document
        span = document.spans.get(tuple(path))
        if span is None or span.kind != "map":
            raise EditError(f"there is no action at {json_path(path)}")
        if span.flow:
            raise EditError(
                f"action at {_where(self.text, span.start)} is written in flow style ({{...}}); "
                "update edits block-style actions only: write it with one field a line"
            )
        action = _value(document, path)
        assert isinstance(action, dict)
        keys = []
        for name, value in action.items():
            start, end = document.key_spans[path + (name,)]
            items = [document.spans[path + (name, i)] for i in range(len(value))] if isinstance(value, list) else []
            keys.append(_Key(name, start, end, document.spans[path + (name,)], _end(document, path + (name,)), items))
        return keys

    def set_field(self, path: Path, key: str, value: str, kind: str = "plain") -> None:
        """Set an action's field to a string value; kind "text" for long text (block style)."""
        keys = self._action(path, key)
        indent = _key_column(self.text, keys[0].start)
        existing = next((k for k in keys if k.name == key), None)
        if existing is not None:
            old = existing.value
            if old.kind != "scalar":
                raise EditError(f"{key} of this action is a list or mapping; expected a value")
            if kind == "plain" and old.style in ("'", '"'):
                rendered = "'" + value.replace("'", "''") + "'" if old.style == "'" else write.double_quoted(value)
                self._replace(old.start, old.end, rendered)
                return
            lines = self._render(key, value, indent, kind)
            first = lines[0].lstrip(" ")
            self._replace(existing.start, old.end, self.newline.join([first] + lines[1:]))
            return
        self._insert_after(_previous_key_end(keys, key, _house_order(path)), self._render(key, value, indent, kind))

    def set_record(self, path: Path, key: str, record: Dict[str, str]) -> None:
        """Set an action's mapping field (verified) to a record, replacing the one there."""
        keys = self._action(path, key)
        indent = _key_column(self.text, keys[0].start)
        lines = [" " * indent + f"{key}:"]
        for name, value in record.items():
            lines += self._render(name, value, indent + 2, "text" if name in _TEXT_FIELDS else "plain")
        existing = next((k for k in keys if k.name == key), None)
        if existing is not None:
            if existing.value.kind != "map" or existing.value.flow:
                raise EditError(f"{key} of this action is not a block-style mapping; write it one field a line")
            self._replace(existing.start, existing.value_end, self.newline.join([lines[0].lstrip(" ")] + lines[1:]))
            return
        self._insert_after(_previous_key_end(keys, key, _house_order(path)), lines)

    def append_update(self, path: Path, entry: Dict[str, str]) -> None:
        """Add an entry at the end of the action's updates log (made when there is none)."""
        self._append(path, "updates", lambda dash: self._update_lines(entry, dash))

    def append_item(self, path: Path, key: str, text: str) -> None:
        """Add a text item at the end of one of the action's lists (evidence, milestones)."""
        self._append(path, key, lambda dash: write.item(text, dash))

    # --- helpers -----------------------------------------------------------------------------

    def _append(self, path: Path, key: str, lines_at: Callable[[int], List[str]]) -> None:
        keys = self._action(path, key)
        indent = _key_column(self.text, keys[0].start)
        existing = next((k for k in keys if k.name == key), None)
        if existing is not None and existing.value.kind == "seq" and existing.items and not existing.value.flow:
            dash = _key_column(self.text, existing.items[0].start) - 2
            self._insert_after(existing.value_end, lines_at(dash))
            return
        if existing is not None:
            old = existing.value
            if old.kind != "seq" or existing.items:
                raise EditError(f"the action's {key} are not a block-style list; write them one entry a line")
            colon = self.text.index(":", existing.end)
            self._replace(colon + 1, old.end, self.newline + self.newline.join(lines_at(indent + 2)))
            return
        lines = [" " * indent + f"{key}:"] + lines_at(indent + 2)
        self._insert_after(_previous_key_end(keys, key, _house_order(path)), lines)

    def _render(self, key: str, value: str, indent: int, kind: str) -> List[str]:
        if kind == "text":
            return write.field(key, value, indent)
        return [" " * indent + f"{key}: {_plain_value(value)}"]

    def _update_lines(self, entry: Dict[str, str], dash: int) -> List[str]:
        lines: List[str] = []
        for i, (key, value) in enumerate(entry.items()):
            rendered = (
                write.field(key, value, dash + 2)
                if key in _TEXT_FIELDS
                else [" " * (dash + 2) + f"{key}: {_plain_value(value)}"]
            )
            if i == 0:
                rendered[0] = " " * dash + "- " + rendered[0][dash + 2 :]
            lines += rendered
        return lines

    def _insert_after(self, position: int, lines: List[str]) -> None:
        """Insert whole lines after the line that holds `position`."""
        line_end = self.text.find("\n", position)
        if line_end == -1:
            self._splice(len(self.text), len(self.text), self.newline + self.newline.join(lines))
            return
        if line_end > 0 and self.text[line_end - 1] == "\r":
            line_end -= 1
        self._splice(line_end, line_end, self.newline + self.newline.join(lines))

    def _replace(self, start: int, end: int, new: str) -> None:
        self._splice(start, end, new)

    def _splice(self, start: int, end: int, new: str) -> None:
        self._splices.append((start, end, len(self._splices), new))


def _has_theme(recommendation: dict, theme: str) -> bool:
    wanted = " ".join(theme.split()).casefold()
    return any(" ".join(t.split()).casefold() == wanted for t in recommendation.get("themes") or [])


def _house_order(path: Path) -> Tuple[str, ...]:
    """The field order of what is at path: a recommendation ("recommendations", r) or an action."""
    return RECOMMENDATION_FIELDS if len(path) == 2 else ACTION_FIELDS


def _previous_key_end(keys: List[_Key], key: str, order: Tuple[str, ...] = ACTION_FIELDS) -> int:
    """Where a new key goes: after the last key (in document order) that the house order puts before it."""

    def rank(name: str) -> int:
        return order.index(name) if name in order else -1

    place = rank(key) if key in order else len(order)
    before = [k.value_end for k in keys if rank(k.name) < place]
    return max(before) if before else keys[0].value_end


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")


def _plain_value(value: str) -> str:
    # Dates are written unquoted, as in every plan: dhrtrack's reader keeps them as text.
    return value if _DATE.match(value) else write.scalar(value)


def _key_column(text: str, index_: int) -> int:
    return index_ - (text.rfind("\n", 0, index_) + 1)


def _where(text: str, index_: int) -> str:
    return f"line {text.count(chr(10), 0, index_) + 1}"


def apply_to_data(plan: dict, changes: Sequence[Tuple[str, "ActionUpdate"]]) -> dict:
    """What the plan's data must be after the edits (to check the text edit against). Only the
    changed actions (and the lists holding them) are copied: the rest is shared with `plan`."""
    by_id = {ident: change for ident, change in changes}
    recommendations = []
    for rec in plan["recommendations"]:
        if not any(action["id"] in by_id for action in rec["actions"]):
            recommendations.append(rec)
            continue
        for action in rec["actions"]:
            theme = by_id[action["id"]].theme if action["id"] in by_id else None
            if theme is not None and not _has_theme(rec, theme):
                rec = dict(rec, themes=list(rec.get("themes") or []) + [" ".join(theme.split())])
        actions = []
        for action in rec["actions"]:
            change = by_id.get(action["id"])
            if change is not None:
                action = dict(action, **change.fields())
                if change.evidence is not None:
                    action["evidence"] = list(action.get("evidence") or []) + [change.evidence_item()]
                action["updates"] = list(action.get("updates") or []) + [change.entry()]
            actions.append(action)
        recommendations.append(dict(rec, actions=actions))
    return dict(plan, recommendations=recommendations)


# --- the update pipeline --------------------------------------------------------------------

_TEXT_FIELDS = ("note", "outcome", "outcome_cy", "evidence", "summary")


def _one_paragraph(text: str) -> str:
    return " ".join(text.split()) if "\n" not in text else text.strip()


@dataclass
class ActionUpdate:
    """What an agency's update says: the values it sets, a note, evidence, and the day it was
    given; `by` and `source` say who gave it and where it came from (an agency's return)."""

    day: dt.date
    rag: Optional[str] = None
    target: Optional[str] = None
    outcome: Optional[str] = None
    completed: Optional[dt.date] = None
    note: Optional[str] = None
    evidence: Optional[str] = None
    by: Optional[str] = None
    source: Optional[str] = None
    lead: Optional[str] = None
    owner: Optional[str] = None
    theme: Optional[str] = None  # added to the themes of the action's recommendation
    outcome_cy: Optional[str] = None  # the outcome in Welsh, for Welsh outputs

    def fields(self) -> Dict[str, str]:
        """The action's fields it sets, in the order the editor writes them (the house order)."""
        out: Dict[str, str] = {}
        if self.lead is not None:
            out["lead"] = " ".join(self.lead.split())
        if self.owner is not None:
            out["owner"] = " ".join(self.owner.split())
        if self.target is not None:
            out["target"] = self.target
        if self.outcome is not None:
            out["outcome"] = _one_paragraph(self.outcome)
        if self.outcome_cy is not None:
            out["outcome_cy"] = _one_paragraph(self.outcome_cy)
        if self.rag is not None:
            out["rag"] = self.rag
        if self.completed is not None:
            out["completed"] = self.completed.isoformat()
        return out

    def date_problem(self) -> Optional[str]:
        """Why this update's dates cannot be meant (dates.implausible, dates.completion_problem), or None."""
        from dhrtrack.plan.dates import completion_problem, implausible

        dates = [("the update's date", self.day.isoformat()), ("the target", self.target)]
        dates.append(("completed", self.completed.isoformat() if self.completed else None))
        for what, value in dates:
            problem = implausible(value, what) if value else None
            if problem:
                return problem
        wrong = completion_problem(self.completed, self.day) if self.completed else None
        return f"completion date {self.completed} {wrong}" if wrong else None

    def evidence_item(self) -> str:
        assert self.evidence is not None
        return _one_paragraph(self.evidence)

    def entry(self) -> Dict[str, str]:
        """The updates-log entry: the date, the values set, the evidence, the note, who and where."""
        values = self.fields()
        if self.evidence is not None:
            values["evidence"] = self.evidence_item()
        if self.theme is not None:
            values["theme"] = " ".join(self.theme.split())
        if self.note is not None:
            values["note"] = " ".join(self.note.split())
        if self.by is not None:
            values["by"] = " ".join(self.by.split())
        if self.source is not None:
            values["source"] = " ".join(self.source.split())
        entry = {"date": self.day.isoformat()}
        entry.update((k, values[k]) for k in UPDATE_FIELDS[1:] if k in values)
        return entry

    @property
    def empty(self) -> bool:
        return not self.fields() and self.note is None and self.evidence is None and self.theme is None


@dataclass
class ActionEdited:
    ident: str
    changes: List[str]  # "rag unrated → amber", "outcome recorded"
    entry: Dict[str, str]


@dataclass
class Edited:
    file: str
    text: str  # the whole new file
    diff: str  # unified diff from the old text ("" when not asked for)
    actions: List[ActionEdited] = field(default_factory=list)
    warnings: List[Problem] = field(default_factory=list)  # validate's warnings on the edited actions

    @property
    def ident(self) -> str:
        return self.actions[0].ident

    @property
    def changes(self) -> List[str]:
        return self.actions[0].changes

    @property
    def entry(self) -> Dict[str, str]:
        return self.actions[0].entry


def _completed(before: Any, now: str) -> str:
    """The completion date said in words, as it was understood ("completed 3 April 2026")."""
    said = f"completed {date_words(dt.date.fromisoformat(now))}"
    if before is None or str(before) == now:
        return said if before is None else f"{said} (unchanged)"
    return f"{said} (was {date_words(dt.date.fromisoformat(str(before)))})"


def _replaced(name: str, before: Any, now: str) -> str:
    """A text or date field set: recorded where there was none, else what it replaced, in full
    (an outcome replaced is a claim withdrawn: the reviewer of the change must see both)."""
    if before is None or before == "":
        return f"{name} recorded"
    if str(before) == now:
        return f"{name} (unchanged)"
    return f"{name} replaced: {str(before)!r} → {now!r}"


def needs_outcome(update: ActionUpdate, has_outcome: bool) -> bool:
    """Rating an action complete needs an outcome: one given now, or one recorded before."""
    return update.rag == COMPLETE and update.outcome is None and not has_outcome


def _locate(data: dict, ident: str) -> Tuple[Path, dict]:
    for r, rec in enumerate(data["recommendations"]):
        for a, action in enumerate(rec["actions"]):
            if action["id"] == ident:
                return ("recommendations", r, "actions", a), action
    raise EditError(f"no action with id {ident!r}")


def update_action(
    file: str, raw: bytes, ident: str, update: ActionUpdate, as_of: dt.date, remember: bool = False
) -> Edited:
    """The plan's new text with one action's update made (see update_actions)."""
    return update_actions(file, raw, [(ident, update)], as_of, remember=remember)


def update_actions(
    file: str,
    raw: bytes,
    changes: Sequence[Tuple[str, ActionUpdate]],
    as_of: dt.date,
    checked: bool = False,
    with_diff: bool = True,
    remember: bool = False,
) -> Edited:
    """The plan's new text with each action's update made, checked: the edited text must be a
    valid plan and read back as exactly the intended data. Raises a DhrtrackError otherwise.
    `checked`: the caller knows raw to be a valid plan (the store loaded it from these very
    bytes), so it is only parsed. `with_diff`: make the unified diff (for a dry run).
    `remember`: the text is about to be written; its checked data goes into the content cache,
    so that the next command does not read and check the edited plan again."""
    text = _valid_text(file, raw) if not checked else raw.decode("utf-8")
    try:
        editor = Editor(text)
    except EditError as error:
        raise EditError(f"{file}: {error}") from None
    data = editor.data
    located = []
    for ident, update in changes:
        if update.empty:
            raise DhrtrackError(
                "nothing to record: give --rag, --target, --outcome, --outcome-cy, --completed, --lead, --owner, "
                "--evidence, --theme or --note",
                usage=True,
            )
        date_problem = update.date_problem()
        if date_problem is not None:
            raise DhrtrackError(f"action {ident}: {date_problem}; nothing written", usage=True)
        path, action = _locate(data, ident)
        if needs_outcome(update, bool(action.get("outcome"))):
            raise DhrtrackError(
                f"action {ident} has no outcome: rating it complete needs one; add --outcome TEXT", usage=True
            )
        located.append((ident, update, path, action))
    try:
        for _ident, update, path, _action in located:
            for key, value in update.fields().items():
                editor.set_field(path, key, value, "text" if key in ("outcome", "outcome_cy") else "plain")
            if update.evidence is not None:
                editor.append_item(path, "evidence", update.evidence_item())
            recommendation = data["recommendations"][path[1]]
            if update.theme is not None and not _has_theme(recommendation, update.theme):
                editor.append_item(path[:2], "themes", " ".join(update.theme.split()))
            editor.append_update(path, update.entry())
        new_text = editor.result()
    except EditError as error:
        raise EditError(f"{file}: {error}") from None
    prefixes = tuple(json_path(path) for _i, _u, path, _a in located)
    warnings, diff = _checked(file, text, new_text, apply_to_data(data, changes), as_of, prefixes, with_diff, remember)
    edited = [ActionEdited(ident, _changes(action, update), update.entry()) for ident, update, _p, action in located]
    return Edited(file, new_text, diff, edited, warnings)


def _checked(
    file: str,
    text: str,
    new_text: str,
    intended: dict,
    as_of: dt.date,
    prefixes: Tuple[str, ...],
    with_diff: bool,
    remember: bool,
) -> Tuple[List[Problem], str]:
    """Check an edit: the edited text must be a valid plan and read back as exactly the
    intended data (a DhrtrackError otherwise). Its warnings on the edited actions (at the json
    path prefixes), and the unified diff when asked for."""
    from dhrtrack.plan.reader import load_bytes
    from dhrtrack.plan.validate import check_document

    # The edited text is read and checked once: errors refuse it, warnings on the edited actions
    # are the caller's to show.
    reread = load_bytes(new_text.encode("utf-8"), file)
    problems = list(reread.problems) if reread.document is None else check_document(reread.document, as_of)
    errors = sorted((p for p in problems if p.severity != WARNING), key=Problem.sort_key)
    if errors or reread.document is None:
        first = errors[0]
        raise DhrtrackError(
            f"refused: with this update {file} would not be valid ({first.line}:{first.column}: "
            f"{first.message}); nothing written"
        )
    if reread.document.data != intended:  # pragma: no cover - an editor bug
        raise DhrtrackError(f"refused: the edit of {file} did not give the intended plan; nothing written")
    if remember:
        from dhrtrack.plan.store import remember_checked

        remember_checked(new_text.encode("utf-8"), reread.document.data)
    warnings = [
        p
        for p in problems
        if p.severity == WARNING and any(p.path == prefix or p.path.startswith(prefix + ".") for prefix in prefixes)
    ]
    diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True), new_text.splitlines(keepends=True), fromfile=f"a/{file}", tofile=f"b/{file}"
        )
        if with_diff
        else ()
    )
    return warnings, diff


# --- verification ---------------------------------------------------------------------------


@dataclass
class Verification:
    """The partnership's check that an action's outcome was achieved: when, by whom, on what."""

    day: dt.date
    by: str
    evidence: Optional[str] = None

    def record(self) -> Dict[str, str]:
        """The action's `verified` mapping, in the house order."""
        out = {"date": self.day.isoformat(), "by": " ".join(self.by.split())}
        if self.evidence is not None and self.evidence.strip():
            out["evidence"] = _one_paragraph(self.evidence)
        return out


def _valid_text(file: str, raw: bytes) -> str:
    from dhrtrack.plan.validate import valid_data

    valid, problem = valid_data(raw, file)
    if valid is None:
        assert problem is not None
        raise DhrtrackError(
            f"{file} is not a valid plan now ({problem.line}:{problem.column}: {problem.message}); "
            f"fix it first: dhrtrack validate {file}"
        )
    return raw.decode("utf-8")


def verify_action(
    file: str,
    raw: bytes,
    ident: str,
    verification: Verification,
    as_of: dt.date,
    force: bool = False,
    remember: bool = False,
) -> Edited:
    """The plan's new text with the action's `verified` set, checked as update's edits are. Only
    an action rated complete can be verified; one verified already only with `force` (the
    verification is then replaced; git keeps the old one). Who may verify (not the action's
    owner or lead agency) is the caller's check: it needs the agencies' canonical names."""
    text = _valid_text(file, raw)
    try:
        editor = Editor(text)
    except EditError as error:
        raise EditError(f"{file}: {error}") from None
    data = editor.data
    path, action = _locate(data, ident)
    rag = action.get("rag")
    if rag != COMPLETE:
        raise DhrtrackError(
            f"refused: action {ident} is rated {rag or 'nothing (unrated)'}, not complete: only a completion can be "
            f"verified (rate it complete first: dhrtrack update {ident} --rag complete); nothing written"
        )
    old = action.get("verified")
    if old is not None and not force:
        raise DhrtrackError(
            f"action {ident} was verified on {old.get('date')} by {old.get('by')}: give --force to replace that "
            "verification (git keeps the old one); nothing written",
            usage=True,
        )
    record = verification.record()
    try:
        editor.set_record(path, "verified", record)
        new_text = editor.result()
    except EditError as error:
        raise EditError(f"{file}: {error}") from None
    intended = _with_action(data, ident, dict(action, verified=record))
    warnings, diff = _checked(file, text, new_text, intended, as_of, (json_path(path),), True, remember)
    said = ["was claimed"] if old is None else [f"the verification of {old.get('date')} by {old.get('by')} replaced"]
    return Edited(file, new_text, diff, [ActionEdited(ident, said, record)], warnings)


def _with_action(plan: dict, ident: str, new: dict) -> dict:
    """The plan with one action replaced (the rest shared with `plan`)."""
    recommendations = [
        dict(rec, actions=[new if a["id"] == ident else a for a in rec["actions"]])
        if any(a["id"] == ident for a in rec["actions"])
        else rec
        for rec in plan["recommendations"]
    ]
    return dict(plan, recommendations=recommendations)


def _changes(action: dict, update: ActionUpdate) -> List[str]:
    values = update.fields()  # not `fields`: that is the field table
    said = [
        (
            f"{k} {values[k]} (unchanged)"
            if action.get(k) == values[k]
            else f"{k} {action.get(k) or ('unrated' if k == 'rag' else 'none')} → {values[k]}"
        )
        if k in ("rag", "target", "lead", "owner")
        else _completed(action.get(k), values[k])
        if k == "completed"
        else _replaced(k, action.get(k), values[k])
        for k in ("rag", "target", "outcome", "outcome_cy", "completed", "lead", "owner")
        if k in values
    ]
    if action.get("verified") is not None and "rag" in values and values["rag"] != COMPLETE:
        said.append(f"verification lapsed (verified {action['verified'].get('date')}; no longer rated complete)")
    said += ["evidence added"] if update.evidence is not None else []
    said += (
        [f"theme {' '.join(update.theme.split())!r} added to the recommendation"] if update.theme is not None else []
    )
    return said


# --- a national recommendation's response -------------------------------------------------------


@dataclass
class Response:
    """What `dhrtrack respond` records of a national or regional recommendation: its addressee,
    and how far the addressee's answer has come (the dates, the outcome, a summary)."""

    addressee: Optional[str] = None
    sent: Optional[dt.date] = None
    acknowledged: Optional[dt.date] = None
    received: Optional[dt.date] = None
    outcome: Optional[str] = None
    summary: Optional[str] = None

    def values(self) -> Dict[str, str]:
        """The response's fields this records, as the plan writes them."""
        out: Dict[str, str] = {}
        for name in fields.RESPONSE_DATES:
            day = getattr(self, name)
            if day is not None:
                out[name] = day.isoformat()
        if self.outcome is not None:
            out["outcome"] = self.outcome
        if self.summary is not None and self.summary.strip():
            out["summary"] = _one_paragraph(self.summary)
        return out

    @property
    def empty(self) -> bool:
        return not self.values() and not (self.addressee and self.addressee.strip())


def respond_recommendation(
    file: str, raw: bytes, number: int, response: Response, as_of: dt.date, remember: bool = False
) -> Edited:
    """The plan's new text with the recommendation's addressee and response set (the values
    given replace those there; the others stay), checked as update's edits are. Its dates must
    be plausible, in order (sent, then acknowledged, then received) and not in the future."""
    from dhrtrack.plan.dates import implausible

    if response.empty:
        raise DhrtrackError(
            "nothing to record: give --addressee, --sent, --acknowledged, --received, --outcome or --summary",
            usage=True,
        )
    text = _valid_text(file, raw)
    try:
        editor = Editor(text)
    except EditError as error:
        raise EditError(f"{file}: {error}") from None
    data = editor.data
    r, rec = next(((i, x) for i, x in enumerate(data["recommendations"]) if x["number"] == number), (None, None))
    if r is None or rec is None:
        numbers = ", ".join(str(x["number"]) for x in data["recommendations"])
        raise DhrtrackError(f"{file} has no recommendation {number} (it has {numbers})", usage=True)
    path: Path = ("recommendations", r)
    old = dict(rec.get("response") or {})
    merged = dict(old, **response.values())
    record = {f.name: merged[f.name] for f in fields.fields(fields.RESPONSE) if f.name in merged}
    for name in fields.RESPONSE_DATES:
        value = record.get(name)
        wrong = implausible(value, f"--{name}") if value else None
        if wrong is None and value and dt.date.fromisoformat(value) > dt.date.today():
            wrong = f"--{name} {value} is in the future: record what has happened"
        if wrong:
            raise DhrtrackError(f"recommendation {number}: {wrong}; nothing written", usage=True)
    order = [(n, record[n]) for n in fields.RESPONSE_DATES if n in record]
    for (earlier, a), (later, b) in zip(order, order[1:]):
        if b < a:
            raise DhrtrackError(
                f"recommendation {number}: {later} {b} is before {earlier} {a}: a response follows what it "
                "answers; nothing written",
                usage=True,
            )
    said = []
    new = dict(rec)
    if response.addressee is not None and response.addressee.strip():
        addressee = " ".join(response.addressee.split())
        if rec.get("addressee") != addressee:
            said.append(f"addressee {rec.get('addressee') or 'none'} → {addressee}")
        editor.set_field(path, "addressee", addressee)
        new["addressee"] = addressee
    for name, value in response.values().items():
        before = old.get(name)
        shown = date_words(dt.date.fromisoformat(value)) if name in fields.RESPONSE_DATES else value
        said.append(f"{name} {shown}" + ("" if before in (None, value) else f" (was {before})"))
    if response.values():
        try:
            editor.set_record(path, "response", record)
        except EditError as error:
            raise EditError(f"{file}: {error}") from None
        new["response"] = record
    new_text = editor.result()
    intended = dict(data, recommendations=[new if x is rec else x for x in data["recommendations"]])
    warnings, diff = _checked(file, text, new_text, intended, as_of, (json_path(path),), True, remember)
    return Edited(file, new_text, diff, [ActionEdited(str(number), said, record)], warnings)
