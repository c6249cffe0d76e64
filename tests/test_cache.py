"""The cache is correct and bounded (issue #21, item 3), and the process-wide tricks sit at the
entry point (item 4): an entry moved to another name is not served, a cache directory others
could tamper with is not used, edits do not make it grow, the history cache keys on everything
the walk depends on, --no-cache bypasses it, the parallel reader raises the work's own errors,
finding the cache directory leaves the environment alone, and only the console entry pauses
the garbage collector."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import subprocess

import pytest

from dhrtrack.plan import cache, store
from tests.conftest import plan_text, write

ACTION = '- id: "1.1"\n  action: A\n  lead: Police\n  target: 2020-01\n'


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_keys", {})  # each test decides afresh whether its directory is safe
    return tmp_path / "cache"


def make(directory, n=2):
    return [str(write(directory / f"p{i}.yaml", plan_text(ACTION, review_id=f"R {i}"))) for i in range(n)]


def checked_files(monkeypatch) -> list:
    checked: list = []
    real = store.check_path
    monkeypatch.setattr(store, "check_path", lambda args: checked.append(args[0]) or real(args))
    return checked


def snapshot(directory) -> dict:
    """Every file under the directory, with its bytes and modification time."""
    found = {}
    for root, _dirs, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            found[os.path.relpath(path, directory)] = (open(path, "rb").read(), os.stat(path).st_mtime_ns)
    return found


def content_files(cache_dir) -> set:
    content = cache_dir / "content"
    return {str(p.relative_to(content)) for p in content.rglob("*.cache")} if content.exists() else set()


def digest_name(path) -> str:
    name = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return os.path.join(name[:2], name[2:] + ".cache")


# --- an entry is served only under the name it was written for ----------------------------


def test_a_content_entry_renamed_to_another_plans_digest_is_not_served(tmp_path, cache_dir, monkeypatch):
    files = make(tmp_path / "plans")
    store.load_files(files, detail=store.DATA)  # both plans' data into the content cache
    raw = [open(f, "rb").read() for f in files]
    digests = [hashlib.sha256(r).digest() for r in raw]
    # Someone swaps the entries: p0's entry now sits where p1's content is looked up.
    shutil.copyfile(cache.content_path(digests[0]), cache.content_path(digests[1]))
    assert cache.Cache().content(digests[1]) is None
    assert cache.Cache().content(digests[0])[1]["review"]["id"] == "R 0"
    parsed = []
    real = store.check_bytes
    monkeypatch.setattr(store, "check_bytes", lambda file, data: parsed.append(file) or real(file, data))
    data, problem = store.parse_bytes(raw[1], "p1.yaml")
    assert (problem, data["review"]["id"], parsed) == (None, "R 1", ["p1.yaml"])
    loaded = store.load_files(files, detail=store.DATA)
    assert [loaded.take_data(p)["review"]["id"] for p in loaded.plans] == ["R 0", "R 1"]


def test_a_listing_copied_to_another_directory_or_kind_is_not_served(tmp_path, cache_dir, monkeypatch):
    first, second = tmp_path / "north", tmp_path / "south"
    north = make(first)
    south = [str(write(second / f"p{i}.yaml", plan_text(ACTION, review_id=f"S {i}"))) for i in range(2)]
    store.load_files(north)
    store.load_files(south, detail=store.TEXTS)
    # Same file names in both directories: north's listing, copied over south's, would fit.
    shutil.copyfile(cache.listing_path(str(first), "plans"), cache.listing_path(str(second), "plans"))
    assert cache.Cache().listing(str(second), "plans") == {}
    checked = checked_files(monkeypatch)
    assert [p.review for p in store.load_files(south).plans] == ["S 0", "S 1"]
    assert checked == south
    # A listing of one kind put where another kind is looked up.
    shutil.copyfile(cache.listing_path(str(second), "texts"), cache.listing_path(str(second), "plans"))
    assert cache.Cache().listing(str(second), "plans") == {}


# --- a cache directory others could tamper with is not used -------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX ownership and modes")
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o722], ids=["group-writable", "others-writable", "both"])
def test_a_cache_directory_others_can_write_is_not_used(tmp_path, cache_dir, monkeypatch, mode):
    files = make(tmp_path / "plans")
    store.load_files(files, detail=store.DATA)
    assert os.stat(cache_dir).st_mode & 0o777 == 0o700  # made private
    os.chmod(cache_dir, mode)
    monkeypatch.setattr(cache, "_keys", {})
    before = snapshot(cache_dir)
    reads = []
    real_read = cache._read_regular
    monkeypatch.setattr(cache, "_read_regular", lambda path, *a, **k: reads.append(path) or real_read(path, *a, **k))
    checked = checked_files(monkeypatch)
    write(tmp_path / "plans" / "p1.yaml", plan_text(ACTION.replace("2020-01", "2021-01"), review_id="R 1"))
    loaded = store.load_files(files, detail=store.DATA)  # as with --no-cache: checks all, keeps nothing
    assert [p.actions[0].target for p in loaded.plans] == ["2020-01", "2021-01"]
    assert checked == files and reads == []
    assert cache.Cache().on is False and cache.Cache().listing(str(tmp_path / "plans"), "plans") == {}
    assert snapshot(cache_dir) == before
    os.chmod(cache_dir, 0o700)
    monkeypatch.setattr(cache, "_keys", {})
    checked.clear()
    store.load_files(files, detail=store.DATA)
    assert checked == [files[1]]  # private again: used again


@pytest.mark.skipif(os.name == "nt", reason="POSIX ownership and modes")
def test_a_cache_directory_owned_by_another_user_is_not_used(tmp_path, cache_dir, monkeypatch):
    files = make(tmp_path / "plans")
    store.load_files(files)
    monkeypatch.setattr(cache, "_keys", {})
    real_stat = os.stat

    def stat(path, *args, **kwargs):  # the directory seems another user's; its key file is still ours
        info = real_stat(path, *args, **kwargs)
        if os.fspath(path) == str(cache_dir):
            fields = list(info[:10])
            fields[4] = info.st_uid + 1
            return os.stat_result(fields)
        return info

    monkeypatch.setattr(os, "stat", stat)
    before = snapshot(cache_dir)
    checked = checked_files(monkeypatch)
    assert [p.review for p in store.load_files(files).plans] == ["R 0", "R 1"]
    assert checked == files and cache.Cache().on is False
    assert snapshot(cache_dir) == before


@pytest.mark.skipif(os.name == "nt", reason="POSIX ownership and modes")
def test_the_cache_directory_is_made_private_whatever_the_umask(tmp_path, cache_dir):
    old = os.umask(0o002)  # a umask that would make the directory group-writable
    try:
        store.load_files(make(tmp_path / "plans"))
    finally:
        os.umask(old)
    assert os.stat(cache_dir).st_mode & 0o777 == 0o700
    assert cache.Cache().listing(str(tmp_path / "plans"), "plans") != {}


# --- bounded ---------------------------------------------------------------------------------


def test_rounds_of_edits_leave_one_content_entry_per_plan(tmp_path, cache_dir, chdir, cli):
    """Each edit puts the new bytes' data in the content cache; the entry for the bytes the file
    had is removed when its directory's listing is next written. Before, the cache grew by one
    entry per plan per round (20 -> 38 -> 55 MB over three rounds on 500 plans)."""
    files = make(tmp_path / "plans", 4)
    chdir(tmp_path)
    sizes = []
    for round_ in range(1, 4):
        for i in range(4):
            result = cli("update", f"p{i}:1.1", "--target", f"202{round_}-0{i + 1}", "--date", f"202{round_}-01-01")
            assert result.exit_code == 0, result.stderr
        assert cli("status", "--format", "json").exit_code == 0  # the listing is written
        assert content_files(cache_dir) == {digest_name(f) for f in files}
        sizes.append(sum(os.path.getsize(p) for p in (cache_dir / "content").rglob("*.cache")))
    # Each round adds one update of the same size to each plan: the content cache grows by as
    # much as the plans do, never by a copy of every plan.
    plan_bytes = sum(os.path.getsize(f) for f in files)
    assert sizes[2] - sizes[1] == sizes[1] - sizes[0] < plan_bytes


def test_beyond_the_limit_the_least_recently_used_entries_go(tmp_path, cache_dir, monkeypatch):
    """Versions read from git are kept by content; the whole cache stays under LIMIT, the entries
    read or written longest ago going first, and reading an entry counts as using it."""
    versions = [plan_text(ACTION.replace("2020-01", f"20{20 + i}-01"), review_id="R 0").encode() for i in range(10)]
    for i, raw in enumerate(versions):
        store.parse_bytes(raw, f"p.yaml at commit {i}")
    paths = [cache.content_path(hashlib.sha256(raw).digest()) for raw in versions]
    size = os.path.getsize(paths[0])
    assert all(os.path.getsize(p) == size for p in paths) and len(content_files(cache_dir)) == 10
    now = cache.time.time()
    for i, path in enumerate(paths):  # written a day ago, an hour apart: 0 the oldest
        os.utime(path, (now - 86400 + 3600 * i,) * 2)
    store.parse_bytes(versions[0], "p.yaml at commit 0")  # read again: now the most recently used
    monkeypatch.setattr(cache, "LIMIT", 8 * size)
    cache.trim()  # 10 entries over a limit of 8: down to three quarters of it, 6
    assert {os.path.exists(p) for p in paths[1:5]} == {False}
    assert all(os.path.exists(p) for p in [paths[0]] + paths[5:])
    # Writing goes on: the cache never holds more than the limit.
    for i in range(10, 40):
        store.parse_bytes(plan_text(ACTION, review_id=f"R {i}").encode(), f"p.yaml at commit {i}")
        total = sum(os.path.getsize(p) for p in (cache_dir / "content").rglob("*.cache"))
        assert total <= 8 * size + size
    assert len(content_files(cache_dir)) <= 9


def test_a_process_looks_at_the_cache_size_rarely(tmp_path, cache_dir, monkeypatch):
    looked = []
    monkeypatch.setattr(cache, "_unchecked", {})
    monkeypatch.setattr(cache, "_files", lambda directory: looked.append(directory) or [])
    for i in range(20):
        store.parse_bytes(plan_text(ACTION, review_id=f"R {i}").encode(), "p.yaml")
    assert len(looked) == 2  # the first write only: the listings and one content subdirectory


# --- the history cache keys on everything the walk depends on -----------------------------

PLAN = plan_text(ACTION.replace("Police", "Northshire Police"), review_id="NDHR 1")


@pytest.fixture
def history(tmp_path, chdir):
    from tests.gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.write("plans/ndhr.yaml", PLAN)
    repo.first = repo.commit("Plan agreed")
    repo.edit("plans/ndhr.yaml", "target: 2020-01", "target: 2020-04")
    repo.second = repo.commit("1.1 slips three months")
    repo.edit("plans/ndhr.yaml", "target: 2020-04", "target: 2020-05")
    repo.third = repo.commit("1.1 slips a month")
    chdir(repo.root)
    return repo


def slips(cli, *args):
    result = cli("stats", "--as-of", "2024-06-01", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    (group,) = json.loads(result.stdout)["groups"]
    return group["target_slips"], group["months_slipped"]


def count_walks(monkeypatch) -> list:
    from dhrtrack.history import slips as walking

    walks: list = []
    real = walking._walk
    monkeypatch.setattr(walking, "_walk", lambda *a: walks.append(1) or real(*a))
    return walks


def test_a_replace_ref_does_not_change_the_history_read(history, cli, monkeypatch):
    # Issue 24: dhrtrack reads history as committed (git runs with GIT_NO_REPLACE_OBJECTS), so a
    # replace ref that drops the middle commit changes nothing it reports.
    assert slips(cli) == (2, 4)
    walks = count_walks(monkeypatch)
    assert slips(cli) == (2, 4) and walks == []
    history.git("replace", "--graft", history.third, history.first)  # the middle commit would be gone
    assert slips(cli) == (2, 4)
    history.git("replace", "-d", history.third)
    assert slips(cli) == (2, 4)


def test_a_graft_does_not_change_the_history_read(history, cli, monkeypatch):
    assert slips(cli) == (2, 4)
    grafts = history.root / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(f"{history.third} {history.first}\n")
    assert slips(cli) == (2, 4)
    grafts.unlink()
    assert slips(cli) == (2, 4)


def test_the_history_cache_misses_after_unshallow(history, cli, chdir, tmp_path, monkeypatch):
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history.root}", str(clone)], check=True, capture_output=True
    )
    chdir(clone)
    assert slips(cli) == (0, 0)  # one commit: nothing to compare
    walks = count_walks(monkeypatch)
    subprocess.run(["git", "fetch", "-q", "--unshallow"], cwd=clone, check=True, capture_output=True)
    assert slips(cli) == (2, 4) and walks == [1]  # the same HEAD, deeper history


def test_no_cache_bypasses_the_history_cache(history, cli, cache_dir, monkeypatch):
    assert slips(cli, "--no-cache") == (2, 4)
    assert not cache_dir.exists()  # nothing read or written: not even the key
    assert slips(cli) == (2, 4)  # now cached
    walks = count_walks(monkeypatch)
    before = snapshot(cache_dir)
    assert slips(cli, "--no-cache") == (2, 4) and walks == [1]
    result = cli("report", "--no-cache", "--format", "markdown", "--since", "HEAD~1", "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.stderr
    assert walks == [1, 1]
    assert snapshot(cache_dir) == before


# --- process-wide tricks at the entry point ------------------------------------------------

_PARENT = os.getpid()


def _fails_in_workers(item: int) -> int:
    if os.getpid() != _PARENT and item == 7:
        raise PermissionError(13, "the work's own error")
    return item * 2


def _dies_in_workers(item: int) -> int:
    if os.getpid() != _PARENT:
        os._exit(3)
    return item * 2


def test_parallel_map_raises_the_works_own_oserror(monkeypatch):
    from dhrtrack.plan import parallel

    ran_inline = []
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
    with pytest.raises(PermissionError, match="the work's own error"):
        parallel.parallel_map(_fails_in_workers, list(range(60)), jobs=2)
    # Worker processes that cannot be started, or that die, are the pool's failure: in-line.
    import concurrent.futures

    def no_processes(*args, **kwargs):
        ran_inline.append(1)
        raise OSError(38, "Function not implemented")

    assert parallel.parallel_map(_dies_in_workers, list(range(60)), jobs=2) == [i * 2 for i in range(60)]
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_processes)
    assert parallel.parallel_map(_fails_in_workers, list(range(60)), jobs=2) == [i * 2 for i in range(60)]
    assert ran_inline == [1]


def test_cache_dir_leaves_the_environment_alone(tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.delenv("DHRTRACK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cache, "_platform_dirs", {})
    seen = []
    real = platformdirs.user_cache_dir
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **k: seen.append(dict(os.environ)) or real(*a, **k))
    before = dict(os.environ)
    found = cache.cache_dir()
    assert dict(os.environ) == before and seen == [before]
    assert found == os.path.join(str(tmp_path / "home"), ".cache", "dhrtrack")
    # An older platformdirs that takes the relative path as it is: still ignored.
    monkeypatch.setattr(cache, "_platform_dirs", {})
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *a, **k: os.path.join("relative/cache", "dhrtrack"))
    assert cache.cache_dir() == os.path.join(str(tmp_path / "home"), ".cache", "dhrtrack")
    assert dict(os.environ) == before


def test_only_the_console_entry_pauses_the_collector(tmp_path, monkeypatch):
    import sys

    from dhrtrack.cli import main as cli_main

    files = make(tmp_path / "plans")
    during = []
    real = store.load_files
    monkeypatch.setattr(store, "load_files", lambda *a, **k: during.append(gc.isenabled()) or real(*a, **k))
    store.load(files)
    assert during == [True] and gc.isenabled()  # the store leaves the collector alone

    def command(prog_name):
        during.append(gc.isenabled())
        raise SystemExit(0)

    monkeypatch.setattr(cli_main, "main", command)
    monkeypatch.setattr(sys, "argv", ["dhrtrack", "status"])
    with pytest.raises(SystemExit):
        cli_main.run()
    assert during == [True, False] and gc.isenabled()
