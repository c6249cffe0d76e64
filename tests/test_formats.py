"""Every command's --format choices are exactly the formats its renderer registry has (plus the
few the command makes itself, named here), so a format added to one and not the other fails."""

from __future__ import annotations

from typing import Dict, Iterator, Tuple

import click

from dhrtrack.cli.main import main
from dhrtrack.render.board import BOARD_RENDERERS
from dhrtrack.render.chase import MESSAGE_RENDERERS
from dhrtrack.render.export import EXPORTERS
from dhrtrack.render.problems import REPORTERS
from dhrtrack.render.returns import RETURN_RENDERERS
from dhrtrack.render.show import SHOW_RENDERERS
from dhrtrack.render.tables import RENDERERS

REPORT = (set(RENDERERS), set())

# command: (the formats of the registry it renders with, the formats it makes outside the registry).
REGISTRIES: Dict[str, Tuple[set, set]] = {
    **{name: REPORT for name in ("status", "overdue", "unrated", "summary", "due", "agencies", "stats", "register")},
    "diff": REPORT,
    "history": REPORT,
    "validate": (set(REPORTERS), set()),
    "show": (set(SHOW_RENDERERS), set()),
    # A database built table by table, and a data package (a directory of files), not rows streamed.
    "export": (set(EXPORTERS), {"sqlite", "datapackage"}),
    "report": (set(BOARD_RENDERERS), {"docx"}),  # bytes, from the Word writer, not text
    # One message per agency, or (xlsx, csv) a return per agency; json is the chase as data.
    "chase": (set(MESSAGE_RENDERERS) | set(RETURN_RENDERERS), {"json"}),
    "apply": (set(), {"text", "json"}),  # what it applied: a summary, not a rendered view
}


def commands(group: click.Group, ctx: click.Context, prefix: str = "") -> Iterator[Tuple[str, click.Command]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield prefix + name, command
        if isinstance(command, click.Group):
            yield from commands(command, click.Context(command, parent=ctx), f"{prefix}{name} ")


def format_choices(command: click.Command):
    for param in command.params:
        if "--format" in getattr(param, "opts", ()):
            assert isinstance(param.type, click.Choice), param
            return list(param.type.choices)
    return None


def test_every_format_choice_has_a_renderer_and_every_renderer_a_choice():
    ctx = click.Context(main)
    seen = set()
    for name, command in commands(main, ctx):
        choices = format_choices(command)
        if choices is None:
            assert name not in REGISTRIES, f"{name} has no --format option any more"
            continue
        assert name in REGISTRIES, f"{name} takes --format: name its renderer registry in REGISTRIES"
        registry, own = REGISTRIES[name]
        assert len(choices) == len(set(choices)), name
        assert not registry & own, f"{name}: {registry & own} are in the registry now"
        assert set(choices) == registry | own, (
            f"{name}: --format offers {sorted(choices)}, its registry renders {sorted(registry | own)}"
        )
        seen.add(name)
    assert seen == set(REGISTRIES)
