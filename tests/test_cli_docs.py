"""docs/cli.md, the command reference, is what tools/generate-cli-docs writes from the commands'
own help: it names every command, and it is current."""

from __future__ import annotations

import runpy

from dhrtrack.cli.help import COMMANDS
from tests.conftest import ROOT


def test_the_command_reference_is_current():
    tool = runpy.run_path(str(ROOT / "tools" / "generate-cli-docs"), run_name="generate_cli_docs")
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == tool["page"](), "docs/cli.md is stale: run tools/generate-cli-docs"
    for name in COMMANDS:
        assert f"## `dhrtrack {name}`\n" in page and f"Usage: dhrtrack {name} " in page
