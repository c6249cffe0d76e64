"""Every target slip in the plans' git history: each commit that moved an action's target to a
later date, per plan (by the file's current name, renames followed) and action id. What `stats`
counts as target_slips and months_slipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.history.changes import diff_plans, display_path, is_slip, repo_paths
from dhrtrack.history.git import Repo
from dhrtrack.history.versions import Side
from dhrtrack.plan.dates import due_date
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


def target_slips(paths: Sequence[str], at: Optional[str] = None, start: str = ".") -> SlipIndex:
    """Every target slip in the history of the plans under PATHS (up to the revision `at`, or
    HEAD). Outside a git repository, an empty index with a note saying so."""
    index = SlipIndex()
    try:
        with Repo(start) as repo:
            if not repo.has_commits():
                index.note = "no commits yet: no target slips counted"
                return index
            until = repo.resolve(at) if at else None
            within = repo_paths(repo.root, list(paths))
            side = Side(repo, until, at or "HEAD") if until else Side(repo, None, "worktree")
            if repo.is_shallow():
                index.note = "a shallow clone: slips before its first commit are not counted (git fetch --unshallow)"
            for path in side.files(within):
                name = plan_name(path)
                previous: Optional[dict] = None
                for commit in repo.log(path, until):
                    if commit.deleted:
                        previous = None
                        continue
                    raw = repo.read(commit.sha, commit.path)
                    data = parse_bytes(raw, commit.path)[0] if raw is not None else None
                    if data is None:
                        continue  # not a valid plan in that commit: compared from the next valid one
                    if previous is not None:
                        for change in diff_plans(previous, data, display_path(repo.root, commit.path)):
                            if is_slip(change) and change.action is not None:
                                index.slips.setdefault((name, change.action), []).append(
                                    Slip(change.old, change.new, commit.date[:10], commit.sha[:9])
                                )
                    previous = data
    except DhrtrackError as error:
        if not error.usage:
            raise
        index.note = str(error).splitlines()[0]
    return index
