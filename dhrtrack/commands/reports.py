"""The reports: status (the dashboard), overdue, unrated, summary, due, agencies.

Every report takes the same options (report_options) and goes through the same steps: find
and load plans (naming invalid ones on stderr), filter, query, build an Output, render it in
the chosen format, and exit 1 when --fail-on finds rows or a plan was left out as invalid.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Sequence, Tuple

import click

from dhrtrack.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    agency_names,
    as_of_option,
    echo_err,
    plan_paths_argument,
    resolve_plan_files,
    today,
)
from dhrtrack.render.report import FORMATS

DEFAULT_LIMIT = 50
FAIL_ON = ("overdue", "unrated")


def report_options(func: Callable) -> Callable:
    """The options every report shares: one decorator, the same flags everywhere."""
    options = [
        plan_paths_argument,
        as_of_option,
        click.option("--review", metavar="TEXT", help="Only reviews whose id or file name contains TEXT (any case)."),
        click.option("--lead", metavar="TEXT",
                     help="Only actions whose lead agency (or its canonical name) contains TEXT (any case)."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="Output format. json and csv always include every row."),
        click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIMIT, show_default=True,
                     help="Rows per table in table and markdown output; 0 for no limit."),
        click.option("--fail-on", type=click.Choice(FAIL_ON), multiple=True,
                     help="Exit 1 when any overdue (or unrated) action is in scope. Repeatable."),
        click.option("--no-cache", is_flag=True, help="Check every plan afresh; neither read nor write the cache."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@dataclass
class Context:
    as_of: dt.date
    plans: list
    scoped: Any
    canon: Callable[[str], str]
    filters: Any
    failed: bool  # an invalid plan was left out, or there were no plans


def prepare(paths: Sequence[str], as_of: Optional[dt.date], review: Optional[str], lead: Optional[str],
            no_cache: bool) -> Context:
    from dhrtrack import queries, workspace

    files, registry_files = resolve_plan_files(paths)
    loaded = workspace.load(files, use_cache=not no_cache)
    for invalid in loaded.invalid:
        first = invalid.first
        more = len(invalid.problems) - 1
        extra = f" (and {more} more)" if more > 0 else ""
        echo_err(
            f"{first.file}:{first.line}:{first.column}: error: {first.message}{extra}\n"
            f"  {invalid.file} is invalid and left out of this report; see: dhrtrack validate {invalid.file}"
        )
    if not files:
        echo_err("no plan files found (*.yaml, *.yml) in " + ", ".join(paths or ["plans/"]))
    canon, _registry = agency_names(loaded.plans, registry_files, use_cache=not no_cache)
    filters = queries.Filters(review=review, lead=lead)
    scoped = queries.select(loaded.plans, filters, canon)
    return Context(as_of or today(), loaded.plans, scoped, canon, filters, bool(loaded.invalid) or not files)


def finish(ctx: Context, output: Any, fmt: str, limit: int, fail_on: Tuple[str, ...]) -> None:
    from dhrtrack import queries
    from dhrtrack.render.report import RENDERERS

    output.limit = limit
    if ctx.filters.active and ctx.scoped.hidden:
        total = ctx.scoped.hidden + ctx.scoped.count
        output.notes.append(f"Filter ({ctx.filters.describe()}) hid {ctx.scoped.hidden} of {total} actions.")
    click.echo(RENDERERS[fmt](output), nl=False)
    failed = ctx.failed
    if "overdue" in fail_on:
        n = queries.count_overdue(ctx.scoped, ctx.as_of)
        if n:
            echo_err(f"--fail-on overdue: {n} overdue action{'s' if n != 1 else ''}")
            failed = True
    if "unrated" in fail_on:
        n = queries.count_unrated(ctx.scoped)
        if n:
            echo_err(f"--fail-on unrated: {n} action{'s' if n != 1 else ''} without a RAG rating")
            failed = True
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_OK)


# --- columns --------------------------------------------------------------------------------


def _dash(value: Any, row: dict) -> str:
    return "—" if value is None else str(value)


def _overdue_words(as_of: dt.date) -> Callable[[Any, dict], str]:
    from dhrtrack.queries import duration_words

    return lambda value, row: duration_words(dt.date.fromisoformat(row["due"]), as_of)


def _due_in_words(as_of: dt.date) -> Callable[[Any, dict], str]:
    from dhrtrack.queries import duration_words

    def words(value: Any, row: dict) -> str:
        due = dt.date.fromisoformat(row["due"])
        return "today" if due == as_of else "in " + duration_words(as_of, due)

    return words


def _columns(kind: str, as_of: dt.date) -> list:
    from dhrtrack.queries import completion
    from dhrtrack.render.report import Column, progress_bar

    review = Column("Review", "review", wrap=True, min_width=12)
    action = Column("Action", "action")
    lead = Column("Lead", "lead", wrap=True, min_width=24)
    target = Column("Target", "target", format=_dash, drop=1)
    due = Column("Due", "due")
    rag = Column("RAG", "rag", format=_dash, drop=2)
    if kind == "overdue":
        return [review, action, lead, target, due,
                Column("Overdue", "days_overdue", wrap=True, min_width=8, format=_overdue_words(as_of)), rag]
    if kind == "unrated":
        return [review, action, lead, Column("Target", "target", format=_dash)]
    if kind == "due":
        return [review, action, lead, target, due,
                Column("Due in", "days_left", wrap=True, min_width=8, format=_due_in_words(as_of)), rag]
    if kind == "summary":
        def count(header: str, key: str) -> Column:
            return Column(header, key, justify="right")

        return [
            Column("Review", "review", wrap=True, min_width=10),
            count("Actions", "actions"),
            count("Red", "red"),
            count("Amber", "amber"),
            count("Green", "green"),
            count("Unrated", "missing_rag"),
            count("Overdue", "overdue"),
            Column("No target", "no_target", justify="right", wrap=True, min_width=6),
            Column("Complete", "complete", justify="right",
                   format=lambda v, row: f"{v} {progress_bar(completion(row))}"),
        ]
    raise ValueError(kind)  # pragma: no cover


# --- sections -------------------------------------------------------------------------------

OVERDUE_KEYS = ("review", "file", "recommendation", "action", "lead", "target", "due", "days_overdue", "rag")
MISSING_KEYS = ("review", "file", "recommendation", "action", "lead", "target")
SUMMARY_KEYS = ("review", "file", "actions", "complete", "green", "amber", "red", "missing_rag", "overdue", "no_target")
DUE_KEYS = ("review", "file", "recommendation", "action", "lead", "target", "due", "days_left", "rag")
AGENCY_KEYS = ("agency", "actions", "open", "complete", "overdue", "missing_rag", "percent_complete")


def _section(ctx: Context, kind: str) -> Any:
    from dhrtrack import queries
    from dhrtrack.render.report import Section

    as_of = ctx.as_of
    if kind == "summary":
        return Section("Completion by review", _columns(kind, as_of), queries.summary(ctx.scoped, as_of),
                       empty="no actions")
    if kind == "overdue":
        return Section(f"Overdue actions as of {as_of.isoformat()}", _columns(kind, as_of),
                       queries.overdue(ctx.scoped, as_of), lambda pair: queries.action_row(pair, as_of))
    if kind == "unrated":
        return Section("Actions without a RAG rating", _columns(kind, as_of), queries.missing_rag(ctx.scoped),
                       queries.missing_row)
    raise ValueError(kind)  # pragma: no cover


def _values(rows: List[dict], keys: Sequence[str]) -> List[list]:
    return [[row.get(k) for k in keys] for row in rows]


# --- the commands ---------------------------------------------------------------------------


@click.command()
@report_options
def status(paths, as_of, review, lead, fmt, limit, fail_on, no_cache) -> None:
    """The dashboard: completion per review, overdue actions, actions without a RAG rating.

    PATHS are plan files or directories; by default the repository's plans/ directory. An
    action is overdue when its due date (a YYYY-MM target falls due at the end of the month)
    is before --as-of and it is not rated complete.
    """
    from dhrtrack.render.report import Output

    ctx = prepare(paths, as_of, review, lead, no_cache)
    summary_s, overdue_s, unrated_s = (_section(ctx, k) for k in ("summary", "overdue", "unrated"))

    def document() -> dict:
        return {
            "as_of": ctx.as_of.isoformat(),
            "reviews": summary_s.rows(),
            "overdue": overdue_s.rows(),
            "missing_rag": unrated_s.rows(),
        }

    def csv() -> tuple:
        # One sheet for all three parts: a `section` column says which part a row belongs to.
        counts = SUMMARY_KEYS[2:]
        header = ("section",) + OVERDUE_KEYS + counts
        rows = [["summary", r["review"], r["file"]] + [None] * 7 + [r[k] for k in counts] for r in summary_s.rows()]
        rows += [["overdue"] + v + [None] * len(counts) for v in _values(overdue_s.rows(), OVERDUE_KEYS)]
        rows += [["missing_rag"] + v + [None] * len(counts) for v in _values(unrated_s.rows(), OVERDUE_KEYS)]
        return header, rows

    finish(ctx, Output([summary_s, overdue_s, unrated_s], document, csv), fmt, limit, fail_on)


def _single(kind: str, key: str, keys: Sequence[str]) -> Callable:
    def command(paths, as_of, review, lead, fmt, limit, fail_on, no_cache) -> None:
        from dhrtrack.render.report import Output

        ctx = prepare(paths, as_of, review, lead, no_cache)
        section = _section(ctx, kind)
        output = Output(
            [section],
            lambda: {"as_of": ctx.as_of.isoformat(), key: section.rows()},
            lambda: (keys, _values(section.rows(), keys)),
        )
        finish(ctx, output, fmt, limit, fail_on)

    return command


overdue = click.command(
    "overdue",
    help="Overdue actions, most overdue first: due before --as-of and not rated complete.",
)(report_options(_single("overdue", "overdue", OVERDUE_KEYS)))

unrated = click.command(
    "unrated",
    help="Actions without a RAG rating (no rag field), in document order.",
)(report_options(_single("unrated", "missing_rag", MISSING_KEYS)))

summary = click.command(
    "summary",
    help="Completion per review: actions, red, amber, green, unrated, overdue, no target, complete.",
)(report_options(_single("summary", "reviews", SUMMARY_KEYS)))


def parse_window(value: str) -> int:
    """A look-ahead window in days: 30d, 6w (weeks) or 3m (months of 30 days); a bare number is days."""
    match = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", value or "")
    if not match:
        raise click.BadParameter(f"{value!r} is not a window like 30d, 6w or 3m", param_hint="--within")
    return int(match[1]) * {"": 1, "d": 1, "w": 7, "m": 30}[match[2]]


@click.command("due")
@report_options
@click.option("--within", default="30d", show_default=True, metavar="WINDOW",
              help="How far ahead to look: days (30d), weeks (6w) or months of 30 days (3m).")
def due(paths, as_of, review, lead, fmt, limit, fail_on, no_cache, within) -> None:
    """Open actions falling due soon: due from --as-of to the end of the window, soonest first."""
    from dhrtrack import queries
    from dhrtrack.render.report import Output, Section

    days = parse_window(within)
    ctx = prepare(paths, as_of, review, lead, no_cache)
    try:
        end = ctx.as_of + dt.timedelta(days=days)
    except OverflowError:
        raise click.BadParameter(f"{within!r} reaches past the year 9999", param_hint="--within") from None
    section = Section(f"Due by {end.isoformat()}", _columns("due", ctx.as_of),
                      queries.due_within(ctx.scoped, ctx.as_of, days),
                      lambda pair: queries.due_row(pair, ctx.as_of), empty="nothing falls due in this window")
    output = Output(
        [section],
        lambda: {"as_of": ctx.as_of.isoformat(), "within_days": days, "until": end.isoformat(), "due": section.rows()},
        lambda: (DUE_KEYS, _values(section.rows(), DUE_KEYS)),
    )
    finish(ctx, output, fmt, limit, fail_on)


@click.command("agencies")
@report_options
def agencies(paths, as_of, review, lead, fmt, limit, fail_on, no_cache) -> None:
    """Per lead agency: actions, open, overdue, unrated, % complete and the oldest overdue action.

    Leads are grouped under their canonical name from plans/agencies.yaml when there is one;
    otherwise spellings that differ only in case, punctuation, '&'/'and' or word order are
    grouped under the most used spelling.
    """
    from dhrtrack import queries
    from dhrtrack.render.report import Column, Output, Section

    ctx = prepare(paths, as_of, review, lead, no_cache)
    rows = queries.agencies(ctx.scoped, ctx.as_of, ctx.canon)

    def oldest(value: Any, row: dict) -> str:
        if not value:
            return "—"
        due_day = dt.date.fromisoformat(value["due"])
        return f"{value['review']} {value['action']} ({queries.duration_words(due_day, ctx.as_of)})"

    columns = [
        Column("Agency", "agency", wrap=True, min_width=20),
        Column("Actions", "actions", justify="right"),
        Column("Open", "open", justify="right"),
        Column("Overdue", "overdue", justify="right"),
        Column("Unrated", "missing_rag", justify="right"),
        Column("Complete", "percent_complete", justify="right", format=lambda v, row: f"{v}%"),
        Column("Oldest overdue", "oldest_overdue", wrap=True, min_width=14, format=oldest),
    ]
    section = Section("Actions by lead agency", columns, rows, empty="no actions")

    def csv() -> tuple:
        header = AGENCY_KEYS + ("oldest_overdue_review", "oldest_overdue_action", "oldest_overdue_due")
        out = []
        for r in rows:
            o = r["oldest_overdue"] or {}
            out.append([r[k] for k in AGENCY_KEYS] + [o.get("review"), o.get("action"), o.get("due")])
        return header, out

    output = Output(
        [section],
        lambda: {"as_of": ctx.as_of.isoformat(),
                 "agencies": [dict({k: r[k] for k in AGENCY_KEYS}, oldest_overdue=r["oldest_overdue"],
                                   spellings=r["spellings"]) for r in rows]},
        csv,
    )
    finish(ctx, output, fmt, limit, fail_on)


COMMANDS = [status, overdue, unrated, summary, due, agencies]
