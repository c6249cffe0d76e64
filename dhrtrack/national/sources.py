"""Where `gather` finds packages: a package's directory, a directory holding packages (and zip
files of them) at any depth, a zip file, or a git repository at a named revision (REPO@REV).
Each package found is a Source: a label for messages and provenance, and a reader of its files
by path. Everything read is bounded and nothing is extracted or followed: a package is data from
another organisation, read as an attacker might have written it."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from typing import Callable, List, Optional

from dhrtrack.errors import DhrtrackError, UsageError
from dhrtrack.national.package import DESCRIPTOR

MAX_FILE = 64 * 1024 * 1024  # one file of a package: the largest open data file of a national corpus is 15 MB
MAX_ZIP_TOTAL = 2 * 1024 * 1024 * 1024  # everything a zip file may unpack to
MAX_ZIP_MEMBERS = 100_000
_SAFE_PATH = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


class SourceError(DhrtrackError):
    """A source or a package that cannot be read: named, with what is wrong."""


@dataclass
class Source:
    label: str  # how messages and the packages table name it: dir, archive.zip!dir/, repo@rev:dir/
    read: Callable[[str], bytes]  # a file of the package by its path inside the package ('plans/x.yaml')
    close: Callable[[], None] = lambda: None  # the zip file or git process it reads from


def safe_path(path: object) -> bool:
    """A relative path inside a package: plain names only, no '..', no absolute path."""
    return isinstance(path, str) and bool(_SAFE_PATH.fullmatch(path)) and ".." not in path.split("/")


def find(argument: str) -> List[Source]:
    """The packages an argument names, in a stable order. Raises UsageError when it names
    nothing that can hold one."""
    repo, at, rev = argument.rpartition("@")
    if at and repo and os.path.isdir(repo) and not os.path.exists(argument):
        return _git(repo, rev)
    if os.path.isdir(argument):
        return _directory(argument)
    if os.path.isfile(argument) and zipfile.is_zipfile(argument):
        return _zip_or_refused(argument)
    if os.path.exists(argument):
        raise UsageError(
            f"{argument}: not a package: give a package's directory, a directory of packages, a zip file "
            "or a git repository at a revision (REPO@REV)"
        )
    raise UsageError(f"{argument}: no such file or directory")


def _read_file(path: str) -> bytes:
    """A regular file of at most MAX_FILE bytes, never through a symbolic link."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if os.path.islink(path):
            raise SourceError(f"{path}: a symbolic link: refused (a package's files are its own)") from None
        raise SourceError(f"{path}: cannot be read: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{path}: not a regular file: refused")
        if info.st_size > MAX_FILE:
            raise SourceError(
                f"{path}: {info.st_size // (1024 * 1024)} MB, over the {MAX_FILE // (1024 * 1024)} MB limit"
            )
        return handle.read(MAX_FILE + 1)[:MAX_FILE]


def _package_dir(directory: str) -> Source:
    home = os.path.realpath(directory)

    def read(path: str) -> bytes:
        if not safe_path(path):
            raise SourceError(f"{directory}: {path!r} is not a path inside the package")
        file = os.path.join(directory, *path.split("/"))
        if os.path.commonpath([home, os.path.realpath(file)]) != home:
            raise SourceError(f"{file}: a symbolic link out of the package: refused (a package's files are its own)")
        return _read_file(file)

    return Source(directory.rstrip(os.sep) or directory, read)


def _directory(directory: str) -> List[Source]:
    if os.path.isfile(os.path.join(directory, DESCRIPTOR)):
        return [_package_dir(directory)]
    found: List[Source] = []
    for root, dirs, names in os.walk(directory):  # symbolic links to directories are not followed
        dirs.sort()
        if DESCRIPTOR in names and root != directory:
            found.append(_package_dir(root))
            dirs.clear()  # a package's own directories (plans/) hold no packages
            continue
        for name in sorted(names):
            path = os.path.join(root, name)
            if name.lower().endswith(".zip") and not os.path.islink(path) and zipfile.is_zipfile(path):
                found += _zip_or_refused(path)
    if not found:
        raise UsageError(f"{directory}: no data package in it (no {DESCRIPTOR}, no zip file of one)")
    return found


def _zip_or_refused(path: str) -> List[Source]:
    """A zip file's packages; one that cannot be read is a source that says why when read, so
    that it is refused by name and the other sources are still gathered."""
    try:
        return _zip(path)
    except SourceError as error:
        message = str(error)

        def refuse(_inner: str) -> bytes:
            raise SourceError(message)

        return [Source(path, refuse)]


def _zip(path: str) -> List[Source]:
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SourceError(f"{path}: not a zip file that can be read: {error}") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise SourceError(f"{path}: {len(infos)} files, over the limit of {MAX_ZIP_MEMBERS}")
    if sum(i.file_size for i in infos) > MAX_ZIP_TOTAL:
        raise SourceError(f"{path}: unpacks to over {MAX_ZIP_TOTAL // 1024**3} GB: refused")
    members = {i.filename: i for i in infos if not i.is_dir()}
    roots = sorted(
        name[: -len(DESCRIPTOR)] for name in members if name == DESCRIPTOR or name.endswith("/" + DESCRIPTOR)
    )
    if not roots:
        raise SourceError(f"{path}: no {DESCRIPTOR} in it: not a data package")

    def reader(prefix: str) -> Callable[[str], bytes]:
        def read(inner: str) -> bytes:
            if not safe_path(inner):
                raise SourceError(f"{path}!{prefix}: {inner!r} is not a path inside the package")
            info = members.get(prefix + inner)
            if info is None:
                raise SourceError(f"{path}!{prefix}{inner}: not in the zip file")
            if info.flag_bits & 0x1:
                raise SourceError(f"{path}!{prefix}{inner}: encrypted: refused")
            if info.file_size > MAX_FILE:
                raise SourceError(f"{path}!{prefix}{inner}: over the {MAX_FILE // (1024 * 1024)} MB limit")
            try:
                with archive.open(info) as handle:
                    content = handle.read(MAX_FILE + 1)  # never more than the limit, whatever the header says
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
                raise SourceError(f"{path}!{prefix}{inner}: cannot be read: {error}") from None
            except Exception as error:  # zlib.error, lzma and bz2 errors: a damaged member
                raise SourceError(f"{path}!{prefix}{inner}: damaged: {error}") from None
            if len(content) > MAX_FILE:
                raise SourceError(f"{path}!{prefix}{inner}: over the {MAX_FILE // (1024 * 1024)} MB limit")
            return content

        return read

    sources = [Source(f"{path}!{prefix}" if prefix else path, reader(prefix)) for prefix in roots]
    sources[-1].close = archive.close  # closed after the last of its packages is read
    return sources


def _git(repository: str, rev: str) -> List[Source]:
    from dhrtrack.history.git import GitError, Repo

    try:
        repo = Repo(repository)
        commit = repo.resolve(rev)
        tree = repo.ls_tree(commit, [])
    except GitError as error:
        raise UsageError(f"{repository}@{rev}: {error}") from None
    inside = os.path.relpath(os.path.abspath(repository), repo.root).replace(os.sep, "/")
    prefix_in = "" if inside == "." else inside + "/"
    roots = sorted(
        name[: -len(DESCRIPTOR)]
        for name in tree
        if name.startswith(prefix_in) and (name == prefix_in + DESCRIPTOR or name.endswith("/" + DESCRIPTOR))
    )
    if not roots:
        raise UsageError(f"{repository}@{rev}: no data package in the repository at that revision (no {DESCRIPTOR})")

    def reader(prefix: str) -> Callable[[str], bytes]:
        def read(inner: str) -> bytes:
            if not safe_path(inner):
                raise SourceError(f"{repository}@{rev}:{prefix}: {inner!r} is not a path inside the package")
            try:
                content: Optional[bytes] = repo.read(commit, prefix + inner)
            except GitError as error:
                raise SourceError(f"{repository}@{rev}:{prefix}{inner}: {error}") from None
            if content is None:
                raise SourceError(f"{repository}@{rev}:{prefix}{inner}: not in the repository at that revision")
            if len(content) > MAX_FILE:
                raise SourceError(f"{repository}@{rev}:{prefix}{inner}: over the {MAX_FILE // (1024 * 1024)} MB limit")
            return content

        return read

    sources = [Source(f"{repository}@{rev}:{prefix}", reader(prefix)) for prefix in roots]
    sources[-1].close = repo.close
    return sources
