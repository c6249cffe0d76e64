"""Return workbooks (.xlsx) and CSV forms: one per lead agency, one row per open action, read-only
columns the agency reads and input columns it fills in. The headings and sheets are the return
format's (dhrtrack.importing.returns), so what is written here reads back there.

The workbook: an Actions sheet (protected without a password: only the input cells can be
changed; a drop-down for New RAG; date validation for the date inputs; frozen heading row and
Ref column; printed A4 landscape, as wide as the page), an Instructions sheet, and a hidden
sheet holding each row's Ref and the snapshot of its action, so a stale answer is recognised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from typing import Any, Dict, Iterable, List, Optional, Tuple

from dhrtrack.i18n import _, language, n_, p_, pN_, settings, tag
from dhrtrack.importing import returns as form
from dhrtrack.importing.returns import Outcome, rag_choices, said
from dhrtrack.plan.dates import duration_words
from dhrtrack.render.xlsx import fit_cell, pages_across, row_points, text_lines
from dhrtrack.reports.returns import DUE_SOON, OVERDUE, UNRATED, AgencyReturn, ReturnRow, Returns
from dhrtrack.wording import FORMAT_VERSION, FORMULA_STARTS, date_words, plural, rag_word, spreadsheet_safe

WIDTHS = {
    form.REF: 16,
    form.REVIEW: 14,
    form.RECOMMENDATION: 34,
    form.ACTION: 38,
    form.TARGET: 10,
    form.DUE: 11,
    form.FLAG: 12,
    form.RAG: 11,  # "RAG presennol": the longest word of a heading fits its column
    form.LATEST: 28,
    form.CURRENT_OUTCOME: 24,
    form.NEW_RAG: 10,
    form.UPDATE: 34,
    form.OUTCOME: 28,
    form.COMPLETED_ON: 12,
    form.NEW_TARGET: 12,
    form.EVIDENCE: 24,
}
RAG_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "complete": "BDD7EE"}
INPUT_FILL = "FFFFE0"  # the cells to fill in: a light yellow, as forms commonly mark them
DAY_FORMAT = "dd/mm/yyyy"


_FLAGS = {OVERDUE: pN_("flag", "overdue"), DUE_SOON: pN_("flag", "due soon"), UNRATED: pN_("flag", "unrated")}


def flag_words(row: ReturnRow) -> Optional[str]:
    if row.flag == OVERDUE and row.days_overdue is not None and row.due is not None:
        late = duration_words(row.due, row.due + dt.timedelta(days=row.days_overdue))
        return _("overdue {duration}").format(duration=late)
    return p_("flag", _FLAGS[row.flag]) if row.flag else None


def _read_only(row: ReturnRow) -> Dict[str, Any]:
    return {
        form.REF: row.ref,
        form.REVIEW: row.review,
        form.RECOMMENDATION: row.recommendation,
        form.ACTION: row.action,
        form.TARGET: row.target,
        form.DUE: row.due,
        form.FLAG: flag_words(row),
        form.RAG: rag_word(row.rag) if row.rag else None,
        form.LATEST: row.latest_update,
        form.CURRENT_OUTCOME: row.outcome,
    }


def instructions(agency_return: AgencyReturn, returns: Returns) -> List[str]:
    """The Instructions sheet, a line a row, in the language of the return."""
    overdue, soon, unrated = (agency_return.count(flag) for flag in (OVERDUE, DUE_SOON, UNRATED))
    counts = [
        n_("{n} overdue action", "{n} overdue actions", overdue).format(n=overdue),
        n_("{n} action due within {days} days", "{n} actions due within {days} days", soon).format(
            n=soon, days=returns.within_days
        ),
        n_("{n} unrated action", "{n} unrated actions", unrated).format(n=unrated),
    ]
    rows = len(agency_return.rows)
    choices = ", ".join(rag_choices())
    lines = [
        _("{kind} action plans: update return for {agency}").format(
            kind=agency_return.kinds(), agency=agency_return.agency
        ),
        _("Written {written}. Please return it by {reply_by}.").format(
            written=date_words(returns.as_of), reply_by=date_words(returns.reply_by)
        ),
        "",
        n_(
            "The {sheet} sheet lists the {n} open action your agency leads ({counts}).",
            "The {sheet} sheet lists the {n} open actions your agency leads ({counts}).",
            rows,
        ).format(sheet=said(form.ACTIONS_SHEET), n=rows, counts="; ".join(counts)),
        _("For each action, fill in the yellow columns; leave a row empty if there is nothing new:"),
        "  "
        + _("{column}: one of {choices} (choose from the list).").format(column=said(form.NEW_RAG), choices=choices),
        "  "
        + _("{column}: what has happened since the last update, and who is giving it.").format(
            column=said(form.UPDATE)
        ),
        "  "
        + _("{column}: what was achieved (needed to rate an action complete); it replaces the {current} shown.").format(
            column=said(form.OUTCOME), current=said(form.CURRENT_OUTCOME)
        ),
        "  " + _("{column}: the date the action was completed.").format(column=said(form.COMPLETED_ON)),
        "  "
        + _("{column}: a new target date, if the action will not be done by its target.").format(
            column=said(form.NEW_TARGET)
        ),
        "  " + _("{column}: the document, minutes or audit that shows it.").format(column=said(form.EVIDENCE)),
        "",
        _("Please do not change the other columns, add or remove rows, or rename the file's sheets:"),
        _("each row is matched to its action by its {column}. Extra columns you add are ignored.").format(
            column=said(form.REF)
        ),
        _("An answer about an action that has changed since this return was written is not applied"),
        _("without checking with you."),
        _("This return (id {id}) answers for {agency} only, and is signed:").format(
            id=agency_return.return_id, agency=agency_return.agency
        ),
        _("rows added for other actions, or a changed hidden sheet, mean none of it can be applied."),
    ]
    if returns.sender:
        lines += ["", _("Questions: {sender}").format(sender=returns.sender)]
    return lines


def identity(agency_return: AgencyReturn, returns: Returns, key: bytes) -> List[Tuple[str, str]]:
    """Whose return it is, and the signature over that and every row's Ref and snapshot."""
    written = returns.as_of.isoformat()
    rows = [(row.ref, row.snapshot) for row in agency_return.rows]
    signed = form.signature(key, agency_return.agency, agency_return.return_id, written, rows)
    return [
        (form.RETURN_ID, agency_return.return_id),
        (form.AGENCY, agency_return.agency),
        (form.WRITTEN, written),
        (form.SIGNATURE, signed),
    ]


GUIDE_WIDTH = 85  # the Instructions sheet's one column: an A4 page, upright, at full size


def _append_fitted(sheet: Any, number: int, cells: List[Any], texts: Iterable[Tuple[Optional[str], float]]) -> None:
    """Append row number (from 1) to a write-only sheet, as tall as its longest wrapped text
    (see xlsx.row_points). texts: each cell's text (None for none) and its column's width."""
    lines = max([text_lines(text, width) for text, width in texts if text] + [1])
    if lines > 1:
        # A mapping, not a RowDimension: openpyxl writes its attributes as they are, and a
        # RowDimension adds customHeight, which stops Excel growing the row as someone types.
        sheet.row_dimensions[number] = {"ht": str(row_points(lines))}
    sheet.append(cells)


# A return's table on one page across printed at under half size (5pt text); at three quarters
# or more it takes two: what the plan says, then what the agency says, the reference on both.
SMALLEST_PRINT = 0.75


def _print_setup(sheet: Any, widths: List[float]) -> None:
    """A4: upright for one column of text; landscape for a table, on as few pages across as
    print it at SMALLEST_PRINT or larger (the reference column and the heading row on every
    page), the pages of one band of rows together."""
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = pages_across([("", w) for w in widths], SMALLEST_PRINT)
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if len(widths) > 1:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.pageOrder = "overThenDown"
        sheet.print_title_rows = "1:1"
        sheet.print_title_cols = "A:A"


def to_xlsx(agency_return: AgencyReturn, returns: Returns, key: bytes) -> bytes:
    # Write-only: rows stream to the file and styles are shared arrays, built once per kind of
    # cell, so a return of thousands of rows costs little (see render/export.py).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(said(form.ACTIONS_SHEET))
    headings = list(form.READ_ONLY + form.INPUTS)
    for index, heading in enumerate(headings, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[heading]
    sheet.freeze_panes = "B2"
    # Before the first row: a write-only sheet writes its properties (fit to page among them)
    # ahead of the rows, so print settings made after them are lost.
    _print_setup(sheet, [WIDTHS[h] for h in headings])
    widths = [WIDTHS[h] for h in headings]

    wrap = Alignment(vertical="top", wrap_text=True)
    locked, unlocked = Protection(locked=True), Protection(locked=False)

    def style(
        number_format: str = "General", fill: Optional[str] = None, bold: bool = False, edit: bool = False
    ) -> Any:
        model = WriteOnlyCell(sheet)
        model.alignment, model.number_format = wrap, number_format
        model.protection = unlocked if edit else locked
        if fill:
            model.fill = PatternFill("solid", fgColor=fill)
        if bold:
            model.font = Font(name="Calibri", size=11, bold=True)  # no name: LibreOffice falls back to a serif
        return model._style  # shared by every cell of its kind, never changed

    heading_style = style(fill="D9D9D9", bold=True)
    input_heading_style = style(fill="FFE699", bold=True)
    text_style, plain_style, day_style = style("@"), style(), style(DAY_FORMAT)
    rag_styles = {rag: style(fill=colour) for rag, colour in RAG_FILLS.items()}
    overdue_style = style(fill=RAG_FILLS["red"], bold=True)
    # The input columns are styled as columns (unlocked, yellow, dates as dates): their empty
    # cells take the column's style in Excel and LibreOffice, so no cell is written for them.
    input_styles = {
        heading: style(
            DAY_FORMAT if heading in form.DATE_INPUTS else "@" if heading != form.NEW_RAG else "General",
            fill=INPUT_FILL,
            edit=True,
        )
        for heading in form.INPUTS
    }
    for index, heading in enumerate(headings, 1):
        if heading in input_styles:
            sheet.column_dimensions[get_column_letter(index)]._style = input_styles[heading]

    def cell(value: Any, cell_style: Any) -> Any:
        if isinstance(value, str):
            value = fit_cell(value) or value  # a text longer than Excel keeps, cut and marked
        made = WriteOnlyCell(sheet, value=value)
        made._style = cell_style
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            made.data_type = "s"  # text that looks like a formula stays text: a return never runs a plan's words
        return made

    def heading_cell(heading: str) -> Any:
        return cell(said(heading), input_heading_style if heading in form.INPUTS else heading_style)

    _append_fitted(sheet, 1, [heading_cell(h) for h in headings], zip([said(h) for h in headings], widths))
    for number, row in enumerate(agency_return.rows, 2):
        values = _read_only(row)
        cells: List[Any] = []
        for heading in form.READ_ONLY:
            value = values[heading]
            if value is None:
                cells.append(None)  # no cell: an empty one looks the same and costs nothing
            elif heading == form.DUE:
                cells.append(cell(value, day_style))
            elif heading == form.RAG:
                cells.append(cell(value, rag_styles.get(row.rag or "", plain_style)))
            elif heading == form.FLAG:
                cells.append(cell(value, overdue_style if row.flag == OVERDUE else plain_style))
            else:
                cells.append(cell(value, text_style))  # ids like 1.10 and targets stay as written
        texts = [values[h] if isinstance(values[h], str) else None for h in form.READ_ONLY]
        _append_fitted(sheet, number, cells, zip(texts, widths))
    last = len(agency_return.rows) + 1
    column = {h: get_column_letter(i) for i, h in enumerate(headings, 1)}
    if agency_return.rows:
        words = list(rag_choices())
        choices = DataValidation(
            type="list",
            formula1='"' + ",".join(words) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=said(form.NEW_RAG),
            error=_("Choose one of: {choices}.").format(choices=", ".join(words)),
        )
        choices.add(f"{column[form.NEW_RAG]}2:{column[form.NEW_RAG]}{last}")
        dates = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="1",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Date"),
            error=_("Enter a date, e.g. 31/03/2027."),
        )
        for heading in form.DATE_INPUTS:
            dates.add(f"{column[heading]}2:{column[heading]}{last}")
        sheet.data_validations.append(choices)
        sheet.data_validations.append(dates)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{last}"
    # Protected with no password: the read-only columns cannot be changed by accident; filtering
    # and resizing stay allowed.
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    # In a header or footer "&" starts a code (&P is the page number): a literal one is "&&".
    pages = _("page {page} of {pages}").replace("&", "&&").format(page="&P", pages="&N")
    sheet.oddFooter.center.text = f"{agency_return.agency.replace('&', '&&')} - {pages}"

    guide = workbook.create_sheet(said(form.INSTRUCTIONS_SHEET))
    guide.column_dimensions["A"].width = GUIDE_WIDTH
    _print_setup(guide, [GUIDE_WIDTH])
    for number, line in enumerate(instructions(agency_return, returns), 1):
        _append_fitted(guide, number, [cell(line, plain_style) if line else None], [(line, GUIDE_WIDTH)])
    guide.protection.sheet = True

    check = workbook.create_sheet(form.CHECK_SHEET)
    check.sheet_state = "hidden"
    for name, value in identity(agency_return, returns, key):
        check.append([name, value])
    check.append([])
    check.append([form.REF, form.CHECK])
    for row in agency_return.rows:
        check.append([row.ref, row.snapshot])
    check.protection.sheet = True

    workbook.properties.title = _("{kind} action plan return: {agency}").format(
        kind=agency_return.kinds(), agency=agency_return.agency
    )
    workbook.properties.subject = _("Written by dhrtrack on {date}").format(date=date_words(returns.as_of))
    workbook.properties.language = tag()
    workbook.properties.creator = workbook.properties.lastModifiedBy = "dhrtrack"  # not "openpyxl"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(agency_return: AgencyReturn, returns: Returns, key: bytes) -> bytes:
    """The CSV form: a line saying whose return it is, with its signature; the same columns, and
    the snapshot in a last Check column. A byte-order mark so that Excel reads it as UTF-8;
    formula-like text neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [_csv_value(part) for name, value in identity(agency_return, returns, key) for part in (said(name), value)]
    )
    writer.writerow([said(h) for h in form.READ_ONLY + form.INPUTS + (form.CHECK,)])
    for row in agency_return.rows:
        values = _read_only(row)
        shown = [_csv_value(values[h]) for h in form.READ_ONLY]
        writer.writerow(shown + [""] * len(form.INPUTS) + [row.snapshot])
    return buffer.getvalue().encode("utf-8")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return spreadsheet_safe(value)


RETURN_RENDERERS = {"xlsx": to_xlsx, "csv": to_csv}


def _render(job: Tuple[str, AgencyReturn, Returns, bytes, Tuple[str, Optional[str]]]) -> bytes:
    fmt, agency_return, returns, key, spoken = job
    with language(*spoken):  # a worker process says it in the chase's language too
        return RETURN_RENDERERS[fmt](agency_return, returns, key)


def render_all(made: Returns, fmt: str, key: bytes) -> List[bytes]:
    """Every agency's return, signed with the coordinator's key, in worker processes when there
    are many (a national run writes a hundred workbooks of thousands of cells each)."""
    from dhrtrack.plan.parallel import parallel_map

    alone = replace(made, returns=[])  # what each return needs of the run, without the others
    spoken = settings()
    return parallel_map(_render, [(fmt, r, alone, key, spoken) for r in made.returns], jobs=None)


def outcome_lines(outcome: Outcome) -> List[str]:
    """What `dhrtrack apply` says about each return (standard error): applied, already applied,
    unanswered, stale rows skipped, or refused with every problem; then validate's warnings."""
    lines: List[str] = []
    for applied in outcome.returns:
        who = f" ({applied.agency})" if applied.agency else ""
        if applied.refused:
            lines.append(f"{applied.path}{who}: refused, nothing applied ({plural(len(applied.problems), 'problem')}):")
            lines += [f"  {problem}" for problem in applied.problems]
            continue
        counts = [f"{plural(len(applied.applied), 'answer')} applied"]
        if applied.already:
            counts.append(f"{applied.already} already applied")
        if applied.stale:
            counts.append(f"{len(applied.stale)} stale skipped")
        counts.append(f"{applied.unanswered} unanswered")
        lines.append(f"{applied.path}{who}: " + ", ".join(counts))
        lines += [f"  {ref}: {'; '.join(changes)}" for ref, changes in applied.applied if changes]
        lines += [f"  skipped: {stale}" for stale in applied.stale]
        if applied.ignored_columns:
            lines.append(f"  columns not read: {', '.join(applied.ignored_columns)}")
    return lines + outcome.warnings


def outcome_document(outcome: Outcome, written: bool) -> dict:
    """The JSON shape of `dhrtrack apply --format json`."""
    return {
        "format_version": FORMAT_VERSION,
        "written": written,
        "returns": [
            {
                "file": applied.path,
                "agency": applied.agency,
                "refused": applied.refused,
                "problems": applied.problems,
                "applied": [{"ref": ref, "changes": changes} for ref, changes in applied.applied],
                "already_applied": applied.already,
                "stale_skipped": applied.stale,
                "unanswered": applied.unanswered,
                "ignored_columns": applied.ignored_columns,
            }
            for applied in outcome.returns
        ],
        "plans": [
            dict(
                {"file": edit.file, "actions": [a.ident for a in edit.edited.actions]},
                **({} if written else {"diff": edit.edited.diff}),
            )
            for edit in outcome.edits
        ],
        "warnings": outcome.warnings,
    }
