"""`dhrtrack respond`: record who a national or regional recommendation is addressed to and
how far its addressee's answer has come."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import click

from dhrtrack.cli.options import WRITTEN_DATE, Command, echo_all_err, echo_err, today
from dhrtrack.errors import UsageError
from dhrtrack.plan import fields


@click.command("respond", cls=Command)
@click.argument("ref", metavar="PLAN:NUMBER")
@click.option("--addressee", metavar="NAME", help="Who the recommendation is addressed to (the Home Office, ...).")
@click.option("--sent", type=WRITTEN_DATE, help="The day it was sent to the addressee.")
@click.option("--acknowledged", type=WRITTEN_DATE, help="The day the addressee acknowledged it.")
@click.option("--received", type=WRITTEN_DATE, help="The day the addressee's response was received.")
@click.option(
    "--outcome",
    type=click.Choice(fields.RESPONSE_OUTCOMES),
    help="The response in the Domestic Abuse Commissioner's categories.",
)
@click.option("--summary", metavar="TEXT", help="What the response says, in brief.")
@click.option("--dry-run", is_flag=True, help="Print the change as a diff; write nothing.")
@click.option("--plans", "plans_path", type=click.Path(exists=True), help="The plans directory (default: plans/).")
def respond(
    ref: str,
    addressee: Optional[str],
    sent: Optional[dt.date],
    acknowledged: Optional[dt.date],
    received: Optional[dt.date],
    outcome: Optional[str],
    summary: Optional[str],
    dry_run: bool,
    plans_path: Optional[str],
) -> None:
    """Record a national or regional recommendation's addressee and response.

    PLAN:NUMBER names the recommendation: the plan (its file name; it may be left out when there
    is one plan) and the recommendation's number. The values given are set, the others kept;
    only those lines change, and the plan is checked before it is written. Dates are written as
    for update (2025-02-01, 1/2/2025, 1 February 2025), in order: sent, acknowledged, received.
    `dhrtrack register` reports them.
    """
    from dhrtrack.plan import edit, store
    from dhrtrack.plan.write import replace_if_unchanged

    name, _colon, number_text = ref.rpartition(":")
    if not number_text.strip().isdigit():
        raise UsageError(f"{ref!r} is not PLAN:NUMBER: write the plan's name and the recommendation's number")
    loaded = store.load([plans_path] if plans_path else [])
    file = store.find_plan(loaded, name or None)
    raw = store.read_file(file)
    response = edit.Response(addressee, sent, acknowledged, received, outcome, summary)
    edited = edit.respond_recommendation(file, raw, int(number_text), response, today(), remember=not dry_run)
    echo_all_err([f"{p.file}:{p.line}:{p.column}: warning: {p.message}" for p in edited.warnings])
    if dry_run:
        click.echo(edited.diff, nl=False)
        return
    replace_if_unchanged(file, raw, edited.text)
    echo_err(f"updated {file}: recommendation {edited.ident}: " + "; ".join(edited.changes or ["unchanged"]))
