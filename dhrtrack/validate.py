"""Validation of plan files: load, schema, semantic checks, cross-file checks. Returns values,
never prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from dhrtrack import checks, schema
from dhrtrack.loader import Document, LoadResult, load_file
from dhrtrack.problems import ERROR, WARNING, Problem


@dataclass
class FileResult:
    file: str
    document: Optional[Document]
    problems: List[Problem]

    @property
    def valid(self) -> bool:
        return self.document is not None and not any(p.severity == ERROR for p in self.problems)


@dataclass
class Report:
    results: List[FileResult] = field(default_factory=list)

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


def check_document(document: Document, as_of: dt.date) -> List[Problem]:
    problems = list(schema.problems(document))
    problems.extend(checks.file_problems(document, as_of))
    return problems


def check_loaded(loaded: LoadResult, as_of: dt.date) -> FileResult:
    if loaded.document is None:
        return FileResult(loaded.file, None, list(loaded.problems))
    return FileResult(loaded.file, loaded.document, check_document(loaded.document, as_of))


def run(files: Sequence[str], as_of: dt.date) -> Report:
    """Validate each file independently (one bad file never stops the others), then the
    checks that look across files."""
    report = Report([check_loaded(load_file(f), as_of) for f in files])
    add_cross_file_problems(report)
    return report


def add_cross_file_problems(report: Report) -> None:
    valid = [r for r in report.results if r.valid]
    by_file = {r.file: r for r in valid}
    for problem in checks.lead_spelling_problems([r.document for r in valid]):
        by_file[problem.file].problems.append(problem)
