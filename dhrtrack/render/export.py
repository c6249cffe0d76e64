"""Export rows as bytes: CSV for any spreadsheet, XLSX for Excel (coloured RAG cells, frozen
header), JSON for programs. EXPORTERS is the registry: (rows, as_of, options) -> bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Callable, Dict, List

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


def to_csv(data: List[Dict[str, Any]], as_of: dt.date, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for heading, _key in COLUMNS])
    for row in data:
        writer.writerow([spreadsheet_safe(_cell(key, row[key])) for _heading, key in COLUMNS])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_json(data: List[Dict[str, Any]], as_of: dt.date, bom: bool = False) -> bytes:  # bom: CSV only
    return json_text({"as_of": as_of.isoformat(), "actions": data}).encode("utf-8")


def to_xlsx(data: List[Dict[str, Any]], as_of: dt.date, bom: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append([heading for heading, _key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    rag_column = [key for _h, key in COLUMNS].index("rag") + 1
    keys = [key for _heading, key in COLUMNS]
    for number, row in enumerate(data, 2):
        sheet.append([_xlsx_value(key, row[key]) for key in keys])
        for key, cell in zip(keys, sheet[number], strict=True):
            if key in DATE_KEYS and isinstance(cell.value, dt.date):
                # A real date, shown day first; a month target shows its month (and reads back as one).
                month = key == "target" and len(row[key]) == 7
                cell.number_format = MONTH_FORMAT if month else DAY_FORMAT
            elif key in TEXT_KEYS:
                cell.number_format = "@"  # text: an id of 1.10 stays 1.10, even when edited in Excel
            # Text that looks like a formula (=HYPERLINK(...), +cmd|...) is written as text: a
            # spreadsheet must never run what a plan says.
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
        rag = row["rag"]
        if rag in RAG_FILLS:
            sheet.cell(row=number, column=rag_column).fill = PatternFill("solid", fgColor=RAG_FILLS[rag])
    for index, (_heading, key) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    wrap = Alignment(vertical="top", wrap_text=True)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    # Printing: landscape, as wide as the page, the heading row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    workbook.properties.title = f"Action plan export as of {as_of.isoformat()}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


Exporter = Callable[..., bytes]
EXPORTERS: Dict[str, Exporter] = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}
