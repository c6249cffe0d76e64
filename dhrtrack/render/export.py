"""Export rows as bytes: CSV for any spreadsheet, XLSX for Excel (coloured RAG cells, frozen
header), JSON for programs. EXPORTERS is the registry: (rows, as_of, bom, notes) -> chunks of
bytes; what the user should know about the file made (texts cut to fit Excel) goes into notes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional

from dhrtrack.plan.fields import DATED_KINDS, update_line
from dhrtrack.reports.export import COLUMNS
from dhrtrack.wording import json_bytes, plural, spreadsheet_safe, versioned

RAG_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "complete": "BDD7EE"}


def _text_of(kind: str) -> Optional[Callable[[Any], Any]]:
    """How a column's value is written in a cell, by what the column holds: a list an item a
    line, the update log an entry a line (fields.update_line, which import reads back), a flag
    as yes or no; None: as it is."""
    if kind == "log":
        return lambda value: "\n".join(map(update_line, value))
    if kind in ("tags", "texts"):
        return "\n".join
    if kind == "flag":
        return lambda value: "yes" if value else "no"
    return None


_CELLS = [(column.key, _text_of(column.kind)) for column in COLUMNS]


DAY_FORMAT = "dd/mm/yyyy"
MONTH_FORMAT = "mmm yyyy"


def _as_date(value: str) -> dt.date:
    """A date column's value as a date (a YYYY-MM target as its month's first day)."""
    return dt.date.fromisoformat(value if len(value) == 10 else value + "-01")


CSV_CHUNK_ROWS = 1000


def to_csv(
    data: Iterable[Dict[str, Any]], as_of: dt.date, bom: bool = False, notes: Optional[List[str]] = None
) -> Iterator[bytes]:
    """The CSV file in chunks of rows, made as they are written: a national export is never
    held in memory whole."""
    buffer = io.StringIO()
    buffer.write("\ufeff" if bom else "")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.label for column in COLUMNS])
    for count, row in enumerate(data, 1):
        writer.writerow(
            [
                "" if value is None else spreadsheet_safe(value if text_of is None else text_of(value))
                for key, text_of in _CELLS
                for value in (row[key],)
            ]
        )
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def to_json(
    data: Iterable[Dict[str, Any]], as_of: dt.date, bom: bool = False, notes: Optional[List[str]] = None
) -> Iterator[bytes]:  # bom: CSV only
    yield json_bytes(versioned({"as_of": as_of.isoformat(), "actions": list(data)}))


def to_xlsx(
    data: Iterable[Dict[str, Any]], as_of: dt.date, bom: bool = False, notes: Optional[List[str]] = None
) -> Iterator[bytes]:
    """The workbook: one sheet of rows, dates as Excel dates shown day first (a month target as
    its month), ids as text (1.10 stays 1.10, even when edited in Excel), RAG cells coloured."""
    from dhrtrack.render.xlsx import Style, write_table

    styles = [Style(), Style(number_format="@"), Style(number_format=DAY_FORMAT), Style(number_format=MONTH_FORMAT)]
    plain, text, day, month = range(4)
    rag_style = {rag: len(styles) + n for n, rag in enumerate(RAG_FILLS)}
    styles += [Style(fill=colour) for colour in RAG_FILLS.values()]
    # (key, how its value is written, its style; dated: a date column; rag: the rating's colour)
    cells_of = [
        (key, text_of, text if column.literal else plain, column.kind in DATED_KINDS, column.kind == "rag")
        for (key, text_of), column in zip(_CELLS, COLUMNS, strict=True)
    ]

    def cells(row: Dict[str, Any]) -> List[Any]:
        made: List[Any] = []
        for key, text_of, style, dated, rag in cells_of:
            value = row[key]
            if value is None or value == "" or value == []:
                made.append(None)  # no cell at all: an empty cell looks the same and costs nothing
            elif dated:
                made.append((_as_date(value), month if len(value) == 7 else day))
            elif rag:
                made.append((value, rag_style.get(value, plain)))
            else:
                made.append((value if text_of is None else text_of(value), style))
        return made

    buffer = io.BytesIO()
    written = write_table(
        buffer,
        title=f"Action plan export as of {as_of.isoformat()}",
        sheet_name="Actions",
        columns=[(column.label, column.width) for column in COLUMNS],
        heading=Style(bold=True, fill="D9D9D9"),
        styles=styles,
        rows=(cells(row) for row in data),
    )
    if written.cut and notes is not None:
        notes.append(
            f"{plural(written.cut, 'text')} longer than an Excel cell holds (32,767 characters) "
            "cut short in the workbook and marked as cut; the plans and a CSV export hold them whole"
        )
    yield buffer.getvalue()


Exporter = Callable[..., Iterator[bytes]]
EXPORTERS: Dict[str, Exporter] = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}
