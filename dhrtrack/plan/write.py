"""Writing plan files: the house style (modeline, block scalars for long text, quoted ids, the
model's field order), and safe writes (atomic replace, never clobbering without force)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import textwrap
from typing import Any, Callable, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import yaml

from dhrtrack.errors import DhrtrackError
from dhrtrack.plan import fields

MODELINE = "# yaml-language-server: $schema=../schema/plan.schema.json"
WIDTH = 100
_NEEDS_QUOTES = re.compile(r":\s|\s#|^[-?:,\[\]{}#&*!|>'\"%@`]|:$|^\s|\s$")


class WriteError(DhrtrackError):
    """A file that cannot or must not be written (it exists and force was not given, ...)."""


# Words YAML 1.1 reads as something other than text (PyYAML's resolver, any case).
_NOT_TEXT_WORDS = frozenset("y yes n no true false on off null".split())
_PLAIN_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;'()/&_-]*")


def plain_ok(text: str) -> bool:
    """Can text be written as a plain YAML scalar and read back as the same string?"""
    if not text or "\n" in text or _NEEDS_QUOTES.search(text):
        return False
    if _PLAIN_WORDS.fullmatch(text) and "  " not in text and text.casefold() not in _NOT_TEXT_WORDS:
        # Words starting with a letter, with no YAML indicator in them: text to any YAML reader
        # (a test checks this shortcut against PyYAML). The common case, decided without a parse.
        return True
    try:
        return yaml.safe_load("k: " + text) == {"k": text}
    except (yaml.YAMLError, ValueError, OverflowError):
        # Text that looks like an impossible date or number ("2016-02-30") makes PyYAML's
        # constructors raise: not plain text to any YAML reader, so it is quoted.
        return False


# Characters JSON leaves as they are but YAML reads as line breaks, or does not allow raw.
_ESCAPE = re.compile("[\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def double_quoted(text: str) -> str:
    """JSON's string syntax is YAML's double-quoted syntax, with a few characters escaped for YAML."""
    return _ESCAPE.sub(lambda m: "\\u%04x" % ord(m.group()), json.dumps(text, ensure_ascii=False))


def scalar(text: str) -> str:
    """text as a plain scalar when that is safe, else double-quoted."""
    return text if plain_ok(text) else double_quoted(text)


def _folded(text: str, indent: str) -> List[str]:
    # A folded block scalar (>-) reads back lines joined by single spaces, and a blank line as a
    # line break. So: one wrapped paragraph per line of text, single spaces only.
    out: List[str] = []
    for i, paragraph in enumerate(text.split("\n")):
        if i:
            out.append("")
        out += textwrap.wrap(
            " ".join(paragraph.split()),
            WIDTH - len(indent),
            break_long_words=False,
            break_on_hyphens=False,
            initial_indent=indent,
            subsequent_indent=indent,
        )
    return out


_UNPRINTABLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]"
)


def _foldable(text: str) -> bool:
    """Text a folded block scalar reproduces exactly: printable, single spaces, no blank paragraphs."""
    return not _UNPRINTABLE.search(text) and all(p and p == " ".join(p.split()) for p in text.split("\n"))


def field(key: str, text: str, indent: int) -> List[str]:
    pad = " " * indent
    head = f"{pad}{key}: "
    if plain_ok(text) and len(head) + len(text) <= WIDTH:
        return [head + text]
    if "\n" not in text and len(head) + len(scalar(text)) <= WIDTH or not _foldable(text):
        return [head + scalar(text)]
    return [f"{pad}{key}: >-"] + _folded(text, pad + "  ")


def item(text: str, indent: int) -> List[str]:
    pad = " " * indent
    if plain_ok(text) and len(pad) + 2 + len(text) <= WIDTH:
        return [f"{pad}- {text}"]
    if "\n" not in text and len(pad) + 2 + len(scalar(text)) <= WIDTH or not _foldable(text):
        return [f"{pad}- {scalar(text)}"]
    return [f"{pad}- >-"] + _folded(text, pad + "  ")


def _list(key: str, values: List[str], indent: int) -> List[str]:
    pad = " " * indent
    if not values:
        return [f"{pad}{key}: []"]
    out = [f"{pad}{key}:"]
    for value in values:
        out += item(value, indent + 2)
    return out


def _value(f: fields.Field, value: Any, indent: int) -> List[str]:
    """One field's lines: dates, ratings and choices as they are (the reader keeps dates as
    text, a rating is one word), lists item by item, text in the house style."""
    if f.kind == "log":
        return _updates(value, indent)
    if f.kind == "record":
        return [f"{' ' * indent}{f.name}:"] + _mapping(f.name, value, indent + 2)
    if f.is_list:
        return _list(f.name, value, indent)
    if f.kind in fields.AS_WRITTEN_KINDS or f.kind == "number":
        return [f"{' ' * indent}{f.name}: {value}"]
    if f.kind == "id":
        return [f"{' ' * indent}{f.name}: {json.dumps(value, ensure_ascii=False)}"]
    return field(f.name, value, indent)


def _mapping(level: str, data: dict, indent: int, skip: Tuple[str, ...] = ()) -> List[str]:
    out: List[str] = []
    for f in fields.fields(level):
        if f.name not in skip and data.get(f.name) is not None:
            out += _value(f, data[f.name], indent)
    return out


def _updates(updates: List[dict], indent: int) -> List[str]:
    if not updates:
        return []
    pad = " " * indent
    out = [f"{pad}updates:"]
    for update in updates:
        lines = _mapping(fields.UPDATE, update, indent + 4)
        out += [f"{pad}  - {lines[0].lstrip()}"] + lines[1:]
    return out


def dump_plan(plan: dict, comments: Optional[List[str]] = None) -> str:
    """A plan as YAML in the house style. The result reads back (with dhrtrack's loader) as
    exactly `plan`; a test checks that for generated plans."""
    out = [MODELINE] + [f"# {c}" if c else "#" for c in (comments or [])]
    out.append(f"schema_version: {plan.get('schema_version', 1)}")
    out.append("review:")
    out += _mapping(fields.REVIEW, plan["review"], 2)
    recs = plan.get("recommendations", [])
    out.append("recommendations:" if recs else "recommendations: []")
    for rec in recs:
        lines = _mapping(fields.RECOMMENDATION, rec, 4, skip=("actions",))
        out += [f"  - {lines[0].lstrip()}"] + lines[1:]
        if not rec.get("actions"):
            out.append("    actions: []")
            continue
        out.append("    actions:")
        for action in rec["actions"]:
            lines = _mapping(fields.ACTION, action, 8)
            out += [f"      - {lines[0].lstrip()}"] + lines[1:]
    return "\n".join(out) + "\n"


def write_atomic(path: str, text: str, force: bool = False) -> None:
    """Write text (UTF-8, newlines as given) atomically; see write_bytes_atomic."""
    write_bytes_atomic(path, text.encode("utf-8"), force)


@contextlib.contextmanager
def directory_lock(directory: str) -> Iterator[None]:
    """An exclusive lock on a directory, on every platform (filelock: flock on Unix, msvcrt on
    Windows), so two dhrtrack processes editing plans in the same directory take turns. The lock
    file lives in the cache directory, never among the plans."""
    import hashlib

    from filelock import FileLock, Timeout

    from dhrtrack.plan.cache import cache_dir

    key = hashlib.sha256(os.path.realpath(directory).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    path = os.path.join(cache_dir(), "locks", f"{key}.lock")
    lock = FileLock(path, timeout=60)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        lock.acquire()
    except Timeout:
        raise WriteError(f"another dhrtrack is still writing plans in {directory}: try again in a minute") from None
    except OSError:  # no cache directory to lock in: the unchanged-file check still applies
        yield
        return
    try:
        yield
    finally:
        lock.release()


def replace_if_unchanged(path: str, original: bytes, text: str) -> None:
    """Atomically replace path with text, provided it still holds `original`: an edit made from
    a file that someone else changed meanwhile would lose their change, so it is refused.

    A plan reached through a symbolic link is edited where it really is, and the link stays.
    A plan with other hard links, or one that is read-only, is refused: replacing it would
    break the links or ignore the protection its owner gave it."""
    replace_together([(path, original, text)])


def replace_together(edits: Sequence[Tuple[str, bytes, str]]) -> None:
    """replace_if_unchanged for several plans at once (path, original, text): every one or none.
    Every plan is checked and its new text written to a temporary file beside it before any is
    renamed into place; should a rename fail, the plans already replaced get their original
    bytes back."""
    if not edits:
        return
    reals = [_replaceable(path) for path, _original, _text in edits]
    with contextlib.ExitStack() as locks:
        for directory in sorted({os.path.dirname(real) for real in reals}):  # one order: no deadlock
            locks.enter_context(directory_lock(directory))
        for (path, original, _text), real in zip(edits, reals):
            try:
                with open(real, "rb") as handle:
                    current = handle.read()
            except OSError as error:
                raise WriteError(f"cannot read {path}: {error.strerror or error}; nothing written") from None
            if current != original:
                raise WriteError(f"{path} changed while it was being updated; nothing written: run the command again")
        temporaries: List[str] = []
        try:
            for (path, _original, text), real in zip(edits, reals):
                temporaries.append(_temporary(path, real, text.encode("utf-8")))
        except BaseException:
            for tmp in temporaries:
                _unlink(tmp)
            raise
        done: List[int] = []
        try:
            for index, (tmp, real) in enumerate(zip(temporaries, reals)):
                os.replace(tmp, real)
                done.append(index)
        except OSError as error:
            for index in done:  # put back what was replaced: all or nothing
                write_bytes_atomic(reals[index], edits[index][1], force=True)
            for tmp in temporaries[len(done) :]:
                _unlink(tmp)
            path = edits[len(done)][0]
            raise WriteError(f"cannot write {path}: {error.strerror or error}; nothing written") from None
        for directory in {os.path.dirname(real) for real in reals}:
            _fsync_directory(directory)


def _replaceable(path: str) -> str:
    """The real path of a plan that may be replaced; WriteError saying why not. A plan whose
    real place is outside its repository (files.escape) is never written."""
    from dhrtrack.plan.files import escape

    outside = escape(path)
    if outside is not None:
        raise WriteError(f"{path} {outside}; nothing written")
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except OSError as error:
        raise WriteError(f"cannot read {path}: {error.strerror or error}") from None
    if info.st_nlink > 1:
        raise WriteError(
            f"{path} has {info.st_nlink - 1} other hard link(s): updating it would split them from it; "
            "nothing written (copy the plan to a file of its own, or edit it by hand)"
        )
    if not info.st_mode & stat.S_IWUSR:
        raise WriteError(f"{path} is read-only: nothing written (make it writable first if it should change)")
    return real


def _temporary(path: str, real: str, data: bytes) -> str:
    """A temporary file beside real holding data, on disk, with real's permissions."""
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=".dhrtrack-", suffix=".tmp")
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}; nothing written") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the new content is on disk before the name points at it
        os.chmod(tmp, os.stat(real).st_mode & 0o777)
    except OSError as error:
        _unlink(tmp)
        raise WriteError(f"cannot write {path}: {error.strerror or error}; nothing written") from None
    return tmp


def write_bytes_atomic(path: str, data: Union[bytes, Iterable[bytes]], force: bool = False) -> None:
    """Write data (bytes, or chunks of bytes made as they are written) to path through a
    temporary file in the same directory and a rename, so a reader never sees half a file and
    a failure while the chunks are made leaves the old file as it was. Refuses to replace an
    existing file unless force; a replaced file keeps its permissions."""

    def make(tmp: str) -> None:
        with open(tmp, "wb") as handle:
            for chunk in (data,) if isinstance(data, bytes) else data:
                handle.write(chunk)

    write_through(path, make, force)


def write_through(path: str, make: Callable[[str], None], force: bool = False) -> None:
    """The atomic write for files a library makes by name (a SQLite database): make(tmp) writes
    a temporary file beside path, which then replaces path (only with force when it exists, and
    only when it is a regular file: see target_refusal)."""
    refused = target_refusal(path)
    if refused is not None:
        raise WriteError(refused, usage=True)
    if os.path.exists(path) and not force:
        raise WriteError(f"{path} already exists; use --force to replace it")
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".dhrtrack-", suffix=".tmp")
        os.close(fd)
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        make(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())  # the new content is on disk before the name points at it
        mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        _fsync_directory(directory)
    except OSError as error:
        _unlink(tmp)
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        _unlink(tmp)
        raise


def target_refusal(path: str) -> Optional[str]:
    """Why path must not be written even with --force, or None: it exists and is not a regular
    file. Replacing a device (/dev/null as root), a pipe, a directory or a symbolic link with a
    regular file, or writing through one, is never what an output option means."""
    from dhrtrack.plan.files import kind_of

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot write {path}: {error.strerror or error}"
    kind = kind_of(info.st_mode)
    if kind is None:
        return None
    return f"{path} is {kind}, not a regular file: dhrtrack does not write to it, even with --force (nothing written); name a new file"


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (where directories can be opened: not on Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
