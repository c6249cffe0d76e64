"""The one way work is spread over the machine's cores: parallel_map, used by validate and the store.
It imports nothing heavy, so that a report answered from the cache stays light."""

from __future__ import annotations

import os
from typing import Callable, List, Optional, Sequence, TypeVar

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48

T = TypeVar("T")
R = TypeVar("R")


def parallel_map(function: Callable[[T], R], items: Sequence[T], jobs: Optional[int] = None) -> List[R]:
    """function over items, in order: in worker processes when there are many items and more
    than one core, in-line otherwise (and wherever processes cannot be started). function must
    be a module-level function, so that workers can import it."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(items) < PARALLEL_THRESHOLD:
        return [function(item) for item in items]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(items) // (workers * 8))
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(function, items, chunksize=chunk))
    except (OSError, RuntimeError):  # no process support here (sandbox, frozen app): do it in-line
        return [function(item) for item in items]
