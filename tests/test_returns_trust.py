"""Returns tried as a hostile or careless agency would: a return speaks only for its agency, is
signed, counts each answer once, and refuses cells it cannot take, each with its exact message."""

from __future__ import annotations

import csv
import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import write
from tests.test_returns import AS_OF, NORTH, apply, chase, fill, make_repo, return_id

POLICE = Path("returns") / "northshire-police.xlsx"


@pytest.fixture
def repo(tmp_path, chdir, monkeypatch):
    return make_repo(tmp_path, chdir, monkeypatch)


def police_sheet(repo: Path):
    workbook = openpyxl.load_workbook(repo / POLICE)
    return workbook, workbook["Actions"]


def refused(result, *problems: str) -> None:
    assert result.exit_code == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"{POLICE} (Northshire Police): refused, nothing applied ({len(problems)} problem"
        f"{'s' if len(problems) != 1 else ''}):",
        *[f"  {p}" for p in problems],
    ]


# --- bound to its agency, and signed ----------------------------------------------------------


def test_a_row_added_for_another_agencys_action_is_refused(repo, cli):
    chase(cli)
    workbook, sheet = police_sheet(repo)
    sheet.cell(5, 1).value = "north:1.2"  # the council leads it
    sheet.cell(5, 11).value = "complete"
    sheet.cell(5, 13).value = "Done, say the police."
    workbook.save(repo / POLICE)
    before = (repo / "plans" / "north.yaml").read_bytes()
    refused(
        apply(cli, str(POLICE)),
        "northshire-police.xlsx, Actions, row 5, Ref: 'north:1.2' is not one of the actions this return was "
        "written for (Northshire Police's): a return answers only for the rows dhrtrack wrote in it",
    )
    assert (repo / "plans" / "north.yaml").read_bytes() == before


def test_a_row_added_to_the_hidden_sheet_too_breaks_the_signature(repo, cli):
    chase(cli)
    workbook, sheet = police_sheet(repo)
    sheet.cell(5, 1).value = "north:1.2"
    sheet.cell(5, 11).value = "green"
    check = workbook["dhrtrack"]
    check.append(["north:1.2", check.cell(7, 2).value])
    workbook.save(repo / POLICE)
    refused(
        apply(cli, str(POLICE)),
        "northshire-police.xlsx, dhrtrack sheet, cell B4: the signature does not match the return's agency, id, "
        "date and rows: they were changed after dhrtrack wrote the return (or it was written with another "
        "coordinator's key); nothing in it can be trusted: write the agency a new return",
    )


def test_a_forged_agency_in_the_hidden_sheet_is_refused(repo, cli):
    """The council's return, relabelled as the police's, to answer for the police's actions."""
    chase(cli)
    council = repo / "returns" / "northshire-council.xlsx"
    workbook = openpyxl.load_workbook(council)
    workbook["dhrtrack"]["B2"] = "Northshire Police"
    workbook["Actions"]["K2"] = "red"
    workbook.save(council)
    result = apply(cli, "returns/northshire-council.xlsx")
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            "returns/northshire-council.xlsx (Northshire Police): refused, nothing applied (1 problem):",
            "  northshire-council.xlsx, dhrtrack sheet, cell B4: the signature does not match the return's "
            "agency, id, date and rows: they were changed after dhrtrack wrote the return (or it was written "
            "with another coordinator's key); nothing in it can be trusted: write the agency a new return",
        ],
    )


def test_an_unsigned_return_is_refused(repo, cli):
    chase(cli)
    workbook, sheet = police_sheet(repo)
    del workbook["dhrtrack"]
    sheet.cell(2, 11).value = "red"
    workbook.save(repo / POLICE)
    result = apply(cli, str(POLICE))
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            f"{POLICE}: refused, nothing applied (1 problem):",
            "  northshire-police.xlsx, dhrtrack sheet: the return is not signed (no Return, Agency, Written, "
            "Signature recorded): only a return written by dhrtrack chase, with its hidden sheet as written, can "
            "be applied; write the agency a new return (dhrtrack chase --format xlsx)",
        ],
    )


def test_a_signature_made_with_another_coordinators_key_is_refused(repo, cli, return_key):
    chase(cli)
    fill(repo / POLICE, {"south:1.1": {"New RAG": "red"}})
    return_key.write_text(bytes(range(32)).hex() + "\n")
    result = apply(cli, str(POLICE))
    assert result.exit_code == 1 and "the signature does not match" in result.stderr


def test_an_action_given_to_another_agency_since_is_refused_for_this_one(repo, cli):
    chase(cli)
    fill(repo / POLICE, {"north:1.1": {"New RAG": "red", "Update": "Blocked."}})
    north = repo / "plans" / "north.yaml"
    north.write_text(
        north.read_text().replace("lead: Northshire Police   # the force's", "lead: Northshire Council  #")
    )
    refused(
        apply(cli, str(POLICE)),
        "northshire-police.xlsx, Actions, row 2, Ref: north:1.1 is led by Northshire Council, not Northshire "
        "Police: a return answers only for its own agency's actions",
    )


def test_the_key_is_made_private_once_and_apply_needs_it(repo, cli, return_key):
    assert not return_key.exists()
    made = chase(cli)
    assert made.stderr == (
        f"made the key that signs returns: {return_key} (keep it private; whoever applies the returns needs a "
        "copy of it: see 'Returns' in the docs)\n"
    )
    if os.name == "posix":
        assert stat.S_IMODE(return_key.stat().st_mode) == 0o600
    key = return_key.read_text()
    assert chase(cli, "xlsx", "--force").stderr == "" and return_key.read_text() == key
    fill(repo / POLICE, {"south:1.1": {"New RAG": "red"}})
    if os.name == "posix":
        return_key.chmod(0o644)
        result = apply(cli, str(POLICE))
        assert (result.exit_code, result.stderr) == (
            1,
            f"Error: the return key {return_key} can be read or changed by other users: anyone who reads it can "
            f"forge a return; make it private (chmod 600 {return_key})\n",
        )
        return_key.chmod(0o600)
    second = return_key.parent / "elsewhere"
    result = cli("apply", str(POLICE), "--date", AS_OF, env={"DHRTRACK_RETURN_KEY_FILE": str(second)})
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: no return key at {second}: returns are signed with the key of the coordinator who wrote them "
        "(dhrtrack chase --format xlsx); copy that file here from their machine, or set DHRTRACK_RETURN_KEY_FILE "
        "to where it is\n",
    )
    shutil.copy(return_key, second)  # the second coordinator's copy
    result = cli("apply", str(POLICE), "--date", AS_OF, env={"DHRTRACK_RETURN_KEY_FILE": str(second)})
    assert result.exit_code == 0, result.stderr


# --- every answer counts once -----------------------------------------------------------------


def test_next_quarters_same_answer_is_a_new_update(repo, cli):
    chase(cli)
    fill(repo / POLICE, {"south:1.1": {"New RAG": "Amber", "Update": "Started."}})
    first = return_id(repo / POLICE)
    assert apply(cli, str(POLICE)).exit_code == 0
    again = apply(cli, str(POLICE))
    assert (
        again.stderr.splitlines()[0]
        == f"{POLICE} (Northshire Police): 0 answers applied, 1 already applied, 2 unanswered"
    )
    # Next quarter: a new return, the same file name, the same words.
    chase(cli, "xlsx", "--force")
    assert return_id(repo / POLICE) != first
    fill(repo / POLICE, {"south:1.1": {"New RAG": "Amber", "Update": "Started."}})
    result = cli("apply", str(POLICE), "--date", "2027-02-26")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[:2] == [
        f"{POLICE} (Northshire Police): 1 answer applied, 2 unanswered",
        "  south:1.1: rag amber (unchanged)",
    ]
    log = (repo / "plans" / "south.yaml").read_text()
    assert log.count("note: Started.") == 2
    assert f"(return {first}, row 4)" in log and f"(return {return_id(repo / POLICE)}, row 4)" in log


def test_a_row_applied_before_and_changed_since_in_the_return_is_refused(repo, cli):
    chase(cli)
    fill(repo / POLICE, {"south:1.1": {"New RAG": "Amber"}})
    assert apply(cli, str(POLICE)).exit_code == 0
    fill(repo / POLICE, {"south:1.1": {"New RAG": "Red"}})
    refused(
        apply(cli, str(POLICE)),
        f"northshire-police.xlsx, Actions, row 4: this row of return {return_id(repo / POLICE)} was applied "
        "before with other answers; what it says now is not applied (answer again in a new return)",
    )


# --- cells that cannot be taken ---------------------------------------------------------------


def test_formulas_errors_and_oversized_cells_are_refused_with_the_cell_named(repo, cli):
    chase(cli)
    workbook, sheet = police_sheet(repo)
    sheet["K2"] = '=IF(1,"red","green")'
    sheet["L3"] = "#REF!"
    workbook.save(repo / POLICE)
    refused(
        apply(cli, str(POLICE)),
        'northshire-police.xlsx, Actions, row 2, New RAG: is a formula (=IF(1,"red","green")): type the value '
        "itself, not a formula",
        "northshire-police.xlsx, Actions, row 3, Update: is a spreadsheet error (#REF!): type the value itself",
    )
    # openpyxl cuts what it writes at the limit; a CSV (or another program's workbook) need not.
    chase(cli, "csv")
    path = repo / "returns" / "northshire-police.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[4][11] = "x" * 40_000
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = apply(cli, "returns/northshire-police.csv")
    assert result.stderr.splitlines()[1:] == [
        "  northshire-police.csv, row 5, Update: holds 40,000 characters, more than a spreadsheet cell can "
        "(32,767): shorten it"
    ]


def test_a_second_column_with_an_answer_heading_is_refused(repo, cli):
    chase(cli)
    workbook, sheet = police_sheet(repo)
    sheet["Q1"] = "Update"
    sheet["Q2"] = "The answer that would have hidden the first."
    sheet["L2"] = "The first answer."
    workbook.save(repo / POLICE)
    result = apply(cli, str(POLICE))
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            f"{POLICE}: refused, nothing applied (1 problem):",
            f"  {POLICE}: the heading row (row 1) has two 'Update' columns (L and Q): delete the one that is "
            "not the return's",
        ],
    )


def test_sparse_and_huge_returns_are_bounded(repo, cli):
    chase(cli)
    workbook, sheet = police_sheet(repo)
    sheet["BI3"] = "far out"
    workbook.save(repo / POLICE)
    result = apply(cli, str(POLICE))
    assert result.stderr.splitlines()[1] == (
        f"  {POLICE}: sheet 'Actions', row 3 has a cell in column BI, beyond the 60 columns a return can have: "
        "not a return (delete what is out there)"
    )
    chase(cli, "xlsx", "--force")
    workbook, sheet = police_sheet(repo)
    sheet["A1048576"] = "x"  # a cell a million rows down: read as far as a return may go, no further
    workbook.save(repo / POLICE)
    result = apply(cli, str(POLICE))
    assert result.stderr.splitlines()[1] == (
        f"  {POLICE}: sheet 'Actions' has more than 50,000 rows, more than a return can: not a return"
    )
    big = repo / "returns" / "big.csv"
    with big.open("w") as handle:
        handle.write("Ref,New RAG\n")
        handle.write(("north:1.1,red\n") * 1_300_000)
    result = apply(cli, "returns/big.csv")
    assert result.stderr.splitlines()[1] == (
        "  returns/big.csv is 17 MB: a return lists one agency's actions and is kilobytes; this is not one"
    )


# --- unique Refs --------------------------------------------------------------------------------


def test_two_plans_with_one_name_are_an_error_and_their_refs_are_refused(repo, cli):
    write(repo / "plans" / "2025" / "north.yaml", NORTH.replace("NDHR 2024-01", "NDHR 2025-09"))
    result = cli("validate", "--format", "text")
    assert result.exit_code == 1
    assert (
        "plans/2025/north.yaml:1:1: error: another plan has the name 'north' (plans/north.yaml): a Ref such as "
        "north:1.1 would name either; rename all but one of the files (git mv)"
    ) in result.stdout
    update = cli("update", "north:1.1", "--rag", "red")
    assert (update.exit_code, update.stderr.splitlines()[-1]) == (
        2,
        "Error: 'north:1.1' is ambiguous: 2 plans are named north (plans/2025/north.yaml, plans/north.yaml); "
        "rename all but one (dhrtrack validate says so too)",
    )
    chased = cli("chase", "--format", "xlsx", "--out", "returns", "--as-of", AS_OF)
    assert (chased.exit_code, chased.stderr.splitlines()[-1]) == (
        1,
        "Error: 2 plans are named north (plans/2025/north.yaml, plans/north.yaml): a return's Refs (north:1.1) "
        "would name either; rename all but one before writing returns",
    )


def test_a_return_about_a_plan_whose_name_became_ambiguous_is_refused(repo, cli):
    chase(cli)
    fill(repo / POLICE, {"north:1.1": {"New RAG": "red"}})
    write(repo / "plans" / "2025" / "north.yaml", NORTH.replace("NDHR 2024-01", "NDHR 2025-09"))
    refused(
        apply(cli, str(POLICE)),
        "northshire-police.xlsx, Actions, row 2, Ref: 'north:1.1' is ambiguous: 2 plans are named north "
        "(plans/2025/north.yaml, plans/north.yaml); rename all but one",
    )


# --- all or nothing across plans ---------------------------------------------------------------


def test_a_failure_writing_one_plan_leaves_every_plan_as_it_was(repo, cli, monkeypatch):
    chase(cli)
    fill(repo / POLICE, {"north:1.1": {"New RAG": "red"}, "south:1.1": {"New RAG": "amber"}})
    before = {p: p.read_bytes() for p in (repo / "plans").glob("*.yaml")}
    real_replace = os.replace

    def failing(source, target):
        if str(target).endswith("south.yaml"):  # north.yaml is replaced first, then this fails
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    result = apply(cli, str(POLICE))
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[-1]
        == "Error: cannot write plans/south.yaml: No space left on device; nothing written"
    )
    assert {p: p.read_bytes() for p in (repo / "plans").glob("*.yaml")} == before
    assert not [p for p in (repo / "plans").iterdir() if p.name.startswith(".dhrtrack-")]


# --- outcomes ----------------------------------------------------------------------------------


def test_the_return_shows_the_outcome_and_apply_says_what_it_replaced(repo, cli):
    north = repo / "plans" / "north.yaml"
    north.write_text(
        north.read_text().replace("        rag: green\n", "        outcome: Question drafted.\n        rag: green\n")
    )
    chase(cli)
    _workbook, sheet = police_sheet(repo)
    assert (sheet["J1"].value, sheet["A3"].value, sheet["J3"].value) == (
        "Current outcome",
        "north:2.1",
        "Question drafted.",
    )
    fill(repo / POLICE, {"north:2.1": {"Outcome": "Question live on the form.", "New RAG": "complete"}})
    dry = apply(cli, str(POLICE), "--dry-run")
    assert dry.stderr.splitlines()[1] == (
        "  north:2.1: rag green → complete; outcome replaced: 'Question drafted.' → 'Question live on the form.'"
    )
    assert (
        "-        outcome: Question drafted.\n-        rag: green\n+        outcome: Question live on the form.\n"
    ) in dry.stdout


# --- print -------------------------------------------------------------------------------------

SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice) to print the return to PDF")
def test_the_return_prints_legibly_on_a4_landscape_two_pages_across(repo, cli, tmp_path):
    """What the plan says on the first page, what the agency says on the second, the reference
    on both, at three quarters of full size or more (one page across printed 5pt text)."""
    import subprocess

    import pdfplumber

    north = repo / "plans" / "north.yaml"
    many = "".join(
        f'          - id: "3.{n}"\n            action: Action {n} of many, to fill pages.\n'
        "            lead: Northshire Police\n"
        for n in range(1, 251)
    )
    north.write_text(
        north.read_text() + "  - number: 3\n    section: overview\n    text: Many actions.\n    actions:\n" + many
    )
    chase(cli)
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(repo / POLICE)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path / "home")},
    )
    with pdfplumber.open(tmp_path / "pdf" / "northshire-police.pdf") as pdf:
        pages = [(p.width, p.height, p.extract_text() or "", {c["size"] for c in p.chars}) for p in pdf.pages]
    actions_pages = [p for p in pages if "north:" in p[2]]  # not the Instructions sheet's pages
    assert len(actions_pages) >= 4  # several bands of rows, so the headings must repeat
    for width, height, text, sizes in actions_pages:
        assert width > height  # landscape
        assert round(width) == 842 and round(height) == 595  # A4
        assert min(sizes) >= 0.75 * 11 - 0.1  # Calibri 11 at three quarters or more
        assert text.startswith("Ref")  # the reference column and the heading row on every page
    # Two pages across: the plan's columns on one, the agency's on the other. (LibreOffice leaves
    # out the agency's page of a band of rows with nothing written in it yet.)
    plan_pages = [text for _w, _h, text, _s in actions_pages if "Action" in text and "Evidence" not in text]
    agency_pages = [text for _w, _h, text, _s in actions_pages if "Evidence" in text and "Action" not in text]
    assert len(plan_pages) >= 2 and agency_pages and len(plan_pages) + len(agency_pages) == len(actions_pages)
    assert "north:1.1" in agency_pages[0] and "north:1.1" in plan_pages[0]
    assert "north:3.250" in "".join(text for _w, _h, text, _s in actions_pages)
