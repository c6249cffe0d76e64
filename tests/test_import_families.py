"""Import of every family of published or circulated plan, each from a realistic document made by
tests/fixtures/import/make.py (python-docx, openpyxl and LibreOffice): a Home Office template PDF
over several pages, individual agency action plans, a workbook with a sheet per agency, bilingual
and Welsh templates, OpenDocument, Word 97, rich text and Excel 97, a tracker printed as a PDF
without rules, and an overview report's narrative. Each has an exact expected plan, and on each
nothing is lost: every word of the source is in the plan or named in a warning."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import List

import pytest

from dhrtrack.importing import ImportFailed, import_file
from dhrtrack.plan.validate import valid_data
from dhrtrack.plan.write import dump_plan
from tests.invariant import lost_words

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LIBREOFFICE = shutil.which("soffice") is not None


def summary(plan: dict) -> List[tuple]:
    return [
        (
            rec["number"],
            rec["section"],
            rec.get("agency"),
            rec.get("scope"),
            [
                (a["id"], a["lead"], a.get("owner"), a.get("target"), a.get("rag"), a.get("completed"))
                for a in rec["actions"]
            ],
        )
        for rec in plan["recommendations"]
    ]


def source_cells(name: str) -> List[str]:
    return (FIXTURES / f"{name}.cells.txt").read_text(encoding="utf-8").splitlines()


def nothing_lost(name: str, result) -> None:  # type: ignore[no-untyped-def]
    """Every word of the source is in the plan, or in a warning (a title block line, a sheet
    of guidance)."""
    said = {"warnings": [message for _source, message in result.warnings], **result.plan}
    assert lost_words(source_cells(name), said) == []
    _data, problem = valid_data(dump_plan(result.plan).encode("utf-8"), "plan.yaml")
    assert problem is None, problem


NORTHVALE = [
    (1, "overview", None, None, [("1.1", "Northvale CSP", None, "2022-01", "complete", None)]),
    (2, "overview", None, None, [("2.1", "Northvale ICB", "Head of Safeguarding", "2022-12", "green", None)]),
]
NORTHVALE_TRACKER = [
    (1, "overview", None, None, [("1.1", "Northvale CSP", None, "2022-01", "complete", None)]),
    (2, "overview", None, None, [("2.1", "Northvale ICB", None, "2022-12", "green", None)]),
    (3, "overview", None, None, [("3.1", "Northvale Homes", None, "2023-06", "amber", None)]),
]
EXPECTED = {
    # Word's table printed to PDF over five pages: the heading row repeated on each, long rows
    # broken across pages, each recommendation's cell merged down its two actions.
    "long-table.pdf": (
        {
            "id": "EDHR 2023/02",
            "title": "Eastmere Community Safety Partnership: DHR EDHR 2023/02 action plan",
        },
        [
            (
                n,
                "overview",
                None,
                None,
                [
                    (f"{n}.1", agency, None, target, rag, None),
                    (f"{n}.2", agency, None, "2026-03", "red", None),
                ],
            )
            for n, agency, target, rag in (
                (1, "Eastmere Council Adult Social Care", "2025-06", "complete"),
                (2, "Eastmere Police", "2025-12-31", "amber"),
                (3, "Eastmere Hospitals NHS Trust", "2025-09", "green"),
            )
        ],
    ),
    "published-template.pdf": (
        {
            "id": "EVDHR 2021-02",
            "title": "Domestic Homicide Review into the death of Anna (EVDHR 2021-02)",
            "partnership": "Eastvale Community Safety Partnership",
        },
        [
            (
                1,
                "overview",
                None,
                "local",
                [
                    ("1.1", "Eastvale Community Safety Partnership", None, "2024-03", "complete", None),
                    ("1.2", "Eastvale Community Safety Partnership", None, "2024-09", "complete", None),
                ],
            ),
            (
                2,
                "overview",
                None,
                "local",
                [
                    (
                        "2.1",
                        "Eastvale NHS Foundation Trust",
                        "Named Nurse for Safeguarding Adults",
                        "2023-12-31",
                        "amber",
                        None,
                    )
                ],
            ),
            (
                3,
                "overview",
                None,
                "national",
                [("3.1", "Eastvale Community Safety Partnership", None, "2023-08", "complete", "2023-08-15")],
            ),
            (4, "overview", None, "regional", [("4.1", "Eastvale County Council", None, "2024-06", "red", None)]),
            (5, "agency", "Eastvale Police", "local", [("5.1", "Eastvale Police", None, "2023-11", "complete", None)]),
        ],
    ),
    "agency-plans.pdf": (
        {
            "id": "WBDHR/2022/07",
            "title": "DHR WBDHR/2022/07 (Mr C): individual agency action plans",
            "partnership": "Westbrook Safer Communities Partnership",
        },
        [
            (
                1,
                "agency",
                "Westbrook Police",
                None,
                [
                    ("1.1", "Westbrook Police", "DCI Patel", "2024-01", "complete", None),
                    ("1.2", "Westbrook Police", "DCI Patel", "2024-03", "amber", None),
                ],
            ),
            (
                2,
                "agency",
                "Westbrook Borough Council – Housing Options",
                None,
                [
                    (
                        "2.1",
                        "Westbrook Borough Council – Housing Options",
                        "Housing Options Manager",
                        "2023-09-30",
                        "green",
                        None,
                    )
                ],
            ),
            (
                3,
                "agency",
                "Westbrook Probation Service",
                None,
                [("3.1", "Westbrook Probation Service", "Senior Probation Officer", None, None, None)],
            ),
        ],
    ),
    "agency-workbook.xlsx": (
        {
            "id": "SMDARDR 2023-01",
            "title": "Domestic Abuse Related Death Review SMDARDR 2023-01",
            "partnership": "Southmoor Community Safety Partnership",
            "kind": "dardr",
        },
        [
            (
                1,
                "agency",
                "Southmoor Police",
                None,
                [("1.1", "Southmoor Police", "DI Evans", "2024-03-31", "green", None)],
            ),
            (
                2,
                "agency",
                "Southmoor Police",
                None,
                [("2.1", "Southmoor Police", "DI Evans", "2024-09-30", "amber", None)],
            ),
            (3, "agency", "GP practices", None, [("3.1", "GP practices", "Named GP", "2024-03-31", "complete", None)]),
            (4, "agency", "Housing", None, [("4.1", "Housing", "Head of Housing", "2024-09", "red", None)]),
        ],
    ),
    "bilingual.docx": (
        {"id": "NCDHR 2022-03", "title": "Adolygiad Dynladdiad Domestig / Domestic Homicide Review"},
        [
            (
                1,
                "overview",
                None,
                None,
                [("1.1", "Heddlu Gogledd Cymru / North Wales Police", None, "2025-03", "amber", None)],
            ),
            (
                2,
                "overview",
                None,
                None,
                [("2.1", "Bwrdd Iechyd Prifysgol Betsi Cadwaladr", None, "2024-12-31", "complete", None)],
            ),
            (
                3,
                "overview",
                None,
                None,
                [("3.1", "Cyngor Sir Ddinbych / Denbighshire County Council", None, "2025-06", "red", None)],
            ),
        ],
    ),
    "welsh.xlsx": (
        {"id": "SUSR 2024-02", "title": "Adolygiad Diogelu Unedig Sengl SUSR 2024-02", "kind": "susr"},
        [
            (
                1,
                "overview",
                None,
                None,
                [("1.1", "Heddlu Dyfed-Powys", "Ditectif Arolygydd", "2025-03-31", "green", None)],
            ),
            (2, "overview", None, None, [("2.1", "Cyngor Sir Gâr", "Pennaeth Tai", "2025-04", "amber", None)]),
        ],
    ),
    "other-forms.odt": ({"id": "NVDHR 2020-05", "title": "Northvale DHR NVDHR 2020-05 action plan"}, NORTHVALE),
    "tracker-aligned.pdf": ({"id": "NVDHR 2020-05"}, NORTHVALE_TRACKER),
    "narrative.pdf": (
        {
            "id": "KSDHR 2021-09",
            "title": "Overview report: DHR KSDHR 2021-09 14. Recommendations The panel makes the following "
            "recommendations.",
        },
        [
            (
                1,
                "overview",
                None,
                None,
                [
                    ("1.1", "Kingsford Council", None, "2022-06", None, None),
                    ("1.2", "Kingsford Council", "Head of Tenancy Services", "2022-09", None, None),
                ],
            ),
            (2, "overview", None, None, [("2.1", "Kingsford Hospitals NHS Trust", None, None, "complete", None)]),
        ],
    ),
}
# Spreadsheets printed to PDF with no gridlines: columns known only by where the words are.
EASTPORT_AGENCIES = [
    ("Eastport Police", "06-30"),
    ("Eastport ICB", "03-31"),
    ("Eastport Council Housing", "12-31"),
    ("Eastport Probation Delivery Unit", "09-30"),
    ("Eastport Hospitals NHS Trust", "01-31"),
    ("Eastport Police", "02-28"),
]
EXPECTED.update(
    {
        # Dates right-aligned against a left-aligned rating ("31/01/2025" 1.5pt from "Complete").
        "harbourside-printed.pdf": (
            {
                "id": "HSDHR 2023-04",
                "title": "Harbourside Community Safety Partnership DHR HSDHR 2023-04 (Ms D): action plan tracker",
            },
            [
                (
                    1,
                    "overview",
                    None,
                    None,
                    [
                        ("1.1", "Harbourside Police", "DCI Moss", "2025-01-31", "complete", None),
                        ("1.2", "Harbourside Police", "DCI Moss", "2025-03-15", "amber", None),
                    ],
                ),
                (
                    2,
                    "overview",
                    None,
                    None,
                    [("2.1", "Harbourside ICB", "Named GP for Safeguarding", "2024-11-30", "red", None)],
                ),
                (
                    3,
                    "overview",
                    None,
                    None,
                    [("3.1", "Harbourside Homes", "Head of Tenancy Services", "2025-06-30", "green", None)],
                ),
                (
                    4,
                    "overview",
                    None,
                    None,
                    [("4.1", "Harbourside Council", "Community Safety Manager", "2025-12-01", "amber", None)],
                ),
            ],
        ),
        # Centred headings in body type, one wrapped ("Action" / "no."), long dates ("31 December
        # 2024") against "Complete", and an agency column whose every line starts "Kingsmere".
        "kingsmere-printed.pdf": (
            {
                "id": "KDARDR 2024-01",
                "title": "Domestic Abuse Related Death Review KDARDR 2024-01",
                "partnership": "Kingsmere Safer Communities Partnership",
                "kind": "dardr",
            },
            [
                (
                    1,
                    "overview",
                    None,
                    None,
                    [("1", "Kingsmere County Council Adult Social Care", None, "2025-03-31", "green", None)],
                ),
                (
                    2,
                    "overview",
                    None,
                    None,
                    [("2", "Kingsmere and District NHS Foundation Trust", None, "2024-12-31", "complete", None)],
                ),
                (3, "overview", None, None, [("3", "Kingsmere Police", None, "2025-09-30", "red", None)]),
                (4, "overview", None, None, [("4", "Kingsmere Women's Aid", None, "2025-05-01", None, None)]),
            ],
        ),
        # Four pages, the heading row printed on each, "30.06.25" against "Progress (RAG)", whose
        # values are ratings with notes: it is the rating.
        "eastport-printed.pdf": (
            {"id": "EPDHR 2022-06", "title": "Eastport DHR EPDHR 2022-06: recommendations and progress"},
            [
                (
                    n,
                    "overview",
                    None,
                    None,
                    [
                        (
                            f"{n}.1",
                            EASTPORT_AGENCIES[(n - 1) % 6][0],
                            None,
                            f"{2024 + n // 6}-{EASTPORT_AGENCIES[(n - 1) % 6][1]}",
                            ["amber", "complete", "red", "green", "amber"][(n - 1) % 5],
                            None,
                        )
                    ],
                )
                for n in range(1, 36)
            ],
        ),
        # "RAG / progress update" holding progress, one cell starting with its rating: progress.
        "northfield-printed.pdf": (
            {
                "id": "NFDHR 2021-08",
                "title": "DHR NFDHR 2021-08 action plan",
                "partnership": "Northfield Community Safety Partnership",
            },
            [
                (1, "overview", None, None, [("1.1", "Northfield Medical Group", None, "2024-10-31", None, None)]),
                (
                    2,
                    "overview",
                    None,
                    None,
                    [("2.1", "Probation Service – Northfield", None, "2024-07-31", None, None)],
                ),
                (3, "overview", None, None, [("3.1", "Northfield Council", None, "2025-02-28", "amber", None)]),
            ],
        ),
        "status-rag.xlsx": (
            {"id": "SBDHR 2023-02", "title": "Southbay DHR SBDHR 2023-02"},
            [
                (1, "overview", None, None, [("1.1", "Southbay Police", None, "2025-01", "complete", None)]),
                (2, "overview", None, None, [("2.1", "Southbay ICB", None, "2025-03", "amber", None)]),
                (3, "overview", None, None, [("3.1", "Southbay Homes", None, "2025-06", "red", None)]),
                (4, "overview", None, None, [("4.1", "Southbay Police", None, "2025-09", None, None)]),
            ],
        ),
        "progress-rag.docx": (
            {"id": "WMDHR 2022-05", "title": "Westmoor DHR WMDHR 2022-05: action plan"},
            [
                (1, "overview", None, None, [("1.1", "Westmoor Council", None, "2025-03-31", None, None)]),
                (2, "overview", None, None, [("2.1", "Westmoor Police", None, "2025-06-30", None, None)]),
                (3, "overview", None, None, [("3.1", "Westmoor NHS Trust", None, "2024-12-31", "green", None)]),
            ],
        ),
    }
)
CONVERTED = {
    "other-forms.doc": ({"id": "NVDHR 2020-05", "title": "Northvale DHR NVDHR 2020-05 action plan"}, NORTHVALE),
    "other-forms.rtf": ({"id": "NVDHR 2020-05", "title": "Northvale DHR NVDHR 2020-05 action plan"}, NORTHVALE),
    "tracker.xls": ({"id": "NVDHR 2020-05"}, NORTHVALE_TRACKER),
}


def cells_name(document: str) -> str:
    stem = document.rsplit(".", 1)[0]
    return {"tracker-aligned": "tracker"}.get(stem, stem)


@pytest.mark.parametrize("document", sorted(EXPECTED))
def test_each_family_imports_as_the_partnership_wrote_it(document):
    result = import_file(str(FIXTURES / document))
    review, recommendations = EXPECTED[document]
    assert result.plan["review"] == review
    assert summary(result.plan) == recommendations
    nothing_lost(cells_name(document), result)


@pytest.mark.skipif(
    not LIBREOFFICE, reason="LibreOffice (soffice) is not installed: .doc, .rtf and .xls are read through it"
)
@pytest.mark.parametrize("document", sorted(CONVERTED))
def test_word_97_rich_text_and_excel_97_are_read_through_libreoffice(document):
    result = import_file(str(FIXTURES / document))
    review, recommendations = CONVERTED[document]
    assert result.plan["review"] == review
    assert summary(result.plan) == recommendations
    suffix = os.path.splitext(document)[1]
    target = ".xlsx" if suffix == ".xls" else ".docx"
    assert result.warnings[0] == ("file", f"read through LibreOffice (converted from {suffix} to {target})")


def test_without_libreoffice_a_word_97_file_is_refused_with_the_command_to_run(monkeypatch):
    from dhrtrack.importing import readers

    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    path = str(FIXTURES / "other-forms.doc")
    with pytest.raises(ImportFailed) as failed:
        import_file(path)
    assert str(failed.value) == (
        f"{path}: a .doc file is read through LibreOffice, which is not installed here (no soffice on the PATH): "
        f"install LibreOffice, or convert it yourself and import the result: soffice --headless --convert-to docx {path}"
    )


def test_the_individual_agency_plans_take_their_lead_from_the_heading_above_them():
    result = import_file(str(FIXTURES / "agency-plans.pdf"))
    first = result.plan["recommendations"][0]["actions"][0]
    assert first["import_notes"] == ["Lead Agency: blank in the document; the section's agency is used"]
    assert (
        "page 1, table 1, row 2",
        "action 1.1 has no lead agency; the agency of its section is used",
    ) in result.warnings


def test_every_sheet_is_read_and_the_guidance_sheet_is_named():
    result = import_file(str(FIXTURES / "agency-workbook.xlsx"))
    assert (
        "sheet 'Guidance'",
        "the sheet has no plan table (no heading row); not imported: 'How to fill in this "
        "tracker | Give a RAG rating for every action each quarter.'",
    ) in result.warnings
    assert (
        "sheet 'Southmoor Police'",
        "column E: 1 Excel date number read as date (the workbook's 1900 date system)",
    ) in result.warnings


def test_a_pdf_with_no_plan_is_refused_and_a_scan_says_what_to_do(tmp_path):
    from PIL import Image

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (595, 842), "white").save(scan)
    with pytest.raises(ImportFailed) as failed:
        import_file(str(scan))
    assert str(failed.value) == (
        f"{scan} has no text to read: it is a scan (an image of pages); dhrtrack reads a PDF's text, so import "
        "the document it was made from, or run it through OCR first"
    )


# --- nothing lost, for any document the readers can make --------------------------------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dhrtrack.importing.build import build  # noqa: E402
from dhrtrack.importing.cells import Agencies  # noqa: E402
from dhrtrack.importing.document import Cell, Document, Paragraph, Row, Table  # noqa: E402

WORDS = st.sampled_from(
    [
        "",
        "1",
        "2.",
        "3.1",
        "Rec 4",
        "Local",
        "Amber",
        "Green - complete",
        "Ambr / Amber",
        "Mawrth 2025 / March 2025",
        "Sept 2024",
        "Amber - audit delayed",
        "Completed 15/11/2025: policy signed off",
        "Audit began, 20 cases done.",
        "31/03/2025",
        "Not started",
        "Northshire Police",
        "Eastvale NHS Trust – Head of Safeguarding",
        "Housing",
        "Agency: Westbrook Probation Service",
        "Recommendation 2: Share information.",
        "Lead: Northshire Council",
        "By: June 2025",
        "• Train staff.",
        "Individual Agency Recommendations – Southmoor Police",
    ]
) | st.text(st.characters(whitelist_categories=("L", "N"), max_codepoint=0x24F), min_size=1, max_size=10)
HEADINGS = [
    ["No.", "Recommendation", "Action", "Lead Agency", "Target date", "RAG"],
    ["Argymhelliad / Recommendation", "Cam gweithredu / Action", "Asiantaeth Arweiniol / Lead Agency", "Statws"],
    ["Ref", "Recommendation", "Action", "Owner", "Timescale", "Progress and evidence", "Status"],
    # Headings naming the rating and progress, decided by the column's values.
    ["No.", "Recommendation", "Action", "Lead", "By when", "Progress (RAG)"],
    ["Rec", "Action", "Lead agency", "Status / RAG", "Target"],
]
cells = st.builds(
    Cell, WORDS, st.booleans(), st.none() | st.integers(30000, 70000), st.none() | st.sampled_from(["red", "green"])
)


@st.composite
def documents(draw):  # type: ignore[no-untyped-def]
    blocks = [Paragraph(draw(WORDS), f"paragraph {i}", draw(st.integers(0, 1))) for i in range(draw(st.integers(0, 3)))]
    for t in range(draw(st.integers(0, 3))):
        headings = draw(st.sampled_from(HEADINGS))
        rows = [Row([Cell(h) for h in headings], f"table {t}, row 1", True)] if draw(st.booleans()) else []
        for r in range(draw(st.integers(0, 5))):
            width = len(headings) + draw(st.integers(-1, 1))
            rows.append(
                Row([draw(cells) for _ in range(width)], f"table {t}, row {r + 2}", draw(st.sampled_from([True, None])))
            )
        blocks.append(
            Table(
                rows,
                f"table {t}",
                name=draw(st.sampled_from([None, "Northshire Police", "Guidance"])),
                stands_alone=draw(st.booleans()),
            )
        )
        blocks += [Paragraph(draw(WORDS), f"after {t}") for _ in range(draw(st.integers(0, 1)))]
    return Document("any.docx", blocks)


def _without_label(text: str) -> str:
    from dhrtrack.importing.labelled import _LABEL, _label

    found = _LABEL.match(text)
    return found.group(2) if found and _label(found.group(1)) else text


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=150)
@given(documents())
@example(
    Document(
        "any.docx",
        [Paragraph("Rec 4", "paragraph 0"), Paragraph("Lead: Northshire Council", "paragraph 1")],
    )
)
@example(  # recommendation 1 again, under an agency's heading: the agency is said, not lost
    Document(
        "any.docx",
        [
            Table(
                [
                    Row([Cell(h) for h in ("No.", "Recommendation", "Action", "Lead Agency")], "table 0, row 1", True),
                    Row([Cell(""), Cell(""), Cell("1"), Cell("")], "table 0, row 2", True),
                    Row([Cell(""), Cell("2."), Cell("1"), Cell("")], "table 0, row 3", True),
                ],
                "table 0",
            ),
            Paragraph("Individual Agency Recommendations – Southmoor Police", "after 0"),
            Table([Row([Cell("1"), Cell(""), Cell(""), Cell("")], "table 1, row 2", True)], "table 1"),
        ],
    )
)
def test_nothing_is_lost_from_any_document(document):
    """Whatever a reader makes, the builder either refuses it with a message, or every word of
    every cell and paragraph is in the plan or named in a warning, and the plan is valid."""
    # A labelled line's label ("Lead: Northshire Council") names the field its value went to.
    texts = [_without_label(b.text) for b in document.blocks if isinstance(b, Paragraph)]
    texts += [c.text for b in document.blocks if isinstance(b, Table) for r in b.rows for c in r.cells]
    labels = {h for headings in HEADINGS for h in headings} | {"Lead", "By", "Agency"}
    try:
        results = build(document, Agencies(), "R 1", None, None)
    except ImportFailed:
        return
    for result in results:
        said = {"warnings": [message for _source, message in result.warnings], **result.plan}
        _data, problem = valid_data(dump_plan(result.plan).encode("utf-8"), "plan.yaml")
        assert problem is None, problem
        assert lost_words([t for t in texts if t not in labels], said) == []


def test_a_long_pdf_table_joins_what_its_page_breaks_cut():
    """Cells cut by a page break read whole, in their own recommendation and action."""
    plan = import_file(str(FIXTURES / "long-table.pdf")).plan
    for rec in plan["recommendations"]:
        assert rec["text"].startswith(f"{rec['actions'][0]['lead']} should review how it records risk.")
        assert rec["text"].endswith("from team to team and from year to year.")
        assert rec["actions"][0]["action"].endswith("It ends here.")
        assert rec["actions"][1]["action"] == f"Train staff in recording risk ({rec['actions'][0]['lead']})."
        assert "import_notes" not in rec["actions"][0]


def test_a_ligature_listed_once_a_letter_is_one_character():
    """pdfplumber lists a ligature glyph ("fi") once for each letter it expands to: the words of
    an aligned table's line must not read "identifified"."""
    from dhrtrack.importing.aligned import words

    def char(text: str, x0: float) -> dict:
        return {"text": text, "x0": x0, "x1": x0 + 4, "size": 8}

    letters = [char(t, x) for t, x in (("i", 0), ("d", 4), ("e", 8), ("n", 12), ("t", 16), ("i", 20))]
    line = {"chars": letters + [char("fi", 24), char("fi", 24), char("e", 28), char("d", 32)]}
    assert words(line["chars"]) == [(0, 36, "identified")]


def test_a_heading_naming_rating_and_progress_keeps_the_rest_of_each_cell_as_progress():
    """'Status / RAG' holding mostly ratings is the rating; what follows the rating in a cell,
    and a cell with no rating, is the action's progress, not a note that it is no rating."""
    result = import_file(str(FIXTURES / "status-rag.xlsx"))
    actions = [a for rec in result.plan["recommendations"] for a in rec["actions"]]
    assert [[u["note"] for u in a.get("updates", [])] for a in actions] == [
        ["sent"],
        [],
        ["not begun"],
        ["Waiting for the audit team"],
    ]
    assert all("import_notes" not in a for a in actions)
    assert (
        "sheet 'Tracker' row 2",
        "column F ('Status / RAG') names rag and updates; it is read as rag (3 of its 4 values are ratings; the "
        "rest of each cell is progress)",
    ) in result.warnings


def test_a_progress_column_is_not_rated_by_a_word_at_its_end():
    """'Audit began in April, 20 cases done.' is progress; it does not make the action complete."""
    result = import_file(str(FIXTURES / "progress-rag.docx"))
    action = result.plan["recommendations"][1]["actions"][0]
    assert "rag" not in action
    assert action["updates"][0]["note"] == "Audit began in April, 20 cases done."


# --- the columns of a table printed without rules -----------------------------------------------

from dhrtrack.importing import aligned  # noqa: E402

SIZE = 8.0
WIDTH = 4.0  # each character's advance in these made-up lines


def _line(texts_at: List[tuple]) -> List[dict]:
    """The characters of a line: each text at its x, no space characters (as LibreOffice prints)."""
    chars = []
    for x, text in texts_at:
        for word in text.split():
            for ch in word:
                chars.append({"text": ch, "x0": x, "x1": x + WIDTH, "size": SIZE})
                x += WIDTH
            x += 0.3 * SIZE  # the type's word space
    return chars


@st.composite
def printed_tables(draw):  # type: ignore[no-untyped-def]
    """A heading and rows of words in columns, each column's cells left- or right-aligned, the
    columns as close as 1pt: what a spreadsheet printed without gridlines looks like."""
    count = draw(st.integers(2, 6))
    word = st.text("abcdefghij0123456789/", min_size=1, max_size=8)
    widths = [draw(st.integers(8, 30)) * WIDTH for _ in range(count)]
    right = [draw(st.booleans()) for _ in range(count)]
    # Gaps between columns from 1pt, less than a word space (2.4pt here), to far more; not a
    # word space itself, where one line cannot say whether a cell's text goes on (a word space
    # on most lines is read as one cell's text going on: "Kingsmere" / "County Council").
    gaps = [draw(st.floats(1.0, 1.8) | st.floats(3.2, 12.0)) for _ in range(count)]
    lefts = [sum(widths[:i]) + sum(gaps[:i]) for i in range(count)]
    rows = [
        [" ".join(draw(st.lists(word, min_size=1, max_size=3))) for _ in range(count)]
        for _ in range(draw(st.integers(1, 6)))
    ]
    headings = [draw(st.sampled_from(["Action", "Lead", "Target", "RAG", "Update", "Ref"])) for _ in range(count)]

    def placed(texts: List[str], align: List[bool]) -> List[tuple]:
        out = []
        for i, text in enumerate(texts):
            length = sum(len(w) * WIDTH for w in text.split()) + 0.3 * SIZE * (len(text.split()) - 1)
            if length > widths[i]:
                text = text.split()[0][: int(widths[i] // WIDTH)]
                length = len(text) * WIDTH
            out.append((lefts[i] + widths[i] - length if align[i] else lefts[i], text))
        return out

    return placed(headings, [False] * count), [placed(r, right) for r in rows]


@settings(max_examples=200)
@given(printed_tables())
def test_a_column_boundary_never_falls_inside_a_word(table):
    """Every word (characters with no gap between them) goes whole to one column, and every
    character of every line is in the cells: nothing cut, nothing lost."""
    heading, rows = table
    heads = [aligned.words(_line(heading))]
    lines = [aligned.words(_line(r)) for r in rows]
    boundaries = aligned.cuts(heads, lines, SIZE)
    for line in [*heads, *lines]:
        assert not any(x0 < cut < x1 for x0, x1, _t in line for cut in boundaries)
        cells = aligned.split(line, boundaries, len(boundaries) + 1)
        assert sorted("".join(cells).replace(" ", "")) == sorted("".join(t for _x0, _x1, t in line))


@settings(max_examples=200)
@given(printed_tables())
def test_columns_as_close_as_a_point_are_parted_where_each_has_a_heading(table):
    """With a heading word over each column, every column of the print is read as its own, its
    text whole, however close a right-aligned cell comes to the next left-aligned one."""
    heading, rows = table
    heads = [aligned.words(_line(heading))]
    lines = [aligned.words(_line(r)) for r in rows]
    boundaries = aligned.cuts(heads, lines, SIZE)
    assert len(boundaries) + 1 == len(heading)
    for row in rows:
        assert aligned.split(aligned.words(_line(row)), boundaries, len(heading)) == [t for _x, t in row]


def test_a_date_touching_a_rating_is_two_words():
    """Less than a word space apart (1.5pt at 8pt), with no space character: two words."""
    chars = _line([(0, "31/01/2025")]) + _line([(40 + 1.5, "Complete")])
    assert [t for _x0, _x1, t in aligned.words(chars)] == ["31/01/2025", "Complete"]


def test_a_note_under_a_printed_table_is_running_text_and_a_tight_row_is_not():
    """A sentence across the columns is not a row; a row whose date touches its rating is."""
    boundaries = [40.0, 80.0, 120.0]
    note = aligned.words(_line([(0, "Agreed by the panel on the third of May and signed off")]))
    row = aligned.words(_line([(0, "Audit"), (44, "31/01/2025"), (85.0, "Complete"), (125, "Done")]))
    assert aligned.runs_over(note, boundaries, SIZE)
    assert not aligned.runs_over(row, boundaries, SIZE)


@pytest.mark.parametrize(
    "headings, read_as",
    [
        # Another column supplies one of the two: the heading is the other, whatever its values.
        (["No.", "Action", "Lead", "RAG", "Progress (RAG)"], "updates"),
        (["No.", "Action", "Lead", "Status / RAG", "Progress update"], "rag"),
        # Neither supplied elsewhere: the values (mostly ratings) decide.
        (["No.", "Action", "Lead", "Target", "Progress (RAG)"], "rag"),
    ],
)
def test_a_heading_naming_two_fields_takes_the_one_no_other_column_supplies(headings, read_as):
    from tests.invariant import build_sheet

    rows = [
        (f"row {n}", [str(n), "Audit files.", "Northshire Police", value, value])
        for n, value in enumerate(["Amber", "Green - on track", "Red", "Complete"], 2)
    ]
    result = build_sheet(headings, rows)
    named = headings[3] if "/" in headings[3] else headings[4]
    column = "D" if "/" in headings[3] else "E"
    message = next(w for _s, w in result.warnings if w.startswith(f"column {column} ({named!r})"))
    assert f"it is read as {read_as}" in message


# --- held-out round three: what documents written by someone else taught ----------------------


@pytest.mark.parametrize(
    "heading",
    ["Agreed action", "Agreed actions", "Proposed action", "Planned actions", "Action planned", "What will be done"],
)
def test_an_action_column_is_named_as_partnerships_name_it(heading):
    from dhrtrack.importing.headings import named

    assert named(heading) == ["action"]
    assert named("Action No") == ["action_id"] and named("Action owner") == ["owner"]


@pytest.mark.parametrize(
    "cell, rating, rest",
    [
        ("Green - complete. Reminder circulated 02/05/2025.", "complete", "Reminder circulated 02/05/2025."),
        ("Amber – Completed 12/03/2025: policy live.", "complete", "policy live."),
        ("Green: on track, audit done", "green", "on track, audit done"),
        ("Amber - red flags raised", "amber", "red flags raised"),
    ],
)
def test_a_completion_word_beats_a_colour_in_an_outcome_cell(cell, rating, rest):
    from dhrtrack.importing.cells import rating_in_text

    said, _day, left = rating_in_text(cell)
    assert (said, left) == (rating, rest)


@pytest.mark.parametrize("text, month", [("Mar-26", "2026-03"), ("Sept-2026", "2026-09"), ("Mar 26", None)])
def test_a_month_as_excel_shows_it_typed_into_a_text_cell(text, month):
    from dhrtrack.importing.cells import parse_date

    assert parse_date(text) == month


def _banner_table() -> Document:
    def row(n: int, *cells: str, rating=None) -> Row:
        return Row([Cell(c, rating=rating if i == 3 else None) for i, c in enumerate(cells)], f"table 0, row {n}", True)

    banner = "Recommendation 2: Northshire Police should record strangulation in every incident."
    return Document(
        "plan.docx",
        [
            Paragraph("NDHR 2025/02 action plan", "paragraph 0", 1),
            Table(
                [
                    row(1, "Action", "Lead agency", "Target date", "RAG"),
                    row(2, *["Recommendation 1: The ICB should brief GPs on coercive control."] * 4),
                    row(3, "Brief every practice.", "Northshire ICB", "Mar-26", "Green"),
                    row(4, *[banner] * 4),
                    row(
                        5,
                        "Add a question to the risk form.",
                        "Northshire Police",
                        "31/03/2026",
                        "Behind schedule",
                        rating="amber",
                    ),
                    row(6, "Audit 20 incidents.", "Northshire Police", "June 2026", "Red"),
                    row(7, *["Recommendation 3: Nobody wrote an action for this one."] * 4),
                ],
                "table 0",
            ),
        ],
    )


def test_rows_across_a_table_name_the_recommendation_of_the_rows_under_them():
    """A table with no recommendation column, each recommendation a row across it: the rows
    under it are its actions, and a banner row is never an action itself."""
    (result,) = build(_banner_table(), Agencies(), "NDHR 2025/02", None, None)
    plan = result.plan["recommendations"]
    assert [(r["number"], r["text"], [a["action"] for a in r["actions"]]) for r in plan] == [
        (1, "The ICB should brief GPs on coercive control.", ["Brief every practice."]),
        (
            2,
            "Northshire Police should record strangulation in every incident.",
            ["Add a question to the risk form.", "Audit 20 incidents."],
        ),
    ]
    brief, question, _audit = [a for r in plan for a in r["actions"]]
    assert brief["target"] == "2026-03"
    # Words in a RAG cell shaded amber: the colour is the rating, the words kept.
    assert question["rag"] == "amber" and question["import_notes"] == ["Status: Behind schedule"]
    said = [message for _source, message in result.warnings]
    assert (
        "recommendation 3 has no action under it; it is not in the plan: 'Nobody wrote an action for this one.'" in said
    )


def test_a_review_id_given_for_a_document_that_names_another_says_so(tmp_path):
    plan = tmp_path / "tracker.csv"
    plan.write_text(
        "DHR Ref,Recommendation,Action,Lead agency,Target date,RAG\n"
        "CDHR 2023/01,1. Share risk information.,Write a protocol.,Northshire Police,March 2026,Green\n",
        encoding="utf-8",
    )
    result = import_file(str(plan), review_id="CDHR 2023-01")
    assert result.plan["review"]["id"] == "CDHR 2023-01"
    assert (
        "title block",
        "the document names its review 'CDHR 2023/01'; it is imported as 'CDHR 2023-01' (--review-id)",
    ) in result.warnings
    assert [a["action"] for r in result.plan["recommendations"] for a in r["actions"]] == ["Write a protocol."]


def test_an_email_file_is_read_as_a_mail_client_saved_it(tmp_path):
    """Headers other than the subject name no review; a quoted-printable body is decoded."""
    path = tmp_path / "actions.eml"
    path.write_bytes(
        b"From: Sam <sam@example.gov.uk>\r\nTo: panel@example.gov.uk\r\n"
        b"Subject: =?utf-8?q?SAR_2025/01_=E2=80=93_agreed_actions?=\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        b"Recommendation 1: The Council should review self-neglect referrals within 28 d=\r\nays.\r\n"
        b"1.1 Audit 30 referrals.\r\nLead: Northshire Council Adult Social Care\r\nBy: March 2026\r\n"
    )
    result = import_file(str(path))
    assert result.plan["review"]["id"] == "SAR 2025/01"
    (rec,) = result.plan["recommendations"]
    assert rec["text"] == "The Council should review self-neglect referrals within 28 days."
    assert [(a["action"], a["lead"], a["target"]) for a in rec["actions"]] == [
        ("Audit 30 referrals.", "Northshire Council Adult Social Care", "2026-03")
    ]
    assert not any("MIME" in message or "Content-Type" in message for _s, message in result.warnings)


@pytest.mark.parametrize(
    "lines, ident",
    [
        (
            ["Appendix 2: Action Plan", "Review into the death of 'Grace' – Northshire CSP (NDHR 2022/11)"],
            "NDHR 2022/11",
        ),
        (
            [
                "Subject: SAR 'Daniel' - agreed actions",
                "Good morning,",
                "The agreed actions of SAR 'Daniel' (WSAR 2025/01).",
            ],
            "WSAR 2025/01",
        ),
        (["Northshire DHR 2023/04: Action Plan"], "DHR 2023/04"),
        (["Adult B: Action Plan"], "Adult B"),
    ],
)
def test_an_id_written_as_one_anywhere_in_the_title_block_names_the_review(lines, ident):
    from dhrtrack.importing.text import read_title_block

    assert read_title_block(lines).id == ident


@pytest.mark.parametrize(
    "text, banner",
    [
        (
            "Recommendation 2: Thames Valley Police should record strangulation.",
            (2, "Thames Valley Police should record strangulation."),
        ),
        ("Argymhelliad 3: Dylai'r Bwrdd Iechyd holi.", (3, "Dylai'r Bwrdd Iechyd holi.")),
        ("R4 The Council should audit referrals.", (4, "The Council should audit referrals.")),
        ("2. Audit 20 incidents.", None),  # a bare number may be an action's
        ("Recommendation 5:", None),  # no text to be the recommendation's
    ],
)
def test_a_row_across_a_table_is_a_recommendation_only_when_it_names_one(text, banner):
    from dhrtrack.importing.build import _banner
    from dhrtrack.importing.headings import map_headings

    columns = map_headings(["Action", "Lead agency", "Target date", "RAG"], lambda _i: [])
    assert _banner(text, columns) == banner
    with_recommendations = map_headings(["Recommendation", "Action", "Lead agency"], lambda _i: [])
    assert _banner(text, with_recommendations) is None  # a table with its own recommendation column
