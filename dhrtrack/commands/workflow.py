"""A coordinator's week: record agencies' updates (update), chase what is late (chase), and
report to the board (report)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import click

from dhrtrack.commands.common import (
    DATE,
    EXIT_FINDINGS,
    EXIT_OK,
    agency_names,
    as_of_option,
    echo_err,
    failure,
    plan_paths_argument,
    resolve_plan_files,
    today,
)

RAGS = ("red", "amber", "green", "complete")


class TargetType(click.ParamType):
    name = "YYYY-MM|YYYY-MM-DD"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        from dhrtrack.dates import date_problem

        text = str(value).strip()
        problem = date_problem(text, month_allowed=True)
        if problem:
            self.fail(problem, param, ctx)
        return text


def find_action(files: Sequence[str], ref: str) -> Tuple[str, bytes, dict, str, Tuple]:
    """(file, its bytes, its data, action id, path of the action) for [plan:]action-id."""
    from dhrtrack.versions import parse_plan

    plan_name, _, ident = ref.rpartition(":")
    if not ident:
        raise click.UsageError(f"{ref!r} is not an action reference: write plan:action-id or action-id")
    by_stem = {os.path.splitext(os.path.basename(f))[0]: f for f in files}
    if plan_name and plan_name not in by_stem:
        raise click.UsageError(f"no plan named {plan_name!r} (plans are named by file stem: "
                               f"{', '.join(sorted(by_stem)) or 'none'})")
    candidates = [by_stem[plan_name]] if plan_name else list(files)
    found = []
    skipped = []
    for file in candidates:
        try:
            with open(file, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise failure(f"cannot read {file}: {error.strerror or error}") from None
        data, problem = parse_plan(raw, file)
        if problem is not None:
            if plan_name:
                raise failure(f"{file} is not a valid plan now ({problem.line}:{problem.column}: {problem.message}); "
                               f"fix it first: dhrtrack validate {file}")
            skipped.append(file)
            continue
        for r, rec in enumerate(data["recommendations"]):
            for a, action in enumerate(rec["actions"]):
                if action["id"] == ident:
                    found.append((file, raw, data, ident, ("recommendations", r, "actions", a)))
    if not found:
        where = f"plan {plan_name!r}" if plan_name else "the plans"
        unsearched = f" ({len(skipped)} invalid plan(s) not searched: {', '.join(skipped)}; see dhrtrack validate)" \
            if skipped else ""
        raise click.UsageError(f"no action with id {ident!r} in {where}{unsearched}")
    if len(found) > 1:
        options = ", ".join(f"{os.path.splitext(os.path.basename(f[0]))[0]}:{ident}" for f in found)
        raise click.UsageError(f"action {ident!r} is in several plans; say which: {options}")
    return found[0]


# --- update ---------------------------------------------------------------------------------


@click.command("update")
@click.argument("ref")
@click.option("--rag", type=click.Choice(RAGS), help="The new RAG rating.")
@click.option("--target", type=TargetType(), help="A new target: YYYY-MM (due at the month's end) or YYYY-MM-DD.")
@click.option("--outcome", help="What was achieved.")
@click.option("--completed", type=DATE, help="The date the action was completed (YYYY-MM-DD).")
@click.option("--note", help="A note for the updates log: who said what.")
@click.option("--date", "date", type=DATE, help="The date of this update (default: today).")
@click.option("--dry-run", is_flag=True, help="Print the change as a diff; write nothing.")
@click.option("--plans", "plans_path", type=click.Path(exists=True), help="The plans directory (default: plans/).")
def update(ref: str, rag: Optional[str], target: Optional[str], outcome: Optional[str],
           completed: Optional[dt.date], note: Optional[str], date: Optional[dt.date], dry_run: bool,
           plans_path: Optional[str]) -> None:
    """Record an agency's update to one action without hand-editing YAML.

    REF is [plan:]action-id (plan is the file's stem; it may be left out when the id is in one
    plan only). The values given are set on the action and an entry is added to its updates
    log with the date, the note and those values. Only the lines that change are touched:
    comments, layout and quoting stay as they were. The result is checked before it is
    written; an update that would make the plan invalid is refused.
    """
    from dhrtrack import editing, writer
    from dhrtrack.versions import parse_plan

    files, _registries = resolve_plan_files([plans_path] if plans_path else [])
    file, raw, data, ident, path = find_action(files, ref)
    action = data["recommendations"][path[1]]["actions"][path[3]]
    if rag is None and target is None and outcome is None and completed is None and note is None:
        raise click.UsageError("nothing to record: give --rag, --target, --outcome, --completed or --note")
    if rag == "complete" and outcome is None and not action.get("outcome"):
        if _interactive() and not dry_run:
            outcome = click.prompt(f"Action {ident} is being rated complete. What was achieved (the outcome)?").strip()
        if not outcome:
            raise click.UsageError(f"action {ident} has no outcome: rating it complete needs one; add --outcome TEXT")
    fields: Dict[str, str] = {}
    if rag is not None:
        fields["rag"] = rag
    if target is not None:
        fields["target"] = target
    if outcome is not None:
        fields["outcome"] = " ".join(outcome.split()) if "\n" not in outcome else outcome.strip()
    if completed is not None:
        fields["completed"] = completed.isoformat()
    entry: Dict[str, str] = {"date": (date or today()).isoformat()}
    for key in ("rag", "target", "completed", "outcome"):
        if key in fields:
            entry[key] = fields[key]
    if note is not None:
        entry["note"] = " ".join(note.split())
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - parse_plan has already refused such a file
        raise failure(f"{file} is not UTF-8") from None
    editor = editing.Editor(text)
    try:
        for key in ("target", "outcome", "rag", "completed"):
            if key in fields:
                editor.set_field(path, key, fields[key], "text" if key == "outcome" else "plain")
        editor.append_update(path, entry)
    except editing.EditError as error:
        raise failure(f"{file}: {error}") from None
    new_text = editor.result()
    new_data, problem = parse_plan(new_text.encode("utf-8"), file)
    if problem is not None:
        raise failure(f"refused: with this update {file} would not be valid ({problem.line}:{problem.column}: "
                       f"{problem.message}); nothing written")
    if new_data != editing.apply_to_data(data, ident, fields, entry):  # pragma: no cover - an editor bug
        raise failure(f"refused: the edit of {file} did not give the intended plan; nothing written")
    for warning in _action_warnings(new_text, file, path, date or today()):
        echo_err(warning)
    if dry_run:
        diff = difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                    fromfile=f"a/{file}", tofile=f"b/{file}")
        click.echo("".join(diff), nl=False)
        return
    try:
        writer.replace_if_unchanged(file, raw, new_text)
    except writer.WriteError as error:
        raise failure(str(error)) from None
    changes = [f"{k} {action.get(k) or ('not rated' if k == 'rag' else 'none')} → {v}"
               if k in ("rag", "target") else f"{k} recorded" for k, v in fields.items()]
    echo_err(f"updated {file}: action {ident}" + (": " + "; ".join(changes) if changes else "")
             + f"; logged as the update of {entry['date']}")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _action_warnings(text: str, file: str, path: Tuple, as_of: dt.date) -> List[str]:
    """validate's warnings about this action after the update (green past due, ...)."""
    from dhrtrack import checks
    from dhrtrack.loader import load_text
    from dhrtrack.problems import json_path

    loaded = load_text(text, file)
    if loaded.document is None:  # pragma: no cover - the new text was parsed already
        return []
    prefix = json_path(path)
    out = []
    for problem in checks.file_problems(loaded.document, as_of):
        if problem.severity == "warning" and (problem.path == prefix or problem.path.startswith(prefix + ".")):
            out.append(f"{problem.file}:{problem.line}:{problem.column}: warning: {problem.message}")
    return out


# --- shared: plans with their full text, and agency names -----------------------------------


def _load(paths: Sequence[str]):  # type: ignore[no-untyped-def]
    """(plans as (file, data), their models, the canonical-name function, the registry or None,
    the count of invalid plans)."""
    from dhrtrack.commands.io import load_plans
    from dhrtrack.model import build

    files, registry_files = resolve_plan_files(paths)
    plans, invalid = load_plans(files)
    models = [build(f, d) for f, d in plans]
    canon, reg = agency_names(models, registry_files)
    if not files:
        echo_err("no plan files found (*.yaml, *.yml) in " + ", ".join(paths or ["plans/"]))
    return plans, models, canon, reg, invalid + (0 if files else 1)


# --- chase ----------------------------------------------------------------------------------


@click.command("chase")
@plan_paths_argument
@click.option("--within", default="45d", show_default=True, metavar="WINDOW",
              help="Also ask about actions due this soon: days (45d), weeks (6w) or months of 30 days (2m).")
@click.option("--lead", metavar="TEXT", help="Only agencies whose name contains TEXT (any case).")
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "eml", "json")), default="text",
              show_default=True,
              help="eml writes standard email files that a mail client opens as drafts (needs --out); "
                   "json gives every message as data on standard output.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write one file per agency in this directory.")
@click.option("--reply-by", type=DATE, help="The date to ask for replies by (default: two weeks after --as-of).")
@click.option("--from", "sender", metavar="NAME_OR_ADDRESS",
              help="Sign the messages; an email address also becomes the From of .eml files.")
@click.option("--force", is_flag=True, help="Replace message files that exist.")
@as_of_option
def chase(paths, within, lead, fmt, out_dir, reply_by, sender, force, as_of) -> None:  # type: ignore[no-untyped-def]
    """Write one message per lead agency asking for updates.

    Each message lists the agency's overdue actions, the actions due within --within and the
    actions without a RAG rating, each with its review, text and target, and asks for an
    update and a rating by --reply-by. Nothing is sent: messages go to standard output, or to
    files with --out (.eml files open as drafts). Email addresses come only from the contacts
    in plans/agencies.yaml; none is invented.
    """
    from dhrtrack import chasing, writer
    from dhrtrack.commands.reports import parse_window

    days = parse_window(within)
    if fmt == "eml" and not out_dir:
        raise click.UsageError("eml writes one file per agency: name the directory with --out")
    if fmt == "json" and out_dir:
        raise click.UsageError("json goes to standard output: leave out --out")
    day = as_of or today()
    reply = reply_by or day + dt.timedelta(days=14)
    plans, _models, canon, reg, invalid = _load(paths)

    def contacts(agency: str) -> List[Tuple[Optional[str], str]]:
        found = reg.resolve(agency) if reg is not None else None
        return [(c.name, c.email) for c in found.contacts] if found else []

    messages = chasing.build(plans, day, days, canon, contacts, lead)
    if not messages:
        echo_err(f"nothing to chase as of {day.isoformat()}: no open action is overdue, due within {days} days "
                 "or without a RAG rating" + (f" for a lead matching {lead!r}" if lead else ""))
    if fmt == "json":
        import json

        document = {"as_of": day.isoformat(), "within_days": days, "reply_by": reply.isoformat(),
                    "messages": [chasing.as_dict(m, day, reply) for m in messages]}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        raise SystemExit(EXIT_FINDINGS if invalid else EXIT_OK)
    renderers = {"text": chasing.text, "markdown": chasing.markdown, "eml": chasing.eml}
    render = renderers[fmt]
    if out_dir:
        extension = {"text": "txt", "markdown": "md", "eml": "eml"}[fmt]
        targets = [(m, os.path.join(out_dir, f"{chasing.slug(m.agency)}.{extension}")) for m in messages]
        existing = [t for _m, t in targets if os.path.exists(t)]
        if existing and not force:
            raise click.UsageError(f"{existing[0]} already exists; use --force to replace the messages")
        for message, target in targets:
            content = render(message, day, days, reply, sender)
            try:
                writer.write_bytes_atomic(target, content if isinstance(content, bytes) else content.encode("utf-8"),
                                          force=True)
            except writer.WriteError as error:
                raise failure(str(error)) from None
            addresses = ", ".join(a for _n, a in message.emails) or "no address on file"
            plural = "s" if message.count != 1 else ""
            click.echo(f"{target}: {message.agency} ({message.count} action{plural}; {addresses})")
    else:
        for i, message in enumerate(messages):
            if i:
                click.echo("\n" + "-" * 72 + "\n")
            if fmt == "text":
                click.echo(f"Subject: {chasing.subject(message, reply)}")
            click.echo(render(message, day, days, reply, sender), nl=False)
    raise SystemExit(EXIT_FINDINGS if invalid else EXIT_OK)


# --- report ---------------------------------------------------------------------------------


@click.command("report")
@plan_paths_argument
@click.option("--since", metavar="REV", help="Also report what changed since this git revision (e.g. last quarter's tag).")
@click.option("--format", "fmt", type=click.Choice(("html", "markdown", "json")), default="html", show_default=True,
              help="html: one self-contained file that prints to A4; markdown: for a wiki or a paper; "
                   "json: the report's figures and lists as data.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write (default: standard output).")
@click.option("--title", help="The report's title.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@as_of_option
def report(paths, since, fmt, output, title, force, as_of) -> None:  # type: ignore[no-untyped-def]
    """Write the quarterly board report, as HTML or markdown.

    It gives headline figures, completion per review with bar charts, a table per lead
    agency, and the overdue and unrated actions; with --since REV, also what changed since
    that git revision (newly completed actions, RAG changes, target slips). The HTML is one
    self-contained file, with no scripts or external assets, that prints cleanly to A4.
    """
    from dhrtrack import queries, writer
    from dhrtrack.render import board as boards

    day = as_of or today()
    plans, models, canon, _reg, invalid = _load(paths)
    scoped = queries.select(models, queries.Filters(), canon)
    texts = {(f, a["id"]): (d["review"]["id"], a["action"]) for f, d in plans
             for r in d["recommendations"] for a in r["actions"]}

    def row(pair, note: str) -> "boards.ActionRow":  # type: ignore[no-untyped-def]
        plan, action = pair
        due = action.due
        return boards.ActionRow(plan.review, action.id, texts[(plan.file, action.id)][1], action.lead,
                                due.isoformat() if due else None, action.rag, note)

    overdue = [row(p, queries.duration_words(p[1].due, day)) for p in queries.overdue(scoped, day)]
    unrated = [row(p, p[1].target or "none") for p in queries.missing_rag(scoped)]
    partnerships = sorted({d["review"]["partnership"] for _f, d in plans if d["review"].get("partnership")})
    board = boards.Board(
        title=title or ("Domestic Homicide Review action plans: progress report"
                        + (f" for {partnerships[0]}" if len(partnerships) == 1 else "")),
        as_of=day, partnerships=partnerships, reviews=queries.summary(scoped, day),
        agencies=queries.agencies(scoped, day, canon), overdue=overdue, unrated=unrated)
    if since:
        _changes_since(board, since, paths)
    content = {"html": boards.to_html, "markdown": boards.to_markdown, "json": boards.to_json}[fmt](board)
    if not output or output == "-":
        click.echo(content, nl=False)
    else:
        try:
            writer.write_atomic(output, content, force=force)
        except writer.WriteError as error:
            raise failure(str(error)) from None
        echo_err(f"wrote {output}: {len(board.reviews)} reviews, {len(overdue)} overdue, {len(unrated)} unrated")
    raise SystemExit(EXIT_FINDINGS if invalid else EXIT_OK)


def _changes_since(board, since: str, paths: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
    """Fill in what changed between `since` and the work tree, with the diff engine."""
    from dhrtrack import diffing
    from dhrtrack.commands.history import repo_paths
    from dhrtrack.gitio import GitError, Repo
    from dhrtrack.versions import Side, compare

    try:
        with Repo(".") as repo:
            old = Side(repo, repo.resolve(since), since)
            comparison = compare(old, Side(repo, None, "worktree"), repo_paths(repo, list(paths)))
    except GitError as error:
        raise failure(error) from None
    board.since = since
    for where, problem in comparison.problems:
        echo_err(f"{where}: not a valid plan ({problem.line}:{problem.column}: {problem.message}); "
                 "left out of the changes")
    for pair in comparison.pairs:
        for change in diffing.diff_plans(pair.old, pair.new, pair.path):
            label = f"{change.review} {change.action}" if change.action else change.review
            text = f"{label}: {diffing.describe(change, pair.old, pair.new)}"
            if change.field == "rag":
                board.rag_changes.append(text)
                if change.new == "complete":
                    board.completed_since.append(f"{label}: rated complete ({change.old or 'not rated'} before)")
            elif change.field == "completed" and change.old is None:
                if not any(c.startswith(f"{label}:") for c in board.completed_since):
                    board.completed_since.append(f"{label}: completion recorded {change.new}")
            elif diffing.is_slip(change):
                board.slips.append(text)
