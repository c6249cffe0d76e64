"""Renderers for validation problems: text (yamllint-style), json (docs/design.md §3), github annotations."""

from __future__ import annotations

import json
from typing import Callable, Dict

from dhrtrack.plan.validate import Report


def text(report: Report, ok: bool) -> str:
    return "".join(f"{p.file}:{p.line}:{p.column}: {p.severity}: {p.message} [{p.path}]\n" for p in report.problems)


def as_json(report: Report, ok: bool) -> str:
    document = {
        "valid": ok,
        "files": len(report.results),
        "problems": [p.as_dict() for p in report.problems],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, ok: bool) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the file's line."""
    lines = []
    for p in report.problems:
        props = f"file={_escape_property(p.file)},line={p.line},col={p.column},title={_escape_property('dhrtrack ' + p.severity)}"
        lines.append(f"::{p.severity} {props}::{_escape_data(p.message + ' [' + p.path + ']')}\n")
    return "".join(lines)


REPORTERS: Dict[str, Callable[[Report, bool], str]] = {"text": text, "json": as_json, "github": github}
