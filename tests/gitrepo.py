"""A real temporary git repository of plans for the tests, with a realistic series of commits."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "reports" / "plans"


class GitRepo:
    def __init__(self, root: Path):
        self.root = root
        self.clock = 1
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Coordinator")
        self.git("config", "user.email", "coordinator@example.org")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        date = f"2024-01-{self.clock:02d}T10:00:00+00:00"
        env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True).stdout

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        target = self.root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, old
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str) -> str:
        self.clock += 1  # one day a commit: 2024-01-01, 2024-01-02, ...
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    r = GitRepo(tmp_path / "repo")
    shutil.copytree(FIXTURE, tmp_path / "repo" / "plans")
    r.first = r.commit("Initial plans")
    chdir(tmp_path / "repo")
    return r


def evolve(repo: GitRepo) -> dict:
    """A realistic series of commits; returns their hashes by name."""
    shas = {}
    repo.edit(
        "plans/alpha.yaml", "        target: 2024-01\n        rag: red", "        target: 2024-06\n        rag: amber"
    )
    shas["slip1"] = repo.commit("Police update: new target")
    repo.edit("plans/alpha.yaml", "        target: 2024-06\n", "        target: 2024-09\n")
    shas["slip2"] = repo.commit("Police update: target slips again")
    repo.git("mv", "plans/beta.yaml", "plans/beta-2021.yaml")
    repo.edit("plans/beta-2021.yaml", "        rag: amber", "        rag: red")
    shas["rename"] = repo.commit("Rename beta; RAG to red")
    repo.edit(
        "plans/alpha.yaml",
        "        action: Audit.\n        lead: Northshire NHS Foundation Trust\n",
        "        action: Audit the referral records.\n        lead: Northshire NHS Foundation Trust\n"
        "        rag: complete\n        completed: 2024-03-01\n        outcome: Audit done; 92% compliance.\n",
    )
    repo.edit(
        "plans/alpha.yaml",
        '      - id: "2.2"\n',
        '      - id: "2.3"\n        action: Publish the protocol.\n'
        '        lead: Northshire Police\n        target: 2024-12\n      - id: "2.2"\n',
    )
    shas["complete"] = repo.commit("Audit complete; new action")
    return shas
