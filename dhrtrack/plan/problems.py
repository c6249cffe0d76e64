"""Problems found in plan files, as values: core modules return them, only renderers print them."""

from __future__ import annotations

import re
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


# --- the kinds of problem, for reports that name a rule (GitLab Code Quality, SARIF) -----------


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    pattern: "re.Pattern[str]"


def _rule(id: str, summary: str, pattern: str) -> Rule:
    return Rule(id, summary, re.compile(pattern))


# Most specific first; the messages are written in rules.py, schema.py, reader.py, files.py and
# registry.py, and a test checks that every problem the example files give has its own rule.
RULES: Tuple[Rule, ...] = (
    _rule(
        "unreadable-file",
        "The file cannot, or must not, be read as a plan (a link out of the repository, "
        "a pipe or device, too large, not UTF-8).",
        r"cannot read|symbolic link|outside the repository|named pipe|is a device|is a socket|is a directory|too large to be a plan|"
        r"not valid UTF-8|UTF-16 encoded|cannot be asked for",
    ),
    _rule(
        "yaml-syntax",
        "The file is not well-formed YAML.",
        r"^YAML syntax error|^tab character in the file|^the file is empty|has no YAML document|"
        r"more than one YAML document|nested too deeply|^a mapping key must be",
    ),
    _rule(
        "yaml-control-character",
        "The file holds a character YAML does not allow.",
        r"^the file contains the control character",
    ),
    _rule("yaml-anchor", "Anchors and aliases are not allowed in plan files.", r"^(anchor|alias) [&*]"),
    _rule("yaml-tag", "YAML tags are not allowed in plan files.", r"^unsupported tag|is not a valid (int|float|bool)"),
    _rule("duplicate-key", "A mapping has the same key twice.", r"^duplicate key"),
    _rule("unknown-field", "A field that the plan format does not have (often a typo).", r"unknown field"),
    _rule("required-field", "A required field is missing.", r"is missing the required field"),
    _rule("schema-version", "The plan format version is not one this dhrtrack reads.", r"^schema_version must be"),
    _rule(
        "text-characters",
        "Text holds a control character, or a one-line field holds a line break.",
        r"holds the control character|must be on one line, but holds a line break|holds the line break",
    ),
    _rule(
        "date",
        "A date that is not a real calendar date in the form the field takes.",
        r"is not a real calendar date|is not a date in the form",
    ),
    _rule(
        "allowed-values",
        "A value that is not one of the field's allowed values (rag, section, scope).",
        r"must be one of:",
    ),
    _rule("number-form", "A recommendation number not written as plain digits.", r"is not a plain whole number"),
    _rule("duplicate-id", "A recommendation number or action id used twice in a plan.", r"is used twice"),
    _rule(
        "complete-without-outcome",
        "An action rated complete with no outcome recorded.",
        r"is rated complete but has no outcome",
    ),
    _rule(
        "completed-not-complete",
        "A completion date on an action not rated complete.",
        r"has a completed date but is rated",
    ),
    _rule("green-past-due", "An action rated green that is past its due date.", r"is rated green but was due"),
    _rule(
        "lead-spelling", "A lead agency written differently from the same agency elsewhere.", r"is another spelling of"
    ),
    _rule("unknown-lead", "A lead agency that is not in plans/agencies.yaml.", r"is not an agency in"),
    _rule(
        "bidi-control",
        "A bidirectional-text control that makes a name display differently from how it is stored.",
        r"bidirectional-text control",
    ),
    _rule(
        "mixed-script",
        "A name with a word that mixes alphabets (a Cyrillic letter in a Latin word): it looks like another name.",
        r"mixes alphabets",
    ),
    _rule("registry-conflict", "A name or alias given to two agencies in plans/agencies.yaml.", r"already names"),
    _rule(
        "schema-copy",
        "The schema copy that editors read differs from the one validate checks with.",
        r"differs from the (plan|agency) schema",
    ),
)
SCHEMA_RULE = Rule(
    "schema",
    "The plan does not match the plan schema (a wrong type, a blank value, a value not in the expected form).",
    re.compile(""),
)


def rule_of(problem: Problem) -> Rule:
    """The kind of a problem, for reports that group or track problems by rule."""
    return next((rule for rule in RULES if rule.pattern.search(problem.message)), SCHEMA_RULE)
