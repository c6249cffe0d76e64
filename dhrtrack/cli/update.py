"""`dhrtrack update`: record an agency's update to one action without hand-editing YAML."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Optional

import click

from dhrtrack.cli.complete import complete_refs
from dhrtrack.cli.options import WRITTEN_DATE, WRITTEN_TARGET, Command, echo_all_err, echo_err, today
from dhrtrack.errors import UsageError
from dhrtrack.plan.model import RAGS
from dhrtrack.wording import date_words

if TYPE_CHECKING:
    from dhrtrack.plan.store import Loaded


@click.command("update", cls=Command)
@click.argument("ref", shell_complete=complete_refs)
@click.option("--rag", type=click.Choice(RAGS, case_sensitive=False), help="The new RAG rating (any case).")
@click.option(
    "--target",
    type=WRITTEN_TARGET,
    help="A new target: a month (2027-03, March 2027; due at its end) or a day (2027-03-31, 31/03/2027).",
)
@click.option("--outcome", help="What was achieved.")
@click.option(
    "--outcome-cy",
    "outcome_cy",
    metavar="TEXT",
    help="What was achieved, in Welsh (outcome_cy): said by --lang cy outputs.",
)
@click.option("--completed", type=WRITTEN_DATE, help="The date the action was completed (2027-03-31 or 31/03/2027).")
@click.option("--lead", metavar="TEXT", help="A new lead agency (the agency now responsible).")
@click.option("--owner", metavar="TEXT", help="A new owner: the role or person within the lead agency.")
@click.option(
    "--evidence", help="Evidence of what was done (a document, minutes, an audit); added to the action's evidence."
)
@click.option("--theme", metavar="TEXT", help="Add a theme to the action's recommendation (see plans/themes.yaml).")
@click.option("--note", help="A note for the updates log: who said what.")
@click.option("--by", metavar="NAME", help="Who gave the update (an agency or a person), for the log.")
@click.option(
    "--new-lead", is_flag=True, help="--lead names an agency the plans do not know yet: add it (no suggestions)."
)
@click.option("--date", "date", type=WRITTEN_DATE, help="The date of this update (default: today).")
@click.option("--dry-run", is_flag=True, help="Print the change as a diff; write nothing.")
@click.option("--plans", "plans_path", type=click.Path(exists=True), help="The plans directory (default: plans/).")
def update(
    ref: str,
    rag: Optional[str],
    target: Optional[str],
    outcome: Optional[str],
    outcome_cy: Optional[str],
    completed: Optional[dt.date],
    lead: Optional[str],
    owner: Optional[str],
    evidence: Optional[str],
    theme: Optional[str],
    note: Optional[str],
    by: Optional[str],
    new_lead: bool,
    date: Optional[dt.date],
    dry_run: bool,
    plans_path: Optional[str],
) -> None:
    """Record an agency's update to one action without hand-editing YAML.

    REF is [plan:]action-id (plan is the file's stem; it may be left out when the id is in one
    plan only). The values given are set on the action (evidence is added to its list) and an
    entry is added to its updates log with the date, the note and those values. Only the lines that change are touched:
    comments, layout and quoting stay as they were. The result is checked before it is
    written; an update that would make the plan invalid is refused.
    """
    from dhrtrack.plan import edit, store
    from dhrtrack.plan.write import replace_if_unchanged

    day = date or today()
    loaded = store.load([plans_path] if plans_path else [])
    found = store.find_action(loaded, ref)
    if lead is not None and not new_lead:
        check_new_lead(loaded, lead)
    change = edit.ActionUpdate(
        day,
        rag,
        target,
        outcome,
        completed,
        note,
        evidence,
        by=by,
        lead=lead,
        owner=owner,
        theme=theme,
        outcome_cy=outcome_cy,
    )
    if edit.needs_outcome(change, found.action.has_outcome) and _interactive() and not dry_run:
        answer = click.prompt(f"Action {found.action.id} is being rated complete. What was achieved (the outcome)?")
        change.outcome = answer.strip() or None
    file = found.plan.file
    raw = store.read_file(file)
    edited = edit.update_action(file, raw, found.action.id, change, day, remember=not dry_run)
    echo_all_err([f"{p.file}:{p.line}:{p.column}: warning: {p.message}" for p in edited.warnings])
    if dry_run:
        click.echo(edited.diff, nl=False)
        return
    replace_if_unchanged(file, raw, edited.text)
    echo_err(
        f"updated {file}: action {edited.ident}"
        + (": " + "; ".join(edited.changes) if edited.changes else "")
        + f"; logged as the update of {date_words(day)}"
    )


def check_new_lead(loaded: "Loaded", lead: str) -> None:
    """A lead the plans and the registry do not know is most likely a misspelling, which would
    become a new agency in every report: refused, with the names it may have meant."""
    from dhrtrack.agencies import canonical_names, did_you_mean, is_known, known_agencies, suggestions

    canon = canonical_names(loaded.plans, loaded.registry)
    known = known_agencies(loaded.plans, loaded.registry, canon)
    if not is_known(lead, known, canon):
        meant = did_you_mean(suggestions(lead, known))
        raise UsageError(
            f"--lead {lead!r} is not an agency the plans (or plans/agencies.yaml) know"
            + (f": {meant}" if meant else "")
            + "; if it is a new agency, add --new-lead"
        )


def _interactive() -> bool:
    return sys.stdin.isatty()
