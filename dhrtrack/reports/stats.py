"""Implementation statistics across reviews (`dhrtrack stats`): per agency, theme, scope, review
or year, how many actions are open, overdue and complete, how many were completed on time or
late and by how much, and how often targets slipped (from git history). Definitions in the
docs/reports.md ("dhrtrack stats") and in `Counts` below; every figure is computed here only."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from dhrtrack.history.slips import SlipIndex
from dhrtrack.i18n import N_
from dhrtrack.plan.model import COMPLETE, Plan, is_overdue
from dhrtrack.reports.queries import Scope

# The groups of actions with no theme, scope or target: English in the data (JSON, CSV), said in
# the reader's language in the tables (render.views.stats).
NONE_GROUP = {"theme": N_("(no theme)"), "scope": N_("(no scope)"), "year": N_("(no target)")}
KEYS = (
    "actions",
    "open",
    "overdue",
    "complete",
    "verified",
    "claimed",
    "completed_on_time",
    "completed_late",
    "completion_date_unknown",
    "median_days_late",
    "target_slips",
    "months_slipped",
)


@dataclass
class Counts:
    """One group's figures. completed_on_time: complete, with a completion date on or before the
    due date; completed_late: after it; completion_date_unknown: complete with no `completed`
    date (a complete action with a date but no target is in neither on time nor late)."""

    group: str
    actions: int = 0
    open: int = 0
    overdue: int = 0
    complete: int = 0
    verified: int = 0  # complete, and checked by someone else (an action's `verified`)
    claimed: int = 0  # complete on the agency's word alone
    completed_on_time: int = 0
    completed_late: int = 0
    completion_date_unknown: int = 0
    days_late: List[int] = field(default_factory=list)
    target_slips: int = 0
    months_slipped: int = 0

    @property
    def median_days_late(self) -> Optional[float]:
        return statistics.median(self.days_late) if self.days_late else None

    def as_dict(self) -> dict:
        out: Dict[str, object] = {"group": self.group}
        for key in KEYS:
            out[key] = getattr(self, key)
        return out


@dataclass
class Stats:
    as_of: dt.date
    by: str
    groups: List[Counts]
    history_note: Optional[str] = None  # why slips are 0 (not a git repository, ...)

    def document(self) -> dict:
        """The JSON shape of `dhrtrack stats --format json`."""
        return {
            "as_of": self.as_of.isoformat(),
            "by": self.by,
            "groups": [g.as_dict() for g in self.groups],
            "history": self.history_note or "git",
        }


def build(scope: Scope, by: str, slips: SlipIndex) -> Stats:
    as_of = scope.as_of
    groups: Dict[str, Counts] = {}
    for plan, actions in scope.scoped.groups:
        if not actions:
            continue
        short = plan.name  # the plan's name, as slips are keyed
        recommendations = {}
        if by in ("theme", "scope"):
            recommendations = {r["number"]: r for r in scope.loaded.data(plan)["recommendations"]}
        for action in actions:
            due = action.due
            for name in _groups_of(by, plan, scope.canon(action.lead), due, recommendations.get(action.recommendation)):
                counts = groups.get(name)
                if counts is None:
                    counts = groups[name] = Counts(name)
                counts.actions += 1
                if action.rag == COMPLETE:
                    counts.complete += 1
                    if action.verified is not None:
                        counts.verified += 1
                    else:
                        counts.claimed += 1
                    if action.completed is None:
                        counts.completion_date_unknown += 1
                    elif due is not None:
                        late = (dt.date.fromisoformat(action.completed) - due).days
                        if late > 0:
                            counts.completed_late += 1
                            counts.days_late.append(late)
                        else:
                            counts.completed_on_time += 1
                else:
                    counts.open += 1
                    if is_overdue(due, action.rag, as_of):
                        counts.overdue += 1
                for slip in slips.of(short, action.id):
                    counts.target_slips += 1
                    counts.months_slipped += slip.months
    ordered = sorted(groups.values(), key=lambda c: (c.group.startswith("("), c.group.casefold()))
    return Stats(as_of, by, ordered, slips.note)


def _groups_of(by: str, plan: Plan, agency: str, due: Optional[dt.date], recommendation: Optional[dict]) -> List[str]:
    if by == "agency":
        return [agency]
    if by == "review":
        return [plan.review]
    if by == "kind":
        return [plan.kind]  # the plan's value (dhr when it does not say), as scope gives "local"
    if by == "year":
        return [str(due.year)] if due else [NONE_GROUP["year"]]
    assert recommendation is not None
    if by == "scope":
        return [recommendation.get("scope") or NONE_GROUP["scope"]]
    themes = recommendation.get("themes") or []
    return list(dict.fromkeys(themes)) or [NONE_GROUP["theme"]]
