"""The board paper as markdown, for a wiki, a ticket or pandoc."""

from __future__ import annotations

from typing import List

from dhrtrack.render.board.common import (
    ACTION_COLUMNS,
    TARGET_NOTE,
    TIMELINESS_HEADERS,
    action_cells,
    cover,
    exception_items,
    pct,
    timeliness_cells,
    timeliness_note,
    when,
)
from dhrtrack.render.tables import progress_bar
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.wording import markdown_cell, noun


def to_markdown(board: Board) -> str:
    t = board.totals
    marking = board.paper.marking
    out = ([f"**{markdown_cell(marking)}**", ""] if marking else []) + [f"# {markdown_cell(board.title)}", ""]
    out += [f"- **{label}:** {markdown_cell(value)}" for label, value in cover(board)] + [""]
    out += ["## Exceptions", ""]
    out += [f"- **{n}** {markdown_cell(label)}" for n, label in exception_items(board)] + [""]
    if board.left_out:
        out += [f"## Plans left out of this report ({len(board.left_out)})", ""]
        out += [f"- {markdown_cell(i.splitlines()[0])}" for i in board.left_out] + [""]
    out += [
        "## Headline figures",
        "",
        f"- **{len(board.reviews)}** {noun(len(board.reviews), 'review')}, **{t['actions']}** {noun(t['actions'], 'action')}",
        f"- **{pct(t['complete'], t['actions'])}%** complete ({t['complete']})",
        f"- **{t['overdue']}** overdue, **{t['missing_rag']}** unrated, **{t['no_target']}** without a target",
        "",
    ]
    out += _markdown_actions(board, f"Red and amber actions ({len(board.attention)})", board.attention, "Latest update")
    out.append("")
    if board.since is not None:
        out += [f"## Changes since {markdown_cell(board.since)}", ""]
        for title, items in board.change_sections:
            out += [f"### {title} ({len(items)})", ""]
            out += [f"- {markdown_cell(i)}" for i in items] or ["None."]
            out.append("")
    out += [
        "## Completion by review",
        "",
        "| Review | Actions | Complete | Green | Amber | Red | Unrated | Overdue | No target |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in board.reviews:
        out.append(
            f"| {markdown_cell(r['review'])} | {r['actions']} | {r['complete']} {progress_bar(r['complete'], r['actions'])} "
            f"| {r['green']} | {r['amber']} | {r['red']} | {r['missing_rag']} | {r['overdue']} | {r['no_target']} |"
        )
    out += [
        "",
        "## Actions by lead agency",
        "",
        "| Agency | Actions | Open | Overdue | Unrated | Complete | Oldest overdue |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for a in board.agencies:
        oldest = a["oldest_overdue"]
        oldest_text = f"{oldest['review']} {oldest['action']} (due {when(board, oldest['due'])})" if oldest else "—"
        out.append(
            f"| {markdown_cell(a['agency'])} | {a['actions']} | {a['open']} | {a['overdue']} | {a['missing_rag']} "
            f"| {a['percent_complete']}% | {markdown_cell(oldest_text)} |"
        )
    out += ["", "## Timeliness", "", timeliness_note(board), ""]
    out += ["| Agency | " + " | ".join(TIMELINESS_HEADERS) + " |", "|---|" + "--:|" * len(TIMELINESS_HEADERS)]
    for row in board.timeliness:
        out.append(f"| {markdown_cell(row['agency'])} | " + " | ".join(timeliness_cells(row)) + " |")
    out += ["", "### Completions by quarter", ""]
    out += ["| " + " | ".join(q["quarter"] for q in board.completions_by_quarter) + " |"]
    out += ["|" + "--:|" * len(board.completions_by_quarter)]
    out += ["| " + " | ".join(str(q["completed"]) for q in board.completions_by_quarter) + " |"]
    out.append("")
    out += _markdown_actions(board, f"Overdue actions ({len(board.overdue)})", board.overdue, "Overdue by")
    out.append("")
    out += _markdown_actions(board, f"Unrated actions ({len(board.unrated)})", board.unrated, TARGET_NOTE)
    if marking:
        out += ["", f"**{markdown_cell(marking)}**"]
    return "\n".join(out) + "\n"


def _markdown_actions(board: Board, title: str, actions: List[ActionRow], note: str) -> List[str]:
    out = [f"## {title}", ""]
    if not actions:
        return out + ["None."]
    out += ["| " + " | ".join((*ACTION_COLUMNS, note)) + " |", "|---" * (len(ACTION_COLUMNS) + 1) + "|"]
    for row in actions:
        out.append("| " + " | ".join(markdown_cell(cell) for cell in action_cells(board, row, note)) + " |")
    return out
