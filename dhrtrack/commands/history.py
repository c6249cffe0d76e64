"""Git as the audit trail: `dhrtrack diff`, `dhrtrack history` and `dhrtrack textconv`."""

from __future__ import annotations

import os
import sys
from typing import Any, List, Optional, Sequence, Tuple

import click

from dhrtrack.commands.common import EXIT_FINDINGS, EXIT_OK, echo_err, failure

GIT_FORMATS = ("table", "markdown", "json", "csv")
CHANGE_KEYS = ("review", "file", "recommendation", "action", "change", "field", "old", "new")


def _csv_value(value: Any) -> Any:
    """Lists (milestones, updates) go into one CSV cell as JSON."""
    import json

    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
SLIPS_LISTED = 5  # the history footer lists the latest slips, and counts the rest


def repo_paths(repo: Any, paths: Sequence[str]) -> List[str]:
    """Repository-relative paths for the user's PATHS (relative to the current directory), or the
    repository's plans/ directory when none are given."""
    from dhrtrack.discovery import default_plans_dir

    if not paths:
        default = default_plans_dir()
        if default is None:
            raise click.UsageError("no plans/ directory here or in the directories above: name the plan paths after --")
        paths = [default]
    out = []
    for path in paths:
        rel = os.path.relpath(os.path.abspath(path), repo.root)
        if rel.startswith(".."):
            raise click.UsageError(f"{path} is outside the git repository at {repo.root}")
        out.append(rel if rel != "." else "")
    return [p for p in out] or [""]


def _display(repo: Any, path: str) -> str:
    """A repository-relative path as the user would type it from the current directory."""
    return os.path.relpath(os.path.join(repo.root, path))


class PathsAfterDashDash(click.Command):
    """Keeps what follows `--` (paths, as in git) apart from the revisions before it."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if "--" in args:
            i = args.index("--")
            ctx.meta["dhrtrack.paths"] = args[i + 1 :]
            args = args[:i]
        return super().parse_args(ctx, args)


# --- diff -----------------------------------------------------------------------------------


@click.command("diff", cls=PathsAfterDashDash)
@click.argument("revisions", nargs=-1, metavar="[REV_A [REV_B]] [-- PATHS...]")
@click.option("--format", "fmt", type=click.Choice(GIT_FORMATS), default="table", show_default=True,
              help="Output format: markdown for a pull-request comment, json for programs.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (as git diff --exit-code).")
@click.pass_context
def diff(ctx: click.Context, revisions: Tuple[str, ...], fmt: str, exit_code: bool) -> None:
    """What changed in the plans: RAG moves, target slips, actions added or removed.

    Like git diff: no revision compares the work tree with HEAD, one compares the work tree
    with REV_A, two compare REV_A with REV_B. Plans are matched by file (renames followed),
    recommendations by number and actions by id, never by position.
    """
    from dhrtrack import diffing
    from dhrtrack.gitio import GitError, Repo
    from dhrtrack.versions import Side, compare

    paths = list(ctx.meta.get("dhrtrack.paths", []))
    if len(revisions) > 2:
        raise click.UsageError("give at most two revisions; put paths after --")
    try:
        with Repo(".") as repo:
            if revisions:
                old = Side(repo, repo.resolve(revisions[0]), revisions[0])
            else:
                old = Side(repo, repo.resolve("HEAD"), "HEAD")
            new = Side(repo, repo.resolve(revisions[1]), revisions[1]) if len(revisions) == 2 else Side(repo, None, "worktree")
            comparison = compare(old, new, repo_paths(repo, paths))
            # (change, old plan, new plan) in file order, then document order.
            changes: List[Tuple[Any, Optional[dict], Optional[dict]]] = []
            for pair in comparison.pairs:
                file = _display(repo, pair.path)
                if pair.old is not None and pair.new is not None and pair.old_path != pair.new_path:
                    renamed = diffing.Change(pair.new["review"]["id"], file, None, None, "changed", "file",
                                             _display(repo, pair.old_path or ""), file)
                    changes.append((renamed, pair.old, pair.new))
                changes.extend((c, pair.old, pair.new) for c in diffing.diff_plans(pair.old, pair.new, file))
    except GitError as error:
        raise failure(error) from None
    for where, problem in comparison.problems:
        echo_err(f"{where}: not a valid plan ({problem.line}:{problem.column}: {problem.message}); left out of the diff")
    document = {"from": old.label, "to": new.label, "changes": [c[0].as_dict() for c in changes]}
    click.echo(_render_diff(fmt, document, changes, old.label, new.label), nl=False)
    failed = bool(comparison.problems) or (exit_code and bool(changes))
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_OK)


def _action_label(change: Any) -> str:
    if change.action is not None:
        return change.action
    if change.recommendation is not None:
        return f"rec {change.recommendation}"
    return "plan"


def _change_text(change: Any, old_plan: Optional[dict], new_plan: Optional[dict]) -> str:
    from dhrtrack import diffing

    if change.field == "file":
        return f"file renamed from {change.old}"
    text = diffing.describe(change, old_plan, new_plan)
    return ("⚠ " + text) if diffing.is_slip(change) else text


def _summary(changes: List[Any]) -> str:
    from dhrtrack import diffing

    if not changes:
        return "No changes to plan data."
    plans = len({c[0].file for c in changes})
    counts = {
        "RAG change": sum(1 for c in changes if c[0].field == "rag"),
        "target slip": sum(1 for c in changes if diffing.is_slip(c[0])),
        "completion recorded": sum(1 for c in changes if c[0].field == "completed" and c[0].old is None),
        "action added": sum(1 for c in changes if c[0].change == "added" and c[0].action is not None),
        "action removed": sum(1 for c in changes if c[0].change == "removed" and c[0].action is not None),
    }
    parts = [f"{n} {name}{'s' if n != 1 and not name.endswith('recorded') else ''}" for name, n in counts.items() if n]
    head = f"{len(changes)} change{'s' if len(changes) != 1 else ''} in {plans} plan{'s' if plans != 1 else ''}"
    return head + (": " + ", ".join(parts) if parts else "") + "."


def _render_diff(fmt: str, document: dict, changes: List[Any], old_label: str, new_label: str) -> str:

    from dhrtrack.render.report import Column, Output, RENDERERS, Section

    rows = [{"review": c.review, "what": _action_label(c), "change": _change_text(c, old, new)}
            for c, old, new in changes]

    def csv() -> tuple:
        header = CHANGE_KEYS + ("description",)
        return header, [[_csv_value(v) for v in c.as_dict().values()] + [row["change"]]
                        for (c, _o, _n), row in zip(changes, rows)]

    columns = [Column("Review", "review", wrap=True, min_width=12), Column("Action", "what"),
               Column("Change", "change", wrap=True, min_width=30)]
    title = f"Changes from {old_label} to {'the work tree' if new_label == 'worktree' else new_label}"
    section = Section(title, columns, rows, empty="no changes to plan data")
    output = Output([section], lambda: document, csv, notes=[_summary(changes)] if changes else [])
    return RENDERERS[fmt](output)


# --- history --------------------------------------------------------------------------------


def _find_plan(repo: Any, plans_paths: List[str], plan: Optional[str], ident: Optional[str]) -> Tuple[str, Optional[str]]:
    """(repository-relative path of the plan, action id or None) for a REF."""
    from dhrtrack.versions import Side, parse_plan

    head: Optional[str]
    try:
        head = repo.resolve("HEAD")
    except Exception:
        head = None
    candidates = {}
    for side in [Side(repo, None, "worktree")] + ([Side(repo, head, "HEAD")] if head else []):
        for path in side.files(plans_paths):
            candidates.setdefault(os.path.splitext(os.path.basename(path))[0], (side, path))
    if plan is not None:
        if plan not in candidates:
            known = ", ".join(sorted(candidates)) or "none"
            raise click.UsageError(f"no plan named {plan!r} (plans are named by file stem: {known})")
        return candidates[plan][1], ident
    assert ident is not None
    if ident in candidates:
        return candidates[ident][1], None
    holders = []
    for name, (side, path) in sorted(candidates.items()):
        raw = side.read(path)
        data = parse_plan(raw, path)[0] if raw is not None else None
        if data and any(a["id"] == ident for r in data["recommendations"] for a in r["actions"]):
            holders.append(name)
    if not holders:
        raise click.UsageError(f"no plan named {ident!r} and no action with id {ident!r} in the plans")
    if len(holders) > 1:
        options = ", ".join(f"{h}:{ident}" for h in holders)
        raise click.UsageError(f"action {ident!r} is in several plans; say which: {options}")
    return candidates[holders[0]][1], ident


@click.command("history")
@click.argument("ref")
@click.option("--format", "fmt", type=click.Choice(GIT_FORMATS), default="table", show_default=True,
              help="Output format.")
@click.argument("paths", nargs=-1, required=False)
def history(ref: str, fmt: str, paths: Tuple[str, ...]) -> None:
    """The timeline of one action or one plan, oldest first, from git.

    REF is [plan:]action-id (plan is the file's stem: bdhr-2012-13-05:10.1; it may be left
    out when the id is in one plan only) or a plan's stem for the whole plan. One entry per
    commit that changed it: date, commit, author, RAG and target after the commit, and what
    changed. It answers "how many times has this target slipped, and when".
    """
    from dhrtrack import diffing
    from dhrtrack.gitio import GitError, Repo
    from dhrtrack.versions import parse_plan

    plan_name, _, ident = ref.rpartition(":")
    plan_name_opt: Optional[str] = plan_name or None
    ident_opt: Optional[str] = ident or None
    if ident_opt is None:
        raise click.UsageError(f"{ref!r} is not a reference: write plan:action-id, action-id or plan")
    entries = []
    problems = []
    try:
        with Repo(".") as repo:
            path, action_id = _find_plan(repo, repo_paths(repo, list(paths)), plan_name_opt, ident_opt)
            previous: Optional[dict] = None
            for commit in repo.log(path):
                raw = repo.read(commit.sha, commit.path)
                if raw is None:
                    continue
                short = repo_short(commit.sha)
                data, problem = parse_plan(raw, commit.path)
                if problem is not None:
                    problems.append(f"{commit.path} at {short}: not a valid plan ({problem.line}:{problem.column}: "
                                    f"{problem.message}); this version is skipped")
                    continue
                file = _display(repo, commit.path)
                changes = diffing.diff_plans(previous, data, file)
                if action_id is not None:
                    changes = [c for c in changes if c.action == action_id]
                    if previous is None and diffing.action_state(data, action_id) is not None:
                        changes = [diffing.Change(data["review"]["id"], file,
                                                  _rec_of(data, action_id), action_id, "added", None, None, None)]
                if action_id is not None and not changes:
                    previous = data
                    continue
                state = diffing.action_state(data, action_id) if action_id else None
                entries.append({
                    "commit": short,
                    "date": commit.date[:10],
                    "author": commit.author,
                    "rag": state.get("rag") if state else None,
                    "target": state.get("target") if state else None,
                    "changes": [dict(c.as_dict(), description=diffing.describe(c, previous, data)) for c in changes],
                    "_changes": changes,
                })
                previous = data
    except GitError as error:
        raise failure(error) from None
    for message in problems:
        echo_err(message)
    if not entries and not problems:
        echo_err(f"no commits change {ref}")
    click.echo(_render_history(fmt, ref, entries, action_id is not None), nl=False)
    raise SystemExit(EXIT_FINDINGS if problems else EXIT_OK)


def repo_short(sha: str) -> str:
    return sha[:9]


def _rec_of(plan: dict, ident: str) -> Optional[int]:
    for rec in plan["recommendations"]:
        if any(a["id"] == ident for a in rec["actions"]):
            return rec["number"]
    return None


def _render_history(fmt: str, ref: str, entries: List[dict], is_action: bool) -> str:

    from dhrtrack import diffing
    from dhrtrack.render.report import Column, Output, RENDERERS, Section

    public = [{k: v for k, v in e.items() if not k.startswith("_")} for e in entries]

    def csv() -> tuple:
        header = ("commit", "date", "author", "rag", "target") + CHANGE_KEYS + ("description",)
        out = []
        for e in public:
            for change in e["changes"] or [{}]:
                out.append([e[k] for k in header[:5]] + [_csv_value(change.get(k)) for k in header[5:]])
        return header, out

    rows = []
    for e in entries:
        texts = []
        for change, data in zip(e["_changes"], e["changes"]):
            prefix = "" if is_action or change.action is None else f"{change.action} "
            text = data["description"]
            texts.append(("⚠ " if diffing.is_slip(change) else "") + prefix + text)
        rows.append(dict(e, change="\n".join(texts) or "no change to plan data (comments or layout only)"))
    columns = [Column("Date", "date"), Column("Commit", "commit"), Column("Author", "author", wrap=True, min_width=8)]
    if is_action:
        columns += [Column("RAG", "rag", format=lambda v, r: v or "—"),
                    Column("Target", "target", format=lambda v, r: v or "—")]
    columns.append(Column("Change", "change", wrap=True, min_width=24))
    notes = []
    slips = [(e, c) for e in entries for c in e["_changes"] if diffing.is_slip(c)]
    if slips:
        times = f"{len(slips)} time{'s' if len(slips) != 1 else ''}"
        shown = slips[-SLIPS_LISTED:]
        earlier = f" (and {len(slips) - len(shown)} earlier)" if len(slips) > len(shown) else ""
        who = "" if is_action else "{} "
        when = "; ".join(f"{who.format(c.action)}{c.old} → {c.new} ({e['date']}, {e['commit']})" for e, c in shown)
        subject = "The target" if is_action else "Targets"
        notes.append(f"{subject} slipped {times}: {when}{earlier}.")
    section = Section(f"History of {ref}", columns, rows, empty="no commits change it")
    document = {"ref": ref, "entries": public}
    return RENDERERS[fmt](Output([section], lambda: document, csv, notes=notes))


# --- textconv -------------------------------------------------------------------------------


@click.command("textconv")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def textconv(file: str) -> None:
    """Print a plan as stable, line-oriented text for git's textconv.

    With `plans/*.yaml diff=dhrtrack` in .gitattributes and
    `git config diff.dhrtrack.textconv "dhrtrack textconv"`, git diff and git log -p show one
    field a line, each led by its action id. A file that is not a valid plan is shown as it is.
    """
    from dhrtrack.render.textconv import render
    from dhrtrack.versions import parse_plan

    try:
        if file == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(file, "rb") as handle:
                raw = handle.read()
    except OSError as error:
        raise failure(f"cannot read {file}: {error.strerror or error}") from None
    data, problem = parse_plan(raw, file)
    if data is None:
        # git must still be able to show something: the file as it is, after a note.
        sys.stdout.buffer.write(
            f"# dhrtrack: not a valid plan ({problem.line}:{problem.column}: {problem.message}); shown as it is\n"
            .encode("utf-8")
        )
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return
    click.echo(render(data), nl=False)
