"""The reports: status (the dashboard), overdue, unrated, summary, due, agencies.

Every report takes the same options (report_options) and the same steps: load through the
store, scope (as of a date, filtered), build the report's view, render it in the chosen format,
and exit 1 when --fail-on finds rows or a plan was left out as invalid.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable

import click

from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    WINDOW,
    Command,
    ReportArgs,
    display,
    echo_all_err,
    echo_rendered,
    load_plans,
    report_options,
    today,
)
from dhrtrack.errors import UsageError

if TYPE_CHECKING:  # imported when a report runs, not when the command is listed
    from dhrtrack.history.slips import SlipIndex
    from dhrtrack.render.tables import Output
    from dhrtrack.reports.queries import Scope


def report_scope(args: ReportArgs) -> "Scope":
    """Load and scope the plans (as they are, or at a git revision), naming on stderr every
    plan left out as invalid."""
    from dhrtrack.reports import queries

    loaded = load_plans(args.paths, use_cache=not args.no_cache, at=args.at, source=args.source)
    return queries.scope(loaded, args.as_of or today(), args.review, args.lead)


def finish_report(args: ReportArgs, scope: "Scope", output: "Output") -> None:
    """Render the report in the chosen format and exit 1 when --fail-on finds rows or a plan
    was left out."""
    from dhrtrack.render.tables import RENDERERS

    output.limit = args.limit
    echo_rendered(RENDERERS[args.fmt](output, display()), args.fmt, args.bom)
    findings = scope.findings(args.fail_on)
    echo_all_err(findings)
    raise SystemExit(EXIT_FINDINGS if scope.failed or findings else EXIT_OK)


@click.command(cls=Command)
@report_options
def status(args: ReportArgs) -> None:
    """The dashboard: completion per review, overdue actions, actions without a RAG rating.

    PATHS are plan files or directories; by default the repository's plans/ directory. An
    action is overdue when its due date (a YYYY-MM target falls due at the end of the month)
    is before --as-of and it is not rated complete.
    """
    from dhrtrack.render import views

    scope = report_scope(args)
    finish_report(args, scope, views.status(scope))


def _single(kind: str) -> Callable[..., None]:
    def command(args: ReportArgs) -> None:
        from dhrtrack.render import views

        scope = report_scope(args)
        finish_report(args, scope, views.single(scope, kind))

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
def due(args: ReportArgs, within: int) -> None:
    """Open actions falling due soon: due from --as-of to the end of the window, soonest first."""
    from dhrtrack.render import views

    scope = report_scope(args)
    try:
        end = scope.as_of + dt.timedelta(days=within)
    except OverflowError:
        raise UsageError(f"--within {within} days reaches past the year 9999") from None
    finish_report(args, scope, views.due(scope, within, end))


@click.command("agencies", cls=Command)
@report_options
def agencies(args: ReportArgs) -> None:
    """Per lead agency: actions, open, overdue, unrated, % complete and the oldest overdue action.

    Leads are grouped under their canonical name from plans/agencies.yaml when there is one;
    otherwise spellings that differ only in case, punctuation, '&'/'and' or word order are
    grouped under the most used spelling.
    """
    from dhrtrack.render import views

    scope = report_scope(args)
    finish_report(args, scope, views.agencies(scope))


def history_slips(args: ReportArgs) -> "SlipIndex":
    """Every target slip in the plans' history: from git, or as a gathered database holds it."""
    if args.source is not None:
        from dhrtrack.national import database

        return database.slips(args.source)
    from dhrtrack.history.slips import target_slips

    return target_slips(args.paths, args.at, use_cache=not args.no_cache)
