"""What the commands share: exit codes, option types and decorators, finding plan files."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, List, Optional, Sequence, Tuple

import click

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class DateType(click.ParamType):
    """A YYYY-MM-DD date; anything else is a usage error naming the option."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from dhrtrack.dates import parse_day

        parsed = parse_day(str(value).strip())
        if parsed is None:
            self.fail(f"{value!r} is not a real date in the form YYYY-MM-DD (e.g. 2026-03-31)", param, ctx)
        return parsed


DATE = DateType()


def today() -> dt.date:
    return dt.date.today()


def as_of_option(func: Callable) -> Callable:
    return click.option(
        "--as-of",
        type=DATE,
        default=None,
        help="Report as on this date (YYYY-MM-DD). Default: today.",
    )(func)


def plan_paths_argument(func: Callable) -> Callable:
    return click.argument(
        "paths",
        nargs=-1,
        type=click.Path(exists=True, file_okay=True, dir_okay=True, readable=False),
    )(func)


def resolve_plan_files(paths: Sequence[str]) -> Tuple[List[str], List[str]]:
    """The plan files for PATHS (or for the repository's plans/ directory when none are given),
    and the agency registry files (agencies.yaml) that go with them."""
    from dhrtrack.discovery import DiscoveryError, default_plans_dir, discover
    from dhrtrack.discovery import registry_files

    if not paths:
        default = default_plans_dir()
        if default is None:
            raise click.UsageError(
                "no plans/ directory here or in the directories above: "
                "run dhrtrack inside a plans repository, or name the plan files or directories"
            )
        paths = [default]
    try:
        return discover(paths), registry_files(paths)
    except DiscoveryError as error:
        raise click.UsageError(str(error)) from None


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def agency_names(plans: Sequence[Any], registry_files: Sequence[str], use_cache: bool = True) -> Tuple[Any, Any]:
    """(canonical-name function, registry or None) for the reports: a lead's name in
    plans/agencies.yaml first, else the most used spelling among the plans' leads."""
    from dhrtrack import queries

    canon = queries.spelling_canon(plans)
    if not registry_files:
        return canon, None
    from dhrtrack import registry

    reg = registry.load_for_reports(list(registry_files), use_cache=use_cache)
    if reg is None or not reg.agencies:
        return canon, reg
    spelling = canon

    def registered(name: str) -> str:
        agency = reg.resolve(name)
        return agency.name if agency else spelling(name)

    return registered, reg


def failure(error: object) -> click.ClickException:
    """The one place library errors become the CLI's errors: a message on stderr and exit 1,
    or exit 2 for an error that marks itself as the user's usage mistake (`usage = True`)."""
    if getattr(error, "usage", False):
        return click.UsageError(str(error))
    exc = click.ClickException(str(error))
    exc.exit_code = EXIT_FINDINGS
    return exc
