"""The suite itself: it keeps out of the user's home and cache (the autouse `private_home` fixture
in conftest.py), and the cache lands where the README says when nothing points it elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dhrtrack.plan import cache
from tests.conftest import ROOT, SEED_PLAN


def test_during_tests_home_and_cache_are_temporary(tmp_path_factory, private_home):
    base = tmp_path_factory.getbasetemp().resolve()
    for place in (cache.cache_dir(), os.environ["HOME"], os.path.expanduser("~")):
        assert Path(place).resolve().is_relative_to(base), place
    assert Path(os.environ["HOME"]) == private_home
    assert "XDG_CACHE_HOME" not in os.environ


def test_without_an_override_the_platform_cache_is_also_under_the_temporary_home(monkeypatch, private_home):
    monkeypatch.delenv("DHRTRACK_CACHE_DIR")
    assert Path(cache.cache_dir()).resolve().is_relative_to(private_home.resolve())


@pytest.mark.skipif(sys.platform != "linux", reason="~/.cache is the Linux convention")
def test_a_command_with_no_cache_setting_caches_in_home_dot_cache(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DHRTRACK_CACHE_DIR", "XDG_CACHE_HOME")}
    env["HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT)  # this checkout's dhrtrack, whatever is installed
    result = subprocess.run(
        [sys.executable, "-m", "dhrtrack", "summary", str(SEED_PLAN), "--as-of", "2026-11-25", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert written[:2] == [".cache", os.path.join(".cache", "dhrtrack")]
    assert all(p.startswith(os.path.join(".cache", "dhrtrack")) for p in written[1:]), written
    assert any(p.endswith(".cache") for p in written[2:]), written  # a listing was kept there
    assert sorted(os.listdir(tmp_path)) == ["home"]  # nothing beside the plans or in the directory run in
