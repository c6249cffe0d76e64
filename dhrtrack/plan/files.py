"""Reading plan files without trusting what is on disk. A plans directory comes from a pull
request as often as from a coordinator: a link may point at a secret elsewhere on the CI machine,
a "file" may be a named pipe (a read that never ends) or a device (a read that never stops).

- escape(path, root) says when a path's real place is outside the repository: the one rule for
  links, whether the file itself is a link or a directory on its way is (a committed `plans` link
  to a directory elsewhere on the machine). Every reader and writer of plans applies it;
- refusal(path, root) says why a path found among the plans is not read at all: escape's reason,
  anything but a regular file, or a file too large to be a plan;
- read_bytes(path) reads a regular file of plan size inside its repository, never blocking on a pipe.
"""

from __future__ import annotations

import os
import stat
from typing import Optional

from dhrtrack.errors import DhrtrackError

MAX_PLAN = 16 * 1024 * 1024  # a plan is tens of kilobytes; the same cap as for plans read from git

_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a directory",
    stat.S_IFLNK: "a symbolic link",
}


class Unreadable(DhrtrackError):
    """A plan file that cannot or must not be read (the message says why)."""


def git_root(path: str) -> Optional[str]:
    """The git work tree around path, resolved, or None. It is found from the path as written,
    not from where links lead: a `plans` link to a directory elsewhere is still in this
    repository's work tree, and its files are outside it."""
    here = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return os.path.realpath(here)
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def repository_root(path: str) -> str:
    """The git work tree around path, else the directory given (the boundary links may not cross)."""
    root = git_root(path)
    return root if root is not None else os.path.realpath(path if os.path.isdir(path) else os.path.dirname(path) or ".")


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive (Windows)
        return False


def kind_of(mode: int) -> Optional[str]:
    """What a file of this mode is ("a named pipe", "a symbolic link"...), or None for a regular file."""
    return None if stat.S_ISREG(mode) else _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def escape(path: str, root: Optional[str] = None) -> Optional[str]:
    """Why path must not be read or written because its real place is outside root (default: the
    git work tree around it; outside any repository there is no boundary), or None. The whole
    path is resolved, so a link anywhere on it counts, and nothing is opened."""
    if root is None:
        root = git_root(path)
        if root is None:
            return None
    boundary = os.path.realpath(root)
    if _inside(os.path.realpath(path), boundary):
        return None
    if os.path.islink(path):
        return (
            "is a symbolic link to a file outside the repository: dhrtrack does not follow it "
            "(nothing was read); replace the link with the plan itself"
        )
    link = _first_link_out(path, boundary)
    return (
        f"is reached through {link}, a symbolic link to a directory outside the repository: "
        "dhrtrack does not follow it (nothing was read); replace the link with the directory itself"
        if link is not None
        else "leads outside the repository: dhrtrack does not follow it (nothing was read)"
    )


def _first_link_out(path: str, boundary: str) -> Optional[str]:
    """The first directory on path, as the user wrote it, that is a link leading outside boundary."""
    parts = os.path.normpath(os.path.dirname(path) or ".").split(os.sep)
    for end in range(1, len(parts) + 1):
        prefix = os.sep.join(parts[:end]) or os.sep
        real = os.path.realpath(prefix)
        # A link to a directory above the repository (/var -> /private/var) is not the way out.
        if os.path.islink(prefix) and not _inside(real, boundary) and not _inside(boundary, real):
            return prefix
    return None


def refusal(path: str, root: str) -> Optional[str]:
    """Why a path is not read as a plan, or None when it may be. Nothing here opens the file."""
    try:
        link = os.lstat(path)
    except OSError as error:
        return f"cannot read the file: {error.strerror or error}"
    outside = escape(path, root)
    if outside is not None:
        return outside
    try:
        info = os.stat(path) if stat.S_ISLNK(link.st_mode) else link  # not a link: it is its own target
    except OSError as error:
        return f"cannot read the file: {error.strerror or error}"
    kind = kind_of(info.st_mode)
    if kind is not None:
        return f"is {kind}, not a plan file: refused (nothing was read)"
    if info.st_size > MAX_PLAN:
        return f"is {info.st_size // (1024 * 1024)} MB: too large to be a plan (the limit is {MAX_PLAN // (1024 * 1024)} MB)"
    return None


def read_bytes(path: str) -> bytes:
    """A plan file's bytes. Raises Unreadable for anything but a regular file of plan size."""
    return read_with_stat(path)[0]


def read_with_stat(path: str) -> "tuple[bytes, os.stat_result]":
    """A plan file's bytes and its stat (size, times), from one open. Raises Unreadable."""
    outside = escape(path)
    if outside is not None:
        raise Unreadable(outside)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        kind = kind_of(info.st_mode)
        if kind is not None:
            raise Unreadable(f"is {kind}, not a plan file: refused (nothing was read)")
        if info.st_size > MAX_PLAN:
            raise Unreadable(
                f"is {info.st_size // (1024 * 1024)} MB: too large to be a plan "
                f"(the limit is {MAX_PLAN // (1024 * 1024)} MB)"
            )
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read(MAX_PLAN + 1), info
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    finally:
        if fd >= 0:
            os.close(fd)
