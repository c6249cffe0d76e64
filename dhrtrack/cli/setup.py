"""Starting out: `dhrtrack new` (a plan skeleton) and `dhrtrack init` (a plans repository)."""

from __future__ import annotations

import os
from typing import Optional

import click

from dhrtrack.cli.options import Command, echo_err
from dhrtrack.errors import DhrtrackError
from dhrtrack.plan.fields import field

KIND_CODES = field("review", "kind").choices


@click.command("new", cls=Command)
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--review-id", required=True, help="The review's id as the partnership writes it, e.g. NSDHR 2026-01.")
@click.option("--partnership", help="The Community Safety Partnership that owns the plan.")
@click.option("--title", help="The review's title.")
@click.option(
    "--kind",
    type=click.Choice(KIND_CODES),
    help="The kind of review (review.kind), which names it in every output: dhr (the default when left "
    "out), dardr, susr (Wales), sar, cspr or mhhr.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(
    output: str, review_id: str, partnership: Optional[str], title: Optional[str], kind: Optional[str], force: bool
) -> None:
    """Write a new, commented plan skeleton that validates, with the schema modeline."""
    from dhrtrack.templates import new_plan

    new_plan(output, review_id, title, partnership, force=force, kind=kind)
    echo_err(f"wrote {output}; add its recommendations, then run: dhrtrack validate {output}")


@click.command("init", cls=Command)
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--gitlab", is_flag=True, help="Write a GitLab CI job instead of a GitHub Actions workflow.")
@click.option(
    "--install-from",
    metavar="PIP_SPEC",
    help="Where the CI job installs dhrtrack from, e.g. git+https://github.com/your-org/dhrtrack@v1.0 "
    "(without it, the job fails until DHRTRACK_PIP_SPEC is set in the CI settings).",
)
@click.option(
    "--site",
    is_flag=True,
    help="Also add a CI job that publishes the website (dhrtrack site --public) to GitHub Pages, "
    "or GitLab Pages with --gitlab.",
)
def init(directory: str, gitlab: bool, install_from: Optional[str], site: bool) -> None:
    """Set up a partnership's plans repository.

    Creates plans/ with an example plan (only when the repository has no plans and never had
    the example), plans/agencies.yaml from the leads the plans already use, the schemas for
    editors, .gitattributes for readable git diffs, a pre-commit hook and a CI job (GitHub
    Actions, or GitLab CI with --gitlab) that installs dhrtrack from --install-from, never from
    the public package index by name. With --site, also a job publishing the website (built with
    --public) to GitHub Pages or GitLab Pages. In a git repository it sets the textconv driver (cached).
    Existing files are never overwritten, so running it again changes nothing; it says what it
    created and what to do next.
    """
    from dhrtrack import templates

    done = templates.init(directory, gitlab, install_from, site)
    lines = [f"created {os.path.join(directory, relative)}" for relative in done.created]
    lines += [f"kept    {os.path.join(directory, relative)} (it exists; not changed)" for relative in done.kept]
    lines += [f"skipped {os.path.join(directory, relative)} ({why})" for relative, why in done.skipped]
    if done.textconv:
        lines.append(f'configured git: diff.dhrtrack.textconv = "{done.textconv}", diff.dhrtrack.cachetextconv = true')
    lines += ["", "Next steps:"] + [f"  {number}. {step}" for number, step in enumerate(done.steps, 1)]
    click.echo("\n".join(lines))
    if done.failed:
        raise DhrtrackError(done.failed)
