"""A stable, line-oriented rendering of a plan for git's textconv: one field per line, each line
led by what it belongs to, so that `git diff` and `git log -p` show "10.2 rag: amber" changing to
"10.2 rag: red" instead of an indented YAML fragment with no context.

Every field of the field table is shown, by its kind: at each level the single values first (an
action's as people read it), then the lists an item a line, then the update log an entry a line.
Git may keep this text in its notes (cachetextconv) for as long as the command stays the same,
so a change to its layout shows old and new versions of a plan laid out differently.
"""

from __future__ import annotations

from typing import Any, List, Sequence

from dhrtrack.plan import fields
from dhrtrack.plan.dates import due_date, is_month


def _one_line(value: Any) -> str:
    # Paragraph breaks are kept visible; everything else is folded onto the line.
    return " ¶ ".join(" ".join(part.split()) for part in str(value).split("\n") if part.strip())


def _scalars(level: str, skip: str) -> List[fields.Field]:
    return fields.reading_order([f for f in fields.fields(level) if not f.is_list and f.name != skip])


def _lists(level: str, kinds: frozenset) -> List[fields.Field]:
    return [f for f in fields.fields(level) if f.kind in kinds]


_REVIEW = _scalars(fields.REVIEW, "")
_RECOMMENDATION = _scalars(fields.RECOMMENDATION, "number")
_THEMES = _lists(fields.RECOMMENDATION, frozenset({"tags"}))
_ACTION = _scalars(fields.ACTION, "id")
_ACTION_LISTS = _lists(fields.ACTION, frozenset({"texts"}))
_UPDATE = fields.fields(fields.UPDATE)[1:]


def _shown(f: fields.Field, value: Any) -> str:
    if value is None:
        return f.missing
    if f.kind == "record":  # verified: "date 2026-03-14; by: ...; evidence: ..."
        return _update(value, fields.fields(f.name))
    if f.kind == "month":
        due = due_date(value)
        return f"{value} (due {due.isoformat()})" if due and is_month(value) else value
    return _one_line(value)


def _update(entry: dict, those: Sequence[fields.Field] = _UPDATE) -> str:
    """Values as they are written ("rag amber"), text after a colon ("note: ...")."""
    bits = [
        f"{f.name} {entry[f.name]}" if f.kind in fields.AS_WRITTEN_KINDS else f"{f.name}: {_one_line(entry[f.name])}"
        for f in those
        if f.name in entry
    ]
    return "; ".join(bits)


def render(plan: dict) -> str:
    lines: List[str] = []
    review = plan["review"]
    lines += [f"review {f.name}: {_one_line(review[f.name])}" for f in _REVIEW if review.get(f.name) is not None]
    for rec in plan["recommendations"]:
        n = rec["number"]
        lines += ["", f"recommendation {n}"]
        lines += [f"rec {n} {f.name}: {_one_line(rec[f.name])}" for f in _RECOMMENDATION if rec.get(f.name) is not None]
        lines += [f"rec {n} {f.item}: {_one_line(item)}" for f in _THEMES for item in rec.get(f.name) or []]
        for action in rec["actions"]:
            ident = action["id"]
            lines.append(f"action {ident}")
            for f in _ACTION:
                if action.get(f.name) is not None or f.missing:
                    lines.append(f"{ident} {f.name}: {_shown(f, action.get(f.name))}")
            for f in _ACTION_LISTS:
                lines += [
                    f"{ident} {f.item} {i}: {_one_line(item)}" for i, item in enumerate(action.get(f.name) or [], 1)
                ]
            lines += [f"{ident} update {u['date']}: {_update(u)}" for u in action.get("updates") or []]
    return "\n".join(lines).lstrip("\n") + "\n"


def invalid_note(line: int, column: int, message: str) -> str:
    """Shown above a file that is not a valid plan, which git shows as it is."""
    return f"# dhrtrack: not a valid plan ({line}:{column}: {message}); shown as it is\n"
