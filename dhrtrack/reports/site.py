"""The partnership's website as values (`dhrtrack site`): the board paper's figures for the home
page, and the plans arranged as a site shows them: a page a review, a lead agency, a theme, the
overdue list, each action with its status in words. dhrtrack.render.site writes the pages and the
open data; a public build holds only the publishable fields (dhrtrack.reports.publish)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from dhrtrack.history.latest import LastCommit, last_commit
from dhrtrack.history.slips import Recorded, rating_and_target_changes
from dhrtrack.i18n import _, language, p_, pN_
from dhrtrack.plan import fields
from dhrtrack.plan.dates import due_date, duration_words
from dhrtrack.plan.model import is_overdue
from dhrtrack.reports import board as boards
from dhrtrack.reports import publish
from dhrtrack.reports.queries import Scope
from dhrtrack.wording import update_summary

# An action's status as the site says it, in the page's language (status_word).
RAG_WORDS = {
    "complete": pN_("status", "Complete"),
    "green": pN_("status", "Green: on track"),
    "amber": pN_("status", "Amber: at risk"),
    "red": pN_("status", "Red: off track"),
    None: pN_("status", "Not rated"),
}


@dataclass(frozen=True)
class Options:
    public: bool = False
    marking: Optional[str] = None  # the internal build's protective marking, on every page
    title: Optional[str] = None


@dataclass
class Entry:
    """An action as a list shows it (an agency's, a theme's, the overdue list)."""

    review: str
    page: str  # the review's page slug
    recommendation: int
    action_id: str
    action: str
    lead: str
    target: Optional[str]
    due: Optional[str]
    rag: Optional[str]
    overdue: str  # "2 years 3 months" when overdue, else ""
    latest: str = ""  # the latest update in words (internal builds only)

    @property
    def anchor(self) -> str:
        return anchor(self.action_id)


@dataclass
class Group:
    """The actions of one lead agency or one theme."""

    name: str
    slug: str
    entries: List[Entry] = field(default_factory=list)

    def count(self, rag: Optional[str]) -> int:
        return sum(1 for e in self.entries if e.rag == rag)

    @property
    def overdue(self) -> int:
        return sum(1 for e in self.entries if e.overdue)

    @property
    def complete(self) -> int:
        return self.count("complete")


@dataclass
class ReviewLink:
    slug: str
    review: str
    title: Optional[str]
    partnership: Optional[str]
    file: str
    summary: dict  # queries.summary's row


@dataclass
class ActionView:
    data: dict  # the action's fields as the build shows them
    status: str  # in words
    due: Optional[str]
    overdue: str
    latest: str  # internal builds only
    history: List[Recorded]


@dataclass
class RecommendationView:
    data: dict
    actions: List[ActionView]


@dataclass
class ReviewPage:
    link: ReviewLink
    review: dict
    recommendations: List[RecommendationView]


@dataclass
class Site:
    options: Options
    board: boards.Board
    title: str
    updated: Optional[LastCommit]
    updated_note: Optional[str]  # why there is no commit to name
    reviews: List[ReviewLink]
    agencies: List[Group]
    themes: List[Group]
    overdue: List[Entry]
    history_note: Optional[str]
    left_out: List[fields.Field]  # the fields a public build leaves out
    pages: Iterable[ReviewPage] = ()  # made one at a time, as they are written
    data_title: str = ""  # the title in the open data: English, as all of the data is
    # The site's languages, (code, folder of its pages: "" at the root, "cy/"), the first at the
    # root; and the folder of the language being written.
    languages: Sequence[Tuple[str, str]] = (("en", ""),)
    prefix: str = ""

    @property
    def public(self) -> bool:
        return self.options.public


def slug(text: str, fallback: str) -> str:
    """A file name for a page: lower-case ASCII letters, digits and hyphens only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or fallback


def unique_slugs(named: Sequence[Tuple[str, str]], fallback: str) -> Dict[str, str]:
    """A slug for each (key, name), in their order; a slug already taken gets -2, -3, ..."""
    taken: Dict[str, int] = {}
    out: Dict[str, str] = {}
    reserved = {"index"}
    used: set = set()
    for key, name in named:
        base = slug(name, fallback)
        if base in reserved:
            base = f"{base}-{fallback}"
        n = taken.get(base, 0) + 1
        taken[base] = n
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in used:
            n += 1
            taken[base] = n
            candidate = f"{base}-{n}"
        used.add(candidate)
        out[key] = candidate
    return out


def anchor(action_id: str) -> str:
    """An action's id in a page's address (#a-7.1): one id, one anchor, however it is written."""
    return "a-" + "".join(c if c.isascii() and (c.isalnum() or c in ".-") else f"_{ord(c):x}" for c in action_id)


def status_word(rag: Optional[str]) -> str:
    return p_("status", RAG_WORDS[rag]) if rag in RAG_WORDS else str(rag)


def status_words(rag: Optional[str], overdue: str) -> str:
    words = status_word(rag)
    return _("{status}; overdue by {duration}").format(status=words, duration=overdue) if overdue else words


def _latest(action: dict) -> str:
    updates = action.get("updates") or []
    return update_summary(updates[-1]) if updates else ""


def site_title(plans: Sequence, title: Optional[str] = None) -> str:
    """The site's name: --title, else "Domestic Homicide Review action plans" (the plans' kind of
    review) and the partnership when the plans are one partnership's."""
    if title:
        return title
    partnerships = sorted({p.partnership for p in plans if p.partnership})
    kind = fields.kind_name(p.kind for p in plans)  # as the board paper names the reviews
    if len(partnerships) == 1:
        return _("{kind} action plans: {partnership}").format(kind=kind, partnership=partnerships[0])
    return _("{kind} action plans").format(kind=kind)


def _english_title(plans: Sequence, title: Optional[str]) -> str:
    with language("en"):
        return site_title(plans, title)


def build(
    scope: Scope,
    options: Options,
    since: Optional[str] = None,
    paths: Sequence[str] = (),
    at: Optional[str] = None,
) -> Site:
    boards.printable_line("--marking", options.marking)
    boards.printable_line("--title", options.title)
    paper = boards.Paper(marking=None if options.public else options.marking)
    board = boards.build(scope, options.title, since, paths, at, paper)
    if options.public:
        board.attention = []  # its notes are the update log: never published
    loaded, day, canon = scope.loaded, scope.as_of, scope.canon
    plans = sorted(loaded.plans, key=lambda p: (p.review, p.file))
    slugs = unique_slugs([(p.file, p.name) for p in sorted(loaded.plans, key=lambda p: p.file)], "review")
    by_file = {row["file"]: row for row in board.reviews}
    plans = [p for p in plans if p.file in by_file]
    links = [ReviewLink(slugs[p.file], p.review, p.title, p.partnership, p.file, by_file[p.file]) for p in plans]
    agencies: Dict[str, Group] = {}
    themes: Dict[str, Group] = {}
    overdue: List[Tuple[int, int, Entry]] = []
    for rank, (link, plan) in enumerate(zip(links, plans)):
        data = loaded.data(plan)
        for rec in data["recommendations"]:
            for action in rec["actions"]:
                target = action.get("target")
                due = due_date(target) if target else None
                rag = action.get("rag")
                late = duration_words(due, day) if due and is_overdue(due, rag, day) else ""
                lead = canon(action["lead"])
                entry = Entry(
                    link.review,
                    link.slug,
                    rec["number"],
                    action["id"],
                    " ".join(
                        str(fields.text_in(action, fields.ACTION, "action", f"{plan.name}:{action['id']}")).split()
                    ),
                    lead,
                    target,
                    due.isoformat() if due else None,
                    rag,
                    late,
                    "" if options.public else _latest(action),
                )
                agencies.setdefault(lead, Group(lead, "")).entries.append(entry)
                for theme in rec.get("themes") or ():
                    themes.setdefault(theme, Group(theme, "")).entries.append(entry)
                if late and due is not None:
                    overdue.append((due.toordinal(), rank, entry))
    overdue.sort(key=lambda item: (item[0], item[1]))
    agency_groups = sorted(agencies.values(), key=lambda g: g.name.casefold())
    for group, name in zip(agency_groups, unique_slugs([(g.name, g.name) for g in agency_groups], "agency").values()):
        group.slug = name
    theme_groups = sorted(themes.values(), key=lambda g: g.name.casefold())
    for group, name in zip(theme_groups, unique_slugs([(g.name, g.name) for g in theme_groups], "theme").values()):
        group.slug = name
    recorder = rating_and_target_changes(paths, at, use_cache=loaded.use_cache)
    history: Dict[Tuple[str, str], List[Recorded]] = {}
    for change in recorder.changes:
        history.setdefault((change.plan, change.action), []).append(change)
    updated, updated_note = last_commit(paths, at)
    site = Site(
        options=options,
        board=board,
        title=site_title(loaded.plans, options.title),
        data_title=_english_title(loaded.plans, options.title),
        updated=updated,
        updated_note=updated_note,
        reviews=links,
        agencies=agency_groups,
        themes=theme_groups,
        overdue=[entry for _o, _r, entry in overdue],
        history_note=recorder.note,
        left_out=publish.left_out() if options.public else [],
    )
    site.pages = _pages(scope, site, plans, history)
    return site


def _pages(
    scope: Scope, site: Site, plans: List, history: Dict[Tuple[str, str], List[Recorded]]
) -> Iterator[ReviewPage]:
    """Each review's page, made when it is written: only the publishable fields in a public build."""
    day, public = scope.as_of, site.public
    for link, plan in zip(site.reviews, plans):
        data = publish.published(scope.loaded.data(plan), public)
        review = dict(data["review"])
        if review.get("kind"):
            review["kind"] = fields.kind_name([review["kind"]])
        recs = []
        for rec in data["recommendations"]:
            actions = []
            for action in [fields.in_language(a, fields.ACTION, f"{plan.name}:{a['id']}") for a in rec["actions"]]:
                target = action.get("target")
                due = due_date(target) if target else None
                rag = action.get("rag")
                late = duration_words(due, day) if due and is_overdue(due, rag, day) else ""
                actions.append(
                    ActionView(
                        action,
                        status_words(rag, late),
                        due.isoformat() if due else None,
                        late,
                        "" if public else _latest(action),
                        history.get((plan.name, action["id"]), []),
                    )
                )
            said = fields.in_language(rec, fields.RECOMMENDATION, f"{plan.name}:{rec['number']}")
            recs.append(RecommendationView(said, actions))
        yield ReviewPage(link, review, recs)
