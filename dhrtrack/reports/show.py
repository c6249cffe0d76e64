"""One action in full (`dhrtrack show REF`): its review, recommendation, every field, where it
stands on a date, and, in a git repository, a summary of its history (commits, target slips).
Values only: dhrtrack.render.show writes them as text, markdown or JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Sequence

from dhrtrack.agencies import Canon
from dhrtrack.errors import DhrtrackError
from dhrtrack.i18n import _, n_
from dhrtrack.plan.model import CLAIMED, VERIFIED, is_due_within, is_overdue
from dhrtrack.plan.store import Found, Loaded


@dataclass
class HistorySummary:
    commits: int
    first: Optional[str]  # date of the first commit that has the action
    last: Optional[str]  # date of the last commit that changed it
    last_author: Optional[str]
    slips: List[str]  # "2021-06 → 2021-09 (2021-05-02)", oldest first
    note: Optional[str] = None  # why there is no history (not in git, a shallow clone)


@dataclass
class Shown:
    ref: str
    file: str
    review: dict  # id, title, partnership
    recommendation: dict  # number, section, agency, scope, text
    action: dict  # every field as in the plan
    agency: str  # the lead as the reports name it
    as_of: dt.date
    due: Optional[dt.date]
    status: str  # "overdue by 30 days", "due within 45 days", "complete", "open", "open, unrated"
    history: Optional[HistorySummary] = None
    verification: Optional[str] = None  # claimed, verified, verification lapsed (model.verification)


def build(loaded: Loaded, found: Found, canon: Canon, as_of: dt.date, paths: Sequence[str], history: bool) -> Shown:
    plan, action = found
    data = loaded.data(plan)
    recommendation = next(r for r in data["recommendations"] if r["number"] == action.recommendation)
    whole = [a for r in data["recommendations"] for a in r["actions"]][action.order]
    due = action.due
    shown = Shown(
        ref=f"{plan.name}:{action.id}",
        file=plan.file,
        review=dict(data["review"]),
        recommendation={k: v for k, v in recommendation.items() if k != "actions"},
        action=dict(whole),
        agency=canon(action.lead),
        as_of=as_of,
        due=due,
        status=_status(due, action.rag, as_of) + _verification(action.verification, action.verified),
        verification=action.verification,
    )
    if history:
        shown.history = _history(shown.ref, paths)
    return shown


def _verification(said: Optional[str], day: Optional[str]) -> str:
    """How far a completion is checked: claimed (on the agency's word), verified (by the
    partnership), or an open action's verification that lapsed."""
    if said == CLAIMED:
        return _(" (claimed, not verified)")
    if said == VERIFIED:
        return _(" (verified {day})").format(day=day)
    return _(" (verification lapsed)") if said else ""


def _status(due: Optional[dt.date], rag: Optional[str], as_of: dt.date) -> str:
    if rag == "complete":
        return _("complete")
    if is_overdue(due, rag, as_of):
        assert due is not None
        days = (as_of - due).days
        return n_("overdue by {n} day", "overdue by {n} days", days).format(n=days)
    if is_due_within(due, rag, as_of, 45):
        assert due is not None
        days = (due - as_of).days
        return n_("due in {n} day", "due in {n} days", days).format(n=days)
    return _("open") if rag else _("open, unrated")


def _history(ref: str, paths: Sequence[str]) -> HistorySummary:
    from dhrtrack.history.changes import is_slip
    from dhrtrack.history.timeline import timeline

    try:
        line = timeline(ref, paths)
    except DhrtrackError as error:
        return HistorySummary(0, None, None, None, [], note=str(error).splitlines()[0])
    slips = [
        f"{change.old} → {change.new} ({entry.date})"
        for entry in line.entries
        for change in entry.changes
        if is_slip(change)
    ]
    entries = line.entries
    note = _("history is cut short: this is a shallow clone (git fetch --unshallow)") if line.shallow else None
    if not entries and note is None:
        note = _("no commit has this action yet")
    return HistorySummary(
        len(entries),
        entries[0].date if entries else None,
        entries[-1].date if entries else None,
        entries[-1].author if entries else None,
        slips,
        note,
    )


def document(shown: Shown) -> dict:
    """The JSON shape of `dhrtrack show --format json`."""
    history = shown.history
    return {
        "ref": shown.ref,
        "file": shown.file,
        "as_of": shown.as_of.isoformat(),
        "review": shown.review,
        "recommendation": shown.recommendation,
        "action": shown.action,
        "agency": shown.agency,
        "due": shown.due.isoformat() if shown.due else None,
        "status": shown.status,
        "verification": shown.verification,
        "history": None
        if history is None
        else {
            "commits": history.commits,
            "first": history.first,
            "last": history.last,
            "last_author": history.last_author,
            "target_slips": history.slips,
            "note": history.note,
        },
    }
