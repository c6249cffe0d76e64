"""The quarterly board paper as a value: headline figures, completion per review, per agency, the
overdue and unrated actions, and (with a git revision) what changed since. dhrtrack.render.board
writes it as HTML, markdown or JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from dhrtrack.errors import UsageError
from dhrtrack.history.changes import Diff, describe, diff_revisions, is_slip
from dhrtrack.history.slips import SlipIndex, target_slips
from dhrtrack.i18n import _, current
from dhrtrack.plan.dates import duration_words
from dhrtrack.plan.fields import kind_name
from dhrtrack.plan.store import Loaded
from dhrtrack.reports import queries, stats
from dhrtrack.reports.narrative import Narrative
from dhrtrack.reports.queries import Pair, Scope
from dhrtrack.reports.shapes import SUMMARY_KEYS
from dhrtrack.wording import percent, rag_word, update_summary, versioned


@dataclass
class ActionRow:
    review: str
    action_id: str
    action: str
    lead: str
    due: Optional[str]
    rag: Optional[str]
    note: str = ""  # "2 years 3 months overdue"


@dataclass
class Paper:
    """What goes on the paper around the figures: its protective marking, the meeting it is for,
    its author, the page orientation, and the one agency it is about (--lead)."""

    marking: Optional[str] = None  # e.g. OFFICIAL-SENSITIVE: top and bottom of every page
    meeting: Optional[str] = None
    author: Optional[str] = None
    landscape: bool = False
    lead: Optional[str] = None
    limit: Optional[int] = 50  # rows a list shows (None: all); the rest "and N more"
    lists: Optional[str] = None  # the stem of the CSV files beside the paper with every list in full
    date_style: str = "long"  # dates as a UK board reads them ("30 April 2017"), or "iso" as written

    def __post_init__(self) -> None:
        for option, value in (("--marking", self.marking), ("--meeting", self.meeting), ("--author", self.author)):
            printable_line(option, value)


def printable_line(option: str, value: Optional[str]) -> None:
    """Refuse an option's text that is not one line of printable text: a control character would
    break a Word document's XML and could end a line of the printed header early."""
    if value is not None and (not value.strip() or any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value)):
        raise UsageError(f"{option} {value!r} must be one line of printable text")


@dataclass
class Board:
    title: str
    as_of: dt.date
    partnerships: List[str]
    reviews: List[dict]  # queries.summary rows
    agencies: List[dict]  # queries.agencies rows
    overdue: List[ActionRow]
    unrated: List[ActionRow]
    attention: List[ActionRow] = field(default_factory=list)  # red, then amber: with the latest update as note
    claimed: List[ActionRow] = field(default_factory=list)  # complete on the agency's word: completion date as note
    paper: Paper = field(default_factory=Paper)
    timeliness: List[dict] = field(default_factory=list)  # per agency: on time, late, slips (see timeliness_rows)
    completions_by_quarter: List[dict] = field(default_factory=list)  # {"quarter": "2024 Q1", "completed": n}
    earlier_completions: int = 0  # completed before the quarters shown
    history: str = "git"  # or why target slips were not counted
    since: Optional[str] = None
    reviews_changed: List[str] = field(default_factory=list)  # reviews added or removed since
    completed_since: List[str] = field(default_factory=list)  # change descriptions
    rag_changes: List[str] = field(default_factory=list)
    slips: List[str] = field(default_factory=list)
    left_out: List[str] = field(default_factory=list)  # why plans (or versions of them) were left out, in words
    narrative: Optional[Narrative] = None  # the coordinator's words (report --narrative)
    kinds: Tuple[str, ...] = ()  # the reviews' kinds (review.kind): how the paper names them (kind_name)

    @property
    def change_sections(self) -> List[Tuple[str, str, List[str]]]:
        """What changed since --since, section by section, as every form of the paper shows it:
        (title, the Board's field, which names the list's CSV beside the paper, items)."""
        return [
            (_("Reviews added or removed"), "reviews_changed", self.reviews_changed),
            (_("Newly completed"), "completed_since", self.completed_since),
            (_("RAG changes"), "rag_changes", self.rag_changes),
            (_("Target slips"), "slips", self.slips),
        ]

    @property
    def totals(self) -> dict:
        keys = SUMMARY_KEYS[2:]  # a review row's counts, after its review and file
        return {k: sum(r[k] for r in self.reviews) for k in keys}

    @property
    def exceptions(self) -> dict:
        """What the board should look at first: overdue, red and unrated actions, completions
        claimed and not verified, and (with --since) targets slipped in the period; slipped is
        None without --since."""
        totals = self.totals
        return {
            "overdue": totals["overdue"],
            "red": totals["red"],
            "unrated": totals["missing_rag"],
            "claimed": totals["claimed"],
            "slipped": len(self.slips) if self.since is not None else None,
        }

    def document(self) -> dict:
        """The JSON shape of `dhrtrack report --format json`."""
        document = versioned(dataclasses.asdict(self))
        document["as_of"] = self.as_of.isoformat()
        document["totals"] = self.totals
        document["exceptions"] = self.exceptions
        for key in ("limit", "lists", "date_style"):  # how the paper is laid out, not data: JSON is whole, ISO
            del document["paper"][key]
        if self.narrative is None:
            del document["narrative"]
        else:
            document["narrative"] = self.narrative.document()
        if self.since is None:
            for key in ("since", "reviews_changed", "completed_since", "rag_changes", "slips"):
                del document[key]
        return document


def _row(loaded: Loaded, pair: Pair, note: str) -> ActionRow:
    plan, action = pair
    due = action.due
    return ActionRow(
        plan.review,
        action.id,
        loaded.text_of(plan, action),
        action.lead,
        due.isoformat() if due else None,
        action.rag,
        note,
    )


def _latest_update(loaded: Loaded, pair: Pair) -> str:
    """ "2026-10-01: Policy drafted with legal (by West Midlands Police)", or "no update recorded".
    The words loaded with the plans are English (they are cached for every language): another
    language says the entry again from the plan's data."""
    if current() == "en":
        return loaded.latest_update_of(*pair) or _("no update recorded")
    plan, action = pair
    updates = [a for r in loaded.data(plan)["recommendations"] for a in r["actions"]][action.order].get("updates")
    return update_summary(updates[-1]) if updates else _("no update recorded")


def build(
    scope: Scope,
    title: Optional[str] = None,
    since: Optional[str] = None,
    paths: Sequence[str] = (),
    at: Optional[str] = None,
    paper: Optional[Paper] = None,
    slips: Optional[SlipIndex] = None,
) -> Board:
    """The board paper's content. slips: the plans' target slips when they do not come from the
    git history of PATHS (a gathered database holds its packages' histories)."""
    printable_line("--title", title)
    day = scope.as_of
    overdue = [
        _row(scope.loaded, p, duration_words(p[1].due, day))
        for p in queries.overdue(scope.scoped, day)
        if p[1].due is not None
    ]
    unrated = [_row(scope.loaded, p, p[1].target or _("none")) for p in queries.missing_rag(scope.scoped)]
    attention = [_row(scope.loaded, p, _latest_update(scope.loaded, p)) for p in queries.red_and_amber(scope.scoped)]
    claimed = [_row(scope.loaded, p, p[1].completed or "") for p in queries.claimed(scope.scoped)]
    use_cache = scope.loaded.use_cache  # --no-cache: the history is read afresh too
    slips = slips or target_slips(paths, at, use_cache=use_cache)
    quarters, earlier = completions_by_quarter(scope)
    partnerships = sorted({p.partnership for p in scope.plans if p.partnership})
    paper = paper or Paper()
    board = Board(
        title=title
        or (
            _("{kind} action plans: progress report").format(kind=kind_name(p.kind for p in scope.plans))
            + (_(" for {partnership}").format(partnership=partnerships[0]) if len(partnerships) == 1 else "")
            + (_(": actions led by {lead}").format(lead=paper.lead) if paper.lead else "")
        ),
        as_of=day,
        partnerships=partnerships,
        kinds=tuple(sorted({p.kind for p in scope.plans})),
        reviews=queries.summary(scope.scoped, day),
        agencies=queries.agencies(scope.scoped, day, scope.canon),
        overdue=overdue,
        unrated=unrated,
        attention=attention,
        claimed=claimed,
        paper=paper,
        timeliness=timeliness_rows(stats.build(scope, "agency", slips)),
        completions_by_quarter=quarters,
        earlier_completions=earlier,
        history=slips.note or "git",
        left_out=[queries.left_out_message(i) for i in scope.invalid],
    )
    if since:
        # What changed since then: up to the work tree, or up to the revision the paper is at.
        add_changes(board, since, diff_revisions([since] + ([at] if at else []), paths, use_cache=use_cache))
    return board


QUARTERS_SHOWN = 12  # three years of quarters, up to the one --as-of falls in


def timeliness_rows(result: "stats.Stats") -> List[dict]:
    """Per agency, the figures a board asks about timeliness: completions on time and late, the
    on-time rate among completions with a date, median days late, and target slips. The
    definitions are stats' (dhrtrack.reports.stats)."""
    rows = []
    for group in result.groups:
        dated = group.completed_on_time + group.completed_late
        rows.append(
            {
                "agency": group.group,
                "completed_on_time": group.completed_on_time,
                "completed_late": group.completed_late,
                "on_time_percent": percent(group.completed_on_time, dated) if dated else None,
                "median_days_late": group.median_days_late,
                "target_slips": group.target_slips,
                "months_slipped": group.months_slipped,
            }
        )
    return rows


def _quarter(day: dt.date) -> Tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def completions_by_quarter(scope: Scope) -> Tuple[List[dict], int]:
    """Completed actions (with a `completed` date) per calendar quarter, for the twelve quarters
    up to the one --as-of falls in (quarters with none included), and how many were earlier."""
    last_year, last_q = _quarter(scope.as_of)
    keys = []
    year, q = last_year, last_q
    for _step in range(QUARTERS_SHOWN):
        keys.append((year, q))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    keys.reverse()
    counts = {key: 0 for key in keys}
    earlier = 0
    for _plan, action in scope.scoped.pairs():
        if action.rag != "complete" or not action.completed:
            continue
        key = _quarter(dt.date.fromisoformat(action.completed))
        if key in counts:
            counts[key] += 1
        elif key < keys[0]:
            earlier += 1
    return [{"quarter": f"{y} Q{n}", "completed": counts[(y, n)]} for y, n in keys], earlier


def add_changes(board: Board, since: str, diff: Diff) -> None:
    """What changed between `since` and the work tree: completions, RAG moves, target slips."""
    board.since = since
    board.left_out += [
        f"{where}: not a valid plan ({problem.line}:{problem.column}: {problem.message}); left out of the changes"
        for where, problem in diff.left_out
    ]
    for change, old, new in diff.changes:
        label = f"{change.review} {change.action}" if change.action else change.review
        text = f"{label}: {describe(change, old, new)}"
        if change.change in ("added", "removed") and change.action is None and change.recommendation is None:
            board.reviews_changed.append(text)  # "NDHR 2025-09: plan added (3 recommendations, 7 actions)"
        elif change.field == "rag":
            board.rag_changes.append(text)
            if change.new == "complete":
                before = _("{label}: rated complete ({old} before)")
                board.completed_since.append(before.format(label=label, old=rag_word(change.old)))
        elif change.field == "completed" and change.old is None:
            if not any(c.startswith(f"{label}:") for c in board.completed_since):
                board.completed_since.append(
                    _("{label}: completion recorded {new}").format(label=label, new=change.new)
                )
        elif is_slip(change):
            board.slips.append(text)
