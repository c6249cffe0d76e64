"""Themes: an optional list on a recommendation, checked against plans/themes.yaml when it
exists; `update --theme` adds one; `stats --by theme` groups by them; `init` writes the starter
vocabulary."""

from __future__ import annotations

import json
import textwrap

import pytest

from dhrtrack.templates import template
from tests.conftest import write

PLAN = textwrap.dedent("""\
    schema_version: 1
    review:
      id: NDHR 2024-02
    recommendations:
      - number: 1
        section: overview
        scope: local
        themes:
          - risk assessment
          - Information Sharing
        text: Share risk information.
        actions:
          - id: "1.1"
            action: Write the protocol.
            lead: Northshire Police
            target: 2024-01
            rag: complete
            completed: 2024-01-10
            outcome: Done.
      - number: 2
        section: overview
        scope: local
        themes: [risk asessment, housing]
        text: Ask about housing.
        actions:
          - id: "2.1"
            action: Add the question.
            lead: Northshire Council
            target: 2024-01
            rag: complete
            completed: 2024-03-01
            outcome: Done.
      - number: 3
        section: overview
        scope: local
        text: Record it.
        actions:
          - id: "3.1"
            action: Change the record.
            lead: Northshire Council
    """)


@pytest.fixture
def plans(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path / "plans" / "ndhr.yaml", PLAN)
    write(tmp_path / "plans" / "themes.yaml", template("themes.yaml"))
    chdir(tmp_path)
    return tmp_path / "plans"


def test_themes_are_checked_against_the_vocabulary(plans, cli):
    result = cli("validate", "--as-of", "2024-06-01")
    assert result.exit_code == 0
    assert result.stdout == (
        "plans/ndhr.yaml:23:14: warning: recommendation 2: theme 'risk asessment' is not in plans/themes.yaml; "
        "did you mean 'risk assessment'? (add it there if it is a new theme) [$.recommendations[1].themes[0]]\n"
    )
    assert result.stderr == "checked 2 files: 0 errors, 1 warning - valid\n"


def test_a_plan_without_themes_and_a_repository_without_a_vocabulary_are_fine(plans, cli):
    (plans / "themes.yaml").unlink()
    result = cli("validate", "--as-of", "2024-06-01", "--strict")
    assert (result.exit_code, result.stdout) == (0, "")


def test_a_broken_vocabulary_is_reported(plans, cli):
    (plans / "themes.yaml").write_text(
        "schema_version: 1\nthemes:\n  - name: housing\n  - name: Housing\n  - nme: typo\n"
    )
    result = cli("validate", "--as-of", "2024-06-01")
    assert result.exit_code == 1
    assert "plans/themes.yaml:5:5: error: unknown field 'nme'" in result.stdout


def test_update_theme_adds_one_to_the_recommendation(plans, cli):
    result = cli("update", "3.1", "--theme", "policy and procedure", "--date", "2024-06-01")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "updated plans/ndhr.yaml: action 3.1: theme 'policy and procedure' added to the recommendation; "
        "logged as the update of 1 June 2024\n"
    )
    text = (plans / "ndhr.yaml").read_text()
    assert "    scope: local\n    themes:\n      - policy and procedure\n    text: Record it.\n" in text
    assert "        updates:\n          - date: 2024-06-01\n            theme: policy and procedure\n" in text
    again = cli("update", "1.1", "--theme", "risk assessment", "--date", "2024-06-02")  # already there: not added twice
    assert again.exit_code == 0
    assert (plans / "ndhr.yaml").read_text().count("- risk assessment") == 1


def test_stats_by_theme(plans, cli):
    document = json.loads(cli("stats", "--by", "theme", "--as-of", "2024-06-01", "--format", "json").stdout)
    assert [(g["group"], g["actions"], g["completed_on_time"], g["completed_late"]) for g in document["groups"]] == [
        ("housing", 1, 0, 1),
        ("Information Sharing", 1, 1, 0),
        ("risk asessment", 1, 0, 1),
        ("risk assessment", 1, 1, 0),
        ("(no theme)", 1, 0, 0),
    ]


def test_init_writes_the_starter_vocabulary(tmp_path, cli):
    assert cli("init", str(tmp_path / "csp")).exit_code == 0
    assert (tmp_path / "csp" / "plans" / "themes.yaml").read_text() == template("themes.yaml")
    assert (tmp_path / "csp" / "schema" / "themes.schema.json").is_file()
    result = cli("validate", str(tmp_path / "csp" / "plans"), "--strict")
    assert result.exit_code == 0, result.stdout
