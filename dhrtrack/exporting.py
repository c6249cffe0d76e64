"""Export: one row per action for spreadsheet users (CSV, XLSX) and programs (JSON)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any, Dict, List, Tuple

from dhrtrack.dates import due_date

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
WIDTHS = {"review": 18, "title": 30, "partnership": 30, "file": 24, "recommendation": 10, "recommendation_text": 50, "section": 10, "agency": 28,
          "scope": 9, "action_id": 9, "action": 50, "lead": 30, "owner": 24, "milestones": 40, "target": 11,
          "due": 11, "rag": 10, "overdue": 9, "outcome": 50, "completed": 11}
RAG_FILLS = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "complete": "BDD7EE"}


def rows(plans: List[Tuple[str, dict]], as_of: dt.date) -> List[Dict[str, Any]]:
    out = []
    for file, plan in plans:
        for rec in plan["recommendations"]:
            for action in rec["actions"]:
                target = action.get("target")
                due = due_date(target) if target else None
                out.append({
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
                    "overdue": bool(due is not None and due < as_of and action.get("rag") != "complete"),
                    "outcome": action.get("outcome"),
                    "completed": action.get("completed"),
                })
    return out


def _cell(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key == "milestones":
        return "\n".join(value)
    if key == "overdue":
        return "yes" if value else "no"
    return value


def to_csv(data: List[Dict[str, Any]], bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for heading, _key in COLUMNS])
    for row in data:
        writer.writerow([_cell(key, row[key]) for _heading, key in COLUMNS])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_json(data: List[Dict[str, Any]], as_of: dt.date) -> bytes:
    return (json.dumps({"as_of": as_of.isoformat(), "actions": data}, indent=2, ensure_ascii=False) + "\n").encode()


def to_xlsx(data: List[Dict[str, Any]], as_of: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append([heading for heading, _key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    rag_column = [key for _h, key in COLUMNS].index("rag") + 1
    for row in data:
        sheet.append([_cell(key, row[key]) for _heading, key in COLUMNS])
        rag = row["rag"]
        if rag in RAG_FILLS:
            sheet.cell(row=sheet.max_row, column=rag_column).fill = PatternFill("solid", fgColor=RAG_FILLS[rag])
    for index, (_heading, key) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    wrap = Alignment(vertical="top", wrap_text=True)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"Action plan export as of {as_of.isoformat()}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
