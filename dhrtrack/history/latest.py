"""The commit the plans were last changed in: what a published site says it was built from
("last updated"), from git rather than the clock, so two builds of the same plans are the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.history.changes import repo_paths
from dhrtrack.history.git import Repo, _run
from dhrtrack.i18n import _


@dataclass(frozen=True)
class LastCommit:
    sha: str
    date: str  # the commit's date, YYYY-MM-DD
    uncommitted: bool = False  # the plans in the work tree differ from that commit


def last_commit(
    paths: Sequence[str], at: Optional[str] = None, start: str = "."
) -> Tuple[Optional[LastCommit], Optional[str]]:
    """The last commit (up to `at`, or HEAD) that changed the plans under PATHS, or None with the
    reason in words (not a git repository, no commits yet)."""
    try:
        with Repo(start) as repo:
            if not repo.has_commits():
                return None, _("no commits yet")
            within = repo_paths(repo.root, list(paths))
            revision = repo.resolve(at) if at else "HEAD"
            out = _run(["log", "-1", "--format=%H%x1f%cI", revision, "--", *within], repo.root)
            if not out.strip():
                return None, _("the plans have no commits yet")
            sha, date = out.decode("utf-8", "replace").strip().split("\x1f")
            dirty = False
            if at is None:
                dirty = bool(_run(["status", "--porcelain", "-z", "--", *within], repo.root).strip())
            return LastCommit(sha, date[:10], dirty), None
    except DhrtrackError as error:
        if not error.usage:
            raise
        return None, str(error).splitlines()[0]
