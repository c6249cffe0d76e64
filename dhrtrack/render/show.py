"""`dhrtrack show`: one action in full, as text for a terminal, markdown for a paper or a ticket,
or JSON. Every value from the plan is made safe for where it goes (terminal, markdown)."""

from __future__ import annotations

import textwrap
from typing import Callable, Dict, List, Tuple

from dhrtrack.plan import fields
from dhrtrack.reports.show import HistorySummary, Shown, document
from dhrtrack.wording import (
    date_words,
    json_text,
    markdown_cell,
    markdown_text,
    plural,
    terminal_safe,
    update_summary,
    versioned,
)

LABEL = 16
WIDTH = 80


# What the Review and Recommendation lines say in one: the review's id with its title, and the
# recommendation's number with where it sits (section, agency, scope) and its text.
_REVIEW_LINE = ("id", "title")
_RECOMMENDATION_LINE = ("number", "section", "agency", "scope", "text", "actions")


def _fields(shown: Shown) -> List[Tuple[str, object]]:
    """(label, value) in the order a coordinator reads an action, every field of the field
    table; a value is text or a list (a field with no value is left out)."""
    review, rec = shown.review, shown.recommendation
    where = [f"{name} {rec[name]}" for name in _RECOMMENDATION_LINE[1:4] if rec.get(name)]
    rows: List[Tuple[str, object]] = [
        (
            fields.field(fields.REVIEW, "id").label,
            review["id"] + (f": {review['title']}" if review.get("title") else ""),
        )
    ]
    rows += [(f.label, review.get(f.name)) for f in fields.fields(fields.REVIEW) if f.name not in _REVIEW_LINE]
    rows.append(("File", shown.file))
    rows.append(
        (fields.field(fields.RECOMMENDATION, "text").label, f"{rec['number']} ({', '.join(where)}): {rec['text']}")
    )
    rows += [
        (f.label, rec.get(f.name)) for f in fields.fields(fields.RECOMMENDATION) if f.name not in _RECOMMENDATION_LINE
    ]
    for f in fields.reading_order([f for f in fields.fields(fields.ACTION) if f.name not in ("id", "updates")]):
        rows.append((f.label, _action_value(shown, f)))
        if f.name == "rag":
            rows.append(("Status", f"{shown.status} as of {date_words(shown.as_of)}"))
    return [(label, value) for label, value in rows if value]


def _action_value(shown: Shown, f: fields.Field) -> object:
    value = shown.action.get(f.name)
    if f.name == "lead":
        return f"{value}" + (f" (reported as {shown.agency})" if shown.agency != value else "")
    if f.name == "target" and value:
        return value + (f" (due {date_words(shown.due)})" if shown.due else "")
    return value or f.missing


def history_line(history: HistorySummary) -> str:
    if history.commits == 0:
        return history.note or "no commits"
    said = f"{plural(history.commits, 'commit')}, {history.first} to {history.last} (last by {history.last_author})"
    if history.slips:
        said += f"; target slipped {plural(len(history.slips), 'time')}: " + "; ".join(history.slips)
    else:
        said += "; the target never slipped"
    return said + (f"; {history.note}" if history.note else "")


def text(shown: Shown) -> str:
    safe = terminal_safe
    lines = [safe(shown.ref), ""]
    for label, value in _fields(shown):
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            head = (label + ":").ljust(LABEL) if i == 0 else " " * LABEL
            bullet = "- " if isinstance(value, list) else ""
            lines += _wrapped(head + bullet, safe(str(item)), LABEL + len(bullet))
    updates = shown.action.get("updates") or []
    lines.append(f"{'Updates:'.ljust(LABEL)}" + ("none" if not updates else ""))
    for entry in updates:
        lines += _wrapped("  ", safe(update_summary(entry)), 4)
    if shown.history is not None:
        lines += _wrapped("History:".ljust(LABEL), safe(history_line(shown.history)), LABEL)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _wrapped(head: str, value: str, indent: int) -> List[str]:
    out: List[str] = []
    for n, paragraph in enumerate(value.split("\n")):
        out += textwrap.wrap(
            paragraph,
            WIDTH,
            initial_indent=head if n == 0 else " " * indent,
            subsequent_indent=" " * indent,
            break_long_words=True,
            break_on_hyphens=False,
        ) or [head if n == 0 else ""]
    return out


def markdown(shown: Shown) -> str:
    lines = [f"## {markdown_text(shown.ref)}", "", "| | |", "| --- | --- |"]
    for label, value in _fields(shown):
        cell = "<br>".join(f"• {markdown_cell(v)}" for v in value) if isinstance(value, list) else markdown_cell(value)
        lines.append(f"| **{label}** | {cell} |")
    updates = shown.action.get("updates") or []
    lines += ["", "### Updates", ""]
    lines += [f"- {markdown_text(update_summary(entry))}" for entry in updates] or ["None recorded."]
    if shown.history is not None:
        lines += ["", "### History", "", markdown_text(history_line(shown.history))]
    return "\n".join(lines) + "\n"


def json_document(shown: Shown) -> str:
    return json_text(versioned(document(shown)))


SHOW_RENDERERS: Dict[str, Callable[[Shown], str]] = {"text": text, "markdown": markdown, "json": json_document}
