"""Spreadsheets (.csv, .xlsx): one row per action, under the template's column headings or the
common variants (matched case-insensitively). dhrtrack's own export reads back as the same plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Dict, List, Optional, Tuple

from dhrtrack.importing.cells import Agencies, clean, map_cell, milestone_items, recommendation_number
from dhrtrack.importing.headings import field_for
from dhrtrack.importing.template import SCOPES, ImportFailed, Result


def read_csv(path: str) -> Tuple[List[str], List[Tuple[str, List[str]]]]:
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    return _split_header(rows, lambda i: f"row {i}")


def read_xlsx(path: str) -> Tuple[List[str], List[Tuple[str, List[str]]]]:
    import zipfile

    try:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise ImportFailed("reading .xlsx files needs openpyxl: pip install openpyxl") from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFailed(f"{path} is not an Excel workbook that can be read (.xlsx): {error}") from None
    try:
        sheet = workbook.active
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        title = sheet.title
    finally:
        workbook.close()
    return _split_header(rows, lambda i: f"sheet {title!r} row {i}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_header(rows: List[List[str]], where: Any) -> Tuple[List[str], List[Tuple[str, List[str]]]]:
    for i, row in enumerate(rows):
        if any(c.strip() for c in row):
            return [c.strip() for c in row], [(where(j + 1), r) for j, r in enumerate(rows[i + 1 :], start=i + 1)]
    raise ImportFailed("the sheet is empty: it needs a heading row and one row per action")


def build(
    headings: List[str],
    rows: List[Tuple[str, List[str]]],
    agencies: Agencies,
    review_id: Optional[str],
    title: Optional[str],
    partnership: Optional[str],
) -> Result:
    columns: Dict[str, int] = {}
    unknown: Dict[int, str] = {}
    # dhrtrack's own export adds file, due and overdue columns: derived values, never imported.
    for i, heading in enumerate(headings):
        name = field_for(heading) if heading else None
        if name is None:
            if heading:
                unknown[i] = heading
        elif name not in columns:
            columns[name] = i
    missing = [n for n in ("action", "lead") if n not in columns]
    if "number" not in columns and "recommendation" not in columns:
        missing.append("recommendation")
    if missing:
        raise ImportFailed(
            f"no column for {', '.join(missing)}; the headings found are: {', '.join(h for h in headings if h) or 'none'}"
            " (expected headings such as Recommendation, Action to take, Lead Agency, Target Date, Completion/RAG)"
        )
    warnings: List[Tuple[str, str]] = [
        ("heading row", f"column {h!r} is not a plan field; its values are kept in import_notes")
        for h in unknown.values()
    ]

    def get(row: List[str], name: str) -> str:
        i = columns.get(name)
        return row[i].strip() if i is not None and i < len(row) and row[i] is not None else ""

    data_rows = [(source, row) for source, row in rows if any(str(c).strip() for c in row)]
    if "review" in columns:
        reviews = list(dict.fromkeys(get(row, "review") for _s, row in data_rows if get(row, "review")))
        if review_id is None and len(reviews) > 1:
            raise ImportFailed(
                f"the sheet holds {len(reviews)} reviews ({', '.join(reviews)}); choose one with --review-id"
            )
        if review_id is None and reviews:
            review_id = reviews[0]
        if review_id is not None and reviews:
            data_rows = [(s, r) for s, r in data_rows if get(r, "review") in ("", review_id)]
    if not review_id:
        raise ImportFailed("the sheet does not say which review it is: give --review-id")
    # The review's title and partnership, when the sheet carries them (dhrtrack's export does).
    if title is None and "title" in columns:
        title = next((get(r, "title") for _s, r in data_rows if get(r, "title")), None)
    if partnership is None and "partnership" in columns:
        partnership = next((get(r, "partnership") for _s, r in data_rows if get(r, "partnership")), None)
    if not data_rows:
        raise ImportFailed("the sheet has a heading row but no actions")

    recs: List[dict] = []
    by_number: Dict[int, dict] = {}
    for source, row in data_rows:
        notes = [f"{unknown[i]}: {row[i]}" for i in unknown if i < len(row) and str(row[i]).strip()]
        number_text = get(row, "number")
        rec_text = clean(get(row, "recommendation"))
        rec = _recommendation(recs, by_number, number_text, rec_text, source, warnings, notes)
        if rec is None:
            continue
        if not rec.get("text"):
            rec["text"] = rec_text or f"Recommendation {rec['number']}"
        section = get(row, "section").lower()
        agency = " ".join(get(row, "agency").split())
        if section in ("overview", "agency"):
            rec["section"] = section
        elif agency:
            rec["section"] = "agency"
        if agency:
            rec["agency"] = agencies.canonical(agency) or agency
        scope = get(row, "scope")
        if scope and scope.lower() in SCOPES:
            rec["scope"] = SCOPES[scope.lower()]
        elif scope:
            notes.append(f"Scope: {scope}")
            warnings.append((source, f"scope {scope!r} is not local, regional or national; kept in import_notes"))
        action = _action(rec, row, get, agencies, source, warnings, notes)
        rec["actions"].append(action)
    for rec in recs:
        if rec["section"] == "agency" and not rec.get("agency"):
            rec["section"] = "overview"
        _reorder(rec)
    review: dict = {"id": review_id}
    if title:
        review["title"] = title
    if partnership:
        review["partnership"] = partnership
    return Result({"schema_version": 1, "review": review, "recommendations": recs}, warnings)


def _recommendation(
    recs: List[dict],
    by_number: Dict[int, dict],
    number_text: str,
    rec_text: Optional[str],
    source: str,
    warnings: List[Tuple[str, str]],
    notes: List[str],
) -> Optional[dict]:
    number: Optional[int] = None
    if number_text:
        number = recommendation_number(number_text)
        if number is None:
            warnings.append(
                (
                    source,
                    f"recommendation number {number_text!r} is not a whole number of 1 or more; kept in import_notes",
                )
            )
            notes.append(f"Recommendation number: {number_text}")
    if number is None:
        last = recs[-1] if recs else None
        if last is not None and (not rec_text or " ".join(rec_text.split()) == " ".join(last["text"].split())):
            return last
        number = (max(by_number) + 1) if by_number else 1
    if number not in by_number:
        rec = {"number": number, "section": "overview", "text": rec_text, "actions": []}
        by_number[number] = rec
        recs.append(rec)
    return by_number[number]


def _action(
    rec: dict,
    row: List[str],
    get: Any,
    agencies: Agencies,
    source: str,
    warnings: List[Tuple[str, str]],
    notes: List[str],
) -> dict:
    ident = get(row, "action_id") or f"{rec['number']}.{len(rec['actions']) + 1}"
    ident = "".join(ident.split())
    while any(a["id"] == ident for r in [rec] for a in r["actions"]):
        ident += "a"
    action: dict = {"id": ident}
    text = clean(get(row, "action"))
    if not text:
        text = rec["text"]
        warnings.append((source, f"action {ident} has no text; the recommendation's text is used"))
    action["action"] = text
    lead_cell = " ".join(get(row, "lead").split())
    owner_cell = " ".join(get(row, "owner").split())
    if lead_cell and owner_cell:
        action["lead"] = agencies.canonical(lead_cell) or lead_cell
        action["owner"] = owner_cell
    elif lead_cell:
        lead, owner = agencies.split_lead(lead_cell)
        action["lead"] = lead
        if owner:
            action["owner"] = owner
    else:
        previous = rec["actions"][-1]["lead"] if rec["actions"] else rec.get("agency")
        action["lead"] = previous or "Not given"
        warnings.append(
            (
                source,
                f"action {ident} has no lead agency; "
                + (f"{previous!r} (from above) is used" if previous else "recorded as 'Not given'"),
            )
        )
        notes.append("Lead Agency: blank in the sheet")
        if owner_cell:
            action["owner"] = owner_cell
    milestones = milestone_items(get(row, "milestones"))
    if milestones:
        action["milestones"] = milestones
    for name in ("target", "outcome", "rag", "completed"):  # the house order of the fields
        if name == "outcome":
            outcome = clean(get(row, "outcome"))
            if outcome:
                action["outcome"] = outcome
            continue
        warning = map_cell(action, name, get(row, name), notes)
        if warning:
            warnings.append((source, warning))
    if notes:
        action["import_notes"] = notes
    return action


def _reorder(rec: dict) -> None:
    order = ["number", "section", "agency", "scope", "text", "actions"]
    items = {k: rec[k] for k in order if k in rec}
    rec.clear()
    rec.update(items)
