"""The cache of checked plans, so that a repeated report over a national corpus does not parse and
validate two thousand unchanged files again. It lives in the user's cache directory
($DHRTRACK_CACHE_DIR, else the platform's: $XDG_CACHE_HOME/dhrtrack or ~/.cache/dhrtrack on
Linux), never beside the plans, and is reached through one object, `Cache(use)`:

- listings: one file per directory and kind, a dict by file name (`listing`, `keep_listing`).
  The store keeps the plans' models ("plans"), their action texts ("texts"), the agency
  registry ("agencies") and each file's stat and hash ("stats", through `fingerprints`) this
  way, and the history walk its results ("changes", under the repository's root).
- content: one file per plan *content*, keyed by the SHA-256 of its bytes (`content`,
  `keep_content`, `has_content`, `drop_content`). Content never changes under its key, so a
  version read from git and the same file in the work tree share one entry.

`Cache(False)` (--no-cache) holds nothing and keeps nothing, and so does every Cache when the
directory is not safe to use: on POSIX it must be the user's own and writable by no one else
(dhrtrack makes it with mode 0700).

Each file is marshal data behind an HMAC-SHA-256 under a random key that only the user can read
(`key` in the cache directory, mode 0600). What is signed includes where the file belongs (the
listing's kind and directory, the content's digest) and the stamp of this dhrtrack version, its
schemas and its model: a truncated, altered, forged, renamed or copied file, or one written by
another version, is ignored, so cached data is used as it is, without checking it against the
schema again. The store still checks entries for the shape this version writes.

The cache stays bounded: the store drops the content entries of bytes a directory's files no
longer have when it rewrites that directory's listing, and the whole cache is kept under LIMIT
bytes, the least recently used files going first (reading a file marks it used, at most once
an hour), which is what bounds the versions read from git.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import stat
import time
from typing import Any, Dict, Iterable, List, Optional, Tuple

from dhrtrack import __version__

MAGIC = b"DHRTRACK-CACHE-3\n"
DIGEST_SIZE = 32
KEY_SIZE = 32
MAX_CACHE = 1 << 30  # larger than any real cache file: a file this big is not ours
LIMIT = 512 << 20  # bytes the whole cache may hold; beyond, the least recently used files go
TOUCHED_WITHIN = 3600  # seconds: a file read this long after it was last written is marked used


# --- where ------------------------------------------------------------------------------------


def cache_dir() -> str:
    """$DHRTRACK_CACHE_DIR, else the platform's own place for caches: $XDG_CACHE_HOME/dhrtrack
    (only when absolute, as the XDG spec says) or ~/.cache/dhrtrack on Linux, ~/Library/Caches on
    macOS, %LOCALAPPDATA% on Windows (platformdirs knows each platform's convention)."""
    explicit = os.environ.get("DHRTRACK_CACHE_DIR")
    if explicit:
        return explicit
    # Asked once per content read on national corpora: remembered for the environment it saw.
    places = (os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"), os.environ.get("LOCALAPPDATA"))
    if places not in _platform_dirs:
        from platformdirs import user_cache_dir

        found = user_cache_dir("dhrtrack", appauthor=False)
        if not os.path.isabs(found):
            # A relative XDG_CACHE_HOME is invalid and must be ignored (older platformdirs use
            # it): it would put the cache in whatever directory dhrtrack runs in, a plans
            # repository even. Where it is honoured at all, the default is ~/.cache.
            found = os.path.join(os.path.expanduser("~"), ".cache", "dhrtrack")
        _platform_dirs[places] = found
    return _platform_dirs[places]


_platform_dirs: Dict[Tuple[Optional[str], ...], str] = {}


def listing_path(directory: str, kind: str) -> str:
    key = hashlib.sha256(os.path.abspath(directory).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return os.path.join(cache_dir(), f"{kind}-{key}.cache")


def content_path(digest: bytes) -> str:
    name = digest.hex()
    return os.path.join(cache_dir(), "content", name[:2], name[2:] + ".cache")


# --- the interface ----------------------------------------------------------------------------


class Cache:
    """The user's cache, or none: Cache(False), and every Cache whose directory is not safe to
    use, read nothing (every lookup misses) and keep nothing."""

    def __init__(self, use: bool = True) -> None:
        self.on = use and _key() is not None

    def listing(self, directory: str, kind: str) -> Dict[str, Any]:
        """The entries kept for a directory's files under `kind`, or {}."""
        value = self._load(listing_path(directory, kind), ("listing", kind, os.path.abspath(directory)))
        return value if isinstance(value, dict) else {}

    def keep_listing(self, directory: str, kind: str, entries: Dict[str, Any]) -> None:
        """Replace the directory's listing of `kind` (atomically)."""
        self._save(listing_path(directory, kind), ("listing", kind, os.path.abspath(directory)), entries)

    def content(self, digest: bytes) -> Any:
        """What was kept for the content with this SHA-256, or None."""
        return self._load(content_path(digest), ("content", digest))

    def has_content(self, digest: bytes) -> bool:
        """Whether there is an entry for this content (`content` still checks it)."""
        return self.on and os.path.isfile(content_path(digest))

    def keep_content(self, digest: bytes, value: Any) -> None:
        self._save(content_path(digest), ("content", digest), value)

    def drop_content(self, digests: Iterable[bytes]) -> None:
        """Remove the entries of contents that no plan file has any more."""
        if self.on:
            for digest in digests:
                _unlink(content_path(digest))

    def fingerprints(self, directory: str) -> "Fingerprints":
        return Fingerprints(self, directory)

    def _load(self, path: str, address: tuple) -> Any:
        payload = _read_blob(path) if self.on else None
        if payload is None:
            return None
        try:
            stamp, where, value = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None
        return value if stamp == _stamp() and where == address else None

    def _save(self, path: str, address: tuple, value: Any) -> None:
        if self.on:
            _write_blob(path, marshal.dumps((_stamp(), address, value)))


_stamps: List[str] = []


def _stamp() -> str:
    """This version, its schemas and the shape of the cached model: a cache written by any other
    is not read, even by a development build with the same version number."""
    if not _stamps:
        from dhrtrack.plan.model import Action, Figures, Plan
        from dhrtrack.plan.registry import SCHEMA as REGISTRY_SCHEMA
        from dhrtrack.plan.schema import schema_hash

        _stamps.append(
            f"{__version__}|{schema_hash()}|{schema_hash(REGISTRY_SCHEMA)}"
            f"|{','.join(Plan.__slots__)}|{','.join(Action._fields)}|{','.join(Figures._fields)}"
        )
    return _stamps[0]


# --- the directory, the key and the signed files ---------------------------------------------

_keys: Dict[str, Optional[bytes]] = {}


def _key() -> Optional[bytes]:
    """The cache's secret key, made on first use; None (no caching) when the directory is not
    safe to use, or the key file is not a private regular file of the user's own (someone else
    could read it, or made it)."""
    directory = cache_dir()
    if directory not in _keys:
        _keys[directory] = (_read_key(directory) or _make_key(directory)) if _safe(directory) else None
    return _keys[directory]


def _safe(directory: str) -> bool:
    """Whether the cache directory (made, mode 0700, when missing) is a directory of the user's
    own that no one else can write: anyone who could would be able to swap its files."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        info = os.stat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    return os.name == "nt" or (info.st_uid == os.getuid() and info.st_mode & 0o022 == 0)


def _read_key(directory: str) -> Optional[bytes]:
    found = _read_regular(os.path.join(directory, "key"), KEY_SIZE, follow=False)
    if found is None:
        return None
    key, info = found
    private = os.name == "nt" or (info.st_uid == os.getuid() and info.st_mode & 0o077 == 0)
    return key if private and len(key) == KEY_SIZE else None  # others could read or write it


def _make_key(directory: str) -> Optional[bytes]:
    """A new key, linked into place only if there is none yet (two first runs agree on one)."""
    path = os.path.join(directory, "key")
    if os.path.lexists(path):
        return None  # there is a key file, but not one to trust: cache nothing
    try:
        import tempfile  # only when a key or cache file is written: reading needs none of it

        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".key-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(os.urandom(KEY_SIZE))
            os.link(tmp, path)
        finally:
            _unlink(tmp)
    except OSError:
        pass
    return _read_key(directory)


def _read_regular(path: str, limit: int, follow: bool = True) -> Optional[Tuple[bytes, os.stat_result]]:
    """A regular file of at most `limit` bytes, with its stat, or None for anything else: a
    missing, unreadable or larger file (not read), a directory, a device (no end), a FIFO
    (opened without blocking, never read), or a link when follow is False."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            return handle.read(limit), info
    except OSError:
        return None


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.digest(key, payload, "sha256")


def _read_blob(path: str) -> Optional[bytes]:
    """The payload of a cache file, or None when it is missing, damaged, forged, not this format,
    or not a regular file (a FIFO would block the read forever; a device has no end). A file
    read is marked as used (its modification time), at most once an hour, for the bound."""
    key = _key()
    if key is None:
        return None
    found = _read_regular(path, MAX_CACHE)
    if found is None:
        return None
    blob, info = found
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + DIGEST_SIZE:
        return None
    digest = blob[len(MAGIC) : len(MAGIC) + DIGEST_SIZE]
    payload = blob[len(MAGIC) + DIGEST_SIZE :]
    if not hmac.compare_digest(_mac(key, payload), digest):
        return None
    if time.time() - info.st_mtime > TOUCHED_WITHIN:
        try:
            os.utime(path)
        except OSError:
            pass
    return payload


def _write_blob(target: str, payload: bytes) -> None:
    """Atomically replace a cache file. A cache that cannot be written is not an error."""
    key = _key()
    if key is None:
        return
    try:
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-", suffix=".cache")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC)
                handle.write(_mac(key, payload))
                handle.write(payload)
            os.replace(tmp, target)
        except BaseException:
            _unlink(tmp)
            raise
    except OSError:
        return
    _written(target, len(MAGIC) + DIGEST_SIZE + len(payload))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# --- the bound --------------------------------------------------------------------------------

_unchecked: Dict[str, int] = {}  # per cache directory: bytes this process wrote since it last looked


def _written(path: str, size: int) -> None:
    """Look at the cache's size on a process's first write and after every LIMIT/64 bytes it
    writes, cheaply: the listings, plus one of the 256 content subdirectories taken as a sample.
    Only when that estimate is over LIMIT is every file looked at (trim)."""
    directory = cache_dir()
    pending = _unchecked.get(directory)
    if pending is not None and pending + size < LIMIT // 64:
        _unchecked[directory] = pending + size
        return
    _unchecked[directory] = 0
    parent = os.path.dirname(path)
    sample = parent if os.path.dirname(parent) == os.path.join(directory, "content") else None
    estimate = sum(found[1] for found in _files(directory))
    if sample is not None:
        estimate += 256 * sum(found[1] for found in _files(sample))
    if estimate > LIMIT:
        trim()


def _files(directory: str) -> List[Tuple[float, int, str]]:
    """(modification time, size, path) of the cache files directly in a directory."""
    found = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(".cache") and entry.is_file(follow_symlinks=False):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    found.append((info.st_mtime, info.st_size, entry.path))
    except OSError:
        pass
    return found


def trim() -> None:
    """Keep the cache under LIMIT bytes: when it holds more, remove the least recently used
    files (written or read longest ago) until it holds three quarters of it. Files left half
    written by a process that stopped (an hour old) go too."""
    directory = cache_dir()
    found = _files(directory)
    try:
        with os.scandir(os.path.join(directory, "content")) as subdirectories:
            for sub in subdirectories:
                if sub.is_dir(follow_symlinks=False):
                    found += _files(sub.path)
    except OSError:
        pass
    now = time.time()
    kept = []
    for mtime, size, path in found:
        if os.path.basename(path).startswith(".tmp-") and now - mtime > 3600:
            _unlink(path)
        else:
            kept.append((mtime, size, path))
    total = sum(found[1] for found in kept)
    if total <= LIMIT:
        return
    for _mtime, size, path in sorted(kept):
        _unlink(path)
        total -= size
        if total <= LIMIT * 3 // 4:
            break


# --- the stat records -------------------------------------------------------------------------

Identity = Tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device

# A file changed less than this long before its stat was recorded might change again within the
# same clock tick, unseen by its times (git's "racily clean" files): it is hashed every time
# until it is older than this.
RACY_NS = 2_000_000_000


def _identity(info: os.stat_result) -> Identity:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def fingerprint_with_stat(path: str) -> Tuple[Tuple[int, int, bytes], os.stat_result]:
    """((size, mtime_ns, sha256), stat) of a file, read now. Raises Unreadable."""
    from dhrtrack.plan.files import read_with_stat

    raw, info = read_with_stat(path)
    return (info.st_size, info.st_mtime_ns, hashlib.sha256(raw).digest()), info


class Fingerprints:
    """The fingerprints of one directory's plan files, hashing only the files whose stat changed.

    A recorded hash is trusted while the file's size, modification time, change time, inode and
    device are all as recorded: writing a file always moves its change time, which no program
    can set back (unlike the modification time), so a changed file is never taken for the old
    one. Symbolic links and racily recent files are always read and hashed."""

    def __init__(self, cache: Cache, directory: str) -> None:
        self.cache, self.directory = cache, directory
        self.recorded = cache.listing(directory, "stats")
        self.now: Dict[str, Tuple[Identity, bytes]] = {}

    def of(self, path: str) -> Tuple[int, int, bytes]:
        """(size, mtime_ns, sha256) of a plan file. Raises Unreadable when it cannot be read."""
        key = os.path.basename(path)
        try:
            info = os.lstat(path)
        except OSError:
            info = None
        if info is not None and stat.S_ISREG(info.st_mode):
            recorded = self.recorded.get(key)
            if (
                isinstance(recorded, tuple)
                and len(recorded) == 2
                and recorded[0] == _identity(info)
                and isinstance(recorded[1], bytes)
                and len(recorded[1]) == DIGEST_SIZE
            ):
                self.now[key] = recorded
                return info.st_size, info.st_mtime_ns, recorded[1]
        print_, opened = fingerprint_with_stat(path)
        # Recorded only when the path is the very file that was read (not a link, not swapped
        # between the two looks) and its last change is not racily recent.
        if (
            info is not None
            and _identity(info) == _identity(opened)
            and time.time_ns() - max(opened.st_mtime_ns, opened.st_ctime_ns) > RACY_NS
        ):
            self.now[key] = (_identity(opened), print_[2])
        return print_

    def save(self) -> None:
        """Record what was hashed (only when something differs from what was recorded)."""
        if self.now != self.recorded:
            self.cache.keep_listing(self.directory, "stats", dict(self.now))
