"""Issue #21, items 3 and 4: the cache is correct and bounded, and the process-wide tricks sit
at the entry point."""

from __future__ import annotations

import os

import pytest

# --- process-wide tricks at the entry point ------------------------------------------------

_PARENT = os.getpid()


def _fails_in_workers(item: int) -> int:
    if os.getpid() != _PARENT and item == 7:
        raise PermissionError(13, "the work's own error")
    return item * 2


def _dies_in_workers(item: int) -> int:
    if os.getpid() != _PARENT:
        os._exit(3)
    return item * 2


def test_parallel_map_raises_the_works_own_oserror(monkeypatch):
    from dhrtrack.plan import parallel

    ran_inline = []
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
    with pytest.raises(PermissionError, match="the work's own error"):
        parallel.parallel_map(_fails_in_workers, list(range(60)), jobs=2)
    # Worker processes that cannot be started, or that die, are the pool's failure: in-line.
    import concurrent.futures

    def no_processes(*args, **kwargs):
        ran_inline.append(1)
        raise OSError(38, "Function not implemented")

    assert parallel.parallel_map(_dies_in_workers, list(range(60)), jobs=2) == [i * 2 for i in range(60)]
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_processes)
    assert parallel.parallel_map(_fails_in_workers, list(range(60)), jobs=2) == [i * 2 for i in range(60)]
    assert ran_inline == [1]
