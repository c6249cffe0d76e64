"""Agency returns: for each lead agency, every open action it leads, with what the agency needs
to answer (the review, the recommendation, the action, its target and rating, its latest update)
and a snapshot of the action as it stands, so that an answer given later about an action that
has changed since can be recognised (dhrtrack.plan.snapshot). dhrtrack.render.returns writes
them as workbooks; dhrtrack.importing.returns reads the answers back."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from dhrtrack.agencies import Canon, contacts_for
from dhrtrack.errors import DhrtrackError
from dhrtrack.plan import fields, snapshot
from dhrtrack.plan.fields import SHORT, kind_name
from dhrtrack.plan.model import due_within_test, is_open, overdue_test, shared_names
from dhrtrack.plan.store import Loaded
from dhrtrack.reports.chase import reply_date, sender_address
from dhrtrack.reports.queries import Filters, check_filters, matches
from dhrtrack.wording import update_summary

OVERDUE, DUE_SOON, UNRATED = "overdue", "due soon", "unrated"
_RANK = {OVERDUE: 0, DUE_SOON: 1, UNRATED: 2, None: 3}


@dataclass
class ReturnRow:
    ref: str  # plan:id, the key an answer is matched on
    review: str
    recommendation: str  # "7. Call handlers should ..."
    action: str
    target: Optional[str]
    due: Optional[dt.date]
    flag: Optional[str]  # overdue, due soon, unrated, or None
    days_overdue: Optional[int]
    rag: Optional[str]
    latest_update: Optional[str]  # "2026-10-01: Policy drafted." (date and note or values)
    outcome: Optional[str]  # the outcome recorded now: shown, so an agency sees what it would replace
    snapshot: str  # the action as it stands, encoded (dhrtrack.plan.snapshot)
    order: Tuple[str, int] = ("", 0)  # file and position: document order within a review
    kind: Optional[str] = None  # its review's kind (review.kind): how the return names the reviews


@dataclass
class AgencyReturn:
    agency: str
    emails: List[Tuple[Optional[str], str]]
    rows: List[ReturnRow] = field(default_factory=list)
    # Which return this is: recorded and signed in it, and in the log of every answer applied
    # from it, so that an answer counts once. Random: two returns never share one.
    return_id: str = field(default_factory=lambda: secrets.token_hex(6))

    def count(self, flag: str) -> int:
        return sum(1 for row in self.rows if row.flag == flag)

    def kinds(self, form: str = SHORT) -> str:
        """The reviews its actions are from, named by their kind ("DHR", "SUSR", "Review")."""
        return kind_name((row.kind for row in self.rows), form)


@dataclass
class Returns:
    as_of: dt.date
    within_days: int
    reply_by: dt.date
    sender: Optional[str]
    returns: List[AgencyReturn]


def build(
    loaded: Loaded,
    canon: Canon,
    as_of: dt.date,
    within_days: int,
    reply_by: Optional[dt.date] = None,
    sender: Optional[str] = None,
    lead_filter: Optional[str] = None,
) -> Returns:
    """One return per canonical lead agency (in name order), listing every open action it
    leads: overdue first (most overdue first), then due soon, then unrated, then the rest in
    review and document order."""
    check_filters(loaded, canon, Filters(lead=lead_filter))
    shared = shared_names(loaded.files)
    if shared:
        name, files = sorted(shared.items())[0]
        raise DhrtrackError(
            f"{len(files)} plans are named {name} ({', '.join(files)}): a return's Refs ({name}:1.1) would "
            "name either; rename all but one before writing returns"
        )
    overdue, due_soon = overdue_test(as_of), due_within_test(as_of, within_days)
    found: Dict[str, AgencyReturn] = {}
    for plan in loaded.plans:
        wanted = [a for a in plan.actions if is_open(a.rag) and matches(lead_filter, a.lead, canon(a.lead))]
        if not wanted:
            continue
        data = loaded.take_data(plan)  # one plan's data at a time: a national run holds no more
        recommendations = {r["number"]: r for r in data["recommendations"]}
        full = [a for r in data["recommendations"] for a in r["actions"]]
        for action in wanted:
            whole = full[action.order]
            rec = recommendations[action.recommendation]
            flag = OVERDUE if overdue(action) else DUE_SOON if due_soon(action) else None
            if flag is None and action.rag is None:
                flag = UNRATED
            due = action.due
            ref = f"{plan.name}:{action.id}"
            # In the language of the return where the plan has it (else English, and a warning)
            said = fields.text_in(rec, fields.RECOMMENDATION, "text", f"{plan.name}:{rec['number']}")
            row = ReturnRow(
                ref=ref,
                review=plan.review,
                recommendation=f"{rec['number']}. {said}",
                action=str(fields.text_in(whole, fields.ACTION, "action", ref)),
                target=action.target,
                due=due,
                flag=flag,
                days_overdue=(as_of - due).days if flag == OVERDUE and due else None,
                rag=action.rag,
                latest_update=_latest(whole.get("updates") or []),
                outcome=whole.get("outcome"),
                snapshot=snapshot.encode(snapshot.snapshot(whole)),
                order=(plan.file, action.order),
                kind=plan.kind,
            )
            agency = canon(action.lead)
            if agency not in found:
                found[agency] = AgencyReturn(agency, contacts_for(loaded.registry, agency))
            found[agency].rows.append(row)
    for agency_return in found.values():
        agency_return.rows.sort(key=lambda r: (_RANK[r.flag], r.due or dt.date.max, r.review, r.order))
    sender_address(sender)  # refuse a --from that is not an address before any return is made
    out = sorted(found.values(), key=lambda r: r.agency.casefold())
    return Returns(as_of, within_days, reply_date(as_of, reply_by), sender, out)


def _latest(updates: List[dict]) -> Optional[str]:
    return update_summary(updates[-1]) if updates else None
