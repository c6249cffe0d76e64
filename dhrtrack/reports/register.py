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

import bisect
import datetime as dt
import functools
import hashlib
import itertools
import marshal
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

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


@functools.lru_cache(maxsize=65536)  # a register's words repeat: each is stemmed once
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
    counted.update(map(" ".join, zip(words, words[1:])))
    return counted


def similarity(a: str, b: str) -> float:
    """How alike two recommendations' texts are, from 0 to 1: the cosine of their term counts
    (terms: meaningful words, stemmed, and neighbouring pairs of them). Offline, deterministic,
    and blind to word order beyond pairs, to stop words and to plurals."""
    return _cosine(_unit(terms(a)), _unit(terms(b)))


def _unit(counted: Counter) -> Dict[str, float]:
    """Term counts scaled to length 1, so that a dot product is the cosine."""
    norm = math.sqrt(sum(map(operator.mul, counted.values(), counted.values())))
    return {term: count / norm for term, count in counted.items()} if norm else {}


def _cosine(x: Dict[str, float], y: Dict[str, float]) -> float:
    return _dot(x, y, x.keys() & y.keys())


def _dot(x: Dict[str, float], y: Dict[str, float], shared: Iterable[str]) -> float:
    """x . y over the terms they share (the rest add nothing), summed at C speed."""
    return sum(map(operator.mul, map(x.__getitem__, shared), map(y.__getitem__, shared)))


def alike_pairs(
    texts: Sequence[str], threshold: float, vectors: Optional[List[Dict[str, float]]] = None
) -> Iterator[Tuple[int, int, float]]:
    """Every pair (i, j, similarity), i < j, of texts at least `threshold` alike: exactly the
    pairs comparing each text with every other would find, without computing every similarity
    (a national register has thousands of recommendations to one addressee).

    Count filtering: two unit vectors x and y with x . y >= t share at least K(x) terms, K(x)
    being the fewest of x's heaviest terms whose squared weights reach t squared (x . y is at
    most the length of x on the shared terms); and one of the two reaches t on its c heaviest
    terms, c the number they share (|x on them| |y on them| >= t), so c is at least the smaller
    of their S, S being the fewest heaviest terms reaching t.

    How many terms a text shares with every other is counted at once: each term is a big
    integer with a lane (LANE bytes) per text, 1 in the lanes of the texts that hold it, and the
    sum of a text's terms holds in each lane the count shared with that text. Adding to each
    lane the top bit less the count that pair needs sets the lane's top bit exactly when the
    count is enough; only those pairs are compared, and only when the bound above on both
    sides' heaviest `c` terms still allows them."""
    vectors = vectors or [_unit(terms(text)) for text in texts]
    if threshold <= 0:  # every pair qualifies: nothing to filter
        for i, j in itertools.combinations(range(len(texts)), 2):
            yield i, j, _cosine(vectors[i], vectors[j])
        return
    n = len(vectors)
    lane = (max((len(v) for v in vectors), default=0).bit_length() + 8) // 8  # bytes: any count, top bit spare
    top = 1 << (8 * lane - 1)
    goal = threshold * threshold - 1e-12  # never a pair lost to rounding: a smaller count only compares more
    half = threshold - 1e-12
    heaviest: List[List[float]] = []  # per text: sums of its k heaviest squared weights, k = 1, 2, ...
    needed: List[int] = []  # per text: K, or 0 when it has no words to compare (alike to nothing)
    halves: List[int] = []  # per text: S
    holders: Dict[str, bytearray] = {}
    held_by: Counter = Counter()  # term -> how many texts hold it
    for j, vector in enumerate(vectors):
        mine = list(itertools.accumulate(sorted((w * w for w in vector.values()), reverse=True)))
        heaviest.append(mine)
        comparable = bool(mine) and mine[-1] >= goal
        needed.append(bisect.bisect_left(mine, goal) + 1 if comparable else 0)
        halves.append(bisect.bisect_left(mine, half) + 1 if comparable else 0)
        if comparable:
            for term in vector:
                held = holders.get(term)
                if held is None:
                    held = holders[term] = bytearray(n * lane)
                held[j * lane] = 1
            held_by.update(vector.keys())
    # A term no other text holds adds to no pair's count: left out (most neighbouring pairs of words)
    lanes = {term: int.from_bytes(held, "little") for term, held in holders.items() if held_by[term] > 1}
    tops = int.from_bytes(top.to_bytes(lane, "little") * n, "little")
    with_half: Dict[int, bytearray] = {}  # S -> 1 in the lanes of the texts with that S
    for j, their_half in enumerate(halves):
        if their_half:
            with_half.setdefault(their_half, bytearray(n * lane))[j * lane] = 1
    by_half = {s: int.from_bytes(held, "little") for s, held in with_half.items()}
    offsets: Dict[Tuple[int, int], int] = {}  # (K, S) of a text -> the top bit less each lane's need
    for i, vector in enumerate(vectors):
        if not needed[i]:
            continue
        counts = sum(lanes.get(term, 0) for term in vector)
        key = (needed[i], halves[i])
        offset = offsets.get(key)
        if offset is None:
            offset = offsets[key] = sum(
                (top - max(needed[i], min(halves[i], s))) * members for s, members in by_half.items()
            )
        enough = ((counts + offset) & tops).to_bytes(n * lane, "little")
        counted = counts.to_bytes(n * lane, "little")
        mine = heaviest[i]
        for found in _NONZERO.finditer(enough, 0, i * lane):  # the earlier texts only: each pair once
            j = found.start() // lane
            shared = int.from_bytes(counted[j * lane : (j + 1) * lane], "little")
            if mine[shared - 1] * heaviest[j][shared - 1] < goal:
                continue
            theirs = vectors[j]
            alike = _dot(vector, theirs, vector.keys() & theirs.keys())
            if alike >= threshold:
                yield j, i, alike


_NONZERO = re.compile(rb"[^\x00]")


def repeats(found: Sequence[Entry], threshold: float = THRESHOLD, use_cache: bool = False) -> List[dict]:
    """Groups of recommendations to one addressee, from different reviews, each at least
    `threshold` alike to another of the group; the group's similarity is its closest pair's.

    With `use_cache`, the groups are kept in the content cache under the SHA-256 of everything
    they are made from (each recommendation's addressee, review, number and text, and the
    threshold): a national register asked again of the same recommendations (another format,
    the board paper after the register) is not compared again."""
    if not use_cache:
        return _repeats(found, threshold)
    from dhrtrack.plan import cache

    kept = cache.Cache()
    made_from = [(e.addressee, e.review, e.number, e.text) for e in found]
    digest = hashlib.sha256(marshal.dumps(("register repeats", threshold, made_from))).digest()
    groups = kept.content(digest)
    if not _are_groups(groups):
        groups = _repeats(found, threshold)
        kept.keep_content(digest, groups)
    return groups


def _are_groups(value: object) -> bool:
    """Whether a cached value has the shape `_repeats` makes (an entry of another shape is a miss)."""
    return isinstance(value, list) and all(
        isinstance(g, dict)
        and isinstance(g.get("addressee"), str)
        and isinstance(g.get("similarity"), float)
        and isinstance(g.get("items"), list)
        and all(isinstance(i, dict) and set(i) == {"review", "recommendation", "text"} for i in g["items"])
        for g in value
    )


def _repeats(found: Sequence[Entry], threshold: float) -> List[dict]:
    names = addressee_names(found)
    by_name: Dict[str, List[Entry]] = {}
    for entry in found:
        if entry.addressee:
            by_name.setdefault(names[entry.addressee], []).append(entry)
    groups: List[dict] = []
    for name, held in sorted(by_name.items(), key=lambda g: g[0].casefold()):
        parent = list(range(len(held)))
        best: Dict[int, float] = {}
        # Texts are compared once each however many recommendations share them (a national
        # register repeats many word for word); then each pair of texts alike speaks for every
        # pair of their recommendations from different reviews.
        by_text: Dict[str, List[int]] = {}
        for i, entry in enumerate(held):
            by_text.setdefault(entry.text, []).append(i)
        texts = list(by_text)
        vectors = [_unit(terms(text)) for text in texts]
        same = [(k, k, _cosine(v, v)) for k, v in enumerate(vectors)]
        for one, other, alike in itertools.chain(same, alike_pairs(texts, threshold, vectors)):
            if alike < threshold:
                continue
            a, b = by_text[texts[one]], by_text[texts[other]]
            for mine, theirs in ((a, b), (b, a)):
                for i in mine:
                    partner = next((j for j in theirs if held[j].review != held[i].review), None)
                    if partner is None:
                        continue  # one review's own recommendations are not repeats of each other
                    parent[_root(parent, partner)] = _root(parent, i)
                    best[i] = max(best.get(i, 0.0), alike)
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


def build(
    plans: Iterable[Tuple[str, dict]], as_of: dt.date, threshold: float = THRESHOLD, use_cache: bool = False
) -> Register:
    found = entries(plans)
    return Register(as_of, found, by_addressee(found), waiting(found, as_of), repeats(found, threshold, use_cache))


def from_scope(scope: Scope, threshold: Optional[float] = None) -> Register:
    """The register of the plans a report covers (each plan's data read once, in turn)."""
    loaded = scope.loaded
    plans = [part.plan for part in scope.scoped.parts]
    loaded.prepare_data(plans)
    plans_data = ((plan.file, loaded.take_data(plan)) for plan in plans)
    return build(plans_data, scope.as_of, THRESHOLD if threshold is None else threshold, use_cache=loaded.use_cache)
