"""Comparing two versions of a plan: recommendations matched by number, actions by id, never by
position. Changes are values (one per changed field); `describe` says them in words. `diff_revisions`
assembles the changes between two revisions (or a revision and the work tree), renames followed.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from dhrtrack.errors import UsageError
from dhrtrack.i18n import _, n_
from dhrtrack.plan.dates import due_date, duration_words, is_month, month_difference, months_words
from dhrtrack.plan.model import ACTION_FIELDS as _ACTION_FIELDS
from dhrtrack.plan.model import RECOMMENDATION_FIELDS as _RECOMMENDATION_FIELDS
from dhrtrack.plan.model import REVIEW_FIELDS
from dhrtrack.plan.problems import Problem
from dhrtrack.wording import plural, rag_word

# The fields compared, in the house order: what identifies an item (number, id) and what holds
# the items (actions) are not fields that change.
RECOMMENDATION_FIELDS = tuple(f for f in _RECOMMENDATION_FIELDS if f not in ("number", "actions"))
ACTION_FIELDS = tuple(f for f in _ACTION_FIELDS if f != "id")


@dataclass(frozen=True)
class Change:
    review: str
    file: str
    recommendation: Optional[int]
    action: Optional[str]
    change: str  # added | removed | changed
    field: Optional[str]
    old: Any
    new: Any

    def as_dict(self) -> dict:
        return {
            "review": self.review,
            "file": self.file,
            "recommendation": self.recommendation,
            "action": self.action,
            "change": self.change,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


def _actions(plan: dict) -> Dict[str, tuple]:
    """id -> (recommendation number, action) in document order."""
    out: Dict[str, tuple] = {}
    for rec in plan.get("recommendations", []):
        for action in rec.get("actions", []):
            out[action["id"]] = (rec["number"], action)
    return out


def diff_plans(old: Optional[dict], new: Optional[dict], file: str) -> List[Change]:
    """Changes from old to new (None: the plan does not exist on that side)."""
    if old is None and new is None:
        return []
    review = (new or old or {}).get("review", {}).get("id", "")
    if old is None:
        return [Change(review, file, None, None, "added", None, None, None)]
    if new is None:
        return [Change(review, file, None, None, "removed", None, None, None)]
    changes: List[Change] = []
    for name in REVIEW_FIELDS:
        a, b = old["review"].get(name), new["review"].get(name)
        if a != b:
            changes.append(Change(review, file, None, None, "changed", f"review.{name}", a, b))

    old_recs = {r["number"]: r for r in old.get("recommendations", [])}
    new_recs = {r["number"]: r for r in new.get("recommendations", [])}
    old_actions, new_actions = _actions(old), _actions(new)
    order = list(new_recs) + [n for n in old_recs if n not in new_recs]
    for number in order:
        a, b = old_recs.get(number), new_recs.get(number)
        if a is None:
            changes.append(Change(review, file, number, None, "added", None, None, None))
        elif b is None:
            changes.append(Change(review, file, number, None, "removed", None, None, None))
        else:
            for name in RECOMMENDATION_FIELDS:
                if a.get(name) != b.get(name):
                    changes.append(Change(review, file, number, None, "changed", name, a.get(name), b.get(name)))
        # Actions listed under this recommendation on either side, new order first.
        ids = [x["id"] for x in (b or {}).get("actions", [])]
        ids += [x["id"] for x in (a or {}).get("actions", []) if x["id"] not in ids and x["id"] not in new_actions]
        for ident in ids:
            changes.extend(_action_changes(review, file, ident, old_actions.get(ident), new_actions.get(ident)))
    return changes


def _action_changes(review: str, file: str, ident: str, old: Optional[tuple], new: Optional[tuple]) -> Iterator[Change]:
    if old is None:
        assert new is not None
        yield Change(review, file, new[0], ident, "added", None, None, None)
        return
    if new is None:
        yield Change(review, file, old[0], ident, "removed", None, None, None)
        return
    (old_rec, a), (new_rec, b) = old, new
    if old_rec != new_rec:
        yield Change(review, file, new_rec, ident, "changed", "recommendation", old_rec, new_rec)
    for name in ACTION_FIELDS:
        if a.get(name) != b.get(name):
            yield Change(review, file, new_rec, ident, "changed", name, a.get(name), b.get(name))


def action_state(plan: Optional[dict], ident: str) -> Optional[dict]:
    found = _actions(plan).get(ident) if plan else None
    return found[1] if found else None


def action_count(plan: dict) -> int:
    return len(_actions(plan))


# --- words ----------------------------------------------------------------------------------


def slip(old: str, new: str) -> Optional[str]:
    """How far a target moved: "slipped 4 months", "brought forward 12 days"; None if unknown."""
    a, b = due_date(old), due_date(new)
    if a is None or b is None or a == b:
        return None
    if is_month(old) and is_month(new):  # say it in months (and years)
        amount = months_words(abs(month_difference(old, new)))
    else:  # in the words every duration is said in: "13 years 5 months", "12 days"
        amount = duration_words(min(a, b), max(a, b))
    return (_("slipped {amount}") if b > a else _("brought forward {amount}")).format(amount=amount)


def is_slip(change: Change) -> bool:
    if change.field != "target" or not change.old or not change.new:
        return False
    a, b = due_date(change.old), due_date(change.new)
    return a is not None and b is not None and b > a


def word_diff(old: str, new: str, context: int = 4, limit: int = 240) -> str:
    """A short word-level diff in git's plain style: "... kept [-removed-] {+added+} kept ..."."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    parts: List[str] = []
    opcodes = matcher.get_opcodes()
    for i, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = i == 0, i == len(opcodes) - 1
            if len(words) > context * 2 or (first and len(words) > context) or (last and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                parts.append(" ".join(head + ["…"] + tail))
            else:
                parts.append(" ".join(words))
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    text = " ".join(p for p in parts if p)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: Any, limit: int = 80) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _list_diff(old: Optional[list], new: Optional[list]) -> str:
    a, b = list(old or []), list(new or [])
    parts = [f"+ {_short(x)}" for x in b if x not in a] + [f"- {_short(x)}" for x in a if x not in b]
    return "; ".join(parts) if parts else "reordered"


def _update(entry: dict) -> str:
    bits = [f"{k} {entry[k]}" for k in ("rag", "target", "completed", "lead", "owner") if k in entry]
    if "outcome" in entry:
        bits.append("outcome recorded")
    if "evidence" in entry:
        bits.append("evidence added")
    if "note" in entry:
        bits.append(f"note: {_short(entry['note'], 60)}")
    if "by" in entry:
        bits.append(f"by {_short(entry['by'], 40)}")
    return f"{entry.get('date')}: " + (", ".join(bits) if bits else "(no values)")


def describe(change: Change, old_plan: Optional[dict] = None, new_plan: Optional[dict] = None) -> str:
    """One line saying what changed, for tables, markdown and history."""
    if change.change in ("added", "removed"):
        plan = new_plan if change.change == "added" else old_plan
        if change.action is not None:
            action = action_state(plan, change.action) if plan else None
            if action is None:
                return f"action {change.change}"
            bits = [f"lead {action['lead']}"]
            if action.get("target"):
                bits.append(f"target {action['target']}")
            bits.append(f"rag {action['rag']}" if action.get("rag") else "unrated")
            return f"action {change.change}: {_short(action['action'], 60)} ({', '.join(bits)})"
        if change.recommendation is not None:
            rec = next(
                (r for r in (plan or {}).get("recommendations", []) if r["number"] == change.recommendation), None
            )
            text = f": {_short(rec['text'], 70)}" if rec else ""
            return f"recommendation {change.change}{text}"
        if plan:
            recs = len(plan.get("recommendations", []))
            actions = action_count(plan)
            return (
                _("plan added ({recommendations}, {actions})")
                if change.change == "added"
                else _("plan removed ({recommendations}, {actions})")
            ).format(
                recommendations=n_("{n} recommendation", "{n} recommendations", recs).format(n=recs),
                actions=n_("{n} action", "{n} actions", actions).format(n=actions),
            )
        return _("plan added") if change.change == "added" else _("plan removed")
    field, old, new = change.field, change.old, change.new
    if field == "rag":
        return _("rag: {old} → {new}").format(old=rag_word(old), new=rag_word(new))
    if field == "target":
        if old is None:
            return _("target set: {new}").format(new=new)
        if new is None:
            return _("target removed (was {old})").format(old=old)
        moved = slip(old, new)
        return _("target: {old} → {new}").format(old=old, new=new) + (f", {moved}" if moved else "")
    if field == "completed":
        if old is None:
            return _("completion recorded: {new}").format(new=new)
        if new is None:
            return _("completion date removed (was {old})").format(old=old)
        return _("completed: {old} → {new}").format(old=old, new=new)
    if field == "recommendation":
        return f"moved from recommendation {old} to {new}"
    if field in ("milestones", "evidence", "import_notes"):
        return f"{field}: {_list_diff(old, new)}"
    if field == "updates":
        a, b = list(old or []), list(new or [])
        added = [u for u in b if u not in a]
        removed = [u for u in a if u not in b]
        parts = [f"+ update {_update(u)}" for u in added] + [f"- update {_update(u)}" for u in removed]
        return "; ".join(parts) if parts else "updates reordered"
    if old is None:
        return f"{field} set: {_short(new)}"
    if new is None:
        return f"{field} removed (was: {_short(old)})"
    if isinstance(old, str) and isinstance(new, str):
        return f"{field}: {word_diff(old, new)}"
    return f"{field}: {old} → {new}"


# --- the changes between two revisions ---------------------------------------------------------


ChangeInContext = Tuple[Change, Optional[dict], Optional[dict]]  # with the old and new plan


@dataclass
class Diff:
    old_label: str  # as the user wrote it
    new_label: str  # a revision, or "worktree"
    changes: List[ChangeInContext] = field(default_factory=list)  # file order, then document order
    left_out: List[Tuple[str, Problem]] = field(default_factory=list)  # (where, first error) of invalid plans

    def document(self) -> dict:
        """The JSON shape of `dhrtrack diff --format json`."""
        return {"from": self.old_label, "to": self.new_label, "changes": [c.as_dict() for c, _o, _n in self.changes]}


def repo_paths(root: str, paths: Sequence[str]) -> List[str]:
    """Repository-relative paths for the user's PATHS (relative to the current directory), or the
    repository's plans/ directory when none are given."""
    from dhrtrack.plan.discovery import default_plans_dir

    if not paths:
        default = default_plans_dir()
        if default is None:
            raise UsageError("no plans/ directory here or in the directories above: name the plan paths after --")
        paths = [default]
    out = []
    for path in paths:
        if path.startswith(":"):
            # git would read ':(glob)**' or ':!x' as pathspec magic; dhrtrack gives git paths
            # only, taken literally.
            raise UsageError(
                f"{path!r} is git pathspec magic, which dhrtrack does not take: name plan files or directories "
                f"as they are (a file whose name starts with ':' is ./{path})"
            )
        if os.path.relpath(os.path.abspath(path), root).split(os.sep)[0] == "..":
            raise UsageError(f"{path} is outside the git repository at {root}")
        # git knows a linked directory (plans -> data/plans) as a link, not as the files in it:
        # it is asked for the path the link leads to.
        rel = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
        if rel.split(os.sep)[0] == "..":
            raise UsageError(
                f"{path} leads outside the git repository at {root} through a symbolic link: dhrtrack does not "
                "follow it; replace the link with the directory itself"
            )
        out.append(rel if rel != "." else "")
    return out or [""]


def display_path(root: str, path: str) -> str:
    """A repository-relative path as the user would type it from the current directory."""
    return os.path.relpath(os.path.join(root, path))


def diff_revisions(revisions: Sequence[str], paths: Sequence[str], start: str = ".", use_cache: bool = True) -> Diff:
    """Like git diff: no revision compares the work tree with HEAD, one compares the work tree
    with it, two compare the first with the second. Each version read is checked through the
    content cache unless use_cache is False."""
    from dhrtrack.history.git import Repo
    from dhrtrack.history.versions import Side, compare

    if len(revisions) > 2:
        raise UsageError("give at most two revisions; put paths after --")
    with Repo(start) as repo:
        old_rev = revisions[0] if revisions else "HEAD"
        old = Side(repo, repo.resolve(old_rev), old_rev)
        new = (
            Side(repo, repo.resolve(revisions[1]), revisions[1])
            if len(revisions) == 2
            else Side(repo, None, "worktree")
        )
        comparison = compare(old, new, repo_paths(repo.root, paths), use_cache)
        result = Diff(old.label, new.label, left_out=list(comparison.problems))
        for pair in comparison.pairs:
            file = display_path(repo.root, pair.path)
            if pair.old is not None and pair.new is not None and pair.old_path != pair.new_path:
                renamed = Change(
                    pair.new["review"]["id"],
                    file,
                    None,
                    None,
                    "changed",
                    "file",
                    display_path(repo.root, pair.old_path or ""),
                    file,
                )
                result.changes.append((renamed, pair.old, pair.new))
            result.changes.extend((c, pair.old, pair.new) for c in diff_plans(pair.old, pair.new, file))
    return result


def summary(changes: Sequence[Change]) -> str:
    """ "5 changes in 2 plans: 2 RAG changes, 1 target slip." """
    if not changes:
        return "No changes to plan data."
    plans = len({c.file for c in changes})
    counts = {
        ("RAG change", ""): sum(1 for c in changes if c.field == "rag"),
        ("target slip", ""): sum(1 for c in changes if is_slip(c)),
        ("completion recorded", "completions recorded"): sum(
            1 for c in changes if c.field == "completed" and c.old is None
        ),
        ("action added", "actions added"): sum(1 for c in changes if c.change == "added" and c.action is not None),
        ("action removed", "actions removed"): sum(
            1 for c in changes if c.change == "removed" and c.action is not None
        ),
    }
    parts = [plural(n, word, many) for (word, many), n in counts.items() if n]
    head = f"{plural(len(changes), 'change')} in {plural(plans, 'plan')}"
    return head + (": " + ", ".join(parts) if parts else "") + "."
