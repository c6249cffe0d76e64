"""Hostile input, round three (issue 24): links out of the repository through a directory,
markdown and bidirectional text in outputs, look-alike agency names, output targets that are not
regular files, implausible dates. Each gives a clear message or the safe behaviour."""

from __future__ import annotations

import pytest

from tests.conftest import plan_text, write

VALID = plan_text('- id: "1.1"\n  action: A\n  lead: Police')
SECRET = "schema_version: 1\nreview: {id: SECRET-TOKEN-42}\n"


@pytest.fixture
def repo_dir(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    chdir(root)
    return root


# --- A. path safety: the whole path is resolved ---------------------------------------------------

THROUGH_PLANS = (
    "is reached through plans, a symbolic link to a directory outside the repository: dhrtrack does "
    "not follow it (nothing was read); replace the link with the directory itself"
)


def test_a_plans_link_to_a_directory_outside_the_repository_is_refused_unread(repo_dir, tmp_path, cli):
    outside = tmp_path / "outside"
    write(outside / "x.yaml", SECRET)
    write(outside / "good.yaml", VALID)
    (repo_dir / "plans").symlink_to(outside)
    before = (outside / "good.yaml").read_bytes()
    validate = cli("validate")
    assert validate.exit_code == 1
    assert validate.stdout.splitlines() == [
        f"plans/good.yaml:1:1: error: {THROUGH_PLANS} [$]",
        f"plans/x.yaml:1:1: error: {THROUGH_PLANS} [$]",
    ]
    named = cli("validate", "plans/x.yaml")
    assert named.exit_code == 1 and named.stdout == f"plans/x.yaml:1:1: error: {THROUGH_PLANS} [$]\n"
    status = cli("status")
    assert status.exit_code == 1 and f"plans/x.yaml:1:1: error: {THROUGH_PLANS}" in status.stderr
    update = cli("update", "good:1.1", "--rag", "amber", "--date", "2024-01-01")
    assert update.exit_code == 1
    assert update.stderr == (
        f"Error: plans/good.yaml is not a valid plan now (1:1: {THROUGH_PLANS}); "
        "fix it first: dhrtrack validate plans/good.yaml\n"
    )
    for result in (validate, named, status, update):
        assert "SECRET-TOKEN-42" not in result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    assert (outside / "good.yaml").read_bytes() == before


def test_every_reader_and_writer_applies_the_one_rule(repo_dir, tmp_path):
    from dhrtrack.errors import DhrtrackError
    from dhrtrack.plan.files import Unreadable, read_bytes
    from dhrtrack.plan.write import replace_if_unchanged

    outside = write(tmp_path / "outside" / "good.yaml", VALID)
    (repo_dir / "plans").symlink_to(outside.parent)
    with pytest.raises(Unreadable) as read:
        read_bytes("plans/good.yaml")
    assert read.value.message == THROUGH_PLANS
    with pytest.raises(DhrtrackError) as written:
        replace_if_unchanged("plans/good.yaml", outside.read_bytes(), "changed\n")
    assert written.value.message == f"plans/good.yaml {THROUGH_PLANS}; nothing written"
    assert outside.read_text() == VALID


def test_a_plans_link_within_the_repository_is_followed(repo_dir, cli):
    write(repo_dir / "shared" / "good.yaml", VALID)
    (repo_dir / "plans").symlink_to(repo_dir / "shared")
    assert cli("validate").exit_code == 0
    result = cli("update", "1.1", "--rag", "amber", "--date", "2024-01-01")
    assert result.exit_code == 0, result.stderr
    assert "rag: amber" in (repo_dir / "shared" / "good.yaml").read_text()
