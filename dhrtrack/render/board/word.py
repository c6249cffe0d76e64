"""The board paper as a Word document (python-docx), the form most councils table."""

from __future__ import annotations

from typing import Any, List, Sequence

from dhrtrack.render.board.common import (
    ACTION_COLUMNS,
    TARGET_NOTE,
    TIMELINESS_HEADERS,
    action_cells,
    cover,
    exception_items,
    pct,
    timeliness_cells,
    timeliness_note,
    when,
)
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.wording import bidi_safe, plural

RAG_SHADES = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "complete": "BDD7EE"}


def to_docx(board: Board) -> bytes:
    """The paper as a Word document: the marking in every page's header and footer, page N of
    M in the footer, the cover block, and tables whose heading row repeats on every page."""
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    wide, narrow = Mm(297), Mm(210)
    if board.paper.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = wide, narrow
    else:
        section.page_width, section.page_height = narrow, wide
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Mm(14))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    marking = board.paper.marking
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        header.add_run(marking).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        footer.add_run(marking + "    ").bold = True
    footer.add_run("page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")

    document.core_properties.title = board.title
    if board.paper.author:
        document.core_properties.author = board.paper.author
    document.add_heading(board.title, level=0)
    for label, value in cover(board):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_heading("Exceptions", level=1)
    for n, label in exception_items(board):
        document.add_paragraph(f"{n} {label}", style="List Bullet")
    if board.left_out:
        document.add_heading(f"Plans left out of this report ({len(board.left_out)})", level=1)
        document.add_paragraph("These plan files are not valid, so nothing in them is counted below.")
        for item in board.left_out:
            document.add_paragraph(item.splitlines()[0], style="List Bullet")
    t = board.totals
    document.add_heading("Headline figures", level=1)
    for line in (
        f"{plural(len(board.reviews), 'review')}, {plural(t['actions'], 'action')}",
        f"{pct(t['complete'], t['actions'])}% complete ({t['complete']})",
        f"{t['overdue']} overdue, {t['missing_rag']} unrated, {t['no_target']} without a target",
    ):
        document.add_paragraph(line, style="List Bullet")
    _docx_actions(document, board, f"Red and amber actions ({len(board.attention)})", board.attention, "Latest update")
    if board.since is not None:
        document.add_heading(f"Changes since {board.since}", level=1)
        for title, items in board.change_sections:
            document.add_heading(f"{title} ({len(items)})", level=2)
            for item in items or ["None."]:
                document.add_paragraph(item, style="List Bullet" if items else None)
    document.add_heading("Completion by review", level=1)
    _docx_table(
        document,
        ["Review", "Actions", "Complete", "Green", "Amber", "Red", "Unrated", "Overdue", "No target"],
        [
            [
                r["review"],
                r["actions"],
                f"{r['complete']} ({pct(r['complete'], r['actions'])}%)",
                r["green"],
                r["amber"],
                r["red"],
                r["missing_rag"],
                r["overdue"],
                r["no_target"],
            ]
            for r in board.reviews
        ],
    )
    document.add_heading("Actions by lead agency", level=1)
    _docx_table(
        document,
        ["Agency", "Actions", "Open", "Overdue", "Unrated", "Complete", "Oldest overdue"],
        [
            [
                a["agency"],
                a["actions"],
                a["open"],
                a["overdue"],
                a["missing_rag"],
                f"{a['percent_complete']}%",
                f"{a['oldest_overdue']['review']} {a['oldest_overdue']['action']} "
                f"(due {when(board, a['oldest_overdue']['due'])})"
                if a["oldest_overdue"]
                else "—",
            ]
            for a in board.agencies
        ],
    )
    document.add_heading("Timeliness", level=1)
    document.add_paragraph(timeliness_note(board))
    _docx_table(
        document,
        ["Agency", *TIMELINESS_HEADERS],
        [[row["agency"], *timeliness_cells(row)] for row in board.timeliness],
    )
    document.add_heading("Completions by quarter", level=2)
    _docx_table(
        document,
        [q["quarter"] for q in board.completions_by_quarter],
        [[q["completed"] for q in board.completions_by_quarter]],
    )
    _docx_actions(document, board, f"Overdue actions ({len(board.overdue)})", board.overdue, "Overdue by")
    _docx_actions(document, board, f"Unrated actions ({len(board.unrated)})", board.unrated, TARGET_NOTE)
    document.add_paragraph(f"Produced by dhrtrack on the plans as of {when(board, board.as_of.isoformat())}.")
    _bidi_safe(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _bidi_safe(document: Any) -> None:
    """Every text in the document, headers and footers included, without bidirectional controls
    (wording.bidi_safe, the rule every renderer applies): one pass over the finished document
    rather than a call at each of the places text goes in."""
    from docx.oxml.ns import qn

    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)  # the XML parts: body, headers, footers, styles
        for text in element.iter(qn("w:t")) if element is not None else ():
            if text.text:
                text.text = bidi_safe(text.text)
    document.core_properties.title = bidi_safe(document.core_properties.title or "")


def _field(paragraph: object, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)  # type: ignore[attr-defined]


def _docx_table(document: object, headers: List[str], rows: Sequence[Sequence[object]], rag_column: int = -1) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    heading = table.rows[0]
    for cell, text in zip(heading.cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    # The heading row repeats at the top of every page the table runs onto.
    properties = heading._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values)):
            cell.text = "" if value is None else str(value)
            shade = RAG_SHADES.get(str(value)) if i == rag_column else None
            if shade:
                fill = OxmlElement("w:shd")
                fill.set(qn("w:val"), "clear")
                fill.set(qn("w:color"), "auto")
                fill.set(qn("w:fill"), shade)
                cell._tc.get_or_add_tcPr().append(fill)


def _docx_actions(document: object, board: Board, title: str, actions: List[ActionRow], note: str) -> None:
    document.add_heading(title, level=1)  # type: ignore[attr-defined]
    if not actions:
        document.add_paragraph("None.")  # type: ignore[attr-defined]
        return
    _docx_table(
        document,
        [*ACTION_COLUMNS, note],
        [action_cells(board, r, note) for r in actions],
        rag_column=5,
    )
