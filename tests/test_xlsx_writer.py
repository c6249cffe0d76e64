"""The streaming XLSX writer (dhrtrack.render.xlsx): what Excel's readers see in its workbooks,
read back with openpyxl and, where it is installed, LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook

from dhrtrack.render.xlsx import LINE_POINTS, MOST_POINTS, Style, column_letter, row_points, text_lines, write_table
from dhrtrack.wording import bidi_safe
from tests.conftest import SEED_PLAN

STYLES = [Style(), Style(number_format="dd/mm/yyyy"), Style(fill="FFC7CE"), Style(number_format="@")]


def workbook(rows, columns=(("Text", 30), ("Number", 10), ("Date", 12), ("Flag", 6)), **options):
    out = io.BytesIO()
    count = write_table(
        out,
        title=options.get("title", "A title"),
        sheet_name=options.get("sheet_name", "Actions"),
        columns=list(columns),
        heading=Style(bold=True, fill="D9D9D9"),
        styles=STYLES,
        rows=rows,
    )
    out.seek(0)
    return count, out


def test_values_keep_their_types_and_styles():
    rows = [
        [("1.10", 3), (7, 0), (dt.date(2024, 6, 30), 1), (True, 0)],
        [("red", 2), (1.5, 0), None, (False, 0)],
    ]
    count, out = workbook(rows)
    assert count == (2, 0)
    book = load_workbook(out)
    sheet = book.active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Text", "Number", "Date", "Flag"],
        ["1.10", 7, dt.datetime(2024, 6, 30), True],
        ["red", 1.5, None, False],
    ]
    assert sheet["A2"].data_type == "s" and sheet["A2"].number_format == "@"
    assert sheet["C2"].number_format == "dd/mm/yyyy" and sheet["C2"].is_date
    assert sheet["A3"].fill.fgColor.rgb == "FFFFC7CE" and sheet["A3"].fill.fill_type == "solid"
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FFD9D9D9"
    assert sheet["B2"].alignment.wrap_text and sheet["B2"].alignment.vertical == "top"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert [sheet.column_dimensions[letter].width for letter in "ABCD"] == [30, 10, 12, 6]
    assert sheet.title == "Actions" and book.properties.title == "A title"


def test_a_row_is_as_tall_as_its_longest_wrapped_text():
    rows = [
        [("short", 0), (1, 0)],  # one line: no height written, the default stands
        [("word " * 30, 0), (2, 0)],  # 150 characters in a column of 30: about 5 lines
        [("one\ntwo\nthree", 0), None],  # three lines of their own
        [("x" * 20_000, 0), (3, 0)],  # more than a row can be: Excel's tallest
    ]
    _count, out = workbook(rows, columns=[("Text", 30), ("Number", 10)])
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "customHeight" not in xml  # Excel refits a row someone types into
    sheet = load_workbook(out).active
    heights = [sheet.row_dimensions[n].height for n in range(2, 6)]
    assert heights == [None, 5 * LINE_POINTS, 3 * LINE_POINTS, MOST_POINTS]


@given(st.text(max_size=400), st.floats(min_value=1, max_value=120))
def test_text_lines_counts_every_line_and_grows_with_the_text(text, width):
    lines = text_lines(text, width)
    assert lines >= text.count("\n") + 1
    assert text_lines(text + "x" * 200, width) >= lines
    assert LINE_POINTS <= row_points(lines) <= MOST_POINTS


def test_text_is_never_a_formula_and_markup_is_text():
    texts = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "a & b <c/> \"q\" 'r'", "]]>", "  spaced  "]
    _count, out = workbook([[(text, 0)] for text in texts], columns=[("Text", 30)], title="<T & T>")
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    book = load_workbook(out)
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == texts and {cell.data_type for cell in cells} == {"s"}
    assert book.properties.title == "<T & T>"


def test_characters_xml_cannot_carry_are_escaped_as_excel_does():
    _count, out = workbook([[("bell\x07", 0)], [("_x0041_ stays", 0)]], columns=[("Text", 30)])
    with zipfile.ZipFile(out) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    assert "bell_x0007_" in strings and "_x005F_x0041_ stays" in strings
    sheet = load_workbook(out).active
    assert sheet["A3"].value == "_x0041_ stays"  # openpyxl undoes the underscore's escape


@pytest.mark.parametrize(
    "index, letters", [(0, "A"), (19, "T"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index, letters):
    assert column_letter(index) == letters


@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")).filter(
            lambda text: "x005F_" not in text  # openpyxl's reader deletes that wherever it appears
        ),
        max_size=20,
    )
)
@example(texts=["\u200e", "a\u202eb"])
def test_any_text_reads_back_as_written(texts):
    """Every text reads back as written, but for the bidirectional controls every renderer removes."""
    _count, out = workbook([[(text, 0)] for text in texts], columns=[("Text", 30)])
    sheet = load_workbook(out).active
    read = [row[0].value or "" for row in sheet.iter_rows(min_row=2)]  # "" reads back as None
    assert read == [bidi_safe(text) for text in texts]


def test_rows_are_streamed_in_chunks_and_counted():
    rows = ([(f"row {n}", 0), (n, 0)] for n in range(2500))
    count, out = workbook(rows, columns=[("Text", 30), ("Number", 10)])
    assert count == (2500, 0)
    sheet = load_workbook(out, read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Text", "Number") and values[-1] == ("row 2499", 2499) and len(values) == 2501


def test_a_value_of_another_type_is_refused():
    with pytest.raises(TypeError, match="cannot hold list"):
        workbook([[(["a"], 0)]], columns=[("Text", 30)])


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice); apt-get install libreoffice-calc-nogui")
def test_libreoffice_reads_the_export(cli, tmp_path):
    exported = tmp_path / "plan.xlsx"
    assert (
        cli("export", str(SEED_PLAN), "--format", "xlsx", "-o", str(exported), "--as-of", "2026-11-25").exit_code == 0
    )
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path / "lo"),
        ]
        + [str(exported)],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path / "home")},
    )
    import csv

    with open(tmp_path / "lo" / "plan.csv", encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle))
    exported_csv = cli("export", str(SEED_PLAN), "--format", "csv", "--as-of", "2026-11-25").stdout
    expected = list(csv.reader(io.StringIO(exported_csv)))
    assert read[0] == expected[0] and len(read) == len(expected)
    columns = expected[0]
    for got, want in zip(read[1:], expected[1:], strict=True):
        for heading in ("Review", "Action id", "Action", "Lead", "Milestones", "RAG", "Outcome"):
            assert got[columns.index(heading)] == want[columns.index(heading)].removeprefix("'"), heading


def test_a_text_longer_than_a_cell_holds_is_cut_and_marked():
    from dhrtrack.render.xlsx import CELL_LIMIT, CUT_MARK, fit_cell

    long = "ab" * CELL_LIMIT
    emoji = "😀" * (CELL_LIMIT // 2 + 1)  # two UTF-16 units each: over the limit in Excel's count
    assert fit_cell("a" * CELL_LIMIT) is None  # exactly the limit fits
    count, out = workbook([[(long, 0)], [(emoji, 0)], [("short", 0)]], columns=[("Text", 30)])
    assert count == (3, 2)
    cells = [row[0].value for row in load_workbook(out).active.iter_rows(min_row=2)]
    assert [len(c.encode("utf-16-le")) // 2 <= CELL_LIMIT for c in cells] == [True, True, True]
    assert cells[0] == long[: CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
    assert cells[1].endswith(CUT_MARK) and set(cells[1][: -len(CUT_MARK)]) == {"😀"}  # no half character
    assert cells[2] == "short"


def test_export_says_which_texts_excel_could_not_hold(tmp_path, cli):
    from tests.conftest import plan_text, write

    outcome = "Long report. " * 3000  # 39,000 characters
    plan = write(
        tmp_path / "plans" / "p.yaml",
        plan_text(f'- id: "1.1"\n  action: A\n  lead: Police\n  rag: complete\n  outcome: "{outcome.strip()}"'),
    )
    result = cli("export", str(plan), "--format", "xlsx", "-o", str(tmp_path / "p.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "note: 1 text longer than an Excel cell holds (32,767 characters) cut short in the workbook "
        "and marked as cut; the plans and a CSV export hold them whole"
    )
    csv_export = cli("export", str(plan), "--format", "csv").stdout
    assert outcome.strip() in csv_export
