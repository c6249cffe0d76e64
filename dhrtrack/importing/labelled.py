"""Plans written as labelled paragraphs, not as a table: pasted into an email, or taken from an
overview report's narrative.

    Recommendation 3: Northshire Police should review the DASH process.
    3.1 Audit a sample of DASH forms. Lead: Northshire Police. By: March 2025.
    - Train call handlers.
      Lead agency: Northshire Police
      Owner: Head of Control Room
      Target date: 30/06/2025

A recommendation starts at "Recommendation N" (or "Rec N", "Argymhelliad N"); an action at a
numbered point ("3.1", "3a", "a)"), a bullet, or an "Action:" label. A label ("Lead:", "By:",
"Owner:", "Status:", "Outcome:" and the other headings the field table knows, Welsh too) gives
that field of the action it follows, on its own line or inside the action's line. The rows made
go through the same builder as a table's, so lead, date and rating rules are the same; text
that fits nowhere is kept in import_notes with a warning.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from dhrtrack.importing.document import Document, Paragraph
from dhrtrack.importing.headings import named
from dhrtrack.importing.template import Item, Note, Row, Unplaced

_RECOMMENDATION = re.compile(
    r"^\s*(?:recommendation|rec\.?|argymhelliad)\s*(?:no\.?\s*)?(\d{1,3})\b\s*[:.)–—-]?\s*(.*)$", re.IGNORECASE
)
# "1.1 Deliver ...", "Action 1.1 Deliver ...", "Action 1.1: ...", "Cam gweithredu 1.1 ...", "1a) ...".
_ACTION_WORD = r"(?:(?:action(?:\s+point)?|cam\s+gweithredu|gweithred)\s*(?:no\.?\s*)?)?"
_NUMBERED_ACTION = re.compile(
    rf"^\s*{_ACTION_WORD}(\d{{1,3}})\s*[.]\s*(\d{{1,3}})\s*[.:)–—-]?\s+(.+)$"
    rf"|^\s*{_ACTION_WORD}(\d{{1,3}})([a-z])[.:)]?\s+(.+)$",
    re.IGNORECASE,
)
# "Action 2: ..." or "Action 2 - ...": an action numbered within its recommendation.
_ACTION_NUMBER = re.compile(
    r"^\s*(?:action(?:\s+point)?|cam\s+gweithredu|gweithred)\s*(\d{1,2})\s*[.:)–—-]\s*(.+)$", re.IGNORECASE
)
_POINT = re.compile(r"^\s*(?:[•▪◦●■‣⁃*–—-]|\(?[a-z]\)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))\s+(.+)$", re.IGNORECASE)
# Words a label may be, beyond the field table's headings: "By:" is a target, "Responsible:" a lead.
_EXTRA_LABELS = {"by": "target", "erbyn": "target", "responsible": "lead", "who": "lead", "when": "target"}
_LABEL = re.compile(r"^\s*([A-Za-zÀ-ÿŵŷâêîôû'’ ]{2,40}?)\s*:\s*(.*)$")
# A label inside a line: "... . Lead: Northshire Police. By: March 2025."
_INLINE = re.compile(r"(?:(?<=[.;,)])|(?<=\s[–—-]))\s+([A-Z][A-Za-z'’ ]{1,30}?)\s*:\s+")


def _label(word: str) -> Optional[str]:
    """The field a label names ("Lead agency" -> lead), or None."""
    key = " ".join(word.lower().split())
    if key in _EXTRA_LABELS:
        return _EXTRA_LABELS[key]
    found = named(word)
    return found[0] if len(found) >= 1 else None


def _split_inline(text: str) -> Tuple[str, List[Tuple[str, str]]]:
    """An action's own text and the labelled values inside its line."""
    pieces = _INLINE.split(" " + text)
    head = pieces[0].strip()
    values: List[Tuple[str, str]] = []
    rest = pieces[1:]
    for i in range(0, len(rest) - 1, 2):
        label, value = rest[i], rest[i + 1].strip().rstrip(".;,").strip()
        name = _label(label)
        if name is None:
            head = f"{head} {label}: {value}".strip()  # a colon that is not a label: the sentence goes on
        else:
            values.append((name, value))
    return head, values


def _lines(document: Document) -> List[Tuple[str, str]]:
    return [
        (line, p.source)
        for p in document.blocks
        if isinstance(p, Paragraph)
        for line in p.text.split("\n")
        if line.strip()
    ]


# Where an email's plan ends: its sign-off, and the signature below it.
_SIGN_OFF = re.compile(
    r"^(?:thanks|thank you|many thanks|regards|kind regards|best wishes|best|yours sincerely|diolch|cofion|"
    r"yn gywir)\b[ ,.!]*$",
    re.IGNORECASE,
)


def first_label(paragraphs: List[Paragraph]) -> int:
    """How many paragraphs come before the first recommendation: the title block."""
    for index, p in enumerate(paragraphs):
        if _RECOMMENDATION.match(p.text):
            return index
    return len(paragraphs)


def labelled_items(document: Document) -> List[Item]:
    """The rows of a plan written as labelled paragraphs, or [] when the document is not one
    (no "Recommendation N", or nothing under one)."""
    lines = _lines(document)
    if not any(_RECOMMENDATION.match(line) for line, _s in lines):
        return []
    out: List[Item] = []  # rows and stray text, in document order
    rec: Optional[Dict[str, str]] = None
    row: Optional[Row] = None  # the row being filled: the recommendation's, or its latest action's
    labelled = False  # the row has had a label: plain text after it is not its text going on
    for index, (line, source) in enumerate(lines):
        text = " ".join(line.split())
        if rec is not None and _SIGN_OFF.match(text):
            signature = " / ".join(" ".join(rest.split()) for rest, _s in lines[index:])
            out.append(Note(f"the email's sign-off and signature are not part of the plan: {signature!r}", source))
            break
        match = _RECOMMENDATION.match(text)
        if match:
            rec = {"recommendation": match.group(1), "recommendation_text": match.group(2)}
            row, labelled = Row(dict(rec), source, new_action=True), False
            out.append(row)
            continue
        if rec is None or row is None:
            continue  # the title block, above the first recommendation
        numbered = _NUMBERED_ACTION.match(text)
        point = _POINT.match(text) or _ACTION_NUMBER.match(text)
        label = _LABEL.match(text)
        label_name = _label(label.group(1)) if label else None
        if numbered or point or label_name == "action":
            if numbered and numbered.group(1):
                ident, body = f"{numbered.group(1)}.{numbered.group(2)}", numbered.group(3)
            elif numbered:
                ident, body = f"{numbered.group(4)}{numbered.group(5)}", numbered.group(6)
            elif point:
                ident, body = None, point.group(point.lastindex or 1)
            else:
                assert label is not None
                ident, body = None, label.group(2)
            if "action" in row.cells:  # the recommendation's row has its action: a new row
                row = Row(dict(rec), source, new_action=True)
                out.append(row)
            own, values = _split_inline(body)
            row.cells["action"] = own
            if ident:
                row.cells["action_id"] = ident
            for name, value in values:
                _set(row, name, value)
            labelled = bool(values)
            continue
        if label_name is not None and label is not None:
            _set(row, label_name, label.group(2).strip())
            labelled = True
            continue
        # Plain text: the recommendation's text goes on until its first action, an action's
        # until its first label; anything else is kept.
        if "action" not in row.cells:
            row.cells["recommendation_text"] = f"{row.cells['recommendation_text']} {text}".strip()
            rec["recommendation_text"] = row.cells["recommendation_text"]
        elif not labelled:
            row.cells["action"] = f"{row.cells['action']} {text}".strip()
        else:
            out.append(Unplaced(text, source))
    rows = [item for item in out if isinstance(item, Row)]
    if not any(len(r.cells) > 2 for r in rows):
        return []
    for r in rows:
        r.cells.setdefault("action", "")
    return out


def _set(row: Row, name: str, value: str) -> None:
    if row.cells.get(name):
        row.kept.append(f"{name}: {value}")  # a label given twice: the second is kept
    else:
        row.cells[name] = value
