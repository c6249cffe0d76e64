"""The console entry point. `dhrtrack --version` and `dhrtrack --help` are answered here,
before click is imported (importing click takes several times as long as starting Python);
everything else goes to the click CLI, which gives the same answers to those two."""

from __future__ import annotations

import sys


def run() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        from dhrtrack import __version__

        sys.stdout.write(f"dhrtrack, version {__version__}\n")
        return
    if args in (["--help"], ["-h"]):
        from dhrtrack.cli.help import main_help

        sys.stdout.write(main_help() + "\n")
        return
    from dhrtrack.cli.main import run as cli_run

    cli_run()
