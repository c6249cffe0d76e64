"""The template table as exported text: tab-separated cells, one row per line, section titles,
header rows repeated after page breaks (the layout of the seed document)."""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from dhrtrack.importing.headings import TEMPLATE_ORDER, Columns, is_header_row, map_headings, section_title
from dhrtrack.importing.template import Item, Note, Section, Unplaced, row_of


def decode(raw: bytes) -> Tuple[str, Optional[str]]:
    """The text, and a warning when it was not UTF-8 (then read as Windows-1252, as Word writes)."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "the file is not UTF-8; it was read as Windows-1252"


def read(text: str) -> Tuple[List[str], List[Item]]:
    """The title block before the table, and the table as sections, rows and stray text. Lines
    before the first heading row (or section title) are the title block, wherever the table
    starts; without any heading row the template's column order is assumed."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
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


def review_from_heading(lines: List[str]) -> Tuple[Optional[str], Optional[str]]:
    """(review id, title) from the document's title block: "Domestic Homicide Review / BDHR
    2012/13-05 Action Plan" gives ("BDHR 2012/13-05", the whole heading as the title); so do
    "DHR Ref: NSDHR 2021-03" and "... into the death of Adult A (DHR 2023/04) ..."."""
    cleaned = [" ".join(line.replace("*", " ").replace("#", " ").split()) for line in lines]
    text = " ".join(line for line in cleaned if line).strip()
    if not text:
        return None, None
    for line in cleaned:
        labelled = _LABELLED.search(line + " ")
        if labelled and not labelled.group(1).lower().startswith(("action plan", "of ", "into ")):
            return labelled.group(1).strip(" .-"), text
    ident = _ACTION_PLAN.sub("", _REVIEW_PREFIX.sub("", text)).strip(" :–-")
    if ident and ident != text and len(ident) <= 40:
        return ident, text
    embedded = _EMBEDDED.search(text)
    if embedded:
        return embedded.group(1).strip(), text
    return None, text
