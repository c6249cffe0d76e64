"""The plan model: the meanings of docs/design.md §2 (open, due, overdue, due within a window),
the RAG values, and the one field order used by the writer, the editor, the importers and diff.

Actions are NamedTuples of the plain values the reports use, so that a national corpus (tens of
thousands of actions) builds, caches (marshal) and rebuilds quickly. Long text (the action and
recommendation text, milestones, outcome, the update log) stays in the plan's data, which the
store serves from a content-keyed cache to the commands that show it.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sys
from bisect import bisect_left
from functools import lru_cache, partial
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.plan import fields
from dhrtrack.plan.dates import due_date

COMPLETE = "complete"
RAGS = fields.RAGS

# The house order of fields (the field table's order). A field the writer or editor adds goes
# where this order puts it.
REVIEW_FIELDS = fields.names(fields.REVIEW)
RECOMMENDATION_FIELDS = fields.names(fields.RECOMMENDATION)
ACTION_FIELDS = fields.names(fields.ACTION)
UPDATE_FIELDS = fields.names(fields.UPDATE)


def ordered(action: dict) -> dict:
    """An action's fields in the house order (unknown keys last, as they came)."""
    known = {k: action[k] for k in ACTION_FIELDS if k in action}
    known.update((k, v) for k, v in action.items() if k not in known)
    return known


# --- the meanings (docs/design.md §2) --------------------------------------------------------


def is_open(rag: Optional[str]) -> bool:
    return rag != COMPLETE


# A completion is claimed on the agency's word, verified when the partnership has checked it
# (an action's `verified`); a verification on an action no longer rated complete has lapsed.
CLAIMED, VERIFIED, LAPSED = "claimed", "verified", "verification lapsed"


def verification(rag: Optional[str], verified: object) -> Optional[str]:
    """claimed, verified, verification lapsed, or None (open and never verified)."""
    if rag == COMPLETE:
        return VERIFIED if verified else CLAIMED
    return LAPSED if verified else None


def is_overdue(due: Optional[dt.date], rag: Optional[str], as_of: dt.date) -> bool:
    """Has a due date, the due date is before as_of, and the action is not rated complete."""
    return due is not None and due < as_of and is_open(rag)


def is_due_within(due: Optional[dt.date], rag: Optional[str], as_of: dt.date, days: int) -> bool:
    """Open, and due from as_of to as_of + days inclusive."""
    return due is not None and as_of <= due <= as_of + dt.timedelta(days=days) and is_open(rag)


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
    verified: Optional[str]  # the day its completion was verified (verified.date)

    @property
    def verification(self) -> Optional[str]:
        return verification(self.rag, self.verified)

    @property
    def due(self) -> Optional[dt.date]:
        return dt.date.fromordinal(self.due_ordinal) if self.due_ordinal is not None else None


# The same meanings as is_overdue and is_due_within, on precomputed ordinals: these run once per
# action in every report over a national corpus.


def overdue_test(as_of: dt.date) -> Callable[[Action], bool]:
    cutoff = as_of.toordinal()
    return lambda a: a.due_ordinal is not None and a.due_ordinal < cutoff and a.rag != COMPLETE


def due_within_test(as_of: dt.date, days: int) -> Callable[[Action], bool]:
    start = as_of.toordinal()
    end = start + days
    return lambda a: a.due_ordinal is not None and start <= a.due_ordinal <= end and a.rag != COMPLETE


# tuple.__new__ through partial runs in C: about three times faster than Action._make for the
# tens of thousands of actions of a national corpus read back from the cache.
_new_action = partial(tuple.__new__, Action)

ORDER_BITS = 24  # sort keys pack an action's position in its plan into their low 24 bits
ORDER_MASK = (1 << ORDER_BITS) - 1


class Figures(NamedTuple):
    """What the reports count of a plan, kept with its model: a report over unchanged plans
    answers from these without reading each action (only the fifty a table shows)."""

    actions: int
    complete: int
    verified: int  # complete and verified (the rest of complete is claimed)
    lapsed: int  # verified but no longer rated complete
    green: int
    amber: int
    red: int
    unrated: int
    no_target: int
    due_keys: List[int]  # the open actions with a due date, as (due ordinal << ORDER_BITS) | order, sorted
    unrated_orders: List[int]  # the positions of the actions without a rating, in document order
    leads: List[Tuple[str, int]]  # each lead with its number of actions, in order of first use


def figures_of(actions: List[Action]) -> Figures:
    rags = [a.rag for a in actions]
    leads: Dict[str, int] = {}
    for a in actions:
        leads[a.lead] = leads.get(a.lead, 0) + 1
    return Figures(
        len(actions),
        rags.count(COMPLETE),
        sum(1 for a in actions if a.verified is not None and a.rag == COMPLETE),
        sum(1 for a in actions if a.verified is not None and a.rag != COMPLETE),
        rags.count("green"),
        rags.count("amber"),
        rags.count("red"),
        rags.count(None),
        [a.target for a in actions].count(None),
        sorted(
            (a.due_ordinal << ORDER_BITS) | a.order for a in actions if a.due_ordinal is not None and is_open(a.rag)
        ),
        [a.order for a in actions if a.rag is None],
        list(leads.items()),
    )


# The meanings of is_overdue and is_due_within on a plan's figures: its open dated actions are
# presorted by due date, so the ones due in a window are a slice found by two binary searches.


def open_due_between(figures: Figures, first: int, last: int) -> List[int]:
    """The due keys of the open actions due from day ordinal first to last, inclusive."""
    keys = figures.due_keys
    return keys[bisect_left(keys, first << ORDER_BITS) : bisect_left(keys, (last + 1) << ORDER_BITS)]


def count_overdue_in(figures: Figures, as_of: dt.date) -> int:
    """How many of the plan's actions are overdue as of as_of (is_overdue)."""
    return bisect_left(figures.due_keys, as_of.toordinal() << ORDER_BITS)


class Plan:
    """A plan's model: its review and its actions (each action's position in `actions` is its
    `order`). Read back from the cache, the actions stay packed (marshal bytes) until something
    asks for them."""

    __slots__ = ("file", "review", "title", "partnership", "kind", "_actions", "_packed", "_figures")

    def __init__(
        self,
        file: str,
        review: str,
        title: Optional[str] = None,
        partnership: Optional[str] = None,
        actions: Optional[List[Action]] = None,
        kind: str = fields.DEFAULT_KIND,
    ) -> None:
        self.file, self.review, self.title, self.partnership = file, review, title, partnership
        self.kind = kind  # review.kind, or the default (a DHR) when the plan does not say
        self._actions: Optional[List[Action]] = [] if actions is None else actions
        self._packed: Optional[bytes] = None
        self._figures: Optional[Figures] = None

    @property
    def actions(self) -> List[Action]:
        if self._actions is None:
            assert self._packed is not None
            try:
                self._actions = _unpack(self._packed)
            except (ValueError, EOFError, TypeError):
                # The cache is authenticated and stamped with this version's model, so only a
                # defect gets here; say how to go on rather than fail with a traceback.
                raise DhrtrackError(
                    f"{self.file}: the cached model of this plan cannot be read; run the command again "
                    "with --no-cache, or delete dhrtrack's cache directory"
                ) from None
            self._packed = None
        return self._actions

    @property
    def figures(self) -> Figures:
        if self._figures is None:
            self._figures = figures_of(self.actions)
        return self._figures

    def __repr__(self) -> str:
        return f"Plan({self.file!r}, {self.review!r})"

    @property
    def name(self) -> str:
        """The plan's short name: the file's stem (bdhr-2012-13-05)."""
        return plan_name(self.file)

    def to_tuple(self) -> tuple:
        """Plain values for the cache; the file is not stored (it is the cache key)."""
        packed = marshal.dumps([tuple(a) for a in self.actions])
        return (self.review, self.title, self.partnership, self.kind, tuple(self.figures), packed)

    @classmethod
    def from_tuple(cls, file: str, data: Tuple[Any, ...]) -> "Plan":
        review, title, partnership, kind, figures, packed = data
        if not isinstance(review, str) or not isinstance(packed, bytes) or not isinstance(kind, str):
            raise ValueError("not a cached plan")
        if not isinstance(figures, tuple) or len(figures) != len(Figures._fields):
            raise ValueError("not the model's figures")
        plan = cls(file, review, title, partnership, kind=kind)
        plan._actions, plan._packed, plan._figures = None, packed, tuple.__new__(Figures, figures)
        return plan


def _unpack(packed: bytes) -> List[Action]:
    actions = marshal.loads(packed)
    width = len(Action._fields)
    # Checked with map() over C built-ins: this runs for every cached action of a national corpus.
    if not set(map(type, actions)) <= {tuple} or not set(map(len, actions)) <= {width}:
        raise ValueError("a cached action does not have the model's fields")
    return list(map(_new_action, actions))


def plan_name(file: str) -> str:
    """A plan's name, the first part of every Ref (`name:1.1`): its file name without suffix."""
    return os.path.splitext(os.path.basename(file))[0]


def shared_names(files: Iterable[str]) -> Dict[str, List[str]]:
    """Plan names that more than one file has (plans/a/x.yaml and plans/b/x.yaml are both x), each
    with its files: a Ref naming one of them could mean either, so it is refused everywhere."""
    by_name: Dict[str, List[str]] = {}
    for file in files:
        by_name.setdefault(plan_name(file), []).append(file)
    return {name: sorted(held) for name, held in by_name.items() if len(held) > 1}


def _intern(value: Optional[str]) -> Optional[str]:
    return sys.intern(value) if value is not None else None


def build(file: str, data: dict) -> Plan:
    """The model of a plan's data; the data must have passed validation."""
    review = data["review"]
    plan = Plan(
        file=file,
        review=review["id"],
        title=review.get("title"),
        partnership=review.get("partnership"),
        kind=review.get("kind") or fields.DEFAULT_KIND,
    )
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
                    (a.get("verified") or {}).get("date"),
                )
            )
            order += 1
    return plan
