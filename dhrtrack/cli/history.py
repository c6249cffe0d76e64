"""Git as the audit trail: `dhrtrack diff`, `dhrtrack history` and `dhrtrack textconv`."""

from __future__ import annotations

import sys
from typing import List, Tuple

import click

from dhrtrack.cli.complete import complete_refs, complete_revisions
from dhrtrack.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    Command,
    bom_option,
    display,
    echo_all_err,
    echo_err,
    echo_rendered,
)
from dhrtrack.errors import DhrtrackError

GIT_FORMATS = ("table", "markdown", "json", "csv")


class PathsAfterDashDash(Command):
    """Keeps what follows `--` (paths, as in git) apart from the revisions before it."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if "--" in args:
            i = args.index("--")
            ctx.meta["dhrtrack.paths"] = args[i + 1 :]
            args = args[:i]
        return super().parse_args(ctx, args)


@click.command("diff", cls=PathsAfterDashDash)
@click.argument("revisions", nargs=-1, metavar="[REV_A [REV_B]] [-- PATHS...]", shell_complete=complete_revisions)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(GIT_FORMATS),
    default="table",
    show_default=True,
    help="Output format: markdown for a pull-request comment, json for programs.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (as git diff --exit-code).")
@bom_option
@click.pass_context
def diff(ctx: click.Context, revisions: Tuple[str, ...], fmt: str, exit_code: bool, bom: bool) -> None:
    """What changed in the plans: RAG moves, target slips, actions added or removed.

    Like git diff: no revision compares the work tree with HEAD, one compares the work tree
    with REV_A, two compare REV_A with REV_B. Plans are matched by file (renames followed),
    recommendations by number and actions by id, never by position.
    """
    from dhrtrack.history.changes import diff_revisions
    from dhrtrack.render import views
    from dhrtrack.render.tables import RENDERERS

    result = diff_revisions(revisions, list(ctx.meta.get("dhrtrack.paths", [])))
    echo_all_err(
        [
            f"{where}: not a valid plan ({problem.line}:{problem.column}: {problem.message}); left out of the diff"
            for where, problem in result.left_out
        ]
    )
    echo_rendered(RENDERERS[fmt](views.diff(result), display()), fmt, bom)
    failed = bool(result.left_out) or (exit_code and bool(result.changes))
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_OK)


@click.command("history", cls=Command)
@click.argument("ref", shell_complete=complete_refs)
@click.option(
    "--format", "fmt", type=click.Choice(GIT_FORMATS), default="table", show_default=True, help="Output format."
)
@click.argument("paths", nargs=-1, required=False)
@bom_option
def history(ref: str, fmt: str, paths: Tuple[str, ...], bom: bool) -> None:
    """The timeline of one action or one plan, oldest first, from git.

    REF is [plan:]action-id (plan is the file's stem: bdhr-2012-13-05:10.1; it may be left
    out when the id is in one plan only) or a plan's stem for the whole plan. One entry per
    commit that changed it: date, commit, author, RAG and target after the commit, and what
    changed. It answers "how many times has this target slipped, and when".
    """
    from dhrtrack.history.timeline import timeline
    from dhrtrack.render import views
    from dhrtrack.render.tables import RENDERERS

    result = timeline(ref, paths)
    echo_all_err(result.skipped)
    if result.shallow:
        echo_err(
            "history is cut short: this is a shallow clone (as CI checkouts are by default); run: git fetch --unshallow"
        )
    if not result.entries and not result.skipped:
        echo_err(f"no commits change {ref}")
    echo_rendered(RENDERERS[fmt](views.history(result), display()), fmt, bom)
    raise SystemExit(EXIT_FINDINGS if result.skipped else EXIT_OK)


@click.command("textconv", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def textconv(file: str) -> None:
    """Print a plan as stable, line-oriented text for git's textconv.

    With `plans/*.yaml diff=dhrtrack` in .gitattributes and
    `git config diff.dhrtrack.textconv "dhrtrack textconv"`, git diff and git log -p show one
    field a line, each led by its action id. A file that is not a valid plan is shown as it is.
    """
    from dhrtrack.plan.store import parse_bytes
    from dhrtrack.render.textconv import invalid_note, render

    raw = _read(file)
    data, problem = parse_bytes(raw, file)
    if problem is not None:  # git must still be able to show something: the file as it is
        output = invalid_note(problem.line, problem.column, problem.message).encode("utf-8") + raw
    else:
        output = render(data or {}).encode("utf-8")
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.flush()


def _read(file: str) -> bytes:
    try:
        if file == "-":
            return sys.stdin.buffer.read()
        with open(file, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise DhrtrackError(f"cannot read {file}: {error.strerror or error}") from None
