"""The board paper as markdown, for a wiki, a ticket or pandoc."""

from __future__ import annotations

from typing import List, Sequence

from dhrtrack.i18n import N_, _, n_
from dhrtrack.render.board.common import (
    ACTION_COLUMNS,
    COMPLETED_NOTE,
    TARGET_NOTE,
    TIMELINESS_HEADERS,
    action_cells,
    cover,
    exception_items,
    more,
    note_heading,
    oldest_words,
    pct,
    quarter_words,
    shown,
    timeliness_cells,
    timeliness_note,
)
from dhrtrack.render.tables import progress_bar
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.reports.narrative import ASKED, INTRODUCTION, Block
from dhrtrack.wording import markdown_cell, markdown_text


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
        out += [f"## {_(INTRODUCTION)}", ""] + narrative_markdown(narrative.introduction)
    out += ["## " + _("Exceptions"), ""]
    out += [f"- **{n}** {markdown_cell(label)}" for n, label in exception_items(board)] + [""]
    if board.left_out:
        out += ["## " + _("Plans left out of this report ({count})").format(count=len(board.left_out)), ""]
        out += [f"- {markdown_cell(i.splitlines()[0])}" for i in board.left_out] + [""]
    out += [
        "## " + _("Headline figures"),
        "",
        "- "
        + n_("{n} review", "{n} reviews", len(board.reviews)).format(n=f"**{len(board.reviews)}**")
        + ", "
        + n_("{n} action", "{n} actions", t["actions"]).format(n=f"**{t['actions']}**"),
        "- "
        + _("{percent} complete ({count})").format(
            percent=f"**{pct(t['complete'], t['actions'])}%**", count=t["complete"]
        ),
        "- "
        + _("{overdue} overdue, {unrated} unrated, {no_target} without a target").format(
            overdue=f"**{t['overdue']}**", unrated=f"**{t['missing_rag']}**", no_target=f"**{t['no_target']}**"
        ),
        "",
    ]
    if narrative and narrative.asked:
        out += [f"## {_(ASKED)}", ""] + narrative_markdown(narrative.asked)
    out += _markdown_actions(
        board,
        "attention",
        _("Red and amber actions ({count})").format(count=len(board.attention)),
        N_("Latest update"),
    )
    out.append("")
    if board.claimed:
        claimed = _("Completions claimed, not verified ({count})").format(count=len(board.claimed))
        out += _markdown_actions(board, "claimed", claimed, COMPLETED_NOTE)
        out.append("")
    if board.since is not None:
        out += ["## " + _("Changes since {since}").format(since=markdown_cell(board.since)), ""]
        for title, key, items in board.change_sections:
            out += [f"### {title} ({len(items)})", ""]
            out += [f"- {markdown_cell(i)}" for i in shown(board, items)] or [_("None.")]
            out += _more(board, key, items)
            out.append("")
    out += [
        "## " + _("Completion by review"),
        "",
        "| "
        + " | ".join(
            (_("Review"), _("Actions"), _("Complete"), _("Green"), _("Amber"), _("Red"), _("Unrated"), _("Overdue"))
            + (_("No target"),)
        )
        + " |",
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
            out += [
                "",
                "### " + _("Commentary on {review}").format(review=markdown_text(r["review"])),
                "",
            ] + narrative_markdown(commentary)[:-1]
    out += [
        "",
        "## " + _("Actions by lead agency"),
        "",
        "| "
        + " | ".join(
            (_("Agency"), _("Actions"), _("Open"), _("Overdue"), _("Unrated"), _("Complete"), _("Oldest overdue"))
        )
        + " |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for a in shown(board, board.agencies):
        oldest = a["oldest_overdue"]
        oldest_text = oldest_words(board, oldest) if oldest else "—"
        out.append(
            f"| {markdown_cell(a['agency'])} | {a['actions']} | {a['open']} | {a['overdue']} | {a['missing_rag']} "
            f"| {a['percent_complete']}% | {markdown_cell(oldest_text)} |"
        )
    out += _more(board, "agencies", board.agencies)
    out += ["", "## " + _("Timeliness"), "", timeliness_note(board), ""]
    out += [f"| {_('Agency')} | " + " | ".join(TIMELINESS_HEADERS) + " |", "|---|" + "--:|" * len(TIMELINESS_HEADERS)]
    for row in shown(board, board.timeliness):
        out.append(f"| {markdown_cell(row['agency'])} | " + " | ".join(timeliness_cells(row)) + " |")
    out += _more(board, "timeliness", board.timeliness)
    out += ["", "### " + _("Completions by quarter"), ""]
    out += ["| " + " | ".join(quarter_words(q["quarter"]) for q in board.completions_by_quarter) + " |"]
    out += ["|" + "--:|" * len(board.completions_by_quarter)]
    out += ["| " + " | ".join(str(q["completed"]) for q in board.completions_by_quarter) + " |"]
    out.append("")
    out += _markdown_actions(
        board, "overdue", _("Overdue actions ({count})").format(count=len(board.overdue)), N_("Overdue by")
    )
    out.append("")
    out += _markdown_actions(
        board, "unrated", _("Unrated actions ({count})").format(count=len(board.unrated)), TARGET_NOTE
    )
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
        return out + [_("None.")]
    out += ["| " + " | ".join((*ACTION_COLUMNS, note_heading(note))) + " |", "|---" * (len(ACTION_COLUMNS) + 1) + "|"]
    for row in shown(board, actions):
        out.append("| " + " | ".join(markdown_cell(cell) for cell in action_cells(board, row, note)) + " |")
    return out + _more(board, key, actions)
