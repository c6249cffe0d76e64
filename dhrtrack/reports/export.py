"""Export: one row per action, for spreadsheet users (CSV, XLSX) and programs (JSON). The rows
and their columns, both from the field table (dhrtrack.plan.fields): every field of the plan, and
the computed file, due date and overdue flag; dhrtrack.render.export writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterator, List, Optional, Tuple

from dhrtrack.plan import fields
from dhrtrack.plan.dates import due_date
from dhrtrack.plan.model import is_overdue
from dhrtrack.plan.store import Loaded

# The columns in order; their labels are the headings, which read back through `dhrtrack import`.
COLUMNS: List[fields.Column] = fields.row_columns()


def _pairs(level: str) -> List[Tuple[str, Optional[fields.Field], bool]]:
    """(column, field, is a list) of a level's columns, in the columns' order; a computed
    column's field is None."""
    return [(c.key, c.field, c.kind in fields.LIST_KINDS) for c in COLUMNS if c.level == level]


_REVIEW, _RECOMMENDATION, _ACTION = (_pairs(level) for level in (fields.REVIEW, fields.RECOMMENDATION, fields.ACTION))


def _values(
    data: dict, pairs: List[Tuple[str, Optional[fields.Field], bool]], computed: Dict[str, Any]
) -> Dict[str, Any]:
    # Lists are copied (a row never shares a list with the plan's data), absent ones are empty.
    return {
        key: (list(data.get(f.name) or ()) if is_list else fields.value_in(data, f)) if f else computed[key]
        for key, f, is_list in pairs
    }


def rows(loaded: Loaded, as_of: dt.date) -> Iterator[Dict[str, Any]]:
    """One row per action, plan by plan, made as they are written: a national export never holds
    every plan's data, or every row, at once."""
    for model in loaded.plans:
        plan = loaded.take_data(model)
        review = _values(plan["review"], _REVIEW, {"file": model.file})
        for rec in plan["recommendations"]:
            recommendation = _values(rec, _RECOMMENDATION, {})
            for action in rec["actions"]:
                target = action.get("target")
                due = due_date(target) if target else None
                computed = {
                    "due": due.isoformat() if due else None,
                    "overdue": is_overdue(due, action.get("rag"), as_of),
                }
                yield {**review, **recommendation, **_values(action, _ACTION, computed)}
