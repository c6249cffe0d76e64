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
            "verified": 0,
            "claimed": 1,
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
            "verified": 0,
            "claimed": 3,
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
        "group,actions,open,overdue,complete,verified,claimed,completed_on_time,completed_late,completion_date_unknown,"
        "median_days_late,target_slips,months_slipped"
    )
    assert csv[1] == "Northshire Council,3,2,1,1,0,1,0,1,0,90,2,4"
    outside = tmp_path / "elsewhere"
    (outside / "plans").mkdir(parents=True)
    (outside / "plans" / "ndhr.yaml").write_text(PLAN)
    chdir(outside)
    document = groups(cli)
    assert document["history"].endswith("is not inside a git repository: diff and history read plans from git")
    assert {g["target_slips"] for g in document["groups"]} == {0}


# --- export --format sqlite -----------------------------------------------------------------


def test_sqlite_export_holds_every_plan_and_the_changes_from_git(history, cli, tmp_path):
    import sqlite3

    history.edit("plans/ndhr.yaml", "        rag: red\n", "        rag: amber\n")
    history.commit("1.5 amber")
    (history.root / "plans" / "themes.yaml").write_text("schema_version: 1\nthemes:\n  - name: housing\n")
    history.edit("plans/ndhr.yaml", "    scope: national\n", "    scope: national\n    themes: [housing]\n")
    history.edit(
        "plans/ndhr.yaml",
        "        action: Overdue.\n",
        "        action: Overdue.\n        updates:\n          - date: 2024-02-01\n            note: Chased.\n"
        "            by: Northshire Council\n",
    )
    out = tmp_path / "plans.db"
    result = cli("export", "--format", "sqlite", "-o", str(out), *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (f"wrote {out}: reviews 1, recommendations 2, actions 6, updates 1, themes 1, changes 4\n")
    db = sqlite3.connect(out)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT ref, agency, due, rag, overdue FROM actions ORDER BY rowid").fetchall() == [
        ("ndhr:1.1", "Northshire Police", "2024-01-31", "complete", 0),
        ("ndhr:1.2", "Northshire Police", "2024-01-31", "complete", 0),
        ("ndhr:1.3", "Northshire Police", "2024-03-31", "complete", 0),
        ("ndhr:1.4", "Northshire Council", "2024-02-29", "amber", 1),
        ("ndhr:1.5", "Northshire Council", None, "amber", 0),
        ("ndhr:2.1", "Northshire Council", "2024-01-31", "complete", 0),
    ]
    assert db.execute("SELECT ref, field, old, new, slip, date FROM changes ORDER BY rowid").fetchall() == [
        ("ndhr:1.4", "target", "2024-01", "2024-02", 1, "2024-01-03"),
        ("ndhr:2.1", "target", "2023-10", "2024-01", 1, "2024-01-04"),
        ("ndhr:1.3", "target", "2024-06-30", "2024-03-31", 0, "2024-01-05"),
        ("ndhr:1.5", "rag", "red", "amber", 0, "2024-01-06"),
    ]
    # Names an analyst reads: text keys (plan, ref), the review's id on every row, no SQL keyword.
    assert db.execute(
        "SELECT u.ref, a.review_id, u.seq, u.date, u.note, u.given_by FROM updates u JOIN actions a USING (ref)"
    ).fetchall() == [("ndhr:1.4", "NDHR 2023-01", 1, "2024-02-01", "Chased.", "Northshire Council")]
    assert db.execute(
        "SELECT r.review_id, r.number, t.theme FROM themes t"
        " JOIN recommendations r ON r.plan = t.plan AND r.number = t.recommendation_number"
    ).fetchall() == [("NDHR 2023-01", 2, "housing")]
    commits = {commit for (commit,) in db.execute("SELECT commit_id FROM changes")}
    assert len(commits) == 4 and commits <= set(history.git("rev-list", "HEAD").split())  # full ids
    assert db.execute("SELECT COUNT(*) FROM changes c JOIN actions a USING (ref)").fetchone() == (4,)
    assert dict(db.execute("SELECT key, value FROM export")) == {
        "as_of": "2024-06-01",
        "dhrtrack": __import__("dhrtrack").__version__,
        "format": "2",
        "changes": "git",
    }
    # The same figures as stats: SQL over the export answers the same questions.
    late = db.execute(
        "SELECT agency, COUNT(*) FROM actions WHERE rag = 'complete' AND completed > due GROUP BY agency ORDER BY agency"
    ).fetchall()
    assert late == [("Northshire Council", 1), ("Northshire Police", 1)]
    again = cli("export", "--format", "sqlite", "-o", str(out), *AS_OF)
    assert again.exit_code == 2 and "already exists; use --force" in again.stderr
    assert cli("export", "--format", "sqlite", *AS_OF).exit_code == 2  # a database needs -o


def test_slips_follow_renames_and_name_the_plan_by_its_current_file(tmp_path, chdir, monkeypatch, cli):
    from tests.gitrepo import GitRepo

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    repo = GitRepo(tmp_path / "repo")
    repo.write("plans/old-name.yaml", PLAN)
    repo.commit("Plan agreed")
    repo.edit("plans/old-name.yaml", "        target: 2023-10\n", "        target: 2023-12\n")
    repo.commit("2.1 slips two months")
    repo.git("mv", "plans/old-name.yaml", "plans/ndhr.yaml")
    repo.commit("Renamed")
    repo.edit("plans/ndhr.yaml", "        target: 2023-12\n", "        target: 2024-01\n")
    repo.commit("2.1 slips again")
    chdir(repo.root)
    council = next(g for g in groups(cli)["groups"] if g["group"] == "Northshire Council")
    assert (council["target_slips"], council["months_slipped"]) == (2, 3)


def test_sqlite_row_counts_equal_the_plans_counts(tmp_path, cli, monkeypatch):
    import sqlite3

    from dhrtrack.plan.validate import valid_data
    from tests.conftest import ROOT

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    sources = [
        ROOT / "plans" / "bdhr-2012-13-05.yaml",
        *sorted((ROOT / "tests" / "fixtures" / "reports" / "plans").glob("*.yaml")),
    ]
    out = tmp_path / "all.db"
    result = cli("export", *map(str, sources), "--format", "sqlite", "-o", str(out), "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.stderr
    plans = [valid_data(path.read_bytes(), str(path))[0] for path in sources]
    recommendations = [r for plan in plans for r in plan["recommendations"]]
    actions = [a for r in recommendations for a in r["actions"]]
    expected = {
        "reviews": len(plans),
        "recommendations": len(recommendations),
        "actions": len(actions),
        "updates": sum(len(a.get("updates") or []) for a in actions),
        "themes": sum(len(set(r.get("themes") or [])) for r in recommendations),
    }
    db = sqlite3.connect(out)
    assert {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in expected} == expected
    assert expected["actions"] > 50


def test_the_history_walk_is_cached_under_the_commit(history, cli, monkeypatch):
    from dhrtrack.history import slips

    first = groups(cli)
    with monkeypatch.context() as patched:
        patched.setattr(slips, "_walk", lambda *a: pytest.fail("history walked again for the same commit"))
        assert groups(cli) == first
    history.edit("plans/ndhr.yaml", "        target: 2024-03-31\n", "        target: 2024-12-31\n")
    history.commit("1.3 slips nine months")
    police = next(g for g in groups(cli)["groups"] if g["group"] == "Northshire Police")
    assert (police["target_slips"], police["months_slipped"]) == (1, 9)  # a new commit: walked again
