"""The optional theme vocabulary, plans/themes.yaml (a file format of its own, with its own
schema): the themes recommendations are filed under. Plans' themes are checked against it: a
theme it does not name is a warning, with the closest name it does."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from dhrtrack.plan.problems import ERROR, WARNING, Problem, json_path

if TYPE_CHECKING:
    from dhrtrack.plan.reader import Document

SCHEMA = "themes.schema.json"


@dataclass(frozen=True)
class ThemeRef:
    """Where a plan names a theme: for the check against the vocabulary."""

    theme: str
    line: int
    column: int
    path: str
    subject: str  # "recommendation 3"


@dataclass
class Vocabulary:
    files: List[str] = field(default_factory=list)
    names: Dict[str, str] = field(default_factory=dict)  # casefolded -> as written

    def knows(self, theme: str) -> bool:
        return " ".join(theme.split()).casefold() in self.names

    def closest(self, theme: str) -> Optional[str]:
        match = difflib.get_close_matches(theme.casefold(), list(self.names), n=1, cutoff=0.75)
        return self.names[match[0]] if match else None


def load(files: List[str]) -> Tuple[Optional[Vocabulary], List[Problem]]:
    """The merged vocabulary of the given themes.yaml files (None when there are none) and their problems."""
    from dhrtrack.plan.reader import load_file
    from dhrtrack.plan.schema import conforming

    if not files:
        return None, []
    vocabulary = Vocabulary(files=list(files))
    documents, problems = conforming([load_file(file) for file in files], SCHEMA)
    for document in documents:
        problems.extend(_add_all(vocabulary, document))
    return vocabulary, problems


def _add_all(vocabulary: Vocabulary, document: "Document") -> List[Problem]:
    problems = []
    for i, entry in enumerate(document.data["themes"]):
        key = " ".join(entry["name"].split()).casefold()
        if key in vocabulary.names:
            problems.append(
                document.problem(
                    ("themes", i, "name"), ERROR, f"theme {entry['name']!r} is named twice: keep one entry"
                )
            )
            continue
        vocabulary.names[key] = entry["name"]
    return problems


def theme_refs(document: "Document") -> List[ThemeRef]:
    refs = []
    for r, recommendation in enumerate(document.data.get("recommendations") or []):
        if not isinstance(recommendation, dict):
            continue
        for t, theme in enumerate(recommendation.get("themes") or []):
            if isinstance(theme, str):
                path = ("recommendations", r, "themes", t)
                line, column = document.position(path)
                number = recommendation.get("number")
                refs.append(ThemeRef(theme, line, column, json_path(path), f"recommendation {number}"))
    return refs


def unknown_theme_problems(vocabulary: Vocabulary, files: List[Tuple[str, List[ThemeRef]]]) -> List[Problem]:
    """A warning for each theme the vocabulary does not name, with the closest name it does."""
    where = " or ".join(vocabulary.files)
    problems = []
    for file, refs in files:
        for ref in refs:
            if vocabulary.knows(ref.theme):
                continue
            closest = vocabulary.closest(ref.theme)
            hint = f"; did you mean {closest!r}?" if closest else ""
            problems.append(
                Problem(
                    file,
                    ref.line,
                    ref.column,
                    ref.path,
                    WARNING,
                    f"{ref.subject}: theme {ref.theme!r} is not in {where}{hint} (add it there if it is a new theme)",
                )
            )
    return problems
