"""`dhrtrack verify`: record the partnership's check that a completed action's outcome was
achieved (its `verified`), which turns a claimed completion into a verified one."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import click

from dhrtrack.cli.complete import complete_refs
from dhrtrack.cli.options import WRITTEN_DATE, Command, echo_all_err, echo_err, today


@click.command("verify", cls=Command)
@click.argument("ref", shell_complete=complete_refs)
@click.option(
    "--by",
    required=True,
    metavar="NAME",
    help="Who verified it: a person, panel or subgroup; never the action's owner or its lead agency.",
)
@click.option("--evidence", help="What was checked: an audit, a sample of case files, minutes.")
@click.option("--date", "date", type=WRITTEN_DATE, help="The day it was verified (default: today).")
@click.option("--force", is_flag=True, help="Replace the action's verification when it has one (git keeps the old).")
@click.option("--dry-run", is_flag=True, help="Print the change as a diff; write nothing.")
@click.option("--plans", "plans_path", type=click.Path(exists=True), help="The plans directory (default: plans/).")
def verify(
    ref: str,
    by: str,
    evidence: Optional[str],
    date: Optional[dt.date],
    force: bool,
    dry_run: bool,
    plans_path: Optional[str],
) -> None:
    """Record that a completed action's outcome was checked by someone other than its owner.

    REF is [plan:]action-id, as for update. The action must be rated complete; the verifier
    (--by) must not be its owner or its lead agency (compared in any case and spacing, agencies
    by their canonical names). The action's `verified` is set to the date, who and the evidence;
    only those lines change, and the result is checked before it is written. An action verified
    already is verified again only with --force. A completion without `verified` is claimed;
    with it, verified.
    """
    from dhrtrack.agencies import canonical_names, verifier_problem
    from dhrtrack.errors import DhrtrackError
    from dhrtrack.plan import edit, store
    from dhrtrack.plan.write import replace_if_unchanged

    if not " ".join(by.split()):
        raise DhrtrackError("--by is empty: name who verified the outcome", usage=True)
    day = date or today()
    loaded = store.load([plans_path] if plans_path else [])
    found = store.find_action(loaded, ref)
    action = found.action
    problem = verifier_problem(canonical_names(loaded.plans, loaded.registry), by, action.lead, action.owner)
    if problem is not None:
        raise DhrtrackError(
            f"refused: {problem}: a completion is verified by someone else (a quality assurance "
            "subgroup, an evidence panel); nothing written"
        )
    file = found.plan.file
    raw = store.read_file(file)
    edited = edit.verify_action(
        file, raw, action.id, edit.Verification(day, by, evidence), day, force=force, remember=not dry_run
    )
    echo_all_err([f"{p.file}:{p.line}:{p.column}: warning: {p.message}" for p in edited.warnings])
    if dry_run:
        click.echo(edited.diff, nl=False)
        return
    replace_if_unchanged(file, raw, edited.text)
    record = edited.entry
    echo_err(
        f"verified {file}: action {edited.ident}: {edited.changes[0]}; verified {record['date']} by {record['by']}"
    )
