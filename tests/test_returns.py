"""Agency returns: `chase --format xlsx|csv` writes them, agencies fill them in, `apply` reads
them back. The round trip is checked with exact plans; every refusal with its exact message."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dhrtrack.importing import returns as form
from dhrtrack.plan import snapshot
from tests.conftest import write

AS_OF = "2026-11-26"

NORTH = textwrap.dedent("""\
    schema_version: 1
    review:
      id: NDHR 2024-01
    recommendations:
      - number: 1
        section: overview
        text: Share risk information before every case conference.
        actions:
          - id: "1.1"
            action: Write an information-sharing protocol.
            lead: Northshire Police   # the force's lead for MARAC
            target: 2026-06
            rag: amber
            updates:
              - date: 2026-05-01
                rag: amber
                note: Draft with legal.
          - id: "1.2"
            action: Train MARAC chairs on the protocol.
            lead: Northshire Council
            target: 2027-03
          - id: "1.3"
            action: Audit ten case conferences.
            lead: Northshire Police
            target: 2025-12
            outcome: Audit done.
            rag: complete
      - number: 2
        section: overview
        text: Ask about coercive control at every contact.
        actions:
          - id: "2.1"
            action: Add the question to the contact form.
            lead: Northshire Police
            target: 2026-12-15
            rag: green
          - id: "2.2"
            action: =HYPERLINK("http://example.invalid","Brief staff")
            lead: Northshire Council
    """)

SOUTH = textwrap.dedent("""\
    schema_version: 1
    review:
      id: SDHR 2025-02
    recommendations:
      - number: 1
        section: overview
        text: Record who else lives at the address.
        actions:
          - id: "1.1"
            action: Change the case record.
            lead: northshire police
    """)

AGENCIES = textwrap.dedent("""\
    schema_version: 1
    agencies:
      - name: Northshire Police
        aliases: [northshire police]
        contacts:
          - email: dhr@police.example
      - name: Northshire Council
    """)

HEADINGS = [
    "Ref",
    "Review",
    "Recommendation",
    "Action",
    "Target",
    "Due",
    "Status",
    "Current RAG",
    "Latest update",
    "Current outcome",
    "New RAG",
    "Update",
    "Outcome",
    "Completed on",
    "New target",
    "Evidence",
]


@pytest.fixture
def repo(tmp_path, chdir, monkeypatch):
    return make_repo(tmp_path, chdir, monkeypatch)


def make_repo(tmp_path, chdir, monkeypatch):
    """Two plans and an agency registry, the working directory."""
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path / "plans" / "north.yaml", NORTH)
    write(tmp_path / "plans" / "south.yaml", SOUTH)
    write(tmp_path / "plans" / "agencies.yaml", AGENCIES)
    chdir(tmp_path)
    return tmp_path


def chase(cli, fmt="xlsx", *more):
    result = cli("chase", "--format", fmt, "--out", "returns", "--as-of", AS_OF, *more)
    assert result.exit_code == 0, result.stderr
    return result


def fill(path: Path, answers: dict, extra: dict | None = None) -> None:
    """Fill a return in as an agency does: values typed into the input cells of the rows named by Ref."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Actions"]
    column = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for ref, values in answers.items():
        for heading, value in values.items():
            sheet.cell(rows[ref], column[heading]).value = value
    for heading, value in (extra or {}).items():  # a column the agency added
        sheet.cell(1, sheet.max_column + 1).value = heading
        sheet.cell(2, sheet.max_column).value = value
    workbook.save(path)


def apply(cli, *args):
    return cli("apply", *args, "--date", AS_OF)


def return_id(path: Path) -> str:
    """The id dhrtrack gave a return (its hidden sheet's first row)."""
    return openpyxl.load_workbook(path)["dhrtrack"]["B1"].value


def signature(agency: str, ident: str, written: str, rows: list) -> str:
    """A signature made with the test's key, as a coordinator's dhrtrack makes it."""
    import os

    key = bytes.fromhex(Path(os.environ["DHRTRACK_RETURN_KEY_FILE"]).read_text().strip())
    return form.signature(key, agency, ident, written, rows)


# --- writing returns ------------------------------------------------------------------------


def test_chase_writes_one_return_workbook_per_agency_listing_every_open_action(repo, cli):
    result = chase(cli)
    assert result.stdout == (
        "returns/northshire-council.xlsx: Northshire Council (2 open actions)\n"
        "returns/northshire-police.xlsx: Northshire Police (3 open actions)\n"
    )
    workbook = openpyxl.load_workbook(repo / "returns" / "northshire-police.xlsx")
    assert workbook.sheetnames == ["Actions", "Instructions", "dhrtrack"]
    sheet = workbook["Actions"]
    assert [c.value for c in sheet[1]] == HEADINGS
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:10] for row in rows] == [
        [
            "north:1.1",
            "NDHR 2024-01",
            "1. Share risk information before every case conference.",
            "Write an information-sharing protocol.",
            "2026-06",
            dt.datetime(2026, 6, 30),
            "overdue 4 months",  # the one wording of a duration, as status says it
            "amber",
            "2026-05-01: rag amber; Draft with legal.",
            None,
        ],
        [
            "north:2.1",
            "NDHR 2024-01",
            "2. Ask about coercive control at every contact.",
            "Add the question to the contact form.",
            "2026-12-15",
            dt.datetime(2026, 12, 15),
            "due soon",
            "green",
            None,
            None,
        ],
        [
            "south:1.1",
            "SDHR 2025-02",
            "1. Record who else lives at the address.",
            "Change the case record.",
            None,
            None,
            "unrated",
            None,
            None,
            None,
        ],
    ]
    assert all(row[10:] == [None] * 6 for row in rows)
    # Only the input cells can be changed; the sheet is protected without a password.
    assert sheet.protection.sheet and not sheet.protection.password
    assert [sheet.cell(2, c).protection.locked for c in range(1, 11)] == [True] * 10
    # The input columns are unlocked as columns, so their empty cells can be filled in.
    inputs = [sheet.column_dimensions[letter] for letter in "KLMNOP"]
    assert [(d.protection.locked, d.fill.fgColor.rgb) for d in inputs] == [(False, "00FFFFE0")] * 6
    assert [d.number_format for d in inputs] == ["General", "@", "@", "dd/mm/yyyy", "dd/mm/yyyy", "@"]
    validations = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert validations == {"K2:K4": ("list", '"red,amber,green,complete"'), "N2:N4 O2:O4": ("date", "1")}
    assert sheet.freeze_panes == "B2"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize, sheet.page_setup.fitToWidth) == (
        "landscape",
        9,
        2,
    )
    assert sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$A"
    # Each row as tall as its longest text (the headings fit a line; the first action's
    # recommendation takes two), with no customHeight, so Excel still grows a row someone types into.
    assert [sheet.row_dimensions[n].height for n in (1, 2)] == [None, 30.0]
    with zipfile.ZipFile(repo / "returns" / "northshire-police.xlsx") as archive:
        assert b"customHeight" not in archive.read("xl/worksheets/sheet1.xml")
    assert (workbook.properties.creator, workbook.properties.subject) == (
        "dhrtrack",
        "Written by dhrtrack on 26 November 2026",
    )
    assert sheet.oddFooter.center.text == "Northshire Police - page &P of &N"
    assert sheet.cell(2, 6).number_format == "dd/mm/yyyy"
    check = workbook["dhrtrack"]
    assert check.sheet_state == "hidden"
    # Whose return it is, signed with the coordinator's key over that and every row's snapshot.
    identity = [[c.value for c in row] for row in check.iter_rows(max_row=4)]
    rows_written = [(r[0].value, r[1].value) for r in check.iter_rows(min_row=7)]
    assert identity == [
        ["Return", return_id(repo / "returns" / "northshire-police.xlsx")],
        ["Agency", "Northshire Police"],
        ["Written", "2026-11-26"],
        ["Signature", signature(identity[1][1], identity[0][1], "2026-11-26", rows_written)],
    ]
    assert re.fullmatch("[0-9a-f]{12}", identity[0][1])
    assert [c.value for c in check[6]] == ["Ref", "Check"]
    taken = json.loads(check.cell(7, 2).value)
    assert (check.cell(7, 1).value, taken["rag"], taken["target"], taken["updates"]) == (
        "north:1.1",
        "amber",
        "2026-06",
        1,
    )
    guide = [c.value for c in workbook["Instructions"]["A"]]
    assert guide[:4] == [
        "DHR action plans: update return for Northshire Police",
        "Written 26 November 2026. Please return it by 10 December 2026.",
        None,
        "The Actions sheet lists the 3 open actions your agency leads (1 overdue action; 1 action due "
        "within 45 days; 1 unrated action).",
    ]


def test_return_text_that_looks_like_a_formula_stays_text(repo, cli):
    chase(cli)
    sheet = openpyxl.load_workbook(repo / "returns" / "northshire-council.xlsx")["Actions"]
    cell = sheet.cell(3, 4)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.invalid","Brief staff")', "s")
    chase(cli, "csv")
    text = (repo / "returns" / "northshire-council.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in text


def test_a_return_cell_never_holds_more_than_excel_keeps(repo, cli):
    from dhrtrack.render.xlsx import CELL_LIMIT, CUT_MARK

    north = repo / "plans" / "north.yaml"
    long = "Write an information-sharing protocol. " * 1000  # 39,000 characters
    north.write_text(north.read_text().replace("Write an information-sharing protocol.", long.strip()))
    chase(cli)
    sheet = openpyxl.load_workbook(repo / "returns" / "northshire-police.xlsx")["Actions"]
    texts = [c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    cut = [t for t in texts if t.endswith(CUT_MARK)]
    assert len(cut) == 1 and len(cut[0]) == CELL_LIMIT and cut[0].startswith("Write an information-sharing")


def test_returns_need_a_directory_and_do_not_replace_files_without_force(repo, cli):
    result = cli("chase", "--format", "xlsx", "--as-of", AS_OF)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: xlsx writes one file per agency: name the directory with --out",
    )
    chase(cli)
    result = cli("chase", "--format", "xlsx", "--out", "returns", "--as-of", AS_OF)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: returns/northshire-council.xlsx already exists; use --force to replace the returns",
    )
    assert chase(cli, "xlsx", "--force").exit_code == 0


# --- the round trip -------------------------------------------------------------------------


def north_after(police_return: str) -> str:
    """north.yaml after the police return's rows 2 and 3 are applied."""
    return NORTH.replace(
        "        target: 2026-06\n"
        "        rag: amber\n"
        "        updates:\n"
        "          - date: 2026-05-01\n"
        "            rag: amber\n"
        "            note: Draft with legal.\n",
        "        target: 2027-01\n"
        "        rag: amber\n"
        "        evidence:\n"
        "          - Protocol draft v3, November 2026.\n"
        "        updates:\n"
        "          - date: 2026-05-01\n"
        "            rag: amber\n"
        "            note: Draft with legal.\n"
        "          - date: 2026-11-26\n"
        "            target: 2027-01\n"
        "            evidence: Protocol draft v3, November 2026.\n"
        '            note: "Legal sign-off delayed: new target January."\n'
        "            by: Northshire Police\n"
        f"            source: northshire-police.xlsx (return {police_return}, row 2)\n",
    ).replace(
        "        target: 2026-12-15\n        rag: green\n",
        "        target: 2026-12-15\n"
        "        outcome: Question live on the contact form since October.\n"
        "        rag: complete\n"
        "        completed: 2026-10-14\n"
        "        updates:\n"
        "          - date: 2026-11-26\n"
        "            rag: complete\n"
        "            completed: 2026-10-14\n"
        "            outcome: Question live on the contact form since October.\n"
        "            by: Northshire Police\n"
        f"            source: northshire-police.xlsx (return {police_return}, row 3)\n",
    )


def test_round_trip_writes_fills_in_applies_and_reports(repo, cli):
    chase(cli)
    police = repo / "returns" / "northshire-police.xlsx"
    council = repo / "returns" / "northshire-council.xlsx"
    fill(
        police,
        {
            "north:1.1": {
                "Update": "Legal sign-off delayed: new target January.",
                "New target": "January 2027",
                "Evidence": "Protocol draft v3, November 2026.",
            },
            "north:2.1": {
                "New RAG": "Complete",
                "Outcome": "Question live on the contact form since October.",
                "Completed on": dt.datetime(2026, 10, 14),
            },
            # south:1.1 left empty: nothing new
        },
        extra={"Comments": "Ring me about 1.1"},
    )
    fill(
        council,
        {
            "north:1.2": {"New RAG": "Ambr", "Completed on": "31/02/2026"},
            "north:2.2": {"New RAG": "green", "Update": "Briefings booked."},
        },
    )
    south_before = (repo / "plans" / "south.yaml").read_bytes()
    result = apply(cli, "returns")
    assert result.exit_code == 1
    assert result.stderr == (
        "returns/northshire-council.xlsx (Northshire Council): refused, nothing applied (2 problems):\n"
        "  northshire-council.xlsx, Actions, row 2, New RAG: 'Ambr' is not one of red, amber, green, complete\n"
        "  northshire-council.xlsx, Actions, row 2, Completed on: '31/02/2026' is not a date: "
        "give the day it was completed, e.g. 31/03/2027\n"
        "returns/northshire-police.xlsx (Northshire Police): 2 answers applied, 1 unanswered\n"
        "  north:1.1: target 2026-06 → 2027-01; evidence added\n"
        "  north:2.1: rag green → complete; outcome recorded; completed 14 October 2026\n"
        "  columns not read: Comments\n"
        "updated plans/north.yaml: 2 actions\n"
    )
    assert (repo / "plans" / "north.yaml").read_text() == north_after(return_id(police))
    assert (repo / "plans" / "south.yaml").read_bytes() == south_before

    status = json.loads(cli("status", "--format", "json", "--as-of", AS_OF).stdout)
    assert [(r["review"], r["complete"], r["actions"]) for r in status["reviews"]] == [
        ("NDHR 2024-01", 2, 5),
        ("SDHR 2025-02", 0, 1),
    ]
    assert status["overdue"] == []

    # The same return again changes nothing; the council's corrected return then goes in.
    again = apply(cli, "returns/northshire-police.xlsx")
    assert (again.exit_code, again.stderr) == (
        0,
        "returns/northshire-police.xlsx (Northshire Police): 0 answers applied, 2 already applied, 1 unanswered\n"
        "  columns not read: Comments\n",
    )
    assert (repo / "plans" / "north.yaml").read_text() == north_after(return_id(police))
    fill(council, {"north:1.2": {"New RAG": "AMBER", "Completed on": None}})
    fixed = apply(cli, "returns/northshire-council.xlsx")
    assert fixed.exit_code == 0, fixed.stderr
    assert fixed.stderr.splitlines()[:3] == [
        "returns/northshire-council.xlsx (Northshire Council): 2 answers applied, 0 unanswered",
        "  north:1.2: rag unrated → amber",
        "  north:2.2: rag unrated → green",
    ]


def test_a_stale_row_refuses_its_return_and_skip_stale_applies_the_rest(repo, cli):
    chase(cli)
    police = repo / "returns" / "northshire-police.xlsx"
    fill(police, {"north:1.1": {"New RAG": "red"}, "south:1.1": {"New RAG": "amber", "Update": "Started."}})
    assert cli("update", "north:1.1", "--target", "2026-09", "--date", "2026-11-20").exit_code == 0
    before = (repo / "plans" / "north.yaml").read_bytes()
    result = apply(cli, str(police))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{police} (Northshire Police): refused, nothing applied (1 problem):\n"
        "  northshire-police.xlsx, Actions, row 2: north:1.1 changed in the plan since this return was "
        "written (target 2026-06 → 2026-09; 1 new update (latest 2026-11-20)); write a new return for it, "
        "or apply the rest with --skip-stale\n"
    )
    assert (repo / "plans" / "north.yaml").read_bytes() == before
    skipped = apply(cli, str(police), "--skip-stale")
    assert skipped.exit_code == 0
    assert skipped.stderr == (
        f"{police} (Northshire Police): 1 answer applied, 1 stale skipped, 1 unanswered\n"
        "  south:1.1: rag unrated → amber\n"
        "  skipped: northshire-police.xlsx, Actions, row 2: north:1.1 changed in the plan since this return "
        "was written (target 2026-06 → 2026-09; 1 new update (latest 2026-11-20))\n"
        "updated plans/south.yaml: 1 action\n"
    )
    assert (repo / "plans" / "north.yaml").read_bytes() == before


def test_every_bad_row_is_listed_at_once_and_nothing_is_applied(repo, cli):
    chase(cli)
    police = repo / "returns" / "northshire-police.xlsx"
    workbook = openpyxl.load_workbook(police)
    sheet = workbook["Actions"]
    sheet.cell(2, 11).value = "complete"  # north:1.1 has no outcome
    sheet.cell(3, 14).value = dt.datetime(2027, 1, 5)  # completed after the update's date
    sheet.cell(3, 15).value = "soon"
    sheet.cell(4, 1).value = "north:9.9"  # an action that is not there
    sheet.cell(4, 12).value = "News."
    sheet.cell(5, 12).value = "An answer on a row of its own."  # no Ref
    sheet.cell(6, 1).value = "north:2.1"  # the same action again
    sheet.cell(6, 12).value = "Again."
    sheet.cell(7, 1).value = "elsewhere:1.1"
    sheet.cell(7, 12).value = "x"
    workbook.save(police)
    before = (repo / "plans" / "north.yaml").read_bytes()
    result = apply(cli, str(police))
    assert result.exit_code == 1
    name = "northshire-police.xlsx, Actions"
    assert result.stderr.splitlines()[1:] == [
        f"  {name}, row 2, Outcome: rating north:1.1 complete needs an outcome (none is recorded): say what was achieved",
        f"  {name}, row 3, Completed on: '2027-01-05' is after 2026-11-26, the date of this update",
        f"  {name}, row 3, New target: 'soon' is not a date: give a day (31/03/2027) or a month (March 2027)",
        f"  {name}, row 4, Ref: 'north:9.9' is not one of the actions this return was written for "
        "(Northshire Police's): a return answers only for the rows dhrtrack wrote in it",
        f"  {name}, row 5, Ref: the row has answers but no Ref; it cannot be matched to an action",
        f"  {name}, row 6, Ref: 'north:2.1' is answered twice in this return (also row 3)",
        f"  {name}, row 7, Ref: 'elsewhere:1.1' is not one of the actions this return was written for "
        "(Northshire Police's): a return answers only for the rows dhrtrack wrote in it",
    ]
    assert result.stderr.splitlines()[0] == f"{police} (Northshire Police): refused, nothing applied (7 problems):"
    assert (repo / "plans" / "north.yaml").read_bytes() == before


def test_a_return_named_twice_is_applied_once(repo, cli):
    chase(cli)
    police = repo / "returns" / "northshire-police.xlsx"
    fill(police, {"south:1.1": {"New RAG": "red"}})
    result = apply(cli, str(police), "returns")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("northshire-police.xlsx (Northshire Police): 1 answer applied") == 1


def test_dry_run_prints_the_diff_and_writes_nothing(repo, cli):
    chase(cli)
    police = repo / "returns" / "northshire-police.xlsx"
    fill(police, {"south:1.1": {"New RAG": "red", "Update": "Not started: no staff."}})
    before = (repo / "plans" / "south.yaml").read_bytes()
    result = apply(cli, str(police), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == (
        "--- a/plans/south.yaml\n"
        "+++ b/plans/south.yaml\n"
        "@@ -9,3 +9,10 @@\n"
        '       - id: "1.1"\n'
        "         action: Change the case record.\n"
        "         lead: northshire police\n"
        "+        rag: red\n"
        "+        updates:\n"
        "+          - date: 2026-11-26\n"
        "+            rag: red\n"
        '+            note: "Not started: no staff."\n'
        "+            by: Northshire Police\n"
        f"+            source: northshire-police.xlsx (return {return_id(police)}, row 4)\n"
    )
    assert (repo / "plans" / "south.yaml").read_bytes() == before


# --- the CSV form ---------------------------------------------------------------------------


def test_a_csv_return_round_trips_with_day_first_dates(repo, cli):
    chase(cli, "csv")
    path = repo / "returns" / "northshire-police.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][::2] == ["Return", "Agency", "Written", "Signature"]
    assert rows[0][3:6] == ["Northshire Police", "Written", "2026-11-26"]
    assert rows[1] == HEADINGS + ["Check"]
    assert [r[0] for r in rows[2:]] == ["north:1.1", "north:2.1", "south:1.1"]
    rows[3][10:16] = ["COMPLETE", "Done.", "On the form.", "14/10/2026", "", "Screenshot of the form"]
    rows[4][14] = "31/03/2027"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = apply(cli, str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"{path} (Northshire Police): 2 answers applied, 1 unanswered\n"
        "  north:2.1: rag green → complete; outcome recorded; completed 14 October 2026; evidence added\n"
        "  south:1.1: target none → 2027-03-31\n"
        "updated plans/north.yaml: 1 action\n"
        "updated plans/south.yaml: 1 action\n"
    )
    assert "            target: 2027-03-31\n" in (repo / "plans" / "south.yaml").read_text()


def test_a_hand_made_csv_is_not_signed_and_is_refused(repo, cli):
    chase(cli)  # the coordinator has a key: the CSV was not signed with it
    path = write(
        repo / "returns" / "police.csv",
        """\
        Ref,Current RAG,Target,New RAG,Update,Outcome,Completed on,New target,Evidence
        north:1.1,amber,2026-06,red,Blocked.,,,,
        south:1.1,green,,amber,Started.,,,,
        """,
    )
    result = apply(cli, str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}: refused, nothing applied (1 problem):\n"
        "  police.csv, the line above the headings: the return is not signed (no Return, Agency, Written, "
        "Signature recorded): only a return written by dhrtrack chase, with its hidden sheet as written, can be "
        "applied; write the agency a new return (dhrtrack chase --format xlsx)\n"
    )


# --- a workbook saved by another spreadsheet program ----------------------------------------


def test_a_workbook_saved_by_another_program_with_its_own_date_formats_reads_correctly(repo, cli):
    """LibreOffice and Excel save date cells as numbers with their own formats (DD/MM/YY,
    MMMM YYYY), write the cells in a normal (not write-only) workbook, and keep the hidden sheet."""
    chase(cli)
    source = openpyxl.load_workbook(repo / "returns" / "northshire-police.xlsx")
    resaved = openpyxl.Workbook()
    sheet = resaved.active
    sheet.title = "Actions"
    for row in source["Actions"].iter_rows(values_only=True):
        sheet.append(list(row))
    check = resaved.create_sheet("dhrtrack")
    for row in source["dhrtrack"].iter_rows(values_only=True):
        check.append(list(row))
    check.sheet_state = "hidden"
    sheet["N3"] = dt.datetime(2026, 10, 14)
    sheet["N3"].number_format = "DD/MM/YY"
    sheet["K3"] = "complete"
    sheet["M3"] = 42  # a number typed into a text column
    sheet["O4"] = dt.datetime(2027, 3, 1)
    sheet["O4"].number_format = "MMMM YYYY"  # "March 2027" typed into a date cell
    path = repo / "returns" / "police-resaved.xlsx"
    resaved.save(path)
    result = apply(cli, str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[:3] == [
        f"{path} (Northshire Police): 2 answers applied, 1 unanswered",
        "  north:2.1: rag green → complete; outcome recorded; completed 14 October 2026",
        "  south:1.1: target none → 2027-03",
    ]
    assert 'outcome: "42"\n' in (repo / "plans" / "north.yaml").read_text()


# --- files that are not returns -------------------------------------------------------------


def test_files_that_are_not_returns_are_refused_with_a_reason(repo, cli):
    chase(cli)
    other = openpyxl.Workbook()
    other.active.append(["Name", "Amount"])
    other.save(repo / "budget.xlsx")
    write(repo / "notes.txt", "hello\n")
    (repo / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    missing = openpyxl.Workbook()
    missing.active.append(["Ref", "New RAG", "Update"])
    missing.save(repo / "cut.xlsx")
    result = apply(cli, "budget.xlsx", "notes.txt", "broken.xlsx", "cut.xlsx")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0:2] == [
        "budget.xlsx: refused, nothing applied (1 problem):",
        "  budget.xlsx: no heading row with a 'Ref' column: this is not a return written by dhrtrack chase "
        "(expected the headings Ref, Review, Recommendation, Action, Target, Due, Status, Current RAG, "
        "Latest update, Current outcome, New RAG, Update, Outcome, Completed on, New target, Evidence)",
    ]
    assert lines[2:4] == [
        "notes.txt: refused, nothing applied (1 problem):",
        "  notes.txt: a return is an .xlsx workbook or a .csv form written by dhrtrack chase",
    ]
    assert lines[4] == "broken.xlsx: refused, nothing applied (1 problem):"
    assert lines[5].startswith("  broken.xlsx is not an Excel workbook that can be read (.xlsx): ")
    assert lines[6:] == [
        "cut.xlsx: refused, nothing applied (1 problem):",
        "  cut.xlsx: the heading row (row 1) has no 'Outcome', 'Completed on', 'New target', 'Evidence' column",
    ]
    result = apply(cli, "nowhere.xlsx")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, "Error: nowhere.xlsx: no such file or directory")


# --- the snapshot ---------------------------------------------------------------------------


def test_snapshot_says_what_changed():
    action = {"id": "1.1", "action": "Do.", "lead": "Police", "rag": "amber", "target": "2026-06"}
    taken = snapshot.decode(snapshot.encode(snapshot.snapshot(action)))
    assert taken is not None and snapshot.unchanged(taken, action)
    assert snapshot.changes(taken, dict(action, action="Do it well.")) == ["its text or other fields were edited"]
    later = dict(action, rag="red", lead="Council", updates=[{"date": "2026-07-01"}, {"date": "2026-08-01"}])
    assert snapshot.changes(taken, later) == [
        "rag amber → red",
        "lead Police → Council",
        "2 new updates (latest 2026-08-01)",
    ]
    assert snapshot.decode("{not json") is None
    assert snapshot.decode('{"v": 1, "fingerprint": "x", "updates": "2"}') is None


# --- the manual's example (docs/coordinator.md), on the seed plan -----------------------------


def _readme_output(command: str) -> list:
    """The lines the manual shows under `$ command`, up to the next prompt or the block's end."""
    from tests.conftest import ROOT

    lines = (ROOT / "docs" / "coordinator.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"$ {command}") + 1
    out = []
    for line in lines[start:]:
        if line.startswith("$ ") or line == "```":
            break
        out.append(line)
    return out


def test_the_manuals_returns_example_is_what_happens(tmp_path, chdir, monkeypatch, cli):
    import shutil

    from tests.conftest import ROOT

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    chdir(tmp_path)
    written = cli("chase", "--format", "xlsx", "--out", "returns-2026-q4", "--from", "Coordinator <csp@example.org>")
    assert written.stdout.splitlines() == _readme_output(
        'dhrtrack chase --format xlsx --out returns-2026-q4 --from "Coordinator <csp@example.org>"'
    )
    police = tmp_path / "returns-2026-q4" / "west-midlands-police.xlsx"
    fill(
        police,
        {
            "bdhr-2012-13-05:30.1": {
                "New RAG": "Amber",
                "Update": "Policy redraft with legal.",
                "New target": "March 2027",
            }
        },
    )
    council = tmp_path / "returns-2026-q4" / "birmingham-city-council-children-s-social-care.xlsx"
    workbook = openpyxl.load_workbook(council)
    workbook["Actions"]["K5"] = "Ambr"
    workbook.save(council)
    result = cli("apply", "returns-2026-q4", "--date", "2026-11-26")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == _readme_output("dhrtrack apply returns-2026-q4")
    assert (
        "        updates:\n"
        "          - date: 2026-11-26\n"
        "            rag: amber\n"
        "            target: 2027-03\n"
        "            note: Policy redraft with legal.\n"
        "            by: West Midlands Police\n"
        f"            source: west-midlands-police.xlsx (return {return_id(police)}, row 2)\n"
    ) in (tmp_path / "plans" / "bdhr-2012-13-05.yaml").read_text(encoding="utf-8")


def test_an_ampersand_in_an_agency_name_is_not_a_footer_code(tmp_path):
    import io

    from dhrtrack.render.returns import to_xlsx
    from dhrtrack.reports.returns import AgencyReturn, Returns

    made = to_xlsx(
        AgencyReturn("Council & Partners", []),
        Returns(dt.date(2026, 11, 26), 45, dt.date(2026, 12, 10), None, []),
        bytes(32),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(made))["Actions"]
    assert sheet.oddFooter.center.text == "Council && Partners - page &P of &N"


# --- a return saved by LibreOffice (where it is installed) ------------------------------------

SOFFICE = __import__("shutil").which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice); apt-get install libreoffice-calc-nogui")
def test_a_return_saved_by_libreoffice_keeps_its_checks_and_reads_correctly(repo, cli, tmp_path):
    import subprocess

    chase(cli)
    police = repo / "returns" / "northshire-police.xlsx"
    fill(
        police,
        {
            "north:2.1": {
                "New RAG": "Complete",
                "Outcome": "Question live.",
                "Completed on": dt.datetime(2026, 10, 14),
            },
            "south:1.1": {"New target": "March 2027", "Update": "Started."},
        },
    )
    workbook = openpyxl.load_workbook(police)
    workbook["Actions"]["N3"].number_format = "DD/MM/YY"  # as a person types a date in LibreOffice
    workbook.save(police)
    saved = tmp_path / "saved"
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(police)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**__import__("os").environ, "HOME": str(tmp_path / "home")},
    )
    resaved = openpyxl.load_workbook(saved / "northshire-police.xlsx")
    assert resaved["dhrtrack"].sheet_state == "hidden"  # LibreOffice kept the snapshot sheet hidden
    validations = {v.type for v in resaved["Actions"].data_validations.dataValidation}
    assert validations == {"list", "date"}  # and the drop-down and date checks
    assert resaved["Actions"].protection.sheet
    result = apply(cli, str(saved / "northshire-police.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[:3] == [
        f"{saved / 'northshire-police.xlsx'} (Northshire Police): 2 answers applied, 1 unanswered",
        "  north:2.1: rag green → complete; outcome recorded; completed 14 October 2026",
        "  south:1.1: target none → 2027-03",
    ]
    assert "            completed: 2026-10-14\n" in (repo / "plans" / "north.yaml").read_text()


def test_apply_json_gives_every_return_and_plan_as_data(repo, cli):
    chase(cli)
    fill(repo / "returns" / "northshire-police.xlsx", {"south:1.1": {"New RAG": "Red", "Update": "Blocked."}})
    fill(repo / "returns" / "northshire-council.xlsx", {"north:1.2": {"New RAG": "Ambr"}})
    before = (repo / "plans" / "south.yaml").read_bytes()
    dry = apply(cli, "returns", "--dry-run", "--format", "json")
    assert (dry.exit_code, dry.stderr) == (1, "")
    document = json.loads(dry.stdout)
    assert document["written"] is False
    assert document["returns"] == [
        {
            "file": "returns/northshire-council.xlsx",
            "agency": "Northshire Council",
            "refused": True,
            "problems": [
                "northshire-council.xlsx, Actions, row 2, New RAG: 'Ambr' is not one of red, amber, green, complete"
            ],
            "applied": [],
            "already_applied": 0,
            "stale_skipped": [],
            "unanswered": 1,
            "ignored_columns": [],
        },
        {
            "file": "returns/northshire-police.xlsx",
            "agency": "Northshire Police",
            "refused": False,
            "problems": [],
            "applied": [{"ref": "south:1.1", "changes": ["rag unrated → red"]}],
            "already_applied": 0,
            "stale_skipped": [],
            "unanswered": 2,
            "ignored_columns": [],
        },
    ]
    assert [p["file"] for p in document["plans"]] == ["plans/south.yaml"]
    assert document["plans"][0]["actions"] == ["1.1"] and "+        rag: red\n" in document["plans"][0]["diff"]
    assert (repo / "plans" / "south.yaml").read_bytes() == before
    written = json.loads(apply(cli, "returns", "--format", "json").stdout)
    assert written["written"] is True and written["plans"] == [{"file": "plans/south.yaml", "actions": ["1.1"]}]


def test_applied_plans_are_not_read_again_by_the_next_command(repo, cli, monkeypatch):
    """apply puts each edited plan's checked data into the content cache as it writes it; a dry
    run writes nothing there."""
    from dhrtrack.plan import store

    chase(cli)
    fill(repo / "returns" / "northshire-police.xlsx", {"south:1.1": {"New RAG": "Red", "Update": "Blocked."}})
    assert apply(cli, "returns", "--dry-run").exit_code == 0
    parsed = []
    real = store.check_bytes
    monkeypatch.setattr(store, "check_bytes", lambda file, raw: parsed.append(file) or real(file, raw))
    assert cli("status").exit_code == 0 and parsed == []  # nothing changed, nothing read
    assert apply(cli, "returns").exit_code == 0
    parsed.clear()
    result = cli("status", "--format", "json")
    assert result.exit_code == 0 and parsed == []  # south.yaml changed, and came from the cache
    assert [r["red"] for r in json.loads(result.stdout)["reviews"] if r["file"].endswith("south.yaml")] == [1]
