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

    @property
    def fix(self) -> str:
        """What to do about a problem of this kind, for the help that reports and docs give."""
        return FIXES[self.id]


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


# How to resolve each kind of problem (SARIF help, docs/rules/<rule>.md); a test checks every rule has one.
FIXES = {
    "unreadable-file": "Keep plan files as regular UTF-8 text files inside the repository, smaller than the size limit: replace a link with the file itself, and save a file written in another encoding as UTF-8.",
    "yaml-syntax": "Correct the YAML at the line given: a missing colon, a quote left open, or wrong indentation are the usual causes. One plan is one YAML document, a mapping at the top.",
    "yaml-control-character": "Delete the character (often pasted from a word processor or a PDF), or retype the text around it.",
    "yaml-anchor": "Write the value out in full where it is used: plan files are read by people, and aliases let a small file expand without limit.",
    "yaml-tag": "Remove the tag (`!!str`, `!custom`) and write the plain value; quote it if it must be read as text.",
    "duplicate-key": "Keep one of the two keys (the message gives both lines): YAML would silently keep only the last.",
    "unknown-field": "Correct the field's spelling, or move its text into a field the format has (`outcome`, `evidence`, `import_notes`). docs/fields.md lists every field.",
    "required-field": "Add the field the message names, for example an action's `lead`, or a recommendation's `agency` when its section is agency.",
    "schema-version": "Write `schema_version: 1`, or upgrade dhrtrack to a version that reads the plan's format.",
    "text-characters": "Delete the control character, or, in a one-line field (an id, a lead, a date), join the lines.",
    "date": "Write a real date as `YYYY-MM-DD` (a `target` may also be a month, `YYYY-MM`), and check the day exists in that month.",
    "allowed-values": 'Use one of the allowed values the message lists; quote a value YAML would read as a boolean (`rag: "no"` is still not a RAG rating).',
    "number-form": "Write the recommendation number as plain digits, as in the report: `7`, not `07`, `7.0` or `1:30`.",
    "duplicate-id": "Give each recommendation a number, and each action an id, used once in the plan. Never renumber an existing action: returns and history name it by its id.",
    "complete-without-outcome": "Record what the action achieved in `outcome`, or change the rating if it is not complete.",
    "completed-not-complete": "Rate the action `complete`, or remove the `completed` date if the work is not finished.",
    "green-past-due": "Review the rating: an action past its due date is not on track. Record a new `target` (with an update saying why) or rate it amber or red.",
    "lead-spelling": "Write the agency's name the same way everywhere (list its spellings as aliases in plans/agencies.yaml), so that per-agency reports count it once.",
    "unknown-lead": "Correct the lead's spelling, add it as an alias of the agency in plans/agencies.yaml, or add the agency there.",
    "bidi-control": "Delete the invisible bidirectional-text control from the name and retype the name.",
    "mixed-script": "Retype the word with letters of one alphabet: a look-alike letter makes the name a different agency to every check.",
    "registry-conflict": "Give each name or alias to one agency only in plans/agencies.yaml.",
    "schema-copy": "Delete the copy and run `dhrtrack init` to write the current schema, so that editors check plans as validate does.",
    "schema": "Correct the value at the path given so that it has the type and form the field takes; docs/fields.md describes each field.",
}
