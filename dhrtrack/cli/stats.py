"""`dhrtrack stats`: how well recommendations are being implemented, and where they slip."""

from __future__ import annotations

import click

from dhrtrack.cli.options import Command, ReportArgs, language_option, report_options


@click.command("stats", cls=Command)
@report_options
@click.option(
    "--by",
    type=click.Choice(("agency", "theme", "scope", "review", "kind", "year")),
    default="agency",
    show_default=True,
    help="Group by lead agency, recommendation theme, scope, review, kind of review (review.kind: dhr, "
    "susr, sar...; dhr when a plan does not say), or the year actions fall due.",
)
@language_option
def stats(args: ReportArgs, by: str) -> None:
    """Implementation across reviews: open, overdue, on time, late, and target slips.

    Per group: actions, open, overdue (as of --as-of), complete, completed on time (a
    completion date on or before the due date), completed late, complete with no completion
    date, the median days late of late completions, and, from git history, how many times
    targets moved later and by how many months in all (0 outside a git repository, with a note).
    Years are the year of each action's due date.

    --lang cy gives the table and markdown in Welsh; json and csv are data and keep their English
    keys, column names and groups whatever --lang says.
    """
    from dhrtrack.cli.reports import finish_report, history_slips, report_scope
    from dhrtrack.render import views
    from dhrtrack.reports import stats as statistics

    scope = report_scope(args)
    result = statistics.build(scope, by, history_slips(args))
    finish_report(args, scope, views.stats(result))
