"""Golden files (tests/expected/) for diff, history, chase and the board report: the exact text
users see, at a fixed date and terminal width, over a repository with a known history."""

from __future__ import annotations

import shutil

import pytest

from tests.gitrepo import evolve
from tests.golden import assert_golden

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def evolved(repo):
    repo.git("tag", "q4")
    evolve(repo)
    return repo


@pytest.mark.parametrize("fmt, suffix", [("table", "txt"), ("markdown", "md"), ("json", "json"), ("csv", "csv")])
def test_diff_golden(evolved, cli, fmt, suffix):
    result = cli("diff", "q4", "HEAD", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_golden(f"diff.{suffix}", result.stdout)


@pytest.mark.parametrize("ref, name", [("alpha:1.1", "history-action"), ("alpha", "history-plan")])
@pytest.mark.parametrize("fmt, suffix", [("table", "txt"), ("markdown", "md")])
def test_history_golden(evolved, cli, ref, name, fmt, suffix):
    result = cli("history", ref, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{name}.{suffix}", result.stdout)


@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_chase_golden(evolved, cli, fmt, suffix):
    result = cli("chase", "--as-of", "2024-03-15", "--from", "Northshire CSP coordinator", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_golden(f"chase.{suffix}", result.stdout)


def test_report_markdown_golden(evolved, cli):
    result = cli("report", "--as-of", "2024-03-15", "--since", "q4", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert_golden("report.md", result.stdout)
