"""What every form of the board paper says alike: the cover block, the exceptions, the
timeliness wording, percentages, and the columns of its action tables (from the field table)."""

from __future__ import annotations

from typing import List, Tuple

from dhrtrack.plan import fields
from dhrtrack.reports.board import Board
from dhrtrack.wording import date_words

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

# The segments of a review's completion bar, in the HTML's SVG and the Word paper's picture alike.
SEGMENTS = [
    ("complete", "#5b9bd5", "complete"),
    ("green", "#70ad47", "green"),
    ("amber", "#ffc000", "amber"),
    ("red", "#e0383e", "red"),
    ("missing_rag", "#bfbfbf", "unrated"),
]


def pct(part: int, whole: int) -> int:
    return int(100 * part / whole + 1e-9) if whole else 0


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
        note += f" {board.earlier_completions} completions fall before the quarters shown."
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
