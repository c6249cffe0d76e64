"""The documented JSON and CSV shapes of the reports (docs/json-output.md, docs/design.md §3), in
one place: the keys of each kind of row, how a row is built, and each command's document.

A CSV table is (header, rows); a document is what `--format json` prints.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Iterable, List, Sequence, Tuple, Union

from dhrtrack.reports.queries import Pair
from dhrtrack.wording import Streamed

OVERDUE_KEYS = ("review", "file", "recommendation", "action", "lead", "target", "due", "days_overdue", "rag")
MISSING_KEYS = ("review", "file", "recommendation", "action", "lead", "target")
SUMMARY_KEYS = (
    "review",
    "file",
    "actions",
    "complete",
    "verified",
    "claimed",
    "green",
    "amber",
    "red",
    "missing_rag",
    "overdue",
    "no_target",
)
DUE_KEYS = ("review", "file", "recommendation", "action", "lead", "target", "due", "days_left", "rag")
AGENCY_KEYS = (
    "agency",
    "actions",
    "open",
    "complete",
    "verified",
    "claimed",
    "overdue",
    "missing_rag",
    "percent_complete",
)
CHANGE_KEYS = ("review", "file", "recommendation", "action", "change", "field", "old", "new")

Table = Tuple[Sequence[str], List[List[Any]]]


# --- rows -----------------------------------------------------------------------------------


# Each builds its rows in one comprehension of dict displays: a national status writes about
# 90,000 of them.


def missing_rows(pairs: Sequence[Pair]) -> List[dict]:
    return [
        {
            "review": plan.review,
            "file": plan.file,
            "recommendation": a.recommendation,
            "action": a.id,
            "lead": a.lead,
            "target": a.target,
        }
        for plan, a in pairs
    ]


@lru_cache(maxsize=None)
def _iso_day(ordinal: int) -> str:
    # Due dates are month ends and a few hundred days: a national list of tens of thousands of
    # rows writes each one once.
    return dt.date.fromordinal(ordinal).isoformat()


def action_rows(pairs: Sequence[Pair], as_of: dt.date) -> List[dict]:
    """Rows of actions with their due date and days overdue (negative: days left)."""
    return _dated_rows(pairs, as_of, "days_overdue", 1)


def due_rows(pairs: Sequence[Pair], as_of: dt.date) -> List[dict]:
    """Rows of actions falling due (every one has a due date) with the days left."""
    return _dated_rows(pairs, as_of, "days_left", -1)


def _dated_rows(pairs: Sequence[Pair], as_of: dt.date, days: str, sign: int) -> List[dict]:
    today = as_of.toordinal()
    return [
        {
            "review": plan.review,
            "file": plan.file,
            "recommendation": a.recommendation,
            "action": a.id,
            "lead": a.lead,
            "target": a.target,
            "due": _iso_day(due) if due is not None else None,
            days: sign * (today - due) if due is not None else None,
            "rag": a.rag,
        }
        for plan, a in pairs
        for due in (a.due_ordinal,)
    ]


def values(rows: Iterable[dict], keys: Sequence[str]) -> List[List[Any]]:
    return [[row.get(k) for k in keys] for row in rows]


# --- documents and tables -------------------------------------------------------------------


Rows = Union[List[dict], Streamed]  # a Streamed list of rows is made as the document is written


def status_document(as_of: dt.date, reviews: List[dict], overdue: Rows, missing: Rows) -> dict:
    return {"as_of": as_of.isoformat(), "reviews": reviews, "overdue": overdue, "missing_rag": missing}


def status_table(reviews: List[dict], overdue: List[dict], missing: List[dict]) -> Table:
    """One sheet for the three parts of status: a `section` column says which part a row is;
    each row has every column, empty where its part has no such value."""
    header = ("section",) + OVERDUE_KEYS + SUMMARY_KEYS[2:]
    parts = (("summary", reviews), ("overdue", overdue), ("missing_rag", missing))
    return header, [[section] + [row.get(k) for k in header[1:]] for section, part in parts for row in part]


def due_document(as_of: dt.date, days: int, until: dt.date, due: Rows) -> dict:
    return {"as_of": as_of.isoformat(), "within_days": days, "until": until.isoformat(), "due": due}


def agencies_document(as_of: dt.date, rows: List[dict]) -> dict:
    return {
        "as_of": as_of.isoformat(),
        "agencies": [
            dict({k: r[k] for k in AGENCY_KEYS}, oldest_overdue=r["oldest_overdue"], spellings=r["spellings"])
            for r in rows
        ],
    }


def agencies_table(rows: List[dict]) -> Table:
    header = AGENCY_KEYS + ("oldest_overdue_review", "oldest_overdue_action", "oldest_overdue_due")
    out = []
    for r in rows:
        oldest = r["oldest_overdue"] or {}
        out.append([r[k] for k in AGENCY_KEYS] + [oldest.get("review"), oldest.get("action"), oldest.get("due")])
    return header, out


def csv_value(value: Any) -> Any:
    """Lists and mappings (milestones, updates) go into one CSV cell as JSON."""
    import json

    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
