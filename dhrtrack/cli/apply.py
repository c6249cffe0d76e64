"""`dhrtrack apply`: read agencies' filled-in returns back into the plans."""

from __future__ import annotations

import datetime as dt
import os
from typing import List, Optional, Sequence

import click

from dhrtrack.cli.options import DATE, EXIT_FINDINGS, EXIT_OK, Command, echo_all_err, load_plans, today
from dhrtrack.errors import UsageError
from dhrtrack.wording import plural

RETURN_SUFFIXES = (".xlsx", ".csv")


@click.command("apply", cls=Command)
@click.argument("returns", nargs=-1, required=True, type=click.Path())
@click.option("--plans", "plans_path", type=click.Path(exists=True), help="The plans directory (default: plans/).")
@click.option("--date", "date", type=DATE, help="The date of the updates the returns give (default: today).")
@click.option(
    "--skip-stale", is_flag=True, help="Apply the other rows of a return that has stale rows; list those skipped."
)
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff; write nothing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text: what was applied on standard error (and diffs on standard output with --dry-run); "
    "json: all of it as one document on standard output.",
)
def apply(
    returns: Sequence[str],
    plans_path: Optional[str],
    date: Optional[dt.date],
    skip_stale: bool,
    dry_run: bool,
    fmt: str,
) -> None:
    """Apply agencies' filled-in returns to the plans, all or nothing per return.

    RETURNS are the .xlsx workbooks (or .csv forms) written by `dhrtrack chase --format xlsx`
    and filled in by the agencies, or directories holding them. Every cell is checked; a row
    whose action changed in the plan since the return was written is stale. One bad or stale
    row and nothing of that return is applied (--skip-stale applies the rest); every problem is
    listed at once. Accepted rows become updates, as `dhrtrack update` makes them, each logged
    with the date, the agency and the return it came from. A row already applied is not
    applied again, so applying a return twice changes nothing the second time.
    """
    from dhrtrack.agencies import canonical_names
    from dhrtrack.importing.returns import apply_returns
    from dhrtrack.plan.returnkey import load_key
    from dhrtrack.plan.write import replace_together
    from dhrtrack.render.returns import outcome_document, outcome_lines
    from dhrtrack.wording import json_text

    files = _files(returns)
    key = load_key()
    loaded = load_plans([plans_path] if plans_path else [])  # answered plans are read in full later
    canon = canonical_names(loaded.plans, loaded.registry)
    outcome = apply_returns(
        files, loaded, canon, date or today(), key, skip_stale, with_diff=dry_run, remember=not dry_run
    )
    text = fmt == "text"
    if text:
        echo_all_err(outcome_lines(outcome))
    if dry_run and text:
        click.echo("".join(plan_edit.edited.diff for plan_edit in outcome.edits), nl=False)
    if not dry_run:
        # Every plan or none: a failure writing one leaves all of them as they were.
        replace_together([(e.file, e.raw, e.edited.text) for e in outcome.edits])
        if text:
            echo_all_err([f"updated {e.file}: {plural(len(e.edited.actions), 'action')}" for e in outcome.edits])
    if not text:
        click.echo(json_text(outcome_document(outcome, written=not dry_run)), nl=False)
    raise SystemExit(EXIT_FINDINGS if any(r.refused for r in outcome.returns) else EXIT_OK)


def _files(paths: Sequence[str]) -> List[str]:
    """The returns named, a directory standing for the .xlsx and .csv files in it."""
    found: List[str] = []
    for path in paths:
        if os.path.isdir(path):
            inside = sorted(
                os.path.join(path, name)
                for name in os.listdir(path)
                if name.lower().endswith(RETURN_SUFFIXES)
                and not name.startswith(("~$", ".~lock"))  # Excel's and LibreOffice's lock files
                and os.path.isfile(os.path.join(path, name))
            )
            if not inside:
                raise UsageError(f"{path} holds no returns (.xlsx or .csv files)")
            found += inside
        elif os.path.isfile(path):
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    seen: set = set()
    unique = []  # a return named twice (a file and its directory) is applied once
    for path in found:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique
