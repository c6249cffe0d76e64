"""validate's CI report formats against what their specifications require: GitLab Code Quality,
SARIF 2.1.0 and JUnit XML; and the rule catalogue they name problems by."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ElementTree

import pytest

from dhrtrack.plan import validate
from dhrtrack.plan.problems import RULES, SCHEMA_RULE, rule_of
from tests.conftest import EXAMPLES, write

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
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dhrtrack" and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) == len(RULES) + 1
    assert all(r["shortDescription"]["text"] for r in driver["rules"])
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("unknown-field", "error"),
        ("complete-without-outcome", "warning"),
    ]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"]
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] in ("plans/bad.yaml", "plans/warned.yaml")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_junit(plans, cli):
    result = cli("validate", "--format", "junit")
    suite = ElementTree.fromstring(result.stdout)
    assert suite.tag == "testsuite" and suite.get("tests") == "2" and suite.get("failures") == "1"
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
