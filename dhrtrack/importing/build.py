"""The one builder: a Document (dhrtrack.importing.document), whatever it was read from, into the
plan of each review it holds.

- The plan's tables are those with a heading row (dhrtrack.importing.headings); where no table
  has one, every table of two or more columns is read in the Home Office template's column order.
  A table with no heading row of its own goes on with the columns of the table before it (a table
  split over pages), except a sheet, which stands alone.
- What is above the first table is the title block: the review's id and title.
- Context is one rule: a short heading, a one-cell row or a sheet's name that names an
  organisation sets the agency of what follows (an "individual agency action plan"); a
  template section title ("Overview report recommendations") sets the section.
- A cell merged into the one above reads as that cell, except an action cell: a row whose
  action cell is merged into the row above goes on with the action above.
- In a date column, a spreadsheet's date or date number (Excel's serial, in the workbook's own
  date system) is a date.
- Where no table is a plan, labelled paragraphs are ("Recommendation 3:", "3.1 ...", "Lead:"):
  a plan pasted into an email, or taken from an overview report's narrative.

Nothing is lost: every cell lands in a field, in import_notes, or in a warning naming its source.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Dict, List, Optional, Set, Tuple

from dhrtrack.importing.cells import Agencies, numbered_text
from dhrtrack.importing.document import Cell, Document, Paragraph, Row, Table
from dhrtrack.importing.headings import (
    TEMPLATE_ORDER,
    Columns,
    agency_named,
    column_letter,
    is_header_row,
    map_headings,
    name_like,
    section_title,
)
from dhrtrack.importing.template import (
    Banner,
    Builder,
    Header,
    ImportFailed,
    Item,
    Note,
    Result,
    Section,
    Unplaced,
    row_of,
)
from dhrtrack.importing.template import Row as PlanRow

HEADER_SEARCH = 40  # how many rows from the top of a table its heading row may be
EXPECTED = (
    "a table with a heading row naming at least the action and the lead agency, and the recommendation or its "
    "number (Home Office template: Recommendation | Scope of recommendation | Action to take | Lead Agency | "
    "Key milestones | Target Date | Date of completion and Outcome), or labelled paragraphs "
    '("Recommendation 1: ...", "Action: ...", "Lead: ...")'
)
DATE_FIELDS = ("target", "completed")


def heading_row(table: Table) -> Optional[int]:
    """The index of the table's heading row among its first rows, or None."""
    for index, row in enumerate(table.rows[:HEADER_SEARCH]):
        if is_header_row(row.texts):
            return index
    return None


class Built:
    """What the walk of a document makes: the title block, and the items of the plan's tables."""

    def __init__(self) -> None:
        self.title: List[str] = []
        self.items: List[Item] = []
        self.warnings: List[Tuple[str, str]] = []
        self.columns: Optional[Columns] = None
        self.headings_seen: List[List[str]] = []
        self.agency_levels: Set[int] = set()  # heading levels whose headings above tables named agencies


def build(
    document: Document,
    agencies: Agencies,
    review_id: Optional[str],
    title: Optional[str],
    partnership: Optional[str],
    split: bool = False,
) -> List[Result]:
    """The plan of each review the document holds: one (the one named, or the only one), or with
    split=True one for every review a Review or DHR Ref column names."""
    from dhrtrack.importing.text import read_title_block

    _printable(document)
    has_heading = any(heading_row(t) is not None for t in document.tables)
    built = _walk(document, agencies, has_heading)
    rows = _rows(built.items)
    if not rows:
        from dhrtrack.importing.labelled import labelled_items

        labelled = labelled_items(document)
        if labelled:
            built.items = labelled
            rows = _rows(labelled)
            built.title = [p.text for p in document.paragraphs[: _first_labelled(document)]]
    if not rows:
        raise ImportFailed(_nothing_found(document, built))
    block = read_title_block(built.title)
    reviews = list(dict.fromkeys(r.get("review").strip() for r in rows if r.get("review").strip()))
    if split and not reviews:
        raise ImportFailed("--split is for documents that list several reviews (a Review or DHR Ref column)")
    named = (reviews[0] if len(reviews) == 1 else None) or block.id  # the review the document says it is
    renamed = []
    if split:
        wanted = reviews
    elif review_id and len(reviews) > 1 and review_id not in reviews:
        raise ImportFailed(
            f"the document holds {len(reviews)} reviews ({', '.join(reviews)}), none of them {review_id!r}: "
            "name one of them with --review-id, or import all of them with --split"
        )
    elif review_id and named and review_id != named and review_id not in reviews:
        # --review-id names the plan; the document's own reference is said, not lost.
        wanted = [review_id]
        renamed = [
            ("title block", f"the document names its review {named!r}; it is imported as {review_id!r} (--review-id)")
        ]
    else:
        wanted = [review_id or named or ""]
    if not split and not wanted[0] and len(reviews) > 1:
        raise ImportFailed(
            f"the document holds {len(reviews)} reviews ({', '.join(reviews)}): import one with "
            "--review-id, or all of them with --split"
        )
    results = []
    warnings = document.warnings + [("title block", w) for w in _unused(block.unused)] + built.warnings + renamed
    if block.dated:
        warnings.append(("title block", f"progress is dated {block.date}, as the document is: {block.dated!r}"))
    for review in wanted:
        # Rows of this review, or of the one review the document holds when --review-id renames it.
        kept = ("", review, *(reviews if renamed else ()))
        items = [i for i in built.items if not isinstance(i, PlanRow) or i.get("review").strip() in kept]
        if not _rows(items):
            raise ImportFailed(f"the document has a heading row but no actions for review {review!r}")
        result = Builder(agencies, block.date).build(items, review, None, None)
        if not result.plan["recommendations"]:
            raise ImportFailed(
                _no_recommendations(document, built) if built.headings_seen else _nothing_found(document, built)
            )
        if not review:
            raise ImportFailed(
                f"{document.path} does not say which review it is (no Review or DHR Ref column, and no review id "
                "in a title above the table): give --review-id"
            )
        kind = block.kind or _heading_kind(built)
        given = {"title": title or block.title, "partnership": partnership or block.partnership, "kind": kind}
        _review_fields(result, items, given)
        result.warnings[:0] = warnings
        results.append(result)
    return results


def _heading_kind(built: Built) -> Optional[str]:
    """The kind of review the review column's heading names ("SUSR Ref", "SAR no"), if any."""
    from dhrtrack.importing.text import review_kind

    at = built.columns.index("review") if built.columns is not None else None
    headings = built.headings_seen[0] if built.headings_seen else []
    return review_kind(headings[at]) if at is not None and at < len(headings) else None


def _printable(document: Document) -> None:
    """Control characters a document carries from another program are never plan text: removed,
    with one warning saying how many."""
    from dhrtrack.importing.cells import controls_removed, printable

    removed = 0
    for block in document.blocks:
        for holder in [block] if isinstance(block, Paragraph) else [c for r in block.rows for c in r.cells]:
            holder.text, count = printable(holder.text)
            removed += count
    if removed:
        document.warnings.append(("document", controls_removed(removed)))


def _rows(items: List[Item]) -> List[PlanRow]:
    return [item for item in items if isinstance(item, PlanRow)]


def _unused(lines: List[str]) -> List[str]:
    # Whole, however long: a warning that names what was left out must not lose it either.
    return [f"text above the table is not part of the plan: {line!r}" for line in lines]


def _review_fields(result: Result, items: List[Item], given: Dict[str, Optional[str]]) -> None:
    """The review's fields: as given (--title, --partnership) or in the title block, else from
    the first row that fills the field's column (dhrtrack's export repeats them a row)."""
    from dhrtrack.plan import fields

    review = result.plan["review"]
    rows = _rows(items)
    for f in fields.fields(fields.REVIEW)[1:]:
        value = given.get(f.name)
        source = "options"
        if not value:
            source, value = next(
                ((r.source, r.get(f.column).strip()) for r in rows if r.get(f.column).strip()), ("", None)
            )
        if value and f.name == "kind":
            from dhrtrack.importing.text import review_kind

            # A Review kind cell may name the kind as people do ("SUSR", "Safeguarding Adults Review").
            value = value if value.lower() in f.choices else review_kind(value, default=True) or value
        if value and f.kind == "choice" and value.lower() not in f.choices:
            result.warnings.append(
                (source, f"{f.label} {value!r} is not one of {', '.join(f.choices)}; left out of the plan")
            )
            continue
        if value:
            review[f.name] = " ".join(value.split()).lower() if f.kind == "choice" else " ".join(value.split())
    result.plan["review"] = {k: review[k] for k in fields.names(fields.REVIEW) if k in review}


# --- the walk ---------------------------------------------------------------------------------


def _walk(document: Document, agencies: Agencies, has_heading: bool) -> Built:
    built = Built()
    started = False  # a plan table has begun
    blocks = document.blocks
    # Agencies the document's section titles and headings name: learnt first, so that a lead
    # cell can be split by them anywhere.
    for block in blocks:
        if isinstance(block, Paragraph):
            named = section_title(block.text)
            if named and named[1]:
                agencies.add(agencies.canonical(named[1]) or named[1])
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            started = _paragraph(block, blocks, index, agencies, built, started)
            continue
        at = heading_row(block)
        plan_table = (
            at is not None
            or (not has_heading and not block.stands_alone and _wide(block))
            or (started and not block.stands_alone and built.columns is not None)
        )
        if not plan_table:
            _not_a_plan(block, built, started)
            continue
        if block.stands_alone:
            # A sheet: its name, or a line above its headings, may name the agency of its rows.
            agency = agency_named(block.name or "", agencies)
            built.items.append(
                Section("agency", agency, block.source) if agency else Section("overview", None, block.source)
            )
            built.columns = None
        if built.columns is None and at is None:
            built.columns = Columns(fields=dict(enumerate(TEMPLATE_ORDER)))
        _table(block, at or 0, agencies, built, document, started)
        started = True
    return built


def _banner(text: str, columns: Optional[Columns]) -> Optional[Tuple[int, str]]:
    """(number, text) of a row across a table that has no recommendation column, naming the
    recommendation of the rows under it: "Recommendation 2: Thames Valley Police should...";
    None for any other row."""
    if (
        columns is None
        or columns.index("recommendation") is not None
        or columns.index("recommendation_text") is not None
    ):
        return None
    number, rest = numbered_text(text)
    # Named as a recommendation ("Recommendation 2:", "Argymhelliad 2:", "R2"), not a bare "2.",
    # which in a table of actions may as well be an action's number.
    named = not text.lstrip()[:1].isdigit()
    return (number, rest.strip()) if number is not None and named and rest.strip() else None


def _wide(table: Table) -> bool:
    return any(sum(1 for c in row.cells if c.text.strip()) > 1 for row in table.rows)


def _paragraph(block: Paragraph, blocks: list, index: int, agencies: Agencies, built: Built, started: bool) -> bool:
    text = " ".join(block.text.split())
    if not text:
        return started
    section = section_title(text)
    if section is not None:
        if section[1]:
            agencies.add(agencies.canonical(section[1]) or section[1])
        built.items.append(Section(section[0], section[1], block.source))
        return True
    follows = next((b for b in blocks[index + 1 :] if not (isinstance(b, Paragraph) and not b.text.strip())), None)
    if block.level > 0 or isinstance(follows, Table):
        agency = agency_named(text, agencies, partnership_too=started)
        if agency is None and block.level in built.agency_levels and isinstance(follows, Table) and name_like(text):
            # "Northshire Homes" names no kind of organisation, but it heads a table as the agencies'
            # headings of its level do (Individual agency action plans): it is one too.
            agency = text
            built.warnings.append(
                (
                    block.source,
                    f"heading {text!r} is taken as the agency of the table below it, as its sibling headings are",
                )
            )
        if agency is not None and (started or isinstance(follows, Table)):
            if block.level > 0 and isinstance(follows, Table):
                built.agency_levels.add(block.level)
            built.items.append(Section("agency", agency, block.source))
            return started
    if started:
        built.items.append(Unplaced(text, block.source))
    else:
        built.title.append(text)
    return started


def _not_a_plan(table: Table, built: Built, started: bool) -> None:
    """A table that is no part of the plan (a cover sheet, a key, a guidance sheet): its lines
    join the title block, whose lines the import names in warnings when they are not the title."""
    lines = [" ".join(" ".join(t for t in row.texts if t.strip()).split()) for row in table.rows]
    lines = [line for line in lines if line]
    if table.stands_alone and (started or built.title) and lines:
        # A sheet after the cover (guidance, a key, notes): named, not read as the title.
        built.warnings.append(
            (table.source, f"the sheet has no plan table (no heading row); not imported: {' | '.join(lines)!r}")
        )
        return
    built.title += lines


def _table(table: Table, at: int, agencies: Agencies, built: Built, document: Document, started: bool) -> None:
    seen = {w for _s, w in built.warnings}
    above: List[str] = []
    dated_columns: Dict[int, int] = {}  # column -> how many date numbers were read as dates
    for number, row in enumerate(table.rows):
        texts = row.texts
        distinct = {t.strip() for t in texts if t.strip()}
        if number < at:  # above the heading row: the sheet's or table's own title lines
            line = " ".join(" ".join(t for t in texts if t.strip()).split())
            section = section_title(line) if len(distinct) == 1 else None
            agency = agency_named(line, agencies, partnership_too=started) if len(distinct) == 1 else None
            if section is not None:
                built.items.append(Section(section[0], section[1], row.source))
            elif agency is not None:
                built.items.append(Section("agency", agency, row.source))
            elif line and not started:
                built.title.append(line)
            elif line:
                built.warnings.append(
                    (row.source, f"text above the table's headings is not part of the plan: {line!r}")
                )
            continue
        if not distinct:
            continue
        if len(distinct) == 1 and not is_header_row(texts):
            only = next(iter(distinct))
            section = section_title(only)
            if section is not None:
                built.items.append(Section(section[0], section[1], row.source))
                continue
            agency = agency_named(only, agencies)
            if agency is not None and _one_cell(row):
                built.items.append(Section("agency", agency, row.source))
                continue
            banner = _banner(only, built.columns)
            if banner is not None:
                built.items.append(Banner(banner[0], banner[1], row.source))
                continue
        if is_header_row(texts):
            built.columns = map_headings(texts, _values_under(table, number))
            built.headings_seen.append(texts)
            built.items.append(Header(texts, row.source))
            for warning in built.columns.warnings:
                if warning not in seen:
                    built.items.append(Note(warning, row.source))
                    seen.add(warning)
            above = []
            continue
        columns = built.columns
        assert columns is not None
        action_index = columns.index("action")
        values = list(texts)
        for i, cell in enumerate(row.cells):
            if cell.merged and i != action_index and i < len(above) and not cell.text.strip():
                values[i] = above[i]
            name = columns.fields.get(i)
            if name in DATE_FIELDS:
                as_date = _date_of(cell, document)
                if as_date is not None:
                    values[i] = as_date
                    if cell.value is not None and not isinstance(cell.value, (dt.date, dt.datetime)):
                        dated_columns[i] = dated_columns.get(i, 0) + 1
        above = values
        new_action: Optional[bool] = row.new_action
        if row.new_action:
            own = row.cells[action_index] if action_index is not None and action_index < len(row.cells) else None
            new_action = own is not None and not own.merged and bool(own.text.strip())
        item = row_of(values, columns, row.source, new_action=new_action)
        # The rating a cell's colour gives: the RAG column's, else (a tracker with no RAG column)
        # an empty progress cell's, whose colour is the rating ("Progress (RAG)" shaded amber; a
        # progress cell that says something says its own rating, if any).
        rag_index = columns.index("rag")
        if rag_index is None:
            progress = columns.index("updates")
            if progress is not None and progress < len(row.cells) and not row.cells[progress].text.strip():
                rag_index = progress
        if rag_index is not None and rag_index < len(row.cells):
            item.colour_rating = row.cells[rag_index].rating
        built.items.append(item)
    for column, count in dated_columns.items():
        built.warnings.append(
            (
                table.source,
                f"column {column_letter(column)}: {count} Excel date number{'s' if count != 1 else ''} read as "
                f"date{'s' if count != 1 else ''} (the workbook's {_epoch_name(document)} date system)",
            )
        )


def _values_under(table: Table, at: int) -> Callable[[int], List[Tuple[str, Optional[str]]]]:
    """The (text, colour rating) of each cell of a column under the heading row at `at`, down
    to the next heading row: what decides a column whose heading names two fields."""
    below: List[Row] = []
    for row in table.rows[at + 1 :]:
        if is_header_row(row.texts):
            break
        below.append(row)

    def values(column: int) -> List[Tuple[str, Optional[str]]]:
        return [(r.cells[column].text, r.cells[column].rating) for r in below if column < len(r.cells)]

    return values


def _one_cell(row: Row) -> bool:
    """A row whose only text is in its first cell (merged across the table, or the other cells
    empty): a sub-heading, not a row that fills in one column."""
    filled = [i for i, c in enumerate(row.cells) if c.text.strip()]
    return filled == [0]


EXCEL_1900 = dt.datetime(1899, 12, 30)
EXCEL_1904 = dt.datetime(1904, 1, 1)
# Date numbers a plan's dates can be: 1990 to 2090 in the 1900 system (Excel's serial numbers).
SERIALS = (32874, 69397)


def _epoch_name(document: Document) -> str:
    return "1904" if document.date_epoch == EXCEL_1904 else "1900"


def _date_of(cell: Cell, document: Document) -> Optional[str]:
    """A spreadsheet's date, or date number, in a date column as the plan writes dates."""
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and float(value).is_integer()
        and cell.text.strip() == str(int(value))  # the cell shows the number itself
    ):
        epoch = document.date_epoch or EXCEL_1900
        serial = int(value)
        if SERIALS[0] <= serial <= SERIALS[1]:
            return (epoch + dt.timedelta(days=serial)).date().isoformat()
    return None


# --- when there is no plan -------------------------------------------------------------------


def _first_labelled(document: Document) -> int:
    from dhrtrack.importing.labelled import first_label

    return first_label(document.paragraphs)


def _nothing_found(document: Document, built: Built) -> str:
    if not any(p.text.strip() for p in document.paragraphs) and not any(
        c.text.strip() for t in document.tables for r in t.rows for c in r.cells
    ):
        return f"{document.path} is empty: an action plan has a table (a heading row and a row per action)"
    if built.headings_seen:
        found = ", ".join(repr(" ".join(h.split())) for h in built.headings_seen[0] if h.strip())
        return f"{document.path} has a heading row ({found}) but no actions under it"
    found = ""
    tables = document.tables
    if tables:
        first = next((r.texts for t in tables for r in t.rows if any(x.strip() for x in r.texts)), [])
        columns = map_headings(first)
        named = ", ".join(repr(" ".join(h.split())) for h in first if h.strip()) or "none"
        missing = [n for n in ("action", "lead") if not columns.has(n)]
        if not columns.has("recommendation") and not columns.has("recommendation_text"):
            missing.append("recommendation")
        found = f"; the first row of its first table is: {named}"
        if missing:
            found += f" (no column for {', '.join(missing)})"
        found += "".join(f"; {w}" for w in columns.warnings[:6])
    else:
        start = " / ".join(p.text for p in document.paragraphs[:3])[:120]
        found = (
            f"; it has no table, and no labelled recommendations; it starts: {start!r}" if start else "; it is empty"
        )
    return f"{document.path} holds no action plan that dhrtrack can read: expected {EXPECTED}{found}"


def _no_recommendations(document: Document, built: Built) -> str:
    headings = built.headings_seen[0] if built.headings_seen else []
    found = ", ".join(repr(" ".join(h.split())) for h in headings if h.strip())
    return (
        f"{document.path} has no numbered recommendations under its headings ({found}): expected a number column "
        '(1, 1., 1.1, Rec 1) or recommendation cells that start with their number ("1. ...", "Recommendation 1: ...")'
    )
