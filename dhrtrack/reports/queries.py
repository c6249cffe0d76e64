"""Report queries: pure functions from loaded plans to rows (docs/design.md §2 meanings, which
live in dhrtrack.plan.model)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from dhrtrack.agencies import Canon, canonical_names, identity
from dhrtrack.plan.model import (
    COMPLETE,
    ORDER_BITS,
    ORDER_MASK,
    Action,
    Plan,
    count_overdue_in,
    due_within_test,
    figures_of,
    open_due_between,
    overdue_test,
)
from dhrtrack.plan.store import Invalid, Loaded
from dhrtrack.wording import plural


@dataclass(frozen=True)
class Filters:
    review: Optional[str] = None  # case-insensitive substring of the review id or the plan's name
    lead: Optional[str] = None  # case-insensitive substring of the lead or its canonical name

    @property
    def active(self) -> bool:
        return bool(self.review or self.lead)

    def describe(self) -> str:
        parts = []
        if self.review:
            parts.append(f"review matching {self.review!r}")
        if self.lead:
            parts.append(f"lead matching {self.lead!r}")
        return " and ".join(parts)


def fold(text: str) -> str:
    # Curly and straight apostrophes, dashes: a coordinator typing "children's" means "Children’s".
    return text.casefold().replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")


def matches(text: Optional[str], *names: str) -> bool:
    """Whether a filter's text (any case) is in any of the names; no filter matches everything."""
    if not text:
        return True
    wanted = fold(text)
    return any(wanted in fold(name) for name in names)


Pair = Tuple[Plan, Action]


class Scoped:
    """The actions a report covers after filtering (grouped by plan), and what the filters hid.

    Without filters every plan is in whole (`whole`): the queries then answer from each plan's
    figures, and only the actions a report shows are read."""

    def __init__(self, groups: List[Tuple[Plan, List[Action]]], hidden: int) -> None:
        self._groups: Optional[List[Tuple[Plan, List[Action]]]] = groups
        self.hidden = hidden
        self.whole: Optional[Sequence[Plan]] = None

    @classmethod
    def of_whole(cls, plans: Sequence[Plan]) -> "Scoped":
        """Every action of every plan: nothing filtered out."""
        scoped = cls([], 0)
        scoped._groups, scoped.whole = None, plans
        return scoped

    @property
    def groups(self) -> List[Tuple[Plan, List[Action]]]:
        if self._groups is None:
            self._groups = [(plan, plan.actions) for plan in self.whole or ()]
        return self._groups

    @property
    def count(self) -> int:
        if self.whole is not None:
            return sum(plan.figures.actions for plan in self.whole)
        return sum(len(actions) for _plan, actions in self.groups)

    def pairs(self) -> Iterable[Pair]:
        for plan, actions in self.groups:
            for action in actions:
                yield plan, action


def select(plans: Sequence[Plan], filters: Filters, canon: Canon = identity) -> Scoped:
    if not filters.active:
        return Scoped.of_whole(plans)
    review = fold(filters.review) if filters.review else None
    lead = fold(filters.lead) if filters.lead else None
    groups = []
    hidden = 0
    lead_match: Dict[str, bool] = {}
    for plan in plans:
        if review is not None and review not in fold(plan.review) and review not in fold(plan.name):
            hidden += len(plan.actions)
            continue
        if lead is None:
            groups.append((plan, plan.actions))
            continue
        kept = []
        for action in plan.actions:
            ok = lead_match.get(action.lead)
            if ok is None:
                ok = lead_match[action.lead] = lead in fold(action.lead) or lead in fold(canon(action.lead))
            if ok:
                kept.append(action)
        hidden += len(plan.actions) - len(kept)
        groups.append((plan, kept))
    return Scoped(groups, hidden)


# --- queries: lists of (plan, action) pairs in report order ----------------------------------

DUE_SHIFT = 2 * ORDER_BITS  # a sort key packs: due ordinal, then plan rank, then order (ORDER_BITS each)


class KeyedPairs(Sequence[Pair]):
    """(plan, action) pairs named by sort keys ((plan index << ORDER_BITS) | order in the low
    bits, anything above), each made only when read: a table of the first fifty of 40,000
    overdue actions reads the actions of only the plans those fifty are in."""

    def __init__(self, keys: List[int], plans: Sequence[Plan]):
        self._keys, self._plans = keys, plans

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if isinstance(index, slice):
            return self._pairs(self._keys[index])
        return self._pairs([self._keys[index]])[0]

    def __iter__(self) -> Iterator[Pair]:
        # One pair at a time: a report making a row of each holds no list of 40,000 pairs.
        plans, actions = self._plans, self._actions(self._keys)
        return (
            (plans[index], actions[index][key & ORDER_MASK])
            for key in self._keys
            for index in ((key >> ORDER_BITS) & ORDER_MASK,)
        )

    def _pairs(self, keys: List[int]) -> List[Pair]:
        plans, actions = self._plans, self._actions(keys)
        return [
            (plans[index], actions[index][key & ORDER_MASK])
            for key in keys
            for index in ((key >> ORDER_BITS) & ORDER_MASK,)
        ]

    def _actions(self, keys: List[int]) -> Dict[int, List[Action]]:
        """The actions of each plan these keys name, each plan's read once, and only those."""
        plans = self._plans
        return {index: plans[index].actions for index in {(key >> ORDER_BITS) & ORDER_MASK for key in keys}}


def _ranked(plans: Sequence[Plan]) -> List[Plan]:
    """The plans ordered by review id, then file."""
    return sorted(plans, key=lambda plan: (plan.review, plan.file))


def _plan_ranks(scoped: Scoped) -> Dict[int, int]:
    """Each plan's position when ordered by review id, then file."""
    return {id(plan): rank for rank, plan in enumerate(_ranked([plan for plan, _actions in scoped.groups]))}


def _sorted_pairs(scoped: Scoped, keep: Callable[[Action], bool]) -> List[Pair]:
    """Pairs kept by `keep`, by due date, then review, then document order.

    The three keys are packed into one integer: sorting tens of thousands of ints is several
    times faster than sorting tuples of dates and strings.
    """
    ranks = _plan_ranks(scoped)
    found: List[Tuple[int, Plan, Action]] = []
    for plan, actions in scoped.groups:
        base = ranks[id(plan)] << ORDER_BITS
        # Kept actions have a due date. Keys are unique (one plan rank, one order per action), so
        # sorting on the key alone gives the same order as on the whole tuple.
        found.extend([(((a.due_ordinal or 0) << DUE_SHIFT) | base | a.order, plan, a) for a in filter(keep, actions)])
    found.sort(key=itemgetter(0))
    return [(plan, a) for _key, plan, a in found]


def _open_due_between(plans: Sequence[Plan], first: int, last: int) -> KeyedPairs:
    """The open actions of whole plans due from day ordinal first to last (inclusive), sorted as
    _sorted_pairs sorts them, from each plan's presorted due keys."""
    ranked = _ranked(plans)
    keys: List[int] = []
    for rank, plan in enumerate(ranked):
        due = open_due_between(plan.figures, first, last)
        if due:
            base = rank << ORDER_BITS
            keys.extend([((key >> ORDER_BITS) << DUE_SHIFT) | base | (key & ORDER_MASK) for key in due])
    keys.sort()
    return KeyedPairs(keys, ranked)


def overdue(scoped: Scoped, as_of: dt.date) -> Sequence[Pair]:
    """Overdue actions: most overdue first, then by review, then in document order."""
    if scoped.whole is not None:
        return _open_due_between(scoped.whole, 0, as_of.toordinal() - 1)
    return _sorted_pairs(scoped, overdue_test(as_of))


def red_and_amber(scoped: Scoped) -> List[Pair]:
    """Actions rated red, then those rated amber: each by due date (undated first), then review,
    then document order. What a board discusses."""
    return _sorted_pairs(scoped, lambda a: a.rag == "red") + _sorted_pairs(scoped, lambda a: a.rag == "amber")


def missing_rag(scoped: Scoped) -> Sequence[Pair]:
    """Actions without a RAG rating, in document order."""
    if scoped.whole is not None:
        plans = scoped.whole
        return KeyedPairs(
            [
                (index << ORDER_BITS) | order
                for index, plan in enumerate(plans)
                for order in plan.figures.unrated_orders
            ],
            plans,
        )
    return [(plan, a) for plan, actions in scoped.groups for a in actions if a.rag is None]


def due_within(scoped: Scoped, as_of: dt.date, days: int) -> Sequence[Pair]:
    """Open actions falling due from as_of to as_of + days inclusive, soonest first."""
    if scoped.whole is not None:
        return _open_due_between(scoped.whole, as_of.toordinal(), as_of.toordinal() + days)
    return _sorted_pairs(scoped, due_within_test(as_of, days))


def count_overdue(scoped: Scoped, as_of: dt.date) -> int:
    if scoped.whole is not None:
        return sum(count_overdue_in(plan.figures, as_of) for plan in scoped.whole)
    test = overdue_test(as_of)
    return sum(sum(map(test, actions)) for _plan, actions in scoped.groups)


def count_unrated(scoped: Scoped) -> int:
    if scoped.whole is not None:
        return sum(plan.figures.unrated for plan in scoped.whole)
    return sum([a.rag for a in actions].count(None) for _plan, actions in scoped.groups)


def summary(scoped: Scoped, as_of: dt.date) -> List[dict]:
    """One row per review (in file order), counting the actions in scope: from each plan's
    figures, or, where filters left part of a plan, from figures of that part."""
    if scoped.whole is not None:
        counted = [(plan, plan.figures) for plan in scoped.whole]
    else:
        # A review whose every action was filtered out is not in the report.
        counted = [(plan, figures_of(actions)) for plan, actions in scoped.groups if actions or not scoped.hidden]
    return [
        {
            "review": plan.review,
            "file": plan.file,
            "actions": f.actions,
            "complete": f.complete,
            "green": f.green,
            "amber": f.amber,
            "red": f.red,
            "missing_rag": f.unrated,
            "overdue": count_overdue_in(f, as_of),
            "no_target": f.no_target,
        }
        for plan, f in counted
    ]


def completion(row: dict) -> float:
    return row["complete"] / row["actions"] if row["actions"] else 0.0


def agencies(scoped: Scoped, as_of: dt.date, canon: Canon = identity) -> List[dict]:
    """Per lead agency (grouped by canonical name): actions, open, overdue, % complete, oldest overdue."""
    test = overdue_test(as_of)
    groups: Dict[str, dict] = {}
    for plan, action in scoped.pairs():
        name = canon(action.lead)
        g = groups.get(name)
        if g is None:
            g = groups[name] = {
                "agency": name,
                "actions": 0,
                "open": 0,
                "complete": 0,
                "overdue": 0,
                "missing_rag": 0,
                "oldest_overdue": None,
                "_oldest": None,
                "spellings": set(),
            }
        g["actions"] += 1
        g["spellings"].add(action.lead)
        if action.rag == COMPLETE:
            g["complete"] += 1
        else:
            g["open"] += 1
        if test(action):
            g["overdue"] += 1
            if g["_oldest"] is None or action.due_ordinal < g["_oldest"][0]:
                g["_oldest"] = (action.due_ordinal, plan, action)
        if action.rag is None:
            g["missing_rag"] += 1
    rows = []
    for g in groups.values():
        oldest = g.pop("_oldest")
        if oldest:
            _ordinal, plan, action = oldest
            g["oldest_overdue"] = {
                "review": plan.review,
                "file": plan.file,
                "action": action.id,
                "due": action.due.isoformat(),
                "days_overdue": (as_of - action.due).days,
            }
        g["spellings"] = sorted(g["spellings"])
        g["percent_complete"] = int(100 * g["complete"] / g["actions"] + 1e-9)
        rows.append(g)
    rows.sort(key=lambda g: (-g["overdue"], -g["open"], g["agency"].casefold()))
    return rows


def left_out_message(invalid: Invalid) -> str:
    """Why a plan is not in a report: its first error, and where to see them all."""
    first = invalid.first
    more = len(invalid.problems) - 1
    extra = f" (and {more} more)" if more > 0 else ""
    return (
        f"{first.file}:{first.line}:{first.column}: error: {first.message}{extra}\n"
        f"  {invalid.file} is invalid and left out of this report; see: dhrtrack validate {invalid.file}"
    )


# --- the scope every report works on -------------------------------------------------------


@dataclass
class Scope:
    """The plans a report covers, as of a date, after its filters, with agency names settled."""

    as_of: dt.date
    loaded: Loaded
    canon: Canon
    filters: Filters
    scoped: Scoped

    @property
    def plans(self) -> List[Plan]:
        return self.loaded.plans

    @property
    def invalid(self) -> List[Invalid]:
        return self.loaded.invalid

    @property
    def failed(self) -> bool:
        """An invalid plan was left out, or there were no plans: the report exits 1."""
        return bool(self.loaded.invalid) or not self.loaded.files

    def hidden_note(self) -> Optional[str]:
        if not (self.filters.active and self.scoped.hidden):
            return None
        total = self.scoped.hidden + self.scoped.count
        return f"Filter ({self.filters.describe()}) hid {self.scoped.hidden} of {total} actions."

    def findings(self, fail_on: Iterable[str]) -> List[str]:
        """What --fail-on found, in words (nothing found: an empty list)."""
        out = []
        if "overdue" in fail_on:
            n = count_overdue(self.scoped, self.as_of)
            if n:
                out.append(f"--fail-on overdue: {plural(n, 'overdue action')}")
        if "unrated" in fail_on:
            n = count_unrated(self.scoped)
            if n:
                out.append(f"--fail-on unrated: {plural(n, 'unrated action')}")
        return out


def scope(loaded: Loaded, as_of: dt.date, review: Optional[str] = None, lead: Optional[str] = None) -> Scope:
    canon = canonical_names(loaded.plans, loaded.registry)
    filters = Filters(review=review, lead=lead)
    return Scope(as_of, loaded, canon, filters, select(loaded.plans, filters, canon))
