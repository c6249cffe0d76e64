"""The reports: status (the dashboard), overdue, unrated, summary, due, agencies.

Every report takes the same options (report_options) and the same steps: load through the
store, scope (as of a date, filtered), build the report's view, render it in the chosen format,
and exit 1 when --fail-on finds rows or a plan was left out as invalid.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable, Optional, Sequence, Tuple

import click

from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    WINDOW,
    Command,
    display,
    echo_all_err,
    load_plans,
    report_options,
    today,
    with_bom,
)
from dhrtrack.errors import UsageError

if TYPE_CHECKING:  # imported when a report runs, not when the command is listed
    from dhrtrack.render.tables import Output
    from dhrtrack.reports.queries import Scope


def _scope(
    paths: Sequence[str],
    as_of: Optional[dt.date],
    review: Optional[str],
    lead: Optional[str],
    no_cache: bool,
    at: Optional[str],
) -> "Scope":
    """Load and scope the plans (as they are, or at a git revision), naming on stderr every
    plan left out as invalid."""
    from dhrtrack.reports import queries

    return queries.scope(load_plans(paths, use_cache=not no_cache, at=at), as_of or today(), review, lead)


def _finish(scope: "Scope", output: "Output", fmt: str, limit: int, fail_on: Tuple[str, ...], bom: bool) -> None:
    from dhrtrack.render.tables import RENDERERS

    output.limit = limit
    click.echo(with_bom(RENDERERS[fmt](output, display()), fmt, bom), nl=False)
    findings = scope.findings(fail_on)
    echo_all_err(findings)
    raise SystemExit(EXIT_FINDINGS if scope.failed or findings else EXIT_OK)


@click.command(cls=Command)
@report_options
def status(
    paths: Sequence[str],
    as_of: Optional[dt.date],
    review: Optional[str],
    lead: Optional[str],
    fmt: str,
    limit: int,
    fail_on: Tuple[str, ...],
    no_cache: bool,
    bom: bool,
    at: Optional[str],
) -> None:
    """The dashboard: completion per review, overdue actions, actions without a RAG rating.

    PATHS are plan files or directories; by default the repository's plans/ directory. An
    action is overdue when its due date (a YYYY-MM target falls due at the end of the month)
    is before --as-of and it is not rated complete.
    """
    from dhrtrack.render import views

    scope = _scope(paths, as_of, review, lead, no_cache, at)
    _finish(scope, views.status(scope), fmt, limit, fail_on, bom)


def _single(kind: str) -> Callable[..., None]:
    def command(
        paths: Sequence[str],
        as_of: Optional[dt.date],
        review: Optional[str],
        lead: Optional[str],
        fmt: str,
        limit: int,
        fail_on: Tuple[str, ...],
        no_cache: bool,
        bom: bool,
        at: Optional[str],
    ) -> None:
        from dhrtrack.render import views

        scope = _scope(paths, as_of, review, lead, no_cache, at)
        _finish(scope, views.single(scope, kind), fmt, limit, fail_on, bom)

    return command


overdue = click.command(
    "overdue",
    cls=Command,
    help="Overdue actions, most overdue first: due before --as-of and not rated complete.",
)(report_options(_single("overdue")))

unrated = click.command(
    "unrated",
    cls=Command,
    help="Actions without a RAG rating (no rag field), in document order.",
)(report_options(_single("unrated")))

summary = click.command(
    "summary",
    cls=Command,
    help="Completion per review: actions, red, amber, green, unrated, overdue, no target, complete.",
)(report_options(_single("summary")))


@click.command("due", cls=Command)
@report_options
@click.option(
    "--within",
    type=WINDOW,
    default="30d",
    show_default=True,
    help="How far ahead to look: days (30d), weeks (6w) or months of 30 days (3m).",
)
def due(
    paths: Sequence[str],
    as_of: Optional[dt.date],
    review: Optional[str],
    lead: Optional[str],
    fmt: str,
    limit: int,
    fail_on: Tuple[str, ...],
    no_cache: bool,
    bom: bool,
    at: Optional[str],
    within: int,
) -> None:
    """Open actions falling due soon: due from --as-of to the end of the window, soonest first."""
    from dhrtrack.render import views

    scope = _scope(paths, as_of, review, lead, no_cache, at)
    try:
        end = scope.as_of + dt.timedelta(days=within)
    except OverflowError:
        raise UsageError(f"--within {within} days reaches past the year 9999") from None
    _finish(scope, views.due(scope, within, end), fmt, limit, fail_on, bom)


@click.command("agencies", cls=Command)
@report_options
def agencies(
    paths: Sequence[str],
    as_of: Optional[dt.date],
    review: Optional[str],
    lead: Optional[str],
    fmt: str,
    limit: int,
    fail_on: Tuple[str, ...],
    no_cache: bool,
    bom: bool,
    at: Optional[str],
) -> None:
    """Per lead agency: actions, open, overdue, unrated, % complete and the oldest overdue action.

    Leads are grouped under their canonical name from plans/agencies.yaml when there is one;
    otherwise spellings that differ only in case, punctuation, '&'/'and' or word order are
    grouped under the most used spelling.
    """
    from dhrtrack.render import views

    scope = _scope(paths, as_of, review, lead, no_cache, at)
    _finish(scope, views.agencies(scope), fmt, limit, fail_on, bom)
