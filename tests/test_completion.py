"""Shell completion through click's completion protocol: what bash is offered when it asks."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from dhrtrack.cli.main import main
from tests.gitrepo import FIXTURE


def complete(words: str, monkeypatch) -> list:
    """The choices bash gets for the last word of `words` (a trailing space: a new word)."""
    parts = words.split(" ")
    env = {"_DHRTRACK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    result = CliRunner().invoke(main, [], env=env, prog_name="dhrtrack", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


@pytest.fixture
def plans(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(FIXTURE, tmp_path / "plans")
    chdir(tmp_path)
    return tmp_path / "plans"


def test_references_complete_plan_then_action(plans, monkeypatch):
    assert complete("dhrtrack update ", monkeypatch) == ["alpha:", "beta:"]
    assert complete("dhrtrack update al", monkeypatch) == ["alpha:"]
    assert complete("dhrtrack update alpha:", monkeypatch) == [
        "alpha:1.1",
        "alpha:1.2",
        "alpha:1.3",
        "alpha:2.1",
        "alpha:2.2",
    ]
    assert complete("dhrtrack history beta:1", monkeypatch) == ["beta:1.1", "beta:1.2"]
    # A bare id is offered only where one plan has it: 2.1 is alpha's alone, 1.1 is in both.
    assert complete("dhrtrack update 2", monkeypatch) == ["2.1", "2.2"]
    assert complete("dhrtrack update 1.1", monkeypatch) == []


def test_review_and_lead_options_complete_from_the_plans(plans, monkeypatch):
    assert complete("dhrtrack status --review ", monkeypatch) == ["ALPHA 2020-01", "BETA 2021-07"]
    assert complete("dhrtrack overdue --review b", monkeypatch) == ["BETA 2021-07"]
    # Canonical names: the two spellings of the NHS trust are offered once.
    assert complete("dhrtrack agencies --lead ", monkeypatch) == [
        "Northshire Council & Partners",
        "Northshire NHS Foundation Trust",
        "Northshire Police",
        "West Mercia Police",
        "West Midlands Police",
    ]
    assert complete("dhrtrack chase --lead west", monkeypatch) == ["West Mercia Police", "West Midlands Police"]


def test_revisions_complete_with_branches_and_tags(repo, monkeypatch):
    repo.git("tag", "q4-2023")
    assert complete("dhrtrack diff ", monkeypatch) == ["HEAD", "main", "q4-2023"]
    assert complete("dhrtrack report --since q", monkeypatch) == ["q4-2023"]


def test_completion_outside_a_plans_repository_offers_nothing(tmp_path, chdir, monkeypatch):
    chdir(tmp_path)
    assert complete("dhrtrack update ", monkeypatch) == []


def test_commands_complete(monkeypatch):
    assert complete("dhrtrack sta", monkeypatch) == ["status", "stats"]
    assert complete("dhrtrack sho", monkeypatch) == ["show"]
