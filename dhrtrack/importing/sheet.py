"""Spreadsheets (.csv, .xlsx): trackers with one row per action (or per recommendation, listing
its sub-actions), under the template's headings or the variants trackers use. The heading row is
found wherever it is in the first rows (a title block above it names the review); merged cells
read as the value of the merged area; a RAG cell with only a fill colour reads as that colour;
a master tracker holding several reviews imports one review, or all of them with --split.
dhrtrack's own export reads back as the same plan.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from dhrtrack.importing.cells import Agencies, clean, controls_removed, number_cell, numbered_text, printable
from dhrtrack.importing.headings import Columns, column_letter, is_header_row, map_headings
from dhrtrack.importing.rows import HEADING_NAMES, RowCells, action_texts, add_themes, fill, kept_cells, split_values
from dhrtrack.importing.template import SCOPES, ImportFailed, Result
from dhrtrack.plan import fields
from dhrtrack.plan.model import ordered
from dhrtrack.wording import spreadsheet_text

HEADER_SEARCH = 40  # how many rows from the top the heading row may be
EXPECTED = (
    "a heading row naming at least the action and the lead agency, and the recommendation or its number "
    "(Home Office template: Recommendation | Scope | Action to take | Lead Agency | Key milestones | "
    "Target Date | Date of completion and Outcome)"
)


@dataclass
class Sheet:
    """A sheet as text: every row that holds data, and the ratings its RAG cells' colours give."""

    name: str
    rows: List[List[str]]
    colours: Dict[Tuple[int, int], str] = field(default_factory=dict)  # (row index, column) -> rag

    def source(self, index: int) -> str:
        return f"sheet {self.name!r} row {index + 1}" if self.name else f"row {index + 1}"


MAX_CSV = 64 * 1024 * 1024  # an action plan is kilobytes; a file this large is not one


def read_csv(path: str) -> Sheet:
    """A CSV or tab-separated sheet as Excel writes it: UTF-8 (with or without a byte-order mark),
    UTF-16 ("Unicode text"), or Windows-1252; cells neutralised against formulas read back as written."""
    from dhrtrack.importing.text import decode

    if os.path.getsize(path) > MAX_CSV:
        raise ImportFailed(f"{path} is {os.path.getsize(path) // (1024 * 1024)} MB: too large to be an action plan")
    with open(path, "rb") as handle:
        text, _warning = decode(handle.read())
    # Only the separator is guessed (Excel writes ";" where the decimal mark is ","): the quote is
    # always '"', as every spreadsheet writes it (a guessed one took a lone "'" in a cell for it).
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter if text.strip() else ","
    except csv.Error:
        delimiter = ","
    dialect = type("Sheet", (csv.excel,), {"delimiter": delimiter})
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV)  # a long cell is text, not an error (the default stops at 131,072)
    try:
        rows = [[spreadsheet_text(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ImportFailed(f"{path} is not a CSV file that can be read: {error}") from None
    finally:
        csv.field_size_limit(limit)
    return Sheet("", rows)


def read_xlsx(path: str) -> Sheet:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ImportFailed("reading .xlsx files needs openpyxl: pip install openpyxl") from None
    from dhrtrack.importing import office

    # Not read-only: a read-only sheet trusts the file's declared dimension and gives no merged
    # cells; the whole sheet is read, as Excel shows it.
    workbook = office.read(path, "xlsx", lambda: load_workbook(path, data_only=True))
    return office.read(path, "xlsx", lambda: _sheet_of(workbook, path))


def _sheet_of(workbook: Any, path: str) -> Sheet:
    sheet = workbook.active
    if sheet is None:
        raise ImportFailed(f"{path} has no sheets")
    values: Dict[Tuple[int, int], Any] = {}
    colours: Dict[Tuple[int, int], str] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                values[(cell.row - 1, cell.column - 1)] = _month_or_value(cell)
            rating = _fill_rating(cell)
            if rating is not None:
                colours[(cell.row - 1, cell.column - 1)] = rating
    # A merged area holds its value in its first cell: a person reads it in every cell of the area.
    for area in sheet.merged_cells.ranges:
        top = values.get((area.min_row - 1, area.min_col - 1))
        for r in range(area.min_row - 1, area.max_row):
            for c in range(area.min_col - 1, area.max_col):
                if top is not None:
                    values[(r, c)] = top
    if not values:
        return Sheet(sheet.title, [])
    height = max(r for r, _c in values) + 1
    width = max(c for _r, c in values) + 1
    rows = [[_cell(values.get((r, c))) for c in range(width)] for r in range(height)]
    return Sheet(sheet.title, rows, colours)


def _fill_rating(cell: Any) -> Optional[str]:
    """The rating a solid fill colour gives, read by hue as a person reads it: red, amber (orange
    to yellow), green, or blue for complete (BRAG); Excel's pale fills count; white, grey and
    black give none."""
    import colorsys

    fill = getattr(cell, "fill", None)
    if fill is None or getattr(fill, "fill_type", None) != "solid":
        return None
    colour = getattr(fill.fgColor, "rgb", None)
    if not isinstance(colour, str) or len(colour) < 6:
        return None
    try:
        red, green, blue = (int(colour[-6:][i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < 0.15 or value < 0.3:
        return None
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return "red"
    if degrees < 70:
        return "amber"
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "complete"
    return None


def _month_or_value(cell: Any) -> Any:
    """A date cell shown as a month ("mmm yyyy", no day in its format) reads as YYYY-MM: a month
    target stays a month target; anything else is its value."""
    value = cell.value
    if isinstance(value, (dt.datetime, dt.date)) and "d" not in (cell.number_format or "").lower().replace("[red]", ""):
        return f"{value.year:04d}-{value.month:02d}"
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def split_header(sheet: Sheet) -> Tuple[List[str], List[str], List[Tuple[int, List[str]]]]:
    """(title block lines, headings, data rows with their index): the heading row is the first of
    the top rows that names the columns of a plan; the rows above it are the title block."""
    filled = [(i, row) for i, row in enumerate(sheet.rows) if any(str(c).strip() for c in row)]
    if not filled:
        raise ImportFailed("the sheet is empty: it needs a heading row and one row per action")
    header = next((k for k, (_i, row) in enumerate(filled[:HEADER_SEARCH]) if is_header_row(row)), 0)
    title = [" ".join(" ".join(c for c in row if str(c).strip()).split()) for _i, row in filled[:header]]
    index, headings = filled[header]
    return title, [c.strip() for c in headings], [(i, row) for i, row in filled[header + 1 :] if i > index]


def build(
    headings: List[str],
    rows: List[Tuple[str, List[str]]],
    agencies: Agencies,
    review_id: Optional[str],
    title: Optional[str],
    partnership: Optional[str],
    colours: Optional[Dict[Tuple[str, int], str]] = None,
) -> Result:
    """One review's plan from a sheet's heading row and data rows ((source, cells) each)."""
    results = build_reviews(headings, rows, agencies, review_id, title, partnership, colours, split=False)
    return results[0]


def build_reviews(
    headings: List[str],
    rows: List[Tuple[str, List[str]]],
    agencies: Agencies,
    review_id: Optional[str],
    title: Optional[str],
    partnership: Optional[str],
    colours: Optional[Dict[Tuple[str, int], str]] = None,
    split: bool = False,
) -> List[Result]:
    """The plan of each review in the sheet: one (the one named, or the only one), or with
    split=True one for every review a "Review" / "DHR Ref" column names."""
    columns = map_headings(headings)
    missing = [n for n in ("action", "lead") if not columns.has(n)]
    if not columns.has("recommendation") and not columns.has("recommendation_text"):
        missing.append("recommendation")
    if missing:
        found = ", ".join(repr(h) for h in headings if h) or "none"
        raise ImportFailed(f"no column for {', '.join(missing)}: expected {EXPECTED}; the headings found are: {found}")
    reader = _Reader(columns, colours or {})
    reader.removed = 0
    # Control characters a cell carries from another program are never plan text.
    cleaned = [(source, [printable(str(c)) for c in row]) for source, row in rows]
    removed = sum(n for _s, row in cleaned for _t, n in row)
    rows = [(source, [text for text, _n in row]) for source, row in cleaned]
    reader.removed = removed
    data_rows = [(source, row) for source, row in rows if any(str(c).strip() for c in row)]
    if columns.has("review"):
        reviews = list(dict.fromkeys(reader.get(row, "review") for _s, row in data_rows if reader.get(row, "review")))
        if split:
            return [
                reader.build(
                    [(s, r) for s, r in data_rows if reader.get(r, "review") == review],
                    agencies,
                    review,
                    title,
                    partnership,
                )
                for review in reviews
            ]
        if review_id is None and len(reviews) > 1:
            raise ImportFailed(
                f"the sheet holds {len(reviews)} reviews ({', '.join(reviews)}): import one with "
                "--review-id, or all of them with --split"
            )
        if review_id is None and reviews:
            review_id = reviews[0]
        if review_id is not None and reviews:
            data_rows = [(s, r) for s, r in data_rows if reader.get(r, "review") in ("", review_id)]
    if not review_id:
        raise ImportFailed(
            "the sheet does not say which review it is (no Review or DHR Ref column, and no review "
            "id in a title above the headings): give --review-id"
        )
    return [reader.build(data_rows, agencies, review_id, title, partnership)]


class _Reader:
    def __init__(self, columns: Columns, colours: Dict[Tuple[str, int], str]):
        self.columns = columns
        self.colours = colours
        self.warnings: List[Tuple[str, str]] = []
        self.removed = 0

    def get(self, row: List[str], name: str) -> str:
        i = self.columns.index(name)
        return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

    def build(
        self,
        data_rows: List[Tuple[str, List[str]]],
        agencies: Agencies,
        review_id: str,
        title: Optional[str],
        partnership: Optional[str],
    ) -> Result:
        self.warnings = [("heading row", w) for w in self.columns.warnings]
        if self.removed:
            self.warnings.insert(0, ("sheet", controls_removed(self.removed)))
        if not data_rows:
            raise ImportFailed(f"the sheet has a heading row but no actions for review {review_id!r}")
        for _source, row in data_rows:  # the agencies the sheet names, to split lead cells by
            agency = " ".join(self.get(row, "agency").split())
            if agency:
                agencies.add(agencies.canonical(agency) or agency)
        recs: List[dict] = []
        by_number: Dict[int, dict] = {}
        for source, row in data_rows:
            self._row(source, row, recs, by_number, agencies)
        for rec in recs:
            if rec["section"] == "agency" and not rec.get("agency"):
                rec["section"] = "overview"
            rec["actions"] = [ordered(a) for a in rec["actions"]]
        review = self._review(data_rows, {"id": review_id, "title": title, "partnership": partnership})
        return Result({"schema_version": 1, "review": review, "recommendations": recs}, self.warnings)

    def _review(self, data_rows: List[Tuple[str, List[str]]], given: Dict[str, Optional[str]]) -> dict:
        """The review's fields: as given (--review-id, --title, --partnership), else from the
        first row that has the field's column filled (dhrtrack's export repeats them a row)."""
        review: dict = {}
        for f in fields.fields(fields.REVIEW):
            value = given.get(f.name)
            source = "options"
            if value is None:
                source, value = next(
                    ((src, self.get(r, f.column)) for src, r in data_rows if self.get(r, f.column)), ("", None)
                )
            if value and f.kind == "choice" and value.lower() not in f.choices:
                self.warnings.append(
                    (source, f"{f.label} {value!r} is not one of {', '.join(f.choices)}; left out of the plan")
                )
                continue
            if value:
                review[f.name] = value.lower() if f.kind == "choice" else value
        return review

    def _row(
        self, source: str, row: List[str], recs: List[dict], by_number: Dict[int, dict], agencies: Agencies
    ) -> None:
        notes: List[str] = []
        warn = lambda message: self.warnings.append((source, message))  # noqa: E731
        number, action_id, rec_text = self._number(row, notes, warn)
        text = clean(rec_text)
        rec = _recommendation(recs, by_number, number, text)
        if text and not _words_within(text, rec["text"]):
            if rec["text"] == f"Recommendation {rec['number']}":  # a placeholder until now
                rec["text"] = text
            else:
                notes.append(f"{HEADING_NAMES['recommendation_text']}: {text}")
                warn(f"a row of recommendation {rec['number']} gives other recommendation text; kept in import_notes")
        section = self.get(row, "section").lower()
        agency = " ".join(self.get(row, "agency").split())
        if section in ("overview", "agency"):
            rec["section"] = section
        elif agency:
            rec["section"] = "agency"
        if agency:
            rec["agency"] = agencies.canonical(agency) or agency
        scope = " ".join(self.get(row, "scope").split())
        if scope and scope.lower().rstrip(".") in SCOPES:
            rec["scope"] = SCOPES[scope.lower().rstrip(".")]
        elif scope:
            notes.append(f"{HEADING_NAMES['scope']}: {scope}")
            warn(f"scope {scope!r} is not local, regional or national; kept in import_notes")
        add_themes(rec, self.get(row, "themes"))
        cells = {name: str(row[i]) if i < len(row) else "" for i, name in self.columns.fields.items()}
        rag_column = self.columns.index("rag")
        colour = self.colours.get((source, rag_column)) if rag_column is not None else None
        cells_of_row = RowCells(cells, source, kept_cells([str(c) for c in row], self.columns.kept), colour)
        own_id = self.get(row, "action_id") or action_id
        texts = action_texts(self.get(row, "action"))
        for i, (text, values) in enumerate(zip(texts, split_values(cells_of_row, len(texts), warn))):
            ident = "".join(own_id.split()) if own_id else f"{rec['number']}.{len(rec['actions']) + 1}"
            if own_id and len(texts) > 1:
                ident = f"{ident}.{i + 1}"  # the sub-actions of action 3a: 3a.1, 3a.2
            while any(a["id"] == ident for r in recs for a in r["actions"]):
                ident += "a"
            action: dict = {"id": ident}
            if not text:
                text = rec["text"]
                warn(f"action {ident} has no text; the recommendation's text is used")
            action["action"] = text
            previous = rec["actions"][-1]["lead"] if rec["actions"] else None
            own_notes = notes if i == 0 else []
            this_row = cells_of_row if i == 0 else RowCells(cells, source, [], colour)
            fill(action, this_row, values, agencies, previous, rec.get("agency"), own_notes, warn)
            if own_notes:
                action["import_notes"] = own_notes
            rec["actions"].append(action)

    def _number(self, row: List[str], notes: List[str], warn: Any) -> Tuple[Optional[int], Optional[str], str]:
        """(recommendation number, action id, recommendation text) of a row."""
        cell = self.get(row, "recommendation")
        rec_cell = self.get(row, "recommendation_text")
        in_text, rest = numbered_text(rec_cell)
        if cell:
            number, action_id = number_cell(cell)
            if number is None:
                warn(
                    f"recommendation number {cell!r} is not a number of 1 or more (like 7, 7.2 or 7a); "
                    "kept in import_notes"
                )
                notes.append(f"Recommendation number: {cell}")
                return None, None, rec_cell
            return number, action_id, (rest if in_text == number else rec_cell)
        if in_text is not None:
            return in_text, None, rest
        return None, None, rec_cell


def _words_within(part: str, whole: str) -> bool:
    """Whether part's words come, in order and whole, within whole (a repeated or merged cell);
    "h" is not within "Do this", though "this" is."""
    words, within = part.split(), whole.split()
    return any(within[i : i + len(words)] == words for i in range(len(within) - len(words) + 1))


def _recommendation(
    recs: List[dict], by_number: Dict[int, dict], number: Optional[int], rec_text: Optional[str]
) -> dict:
    """The recommendation a row belongs to: by its number; a row with no number belongs to the
    recommendation above when its recommendation cell is blank or the same (a merged or repeated
    cell), and starts the next one otherwise."""
    if number is None:
        last = recs[-1] if recs else None
        if last is not None and (not rec_text or " ".join(rec_text.split()) == " ".join(last["text"].split())):
            return last
        number = (max(by_number) + 1) if by_number else 1
    if number not in by_number:
        rec = {"number": number, "section": "overview", "text": rec_text or f"Recommendation {number}", "actions": []}
        by_number[number] = rec
        recs.append(rec)
    return by_number[number]


__all__ = ["Sheet", "build", "build_reviews", "column_letter", "read_csv", "read_xlsx", "split_header"]
