"""The dhrtrack command line: a thin click layer (parse, call the core, render, exit code).

Commands live in dhrtrack.commands.* and are imported only when run: `dhrtrack --help` and
`--version` load click and nothing else. Heavy libraries (rich, jsonschema) are imported inside
the functions that use them.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Dict, List, Optional, Tuple

import click

from dhrtrack import __version__

# name: (module, attribute, one-line help). The help is repeated here so that `dhrtrack --help`
# need not import every command; a test checks it matches each command's own help.
COMMANDS: Dict[str, Tuple[str, str, str]] = {
    "status": ("dhrtrack.commands.reports", "status",
               "The dashboard: completion per review, overdue actions, actions without a RAG rating."),
    "validate": ("dhrtrack.commands.validate", "validate",
                 "Check plan files: YAML syntax, the plan schema and the plan rules."),
    "overdue": ("dhrtrack.commands.reports", "overdue",
                "Overdue actions, most overdue first: due before --as-of and not rated complete."),
    "unrated": ("dhrtrack.commands.reports", "unrated",
                "Actions without a RAG rating (no rag field), in document order."),
    "summary": ("dhrtrack.commands.reports", "summary",
                "Completion per review: actions, red, amber, green, unrated, overdue, no target, complete."),
    "due": ("dhrtrack.commands.reports", "due",
            "Open actions falling due soon: due from --as-of to the end of the window, soonest first."),
    "agencies": ("dhrtrack.commands.reports", "agencies",
                 "Per lead agency: actions, open, overdue, unrated, % complete and the oldest overdue action."),
    "diff": ("dhrtrack.commands.history", "diff",
             "What changed in the plans: RAG moves, target slips, actions added or removed."),
    "history": ("dhrtrack.commands.history", "history",
                "The timeline of one action or one plan, oldest first, from git."),
    "textconv": ("dhrtrack.commands.history", "textconv",
                 "Print a plan as stable, line-oriented text for git's textconv."),
    "import": ("dhrtrack.commands.io", "import_",
               "Turn an action plan (exported text, .docx, .csv or .xlsx) into a plan file."),
    "export": ("dhrtrack.commands.io", "export",
               "Export one row per action to CSV, Excel or JSON, for spreadsheet users."),
    "new": ("dhrtrack.commands.io", "new",
            "Write a new, commented plan skeleton that validates, with the schema modeline."),
    "init": ("dhrtrack.commands.io", "init",
             "Set up a partnership's plans repository."),
    "update": ("dhrtrack.commands.workflow", "update",
               "Record an agency's update to one action without hand-editing YAML."),
    "chase": ("dhrtrack.commands.workflow", "chase",
              "Write one message per lead agency asking for updates."),
    "report": ("dhrtrack.commands.workflow", "report",
               "Write the quarterly board report, as HTML or markdown."),
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (or its help is asked for)."""

    def list_commands(self, ctx: click.Context) -> List[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        if name not in COMMANDS:
            return None
        module, attribute, _help = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_) for name, (_m, _a, help_) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="dhrtrack")
def main() -> None:
    """Track Domestic Homicide Review action plans kept as YAML files in git.

    Plans live under plans/ (one review per file); with no PATHS a command uses the plans/
    directory of the repository you are in. Every report takes --format table|json|csv|markdown
    and --as-of YYYY-MM-DD. Exit codes: 0 ok, 1 findings or invalid plans, 2 usage error.
    """


def run() -> None:  # pragma: no cover - the console entry point; tests call main directly
    try:
        main(prog_name="dhrtrack")
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
