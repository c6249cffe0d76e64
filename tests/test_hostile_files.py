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
    actions = [row[10] for row in rows[1:]]
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
    cells = [sheet.cell(row=r, column=11) for r in range(2, 2 + len(FORMULAS))]
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
    from dhrtrack.reports.chase import Message, file_names

    messages = [Message(name, []) for name in ("Northshire Police", "NORTHSHIRE POLICE.", "日本", "中国", "!!!")]
    assert file_names(messages, "eml") == [
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
