"""Importing action plans from the forms partnerships already keep them in: the template table
as exported text, Word documents, CSV and Excel sheets."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from dhrtrack.importing.cells import Agencies
from dhrtrack.importing.template import Builder, Header, ImportFailed, Result, Unplaced

# The Home Office template's headings, as error messages quote them.
TEMPLATE_HEADINGS = (
    "Recommendation",
    "Scope of recommendation",
    "Action to take",
    "Lead Agency",
    "Key milestones achieved in enacting recommendation",
    "Target Date",
    "Date of completion and Outcome",
)

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
    from dhrtrack.importing.text import read_title_block

    try:
        found = sheet.read_csv(path) if kind == "csv" else sheet.read_xlsx(path)
    except OSError as error:
        raise ImportFailed(f"cannot read {path}: {error.strerror or error}") from None
    title_block, headings, data = sheet.split_header(found)
    rows = [(found.source(i), row) for i, row in data]
    colours = {(found.source(r), c): rating for (r, c), rating in found.colours.items()}
    block = read_title_block(title_block)
    results = sheet.build_reviews(
        headings, rows, agencies, review_id or block.id, title or block.title, partnership, colours, split
    )
    for result in results:
        result.warnings[:0] = _unused(block.unused)
    return results


def _unused(lines: List[str]) -> List[Tuple[str, str]]:
    shown = [line if len(line) <= 100 else line[:99] + "…" for line in lines]
    return [("title block", f"text above the table is not part of the plan: {line!r}") for line in shown]


def _import_template(
    path: str, kind: str, agencies: Agencies, review_id: Optional[str], title: Optional[str], partnership: Optional[str]
) -> Result:
    from dhrtrack.importing.text import read_title_block

    warnings: List[Tuple[str, str]] = []
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
    block = read_title_block(heading)
    found_id, found_title = block.id, block.title
    warnings += _unused(block.unused)
    headers = [item for item in items if isinstance(item, Header)]
    result = Builder(agencies).build(items, review_id or found_id or "", title or found_title, partnership)
    if not result.plan["recommendations"]:
        if not headers:
            first = " / ".join(heading[:3]) or next((i.text for i in items if isinstance(i, Unplaced)), "")
            raise ImportFailed(
                f"{path} has no rows under an action plan's column headings: expected the Home Office template's "
                f"table ({' | '.join(TEMPLATE_HEADINGS)}) or a table with such headings"
                + (f"; the document starts: {first[:120]!r}" if first else "")
            )
        found = ", ".join(repr(c.strip()) for c in headers[0].cells if c.strip())
        raise ImportFailed(
            f"{path} has no numbered recommendations under its headings ({found}): expected a number column (1, 1., "
            '1.1, Rec 1) or recommendation cells that start with their number ("1. ...", "Recommendation 1: ...")'
        )
    if not (review_id or found_id):
        raise ImportFailed(f"{path} does not say which review it is in its title: give --review-id")
    result.warnings[:0] = warnings
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


@dataclass
class Planned:
    """A plan an import would write: where, its text, and what the import found."""

    path: str
    text: str
    result: Result


def plan_files(results: List[Result], source: str, output: str, split: bool) -> List[Planned]:
    """What an import writes: one file, or with split one file per review in the output
    directory, named after the review ("NSDHR 2021/03" -> nsdhr-2021-03.yaml)."""
    if not split:
        return [Planned(output, plan_text(results[0], source), results[0])]
    names: Dict[str, int] = {}
    planned = []
    for result in results:
        stem = re.sub(r"[^a-z0-9]+", "-", result.plan["review"]["id"].lower()).strip("-") or "review"
        names[stem] = names.get(stem, 0) + 1
        if names[stem] > 1:
            stem = f"{stem}-{names[stem]}"
        planned.append(Planned(os.path.join(output, stem + ".yaml"), plan_text(result, source), result))
    return planned


def _agencies(registry_files: List[str]) -> Agencies:
    agencies = Agencies()
    if registry_files:
        from dhrtrack.plan import registry

        reg, _problems = registry.load(registry_files)
        for agency in reg.agencies if reg else []:
            agencies.add(agency.name, agency.aliases)
    return agencies


__all__ = ["ImportFailed", "Planned", "Result", "import_file", "import_reviews", "plan_files", "plan_text"]
