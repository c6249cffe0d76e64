from __future__ import annotations

import json

import pytest

from tests.conftest import plan_text, write

GOOD = plan_text(
    """
    - id: "1.1"
      action: Train staff.
      lead: Northshire Police
      target: 2024-01
      rag: green
    """
)
BAD = plan_text(
    """
    - id: "1.1"
      action: Train staff.
      lead: Northshire Police
      rag: Green
    """,
    review_id="TEST 2",
)


@pytest.fixture
def repo(tmp_path, chdir):
    write(tmp_path / "plans" / "good.yaml", GOOD)
    write(tmp_path / "plans" / "bad.yaml", BAD)
    chdir(tmp_path)
    return tmp_path


TEXT = (
    "plans/bad.yaml:12:14: error: action 1.1: rag must be one of: red, amber, green, complete; found 'Green' "
    "(write it in lower case: green); leave rag out when the action has not been rated "
    "[$.recommendations[0].actions[0].rag]\n"
    "plans/good.yaml:13:14: warning: action 1.1 is rated green but was due 2024-01-31 (1029 days before "
    "2026-11-25): review the rating, or record a new target [$.recommendations[0].actions[0].rag]\n"
)


def test_text_format_defaults_to_plans_dir(repo, cli):
    result = cli("validate", "--as-of", "2026-11-25")
    assert result.exit_code == 1
    assert result.stdout == TEXT
    assert result.stderr == "checked 2 files: 1 error, 1 warning - invalid\n"


def test_json_format(repo, cli):
    result = cli("validate", "--as-of", "2026-11-25", "--format", "json", "plans/good.yaml")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "format_version": 1,
        "valid": True,
        "files": 1,
        "problems": [
            {
                "file": "plans/good.yaml",
                "line": 13,
                "column": 14,
                "path": "$.recommendations[0].actions[0].rag",
                "severity": "warning",
                "message": "action 1.1 is rated green but was due 2024-01-31 (1029 days before 2026-11-25): "
                "review the rating, or record a new target",
            }
        ],
    }


def test_strict_fails_on_warnings_and_json_valid_follows_exit_code(repo, cli):
    result = cli("validate", "--as-of", "2026-11-25", "--format", "json", "--strict", "plans/good.yaml")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["valid"] is False
    assert result.stderr == "checked 1 file: 0 errors, 1 warning - failing on warnings (--strict)\n"


def test_as_of_before_due_date_gives_no_warning(repo, cli):
    result = cli("validate", "--as-of", "2024-01-31", "--strict", "plans/good.yaml")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "checked 1 file: 0 errors, 0 warnings - valid\n"


def test_github_format(repo, cli):
    result = cli("validate", "--as-of", "2026-11-25", "--format", "github", "plans/bad.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=plans/bad.yaml,line=12,col=14,title=dhrtrack error::action 1.1: rag must be one of: "
        "red, amber, green, complete; found 'Green' (write it in lower case: green); leave rag out when the "
        "action has not been rated [$.recommendations[0].actions[0].rag]\n"
    )


def test_github_format_is_automatic_under_github_actions(repo, cli):
    result = cli("validate", "--as-of", "2026-11-25", "plans/bad.yaml", env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=plans/bad.yaml,line=12,col=14,")


def test_missing_path_is_a_usage_error(repo, cli):
    result = cli("validate", "plans/nope.yaml")
    assert result.exit_code == 2
    assert "'plans/nope.yaml' does not exist" in result.stderr


def test_bad_as_of_is_a_usage_error(repo, cli):
    result = cli("validate", "--as-of", "2026-02-30")
    assert result.exit_code == 2
    assert "'2026-02-30' is not a real date: write 2027-03-31, or day first: 31/03/2027" in result.stderr


def test_no_plans_directory_is_a_usage_error(tmp_path, chdir, cli):
    (tmp_path / ".git").mkdir()
    chdir(tmp_path)
    result = cli("validate")
    assert result.exit_code == 2
    assert "no plans/ directory here or in the directories above" in result.stderr


def test_directory_without_plans_fails(tmp_path, chdir, cli):
    (tmp_path / "plans").mkdir()
    chdir(tmp_path)
    result = cli("validate")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "no plan files found (*.yaml, *.yml) in plans/\n"


def test_one_bad_file_does_not_stop_the_others(tmp_path, chdir, cli):
    write(tmp_path / "a.yaml", "a: [\n")
    write(tmp_path / "b.yaml", BAD)
    chdir(tmp_path)
    result = cli("validate", "a.yaml", "b.yaml")
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["a.yaml", "b.yaml"]


def test_lead_spelling_warning_across_files(tmp_path, chdir, cli):
    action = '- id: "{n}"\n  action: A\n  lead: {lead}\n'
    write(
        tmp_path / "p" / "a.yaml",
        plan_text(
            action.format(n="1.1", lead="Northshire NHS Foundation Trust")
            + action.format(n="1.2", lead="Northshire NHS Foundation Trust")
        ),
    )
    write(
        tmp_path / "p" / "b.yaml",
        plan_text(
            action.format(n="1.1", lead="Northshire Foundation NHS Trust")
            + action.format(n="1.2", lead="West Mercia Police")
            + action.format(n="1.3", lead="West Midlands Police")
        ),
    )
    chdir(tmp_path)
    result = cli("validate", "p")
    assert result.exit_code == 0
    assert result.stdout == (
        "p/b.yaml:11:15: warning: action 1.1: lead 'Northshire Foundation NHS Trust' is another spelling of "
        "'Northshire NHS Foundation Trust', which other actions use: write the agency's name the same way "
        "everywhere [$.recommendations[0].actions[0].lead]\n"
    )


def test_parallel_validation_gives_the_same_report(tmp_path, monkeypatch):
    import datetime as dt

    from dhrtrack.plan import validate

    action = '- id: "{n}"\n  action: A\n  lead: {lead}\n  target: 2020-01\n  rag: green\n'
    files = []
    for i in range(5):
        lead = "Northshire Foundation NHS Trust" if i == 3 else "Northshire NHS Foundation Trust"
        files.append(str(write(tmp_path / f"p{i}.yaml", plan_text(action.format(n="1.1", lead=lead)))))
    files.append(str(write(tmp_path / "bad.yaml", "a: [\n")))
    from dhrtrack.plan import parallel

    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
    as_of = dt.date(2026, 11, 25)
    parallel = validate.run(files, as_of, jobs=2).problems
    serial = validate.run(files, as_of, jobs=1).problems
    assert parallel == serial
    assert len(parallel) == 7  # 5 green-past-due, 1 spelling variant, 1 syntax error


def test_a_changed_schema_copy_is_warned_about(tmp_path, chdir, cli):
    from dhrtrack.plan.schema import schema_text
    from tests.conftest import plan_text, write

    (tmp_path / ".git").mkdir()
    write(tmp_path / "plans" / "p.yaml", plan_text('- id: "1.1"\n  action: A\n  lead: Police'))
    write(tmp_path / "schema" / "plan.schema.json", schema_text("plan.schema.json"))
    chdir(tmp_path)
    assert cli("validate").stdout == ""  # the same copy: nothing to say
    write(
        tmp_path / "schema" / "plan.schema.json",
        schema_text("plan.schema.json").replace('"minimum": 1', '"minimum": 0'),
    )
    result = cli("validate")
    assert result.exit_code == 0  # a warning; --strict fails on it
    assert result.stdout.startswith("schema/plan.schema.json:1:1: warning: differs from the plan schema dhrtrack ")
    assert cli("validate", "--strict").exit_code == 1


def test_every_date_option_takes_the_same_forms(repo, cli):
    iso = cli("status", "--format", "json", "--as-of", "2026-11-26")
    for written in ("26/11/2026", "26 November 2026"):
        same = cli("status", "--format", "json", "--as-of", written)
        assert (same.exit_code, same.stdout) == (iso.exit_code, iso.stdout)
    bad = cli("chase", "--reply-by", "31/02/2027")
    assert bad.exit_code == 2
    assert "'31/02/2027' is not a real date: write 2027-03-31, or day first: 31/03/2027" in bad.stderr
