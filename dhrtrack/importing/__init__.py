"""Importing action plans from the forms partnerships already keep them in: the template table
as exported text, Word documents, CSV and Excel sheets."""

from __future__ import annotations

import os
from typing import List, Optional

from dhrtrack.importing.cells import Agencies
from dhrtrack.importing.template import Builder, ImportFailed, Result

SUFFIXES = {".txt": "text", ".text": "text", ".tsv": "text", ".docx": "docx", ".csv": "csv", ".xlsx": "xlsx"}


def import_file(
    path: str,
    review_id: Optional[str] = None,
    title: Optional[str] = None,
    partnership: Optional[str] = None,
    registry_files: Optional[List[str]] = None,
) -> Result:
    kind = SUFFIXES.get(os.path.splitext(path)[1].lower())
    if kind is None:
        raise ImportFailed(f"{path}: dhrtrack imports .txt (exported template table), .docx, .csv and .xlsx files")
    agencies = _agencies(registry_files or [])
    if kind in ("csv", "xlsx"):
        from dhrtrack.importing import sheet

        try:
            headings, rows = sheet.read_csv(path) if kind == "csv" else sheet.read_xlsx(path)
        except OSError as error:
            raise ImportFailed(f"cannot read {path}: {error.strerror or error}") from None
        return sheet.build(headings, rows, agencies, review_id, title, partnership)
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
    from dhrtrack.importing.text import review_from_heading

    found_id, found_title = review_from_heading(heading)
    if not any(getattr(item, "cells", None) for item in items):
        raise ImportFailed(f"{path} has no rows under the template's column headings: nothing to import")
    review_id = review_id or found_id
    if not review_id:
        raise ImportFailed(f"{path} does not say which review it is in its heading: give --review-id")
    result = Builder(agencies).build(items, review_id, title or found_title, partnership)
    result.warnings[:0] = warnings
    if not result.plan["recommendations"]:
        raise ImportFailed(f"{path} has no numbered recommendations: nothing to import")
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


__all__ = ["ImportFailed", "Result", "import_file", "plan_text"]
