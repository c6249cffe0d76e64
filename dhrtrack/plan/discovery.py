"""Finding plan files: no YAML here, so commands that only need file names start fast."""

from __future__ import annotations

import os
from typing import Iterable, List, NamedTuple, Optional, Tuple

from dhrtrack.errors import UsageError

PLAN_SUFFIXES = (".yaml", ".yml")
REGISTRY_NAMES = ("agencies.yaml", "agencies.yml")
VOCABULARY_NAMES = ("themes.yaml", "themes.yml")
# Files that live beside plans but are not plans: the agency registry and the theme vocabulary.
NON_PLAN_NAMES = frozenset(REGISTRY_NAMES + VOCABULARY_NAMES)


class DiscoveryError(UsageError):
    """A path the user named does not exist (a usage error)."""


class Refused(NamedTuple):
    """A path found among the plans that is not read, and why (said as a problem, never skipped)."""

    path: str
    reason: str


def discover_all(paths: Iterable[str]) -> Tuple[List[str], List[Refused]]:
    """Plan files under the given files and directories, in a stable order, without duplicates,
    and what was found but refused: a link leading outside the repository, a pipe or device, a
    file too large to be a plan, a directory that cannot be read."""
    from dhrtrack.plan.files import refusal, repository_root

    found: List[str] = []
    refused: List[Refused] = []
    seen = set()

    def unreadable(error: OSError) -> None:  # os.walk's report of a directory it cannot list
        refused.append(Refused(str(error.filename), f"cannot read the directory: {error.strerror or error}"))

    for given in paths:
        root = repository_root(given)
        if os.path.isdir(given):
            candidates = []
            for dirpath, dirnames, filenames in os.walk(given, onerror=unreadable):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                candidates += [os.path.join(dirpath, name) for name in filenames if is_plan_path(name)]
            candidates.sort()
        elif os.path.exists(given) or os.path.islink(given):
            # agencies.yaml named on its own is checked as the registry (registry_files), not as a plan.
            candidates = [] if os.path.basename(given) in NON_PLAN_NAMES else [given]
        else:
            raise DiscoveryError(f"path does not exist: {given}")
        for candidate in candidates:
            key = os.path.normpath(candidate)
            if key in seen:
                continue
            seen.add(key)
            reason = refusal(candidate, root)
            if reason is None:
                found.append(candidate)
            else:
                refused.append(Refused(candidate, reason))
    return found, refused


def default_plans_dir(start: Optional[str] = None) -> Optional[str]:
    """The plans/ directory of the repository around start (default: the current directory).

    Walks up to the enclosing git repository's root (or the file-system root when not in one).
    """
    here = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(here, "plans")
        if os.path.isdir(candidate):
            return os.path.relpath(candidate) if start is None else candidate
        if os.path.exists(os.path.join(here, ".git")):
            return None
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def is_plan_path(path: str) -> bool:
    """Whether a file name (in the work tree or in git) is a plan's."""
    name = os.path.basename(path)
    return name.endswith(PLAN_SUFFIXES) and name not in NON_PLAN_NAMES and not name.startswith(".")


def is_registry(path: str) -> bool:
    return os.path.basename(path) in REGISTRY_NAMES


def is_vocabulary(path: str) -> bool:
    return os.path.basename(path) in VOCABULARY_NAMES


def registry_files(paths: Iterable[str]) -> List[str]:
    """The files that go with the plans: agencies.yaml and themes.yaml in each directory given,
    or beside each file given."""
    found: List[str] = []
    for path in paths:
        directory = path if os.path.isdir(path) else os.path.dirname(path) or "."
        for name in REGISTRY_NAMES + VOCABULARY_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and os.path.normpath(candidate) not in map(os.path.normpath, found):
                found.append(candidate)
    return found
