"""`dhrtrack report`: the quarterly board report."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Optional, Sequence

import click

from dhrtrack.cli.complete import complete_leads, complete_revisions
from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    as_of_option,
    at_option,
    echo_all_err,
    echo_err,
    from_option,
    language_option,
    no_plans_message,
    plan_paths_argument,
    read_plans,
    today,
)
from dhrtrack.errors import UsageError
from dhrtrack.wording import DATE_STYLES, plural

if TYPE_CHECKING:
    from dhrtrack.history.slips import SlipIndex
    from dhrtrack.reports.board import Board


@click.command("report", cls=Command)
@plan_paths_argument
@click.option(
    "--since",
    metavar="REV",
    shell_complete=complete_revisions,
    help="Also report what changed since this git revision (e.g. last quarter's tag).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("html", "markdown", "json", "docx")),
    default="html",
    show_default=True,
    help="html: one self-contained file that prints to A4; markdown: for a wiki or a paper; "
    "docx: the same paper as a Word document (needs -o); json: the report's figures and lists as data.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The file to write (default: standard output).",
)
@click.option("--title", help="The report's title.")
@click.option(
    "--marking",
    metavar="TEXT",
    help="A protective marking (e.g. OFFICIAL-SENSITIVE) for the top and bottom of every page.",
)
@click.option("--meeting", metavar="TEXT", help="The meeting the paper is for, for the cover block.")
@click.option("--author", metavar="TEXT", help="Who wrote the paper, for the cover block.")
@click.option("--landscape", is_flag=True, help="Lay the pages out landscape (wide tables).")
@click.option(
    "--date-style",
    type=click.Choice(DATE_STYLES),
    default="long",
    show_default=True,
    help="long: dates as a UK board reads them (30 April 2017); iso: as the plans write them (2017-04-30).",
)
@click.option(
    "--lead",
    metavar="TEXT",
    shell_complete=complete_leads,
    help="Only actions whose lead agency contains TEXT: one agency's paper.",
)
@click.option(
    "--narrative",
    type=click.Path(exists=True, dir_okay=False),
    help="A markdown file of the coordinator's words: '# Introduction' opens the paper, '# The board is asked to' "
    "follows the headline figures, '# <review id>' is that review's commentary.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Rows a list shows in the paper (0: all); the rest are counted ('and 120 more') and, with -o, "
    "written in full to a CSV file beside the paper (board-overdue.csv beside board.html).",
)
@click.option("--force", is_flag=True, help="Replace the output files if they exist.")
@click.option("--no-cache", is_flag=True, help="Check every plan afresh; neither read nor write the cache.")
@as_of_option
@at_option
@from_option
@language_option
def report(
    paths: Sequence[str],
    since: Optional[str],
    fmt: str,
    output: Optional[str],
    title: Optional[str],
    marking: Optional[str],
    meeting: Optional[str],
    author: Optional[str],
    landscape: bool,
    date_style: str,
    lead: Optional[str],
    narrative: Optional[str],
    limit: int,
    force: bool,
    no_cache: bool,
    as_of: Optional[dt.date],
    at: Optional[str],
    source: Optional[str],
) -> None:
    """Write the quarterly board report, as HTML, markdown or Word.

    It gives an exceptions summary (overdue, red, unrated, targets slipped), the red and amber
    actions with their latest updates, headline figures, completion per review with bar charts,
    a table per lead agency, and the overdue and unrated actions; plans left out as invalid are
    named in it. With --since REV, also what changed since that git revision (newly completed
    actions, RAG changes, target slips). The HTML is one self-contained file, with no scripts or
    external assets, that prints to A4 with its colours, the marking on every page and page
    numbers; --format docx gives the same paper as a Word document.
    """
    from dhrtrack.plan import store
    from dhrtrack.reports import board as boards
    from dhrtrack.reports.narrative import parse as parse_narrative
    from dhrtrack.reports.queries import scope

    if fmt == "docx" and (not output or output == "-"):
        raise UsageError("docx is a binary file: name it with -o, e.g. -o board.docx")
    if source and since:
        raise UsageError("--since compares git revisions of plan files; a gathered database (--from) has no revisions")
    loaded = read_plans(paths, use_cache=not no_cache, detail=store.TEXTS, at=at, source=source)
    slips = _gathered_slips(source) if source else None
    if not loaded.files:
        echo_err(no_plans_message(paths))
    paper = boards.Paper(marking, meeting, author, landscape, lead, limit or None, _lists_stem(fmt, output), date_style)
    board = boards.build(scope(loaded, as_of or today(), lead=lead), title, since, paths, at, paper, slips)
    if narrative:
        board.narrative = parse_narrative(read_text(narrative), narrative, [r["review"] for r in board.reviews])
    echo_all_err(board.left_out)
    _write(board, fmt, output, force)
    raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)


def _gathered_slips(source: str) -> "SlipIndex":
    from dhrtrack.national import database

    return database.slips(source)


def _write(board: "Board", fmt: str, output: Optional[str], force: bool) -> None:
    from dhrtrack.plan.write import write_bytes_atomic
    from dhrtrack.render.board import BOARD_RENDERERS, to_docx
    from dhrtrack.render.board.lists import cut_lists

    content = to_docx(board) if fmt == "docx" else BOARD_RENDERERS[fmt](board).encode("utf-8")
    if not output or output == "-":
        click.echo(content.decode("utf-8"), nl=False)
        return
    lists = cut_lists(board) if fmt != "json" else {}
    for name, data in lists.items():
        write_bytes_atomic(os.path.join(os.path.dirname(output), name), data, force=force)
    write_bytes_atomic(output, content, force=force)
    if lists:
        echo_err(f"wrote beside it the lists cut at --limit {board.paper.limit}, in full: {', '.join(lists)}")
    echo_err(
        f"wrote {output}: {plural(len(board.reviews), 'review')}, {len(board.overdue)} overdue, "
        f"{len(board.unrated)} unrated"
    )


def _lists_stem(fmt: str, output: Optional[str]) -> Optional[str]:
    """The stem of the CSV files of the lists the paper cuts ("board" for -o board.html): only
    beside a paper written to a file; JSON lists are never cut."""
    if fmt == "json" or not output or output == "-":
        return None
    return os.path.splitext(os.path.basename(output))[0]


def read_text(path: str) -> str:
    """A narrative file's text: UTF-8, with or without a byte-order mark."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        raise UsageError(f"{path} is not UTF-8 text (byte {error.start + 1}): save it as UTF-8") from None
