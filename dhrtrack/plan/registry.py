"""The optional agency registry, plans/agencies.yaml (a file format of its own, with its own schema):
canonical names, aliases and contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from dhrtrack.plan.problems import ERROR, WARNING, Problem
from dhrtrack.plan.spelling import spelling_key

if TYPE_CHECKING:
    from dhrtrack.plan.reader import Document, LoadResult
    from dhrtrack.plan.rules import LeadRef

SCHEMA = "agencies.schema.json"


@dataclass(frozen=True)
class Contact:
    email: str
    name: Optional[str] = None


@dataclass
class Agency:
    name: str
    aliases: Tuple[str, ...] = ()
    contacts: Tuple[Contact, ...] = ()


@dataclass
class Registry:
    files: List[str] = field(default_factory=list)
    agencies: List[Agency] = field(default_factory=list)
    _by_key: Dict[Tuple[str, ...], Agency] = field(default_factory=dict)

    def add(self, agency: Agency) -> Optional[str]:
        """Add an agency; returns a conflict message when a name is already another agency's."""
        for name in (agency.name,) + agency.aliases:
            key = spelling_key(name)
            other = self._by_key.get(key)
            if other is not None and other is not agency:
                return f"{name!r} already names {other.name!r}: a name or alias may belong to one agency only"
            self._by_key[key] = agency
        self.agencies.append(agency)
        return None

    def add_aliases(self, agency: Agency, aliases: List[str]) -> None:
        """More names for an agency already here (names no other agency has: see add)."""
        for alias in aliases:
            key = spelling_key(alias)
            if key not in self._by_key:
                self._by_key[key] = agency
                agency.aliases += (alias,)

    def resolve(self, lead: str) -> Optional[Agency]:
        """The agency a lead names: by its name or an alias, in any spelling."""
        return self._by_key.get(spelling_key(lead))

    def canonical(self, lead: str) -> str:
        agency = self.resolve(lead)
        return agency.name if agency else lead

    def closest(self, lead: str) -> Optional[str]:
        names = {n: a.name for a in self.agencies for n in (a.name,) + a.aliases}
        # Only a close name is worth suggesting: a distant one sends a coordinator the wrong way.
        import difflib  # only for a lead the registry does not know

        match = difflib.get_close_matches(lead, list(names), n=1, cutoff=0.8)
        return names[match[0]] if match else None


def load(files: List[str]) -> Tuple[Optional[Registry], List[Problem]]:
    """The merged registry of the given files (None when there are none) and their problems."""
    from dhrtrack.plan.reader import load_file

    return _merged(files, [load_file(file) for file in files])


def load_blobs(blobs: List[Tuple[str, bytes]]) -> Tuple[Optional[Registry], List[Problem]]:
    """As load, for registries read from elsewhere than a file (a git revision): (label, bytes)."""
    from dhrtrack.plan.reader import load_bytes

    return _merged([label for label, _raw in blobs], [load_bytes(raw, label) for label, raw in blobs])


def _merged(files: List[str], loaded_files: List["LoadResult"]) -> Tuple[Optional[Registry], List[Problem]]:
    from dhrtrack.plan.schema import conforming

    if not files:
        return None, []
    registry = Registry(files=list(files))
    documents, problems = conforming(loaded_files, SCHEMA)
    for document in documents:
        problems.extend(_add_all(registry, document))
    return registry, problems


def _add_all(registry: Registry, document: Document) -> List[Problem]:
    problems = []
    for i, entry in enumerate(document.data["agencies"]):
        agency = Agency(
            entry["name"],
            tuple(entry.get("aliases") or ()),
            tuple(Contact(c["email"], c.get("name")) for c in entry.get("contacts") or ()),
        )
        conflict = registry.add(agency)
        if conflict:
            problems.append(document.problem(("agencies", i), ERROR, conflict))
    return problems


def unknown_lead_problems(registry: Registry, files: List[Tuple[str, List["LeadRef"]]]) -> List[Problem]:
    """One warning per lead that names no agency in the registry, at its first use, counting the
    other actions that name it (a partial registry must not bury validate's output); `files` as
    for the spelling check."""
    uses: Dict[str, List[Tuple[str, "LeadRef"]]] = {}
    for file, refs in files:
        for ref in refs:
            if ref.lead in uses or registry.resolve(ref.lead) is None:
                uses.setdefault(ref.lead, []).append((file, ref))
    problems = []
    where = " or ".join(registry.files)
    for lead, found in uses.items():
        file, ref = found[0]
        closest = registry.closest(lead)
        hint = f"; did you mean {closest!r}?" if closest else ""
        others = len(found) - 1
        also = f"; {others} more action{'s' if others != 1 else ''} name it" if others else ""
        problems.append(
            Problem(
                file,
                ref.line,
                ref.column,
                ref.path,
                WARNING,
                f"{ref.subject}: lead {lead!r} is not an agency in {where}{hint}{also} "
                "(add it, or an alias, to the registry if it is a new agency)",
            )
        )
    return problems
