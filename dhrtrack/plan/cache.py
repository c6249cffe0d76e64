"""Caches of checked plans, so that a repeated report over a national corpus does not parse and
validate two thousand unchanged files again. Both live in the user's cache directory
($DHRTRACK_CACHE_DIR, else $XDG_CACHE_HOME/dhrtrack, else ~/.cache/dhrtrack), never beside the plans.

- The listing cache: one file per plans directory, holding each plan's model (the reports'
  figures). An entry is used only when the file's path, size, modification time and content
  hash all match, and the whole file only when it was written by this dhrtrack version with
  this schema and model.
- The content cache: one file per plan *content*, keyed by the SHA-256 of the bytes, holding
  the plan's errors or its full data. Content never changes under its key, so a version read
  from git and the same file in the work tree share one entry.

Payloads are marshal data behind a SHA-256 digest: a truncated or altered file fails the digest
and is ignored, as is any entry whose shape is not what this version writes.
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
    from dhrtrack.plan.model import Action

    return f"{__version__}|{schema_hash}|{','.join(Action._fields)}"


def read(directory: str, schema_hash: str, kind: str = "plans") -> Dict[str, Any]:
    """The entries cached for a directory, or {} when there is no usable cache."""
    payload = _read_blob(cache_path(directory, kind))
    if payload is None:
        return {}
    try:
        stamp, owner, entries = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    if stamp != _stamp(schema_hash) or owner != os.path.abspath(directory) or not isinstance(entries, dict):
        return {}
    return entries


def write(directory: str, schema_hash: str, entries: Dict[str, Any], kind: str = "plans") -> None:
    """Atomically replace the directory's listing cache."""
    _write_blob(cache_path(directory, kind), marshal.dumps((_stamp(schema_hash), os.path.abspath(directory), entries)))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _read_blob(path: str) -> Optional[bytes]:
    """The payload of a cache file, or None when it is missing, damaged or not this format."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + DIGEST_SIZE:
        return None
    digest = blob[len(MAGIC) : len(MAGIC) + DIGEST_SIZE]
    payload = blob[len(MAGIC) + DIGEST_SIZE :]
    if hashlib.sha256(payload).digest() != digest:
        return None
    return payload


def _write_blob(target: str, payload: bytes) -> None:
    """Atomically replace a cache file. A cache that cannot be written is not an error."""
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


# --- the content cache ------------------------------------------------------------------------


def content_path(digest: bytes) -> str:
    name = digest.hex()
    return os.path.join(cache_dir(), "content", name[:2], name[2:] + ".cache")


def read_content(digest: bytes, schema_hash: str) -> Optional[Tuple[list, Optional[dict]]]:
    """(errors, data) cached for content with this SHA-256, or None when there is no usable entry."""
    payload = _read_blob(content_path(digest))
    if payload is None:
        return None
    try:
        stamp, errors, data = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if stamp != f"{__version__}|{schema_hash}" or not isinstance(errors, list):
        return None
    if not (data is None or isinstance(data, dict)) or (data is None) == (not errors):
        return None
    return errors, data


def write_content(digest: bytes, schema_hash: str, errors: list, data: Optional[dict]) -> None:
    _write_blob(content_path(digest), marshal.dumps((f"{__version__}|{schema_hash}", errors, data)))


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
