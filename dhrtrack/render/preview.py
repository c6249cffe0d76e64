"""The preview `dhrtrack import --dry-run` prints: what each plan would hold, nothing written."""

from __future__ import annotations

from collections import Counter
from typing import List

from dhrtrack.importing import Planned
from dhrtrack.render.tables import Column, Display, Output, Section, render_table
from dhrtrack.wording import plural


def _summary(planned: Planned) -> List[str]:
    plan = planned.result.plan
    actions = [a for r in plan["recommendations"] for a in r["actions"]]
    ratings = Counter(a.get("rag") for a in actions)
    rated = ", ".join(f"{ratings[r]} {r}" for r in ("complete", "green", "amber", "red") if ratings[r])
    # Counted by action: an action without a target whose target cell was kept in its notes.
    untargeted = [a for a in actions if not a.get("target")]
    notes = sum(1 for a in untargeted if any(n.startswith("Target Date:") for n in a.get("import_notes", [])))
    review = plan["review"]
    return [
        f"Would write {planned.path} (nothing written: --dry-run)",
        f"  review: {review['id']}" + (f" ({review['title']})" if review.get("title") else ""),
        f"  {plural(len(plan['recommendations']), 'recommendation')}, {plural(len(actions), 'action')}: "
        f"{len(actions) - ratings[None]} rated" + (f" ({rated})" if rated else "") + f", {ratings[None]} unrated",
        f"  targets: {sum(1 for a in actions if a.get('target'))} read, {notes} kept in import_notes (not a date), "
        f"{len(untargeted) - notes} blank",
        f"  {plural(len(planned.result.warnings), 'warning')} (on standard error)",
    ]


def preview(planned: List[Planned], display: Display) -> str:
    out: List[str] = []
    for item in planned:
        rows = [
            {
                "action": a["id"],
                "lead": a["lead"] + (f" ({a['owner']})" if a.get("owner") else ""),
                "target": a.get("target") or "—",
                "rag": a.get("rag") or "—",
                "notes": str(len(a.get("import_notes", []))) if a.get("import_notes") else "",
            }
            for r in item.result.plan["recommendations"]
            for a in r["actions"]
        ]
        columns = [
            Column("Action", "action"),
            Column("Lead", "lead", wrap=True, min_width=20),
            Column("Target", "target"),
            Column("RAG", "rag"),
            Column("Notes", "notes", justify="right"),
        ]
        table = Output([Section("Actions", columns, rows, empty="no actions")], dict, lambda: ((), []))
        out.append("\n".join(_summary(item)) + "\n\n" + render_table(table, display))
    return "\n".join(out)
