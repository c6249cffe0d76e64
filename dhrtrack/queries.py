"""Report queries: pure functions from plans to rows (DESIGN.md §2 meanings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections import Counter
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from dhrtrack.agencies import spelling_key
from dhrtrack.model import Action, Plan


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


Canon = Callable[[str], str]
Pair = Tuple[Plan, Action]


def identity(name: str) -> str:
    return name


def spelling_canon(plans: Sequence[Plan]) -> Canon:
    """Without a registry: group leads that differ only in spelling under the most used spelling."""
    counts = Counter(a.lead for plan in plans for a in plan.actions)
    best: Dict[Tuple[str, ...], str] = {}
    for name, n in counts.items():  # first seen wins ties: Counter keeps insertion order
        key = spelling_key(name)
        if key not in best or n > counts[best[key]]:
            best[key] = name
    preferred = {name: best[spelling_key(name)] for name in counts}
    return lambda name: preferred.get(name) or best.get(spelling_key(name), name)


@dataclass
class Scoped:
    """The actions a report covers after filtering (grouped by plan), and what the filters hid."""

    groups: List[Tuple[Plan, List[Action]]]
    hidden: int

    @property
    def count(self) -> int:
        return sum(len(actions) for _plan, actions in self.groups)

    def pairs(self) -> Iterable[Pair]:
        for plan, actions in self.groups:
            for action in actions:
                yield plan, action


def select(plans: Sequence[Plan], filters: Filters, canon: Canon = identity) -> Scoped:
    if not filters.active:
        return Scoped([(plan, plan.actions) for plan in plans], 0)
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


def _plan_ranks(scoped: Scoped) -> Dict[int, int]:
    """Each plan's position when ordered by review id, then file."""
    order = sorted(range(len(scoped.groups)), key=lambda i: (scoped.groups[i][0].review, scoped.groups[i][0].file))
    return {id(scoped.groups[i][0]): rank for rank, i in enumerate(order)}


def _sorted_pairs(scoped: Scoped, keep: Callable[[Action], bool]) -> List[Pair]:
    """Pairs kept by `keep`, by due date, then review, then document order.

    The three keys are packed into one integer: sorting tens of thousands of ints is several
    times faster than sorting tuples of dates and strings.
    """
    ranks = _plan_ranks(scoped)
    found = []
    for plan, actions in scoped.groups:
        base = ranks[id(plan)] << 24
        for a in actions:
            if keep(a):
                found.append(((a.due_ordinal << 48) | base | a.order, plan, a))
    found.sort(key=lambda t: t[0])
    return [(plan, a) for _key, plan, a in found]


def is_overdue(as_of: dt.date) -> Callable[[Action], bool]:
    """The overdue test (DESIGN.md §2) for a date, on precomputed due-date ordinals: it runs
    once per action in every report."""
    cutoff = as_of.toordinal()
    return lambda a: a.due_ordinal is not None and a.due_ordinal < cutoff and a.rag != "complete"


def overdue(scoped: Scoped, as_of: dt.date) -> List[Pair]:
    """Overdue actions: most overdue first, then by review, then in document order."""
    return _sorted_pairs(scoped, is_overdue(as_of))


def missing_rag(scoped: Scoped) -> List[Pair]:
    """Actions without a RAG rating, in document order."""
    return [(plan, a) for plan, actions in scoped.groups for a in actions if a.rag is None]


def due_within(scoped: Scoped, as_of: dt.date, days: int) -> List[Pair]:
    """Open actions falling due from as_of to as_of + days inclusive, soonest first."""
    start = as_of.toordinal()
    end = start + days
    return _sorted_pairs(
        scoped, lambda a: a.due_ordinal is not None and start <= a.due_ordinal <= end and a.rag != "complete"
    )


def count_overdue(scoped: Scoped, as_of: dt.date) -> int:
    test = is_overdue(as_of)
    return sum(sum(map(test, actions)) for _plan, actions in scoped.groups)


def count_unrated(scoped: Scoped) -> int:
    return sum([a.rag for a in actions].count(None) for _plan, actions in scoped.groups)


# --- rows: what the reports print and the JSON shapes (DESIGN.md §3) --------------------------


def missing_row(pair: Pair) -> dict:
    plan, a = pair
    return {
        "review": plan.review,
        "file": plan.file,
        "recommendation": a.recommendation,
        "action": a.id,
        "lead": a.lead,
        "target": a.target,
    }


def action_row(pair: Pair, as_of: dt.date) -> dict:
    row = missing_row(pair)
    due = pair[1].due
    row["due"] = due.isoformat() if due else None
    row["days_overdue"] = (as_of - due).days if due else None
    row["rag"] = pair[1].rag
    return row


def due_row(pair: Pair, as_of: dt.date) -> dict:
    row = action_row(pair, as_of)
    del row["days_overdue"]
    row["days_left"] = (pair[1].due - as_of).days
    row["rag"] = row.pop("rag")
    return row


def summary(scoped: Scoped, as_of: dt.date) -> List[dict]:
    """One row per review (in file order), counting the actions in scope."""
    test = is_overdue(as_of)
    rows = []
    for plan, actions in scoped.groups:
        if not actions and scoped.hidden:
            continue  # every action filtered out: the review is not in this report
        rags = [a.rag for a in actions]
        rows.append({
            "review": plan.review,
            "file": plan.file,
            "actions": len(actions),
            "complete": rags.count("complete"),
            "green": rags.count("green"),
            "amber": rags.count("amber"),
            "red": rags.count("red"),
            "missing_rag": rags.count(None),
            "overdue": sum(map(test, actions)),
            "no_target": [a.target for a in actions].count(None),
        })
    return rows


def completion(row: dict) -> float:
    return row["complete"] / row["actions"] if row["actions"] else 0.0


def agencies(scoped: Scoped, as_of: dt.date, canon: Canon = identity) -> List[dict]:
    """Per lead agency (grouped by canonical name): actions, open, overdue, % complete, oldest overdue."""
    cutoff = as_of.toordinal()
    groups: Dict[str, dict] = {}
    for plan, action in scoped.pairs():
        name = canon(action.lead)
        g = groups.get(name)
        if g is None:
            g = groups[name] = {"agency": name, "actions": 0, "open": 0, "complete": 0, "overdue": 0,
                                "missing_rag": 0, "oldest_overdue": None, "_oldest": None, "spellings": set()}
        g["actions"] += 1
        g["spellings"].add(action.lead)
        if action.rag == "complete":
            g["complete"] += 1
        else:
            g["open"] += 1
            if action.due_ordinal is not None and action.due_ordinal < cutoff:
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
            g["oldest_overdue"] = {"review": plan.review, "file": plan.file, "action": action.id,
                                   "due": action.due.isoformat(), "days_overdue": (as_of - action.due).days}
        g["spellings"] = sorted(g["spellings"])
        g["percent_complete"] = int(100 * g["complete"] / g["actions"] + 1e-9)
        rows.append(g)
    rows.sort(key=lambda g: (-g["overdue"], -g["open"], g["agency"].casefold()))
    return rows


# --- words ----------------------------------------------------------------------------------


def months_between(start: dt.date, end: dt.date) -> Tuple[int, int]:
    """Whole months from start to end (end >= start), and the days left over."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and not _is_month_end(end, start.day):
        months -= 1
    anchor = _add_months(start, months)
    return months, (end - anchor).days


def _is_month_end(day: dt.date, wanted: int) -> bool:
    return wanted > day.day and (day + dt.timedelta(days=1)).day == 1


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def duration_words(start: dt.date, end: dt.date) -> str:
    """How long from start to end in words: "2 years 3 months", "5 months", "12 days"."""
    if end <= start:
        return "0 days"
    months, days = months_between(start, end)
    if months == 0:
        return _plural(days, "day")
    years, months = divmod(months, 12)
    if years == 0:
        return _plural(months, "month")
    return _plural(years, "year") + (f" {_plural(months, 'month')}" if months else "")
