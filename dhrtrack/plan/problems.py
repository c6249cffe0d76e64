"""Problems found in plan files, as values: core modules return them, only renderers print them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple, Union

ERROR = "error"
WARNING = "warning"

PathPart = Union[str, int]
Path = Tuple[PathPart, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    path: str
    severity: str
    message: str

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "severity": self.severity,
            "message": self.message,
        }

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.severity != ERROR, self.message)


def json_path(path: Path) -> str:
    """Render a data path as a JSONPath-like string: $.recommendations[0].actions[1].rag"""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(f".{part}")
    return "".join(out)
