"""The board paper as a Word document, the form most councils table.

python-docx lays out the document around the tables (styles, the page, header and footer, the
headings and lists, the charts); the tables are written as WordprocessingML text straight into
word/document.xml as the package is saved, a row at a time. python-docx builds several objects a
cell and takes about a millisecond an action, so a national paper's tables through it took
minutes and a gigabyte; written as text they take a fraction of a second and memory does not grow
with the rows (the package is streamed, part by part).

Every table has a fixed layout whose column widths come from its content and the page width
(see column_widths), rows that never split across pages, and a heading row that repeats on every
page the table runs onto."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

from dhrtrack.i18n import N_, _, n_, tag
from dhrtrack.plan.fields import kind_name
from dhrtrack.render.board import charts
from dhrtrack.render.board.common import (
    ACTION_COLUMNS,
    COMPLETED_NOTE,
    SEGMENTS,
    TARGET_NOTE,
    TIMELINESS_HEADERS,
    action_cells,
    cover,
    exception_items,
    more,
    note_heading,
    oldest_words,
    pct,
    quarter_words,
    segment_name,
    shown,
    timeliness_cells,
    timeliness_note,
    when,
)
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.reports.narrative import ASKED, INTRODUCTION, Block
from dhrtrack.wording import bidi_safe, rag_word

RAG_SHADES = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "complete": "BDD7EE"}
HEADING_SHADE = "E8E8E8"

TWIPS_PER_MM = 1440 / 25.4
MARGIN_MM = 14
CHAR_TWIPS = 100  # the mean width of a character of 9pt Arial, with a little to spare
PAD_TWIPS = 2 * 108 + 30  # the table style's cell margins, and the cell borders
LONGEST_WORD = 24  # a longer "word" (a web address) may break rather than widen its column

TEXT, NUMBER, NOWRAP = "text", "number", "nowrap"  # how a column's cells wrap


@dataclass
class _Table:
    headers: Sequence[str]
    kinds: Sequence[str]
    rows: Sequence[Sequence[str]]
    shade_column: int = -1  # the RAG column, its cells shaded by rating


def to_docx(board: Board) -> bytes:
    """The paper as a Word document: the marking in every page's header and footer, page N of
    M in the footer, the cover block, the charts, and the tables."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    wide, narrow = Mm(297), Mm(210)
    if board.paper.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = wide, narrow
    else:
        section.page_width, section.page_height = narrow, wide
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Mm(MARGIN_MM))
    page_twips = int(((297 if board.paper.landscape else 210) - 2 * MARGIN_MM) * TWIPS_PER_MM)
    _styles(document)
    _header_and_footer(section, board.paper.marking)
    _properties(document, board)
    tables: List[_Table] = []
    marker = "dhrtrack-table-" + secrets.token_hex(8)

    def table(value: _Table) -> None:
        """A placeholder paragraph, replaced by the table as the package is saved."""
        document.add_paragraph(f"{marker}-{len(tables)}")
        tables.append(value)

    def actions(title: str, key: str, note: str, note_kind: str) -> None:
        """An action table under its heading; note is the last column's message (TARGET_NOTE, ...)."""
        document.add_heading(title, level=1)
        every: List[ActionRow] = getattr(board, key)
        if not every:
            document.add_paragraph(_("None."))
            return
        rows = shown(board, every)
        table(
            _Table(
                [*ACTION_COLUMNS, note_heading(note)],
                # Only the id never wraps: a review's name, a date and a rating may (as on the web page).
                [TEXT, NOWRAP, TEXT, TEXT, TEXT, TEXT, note_kind],
                [action_cells(board, r, note) for r in rows],
                shade_column=5,
            )
        )
        _more(document, board, key, every)

    _body(document, board, table, actions)
    _bidi_safe(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_tables(buffer.getvalue(), marker, tables, page_twips)


def _body(
    document: object,
    board: Board,
    table: Callable[[_Table], None],
    actions: Callable[[str, str, str, str], None],
) -> None:
    d = document  # python-docx's Document: untyped
    d.add_heading(board.title, level=0)  # type: ignore[attr-defined]
    for label, value in cover(board):
        paragraph = d.add_paragraph()  # type: ignore[attr-defined]
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    narrative = board.narrative
    if narrative and narrative.introduction:
        d.add_heading(_(INTRODUCTION), level=1)  # type: ignore[attr-defined]
        _narrative(d, narrative.introduction)
    d.add_heading(_("Exceptions"), level=1)  # type: ignore[attr-defined]
    for n, label in exception_items(board):
        paragraph = d.add_paragraph(style="List Bullet")  # type: ignore[attr-defined]
        paragraph.add_run(str(n)).bold = True
        paragraph.add_run(f" {label}")
    if board.left_out:
        left_out = _("Plans left out of this report ({count})").format(count=len(board.left_out))
        d.add_heading(left_out, level=1)  # type: ignore[attr-defined]
        d.add_paragraph(  # type: ignore[attr-defined]
            _(
                "These plan files are not valid, so nothing in them is counted below. Fix them and "
                "produce the report again."
            )
        )
        for item in board.left_out:
            d.add_paragraph(item.splitlines()[0], style="List Bullet")  # type: ignore[attr-defined]
    t = board.totals
    d.add_heading(_("Headline figures"), level=1)  # type: ignore[attr-defined]
    bold = "\0"  # where a figure goes in its line: said in bold
    for line in (
        n_("{n} review", "{n} reviews", len(board.reviews)).format(n=f"{bold}{len(board.reviews)}{bold}")
        + ", "
        + n_("{n} action", "{n} actions", t["actions"]).format(n=t["actions"]),
        _("{percent} complete ({count})").format(
            percent=f"{bold}{pct(t['complete'], t['actions'])}%{bold}", count=t["complete"]
        ),
        _("{overdue} overdue, {unrated} unrated, {no_target} without a target").format(
            overdue=f"{bold}{t['overdue']}{bold}", unrated=t["missing_rag"], no_target=t["no_target"]
        ),
    ):
        paragraph = d.add_paragraph(style="List Bullet")  # type: ignore[attr-defined]
        for n, part in enumerate(line.split(bold)):
            if part:
                paragraph.add_run(part).bold = n % 2 == 1 or None
    if narrative and narrative.asked:
        d.add_heading(_(ASKED), level=1)  # type: ignore[attr-defined]
        _narrative(d, narrative.asked)
    attention = _("Red and amber actions ({count})").format(count=len(board.attention))
    actions(attention, "attention", N_("Latest update"), TEXT)
    if board.claimed:
        claimed = _("Completions claimed, not verified ({count})").format(count=len(board.claimed))
        actions(claimed, "claimed", COMPLETED_NOTE, TEXT)
    if board.since is not None:
        d.add_heading(_("Changes since {since}").format(since=board.since), level=1)  # type: ignore[attr-defined]
        for title, key, items in board.change_sections:
            d.add_heading(f"{title} ({len(items)})", level=2)  # type: ignore[attr-defined]
            for item in shown(board, items) or [_("None.")]:
                d.add_paragraph(item, style="List Bullet" if items else None)  # type: ignore[attr-defined]
            _more(d, board, key, items)
    d.add_heading(_("Completion by review"), level=1)  # type: ignore[attr-defined]
    if board.reviews:
        for picture in charts.review_bars(shown(board, board.reviews)):
            _picture(d, picture, _("Completion by review: bar chart; the table below gives the figures"), 170)
        _legend(d)
        table(
            _Table(
                [
                    _("Review"),
                    _("Actions"),
                    _("Complete"),
                    _("Green"),
                    _("Amber"),
                    _("Red"),
                    _("Unrated"),
                    _("Overdue"),
                    _("No target"),
                ],
                [TEXT] + [NUMBER] * 8,
                [
                    [
                        r["review"],
                        str(r["actions"]),
                        f"{r['complete']} ({pct(r['complete'], r['actions'])}%)",
                        *(str(r[k]) for k in ("green", "amber", "red", "missing_rag", "overdue", "no_target")),
                    ]
                    for r in shown(board, board.reviews)
                ],
            )
        )
        _more(d, board, "reviews", board.reviews)
    else:
        d.add_paragraph(_("No plans."))  # type: ignore[attr-defined]
    for row in board.reviews if narrative else ():
        commentary = narrative.reviews.get(row["review"]) if narrative else None
        if commentary:
            d.add_heading(_("Commentary on {review}").format(review=row["review"]), level=2)  # type: ignore[attr-defined]
            _narrative(d, commentary)
    d.add_heading(_("Actions by lead agency"), level=1)  # type: ignore[attr-defined]
    table(
        _Table(
            [_("Agency"), _("Actions"), _("Open"), _("Overdue"), _("Unrated"), _("Complete"), _("Oldest overdue")],
            [TEXT] + [NUMBER] * 5 + [TEXT],
            [
                [
                    a["agency"],
                    *(str(a[k]) for k in ("actions", "open", "overdue", "missing_rag")),
                    f"{a['percent_complete']}%",
                    oldest_words(board, a["oldest_overdue"]) if a["oldest_overdue"] else "—",
                ]
                for a in shown(board, board.agencies)
            ],
        )
    )
    _more(d, board, "agencies", board.agencies)
    d.add_heading(_("Timeliness"), level=1)  # type: ignore[attr-defined]
    d.add_paragraph(timeliness_note(board)).paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    table(
        _Table(
            [_("Agency"), *TIMELINESS_HEADERS],
            [TEXT] + [NUMBER] * len(TIMELINESS_HEADERS),
            [[row["agency"], *timeliness_cells(row)] for row in shown(board, board.timeliness)],
        )
    )
    _more(d, board, "timeliness", board.timeliness)
    d.add_heading(_("Completions by quarter"), level=2)  # type: ignore[attr-defined]
    quarters = board.completions_by_quarter
    if any(q["completed"] for q in quarters):
        _picture(
            d,
            charts.quarter_bars(quarters),
            _("Completions by quarter: column chart; the table below gives the figures"),
            170,
        )
    else:
        d.add_paragraph(_("No action has a completion date in these quarters."))  # type: ignore[attr-defined]
    table(
        _Table(
            [quarter_words(q["quarter"]) for q in quarters],
            [NUMBER] * len(quarters),
            [[str(q["completed"]) for q in quarters]],
        )
    )
    actions(_("Overdue actions ({count})").format(count=len(board.overdue)), "overdue", N_("Overdue by"), TEXT)
    actions(_("Unrated actions ({count})").format(count=len(board.unrated)), "unrated", TARGET_NOTE, TEXT)
    as_of = when(board, board.as_of.isoformat())
    d.add_paragraph(_("Produced by dhrtrack on the plans as of {date}.").format(date=as_of))  # type: ignore[attr-defined]


def _more(document: object, board: Board, key: str, rows: Sequence[object]) -> None:
    text = more(board, key, rows)
    if text:
        document.add_paragraph(text)  # type: ignore[attr-defined]


def _narrative(document: object, blocks: List[Block]) -> None:
    """The coordinator's words: paragraphs and lists, with their bold and italic."""
    for block in blocks:
        style = {"paragraph": None, "bullets": "List Bullet", "numbers": "List Number"}[block.kind]
        for item in block.items:
            paragraph = document.add_paragraph(style=style)  # type: ignore[attr-defined]
            for text, bold, italic in item:
                run = paragraph.add_run(text)
                run.bold, run.italic = bold or None, italic or None


def _picture(document: object, png: bytes, description: str, width_mm: float) -> None:
    from docx.shared import Mm

    run = document.add_paragraph().add_run()  # type: ignore[attr-defined]
    shape = run.add_picture(io.BytesIO(png), width=Mm(width_mm))
    shape._inline.docPr.set("descr", description)  # what a screen reader says for the picture
    run._parent.paragraph_format.keep_with_next = True


def _legend(document: object) -> None:
    """The chart's key in words and coloured squares (never colour alone)."""
    from docx.shared import RGBColor

    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    for _key, colour, name in SEGMENTS:
        square = paragraph.add_run("■ ")
        square.font.color.rgb = RGBColor.from_string(colour[1:].upper())
        paragraph.add_run(f"{segment_name(name)}    ")


def _styles(document: object) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)
        style.paragraph_format.keep_with_next = True
        # The template's theme fonts (Calibri Light) would win over Arial, and its title has a rule under it.
        fonts = style.element.rPr.rFonts
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        if style.element.pPr is not None:
            for border in style.element.pPr.findall(qn("w:pBdr")):
                style.element.pPr.remove(border)
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)  # styleId TableText, used by _rows
    cell.base_style = normal
    cell.font.size = Pt(9)
    cell.paragraph_format.space_before = Pt(1)
    cell.paragraph_format.space_after = Pt(1)


def _header_and_footer(section: object, marking: Optional[str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    header = section.header.paragraphs[0]  # type: ignore[attr-defined]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        header.add_run(marking).bold = True
    footer = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        footer.add_run(marking + "    ").bold = True
    # "page {page} of {pages}", its words in the language's order around the two fields
    for part in re.split(r"(\{pages?\})", _("page {page} of {pages}")):
        if part in ("{page}", "{pages}"):
            _field(footer, "PAGE" if part == "{page}" else "NUMPAGES")
        elif part:
            footer.add_run(part)


def _properties(document: object, board: Board) -> None:
    """The document's own properties, as File > Info shows them: the paper's title, author and
    language, dated as of the paper (so that the same plans give the same file); nothing of
    python-docx's template is left in them."""
    core = document.core_properties  # type: ignore[attr-defined]
    paper = board.paper
    core.title = _clip(board.title)
    core.author = _clip(paper.author or "")
    core.last_modified_by = _clip(paper.author or "")
    core.subject = _clip(", ".join(board.partnerships))
    core.comments = _("Produced by dhrtrack on the plans as of {date}.").format(date=board.as_of.isoformat())
    core.keywords = _("{kind}; action plans; board paper").format(kind=kind_name(board.kinds))
    core.category = _clip(paper.marking or "")
    core.language = tag()
    core.revision = 1
    day = dt.datetime(board.as_of.year, board.as_of.month, board.as_of.day)
    core.created = core.modified = day


def _clip(text: str) -> str:
    """A core property holds at most 255 characters (python-docx refuses more)."""
    return text if len(text) <= 255 else text[:254] + "…"


def _bidi_safe(document: Any) -> None:
    """Every text python-docx wrote, headers and footers included, without bidirectional controls
    (wording.bidi_safe, the rule every renderer applies): one pass over the finished document
    rather than a call at each of the places text goes in. The streamed tables go through _text."""
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


# --- the tables, as text ---------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML cannot hold


def _longest_word(text: str) -> int:
    return max(map(len, text.split()), default=0)


def column_widths(table: _Table, available: int) -> List[int]:
    """Column widths in twips, from the content and the width of the page, as a browser lays out
    an automatic table: each column at least as wide as its longest word (its whole text, for
    numbers, dates and ids, which never wrap), and the rest of the page shared in proportion to
    how much wider each column's longest text would like to be."""
    # A heading is bold: a little wider a character.
    narrow = [min(LONGEST_WORD, _longest_word(h)) * 6 // 5 + 1 for h in table.headers]
    wide = [len(h) * 6 // 5 + 1 for h in table.headers]
    for row in table.rows:
        for i, text in enumerate(row):
            if len(text) > wide[i]:
                wide[i] = len(text)
            least = len(text) if table.kinds[i] != TEXT else min(LONGEST_WORD, _longest_word(text))
            if least > narrow[i]:
                narrow[i] = least
    least_twips = [n * CHAR_TWIPS + PAD_TWIPS for n in narrow]
    most_twips = [max(w, n) * CHAR_TWIPS + PAD_TWIPS for w, n in zip(wide, narrow)]
    if sum(most_twips) <= available:
        widths = [w * available / sum(most_twips) for w in most_twips]
    elif sum(least_twips) <= available:
        spare = available - sum(least_twips)
        wanted = [m - n for m, n in zip(most_twips, least_twips)]
        widths = [n + spare * w / sum(wanted) for n, w in zip(least_twips, wanted)]
    else:
        widths = [n * available / sum(least_twips) for n in least_twips]
    out = [int(w) for w in widths]
    out[-1] += available - sum(out)
    return out


def _cell_xml(width: int, bold: bool, right: bool, shade: Optional[str]) -> Tuple[str, str]:
    """The XML before and after a cell's text, the same for every cell of a column."""
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if shade:
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    paragraph = '<w:pStyle w:val="TableText"/>' + ('<w:jc w:val="right"/>' if right else "")
    run = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (
        f'<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:pPr>{paragraph}</w:pPr><w:r>{run}<w:t xml:space="preserve">',
        "</w:t></w:r></w:p></w:tc>",
    )


_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def _text(text: str) -> str:
    text = bidi_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", _BREAK) if "\n" in text else text


def _table_xml(table: _Table, available: int) -> Iterator[str]:
    """The table's XML, a row at a time."""
    widths = column_widths(table, available)
    right = [kind == NUMBER for kind in table.kinds]
    yield (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
    )
    # The heading row repeats on every page; no row splits. (Not keep-with-next on the heading
    # row: LibreOffice makes that keep the whole table with what follows it, chaining tables
    # and headings into one block that leaves half a page empty.)
    heading = [_cell_xml(w, True, r, HEADING_SHADE) for w, r in zip(widths, right)]
    yield (
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        + "".join(before + _text(h) + after for h, (before, after) in zip(table.headers, heading))
        + "</w:tr>"
    )
    plain = [_cell_xml(w, False, r, None) for w, r in zip(widths, right)]
    shaded = {  # by the rating as the cell says it, in the paper's language
        rag_word(rag): _cell_xml(widths[table.shade_column], False, right[table.shade_column], shade)
        for rag, shade in RAG_SHADES.items()
    }
    shade_column = table.shade_column
    for row in table.rows:
        cells = []
        for i, text in enumerate(row):
            before, after = shaded.get(text, plain[i]) if i == shade_column else plain[i]
            cells.append(before + _text(text) + after)
        xml = "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cells) + "</w:tr>"
        yield _NOT_XML.sub("", xml) if _NOT_XML.search(xml) else xml
    yield "</w:tbl>"


def _document_xml(xml: str, marker: str, tables: Sequence[_Table], available: int) -> Iterable[str]:
    """word/document.xml with each placeholder paragraph replaced by its table."""
    rest = xml
    for n, table in enumerate(tables):
        placeholder = f"<w:p><w:r><w:t>{marker}-{n}</w:t></w:r></w:p>"
        before, found, rest = rest.partition(placeholder)
        assert found, f"the placeholder of table {n} is not in the document"
        yield before
        yield from _table_xml(table, available)
    yield rest


def _with_tables(package: bytes, marker: str, tables: Sequence[_Table], available: int) -> bytes:
    """The package python-docx saved, with the tables written into word/document.xml and the
    language set to the paper's (en-GB, cy-GB) wherever the template says en-US: the document's
    default for every run, which Word's spelling and a screen reader's voice follow."""
    language = f'w:val="{tag()}"'.encode()
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                with target.open(_info(info), "w") as stream:
                    pending: List[str] = []
                    for piece in _document_xml(data.decode("utf-8"), marker, tables, available):
                        pending.append(piece)
                        if len(pending) >= 500:
                            stream.write("".join(pending).encode("utf-8"))
                            pending.clear()
                    stream.write("".join(pending).encode("utf-8"))
                continue
            if info.filename in ("word/styles.xml", "word/stylesWithEffects.xml", "word/settings.xml"):
                data = data.replace(b'w:val="en-US"', language)
            elif info.filename == THUMBNAIL:
                continue  # the template's blank page: a file browser shows it in place of the paper's
            elif info.filename == "_rels/.rels":
                data = re.sub(rb'<Relationship [^>]*Target="' + THUMBNAIL.encode() + rb'"/>', b"", data)
            elif info.filename == "docProps/app.xml":
                data = APP_PROPERTIES  # the template's says "Microsoft Macintosh Word" wrote the paper
            target.writestr(_info(info), data)
    return out.getvalue()


THUMBNAIL = "docProps/thumbnail.jpeg"
APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>dhrtrack</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    b"</Properties>"
)


def _info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = zipfile.ZIP_DEFLATED
    return copy
