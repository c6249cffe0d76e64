"""`dhrtrack validate`: check plan files against the schema and the plan rules, for people and CI."""

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
    echo_err,
    no_plans_message,
    plan_paths_argument,
    today,
)
from dhrtrack.errors import UsageError
from dhrtrack.wording import plural

FORMATS = ("text", "json", "github", "gitlab", "sarif", "junit")


@click.command(cls=Command)
@plan_paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format: text; json; github (annotations; the default under GitHub Actions); gitlab "
    "(a Code Quality report); sarif (SARIF 2.1.0, for code scanning); junit (a test report).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings as well as errors.")
@as_of_option
def validate(paths: Sequence[str], fmt: Optional[str], strict: bool, as_of: Optional[dt.date]) -> None:
    """Check plan files: YAML syntax, the plan schema and the plan rules.

    PATHS are plan files or directories (searched for *.yaml and *.yml); by default the
    repository's plans/ directory. Problems go to stdout as file:line:col: severity: message
    [path]; a summary goes to stderr. Exit 0 when valid, 1 when any file has an error (or a
    warning, with --strict), 2 for usage errors.
    """
    from dhrtrack.plan import validate as core
    from dhrtrack.plan.store import resolve
    from dhrtrack.render.problems import REPORTERS

    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    try:
        files, registries, refused = resolve(paths)
    except UsageError as error:
        if fmt in ("sarif", "junit"):  # a CI service uploads the report: it says why too
            empty = core.Report(notices=[error.message], as_of=(as_of or today()).isoformat())
            click.echo(REPORTERS[fmt](empty, False), nl=False)
        raise
    report = core.run(files, as_of or today(), registries, refused=refused)
    ok = report.ok(strict) and bool(files or registries or refused)
    if not files and not registries and not refused:
        report.notices.append(no_plans_message(paths))
    output = REPORTERS[fmt](report, ok)
    if output:
        click.echo(output, nl=not output.endswith("\n"))
    if not files and not registries and not refused:
        echo_err(no_plans_message(paths))
    else:
        echo_err(_summary(len(report.results), report.errors, report.warnings, strict))
    raise SystemExit(EXIT_OK if ok else EXIT_FINDINGS)


def _summary(files: int, errors: int, warnings: int, strict: bool) -> str:
    checked = f"checked {plural(files, 'file')}: {plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if errors:
        return checked + " - invalid"
    if warnings and strict:
        return checked + " - failing on warnings (--strict)"
    return checked + " - valid"
