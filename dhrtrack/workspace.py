"""Loading plans for the reports: discovery results in, valid Plans and named invalid files out.

Files are checked with the same loader and validator as `dhrtrack validate` (errors only: a
report covers every plan that is valid, and names every one that is not). Unchanged files come
from the cache; the rest are checked in parallel when there are many.
"""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from dhrtrack import cache
from dhrtrack.model import Plan, build
from dhrtrack.problems import ERROR, Problem

# Below this many files to check, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48

ProblemTuple = Tuple[int, int, str, str, str]  # line, column, path, severity, message


@dataclass
class Invalid:
    file: str
    problems: List[Problem]

    @property
    def first(self) -> Problem:
        return self.problems[0]


@dataclass
class Workspace:
    plans: List[Plan] = field(default_factory=list)
    invalid: List[Invalid] = field(default_factory=list)


def check_raw(file: str, raw: bytes) -> Tuple[List[ProblemTuple], Optional[tuple]]:
    """Load and validate one file's bytes: its errors, and the plan as cacheable tuples when valid."""
    from dhrtrack.validate import errors_in

    document, errors = errors_in(raw, file)
    if errors or document is None:
        return [(p.line, p.column, p.path, p.severity, p.message) for p in errors], None
    return [], build(file, document.data).to_tuple()


def _check_path(file: str) -> Tuple[List[ProblemTuple], Optional[tuple]]:
    try:
        with open(file, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return [(1, 1, "$", ERROR, f"cannot read the file: {error.strerror or error}")], None
    return check_raw(file, raw)


def load(files: Sequence[str], use_cache: bool = True, jobs: Optional[int] = None) -> Workspace:
    # Reading a national corpus back creates millions of objects and no reference cycles; the
    # cyclic garbage collector would traverse them all again and again for nothing. Pause it,
    # and afterwards move what was loaded out of its sight.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(files, use_cache, jobs)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _load(files: Sequence[str], use_cache: bool, jobs: Optional[int]) -> Workspace:
    from dhrtrack.schema import schema_hash

    stamp = schema_hash()
    by_dir: Dict[str, List[str]] = defaultdict(list)
    for file in files:
        by_dir[os.path.dirname(os.path.abspath(file))].append(file)

    results: Dict[str, Tuple[List[ProblemTuple], Optional[Plan]]] = {}
    to_check: List[str] = []
    new_entries: Dict[str, Dict[str, cache.Entry]] = {}
    prints: Dict[str, Tuple[int, int, bytes]] = {}
    for directory, dir_files in by_dir.items():
        cached = cache.read(directory, stamp) if use_cache else {}
        entries: Dict[str, cache.Entry] = {}
        for file in dir_files:
            try:
                fp = cache.fingerprint(file)
            except OSError as error:
                results[file] = ([(1, 1, "$", ERROR, f"cannot read the file: {error.strerror or error}")], None)
                continue
            size, mtime_ns, digest = fp
            key = os.path.basename(file)
            entry = cached.get(key)
            plan = _from_cache(file, entry) if cache.matches(entry, size, mtime_ns, digest) else _MISS
            if plan is not _MISS:
                results[file] = (entry[3], plan)
                entries[key] = entry
            else:
                to_check.append(file)
                prints[file] = (size, mtime_ns, digest)
        new_entries[directory] = entries

    for file, result in zip(to_check, _check_all(to_check, jobs)):
        results[file] = (result[0], Plan.from_tuple(file, result[1]) if result[1] is not None else None)
        size, mtime_ns, digest = prints[file]
        directory = os.path.dirname(os.path.abspath(file))
        new_entries[directory][os.path.basename(file)] = (size, mtime_ns, digest, result[0], result[1])

    if use_cache and to_check:
        for directory in {os.path.dirname(os.path.abspath(f)) for f in to_check}:
            cache.write(directory, stamp, new_entries[directory])

    workspace = Workspace()
    for file in files:
        errors, plan = results[file]
        if plan is not None:
            workspace.plans.append(plan)
        else:
            workspace.invalid.append(Invalid(file, [Problem(file, *e) for e in errors]))
    return workspace


_MISS = object()


def _from_cache(file: str, entry: tuple) -> object:
    """The cached Plan (None for an invalid file), or _MISS when the entry does not fit the
    model: such an entry is never trusted, and the file is checked again."""
    if entry[4] is None:
        return None if entry[3] else _MISS
    try:
        return Plan.from_tuple(file, entry[4])
    except (ValueError, TypeError):
        return _MISS


def _check_all(files: List[str], jobs: Optional[int]) -> List[Tuple[List[ProblemTuple], Optional[tuple]]]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        return [_check_path(f) for f in files]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(files) // (workers * 8))
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_check_path, files, chunksize=chunk))
    except (OSError, RuntimeError):  # no process support here (sandbox, frozen app): do it in-line
        return [_check_path(f) for f in files]
