"""The click group: the lazy command list, "did you mean" for a mistyped command, and the console
run. Each command declares its options, makes one call into the core, renders the result and
returns an exit code; library errors become exit codes in one place (options.Command).

Commands are imported only when run (LazyGroup); `dhrtrack --help` and `--version` are answered
before click is even imported (dhrtrack.cli.entry). Heavy libraries (rich, jsonschema) are
imported inside the functions that use them.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import List, Optional

import click

from dhrtrack import __version__, collector
from dhrtrack.cli.help import COMMANDS, main_help


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or its help is asked for)."""

    def list_commands(self, ctx: click.Context) -> List[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        if name not in COMMANDS:
            return None
        module, attribute, _help = COMMANDS[name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(self, ctx: click.Context, args: List[str]):  # type: ignore[no-untyped-def]
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            import difflib  # only for a mistyped command

            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.6)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            ctx.fail(f"No such command '{name}'.{hint}")
        return super().resolve_command(ctx, args)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None):  # type: ignore[no-untyped-def]
        # bash gets dhrtrack's own script (dhrtrack.cli.complete); zsh and fish keep click's.
        if os.environ.get(complete_var or "_DHRTRACK_COMPLETE"):
            from dhrtrack.cli.complete import register_bash

            register_bash()
        return super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def get_help(self, ctx: click.Context) -> str:
        # The same text `dhrtrack --help` prints before click is imported (see dhrtrack.cli.entry).
        return main_help()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="dhrtrack")
def main() -> None:
    """Track Domestic Homicide Review action plans kept as YAML files in git.

    Plans live under plans/ (one review per file); with no PATHS a command uses the plans/
    directory of the repository you are in. Every report takes --format table|json|csv|markdown
    and --as-of DATE (2026-03-31 or 31/03/2026). Exit codes: 0 ok, 1 findings or invalid plans, 2
    usage error.
    """


def run() -> None:  # pragma: no cover - the console entry point; tests call main directly
    # A command is one short process that makes many objects and no reference cycles (a
    # national corpus read back is hundreds of thousands of tuples and dicts): the cyclic
    # collector would go through them all again and again for nothing (a fifth of a warm
    # report's time), so it is paused for the whole command, here and nowhere else.
    try:
        with collector.paused(freeze=True):
            main(prog_name="dhrtrack")
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
