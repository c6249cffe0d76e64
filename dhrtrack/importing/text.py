"""The template table as exported text: tab-separated cells, one row per line, section titles,
header rows repeated after page breaks (the layout of the seed document)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from dhrtrack.importing.cells import controls_removed, printable
from dhrtrack.importing.headings import TEMPLATE_ORDER, Columns, is_header_row, map_headings, section_title
from dhrtrack.importing.template import Header, Item, Note, Section, Unplaced, row_of


def decode(raw: bytes) -> Tuple[str, Optional[str]]:
    """The text, and a warning when it was not UTF-8 (then read as Windows-1252, as Word writes).
    UTF-16 with a byte-order mark (Excel's and Word's "Unicode text") is read as such."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "the file is not UTF-8; it was read as Windows-1252"


def read(text: str) -> Tuple[List[str], List[Item]]:
    """The title block before the table, and the table as sections, rows and stray text. Lines
    before the first heading row (or section title) are the title block, wherever the table
    starts; without any heading row the template's column order is assumed."""
    text, removed = printable(text)
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    has_header = any(is_header_row(line.split("\t")) for _n, line in lines)
    heading: List[str] = []
    items: List[Item] = []
    columns = Columns(fields=dict(enumerate(TEMPLATE_ORDER)))
    in_table = False
    seen: set = set()
    for number, line in lines:
        source = f"line {number}"
        cells = line.split("\t")
        title = section_title(cells[0]) if cells[0].strip() and not any(c.strip() for c in cells[1:]) else None
        if title is None and len(cells) == 1:
            title = section_title(line)
        if title is not None:
            in_table = True
            items.append(Section(title[0], title[1], source))
            continue
        if len(cells) > 1 and is_header_row(cells):
            in_table = True
            columns = map_headings(cells)
            items.append(Header(cells, source))
            items += [Note(w, source) for w in columns.warnings if w not in seen]
            seen.update(columns.warnings)
            continue
        if len(cells) > 1 and (in_table or not has_header):
            in_table = True
            items.append(row_of(cells, columns, source))
        elif not in_table:
            heading.append(" ".join(" ".join(cells).split()))
        else:
            items.append(Unplaced(line.strip(), source))
    if removed:
        items.insert(0, Note(controls_removed(removed), "file"))
    return heading, items


_REVIEW_PREFIX = re.compile(
    r"^(?:domestic\s+homicide\s+review|domestic\s+abuse\s+related\s+death\s+review|dhr|dard?r)\s*[:–-]?\s*",
    re.IGNORECASE,
)
_ACTION_PLAN = re.compile(r"\s*[:–-]?\s*action\s+plan\s*$", re.IGNORECASE)
# "DHR Ref: NSDHR 2021-03", "Review: NSDHR 2021-03", "Case reference - DHR/2023/04"
_LABELLED = re.compile(
    r"\b(?:dhr|dardr|review|case)\s*(?:ref(?:erence)?|id|no\.?|number)?\s*[:–-]\s*([A-Za-z0-9][\w /.-]{1,38}?)\s*(?:$|[,;|(]|\s{2,}|\s[–-]\s)",
    re.IGNORECASE,
)
# An id inside a sentence: letters ending in DHR (or DARDR), then numbers with / or - between.
_EMBEDDED = re.compile(r"\b([A-Z]{0,6}(?:DHR|DARDR|DAHR)[\s/-]*[0-9]{2,4}(?:[/-][0-9A-Za-z]{1,4}){0,3})\b")


@dataclass
class TitleBlock:
    """What the text above a plan's table says: the review's id and title, and the lines that are
    neither (an introduction, "Updated ..."), which the importer names in a warning."""

    id: Optional[str]
    title: Optional[str]
    unused: List[str] = field(default_factory=list)


def _is_title_line(line: str) -> bool:
    """A heading line, as opposed to an introduction (a sentence) or an "Updated ..." line."""
    words = line.split()
    sentence = line.rstrip().endswith(".") and len(words) > 6
    return (
        0 < len(words) <= 14
        and not sentence
        and "updated" not in line.lower()
        and not re.match(r"^(?:version|date)\b", line, re.IGNORECASE)
    )


def read_title_block(lines: List[str]) -> TitleBlock:
    """The review id and title from the text above the table: "Domestic Homicide Review / BDHR
    2012/13-05 Action Plan" gives "BDHR 2012/13-05"; so do "DHR Ref: NSDHR 2021-03" and "... into
    the death of Adult A (DHR 2023/04) ...". The title is the heading lines, not an introduction."""
    cleaned = [" ".join(line.replace("*", " ").replace("#", " ").split()) for line in lines]
    cleaned = [line for line in cleaned if line]
    if not cleaned:
        return TitleBlock(None, None)
    ident: Optional[str] = None
    labelled_line: Optional[str] = None
    for line in cleaned:
        labelled = _LABELLED.search(line + " ")
        if labelled and not labelled.group(1).lower().startswith(("action plan", "of ", "into ")):
            ident, labelled_line = labelled.group(1).strip(" .-"), line
            break
    titles = [line for line in cleaned if line != labelled_line and _is_title_line(line)]
    unused = [line for line in cleaned if line != labelled_line and line not in titles]
    title = " ".join(titles) or None
    if ident is None and title:
        stripped = _ACTION_PLAN.sub("", _REVIEW_PREFIX.sub("", title)).strip(" :–-")
        if stripped and stripped != title and len(stripped) <= 40:
            ident = stripped
        else:
            embedded = _EMBEDDED.search(title)
            ident = embedded.group(1).strip() if embedded else None
    return TitleBlock(ident, title, unused)


def review_from_heading(lines: List[str]) -> Tuple[Optional[str], Optional[str]]:
    """(review id, title) from the text above the table (see read_title_block)."""
    block = read_title_block(lines)
    return block.id, block.title
