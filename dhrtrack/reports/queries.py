"""Report queries: pure functions from loaded plans to rows (docs/design.md §2 meanings, which
live in dhrtrack.plan.model)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import itemgetter
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from dhrtrack.agencies import Canon, canonical_names, did_you_mean, identity, known_agencies, suggestions
from dhrtrack.errors import UsageError
from dhrtrack.plan.model import (
    CLAIMED,
    COMPLETE,
    LAPSED,
    ORDER_BITS,
    ORDER_MASK,
    Action,
    Figures,
    Plan,
    count_overdue_in,
    figures_of,
    open_due_between,
    overdue_test,
)
from dhrtrack.plan.store import Invalid, Loaded
from dhrtrack.wording import percent, plural


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


class Part(NamedTuple):
    """A plan in a report's scope: the plan, the figures of its actions in scope, and those
    actions (None: all of them, read only when asked for)."""

    plan: Plan
    figures: Figures
    kept: Optional[List[Action]]

    @property
    def actions(self) -> List[Action]:
        return self.plan.actions if self.kept is None else self.kept


class Scoped:
    """The plans a report covers after filtering, and what the filters hid.

    Every query answers from each part's figures (counts, presorted due keys, unrated
    positions), which the cache keeps for a whole plan and which are worked out for the part a
    filter leaves: so no query is written twice, and a report over unchanged plans reads only
    the actions it shows."""

    def __init__(self, parts: List[Part], hidden: int) -> None:
        self.parts = parts
        self.hidden = hidden

    @property
    def groups(self) -> List[Tuple[Plan, List[Action]]]:
        """(plan, its actions in scope) of each plan in scope (reads every action)."""
        return [(part.plan, part.actions) for part in self.parts]

    @property
    def count(self) -> int:
        return sum(part.figures.actions for part in self.parts)

    def pairs(self) -> Iterable[Pair]:
        for part in self.parts:
            for action in part.actions:
                yield part.plan, action


def select(plans: Sequence[Plan], filters: Filters, canon: Canon = identity) -> Scoped:
    if not filters.active:
        return Scoped([Part(plan, plan.figures, None) for plan in plans], 0)
    review = fold(filters.review) if filters.review else None
    lead = fold(filters.lead) if filters.lead else None
    parts = []
    hidden = 0
    lead_match: Dict[str, bool] = {}
    for plan in plans:
        if review is not None and review not in fold(plan.review) and review not in fold(plan.name):
            hidden += plan.figures.actions
            continue
        if lead is None:
            parts.append(Part(plan, plan.figures, None))
            continue
        kept = []
        for action in plan.actions:
            ok = lead_match.get(action.lead)
            if ok is None:
                ok = lead_match[action.lead] = lead in fold(action.lead) or lead in fold(canon(action.lead))
            if ok:
                kept.append(action)
        hidden += len(plan.actions) - len(kept)
        parts.append(Part(plan, figures_of(kept), kept))
    return Scoped(parts, hidden)


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


def _ranked(parts: Sequence[Part]) -> List[Part]:
    """The parts ordered by review id, then file."""
    return sorted(parts, key=lambda part: (part.plan.review, part.plan.file))


def _open_due_between(scoped: Scoped, first: int, last: int) -> KeyedPairs:
    """The open actions in scope due from day ordinal first to last (inclusive): by due date,
    then review, then document order, from each part's presorted due keys."""
    ranked = _ranked(scoped.parts)
    keys: List[int] = []
    for rank, part in enumerate(ranked):
        due = open_due_between(part.figures, first, last)
        if due:
            base = rank << ORDER_BITS
            keys.extend([((key >> ORDER_BITS) << DUE_SHIFT) | base | (key & ORDER_MASK) for key in due])
    keys.sort()
    return KeyedPairs(keys, [part.plan for part in ranked])


def overdue(scoped: Scoped, as_of: dt.date) -> Sequence[Pair]:
    """Overdue actions: most overdue first, then by review, then in document order."""
    return _open_due_between(scoped, 0, as_of.toordinal() - 1)


def due_within(scoped: Scoped, as_of: dt.date, days: int) -> Sequence[Pair]:
    """Open actions falling due from as_of to as_of + days inclusive, soonest first."""
    return _open_due_between(scoped, as_of.toordinal(), as_of.toordinal() + days)


def missing_rag(scoped: Scoped) -> Sequence[Pair]:
    """Actions without a RAG rating, in document order."""
    return KeyedPairs(
        [
            (index << ORDER_BITS) | order
            for index, part in enumerate(scoped.parts)
            for order in part.figures.unrated_orders
        ],
        [part.plan for part in scoped.parts],
    )


def red_and_amber(scoped: Scoped) -> List[Pair]:
    """Actions rated red, then those rated amber: each by due date (undated first), then review,
    then document order. What a board discusses."""
    ranked = _ranked(scoped.parts)
    found = [
        ((a.rag != "red", a.due_ordinal or 0, rank, a.order), part.plan, a)
        for rank, part in enumerate(ranked)
        for a in part.actions
        if a.rag in ("red", "amber")
    ]
    found.sort(key=itemgetter(0))
    return [(plan, a) for _key, plan, a in found]


def count_overdue(scoped: Scoped, as_of: dt.date) -> int:
    return sum(count_overdue_in(part.figures, as_of) for part in scoped.parts)


def count_unrated(scoped: Scoped) -> int:
    return sum(part.figures.unrated for part in scoped.parts)


def count_claimed(scoped: Scoped) -> int:
    """Completions on the agency's word: rated complete, not verified."""
    return sum(part.figures.complete - part.figures.verified for part in scoped.parts)


def claimed(scoped: Scoped) -> List[Pair]:
    """Completions on the agency's word (rated complete, not verified), in document order (only
    the plans that have one are read)."""
    return [
        (part.plan, a)
        for part in scoped.parts
        if part.figures.complete > part.figures.verified
        for a in part.actions
        if a.verification == CLAIMED
    ]


def lapsed(scoped: Scoped) -> List[Pair]:
    """Actions verified once and no longer rated complete, in document order (only the plans
    that have one are read)."""
    return [
        (part.plan, a) for part in scoped.parts if part.figures.lapsed for a in part.actions if a.verification == LAPSED
    ]


def summary(scoped: Scoped, as_of: dt.date) -> List[dict]:
    """One row per review (in file order), counting the actions in scope. A review whose every
    action was filtered out is not in the report."""
    return [
        {
            "review": part.plan.review,
            "file": part.plan.file,
            "actions": f.actions,
            "complete": f.complete,
            "verified": f.verified,
            "claimed": f.complete - f.verified,
            "green": f.green,
            "amber": f.amber,
            "red": f.red,
            "missing_rag": f.unrated,
            "overdue": count_overdue_in(f, as_of),
            "no_target": f.no_target,
        }
        for part in scoped.parts
        for f in (part.figures,)
        if f.actions or not scoped.hidden
    ]


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
                "verified": 0,
                "claimed": 0,
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
            g["verified" if action.verified is not None else "claimed"] += 1
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
        g["percent_complete"] = percent(g["complete"], g["actions"])
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
        if "claimed" in fail_on:
            n = count_claimed(self.scoped)
            if n:
                out.append(f"--fail-on claimed: {plural(n, 'claimed completion')} (rated complete, not verified)")
        return out


def scope(loaded: Loaded, as_of: dt.date, review: Optional[str] = None, lead: Optional[str] = None) -> Scope:
    canon = canonical_names(loaded.plans, loaded.registry)
    filters = Filters(review=review, lead=lead)
    check_filters(loaded, canon, filters)
    return Scope(as_of, loaded, canon, filters, select(loaded.plans, filters, canon))


def check_filters(loaded: Loaded, canon: Canon, filters: Filters) -> None:
    """A --review or --lead that matches nothing in the plans is a mistake (a misspelt agency,
    a review id mistyped), not an empty answer: say so, with the names it may have meant."""
    if filters.review and not any(matches(filters.review, p.review, p.name) for p in loaded.plans):
        reviews = sorted({p.review for p in loaded.plans})
        raise UsageError(
            f"no review matches --review {filters.review!r}"
            + _meant(suggestions(filters.review, reviews), "dhrtrack summary lists the reviews")
        )
    if filters.lead and not any(
        matches(filters.lead, a.lead, canon(a.lead)) for p in loaded.plans for a in p.actions if a.lead
    ):
        known = known_agencies(loaded.plans, loaded.registry, canon)
        raise UsageError(
            f"no lead agency matches --lead {filters.lead!r}"
            + _meant(suggestions(filters.lead, known), "dhrtrack agencies lists them")
        )


def _meant(names: List[str], where: str) -> str:
    return f": {did_you_mean(names)} ({where})" if names else f" ({where})"
