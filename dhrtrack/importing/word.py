"""Word documents (.docx) whose tables use the template columns, read with python-docx.

Merged cells are read once: a cell merged across columns is one cell, and a cell merged down
from the row above is blank in the rows below (as in the exported text). A table split across
pages, or into one table per page with the headings repeated, reads as one table.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from dhrtrack.importing.headings import TEMPLATE_ORDER, Columns, is_header_row, map_headings, section_title
from dhrtrack.importing.template import Header, ImportFailed, Item, Note, Section, Unplaced, row_of

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: str) -> Tuple[List[str], List[Item]]:
    from dhrtrack.importing import office

    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise ImportFailed("reading .docx files needs python-docx: pip install python-docx") from None
    document = office.read(path, "docx", lambda: docx.Document(path))
    return office.read(path, "docx", lambda: _read(document, path))


def _read(document: Any, path: str) -> Tuple[List[str], List[Item]]:
    numbering = _Numbering(_numbering_formats(document), _style_numbering(document))
    body: List[Tuple[str, Any]] = []  # ("p", text) or ("tbl", rows), in document order
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            body.append(("p", _paragraph_text(child, numbering, {})))
        elif tag == "tbl":
            body.append(("tbl", _table_rows(child, numbering)))
    tables = [rows for kind, rows in body if kind == "tbl"]
    if not tables:
        raise ImportFailed(f"{path} has no tables: an action plan is a table with the template's columns")
    has_header = any(is_header_row([t for t, _m in cells]) for rows in tables for cells in rows)
    heading: List[str] = []
    items: List[Item] = []
    columns = Columns(fields=dict(enumerate(TEMPLATE_ORDER)))
    in_table = False
    table_no = 0
    seen: set = set()
    for kind, content in body:
        if kind == "p":
            text = content
            if not text.strip():
                continue
            title = section_title(text)
            if title is not None:
                in_table = True
                items.append(Section(title[0], title[1], f"paragraph {text[:30]!r}"))
            elif not in_table:
                heading.append(" ".join(text.split()))
            else:
                items.append(Unplaced(text.strip(), "text between tables"))
            continue
        table_no += 1
        above: List[str] = []
        for row_no, cells in enumerate(content, 1):
            source = f"table {table_no}, row {row_no}"
            texts = [text for text, _merged in cells]
            distinct = {t.strip() for t in texts if t.strip()}
            title = section_title(next(iter(distinct))) if len(distinct) == 1 else None
            if title is not None:
                in_table = True
                items.append(Section(title[0], title[1], source))
                continue
            if is_header_row(texts):
                in_table = True
                columns = map_headings(texts)
                items.append(Header(texts, source))
                items += [Note(w, source) for w in columns.warnings if w not in seen]
                seen.update(columns.warnings)
                above = []
                continue
            if not in_table and has_header:  # a table above the plan's own: part of the title block
                heading.append(" ".join(" ".join(t for t in texts if t.strip()).split()))
                continue
            in_table = True
            # A cell merged down from the row above reads as the value above (one target, lead
            # or rating for several rows), except the action's: a merged action cell is the
            # action above going on.
            action_index = columns.index("action")
            for i, (_text, merged) in enumerate(cells):
                if merged and i != action_index and i < len(above):
                    texts[i] = above[i]
            above = texts
            own_action = (
                action_index is not None
                and action_index < len(cells)
                and not cells[action_index][1]
                and bool(cells[action_index][0].strip())
            )
            items.append(row_of(texts, columns, source, new_action=own_action))
    return heading, items


def _table_rows(table: Any, numbering: _Numbering) -> List[List[Tuple[str, bool]]]:
    """Each row's cells as (text, merged from above); a cell spanning columns appears once."""
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
            cells.append((text, merged))
            span = tc_pr.find(f"{_W}gridSpan") if tc_pr is not None else None
            for _ in range(int(span.get(f"{_W}val") or 1) - 1 if span is not None else 0):
                cells.append(("", False))  # the columns a cell spans: empty, so the next cells keep their columns
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
