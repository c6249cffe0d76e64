"""Word documents (.docx), read with python-docx into the document model: paragraphs with their
heading level, list numbering and bullets as written, and tables. Merged cells are read once: a
cell merged across columns is one cell, and a cell merged down from the row above is marked
merged in the rows below.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from dhrtrack.importing.document import Cell, Document, Paragraph, Row, Table
from dhrtrack.importing.sheet import colour_rating
from dhrtrack.importing.template import ImportFailed

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_document(path: str) -> Document:
    from dhrtrack.importing import office

    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise ImportFailed("reading .docx files needs python-docx: pip install python-docx") from None
    document = office.read(path, "docx", lambda: docx.Document(path))
    return office.read(path, "docx", lambda: _read(document, path))


def _read(document: Any, path: str) -> Document:
    numbering = _Numbering(_numbering_formats(document), _style_numbering(document))
    levels = _heading_levels(document)
    out = Document(path)
    table_no = paragraph_no = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_no += 1
            text = _paragraph_text(child, numbering, {})
            style = child.find(f"{_W}pPr/{_W}pStyle")
            level = levels.get(style.get(f"{_W}val"), 0) if style is not None else 0
            out.blocks.append(Paragraph(text, f"paragraph {paragraph_no}", level))
        elif tag == "tbl":
            table_no += 1
            rows = [
                Row(
                    [Cell(text, merged, rating=rating) for text, merged, rating in cells],
                    f"table {table_no}, row {n}",
                    new_action=True,
                )
                for n, cells in enumerate(_table_rows(child, numbering), 1)
            ]
            out.blocks.append(Table(rows, f"table {table_no}"))
    return out


def _heading_levels(document: Any) -> Dict[str, int]:
    """Paragraph style id -> heading level: "Heading 2" is 2, "Title" 1 (Word and LibreOffice
    name their heading styles so in every language they write the file in)."""
    found: Dict[str, int] = {}
    try:
        styles = document.styles.element
    except AttributeError:  # pragma: no cover
        return found
    for style in styles.iterchildren(f"{_W}style"):
        name_node = style.find(f"{_W}name")
        name = (name_node.get(f"{_W}val") if name_node is not None else "") or ""
        match = re.match(r"(?i)heading\s*([1-6])$", name)
        if match:
            found[style.get(f"{_W}styleId")] = int(match.group(1))
        elif name.lower() in ("title", "subtitle"):
            found[style.get(f"{_W}styleId")] = 1
    return found


def _table_rows(table: Any, numbering: _Numbering) -> List[List[Tuple[str, bool, Optional[str]]]]:
    """Each row's cells as (text, merged from above, the rating its shading gives); a cell
    spanning columns appears once."""
    rows = []
    for tr in table.iterchildren(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            merged = False
            tc_pr = tc.find(f"{_W}tcPr")
            if tc_pr is not None:
                v_merge = tc_pr.find(f"{_W}vMerge")
                if v_merge is not None and v_merge.get(f"{_W}val") in (None, "continue"):
                    merged = True
            counters: Dict[Tuple[str, str], int] = {}
            paragraphs = [_paragraph_text(p, numbering, counters) for p in tc.iterchildren(f"{_W}p")]
            text = "" if merged else "\n".join(p for p in paragraphs if p.strip())
            shading = tc_pr.find(f"{_W}shd") if tc_pr is not None else None
            rating = colour_rating(shading.get(f"{_W}fill")) if shading is not None else None
            cells.append((text, merged, rating))
            span = tc_pr.find(f"{_W}gridSpan") if tc_pr is not None else None
            for _ in range(int(span.get(f"{_W}val") or 1) - 1 if span is not None else 0):
                cells.append(("", False, None))  # the columns a cell spans: empty, so the next cells keep their columns
        rows.append(cells)
    return rows


class _Numbering:
    """The document's list formats: by (numId, level), and the paragraph styles that number."""

    def __init__(self, formats: Dict[Tuple[str, str], str], styles: Dict[str, Any]):
        self.formats = formats
        self.styles = styles


def _paragraph_text(p: Any, numbering: _Numbering, counters: Dict[Tuple[str, str], int]) -> str:
    breaks = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}
    text = "".join(
        (node.text or "") if node.tag == f"{_W}t" else breaks[node.tag] for node in p.iter(f"{_W}t", *breaks)
    )
    num_pr = p.find(f"{_W}pPr/{_W}numPr")
    if num_pr is None:
        style = p.find(f"{_W}pPr/{_W}pStyle")
        if style is not None:
            num_pr = numbering.styles.get(style.get(f"{_W}val"))
    if num_pr is None or not text.strip():
        return text
    num_id = num_pr.find(f"{_W}numId")
    level = num_pr.find(f"{_W}ilvl")
    key = (num_id.get(f"{_W}val") if num_id is not None else "", level.get(f"{_W}val") if level is not None else "0")
    fmt = numbering.formats.get(key, "bullet")
    if fmt == "bullet":
        return "• " + text
    counters[key] = counters.get(key, 0) + 1
    n = counters[key]
    if fmt in ("lowerLetter", "upperLetter"):
        return f"{chr(ord('a') + (n - 1) % 26)}) {text}"
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
        return f"({roman[(n - 1) % len(roman)]}) {text}"
    return f"{n}. {text}"


def _style_numbering(document: Any) -> Dict[str, Any]:
    """Paragraph styles that number their paragraphs ("List Number", "List Bullet"): style id ->
    its numPr element."""
    found: Dict[str, Any] = {}
    try:
        styles = document.styles.element
    except AttributeError:  # pragma: no cover
        return found
    for style in styles.iterchildren(f"{_W}style"):
        num_pr = style.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            found[style.get(f"{_W}styleId")] = num_pr
    return found


def _numbering_formats(document: Any) -> Dict[Tuple[str, str], str]:
    """(numId, level) -> numFmt ("decimal", "bullet", ...) from the document's numbering part."""
    try:
        part = document.part.numbering_part
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    root = part.element
    abstract: Dict[str, Dict[str, str]] = {}
    for node in root.iterchildren(f"{_W}abstractNum"):
        levels = {}
        for lvl in node.iterchildren(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            levels[lvl.get(f"{_W}ilvl")] = fmt.get(f"{_W}val") if fmt is not None else "bullet"
        abstract[node.get(f"{_W}abstractNumId")] = levels
    out: Dict[Tuple[str, str], str] = {}
    for num in root.iterchildren(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        levels = abstract.get(ref.get(f"{_W}val") if ref is not None else "", {})
        for level, fmt in levels.items():
            out[(num.get(f"{_W}numId"), level)] = fmt
    return out
