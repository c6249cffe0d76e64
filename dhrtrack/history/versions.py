"""Plans at a revision or in the work tree, paired across two sides for `diff`, and the versions
of one plan through its history for `history`."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from dhrtrack.history.git import GitError, Repo
from dhrtrack.plan.discovery import discover_all, is_plan_path
from dhrtrack.plan.files import Unreadable, read_bytes
from dhrtrack.plan.problems import ERROR, Problem
from dhrtrack.plan.store import parse_bytes


def line_break_problem(path: str) -> Problem:
    """A file whose name holds a line break: git's batch reader cannot be asked for it, so it is
    left out (the others go on)."""
    return Problem(
        path, 1, 1, "$", ERROR, "the file name holds a line break, so git cannot be asked for it: rename the file"
    )


@dataclass
class Side:
    """One side of a comparison: a commit, or the work tree (commit None)."""

    repo: Repo
    commit: Optional[str]
    label: str  # as the user wrote it: a revision, or "worktree"
    refused: List[Tuple[str, str]] = field(default_factory=list)  # work tree: (path, why) not read

    def files(self, paths: Sequence[str]) -> List[str]:
        """Plan files (relative to the repository root) under paths (also root-relative)."""
        if self.commit is not None:
            return [p for p in self.repo.ls_tree(self.commit, paths) if is_plan_path(p)]
        found, refused = discover_all(
            [os.path.join(self.repo.root, p) for p in paths if os.path.exists(os.path.join(self.repo.root, p))]
        )
        self.refused = [(os.path.relpath(r.path, self.repo.root), r.reason) for r in refused]
        return [os.path.relpath(f, self.repo.root) for f in found]

    def read(self, path: str) -> Optional[bytes]:
        if self.commit is not None:
            return self.repo.read(self.commit, path)
        full = os.path.join(self.repo.root, path)
        if not os.path.lexists(full):
            return None
        try:
            return read_bytes(full)
        except Unreadable as error:
            raise GitError(f"{path}: {error}") from None

    def where(self, path: str) -> str:
        return path if self.commit is None else f"{path} at {self.label}"


@dataclass
class Pair:
    old_path: Optional[str]
    new_path: Optional[str]
    old: Optional[dict] = None
    new: Optional[dict] = None

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""


@dataclass
class Comparison:
    pairs: List[Pair] = field(default_factory=list)
    problems: List[Tuple[str, Problem]] = field(default_factory=list)  # (where, first error)


def compare(old: Side, new: Side, paths: Sequence[str], use_cache: bool = True) -> Comparison:
    """Pair the plans of two sides by path, then by git's rename detection, then by review id."""
    result = Comparison()
    old_files, new_files = old.files(paths), new.files(paths)
    # A plan with the same content on both sides cannot hold a change: it is not read at all, so
    # the cost of a diff follows what changed, not the size of the tree.
    unchanged: Set[str] = set()
    if old.commit is not None:
        unchanged = (set(old_files) & set(new_files)) - old.repo.changed_paths(old.commit, new.commit, paths)
    for side in (old, new):
        result.problems += [(side.where(path), Problem(path, 1, 1, "$", ERROR, why)) for path, why in side.refused]
    old_data: Dict[str, dict] = {}
    new_data: Dict[str, dict] = {}
    for side, files, store in ((old, old_files, old_data), (new, new_files, new_data)):
        for path in files:
            if path in unchanged:
                continue
            if "\n" in path:  # git's batch reader cannot name such a file: left out, the others go on
                result.problems.append(
                    (
                        side.where(path.replace("\n", "\\n")),
                        line_break_problem(path),
                    )
                )
                continue
            raw = side.read(path)
            if raw is None:
                continue
            data, problem = parse_bytes(raw, path, use_cache)
            if data is None:
                assert problem is not None
                result.problems.append((side.where(path), problem))
                continue
            store[path] = data
    old_only = [p for p in old_data if p not in new_data]
    new_only = [p for p in new_data if p not in old_data]
    pairs = [Pair(p, p, old_data[p], new_data[p]) for p in new_data if p in old_data]
    if old_only and new_only and old.commit is not None:
        for before, after in old.repo.renames(old.commit, new.commit, paths):
            if before in old_only and after in new_only:
                pairs.append(Pair(before, after, old_data[before], new_data[after]))
                old_only.remove(before)
                new_only.remove(after)
    by_review: Dict[str, str] = {}
    for path in old_only:
        by_review.setdefault(old_data[path]["review"]["id"], path)
    for path in list(new_only):
        earlier = by_review.pop(new_data[path]["review"]["id"], None)
        if earlier is not None and earlier in old_only:
            pairs.append(Pair(earlier, path, old_data[earlier], new_data[path]))
            old_only.remove(earlier)
            new_only.remove(path)
    pairs += [Pair(p, None, old_data[p], None) for p in old_only]
    pairs += [Pair(None, p, None, new_data[p]) for p in new_only]
    pairs.sort(key=lambda pair: pair.path)
    result.pairs = pairs
    return result
