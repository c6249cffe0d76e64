"""Export: one row per action, for spreadsheet users (CSV, XLSX) and programs (JSON). The rows
and their columns; dhrtrack.render.export writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterator, List, Tuple

from dhrtrack.plan.dates import due_date
from dhrtrack.plan.model import is_overdue
from dhrtrack.plan.store import Loaded

# (heading, key). The headings read back through `dhrtrack import`.
COLUMNS: List[Tuple[str, str]] = [
    ("Review", "review"),
    ("Review title", "title"),
    ("Partnership", "partnership"),
    ("File", "file"),
    ("Recommendation number", "recommendation"),
    ("Recommendation", "recommendation_text"),
    ("Section", "section"),
    ("Agency", "agency"),
    ("Scope", "scope"),
    ("Action id", "action_id"),
    ("Action", "action"),
    ("Lead", "lead"),
    ("Owner", "owner"),
    ("Milestones", "milestones"),
    ("Target date", "target"),
    ("Due date", "due"),
    ("RAG", "rag"),
    ("Overdue", "overdue"),
    ("Outcome", "outcome"),
    ("Completed", "completed"),
]
WIDTHS = {
    "review": 18,
    "title": 30,
    "partnership": 30,
    "file": 24,
    "recommendation": 10,
    "recommendation_text": 50,
    "section": 10,
    "agency": 28,
    "scope": 9,
    "action_id": 9,
    "action": 50,
    "lead": 30,
    "owner": 24,
    "milestones": 40,
    "target": 11,
    "due": 11,
    "rag": 10,
    "overdue": 9,
    "outcome": 50,
    "completed": 11,
}


def rows(loaded: Loaded, as_of: dt.date) -> Iterator[Dict[str, Any]]:
    """One row per action, plan by plan, made as they are written: a national export never holds
    every plan's data, or every row, at once."""
    for model in loaded.plans:
        file, plan = model.file, loaded.take_data(model)
        for rec in plan["recommendations"]:
            for action in rec["actions"]:
                target = action.get("target")
                due = due_date(target) if target else None
                yield (
                    {
                        "review": plan["review"]["id"],
                        "title": plan["review"].get("title"),
                        "partnership": plan["review"].get("partnership"),
                        "file": file,
                        "recommendation": rec["number"],
                        "recommendation_text": rec["text"],
                        "section": rec["section"],
                        "agency": rec.get("agency"),
                        "scope": rec.get("scope"),
                        "action_id": action["id"],
                        "action": action["action"],
                        "lead": action["lead"],
                        "owner": action.get("owner"),
                        "milestones": list(action.get("milestones") or []),
                        "target": target,
                        "due": due.isoformat() if due else None,
                        "rag": action.get("rag"),
                        "overdue": is_overdue(due, action.get("rag"), as_of),
                        "outcome": action.get("outcome"),
                        "completed": action.get("completed"),
                    }
                )
