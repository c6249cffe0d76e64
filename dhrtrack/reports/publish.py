"""What may be published, from the field table (`public`, docs/design.md §6): a plan's data with
only its publishable fields, the rows and columns of the open data, and the Frictionless data
package that describes them (`dhrtrack site`'s data/, `dhrtrack export --format datapackage`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterator, List

from dhrtrack.plan import fields
from dhrtrack.plan.store import Loaded
from dhrtrack.reports import export

_LEVELS = (fields.REVIEW, fields.RECOMMENDATION, fields.ACTION)


def kept(level: str, public: bool) -> frozenset:
    """The names of a level's fields a build shows: all of them, or the publishable ones."""
    return frozenset(f.name for f in fields.fields(level) if f.public or not public)


_PUBLIC = {level: kept(level, True) for level in _LEVELS}


def left_out() -> List[fields.Field]:
    """The fields a public build leaves out (every level a page shows: review, recommendation,
    action), in the house order."""
    return [f for level in _LEVELS for f in fields.fields(level) if not f.public]


def published(data: dict, public: bool) -> dict:
    """A plan's data as a build shows it: whole, or with only the publishable fields. A new copy
    of the mappings either way is not needed: the internal build reads the data as it is."""
    if not public:
        return data
    review, recommendation, action = (_PUBLIC[level] for level in _LEVELS)
    return {
        "schema_version": data["schema_version"],
        "review": {k: v for k, v in data["review"].items() if k in review},
        "recommendations": [
            {
                **{k: v for k, v in rec.items() if k in recommendation and k != "actions"},
                "actions": [{k: v for k, v in a.items() if k in action} for a in rec["actions"]],
            }
            for rec in data["recommendations"]
        ],
    }


def columns(public: bool) -> List[fields.Column]:
    """The open data's columns: the export's (the field table's row of an action), without the
    fields a public build leaves out."""
    return [c for c in export.COLUMNS if c.field is None or c.field.public or not public]


def rows(loaded: Loaded, as_of: dt.date, public: bool) -> Iterator[Dict[str, Any]]:
    """One row per action (the export's rows), with only the columns of `columns(public)`."""
    keys = [c.key for c in columns(public)]
    for row in export.rows(loaded, as_of):
        yield {key: row[key] for key in keys}


REVIEW_COLUMNS = (
    ("review", "Review", "string"),
    ("file", "File", "string"),
    ("actions", "Actions", "integer"),
    ("complete", "Complete", "integer"),
    ("green", "Green", "integer"),
    ("amber", "Amber", "integer"),
    ("red", "Red", "integer"),
    ("missing_rag", "Unrated", "integer"),
    ("overdue", "Overdue", "integer"),
    ("no_target", "No target", "integer"),
)

# A field's kind as a Table Schema type: lists are written an item a line, a month target may be
# a month or a day (so text), the overdue flag yes or no.
_TYPES = {"version": "integer", "number": "integer", "date": "date", "flag": "boolean"}


def _schema_field(column: fields.Column) -> Dict[str, Any]:
    out: Dict[str, Any] = {"name": column.key, "title": column.label, "type": _TYPES.get(column.kind, "string")}
    if column.kind == "flag":
        out.update(trueValues=["yes"], falseValues=["no"])
    choices = column.field.choices if column.field else ()
    if choices:
        out["constraints"] = {"enum": list(choices)}
    if column.field is not None and column.field.is_list:
        out["description"] = f"one {column.field.item or 'entry'} a line"
    return out


def datapackage(public: bool, as_of: dt.date, title: str) -> Dict[str, Any]:
    """The data package's descriptor (datapackage.json): one tabular resource a CSV, each with
    its table schema. No creation time: the same plans give the same file."""
    audience = "publishable fields only" if public else "every field: internal, not for publication"
    return {
        "profile": "tabular-data-package",
        "name": "dhrtrack-action-plans",
        "title": title,
        "description": (
            f"Domestic Homicide Review action plans as of {as_of.isoformat()} ({audience}). "
            "Text that a spreadsheet would run as a formula starts with an apostrophe."
        ),
        "resources": [
            {
                "name": "actions",
                "path": "actions.csv",
                "profile": "tabular-data-resource",
                "title": "One row per action",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [_schema_field(c) for c in columns(public)],
                    "missingValues": [""],
                },
            },
            {
                "name": "reviews",
                "path": "reviews.csv",
                "profile": "tabular-data-resource",
                "title": "One row per review: its actions by rating",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": k, "title": label, "type": kind} for k, label, kind in REVIEW_COLUMNS],
                    "missingValues": [""],
                    "primaryKey": ["file"],
                },
            },
        ],
    }
