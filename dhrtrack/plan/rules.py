"""Checks the schema cannot express: uniqueness, real calendar dates, and the warnings of
docs/design.md §1. Every check tolerates any data shape (the schema reports shape problems), so a
broken file yields problems, never an exception."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple

from dhrtrack.plan import fields
from dhrtrack.plan.dates import date_problem, due_date, parse_day
from dhrtrack.plan.model import COMPLETE, is_overdue
from dhrtrack.plan.problems import ERROR, WARNING, Path, Problem
from dhrtrack.plan.reader import Document
from dhrtrack.plan.schema import subject
from dhrtrack.plan.spelling import spelling_variants
from dhrtrack.wording import BIDI_CONTROLS

_DECIMAL = re.compile(r"^(?:0|[1-9][0-9]*)$")
# Unicode's bidirectional controls: invisible, and they reorder what is displayed (every output
# removes them: wording.bidi_safe).
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


class LeadRef(NamedTuple):
    """Where a lead is named, for the checks across files."""

    lead: str
    line: int
    column: int
    path: str
    subject: str  # "action 10.2"


def _dicts(value: Any) -> List[Tuple[int, dict]]:
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def actions(document: Document) -> Iterator[Tuple[Path, dict]]:
    """(path, action) for every action-shaped mapping in the document."""
    data = document.data
    if not isinstance(data, dict):
        return
    for r, rec in _dicts(data.get("recommendations")):
        for a, action in _dicts(rec.get("actions")):
            yield ("recommendations", r, "actions", a), action


@lru_cache(maxsize=None)
def _date_shape(month_allowed: bool) -> "re.Pattern[str]":
    """The schema's own pattern for a date field: its shape is the schema's to check."""
    from dhrtrack.plan.schema import schema

    return re.compile(schema()["$defs"]["month_or_date" if month_allowed else "date"]["pattern"])


def _date_checks(document: Document, path: Path, mapping: dict, fields: Dict[str, bool]) -> Iterator[Problem]:
    # The subject ("action 1.2") is worded only for a problem: this runs for every update entry.
    for name, month_allowed in fields.items():
        value = mapping.get(name)
        # Shape problems (2023-13, "Sept") are the schema's; only dates of the right shape that
        # do not exist (2016-02-30) are reported here, so each problem is reported once.
        if not isinstance(value, str) or not _date_shape(month_allowed).search(value):
            continue
        reason = date_problem(value, month_allowed)
        if reason:
            yield document.problem(path + (name,), ERROR, f"{subject(document, path)}: {name}: {reason}")


def file_problems(document: Document, as_of: dt.date, warnings: bool = True) -> Iterator[Problem]:
    """The plan's own errors, and its warnings unless warnings is False (the commands that only
    need to know a plan is valid do not pay for wording advice nobody will see)."""
    data = document.data
    if not isinstance(data, dict):
        return
    seen_numbers: Dict[int, Path] = {}
    path: Path
    for r, rec in _dicts(data.get("recommendations")):
        number = rec.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            path = ("recommendations", r, "number")
            written = document.raw.get(path)
            if written is not None and not _DECIMAL.match(written):
                # YAML 1.1 reads 1:30 as 90, 017 as 15, 0x10 as 16 and 1_000 as 1000: a person does not.
                yield document.problem(
                    path,
                    ERROR,
                    f"recommendation number {written!r} is not a plain whole number (YAML reads it as "
                    f"{number}): write the number in digits, like 7",
                )
                continue
            yield from _used_twice(
                document,
                seen_numbers,
                number,
                path,
                f"recommendation number {number}",
                "numbers must be unique in a plan",
            )
        response = rec.get("response")
        if isinstance(response, dict):
            yield from _date_checks(
                document, ("recommendations", r, "response"), response, dict.fromkeys(fields.RESPONSE_DATES, False)
            )
        if warnings:
            yield from _register_warnings(document, ("recommendations", r), rec, as_of)
    seen_ids: Dict[str, Path] = {}
    for path, action in actions(document):
        ident = action.get("id")
        if isinstance(ident, str):
            yield from _used_twice(
                document,
                seen_ids,
                ident,
                path + ("id",),
                f"action id {ident!r}",
                "ids must be unique in a plan (give the new action a new id)",
            )
        yield from _date_checks(document, path, action, {"target": True, "completed": False})
        verified = action.get("verified")
        if isinstance(verified, dict):
            yield from _date_checks(document, path + ("verified",), verified, {"date": False})
        for u, update in _dicts(action.get("updates")):
            yield from _date_checks(
                document, path + ("updates", u), update, {"date": False, "target": True, "completed": False}
            )
        if warnings:
            yield from _action_warnings(document, path, action, as_of)


def _used_twice(
    document: Document, seen: Dict[Any, Path], key: Any, path: Path, what: str, rule: str
) -> Iterator[Problem]:
    """Nothing the first time a number or id is seen (it is remembered); an error, pointing at
    both lines, every time after."""
    if key not in seen:
        seen[key] = path
        return
    first, again = document.position(seen[key])[0], document.position(path)[0]
    yield document.problem(path, ERROR, f"{what} is used twice: first at line {first}, again at line {again}; {rule}")


RESPONSE_DAYS = 183  # six months: the time an addressee is given to answer (the register's meaning)


def _register_warnings(document: Document, path: Path, rec: dict, as_of: dt.date) -> Iterator[Problem]:
    """A national or regional recommendation with no addressee, or sent over six months ago and
    not answered: the gaps the national register exists to close."""
    number = rec.get("number")
    found = rec.get("response")
    response: dict = found if isinstance(found, dict) else {}
    if rec.get("scope") in ("national", "regional") and not rec.get("addressee"):
        yield document.problem(
            path + ("scope",),
            WARNING,
            f"recommendation {number} is {rec['scope']} but names no addressee: say who it is addressed to "
            f"(dhrtrack respond PLAN:{number} --addressee NAME)",
        )
    sent = response.get("sent")
    day = parse_day(sent) if isinstance(sent, str) else None
    if day is not None and not response.get("received") and not response.get("outcome"):
        waited = (as_of - day).days
        if waited > RESPONSE_DAYS:
            yield document.problem(
                path + ("response", "sent"),
                WARNING,
                f"recommendation {number} was sent on {sent}, {waited} days ago, and no response is recorded: "
                "chase the addressee, or record its answer (dhrtrack respond ... --received D --outcome CATEGORY)",
            )


def _action_warnings(document: Document, path: Path, action: dict, as_of: dt.date) -> Iterator[Problem]:
    def owner() -> str:  # worded only when there is something to say
        return subject(document, path)

    for name in ("id", "lead", "owner"):
        value = action.get(name)
        found = _BIDI.search(value) if isinstance(value, str) else None
        if found:
            yield document.problem(
                path + (name,),
                WARNING,
                f"{owner()}: {name} holds the bidirectional-text control U+{ord(found.group()):04X}, which can make "
                "it display in another order than it is stored (a name that looks the same but is not): delete it",
            )
    lead = action.get("lead")
    confusable = look_alike(lead) if isinstance(lead, str) else None
    if confusable:
        yield document.problem(path + ("lead",), WARNING, f"{owner()}: lead {lead!r} {confusable}")
    rag = action.get("rag")
    outcome = action.get("outcome")
    if rag == COMPLETE and not (isinstance(outcome, str) and outcome.strip()):
        yield document.problem(
            path + ("rag",),
            WARNING,
            f"{owner()} is rated complete but has no outcome: record what was achieved in 'outcome'",
        )
    if "completed" in action and rag != COMPLETE:
        yield document.problem(
            path + ("completed",),
            WARNING,
            f"{owner()} has a completed date but is rated {rag if isinstance(rag, str) else 'nothing'}: "
            "set rag to complete, or remove 'completed'",
        )
    if isinstance(action.get("verified"), dict) and rag != COMPLETE:
        yield document.problem(
            path + ("verified",),
            WARNING,
            f"{owner()}: verification lapsed: it was verified complete but is now rated "
            f"{rag if isinstance(rag, str) else 'nothing'}; verify it again once complete "
            "(dhrtrack verify), or remove 'verified'",
        )
    target = action.get("target")
    if rag == "green" and isinstance(target, str):
        due = due_date(target)
        if due is not None and is_overdue(due, rag, as_of):
            days = (as_of - due).days
            yield document.problem(
                path + ("rag",),
                WARNING,
                f"{owner()} is rated green but was due {due.isoformat()} ({days} days before {as_of.isoformat()}): "
                "review the rating, or record a new target",
            )


_WORD = re.compile(r"[^\W\d_]+")


def _script(letter: str) -> str:
    """The script a letter is written in, from its Unicode name ("CYRILLIC SMALL LETTER I")."""
    name = unicodedata.name(letter, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def look_alike(name: str) -> Optional[str]:
    """Why name may look like another name but is not, or None: a word in it mixes alphabets
    (a Cyrillic "і" or Greek "ο" in a Latin word), so an agency written so is another agency that
    looks the same in every table. The letter named is the first not in the word's main script."""
    if name.isascii():
        return None
    for word in _WORD.findall(name):
        scripts = [_script(letter) for letter in word]
        if len(set(scripts)) < 2:
            continue
        main = max(set(scripts), key=scripts.count)
        odd = next(letter for letter, script in zip(word, scripts) if script != main)
        return (
            f"mixes alphabets: the word {word!r} holds {odd!r} (U+{ord(odd):04X} {unicodedata.name(odd, '?')}) "
            f"among {main.title()} letters, so it looks like another name but is not: retype it"
        )
    return None


def lead_spelling_problems(files: List[Tuple[str, List[LeadRef]]]) -> Iterator[Problem]:
    """Warn where a lead is another spelling of a lead used elsewhere in the repository."""
    occurrences = [(ref.lead, (file, ref)) for file, refs in files for ref in refs]
    variants: Dict[Any, str] = spelling_variants(occurrences)
    for (file, ref), preferred in variants.items():
        yield Problem(
            file,
            ref.line,
            ref.column,
            ref.path,
            WARNING,
            f"{ref.subject}: lead {ref.lead!r} is another spelling of {preferred!r}, "
            "which other actions use: write the agency's name the same way everywhere",
        )
