"""The template table as exported text: tab-separated cells, one row per line, section titles,
header rows repeated after page breaks (the layout of the seed document)."""

from __future__ import annotations

import re
from typing import List, Optional, Tuple

from dhrtrack.importing.headings import TEMPLATE_ORDER, is_header_row, map_headings, section_title
from dhrtrack.importing.template import Item, Row, Section, Unplaced


def decode(raw: bytes) -> Tuple[str, Optional[str]]:
    """The text, and a warning when it was not UTF-8 (then read as Windows-1252, as Word writes)."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "the file is not UTF-8; it was read as Windows-1252"


def read(text: str) -> Tuple[List[str], List[Item]]:
    """The heading lines before the table, and the table as sections, rows and stray text."""
    heading: List[str] = []
    items: List[Item] = []
    columns = {i: name for i, name in enumerate(TEMPLATE_ORDER)}
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        source = f"line {number}"
        if not line.strip():
            continue
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
            continue
        if len(cells) > 1:
            in_table = True
            values = {name: cells[i] if i < len(cells) else "" for i, name in columns.items()}
            extra = [c for i, c in enumerate(cells) if i not in columns and c.strip()]
            if extra:
                items.append(Unplaced(" | ".join(extra), source))
            items.append(Row(values, source))
        elif not in_table:
            heading.append(line)
        else:
            items.append(Unplaced(line.strip(), source))
    return heading, items


_REVIEW_PREFIX = re.compile(
    r"^(?:domestic\s+homicide\s+review|domestic\s+abuse\s+related\s+death\s+review|dhr|dard?r)\s*[:–-]?\s*",
    re.IGNORECASE,
)
_ACTION_PLAN = re.compile(r"\s*[:–-]?\s*action\s+plan\s*$", re.IGNORECASE)


def review_from_heading(lines: List[str]) -> Tuple[Optional[str], Optional[str]]:
    """(review id, title) from the document's heading: "Domestic Homicide Review / BDHR
    2012/13-05 Action Plan" gives ("BDHR 2012/13-05", the whole heading as the title)."""
    text = " ".join(" ".join(line.replace("*", " ").replace("#", " ").split()) for line in lines).strip()
    if not text:
        return None, None
    ident = _ACTION_PLAN.sub("", _REVIEW_PREFIX.sub("", text)).strip(" :–-")
    if not ident or ident == text or len(ident) > 40:
        return None, text
    return ident, text
