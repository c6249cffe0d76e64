"""Golden files: exact expected output of a renderer, kept under tests/expected/.

Set DHRTRACK_UPDATE_GOLDEN=1 to write them after a deliberate change to the output, then read
the diff before committing: the files are the specification of what users see.
"""

from __future__ import annotations

import os
from pathlib import Path

EXPECTED = Path(__file__).resolve().parent / "expected"


def assert_golden(name: str, actual: str) -> None:
    path = EXPECTED / name
    if os.environ.get("DHRTRACK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(actual)
        return
    assert path.exists(), f"no golden file {path}; run with DHRTRACK_UPDATE_GOLDEN=1 and review it"
    with open(path, encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert actual == expected, f"output differs from {path}"
