"""Reading plans from git without touching the work tree or the index.

Every call runs the real `git` with an argument list (never a shell). Revisions given by users
are checked with `git rev-parse --verify --end-of-options`, so a revision cannot be taken for an
option. Blobs are read through one long-running `git cat-file --batch` process.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from typing import IO, List, Optional, Sequence, Set, Tuple

from dhrtrack.errors import DhrtrackError
from dhrtrack.i18n import _

MAX_BLOB = 16 * 1024 * 1024  # a plan is tens of kilobytes; anything this big is not a plan


class GitError(DhrtrackError):
    """A git problem to show the user as it is. `usage` marks the user's own mistakes (not in a
    repository, a revision that names nothing), which exit 2 like any other usage error."""


NOT_INSTALLED = "git is not installed or not on the PATH: dhrtrack needs it to read plan history"


class GitMissing(GitError):
    """No git to run: said as it is, never taken for "not inside a git repository"."""


def environment() -> dict:
    """The environment every git dhrtrack runs gets: no prompt, messages in English, and history
    as it was committed: replace refs (`git replace`) and the grafts file cannot change what a
    revision holds (GIT_NO_REPLACE_OBJECTS also turns grafts off; GIT_GRAFT_FILE makes sure),
    and paths are taken as written, never as pathspec magic or globs."""
    return dict(
        os.environ,
        GIT_TERMINAL_PROMPT="0",
        LC_ALL="C",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_GRAFT_FILE=os.devnull,
        GIT_LITERAL_PATHSPECS="1",
    )


def _run(args: Sequence[str], cwd: str, input_: Optional[bytes] = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=input_, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment()
        )
    except FileNotFoundError:
        if not os.path.isdir(cwd):
            raise
        raise GitMissing(NOT_INSTALLED) from None
    if done.returncode != 0:
        message = [line for line in done.stderr.decode("utf-8", "replace").strip().splitlines() if line[:5] != "hint:"]
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def repo_root(start: str = ".") -> str:
    try:
        out = _run(["rev-parse", "--show-toplevel"], start)
    except GitMissing:
        raise
    except GitError:
        # Said in the command's language: it is also the reason a paper or a page gives for
        # having no history.
        said = _("{path} is not inside a git repository: diff and history read plans from git")
        raise GitError(said.format(path=os.path.abspath(start)), usage=True) from None
    return os.fsdecode(out.rstrip(b"\n"))


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # author date, ISO 8601
    author: str
    path: str  # the plan's path at this commit (it may have been renamed since)
    deleted: bool = False  # this commit deleted the plan


class Repo:
    def __init__(self, start: str = "."):
        self.root = repo_root(start)
        self._batch: Optional[subprocess.Popen] = None

    # --- revisions ---------------------------------------------------------------------------

    def resolve(self, rev: str) -> str:
        """The commit a revision names. Raises GitError naming the revision when it names none."""
        if not rev or rev.startswith("-") or "\n" in rev or "\0" in rev:
            raise GitError(f"{rev!r} is not a revision", usage=True)
        if ".." in rev and any(part[:1] == "/" or part[-1:] == "/" for part in re.split(r"\.\.\.?", rev)):
            # A name with '..' as a path part (refs/heads/../../config): no branch or tag can be
            # called that (git check-ref-format), and it is no range (A..B) either.
            raise GitError(f"{rev!r} is not a revision: a branch or tag name cannot hold '..'", usage=True)
        if rev.startswith("^") or ".." in rev:
            raise GitError(
                f"{rev!r} is a range, not a revision: name one commit (a branch, a tag, HEAD~2 ...)", usage=True
            )
        try:
            out = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], self.root)
        except GitError:
            out = b""
        sha = out.decode("ascii", "replace").strip()
        if sha and not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
            raise GitError(f"{rev!r} does not name one commit: name a branch, a tag or a commit", usage=True)
        if not sha and rev == "HEAD" and not self.has_commits():
            raise GitError(
                "this repository has no commits yet: commit the plans first (git add plans && git commit), "
                "then diff and history have something to compare",
                usage=True,
            )
        if not sha:
            hint = ""
            if os.path.exists(rev):
                hint = f"; it is a path: put paths after --, as in: dhrtrack diff -- {rev}"
            raise GitError(
                f"unknown revision {rev!r}: not a branch, tag or commit in this repository{hint}", usage=True
            )
        return sha

    def has_commits(self) -> bool:
        try:
            return bool(_run(["rev-list", "-n", "1", "--all"], self.root).strip())
        except GitError:
            return False

    def is_shallow(self) -> bool:
        """A shallow clone (what CI checkouts give by default): its history is cut short."""
        try:
            return _run(["rev-parse", "--is-shallow-repository"], self.root).strip() == b"true"
        except GitError:
            return False

    def history_state(self) -> str:
        """A digest of what, besides the commit, decides which history git shows from it: the
        shallow boundary (`git fetch --unshallow` or `--deepen` changes it), the grafts file,
        the replace refs and the environment that moves or disables them. A result worked out
        from the history up to a commit holds only while this is the same."""
        out = _run(["rev-parse", "--git-path", "shallow", "--git-path", "info/grafts"], self.root)
        files = [os.path.join(self.root, os.fsdecode(line)) for line in out.splitlines()]
        if os.environ.get("GIT_SHALLOW_FILE"):
            files.append(os.environ["GIT_SHALLOW_FILE"])
        base = os.environ.get("GIT_REPLACE_REF_BASE") or "refs/replace/"
        state = hashlib.sha256()
        for name in ("GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE", "GIT_GRAFT_FILE", "GIT_SHALLOW_FILE"):
            state.update(f"{name}={os.environ.get(name)}\0".encode("utf-8", "surrogateescape"))
        for path in files:
            try:
                with open(path, "rb") as handle:
                    state.update(b"file\0" + handle.read() + b"\0")
            except FileNotFoundError:
                state.update(b"none\0")
            except OSError as error:
                raise GitError(f"cannot read {path}: {error.strerror or error}") from None
        state.update(_run(["for-each-ref", "--format=%(refname) %(objectname)", "--end-of-options", base], self.root))
        return state.hexdigest()

    def has_changes(self, paths: Sequence[str]) -> bool:
        """Whether the work tree's files under paths differ from HEAD (changed, added, removed,
        or not yet committed)."""
        return bool(
            _run(["status", "--porcelain", "-z", "--untracked-files=all", "--", *paths], self.root).strip(b"\0")
        )

    def deleted_files(self, paths: Sequence[str]) -> List[str]:
        """Files under paths that some commit deleted (they are in history, not at HEAD)."""
        if not self.has_commits():
            return []
        out = _run(["log", "--diff-filter=D", "--name-only", "-z", "--format=", "--", *paths], self.root)
        return list(dict.fromkeys(os.fsdecode(p) for p in out.split(b"\0") if p.strip(b"\n")))

    # --- trees -------------------------------------------------------------------------------

    def ls_tree(self, commit: str, paths: Sequence[str]) -> List[str]:
        """Files under paths (relative to the repository root) at a commit."""
        out = _run(["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, "--", *paths], self.root)
        return [os.fsdecode(p) for p in out.split(b"\0") if p]

    def renames(self, old: str, new: Optional[str], paths: Sequence[str]) -> List[Tuple[str, str]]:
        """(old path, new path) for files git sees as renamed between two commits, or between a
        commit and the work tree when new is None."""
        args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", old] + ([new] if new else []) + ["--", *paths]
        fields = [os.fsdecode(f) for f in _run(args, self.root).split(b"\0")]
        pairs = []
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i]
            if status[:1] in ("R", "C"):
                if status[:1] == "R":
                    pairs.append((fields[i + 1], fields[i + 2]))
                i += 3
            else:
                i += 2
        return pairs

    def changed_paths(self, old: str, new: Optional[str], paths: Sequence[str]) -> Set[str]:
        """Paths under paths whose content differs between two commits, or between a commit and
        the work tree when new is None (git compares blob ids: no file is read twice)."""
        args = ["diff", "--raw", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", old]
        fields = _run(args + ([new] if new else []) + ["--", *paths], self.root).split(b"\0")
        # Records are ":modes shas status" then the path; -z puts each on its own field.
        return {os.fsdecode(fields[i + 1]) for i in range(0, len(fields) - 1, 2) if fields[i].startswith(b":")}

    # --- history -----------------------------------------------------------------------------

    def log(self, path: str, until: Optional[str] = None) -> List[Commit]:
        """Commits that changed path (up to the commit `until`, or HEAD), oldest first, following
        renames (one `git log`)."""
        revision = [until] if until else []
        out = _run(
            ["log", "--follow", "--name-status", "-z", "--format=%x1e%H%x1f%aI%x1f%an", *revision, "--", path],
            self.root,
        )
        commits = []
        for record in out.split(b"\x1e")[1:]:
            header, _, rest = record.partition(b"\0")
            sha, date, author = header.decode("utf-8", "replace").split("\x1f")
            names = [os.fsdecode(f) for f in rest.lstrip(b"\n").split(b"\0") if f]
            current = names[-1] if names else path
            # The commit that deleted the file has nothing to read: it is marked as the deletion.
            commits.append(Commit(sha, date, author, current, deleted=bool(names) and names[0].startswith("D")))
        commits.reverse()
        return commits

    def log_changes(
        self, paths: Sequence[str], until: Optional[str] = None
    ) -> List[Tuple[str, str, List[Tuple[str, List[str]]]]]:
        """Every commit that changed a file under paths, oldest first, as (sha, author date, [(status,
        [path] or [old, new] for a rename or copy)]): one `git log` for a whole directory."""
        revision = [until] if until else []
        out = _run(
            ["log", "--reverse", "-M", "--name-status", "-z", "--format=%x1e%H%x1f%aI", *revision, "--", *paths],
            self.root,
        )
        commits = []
        for record in out.split(b"\x1e")[1:]:
            header, _, rest = record.partition(b"\0")
            sha, date = header.decode("utf-8", "replace").strip().split("\x1f")
            fields = [os.fsdecode(f) for f in rest.lstrip(b"\n").split(b"\0")]
            entries: List[Tuple[str, List[str]]] = []
            i = 0
            while i < len(fields) and fields[i]:
                status = fields[i].strip()
                width = 2 if status[:1] in ("R", "C") else 1
                entries.append((status[:1], fields[i + 1 : i + 1 + width]))
                i += 1 + width
            commits.append((sha, date, entries))
        return commits

    # --- blobs -------------------------------------------------------------------------------

    def read(self, commit: str, path: str) -> Optional[bytes]:
        """The file at commit:path, or None when it does not exist there."""
        if "\n" in path:
            raise GitError(f"cannot read {path!r} from git: the file name contains a line break")
        batch = self._batch_process()
        assert batch.stdin is not None and batch.stdout is not None
        batch.stdin.write(f"{commit}:{path}\n".encode("utf-8", "surrogateescape"))
        batch.stdin.flush()
        header = batch.stdout.readline()
        if not header:
            raise GitError("git cat-file stopped unexpectedly")
        parts = header.split()
        if len(parts) == 2 and parts[1] == b"missing":
            return None
        if len(parts) != 3:
            raise GitError(f"unexpected answer from git cat-file: {header!r}")
        kind, size = parts[1].decode(), int(parts[2])
        if size > MAX_BLOB:
            _read_exactly(batch.stdout, size, keep=False)
            batch.stdout.read(1)
            raise GitError(f"{path} at {commit[:12]} is {size // 1024 // 1024} MB: too large to be a plan")
        content = _read_exactly(batch.stdout, size)
        batch.stdout.read(1)  # the newline after the content
        if kind != "blob":
            raise GitError(f"{path} at {commit[:12]} is a {kind}, not a file")
        if b"\0" in content:
            raise GitError(f"{path} at {commit[:12]} is a binary file, not a plan")
        return content

    def _batch_process(self) -> subprocess.Popen:
        if self._batch is None:
            try:
                self._batch = subprocess.Popen(
                    ["git", "cat-file", "--batch"],
                    cwd=self.root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=environment(),
                )
            except FileNotFoundError:
                raise GitMissing(NOT_INSTALLED) from None
        return self._batch

    def close(self) -> None:
        if self._batch is not None:
            for stream in (self._batch.stdin, self._batch.stdout):
                if stream is not None:
                    stream.close()
            self._batch.wait()
            self._batch = None

    def __enter__(self) -> "Repo":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _read_exactly(stream: IO[bytes], size: int, keep: bool = True) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        chunk = stream.read(min(remaining, 1 << 20))
        if not chunk:
            raise GitError("git cat-file stopped in the middle of a file")
        if keep:
            chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def ever_committed(directory: str, relative: str) -> bool:
    """Whether any commit in the repository holding `directory` ever had the file (a file that
    was deleted on purpose is one `init` must not bring back)."""
    try:
        out = _run(["log", "--all", "--format=%H", "-1", "--", relative], directory)
    except (GitError, NotADirectoryError, FileNotFoundError):
        return False
    return bool(out.strip())


def configure_textconv(directory: str, command: str = "dhrtrack textconv") -> bool:
    """Set git's textconv driver for plans, cached (git keeps each blob's text in its notes, so
    `git log -p` does not run the driver again for a version it has seen), when the directory is
    in a git work tree; whether it was set. Raises GitMissing when there is no git, and GitError
    when the directory is in a repository whose configuration git cannot write."""
    try:
        inside = _run(["rev-parse", "--is-inside-work-tree"], directory)
    except GitMissing:
        raise
    except GitError as error:
        if "not a git repository" in str(error):
            return False
        # In a repository git cannot read (a broken config): not one to advise `git init` for.
        raise GitError(f"git cannot work in this repository: {error}") from None
    except (NotADirectoryError, FileNotFoundError):
        return False
    if inside.strip() != b"true":
        return False
    try:
        _run(["config", "diff.dhrtrack.textconv", command], directory)
        _run(["config", "diff.dhrtrack.cachetextconv", "true"], directory)
    except GitError as error:
        raise GitError(f"git could not set the textconv driver in this repository's configuration: {error}") from None
    return True
