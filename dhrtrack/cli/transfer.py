"""Getting plans in and out: import and export."""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence

import click

from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    as_of_option,
    at_option,
    bom_option,
    display,
    echo_all_err,
    echo_err,
    load_plans,
    plan_paths_argument,
    today,
)
from dhrtrack.errors import UsageError
from dhrtrack.wording import plural

if TYPE_CHECKING:
    from dhrtrack.plan.store import Loaded


@click.command("import", cls=Command)
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="The plan file to write, e.g. plans/bdhr-2012-13-05.yaml; a directory with --split.",
)
@click.option("--review-id", help="The review's id, when the document's title does not give it.")
@click.option("--title", help="The review's title (default: the document's title).")
@click.option("--partnership", help="The Community Safety Partnership that owns the plan (never guessed).")
@click.option(
    "--split",
    is_flag=True,
    help="A master tracker listing several reviews (a Review or DHR Ref column): one plan per review, "
    "written into the -o directory.",
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be written (plans, ratings, targets, warnings); write nothing."
)
@click.option("--strict", is_flag=True, help="Refuse to write when any value could not be mapped.")
@click.option("--force", is_flag=True, help="Replace output files that exist.")
def import_(
    source: str,
    output: Optional[str],
    review_id: Optional[str],
    title: Optional[str],
    partnership: Optional[str],
    split: bool,
    dry_run: bool,
    strict: bool,
    force: bool,
) -> None:
    """Turn an action plan (Word, PDF, spreadsheet, OpenDocument or text) into a plan file.

    SOURCE is an action plan as partnerships keep or publish it: the Home Office template in
    Word (.docx, .odt; .doc and .rtf through LibreOffice), the PDF appendix of an overview
    report, a tracker workbook (.xlsx, .csv; .xls and .ods through LibreOffice; every sheet
    is read, one per agency included), or a plan pasted as text ("Recommendation 3:", "Lead:"
    lines). Headings are read by what they mean, in English or Welsh ("By when", "Responsible
    agency", "Asiantaeth Arweiniol / Lead Agency"), wherever the heading row is; a heading
    naming an agency sets the lead of the table under it. Dates such as "March 2016", "Sept 2015" and "31/03/2017"
    become 2016-03, 2015-09 and 2017-03-31; ratings are read from a RAG column, a cell's
    colour, or the outcome cell ("Completed 15/11/2025: ..."). Anything that cannot be mapped
    is kept in the action's import_notes and reported as a warning with its source row; the
    result is validated before it is written.
    """
    from dhrtrack.importing import import_reviews, plan_files
    from dhrtrack.plan.discovery import registry_files
    from dhrtrack.plan.write import write_atomic

    if output is None and not dry_run:
        raise UsageError("name the plan file to write with -o (or a directory, with --split), or use --dry-run")
    target = output or (os.path.join("plans", "") if split else "plans/imported.yaml")
    results = import_reviews(source, review_id, title, partnership, registry_files([target]), split)
    planned = plan_files(results, source, target, split)
    echo_all_err([f"{source}: {where}: warning: {message}" for p in planned for where, message in p.result.warnings])
    warnings = sum(len(p.result.warnings) for p in planned)
    if dry_run:
        from dhrtrack.render.preview import preview

        click.echo(preview(planned, display()), nl=False)
        return
    if strict and warnings:
        echo_err(f"{plural(warnings, 'value')} could not be mapped; nothing written (--strict)")
        raise SystemExit(EXIT_FINDINGS)
    existing = [p.path for p in planned if os.path.exists(p.path)]
    if existing and not force:
        raise UsageError(f"{existing[0]} already exists; use --force to replace it")
    for item in planned:
        write_atomic(item.path, item.text, force=force)
        recs = item.result.plan["recommendations"]
        actions = sum(len(r["actions"]) for r in recs)
        echo_err(
            f"wrote {item.path}: {plural(len(recs), 'recommendation')}, {plural(actions, 'action')}"
            + (f", {plural(len(item.result.warnings), 'warning')}" if item.result.warnings else "")
        )


@click.command("export", cls=Command)
@plan_paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("csv", "xlsx", "json", "sqlite", "datapackage")),
    default="csv",
    show_default=True,
    help="csv for any spreadsheet, xlsx for Excel (coloured RAG cells, frozen header), json for programs, "
    "sqlite for analysts: one database of reviews, recommendations, actions, updates, themes and changes; "
    "datapackage: a directory of open data (CSV, JSON, a Frictionless datapackage.json), as dhrtrack site's data/.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    help="The file to write (a directory for datapackage); csv and json go to standard output when it is left out.",
)
@click.option(
    "--public",
    is_flag=True,
    help="datapackage: only the fields the field table marks publishable (as dhrtrack site --public).",
)
@bom_option
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@as_of_option
@at_option
def export(
    paths: Sequence[str],
    fmt: str,
    output: Optional[str],
    public: bool,
    bom: bool,
    force: bool,
    as_of: Optional[dt.date],
    at: Optional[str],
) -> None:
    """Export one row per action to CSV, Excel or JSON, for spreadsheet users.

    Columns: review, recommendation number and text, section, agency, action id, action,
    lead, owner, milestones, target, due date, RAG, overdue (as of --as-of), outcome and
    completed. A CSV or XLSX export imports back (dhrtrack import) as the same plan.
    --format sqlite writes one SQLite database instead (tables reviews, recommendations,
    actions, updates, themes and, in a git repository, changes: every RAG move and target
    change with its commit date), for SQL, Datasette, DuckDB or Power Query. --format
    datapackage writes a directory of open data (--public: publishable fields only).
    """
    from dhrtrack.plan import store
    from dhrtrack.plan.write import write_bytes_atomic
    from dhrtrack.render.export import EXPORTERS
    from dhrtrack.reports import export as exporting

    to_stdout = not output or output == "-"
    if public != (fmt == "datapackage" and public):
        raise UsageError("--public is for --format datapackage")
    if fmt == "datapackage":
        _datapackage(paths, output, public, force, as_of or today(), at)
    if fmt in ("xlsx", "sqlite") and to_stdout:
        raise UsageError(f"{fmt} is a binary file: name it with -o, e.g. -o actions.{'db' if fmt == 'sqlite' else fmt}")
    if not to_stdout and os.path.exists(str(output)) and not force:
        raise UsageError(f"{output} already exists; use --force to replace it")
    loaded = load_plans(paths, detail=store.DATA, at=at)
    day = as_of or today()
    if fmt == "sqlite":
        assert output is not None
        _database(loaded, paths, day, at, output, force)
        raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)
    rows = exporting.rows(loaded, day)
    notes: List[str] = []
    chunks = EXPORTERS[fmt](rows, day, bom, notes)
    if to_stdout:
        # Made whole before the first byte goes out: a plan that fails half way must not leave
        # a pipeline with half an export.
        sys.stdout.buffer.write(b"".join(chunks))
        sys.stdout.buffer.flush()
    else:
        assert output is not None
        write_bytes_atomic(output, chunks, force=force)
        actions = sum(len(plan.actions) for plan in loaded.plans)
        echo_err(f"wrote {output}: {plural(actions, 'action')} from {plural(len(loaded.plans), 'plan')}")
    echo_all_err([f"note: {note}" for note in notes])
    raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)


def _datapackage(
    paths: Sequence[str], output: Optional[str], public: bool, force: bool, day: dt.date, at: Optional[str]
) -> None:
    from dhrtrack.cli.site import check_output, write_tree
    from dhrtrack.plan import store
    from dhrtrack.render.site import datapackage_files
    from dhrtrack.reports import publish, queries
    from dhrtrack.reports.site import site_title

    if not output or output == "-":
        raise UsageError("datapackage is a directory: name it with -o, e.g. -o data")
    check_output(output, force, "data package")
    loaded = load_plans(paths, detail=store.DATA, at=at)
    reviews = queries.summary(queries.scope(loaded, day).scoped, day)
    made = datapackage_files(publish.rows(loaded, day, public), reviews, public, day, site_title(loaded.plans))
    count = write_tree(output, made)
    echo_err(f"wrote {output}: {plural(count, 'file')}" + (" (publishable fields only)" if public else ""))
    raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)


def _database(
    loaded: "Loaded", paths: Sequence[str], day: dt.date, at: Optional[str], output: str, force: bool
) -> None:
    from dhrtrack.agencies import canonical_names
    from dhrtrack.history.slips import rating_and_target_changes
    from dhrtrack.plan.write import write_through
    from dhrtrack.reports.database import fill

    history = rating_and_target_changes(paths, at)
    counts: Dict[str, int] = {}
    canon = canonical_names(loaded.plans, loaded.registry)
    write_through(output, lambda tmp: counts.update(fill(tmp, loaded, canon, day, history)), force)
    echo_err(f"wrote {output}: " + ", ".join(f"{table} {n}" for table, n in counts.items()))
    if history.note:
        echo_err(f"no changes table rows: {history.note}")
