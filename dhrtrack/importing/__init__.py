"""Importing action plans from the forms partnerships already keep them in: the template table
as exported text, Word documents, CSV and Excel sheets."""

from __future__ import annotations

import os
from typing import List, Optional

from dhrtrack.importing.cells import Agencies
from dhrtrack.importing.template import Builder, ImportFailed, Result, Row

SUFFIXES = {".txt": "text", ".text": "text", ".tsv": "text", ".docx": "docx", ".csv": "csv", ".xlsx": "xlsx"}


def import_file(
    path: str,
    review_id: Optional[str] = None,
    title: Optional[str] = None,
    partnership: Optional[str] = None,
    registry_files: Optional[List[str]] = None,
) -> Result:
    """The plan of the one review a document holds (or the one named by review_id)."""
    return import_reviews(path, review_id, title, partnership, registry_files)[0]


def import_reviews(
    path: str,
    review_id: Optional[str] = None,
    title: Optional[str] = None,
    partnership: Optional[str] = None,
    registry_files: Optional[List[str]] = None,
    split: bool = False,
) -> List[Result]:
    """The plan of each review a document holds: one, or with split=True every review a master
    tracker lists (a sheet with a Review or DHR Ref column)."""
    kind = SUFFIXES.get(os.path.splitext(path)[1].lower())
    if kind is None:
        raise ImportFailed(f"{path}: dhrtrack imports .txt (exported template table), .docx, .csv and .xlsx files")
    agencies = _agencies(registry_files or [])
    if kind in ("csv", "xlsx"):
        return _import_sheet(path, kind, agencies, review_id, title, partnership, split)
    if split:
        raise ImportFailed("--split is for spreadsheets that list several reviews (a Review or DHR Ref column)")
    return [_import_template(path, kind, agencies, review_id, title, partnership)]


def _import_sheet(
    path: str,
    kind: str,
    agencies: Agencies,
    review_id: Optional[str],
    title: Optional[str],
    partnership: Optional[str],
    split: bool,
) -> List[Result]:
    from dhrtrack.importing import sheet
    from dhrtrack.importing.text import review_from_heading

    try:
        found = sheet.read_csv(path) if kind == "csv" else sheet.read_xlsx(path)
    except OSError as error:
        raise ImportFailed(f"cannot read {path}: {error.strerror or error}") from None
    title_block, headings, data = sheet.split_header(found)
    rows = [(found.source(i), row) for i, row in data]
    colours = {(found.source(r), c): rating for (r, c), rating in found.colours.items()}
    found_id, found_title = review_from_heading(title_block)
    results = sheet.build_reviews(
        headings, rows, agencies, review_id or found_id, title or found_title, partnership, colours, split
    )
    for result in results:
        result.warnings[:0] = [
            ("title block", f"text above the headings: {line!r}") for line in title_block if found_title is None
        ]
    return results


def _import_template(
    path: str, kind: str, agencies: Agencies, review_id: Optional[str], title: Optional[str], partnership: Optional[str]
) -> Result:
    from dhrtrack.importing.text import review_from_heading

    warnings = []
    if kind == "text":
        from dhrtrack.importing import text as reader

        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise ImportFailed(f"cannot read {path}: {error.strerror or error}") from None
        content, warning = reader.decode(raw)
        if warning:
            warnings.append(("file", warning))
        heading, items = reader.read(content)
    else:
        from dhrtrack.importing import word

        if not os.path.isfile(path):
            raise ImportFailed(f"cannot read {path}: no such file")
        heading, items = word.read(path)
    found_id, found_title = review_from_heading(heading)
    if not any(isinstance(item, Row) for item in items):
        raise ImportFailed(
            f"{path} has no rows under an action plan's column headings: expected the Home Office template's "
            "table (Recommendation | Scope of recommendation | Action to take | Lead Agency | Key milestones | "
            "Target Date | Date of completion and Outcome) or a table with such headings"
            + (f"; the text found starts: {' / '.join(heading[:3])!r}" if heading else "")
        )
    review_id = review_id or found_id
    if not review_id:
        raise ImportFailed(f"{path} does not say which review it is in its title: give --review-id")
    result = Builder(agencies).build(items, review_id, title or found_title, partnership)
    result.warnings[:0] = warnings
    if not result.plan["recommendations"]:
        raise ImportFailed(
            f"{path} has no numbered recommendations: expected a number column (1, 1., 1.1, Rec 1) or recommendation "
            'cells that start with their number ("1. ...", "Recommendation 1: ...")'
        )
    return result


def plan_text(result: Result, source: str) -> str:
    """The imported plan as a plan file in the house style, checked: an importer bug that made
    an invalid plan is refused rather than written."""
    from dhrtrack.plan.validate import valid_data
    from dhrtrack.plan.write import dump_plan

    text = dump_plan(result.plan, [f"Imported by dhrtrack from {os.path.basename(source)}."])
    _data, problem = valid_data(text.encode("utf-8"), source)
    if problem is not None:  # pragma: no cover - a bug in the importer
        raise ImportFailed(
            f"the imported plan is not valid ({problem.line}:{problem.column}: {problem.message}); nothing written"
        )
    return text


def _agencies(registry_files: List[str]) -> Agencies:
    agencies = Agencies()
    if registry_files:
        from dhrtrack.plan import registry

        reg, _problems = registry.load(registry_files)
        for agency in reg.agencies if reg else []:
            agencies.add(agency.name, agency.aliases)
    return agencies


__all__ = ["ImportFailed", "Result", "import_file", "import_reviews", "plan_text"]
