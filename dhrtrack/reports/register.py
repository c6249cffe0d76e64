"""The register of national and regional recommendations: who each is addressed to, whether and
how the addressee answered, in the Domestic Abuse Commissioner's categories, and the
recommendations made again and again to the same addressee across reviews.

Meanings (docs: "The register"):
- a recommendation is in the register when its scope is national or regional, or it names an
  addressee;
- its outcome is its response's `outcome` (implemented, already_happening, partly_met, not_met,
  no_response); one with no outcome yet is **awaiting**;
- **unacknowledged**: sent, and neither acknowledged nor answered; **overdue for a response**:
  sent more than six months (RESPONSE_DAYS) before --as-of and not answered;
- **repeats**: recommendations to the same addressee, from different reviews, whose texts are at
  least THRESHOLD alike by `similarity` (below).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from dhrtrack.plan import fields
from dhrtrack.plan.rules import RESPONSE_DAYS  # one home: validate warns after the same six months
from dhrtrack.plan.spelling import spelling_key
from dhrtrack.reports.queries import Scope
from dhrtrack.wording import percent

OUTCOMES = fields.RESPONSE_OUTCOMES
AWAITING = "awaiting"
OUTCOME_WORDS = {
    "implemented": "Implemented",
    "already_happening": "Already happening",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "no_response": "No response",
    AWAITING: "Awaiting",
}
THRESHOLD = 0.5  # texts at least this alike are repeats (measured on labelled pairs: docs/register.md)
NO_ADDRESSEE = "(no addressee)"


@dataclass(frozen=True)
class Entry:
    """One national or regional recommendation, as the register needs it."""

    review: str
    file: str
    number: int
    scope: Optional[str]
    addressee: Optional[str]
    text: str
    sent: Optional[str] = None
    acknowledged: Optional[str] = None
    received: Optional[str] = None
    outcome: Optional[str] = None
    summary: Optional[str] = None

    @property
    def standing(self) -> str:
        return self.outcome or AWAITING


def entries(plans: Iterable[Tuple[str, dict]]) -> List[Entry]:
    """The register's recommendations of each (file, plan data), in review and number order."""
    found = []
    for file, data in plans:
        review = data["review"]["id"]
        for rec in data["recommendations"]:
            scope, addressee = rec.get("scope"), rec.get("addressee")
            if scope not in ("national", "regional") and not addressee:
                continue
            response = rec.get("response") or {}
            found.append(
                Entry(
                    review,
                    file,
                    rec["number"],
                    scope,
                    addressee,
                    " ".join(rec["text"].split()),
                    *(_text(response.get(f.name)) for f in fields.fields(fields.RESPONSE)),
                )
            )
    found.sort(key=lambda e: (e.review, e.number, e.file))
    return found


def _text(value: object) -> Optional[str]:
    return None if value is None else str(value)


def addressee_names(found: Sequence[Entry]) -> Dict[str, str]:
    """Each addressee as written -> the name the register groups it under: its most used
    spelling ("Home Office", "home office" and "Home  Office" are one)."""
    spellings: Dict[Tuple[str, ...], Counter] = {}
    for entry in found:
        if entry.addressee:
            spellings.setdefault(spelling_key(entry.addressee), Counter())[entry.addressee] += 1
    names: Dict[str, str] = {}
    for counts in spellings.values():
        best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        names.update((written, best) for written in counts)
    return names


def by_addressee(found: Sequence[Entry]) -> List[dict]:
    """The Commissioner's table: per addressee, how many recommendations and how many in each
    outcome (and awaiting), with percentages of the addressee's recommendations; then a total."""
    names = addressee_names(found)
    groups: Dict[str, Counter] = {}
    for entry in found:
        name = names.get(entry.addressee or "", NO_ADDRESSEE)
        groups.setdefault(name, Counter())[entry.standing] += 1
    rows = [_row(name, counts) for name, counts in sorted(groups.items(), key=lambda g: g[0].casefold())]
    if rows:
        rows.append(_row("Total", sum(groups.values(), Counter())))
    return rows


def _row(name: str, counts: Counter) -> dict:
    total = sum(counts.values())
    row: dict = {"addressee": name, "recommendations": total}
    for outcome in OUTCOMES + (AWAITING,):
        row[outcome] = counts[outcome]
    for outcome in OUTCOMES + (AWAITING,):
        row[f"{outcome}_percent"] = percent(counts[outcome], total)
    return row


def waiting(found: Sequence[Entry], as_of: dt.date) -> List[dict]:
    """Sent and not answered: unacknowledged, or overdue for a response (sent over six months
    ago), longest waiting first."""
    names = addressee_names(found)
    rows: List[dict] = []
    for entry in found:
        if not entry.sent or entry.received or entry.outcome:
            continue
        sent = dt.date.fromisoformat(entry.sent)
        days = (as_of - sent).days
        overdue = days > RESPONSE_DAYS
        if entry.acknowledged and not overdue:
            continue
        rows.append(
            {
                "review": entry.review,
                "recommendation": entry.number,
                "addressee": names.get(entry.addressee or "", NO_ADDRESSEE),
                "sent": entry.sent,
                "days": days,
                "acknowledged": entry.acknowledged,
                "overdue": overdue,
            }
        )
    rows.sort(key=lambda r: (-r["days"], r["review"], r["recommendation"]))
    return rows


# --- repeats ----------------------------------------------------------------------------------

# Words that carry no meaning of their own in a recommendation ("the Home Office should ensure
# that ..."): left out before texts are compared.
STOP_WORDS = frozenset(
    """a an and are as at be been by for from has have in into is it its of on or that the their
    there these this those to was were which will with should must ensure ensures consider
    considers review reviews all any other such within across where when who whom whose""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """A light English stemmer: enough that "assessments", "assessment" and "assessing" meet."""
    for ending in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def terms(text: str) -> Counter:
    """A text's terms: its meaningful words, stemmed, and each pair of neighbouring ones."""
    words = [_stem(w) for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS]
    counted = Counter(words)
    counted.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return counted


def similarity(a: str, b: str) -> float:
    """How alike two recommendations' texts are, from 0 to 1: the cosine of their term counts
    (terms: meaningful words, stemmed, and neighbouring pairs of them). Offline, deterministic,
    and blind to word order beyond pairs, to stop words and to plurals."""
    x, y = terms(a), terms(b)
    dot = sum(count * y[term] for term, count in x.items() if term in y)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(c * c for c in x.values()) * sum(c * c for c in y.values()))


def repeats(found: Sequence[Entry], threshold: float = THRESHOLD) -> List[dict]:
    """Groups of recommendations to one addressee, from different reviews, each at least
    `threshold` alike to another of the group; the group's similarity is its closest pair's."""
    names = addressee_names(found)
    by_name: Dict[str, List[Entry]] = {}
    for entry in found:
        if entry.addressee:
            by_name.setdefault(names[entry.addressee], []).append(entry)
    groups: List[dict] = []
    for name, held in sorted(by_name.items(), key=lambda g: g[0].casefold()):
        parent = list(range(len(held)))
        best: Dict[int, float] = {}
        for i in range(len(held)):
            for j in range(i + 1, len(held)):
                if held[i].review == held[j].review:
                    continue  # one review's own recommendations are not repeats of each other
                alike = similarity(held[i].text, held[j].text)
                if alike >= threshold:
                    parent[_root(parent, j)] = _root(parent, i)
                    best[i] = max(best.get(i, 0.0), alike)
                    best[j] = max(best.get(j, 0.0), alike)
        members: Dict[int, List[int]] = {}
        for i in best:
            members.setdefault(_root(parent, i), []).append(i)
        for indices in members.values():
            items = sorted(indices, key=lambda i: (held[i].review, held[i].number))
            groups.append(
                {
                    "addressee": name,
                    "similarity": round(max(best[i] for i in items), 2),
                    "items": [
                        {"review": held[i].review, "recommendation": held[i].number, "text": held[i].text}
                        for i in items
                    ],
                }
            )
    groups.sort(key=lambda g: (str(g["addressee"]).casefold(), -float(g["similarity"]), str(g["items"][0]["review"])))
    return groups


def _root(parent: List[int], i: int) -> int:
    """The group an index belongs to (union-find, halving the path as it goes)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@dataclass
class Register:
    as_of: dt.date
    entries: List[Entry]
    by_addressee: List[dict]
    waiting: List[dict]
    repeats: List[dict]

    def document(self) -> dict:
        """The JSON shape of `dhrtrack register --format json`."""
        return {
            "as_of": self.as_of.isoformat(),
            "by_addressee": self.by_addressee,
            "unacknowledged": self.waiting,
            "repeats": self.repeats,
        }


def build(plans: Iterable[Tuple[str, dict]], as_of: dt.date, threshold: float = THRESHOLD) -> Register:
    found = entries(plans)
    return Register(as_of, found, by_addressee(found), waiting(found, as_of), repeats(found, threshold))


def from_scope(scope: Scope, threshold: Optional[float] = None) -> Register:
    """The register of the plans a report covers (each plan's data read once, in turn)."""
    loaded = scope.loaded
    plans = [part.plan for part in scope.scoped.parts]
    loaded.prepare_data(plans)
    return build(((plan.file, loaded.take_data(plan)) for plan in plans), scope.as_of, threshold or THRESHOLD)
