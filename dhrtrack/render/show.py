"""`dhrtrack show`: one action in full, as text for a terminal, markdown for a paper or a ticket,
or JSON. Every value from the plan is made safe for where it goes (terminal, markdown)."""

from __future__ import annotations

import textwrap
from typing import Any, Callable, Dict, List, Tuple

from dhrtrack.i18n import N_, _, current, n_, p_, pN_
from dhrtrack.plan import fields
from dhrtrack.plan.fields import kind_name
from dhrtrack.plan.model import COMPLETE
from dhrtrack.reports.show import HistorySummary, Shown, document
from dhrtrack.wording import (
    date_words,
    json_text,
    markdown_cell,
    markdown_text,
    rag_word,
    terminal_safe,
    update_summary,
    verification_words,
    versioned,
)

LABEL = 16
WIDTH = 80


# What the Review and Recommendation lines say in one: the review's id with its title, and the
# recommendation's number with where it sits (section, agency, scope) and its text.
_REVIEW_LINE = ("id", "title")
_RECOMMENDATION_LINE = ("number", "section", "agency", "scope", "text", "actions")
# The section's and the scope's values as the reader's language says them (the file keeps English).
_VALUES = {
    ("section", "overview"): pN_("section", "overview"),
    ("section", "agency"): pN_("section", "agency"),
    ("scope", "local"): pN_("scope", "local"),
    ("scope", "regional"): pN_("scope", "regional"),
    ("scope", "national"): pN_("scope", "national"),
}


def _value(name: str, value: object) -> object:
    key = (name, str(value))
    return p_(name, _VALUES[key]) if key in _VALUES else value


_WHERE = {"section": N_("section"), "agency": N_("agency"), "scope": N_("scope")}


def _fields(shown: Shown) -> List[Tuple[str, object]]:
    """(label, value) in the order a coordinator reads an action, every field of the field
    table; a value is text or a list (a field with no value is left out)."""
    review, rec = shown.review, shown.recommendation
    where = [f"{_(_WHERE[name])} {_value(name, rec[name])}" for name in _RECOMMENDATION_LINE[1:4] if rec.get(name)]
    rows: List[Tuple[str, object]] = [
        (
            _label(fields.REVIEW, "id"),
            review["id"] + (f": {review['title']}" if review.get("title") else ""),
        )
    ]
    rows += [(label(f), _review_value(review, f)) for f in fields.fields(fields.REVIEW) if f.name not in _REVIEW_LINE]
    rows.append((p_("field", "File"), shown.file))
    text = fields.text_in(rec, fields.RECOMMENDATION, "text", f"{shown.ref.rpartition(':')[0]}:{rec['number']}")
    rows.append((_label(fields.RECOMMENDATION, "text"), f"{rec['number']} ({', '.join(where)}): {text}"))
    rows += [
        (label(f), rec.get(f.name))
        for f in fields.fields(fields.RECOMMENDATION)
        if f.name not in _RECOMMENDATION_LINE and not _said_in_place(f)
    ]
    for f in fields.reading_order([f for f in fields.fields(fields.ACTION) if f.name not in ("id", "updates")]):
        if _said_in_place(f):
            continue
        rows.append((label(f), _action_value(shown, f)))
        if f.name == "rag":
            rows.append(
                (_("Status"), _("{status} as of {date}").format(status=shown.status, date=date_words(shown.as_of)))
            )
    return [(label, value) for label, value in rows if value]


def _said_in_place(f: fields.Field) -> bool:
    """A translation in the language being written: said in place of the field it translates
    (a Welsh show says the Welsh action as the action); in another language, a field of its own."""
    return bool(f.translates) and f.language == current()


def _review_value(review: dict, f: fields.Field) -> object:
    if f.name == "kind" and review.get("kind"):
        return kind_name([review["kind"]])
    return review.get(f.name)


def _action_value(shown: Shown, f: fields.Field) -> object:
    value: Any = (
        fields.text_in(shown.action, fields.ACTION, f.name, shown.ref) if f.kind == "text" else shown.action.get(f.name)
    )
    if f.name == "lead":
        return f"{value}" + (_(" (reported as {agency})").format(agency=shown.agency) if shown.agency != value else "")
    if f.name == "target" and value:
        return value + (_(" (due {date})").format(date=date_words(shown.due)) if shown.due else "")
    if f.name == "rag":
        return rag_word(value)
    if f.kind == "record" and value:  # verified
        return verification_words(value, shown.action.get("rag") == COMPLETE, style="iso")
    return value or (p_("field", f.missing) if f.missing else "")


def label(f: fields.Field) -> str:
    return p_("field", f.label)


def _label(level: str, name: str) -> str:
    return label(fields.field(level, name))


def history_line(history: HistorySummary) -> str:
    if history.commits == 0:
        return history.note or _("no commits")
    said = _("{commits}, {first} to {last} (last by {author})").format(
        commits=n_("{n} commit", "{n} commits", history.commits).format(n=history.commits),
        first=history.first,
        last=history.last,
        author=history.last_author,
    )
    if history.slips:
        said += n_("; target slipped {n} time: ", "; target slipped {n} times: ", len(history.slips)).format(
            n=len(history.slips)
        ) + "; ".join(history.slips)
    else:
        said += _("; the target never slipped")
    return said + (f"; {history.note}" if history.note else "")


def text(shown: Shown) -> str:
    safe = terminal_safe
    lines = [safe(shown.ref), ""]
    for label, value in _fields(shown):
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            head = (label + ": ").ljust(LABEL) if i == 0 else " " * LABEL  # a space after a long label too
            bullet = "- " if isinstance(value, list) else ""
            lines += _wrapped(head + bullet, safe(str(item)), LABEL + len(bullet))
    updates = shown.action.get("updates") or []
    lines.append(f"{_('Updates:').ljust(LABEL)}" + (_("none") if not updates else ""))
    for entry in updates:
        lines += _wrapped("  ", safe(update_summary(entry)), 4)
    if shown.history is not None:
        lines += _wrapped(_("History:").ljust(LABEL), safe(history_line(shown.history)), LABEL)
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
    lines += ["", "### " + _("Updates"), ""]
    lines += [f"- {markdown_text(update_summary(entry))}" for entry in updates] or [_("None recorded.")]
    if shown.history is not None:
        lines += ["", "### " + _("History"), "", markdown_text(history_line(shown.history))]
    return "\n".join(lines) + "\n"


def json_document(shown: Shown) -> str:
    return json_text(versioned(document(shown)))


SHOW_RENDERERS: Dict[str, Callable[[Shown], str]] = {"text": text, "markdown": markdown, "json": json_document}
