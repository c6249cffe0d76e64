"""Spreadsheets (.csv, .xlsx) into the document model: every sheet of a workbook, in order, each
a table that stands alone, named by its sheet. A cell keeps its typed value (a date, a date
number) for the builder's date columns; a merged area's value is read in its first cell, and the
cells below it in the area are marked merged; a cell's solid fill colour gives a rating.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import Counter
from functools import partial
from typing import Any, Dict, List, Optional, Tuple

from dhrtrack.importing.document import Cell, Document, Row, Table
from dhrtrack.importing.template import ImportFailed
from dhrtrack.wording import spreadsheet_text

MAX_CSV = 64 * 1024 * 1024  # an action plan is kilobytes; a file this large is not one
# A sheet of more cells than this is not an action plan (and a few stray cells far out, as in a
# damaged or hostile file, would make it billions).
MAX_CELLS = 2_000_000


def csv_rows(path: str) -> List[List[str]]:
    """A CSV or tab-separated sheet as Excel writes it: UTF-8 (with or without a byte-order mark),
    UTF-16 ("Unicode text"), or Windows-1252; cells neutralised against formulas read back as written."""
    from dhrtrack.importing.text import decode

    if os.path.getsize(path) > MAX_CSV:
        raise ImportFailed(f"{path} is {os.path.getsize(path) // (1024 * 1024)} MB: too large to be an action plan")
    with open(path, "rb") as handle:
        text, _warning = decode(handle.read())
    # Only the separator is guessed (Excel writes ";" where the decimal mark is ","): the quote is
    # always '"', as every spreadsheet writes it (a guessed one took a lone "'" in a cell for it).
    dialect = type("Sheet", (csv.excel,), {"delimiter": separator(text)})
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV)  # a long cell is text, not an error (the default stops at 131,072)
    try:
        rows = [[spreadsheet_text(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ImportFailed(f"{path} is not a CSV file that can be read: {error}") from None
    finally:
        csv.field_size_limit(limit)
    return rows


SEPARATORS = (",", ";", "\t", "|")


def separator(text: str) -> str:
    """The separator a sheet's text uses: the one whose rows most agree on a number of cells
    beyond one, weighed by that number (a heading row and its table agree; a title line above
    them does not; a "|" inside one column's text splits it into a few cells, a table's real
    separator into many). csv.Sniffer gives up on a table whose cells hold quoted line breaks or
    Windows line ends, which Excel's "CSV (semicolon)" files have; this reads the rows as csv does."""
    sample = text[:16384]
    if "\n" in sample[:-1] and len(text) > len(sample):
        sample = sample[: sample.rindex("\n")]  # whole lines only
    best: Tuple[int, int, int] = (0, 0, 0)
    chosen = ","
    for rank, candidate in enumerate(SEPARATORS):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=candidate, quotechar='"'))
        except csv.Error:
            continue
        widths = Counter(len(row) for row in rows if len(row) > 1 and any(cell.strip() for cell in row))
        if not widths:
            continue
        width, agreeing = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (agreeing * (width - 1), width, -rank)
        if score > best:
            best, chosen = score, candidate
    return chosen


def read_csv(path: str) -> Document:
    """A CSV sheet as a document of one table."""
    document = Document(path)
    table = Table([], "the sheet", stands_alone=True)
    for index, cells in enumerate(csv_rows(path)):
        if any(c.strip() for c in cells):
            table.rows.append(Row([Cell(c) for c in cells], f"row {index + 1}", new_action=True))
    document.blocks.append(table)
    return document


def read_xlsx(path: str) -> Document:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ImportFailed("reading .xlsx files needs openpyxl: pip install openpyxl") from None
    from dhrtrack.importing import office

    # Not read-only: a read-only sheet trusts the file's declared dimension and gives no merged
    # cells; the whole sheet is read, as Excel shows it.
    workbook = office.read(path, "xlsx", lambda: load_workbook(path, data_only=True))
    document = Document(path, date_epoch=getattr(workbook, "epoch", None))
    for sheet in workbook.worksheets:
        document.blocks.append(office.read(path, "xlsx", partial(_table_of, sheet, path)))
    if not document.blocks:
        raise ImportFailed(f"{path} has no sheets")
    return document


def _table_of(sheet: Any, path: str) -> Table:
    values: Dict[Tuple[int, int], Any] = {}
    colours: Dict[Tuple[int, int], str] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                values[(cell.row - 1, cell.column - 1)] = _month_or_value(cell)
            rating = _fill_rating(cell)
            if rating is not None:
                colours[(cell.row - 1, cell.column - 1)] = rating
    merged = set()
    for area in sheet.merged_cells.ranges:
        # Read once, in the area's first cell; below it in the area, cells are merged into it.
        for r in range(area.min_row, area.max_row):
            merged.add((r, area.min_col - 1))
    name = sheet.title
    table = Table([], f"sheet {name!r}", name=name, stands_alone=True)
    if not values:
        return table
    height = max(r for r, _c in values) + 1
    width = max(c for _r, c in values) + 1
    if height * width > MAX_CELLS:
        raise ImportFailed(
            f"{path}: sheet {name!r} reaches row {height} and column {width}: far too large for an action plan "
            "(delete the stray cells far from the table, or copy the table into a new workbook)"
        )
    for r in range(height):
        cells = [_typed(values.get((r, c)), (r, c) in merged, colours.get((r, c))) for c in range(width)]
        if any(c.text.strip() for c in cells) or any(c.merged for c in cells):
            table.rows.append(Row(cells, f"sheet {name!r} row {r + 1}", new_action=True))
    return table


def _typed(value: Any, merged: bool, rating: Optional[str]) -> Cell:
    if value is None or isinstance(value, str):
        return Cell(value or "", merged, None, rating)
    return Cell(_cell(value), merged, value, rating)


def _fill_rating(cell: Any) -> Optional[str]:
    """The rating a solid fill colour gives, read by hue as a person reads it: red, amber (orange
    to yellow), green, or blue for complete (BRAG); Excel's pale fills count; white, grey and
    black give none."""
    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return None
    return colour_rating(getattr(fill.fgColor, "rgb", None))


def colour_rating(colour: Optional[str]) -> Optional[str]:
    """The rating an RGB colour ("FFC7CE", "FF00B050") gives, by hue; the one rule for a
    spreadsheet cell's fill and a Word table cell's shading."""
    import colorsys

    if not isinstance(colour, str) or len(colour) < 6:
        return None
    try:
        red, green, blue = (int(colour[-6:][i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.15 or value < 0.3:
        return None
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return "red"
    if degrees < 70:
        return "amber"
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "complete"
    return None


def _month_or_value(cell: Any) -> Any:
    """A date cell shown as a month ("mmm yyyy", no day in its format) reads as YYYY-MM: a month
    target stays a month target; anything else is its value."""
    value = cell.value
    if isinstance(value, (dt.datetime, dt.date)) and "d" not in (cell.number_format or "").lower().replace("[red]", ""):
        return f"{value.year:04d}-{value.month:02d}"
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
