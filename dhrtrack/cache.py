"""A cache of checked plans for the reports, so a repeated `dhrtrack status` over a national
corpus does not parse and validate two thousand unchanged files again.

One cache file per plans directory, in the user's cache directory ($DHRTRACK_CACHE_DIR, else
$XDG_CACHE_HOME/dhrtrack, else ~/.cache/dhrtrack), never beside the plans. An entry is used only
when the file's path, size, modification time and content hash all match, and the whole cache
only when it was written by this dhrtrack version with this schema. The payload is marshal data
behind a SHA-256 digest: a truncated or altered cache fails the digest and is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from typing import Any, Dict, Optional, Tuple

from dhrtrack import __version__

MAGIC = b"DHRTRACK-CACHE-1\n"
DIGEST_SIZE = 32

# (size, mtime_ns, sha256 of content, errors, plan tuple or None)
Entry = Tuple[int, int, bytes, list, Optional[tuple]]


def cache_dir() -> str:
    explicit = os.environ.get("DHRTRACK_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dhrtrack")


def cache_path(directory: str, kind: str = "plans") -> str:
    key = hashlib.sha256(os.path.abspath(directory).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return os.path.join(cache_dir(), f"{kind}-{key}.cache")


def _stamp(schema_hash: str) -> str:
    # The model's field names are part of the stamp: a cache written with another shape of
    # cached plan is not read, even by a development build with the same version number.
    from dhrtrack.model import Action

    return f"{__version__}|{schema_hash}|{','.join(Action._fields)}"


def read(directory: str, schema_hash: str, kind: str = "plans") -> Dict[str, Any]:
    """The entries cached for a directory, or {} when there is no usable cache."""
    try:
        with open(cache_path(directory, kind), "rb") as handle:
            blob = handle.read()
    except OSError:
        return {}
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + DIGEST_SIZE:
        return {}
    digest = blob[len(MAGIC) : len(MAGIC) + DIGEST_SIZE]
    payload = blob[len(MAGIC) + DIGEST_SIZE :]
    if hashlib.sha256(payload).digest() != digest:
        return {}
    try:
        stamp, owner, entries = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    if stamp != _stamp(schema_hash) or owner != os.path.abspath(directory) or not isinstance(entries, dict):
        return {}
    return entries


def write(directory: str, schema_hash: str, entries: Dict[str, Any], kind: str = "plans") -> None:
    """Atomically replace the directory's cache. A cache that cannot be written is not an error."""
    payload = marshal.dumps((_stamp(schema_hash), os.path.abspath(directory), entries))
    target = cache_path(directory, kind)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-", suffix=".cache")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC)
                handle.write(hashlib.sha256(payload).digest())
                handle.write(payload)
            os.replace(tmp, target)
        except BaseException:
            _unlink(tmp)
            raise
    except OSError:
        pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def fingerprint(path: str) -> Tuple[int, int, bytes]:
    """(size, mtime_ns, content hash) of a file. Raises OSError when it cannot be read."""
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        digest = hashlib.sha256(handle.read()).digest()
    return stat.st_size, stat.st_mtime_ns, digest


def matches(entry: Any, size: int, mtime_ns: int, digest: bytes) -> bool:
    return (
        isinstance(entry, tuple)
        and len(entry) == 5
        and entry[0] == size
        and entry[1] == mtime_ns
        and entry[2] == digest
    )
