"""Chase messages: one per lead agency, listing what is overdue, what falls due soon and what
has no RAG rating, and asking for an update by a date. Values only: dhrtrack.render.chase writes
them as text, markdown or standard email files; nothing is sent."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from email.errors import HeaderDefect, HeaderParseError
from typing import List, Optional, Tuple

from dhrtrack.agencies import Canon, contacts_for
from dhrtrack.errors import UsageError
from dhrtrack.i18n import _, n_
from dhrtrack.plan.fields import NAME, SHORT, kind_name
from dhrtrack.plan.model import is_due_within, is_open, is_overdue
from dhrtrack.plan.store import Loaded
from dhrtrack.reports.queries import Filters, check_filters, matches
from dhrtrack.wording import date_words


@dataclass
class Item:
    review: str
    recommendation: int
    action_id: str
    action: str
    target: Optional[str]
    due: Optional[dt.date]
    rag: Optional[str]
    kind: str = ""  # its review's kind (review.kind): how the letter names the reviews


@dataclass
class Message:
    agency: str
    emails: List[Tuple[Optional[str], str]]  # (name, address) from plans/agencies.yaml
    overdue: List[Item] = field(default_factory=list)
    due_soon: List[Item] = field(default_factory=list)
    unrated: List[Item] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.unrated)

    def kinds(self, form: str = NAME) -> str:
        """The reviews its actions are from, named by their kind ("DHR", "reviews")."""
        return kind_name((i.kind for i in self.overdue + self.due_soon + self.unrated), form)


@dataclass
class Chase:
    """Everything a chase run says: the messages and what they ask."""

    as_of: dt.date
    within_days: int
    reply_by: dt.date
    sender: Optional[str]
    messages: List[Message]


def build(
    loaded: Loaded,
    canon: Canon,
    as_of: dt.date,
    within_days: int,
    reply_by: Optional[dt.date] = None,
    sender: Optional[str] = None,
    lead_filter: Optional[str] = None,
) -> Chase:
    """Messages by canonical lead agency, in name order. Each open action appears once: under
    overdue, else due soon, else unrated."""
    check_filters(loaded, canon, Filters(lead=lead_filter))
    messages: dict = {}
    for plan in loaded.plans:
        for action in plan.actions:
            if not is_open(action.rag):
                continue
            agency = canon(action.lead)
            if not matches(lead_filter, action.lead, agency):
                continue
            due = action.due
            item = Item(
                plan.review,
                action.recommendation,
                action.id,
                loaded.text_of(plan, action),
                action.target,
                due,
                action.rag,
                plan.kind,
            )
            message = messages.get(agency)
            if message is None:
                message = messages[agency] = Message(agency, contacts_for(loaded.registry, agency))
            if is_overdue(due, action.rag, as_of):
                message.overdue.append(item)
            elif is_due_within(due, action.rag, as_of, within_days):
                message.due_soon.append(item)
            elif item.rag is None:
                message.unrated.append(item)
    out = [m for m in messages.values() if m.count]
    for m in out:
        m.overdue.sort(key=lambda i: (i.due, i.review))
        m.due_soon.sort(key=lambda i: (i.due, i.review))
    out.sort(key=lambda m: m.agency.casefold())
    sender_address(sender)  # refuse a --from that is not an address before any message is made
    return Chase(as_of, within_days, reply_date(as_of, reply_by), sender, out)


def reply_date(as_of: dt.date, reply_by: Optional[dt.date]) -> dt.date:
    """The date replies are asked for: --reply-by, else two weeks after --as-of."""
    return reply_by or as_of + dt.timedelta(days=14)


def sender_address(sender: Optional[str]) -> Optional[Tuple[str, str]]:
    """(display name, address) of a --from that holds an email address, as a person writes one
    ("Coordinator, Northshire CSP <csp@example.org>", "csp@example.org"); None for a signature
    with no address. An address that is not one is a usage error."""
    from email.headerregistry import Address

    if not sender or "@" not in sender:
        return None
    match = re.fullmatch(r"\s*(.*?)\s*<([^<>]*)>\s*", sender)
    name, address = (match.group(1).strip().strip('"'), match.group(2).strip()) if match else ("", sender.strip())
    try:
        Address(display_name=name, addr_spec=address)
    except (ValueError, IndexError, TypeError, HeaderDefect, HeaderParseError) as error:
        raise UsageError(f"--from {sender!r} is not an email address like 'Name <name@example.org>': {error}") from None
    return name, address


def subject(message: Message, reply_by: dt.date) -> str:
    return _("{kind} action plans: {actions} for {agency} - update requested by {date}").format(
        kind=message.kinds(SHORT),
        actions=n_("{n} action", "{n} actions", message.count).format(n=message.count),
        agency=message.agency,
        date=date_words(reply_by),
    )


def document(chase: Chase) -> dict:
    """The JSON shape of `dhrtrack chase --format json`."""
    as_of = chase.as_of

    def items(found: List[Item]) -> List[dict]:
        return [
            {
                "review": i.review,
                "recommendation": i.recommendation,
                "action": i.action_id,
                "text": i.action,
                "target": i.target,
                "due": i.due.isoformat() if i.due else None,
                "days_overdue": (as_of - i.due).days if i.due and i.due < as_of else None,
                "rag": i.rag,
            }
            for i in found
        ]

    return {
        "as_of": as_of.isoformat(),
        "within_days": chase.within_days,
        "reply_by": chase.reply_by.isoformat(),
        "messages": [
            {
                "agency": m.agency,
                "emails": [{"name": n, "email": e} for n, e in m.emails],
                "subject": subject(m, chase.reply_by),
                "overdue": items(m.overdue),
                "due_soon": items(m.due_soon),
                "unrated": items(m.unrated),
            }
            for m in chase.messages
        ],
    }


def slug(name: str) -> str:
    """A file name for an agency's message: its words, in any script ("Northshire Police" ->
    northshire-police, "日本" -> 日本)."""
    return re.sub(r"[^\w]+", "-", name.casefold(), flags=re.UNICODE).strip("-_") or "agency"


# A file name's length in bytes, at most: well inside every file system's limit (255 bytes on
# most), so a long agency name in any script never stops a run half way ("File name too long").
MAX_NAME_BYTES = 100


def _fitted(base: str, tail: str) -> str:
    """base + tail, base cut (at a character) so that the name is at most MAX_NAME_BYTES."""
    room = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    cut = base.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return (cut.rstrip("-_") if cut != base else cut or "agency") + tail


def file_names(agencies: List[str], extension: str) -> List[str]:
    """One file name per agency, all different and none over MAX_NAME_BYTES: agencies whose
    names make the same slug (or the same cut one) get -2, -3..., so a run never writes over a
    file it wrote itself."""
    names: List[str] = []
    taken: set = set()
    for agency in agencies:
        base = slug(agency)
        name, n = _fitted(base, f".{extension}"), 1
        while name.casefold() in taken:  # case-insensitive file systems too
            n += 1
            name = _fitted(base, f"-{n}.{extension}")
        taken.add(name.casefold())
        names.append(name)
    return names
