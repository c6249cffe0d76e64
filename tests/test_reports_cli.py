"""Every report in every format, exactly, on two small fixture plans (terminal 80 wide, no colour)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import ROOT, write
from tests.golden import assert_golden

FIXTURE = ROOT / "tests" / "fixtures" / "reports"
AS_OF = "2024-03-15"
COMMANDS = ["status", "overdue", "unrated", "summary", "due", "agencies"]
FORMATS = ["table", "markdown", "json", "csv"]


@pytest.fixture
def repo(tmp_path, chdir, monkeypatch):
    shutil.copytree(FIXTURE / "plans", tmp_path / "plans")
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_report_output(repo, cli, command, fmt):
    result = cli(command, "--as-of", AS_OF, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    ext = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv"}[fmt]
    assert_golden(f"{command}.{ext}", result.stdout)


def test_status_json_is_the_documented_shape(repo, cli):
    doc = json.loads(cli("status", "--as-of", AS_OF, "--format", "json").stdout)
    assert list(doc) == ["format_version", "as_of", "reviews", "overdue", "missing_rag"]
    assert list(doc["reviews"][0]) == [
        "review",
        "file",
        "actions",
        "complete",
        "verified",
        "claimed",
        "green",
        "amber",
        "red",
        "missing_rag",
        "overdue",
        "no_target",
    ]
    assert list(doc["overdue"][0]) == [
        "review",
        "file",
        "recommendation",
        "action",
        "lead",
        "target",
        "due",
        "days_overdue",
        "rag",
    ]
    assert list(doc["missing_rag"][0]) == ["review", "file", "recommendation", "action", "lead", "target"]
    # Most overdue first: 470, 381 and 44 days.
    assert [(r["action"], r["days_overdue"]) for r in doc["overdue"]] == [("1.2", 470), ("2.2", 381), ("1.1", 44)]


def test_wide_terminal_shows_every_column(repo, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    result = cli("overdue", "--as-of", AS_OF)
    assert_golden("overdue-120.txt", result.stdout)


def test_narrow_terminal_keeps_action_id_and_due_date(repo, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = cli("overdue", "--as-of", AS_OF).stdout
    lines = out.splitlines()
    assert lines[1].split() == ["Review", "Action", "Lead", "Due", "Overdue"]
    assert all(len(line) <= 60 for line in lines)
    # The key columns are whole: every action id and due date appears in full.
    for ident, due in [("1.2", "2022-12-01"), ("2.2", "2023-02-28"), ("1.1", "2024-01-31")]:
        assert any(f" {ident} " in line and due in line for line in lines), (ident, due)


def test_below_sixty_columns_tables_become_lists(repo, cli, monkeypatch):
    """On a narrow terminal each row is a block of "Header: value" lines: no word broken letter by letter."""
    monkeypatch.setenv("COLUMNS", "44")
    result = cli("status", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert all(len(line) <= 44 for line in result.stdout.splitlines())
    assert_golden("status-narrow.txt", result.stdout)


def test_filters_and_footer(repo, cli):
    result = cli("status", "--as-of", AS_OF, "--lead", "police", "--review", "2021")
    assert result.exit_code == 0
    assert_golden("status-filtered.txt", result.stdout)
    assert "Filter (review matching '2021' and lead matching 'police') hid 5 of 7 actions." in result.stdout


def test_lead_filter_matches_canonical_spelling(repo, cli):
    doc = json.loads(cli("due", "--as-of", AS_OF, "--lead", "nhs foundation", "--format", "json").stdout)
    # 2.1's lead "Northshire Foundation NHS Trust" is another spelling of "Northshire NHS Foundation
    # Trust", which is the spelling the report groups them under (the first seen of a tie).
    assert [(r["action"], r["lead"]) for r in doc["due"]] == [("2.1", "Northshire Foundation NHS Trust")]


def test_limit_cuts_table_rows_with_a_footer_but_never_json(repo, cli):
    result = cli("overdue", "--as-of", AS_OF, "--limit", "1")
    assert "Overdue actions as of 2024-03-15: 1 of 3 rows shown; --limit 0 shows all." in result.stdout
    assert result.stdout.count("Police") == 1
    doc = json.loads(cli("overdue", "--as-of", AS_OF, "--limit", "1", "--format", "json").stdout)
    assert len(doc["overdue"]) == 3


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["status", "--fail-on", "overdue"], 1, "--fail-on overdue: 3 overdue actions\n"),
        (["summary", "--fail-on", "unrated"], 1, "--fail-on unrated: 2 unrated actions\n"),
        (
            ["status", "--fail-on", "overdue", "--review", "nothing"],
            2,
            "Usage: main status [OPTIONS] [PATHS]...\nTry 'main status --help' for help.\n\n"
            "Error: no review matches --review 'nothing' (dhrtrack summary lists the reviews)\n",
        ),
        (["unrated", "--fail-on", "overdue", "--lead", "mercia"], 0, ""),
    ],
)
def test_fail_on(repo, cli, args, code, message):
    result = cli(*args, "--as-of", AS_OF)
    assert (result.exit_code, result.stderr) == (code, message)


def test_due_window(repo, cli):
    doc = json.loads(cli("due", "--as-of", AS_OF, "--within", "2w", "--format", "json").stdout)
    assert doc["within_days"] == 14 and doc["until"] == "2024-03-29"
    assert [(r["action"], r["days_left"]) for r in doc["due"]] == [("2.1", 0)]
    bad = cli("due", "--within", "soon")
    assert bad.exit_code == 2 and "'soon' is not a window like 30d, 6w or 3m" in bad.stderr


def test_invalid_plan_is_named_and_the_rest_reported(repo, cli):
    write(repo / "plans" / "broken.yaml", "schema_version: 1\nreview:\n  id: X\nrecommendations:\n  - number: x\n")
    result = cli("status", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    assert [r["review"] for r in json.loads(result.stdout)["reviews"]] == ["ALPHA 2020-01", "BETA 2021-07"]
    assert result.stderr == (
        "plans/broken.yaml:5:5: error: recommendation #1 is missing the required field 'actions' (and 3 more)\n"
        "  plans/broken.yaml is invalid and left out of this report; see: dhrtrack validate plans/broken.yaml\n"
    )


def test_colour_only_on_a_terminal(repo, cli, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in cli("status", "--as-of", AS_OF).stdout  # CliRunner output is not a TTY


def test_registry_groups_aliases(repo, cli):
    write(
        repo / "plans" / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Constabulary
            aliases: [Northshire Police, West Midlands Police]
        """,
    )
    doc = json.loads(cli("agencies", "--as-of", AS_OF, "--format", "json").stdout)
    police = [a for a in doc["agencies"] if a["agency"] == "Northshire Constabulary"][0]
    assert (police["actions"], police["spellings"]) == (3, ["Northshire Police", "West Midlands Police"])


def test_no_plans_found(tmp_path, chdir, cli):
    (tmp_path / "plans").mkdir()
    chdir(tmp_path)
    result = cli("status", "--format", "json")
    assert result.exit_code == 1
    assert "no plan files found" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["overdue"],
        ["agencies", "--format", "json"],
        ["chase"],
        ["chase", "--format", "xlsx", "--out", "returns"],
        ["report", "--format", "markdown"],
    ],
)
def test_a_lead_filter_that_matches_nothing_says_so_and_what_was_meant(repo, cli, args):
    result = cli(*args, "--lead", "Midlans Polce", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Error: no lead agency matches --lead 'Midlans Polce': did you mean 'West Midlands Police'? "
        "(dhrtrack agencies lists them)"
    )
