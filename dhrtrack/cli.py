"""The dhrtrack command line: a thin click layer (parse, call the core, render, exit code).

Commands live in dhrtrack.commands.*; heavy libraries (rich, jsonschema) are imported inside
the functions that use them so `dhrtrack --help` and `--version` start fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any, Callable, Optional, Sequence

import click

from dhrtrack import __version__

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


def resolve_plan_files(paths: Sequence[str]) -> list:
    """The plan files for PATHS, or for the repository's plans/ directory when none are given."""
    from dhrtrack.loader import DiscoveryError, default_plans_dir, discover

    if not paths:
        default = default_plans_dir()
        if default is None:
            raise click.UsageError(
                "no plans/ directory here or in the directories above: "
                "run dhrtrack inside a plans repository, or name the plan files or directories"
            )
        paths = [default]
    try:
        return discover(paths)
    except DiscoveryError as error:
        raise click.UsageError(str(error)) from None


def echo_err(message: str) -> None:
    click.echo(message, err=True)


class Group(click.Group):
    """Lists commands in the order they were added, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list:
        return list(self.commands)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="dhrtrack")
def main() -> None:
    """Track Domestic Homicide Review action plans kept as YAML files in git.

    Plans live under plans/ (one review per file). Exit codes: 0 ok, 1 findings or invalid
    plans, 2 usage error.
    """


def _register() -> None:
    from dhrtrack.commands import validate

    main.add_command(validate.validate)


_register()


def run() -> None:  # pragma: no cover - console entry used by python -m
    try:
        main(prog_name="dhrtrack")
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_FINDINGS)
