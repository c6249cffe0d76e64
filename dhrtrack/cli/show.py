"""`dhrtrack show`: one action in full."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import click

from dhrtrack.cli.complete import complete_refs
from dhrtrack.cli.options import Command, as_of_option, language_option, today


@click.command("show", cls=Command)
@click.argument("ref", shell_complete=complete_refs)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "markdown", "json")),
    default="text",
    show_default=True,
    help="text for the terminal, markdown for a paper or a ticket, json for programs.",
)
@click.option("--plans", "plans_path", type=click.Path(exists=True), help="The plans directory (default: plans/).")
@click.option("--no-history", is_flag=True, help="Leave out the summary of the action's git history.")
@as_of_option
@language_option
def show(ref: str, fmt: str, plans_path: Optional[str], no_history: bool, as_of: Optional[dt.date]) -> None:
    """One action in full: its review, recommendation, text, lead, dates, rating and updates.

    REF is [plan:]action-id (plan is the file's stem; it may be left out when the id is in one
    plan only). Shows every field of the action, its due date and where it stands on --as-of,
    every update in its log, and, in a git repository, a summary of its history: how many
    commits changed it and each time its target slipped (see `dhrtrack history` for the whole
    timeline).
    """
    from dhrtrack.agencies import canonical_names
    from dhrtrack.plan import store
    from dhrtrack.render.show import SHOW_RENDERERS
    from dhrtrack.reports import show as showing

    paths = [plans_path] if plans_path else []
    loaded = store.load(paths)
    found = store.find_action(loaded, ref)
    canon = canonical_names(loaded.plans, loaded.registry)
    shown = showing.build(loaded, found, canon, as_of or today(), paths, history=not no_history)
    click.echo(SHOW_RENDERERS[fmt](shown), nl=False)
