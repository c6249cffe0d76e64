"""A streaming writer for a workbook of one table: a heading row and rows of cells, each column
with its width, each cell with one of a few styles; the heading frozen, filtered and printed on
every page of an A4 landscape print-out, as many pages across as the columns need to print at
about full size (the first column repeated on each), rather than every column squeezed onto one
page's width (25 columns came out at 22%).

Why not openpyxl, which reads the returns and writes them: a national export has 1.4 million
cells, and openpyxl builds a cell object, binds and checks its value and looks up its style for
each (about 15 microseconds a cell: 20 s for 2,000 plans, ten times the CSV export). Here a cell
is one formatted string. Text is only ever written as text (a shared string); no cell is ever a
formula, whatever it says, so a spreadsheet never runs what a plan says.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from dhrtrack.wording import bidi_safe

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system, past its 1900 leap-year bug
CHUNK_ROWS = 1000
# Level 1 compresses a national export to about a quarter of its size in a fraction of the time
# the default level takes; the file is written once and opened, not archived.
COMPRESS_LEVEL = 1
# Column width units (characters of Calibri 11) across an A4 landscape page inside the margins
# below at 100%: a table wider than this prints on more pages across, not smaller.
PAGE_WIDTH = 150


@dataclass(frozen=True)
class Style:
    """How a cell looks: bold or not, a solid fill colour (RGB hex), a number format (Excel's
    code; "@" is text). Every style wraps text and aligns it to the top of the cell."""

    bold: bool = False
    fill: Optional[str] = None
    number_format: str = "General"


Cell = Optional[Tuple[Any, int]]
"""A cell: None (nothing written), or (value, index of its style in the styles given). A value
is text, a whole or decimal number, True/False or a date."""

# Characters XML 1.0 cannot carry, written as Excel writes them (_xHHHH_); a valid plan holds
# none, so this only keeps a file well formed. Text that already looks like such an escape has
# its underscore escaped, so it reads back as written. (A CR stays as it is: XML readers turn a
# CR LF into a line feed, as they did when openpyxl wrote these files.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")


def xml_text(text: str) -> str:
    text = bidi_safe(text)  # the renderers' one rule for bidirectional controls
    if "_x" in text:
        text = _LOOKS_ESCAPED.sub("_x005F_", text)
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda found: f"_x{ord(found.group()):04X}_", text)
    # Replacements rather than str.translate: each is a fast scan when there is nothing to
    # replace, where translate is slow on any text with a non-ASCII character.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def column_letter(index: int) -> str:
    """The letters of the column at index (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def write_table(
    out: IO[bytes],
    *,
    title: str,
    sheet_name: str,
    columns: Sequence[Tuple[str, float]],
    heading: Style,
    styles: Sequence[Style],
    rows: Iterable[Sequence[Cell]],
) -> "Written":
    """Write the workbook to out (a binary file open for writing): the heading row of columns'
    headings in the heading style, then the rows, each a cell per column. Says how many rows
    were written, and how many texts were cut to fit a cell."""
    letters = [column_letter(index) for index in range(len(columns))]
    all_styles = [heading, *styles]
    strings: dict = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_sheet_start(columns).encode("utf-8"))
            heading_cells = "".join(
                f'<c r="{letter}1" s="1" t="s"><v>{strings.setdefault(text, len(strings))}</v></c>'
                for letter, (text, _width) in zip(letters, columns)
            )
            sheet.write(f'<row r="1">{heading_cells}</row>'.encode("utf-8"))
            count, cut = _write_rows(sheet, rows, letters, [width for _text, width in columns], strings)
            last = f"{letters[-1]}{count + 1}"
            sheet.write(_sheet_end(last, pages_across(columns)).encode("utf-8"))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
            _write_shared_strings(shared, strings)
        archive.writestr("xl/styles.xml", _styles(all_styles))
        archive.writestr("xl/workbook.xml", _workbook(sheet_name, letters[-1], count + 1))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("docProps/core.xml", _core(title))
        archive.writestr("docProps/app.xml", _APP)
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
    return Written(count, cut)


class Written(NamedTuple):
    rows: int
    cut: int  # texts longer than a cell holds, cut short (and marked)


# Excel keeps at most 32,767 characters (UTF-16 code units) in a cell and "repairs" a workbook
# with a longer one, cutting it without a word. A longer text is cut here instead, and says so.
CELL_LIMIT = 32_767
CUT_MARK = " … [cut: longer than an Excel cell holds]"


def fit_cell(text: str) -> Optional[str]:
    """The text cut to fit a cell, marked as cut; None when it fits as it is."""
    if len(text) <= CELL_LIMIT // 2 or len(text.encode("utf-16-le")) <= 2 * CELL_LIMIT:
        return None
    room = 2 * (CELL_LIMIT - len(CUT_MARK))
    return text.encode("utf-16-le")[:room].decode("utf-16-le", errors="ignore") + CUT_MARK


# A row's height, in points, for the lines its longest wrapped text takes. Neither Excel nor
# LibreOffice sizes a row to its wrapped text when it opens a file (LibreOffice prints the lines
# over each other), so the writer says how tall each row is. The height is written without
# customHeight: Excel still refits a row when someone types into it.
LINE_POINTS = 15.0  # one line of Calibri 11
MOST_POINTS = 409.0  # the tallest row Excel allows


def text_lines(text: str, width: float) -> int:
    """The lines a text takes wrapped in a column this wide. A width counts the widest digit of
    Calibri 11; a letter of prose is narrower on average, less the room lost at word breaks:
    about nine tenths of one (measured on plans printed from LibreOffice)."""
    room = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(len(line) * 0.9 / room)) for line in text.split("\n"))


def row_points(lines: int) -> float:
    return min(lines * LINE_POINTS, MOST_POINTS)


def _write_rows(
    sheet: IO[bytes], rows: Iterable[Sequence[Cell]], letters: List[str], widths: List[float], strings: dict
) -> Tuple[int, int]:
    parts: List[str] = []
    count = cut = 0
    index = strings.setdefault
    columns = list(zip(letters, widths))
    for number, row in enumerate(rows, 2):
        start = len(parts)
        parts.append("")
        lines = 1
        for (letter, width), cell in zip(columns, row):
            if cell is None:
                continue
            value, style = cell
            kind = type(value)
            if kind is str:
                if len(value) > CELL_LIMIT // 2:
                    fitted = fit_cell(value)
                    if fitted is not None:
                        value, cut = fitted, cut + 1
                if len(value) >= width - 1 or "\n" in value:
                    lines = max(lines, text_lines(value, width))
                parts.append(f'<c r="{letter}{number}" s="{style + 2}" t="s"><v>{index(value, len(strings))}</v></c>')
            elif kind is bool:
                parts.append(f'<c r="{letter}{number}" s="{style + 2}" t="b"><v>{int(value)}</v></c>')
            elif kind is dt.date:
                parts.append(f'<c r="{letter}{number}" s="{style + 2}"><v>{(value - EXCEL_EPOCH).days}</v></c>')
            elif kind is int or kind is float:
                parts.append(f'<c r="{letter}{number}" s="{style + 2}"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"an XLSX cell cannot hold {kind.__name__}: {value!r}")
        parts[start] = f'<row r="{number}" ht="{row_points(lines)}">' if lines > 1 else f'<row r="{number}">'
        parts.append("</row>")
        count += 1
        if count % CHUNK_ROWS == 0:
            sheet.write("".join(parts).encode("utf-8"))
            parts.clear()
    sheet.write("".join(parts).encode("utf-8"))
    return count, cut


def _sheet_start(columns: Sequence[Tuple[str, float]]) -> str:
    widths = "".join(
        f'<col min="{number}" max="{number}" width="{width}" customWidth="1"/>'
        for number, (_heading, width) in enumerate(columns, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{widths}</cols><sheetData>"
    )


def pages_across(columns: Sequence[Tuple[str, float]], smallest: float = 1.0) -> int:
    """Pages across the table prints on: the fewest at which it prints at the smallest scale
    or larger (about full size by default; the first column, repeated on each page, counted on
    each)."""
    widths = [width for _heading, width in columns]
    page = PAGE_WIDTH / smallest
    if sum(widths) <= page:
        return 1
    return math.ceil(sum(widths[1:]) / (page - widths[0]))


def _sheet_end(last: str, across: int) -> str:
    # Over, then down: the pages of one band of rows come together, as a reader turns them.
    return (
        f'</sheetData><autoFilter ref="A1:{last}"/>'
        '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="landscape" pageOrder="overThenDown" fitToWidth="{across}" '
        'fitToHeight="0"/>'
        "<headerFooter><oddFooter>&amp;C&amp;A, page &amp;P of &amp;N</oddFooter></headerFooter>"
        "</worksheet>"
    )


def _write_shared_strings(out: IO[bytes], strings: dict) -> None:
    """The table of every text, in order of first use, written in chunks (a national export's
    texts come to about 50 MB)."""
    out.write(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">'.encode("utf-8")
    )
    texts = list(strings)
    for start in range(0, len(texts), CHUNK_ROWS * 10):
        chunk = texts[start : start + CHUNK_ROWS * 10]
        out.write("".join(f'<si><t xml:space="preserve">{xml_text(text)}</t></si>' for text in chunk).encode("utf-8"))
    out.write(b"</sst>")


def _styles(styles: Sequence[Style]) -> bytes:
    """The style sheet: cell format 0 is Excel's default, format i + 1 is styles[i]."""
    formats = sorted({style.number_format for style in styles} - {"General", "@"})
    format_ids = {"General": 0, "@": 49, **{code: 164 + n for n, code in enumerate(formats)}}
    fills = sorted({style.fill for style in styles if style.fill})
    fill_ids = {colour: 2 + n for n, colour in enumerate(fills)}  # 0 and 1 are Excel's own two
    number_formats = "".join(
        f'<numFmt numFmtId="{format_ids[code]}" formatCode="{xml_text(code)}"/>' for code in formats
    )
    if formats:  # an empty list is left out, as Excel writes it
        number_formats = f'<numFmts count="{len(formats)}">{number_formats}</numFmts>'
    fill_xml = "".join(
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/><bgColor indexed="64"/></patternFill></fill>'
        for colour in fills
    )
    cell_formats = "".join(
        f'<xf numFmtId="{format_ids[style.number_format]}" fontId="{int(style.bold)}" '
        f'fillId="{fill_ids.get(style.fill or "", 0)}" borderId="0" xfId="0" applyNumberFormat="1" '
        'applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
        for style in styles
    )
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{MAIN}">'
        f"{number_formats}"
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        f'<fills count="{2 + len(fills)}"><fill><patternFill patternType="none"/></fill>'
        f'<fill><patternFill patternType="gray125"/></fill>{fill_xml}</fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{1 + len(styles)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        f"{cell_formats}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ).encode("utf-8")


def _workbook(sheet_name: str, last_letter: str, last_row: int) -> bytes:
    name = xml_text(sheet_name.replace("'", "''"))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{xml_text(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
        "<definedNames>"
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"'{name}'!$A$1:${last_letter}${last_row}</definedName>"
        # The heading row on every page, and the first column on every page across.
        f"<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'{name}'!$A:$A,'{name}'!$1:$1</definedName>"
        "</definedNames></workbook>"
    ).encode("utf-8")


def _core(title: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:creator>dhrtrack</dc:creator>"
        "</cp:coreProperties>"
    ).encode("utf-8")


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_APP = (
    _XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>dhrtrack</Application></Properties>"
)
_PACKAGE_RELS = (
    _XML + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_OFFICE = "application/vnd.openxmlformats-officedocument"
_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.styles+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OFFICE}.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_OFFICE}.extended-properties+xml"/>'
    "</Types>"
)
