"""The cyclic garbage collector, paused where dhrtrack makes many objects and no cycles."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic collector: reading a national corpus back, or making its report, creates
    hundreds of thousands of tuples and dicts and no reference cycles, and the collector would
    traverse them all again and again for nothing (a fifth of a warm report's time). With
    freeze, what was made is then moved out of the collector's sight for good."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
