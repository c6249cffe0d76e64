"""Hostile and careless input to the importers and exporters: formulas in plan text, oversized
and UTF-16 CSV, damaged and hostile Office files. Each gives a clear one-line error or a warning,
never a traceback or a hang, and never a live formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from dhrtrack.importing import ImportFailed, import_file
from tests.conftest import plan_text, write

FORMULAS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "=1+1",
]


def formula_plan(tmp_path: Path) -> Path:
    actions = "\n".join(
        f'- id: "1.{i}"\n  action: {json_str(text)}\n  lead: Police' for i, text in enumerate(FORMULAS, 1)
    )
    return write(tmp_path / "plans" / "f.yaml", plan_text(actions, review_id="F 1"))


def json_str(text: str) -> str:
    import json

    return json.dumps(text)


def test_csv_export_neutralises_formulas_and_import_undoes_it(tmp_path, cli):
    plan = formula_plan(tmp_path)
    result = cli("export", str(plan), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    column = rows[0].index("Action")
    actions = [row[column] for row in rows[1:]]
    assert actions == ["'" + text for text in FORMULAS]  # no cell starts with = + - @ or a tab
    out = tmp_path / "export.csv"
    out.write_text(result.stdout, encoding="utf-8")
    imported = import_file(str(out)).plan
    # The importer folds whitespace at the ends of a cell, so the tab-led text comes back without it.
    assert [a["action"] for r in imported["recommendations"] for a in r["actions"]] == [t.strip() for t in FORMULAS]


def test_xlsx_export_writes_formula_like_text_as_text(tmp_path, cli):
    from openpyxl import load_workbook

    plan = formula_plan(tmp_path)
    out = tmp_path / "export.xlsx"
    assert cli("export", str(plan), "--format", "xlsx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    sheet = load_workbook(out).active
    column = [c.value for c in sheet[1]].index("Action") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, 2 + len(FORMULAS))]
    assert [c.value for c in cells] == FORMULAS and {c.data_type for c in cells} == {"s"}
    imported = import_file(str(out)).plan
    assert [a["action"] for r in imported["recommendations"] for a in r["actions"]] == [t.strip() for t in FORMULAS]


def test_report_csv_is_neutralised_too(tmp_path, cli):
    plan = write(
        tmp_path / "plans" / "r.yaml", plan_text('- id: "1.1"\n  action: A\n  lead: "=cmd"\n  target: 2020-01')
    )
    out = cli("overdue", str(plan), "--format", "csv", "--as-of", "2024-01-01").stdout
    assert "'=cmd" in out and ",=cmd" not in out


def test_bom_on_every_csv_report(tmp_path, cli):
    plan = write(tmp_path / "plans" / "r.yaml", plan_text('- id: "1.1"\n  action: A\n  lead: Police'))
    assert cli("status", str(plan), "--format", "csv", "--bom").stdout.startswith("\ufeffsection,")
    assert not cli("status", str(plan), "--format", "csv").stdout.startswith("\ufeff")
    assert not cli("status", str(plan), "--format", "json", "--bom").stdout.startswith("\ufeff")


HEADINGS = ["Recommendation", "Action", "Lead Agency", "Target Date"]


def test_a_csv_cell_longer_than_the_csv_modules_default_limit(tmp_path):
    long_text = "Train every practitioner. " * 8000  # 208,000 characters
    path = tmp_path / "plan.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADINGS, ["1. Share information.", long_text, "Police", "March 2024"]])
    plan = import_file(str(path), review_id="R 1").plan
    assert plan["recommendations"][0]["actions"][0]["action"] == long_text.strip()


def test_utf16_csv_as_excel_saves_unicode_text(tmp_path):
    path = tmp_path / "plan.csv"
    text = "\t".join(HEADINGS) + "\r\n" + "\t".join(["1. Partagez l’information.", "Agir.", "Police", "Sept 2024"])
    path.write_bytes(text.encode("utf-16"))  # with a byte-order mark, tab-separated
    plan = import_file(str(path), review_id="R 1").plan
    assert plan["recommendations"][0]["text"] == "Partagez l’information."
    assert plan["recommendations"][0]["actions"][0]["target"] == "2024-09"


def _docx(tmp_path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("DHR Ref: X 1")
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, HEADINGS, strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1. R.", "A.", "Police", "March 2024"], strict=True):
        cell.text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


def _rewrite(path: Path, out: Path, part: str, change) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, change(data) if item.filename == part else data)
    return out


def test_malformed_and_truncated_office_files(tmp_path):
    good = _docx(tmp_path)
    broken = _rewrite(good, tmp_path / "broken.docx", "word/document.xml", lambda data: data[: len(data) // 2])
    with pytest.raises(ImportFailed, match=r"broken.docx is not a Word document that can be read \(.docx\)"):
        import_file(str(broken))
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ImportFailed, match="is not a Word document that can be read"):
        import_file(str(truncated))
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADINGS)
    xlsx = tmp_path / "plan.xlsx"
    workbook.save(str(xlsx))
    bad = _rewrite(
        xlsx, tmp_path / "bad.xlsx", "xl/worksheets/sheet1.xml", lambda data: data.replace(b"</row>", b"<row>")
    )
    with pytest.raises(ImportFailed, match="is not an Excel workbook that can be read"):
        import_file(str(bad))


def test_entity_expansion_is_refused_before_any_parser_sees_it(tmp_path):
    good = _docx(tmp_path)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
        b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol2;</w:document>'
    )
    bomb = _rewrite(good, tmp_path / "laughs.docx", "word/document.xml", lambda data: laughs)
    with pytest.raises(ImportFailed, match="declares a DTD or entities, which Office files never do: refused"):
        import_file(str(bomb))


def test_a_zip_bomb_is_refused(tmp_path):
    good = _docx(tmp_path)
    bomb = _rewrite(good, tmp_path / "bomb.docx", "word/document.xml", lambda data: data + b" " * (50 * 1024 * 1024))
    with pytest.raises(ImportFailed, match="times larger than it is stored \\(a zip bomb\\?\\): refused"):
        import_file(str(bomb))


def test_import_errors_are_one_line_on_the_command_line(tmp_path, cli):
    good = _docx(tmp_path)
    broken = _rewrite(good, tmp_path / "broken.docx", "word/document.xml", lambda data: data[:100])
    result = cli("import", str(broken), "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")


# --- mail -------------------------------------------------------------------------------------------

REGISTRY = """\
schema_version: 1
agencies:
  - name: Société Générale de Police
    contacts:
      - name: Smith, Jo
        email: jo@example.org
      - name: Zoë Brontë
        email: zoe@example.org
  - name: 日本
  - name: 中国
"""


def chase_plans(tmp_path: Path) -> Path:
    actions = "\n".join(
        f'- id: "1.{i}"\n  action: A\n  lead: {lead}\n  target: 2020-01'
        for i, lead in enumerate(["Société Générale de Police", "日本", "中国"], 1)
    )
    write(tmp_path / "plans" / "p.yaml", plan_text(actions))
    write(tmp_path / "plans" / "agencies.yaml", REGISTRY)
    return tmp_path / "plans"


def test_eml_headers_survive_pythons_own_parser(tmp_path, cli, monkeypatch):
    import email
    from email.policy import default

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    plans = chase_plans(tmp_path)
    out = tmp_path / "drafts"
    result = cli(
        "chase",
        str(plans),
        "--format",
        "eml",
        "--out",
        str(out),
        "--as-of",
        "2024-01-01",
        "--from",
        "Coordinator, Northshire CSP <csp@example.org>",
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["société-générale-de-police.eml", "中国.eml", "日本.eml"]
    mail = email.message_from_bytes((out / "société-générale-de-police.eml").read_bytes(), policy=default)
    assert [(a.display_name, a.addr_spec) for a in mail["To"].addresses] == [
        ("Smith, Jo", "jo@example.org"),
        ("Zoë Brontë", "zoe@example.org"),
    ]
    assert [(a.display_name, a.addr_spec) for a in mail["From"].addresses] == [
        ("Coordinator, Northshire CSP", "csp@example.org")
    ]
    assert str(mail["Subject"]) == (
        "DHR action plans: 1 action for Société Générale de Police - update requested by 15 January 2024"
    )


def test_agencies_whose_names_make_the_same_file_name_get_their_own_files():
    from dhrtrack.reports.chase import file_names

    agencies = ["Northshire Police", "NORTHSHIRE POLICE.", "日本", "中国", "!!!"]
    assert file_names(agencies, "eml") == [
        "northshire-police.eml",
        "northshire-police-2.eml",
        "日本.eml",
        "中国.eml",
        "agency.eml",
    ]


def test_chase_makes_every_message_before_writing_any(tmp_path, cli, monkeypatch):
    from dhrtrack.render import chase as render

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    plans = chase_plans(tmp_path)
    calls = []

    def failing(message, chase):
        calls.append(message.agency)
        if len(calls) == 2:
            raise RuntimeError("cannot make this message")
        return "ok"

    monkeypatch.setitem(render.MESSAGE_RENDERERS, "text", failing)
    with pytest.raises(RuntimeError):
        cli("chase", str(plans), "--out", str(tmp_path / "out"), "--as-of", "2024-01-01")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_lead_with_a_line_break_never_reaches_a_mail_header(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    write(
        tmp_path / "plans" / "p.yaml",
        plan_text('- id: "1.1"\n  action: A\n  lead: "Police\\nBcc: everyone@example.org"\n  target: 2020-01'),
    )
    result = cli("chase", str(tmp_path / "plans"), "--format", "eml", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "lead must be on one line, but holds a line break (U+000A)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_from_that_is_not_an_address_is_a_usage_error(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    plans = chase_plans(tmp_path)
    result = cli("chase", str(plans), "--format", "eml", "--out", str(tmp_path / "out"), "--from", "a@b@c")
    assert result.exit_code == 2 and "--from 'a@b@c' is not an email address" in result.stderr
    assert not (tmp_path / "out").exists()


# --- files, links and special files ------------------------------------------------------------------

VALID = plan_text('- id: "1.1"\n  action: A\n  lead: Police')


@pytest.fixture
def repo_dir(tmp_path, chdir, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    write(root / "plans" / "good.yaml", VALID)
    chdir(root)
    return root


def test_a_link_out_of_the_repository_is_refused_unread(repo_dir, tmp_path, cli):
    secret = write(tmp_path / "secret.yaml", "schema_version: 1\nreview: {id: SECRET-TOKEN-42}\n")
    (repo_dir / "plans" / "stolen.yaml").symlink_to(secret)
    message = "is a symbolic link to a file outside the repository: dhrtrack does not follow it (nothing was read)"
    validate = cli("validate")
    assert validate.exit_code == 1 and f"plans/stolen.yaml:1:1: error: {message}" in validate.stdout
    github = cli("validate", "--format", "github")
    assert github.exit_code == 1 and "::error file=plans/stolen.yaml,line=1,col=1," in github.stdout
    status = cli("status")
    assert status.exit_code == 1 and f"plans/stolen.yaml:1:1: error: {message}" in status.stderr
    for result in (validate, github, status):
        assert "SECRET-TOKEN-42" not in result.stdout + result.stderr
    inside = write(repo_dir / "shared" / "real.yaml", VALID.replace("TEST 1", "TEST 2"))
    (repo_dir / "plans" / "stolen.yaml").unlink()
    (repo_dir / "plans" / "linked.yaml").symlink_to(inside)  # a link within the repository is fine
    assert cli("validate").exit_code == 0


def test_pipes_devices_and_oversized_files_are_refused(repo_dir, cli):
    import os

    os.mkfifo(repo_dir / "plans" / "pipe.yaml")  # reading it would block for ever
    with open(repo_dir / "plans" / "big.yaml", "wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    result = cli("validate")
    assert result.exit_code == 1
    assert (
        "plans/pipe.yaml:1:1: error: is a named pipe, not a plan file: refused (nothing was read) [$]" in result.stdout
    )
    assert "plans/big.yaml:1:1: error: is 17 MB: too large to be a plan (the limit is 16 MB) [$]" in result.stdout
    device = cli("validate", "/dev/null")
    assert device.exit_code == 1 and "/dev/null:1:1: error: is a device, not a plan file" in device.stdout
    status = cli("status")
    assert status.exit_code == 1 and "pipe.yaml is invalid and left out of this report" in status.stderr


def test_an_unreadable_subdirectory_is_a_problem_not_skipped(repo_dir, cli, monkeypatch):
    import os

    write(repo_dir / "plans" / "locked" / "hidden.yaml", VALID)
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("validate")
    assert result.exit_code == 1
    assert "locked:1:1: error: cannot read the directory: Permission denied [$]" in result.stdout


def test_update_through_a_link_edits_the_real_file_and_keeps_the_link(repo_dir, cli):
    real = write(repo_dir / "store" / "real.yaml", VALID)
    (repo_dir / "plans" / "good.yaml").unlink()
    link = repo_dir / "plans" / "linked.yaml"
    link.symlink_to(real)
    result = cli("update", "1.1", "--rag", "amber", "--date", "2024-01-01")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and "rag: amber" in real.read_text()


def test_update_refuses_hard_linked_and_read_only_plans(repo_dir, tmp_path, cli):
    import os

    plan = repo_dir / "plans" / "good.yaml"
    os.link(plan, tmp_path / "other-name.yaml")
    result = cli("update", "1.1", "--rag", "amber")
    assert result.exit_code == 1 and "has 1 other hard link(s)" in result.stderr
    os.unlink(tmp_path / "other-name.yaml")
    plan.chmod(0o444)
    result = cli("update", "1.1", "--rag", "amber")
    assert result.exit_code == 1 and "is read-only: nothing written" in result.stderr
    assert "rag" not in plan.read_text()


def test_new_and_import_write_text_that_looks_like_an_impossible_date_quoted(tmp_path, cli):
    from dhrtrack.plan.validate import valid_data

    out = tmp_path / "plans" / "x.yaml"
    result = cli("new", str(out), "--review-id", "2024-02-30", "--title", "0000-00-00")
    assert result.exit_code == 0, result.stderr
    data, problem = valid_data(out.read_bytes(), str(out))
    assert problem is None and data["review"] == {"id": "2024-02-30", "title": "0000-00-00"}


# --- spreadsheets that Excel treats right -------------------------------------------------------------


def test_xlsx_export_has_real_dates_text_ids_and_prints_landscape(tmp_path, cli):
    import datetime as dt

    from openpyxl import load_workbook

    plan = write(
        tmp_path / "plans" / "x.yaml",
        plan_text(
            '- id: "1.10"\n  action: A\n  lead: Police\n  target: 2024-06\n'
            '- id: "1.2"\n  action: B\n  lead: Police\n  target: 2024-06-15\n  rag: complete\n  outcome: Done.\n'
            "  completed: 2024-05-31",
            review_id="X 1",
        ),
    )
    out = tmp_path / "x.xlsx"
    assert cli("export", str(plan), "--format", "xlsx", "-o", str(out)).exit_code == 0
    sheet = load_workbook(out).active
    headings = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(headings, sheet[2], strict=True)}
    done = {h: c for h, c in zip(headings, sheet[3], strict=True)}
    assert row["Action id"].value == "1.10" and row["Action id"].data_type == "s"
    assert row["Action id"].number_format == "@"
    assert row["Target date"].value == dt.datetime(2024, 6, 1) and row["Target date"].number_format == "mmm yyyy"
    assert row["Due date"].value == dt.datetime(2024, 6, 30) and row["Due date"].number_format == "dd/mm/yyyy"
    assert done["Target date"].number_format == "dd/mm/yyyy" and done["Completed"].value == dt.datetime(2024, 5, 31)
    # Landscape across as many pages as print the columns at about full size (not 25 columns
    # squeezed onto one page's width at 22%), the pages of a band of rows together.
    from dhrtrack.render.xlsx import PAGE_WIDTH

    widths = [sheet.column_dimensions[c[0].column_letter].width for c in sheet.iter_cols(max_row=1)]
    across = sheet.page_setup.fitToWidth
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert across > 1 and sheet.page_setup.fitToHeight == 0 and sheet.page_setup.pageOrder == "overThenDown"
    assert sum(widths[1:]) / across <= PAGE_WIDTH - widths[0]  # each page at full size, Review repeated
    assert sum(widths[1:]) / (across - 1) > PAGE_WIDTH - widths[0]  # and no more pages than that needs
    assert sheet.print_title_rows == "$1:$1"  # the heading row repeats on every printed page
    assert sheet.print_title_cols == "$A:$A"  # and the review, on every page across
    imported = import_file(str(out)).plan
    actions = imported["recommendations"][0]["actions"]
    assert [(a["id"], a.get("target"), a.get("completed")) for a in actions] == [
        ("1.10", "2024-06", None),
        ("1.2", "2024-06-15", "2024-05-31"),
    ]
