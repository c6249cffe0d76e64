"""What each report shows: its sections, their columns and wording, its JSON document and CSV
table, as one Output for the renderers in dhrtrack.render.tables. No I/O."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable, List, Optional

from dhrtrack.i18n import _, p_, pN_
from dhrtrack.plan.dates import duration_words
from dhrtrack.render.tables import Column, Output, Section, progress_bar
from dhrtrack.reports import queries, shapes
from dhrtrack.reports.queries import Scope
from dhrtrack.wording import plural

if TYPE_CHECKING:  # the git views import history when they run: a report never needs it
    from dhrtrack.history.changes import Change, Diff
    from dhrtrack.history.timeline import Timeline
    from dhrtrack.reports.register import Register
    from dhrtrack.reports.stats import Stats

SLIPS_LISTED = 5  # the history footer lists the latest slips, and counts the rest


def _dash(value: Any, row: dict) -> str:
    return "—" if value is None else str(value)


def _overdue_words(as_of: dt.date) -> Callable[[Any, dict], str]:
    return lambda value, row: duration_words(dt.date.fromisoformat(row["due"]), as_of)


def _due_in_words(as_of: dt.date) -> Callable[[Any, dict], str]:
    def words(value: Any, row: dict) -> str:
        due = dt.date.fromisoformat(row["due"])
        return "today" if due == as_of else "in " + duration_words(as_of, due)

    return words


def _columns(kind: str, as_of: dt.date) -> List[Column]:
    review = Column("Review", "review", wrap=True, min_width=12)
    action = Column("Action", "action")
    lead = Column("Lead", "lead", wrap=True, min_width=24)
    target = Column("Target", "target", format=_dash, drop=1)
    due = Column("Due", "due")
    rag = Column("RAG", "rag", format=_dash, drop=2)
    if kind == "overdue":
        days = Column("Overdue", "days_overdue", wrap=True, min_width=8, format=_overdue_words(as_of))
        return [review, action, lead, target, due, days, rag]
    if kind == "due":
        days = Column("Due in", "days_left", wrap=True, min_width=8, format=_due_in_words(as_of))
        return [review, action, lead, target, due, days, rag]
    if kind == "unrated":
        return [review, action, lead, Column("Target", "target", format=_dash)]
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
            Column(
                "Complete",
                "complete",
                justify="right",
                format=lambda v, row: f"{v} {progress_bar(row['complete'], row['actions'])}",
            ),
            # Of the complete actions, how many are verified (the rest are claimed); hidden first
            # on a narrow terminal (JSON and CSV give verified and claimed).
            Column("Verified", "verified", justify="right", format=lambda v, row: f"{v}/{row['complete']}", drop=1),
        ]
    raise ValueError(kind)  # pragma: no cover


def _section(scope: Scope, kind: str) -> Section:
    as_of = scope.as_of
    if kind == "summary":
        return Section(
            "Completion by review", _columns(kind, as_of), queries.summary(scope.scoped, as_of), empty="no actions"
        )
    if kind == "overdue":
        return Section(
            f"Overdue actions as of {as_of.isoformat()}",
            _columns(kind, as_of),
            queries.overdue(scope.scoped, as_of),
            lambda pairs: shapes.action_rows(pairs, as_of),
        )
    if kind == "unrated":
        return Section("Unrated actions", _columns(kind, as_of), queries.missing_rag(scope.scoped), shapes.missing_rows)
    raise ValueError(kind)  # pragma: no cover


def _notes(scope: Scope) -> List[str]:
    note = scope.hidden_note()
    return [note] if note else []


def _lapsed_note(scope: Scope) -> List[str]:
    """Verified actions no longer rated complete, by ref: the board was told they were done."""
    found = queries.lapsed(scope.scoped)
    if not found:
        return []
    refs = ", ".join(f"{plan.name}:{a.id} ({a.rag or 'unrated'})" for plan, a in found)
    return [f"Verification lapsed (verified, no longer rated complete): {refs}."]


# --- the reports ------------------------------------------------------------------------------


def status(scope: Scope) -> Output:
    summary_s, overdue_s, unrated_s = (_section(scope, k) for k in ("summary", "overdue", "unrated"))
    return Output(
        [summary_s, overdue_s, unrated_s],
        lambda: shapes.status_document(scope.as_of, summary_s.rows(), overdue_s.streamed(), unrated_s.streamed()),
        lambda: shapes.status_table(summary_s.rows(), overdue_s.rows(), unrated_s.rows()),
        notes=_notes(scope) + _lapsed_note(scope),
    )


_SINGLE = {
    "overdue": ("overdue", shapes.OVERDUE_KEYS),
    "unrated": ("missing_rag", shapes.MISSING_KEYS),
    "summary": ("reviews", shapes.SUMMARY_KEYS),
}


def single(scope: Scope, kind: str) -> Output:
    """overdue, unrated or summary: one section of status, as its own report."""
    key, keys = _SINGLE[kind]
    section = _section(scope, kind)
    return Output(
        [section],
        lambda: {"as_of": scope.as_of.isoformat(), key: section.streamed()},
        lambda: (keys, shapes.values(section.rows(), keys)),
        notes=_notes(scope),
    )


def due(scope: Scope, days: int, end: dt.date) -> Output:
    as_of = scope.as_of
    section = Section(
        f"Due by {end.isoformat()}",
        _columns("due", as_of),
        queries.due_within(scope.scoped, as_of, days),
        lambda pairs: shapes.due_rows(pairs, as_of),
        empty="nothing falls due in this window",
    )
    return Output(
        [section],
        lambda: shapes.due_document(as_of, days, end, section.streamed()),
        lambda: (shapes.DUE_KEYS, shapes.values(section.rows(), shapes.DUE_KEYS)),
        notes=_notes(scope),
    )


def agencies(scope: Scope) -> Output:
    as_of = scope.as_of
    rows = queries.agencies(scope.scoped, as_of, scope.canon)

    def oldest(value: Any, row: dict) -> str:
        if not value:
            return "—"
        due_day = dt.date.fromisoformat(value["due"])
        return f"{value['review']} {value['action']} ({duration_words(due_day, as_of)})"

    columns = [
        Column("Agency", "agency", wrap=True, min_width=20),
        Column("Actions", "actions", justify="right"),
        Column("Open", "open", justify="right"),
        Column("Overdue", "overdue", justify="right"),
        Column("Unrated", "missing_rag", justify="right"),
        Column("Complete", "percent_complete", justify="right", format=lambda v, row: f"{v}%"),
        # Of the complete actions, how many are verified: the rest are claimed.
        Column("Verified", "verified", justify="right", format=lambda v, row: f"{v}/{row['complete']}"),
        Column("Oldest overdue", "oldest_overdue", wrap=True, min_width=14, format=oldest),
    ]
    section = Section("Actions by lead agency", columns, rows, empty="no actions")
    return Output(
        [section],
        lambda: shapes.agencies_document(as_of, rows),
        lambda: shapes.agencies_table(rows),
        notes=_notes(scope),
    )


# --- git ------------------------------------------------------------------------------------


def _action_label(change: "Change") -> str:
    if change.action is not None:
        return change.action
    if change.recommendation is not None:
        return f"rec {change.recommendation}"
    return "plan"


def _change_text(change: "Change", old_plan: Optional[dict], new_plan: Optional[dict]) -> str:
    from dhrtrack.history.changes import describe, is_slip

    if change.field == "file":
        return f"file renamed from {change.old}"
    text = describe(change, old_plan, new_plan)
    return ("⚠ " + text) if is_slip(change) else text


def diff(result: "Diff") -> Output:
    from dhrtrack.history.changes import summary

    rows = [
        {"review": c.review, "what": _action_label(c), "change": _change_text(c, old, new)}
        for c, old, new in result.changes
    ]

    def csv() -> shapes.Table:
        header = shapes.CHANGE_KEYS + ("description",)
        return header, [
            [shapes.csv_value(v) for v in c.as_dict().values()] + [row["change"]]
            for (c, _o, _n), row in zip(result.changes, rows)
        ]

    columns = [
        Column("Review", "review", wrap=True, min_width=12),
        Column("Action", "what"),
        Column("Change", "change", wrap=True, min_width=30),
    ]
    new = "the work tree" if result.new_label == "worktree" else result.new_label
    section = Section(f"Changes from {result.old_label} to {new}", columns, rows, empty="no changes to plan data")
    notes = [summary([c for c, _o, _n in result.changes])] if result.changes else []
    return Output([section], result.document, csv, notes=notes)


def history(result: "Timeline") -> Output:
    from dhrtrack.history.changes import is_slip

    documents = [e.as_dict() for e in result.entries]

    def csv() -> shapes.Table:
        header = ("commit", "date", "author", "rag", "target") + shapes.CHANGE_KEYS + ("description",)
        out = []
        for e in documents:
            for change in e["changes"] or [{}]:
                out.append([e[k] for k in header[:5]] + [shapes.csv_value(change.get(k)) for k in header[5:]])
        return header, out

    rows = []
    for entry, document in zip(result.entries, documents):
        texts = []
        for change, description in zip(entry.changes, entry.descriptions):
            prefix = "" if result.is_action or change.action is None else f"{change.action} "
            texts.append(("⚠ " if is_slip(change) else "") + prefix + description)
        rows.append(dict(document, change="\n".join(texts) or "no change to plan data (comments or layout only)"))
    columns = [Column("Date", "date"), Column("Commit", "commit"), Column("Author", "author", wrap=True, min_width=8)]
    if result.is_action:
        columns += [
            Column("RAG", "rag", format=lambda v, r: v or "—"),
            Column("Target", "target", format=lambda v, r: v or "—"),
        ]
    columns.append(Column("Change", "change", wrap=True, min_width=24))
    notes = []
    slips = result.slips
    if slips:
        shown = slips[-SLIPS_LISTED:]
        earlier = f" (and {len(slips) - len(shown)} earlier)" if len(slips) > len(shown) else ""
        who = "" if result.is_action else "{} "
        when = "; ".join(f"{who.format(c.action)}{c.old} → {c.new} ({e.date}, {e.commit})" for e, c in shown)
        subject = "The target" if result.is_action else "Targets"
        notes.append(f"{subject} slipped {plural(len(slips), 'time')}: {when}{earlier}.")
    section = Section(f"History of {result.ref}", columns, rows, empty="no commits change it")
    return Output([section], result.document, csv, notes=notes)


# --- analytics ------------------------------------------------------------------------------


# stats --by: the first column's heading, and what the title says it is by.
_STATS_BY = {
    "agency": pN_("by", "Agency"),
    "theme": pN_("by", "Theme"),
    "scope": pN_("by", "Scope"),
    "review": pN_("by", "Review"),
    "year": pN_("by", "Year"),
    "kind": pN_("by", "Kind of review"),
}
_STATS_BY_TITLE = {
    "agency": pN_("by", "agency"),
    "theme": pN_("by", "theme"),
    "scope": pN_("by", "scope"),
    "review": pN_("by", "review"),
    "year": pN_("by", "year"),
    "kind": pN_("by", "kind of review"),
}


def stats(result: "Stats") -> Output:
    from dhrtrack.reports.stats import KEYS, NONE_GROUP

    rows = [g.as_dict() for g in result.groups]
    # The tables say the groups with no theme, scope or target in words; JSON and CSV are data
    # and keep the English (docs/welsh.md).
    none_groups = set(NONE_GROUP.values())
    shown = [dict(row, group=_(row["group"])) if row["group"] in none_groups else row for row in rows]

    def median(value: Any, row: dict) -> str:
        return "—" if value is None else f"{value:g}"

    columns = [
        Column(p_("by", _STATS_BY[result.by]), "group", wrap=True, min_width=14),
        Column(_("Actions"), "actions", justify="right"),
        Column(_("Open"), "open", justify="right"),
        Column(_("Overdue"), "overdue", justify="right"),
        Column(_("Complete"), "complete", justify="right"),
        Column(_("Verified"), "verified", justify="right", drop=2),
        Column(_("On time"), "completed_on_time", justify="right"),
        Column(_("Late"), "completed_late", justify="right"),
        Column(_("Date unknown"), "completion_date_unknown", justify="right", drop=1),
        Column(_("Median days late"), "median_days_late", justify="right", format=median, drop=2),
        Column(_("Slips"), "target_slips", justify="right"),
        Column(_("Months slipped"), "months_slipped", justify="right", drop=3),
    ]
    notes = [_("target slips: {why}").format(why=result.history_note)] if result.history_note else []
    section = Section(
        _("Implementation by {by} as of {date}").format(
            by=p_("by", _STATS_BY_TITLE[result.by]), date=result.as_of.isoformat()
        ),
        columns,
        shown,
        empty=_("no actions"),
    )
    header = ("group",) + KEYS
    return Output(
        [section],
        result.document,
        lambda: (header, shapes.values(rows, header)),
        notes=notes,
    )


def register(result: "Register") -> Output:
    """The register: the Commissioner's table, the recommendations waiting for an answer, and
    the repeats."""
    from dhrtrack.reports.register import AWAITING, OUTCOME_WORDS, OUTCOMES

    def share(outcome: str) -> Callable[[Any, dict], str]:
        return lambda value, row: f"{value} {row[f'{outcome}_percent']}%" if value else "0"

    table = Section(
        f"Recommendations by addressee as of {result.as_of.isoformat()}",
        [Column("Addressee", "addressee", wrap=True, min_width=12), Column("Recs", "recommendations", justify="right")]
        + [Column(SHORT_OUTCOMES[o], o, justify="right", format=share(o)) for o in OUTCOMES + (AWAITING,)],
        result.by_addressee,
        empty="no national or regional recommendations",
    )
    waiting = Section(
        "Waiting: unacknowledged, or sent over six months ago",
        [
            Column("Review", "review", wrap=True, min_width=10),
            Column("Rec", "recommendation", justify="right"),
            Column("Addressee", "addressee", wrap=True, min_width=12),
            Column("Sent", "sent"),
            Column("Days", "days", justify="right"),
            Column("Acknowledged", "acknowledged", format=_dash, drop=1),
        ],
        result.waiting,
        empty="none",
    )
    repeats = Section(
        "Repeats: alike, to one addressee, across reviews",
        [
            Column("Addressee", "addressee", wrap=True, min_width=12),
            Column("Alike", "similarity", justify="right"),
            Column(
                "Recommendations",
                "items",
                wrap=True,
                min_width=20,
                format=lambda items, row: "; ".join(f"{i['review']} #{i['recommendation']}" for i in items),
            ),
        ],
        result.repeats,
        empty="none",
    )
    header = (
        ("addressee", "recommendations")
        + tuple(OUTCOMES)
        + (AWAITING,)
        + tuple(f"{o}_percent" for o in OUTCOMES + (AWAITING,))
    )
    key = "; ".join(f"{SHORT_OUTCOMES[o]}: {OUTCOME_WORDS[o].lower()}" for o in OUTCOMES + (AWAITING,))
    return Output(
        [table, waiting, repeats],
        result.document,
        lambda: (header, shapes.values(result.by_addressee, header)),
        notes=[f"{key} (count, then the share of the addressee's recommendations)"],
    )


# The Commissioner's categories in a word each, so that the table keeps every one in 80 columns.
SHORT_OUTCOMES = {
    "implemented": "Done",
    "already_happening": "Already",
    "partly_met": "Partly",
    "not_met": "Not met",
    "no_response": "No reply",
    "awaiting": "Waiting",
}
