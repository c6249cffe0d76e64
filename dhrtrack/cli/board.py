"""`dhrtrack report`: the quarterly board report."""

from __future__ import annotations

import datetime as dt
from typing import Optional, Sequence

import click

from dhrtrack.cli.complete import complete_revisions
from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    as_of_option,
    at_option,
    echo_all_err,
    echo_err,
    no_plans_message,
    plan_paths_argument,
    read_plans,
    today,
)
from dhrtrack.wording import plural


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
    type=click.Choice(("html", "markdown", "json")),
    default="html",
    show_default=True,
    help="html: one self-contained file that prints to A4; markdown: for a wiki or a paper; "
    "json: the report's figures and lists as data.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="The file to write (default: standard output).",
)
@click.option("--title", help="The report's title.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--no-cache", is_flag=True, help="Check every plan afresh; neither read nor write the cache.")
@as_of_option
@at_option
def report(
    paths: Sequence[str],
    since: Optional[str],
    fmt: str,
    output: Optional[str],
    title: Optional[str],
    force: bool,
    no_cache: bool,
    as_of: Optional[dt.date],
    at: Optional[str],
) -> None:
    """Write the quarterly board report, as HTML or markdown.

    It gives headline figures, completion per review with bar charts, a table per lead
    agency, and the overdue and unrated actions; with --since REV, also what changed since
    that git revision (newly completed actions, RAG changes, target slips). The HTML is one
    self-contained file, with no scripts or external assets, that prints cleanly to A4.
    """
    from dhrtrack.plan import store
    from dhrtrack.plan.write import write_atomic
    from dhrtrack.render.board import BOARD_RENDERERS
    from dhrtrack.reports import board as boards
    from dhrtrack.reports.queries import scope

    loaded = read_plans(paths, use_cache=not no_cache, detail=store.TEXTS, at=at)
    if not loaded.files:
        echo_err(no_plans_message(paths))
    board = boards.build(scope(loaded, as_of or today()), title, since, paths, at)
    echo_all_err(board.left_out)
    content = BOARD_RENDERERS[fmt](board)
    if not output or output == "-":
        click.echo(content, nl=False)
    else:
        write_atomic(output, content, force=force)
        echo_err(
            f"wrote {output}: {plural(len(board.reviews), 'review')}, {len(board.overdue)} overdue, "
            f"{len(board.unrated)} unrated"
        )
    raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)
