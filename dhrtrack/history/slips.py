"""Every target slip in the plans' git history: each commit that moved an action's target to a
later date, per plan (by the file's current name, renames followed) and action id. What `stats`
counts as target_slips and months_slipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.history.changes import Change, diff_plans, display_path, is_slip, repo_paths
from dhrtrack.history.git import Repo
from dhrtrack.plan.dates import due_date
from dhrtrack.plan.discovery import is_plan_path
from dhrtrack.plan.model import plan_name
from dhrtrack.plan.store import parse_bytes


@dataclass
class Slip:
    old: str  # the target before
    new: str  # the target after: later
    date: str  # the commit's date, YYYY-MM-DD
    commit: str

    @property
    def months(self) -> int:
        """Whole calendar months between the two due dates (2024-01 -> 2024-06: 5)."""
        a, b = due_date(self.old), due_date(self.new)
        assert a is not None and b is not None
        return (b.year - a.year) * 12 + (b.month - a.month)


@dataclass
class SlipIndex:
    slips: Dict[Tuple[str, str], List[Slip]] = field(default_factory=dict)  # (plan name, action id) -> slips
    note: Optional[str] = None  # why there is no history (not a git repository, a shallow clone)

    def of(self, plan: str, action: str) -> List[Slip]:
        return self.slips.get((plan, action), [])


@dataclass
class Recorded:
    """One change of an action's rating or target, with the commit that made it."""

    plan: str  # the plan's current name (file stem)
    action: str
    field: str  # rag | target
    old: Optional[str]
    new: Optional[str]
    date: str  # YYYY-MM-DD
    commit: str
    slip: bool  # a target moved to a later date


@dataclass
class Recorder:
    changes: List[Recorded] = field(default_factory=list)
    note: Optional[str] = None


def rating_and_target_changes(paths: Sequence[str], at: Optional[str] = None, start: str = ".") -> Recorder:
    """Every change of an action's rating or target in the history of the plans under PATHS (up
    to the revision `at`, or HEAD), oldest first, each under the plan's latest name (renames
    followed). One `git log` for the whole directory, and each changed version read once.
    Outside a git repository: none, with a note saying why."""
    recorder = Recorder()
    try:
        with Repo(start) as repo:
            if not repo.has_commits():
                recorder.note = "no commits yet: no changes recorded"
                return recorder
            until = repo.resolve(at) if at else None
            if repo.is_shallow():
                recorder.note = "a shallow clone: changes before its first commit are missing (git fetch --unshallow)"
            _walk(repo, repo_paths(repo.root, list(paths)), until, recorder)
    except DhrtrackError as error:
        if not error.usage:
            raise
        recorder.note = str(error).splitlines()[0]
    return recorder


def _walk(repo: Repo, within: List[str], until: Optional[str], recorder: Recorder) -> None:
    # A lineage is one plan file through its renames; its changes are named by its last path.
    lineage_of: Dict[str, int] = {}
    last_path: Dict[int, str] = {}
    latest: Dict[int, dict] = {}
    found: List[Tuple[int, Change, str, str]] = []
    for sha, date, entries in repo.log_changes(within, until):
        for status, names in entries:
            if status == "D":
                gone = lineage_of.pop(names[0], None)
                if gone is not None:
                    latest.pop(gone, None)
                continue
            if status == "R":
                lineage = lineage_of.pop(names[0], len(last_path))
            else:
                lineage = lineage_of.get(names[-1], len(last_path))
            path = names[-1]
            lineage_of[path] = lineage
            last_path[lineage] = path
            if not is_plan_path(path):
                continue
            raw = repo.read(sha, path)
            data = parse_bytes(raw, path)[0] if raw is not None else None
            if data is None:
                continue  # not a valid plan in that commit: compared from the next valid one
            previous = latest.get(lineage)
            if previous is not None:
                for change in diff_plans(previous, data, display_path(repo.root, path)):
                    if change.action is not None and change.change == "changed" and change.field in ("rag", "target"):
                        found.append((lineage, change, date[:10], sha[:9]))
            latest[lineage] = data
    for lineage, change, day, commit in found:
        recorder.changes.append(
            Recorded(
                plan_name(last_path[lineage]),
                change.action or "",
                change.field or "",
                change.old,
                change.new,
                day,
                commit,
                is_slip(change),
            )
        )


def target_slips(paths: Sequence[str], at: Optional[str] = None, start: str = ".") -> SlipIndex:
    """Every target slip in the history of the plans under PATHS (see rating_and_target_changes)."""
    recorder = rating_and_target_changes(paths, at, start)
    index = SlipIndex(note=recorder.note)
    for change in recorder.changes:
        if change.slip:
            assert change.old is not None and change.new is not None
            index.slips.setdefault((change.plan, change.action), []).append(
                Slip(change.old, change.new, change.date, change.commit)
            )
    return index
