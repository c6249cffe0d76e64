"""OpenDocument text (.odt, LibreOffice Writer's own format) into the document model, read from
its content.xml: headings with their outline level, paragraphs and list items, and tables, where
a cell spanning rows marks the cells it covers below it as merged."""

from __future__ import annotations

import zipfile
from typing import Dict, List
from xml.etree import ElementTree

from dhrtrack.importing.document import Cell, Document, Paragraph, Row, Table

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
MAX_REPEAT = 1000  # a repeated empty row or column at the end of a table is padding, not data


def read_document(path: str) -> Document:
    from dhrtrack.importing import office

    def load() -> Document:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("content.xml"))
        body = root.find(f"{_OFFICE}body/{_OFFICE}text")
        document = Document(path)
        if body is not None:
            _Walk(document).blocks(body)
        return document

    return office.read(path, "odt", load)


def _text(node: ElementTree.Element) -> str:
    """A paragraph's text as it shows: spaces (text:s), tabs and line breaks included."""
    out: List[str] = [node.text or ""]
    for child in node:
        tag = child.tag
        if tag == f"{_TEXT}s":
            out.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif tag == f"{_TEXT}tab":
            out.append("\t")
        elif tag == f"{_TEXT}line-break":
            out.append("\n")
        elif tag not in (f"{_TEXT}note", f"{_OFFICE}annotation"):
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


class _Walk:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, parent: ElementTree.Element) -> None:
        for node in parent:
            tag = node.tag
            if tag in (f"{_TEXT}p", f"{_TEXT}h"):
                self.paragraphs += 1
                level = int(node.get(f"{_TEXT}outline-level", "1")) if tag == f"{_TEXT}h" else 0
                self.document.blocks.append(Paragraph(_text(node), f"paragraph {self.paragraphs}", level))
            elif tag == f"{_TEXT}list":
                for item in node.iter(f"{_TEXT}list-item"):
                    for p in item.findall(f"{_TEXT}p"):
                        self.paragraphs += 1
                        self.document.blocks.append(Paragraph("• " + _text(p), f"paragraph {self.paragraphs}"))
            elif tag == f"{_TABLE}table":
                self.tables += 1
                self.document.blocks.append(self.table(node, self.tables))
            elif tag in (f"{_TEXT}section", f"{_TEXT}soft-page-break") or tag.endswith("}table-of-content"):
                self.blocks(node)

    def table(self, node: ElementTree.Element, number: int) -> Table:
        rows: List[Row] = []
        spanning: Dict[int, int] = {}  # column -> rows still covered by a cell spanning down
        for row_node in node.iter(f"{_TABLE}table-row"):
            repeat = min(int(row_node.get(f"{_TABLE}number-rows-repeated", "1")), MAX_REPEAT)
            cells = self.cells(row_node, spanning)
            for _ in range(repeat):
                rows.append(Row(list(cells), f"table {number}, row {len(rows) + 1}", new_action=True))
            if not any(c.text.strip() for c in cells):
                continue
        while rows and not any(c.text.strip() for c in rows[-1].cells):
            rows.pop()
        return Table(rows, f"table {number}")

    def cells(self, row_node: ElementTree.Element, spanning: Dict[int, int]) -> List[Cell]:
        cells: List[Cell] = []
        for cell in row_node:
            if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                continue
            repeat = min(int(cell.get(f"{_TABLE}number-columns-repeated", "1")), MAX_REPEAT)
            for _ in range(repeat):
                column = len(cells)
                if cell.tag == f"{_TABLE}covered-table-cell":
                    below = spanning.get(column, 0) > 0
                    if below:
                        spanning[column] -= 1
                    cells.append(Cell("", merged=below))
                    continue
                paragraphs = []
                for p in cell.iter():
                    if p.tag in (f"{_TEXT}p", f"{_TEXT}h"):
                        prefix = "• " if _in_list(cell, p) else ""
                        paragraphs.append(prefix + _text(p))
                text = "\n".join(t for t in paragraphs if t.strip())
                down = int(cell.get(f"{_TABLE}number-rows-spanned", "1"))
                if down > 1:
                    spanning[column] = down - 1
                cells.append(Cell(text))
        return cells


def _in_list(cell: ElementTree.Element, paragraph: ElementTree.Element) -> bool:
    return any(paragraph in list(item) for item in cell.iter(f"{_TEXT}list-item"))
