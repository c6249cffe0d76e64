"""The board paper as markdown, for a wiki, a ticket or pandoc."""

from __future__ import annotations

from typing import List, Sequence

from dhrtrack.render.board.common import (
    ACTION_COLUMNS,
    CLAIMED_TITLE,
    COMPLETED_NOTE,
    TARGET_NOTE,
    TIMELINESS_HEADERS,
    action_cells,
    cover,
    exception_items,
    more,
    pct,
    shown,
    timeliness_cells,
    timeliness_note,
    when,
)
from dhrtrack.render.tables import progress_bar
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.reports.narrative import ASKED, INTRODUCTION, Block
from dhrtrack.wording import markdown_cell, markdown_text, noun


def narrative_markdown(blocks: List[Block]) -> List[str]:
    """The coordinator's words again as markdown: only what they wrote as bold and italic is
    markup; every other character markdown gives a meaning (a raw HTML tag, a link) is escaped."""
    out: List[str] = []
    for block in blocks:
        items = [
            "".join(
                f"**{markdown_text(text)}**" if bold else f"*{markdown_text(text)}*" if italic else markdown_text(text)
                for text, bold, italic in item
            )
            for item in block.items
        ]
        if block.kind == "paragraph":
            out += [items[0], ""]
        else:
            out += [f"- {i}" if block.kind == "bullets" else f"{n}. {i}" for n, i in enumerate(items, 1)] + [""]
    return out


def to_markdown(board: Board) -> str:
    t = board.totals
    marking = board.paper.marking
    out = ([f"**{markdown_cell(marking)}**", ""] if marking else []) + [f"# {markdown_cell(board.title)}", ""]
    out += [f"- **{label}:** {markdown_cell(value)}" for label, value in cover(board)] + [""]
    narrative = board.narrative
    if narrative and narrative.introduction:
        out += [f"## {INTRODUCTION}", ""] + narrative_markdown(narrative.introduction)
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
    if narrative and narrative.asked:
        out += [f"## {ASKED}", ""] + narrative_markdown(narrative.asked)
    out += _markdown_actions(board, "attention", f"Red and amber actions ({len(board.attention)})", "Latest update")
    out.append("")
    if board.claimed:
        out += _markdown_actions(board, "claimed", f"{CLAIMED_TITLE} ({len(board.claimed)})", COMPLETED_NOTE)
        out.append("")
    if board.since is not None:
        out += [f"## Changes since {markdown_cell(board.since)}", ""]
        for title, key, items in board.change_sections:
            out += [f"### {title} ({len(items)})", ""]
            out += [f"- {markdown_cell(i)}" for i in shown(board, items)] or ["None."]
            out += _more(board, key, items)
            out.append("")
    out += [
        "## Completion by review",
        "",
        "| Review | Actions | Complete | Green | Amber | Red | Unrated | Overdue | No target |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in shown(board, board.reviews):
        out.append(
            f"| {markdown_cell(r['review'])} | {r['actions']} | {r['complete']} {progress_bar(r['complete'], r['actions'])} "
            f"| {r['green']} | {r['amber']} | {r['red']} | {r['missing_rag']} | {r['overdue']} | {r['no_target']} |"
        )
    out += _more(board, "reviews", board.reviews)
    for r in board.reviews if narrative else ():
        commentary = narrative.reviews.get(r["review"]) if narrative else None
        if commentary:
            out += ["", f"### Commentary on {markdown_text(r['review'])}", ""] + narrative_markdown(commentary)[:-1]
    out += [
        "",
        "## Actions by lead agency",
        "",
        "| Agency | Actions | Open | Overdue | Unrated | Complete | Oldest overdue |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for a in shown(board, board.agencies):
        oldest = a["oldest_overdue"]
        oldest_text = f"{oldest['review']} {oldest['action']} (due {when(board, oldest['due'])})" if oldest else "—"
        out.append(
            f"| {markdown_cell(a['agency'])} | {a['actions']} | {a['open']} | {a['overdue']} | {a['missing_rag']} "
            f"| {a['percent_complete']}% | {markdown_cell(oldest_text)} |"
        )
    out += _more(board, "agencies", board.agencies)
    out += ["", "## Timeliness", "", timeliness_note(board), ""]
    out += ["| Agency | " + " | ".join(TIMELINESS_HEADERS) + " |", "|---|" + "--:|" * len(TIMELINESS_HEADERS)]
    for row in shown(board, board.timeliness):
        out.append(f"| {markdown_cell(row['agency'])} | " + " | ".join(timeliness_cells(row)) + " |")
    out += _more(board, "timeliness", board.timeliness)
    out += ["", "### Completions by quarter", ""]
    out += ["| " + " | ".join(q["quarter"] for q in board.completions_by_quarter) + " |"]
    out += ["|" + "--:|" * len(board.completions_by_quarter)]
    out += ["| " + " | ".join(str(q["completed"]) for q in board.completions_by_quarter) + " |"]
    out.append("")
    out += _markdown_actions(board, "overdue", f"Overdue actions ({len(board.overdue)})", "Overdue by")
    out.append("")
    out += _markdown_actions(board, "unrated", f"Unrated actions ({len(board.unrated)})", TARGET_NOTE)
    if marking:
        out += ["", f"**{markdown_cell(marking)}**"]
    return "\n".join(out) + "\n"


def _more(board: Board, key: str, rows: Sequence[object]) -> List[str]:
    text = more(board, key, rows)
    return ["", markdown_text(text)] if text else []


def _markdown_actions(board: Board, key: str, title: str, note: str) -> List[str]:
    actions: List[ActionRow] = getattr(board, key)
    out = [f"## {title}", ""]
    if not actions:
        return out + ["None."]
    out += ["| " + " | ".join((*ACTION_COLUMNS, note)) + " |", "|---" * (len(ACTION_COLUMNS) + 1) + "|"]
    for row in shown(board, actions):
        out.append("| " + " | ".join(markdown_cell(cell) for cell in action_cells(board, row, note)) + " |")
    return out + _more(board, key, actions)
