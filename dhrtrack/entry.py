"""The console entry point. `dhrtrack --version` is answered here, before click is imported
(importing click is most of the start-up time); everything else goes to the click CLI."""

from __future__ import annotations

import sys


def run() -> None:
    if sys.argv[1:] == ["--version"]:
        from dhrtrack import __version__

        # The same line click's version option prints (a test checks they agree).
        sys.stdout.write(f"dhrtrack, version {__version__}\n")
        return
    from dhrtrack.cli import run as cli_run

    cli_run()
