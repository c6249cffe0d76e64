"""Importing action plans from the forms partnerships keep and publish them in: each reader
(dhrtrack.importing.readers) makes one document model, and one builder
(dhrtrack.importing.build) makes the plans."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Dict, List, Optional

from dhrtrack.importing.cells import Agencies
from dhrtrack.importing.template import ImportFailed, Result


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
    from dhrtrack.importing.build import build
    from dhrtrack.importing.readers import read

    document = read(path)
    return build(document, _agencies(registry_files or []), review_id, title, partnership, split)


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
