"""The example-file suite: every valid example validates cleanly; every invalid example gives
exactly the located, readable problems listed here."""

from __future__ import annotations

import datetime as dt

import pytest

from dhrtrack.plan import validate
from tests.conftest import EXAMPLES

AS_OF = dt.date(2026, 11, 25)

_PASTED = "which plan files must not hold (often pasted from another program): delete it"
_YAML11 = "is not a plain whole number (YAML reads it as {}): write the number in digits, like 7"

INVALID = {
    "control-in-text.yaml": [
        (7, 11, "error", f"recommendation 1: text holds the control character U+001B (escape), {_PASTED}"),
        (10, 17, "error", f"action 1.1: action holds the control character U+0000 (null), {_PASTED}"),
    ],
    # A line break in a lead would end an email header early; a date that ends in one validated.
    "line-break-in-one-line-field.yaml": [
        (
            11,
            15,
            "error",
            "action 1.1: lead must be on one line, but holds a line break (U+000A): join the lines or remove it",
        ),
        (
            12,
            16,
            "error",
            "action 1.1: owner must be on one line, but holds a line break (U+2028): join the lines or remove it",
        ),
        (
            13,
            17,
            "error",
            "action 1.1: target must be on one line, but holds a line break (U+000A): join the lines or remove it",
        ),
    ],
    # Reported once (the schema's), not again by the calendar check.
    "month-13.yaml": [
        (
            12,
            17,
            "error",
            "action 1.1: target: '2023-13' is not a real calendar date; write a date that exists "
            "(YYYY-MM or YYYY-MM-DD)",
        ),
    ],
    "yaml-1-1-number.yaml": [
        (5, 13, "error", "recommendation number '1:30' " + _YAML11.format(90)),
        (9, 13, "error", "recommendation number '017' " + _YAML11.format(15)),
        (13, 13, "error", "recommendation number '0x10' " + _YAML11.format(16)),
        (17, 13, "error", "recommendation number '1_000' " + _YAML11.format(1000)),
    ],
    "agency-missing.yaml": [
        (
            5,
            5,
            "error",
            "recommendation 1 is missing the required field 'agency' (required when section is agency): "
            "name the agency whose table holds it",
        ),
    ],
    "anchor.yaml": [
        (
            2,
            9,
            "error",
            "anchor &r is not allowed: plan files must not use anchors or aliases; "
            "remove the anchor and write values out in full",
        ),
    ],
    "control-character.yaml": [
        (
            3,
            8,
            "error",
            "the file contains the control character U+000C, which YAML does not allow "
            "(often pasted from a word processor): delete it",
        ),
    ],
    "duplicate-ids.yaml": [
        (
            12,
            13,
            "error",
            "recommendation number 1 is used twice: first at line 5, again at line 12; "
            "numbers must be unique in a plan",
        ),
        (
            16,
            13,
            "error",
            "action id '1.1' is used twice: first at line 9, again at line 16; "
            "ids must be unique in a plan (give the new action a new id)",
        ),
    ],
    "duplicate-key.yaml": [
        (4, 3, "error", "duplicate key 'id': first at line 3, again at line 4; keep one and delete the other"),
    ],
    "empty.yaml": [
        (1, 1, "error", "the file is empty: a plan needs schema_version, review and recommendations"),
    ],
    "free-text-date.yaml": [
        (12, 17, "error", "action 1.1: target: 'Sept 2015' is not a date in the form YYYY-MM or YYYY-MM-DD"),
    ],
    "impossible-date.yaml": [
        (
            12,
            17,
            "error",
            "action 1.1: target: '2016-02-30' is not a real calendar date; "
            "write a date that exists (YYYY-MM or YYYY-MM-DD)",
        ),
    ],
    "missing-required.yaml": [
        (1, 1, "error", "the plan is missing the required field 'recommendations'"),
        (1, 1, "error", "the plan is missing the required field 'schema_version'"),
        (2, 3, "error", "review is missing the required field 'id'"),
    ],
    "python-tag.yaml": [
        (4, 10, "error", "unsupported tag !!python/object/apply:os.system: remove the tag"),
    ],
    "rag-boolean.yaml": [
        (
            12,
            14,
            "error",
            "action 1.1: rag must be one of: red, amber, green, complete; found NO, which YAML "
            "reads as false; leave rag out when the action has not been rated",
        ),
    ],
    "schema-version.yaml": [
        (1, 17, "error", "schema_version must be 1, found the number 2: this dhrtrack reads plan format version 1"),
    ],
    "syntax-error.yaml": [
        (
            4,
            16,
            "error",
            "YAML syntax error: did not find expected ',' or ']' "
            "(while parsing a flow sequence started at line 3, column 7)",
        ),
    ],
    "tab.yaml": [
        (3, 1, "error", "tab character in the file: YAML indentation must use spaces; replace the tab with spaces"),
    ],
    "top-level-list.yaml": [
        (1, 1, "error", "the plan must be a mapping of fields, found a list"),
    ],
    "unknown-field.yaml": [
        (
            12,
            9,
            "error",
            "unknown field 'targte' in action 1.1: did you mean 'target'? allowed fields are id, action, "
            "action_cy, lead, owner, milestones, target, outcome, outcome_cy, rag, completed, evidence, verified, "
            "import_notes, updates",
        ),
    ],
    "wrong-type.yaml": [
        (5, 13, "error", "recommendation #1: number must be a whole number, found 'one'"),
    ],
}


def test_every_invalid_example_has_expectations():
    assert sorted(p.name for p in (EXAMPLES / "invalid").iterdir()) == sorted(INVALID)


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_example(name):
    path = str(EXAMPLES / "invalid" / name)
    report = validate.run([path], AS_OF)
    got = [(p.line, p.column, p.severity, p.message) for p in report.problems]
    assert got == INVALID[name]
    assert not report.ok()


@pytest.mark.parametrize("name", sorted(p.name for p in (EXAMPLES / "valid").iterdir()))
def test_valid_example(name):
    report = validate.run([str(EXAMPLES / "valid" / name)], AS_OF)
    assert report.problems == []
    assert report.ok(strict=True)


@pytest.mark.parametrize("name", sorted(INVALID))
def test_pure_python_parser_gives_the_same_problems(name, monkeypatch):
    """Without libyaml (a PyYAML built without it), the same problems, at the same places."""
    import yaml

    from dhrtrack.plan import reader as loader

    monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
    report = validate.run([str(EXAMPLES / "invalid" / name)], AS_OF)
    got = [(p.line, p.column, p.severity, p.message) for p in report.problems]
    want = INVALID[name]
    assert [g[:3] for g in got] == [w[:3] for w in want]
    if name != "syntax-error.yaml":  # the two parsers word syntax errors differently
        assert got == want


def test_bidirectional_controls_in_a_lead_or_id_are_warned_about(tmp_path):
    from tests.conftest import plan_text, write

    path = write(tmp_path / "p.yaml", plan_text('- id: "1.1"\n  action: A\n  lead: "Police\\u202e ecilop"\n'))
    report = validate.run([str(path)], AS_OF)
    assert [(p.line, p.severity, p.message) for p in report.problems] == [
        (
            11,
            "warning",
            "action 1.1: lead holds the bidirectional-text control U+202E, which can make it display in "
            "another order than it is stored (a name that looks the same but is not): delete it",
        )
    ]


@pytest.mark.parametrize(
    "path",
    sorted((EXAMPLES / "invalid").glob("*.yaml")) + sorted((EXAMPLES / "valid").glob("*.yaml")),
    ids=lambda p: p.name,
)
def test_the_commands_see_exactly_validates_errors(path):
    """The other commands check plans without wording warnings: the errors are the same."""
    raw = path.read_bytes()
    _document, errors = validate.errors_in(raw, str(path))
    loaded = validate.load_bytes(raw, str(path))
    expected = (
        list(loaded.problems)
        if loaded.document is None
        else sorted(
            (p for p in validate.check_document(loaded.document, AS_OF) if p.severity == "error"),
            key=lambda p: p.sort_key(),
        )
    )
    assert errors == expected
