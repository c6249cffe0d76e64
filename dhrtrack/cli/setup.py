"""Starting out: `dhrtrack new` (a plan skeleton) and `dhrtrack init` (a plans repository)."""

from __future__ import annotations

import os
from typing import Optional

import click

from dhrtrack.cli.options import Command, echo_err


@click.command("new", cls=Command)
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--review-id", required=True, help="The review's id as the partnership writes it, e.g. NSDHR 2026-01.")
@click.option("--partnership", help="The Community Safety Partnership that owns the plan.")
@click.option("--title", help="The review's title.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(output: str, review_id: str, partnership: Optional[str], title: Optional[str], force: bool) -> None:
    """Write a new, commented plan skeleton that validates, with the schema modeline."""
    from dhrtrack.templates import new_plan

    new_plan(output, review_id, title, partnership, force=force)
    echo_err(f"wrote {output}; add its recommendations, then run: dhrtrack validate {output}")


@click.command("init", cls=Command)
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--gitlab", is_flag=True, help="Write a GitLab CI job instead of a GitHub Actions workflow.")
def init(directory: str, gitlab: bool) -> None:
    """Set up a partnership's plans repository.

    Creates plans/ with an example plan, the schemas for editors, .gitattributes for readable
    git diffs, a pre-commit hook and a CI job (GitHub Actions, or GitLab CI with --gitlab).
    Existing files are never overwritten; it says what it created and what to do next.
    """
    from dhrtrack import templates

    done = templates.init(directory, gitlab)
    lines = [f"created {os.path.join(directory, relative)}" for relative in done.created]
    lines += [f"kept    {os.path.join(directory, relative)} (it exists; not changed)" for relative in done.kept]
    if done.textconv:
        lines.append('configured git: diff.dhrtrack.textconv = "dhrtrack textconv"')
    lines += ["", "Next steps:"] + [f"  {number}. {step}" for number, step in enumerate(done.steps, 1)]
    click.echo("\n".join(lines))
