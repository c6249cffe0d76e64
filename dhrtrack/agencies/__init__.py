"""Agency naming for the reports: which name stands for a lead. The registry's canonical name
first (plans/agencies.yaml), else the most used spelling among the plans' leads.

The spelling key and the registry file format belong to the plan format (dhrtrack.plan.spelling,
dhrtrack.plan.registry): validate checks them. This layer decides what the reports call an agency.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from dhrtrack.plan.model import Plan
from dhrtrack.plan.registry import Registry
from dhrtrack.plan.spelling import spelling_key

Canon = Callable[[str], str]


def identity(name: str) -> str:
    return name


def spelling_canon(plans: Sequence[Plan]) -> Canon:
    """Without a registry: leads that differ only in spelling go under the most used spelling."""
    counts: Counter = Counter()
    for plan in plans:  # from each plan's figures: no plan's actions are read
        for lead, n in plan.figures.leads:
            counts[lead] += n
    best: Dict[Tuple[str, ...], str] = {}
    for name, n in counts.items():  # first seen wins ties: Counter keeps insertion order
        key = spelling_key(name)
        if key not in best or n > counts[best[key]]:
            best[key] = name
    preferred = {name: best[spelling_key(name)] for name in counts}
    return lambda name: preferred.get(name) or best.get(spelling_key(name), name)


def canonical_names(plans: Sequence[Plan], registry: Optional[Registry]) -> Canon:
    """The name each lead is reported under: its agency's name in the registry, else its most
    used spelling."""
    spelling = spelling_canon(plans)
    if registry is None or not registry.agencies:
        return spelling

    def registered(name: str) -> str:
        agency = registry.resolve(name)
        return agency.name if agency else spelling(name)

    return registered


def contacts_for(registry: Optional[Registry], agency: str) -> list:
    """(name, email) of the agency's contacts in the registry; none is ever invented."""
    found = registry.resolve(agency) if registry is not None else None
    return [(c.name, c.email) for c in found.contacts] if found else []


def known_agencies(plans: Sequence[Plan], registry: Optional[Registry], canon: Canon) -> List[str]:
    """Every agency the plans and the registry know, by the name the reports use."""
    names = {canon(a.lead) for plan in plans for a in plan.actions if a.lead}
    if registry is not None:
        names.update(agency.name for agency in registry.agencies)
    return sorted(names, key=str.casefold)


def is_known(name: str, known: Sequence[str], canon: Canon) -> bool:
    wanted = spelling_key(canon(name))
    return any(spelling_key(k) == wanted for k in known)


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> List[str]:
    # "Children’s" and "Childrens" are one word to a person typing a filter.
    return [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in _WORD.findall(text.casefold().replace("’", ""))]


def suggestions(text: str, names: Sequence[str], most: int = 3) -> List[str]:
    """The names a mistyped or half-remembered name most likely meant: those holding most of its
    words (or words starting with them), then those closest in spelling; at most `most`."""
    wanted = _words(text)
    scored = []
    for name in names:
        have = _words(name)
        found = sum(1 for w in wanted if any(h == w or (len(w) >= 4 and h.startswith(w[:4])) for h in have))
        share = found / len(wanted) if wanted else 0.0
        close = difflib.SequenceMatcher(None, text.casefold(), name.casefold()).ratio()
        # Most of its words, or a close spelling: "Northshire Council" is not "Northshire Police"
        # (one word of two, 0.69 alike), "Midlans Polce" is "West Midlands Police" (0.79).
        if share > 0.5 or close >= 0.75:
            scored.append((-share, -close, name))
    scored.sort()
    if scored and scored[0][0] == -1.0:  # some name has every word: only those
        scored = [entry for entry in scored if entry[0] == -1.0]
    return [name for _share, _close, name in scored[:most]]


def did_you_mean(names: Sequence[str]) -> str:
    return "did you mean " + " or ".join(repr(n) for n in names) + "?" if names else ""


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def verifier_problem(canon: Canon, by: str, lead: str, owner: Optional[str]) -> Optional[str]:
    """Why `by` may not verify an action led by `lead` and owned by `owner`, or None: a
    completion is checked by someone else, never by its owner (any case or spacing) or its lead
    agency (the same agency under the canonical names: the registry's, else spelling)."""
    name = " ".join(by.split())
    if owner is not None and _folded(by) == _folded(owner):
        return f"{name!r} is the action's owner"
    if _folded(by) == _folded(lead) or spelling_key(canon(name)) == spelling_key(canon(lead)):
        return f"{name!r} is the action's lead agency ({canon(lead)})"
    return None
