"""Plans as text: the template table exported with tab-separated cells, one row per line, section
titles, header rows repeated after page breaks (the layout of the seed document); a plan pasted
into an email as paragraphs. Also: the title block, which names the review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from dhrtrack.importing.cells import controls_removed, printable
from dhrtrack.importing.document import Cell, Document, Paragraph, Row, Table
from dhrtrack.plan import fields


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


def read_document(path: str, text: str) -> Document:
    """The text as a document: a line with tabs is a table row (consecutive rows are a table), any
    other line a paragraph. Text has no structure to tell a new action from a row going on after
    a page break: the words decide (Row.new_action None)."""
    text, removed = printable(text)
    document = Document(path)
    if removed:
        document.warnings.append(("file", controls_removed(removed)))
    table: Optional[Table] = None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > 1:
            if table is None:
                table = Table([], f"the table at line {number}")
                document.blocks.append(table)
            table.rows.append(Row([Cell(c) for c in cells], f"line {number}", new_action=None))
        else:
            table = None
            document.blocks.append(Paragraph(line.strip(), f"line {number}"))
    return document


def _phrase(words: str) -> str:
    """A name of the field table's kinds as a pattern: its words with any spaces or hyphens
    between ("domestic abuse-related death review")."""
    return r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", words))


# Each kind's names and abbreviations (the field table's KINDS), longest first: "Safeguarding
# Adults Review" before "SAR".
_KIND_WORDS = sorted(((w, k.code) for k in fields.KINDS for w in k.words), key=lambda wk: -len(wk[0]))
_ABBREVIATIONS = [w for w, _k in _KIND_WORDS if " " not in w and "-" not in w]
_REVIEW_PREFIX = re.compile(
    r"^(?:" + "|".join(_phrase(w) for w, _k in _KIND_WORDS) + r")\s*[:–-]?\s*",
    re.IGNORECASE,
)
_ACTION_PLAN = re.compile(r"\s*[:–-]?\s*action\s+plan\s*$", re.IGNORECASE)
# "DHR Ref: NSDHR 2021-03", "Review: NSDHR 2021-03", "Case reference - DHR/2023/04"
_LABELLED = re.compile(
    r"\b(?<!homicide )(?<!death )(?:(?:dhr|dardr|susr|review|case|adolygiad)\s*(?:ref(?:erence)?|id|no\.?|number)?|"
    r"reference|cyfeirnod)\s*[:–-]\s*([A-Za-z0-9][\w /.-]{1,38}?)\s*(?:$|[,;|(]|\s{2,}|\s[–-]\s)",
    re.IGNORECASE,
)
# An id inside a sentence: letters ending in DHR (or DARDR), then numbers with / or - between.
_EMBEDDED = re.compile(
    r"\b([A-Z]{0,6}(?:"
    + "|".join([w.upper() for w in _ABBREVIATIONS] + ["DAHR"])
    + r")[\s/-]*[0-9]{2,4}(?:[/-][0-9A-Za-z]{1,4}){0,3})\b"
)


_EMAIL_HEADER = re.compile(r"^(?:from|to|cc|bcc|sent|date|subject|pwnc|oddi wrth|at)\s*:\s*", re.IGNORECASE)
# A reply's or a forward's marks before its subject ("RE: FW: ..."), in English and Welsh.
_REPLY_MARKS = re.compile(r"^(?:(?:re|fw|fwd|aw|wg|ateb|ymlaen)\s*:\s*)+", re.IGNORECASE)
# An email's greeting: the letter begins, it is no title ("Hi all,", "Dear colleagues", "Annwyl bawb").
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|morning|afternoon|annwyl|helo|bore da|prynhawn da)"
    r"\b[^.!?]{0,40}[,!]?$",
    re.IGNORECASE,
)


@dataclass
class TitleBlock:
    """What the text above a plan's table says: the review's id and title, and the lines that are
    neither (an introduction, "Updated ..."), which the importer names in a warning."""

    id: Optional[str]
    title: Optional[str]
    unused: List[str] = field(default_factory=list)
    partnership: Optional[str] = None  # a line that is just the partnership's name
    kind: Optional[str] = None  # the kind of review the title names, other than a DHR
    date: Optional[str] = None  # the day the document says it was written or updated
    dated: Optional[str] = None  # the line that says so


_PARTNERSHIP_NAME = re.compile(
    r"^[\w'’&,. -]{2,60}\b(?:community\s+safety\s+partnership|safer\s+\w+\s+partnership|safety\s+partnership|csp|"
    r"partneriaeth\s+diogelwch\s+cymunedol)$",
    re.IGNORECASE,
)


# How a title or a cell names a kind of review (docs/design.md §6: review.kind): the field
# table's words for each kind, whole: no letter either side ("SUSR 2025/03", "SUSR2025" too).
_KINDS = [(code, re.compile(r"(?<![A-Za-z])" + _phrase(w) + r"(?![A-Za-z])", re.IGNORECASE)) for w, code in _KIND_WORDS]


_DATED = re.compile(
    r"\b(?:updated|update|as at|as of|date|dated|reviewed|version|diweddarwyd|dyddiad)\b[\s:,-]*(?:on\s+)?(.+)$",
    re.IGNORECASE,
)


def document_date(lines: List[str]) -> Tuple[Optional[str], Optional[str]]:
    """The day a title block says the document was written or updated ("Updated 1 October
    2022", "As at 31/03/2024"), and the line that says it; (None, None) when none does."""
    from dhrtrack.importing.cells import parse_date

    for line in lines:
        match = _DATED.search(line)
        if match:
            words = match.group(1).split()
            for end in range(len(words), 0, -1):
                day = parse_date(" ".join(words[:end]).rstrip(".,;)"))
                if day is not None and len(day) == 10:
                    return day, line
    return None, None


def review_kind(text: str, default: bool = False) -> Optional[str]:
    """The kind of review a title names, other than the default (a DHR: a plan says nothing);
    with default, the default too (a Review kind cell saying "DHR")."""
    found = [kind for kind, pattern in _KINDS if pattern.search(text)]
    return next((k for k in found if default or k != fields.DEFAULT_KIND), None)


def _is_partnership(line: str) -> bool:
    """A line that is just a partnership's name ("Eastvale Community Safety Partnership")."""
    return len(line.split()) <= 8 and bool(_PARTNERSHIP_NAME.match(line)) and not re.search(r"\d", line)


def _is_title_line(line: str) -> bool:
    """A heading line, as opposed to an introduction (a sentence) or an "Updated ..." line."""
    words = line.split()
    sentence = line.rstrip().endswith(".") and len(words) > 6
    return (
        0 < len(words) <= 14
        and not sentence
        and not _GREETING.match(line)
        and "updated" not in line.lower()
        and not re.match(r"^(?:version|date)\b", line, re.IGNORECASE)
    )


def read_title_block(lines: List[str]) -> TitleBlock:
    """The review id and title from the text above the table: "Domestic Homicide Review / BDHR
    2012/13-05 Action Plan" gives "BDHR 2012/13-05"; so do "DHR Ref: NSDHR 2021-03" and "... into
    the death of Adult A (DHR 2023/04) ...". The title is the heading lines, not an introduction."""
    cleaned = [" ".join(line.replace("*", " ").replace("#", " ").replace("•", " ").split()) for line in lines]
    cleaned = [line for line in cleaned if line]
    # An email's headers: its subject is a title line; the others name no review.
    headers = [line for line in cleaned if _EMAIL_HEADER.match(line)]
    cleaned = [
        _REPLY_MARKS.sub("", _EMAIL_HEADER.sub("", line)) if line.lower().startswith("subject") else line
        for line in cleaned
    ]
    cleaned = [line for line in cleaned if line not in headers or line.lower().startswith("subject")]
    if not cleaned:
        return TitleBlock(None, None)
    ident: Optional[str] = None
    labelled_line: Optional[str] = None
    for line in cleaned:
        labelled = _LABELLED.search(line + " ")
        if labelled and not labelled.group(1).lower().startswith(("action plan", "of ", "into ")):
            ident, labelled_line = labelled.group(1).strip(" .-"), line
            break
    partnership = next((line for line in cleaned if _is_partnership(line)), None)
    cleaned = [line for line in cleaned if line != partnership]
    titles = [line for line in cleaned if line != labelled_line and _is_title_line(line)]
    unused = [line for line in cleaned if line != labelled_line and line not in titles]
    unused = [h for h in headers if not h.lower().startswith("subject")] + unused
    title = " ".join(titles) or None
    if ident is None and title:
        # An id written as one ("NSDHR 2022-04") wins over what is left of the title ("Adult B").
        # So does one in another line of the title block ("... Partnership (MDHR 2022/11)" under
        # "Appendix 2: Action Plan"), which then names the review but is no title.
        embedded = _EMBEDDED.search(title) or next(filter(None, (_EMBEDDED.search(line) for line in unused)), None)
        stripped = _ACTION_PLAN.sub("", _REVIEW_PREFIX.sub("", title)).strip(" :–-")
        if embedded:
            ident = embedded.group(1).strip()
        elif stripped and stripped != title and len(stripped) <= 40:
            ident = stripped
    kind = review_kind(" ".join([title or "", labelled_line or "", ident or ""]))
    day, dated = document_date(cleaned)
    if dated in unused:
        unused.remove(dated)  # its date is the date of the document's progress updates
    return TitleBlock(ident, title, unused, partnership, kind, day, dated)
