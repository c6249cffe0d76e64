"""`dhrtrack package` and `dhrtrack gather`: a partnership's data package, and many partnerships'
packages in one national database."""

from __future__ import annotations

import datetime as dt
import os
from typing import Optional, Sequence

import click

from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    as_of_option,
    at_option,
    echo_all_err,
    echo_err,
    load_plans,
    plan_paths_argument,
    today,
)
from dhrtrack.errors import UsageError
from dhrtrack.wording import plural


@click.command("package", cls=Command)
@plan_paths_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="The directory to write the package into (new or empty; --force replaces a package made before).",
)
@click.option("--partnership", metavar="NAME", help="The partnership's name (default: the one the plans name).")
@click.option("--force", is_flag=True, help="Replace a package dhrtrack made before in that directory.")
@click.option("--no-cache", is_flag=True, help="Check every plan afresh; neither read nor write the cache.")
@as_of_option
@at_option
def package(
    paths: Sequence[str],
    output: str,
    partnership: Optional[str],
    force: bool,
    no_cache: bool,
    as_of: Optional[dt.date],
    at: Optional[str],
) -> None:
    """Write the partnership's publishable data as a versioned data package for the national register.

    The site's open data (actions and reviews as CSV and JSON, a Frictionless
    datapackage.json), with the plans themselves (publishable fields only), their history of
    ratings and targets, the agency registry's names, and provenance: the partnership, the
    repository commit (and whether the plans differ from it), the as-of date and dhrtrack's
    version. dhrtrack gather reads it. Every plan must be valid: a package is the partnership's
    whole record, so with an invalid plan nothing is written.
    """
    from dhrtrack.cli.site import check_output, write_tree
    from dhrtrack.history.slips import rating_and_target_changes
    from dhrtrack.national import package as packaging
    from dhrtrack.plan import store
    from dhrtrack.plan.model import shared_names

    check_output(output, force, "data package")
    loaded = load_plans(paths, use_cache=not no_cache, detail=store.DATA, at=at)
    if loaded.invalid or not loaded.files:
        raise SystemExit(EXIT_FINDINGS)  # each invalid plan is named above; a package is all of them
    shared = shared_names(p.file for p in loaded.plans)
    if shared:
        name, files = next(iter(shared.items()))
        raise UsageError(f"plans share the name {name!r} ({', '.join(files)}): rename one (validate says so too)")
    made = packaging.provenance(loaded, paths, at, partnership, as_of or today())
    history = rating_and_target_changes(paths, at, packaging.start_of(paths), use_cache=not no_cache)
    count = write_tree(output, packaging.files(loaded, made, history.changes, history.note))
    where = f"commit {made.commit[:12]}" if made.commit else "no git commit"
    echo_err(
        f"wrote {output}: {plural(len(loaded.plans), 'plan')}, {plural(count, 'file')}; {made.partnership}, "
        f"{where}{' with uncommitted changes' if made.uncommitted_changes else ''}, as of {made.as_of.isoformat()}"
    )
    raise SystemExit(EXIT_OK)


@click.command("gather", cls=Command)
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The SQLite database to write.")
@click.option("--force", is_flag=True, help="Replace the database if it exists.")
@as_of_option
def gather(sources: Sequence[str], output: str, force: bool, as_of: Optional[dt.date]) -> None:
    """Gather many partnerships' data packages into one national SQLite database.

    SOURCES are packages' directories, directories holding packages (and zip files of them) at
    any depth, zip files, or git repositories at a revision (REPO@REV). Each plan is validated;
    a review published twice is counted once (from the package with the latest as-of date) and
    reported; a package of an unknown format version is refused by name. Every row records its
    package, and the packages table its provenance. stats, register, report and every other
    report read the database with --from DATABASE.
    """
    from dhrtrack.national.gather import run

    if os.path.exists(output) and not force:
        raise UsageError(f"{output} already exists; use --force to replace it")
    result = run(sources, output, as_of or today(), force)
    gathered = result.gathered
    echo_all_err([f"refused: {why}" for why in gathered.refused])
    echo_all_err(gathered.invalid)
    echo_all_err([duplicate.message for duplicate in gathered.duplicates])
    echo_all_err([f"note: {note}" for note in gathered.notes])
    echo_err(
        f"wrote {output}: {plural(len(gathered.plans), 'plan')} from {plural(len(gathered.packages), 'package')}"
        + (f"; {plural(len(gathered.duplicates), 'duplicate')} counted once" if gathered.duplicates else "")
        + (f"; {len(gathered.invalid)} invalid left out" if gathered.invalid else "")
        + (f"; {len(gathered.refused)} refused" if gathered.refused else "")
    )
    raise SystemExit(EXIT_FINDINGS if gathered.refused or gathered.invalid else EXIT_OK)
