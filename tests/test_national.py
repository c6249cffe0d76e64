"""The national layer: `package` (a partnership's data package with provenance), `gather` (many
packages in one SQLite database, duplicates counted once, unknown formats refused) and `--from`
(reports over the gathered database answer as the plans read directly)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from dhrtrack import __version__
from dhrtrack.cli.main import main
from dhrtrack.plan.spelling import spelling_key
from tests import national_corpus
from tests.gitrepo import GitRepo

AS_OF = "2026-11-30"
ENV = {"COLUMNS": "80", "NO_COLOR": "1"}


def run(*args: str):
    return CliRunner().invoke(main, list(args), env=ENV, catch_exceptions=False)


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """Six partnerships' plans (two in git repositories with history), packaged; one package
    zipped, one committed to a repository of packages and one packaged again a month earlier."""
    root = tmp_path_factory.mktemp("national")
    partnerships = national_corpus.make(6, 20, seed=5, joint=3)
    commits = {}
    for n, partnership in enumerate(partnerships):
        home = root / "partnerships" / partnership.area
        if n < 2:
            repo = GitRepo(home)
            national_corpus.write(partnership, home / "plans")
            repo.commit("Plans")
            file = sorted(partnership.plans)[0]
            target = partnership.plans[file]["recommendations"][0]["actions"][0]["target"]
            later = f"{int(target[:4]) + 1}{target[4:]}"
            repo.edit(f"plans/{file}", f"target: {target}\n", f"target: {later}\n")
            partnership.plans[file]["recommendations"][0]["actions"][0]["target"] = later
            commits[partnership.name] = repo.commit("Target moved a year later")
        else:
            national_corpus.write(partnership, home / "plans")
    packages = root / "packages"
    for partnership in partnerships:
        made = run(
            "package",
            str(root / "partnerships" / partnership.area / "plans"),
            "-o",
            str(packages / partnership.area),
            "--as-of",
            AS_OF,
        )
        assert made.exit_code == 0, made.output
    older = run(
        "package",
        str(root / "partnerships" / partnerships[3].area / "plans"),
        "-o",
        str(root / "older" / partnerships[3].area),
        "--as-of",
        "2026-10-31",
    )
    assert older.exit_code == 0, older.output
    # one package as a zip file, one in a git repository of packages
    archive = root / "sources" / "eastvale.zip"
    archive.parent.mkdir(parents=True)
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted((packages / partnerships[1].area).rglob("*")):
            zipped.write(path, f"eastvale/{path.relative_to(packages / partnerships[1].area).as_posix()}")
    shutil.rmtree(packages / partnerships[1].area)
    published = GitRepo(root / "published")
    shutil.move(str(packages / partnerships[2].area), str(root / "published" / "southmoor"))
    published.commit("Southmoor's package")
    (root / "published" / "southmoor" / "reviews.csv").write_text("changed after the commit\n")
    database = root / "national.sqlite"
    gathered = run(
        "gather",
        str(packages),
        str(archive),
        f"{root / 'published'}@main",
        str(root / "older"),
        "-o",
        str(database),
        "--as-of",
        AS_OF,
    )
    return {"root": root, "partnerships": partnerships, "commits": commits, "database": database, "gathered": gathered}


def rows(database: Path, sql: str):
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def kept_plans(partnerships):
    """Each review once, as the documented rule keeps it: with one as-of date, the copy in the
    package given first (the packages directory's, by name; then the zip file's; then the git
    repository's); the older package's plans are all duplicates."""
    given = sorted(partnerships[3:] + partnerships[:1], key=lambda p: p.area) + [partnerships[1], partnerships[2]]
    seen, kept = set(), []
    for partnership in given:
        for file, data in sorted(partnership.plans.items()):
            key = spelling_key(data["review"]["id"])
            if key not in seen:
                seen.add(key)
                kept.append((partnership, file, data))
    return kept


def test_gather_counts_each_review_once_and_reports_every_copy(national):
    result = national["gathered"]
    assert result.exit_code == 0, result.output
    duplicates = [line for line in result.stderr.splitlines() if line.startswith("duplicate: ")]
    older_plans = len(national["partnerships"][3].plans)
    assert len(duplicates) == 3 + older_plans
    assert result.stderr.splitlines()[-1] == (
        f"wrote {national['database']}: 20 plans from 7 packages; {3 + older_plans} duplicates counted once"
    )
    assert rows(national["database"], "SELECT count(*) FROM duplicates") == [(3 + older_plans,)]
    reviews = rows(national["database"], "SELECT review_id FROM reviews")
    assert len(reviews) == 20 and len({spelling_key(r) for (r,) in reviews}) == 20


def test_every_row_names_its_package_and_the_package_its_provenance(national):
    database, partnerships = national["database"], national["partnerships"]
    packages = rows(
        database,
        "SELECT id, partnership, commit_id, uncommitted_changes, as_of, dhrtrack_version, format_version, source "
        "FROM packages ORDER BY id",
    )
    assert [p[1] for p in packages] == sorted(
        [p.name for p in partnerships if p is not partnerships[1] and p is not partnerships[2]]
    ) + [partnerships[1].name, partnerships[2].name, partnerships[3].name]
    by_name = {p[1]: p for p in packages[:-1]}
    for partnership in partnerships:
        _id, _name, commit, uncommitted, as_of, version, fmt, _source = by_name[partnership.name]
        assert commit == national["commits"].get(partnership.name)
        assert (uncommitted, as_of, version, fmt) == (0, AS_OF, __version__, 1)
    assert packages[-1][4] == "2026-10-31"
    assert packages[-3][7].endswith("eastvale.zip!eastvale/")
    assert packages[-2][7].endswith("published@main:southmoor/")
    for table in ("reviews", "recommendations", "actions", "themes", "changes"):
        assert rows(database, f"SELECT count(*) FROM {table} WHERE package IS NULL") == [(0,)], table
    mismatched = rows(
        database,
        "SELECT reviews.review_id FROM reviews JOIN packages ON packages.id = reviews.package "
        "WHERE reviews.partnership != packages.partnership",
    )
    assert mismatched == []


def test_the_register_over_the_database_matches_an_independent_count(national):
    result = run("register", "--from", str(national["database"]), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    expected: dict = {}
    waiting = set()
    kept = kept_plans(national["partnerships"])
    written = Counter(rec.get("addressee") for _p, _f, plan in kept for rec in plan["recommendations"])
    # "Home Office" and "HOME OFFICE" are one addressee, under the spelling used more often
    home_office = max(("Home Office", "HOME OFFICE"), key=lambda name: (written[name], name == "HOME OFFICE"))
    for _p, _file, plan in kept:
        for rec in plan["recommendations"]:
            if rec.get("scope") == "local" and "addressee" not in rec:
                continue
            name = rec.get("addressee") or "(no addressee)"
            name = home_office if name in ("Home Office", "HOME OFFICE") else name
            response = rec.get("response") or {}
            expected.setdefault(name, Counter())[response.get("outcome") or "awaiting"] += 1
            if response.get("sent") and not response.get("received"):
                days = (dt.date.fromisoformat(AS_OF) - dt.date.fromisoformat(response["sent"])).days
                if not response.get("acknowledged") or days > 183:
                    waiting.add((plan["review"]["id"], rec["number"], days))
    got = {row["addressee"]: row for row in document["by_addressee"] if row["addressee"] != "Total"}
    assert set(got) == set(expected)
    for name, counts in expected.items():
        assert got[name]["recommendations"] == sum(counts.values())
        for outcome, count in counts.items():
            assert got[name][outcome] == count
    assert {(r["review"], r["recommendation"], r["days"]) for r in document["unacknowledged"]} == waiting


def test_stats_over_the_database_are_the_stats_of_the_plans_read_directly(national, tmp_path):
    direct = tmp_path / "plans"
    direct.mkdir()
    for partnership, file, data in kept_plans(national["partnerships"]):
        national_corpus.write(national_corpus.Partnership(partnership.name, partnership.area, {file: data}), direct)
    for by in ("agency", "review", "year", "scope", "theme", "kind"):
        gathered = run("stats", "--from", str(national["database"]), "--as-of", AS_OF, "--by", by, "--format", "json")
        read = run("stats", str(direct), "--as-of", AS_OF, "--by", by, "--format", "json")
        assert gathered.exit_code == read.exit_code == 0
        from_database, from_files = json.loads(gathered.stdout), json.loads(read.stdout)
        # Read directly, the plans have no history (not in git); gathered, two packages have theirs.
        slipped = {g["group"]: g for g in from_database["groups"] if g["target_slips"]}
        assert by != "agency" or len(slipped) == 2
        for group in from_database["groups"]:
            group.update(target_slips=0, months_slipped=0)
        assert {k: v for k, v in from_database.items() if k != "history"} == {
            k: v for k, v in from_files.items() if k != "history"
        }


def test_one_partnership_gathered_answers_exactly_as_its_repository(national, tmp_path):
    partnership = national["partnerships"][0]
    home = national["root"] / "partnerships" / partnership.area
    database = tmp_path / "one.sqlite"
    assert run("gather", str(national["root"] / "packages" / partnership.area), "-o", str(database)).exit_code == 0
    for command in (["stats", "--by", "agency"], ["stats", "--by", "review"], ["status"], ["summary"]):
        gathered = run(*command, "--from", str(database), "--as-of", AS_OF, "--format", "json")
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(home)
            read = run(*command, "--as-of", AS_OF, "--format", "json")
        a, b = json.loads(gathered.stdout), json.loads(read.stdout)
        if command[0] != "stats":  # the files are named for the gathered view: package/plans/name.yaml
            text = json.dumps(a).replace(f"{national_corpus.AREAS[0].lower()}-community-safety-partnership/", "")
            a = json.loads(text)
        assert a == b, command


def test_the_board_paper_reads_a_gathered_database(national, tmp_path):
    out = tmp_path / "paper.md"
    result = run(
        "report", "--from", str(national["database"]), "--as-of", AS_OF, "--format", "markdown", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "- **20** reviews, **" in text  # each review once
    assert "Ashdown Community Safety Partnership" in text and "Westbrook Community Safety Partnership" in text
    refused = run("report", "--from", str(national["database"]), "--since", "HEAD~1")
    assert refused.exit_code == 2 and "a gathered database (--from) has no revisions" in refused.stderr


def test_the_package_holds_the_publishable_plans_and_validates_as_frictionless_describes(national):
    package = national["root"] / "packages" / national["partnerships"][0].area
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    mark = descriptor["dhrtrack"]
    assert mark["format_version"] == 1 and mark["commit"] == national["commits"][national["partnerships"][0].name]
    for entry in mark["plans"]:
        content = (package / entry["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert b"owner:" not in content  # not publishable: never in a package
    assert {r["name"] for r in descriptor["resources"]} == {"actions", "reviews", "changes"}
    changes = (package / "changes.csv").read_text(encoding="utf-8").splitlines()
    assert (
        changes[0] == "plan,action,field,old,new,date,commit,slip" and len(changes) == 2 and changes[1].endswith(",yes")
    )
    validated = run("validate", str(package / "plans"))
    assert validated.exit_code == 0
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_the_same_plans_commit_and_day_give_the_same_package(national, tmp_path):
    home = national["root"] / "partnerships" / national["partnerships"][0].area / "plans"
    run("package", str(home), "-o", str(tmp_path / "again"), "--as-of", AS_OF)
    first = national["root"] / "packages" / national["partnerships"][0].area
    for path in sorted(first.rglob("*")):
        if path.is_file():
            assert (tmp_path / "again" / path.relative_to(first)).read_bytes() == path.read_bytes(), path


# --- refusals --------------------------------------------------------------------------------


def copy_package(national, tmp_path) -> Path:
    package = tmp_path / "package"
    shutil.copytree(national["root"] / "packages" / national["partnerships"][4].area, package)
    return package


def edit_descriptor(package: Path, change) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    change(descriptor)
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def gather(*sources: Path, out: Path):
    return run("gather", *map(str, sources), "-o", str(out), "--as-of", AS_OF)


def test_a_package_of_an_unknown_format_version_is_refused_by_name(national, tmp_path):
    package = copy_package(national, tmp_path)
    edit_descriptor(package, lambda d: d["dhrtrack"].update(format_version=2))
    result = gather(package, national["root"] / "packages" / national["partnerships"][0].area, out=tmp_path / "n.db")
    assert result.exit_code == 1
    assert f"refused: {package}: package format version 2, and this dhrtrack reads version 1 only" in result.stderr
    assert rows(tmp_path / "n.db", "SELECT count(*) FROM packages") == [(1,)]


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda d: d.pop("dhrtrack"), "not one dhrtrack made"),
        (lambda d: d["dhrtrack"]["plans"][0].update(path="../../etc/passwd"), "a plan entry without a path inside"),
        (lambda d: d["dhrtrack"]["plans"][0].update(path="plans/../x.yaml"), "a plan entry without a path inside"),
        (lambda d: d["dhrtrack"]["plans"][0].update(sha256="0" * 64), "the package was altered after it was made"),
        (lambda d: d["dhrtrack"].update(commit="HEAD; rm -rf /"), "not a full git commit id"),
        (lambda d: d["dhrtrack"].update(as_of="31/11/2026"), "as_of is not a date"),
        (lambda d: d["dhrtrack"].update(partnership=["a"]), "partnership must be a line of text"),
        (lambda d: d["dhrtrack"].update(agencies=[{"name": 3}]), "agencies is not a list"),
    ],
)
def test_a_damaged_or_hostile_descriptor_is_refused_saying_why(national, tmp_path, change, says):
    package = copy_package(national, tmp_path)
    edit_descriptor(package, change)
    result = gather(package, out=tmp_path / "n.db")
    assert result.exit_code == 1 and says in result.stderr and "Traceback" not in result.stderr


def test_an_invalid_plan_in_a_package_is_left_out_with_its_place(national, tmp_path):
    package = copy_package(national, tmp_path)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    entry = descriptor["dhrtrack"]["plans"][0]
    plan = package / entry["path"]
    plan.write_text(
        plan.read_text(encoding="utf-8")
        .replace("rag: red", "rag: crimson", 1)
        .replace("rag: amber", "rag: crimson", 1),
        encoding="utf-8",
    )
    entry["sha256"] = hashlib.sha256(plan.read_bytes()).hexdigest()
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = gather(package, out=tmp_path / "n.db")
    assert result.exit_code == 1
    assert f"{package}/{entry['path']}:" in result.stderr and "left out of the national database" in result.stderr


def test_a_symbolic_link_in_a_package_is_refused(national, tmp_path):
    package = copy_package(national, tmp_path)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    plan = package / descriptor["dhrtrack"]["plans"][0]["path"]
    plan.unlink()
    plan.symlink_to("/etc/passwd")
    result = gather(package, out=tmp_path / "n.db")
    assert result.exit_code == 1 and "a symbolic link out of the package: refused" in result.stderr
    plan.unlink()
    (tmp_path / "elsewhere").mkdir()
    plan.symlink_to(tmp_path / "elsewhere")  # a link inside the package is not followed either
    shutil.move(str(package / "plans"), str(tmp_path / "elsewhere" / "plans"))
    (package / "plans").symlink_to(tmp_path / "elsewhere" / "plans")
    result = gather(package, out=tmp_path / "m.db")
    assert result.exit_code == 1 and "a symbolic link out of the package: refused" in result.stderr


def test_a_damaged_history_is_refused_not_trusted(national, tmp_path):
    package = copy_package(national, tmp_path)
    (package / "changes.csv").write_text(
        "plan,action,field,old,new,date,commit,slip\r\ndhr-0004,1.1,target,2025-06,2024-01,2025-01-01,abc,yes\r\n"
    )
    result = gather(package, out=tmp_path / "n.db")
    assert result.exit_code == 1 and "changes.csv:2: 'slip' says 'yes', and the targets say otherwise" in result.stderr
    (package / "changes.csv").write_text(
        "plan,action,field,old,new,date,commit,slip\r\nx,1.1,target,soon,later,2025-01-01,abc,no\r\n"
    )
    result = gather(package, out=tmp_path / "m.db")
    assert result.exit_code == 1 and "changes.csv:2: not a change dhrtrack package writes" in result.stderr


def test_a_database_altered_after_gathering_is_refused_not_trusted(national, tmp_path):
    altered = tmp_path / "altered.sqlite"
    shutil.copy(national["database"], altered)
    connection = sqlite3.connect(altered)
    connection.execute("UPDATE plans SET data = '{\"review\": 1}' WHERE rowid = 1")
    connection.execute('UPDATE plans SET model = \'["R", null, null, "dhr", [[1, 2, 3]]]\' WHERE rowid = 2')
    connection.commit()
    connection.close()
    result = run("stats", "--from", str(altered))
    assert result.exit_code == 2 and "its plans table is damaged" in result.stderr and "action 1" in result.stderr
    connection = sqlite3.connect(altered)
    connection.execute("UPDATE plans SET model = (SELECT model FROM plans WHERE rowid = 3) WHERE rowid = 2")
    connection.commit()
    connection.close()
    result = run("register", "--from", str(altered))
    assert result.exit_code == 2 and "is not a valid plan: gather the packages again" in result.stderr


def test_a_zip_bomb_and_a_damaged_zip_are_refused(national, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("datapackage.json", "{}")
        zipped.writestr("plans/big.yaml", b"\0" * (65 * 1024 * 1024))
    result = gather(bomb, out=tmp_path / "n.db")
    assert result.exit_code == 1 and "not one dhrtrack made" in result.stderr
    package = copy_package(national, tmp_path)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(package.rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(package).as_posix())
    data = bytearray(damaged.read_bytes())
    start = data.find(b"plans/") + 40
    data[start : start + 200] = b"\xff" * 200
    damaged.write_bytes(bytes(data))
    result = gather(damaged, out=tmp_path / "m.db")
    assert result.exit_code in (1, 2) and "Traceback" not in result.stderr
    empty = tmp_path / "sources" / "empty.zip"
    empty.parent.mkdir()
    with zipfile.ZipFile(empty, "w") as zipped:
        zipped.writestr("readme.txt", "no package here")
    result = gather(
        empty.parent, national["root"] / "packages" / national["partnerships"][0].area, out=tmp_path / "e.db"
    )
    assert result.exit_code == 1 and f"refused: {empty}: no datapackage.json in it" in result.stderr
    assert rows(tmp_path / "e.db", "SELECT count(*) FROM packages") == [(1,)]  # the other is gathered


def test_from_refuses_what_gather_did_not_make(national, tmp_path):
    other = tmp_path / "export.sqlite"
    assert run("export", "--format", "sqlite", "-o", str(other), str(national["root"] / "partnerships")).exit_code in (
        0,
        1,
    )
    result = run("stats", "--from", str(other))
    assert result.exit_code == 2 and "a database of format '2'" in result.stderr
    (tmp_path / "text.sqlite").write_text("not a database")
    result = run("register", "--from", str(tmp_path / "text.sqlite"))
    assert result.exit_code == 2 and "not a database dhrtrack gather made" in result.stderr
    result = run("status", str(national["root"]), "--from", str(national["database"]))
    assert result.exit_code == 2 and "give it no PATHS and no --at" in result.stderr


def test_gather_will_not_replace_a_file_without_force(national, tmp_path):
    out = tmp_path / "n.db"
    out.write_text("keep me")
    result = gather(national["root"] / "packages", out=out)
    assert result.exit_code == 2 and out.read_text() == "keep me"


def test_package_names_the_partnership_or_asks_for_it(tmp_path):
    partnerships = national_corpus.make(2, 4, seed=9, joint=0)
    national_corpus.write(partnerships[0], tmp_path / "a")
    national_corpus.write(partnerships[1], tmp_path / "a")
    result = run("package", str(tmp_path / "a"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "a package is one partnership's" in result.stderr
    result = run("package", str(tmp_path / "a"), "-o", str(tmp_path / "out"), "--partnership", "Joint Partnership")
    assert result.exit_code == 0
    assert (
        json.loads((tmp_path / "out" / "datapackage.json").read_text())["dhrtrack"]["partnership"]
        == "Joint Partnership"
    )


def test_a_descriptor_nested_too_deeply_and_a_hostile_revision_are_refused(national, tmp_path):
    package = copy_package(national, tmp_path)
    (package / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000)
    result = gather(package, out=tmp_path / "n.db")
    assert result.exit_code == 1 and "nested too deeply" in result.stderr
    result = gather(Path(f"{national['root'] / 'published'}@--output=/tmp/x"), out=tmp_path / "m.db")
    assert result.exit_code == 2 and "is not a revision" in result.stderr
    result = gather(Path(f"{national['root'] / 'published'}@no-such-tag"), out=tmp_path / "m.db")
    assert result.exit_code == 2 and "unknown revision 'no-such-tag'" in result.stderr


def test_the_first_report_from_a_database_just_gathered_checks_no_plan_again(national, tmp_path, monkeypatch):
    """gather read every plan valid and says so in the content cache; a damaged row is still
    checked, and refused, because its bytes are not those gather kept."""
    from dhrtrack.national import database
    from dhrtrack.reports import register

    packages = sorted((national["root"] / "packages").iterdir())[:2]
    assert gather(*packages, out=tmp_path / "n.db").exit_code == 0
    checked, compared = [], []
    real, real_pairs = database._valid, register.alike_pairs
    monkeypatch.setattr(database, "_valid", lambda text: checked.append(1) or real(text))
    monkeypatch.setattr(register, "alike_pairs", lambda *a: compared.append(1) or real_pairs(*a))
    result = run("register", "--from", str(tmp_path / "n.db"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert checked == [] and compared == []  # gather compared the repeats at the documented threshold
    fresh = run("register", "--from", str(tmp_path / "n.db"), "--format", "json", "--no-cache")
    assert fresh.stdout == result.stdout and compared  # worked out again without the cache: the same
    connection = sqlite3.connect(tmp_path / "n.db")
    connection.execute("UPDATE plans SET data = replace(data, '\"schema_version\":1', '\"schema_version\":2')")
    connection.commit()
    connection.close()
    result = run("register", "--from", str(tmp_path / "n.db"))
    assert result.exit_code == 2 and "is not a valid plan: gather the packages again" in result.stderr
    assert checked
