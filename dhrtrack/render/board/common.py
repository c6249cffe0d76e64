"""What every form of the board paper says alike: the cover block, the exceptions, the
timeliness wording, percentages, and the columns of its action tables (from the field table)."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple, TypeVar

from dhrtrack.i18n import N_, Said, _, n_, p_
from dhrtrack.plan import fields
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.wording import date_words, percent, rag_word, when_words

# The columns of the paper's action tables (red and amber, overdue, unrated), each with the
# field table's label, and then a column of its own (the latest update, days overdue, ...).
ACTION_COLUMNS = Said(
    (
        fields.field(fields.REVIEW, "id").label,
        fields.field(fields.ACTION, "id").label,
        fields.field(fields.ACTION, "action").label,
        fields.field(fields.ACTION, "lead").label,
        next(c.label for c in fields.COMPUTED if c.key == "due"),
        fields.field(fields.ACTION, "rag").label,
    ),
    context="field",
)

# The segments of a review's completion bar, in the HTML's SVG and the Word paper's picture alike.
SEGMENTS = [
    ("complete", "#5b9bd5", "complete"),
    ("green", "#70ad47", "green"),
    ("amber", "#ffc000", "amber"),
    ("red", "#e0383e", "red"),
    ("missing_rag", "#bfbfbf", "unrated"),
]


pct = percent


TARGET_NOTE = N_("Target")  # the unrated table's last column: the target, a date to say in the paper's style
COMPLETED_NOTE = N_("Completed")  # the claimed table's last column: the completion date
CLAIMED_TITLE = N_("Completions claimed, not verified")


def action_cells(board: Board, row: ActionRow, note_header: str) -> List[str]:
    """The cells of one row of the paper's action tables, under ACTION_COLUMNS and the note's
    own heading, as every form of the paper shows them (dates in the paper's style)."""
    note = when(board, row.note or None) if note_header in (TARGET_NOTE, COMPLETED_NOTE) else row.note
    return [row.review, row.action_id, row.action, row.lead, when(board, row.due), rag_word(row.rag), note]


def when(board: Board, text: Optional[str]) -> str:
    """A date or month on the paper, in the paper's date style ("30 April 2017"); "—" for none."""
    return when_words(text, board.paper.date_style) or "—"


def oldest_words(board: Board, oldest: dict) -> str:
    """An agency's oldest overdue action: "BDHR 2012/13-05 6.1 (due 30 April 2017)"."""
    return _("{review} {action} (due {date})").format(
        review=oldest["review"], action=oldest["action"], date=when(board, oldest["due"])
    )


def quarter_words(quarter: str) -> str:
    """A quarter as the paper says it: "2024 Q1" (the board's data) in the paper's language."""
    year, _sep, number = quarter.partition(" Q")
    return _("{year} Q{quarter}").format(year=year, quarter=number)


def note_heading(note: str) -> str:
    """An action table's last column heading (TARGET_NOTE, "Latest update", "Overdue by"), said."""
    return _(note)


def segment_name(name: str) -> str:
    return p_("rag", name)


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


TIMELINESS_HEADERS = Said(
    (N_("On time"), N_("Late"), N_("On-time rate"), N_("Median days late"), N_("Target slips"), N_("Months slipped"))
)


def timeliness_note(board: Board) -> str:
    note = _(
        "On time: completed on or before the due date; late: after it; the on-time rate is among "
        "completions with a date."
    )
    if board.history != "git":
        note += " " + _("Target slips are not counted: {why}.").format(why=board.history)
    if board.earlier_completions:
        n = board.earlier_completions
        note += " " + n_(
            "{n} completion falls before the quarters shown.", "{n} completions fall before the quarters shown.", n
        ).format(n=n)
    return note


def cover(board: Board) -> List[Tuple[str, str]]:
    paper = board.paper
    rows = [
        (_("Meeting"), paper.meeting),
        (_("Author"), paper.author),
        (_("As of"), date_words(board.as_of)),
        (_("Partnership"), ", ".join(board.partnerships) or None),
        (_("Lead agency"), paper.lead),
        (_("Changes since"), board.since),
        (_("Marking"), paper.marking),
    ]
    return [(label, value) for label, value in rows if value]


def exception_items(board: Board) -> List[Tuple[int, str]]:
    e = board.exceptions
    items = [(e["overdue"], _("overdue")), (e["red"], _("rated red")), (e["unrated"], _("unrated"))]
    items.append((e["claimed"], _("claimed complete, not verified")))
    if e["slipped"] is not None:
        slipped = n_("target slipped since {since}", "targets slipped since {since}", e["slipped"])
        items.append((e["slipped"], slipped.format(since=board.since)))
    return items


# The lists a paper caps at --limit rows, and the name of the CSV file beside the paper that
# holds each in full ("board-overdue.csv" beside "board.html").
LIST_FILES = {
    "attention": "red-amber",
    "claimed": "claimed",
    "reviews_changed": "reviews-added-removed",
    "completed_since": "newly-completed",
    "rag_changes": "rag-changes",
    "slips": "target-slips",
    "reviews": "reviews",
    "agencies": "agencies",
    "timeliness": "timeliness",
    "overdue": "overdue",
    "unrated": "unrated",
}

T = TypeVar("T")


def shown(board: Board, rows: Sequence[T]) -> Sequence[T]:
    """The rows of a list the paper shows: the first --limit of them."""
    limit = board.paper.limit
    return rows[:limit] if limit and len(rows) > limit else rows


def list_file(board: Board, key: str) -> str:
    return f"{board.paper.lists}-{LIST_FILES[key]}.csv"


def more(board: Board, key: str, rows: Sequence[object]) -> Optional[str]:
    """ "… and 1,234 more: the whole list is in board-overdue.csv, beside this paper.", or None
    when the paper shows the whole list."""
    limit = board.paper.limit
    if not limit or len(rows) <= limit:
        return None
    where = (
        _("the whole list is in {file}, beside this paper").format(file=list_file(board, key))
        if board.paper.lists
        else _("report --limit 0 gives the whole list")
    )
    return _("… and {count} more: {where}.").format(count=f"{len(rows) - limit:,}", where=where)
