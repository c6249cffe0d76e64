"""Hostile input, round three (issue 24): links out of the repository through a directory,
markdown and bidirectional text in outputs, look-alike agency names, output targets that are not
regular files, implausible dates. Each gives a clear message or the safe behaviour."""

from __future__ import annotations

import os

import pytest

from tests.conftest import ROOT, plan_text, write

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


# --- B. markdown and bidirectional text ----------------------------------------------------------

LINKS = "[x](http://evil.example/1) ![t](http://evil.example/t.png) [c](javascript:alert(1)) <http://evil.example/a> http://evil.example/b www.evil.example"
LINKS_IN_A_CELL = (
    r"\[x\](http\://evil.example/1) !\[t\](http\://evil.example/t.png) \[c\](javascript:alert(1)) "
    r"&lt;http\://evil.example/a> http\://evil.example/b www\.evil.example"
)
LINKS_IN_PROSE = (
    r"\[x\](http\://evil.example/1) !\[t\](http\://evil.example/t.png) \[c\](javascript:alert(1)) "
    r"\<http\://evil.example/a\> http\://evil.example/b www\.evil.example"
)
RLO = "\u202e"


def hostile_repo(tmp_path, monkeypatch, chdir):
    from tests.gitrepo import GitRepo

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    repo = GitRepo(tmp_path / "repo")
    actions = (
        f'- id: "1.1"\n  action: {json_str(LINKS)}\n  lead: {json_str("Police " + LINKS)}\n'
        "  target: 2020-01\n  rag: red\n"
        f'- id: "1.2"\n  action: {json_str("Wire " + RLO + "txt.exe")}\n  lead: {json_str("Pol" + RLO + "ice")}\n'
        "  target: 2020-01\n  rag: red"
    )
    repo.write("plans/h.yaml", plan_text(actions, review_id="H 1"))
    repo.commit("one")
    chdir(repo.root)
    return repo


def json_str(text: str) -> str:
    import json

    return json.dumps(text)


def test_markdown_text_safety_is_one_rule():
    from dhrtrack.wording import markdown_cell, markdown_text

    assert markdown_cell(LINKS) == LINKS_IN_A_CELL
    assert markdown_text(LINKS) == LINKS_IN_PROSE
    assert markdown_cell("a" + RLO + "b|c\nd") == r"ab\|c<br>d"
    assert markdown_text("HTTPS://x mailto:a@b.example") == r"HTTPS\://x mailto\:a@b.example"


MARKDOWN_COMMANDS = [
    ("status",),
    ("overdue",),
    ("report",),
    ("show", "1.1"),
    ("stats",),
    ("chase",),
    ("agencies",),
    ("diff", "HEAD~1", "HEAD"),
]


@pytest.mark.parametrize("command", MARKDOWN_COMMANDS, ids=lambda c: c[0])
def test_every_markdown_output_leaves_plan_links_inert(tmp_path, monkeypatch, chdir, cli, command):
    from markdown_it import MarkdownIt

    repo = hostile_repo(tmp_path, monkeypatch, chdir)
    repo.edit("plans/h.yaml", 'www.evil.example"', 'www.evil.example [y](http://evil.example/2)"')
    repo.commit("two")
    as_of = () if command[0] == "diff" else ("--as-of", "2024-01-01")
    result = cli(*command, "--format", "markdown", *as_of)
    assert result.exit_code in (0, 1), result.stderr
    out = result.stdout
    assert "evil.example" in out and RLO not in out and "Traceback" not in result.stderr
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<a " not in html and "<img" not in html
    assert "http://evil" not in out.replace("http\\://", "") and "www.evil" not in out


def test_bidirectional_controls_are_removed_from_every_output(tmp_path, monkeypatch, chdir, cli):
    import zipfile

    hostile_repo(tmp_path, monkeypatch, chdir)
    validate = cli("validate")
    assert validate.stdout == (
        "plans/h.yaml:16:15: warning: action 1.2: lead holds the bidirectional-text control U+202E, which can make "
        "it display in another order than it is stored (a name that looks the same but is not): delete it "
        "[$.recommendations[0].actions[1].lead]\n"
    )
    for args in (
        ("status", "--format", "markdown"),
        ("status", "--format", "csv"),
        ("export", "--format", "csv"),
        ("report",),
        ("status",),
    ):
        result = cli(*args, "--as-of", "2024-01-01") if args[0] != "export" else cli(*args)
        assert "Wire txt.exe" in result.stdout or "Police" in result.stdout, args
        assert RLO not in result.stdout, args
    for kind in ("docx", "xlsx"):
        out = tmp_path / f"out.{kind}"
        command = ("report", "--format", "docx") if kind == "docx" else ("export", "--format", "xlsx")
        assert cli(*command, "-o", str(out)).exit_code == 0
        with zipfile.ZipFile(out) as package:
            text = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
        assert "Wire txt.exe" in text and RLO not in text, kind


# --- D. output targets ---------------------------------------------------------------------------


def test_force_never_replaces_or_writes_through_a_target_that_is_not_a_regular_file(repo_dir, tmp_path, cli):
    write(repo_dir / "plans" / "good.yaml", VALID)
    os.mkfifo(repo_dir / "fifo")
    elsewhere = write(tmp_path / "elsewhere.html", "kept\n")
    (repo_dir / "link.html").symlink_to(elsewhere)
    dangling = repo_dir / "dangling.xlsx"
    dangling.symlink_to(tmp_path / "nowhere.xlsx")
    for command, target, kind in (
        ("report", "/dev/null", "a device"),
        ("report", "fifo", "a named pipe"),
        ("report", "link.html", "a symbolic link"),
        ("export", "dangling.xlsx", "a symbolic link"),
    ):
        result = cli(command, "-o", target, "--force")
        assert result.exit_code == 2, (command, target)
        assert result.stderr.splitlines()[-1] == (
            f"Error: {target} is {kind}, not a regular file: dhrtrack does not write to it, even with --force "
            "(nothing written); name a new file"
        )
    assert os.path.islink(repo_dir / "link.html") and elsewhere.read_text() == "kept\n"
    assert dangling.is_symlink() and not (tmp_path / "nowhere.xlsx").exists()
    assert cli("report", "-o", "board.html", "--force").exit_code == 0  # a new file is fine


def test_chase_caps_file_names_and_keeps_them_unique(repo_dir, cli):
    long_lead = "Northshire " + "Very Long Partnership Board " * 12
    actions = "\n".join(
        f'- id: "1.{i}"\n  action: A\n  lead: {lead}\n  target: 2020-01\n  rag: red'
        for i, lead in enumerate([long_lead + "One", long_lead + "Two", "Ωmega " * 40], 1)
    )
    write(repo_dir / "plans" / "p.yaml", plan_text(actions))
    result = cli("chase", "--format", "eml", "--out", "out", "--as-of", "2024-01-01")
    assert result.exit_code == 0, result.stderr
    names = sorted(os.listdir(repo_dir / "out"))
    assert len(names) == 3 and all(len(n.encode("utf-8")) <= 100 for n in names)
    slug = "northshire-" + "very-long-partnership-board-" * 12
    assert set(names) == {slug[:96].rstrip("-") + ".eml", slug[:94].rstrip("-") + "-2.eml", "ωmega-" * 13 + "ωmeg.eml"}
    from dhrtrack.reports.chase import file_names

    assert file_names(["a" * 300, "a" * 301], "eml") == ["a" * 96 + ".eml", "a" * 94 + "-2.eml"]
    assert file_names(["é" * 100], "md") == ["é" * 48 + ".md"]


# --- C. look-alike text ----------------------------------------------------------------------------


def test_a_lead_that_mixes_alphabets_is_warned_about(repo_dir, cli):
    actions = '- id: "1.1"\n  action: A\n  lead: West Midlands Police\n- id: "1.2"\n  action: B\n  lead: West Midlands Pol\u0456ce'
    write(repo_dir / "plans" / "p.yaml", plan_text(actions))
    write(
        repo_dir / "plans" / "welsh.yaml",
        plan_text('- id: "1.1"\n  action: A\n  lead: Cyngor Sir Ynys Môn', review_id="W 1"),
    )
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout == (
        "plans/p.yaml:14:15: warning: action 1.2: lead 'West Midlands Pol\u0456ce' mixes alphabets: the word "
        "'Pol\u0456ce' holds '\u0456' (U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I) among Latin letters, "
        "so it looks like another name but is not: retype it [$.recommendations[0].actions[1].lead]\n"
    )
    strict = cli("validate", "--strict", "--format", "json")
    assert strict.exit_code == 1 and '"column": 15' in strict.stdout


# --- E. implausible dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (("--target", "0001-01"), "the target 0001-01 is not a plausible date"),
        (("--target", "9999-12-31"), "the target 9999-12-31 is not a plausible date"),
        (
            ("--rag", "complete", "--outcome", "Done.", "--completed", "2199-01-01"),
            "completed 2199-01-01 is not a plausible date",
        ),
        (("--date", "1899-12-25", "--note", "x"), "the update's date 1899-12-25 is not a plausible date"),
    ],
)
def test_update_refuses_implausible_dates(repo_dir, cli, args, message):
    import datetime as dt

    plan = write(repo_dir / "plans" / "good.yaml", VALID)
    result = cli("update", "1.1", *args)
    assert result.exit_code == 2
    latest = dt.date.today().year + 50
    assert result.stderr.splitlines()[-1] == (
        f"Error: action 1.1: {message}: a plan's dates fall between 1990 and {latest}; nothing written"
    )
    assert plan.read_text() == VALID


def test_update_refuses_a_completion_after_the_updates_date(repo_dir, cli):
    write(repo_dir / "plans" / "good.yaml", VALID)
    result = cli(
        "update", "1.1", "--rag", "complete", "--outcome", "Done.", "--completed", "2031-01-01", "--date", "2026-01-01"
    )
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: action 1.1: completion date 2031-01-01 is after 2026-01-01, the date of this update; nothing written"
    )


# --- F. git's corners -----------------------------------------------------------------------------


@pytest.fixture
def git_repo(tmp_path, chdir, monkeypatch):
    from tests.gitrepo import GitRepo

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    r = GitRepo(tmp_path / "repo")
    r.write("plans/good.yaml", plan_text('- id: "1.1"\n  action: A\n  lead: Police\n  rag: red'))
    r.first = r.commit("red")
    r.edit("plans/good.yaml", "rag: red", "rag: amber")
    r.second = r.commit("amber")
    chdir(r.root)
    return r


def _rag_at(cli, rev):
    import json

    result = cli("status", "--at", rev, "--format", "json", "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["reviews"][0]


def test_replace_objects_and_grafts_do_not_change_what_history_shows(git_repo, cli):
    git_repo.git("replace", git_repo.second, git_repo.first)  # HEAD would now show the red commit
    assert git_repo.git("show", "HEAD:plans/good.yaml").count("rag: red") == 1
    assert _rag_at(cli, "HEAD")["amber"] == 1
    assert cli("diff", "HEAD~1", "HEAD").stdout.splitlines()[0] == "Changes from HEAD~1 to HEAD (1)"
    git_repo.git("replace", "-d", git_repo.second)
    grafts = git_repo.root / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(git_repo.second + "\n")  # a graft cutting HEAD's parent off
    history = cli("history", "good:1.1", "--format", "json")
    assert history.exit_code == 0, history.stderr
    assert len(__import__("json").loads(history.stdout)["entries"]) == 2
    assert _rag_at(cli, "HEAD~1")["red"] == 1


def test_a_file_name_with_a_line_break_leaves_only_itself_out_of_an_at_report(git_repo, cli):
    git_repo.write("plans/bad\nname.yaml", VALID)
    git_repo.commit("a file name with a line break")
    result = cli("status", "--at", "HEAD", "--as-of", "2024-06-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "plans/bad\\nname.yaml:1:1: error: the file name holds a line break, so git cannot be asked for it: "
        "rename the file\n"
        "  plans/bad\\nname.yaml is invalid and left out of this report; see: dhrtrack validate plans/bad\\nname.yaml\n"
    )
    assert "TEST 1" in result.stdout  # the other plan is reported


def test_a_plans_link_inside_the_repository_works_at_a_revision_and_in_diff(tmp_path, chdir, monkeypatch, cli):
    from tests.gitrepo import GitRepo

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    r = GitRepo(tmp_path / "repo")
    r.write("data/plans/good.yaml", VALID)
    (r.root / "plans").symlink_to("data/plans")
    r.commit("plans through a link")
    chdir(r.root)
    assert _rag_at(cli, "HEAD")["actions"] == 1
    diff = cli("diff")
    assert diff.exit_code == 0, diff.stderr
    assert diff.stdout == "Changes from HEAD to the work tree: no changes to plan data\n"


@pytest.mark.parametrize("spec", [":(glob)**", ":(exclude)plans/good.yaml", ":!plans"])
def test_pathspec_magic_is_a_usage_error(git_repo, cli, spec):
    result = cli("diff", "--", spec)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {spec!r} is git pathspec magic, which dhrtrack does not take: name plan files or directories "
        f"as they are (a file whose name starts with ':' is ./{spec})"
    )
    status = cli("status", "--at", "HEAD", spec)  # the reports take only paths that exist
    assert status.exit_code == 2
    assert status.stderr.splitlines()[-1] == f"Error: Invalid value for '[PATHS]...': Path {spec!r} does not exist."


def test_glob_characters_in_a_path_are_taken_literally(git_repo, cli):
    result = cli("diff", "HEAD~1", "HEAD", "--", "plans/*.yaml")
    assert result.exit_code == 0
    assert result.stdout == "Changes from HEAD~1 to HEAD: no changes to plan data\n"


def test_a_path_through_dot_dot_in_a_ref_is_not_a_revision(git_repo, cli):
    result = cli("status", "--at", "refs/heads/../../config")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: 'refs/heads/../../config' is not a revision: a branch or tag name cannot hold '..'"
    )
    assert cli("status", "--at", "HEAD~1..HEAD").stderr.splitlines()[-1] == (
        "Error: 'HEAD~1..HEAD' is a range, not a revision: name one commit (a branch, a tag, HEAD~2 ...)"
    )


def _without_git(tmp_path, *args, cwd):
    import subprocess
    import sys

    empty = tmp_path / "no-git-here"
    empty.mkdir(exist_ok=True)
    env = dict(os.environ, PATH=str(empty), PYTHONPATH=str(ROOT), NO_COLOR="1", COLUMNS="80")
    return subprocess.run(
        [sys.executable, "-m", "dhrtrack", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_missing_git_is_named_as_such(git_repo, tmp_path):
    for args in (["diff"], ["history", "good:1.1"], ["status", "--at", "HEAD"]):
        result = _without_git(tmp_path, *args, cwd=git_repo.root)
        assert (result.returncode, result.stderr) == (
            1,
            "Error: git is not installed or not on the PATH: dhrtrack needs it to read plan history\n",
        )
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    init = _without_git(tmp_path, "init", ".", cwd=fresh)
    assert init.returncode == 0, init.stderr
    assert "git init" not in init.stdout
    assert (
        "  1. install git: it is not installed or not on the PATH (plans live in git: it is the audit trail)\n"
        in init.stdout
    )


def test_init_fails_when_git_cannot_write_its_config(tmp_path, chdir, cli):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path / "r")], check=True)
    config = tmp_path / "r" / ".git" / "config"
    config.unlink()
    config.symlink_to(tmp_path / "nowhere" / "config")  # dangling: git cannot lock or write it
    chdir(tmp_path / "r")
    result = cli("init", ".")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: git could not set the textconv driver in this repository's configuration: "
        "error: could not lock config file .git/config: No such file or directory\n"
    )
    assert "git init" not in result.stdout
    assert "created ./plans/example.yaml" in result.stdout or "created" in result.stdout


# --- G. leaks and debris --------------------------------------------------------------------------


def _workbook(tmp_path, rows, name="plan.xlsx", change=None):
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(str(path))
    if change is None:
        return path
    out = tmp_path / f"changed-{name}"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, change(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out


PLAN_ROWS = [
    ["No.", "Recommendation", "Action", "Lead Agency", "Target date", "RAG"],
    [1, "Share information.", "Train staff.", "Northshire Police", "2025-03", "Amber"],
]
# An extension openpyxl drops, with a UserWarning, when it reads the sheet.
DATA_VALIDATION_EXTENSION = b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"/></extLst></worksheet>'


def test_a_library_warning_never_reaches_stderr(tmp_path, chdir, cli):
    import warnings

    from dhrtrack.importing.returns import read_return

    chdir(tmp_path)
    book = _workbook(tmp_path, PLAN_ROWS, change=lambda d: d.replace(b"</worksheet>", DATA_VALIDATION_EXTENSION))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pytest records warnings rather than print them: make one fail
        result = cli("import", str(book), "--review-id", "R 1", "-o", "plans/r.yaml")
    assert result.exit_code == 0
    assert result.stderr == "wrote plans/r.yaml: 1 recommendation, 1 action\n"
    returned = _workbook(
        tmp_path,
        [["Ref", "New RAG", "Update", "Outcome", "Completed on", "New target", "Evidence"], ["r:1.1", "amber"]],
        "return.xlsx",
        change=lambda d: d.replace(b"</worksheet>", DATA_VALIDATION_EXTENSION),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_return(str(returned)).answers[0].cells["New RAG"] == "amber"


@pytest.mark.parametrize("codec", ["utf-8", "utf-16"])
def test_a_dtd_anywhere_in_any_xml_part_is_refused(tmp_path, codec):
    from dhrtrack.importing import ImportFailed, import_file

    def late_dtd(data):
        text = data.decode("utf-8").replace(
            "<worksheet", "<!--" + "x" * 70_000 + '--><!DOCTYPE w [<!ENTITY a "b">]><worksheet', 1
        )
        return text.replace('encoding="UTF-8"', f'encoding="{codec.upper()}"').encode(codec)

    book = _workbook(tmp_path, PLAN_ROWS, change=late_dtd)
    with pytest.raises(ImportFailed) as refused:
        import_file(str(book))
    assert str(refused.value) == (
        f"{book}: part xl/worksheets/sheet1.xml declares a DTD or entities, which Office files never do: refused"
    )


def test_a_damaged_compressed_part_is_one_line(tmp_path):
    """Found by the fuzz of the return reader: zlib's own error escaped the pre-check."""
    import struct
    import zipfile

    from dhrtrack.importing import ImportFailed, import_file
    from dhrtrack.importing.returns import read_return

    book = _workbook(tmp_path, [["Ref", "New RAG"]])
    raw = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as archive:
        part = archive.getinfo("xl/worksheets/sheet1.xml")
    name, extra = struct.unpack("<HH", raw[part.header_offset + 26 : part.header_offset + 30])
    start = part.header_offset + 30 + name + extra
    raw[start : start + part.compress_size] = b"\xff" * part.compress_size
    book.write_bytes(bytes(raw))
    expected = f"{book} is not an Excel workbook that can be read (.xlsx): Error -3 while decompressing data: invalid block type"
    for read in (read_return, import_file):
        with pytest.raises(ImportFailed) as refused:
            read(str(book))
        assert str(refused.value) == expected


WORKER_SCRIPT = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from dhrtrack.plan.parallel import parallel_map
import slow

parallel_map(slow.work, [sys.argv[2]] * 60, jobs=2)
"""
SLOW = """
import os, time

def work(where):
    with open(os.path.join(where, str(os.getpid())), "w"):
        pass
    time.sleep(120)
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc to see the workers")
def test_killing_the_parent_ends_its_workers(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "slow.py").write_text(SLOW)
    seen = tmp_path / "pids"
    seen.mkdir()
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{tmp_path}")
    parent = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, str(ROOT), str(seen)], env=env)
    try:
        deadline = time.monotonic() + 60
        while len(os.listdir(seen)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(name) for name in os.listdir(seen)]
        assert len(workers) == 2 and all(_running(pid) for pid in workers)
    finally:
        parent.send_signal(signal.SIGKILL)  # kill -9: no cleanup runs in the parent
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)


def test_a_pdf_librarys_log_never_reaches_stderr(tmp_path):
    import subprocess
    import sys

    # pdfminer logs "MediaBox missing from /Page (and not inherited), defaulting to US Letter",
    # which Python prints on stderr when no one set logging up (as in a real run, not in pytest).
    raw = (ROOT / "tests" / "fixtures" / "import" / "agency-plans.pdf").read_bytes()
    damaged = tmp_path / "no-media-box.pdf"
    damaged.write_bytes(raw.replace(b"/MediaBox", b"/MediaBoz"))
    result = subprocess.run(
        [sys.executable, "-m", "dhrtrack", "import", str(damaged), "--review-id", "R 1", "--dry-run"],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()  # the one error, and nothing from the library
    assert line.startswith(f"Error: {damaged} is not a PDF that can be read: ")


# --- H. implausible dates in an imported document -------------------------------------------------


def test_import_keeps_an_implausible_date_in_import_notes(tmp_path, chdir, cli):
    import datetime as dt

    import yaml

    chdir(tmp_path)
    book = _workbook(
        tmp_path,
        [
            ["No.", "Recommendation", "Action", "Lead Agency", "Target date", "RAG", "Completed"],
            [1, "Share information.", "Train staff.", "Northshire Police", dt.datetime(1899, 12, 25), "Amber"],
            [2, "Audit.", "Audit files.", "Northshire Police", "9999-12-31", "Complete", "1066-10-14"],
            [3, "Audit.", "Audit again.", "Northshire Police", "March 2025", "Complete", "01/04/2025"],
        ],
    )
    result = cli("import", str(book), "--review-id", "R 1", "-o", "plans/r.yaml")
    assert result.exit_code == 0, result.stderr
    latest = dt.date.today().year + 50
    bounds = f"is not a plausible date: a plan's dates fall between 1990 and {latest}; kept in import_notes"
    assert result.stderr.splitlines() == [
        f"{book}: sheet 'Sheet' row 2: warning: action 1.1: Target Date cell 1899-12-25 {bounds}",
        f"{book}: sheet 'Sheet' row 3: warning: action 2.1: Target Date cell 9999-12-31 {bounds}",
        f"{book}: sheet 'Sheet' row 3: warning: action 2.1: Completed cell 1066-10-14 {bounds}",
        "wrote plans/r.yaml: 3 recommendations, 3 actions, 3 warnings",
    ]
    actions = [r["actions"][0] for r in yaml.safe_load((tmp_path / "plans" / "r.yaml").read_text())["recommendations"]]
    assert [(a.get("target"), a.get("completed"), a.get("import_notes")) for a in actions] == [
        (None, None, ["Target Date: 1899-12-25"]),
        (None, None, ["Target Date: 9999-12-31", "Completed: 1066-10-14"]),
        ("2025-03", dt.date(2025, 4, 1), None),  # yaml.safe_load reads a day as a date
    ]
