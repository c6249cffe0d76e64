"""Renderers for validation problems, one signature (report, ok) -> text:
- text: yamllint-style file:line:col: severity: message [path];
- json: docs/design.md §3;
- github: GitHub Actions workflow commands (annotations on the changed lines);
- gitlab: GitLab's Code Quality report (merge requests show each problem inline);
- sarif: SARIF 2.1.0 (GitHub code scanning and other SARIF viewers);
- junit: JUnit XML (CI test-report views), one test case a file.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Dict, List

from dhrtrack import __version__
from dhrtrack.plan.problems import ERROR, RULES, SCHEMA_RULE, Problem, Rule, rule_of
from dhrtrack.plan.validate import Report
from dhrtrack.wording import json_text

INFORMATION_URI = "https://pypi.org/project/dhrtrack/"


def text(report: Report, ok: bool) -> str:
    return "".join(f"{p.file}:{p.line}:{p.column}: {p.severity}: {p.message} [{p.path}]\n" for p in report.problems)


def as_json(report: Report, ok: bool) -> str:
    document = {
        "valid": ok,
        "files": len(report.results),
        "problems": [p.as_dict() for p in report.problems],
    }
    return json_text(document)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, ok: bool) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on the file's line."""
    lines = []
    for p in report.problems:
        title = _escape_property("dhrtrack " + p.severity)
        props = f"file={_escape_property(p.file)},line={p.line},col={p.column},title={title}"
        lines.append(f"::{p.severity} {props}::{_escape_data(p.message + ' [' + p.path + ']')}\n")
    return "".join(lines)


def _uri(path: str) -> str:
    return path.replace("\\", "/")


def fingerprint(problem: Problem) -> str:
    """Stable across commits that only move the problem to another line: the file, the place in
    the plan's data, the rule and the message."""
    key = "\0".join((_uri(problem.file), problem.path, rule_of(problem).id, problem.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def gitlab(report: Report, ok: bool) -> str:
    """GitLab Code Quality: a JSON array of {description, check_name, fingerprint, severity, location}."""
    issues = [
        {
            "description": f"{p.message} [{p.path}]",
            "check_name": f"dhrtrack/{rule_of(p).id}",
            "fingerprint": fingerprint(p),
            "severity": "major" if p.severity == ERROR else "minor",
            "location": {"path": _uri(p.file), "lines": {"begin": p.line}},
        }
        for p in report.problems
    ]
    return json_text(issues)


def _sarif_rule(rule: Rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.id.replace("-", " "),
        "shortDescription": {"text": rule.summary},
        "helpUri": INFORMATION_URI,
    }


def sarif(report: Report, ok: bool) -> str:
    """SARIF 2.1.0: one rule per kind of problem, one result per problem with its physical location."""
    rules: List[Rule] = list(RULES) + [SCHEMA_RULE]
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for p in report.problems:
        rule = rule_of(p)
        results.append(
            {
                "ruleId": rule.id,
                "ruleIndex": index[rule.id],
                "level": "error" if p.severity == ERROR else "warning",
                "message": {"text": f"{p.message} [{p.path}]"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(p.file)},
                            "region": {"startLine": p.line, "startColumn": p.column},
                        }
                    }
                ],
                "partialFingerprints": {"dhrtrack/v1": fingerprint(p)},
            }
        )
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dhrtrack",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "results": results,
            }
        ],
    }
    return json_text(document)


def junit(report: Report, ok: bool) -> str:
    """JUnit XML: a test case a file, failing with its errors (warnings are its system-out)."""
    from xml.sax.saxutils import escape, quoteattr  # imports urllib: only when JUnit is asked for

    cases = []
    failures = 0
    for result in sorted(report.results, key=lambda r: r.file):
        errors = [p for p in result.problems if p.severity == ERROR]
        warnings = [p for p in result.problems if p.severity != ERROR]
        body = []
        if errors:
            failures += 1
            detail = "\n".join(f"{p.file}:{p.line}:{p.column}: {p.message} [{p.path}]" for p in errors)
            body.append(f'<failure message={quoteattr(errors[0].message)} type="error">{escape(detail)}</failure>')
        if warnings:
            detail = "\n".join(f"{p.file}:{p.line}:{p.column}: warning: {p.message} [{p.path}]" for p in warnings)
            body.append(f"<system-out>{escape(detail)}</system-out>")
        cases.append(
            f'  <testcase classname="dhrtrack.validate" name={quoteattr(_uri(result.file))}>'
            + "".join(body)
            + "</testcase>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name="dhrtrack validate" tests="{len(cases)}" failures="{failures}" errors="0">\n'
        + "\n".join(cases)
        + ("\n" if cases else "")
        + "</testsuite>\n"
    )


REPORTERS: Dict[str, Callable[[Report, bool], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
    "junit": junit,
}
