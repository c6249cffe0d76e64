"""The command list and `dhrtrack --help`, without click.

`dhrtrack --help` is the most common first command, and importing click alone takes several
times as long as starting Python. So the top-level help is laid out here, in the same style as
click's, and printed before click is imported; the click group returns the same text.
"""

from __future__ import annotations

import os
import sys
import textwrap
from typing import Dict, List, Optional, Tuple

# name: (module, attribute, one-line help). A test checks each line is the first line of the
# command's own help.
COMMANDS: Dict[str, Tuple[str, str, str]] = {
    "status": (
        "dhrtrack.cli.reports",
        "status",
        "The dashboard: completion per review, overdue actions, actions without a RAG rating.",
    ),
    "validate": (
        "dhrtrack.cli.validate",
        "validate",
        "Check plan files: YAML syntax, the plan schema and the plan rules.",
    ),
    "overdue": (
        "dhrtrack.cli.reports",
        "overdue",
        "Overdue actions, most overdue first: due before --as-of and not rated complete.",
    ),
    "unrated": ("dhrtrack.cli.reports", "unrated", "Actions without a RAG rating (no rag field), in document order."),
    "summary": (
        "dhrtrack.cli.reports",
        "summary",
        "Completion per review: actions, red, amber, green, unrated, overdue, no target, complete.",
    ),
    "due": (
        "dhrtrack.cli.reports",
        "due",
        "Open actions falling due soon: due from --as-of to the end of the window, soonest first.",
    ),
    "agencies": (
        "dhrtrack.cli.reports",
        "agencies",
        "Per lead agency: actions, open, overdue, unrated, % complete and the oldest overdue action.",
    ),
    "stats": (
        "dhrtrack.cli.stats",
        "stats",
        "Implementation across reviews: open, overdue, on time, late, and target slips.",
    ),
    "respond": (
        "dhrtrack.cli.respond",
        "respond",
        "Record a national or regional recommendation's addressee and response.",
    ),
    "register": (
        "dhrtrack.cli.register",
        "register",
        "The register of national and regional recommendations.",
    ),
    "diff": (
        "dhrtrack.cli.history",
        "diff",
        "What changed in the plans: RAG moves, target slips, actions added or removed.",
    ),
    "history": ("dhrtrack.cli.history", "history", "The timeline of one action or one plan, oldest first, from git."),
    "textconv": ("dhrtrack.cli.history", "textconv", "Print a plan as stable, line-oriented text for git's textconv."),
    "import": (
        "dhrtrack.cli.transfer",
        "import_",
        "Turn an action plan (Word, PDF, spreadsheet, OpenDocument or text) into a plan file.",
    ),
    "export": (
        "dhrtrack.cli.transfer",
        "export",
        "Export one row per action to CSV, Excel or JSON, for spreadsheet users.",
    ),
    "new": (
        "dhrtrack.cli.setup",
        "new",
        "Write a new, commented plan skeleton that validates, with the schema modeline.",
    ),
    "init": ("dhrtrack.cli.setup", "init", "Set up a partnership's plans repository."),
    "show": (
        "dhrtrack.cli.show",
        "show",
        "One action in full: its review, recommendation, text, lead, dates, rating and updates.",
    ),
    "update": ("dhrtrack.cli.update", "update", "Record an agency's update to one action without hand-editing YAML."),
    "verify": (
        "dhrtrack.cli.verify",
        "verify",
        "Record that a completed action's outcome was checked by someone other than its owner.",
    ),
    "chase": (
        "dhrtrack.cli.chase",
        "chase",
        "Write one message (or return workbook) per lead agency asking for updates.",
    ),
    "apply": (
        "dhrtrack.cli.apply",
        "apply",
        "Apply agencies' filled-in returns to the plans, all or nothing per return.",
    ),
    "report": ("dhrtrack.cli.board", "report", "Write the quarterly board report, as HTML, markdown or Word."),
    "site": ("dhrtrack.cli.site", "site", "Build the partnership's website: static, accessible, with open data."),
    "package": (
        "dhrtrack.cli.national",
        "package",
        "Write the partnership's publishable data as a versioned data package for the national register.",
    ),
    "gather": (
        "dhrtrack.cli.national",
        "gather",
        "Gather many partnerships' data packages into one national SQLite database.",
    ),
}

USAGE = "Usage: dhrtrack [OPTIONS] COMMAND [ARGS]..."
DESCRIPTION = [
    "Track Domestic Homicide Review action plans kept as YAML files in git.",
    "Plans live under plans/ (one review per file); with no PATHS a command uses the plans/ directory "
    "of the repository you are in. Every report takes --format table|json|csv|markdown and --as-of "
    "DATE (2026-03-31 or 31/03/2026). Exit codes: 0 ok, 1 findings or invalid plans, 2 usage error.",
    "Run dhrtrack COMMAND --help for a command's options.",
]
OPTIONS = [("--version", "Show the version and exit."), ("-h, --help", "Show this message and exit.")]
MAX_WIDTH = 100


def _definitions(rows: List[Tuple[str, str]], width: int) -> List[str]:
    first = min(max(len(name) for name, _ in rows), 30)
    text_width = max(width - first - 4, 10)
    lines = []
    for name, text in rows:
        wrapped = textwrap.wrap(text, text_width) or [""]
        if len(name) > first:
            lines.append(f"  {name}")
            lines += [" " * (first + 4) + line for line in wrapped]
            continue
        lines.append(f"  {name.ljust(first)}  {wrapped[0]}")
        lines += [" " * (first + 4) + line for line in wrapped[1:]]
    return lines


def terminal_columns() -> int:
    """The terminal's width: $COLUMNS, else the terminal's own, else 80."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return 80


def main_help(columns: Optional[int] = None) -> str:
    width = max(min(columns if columns is not None else terminal_columns(), MAX_WIDTH) - 2, 50)
    lines = [USAGE, ""]
    for i, paragraph in enumerate(DESCRIPTION):
        if i:
            lines.append("")
        lines += textwrap.wrap(paragraph, width, initial_indent="  ", subsequent_indent="  ")
    lines += ["", "Options:"] + _definitions(OPTIONS, width)
    lines += ["", "Commands:"] + _definitions([(name, spec[2]) for name, spec in COMMANDS.items()], width)
    return "\n".join(lines)
