"""`dhrtrack gather`: many partnerships' data packages into one national view.

Each package is read (sources.py), its descriptor checked — a package of an unknown format
version is refused by name — and each plan it lists read, checked against the digest the
descriptor gives, and validated exactly as a plan file is (in parallel: a national gather checks
two thousand). A review published twice (the same review id, in any spelling of case and
punctuation) is counted once: from the package with the latest as-of date, the first given on a
tie; every other copy is reported and recorded in the database's `duplicates` table. Plans keep
their names where the names are unique across packages; a name two packages share gets the
package's name added, so every table's `plan` key stays unique.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from dhrtrack.history.slips import Recorded
from dhrtrack.national import package as pkg
from dhrtrack.national.sources import Source, SourceError, safe_path
from dhrtrack.plan.dates import due_date
from dhrtrack.plan.model import RAGS, Plan, build, plan_name
from dhrtrack.plan.registry import Agency, Registry
from dhrtrack.plan.spelling import spelling_key

_COMMIT = frozenset("0123456789abcdef")


@dataclass
class Package:
    """One package as gathered: its provenance, and its plans' bytes by path."""

    index: int  # its place in the order given (1, 2, ...): the packages table's id
    source: str
    name: str
    partnership: str
    commit: Optional[str]
    uncommitted_changes: bool
    as_of: str
    dhrtrack_version: str
    format_version: int
    agencies: List[Dict[str, Any]]
    history: Optional[str]  # why its plans have no history of ratings and targets, or None
    plans: List[Tuple[str, str, bytes]] = field(default_factory=list)  # path, review as listed, bytes
    changes: List[Recorded] = field(default_factory=list)


@dataclass
class GatheredPlan:
    label: str  # its file in the gathered view: <package name>/plans/<name>.yaml
    package: Package
    path: str  # its path in the package
    data: dict
    model: Optional[Plan] = None  # made once the plan has its name in the national view

    @property
    def name(self) -> str:
        return plan_name(self.label)


@dataclass
class Duplicate:
    review: str
    kept: GatheredPlan
    dropped_package: Package
    dropped_path: str

    @property
    def message(self) -> str:
        kept = self.kept.package
        return (
            f"duplicate: {self.dropped_package.source}/{self.dropped_path}: review {self.review!r} is also in "
            f"{kept.source} (as of {kept.as_of}): counted once, from there"
        )


@dataclass
class Gathered:
    packages: List[Package] = field(default_factory=list)
    plans: List[GatheredPlan] = field(default_factory=list)
    duplicates: List[Duplicate] = field(default_factory=list)
    invalid: List[str] = field(default_factory=list)  # plans left out, each with its first error
    refused: List[str] = field(default_factory=list)  # packages left out whole, each with why
    registry: Registry = field(default_factory=Registry)
    notes: List[str] = field(default_factory=list)


def read_package(source: Source, index: int) -> Package:
    """A package's descriptor and files, checked. Raises SourceError saying what is wrong."""
    try:
        descriptor = json.loads(source.read(pkg.DESCRIPTOR))
    except RecursionError:
        raise SourceError(f"{source.label}: {pkg.DESCRIPTOR} is nested too deeply to be a descriptor") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise SourceError(f"{source.label}: {pkg.DESCRIPTOR} is not JSON: {error}") from None
    mark = descriptor.get(pkg.MARK) if isinstance(descriptor, dict) else None
    if not isinstance(mark, dict):
        raise SourceError(
            f"{source.label}: a data package, but not one dhrtrack made (no {pkg.MARK!r} property in "
            f"{pkg.DESCRIPTOR}): the partnership makes it with dhrtrack package"
        )
    version = mark.get("format_version")
    if type(version) is not int or version != pkg.FORMAT_VERSION:
        raise SourceError(
            f"{source.label}: package format version {version!r}, and this dhrtrack reads version "
            f"{pkg.FORMAT_VERSION} only: refused (gather it with the dhrtrack version that made it, "
            f"{mark.get('dhrtrack_version')!r}, or ask the partnership to package it again)"
        )
    found = Package(
        index=index,
        source=source.label,
        name=_text(mark, "partnership", source) and pkg.name_of(mark["partnership"]),
        partnership=_text(mark, "partnership", source),
        commit=_commit(mark.get("commit"), source),
        uncommitted_changes=mark.get("uncommitted_changes") is True,
        as_of=_day(mark.get("as_of"), source),
        dhrtrack_version=_text(mark, "dhrtrack_version", source),
        format_version=version,
        agencies=_agencies(mark.get("agencies"), source),
        history=mark["history"] if isinstance(mark.get("history"), str) else None,
    )
    listed = mark.get("plans")
    if not isinstance(listed, list):
        raise SourceError(f"{source.label}: {pkg.DESCRIPTOR}: 'plans' is not a list")
    seen = set()
    for entry in listed:
        if not isinstance(entry, dict) or not safe_path(entry.get("path")) or not isinstance(entry.get("sha256"), str):
            raise SourceError(
                f"{source.label}: {pkg.DESCRIPTOR}: a plan entry without a path inside the package and a sha256"
            )
        path = entry["path"]
        if not (path.startswith(pkg.PLANS_DIR + "/") and path.endswith(".yaml")) or path in seen:
            raise SourceError(
                f"{source.label}: {pkg.DESCRIPTOR}: {path!r} is not a plan's place (plans/NAME.yaml, once)"
            )
        seen.add(path)
        raw = source.read(path)
        if hashlib.sha256(raw).hexdigest() != entry["sha256"].lower():
            raise SourceError(
                f"{source.label}: {path} is not the file the package was made with (its SHA-256 differs): "
                "the package was altered after it was made; ask the partnership for it again"
            )
        found.plans.append((path, str(entry.get("review", "")), raw))
    found.changes = _changes(source)
    return found


def _line(text: object, longest: int = 300) -> bool:
    """A name on one line: printable, no control or formatting characters (a right-to-left
    override in a partnership's name would reorder every line that prints it)."""
    return (
        isinstance(text, str)
        and 0 < len(text.strip()) <= longest
        and not any(unicodedata.category(c) in _UNPRINTABLE for c in text)
    )


_UNPRINTABLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _text(mark: dict, key: str, source: Source) -> str:
    value = mark.get(key)
    if not _line(value):
        raise SourceError(f"{source.label}: {pkg.DESCRIPTOR}: {pkg.MARK}.{key} must be a line of text")
    assert isinstance(value, str)
    return value.strip()


def _commit(value: object, source: Source) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, str) and len(value) in (40, 64) and set(value) <= _COMMIT:
        return value
    raise SourceError(f"{source.label}: {pkg.DESCRIPTOR}: {pkg.MARK}.commit is not a full git commit id")


def _day(value: object, source: Source) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) and len(value) == 10 else ""
    except ValueError:
        pass
    raise SourceError(f"{source.label}: {pkg.DESCRIPTOR}: {pkg.MARK}.as_of is not a date (YYYY-MM-DD)")


def _agencies(value: object, source: Source) -> List[Dict[str, Any]]:
    line = _line
    if value is None:
        return []
    if isinstance(value, list) and all(
        isinstance(a, dict)
        and line(a.get("name"))
        and isinstance(a.get("aliases", []), list)
        and all(line(alias) for alias in a.get("aliases", []))
        for a in value
    ):
        return value
    raise SourceError(f"{source.label}: {pkg.DESCRIPTOR}: {pkg.MARK}.agencies is not a list of names and aliases")


def _changes(source: Source) -> List[Recorded]:
    """changes.csv: the plans' history of ratings and targets (a package without one has none)."""
    try:
        raw = source.read(pkg.CHANGES)
    except SourceError:
        return []
    try:
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as error:
        raise SourceError(f"{source.label}: {pkg.CHANGES}: not a CSV file in UTF-8: {error}") from None
    changes = []
    for number, row in enumerate(rows, start=2):
        try:
            plan, action, what, date, commit = (row[k] for k in ("plan", "action", "field", "date", "commit"))
            slip = {"yes": True, "no": False}[row["slip"]]
            dt.date.fromisoformat(date)
        except (KeyError, ValueError, TypeError):
            raise SourceError(f"{source.label}: {pkg.CHANGES}:{number}: not a change dhrtrack package writes") from None
        old, new = row.get("old") or None, row.get("new") or None
        if what not in ("rag", "target") or not plan or not action or not all(map(_CHANGE_VALUES[what], (old, new))):
            raise SourceError(f"{source.label}: {pkg.CHANGES}:{number}: not a change dhrtrack package writes")
        # A slip is worked out again, not taken from the file: a later target than before.
        later = what == "target" and old is not None and new is not None and due_date(new) > due_date(old)  # type: ignore[operator]
        if slip != later:
            raise SourceError(
                f"{source.label}: {pkg.CHANGES}:{number}: 'slip' says {row['slip']!r}, and the targets say otherwise"
            )
        changes.append(Recorded(plan, action, what, old, new, date, commit, slip))
    return changes


_CHANGE_VALUES = {
    "rag": lambda value: value is None or value in RAGS,
    "target": lambda value: value is None or due_date(value) is not None,
}


def review_key(review: str) -> Tuple[str, ...]:
    """The same review however it is spelled: case, punctuation and spacing aside."""
    return spelling_key(review) if spelling_key(review) else (review,)


def check(label_and_raw: Tuple[str, bytes]) -> Tuple[List[tuple], Optional[dict]]:
    """One plan's bytes validated as a file is (a worker's task: module-level, picklable)."""
    from dhrtrack.plan.store import check_bytes

    return check_bytes(*label_and_raw)


def combine(packages: Sequence[Package]) -> Gathered:
    """The packages' plans validated, deduplicated and named for the national view."""
    from dhrtrack.plan.parallel import parallel_map
    from dhrtrack.plan.schema import prepare

    gathered = Gathered(packages=list(packages))
    items = [(pkg_, path, raw) for pkg_ in packages for path, _review, raw in pkg_.plans]
    prepare()
    checked = parallel_map(check, [(f"{p.source}/{path}", raw) for p, path, raw in items])
    valid: List[Tuple[Package, str, dict]] = []
    for (package_, path, _raw), (errors, data) in zip(items, checked):
        if data is None:
            line, column, _where, _severity, message = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            gathered.invalid.append(
                f"{package_.source}/{path}:{line}:{column}: error: {message}{more}\n"
                f"  left out of the national database: the partnership fixes the plan and packages it again"
            )
            continue
        valid.append((package_, path, data))
    # The latest as-of first, then the order given: the copy kept is the first of its review.
    valid.sort(key=lambda item: (-dt.date.fromisoformat(item[0].as_of).toordinal(), item[0].index))
    kept: Dict[Tuple[str, ...], GatheredPlan] = {}
    for package_, path, data in valid:
        key = review_key(data["review"]["id"])
        if key in kept:
            gathered.duplicates.append(Duplicate(data["review"]["id"], kept[key], package_, path))
            continue
        kept[key] = GatheredPlan("", package_, path, data)
    plans = sorted(kept.values(), key=lambda g: (g.package.index, g.path))
    _name(plans, packages)
    gathered.plans = plans
    _merge_agencies(gathered)
    return gathered


def _name(plans: List[GatheredPlan], packages: Sequence[Package]) -> None:
    """Each plan's file in the national view: its package's name and its path; a plan name two
    packages share gets the package's name after it (plan names key every table)."""
    taken = set()
    for package_ in packages:  # two versions of one partnership's package: name, name-2, ...
        base, n = package_.name, 1
        while package_.name in taken:
            n += 1
            package_.name = f"{base}-{n}"
        taken.add(package_.name)
    stems: Dict[str, int] = {}
    for plan in plans:
        stem = plan.path[len(pkg.PLANS_DIR) + 1 : -len(".yaml")]
        stems[stem] = stems.get(stem, 0) + 1
    for plan in plans:
        stem = plan.path[len(pkg.PLANS_DIR) + 1 : -len(".yaml")]
        name = stem if stems[stem] == 1 else f"{stem}-{plan.package.name}"
        plan.label = f"{plan.package.name}/{pkg.PLANS_DIR}/{name}.yaml"
        plan.model = build(plan.label, plan.data)


def _merge_agencies(gathered: Gathered) -> None:
    """One registry of every package's agencies: an agency two partnerships both name is one
    agency with both lists of aliases; a name that one package gives one agency and another a
    different one is left out of the second, with a note (its plans then report that lead as
    written)."""
    registry = gathered.registry
    for package_ in sorted(gathered.packages, key=lambda p: p.index):
        for given in package_.agencies:
            names = [given["name"], *given.get("aliases", ())]
            known = {id(a): a for a in map(registry.resolve, names) if a is not None}
            if not known:
                registry.add(Agency(given["name"], tuple(dict.fromkeys(given.get("aliases", ())))))
                continue
            agency = next(iter(known.values()))
            if len(known) == 1 and registry.resolve(given["name"]) is agency:
                registry.add_aliases(agency, [n for n in names if registry.resolve(n) is None])
                continue
            gathered.notes.append(
                f"{package_.source}: its registry's agency {given['name']!r} shares names with "
                f"{', '.join(repr(a.name) for a in known.values())} of another package: not merged"
            )


@dataclass
class Result:
    gathered: Gathered
    counts: Dict[str, int]


def run(arguments: Sequence[str], output: str, as_of: dt.date, force: bool) -> Result:
    """Find, read and combine the packages, and write the database at output (atomically)."""
    from dhrtrack.agencies import canonical_names
    from dhrtrack.national import database, sources
    from dhrtrack.plan.store import Loaded
    from dhrtrack.plan.write import write_through
    from dhrtrack.reports.database import fill

    found = [source for argument in arguments for source in sources.find(argument)]
    packages: List[Package] = []
    refused: List[str] = []
    for index, source in enumerate(found, start=1):
        try:
            packages.append(read_package(source, index))
        except SourceError as error:
            refused.append(str(error))
        finally:
            source.close()
    gathered = combine(packages)
    gathered.refused = refused
    models = [g.model for g in gathered.plans if g.model is not None]
    loaded = Loaded(files=[m.file for m in models], plans=models, use_cache=False, registry=gathered.registry)
    loaded._data.update((g.label, g.data) for g in gathered.plans)
    counts: Dict[str, int] = {}

    def make(path: str) -> None:
        counts.update(
            fill(path, loaded, canonical_names(models, gathered.registry), as_of, database.recorder(gathered))
        )
        connection = sqlite3.connect(path)
        try:
            database.write(connection, gathered)
            connection.commit()
        finally:
            connection.close()

    write_through(output, make, force)
    return Result(gathered, counts)
