"""What every form of the board paper says alike: the cover block, the exceptions, the
timeliness wording, percentages, and the columns of its action tables (from the field table)."""

from __future__ import annotations

from typing import List, Optional, Tuple

from dhrtrack.plan import fields
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.wording import date_words, percent, plural, when_words

# The columns of the paper's action tables (red and amber, overdue, unrated), each with the
# field table's label, and then a column of its own (the latest update, days overdue, ...).
ACTION_COLUMNS = (
    fields.field(fields.REVIEW, "id").label,
    fields.field(fields.ACTION, "id").label,
    fields.field(fields.ACTION, "action").label,
    fields.field(fields.ACTION, "lead").label,
    next(c.label for c in fields.COMPUTED if c.key == "due"),
    fields.field(fields.ACTION, "rag").label,
)
UNRATED = fields.field(fields.ACTION, "rag").missing


pct = percent


TARGET_NOTE = "Target"  # the unrated table's last column: the target, a date to say in the paper's style


def action_cells(board: Board, row: ActionRow, note_header: str) -> List[str]:
    """The cells of one row of the paper's action tables, under ACTION_COLUMNS and the note's
    own heading, as every form of the paper shows them (dates in the paper's style)."""
    note = when(board, row.note or None) if note_header == TARGET_NOTE else row.note
    return [row.review, row.action_id, row.action, row.lead, when(board, row.due), row.rag or UNRATED, note]


def when(board: Board, text: Optional[str]) -> str:
    """A date or month on the paper, in the paper's date style ("30 April 2017"); "—" for none."""
    return when_words(text, board.paper.date_style) or "—"


def _percent(value: object) -> str:
    return "—" if value is None else f"{value}%"


def _median(value: object) -> str:
    return "—" if value is None else f"{value:g}"


def timeliness_cells(row: dict) -> List[str]:
    return [
        str(row["completed_on_time"]),
        str(row["completed_late"]),
        _percent(row["on_time_percent"]),
        _median(row["median_days_late"]),
        str(row["target_slips"]),
        str(row["months_slipped"]),
    ]


TIMELINESS_HEADERS = ("On time", "Late", "On-time rate", "Median days late", "Target slips", "Months slipped")


def timeliness_note(board: Board) -> str:
    note = (
        "On time: completed on or before the due date; late: after it; the on-time rate is among "
        "completions with a date."
    )
    if board.history != "git":
        note += f" Target slips are not counted: {board.history}."
    if board.earlier_completions:
        earlier = plural(board.earlier_completions, "completion")
        note += f" {earlier} {'falls' if board.earlier_completions == 1 else 'fall'} before the quarters shown."
    return note


def cover(board: Board) -> List[Tuple[str, str]]:
    paper = board.paper
    rows = [
        ("Meeting", paper.meeting),
        ("Author", paper.author),
        ("As of", date_words(board.as_of)),
        ("Partnership", ", ".join(board.partnerships) or None),
        ("Lead agency", paper.lead),
        ("Changes since", board.since),
        ("Marking", paper.marking),
    ]
    return [(label, value) for label, value in rows if value]


def exception_items(board: Board) -> List[Tuple[int, str]]:
    e = board.exceptions
    items = [(e["overdue"], "overdue"), (e["red"], "rated red"), (e["unrated"], "unrated")]
    if e["slipped"] is not None:
        items.append((e["slipped"], f"target{'s' if e['slipped'] != 1 else ''} slipped since {board.since}"))
    return items
