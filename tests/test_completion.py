"""Shell completion through click's completion protocol: what bash is offered when it asks."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

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


# --- through a real bash: the script `_DHRTRACK_COMPLETE=bash_source dhrtrack` prints -----------


@pytest.fixture
def bash(plans, tmp_path, monkeypatch):
    """Complete a command line in a real bash that has sourced dhrtrack's script, with
    `dhrtrack` on PATH (this checkout's); returns COMPREPLY."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    root = Path(__file__).resolve().parent.parent
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "dhrtrack"
    program.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m dhrtrack "$@"\n')
    program.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PYTHONPATH=str(root))
    env.pop("_DHRTRACK_COMPLETE", None)
    script = subprocess.run(
        ["dhrtrack"], env=dict(env, _DHRTRACK_COMPLETE="bash_source"), capture_output=True, text=True, check=True
    ).stdout
    (tmp_path / "completion.bash").write_text(script)

    def complete(line: str) -> list:
        driver = (
            'source "$1"; COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}\n'
            # bash's own words, split at its word breaks as readline does (not used by the script)
            'read -r -a COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n'
            '_dhrtrack_completion dhrtrack "${COMP_WORDS[COMP_CWORD]}" ""\n'
            "printf '%s\\n' \"${COMPREPLY[@]}\""
        )
        done = subprocess.run(
            ["bash", "--norc", "-c", driver, "bash", str(tmp_path / "completion.bash"), line],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return [reply for reply in done.stdout.splitlines() if reply]

    return complete


def test_bash_completes_an_action_after_the_colon_bash_splits_at(bash):
    assert bash("dhrtrack update ") == ["alpha:", "beta:"]
    # bash replaces only what follows the ':' (COMP_WORDBREAKS): the typed `alpha:` is not repeated.
    assert bash("dhrtrack update alpha:") == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert bash("dhrtrack history beta:1") == ["1.1", "1.2"]
    assert bash("dhrtrack sta") == ["status", "stats"]


def test_bash_quotes_values_with_spaces(bash):
    replies = bash("dhrtrack chase --lead west")
    assert replies == ["West\\ Mercia\\ Police", "West\\ Midlands\\ Police"]
    assert bash("dhrtrack agencies --lead Northshire\\ Co") == ["Northshire\\ Council\\ \\&\\ Partners"]
    assert bash("dhrtrack chase --lead=west") == replies  # after '=' (a word break too) the same
    # The shell reads each reply back as one argument.
    words = subprocess.run(
        ["bash", "-c", f'for word in {replies[1]} x; do echo "[$word]"; done'], capture_output=True, text=True
    ).stdout
    assert words == "[West Midlands Police]\n[x]\n"
