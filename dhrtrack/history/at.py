"""The plans as they stood at a git revision (`--at REV`): read from git's objects, never from the
work tree or the index, so last quarter's paper can be made again exactly as it was."""

from __future__ import annotations

import os
from typing import List, Sequence, Tuple

from dhrtrack.history.changes import display_path, repo_paths
from dhrtrack.history.git import Repo
from dhrtrack.history.versions import Side, line_break_problem
from dhrtrack.plan import registry, store
from dhrtrack.plan.discovery import REGISTRY_NAMES


def load_at(revision: str, paths: Sequence[str], use_cache: bool = True, detail: str = store.MODEL) -> store.Loaded:
    """Every plan under PATHS (default: the repository's plans/) at the revision, checked as
    the files are, with the agency registry of that revision."""
    with Repo(".") as repo:
        commit = repo.resolve(revision)
        side = Side(repo, commit, revision)
        within = repo_paths(repo.root, list(paths))
        plans: List[Tuple[str, bytes]] = []
        left_out: List[store.Invalid] = []
        for path in side.files(within):
            if "\n" in path:  # git's batch reader cannot name such a file: left out, the others go on
                shown = display_path(repo.root, path).replace("\n", "\\n")
                left_out.append(store.Invalid(shown, [line_break_problem(shown)]))
                continue
            raw = side.read(path)
            if raw is not None:
                plans.append((display_path(repo.root, path), raw))
        registries: List[Tuple[str, bytes]] = []
        for path in repo.ls_tree(commit, within):
            raw = side.read(path) if os.path.basename(path) in REGISTRY_NAMES and "\n" not in path else None
            if raw is not None:
                registries.append((display_path(repo.root, path), raw))
    loaded = store.load_blobs(plans, use_cache, detail)
    loaded.registry = registry.load_blobs(registries)[0]
    loaded.files += [invalid.file for invalid in left_out]
    loaded.invalid += left_out
    return loaded
