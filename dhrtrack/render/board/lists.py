"""The lists a paper cut at --limit rows, each in full as a CSV file to sit beside the paper
("board-overdue.csv" beside "board.html"): a national paper stays a paper, and the whole list
opens in a spreadsheet, where it can be sorted and filtered."""

from __future__ import annotations

import csv
import io
from typing import Dict, List, Tuple

from dhrtrack.i18n import N_, _
from dhrtrack.render.board.common import (
    ACTION_COLUMNS,
    COMPLETED_NOTE,
    LIST_FILES,
    TARGET_NOTE,
    TIMELINESS_HEADERS,
    list_file,
    more,
    note_heading,
)
from dhrtrack.reports.board import Board
from dhrtrack.wording import rag_word

# The headings are the paper's, in its language; the values are data (ISO dates, numbers), with
# the RAG rating in words as the paper says it. The file names stay as they are in every language.
NOTES = {
    "attention": N_("Latest update"),
    "claimed": COMPLETED_NOTE,
    "overdue": N_("Overdue by"),
    "unrated": TARGET_NOTE,
}


def _rows(board: Board, key: str) -> List[List[object]]:
    if key in NOTES:
        return [
            [*ACTION_COLUMNS, note_heading(NOTES[key])],
            *(
                [r.review, r.action_id, r.action, r.lead, r.due or "", rag_word(r.rag), r.note]
                for r in getattr(board, key)
            ),
        ]
    if key == "reviews":
        keys: Tuple[str, ...] = (
            "review",
            "actions",
            "complete",
            "green",
            "amber",
            "red",
            "missing_rag",
            "overdue",
            "no_target",
        )
        return [
            [
                _("Review"),
                _("Actions"),
                _("Complete"),
                _("Green"),
                _("Amber"),
                _("Red"),
                _("Unrated"),
                _("Overdue"),
                _("No target"),
            ],
            *([r[k] for k in keys] for r in board.reviews),
        ]
    if key == "agencies":
        return [
            [_("Agency"), _("Actions"), _("Open"), _("Overdue"), _("Unrated"), _("Complete (%)"), _("Oldest overdue")],
            *(
                [
                    *(a[k] for k in ("agency", "actions", "open", "overdue", "missing_rag", "percent_complete")),
                    _("{review} {action} (due {date})").format(
                        review=a["oldest_overdue"]["review"],
                        action=a["oldest_overdue"]["action"],
                        date=a["oldest_overdue"]["due"],
                    )
                    if a["oldest_overdue"]
                    else "",
                ]
                for a in board.agencies
            ),
        ]
    if key == "timeliness":
        keys = (
            "agency",
            "completed_on_time",
            "completed_late",
            "on_time_percent",
            "median_days_late",
            "target_slips",
            "months_slipped",
        )
        return [[_("Agency"), *TIMELINESS_HEADERS], *([row[k] for k in keys] for row in board.timeliness)]
    return [[_("Change")], *([item] for item in getattr(board, key))]


def cut_lists(board: Board) -> Dict[str, bytes]:
    """file name -> CSV (UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8) of
    every list the paper cut."""
    out = {}
    for key in LIST_FILES:
        if more(board, key, getattr(board, key)):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerows(
                ["" if value is None else value for value in row] for row in _rows(board, key)
            )
            out[list_file(board, key)] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return out
