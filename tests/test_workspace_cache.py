from __future__ import annotations

import os

import pytest

from dhrtrack.plan import cache, store
from tests.conftest import plan_text, write

ACTION = '- id: "1.1"\n  action: A\n  lead: Police\n  target: 2020-01\n'


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def make(tmp_path, n=3):
    files = []
    for i in range(n):
        files.append(str(write(tmp_path / "plans" / f"p{i}.yaml", plan_text(ACTION, review_id=f"R {i}"))))
    return files


def test_cache_lives_outside_the_plans(tmp_path, cache_dir):
    files = make(tmp_path)
    store.load_files(files)
    assert sorted(os.listdir(tmp_path / "plans")) == ["p0.yaml", "p1.yaml", "p2.yaml"]
    # The figures need only the listing cache (and the key that signs it).
    names = sorted(os.listdir(cache_dir))
    assert names[0] == "key" and names[1].startswith("plans-") and len(names) == 2


def test_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv("DHRTRACK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == str(tmp_path / "xdg" / "dhrtrack")


def test_unchanged_files_come_from_the_cache(tmp_path, monkeypatch):
    files = make(tmp_path)
    first = store.load_files(files)
    checked = []
    real = store.check_path
    monkeypatch.setattr(store, "check_path", lambda args: checked.append(args[0]) or real(args))
    second = store.load_files(files)
    assert checked == []
    assert [p.review for p in second.plans] == [p.review for p in first.plans] == ["R 0", "R 1", "R 2"]
    assert second.plans[0].actions == first.plans[0].actions


def test_a_changed_file_is_checked_again(tmp_path, monkeypatch):
    files = make(tmp_path)
    store.load_files(files)
    write(tmp_path / "plans" / "p1.yaml", plan_text(ACTION.replace("2020-01", "2021-01"), review_id="R 1"))
    checked = []
    real = store.check_path
    monkeypatch.setattr(store, "check_path", lambda args: checked.append(args[0]) or real(args))
    loaded = store.load_files(files)
    assert checked == [files[1]]
    assert loaded.plans[1].actions[0].target == "2021-01"


@pytest.mark.parametrize("stat_trusted", [False, True], ids=["hashed", "stat-trusted"])
def test_same_size_and_mtime_but_other_content_is_read_again(tmp_path, monkeypatch, stat_trusted):
    """Setting the modification time back cannot hide a change: the hash catches it, and where the
    recorded stat is trusted the change time does (it moves on every write)."""
    if stat_trusted:
        monkeypatch.setattr(cache, "RACY_NS", 0)
    files = make(tmp_path, 1)
    store.load_files(files)
    before = os.stat(files[0])
    text = plan_text(ACTION.replace("2020-01", "2020-02"), review_id="R 0")
    assert len(text.encode()) == before.st_size
    with open(files[0], "w", encoding="utf-8") as handle:
        handle.write(text)
    os.utime(files[0], ns=(before.st_atime_ns, before.st_mtime_ns))
    if stat_trusted and os.stat(files[0]).st_ctime_ns == before.st_ctime_ns:
        pytest.skip("this file system's change time did not move within the test")
    assert store.load_files(files).plans[0].actions[0].target == "2020-02"


def test_corrupt_or_foreign_cache_is_never_trusted(tmp_path, monkeypatch):
    files = make(tmp_path)
    store.load_files(files)
    directory = os.path.dirname(os.path.abspath(files[0]))
    path = cache.listing_path(directory, "plans")
    blob = open(path, "rb").read()
    for bad in (b"", b"garbage", blob[:-10], blob[:-1] + bytes([blob[-1] ^ 1]), blob.replace(b"CACHE-3", b"CACHE-9")):
        with open(path, "wb") as handle:
            handle.write(bad)
        assert cache.Cache().listing(directory, "plans") == {}
        checked = []
        real = store.check_path
        monkeypatch.setattr(
            store, "check_path", lambda args, real=real, checked=checked: checked.append(args[0]) or real(args)
        )
        assert [p.review for p in store.load_files(files).plans] == ["R 0", "R 1", "R 2"]
        assert len(checked) == 3
        monkeypatch.setattr(store, "check_path", real)


def test_cache_from_another_version_or_schema_is_ignored(tmp_path, monkeypatch):
    directory = str(tmp_path)
    monkeypatch.setattr(cache, "_stamps", ["version-a|schema-a"])
    cache.Cache().keep_listing(directory, "plans", {"p.yaml": (1, 2, b"h", [], None)})
    assert cache.Cache().listing(directory, "plans") == {"p.yaml": (1, 2, b"h", [], None)}
    monkeypatch.setattr(cache, "_stamps", ["version-a|schema-b"])
    assert cache.Cache().listing(directory, "plans") == {}


def test_entry_that_does_not_fit_the_model_is_checked_again(tmp_path, monkeypatch):
    files = make(tmp_path, 1)
    store.load_files(files)
    directory = os.path.dirname(os.path.abspath(files[0]))
    entries = cache.Cache().listing(directory, "plans")
    size, mtime, digest, errors, plan = entries["p0.yaml"]
    entries["p0.yaml"] = (size, mtime, digest, errors, plan[:3] + ([("short",)],))
    cache.Cache().keep_listing(directory, "plans", entries)
    assert store.load_files(files).plans[0].actions[0].id == "1.1"


def test_no_cache_neither_reads_nor_writes(tmp_path, cache_dir):
    files = make(tmp_path)
    store.load_files(files, use_cache=False)
    assert not cache_dir.exists()


def test_unwritable_cache_directory_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(blocker / "sub"))
    files = make(tmp_path)
    assert len(store.load_files(files).plans) == 3


def test_invalid_files_are_named_with_their_errors(tmp_path):
    files = make(tmp_path, 1)
    bad = str(write(tmp_path / "plans" / "bad.yaml", "schema_version: 1\nreview: {id: X}\nrecommendations: 3\n"))
    loaded = store.load_files(files + [bad])
    assert [p.file for p in loaded.plans] == files
    (invalid,) = loaded.invalid
    assert (invalid.file, invalid.first.line, invalid.first.message) == (
        bad,
        3,
        "recommendations must be a list, found the number 3",
    )
    # Invalid files are cached too, with their errors.
    again = store.load_files(files + [bad])
    assert again.invalid[0].problems == invalid.problems


def test_parallel_check_gives_the_same_result(tmp_path, monkeypatch):
    files = make(tmp_path, 6)
    from dhrtrack.plan import parallel

    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
    parallel = store.load_files(files, use_cache=False, jobs=2)
    serial = store.load_files(files, use_cache=False, jobs=1)
    assert [(p.file, p.actions) for p in parallel.plans] == [(p.file, p.actions) for p in serial.plans]


def test_texts_come_from_their_own_cache_until_a_file_changes(tmp_path, monkeypatch):
    files = make(tmp_path)
    store.load_files(files)  # the figures only
    first = store.load_files(files, detail=store.TEXTS)
    assert [first.text_of(p, p.actions[0]) for p in first.plans] == ["A", "A", "A"]
    checked = []
    real = store.check_path
    monkeypatch.setattr(store, "check_path", lambda args: checked.append(args[0]) or real(args))
    again = store.load_files(files, detail=store.TEXTS)
    assert checked == []
    assert again.text_of(again.plans[1], again.plans[1].actions[0]) == "A"
    write(tmp_path / "plans" / "p1.yaml", plan_text(ACTION.replace("action: A", "action: B"), review_id="R 1"))
    changed = store.load_files(files, detail=store.TEXTS)
    assert checked == [files[1]]
    assert changed.text_of(changed.plans[1], changed.plans[1].actions[0]) == "B"


def test_data_comes_from_the_content_cache_shared_with_git(tmp_path, monkeypatch):
    files = make(tmp_path, 1)
    full = store.load_files(files, detail=store.DATA)
    assert full.data(full.plans[0])["review"]["id"] == "R 0"
    monkeypatch.setattr(store, "check_bytes", lambda *a: pytest.fail("parsed again"))
    again = store.load_files(files, detail=store.DATA)
    assert again.data(again.plans[0])["recommendations"][0]["actions"][0]["action"] == "A"
    # The same bytes read from git (history, diff) are the same entry.
    data, problem = store.parse_bytes(open(files[0], "rb").read(), "plans/p0.yaml at HEAD")
    assert problem is None and data == again.data(again.plans[0])


def test_prepare_data_reads_what_is_not_at_hand_once_and_in_parallel(tmp_path, monkeypatch):
    files = make(tmp_path, 60)  # enough for worker processes
    loaded = store.load_files(files)  # models only: no plan's data is cached yet
    loaded.prepare_data(loaded.plans[:50])
    monkeypatch.setattr(store, "check_bytes", lambda *a: pytest.fail("parsed again"))
    assert [loaded.take_data(p)["review"]["id"] for p in loaded.plans[:50]] == [f"R {i}" for i in range(50)]
    loaded.prepare_data(loaded.plans[:50])  # all at hand now: nothing is read
    monkeypatch.undo()
    uncached = store.load_files(files, use_cache=False)
    uncached.prepare_data(uncached.plans)
    assert sorted(uncached._data) == sorted(files)  # without the cache, the data is kept here
    monkeypatch.setattr(store, "check_bytes", lambda *a: pytest.fail("parsed again"))
    assert uncached.take_data(uncached.plans[59])["review"]["id"] == "R 59"


def test_forged_cache_entries_are_misses_never_crashes(tmp_path):
    """Entries of the right digest but the wrong shape (someone who can write the cache directory)."""
    files = make(tmp_path, 2)
    store.load_files(files)
    directory = os.path.dirname(os.path.abspath(files[0]))
    entries = cache.Cache().listing(directory, "plans")
    size, mtime, digest, _errors, plan = entries["p0.yaml"]
    entries["p0.yaml"] = (size, mtime, digest, 7, plan)  # errors that are not a list
    size, mtime, digest, _errors, _plan = entries["p1.yaml"]
    entries["p1.yaml"] = (size, mtime, digest, [("line", 1, "$", "error", "forged")], None)
    cache.Cache().keep_listing(directory, "plans", entries)
    loaded = store.load_files(files)
    assert [p.review for p in loaded.plans] == ["R 0", "R 1"] and loaded.invalid == []
    # Forged content: data that is not a plan, under the right content hash, by someone who can
    # write the cache directory but cannot read the key (a plain digest, as version 1 wrote).
    raw = open(files[0], "rb").read()
    import hashlib
    import marshal

    digest = hashlib.sha256(raw).digest()
    payload = marshal.dumps((cache._stamp(), ("content", digest), ([], {"not": "a plan"})))
    target = cache.content_path(digest)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(cache.MAGIC + hashlib.sha256(payload).digest() + payload)
    data, problem = store.parse_bytes(raw, "p0.yaml")
    assert problem is None and data["review"]["id"] == "R 0"
    texts = store.load_files(files, detail=store.TEXTS)
    cache.Cache().keep_listing(directory, "texts", {"p0.yaml": (1, 2, b"x", [None])})
    assert store.load_files(files, detail=store.TEXTS).text_of(texts.plans[0], texts.plans[0].actions[0]) == "A"


def test_a_cache_file_that_is_a_fifo_or_device_is_ignored(tmp_path, monkeypatch):
    files = make(tmp_path, 1)
    directory = os.path.dirname(os.path.abspath(files[0]))
    path = cache.listing_path(directory, "plans")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.mkfifo(path)  # a read would block forever
    assert cache.Cache().listing(directory, "plans") == {}
    os.unlink(path)
    os.symlink("/dev/zero", path)  # a read would never end
    assert cache.Cache().listing(directory, "plans") == {}
    assert [p.review for p in store.load_files(files).plans] == ["R 0"]


def test_a_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv("DHRTRACK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert os.path.isabs(cache.cache_dir())
    assert "relative" not in cache.cache_dir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == str(tmp_path / "xdg" / "dhrtrack")


def test_the_update_lock_is_kept_outside_the_plans(tmp_path, cache_dir):
    from dhrtrack.plan.write import directory_lock

    plans = tmp_path / "plans"
    plans.mkdir()
    with directory_lock(str(plans)):
        assert os.listdir(plans) == []
        assert len(os.listdir(cache_dir / "locks")) == 1


def count_reads(monkeypatch) -> list:
    from dhrtrack.plan import files as plan_files

    reads: list = []
    real = plan_files.read_with_stat
    monkeypatch.setattr(plan_files, "read_with_stat", lambda path: reads.append(os.path.basename(path)) or real(path))
    return reads


def test_a_file_whose_stat_is_unchanged_is_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "RACY_NS", 0)  # the files were written just now: trust them at once
    files = make(tmp_path)
    first = store.load_files(files)
    reads = count_reads(monkeypatch)
    second = store.load_files(files)
    assert reads == []
    assert [p.review for p in second.plans] == [p.review for p in first.plans]
    write(tmp_path / "plans" / "p1.yaml", plan_text(ACTION.replace("2020-01", "2021-01"), review_id="R 1"))
    third = store.load_files(files)
    assert reads == ["p1.yaml"] * 2  # hashed, then checked: only the file that changed
    assert third.plans[1].actions[0].target == "2021-01"


def test_a_racily_recent_file_is_hashed_every_time(tmp_path, monkeypatch):
    files = make(tmp_path, 1)  # written now: within RACY_NS of the load
    store.load_files(files)
    reads = count_reads(monkeypatch)
    store.load_files(files)
    assert reads == ["p0.yaml"]
    assert cache.Cache().listing(str(tmp_path / "plans"), "stats") == {}


def test_a_linked_plan_is_always_read(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "RACY_NS", 0)
    files = make(tmp_path, 1)
    link = tmp_path / "plans" / "link.yaml"
    os.symlink("p0.yaml", link)
    store.load_files([str(link)])
    reads = count_reads(monkeypatch)
    store.load_files([str(link)])
    assert reads == ["link.yaml"]  # a link can be pointed elsewhere without its own times moving
    assert files


@pytest.mark.parametrize(
    "forge",
    [
        lambda identity: (identity, b"short"),
        lambda identity: (identity, "0" * 32),
        lambda identity: (list(identity), b"0" * 32),
        lambda identity: (identity, b"0" * 32, 7),
        lambda identity: "text",
        lambda identity: None,
    ],
)
def test_a_stat_record_of_another_shape_is_a_miss(tmp_path, monkeypatch, forge):
    monkeypatch.setattr(cache, "RACY_NS", 0)
    files = make(tmp_path, 1)
    store.load_files(files)
    identity = cache._identity(os.lstat(files[0]))
    cache.Cache().keep_listing(str(tmp_path / "plans"), "stats", {"p0.yaml": forge(identity)})
    reads = count_reads(monkeypatch)
    assert [p.review for p in store.load_files(files).plans] == ["R 0"]
    assert reads == ["p0.yaml"]


def test_the_key_is_private_and_an_untrusted_key_disables_the_cache(tmp_path, cache_dir, monkeypatch):
    files = make(tmp_path, 1)
    store.load_files(files)
    key = cache_dir / "key"
    assert os.stat(key).st_mode & 0o777 == 0o600 and len(key.read_bytes()) == cache.KEY_SIZE
    # A key others can read could sign forged entries: nothing is read from or written to the cache.
    monkeypatch.setattr(cache, "_keys", {})
    os.chmod(key, 0o644)
    checked = []
    real = store.check_path
    monkeypatch.setattr(store, "check_path", lambda args: checked.append(args[0]) or real(args))
    assert [p.review for p in store.load_files(files).plans] == ["R 0"]
    assert checked == files and cache.Cache().listing(str(tmp_path / "plans"), "plans") == {}
    # A key that is a link to another file is not followed.
    monkeypatch.setattr(cache, "_keys", {})
    os.unlink(key)
    secret = tmp_path / "elsewhere"
    secret.write_bytes(b"k" * cache.KEY_SIZE)
    os.chmod(secret, 0o600)
    os.symlink(secret, key)
    assert cache._key() is None
    # A key that is a directory, a pipe or the wrong size is not one either, and nothing breaks.
    too_long = b"k" * (cache.KEY_SIZE + 1)
    for make_key in (
        os.mkdir,
        os.mkfifo,
        lambda path: open(path, "wb").write(b"short"),
        lambda path: open(path, "wb").write(too_long),
    ):
        monkeypatch.setattr(cache, "_keys", {})
        if os.path.isdir(key) and not os.path.islink(key):
            os.rmdir(key)
        else:
            os.unlink(key)
        make_key(key)
        if os.path.isfile(key):
            os.chmod(key, 0o600)
        assert cache._key() is None
        assert [p.review for p in store.load_files(files).plans] == ["R 0"]


def test_a_cache_file_larger_than_any_cache_is_refused_by_its_size(tmp_path, monkeypatch):
    files = make(tmp_path, 1)
    store.load_files(files)
    path = cache.listing_path(os.path.dirname(os.path.abspath(files[0])), "plans")
    monkeypatch.setattr(cache, "MAX_CACHE", os.path.getsize(path))
    assert cache._read_blob(path) is not None
    monkeypatch.setattr(cache, "MAX_CACHE", os.path.getsize(path) - 1)
    assert cache._read_blob(path) is None
