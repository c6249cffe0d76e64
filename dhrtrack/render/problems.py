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
import re
import socket
from typing import Callable, Dict, List
from urllib.parse import quote

from dhrtrack import PROJECT_URL, __version__
from dhrtrack.plan.problems import ERROR, RULES, SCHEMA_RULE, Problem, Rule, rule_of
from dhrtrack.plan.validate import Report
from dhrtrack.wording import FORMAT_VERSION, json_text

INFORMATION_URI = "https://pypi.org/project/dhrtrack/"
# Each rule's page (docs/rules/<rule>.md, written by tools/generate-rule-docs) where the project is published.
RULES_URL = f"{PROJECT_URL}/blob/main/docs/rules/"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ALL_RULES: List[Rule] = list(RULES) + [SCHEMA_RULE]


def text(report: Report, ok: bool) -> str:
    return "".join(f"{p.file}:{p.line}:{p.column}: {p.severity}: {p.message} [{p.path}]\n" for p in report.problems)


def as_json(report: Report, ok: bool) -> str:
    document = {
        "format_version": FORMAT_VERSION,
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


_PLACE = re.compile(r"(\$\.recommendations\[\d+\])(\.actions\[\d+\])?")


def fingerprints(report: Report) -> Dict[Problem, str]:
    """A fingerprint for each problem that depends on the plan file, the place in the plan named
    by recommendation number and action id (not by position), the rule and, for two problems of
    one rule in one place, their order; not on the line, the message or the date, so a problem
    keeps it when an action is inserted above or a day passes."""
    out: Dict[Problem, str] = {}
    for result in report.results:
        seen: Dict[str, int] = {}
        for problem in sorted(result.problems, key=Problem.sort_key):
            place = problem.path
            match = _PLACE.match(place)
            if match:
                whole = match.group(0)
                if whole in result.places:
                    place = result.places[whole] + place[len(whole) :]
                elif match.group(1) in result.places:
                    place = result.places[match.group(1)] + place[len(match.group(1)) :]
            key = "\0".join((_uri(problem.file), place, rule_of(problem).id))
            seen[key] = seen.get(key, 0) + 1
            key += f"\0{seen[key]}" if seen[key] > 1 else ""
            out[problem] = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return out


def gitlab(report: Report, ok: bool) -> str:
    """GitLab Code Quality: a JSON array of {description, check_name, fingerprint, severity, location}."""
    prints = fingerprints(report)
    issues = [
        {
            "description": f"{p.message} [{p.path}]",
            "check_name": f"dhrtrack/{rule_of(p).id}",
            "fingerprint": prints[p],
            "severity": "major" if p.severity == ERROR else "minor",
            "location": {"path": report.relative(p.file) or _uri(p.file), "lines": {"begin": p.line}},
        }
        for p in report.problems
    ]
    return json_text(issues)


def _pascal(rule_id: str) -> str:
    return "".join(word.capitalize() for word in rule_id.split("-"))


def rule_url(rule: Rule) -> str:
    return f"{RULES_URL}{rule.id}.md"


def _sarif_rule(rule: Rule) -> dict:
    url = rule_url(rule)
    return {
        "id": rule.id,
        "name": _pascal(rule.id),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {rule.fix}"},
        "help": {
            "text": f"{rule.summary}\n\nHow to fix: {rule.fix}\n\n{url}",
            "markdown": f"**{rule.summary}**\n\n{rule.fix}\n\n[The {rule.id} rule]({url})",
        },
        "helpUri": url,
    }


def rule_page(rule: Rule) -> str:
    """docs/rules/<rule>.md: the page each SARIF rule's helpUri names (tools/generate-rule-docs)."""
    return f"# {rule.id}\n\n{rule.summary}\n\n## How to fix\n\n{rule.fix}\n"


def rules_index() -> str:
    rows = "".join(f"| [{rule.id}]({rule.id}.md) | {rule.summary} |\n" for rule in ALL_RULES)
    return (
        "# Validation rules\n\n"
        "Every problem `dhrtrack validate` reports is of one of these kinds; the SARIF and GitLab reports name "
        "it, and each page says how to resolve it. Generated from the rule table by tools/generate-rule-docs.\n\n"
        "| Rule | What it finds |\n| --- | --- |\n" + rows
    )


def _location(file: str, report: Report) -> dict:
    """A file as SARIF names it: percent-encoded, relative to the repository root (SRCROOT)."""
    relative = report.relative(file)
    if relative is not None:
        return {"uri": quote(relative, safe="/"), "uriBaseId": "SRCROOT"}
    return {"uri": report.file_uri(file)}


def sarif(report: Report, ok: bool) -> str:
    """SARIF 2.1.0 as GitHub code scanning reads it: one rule per kind of problem (with its help
    and page), one result per problem with its place relative to the repository root, and the
    reason in the report itself when there was nothing to check."""
    index = {rule.id: i for i, rule in enumerate(ALL_RULES)}
    prints = fingerprints(report)
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
                            "artifactLocation": _location(p.file, report),
                            "region": {"startLine": p.line, "startColumn": p.column},
                        }
                    }
                ],
                "partialFingerprints": {"dhrtrack/v2": prints[p]},
            }
        )
    run: dict = {
        "tool": {
            "driver": {
                "name": "dhrtrack",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(rule) for rule in ALL_RULES],
            }
        },
        "originalUriBaseIds": {
            "SRCROOT": {
                "uri": report.root_uri(),
                "description": {"text": "The root of the plans repository."},
            }
        },
        "columnKind": "unicodeCodePoints",  # the reader's columns count characters
        "results": results,
    }
    if report.notices:
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": notice}, "descriptor": {"id": "no-plans"}}
                    for notice in report.notices
                ],
            }
        ]
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_text(document)


def junit(report: Report, ok: bool) -> str:
    """JUnit XML: a test case a file, failing with its errors (warnings are its system-out); a
    run with nothing to check is one failing test case that says why."""
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
            f'    <testcase classname="dhrtrack.validate" name={quoteattr(_uri(result.file))} time="0">'
            + "".join(body)
            + "</testcase>"
        )
    for notice in report.notices:
        failures += 1
        cases.append(
            '    <testcase classname="dhrtrack.validate" name="plans" time="0">'
            f'<failure message={quoteattr(notice)} type="no-plans">{escape(notice)}</failure></testcase>'
        )
    properties = (
        "    <properties>\n"
        f'      <property name="dhrtrack.version" value={quoteattr(__version__)}/>\n'
        f'      <property name="as_of" value={quoteattr(report.as_of)}/>\n'
        "    </properties>\n"
    )
    attributes = (
        f'name="dhrtrack validate" tests="{len(cases)}" failures="{failures}" errors="0" skipped="0" '
        f'time="{report.seconds:.3f}" timestamp={quoteattr(report.started)} hostname={quoteattr(socket.gethostname())}'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="dhrtrack validate" tests="{len(cases)}" failures="{failures}" errors="0" '
        f'time="{report.seconds:.3f}">\n'
        f"  <testsuite {attributes}>\n" + properties + "".join(case + "\n" for case in cases) + "  </testsuite>\n"
        "</testsuites>\n"
    )


REPORTERS: Dict[str, Callable[[Report, bool], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
    "junit": junit,
}
