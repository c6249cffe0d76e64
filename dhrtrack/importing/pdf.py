"""PDF (the form partnerships most often publish a plan in: an appendix of the overview report)
into the document model, with pdfplumber.

- Ruled tables are found by their lines; on a page with none, a table aligned by its columns is
  taken when it has a heading row, or goes on with the table of the page before.
- A cell's text is read line by line; a line broken inside a word because the word did not fit
  the column ("Recommenda" / "tion") is joined back.
- A cell covered by one above it (merged down) is marked merged; one covered by a cell to its
  left (spanning columns) is empty.
- The first row of a table at the top of a page may be the last row of the page before going
  on: the words decide (Row.new_action None); every other row is a row of its own.
- Text outside the tables is paragraphs, a heading where its type is larger than the body's;
  a running header or footer (the same line on most pages, "Page 3 of 12") is left out, once
  named in a warning.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections import Counter
from typing import Any, Dict, Iterator, List, Optional, Tuple

from dhrtrack.importing import aligned
from dhrtrack.importing.document import Cell, Document, Paragraph, Row, Table
from dhrtrack.importing.headings import is_header_row
from dhrtrack.importing.template import ImportFailed

MAX_PAGES = 500
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^tudalen\s*\d+", re.IGNORECASE)


def read_document(path: str) -> Document:
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        raise ImportFailed("reading PDF files needs pdfplumber: pip install pdfplumber") from None
    try:
        with _quiet(), pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ImportFailed(f"{path} has {len(pdf.pages)} pages: far more than an action plan")
            return _Reader(path, pdf).read()
    except ImportFailed:
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ImportFailed(f"{path} is not a PDF that can be read: {reason}") from None


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pdfminer logs what it makes of a damaged page ("MediaBox missing from /Page ... defaulting
    to US Letter") and Python prints such records on stderr when no one set up logging: the
    user's stderr (under --format json, errors only) is not the library's. Its warnings too."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    saved = [(logger.propagate, logger.handlers[:]) for logger in loggers]
    for logger in loggers:
        logger.propagate = False
        logger.handlers = [logging.NullHandler()]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, (propagate, handlers) in zip(loggers, saved):
            logger.propagate, logger.handlers = propagate, handlers


class _Reader:
    def __init__(self, path: str, pdf: Any) -> None:
        self.path, self.pdf = path, pdf
        self.document = Document(path)
        self.tables = 0
        self.columns: Optional[List[float]] = None  # an aligned table's column boundaries, going on over pages

    def read(self) -> Document:
        pages = [self._page(page, number) for number, page in enumerate(self.pdf.pages, 1)]
        body = _body_size(pages)
        running = _running_lines(pages)
        if running:
            shown = "; ".join(sorted(running))
            self.document.warnings.append(("pages", f"running headers and footers left out: {shown!r}"))
        if not any(p for p in pages):
            raise ImportFailed(
                f"{self.path} has no text to read: it is a scan (an image of pages); dhrtrack reads a PDF's "
                "text, so import the document it was made from, or run it through OCR first"
            )
        previous_was_table = False
        previous_heading: Optional[List[str]] = None  # the heading row of the table before
        previous_table: Optional[Table] = None
        last_size, last_bottom, last_page = 0.0, 0.0, 0
        for number, items in enumerate(pages, 1):
            for top, kind, content in items:
                if kind == "line":
                    text, size, bottom = content
                    if _PAGE_NUMBER.match(text.strip()) or text.strip() in running:
                        continue
                    level = 1 if body and size >= body * 1.15 else 0
                    last = self.document.blocks[-1] if self.document.blocks else None
                    # A line close under the one above, in the same type, goes on with its
                    # paragraph (wrapped by the page's width), unless it starts a list item.
                    close = top - last_bottom < 0.45 * size and last_page == number
                    if (
                        isinstance(last, Paragraph)
                        and last.level == level
                        and last_size == size
                        and (level or (close and not _STARTS_ITEM.match(text)))
                    ):
                        last.text += " " + text
                    else:
                        self.document.blocks.append(Paragraph(text, f"page {number}", level))
                    last_size, last_bottom, last_page = size, bottom, number
                    previous_was_table = False
                else:
                    table: Table = content
                    heading = _heading_texts(table)
                    if previous_was_table and heading is not None and heading == previous_heading:
                        # A table broken across pages repeats its heading row on each page (Word's
                        # "repeat as header row"): the row under it is the one at the top.
                        table.rows.pop(0)
                    elif heading is not None:
                        previous_heading = heading
                    if previous_was_table and top < 120 and table.rows and table.rows[0].new_action:
                        # The last row of the page before may go on here: it does when its cells
                        # start in the middle of a sentence or a word; else the words decide. A
                        # row some of whose cells go on and others start afresh is a new row
                        # under a cell merged down across the page break (a recommendation
                        # spanning its actions): those cells' text goes on in the row above.
                        first = table.rows[0]
                        going_on = _going_on(first)
                        starting = [i for i, c in enumerate(first.cells) if c.text.strip() and i not in going_on]
                        above = previous_table.rows[-1] if previous_table and previous_table.rows else None
                        if going_on and not starting:
                            first.new_action = False
                        elif going_on and above is not None and all(i < len(above.cells) for i in going_on):
                            for i in going_on:
                                above.cells[i].text = f"{above.cells[i].text} {first.cells[i].text}".strip()
                                first.cells[i].text = ""
                        else:
                            first.new_action = None
                    self.document.blocks.append(table)
                    previous_was_table, previous_table = True, table
        return self.document

    def _page(self, page: Any, number: int) -> List[Tuple[float, str, Any]]:
        """The page's tables and text lines outside them, top to bottom."""
        found = page.find_tables()
        items: List[Tuple[float, str, Any]] = []
        boxes = []
        for found_table in found:
            boxes.append(found_table.bbox)
            items.append((found_table.bbox[1], "table", self._table(page, found_table, number)))
        lines = []
        for line in page.extract_text_lines(keep_blank_chars=False):
            middle = (line["top"] + line["bottom"]) / 2
            if any(
                x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
                for x0, top, x1, bottom in boxes
            ):
                continue
            lines.append(line)
        if not found:
            table, lines = self._aligned(lines, number)
            if table is not None:
                items.append((table[0], "table", table[1]))
        for line in lines:
            size = max((c.get("size", 0) for c in line["chars"]), default=0)
            items.append((line["top"], "line", (line["text"], size, line["bottom"])))
        items.sort(key=lambda item: item[0])
        return items

    def _aligned(
        self, lines: List[Dict[str, Any]], number: int
    ) -> Tuple[Optional[Tuple[float, Table]], List[Dict[str, Any]]]:
        """A table with no rules, aligned by its columns (a spreadsheet printed to PDF): found by
        its heading line; its columns by the alignment of the words of all its lines
        (dhrtrack.importing.aligned). Returns the table (with its top) and the lines that are not
        in it."""
        for index, line in enumerate(lines):
            heading = aligned.cells(_line_words(line), _size(line))
            texts = [" ".join(t for _x0, _x1, t in cell) for cell in heading]
            if len(heading) >= 3 and is_header_row(texts):
                return self._aligned_rows(lines, index, number)
        if self.columns is not None and lines and self._fits(lines[0], self.columns):
            return self._aligned_rows(lines, -1, number)  # goes on from the page before
        self.columns = None
        return None, lines

    @staticmethod
    def _fits(line: Dict[str, Any], boundaries: List[float]) -> bool:
        """Whether a line is a row of a table with these column boundaries: words in two columns
        or more, and no running text across them."""
        found = _line_words(line)
        used = {aligned.column(x0, boundaries, len(boundaries) + 1) for x0, _x1, _t in found}
        return len(used) >= 2 and not aligned.runs_over(found, boundaries, _size(line))

    def _aligned_rows(
        self, lines: List[Dict[str, Any]], index: int, number: int
    ) -> Tuple[Optional[Tuple[float, Table]], List[Dict[str, Any]]]:
        self.tables += 1
        table = Table([], f"page {number}, table {self.tables} (aligned, no rules)")
        rest = lines[:index] if index >= 0 else []
        body = lines[index + 1 :]
        for at in range(1, len(body)):
            if body[at]["top"] - body[at - 1]["bottom"] > 3 * _size(body[at - 1]):
                rest += body[at:]  # text well below the table (a note, a signature) is not in it
                body = body[:at]
                break
        heading = [lines[index]] if index >= 0 else []
        while heading and body and _heading_goes_on(heading[-1], body[0]):
            heading.append(body.pop(0))  # a heading wrapped in its cell: "Target" / "date"
        if heading:
            # The columns: where the words of the heading and of the lines below it align. A
            # line of running text below the table (a note, a footer) is not one of them.
            size = _size(heading[0])
            heads = [_line_words(h) for h in heading]
            rows = [_line_words(line) for line in body]
            rows = [words for words in rows if not aligned.running_text(words, heads, size)]
            self.columns = aligned.cuts(heads, rows, size)
        boundaries = self.columns or []
        columns = len(boundaries) + 1
        if heading:
            texts = ["" for _ in range(columns)]
            for line in heading:
                for i, text in enumerate(aligned.split(_line_words(line), boundaries, columns)):
                    texts[i] = f"{texts[i]} {text}".strip()
            table.rows.append(Row([Cell(t) for t in texts], f"page {number}, table {self.tables}, row 1", True))
        for position, line in enumerate(body):
            found = _line_words(line)
            cells = aligned.split(found, boundaries, columns)
            if not any(cells):
                continue
            if aligned.runs_over(found, boundaries, _size(line)):
                rest.append(line)  # running text: a word over a column boundary
                continue
            if position and not cells[0] and table.rows and (not heading or len(table.rows) > 1):
                last = table.rows[-1]
                for cell, text in zip(last.cells, cells):
                    if text:
                        # A line wrapped by the column's width goes on in its sentence; a list
                        # item, or one of several dates or ratings a line, starts a line of its own.
                        joined = "\n" if _starts_paragraph(cell.text.split("\n")[-1], text) else " "
                        cell.text = f"{cell.text}{joined}{text}" if cell.text else text
                continue
            new_action: Optional[bool] = True if (heading or position) else None
            table.rows.append(
                Row(
                    [Cell(c) for c in cells],
                    f"page {number}, table {self.tables}, row {len(table.rows) + 1}",
                    new_action,
                )
            )
        top = (lines[index]["top"] if index >= 0 else body[0]["top"]) if (lines and (index >= 0 or body)) else 0.0
        return (top, table), rest

    def _table(self, page: Any, found: Any, number: int) -> Table:
        self.tables += 1
        rows: List[Row] = []
        for row_number, row in enumerate(found.rows, 1):
            cells: List[Cell] = []
            for column, bbox in enumerate(row.cells):
                if bbox is None:
                    # Covered: by the cell to its left (spanning columns), or by one above.
                    left = next((b for b in reversed(row.cells[:column]) if b is not None), None)
                    spanned = (
                        left is not None and column < len(found.columns) and left[2] > found.columns[column].bbox[0] + 1
                    )
                    cells.append(Cell("", merged=not spanned and bool(rows)))
                    continue
                cells.append(Cell(_cell_text(page, bbox)))
            rows.append(Row(cells, f"page {number}, table {self.tables}, row {row_number}", new_action=True))
        return Table(rows, f"page {number}, table {self.tables}")


def _heading_texts(table: Table) -> Optional[List[str]]:
    """The table's first row, folded, when it is a heading row; else None."""
    if not table.rows:
        return None
    texts = [" ".join(c.text.split()).casefold() for c in table.rows[0].cells]
    return texts if is_header_row([c.text for c in table.rows[0].cells]) else None


def _going_on(row: Row) -> List[int]:
    """The cells of a row at the top of a page that go on from the row above: those that start
    in lower case or with punctuation (a sentence or a word going on)."""
    return [
        i
        for i, c in enumerate(row.cells)
        if c.text.strip() and (c.text.strip()[0].islower() or c.text.strip()[0] in ".,;:)")
    ]


def _line_words(line: Dict[str, Any]) -> List[aligned.Word]:
    return aligned.words(line["chars"])


def _size(line: Dict[str, Any]) -> float:
    return max((c.get("size", 0) for c in line["chars"]), default=10) or 10


def _bold(line: Dict[str, Any]) -> bool:
    return all("bold" in str(c.get("fontname", "")).lower() for c in line["chars"])


def _heading_goes_on(heading: Dict[str, Any], line: Dict[str, Any]) -> bool:
    """Whether the line under a heading line is the heading's wrapped words ("Target" / "date"):
    close under it, and in the heading's bold type, or (headings in body type) with no figures and
    every word under one of the heading's cells."""
    if line["top"] - heading["bottom"] > 0.6 * _size(heading):
        return False
    if _bold(heading):
        return _bold(line)
    size = _size(heading)
    cells = [(run[0][0], run[-1][1]) for run in aligned.cells(_line_words(heading), size)]
    return not any(c["text"].isdigit() for c in line["chars"]) and all(
        any(x0 < x1 + size / 2 and start - size / 2 < end for x0, x1 in cells) for start, end, _t in _line_words(line)
    )


def _cell_text(page: Any, bbox: Tuple[float, float, float, float]) -> str:
    """The cell's lines; a word too long for the column, cut at its edge (the next line going on
    in lower case), is joined back: "Recommenda" + "tion"."""
    x0, top, x1, bottom = bbox

    def inside(obj: Dict[str, Any]) -> bool:
        # A character belongs to the cell its middle is in (its box may reach over the rule).
        if obj.get("object_type") != "char":
            return False
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return x0 <= x <= x1 and top <= y <= bottom

    lines = [line for line in page.filter(inside).extract_text_lines() if line["text"].strip()]
    out: List[str] = []
    for index, line in enumerate(lines):
        text = line["text"].strip()
        if out and (_cut(lines[index - 1], text, x0, x1) or (text[:1].islower() and _HYPHENATED.search(out[-1]))):
            out[-1] += text  # a word cut by the edge, or at its hyphen ("information-" / "sharing")
        elif out and not _starts_paragraph(out[-1], text):
            out[-1] += " " + text  # a line wrapped by the column's width: the sentence goes on
        else:
            out.append(text)
    return "\n".join(out)


_MARKER = re.compile(r"^(?:[•▪◦●■‣⁃*–—-]\s|\(?[0-9]{1,2}[.)]\s|\(?[a-z][.)]\s|\(?(?:i|ii|iii|iv|v|vi)\)\s)")
_DATE_START = re.compile(
    r"^(?:[0-9]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ion|chw|maw|ebr|mai|meh|gor|aws|med|hyd|tach|rhag)[a-z]*\b)",
    re.IGNORECASE,
)


_HYPHENATED = re.compile(r"[A-Za-z]-$")
# What starts a paragraph of its own in running text: a list item, a numbered point (3.1), a
# recommendation, or a label ("Lead:", "Target date:").
_STARTS_ITEM = re.compile(
    r"^\s*(?:[•▪◦●■‣⁃*–—-]\s|\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]?\s|\(?[a-z][.)]\s|(?:recommendation|rec|argymhelliad)\s*\d|"
    r"[A-Z][A-Za-z'’ ]{1,30}:\s)",
    re.IGNORECASE,
)


def _starts_paragraph(previous: str, line: str) -> bool:
    """Whether a cell's line starts a paragraph of its own, not the sentence above going on: a
    list item, or one of several dates or ratings written a line each (a sentence that happens
    to end at the end of a line goes on in the same paragraph)."""
    from dhrtrack.importing.cells import parse_date, parse_rag

    if _MARKER.match(line):
        return True
    return (parse_date(previous) is not None or parse_rag(previous) is not None) and bool(_DATE_START.match(line))


# Words that start a line on their own far more often than they end a word cut in two: where
# the next line starts with one, the line before was wrapped, not cut ("Agencies" / "should").
_WHOLE_WORDS = frozenset(
    """a about after all also an and any are as at be been before being between both but by can
    could did do does each for from had has have how if in into is it its may more most must no
    not of on one or other our out over should so some such than that the their them then there
    these they this those through to under up was we were what when where which while who will
    with within without would you review staff work services service agencies agency council
    police health training plan action actions report case cases family families victims victim
    risk information share sharing record records staff's year years month months date""".split()
)


def _cut(line: Dict[str, Any], following: str, left: float, right: float) -> bool:
    """Whether a line is a word the cell's edge cut, going on at the start of the next line. A
    word processor cuts a word (or a date) only when it is longer than the column is wide: the
    line is that one word, filled to the cell's text edge, and the next line starts with the
    rest of it, in lower case or digits ("Recomm" / "endation", "2/02/202" / "6"). A word
    wrapped whole ("form" / "with", "Commission" / "multi-agency") leaves room at the edge."""
    text = line["text"].strip()
    chars = line["chars"]
    if not chars or " " in text or not text[-1:].isalnum() or not following[:1].isalnum():
        return False
    if following[:1].isupper() or (text[-1:].isdigit() != following[:1].isdigit()):
        return False
    if following.split()[0].strip(".,;:)").lower() in _WHOLE_WORDS:
        return False  # the next line starts with a word of its own: a wrap, not a cut
    padding = max(line["x0"] - left, 0.0)  # the cell's margin, the same on both sides
    width = chars[-1]["x1"] - chars[-1]["x0"]
    return line["x1"] >= right - padding - 1.0 * width


def _body_size(pages: List[List[Tuple[float, str, Any]]]) -> float:
    sizes: Counter = Counter()
    for items in pages:
        for _top, kind, content in items:
            if kind == "line":
                sizes[round(content[1], 1)] += len(content[0])
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _running_lines(pages: List[List[Tuple[float, str, Any]]]) -> Dict[str, int]:
    """Lines at the top or bottom of most pages (three pages or more): headers and footers."""
    if len(pages) < 3:
        return {}
    seen: Counter = Counter()
    for items in pages:
        lines = [content[0].strip() for _top, kind, content in items if kind == "line"]
        edges = set(lines[:2] + lines[-2:])
        seen.update(line for line in edges if line and not _PAGE_NUMBER.match(line))
    return {line: count for line, count in seen.items() if count >= max(3, len(pages) // 2 + 1)}
