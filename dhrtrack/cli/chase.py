"""`dhrtrack chase`: one message per lead agency asking for updates."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, List, Optional, Sequence

import click

from dhrtrack.cli.complete import complete_leads
from dhrtrack.cli.options import (
    DATE,
    EXIT_FINDINGS,
    EXIT_OK,
    WINDOW,
    Command,
    as_of_option,
    echo_err,
    language_option,
    load_plans,
    plan_paths_argument,
    today,
)
from dhrtrack.errors import UsageError
from dhrtrack.wording import json_text, plural, versioned

if TYPE_CHECKING:
    from dhrtrack.plan.store import Loaded


@click.command("chase", cls=Command)
@plan_paths_argument
@click.option(
    "--within",
    type=WINDOW,
    default="45d",
    show_default=True,
    help="Also ask about actions due this soon: days (45d), weeks (6w) or months of 30 days (2m).",
)
@click.option(
    "--lead", metavar="TEXT", shell_complete=complete_leads, help="Only agencies whose name contains TEXT (any case)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "markdown", "eml", "json", "xlsx", "csv")),
    default="text",
    show_default=True,
    help="eml writes standard email files that a mail client opens as drafts (needs --out); "
    "json gives every message as data on standard output; xlsx and csv write a return per agency "
    "listing every open action it leads, to fill in and read back with dhrtrack apply (need --out).",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write one file per agency in this directory.")
@click.option("--reply-by", type=DATE, help="The date to ask for replies by (default: two weeks after --as-of).")
@click.option(
    "--from",
    "sender",
    metavar="NAME_OR_ADDRESS",
    help="Sign the messages; an email address also becomes the From of .eml files.",
)
@click.option("--force", is_flag=True, help="Replace message files that exist.")
@as_of_option
@language_option
def chase(
    paths: Sequence[str],
    within: int,
    lead: Optional[str],
    fmt: str,
    out_dir: Optional[str],
    reply_by: Optional[dt.date],
    sender: Optional[str],
    force: bool,
    as_of: Optional[dt.date],
) -> None:
    """Write one message (or return workbook) per lead agency asking for updates.

    Each message lists the agency's overdue actions, the actions due within --within and the
    actions without a RAG rating, each with its review, text and target, and asks for an
    update and a rating by --reply-by. Nothing is sent: messages go to standard output, or to
    files with --out (.eml files open as drafts). Email addresses come only from the contacts
    in plans/agencies.yaml; none is invented.

    --format xlsx (or csv) writes a return per agency instead: every open action it leads, one
    row each, with columns to fill in (New RAG, Update, Outcome, Completed on, New target,
    Evidence). `dhrtrack apply` reads the filled-in returns back into the plans.
    """
    from dhrtrack.agencies import canonical_names
    from dhrtrack.plan import store
    from dhrtrack.plan.write import write_bytes_atomic
    from dhrtrack.render.chase import EXTENSIONS, MESSAGE_RENDERERS, encoded, listing
    from dhrtrack.reports import chase as chasing

    if fmt in ("eml", "xlsx", "csv") and not out_dir:
        raise UsageError(f"{fmt} writes one file per agency: name the directory with --out")
    if fmt == "json" and out_dir:
        raise UsageError("json goes to standard output: leave out --out")
    day = as_of or today()
    if fmt in ("xlsx", "csv"):
        assert out_dir is not None
        loaded = load_plans(paths)
        _write_returns(loaded, day, within, lead, reply_by, sender, fmt, out_dir, force)
        raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)
    loaded = load_plans(paths, detail=store.TEXTS)
    result = chasing.build(loaded, canonical_names(loaded.plans, loaded.registry), day, within, reply_by, sender, lead)
    if not result.messages:
        echo_err(
            f"nothing to chase as of {day.isoformat()}: no open action is overdue, due within {within} days "
            "or without a RAG rating" + (f" for a lead matching {lead!r}" if lead else "")
        )
    if fmt == "json":
        click.echo(json_text(versioned(chasing.document(result))), nl=False)
    elif out_dir:
        names = chasing.file_names([m.agency for m in result.messages], EXTENSIONS[fmt])
        targets = _targets(out_dir, names, force, "messages")
        # Every message is made before any is written: one that cannot be made writes none.
        contents = [encoded(MESSAGE_RENDERERS[fmt](message, result)) for message in result.messages]
        for message, target, content in zip(result.messages, targets, contents, strict=True):
            write_bytes_atomic(target, content, force=True)
            addresses = ", ".join(a for _n, a in message.emails) or "no address on file"
            click.echo(f"{target}: {message.agency} ({plural(message.count, 'action')}; {addresses})")
    else:
        click.echo(listing(result, fmt), nl=False)
    raise SystemExit(EXIT_FINDINGS if loaded.invalid or not loaded.files else EXIT_OK)


def _targets(out_dir: str, names: Sequence[str], force: bool, what: str) -> List[str]:
    targets = [os.path.join(out_dir, name) for name in names]
    existing = [t for t in targets if os.path.exists(t)]
    if existing and not force:
        raise UsageError(f"{existing[0]} already exists; use --force to replace the {what}")
    return targets


def _write_returns(
    loaded: Loaded,
    day: dt.date,
    within: int,
    lead: Optional[str],
    reply_by: Optional[dt.date],
    sender: Optional[str],
    fmt: str,
    out_dir: str,
    force: bool,
) -> None:
    from dhrtrack.agencies import canonical_names
    from dhrtrack.plan.returnkey import key_path, load_or_make_key
    from dhrtrack.plan.write import write_bytes_atomic
    from dhrtrack.render.returns import render_all
    from dhrtrack.reports import chase as chasing
    from dhrtrack.reports import returns

    made = returns.build(loaded, canonical_names(loaded.plans, loaded.registry), day, within, reply_by, sender, lead)
    if not made.returns:
        echo_err("no open actions to ask about" + (f" for a lead matching {lead!r}" if lead else ""))
    targets = _targets(out_dir, chasing.file_names([r.agency for r in made.returns], fmt), force, "returns")
    key, made_key = load_or_make_key()
    if made_key:
        echo_err(
            f"made the key that signs returns: {key_path()} (keep it private; whoever applies the returns "
            "needs a copy of it: see 'Returns' in the docs)"
        )
    # Every return is made before any is written: one that cannot be made writes none.
    contents = render_all(made, fmt, key)
    for agency_return, target, content in zip(made.returns, targets, contents, strict=True):
        write_bytes_atomic(target, content, force=True)
        click.echo(f"{target}: {agency_return.agency} ({plural(len(agency_return.rows), 'open action')})")
