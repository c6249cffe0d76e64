"""`dhrtrack show`: one action in full, as text for a terminal, markdown for a paper or a ticket,
or JSON. Every value from the plan is made safe for where it goes (terminal, markdown)."""

from __future__ import annotations

import textwrap
from typing import Callable, Dict, List, Tuple

from dhrtrack.reports.show import HistorySummary, Shown, document
from dhrtrack.wording import date_words, json_text, markdown_cell, markdown_text, plural, terminal_safe, update_summary

LABEL = 16
WIDTH = 80


def _fields(shown: Shown) -> List[Tuple[str, object]]:
    """(label, value) in the order a coordinator reads an action; a value is text or a list."""
    review, rec, action = shown.review, shown.recommendation, shown.action
    where = [f"section {rec['section']}"]
    if rec.get("agency"):
        where.append(f"agency {rec['agency']}")
    if rec.get("scope"):
        where.append(f"scope {rec['scope']}")
    target = action.get("target")
    due = f" (due {date_words(shown.due)})" if shown.due else ""
    lead = action["lead"] + (f" (reported as {shown.agency})" if shown.agency != action["lead"] else "")
    rows: List[Tuple[str, object]] = [
        ("Review", review["id"] + (f": {review['title']}" if review.get("title") else "")),
        ("Partnership", review.get("partnership")),
        ("File", shown.file),
        ("Recommendation", f"{rec['number']} ({', '.join(where)}): {rec['text']}"),
        ("Action", action["action"]),
        ("Lead", lead),
        ("Owner", action.get("owner")),
        ("Milestones", action.get("milestones")),
        ("Target", f"{target}{due}" if target else "none"),
        ("RAG", action.get("rag") or "unrated"),
        ("Status", f"{shown.status} as of {date_words(shown.as_of)}"),
        ("Outcome", action.get("outcome")),
        ("Completed", action.get("completed")),
        ("Evidence", action.get("evidence")),
        ("Import notes", action.get("import_notes")),
    ]
    return [(label, value) for label, value in rows if value]


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
    return json_text(document(shown))


SHOW_RENDERERS: Dict[str, Callable[[Shown], str]] = {"text": text, "markdown": markdown, "json": json_document}
