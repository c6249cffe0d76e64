"""Real-world layouts, built here as partnerships fill them in (the real plans are not ours to
keep): the Home Office template in Word and as text from a PDF, a Word plan numbering its actions
1.1, 1.2 in the number column, an Excel tracker with a title block, merged and colour-only cells,
and a CSV master tracker of several reviews. Each has an exact expected outcome, and on each the
invariant holds: every word of the source is in the plan or its import_notes."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import List

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dhrtrack.importing import ImportFailed, import_file, import_reviews
from dhrtrack.plan.validate import valid_data
from dhrtrack.plan.write import dump_plan
from tests.invariant import lost_words

HOME_OFFICE = [
    "Recommendation",
    "Scope of recommendation i.e. local or regional",
    "Action to take",
    "Lead Agency",
    "Key milestones achieved in enacting recommendation",
    "Target Date",
    "Date of completion and Outcome",
]


def actions(plan: dict) -> dict:
    return {a["id"]: a for r in plan["recommendations"] for a in r["actions"]}


def summary(plan: dict) -> List[tuple]:
    return [
        (a["id"], a["lead"], a.get("owner"), a.get("target"), a.get("rag"), a.get("completed"))
        for r in plan["recommendations"]
        for a in r["actions"]
    ]


def assert_valid(plan: dict) -> None:
    _data, problem = valid_data(dump_plan(plan).encode("utf-8"), "plan.yaml")
    assert problem is None, problem


# --- the Home Office template in Word --------------------------------------------------------------


def home_office_docx(path: Path) -> List[str]:
    """Filled in as a partnership would: a title block and an introduction, the number at the
    start of the recommendation cell, no RAG column (ratings written in the outcome), sub-actions
    numbered and lettered in one cell with one target a line, a joint lead, an 'Organisation -
    role' lead, a recommendation and its lead merged down over two rows, and the table split over
    two pages with its heading row repeated. Returns every cell's and paragraph's text."""
    import docx

    document = docx.Document()
    for text in [
        "Northshire Community Safety Partnership",
        "Domestic Homicide Review into the death of Adult A (NSDHR 2024/02)",
        "Action plan, updated 15 November 2025",
        "This action plan records the review's recommendations and the progress agencies report.",
    ]:
        document.add_paragraph(text)
    texts: List[str] = []  # the table cells (the title block is checked through the id and title)
    rows1 = [
        [
            "1. Agencies should ask about domestic abuse at every assessment.",
            "Local",
            "1. Add a routine enquiry question to the assessment form. 2. Train practitioners in routine enquiry.",
            "Northshire Mental Health NHS Foundation Trust – Head of Safeguarding",
            "Form change agreed",
            "Dec 2025\nJune 2026",
            "Amber",
        ],
        [
            "Recommendation 2: The CSP should review its communication strategy.",
            "Regional",
            "Review the domestic abuse communications strategy with the regional board.",
            "Police & Probation Service",
            "",
            "31/03/2026",
            "Red – audit delayed",
        ],
        [
            "3. GPs should record who attends appointments with the patient.",
            "Local",
            "a) Issue guidance to practices. b) Audit a sample of records.",
            "Northshire ICB",
            "Guidance drafted",
            "31st March 2025",
            "Completed 15/11/2025: Guidance issued to all 42 practices; audit found 88% compliance.",
        ],
    ]
    rows2 = [
        [
            "R4 Housing officers should be trained to recognise coercive control.",
            "Local",
            "Deliver training to housing officers.",
            "Northshire Council, Housing Manager",
            "",
            "Within 6 months of publication",
            "In progress",
        ],
        [
            "5. Agencies should share risk information before discharge.",
            "Local",
            "Agree a discharge protocol.",
            "Northshire Hospitals Trust",
            "",
            "Q2 2026",
            "",
        ],
        ["", "", "Audit the protocol's use.", "", "", "30.09.26", "Green"],
    ]
    for rows in (rows1, rows2):
        table = document.add_table(rows=1, cols=7)
        for cell, heading in zip(table.rows[0].cells, HOME_OFFICE, strict=True):
            cell.text = heading
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        texts += [v for values in rows for v in values]  # the heading rows are labels, not data
        document.add_paragraph("")
    # Recommendation 5 spans its two action rows: its text and lead cells are merged down.
    last = document.tables[1]
    last.cell(2, 0).merge(last.cell(3, 0))
    last.cell(2, 3).merge(last.cell(3, 3))
    document.save(str(path))
    return texts


def test_home_office_template_in_word(tmp_path):
    source = tmp_path / "NSDHR 2024-02 action plan.docx"
    cells = home_office_docx(source)
    result = import_file(str(source))
    plan = result.plan
    assert plan["review"] == {
        "id": "NSDHR 2024/02",
        "title": "Domestic Homicide Review into the death of Adult A (NSDHR 2024/02)",
        "partnership": "Northshire Community Safety Partnership",
    }
    # The dated line says when the progress was written, so it dates the updates read from it.
    assert result.warnings[:2] == [
        (
            "title block",
            "text above the table is not part of the plan: \"This action plan records the review's "
            'recommendations and the progress agencies report."',
        ),
        ("title block", "progress is dated 2025-11-15, as the document is: 'Action plan, updated 15 November 2025'"),
    ]
    assert [(r["number"], r["section"], r.get("scope"), r["text"]) for r in plan["recommendations"]] == [
        (1, "overview", "local", "Agencies should ask about domestic abuse at every assessment."),
        (2, "overview", "regional", "The CSP should review its communication strategy."),
        (3, "overview", "local", "GPs should record who attends appointments with the patient."),
        (4, "overview", "local", "Housing officers should be trained to recognise coercive control."),
        (5, "overview", "local", "Agencies should share risk information before discharge."),
    ]
    trust = "Northshire Mental Health NHS Foundation Trust"
    assert summary(plan) == [
        ("1.1", trust, "Head of Safeguarding", "2025-12", "amber", None),
        ("1.2", trust, "Head of Safeguarding", "2026-06", "amber", None),
        ("2.1", "Police & Probation Service", None, "2026-03-31", "red", None),
        ("3.1", "Northshire ICB", None, "2025-03-31", "complete", "2025-11-15"),
        ("3.2", "Northshire ICB", None, "2025-03-31", "complete", "2025-11-15"),
        ("4.1", "Northshire Council", "Housing Manager", None, None, None),
        ("5.1", "Northshire Hospitals Trust", None, None, None, None),
        ("5.2", "Northshire Hospitals Trust", None, "2026-09-30", "green", None),
    ]
    a = actions(plan)
    assert [a[i]["action"] for i in ("1.1", "1.2", "3.1", "3.2")] == [
        "Add a routine enquiry question to the assessment form.",
        "Train practitioners in routine enquiry.",
        "Issue guidance to practices.",
        "Audit a sample of records.",
    ]
    assert a["3.1"]["outcome"] == "Guidance issued to all 42 practices; audit found 88% compliance."
    assert a["2.1"]["import_notes"] == ["Progress: audit delayed"]
    assert "outcome" not in a["2.1"] and "outcome" not in a["1.1"]
    assert a["4.1"]["import_notes"] == ["Target Date: Within 6 months of publication", "Status: In progress"]
    assert a["5.1"]["import_notes"] == ["Target Date: Q2 2026"]
    assert a["1.1"]["milestones"] == a["1.2"]["milestones"] == ["Form change agreed"]
    # Ratings read from the outcome cell are inferences, so each is a warning naming its row.
    assert ("table 1, row 2", "action 1.1: rated amber from its outcome cell ('Amber')") in result.warnings
    assert (
        "table 1, row 4",
        "action 3.1: rated complete from its outcome cell ('Completed 15/11/2025: Guidance issued to')",
    ) in result.warnings
    assert lost_words(cells, plan) == []
    assert_valid(plan)


# --- a Word plan numbering its actions in the number column -----------------------------------------


def numbered_actions_docx(path: Path) -> List[str]:
    import docx

    document = docx.Document()
    document.add_paragraph("DHR Ref: SSDHR 2022-07")
    texts: List[str] = []
    headings = ["No.", "Recommendation", "Action", "Lead Agency", "Target Date", "RAG"]
    sections = [
        (
            "Individual Agency Recommendations – Southshire Police",
            [
                [
                    "1.1",
                    "Police should check the address history before attending.",
                    "Add an address-history prompt.",
                    "Southshire Police",
                    "March 2023",
                    "G",
                ],
                ["1.2", "", "Train call handlers in the prompt.", "Southshire Police", "June 2023", "Closed"],
                [
                    "1.3",
                    "",
                    "Audit calls after six months.",
                    "Southshire Police - Control Room Manager",
                    "Dec 2023",
                    "Not started",
                ],
            ],
        ),
        (
            "Individual Agency Recommendations – Southshire Council",
            [
                [
                    "2.1",
                    "The council should review its housing allocation policy.",
                    "Review the policy.",
                    "Southshire Council",
                    "31/12/2023",
                    "A",
                ],
            ],
        ),
    ]
    for title, rows in sections:
        document.add_paragraph(title)
        texts.append(title)
        table = document.add_table(rows=1, cols=len(headings))
        for cell, heading in zip(table.rows[0].cells, headings, strict=True):
            cell.text = heading
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
            texts += values
    document.save(str(path))
    return texts


def test_word_plan_with_action_numbers_keeps_every_recommendation(tmp_path):
    source = tmp_path / "plan.docx"
    cells = numbered_actions_docx(source)
    result = import_file(str(source))
    plan = result.plan
    assert plan["review"]["id"] == "SSDHR 2022-07"
    assert [
        (r["number"], r["section"], r.get("agency"), [a["id"] for a in r["actions"]]) for r in plan["recommendations"]
    ] == [
        (1, "agency", "Southshire Police", ["1.1", "1.2", "1.3"]),
        (2, "agency", "Southshire Council", ["2.1"]),
    ]
    assert summary(plan) == [
        ("1.1", "Southshire Police", None, "2023-03", "green", None),
        ("1.2", "Southshire Police", None, "2023-06", "complete", None),
        ("1.3", "Southshire Police", "Control Room Manager", "2023-12", None, None),
        ("2.1", "Southshire Council", None, "2023-12-31", "amber", None),
    ]
    assert actions(plan)["1.3"]["import_notes"] == ["Status: Not started"]
    assert lost_words(cells, plan) == []
    assert_valid(plan)


# --- an Excel tracker ---------------------------------------------------------------------------


def tracker_xlsx(path: Path) -> List[str]:
    """A coordinator's tracker: a title block above the headings, tracker headings, the
    recommendation merged down over its actions, ratings given only by fill colour in some
    rows, a real date cell, and a column that is no plan field."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    sheet.append(["Northshire CSP – DHR action plan tracker"])
    sheet.append(["DHR Ref: NSDHR 2021-03"])
    sheet.append(["Updated 1 October 2022"])
    sheet.append([])
    headings = [
        "Rec No.",
        "Recommendation",
        "Action",
        "Responsible agency",
        "Lead Officer",
        "By when",
        "Progress indicator (Red/Amber/Green)",
        "Progress update",
        "Date completed",
        "Evidence",
        "Notes",
    ]
    sheet.append(headings)
    rows = [
        [
            "1",
            "Share information about high-risk victims.",
            "Agree an information-sharing protocol.",
            "Northshire Police",
            "DI Jones",
            "30.09.22",
            "",
            "Protocol drafted.",
            "",
            "",
            "see board minutes",
        ],
        [
            "",
            "",
            "Train MARAC members in the protocol.",
            "Northshire Police",
            "DI Jones",
            dt.datetime(2022, 12, 31),
            "Amber",
            "",
            "",
            "",
            "",
        ],
        [
            "2",
            "Review the risk assessment tools.",
            "a) Compare the tools in use. b) Recommend one tool.",
            "Northshire Council",
            "",
            "Q2 2022",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "3a",
            "Improve GP recording of abuse disclosures.",
            "Issue recording guidance.",
            "Northshire ICB",
            "Named GP for Safeguarding",
            "TBC",
            "Complete",
            "Guidance issued.",
            "12/08/2022",
            "Guidance note v2; audit report",
            "",
        ],
    ]
    for values in rows:
        sheet.append(values)
    texts = [str(v) for values in rows for v in values if not isinstance(v, dt.datetime)]
    sheet.merge_cells("B6:B7")  # recommendation 1 over its two actions
    sheet["G6"].fill = PatternFill("solid", fgColor="00B050")  # green, no word
    sheet["G8"].fill = PatternFill("solid", fgColor="FFEB9C")  # Excel's pale amber, no word
    workbook.save(str(path))
    return texts


def test_excel_tracker_with_title_block_merged_cells_and_colours(tmp_path):
    source = tmp_path / "tracker.xlsx"
    cells = tracker_xlsx(source)
    result = import_file(str(source))
    plan = result.plan
    assert plan["review"] == {"id": "NSDHR 2021-03", "title": "Northshire CSP – DHR action plan tracker"}
    assert result.warnings[0] == (
        "title block",
        "progress is dated 2022-10-01, as the document is: 'Updated 1 October 2022'",
    )
    assert [(r["number"], r["text"], [a["id"] for a in r["actions"]]) for r in plan["recommendations"]] == [
        (1, "Share information about high-risk victims.", ["1.1", "1.2"]),
        (2, "Review the risk assessment tools.", ["2.1", "2.2"]),
        (3, "Improve GP recording of abuse disclosures.", ["3a"]),
    ]
    assert summary(plan) == [
        ("1.1", "Northshire Police", "DI Jones", "2022-09-30", "green", None),
        ("1.2", "Northshire Police", "DI Jones", "2022-12-31", "amber", None),
        ("2.1", "Northshire Council", None, None, "amber", None),
        ("2.2", "Northshire Council", None, None, "amber", None),
        ("3a", "Northshire ICB", "Named GP for Safeguarding", None, "complete", "2022-08-12"),
    ]
    a = actions(plan)
    # The tracker's progress column is a first update, dated from the title block ("Updated 1
    # October 2022"), not the outcome.
    assert "outcome" not in a["1.1"] and a["1.1"]["updates"] == [{"date": "2022-10-01", "note": "Protocol drafted."}]
    assert a["3a"]["updates"] == [{"date": "2022-10-01", "note": "Guidance issued."}]
    assert ("sheet 'Tracker' row 6", "action 1.1: progress recorded as an update dated 2022-10-01") in result.warnings
    assert a["1.1"]["import_notes"] == ["Notes: see board minutes"]
    assert a["2.1"]["action"] == "Compare the tools in use." and a["2.2"]["action"] == "Recommend one tool."
    assert a["2.1"]["import_notes"] == ["Target Date: Q2 2022"]
    assert a["3a"]["import_notes"] == ["Target Date: TBC"]
    assert a["3a"]["evidence"] == ["Guidance note v2; audit report"]
    assert (
        "sheet 'Tracker' row 5",
        "column K ('Notes') is not a plan field; its cells are kept in import_notes",
    ) in result.warnings
    assert ("sheet 'Tracker' row 6", "action 1.1: rated green from the colour of its RAG cell") in result.warnings
    assert lost_words(cells, plan) == []
    assert_valid(plan)


def test_xlsx_that_understates_its_dimension_is_read_whole(tmp_path):
    """A sheet whose <dimension> says A1:B2 but holds five rows: every row is read."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Recommendation", "Action", "Lead Agency", "Target Date"])
    for n in range(1, 5):
        sheet.append([f"{n}. Recommendation {n}.", f"Action {n}.", "Northshire Police", "March 2024"])
    original = tmp_path / "full.xlsx"
    workbook.save(str(original))
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(lying, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:D5"/>', b'<dimension ref="A1:B2"/>')
                assert b'ref="A1:B2"' in data
            dst.writestr(item, data)
    plan = import_file(str(lying), review_id="R 1").plan
    assert [r["number"] for r in plan["recommendations"]] == [1, 2, 3, 4]


# --- a CSV master tracker of several reviews -------------------------------------------------------

MASTER = [
    ["DHR Ref", "Ref", "Recommendation", "Action", "Agency", "Deadline", "Status", "Date closed"],
    [
        "EDHR 2020-01",
        "Rec 1",
        "Improve referrals to IDVAs.",
        "Publish a referral pathway.",
        "Eastshire Police",
        "March 2021",
        "Closed",
        "15/03/2021",
    ],
    ["EDHR 2020-01", "1a", "", "Audit referrals.", "Eastshire Police", "Sept 2021", "On track", ""],
    [
        "EDHR 2021-04",
        "1",
        "Review the MARAC threshold.",
        "Consult agencies on the threshold.",
        "Eastshire Council and ICB",
        "",
        "In progress",
        "",
    ],
]


def test_csv_master_tracker_split_into_one_plan_per_review(tmp_path, cli):
    source = tmp_path / "master.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(MASTER)
    with pytest.raises(Exception, match="import one with --review-id, or all of them with --split"):
        import_file(str(source))
    first, second = import_reviews(str(source), split=True)
    assert first.plan["review"]["id"] == "EDHR 2020-01"
    # "Rec 1" names the recommendation (its action is 1.1); "1a" names an action of it.
    assert summary(first.plan) == [
        ("1.1", "Eastshire Police", None, "2021-03", "complete", "2021-03-15"),
        ("1a", "Eastshire Police", None, "2021-09", "green", None),
    ]
    assert summary(second.plan) == [("1.1", "Eastshire Council and ICB", None, None, None, None)]
    assert actions(second.plan)["1.1"]["import_notes"] == ["Status: In progress"]
    for result in (first, second):
        assert_valid(result.plan)
    rows = [cell for row in MASTER[1:] for cell in row]
    both = {
        "review": [first.plan["review"], second.plan["review"]],
        "recommendations": first.plan["recommendations"] + second.plan["recommendations"],
    }
    assert lost_words(rows, both) == []
    out = tmp_path / "plans"
    result = cli("import", str(source), "--split", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["edhr-2020-01.yaml", "edhr-2021-04.yaml"]
    assert result.stderr.endswith(
        f"wrote {out / 'edhr-2020-01.yaml'}: 1 recommendation, 2 actions\n"
        f"wrote {out / 'edhr-2021-04.yaml'}: 1 recommendation, 1 action, 1 warning\n"
    )


# --- text from a PDF: the Home Office template, tab-separated ---------------------------------------

PDF_TEXT = "\n".join(
    [
        "Domestic Abuse Related Death Review WDARDR 2023-01",
        "Action Plan",
        "\t".join(HOME_OFFICE),
        "\t".join(
            [
                "Recommendation 1: Practitioners should be curious about who else lives in the home.",
                "Local",
                "(i) Add professional curiosity to supervision. (ii) Run a learning event.",
                "Westshire Safeguarding Adults Board",
                "",
                "31st March 2022",
                "Completed 12/08/2021.",
            ]
        ),
        "\t".join(
            [
                "Recommendation 2: Agencies should check for previous incidents.",
                "National",
                "• Write to the Home Office. • Share the learning with other partnerships.",
                "Westshire CSP",
                "",
                "By 30/09/2021",
                "Amber",
            ]
        ),
    ]
)


def test_home_office_template_as_text_from_a_pdf(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(PDF_TEXT + "\n", encoding="utf-8")
    plan = import_file(str(source)).plan
    assert plan["review"]["id"] == "WDARDR 2023-01"
    assert summary(plan) == [
        ("1.1", "Westshire Safeguarding Adults Board", None, "2022-03-31", "complete", "2021-08-12"),
        ("1.2", "Westshire Safeguarding Adults Board", None, "2022-03-31", "complete", "2021-08-12"),
        ("2.1", "Westshire CSP", None, "2021-09-30", "amber", None),
        ("2.2", "Westshire CSP", None, "2021-09-30", "amber", None),
    ]
    a = actions(plan)
    assert [a[i]["action"] for i in ("1.1", "1.2", "2.1", "2.2")] == [
        "Add professional curiosity to supervision.",
        "Run a learning event.",
        "Write to the Home Office.",
        "Share the learning with other partnerships.",
    ]
    assert [r.get("scope") for r in plan["recommendations"]] == ["local", "national"]
    cells = [c for line in PDF_TEXT.splitlines()[3:] for c in line.split("\t")]
    assert lost_words(cells, plan) == []
    assert_valid(plan)


def test_dry_run_previews_and_writes_nothing(tmp_path, cli):
    source = tmp_path / "plan.txt"
    source.write_text(PDF_TEXT + "\n", encoding="utf-8")
    out = tmp_path / "plans" / "w.yaml"
    result = cli("import", str(source), "-o", str(out), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert not out.exists()
    assert result.stdout.splitlines()[:5] == [
        f"Would write {out} (nothing written: --dry-run)",
        "  review: WDARDR 2023-01 (Domestic Abuse Related Death Review WDARDR 2023-01 Action Plan)",
        "  2 recommendations, 4 actions: 4 rated (2 complete, 2 amber), 0 unrated",
        "  targets: 4 read, 0 kept in import_notes (not a date), 0 blank",
        "  4 warnings (on standard error)",
    ]
    assert "Westshire Safeguarding Adults Board" in result.stdout


def test_a_document_with_no_plan_table_says_what_was_expected(tmp_path, cli):
    source = tmp_path / "notes.txt"
    source.write_text("Minutes of the CSP board\nItem 1\tApologies\n", encoding="utf-8")
    result = cli("import", str(source), "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source} holds no action plan that dhrtrack can read: expected a table with a heading row naming "
        "at least the action and the lead agency, and the recommendation or its number (Home Office template: "
        "Recommendation | Scope of recommendation | Action to take | Lead Agency | Key milestones | Target Date | "
        'Date of completion and Outcome), or labelled paragraphs ("Recommendation 1: ...", "Action: ...", '
        "\"Lead: ...\"); the first row of its first table is: 'Item 1', 'Apologies' (no column for action, lead, "
        "recommendation); column A ('Item 1') is not a plan field; its cells are kept in import_notes; column B "
        "('Apologies') is not a plan field; its cells are kept in import_notes\n"
    )


# --- the invariant itself, and as a property ------------------------------------------------------


def test_the_invariant_notices_a_lost_cell():
    plan = {
        "review": {"id": "R 1"},
        "recommendations": [
            {
                "number": 1,
                "text": "Share information.",
                "actions": [
                    {"id": "1.1", "action": "Agree a protocol.", "lead": "Police", "target": "2024-03", "rag": "amber"}
                ],
            }
        ],
    }
    assert lost_words(["Share information.", "Agree a protocol.", "Police", "March 2024", "Amber"], plan) == []
    assert lost_words(["see board minutes", "Probation"], plan) == ["see", "board", "minutes", "probation"]
    assert lost_words(["Local"], plan) == ["local"]  # a scope word, but the plan has no scope
    assert lost_words(["2. Agree a protocol."], plan) == []  # list numbering is in the ids


sheet_cell = st.one_of(
    st.sampled_from(
        [
            "",
            "1",
            "2.",
            "1.2",
            "3a",
            "Rec 4",
            "0",
            "²",
            "Local",
            "Regional",
            "Amber",
            "Closed",
            "In progress",
            "Sept 2015",
            "31/02/2017",
            "Q2 2022",
            "TBC",
            "1. Do this. 2. Do that.",
            "a) One. b) Two.",
            "Northshire Police & Probation Service",
            "Northshire Council – Head of Housing",
            "Completed 15/11/2025: Done well.",
            "Red – delayed",
        ]
    ),
    st.text(st.characters(whitelist_categories=("L", "N"), max_codepoint=0x24F), min_size=1, max_size=12),
)
SHEET_HEADINGS = [
    "No.",
    "Recommendation",
    "Scope",
    "Action",
    "Lead Agency",
    "By when",
    "Status",
    "Progress update",
    "Notes",
]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(sheet_cell, min_size=9, max_size=9), min_size=1, max_size=6))
@example([["0", "R", "", "A", "P", "", "", "", ""]])
@example([["1", "R", "Local", "1. X. 2. Y.", "P", "Dec 2025\nJune 2026", "", "", "kept"]])
def test_nothing_is_lost_from_any_sheet(rows):
    from tests.invariant import build_sheet

    try:
        result = build_sheet(SHEET_HEADINGS, [(f"row {i}", r) for i, r in enumerate(rows, 2)])
    except ImportFailed:
        return
    assert_valid(result.plan)
    assert lost_words([c for row in rows for c in row], result.plan) == []


def test_an_undated_progress_column_is_an_update_made_today_and_may_carry_the_rating(tmp_path):
    source = tmp_path / "NSDHR 2026-01 tracker.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Rec", "Recommendation", "Action", "Lead agency", "Target date", "Progress"])
        writer.writerow(
            [
                "1",
                "Share information.",
                "Write a protocol.",
                "Northshire Police",
                "31/03/2027",
                "Amber - protocol drafted",
            ]
        )
        writer.writerow(
            ["2", "Train staff.", "Deliver training.", "Northshire Council", "30/06/2027", "Complete 12/08/2026"]
        )
    plan = import_file(str(source), review_id="NSDHR 2026-01").plan
    today = dt.date.today().isoformat()
    a = actions(plan)
    assert (a["1.1"]["rag"], a["1.1"]["updates"]) == (
        "amber",
        [{"date": today, "rag": "amber", "note": "protocol drafted"}],
    )
    assert (a["2.1"]["rag"], a["2.1"]["completed"]) == ("complete", "2026-08-12")
    assert a["2.1"]["updates"] == [{"date": today, "rag": "complete", "completed": "2026-08-12"}]
    assert_valid(plan)


@pytest.mark.parametrize("sep", [";", "\t", ",", "|"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_a_csv_separator_is_found_with_windows_line_ends_quoted_line_breaks_and_a_title(tmp_path, sep, newline):
    """Excel's "CSV (semicolon)" on Windows: CRLF rows, a cell with a line break inside quotes,
    a title line above the headings; csv.Sniffer gives up on these, and every column was lost."""
    lines = [
        ["Northshire CSP – DHR tracker (as at March 2025)"] + [""] * 4,
        ["Rec", "Recommendation", "Action", "Lead agency", "Target date"],
        [
            "1",
            '"Share risk information, promptly."',
            '"Write a protocol;\nagree it, with legal."',
            "Northshire Police",
            "31/03/2025",
        ],
        ["2", "Train staff.", "Deliver training.", "Northshire Council", "Sept 2025"],
    ]
    source = tmp_path / "NSDHR 2025-01 tracker.csv"
    source.write_bytes(newline.join(sep.join(cells) for cells in lines).encode("cp1252") + newline.encode())
    plan = import_file(str(source), review_id="NSDHR 2025-01").plan
    assert summary(plan) == [
        ("1.1", "Northshire Police", None, "2025-03-31", None, None),
        ("2.1", "Northshire Council", None, "2025-09", None, None),
    ]
    assert actions(plan)["1.1"]["action"].split() == "Write a protocol; agree it, with legal.".split()


def test_an_email_with_action_labels_a_reply_subject_and_a_greeting(tmp_path):
    source = tmp_path / "plan.txt"
    source.write_text(
        "From: Coordinator <csp@northshire.example>\n"
        "Subject: RE: FW: Northshire DHR (NSDHR 2025/02) action plan\n"
        "\n"
        "Dear colleagues,\n"
        "\n"
        "Recommendation 1: Agencies should share risk information before discharge.\n"
        "\n"
        "Action 1.1: Write a discharge checklist.\n"
        "Lead: Northshire Hospitals Trust\n"
        "By: June 2026\n"
        "\n"
        "Action point 1.2 Audit ten discharges. Lead: Northshire ICB. By: 31/12/2026.\n"
        "\n"
        "Recommendation 2: The police should record who else lives at the address.\n"
        "\n"
        "Action 1: Change the case record.\n"
        "Owner: Head of Crime Recording\n"
        "Lead: Northshire Police\n",
        encoding="utf-8",
    )
    result = import_file(str(source))
    plan = result.plan
    assert plan["review"] == {"id": "NSDHR 2025/02", "title": "Northshire DHR (NSDHR 2025/02) action plan"}
    assert [(r["number"], r["text"]) for r in plan["recommendations"]] == [
        (1, "Agencies should share risk information before discharge."),
        (2, "The police should record who else lives at the address."),
    ]
    assert summary(plan) == [
        ("1.1", "Northshire Hospitals Trust", None, "2026-06", None, None),
        ("1.2", "Northshire ICB", None, "2026-12-31", None, None),
        ("2.1", "Northshire Police", "Head of Crime Recording", None, None, None),
    ]
    assert [a["action"] for a in plan["recommendations"][0]["actions"]] == [
        "Write a discharge checklist.",
        "Audit ten discharges.",
    ]
    assert ("title block", "text above the table is not part of the plan: 'Dear colleagues,'") in result.warnings
    assert_valid(plan)


def test_agency_headings_name_the_organisation_part_and_a_sibling_heading_counts_as_one(tmp_path):
    """Individual agency action plans: each agency's name heads its table. A heading may say more
    than the name ("Westvale Police – single agency actions"), and a heading that names no kind of
    organisation ("Westvale Homes") is an agency when the headings beside it are."""
    import docx

    document = docx.Document()
    document.add_heading("Westvale DHR (WDHR 2024/03): individual agency action plans", level=1)
    for agency, rows in (
        ("Westvale Police – single agency actions", [("1", "Review call handling.", "Audit calls.", "31/03/2026")]),
        ("Westvale Homes", [("2", "Check tenancy records.", "Add a risk flag.", "June 2026")]),
    ):
        document.add_heading(agency, level=2)
        table = document.add_table(rows=1, cols=4)
        for cell, text in zip(table.rows[0].cells, ("Rec", "Recommendation", "Action", "Target date")):
            cell.text = text
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    source = tmp_path / "plan.docx"
    document.save(source)
    result = import_file(str(source))
    assert summary(result.plan) == [
        ("1.1", "Westvale Police", None, "2026-03-31", None, None),
        ("2.1", "Westvale Homes", None, "2026-06", None, None),
    ]
    assert any("'Westvale Homes' is taken as the agency" in message for _s, message in result.warnings)
    assert_valid(result.plan)


def test_a_word_rag_cell_shaded_but_empty_is_rated_by_its_colour(tmp_path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Westvale DHR (WDHR 2024/05) action plan", level=1)
    rows = [
        ("1", "Review call handling.", "Audit calls.", "Westvale Police", "31/03/2026", "00B050"),
        ("2", "Share risk.", "Write a protocol.", "Westvale Council", "June 2026", "FFC000"),
        ("3", "Train staff.", "Deliver training.", "Westvale Council", "May 2026", "F2F2F2"),  # grey: no rating
    ]
    table = document.add_table(rows=1, cols=6)
    for cell, text in zip(
        table.rows[0].cells, ("Rec", "Recommendation", "Action", "Lead agency", "Target date", "RAG")
    ):
        cell.text = text
    for *texts, fill in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, texts):
            cell.text = text
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill)
        cells[5]._tc.get_or_add_tcPr().append(shading)
    source = tmp_path / "plan.docx"
    document.save(source)
    plan = import_file(str(source)).plan
    assert [a.get("rag") for r in plan["recommendations"] for a in r["actions"]] == ["green", "amber", None]


def test_with_no_rag_column_an_empty_progress_cell_rated_by_its_colour(tmp_path):
    """A tracker whose progress column is its RAG: an empty cell shaded amber is amber; a cell
    that says something says its own rating, whatever its shade."""
    import openpyxl
    from openpyxl.styles import PatternFill

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Rec", "Recommendation", "Action", "Lead agency", "Target date", "Progress (RAG)"])
    sheet.append(["1", "Share risk.", "Write a protocol.", "Northshire Police", "31/03/2026", None])
    sheet.append(["2", "Train staff.", "Deliver training.", "Northshire Council", "30/06/2026", "Red - delayed"])
    sheet["F2"].fill = PatternFill("solid", fgColor="FFC000")
    sheet["F3"].fill = PatternFill("solid", fgColor="00B050")
    source = tmp_path / "NSDHR 2026-04 tracker.xlsx"
    workbook.save(source)
    plan = import_file(str(source), review_id="NSDHR 2026-04").plan
    assert [actions(plan)[i].get("rag") for i in ("1.1", "2.1")] == ["amber", "red"]
