"""Export rows as bytes: CSV for any spreadsheet, XLSX for Excel (coloured RAG cells, frozen
header), JSON for programs. EXPORTERS is the registry: (rows, as_of, options) -> chunks of bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Callable, Dict, Iterable, Iterator

from dhrtrack.reports.export import COLUMNS, WIDTHS
from dhrtrack.wording import FORMULA_STARTS, json_text, spreadsheet_safe

RAG_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "complete": "BDD7EE"}


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key == "milestones":
        return "\n".join(value)
    if key == "overdue":
        return "yes" if value else "no"
    return value


DATE_KEYS = ("target", "due", "completed")
TEXT_KEYS = ("action_id", "review", "file")
DAY_FORMAT = "dd/mm/yyyy"
MONTH_FORMAT = "mmm yyyy"


def _xlsx_value(key: str, value: Any) -> Any:
    """A cell's value in Excel's own types: dates as dates (a YYYY-MM target as its month's first day)."""
    if key in DATE_KEYS and isinstance(value, str) and value:
        return dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
    return _cell(key, value)


CSV_CHUNK_ROWS = 1000


def to_csv(data: Iterable[Dict[str, Any]], as_of: dt.date, bom: bool = False) -> Iterator[bytes]:
    """The CSV file in chunks of rows, made as they are written: a national export is never
    held in memory whole."""
    buffer = io.StringIO()
    buffer.write("\ufeff" if bom else "")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for heading, _key in COLUMNS])
    for count, row in enumerate(data, 1):
        writer.writerow([spreadsheet_safe(_cell(key, row[key])) for _heading, key in COLUMNS])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def to_json(data: Iterable[Dict[str, Any]], as_of: dt.date, bom: bool = False) -> Iterator[bytes]:  # bom: CSV only
    yield json_text({"as_of": as_of.isoformat(), "actions": list(data)}).encode("utf-8")


def to_xlsx(data: Iterable[Dict[str, Any]], as_of: dt.date, bom: bool = False) -> Iterator[bytes]:
    # A write-only workbook streams rows to the file: time and memory grow linearly with the rows
    # (the in-memory sheet re-measures itself on every row lookup, which made 2,000 plans take
    # minutes). Styles are built once and shared by every cell of a column.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Actions")
    keys = [key for _heading, key in COLUMNS]
    for index, key in enumerate(keys, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    sheet.freeze_panes = "A2"
    wrap = Alignment(vertical="top", wrap_text=True)
    heading_font, heading_fill = Font(bold=True), PatternFill("solid", fgColor="D9D9D9")
    rag_fills = {rag: PatternFill("solid", fgColor=colour) for rag, colour in RAG_FILLS.items()}

    def heading_cell(text: str) -> Any:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill, cell.alignment = heading_font, heading_fill, wrap
        return cell

    def style_of(key: str, number_format: str = "General", fill: Any = None) -> Any:
        model = WriteOnlyCell(sheet)
        model.alignment, model.number_format = wrap, number_format
        if fill is not None:
            model.fill = fill
        return model._style  # the style array openpyxl shares between cells, built once here

    text_style = {key: style_of(key, "@") for key in TEXT_KEYS}
    plain_style = style_of("")
    day_style, month_style = style_of("", DAY_FORMAT), style_of("", MONTH_FORMAT)
    rag_styles = {rag: style_of("rag", fill=fill) for rag, fill in rag_fills.items()}

    def data_cell(key: str, row: Dict[str, Any]) -> Any:
        value = _xlsx_value(key, row[key])
        if value == "":
            return None  # no cell at all: an empty cell looks the same and costs nothing to write
        cell = WriteOnlyCell(sheet, value=value)
        if key in DATE_KEYS and isinstance(value, dt.date):
            # A real date, shown day first; a month target shows its month (and reads back as one).
            style = month_style if key == "target" and len(row[key]) == 7 else day_style
        elif key in TEXT_KEYS:
            style = text_style[key]  # text: an id of 1.10 stays 1.10, even when edited in Excel
        elif key == "rag":
            style = rag_styles.get(row["rag"], plain_style)
        else:
            style = plain_style
        cell._style = style  # shared, never changed: each cell is written out once and dropped
        # Text that looks like a formula (=HYPERLINK(...), +cmd|...) is written as text: a
        # spreadsheet must never run what a plan says.
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
        return cell

    sheet.append([heading_cell(heading) for heading, _key in COLUMNS])
    count = 0
    for row in data:
        sheet.append([data_cell(key, row) for key in keys])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{count + 1}"
    print_a4_landscape(sheet)
    workbook.properties.title = f"Action plan export as of {as_of.isoformat()}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    yield buffer.getvalue()


def print_a4_landscape(sheet: Any) -> None:
    """Print setup for a sheet of rows: A4 landscape, as wide as the page, the heading row on
    every page."""
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


Exporter = Callable[..., Iterator[bytes]]
EXPORTERS: Dict[str, Exporter] = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}
