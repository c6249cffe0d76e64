"""A partnership's data package: the site's open data (actions and reviews as CSV and JSON, with
a Frictionless descriptor), plus what the national layer needs to answer as the plans would —
the plans themselves (publishable fields only, as YAML the validator reads), their history of
ratings and targets (changes.csv) and the agency registry's names — and provenance: partnership,
repository commit, as-of date and dhrtrack version, under the descriptor's "dhrtrack" property.

FORMAT_VERSION is the version of that property and of the files it names: `gather` refuses a
package of another version rather than read it wrongly. Nothing here reads a clock: the same
plans, commit and as-of date give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from dhrtrack import __version__
from dhrtrack.history.slips import Recorded
from dhrtrack.plan.registry import Registry
from dhrtrack.plan.store import Loaded
from dhrtrack.plan.write import dump_plan
from dhrtrack.render.site import csv_bytes, datapackage_files
from dhrtrack.reports import publish, queries
from dhrtrack.reports.site import slug
from dhrtrack.wording import json_bytes

FORMAT_VERSION = 1
MARK = "dhrtrack"  # the descriptor's property: a data package dhrtrack made, and how to read it
DESCRIPTOR = "datapackage.json"
PLANS_DIR = "plans"
CHANGES = "changes.csv"
# changes.csv: every change of an action's rating or target in the plans' git history.
CHANGE_COLUMNS = ("plan", "action", "field", "old", "new", "date", "commit", "slip")

File = Tuple[str, bytes]


@dataclass(frozen=True)
class Provenance:
    """Where a package's data comes from: whose plans, at which commit, as of which day."""

    partnership: str
    commit: Optional[str]  # the plans repository's HEAD (or --at revision); None outside git
    uncommitted_changes: bool  # the plans differ from that commit (a work tree being edited)
    as_of: dt.date
    dhrtrack_version: str = __version__


def name_of(partnership: str) -> str:
    """The package's name: the partnership's, as Frictionless names are (lower-case, a-z0-9-)."""
    return slug(partnership, "partnership")


def plan_path(plan_name: str) -> str:
    return f"{PLANS_DIR}/{plan_name}.yaml"


def files(
    loaded: Loaded, provenance: Provenance, changes: Sequence[Recorded], history: Optional[str]
) -> Iterator[File]:
    """Every file of the package, the descriptor last (paths relative to the package's directory).
    The plans must have unique names (validate's rule): each is plans/<name>.yaml."""
    day = provenance.as_of
    reviews = queries.summary(queries.scope(loaded, day).scoped, day)
    title = f"Domestic Homicide Review action plans: {provenance.partnership}"
    for path, content in datapackage_files(publish.rows(loaded, day, True), reviews, True, day, title):
        if path != DESCRIPTOR:
            yield path, content
    plans: List[Dict[str, str]] = []
    for plan in sorted(loaded.plans, key=lambda p: p.name):
        content = dump_plan(publish.published(loaded.data(plan), True)).encode("utf-8")
        path = plan_path(plan.name)
        plans.append({"path": path, "review": plan.review, "sha256": hashlib.sha256(content).hexdigest()})
        yield path, content
    yield CHANGES, csv_bytes([(key, None) for key in CHANGE_COLUMNS], (_change_row(c) for c in changes))
    yield DESCRIPTOR, json_bytes(descriptor(provenance, title, plans, agencies_of(loaded.registry), history))


def _change_row(change: Recorded) -> Dict[str, Any]:
    row = {key: getattr(change, key, None) for key in CHANGE_COLUMNS}
    row["slip"] = "yes" if change.slip else "no"
    return row


def agencies_of(registry: Optional[Registry]) -> List[Dict[str, Any]]:
    """The registry's names and aliases (never its contacts: they are not for publication)."""
    if registry is None:
        return []
    return [{"name": a.name, "aliases": list(a.aliases)} for a in registry.agencies]


def descriptor(
    provenance: Provenance,
    title: str,
    plans: List[Dict[str, str]],
    agencies: List[Dict[str, Any]],
    history: Optional[str],
) -> Dict[str, Any]:
    """datapackage.json: the site's descriptor (publishable fields only), named for the
    partnership, versioned by its as-of date, with the history resource and the provenance."""
    package = publish.datapackage(True, provenance.as_of, title)
    package["name"] = name_of(provenance.partnership)
    package["version"] = provenance.as_of.isoformat()
    package["sources"] = [
        {
            "title": f"{provenance.partnership}: action plans"
            + (f", commit {provenance.commit}" if provenance.commit else "")
        }
    ]
    package["resources"].append(
        {
            "name": "changes",
            "path": CHANGES,
            "profile": "tabular-data-resource",
            "title": "Every change of an action's rating or target in the plans' git history",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "plan", "type": "string"},
                    {"name": "action", "type": "string"},
                    {"name": "field", "type": "string", "constraints": {"enum": ["rag", "target"]}},
                    {"name": "old", "type": "string"},
                    {"name": "new", "type": "string"},
                    {"name": "date", "type": "date"},
                    {"name": "commit", "type": "string"},
                    {"name": "slip", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
                ],
                "missingValues": [""],
            },
        }
    )
    package[MARK] = {
        "format_version": FORMAT_VERSION,
        "partnership": provenance.partnership,
        "commit": provenance.commit,
        "uncommitted_changes": provenance.uncommitted_changes,
        "as_of": provenance.as_of.isoformat(),
        "dhrtrack_version": provenance.dhrtrack_version,
        "plans": plans,
        "agencies": agencies,
        "history": history,  # why changes.csv is empty (not a git repository ...), or null
    }
    return package


def provenance(
    loaded: Loaded, paths: Sequence[str], at: Optional[str], partnership: Optional[str], as_of: dt.date
) -> Provenance:
    """The package's provenance: the partnership (--partnership, else the one the plans name),
    the commit the plans are at (--at's, else HEAD, with whether the work tree differs from it;
    none outside a git repository) and the as-of date."""
    from dhrtrack.errors import UsageError
    from dhrtrack.history.git import GitError, Repo
    from dhrtrack.plan.discovery import default_plans_dir

    named = sorted({p.partnership for p in loaded.plans if p.partnership})
    if partnership is None:
        if len(named) != 1:
            raise UsageError(
                "the plans name no partnership (review.partnership)"
                if not named
                else f"the plans name {len(named)} partnerships ({', '.join(named)}): a package is one partnership's"
            )
        partnership = named[0]
    if not partnership.strip() or "\n" in partnership or len(partnership) > 200:
        raise UsageError("--partnership must be the partnership's name on one line")
    where = list(paths) or [default_plans_dir() or "."]
    try:
        repo = Repo(start_of(paths))
        commit = repo.resolve(at or "HEAD")
        changed = at is None and repo.has_changes([os.path.abspath(w) for w in where])
    except GitError:  # not a repository, no commits yet, git missing: no commit to name
        commit, changed = None, False
    return Provenance(partnership.strip(), commit, changed, as_of)


def start_of(paths: Sequence[str]) -> str:
    """Where the plans' git repository is looked for: the first path's directory (a package is
    often made from outside the plans repository)."""
    from dhrtrack.plan.discovery import default_plans_dir

    first = (list(paths) or [default_plans_dir() or "."])[0]
    return first if os.path.isdir(first) else os.path.dirname(os.path.abspath(first)) or "."
