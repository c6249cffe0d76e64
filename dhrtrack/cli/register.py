"""`dhrtrack register`: national and regional recommendations, their addressees and answers."""

from __future__ import annotations

import click

from dhrtrack.cli.options import Command, ReportArgs, report_options


@click.command("register", cls=Command)
@report_options
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="How alike two texts must be (0 to 1) to count as repeats (default 0.5; see the docs).",
)
def register(args: ReportArgs, threshold: float) -> None:
    """The register of national and regional recommendations.

    By addressee, how many recommendations and how many in each of the Domestic Abuse
    Commissioner's categories (implemented, already happening, partly met, not met, no
    response) or awaiting an answer; the recommendations sent and not acknowledged, or sent over
    six months ago and not answered; and repeats: recommendations to one addressee, from
    different reviews, whose texts are near-duplicates.
    """
    from dhrtrack.cli.reports import finish_report, report_scope
    from dhrtrack.render import views
    from dhrtrack.reports import register as registering

    scope = report_scope(args)
    result = registering.from_scope(scope, threshold)
    finish_report(args, scope, views.register(result))
