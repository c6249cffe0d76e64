"""A stable, line-oriented rendering of a plan for git's textconv: one field per line, each line
led by what it belongs to, so that `git diff` and `git log -p` show "10.2 rag: amber" changing to
"10.2 rag: red" instead of an indented YAML fragment with no context."""

from __future__ import annotations

from typing import Any, List

from dhrtrack.plan.dates import due_date, is_month


def _one_line(value: Any) -> str:
    # Paragraph breaks are kept visible; everything else is folded onto the line.
    return " ¶ ".join(" ".join(part.split()) for part in str(value).split("\n") if part.strip())


def render(plan: dict) -> str:
    lines: List[str] = []
    review = plan["review"]
    for name in ("id", "title", "partnership"):
        if review.get(name) is not None:
            lines.append(f"review {name}: {_one_line(review[name])}")
    for rec in plan["recommendations"]:
        n = rec["number"]
        lines.append("")
        lines.append(f"recommendation {n}")
        for name in ("section", "agency", "scope", "text"):
            if rec.get(name) is not None:
                lines.append(f"rec {n} {name}: {_one_line(rec[name])}")
        for theme in rec.get("themes") or []:
            lines.append(f"rec {n} theme: {_one_line(theme)}")
        for action in rec["actions"]:
            ident = action["id"]
            lines.append(f"action {ident}")
            for name in ("action", "lead", "owner"):
                if action.get(name) is not None:
                    lines.append(f"{ident} {name}: {_one_line(action[name])}")
            target = action.get("target")
            if target is not None:
                due = due_date(target)
                suffix = f" (due {due.isoformat()})" if due and is_month(target) else ""
                lines.append(f"{ident} target: {target}{suffix}")
            else:
                lines.append(f"{ident} target: none")
            lines.append(f"{ident} rag: {action.get('rag') or 'unrated'}")
            for name in ("outcome", "completed"):
                if action.get(name) is not None:
                    lines.append(f"{ident} {name}: {_one_line(action[name])}")
            for list_name, label in (
                ("milestones", "milestone"),
                ("evidence", "evidence"),
                ("import_notes", "import note"),
            ):
                for i, item in enumerate(action.get(list_name) or [], 1):
                    lines.append(f"{ident} {label} {i}: {_one_line(item)}")
            for update in action.get("updates") or []:
                bits = [f"{k} {update[k]}" for k in ("rag", "target", "completed") if k in update]
                if "outcome" in update:
                    bits.append(f"outcome: {_one_line(update['outcome'])}")
                for name in ("lead", "owner", "evidence", "theme", "note", "by", "source"):
                    if name in update:
                        bits.append(f"{name}: {_one_line(update[name])}")
                lines.append(f"{ident} update {update['date']}: " + "; ".join(bits))
    return "\n".join(lines).lstrip("\n") + "\n"


def invalid_note(line: int, column: int, message: str) -> str:
    """Shown above a file that is not a valid plan, which git shows as it is."""
    return f"# dhrtrack: not a valid plan ({line}:{column}: {message}); shown as it is\n"
