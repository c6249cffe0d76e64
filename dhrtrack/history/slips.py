"""Every target slip in the plans' git history: each commit that moved an action's target to a
later date, per plan (by the file's current name, renames followed) and action id. What `stats`
counts as target_slips and months_slipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.history.changes import repo_paths
from dhrtrack.history.git import Repo
from dhrtrack.i18n import _
from dhrtrack.plan import cache
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


def rating_and_target_changes(
    paths: Sequence[str], at: Optional[str] = None, start: str = ".", use_cache: bool = True
) -> Recorder:
    """Every change of an action's rating or target in the history of the plans under PATHS (up
    to the revision `at`, or HEAD), oldest first, each under the plan's latest name (renames
    followed). One `git log` for the whole directory, and each changed version read once.
    Outside a git repository: none, with a note saying why. With use_cache False (--no-cache)
    the history is walked afresh and every version checked afresh."""
    recorder = Recorder()
    try:
        with Repo(start) as repo:
            if not repo.has_commits():
                recorder.note = _("no commits yet: no changes recorded")
                return recorder
            until = repo.resolve(at) if at else None
            if repo.is_shallow():
                recorder.note = _(
                    "a shallow clone: changes before its first commit are missing (git fetch --unshallow)"
                )
            within = repo_paths(repo.root, list(paths))
            # The history up to a commit is fixed while the shallow boundary, the grafts and the
            # replace refs stay as they are: the walk's result is cached under all of them.
            kept = cache.Cache(use_cache)
            # "full-ids": changes name their commit by its full id (entries cached before named 9 characters).
            key = "\0".join(
                ["full-ids", until or repo.resolve("HEAD"), repo.history_state() if kept.on else ""] + within
            )
            cached = _cached(kept, repo.root, key)
            if cached is not None:
                recorder.changes = cached
                return recorder
            _walk(repo, within, until, recorder, use_cache)
            _cache(kept, repo.root, key, recorder.changes)
    except DhrtrackError as error:
        if not error.usage:
            raise
        recorder.note = str(error).splitlines()[0]
    return recorder


States = Dict[str, Tuple[Optional[str], Optional[str]]]  # action id -> (rag, target)
_CHUNK = 256  # versions read and parsed at a time: memory stays bounded at national scale


def _states(job: Tuple[str, bytes, bool]) -> Optional[States]:
    """Each action's rating and target in one version (None when it is not a valid plan): all
    the walk compares, small enough to come back from a worker process."""
    path, raw, use_cache = job
    data = parse_bytes(raw, path, use_cache)[0]
    if data is None:
        return None
    return {a["id"]: (a.get("rag"), a.get("target")) for r in data["recommendations"] for a in r["actions"]}


def _walk(repo: Repo, within: List[str], until: Optional[str], recorder: Recorder, use_cache: bool) -> None:
    from dhrtrack.plan.parallel import parallel_map

    # A lineage is one plan file through its renames; its changes are named by its last path.
    lineage_of: Dict[str, int] = {}
    last_path: Dict[int, str] = {}
    versions: List[Tuple[int, str, str, str]] = []  # lineage, commit, date, path: in history order
    for sha, date, entries in repo.log_changes(within, until):
        for status, names in entries:
            if status == "D":
                gone = lineage_of.pop(names[0], None)
                if gone is not None:
                    versions.append((gone, sha, date, ""))  # deleted: the next version starts afresh
                continue
            if status == "R":
                lineage = lineage_of.pop(names[0], len(last_path))
            else:
                lineage = lineage_of.get(names[-1], len(last_path))
            path = names[-1]
            lineage_of[path] = lineage
            last_path[lineage] = path
            if is_plan_path(path):
                versions.append((lineage, sha, date, path))
    latest: Dict[int, States] = {}
    found: List[Tuple[int, Recorded]] = []  # with the lineage: its plan is named once the walk ends
    for start in range(0, len(versions), _CHUNK):
        chunk = versions[start : start + _CHUNK]
        jobs = [(path, repo.read(sha, path) or b"", use_cache) for _lineage, sha, _date, path in chunk if path]
        parsed = iter(parallel_map(_states, jobs))
        for lineage, sha, date, path in chunk:
            if not path:
                latest.pop(lineage, None)
                continue
            states = next(parsed)
            if states is None:
                continue  # not a valid plan in that commit: compared from the next valid one
            previous = latest.get(lineage)
            if previous is not None:
                found += [(lineage, change) for change in _compare(previous, states, date[:10], sha)]
            latest[lineage] = states
    for lineage, change in found:
        change.plan = plan_name(last_path[lineage])
        recorder.changes.append(change)


def _compare(before: States, after: States, day: str, commit: str) -> List[Recorded]:
    """The rating and target changes from one version of a plan to the next (plan named later)."""
    changes = []
    for ident, (rag, target) in after.items():
        old = before.get(ident)
        if old is None:
            continue  # a new action: nothing moved
        if old[0] != rag:
            changes.append(Recorded("", ident, "rag", old[0], rag, day, commit, False))
        if old[1] != target:
            a, b = due_date(old[1]) if old[1] else None, due_date(target) if target else None
            slip = a is not None and b is not None and b > a
            changes.append(Recorded("", ident, "target", old[1], target, day, commit, slip))
    return changes


def _cached(kept: cache.Cache, root: str, key: str) -> Optional[List[Recorded]]:
    value = kept.listing(root, "changes").get(key)
    if not isinstance(value, list) or not all(_recorded_ok(item) for item in value):
        return None
    return [Recorded(*item) for item in value]


def _recorded_ok(item: object) -> bool:
    return (
        isinstance(item, tuple)
        and len(item) == 8
        and all(isinstance(v, str) for v in item[:3] + item[5:7])
        and all(v is None or isinstance(v, str) for v in item[3:5])
        and isinstance(item[7], bool)
    )


def _cache(kept: cache.Cache, root: str, key: str, changes: List[Recorded]) -> None:
    entries = kept.listing(root, "changes")
    if len(entries) > 16:  # a few revisions are worth keeping (HEAD, last quarter's tag), not every one
        entries = {}
    entries[key] = [(c.plan, c.action, c.field, c.old, c.new, c.date, c.commit, c.slip) for c in changes]
    kept.keep_listing(root, "changes", entries)


def target_slips(paths: Sequence[str], at: Optional[str] = None, start: str = ".", use_cache: bool = True) -> SlipIndex:
    """Every target slip in the history of the plans under PATHS (see rating_and_target_changes)."""
    recorder = rating_and_target_changes(paths, at, start, use_cache)
    index = SlipIndex(note=recorder.note)
    for change in recorder.changes:
        if change.slip:
            assert change.old is not None and change.new is not None
            index.slips.setdefault((change.plan, change.action), []).append(
                Slip(change.old, change.new, change.date, change.commit)
            )
    return index
