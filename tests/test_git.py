"""diff, history and textconv against real temporary git repositories (the real git binary)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from dhrtrack.history.git import GitError, Repo
from tests.gitrepo import FIXTURE, GitRepo, evolve

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_diff_between_two_commits_json(repo, cli):
    shas = evolve(repo)
    result = cli("diff", repo.first, shas["complete"], "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["from"], doc["to"]) == (repo.first, shas["complete"])
    got = [(c["file"], c["action"], c["change"], c["field"], c["old"], c["new"]) for c in doc["changes"]]
    assert got == [
        ("plans/alpha.yaml", "1.1", "changed", "target", "2024-01", "2024-09"),
        ("plans/alpha.yaml", "1.1", "changed", "rag", "red", "amber"),
        ("plans/alpha.yaml", "1.3", "changed", "action", "Audit.", "Audit the referral records."),
        ("plans/alpha.yaml", "1.3", "changed", "outcome", None, "Audit done; 92% compliance."),
        ("plans/alpha.yaml", "1.3", "changed", "rag", None, "complete"),
        ("plans/alpha.yaml", "1.3", "changed", "completed", None, "2024-03-01"),
        ("plans/alpha.yaml", "2.3", "added", None, None, None),
        ("plans/beta-2021.yaml", None, "changed", "file", "plans/beta.yaml", "plans/beta-2021.yaml"),
        ("plans/beta-2021.yaml", "1.2", "changed", "rag", "amber", "red"),
    ]
    assert doc["changes"][0] == {
        "review": "ALPHA 2020-01",
        "file": "plans/alpha.yaml",
        "recommendation": 1,
        "action": "1.1",
        "change": "changed",
        "field": "target",
        "old": "2024-01",
        "new": "2024-09",
    }


def test_diff_table(repo, cli):
    shas = evolve(repo)
    evolve_more = repo.git("rev-parse", "HEAD~3").strip()
    assert evolve_more == shas["slip1"]
    result = cli("diff", "HEAD~3", "HEAD~1")
    assert result.exit_code == 0
    assert result.stdout == (
        "Changes from HEAD~3 to HEAD~1 (3)\n"
        "Review         Action  Change\n"
        "────────────────────────────────────────────────────────────────────\n"
        "ALPHA 2020-01  1.1     ⚠ target: 2024-06 → 2024-09, slipped 3 months\n"
        "BETA 2021-07   plan    file renamed from plans/beta.yaml\n"
        "BETA 2021-07   1.2     rag: amber → red\n"
        "\n"
        "3 changes in 2 plans: 1 RAG change, 1 target slip.\n"
    )


def test_diff_markdown_for_a_pull_request(repo, cli):
    evolve(repo)
    result = cli("diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert result.stdout == (
        "### Changes from HEAD~1 to HEAD (5)\n\n"
        "| Review | Action | Change |\n"
        "|---|---|---|\n"
        "| ALPHA 2020-01 | 1.3 | action: \\[-Audit.-\\] {+Audit the referral records.+} |\n"
        "| ALPHA 2020-01 | 1.3 | outcome set: Audit done; 92% compliance. |\n"
        "| ALPHA 2020-01 | 1.3 | rag: unrated → complete |\n"
        "| ALPHA 2020-01 | 1.3 | completion recorded: 2024-03-01 |\n"
        "| ALPHA 2020-01 | 2.3 | action added: Publish the protocol. (lead Northshire Police, target 2024-12, "
        "unrated) |\n\n"
        "_5 changes in 1 plan: 1 RAG change, 1 completion recorded, 1 action added._\n"
    )


def test_diff_work_tree_against_head_and_against_a_revision(repo, cli):
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")  # 2.1, uncommitted
    doc = json.loads(cli("diff", "--format", "json").stdout)
    assert (doc["from"], doc["to"]) == ("HEAD", "worktree")
    assert [(c["action"], c["old"], c["new"]) for c in doc["changes"]] == [("2.1", "amber", "red")]
    repo.commit("2.1 red")
    repo.edit("plans/alpha.yaml", "        target: 2024-01\n", "        target: 2024-02\n")
    doc = json.loads(cli("diff", repo.first, "--format", "json").stdout)
    assert [(c["action"], c["field"]) for c in doc["changes"]] == [("1.1", "target"), ("2.1", "rag")]


def test_diff_paths_after_double_dash_and_untracked_plans(repo, cli):
    evolve(repo)
    repo.write("plans/gamma.yaml", (FIXTURE / "beta.yaml").read_text().replace("BETA 2021-07", "GAMMA 2025-01"))
    doc = json.loads(cli("diff", "HEAD~1", "--format", "json", "--", "plans/gamma.yaml").stdout)
    assert [(c["file"], c["change"], c["action"]) for c in doc["changes"]] == [("plans/gamma.yaml", "added", None)]
    doc = json.loads(
        cli("diff", repo.first, "HEAD", "--format", "json", "--", "plans/beta-2021.yaml", "plans/beta.yaml").stdout
    )
    assert {c["file"] for c in doc["changes"]} == {"plans/beta-2021.yaml"}


def test_removed_recommendation_and_plan(repo, cli):
    repo.edit("plans/alpha.yaml", "  - number: 2\n", "  - number: 3\n")
    (repo.root / "plans" / "beta.yaml").unlink()
    doc = json.loads(cli("diff", "--format", "json").stdout)
    got = [(c["file"], c["recommendation"], c["action"], c["change"]) for c in doc["changes"]]
    # Actions are matched by id: 2.1 and 2.2 moved to recommendation 3; they were not removed and added.
    assert got == [
        ("plans/alpha.yaml", 3, None, "added"),
        ("plans/alpha.yaml", 3, "2.1", "changed"),
        ("plans/alpha.yaml", 3, "2.2", "changed"),
        ("plans/alpha.yaml", 2, None, "removed"),
        ("plans/beta.yaml", None, None, "removed"),
    ]
    assert cli("diff").stdout.count("moved from recommendation 2 to 3") == 2


def test_action_moved_between_recommendations_is_matched_by_id(repo, cli):
    repo.edit(
        "plans/alpha.yaml",
        '      - id: "1.3"\n        action: Audit.\n        lead: Northshire NHS Foundation Trust\n',
        "",
    )
    repo.edit(
        "plans/alpha.yaml",
        '      - id: "2.2"\n',
        '      - id: "1.3"\n        action: Audit.\n        lead: Northshire NHS Foundation Trust\n      - id: "2.2"\n',
    )
    doc = json.loads(cli("diff", "--format", "json").stdout)
    assert [(c["action"], c["field"], c["old"], c["new"]) for c in doc["changes"]] == [("1.3", "recommendation", 1, 2)]


def test_exit_code_option(repo, cli):
    assert cli("diff", "--exit-code").exit_code == 0
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")
    result = cli("diff", "--exit-code")
    assert result.exit_code == 1 and "rag: amber → red" in result.stdout


def test_unknown_revision_not_a_repo_and_paths_without_dashes(repo, cli, tmp_path, chdir):
    result = cli("diff", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch': not a branch, tag or commit in this repository" in result.stderr
    result = cli("diff", "plans/alpha.yaml")
    assert result.exit_code == 2 and "put paths after --, as in: dhrtrack diff -- plans/alpha.yaml" in result.stderr
    outside = tmp_path / "outside"
    outside.mkdir()
    chdir(outside)
    result = cli("diff")
    assert result.exit_code == 2 and "is not inside a git repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_revisions_are_never_options_or_shell(repo):
    with Repo(".") as r:
        for bad in ("--output=/tmp/x", "-p", "HEAD; touch pwned", "$(touch pwned)", "a\nb"):
            with pytest.raises(GitError):
                r.resolve(bad)
    assert not (repo.root / "pwned").exists()
    assert not Path("/tmp/x").exists() or Path("/tmp/x").stat().st_size >= 0


def test_invalid_plan_at_an_old_revision(repo, cli):
    repo.edit("plans/beta.yaml", "        rag: amber\n", "        rag: NO\n")
    bad = repo.commit("typo")
    repo.edit("plans/beta.yaml", "        rag: NO\n", "        rag: amber\n")
    repo.commit("fix")
    result = cli("diff", bad, "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr == (
        f"plans/beta.yaml at {bad}: not a valid plan (18:14: action 1.2: rag must be one of: red, amber, green, "
        "complete; found NO, which YAML reads as false; leave rag out when the action has not been rated); "
        "left out of the diff\n"
    )


def test_binary_and_oversized_blobs(repo, cli, monkeypatch):
    (repo.root / "plans" / "blob.yaml").write_bytes(b"\x00\x01binary")
    repo.commit("binary")
    result = cli("diff", repo.first, "HEAD")
    assert result.exit_code == 1
    assert "plans/blob.yaml at " in result.stderr and "is a binary file, not a plan" in result.stderr
    import dhrtrack.history.git as gitio

    monkeypatch.setattr(gitio, "MAX_BLOB", 5)
    result = cli("diff", repo.first, "HEAD")
    assert result.exit_code == 1 and "too large to be a plan" in result.stderr


def test_diff_reads_only_the_plans_that_changed(repo, cli, monkeypatch):
    """A plan identical on both sides cannot hold a change, so it is never read: the cost of a
    diff follows the change, not the size of the tree (an unchanged bad plan is not reported)."""
    (repo.root / "plans" / "broken.yaml").write_text("review: [\n")
    start = repo.commit("a broken plan")
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")
    repo.commit("alpha goes red")
    from dhrtrack.history.versions import Side

    read: list = []
    original = Side.read
    monkeypatch.setattr(Side, "read", lambda self, path: read.append((self.label, path)) or original(self, path))
    committed = cli("diff", start, "HEAD", "--format", "json")
    assert committed.exit_code == 0, committed.stderr
    assert sorted(read) == [("HEAD", "plans/alpha.yaml"), (start, "plans/alpha.yaml")]
    assert [c["field"] for c in json.loads(committed.stdout)["changes"]] == ["rag"]
    read.clear()
    repo.edit("plans/beta.yaml", "        rag: amber\n", "        rag: green\n")
    worktree = cli("diff", "--format", "json")
    assert worktree.exit_code == 0, worktree.stderr
    assert sorted(read) == [("HEAD", "plans/beta.yaml"), ("worktree", "plans/beta.yaml")]


def test_git_never_touches_work_tree_or_index(repo, cli):
    evolve(repo)
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")
    index = repo.root / ".git" / "index"

    def snapshot():
        files = {p: p.read_bytes() for p in (repo.root / "plans").iterdir()}
        return files, index.read_bytes(), index.stat().st_mtime_ns

    before = snapshot()
    for args in (("diff",), ("diff", repo.first), ("diff", repo.first, "HEAD"), ("history", "alpha:1.1")):
        assert cli(*args).exit_code == 0
    assert snapshot() == before
    assert repo.git("--no-optional-locks", "status", "--porcelain") == " M plans/alpha.yaml\n"


def test_history_of_one_action(repo, cli):
    shas = evolve(repo)
    result = cli("history", "alpha:1.1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["ref"] == "alpha:1.1"
    got = [
        (e["commit"], e["date"], e["author"], e["rag"], e["target"], [c["description"] for c in e["changes"]])
        for e in doc["entries"]
    ]
    assert got == [
        (
            repo.first[:9],
            "2024-01-02",
            "Coordinator",
            "red",
            "2024-01",
            ["action added: Write the protocol. (lead Northshire Police, target 2024-01, rag red)"],
        ),
        (
            shas["slip1"][:9],
            "2024-01-03",
            "Coordinator",
            "amber",
            "2024-06",
            ["target: 2024-01 → 2024-06, slipped 5 months", "rag: red → amber"],
        ),
        (
            shas["slip2"][:9],
            "2024-01-04",
            "Coordinator",
            "amber",
            "2024-09",
            ["target: 2024-06 → 2024-09, slipped 3 months"],
        ),
    ]
    table = cli("history", "alpha:1.1").stdout
    assert table.endswith(
        f"The target slipped 2 times: 2024-01 → 2024-06 (2024-01-03, {shas['slip1'][:9]}); 2024-06 →\n"
        f"2024-09 (2024-01-04, {shas['slip2'][:9]}).\n"
    )


def test_history_follows_renames_and_ids_without_plan(repo, cli):
    shas = evolve(repo)
    doc = json.loads(cli("history", "beta-2021", "--format", "json").stdout)
    assert [e["commit"] for e in doc["entries"]] == [repo.first[:9], shas["rename"][:9]]
    assert doc["entries"][1]["changes"][0]["description"] == "rag: amber → red"
    assert [e["commit"] for e in json.loads(cli("history", "2.3", "--format", "json").stdout)["entries"]] == [
        shas["complete"][:9]
    ]


def test_history_errors(repo, cli):
    evolve(repo)
    result = cli("history", "1.1")
    assert result.exit_code == 2
    assert "action '1.1' is in several plans; say which: alpha:1.1, beta-2021:1.1" in result.stderr
    assert cli("history", "nope:1.1").exit_code == 2
    assert "no plan named 'nope'" in cli("history", "nope:1.1").stderr
    assert "no action with id '9.9'" in cli("history", "9.9").stderr
    for bad in (":", "alpha:"):
        result = cli("history", bad)
        assert result.exit_code == 2 and "is not a reference" in result.stderr


def test_history_skips_an_invalid_version_with_a_message(repo, cli):
    repo.edit("plans/beta.yaml", "        rag: amber\n", "        rag: [\n")
    bad = repo.commit("broken")
    repo.edit("plans/beta.yaml", "        rag: [\n", "        rag: red\n")
    repo.commit("fixed")
    result = cli("history", "beta:1.2", "--format", "json")
    assert result.exit_code == 1
    assert f"plans/beta.yaml at {bad[:9]}: not a valid plan" in result.stderr
    assert [e["rag"] for e in json.loads(result.stdout)["entries"]] == ["amber", "red"]


def test_textconv_output(repo, cli):
    result = cli("textconv", "plans/beta.yaml")
    assert result.exit_code == 0
    assert result.stdout == (
        "review id: BETA 2021-07\n"
        "\n"
        "recommendation 1\n"
        "rec 1 section: overview\n"
        "rec 1 text: Review the risk tools.\n"
        "action 1.1\n"
        "1.1 action: Review.\n"
        "1.1 lead: West Mercia Police\n"
        "1.1 target: 2024-03-31\n"
        "1.1 rag: green\n"
        "action 1.2\n"
        "1.2 action: Publish.\n"
        "1.2 lead: West Midlands Police\n"
        "1.2 target: 2022-12-01\n"
        "1.2 rag: amber\n"
    )


def test_textconv_shows_an_invalid_file_as_it_is(tmp_path, cli):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: [\n")
    result = cli("textconv", str(bad))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "a: ["
    assert result.stdout.startswith("# dhrtrack: not a valid plan (2:1: YAML syntax error")


def test_git_diff_uses_textconv_when_configured(repo):
    import sys

    dhrtrack = [sys.executable, "-m", "dhrtrack"]
    (repo.root / ".gitattributes").write_text("plans/*.yaml diff=dhrtrack\n")
    repo.git("config", "diff.dhrtrack.textconv", " ".join(dhrtrack) + " textconv")
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")
    out = repo.git("diff")
    assert "-2.1 rag: amber\n+2.1 rag: red\n" in out


def test_history_table(repo, cli):
    evolve(repo)
    result = cli("history", "alpha")
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "History of alpha (4)",
        "Date        Commit     Author       Change",
        "─" * 80,
    ]
    assert lines[3].startswith(f"2024-01-02  {repo.first[:9]}  Coordinator  plan added (2 recommendations, 5 actions)")
    assert "⚠ 1.1 target: 2024-01 → 2024-06, slipped 5" in result.stdout  # wrapped at 80 columns


def test_diff_and_history_csv(repo, cli):
    import csv
    import io

    shas = evolve(repo)
    rows = list(csv.reader(io.StringIO(cli("diff", "HEAD~3", "HEAD~2", "--format", "csv").stdout)))
    assert rows == [
        ["review", "file", "recommendation", "action", "change", "field", "old", "new", "description"],
        [
            "ALPHA 2020-01",
            "plans/alpha.yaml",
            "1",
            "1.1",
            "changed",
            "target",
            "2024-06",
            "2024-09",
            "⚠ target: 2024-06 → 2024-09, slipped 3 months",
        ],
    ]
    rows = list(csv.reader(io.StringIO(cli("history", "alpha:1.1", "--format", "csv").stdout)))
    assert rows[0][:5] == ["commit", "date", "author", "rag", "target"]
    assert [(r[0], r[10], r[12]) for r in rows[1:]] == [
        (repo.first[:9], "", ""),
        (shas["slip1"][:9], "target", "2024-06"),
        (shas["slip1"][:9], "rag", "amber"),
        (shas["slip2"][:9], "target", "2024-09"),
    ]


# --- careless and hostile repositories ----------------------------------------------------------------


def test_a_repository_with_no_commits_says_so(tmp_path, chdir, cli, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    repo = GitRepo(tmp_path / "empty")
    repo.write("plans/a.yaml", (FIXTURE / "alpha.yaml").read_text())
    chdir(repo.root)
    for args in (["diff"], ["history", "alpha:1.1"]):
        result = cli(*args)
        assert result.exit_code == 2
        assert "this repository has no commits yet" in result.stderr


def test_a_range_is_a_usage_error_not_gits_message(repo, cli):
    for rev in ("^HEAD", "HEAD..HEAD", "HEAD...HEAD"):
        result = cli("diff", rev)
        assert result.exit_code == 2, rev
        assert f"{rev!r} is a range, not a revision" in result.stderr
        assert "fatal" not in result.stderr


def test_history_of_an_action_that_never_existed(repo, cli):
    result = cli("history", "alpha:9.9")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no action '9.9' in plan 'alpha' at any commit: see its actions with: dhrtrack history alpha\n"
    )


def test_history_of_a_plan_deleted_in_git(repo, cli):
    repo.git("rm", "-q", "plans/beta.yaml")
    deleted = repo.commit("Beta closed: plan removed")
    doc = json.loads(cli("history", "beta", "--format", "json").stdout)
    assert [(e["commit"], [c["change"] for c in e["changes"]]) for e in doc["entries"]] == [
        (repo.first[:9], ["added"]),
        (deleted[:9], ["removed"]),
    ]
    assert doc["entries"][-1]["changes"][0]["description"] == "plan removed (1 recommendation, 2 actions)"
    action = json.loads(cli("history", "beta:1.2", "--format", "json").stdout)
    assert [c["change"] for e in action["entries"] for c in e["changes"]] == ["added", "removed"]


def test_a_file_name_with_a_line_break_leaves_only_itself_out(repo, cli):
    (repo.root / "plans" / "odd\nname.yaml").write_text("x: 1\n")
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")
    repo.commit("odd name")
    result = cli("diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 1
    assert "plans/odd\\nname.yaml at HEAD: not a valid plan (1:1: the file name holds a line break" in result.stderr
    assert [(c["action"], c["field"]) for c in json.loads(result.stdout)["changes"]] == [("2.1", "rag")]


def test_history_in_a_shallow_clone_says_it_is_cut_short(repo, tmp_path, chdir, cli):
    evolve(repo)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    chdir(clone)
    result = cli("history", "alpha:1.1")
    assert result.exit_code == 0
    assert "history is cut short: this is a shallow clone" in result.stderr
    assert "git fetch --unshallow" in result.stderr
    chdir(repo.root)
    assert "shallow" not in cli("history", "alpha:1.1").stderr


def test_changed_paths_names_every_side_of_a_change(repo):
    """Edits, additions, deletions and renames: both names of a rename, nothing unchanged."""
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")
    (repo.root / "plans" / "gamma.yaml").write_text((repo.root / "plans" / "beta.yaml").read_text())
    repo.git("mv", "plans/beta.yaml", "plans/beta-renamed.yaml")
    after = repo.commit("edit, add, rename")
    with Repo(str(repo.root)) as git:
        assert git.changed_paths(repo.first, after, ["plans"]) == {
            "plans/alpha.yaml",
            "plans/beta.yaml",
            "plans/beta-renamed.yaml",
            "plans/gamma.yaml",
        }
        assert git.changed_paths(after, after, ["plans"]) == set()
        assert git.changed_paths(after, None, ["plans"]) == set()  # the work tree is as committed
        (repo.root / "plans" / "alpha.yaml").unlink()
        assert git.changed_paths(after, None, ["plans"]) == {"plans/alpha.yaml"}
