"""Validation of plan files: load, schema, rules, cross-file checks. Returns values, never prints.

Each file is checked on its own (in worker processes when there are many, through parallel_map);
what the checks across files need from a file (its leads, where they are, which action they
belong to) comes back as small LeadRef values rather than the whole parsed document.
"""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import time
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from dhrtrack.plan import registry as agency_registry
from dhrtrack.plan import rules, schema
from dhrtrack.plan import themes as theme_vocabulary
from dhrtrack.plan.discovery import is_registry, is_vocabulary
from dhrtrack.plan.files import repository_root
from dhrtrack.plan.model import shared_names
from dhrtrack.plan.parallel import parallel_map
from dhrtrack.plan.problems import ERROR, WARNING, Problem, json_path
from dhrtrack.plan.reader import Document, load_bytes, load_file
from dhrtrack.plan.rules import LeadRef
from dhrtrack.plan.themes import ThemeRef, theme_refs


@dataclass
class FileResult:
    file: str
    problems: List[Problem]
    parsed: bool = True  # False when the file could not be read or parsed at all
    leads: List[LeadRef] = field(default_factory=list)
    themes: List[ThemeRef] = field(default_factory=list)
    # "$.recommendations[0].actions[1]" -> "$.action[7.1]": where a problem is, by what names it
    # rather than by position, so that a report's fingerprint survives an action inserted above.
    places: Dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.parsed and not any(p.severity == ERROR for p in self.problems)


@dataclass
class Report:
    results: List[FileResult] = field(default_factory=list)
    # Why a run had nothing to check ("no plan files found in plans/"): reports carry it.
    notices: List[str] = field(default_factory=list)
    as_of: str = ""
    started: str = ""  # when the run began, UTC, ISO 8601 without an offset (as JUnit has it)
    seconds: float = 0.0
    root: str = ""  # the repository root the reports name files from (the current directory's)

    def relative(self, file: str) -> Optional[str]:
        """A file's path from the repository root, with /, or None when it is outside it."""
        root = self.root or repository_root(os.getcwd())
        full = os.path.realpath(file)  # as the root is (a symbolic link in the way names it differently)
        try:
            if os.path.commonpath([full, root]) != root:
                return None
        except ValueError:  # another drive (Windows)
            return None
        return os.path.relpath(full, root).replace(os.sep, "/")

    def root_uri(self) -> str:
        return pathlib.Path(self.root or repository_root(os.getcwd())).as_uri().rstrip("/") + "/"

    def file_uri(self, file: str) -> str:
        return pathlib.Path(os.path.abspath(file)).as_uri()

    @property
    def problems(self) -> List[Problem]:
        out = [p for r in self.results for p in r.problems]
        out.sort(key=Problem.sort_key)
        return out

    @property
    def errors(self) -> int:
        return sum(1 for r in self.results for p in r.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.results for p in r.problems if p.severity == WARNING)

    def ok(self, strict: bool = False) -> bool:
        return self.errors == 0 and (not strict or self.warnings == 0)


def check_document(document: Document, as_of: dt.date, warnings: bool = True) -> List[Problem]:
    problems = list(schema.problems(document))
    problems.extend(rules.file_problems(document, as_of, warnings))
    return problems


# Any date will do where only errors matter: no error depends on the date.
_ANY_DAY = dt.date(2000, 1, 1)


def errors_in(raw: bytes, label: str) -> Tuple[Optional[Document], List[Problem]]:
    """A file's document and its errors, in file order (no warnings: they are validate's to
    report), for the commands that act only on valid plans."""
    loaded = load_bytes(raw, label)
    if loaded.document is None:
        return None, list(loaded.problems)
    errors = [p for p in check_document(loaded.document, _ANY_DAY, warnings=False) if p.severity == ERROR]
    errors.sort(key=Problem.sort_key)
    return loaded.document, errors


def valid_data(raw: bytes, label: str) -> Tuple[Optional[dict], Optional[Problem]]:
    """A plan's data when the bytes are a valid plan, else None and its first error."""
    document, errors = errors_in(raw, label)
    if errors or document is None:
        return None, errors[0]
    return document.data, None


def lead_refs(document: Document) -> List[LeadRef]:
    refs = []
    for path, action in rules.actions(document):
        lead = action.get("lead")
        if isinstance(lead, str) and lead.strip():
            line, column = document.position(path + ("lead",))
            refs.append(LeadRef(lead, line, column, json_path(path + ("lead",)), schema.subject(document, path)))
    return refs


def places(document: Document) -> Dict[str, str]:
    """Each recommendation's and action's path, and the same place named by its number or id."""
    data = document.data
    out: Dict[str, str] = {}
    if not isinstance(data, dict) or not isinstance(data.get("recommendations"), list):
        return out
    for r, rec in enumerate(data["recommendations"]):
        if not isinstance(rec, dict):
            continue
        number = rec.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            out[f"$.recommendations[{r}]"] = f"$.recommendation[{number}]"
        if isinstance(rec.get("actions"), list):
            for a, action in enumerate(rec["actions"]):
                ident = action.get("id") if isinstance(action, dict) else None
                if isinstance(ident, str) and ident.strip():
                    out[f"$.recommendations[{r}].actions[{a}]"] = f"$.action[{ident}]"
    return out


def check_file(file: str, as_of: dt.date) -> FileResult:
    loaded = load_file(file)
    if loaded.document is None:
        return FileResult(file, list(loaded.problems), parsed=False)
    problems = check_document(loaded.document, as_of)
    result = FileResult(file, problems, places=places(loaded.document))
    if result.valid:
        result.leads = lead_refs(loaded.document)
        result.themes = theme_refs(loaded.document)
    return result


def _check_file_args(args: Tuple[str, dt.date]) -> FileResult:
    return check_file(*args)


def run(
    files: Sequence[str],
    as_of: dt.date,
    registry_files: Sequence[str] = (),
    jobs: Optional[int] = None,
    refused: Sequence[Tuple[str, str]] = (),
) -> Report:
    """Validate each file independently (one bad file never stops the others), then the
    agency registry (plans/agencies.yaml) when there is one, then the checks across files.
    `refused` holds (path, why) for what discovery would not read: each is an error."""
    began = time.monotonic()
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat()
    if files:
        schema.prepare()
    report = Report(parallel_map(_check_file_args, [(f, as_of) for f in files], jobs))
    report.as_of, report.started, report.root = as_of.isoformat(), started, repository_root(os.getcwd())
    report.results += [FileResult(path, [Problem(path, 1, 1, "$", ERROR, why)], parsed=False) for path, why in refused]
    report.results += schema_copies(list(files) + list(registry_files))
    agencies = [f for f in registry_files if is_registry(f)]
    vocabularies = [f for f in registry_files if is_vocabulary(f)]
    registry, problems = agency_registry.load(agencies)
    vocabulary, vocabulary_problems = theme_vocabulary.load(vocabularies)
    problems += vocabulary_problems
    for file in agencies + vocabularies:
        report.results.append(FileResult(file, [p for p in problems if p.file == file], parsed=False))
    _shared_name_problems(report, files)
    add_cross_file_problems(report, registry, vocabulary)
    report.seconds = time.monotonic() - began
    return report


def _shared_name_problems(report: Report, files: Sequence[str]) -> None:
    """Two plans with one name (plans/a/x.yaml, plans/b/x.yaml): every Ref to either (x:1.1)
    would be ambiguous, in returns, update and history, so each is an error until renamed."""
    by_file = {r.file: r for r in report.results}
    for name, held in shared_names(files).items():
        for file in held:
            others = ", ".join(f for f in held if f != file)
            by_file[file].problems.append(
                Problem(
                    file,
                    1,
                    1,
                    "$",
                    ERROR,
                    f"another plan has the name {name!r} ({others}): a Ref such as {name}:1.1 would name "
                    "either; rename all but one of the files (git mv)",
                )
            )


def schema_copies(files: Sequence[str]) -> List[FileResult]:
    """A warning for each copy of a schema in the plans' repository (schema/*.schema.json, what
    editors read through the modeline) that differs from the schema validate checks with: a
    changed copy would let an editor accept what validate refuses, or the other way round."""
    from dhrtrack import __version__
    from dhrtrack.plan.files import repository_root

    roots = {repository_root(os.path.dirname(os.path.abspath(f))) for f in files}
    results = []
    for root in sorted(roots):
        for name, what in (
            ("plan.schema.json", "plan"),
            ("agencies.schema.json", "agency"),
            ("themes.schema.json", "theme"),
        ):
            copy = os.path.join(root, "schema", name)
            try:
                with open(copy, encoding="utf-8") as handle:
                    if handle.read() == schema.schema_text(name):
                        continue
            except (OSError, UnicodeDecodeError):
                continue  # no copy (or none that can be read): nothing to drift
            shown = os.path.relpath(copy)
            results.append(
                FileResult(
                    shown,
                    [
                        Problem(
                            shown,
                            1,
                            1,
                            "$",
                            WARNING,
                            f"differs from the {what} schema dhrtrack {__version__} checks plans with: editors that read this "
                            "copy may accept what validate refuses; delete it and run dhrtrack init to write the current one",
                        )
                    ],
                    parsed=False,
                )
            )
    return results


def add_cross_file_problems(
    report: Report,
    registry: Optional[agency_registry.Registry] = None,
    vocabulary: Optional[theme_vocabulary.Vocabulary] = None,
) -> None:
    valid = [r for r in report.results if r.valid]
    per_file: Iterable[Tuple[str, List[LeadRef]]] = [(r.file, r.leads) for r in valid]
    cross = list(rules.lead_spelling_problems(list(per_file)))
    if registry is not None:
        cross.extend(agency_registry.unknown_lead_problems(registry, [(r.file, r.leads) for r in valid]))
    if vocabulary is not None:
        cross.extend(theme_vocabulary.unknown_theme_problems(vocabulary, [(r.file, r.themes) for r in valid]))
    by_file = {r.file: r for r in valid}
    for problem in cross:
        by_file[problem.file].problems.append(problem)
