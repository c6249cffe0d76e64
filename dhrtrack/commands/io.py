"""Getting plans in and out: import, export, new, init."""

from __future__ import annotations

import os
import subprocess
from typing import List, Optional, Sequence, Tuple

import click

from dhrtrack.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    as_of_option,
    echo_err,
    failure,
    plan_paths_argument,
    resolve_plan_files,
    today,
)


# --- import ---------------------------------------------------------------------------------


@click.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The plan file to write, e.g. plans/bdhr-2012-13-05.yaml.")
@click.option("--review-id", help="The review's id, when the document's heading does not give it.")
@click.option("--title", help="The review's title (default: the document's heading).")
@click.option("--partnership", help="The Community Safety Partnership that owns the plan (never guessed).")
@click.option("--strict", is_flag=True, help="Refuse to write when any value could not be mapped.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def import_(source: str, output: str, review_id: Optional[str], title: Optional[str], partnership: Optional[str],
            strict: bool, force: bool) -> None:
    """Turn an action plan (exported text, .docx, .csv or .xlsx) into a plan file.

    SOURCE is the template table exported as text, a Word document whose tables use the
    template's columns, or a sheet with one row per action under the template's headings.
    Dates such as "March 2016", "Sept 2015" and "31/03/2017" become 2016-03, 2015-09 and
    2017-03-31; RAG words (Red, Amber, Green, Complete, Completed, Blue, Done) map to the
    ratings. Anything that cannot be mapped is kept in the action's import_notes and reported
    as a warning with its source row. The result is validated before it is written.
    """
    from dhrtrack import writer
    from dhrtrack.discovery import registry_files
    from dhrtrack.importing import ImportError_, import_file
    from dhrtrack.versions import parse_plan

    if os.path.exists(output) and not force:
        raise click.UsageError(f"{output} already exists; use --force to replace it")
    try:
        result = import_file(source, review_id, title, partnership, registry_files([output]))
    except ImportError_ as error:
        raise failure(error) from None
    for where, message in result.warnings:
        echo_err(f"{source}: {where}: warning: {message}")
    if strict and result.warnings:
        echo_err(f"{len(result.warnings)} value(s) could not be mapped; nothing written (--strict)")
        raise SystemExit(EXIT_FINDINGS)
    text = writer.dump_plan(result.plan, [f"Imported by dhrtrack from {os.path.basename(source)}."])
    data, problem = parse_plan(text.encode("utf-8"), output)
    if problem is not None:  # pragma: no cover - a bug in the importer; refuse rather than write it
        raise failure(f"the imported plan is not valid ({problem.line}:{problem.column}: {problem.message}); "
                           "nothing written")
    try:
        writer.write_atomic(output, text, force=force)
    except writer.WriteError as error:
        raise failure(error) from None
    recs = result.plan["recommendations"]
    actions = sum(len(r["actions"]) for r in recs)
    echo_err(f"wrote {output}: {len(recs)} recommendations, {actions} actions"
             + (f", {len(result.warnings)} warnings" if result.warnings else ""))


# --- export ---------------------------------------------------------------------------------


def load_plans(files: Sequence[str]) -> Tuple[List[Tuple[str, dict]], int]:
    """(file, data) for the valid plans; invalid ones are named on stderr and counted."""
    from dhrtrack.versions import parse_plan

    plans, invalid = [], 0
    for file in files:
        try:
            with open(file, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            echo_err(f"{file}: cannot read the file: {error.strerror or error}")
            invalid += 1
            continue
        data, problem = parse_plan(raw, file)
        if problem is not None:
            echo_err(f"{file}:{problem.line}:{problem.column}: error: {problem.message}\n"
                     f"  {file} is invalid and left out; see: dhrtrack validate {file}")
            invalid += 1
            continue
        plans.append((file, data))
    return plans, invalid


@click.command("export")
@plan_paths_argument
@click.option("--format", "fmt", type=click.Choice(("csv", "xlsx", "json")), default="csv", show_default=True,
              help="csv for any spreadsheet, xlsx for Excel (coloured RAG cells, frozen header), json for programs.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write; csv and json go to standard output when it is left out.")
@click.option("--bom", is_flag=True, help="Start CSV with a UTF-8 byte-order mark, so Excel opens accents right.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@as_of_option
def export(paths: Sequence[str], fmt: str, output: Optional[str], bom: bool, force: bool, as_of) -> None:
    """Export one row per action to CSV, Excel or JSON, for spreadsheet users.

    Columns: review, recommendation number and text, section, agency, action id, action,
    lead, owner, milestones, target, due date, RAG, overdue (as of --as-of), outcome and
    completed. A CSV or XLSX export imports back (dhrtrack import) as the same plan.
    """
    import sys

    from dhrtrack import exporting, writer

    files, _registries = resolve_plan_files(paths)
    plans, invalid = load_plans(files)
    day = as_of or today()
    data = exporting.rows(plans, day)
    if fmt == "xlsx":
        if not output or output == "-":
            raise click.UsageError("xlsx is a binary file: name it with -o, e.g. -o actions.xlsx")
        content = exporting.to_xlsx(data, day)
    elif fmt == "csv":
        content = exporting.to_csv(data, bom)
    else:
        content = exporting.to_json(data, day)
    if not output or output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        try:
            writer.write_bytes_atomic(output, content, force=force)
        except writer.WriteError as error:
            raise failure(error) from None
        echo_err(f"wrote {output}: {len(data)} actions from {len(plans)} plans")
    raise SystemExit(EXIT_FINDINGS if invalid or not files else EXIT_OK)


# --- new ------------------------------------------------------------------------------------

SKELETON = """\
# yaml-language-server: $schema={schema}
# The action plan of one Domestic Homicide Review (Domestic Abuse Related Death Review).
# Check it with `dhrtrack validate`; see the README for every field.
schema_version: 1
review:
{review}recommendations: []
# Add each recommendation of the review's report under `recommendations`, for example:
#
# recommendations:
#   - number: 1                     # as the report numbers it; unique in this file
#     section: agency               # overview | agency (the report's two tables)
#     agency: Northshire Police     # required when section is agency
#     scope: local                  # local | regional | national
#     text: >-
#       The recommendation, as the report words it.
#     actions:
#       - id: "1.1"                 # unique in this file and stable: never renumber
#         action: >-
#           What will be done.
#         lead: Northshire Police   # the lead agency
#         owner: Head of Safeguarding   # a role or person (optional)
#         milestones:
#           - A step on the way.
#         target: 2026-06           # YYYY-MM (due at the end of the month) or YYYY-MM-DD
#         rag: amber                # red | amber | green | complete; leave out until rated
#         outcome: >-
#           What was achieved (record it when the action is complete).
"""


def _schema_reference(output: str) -> str:
    """The modeline's path from the plan to schema/plan.schema.json at the repository root."""
    directory = os.path.dirname(os.path.abspath(output))
    here = directory
    while True:
        if os.path.isfile(os.path.join(here, "schema", "plan.schema.json")) or os.path.isdir(os.path.join(here, ".git")):
            return os.path.relpath(os.path.join(here, "schema", "plan.schema.json"), directory).replace(os.sep, "/")
        parent = os.path.dirname(here)
        if parent == here:
            return "../schema/plan.schema.json"
        here = parent


@click.command("new")
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--review-id", required=True, help="The review's id as the partnership writes it, e.g. NSDHR 2026-01.")
@click.option("--partnership", help="The Community Safety Partnership that owns the plan.")
@click.option("--title", help="The review's title.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(output: str, review_id: str, partnership: Optional[str], title: Optional[str], force: bool) -> None:
    """Write a new, commented plan skeleton that validates, with the schema modeline."""
    from dhrtrack import writer

    review = writer.field("id", review_id, 2)
    for name, value in (("title", title), ("partnership", partnership)):
        if value:
            review += writer.field(name, value, 2)
    text = SKELETON.format(schema=_schema_reference(output), review="".join(line + "\n" for line in review))
    try:
        writer.write_atomic(output, text, force=force)
    except writer.WriteError as error:
        raise failure(error) from None
    echo_err(f"wrote {output}; add its recommendations, then run: dhrtrack validate {output}")


# --- init -----------------------------------------------------------------------------------

EXAMPLE_PLAN = """\
# yaml-language-server: $schema=../schema/plan.schema.json
# An example plan, to show the format: replace it with your own (`dhrtrack new` or
# `dhrtrack import`), then delete this file.
schema_version: 1
review:
  id: EXAMPLE 2026-01
  title: Domestic Homicide Review EXAMPLE 2026-01 action plan
  partnership: Example Community Safety Partnership
recommendations:
  - number: 1
    section: agency
    agency: Example Police
    scope: local
    text: >-
      Call handlers should check for previous domestic abuse incidents at the address before
      dispatch.
    actions:
      - id: "1.1"
        action: >-
          Add an address-history prompt to the dispatch system.
        lead: Example Police
        owner: Control Room Manager
        milestones:
          - Prompt specified with the control room.
          - Supplier change request raised.
        target: 2026-06
        rag: amber
        updates:
          - date: 2026-02-03
            rag: amber
            target: 2026-06
            note: Supplier change request raised.
"""

PRE_COMMIT = """\
# Checks plan files before each commit: pip install pre-commit && pre-commit install
repos:
  - repo: local
    hooks:
      - id: dhrtrack-validate
        name: dhrtrack validate
        entry: dhrtrack validate
        language: system
        files: ^plans/.*\\.ya?ml$
        require_serial: true
"""

GITHUB_WORKFLOW = """\
# Validates every plan on every push and pull request, and puts the status report in the
# run's summary. Set the repository variable DHRTRACK_PIP_SPEC to where your dhrtrack comes
# from (for example a git URL); by default it is installed from the package index.
name: plans
on: [push, pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install "${{ vars.DHRTRACK_PIP_SPEC || 'dhrtrack' }}"
      - run: dhrtrack validate plans/
      - run: dhrtrack status --format markdown >> "$GITHUB_STEP_SUMMARY"
        if: always()
"""

GITLAB_CI = """\
# Validates every plan on every push. Set the CI/CD variable DHRTRACK_PIP_SPEC to where your
# dhrtrack comes from (for example a git URL); by default it is installed from the package index.
validate-plans:
  image: python:3.11-slim
  script:
    - pip install "${DHRTRACK_PIP_SPEC:-dhrtrack}"
    - dhrtrack validate plans/ --format text
    - dhrtrack status --format markdown
"""

GITATTRIBUTES = "plans/*.yaml diff=dhrtrack\nplans/*.yml diff=dhrtrack\n"


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--gitlab", is_flag=True, help="Write a GitLab CI job instead of a GitHub Actions workflow.")
def init(directory: str, gitlab: bool) -> None:
    """Set up a partnership's plans repository.

    Creates plans/ with an example plan, the schemas for editors, .gitattributes for readable
    git diffs, a pre-commit hook and a CI job (GitHub Actions, or GitLab CI with --gitlab).
    Existing files are never overwritten; it says what it created and what to do next.
    """
    from dhrtrack import writer
    from dhrtrack.schema import schema_text

    files = [
        ("plans/example-2026-01.yaml", EXAMPLE_PLAN),
        ("schema/plan.schema.json", schema_text("plan.schema.json")),
        ("schema/agencies.schema.json", schema_text("agencies.schema.json")),
        (".gitattributes", GITATTRIBUTES),
        (".pre-commit-config.yaml", PRE_COMMIT),
        (".gitlab-ci.yml", GITLAB_CI) if gitlab else (".github/workflows/plans.yml", GITHUB_WORKFLOW),
    ]
    created, kept = [], []
    for relative, content in files:
        path = os.path.join(directory, relative)
        if os.path.exists(path):
            kept.append(relative)
            continue
        try:
            writer.write_atomic(path, content)
        except writer.WriteError as error:
            raise failure(error) from None
        created.append(relative)
    for relative in created:
        click.echo(f"created {os.path.join(directory, relative)}")
    for relative in kept:
        click.echo(f"kept    {os.path.join(directory, relative)} (it exists; not changed)")
    in_git = _configure_textconv(directory)
    click.echo("")
    click.echo("Next steps:")
    steps = []
    if not in_git:
        steps.append(f"git init {directory}   (plans live in git: it is the audit trail)")
        steps.append('git config diff.dhrtrack.textconv "dhrtrack textconv"   (readable git diffs of plans)')
    if ".gitattributes" in kept and "diff=dhrtrack" not in _read(os.path.join(directory, ".gitattributes")):
        steps.append("add these lines to your .gitattributes: " + GITATTRIBUTES.replace("\n", "  ").strip())
    steps += [
        "dhrtrack new plans/<name>.yaml --review-id \"<review id>\"   or   dhrtrack import <plan.docx> -o plans/<name>.yaml",
        "dhrtrack validate && dhrtrack status",
        "pip install pre-commit && pre-commit install   (check plans before each commit)",
    ]
    for number, step in enumerate(steps, 1):
        click.echo(f"  {number}. {step}")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def _configure_textconv(directory: str) -> bool:
    """Set git's textconv driver for plans when the directory is in a git repository."""
    try:
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=directory,
                                capture_output=True, text=True)
    except (FileNotFoundError, NotADirectoryError):
        return False
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return False
    done = subprocess.run(["git", "config", "diff.dhrtrack.textconv", "dhrtrack textconv"], cwd=directory,
                          capture_output=True, text=True)
    if done.returncode == 0:
        click.echo('configured git: diff.dhrtrack.textconv = "dhrtrack textconv"')
        return True
    return False
