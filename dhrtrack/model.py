"""The plan model the reports use, built only from data that passed validation.

Actions are NamedTuples of the plain values the reports use, so that a national corpus (tens
of thousands of actions) builds, caches (marshal) and rebuilds quickly. Long text (the
recommendation and action text, the outcome, milestones) and the update log stay in the YAML:
commands that show them read the plan itself.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, List, NamedTuple, Optional, Tuple

from dhrtrack.dates import due_date

RAGS = ("red", "amber", "green", "complete")


@lru_cache(maxsize=4096)
def due_ordinal(target: str) -> Optional[int]:
    due = due_date(target)
    return due.toordinal() if due else None


class Action(NamedTuple):
    recommendation: int
    id: str
    lead: str
    owner: Optional[str]
    target: Optional[str]
    due_ordinal: Optional[int]  # the due date as date.toordinal(), precomputed for fast comparisons
    rag: Optional[str]
    has_outcome: bool
    completed: Optional[str]
    order: int  # position in the file: document order across recommendations

    @property
    def due(self) -> Optional[dt.date]:
        return dt.date.fromordinal(self.due_ordinal) if self.due_ordinal is not None else None

    @property
    def is_complete(self) -> bool:
        return self.rag == "complete"

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.due_ordinal is not None and self.due_ordinal < as_of.toordinal() and self.rag != "complete"


# tuple.__new__ through partial runs in C: about three times faster than Action._make for the
# tens of thousands of actions of a national corpus read back from the cache.
_new_action = partial(tuple.__new__, Action)


@dataclass
class Plan:
    file: str
    review: str
    title: Optional[str] = None
    partnership: Optional[str] = None
    actions: List[Action] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The plan's short name: the file's stem (bdhr-2012-13-05)."""
        return os.path.splitext(os.path.basename(self.file))[0]

    def to_tuple(self) -> tuple:
        """Plain tuples for the cache; the file is not stored (it is the cache key)."""
        return (self.review, self.title, self.partnership, [tuple(a) for a in self.actions])

    @classmethod
    def from_tuple(cls, file: str, data: Tuple[Any, ...]) -> "Plan":
        review, title, partnership, actions = data
        width = len(Action._fields)
        if any(len(a) != width for a in actions):
            raise ValueError("an action does not have the model's fields")
        return cls(file, review, title, partnership, list(map(_new_action, actions)))


def _intern(value: Optional[str]) -> Optional[str]:
    return sys.intern(value) if value is not None else None


def build(file: str, data: dict) -> Plan:
    review = data["review"]
    plan = Plan(file=file, review=review["id"], title=review.get("title"), partnership=review.get("partnership"))
    order = 0
    for rec in data["recommendations"]:
        number = int(rec["number"])
        for a in rec["actions"]:
            target = a.get("target")
            # Leads, owners, targets and ratings repeat across a plan: interned, each is stored
            # once in the cache (marshal writes a repeated object as a reference).
            plan.actions.append(
                Action(
                    number,
                    a["id"],
                    sys.intern(a["lead"]),
                    _intern(a.get("owner")),
                    _intern(target),
                    due_ordinal(target) if target else None,
                    _intern(a.get("rag")),
                    bool(a.get("outcome")),
                    _intern(a.get("completed")),
                    order,
                )
            )
            order += 1
    return plan
