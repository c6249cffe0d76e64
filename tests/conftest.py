from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from dhrtrack.cli.main import main

# The `repo` fixture: a real temporary git repository of plans (a test module may define its own).
pytest_plugins = ["tests.gitrepo"]

# Property tests check correctness, not speed: no per-example deadline, so a slow or busy machine
# cannot make them flaky. Under CI (CI set, as every CI service sets it) the examples are
# derandomised, so a run is reproducible; on a developer's machine they are random, and
# HYPOTHESIS_PROFILE=fuzz asks for many more. Every counterexample found is pinned with @example.
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True, max_examples=200)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.register_profile("fuzz", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
SEED_PLAN = ROOT / "plans" / "bdhr-2012-13-05.yaml"
# The published seed document (BDHR 2012/13-05 action plan, exported as text), kept in the repository.
SEED_TEXT = ROOT / "tests" / "data" / "bdhr-2012-13-05-action-plan.txt"


# Variables that would lead a test (or a program it runs: dhrtrack, git, Chromium) to the user's
# own files; `private_home` replaces HOME and the cache and removes the rest, so they follow HOME.
USER_PLACES = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "GIT_CONFIG_GLOBAL")


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test runs with a fresh temporary HOME and dhrtrack cache (DHRTRACK_CACHE_DIR), so the
    suite never reads or writes the user's own cache, git configuration or home (issue 21).
    The HOME holds only a git identity, for the tests that commit. A test may still point the cache
    elsewhere, or remove DHRTRACK_CACHE_DIR to reach the platform's place, now under this HOME."""
    place = tmp_path_factory.mktemp("user")
    home = place / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Test\n\temail = test@example.org\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(place / "cache"))
    for name in USER_PLACES:
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def return_key(tmp_path_factory, monkeypatch):
    """The key that signs returns: one per test, never the user's own."""
    path = tmp_path_factory.mktemp("config") / "return-key"
    monkeypatch.setenv("DHRTRACK_RETURN_KEY_FILE", str(path))
    return path


@pytest.fixture
def cli(monkeypatch):
    """Run the CLI in-process with a fixed terminal width and no colour."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def run(*args: str, env: dict | None = None):
        runner = CliRunner()
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def plan_text(actions: str = "", *, review_id: str = "TEST 1", number: int = 1, section: str = "overview") -> str:
    """A small valid plan; `actions` is YAML for the items of the action list."""
    body = textwrap.indent(textwrap.dedent(actions).strip("\n"), " " * 6)
    return (
        "schema_version: 1\n"
        "review:\n"
        f"  id: {review_id}\n"
        "recommendations:\n"
        f"  - number: {number}\n"
        f"    section: {section}\n"
        "    text: A recommendation.\n" + (f"    actions:\n{body}\n" if body else "    actions: []\n")
    )


@pytest.fixture
def chdir(monkeypatch):
    def go(path: Path) -> None:
        monkeypatch.chdir(path)

    return go
