"""The timeline of one action or one plan through git: one entry per commit that changed it,
renames followed, with the action's RAG and target after each commit and every target slip."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from dhrtrack.errors import DhrtrackError, UsageError
from dhrtrack.history.changes import Change, action_state, describe, diff_plans, display_path, is_slip, repo_paths
from dhrtrack.history.git import Commit, Repo
from dhrtrack.history.versions import Side
from dhrtrack.i18n import _
from dhrtrack.plan.discovery import is_plan_path
from dhrtrack.plan.model import plan_name
from dhrtrack.plan.store import parse_bytes


@dataclass
class Entry:
    commit: str  # abbreviated
    date: str  # YYYY-MM-DD, the author date
    author: str
    rag: Optional[str]  # the action's, after the commit (None for a whole plan)
    target: Optional[str]
    changes: List[Change]
    descriptions: List[str]  # one per change, in words

    def as_dict(self) -> dict:
        """The JSON shape of one `dhrtrack history --format json` entry."""
        return {
            "commit": self.commit,
            "date": self.date,
            "author": self.author,
            "rag": self.rag,
            "target": self.target,
            "changes": [dict(c.as_dict(), description=d) for c, d in zip(self.changes, self.descriptions)],
        }


@dataclass
class Timeline:
    ref: str
    is_action: bool
    entries: List[Entry] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)  # versions that were not valid plans, said in words
    shallow: bool = False  # the clone's history is cut short (git fetch --unshallow)

    @property
    def slips(self) -> List[Tuple[Entry, Change]]:
        return [(e, c) for e in self.entries for c in e.changes if is_slip(c)]

    def document(self) -> dict:
        return {"ref": self.ref, "entries": [e.as_dict() for e in self.entries]}


def short(sha: str) -> str:
    return sha[:9]


def _find_plan(repo: Repo, plans_paths: List[str], plan: Optional[str], ident: str) -> Tuple[str, Optional[str]]:
    """(repository-relative path of the plan, action id or None) for a REF: the plan is looked
    for in the work tree, then at HEAD, then among the plans a commit deleted."""
    if not repo.has_commits():
        raise UsageError(
            _("this repository has no commits yet: history reads plans from commits (git add plans && git commit)")
        )
    head = repo.resolve("HEAD")
    candidates: Dict[str, Tuple[Optional[Side], str]] = {}
    for side in [Side(repo, None, "worktree"), Side(repo, head, "HEAD")]:
        for path in side.files(plans_paths):
            candidates.setdefault(plan_name(path), (side, path))
    for path in repo.deleted_files(plans_paths):
        if is_plan_path(path):
            candidates.setdefault(plan_name(path), (None, path))
    if plan is not None:
        if plan not in candidates:
            known = ", ".join(sorted(candidates)) or "none"
            raise UsageError(f"no plan named {plan!r} (plans are named by file stem: {known})")
        return candidates[plan][1], ident
    if ident in candidates:
        return candidates[ident][1], None
    holders = []
    for name, (holder, path) in sorted(candidates.items()):
        raw = holder.read(path) if holder is not None else None
        data = parse_bytes(raw, path)[0] if raw is not None else None
        if data and action_state(data, ident) is not None:
            holders.append(name)
    if not holders:
        raise UsageError(f"no plan named {ident!r} and no action with id {ident!r} in the plans")
    if len(holders) > 1:
        options = ", ".join(f"{h}:{ident}" for h in holders)
        raise UsageError(f"action {ident!r} is in several plans; say which: {options}")
    return candidates[holders[0]][1], ident


def _recommendation_of(plan: dict, ident: str) -> Optional[int]:
    for rec in plan["recommendations"]:
        if any(a["id"] == ident for a in rec["actions"]):
            return int(rec["number"])
    return None


def timeline(ref: str, paths: Sequence[str] = (), start: str = ".") -> Timeline:
    """REF is [plan:]action-id, or a plan's name for the whole plan."""
    plan, _, ident = ref.rpartition(":")
    if not ident:
        raise UsageError(f"{ref!r} is not a reference: write plan:action-id, action-id or plan")
    with Repo(start) as repo:
        path, action_id = _find_plan(repo, repo_paths(repo.root, list(paths)), plan or None, ident)
        result = Timeline(ref, action_id is not None, shallow=repo.is_shallow())
        previous: Optional[dict] = None
        seen = action_id is None  # the action was in some version of the plan
        for commit in repo.log(path):
            if commit.deleted:
                if previous is not None:
                    _removed(result, commit, display_path(repo.root, commit.path), previous, action_id)
                previous = None
                continue
            raw = repo.read(commit.sha, commit.path)
            if raw is None:
                continue
            data, problem = parse_bytes(raw, commit.path)
            if data is None:
                assert problem is not None
                result.skipped.append(
                    f"{commit.path} at {short(commit.sha)}: not a valid plan ({problem.line}:"
                    f"{problem.column}: {problem.message}); this version is skipped"
                )
                continue
            file = display_path(repo.root, commit.path)
            changes = diff_plans(previous, data, file)
            if action_id is not None:
                changes = [c for c in changes if c.action == action_id]
                if previous is None and action_state(data, action_id) is not None:
                    changes = [
                        Change(
                            data["review"]["id"],
                            file,
                            _recommendation_of(data, action_id),
                            action_id,
                            "added",
                            None,
                            None,
                            None,
                        )
                    ]
                if not changes:
                    previous = data
                    continue
            state = action_state(data, action_id) if action_id else None
            seen = seen or state is not None
            result.entries.append(
                Entry(
                    commit=short(commit.sha),
                    date=commit.date[:10],
                    author=commit.author,
                    rag=state.get("rag") if state else None,
                    target=state.get("target") if state else None,
                    changes=changes,
                    descriptions=[describe(c, previous, data) for c in changes],
                )
            )
            previous = data
        if not seen and not result.skipped:
            name = plan_name(path)
            raise DhrtrackError(
                f"no action {action_id!r} in plan {name!r} at any commit: see its actions with: dhrtrack history {name}"
            )
    return result


def _removed(result: Timeline, commit: "Commit", file: str, previous: dict, action_id: Optional[str]) -> None:
    """The commit that deleted the plan: its last entry."""
    changes = diff_plans(previous, None, file)
    if action_id is not None:
        if action_state(previous, action_id) is None:
            return
        changes = [
            Change(
                previous["review"]["id"],
                file,
                _recommendation_of(previous, action_id),
                action_id,
                "removed",
                None,
                None,
                None,
            )
        ]
    result.entries.append(
        Entry(
            short(commit.sha),
            commit.date[:10],
            commit.author,
            None,
            None,
            changes,
            [describe(c, previous, None) for c in changes],
        )
    )
