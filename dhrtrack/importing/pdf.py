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

import re
from collections import Counter
from typing import Any, Dict, List, Tuple

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
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ImportFailed(f"{path} has {len(pdf.pages)} pages: far more than an action plan")
            return _Reader(path, pdf).read()
    except ImportFailed:
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ImportFailed(f"{path} is not a PDF that can be read: {reason}") from None


class _Reader:
    def __init__(self, path: str, pdf: Any) -> None:
        self.path, self.pdf = path, pdf
        self.document = Document(path)
        self.tables = 0

    def read(self) -> Document:
        pages = [self._page(page, number) for number, page in enumerate(self.pdf.pages, 1)]
        body = _body_size(pages)
        running = _running_lines(pages)
        if running:
            shown = "; ".join(sorted(running))[:200]
            self.document.warnings.append(("pages", f"running headers and footers left out: {shown!r}"))
        if not any(p for p in pages):
            raise ImportFailed(
                f"{self.path} has no text to read: it is a scan (an image of pages); dhrtrack reads a PDF's "
                "text, so import the document it was made from, or run it through OCR first"
            )
        previous_was_table = False
        last_size = 0.0
        for number, items in enumerate(pages, 1):
            for top, kind, content in items:
                if kind == "line":
                    text, size = content
                    if _PAGE_NUMBER.match(text.strip()) or text.strip() in running:
                        continue
                    level = 1 if body and size >= body * 1.15 else 0
                    last = self.document.blocks[-1] if self.document.blocks else None
                    if level and isinstance(last, Paragraph) and last.level == level and last_size == size:
                        last.text += " " + text  # a heading that runs over two lines
                    else:
                        self.document.blocks.append(Paragraph(text, f"page {number}", level))
                    last_size = size
                    previous_was_table = False
                else:
                    table: Table = content
                    if previous_was_table and top < 120 and table.rows:
                        table.rows[0].new_action = None  # may be the last row of the page before, going on
                    self.document.blocks.append(table)
                    previous_was_table = True
        return self.document

    def _page(self, page: Any, number: int) -> List[Tuple[float, str, Any]]:
        """The page's tables and text lines outside them, top to bottom."""
        found = page.find_tables()
        aligned = False
        if not found:
            found = [
                t
                for t in page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"})
                if len(t.columns) >= 3
            ]
            aligned = True
        items: List[Tuple[float, str, Any]] = []
        boxes = []
        for found_table in found:
            table = self._table(page, found_table, number)
            if aligned and not any(is_header_row(r.texts) for r in table.rows):
                # An aligned block with no heading row: a table only if it goes on from the page
                # before (the builder decides); its text is otherwise the page's lines.
                table.source += " (aligned, no rules)"
            boxes.append(found_table.bbox)
            items.append((found_table.bbox[1], "table", table))
        for line in page.extract_text_lines(keep_blank_chars=False):
            middle = (line["top"] + line["bottom"]) / 2
            if any(
                x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
                for x0, top, x1, bottom in boxes
            ):
                continue
            size = max((c.get("size", 0) for c in line["chars"]), default=0)
            items.append((line["top"], "line", (line["text"], size)))
        items.sort(key=lambda item: item[0])
        return items

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
        if out and _cut(lines[index - 1], x1) and text[:1].islower():
            out[-1] += text
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


def _starts_paragraph(previous: str, line: str) -> bool:
    """Whether a cell's line starts a paragraph of its own, not the sentence above going on: a
    list item, a new sentence, or one of several dates or ratings written a line each."""
    if _MARKER.match(line):
        return True
    if previous[-1:] in ".:;!?" and (line[:1].isupper() or line[:1].isdigit()):
        return True
    return previous[-1:].isdigit() and bool(_DATE_START.match(line))


def _cut(line: Dict[str, Any], right: float) -> bool:
    """Whether a line is one word running to the cell's right edge: a word too long for the
    column, cut there (a line of several words was wrapped at a space)."""
    text = line["text"].strip()
    chars = line["chars"]
    if not chars or " " in text or not text[-1:].isalpha():
        return False
    width = chars[-1]["x1"] - chars[-1]["x0"]
    return line["x1"] >= right - 2 * width - 4


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
