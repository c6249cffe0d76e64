"""The one way work is spread over the machine's cores: parallel_map, used by validate and the store.
It imports nothing heavy, so that a report answered from the cache stays light."""

from __future__ import annotations

import os
import sys
from typing import Callable, List, Optional, Sequence, TypeVar

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48

T = TypeVar("T")
R = TypeVar("R")


def parallel_map(function: Callable[[T], R], items: Sequence[T], jobs: Optional[int] = None) -> List[R]:
    """function over items, in order: in worker processes when there are many items and more
    than one core, in-line otherwise, and in-line too where worker processes cannot be started
    or run (a sandbox, a frozen app, a worker killed). An exception raised by function itself
    is raised here, as it would be in-line: it is never taken for the pool's failure. function
    must be a module-level function, so that workers can import it."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(items) < PARALLEL_THRESHOLD:
        return [function(item) for item in items]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, len(items) // (workers * 8))
    try:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_end_with_parent, initargs=(os.getpid(),))
    except (OSError, ImportError, NotImplementedError):  # no process support here (no semaphores)
        return [function(item) for item in items]
    with pool:
        try:
            results = pool.map(function, items, chunksize=chunk)  # submits every chunk: starts the workers
        except (OSError, RuntimeError):  # the workers could not be started
            results = None
        if results is not None:
            try:
                return list(results)
            except BrokenProcessPool:  # a worker died (killed, or out of memory): do it in-line
                pass
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)  # the work failed: stop the rest of it
                raise
    return [function(item) for item in items]


def _end_with_parent(starter: int) -> None:
    """Run in each worker as it starts: the worker ends when the process that started it does,
    even when that one is killed (kill -9 of `apply` must not leave workers waiting for work
    for ever). On Linux the kernel sends the signal (PR_SET_PDEATHSIG); elsewhere, and should
    that fail, a thread looks at the parent's pid once a second. The parent is whichever process
    forked the worker (dhrtrack itself, or multiprocessing's fork server); `starter` is dhrtrack."""
    import signal
    import threading
    import time

    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL))  # 1 is PR_SET_PDEATHSIG
        except (OSError, AttributeError, ValueError):
            pass
    if os.getppid() != parent or not _alive(starter):  # it died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="dhrtrack-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and is not ours to signal
        return True
    return True
