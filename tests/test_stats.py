"""dhrtrack stats on a constructed repository whose answers are known: completions on time and
late, a completion with no date, overdue and open actions, and target slips made by commits."""

from __future__ import annotations

import json

import pytest

from tests.gitrepo import GitRepo

PLAN = """\
schema_version: 1
review:
  id: NDHR 2023-01
recommendations:
  - number: 1
    section: overview
    scope: local
    text: First.
    actions:
      - id: "1.1"
        action: On time.
        lead: Northshire Police
        target: 2024-01
        rag: complete
        completed: 2023-12-20
        outcome: Done.
      - id: "1.2"
        action: Fifteen days late.
        lead: Northshire Police
        target: 2024-01
        rag: complete
        completed: 2024-02-15
        outcome: Done.
      - id: "1.3"
        action: Complete, no date.
        lead: Northshire Police
        target: 2024-06-30
        rag: complete
        outcome: Done.
      - id: "1.4"
        action: Overdue.
        lead: Northshire Council
        target: 2024-01
        rag: amber
      - id: "1.5"
        action: Open, no target.
        lead: Northshire Council
        rag: red
  - number: 2
    section: overview
    scope: national
    text: Second.
    actions:
      - id: "2.1"
        action: Ninety days late.
        lead: Northshire Council
        target: 2023-10
        rag: complete
        completed: 2024-04-30
        outcome: Done.
"""

AS_OF = ("--as-of", "2024-06-01")


@pytest.fixture
def history(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    repo = GitRepo(tmp_path / "repo")
    repo.write("plans/ndhr.yaml", PLAN)
    repo.commit("Plan agreed")
    repo.edit(
        "plans/ndhr.yaml",
        "        lead: Northshire Council\n        target: 2024-01\n",
        "        lead: Northshire Council\n        target: 2024-02\n",
    )
    repo.commit("1.4 slips a month")
    repo.edit("plans/ndhr.yaml", "        target: 2023-10\n", "        target: 2024-01\n")
    repo.commit("2.1 slips three months")
    repo.edit("plans/ndhr.yaml", "        target: 2024-06-30\n", "        target: 2024-03-31\n")
    repo.commit("1.3 brought forward: not a slip")
    chdir(repo.root)
    return repo


def groups(cli, *args):
    result = cli("stats", *AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_stats_by_agency_known_answers(history, cli):
    document = groups(cli)
    assert document["as_of"] == "2024-06-01" and document["by"] == "agency" and document["history"] == "git"
    assert document["groups"] == [
        {
            "group": "Northshire Council",
            "actions": 3,
            "open": 2,
            "overdue": 1,
            "complete": 1,
            "completed_on_time": 0,
            "completed_late": 1,
            "completion_date_unknown": 0,
            "median_days_late": 90,
            "target_slips": 2,
            "months_slipped": 4,
        },
        {
            "group": "Northshire Police",
            "actions": 3,
            "open": 0,
            "overdue": 0,
            "complete": 3,
            "completed_on_time": 1,
            "completed_late": 1,
            "completion_date_unknown": 1,
            "median_days_late": 15,
            "target_slips": 0,
            "months_slipped": 0,
        },
    ]


def test_stats_by_scope_year_and_review(history, cli):
    by_scope = {g["group"]: (g["actions"], g["target_slips"]) for g in groups(cli, "--by", "scope")["groups"]}
    assert by_scope == {"local": (5, 1), "national": (1, 1)}
    by_year = {g["group"]: g["actions"] for g in groups(cli, "--by", "year")["groups"]}
    assert by_year == {"2024": 5, "(no target)": 1}
    by_review = groups(cli, "--by", "review", "--lead", "police")["groups"]
    assert [(g["group"], g["actions"], g["median_days_late"]) for g in by_review] == [("NDHR 2023-01", 3, 15)]


def test_stats_at_an_earlier_revision_counts_the_slips_made_by_then(history, cli):
    first = groups(cli, "--at", "HEAD~2")["groups"]
    council = next(g for g in first if g["group"] == "Northshire Council")
    assert (council["target_slips"], council["months_slipped"]) == (1, 1)


def test_stats_table_and_outside_git(history, cli, tmp_path, chdir):
    table = cli("stats", *AS_OF)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[:4] == [
        "Implementation by agency as of 2024-06-01 (2)",
        "Agency              Actions  Open  Overdue  Complete  On time  Late  Slips",
        "──────────────────────────────────────────────────────────────────────────",
        "Northshire Council        3     2        1         1        0     1      2",
    ]
    csv = cli("stats", *AS_OF, "--format", "csv").stdout.splitlines()
    assert csv[0] == (
        "group,actions,open,overdue,complete,completed_on_time,completed_late,completion_date_unknown,"
        "median_days_late,target_slips,months_slipped"
    )
    assert csv[1] == "Northshire Council,3,2,1,1,0,1,0,90,2,4"
    outside = tmp_path / "elsewhere"
    (outside / "plans").mkdir(parents=True)
    (outside / "plans" / "ndhr.yaml").write_text(PLAN)
    chdir(outside)
    document = groups(cli)
    assert document["history"].endswith("is not inside a git repository: diff and history read plans from git")
    assert {g["target_slips"] for g in document["groups"]} == {0}
