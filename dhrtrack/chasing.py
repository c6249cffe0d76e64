"""Chase messages: one per lead agency, listing what is overdue, what falls due soon and what
has no RAG rating, and asking for an update by a date. Written as text, markdown, or standard
email files (.eml) that any mail client opens as a draft; nothing is sent."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from dhrtrack.dates import due_date
from dhrtrack.queries import duration_words


@dataclass
class Item:
    review: str
    recommendation: int
    action_id: str
    action: str
    target: Optional[str]
    due: Optional[dt.date]
    rag: Optional[str]


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


def build(plans: Sequence[Tuple[str, dict]], as_of: dt.date, within_days: int, canon: Callable[[str], str],
          contacts: Callable[[str], List[Tuple[Optional[str], str]]], lead_filter: Optional[str] = None) -> List[Message]:
    """Messages by canonical lead agency, in name order. Each open action appears once: under
    overdue, else due soon, else unrated."""
    from dhrtrack.queries import fold

    horizon = as_of + dt.timedelta(days=within_days)
    messages: Dict[str, Message] = {}
    for _file, plan in plans:
        for rec in plan["recommendations"]:
            for action in rec["actions"]:
                if action.get("rag") == "complete":
                    continue
                agency = canon(action["lead"])
                if lead_filter and fold(lead_filter) not in fold(action["lead"]) and fold(lead_filter) not in fold(agency):
                    continue
                target = action.get("target")
                due = due_date(target) if target else None
                item = Item(plan["review"]["id"], rec["number"], action["id"], action["action"], target, due,
                            action.get("rag"))
                message = messages.get(agency)
                if message is None:
                    message = messages[agency] = Message(agency, contacts(agency))
                if due is not None and due < as_of:
                    message.overdue.append(item)
                elif due is not None and due <= horizon:
                    message.due_soon.append(item)
                elif item.rag is None:
                    message.unrated.append(item)
    out = [m for m in messages.values() if m.count]
    for m in out:
        m.overdue.sort(key=lambda i: (i.due, i.review))
        m.due_soon.sort(key=lambda i: (i.due, i.review))
    out.sort(key=lambda m: m.agency.casefold())
    return out


def _date_words(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def _target_words(item: Item, as_of: dt.date) -> str:
    if item.due is None:
        return "no target date"
    if item.due < as_of:
        return f"target {item.target}, due {_date_words(item.due)}: {duration_words(item.due, as_of)} overdue"
    if item.due == as_of:
        return f"target {item.target}, due today"
    return f"target {item.target}, due {_date_words(item.due)}"


def _item_line(item: Item, as_of: dt.date) -> Tuple[str, str]:
    head = f"{item.review}, action {item.action_id} (recommendation {item.recommendation})"
    detail = f"{' '.join(item.action.split())} [{_target_words(item, as_of)}; RAG: {item.rag or 'not rated'}]"
    return head, detail


def subject(message: Message, reply_by: dt.date) -> str:
    n = message.count
    return f"DHR action plans: {n} action{'s' if n != 1 else ''} for {message.agency} - update requested by {_date_words(reply_by)}"


def _groups(message: Message, within_days: int) -> List[Tuple[str, List[Item]]]:
    return [(f"Overdue ({len(message.overdue)})", message.overdue),
            (f"Due in the next {within_days} days ({len(message.due_soon)})", message.due_soon),
            (f"Without a RAG rating ({len(message.unrated)})", message.unrated)]


def _ask(reply_by: dt.date) -> str:
    return (f"Please send an update and a RAG rating (red, amber, green or complete) for each action by "
            f"{_date_words(reply_by)}. For an action that is complete, please say what was achieved and when; "
            "for one that will miss its target, please give a new target date and the reason.")


def _md_escape(value: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", value)


def _body(message: Message, as_of: dt.date, within_days: int, reply_by: dt.date, sender: Optional[str],
          md: bool) -> str:
    esc = _md_escape if md else (lambda value: value)
    lines = [f"## {esc(message.agency)}" if md else f"For: {message.agency}", "",
             f"As of {_date_words(as_of)}, these actions from domestic homicide reviews that "
             f"{esc(message.agency)} leads need your attention.", ""]
    for title, items in _groups(message, within_days):
        if not items:
            continue
        lines += [f"### {title}" if md else title, ""]
        for item in items:
            head, detail = _item_line(item, as_of)
            lines += [f"- **{esc(head)}**: {esc(detail)}"] if md else [f"- {head}:", f"  {detail}"]
        lines.append("")
    lines += [esc(_ask(reply_by)), "", "Thank you."]
    if sender:
        lines += ["", esc(sender)]
    return "\n".join(lines) + "\n"


def text(message: Message, as_of: dt.date, within_days: int, reply_by: dt.date, sender: Optional[str]) -> str:
    return _body(message, as_of, within_days, reply_by, sender, md=False)


def markdown(message: Message, as_of: dt.date, within_days: int, reply_by: dt.date, sender: Optional[str]) -> str:
    return _body(message, as_of, within_days, reply_by, sender, md=True)


def as_dict(message: Message, as_of: dt.date, reply_by: dt.date) -> dict:
    """A message as data, for --format json."""
    def items(found: List[Item]) -> List[dict]:
        return [{"review": i.review, "recommendation": i.recommendation, "action": i.action_id, "text": i.action,
                 "target": i.target, "due": i.due.isoformat() if i.due else None,
                 "days_overdue": (as_of - i.due).days if i.due and i.due < as_of else None, "rag": i.rag}
                for i in found]

    return {"agency": message.agency, "emails": [{"name": n, "email": e} for n, e in message.emails],
            "subject": subject(message, reply_by), "overdue": items(message.overdue),
            "due_soon": items(message.due_soon), "unrated": items(message.unrated)}


def eml(message: Message, as_of: dt.date, within_days: int, reply_by: dt.date, sender: Optional[str]) -> bytes:
    """A standard email file (RFC 5322) a mail client opens as a draft: To holds the agency's
    contacts from plans/agencies.yaml, and nothing else; no address is invented."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    mail = EmailMessage(policy=SMTP)
    if message.emails:
        try:
            mail["To"] = [Address(display_name=name or "", addr_spec=address) for name, address in message.emails]
        except (ValueError, IndexError):  # an address the email package cannot parse: as written
            mail["To"] = ", ".join(address for _name, address in message.emails)
    if sender and "@" in sender:
        mail["From"] = sender
    mail["Subject"] = subject(message, reply_by)
    mail["Date"] = format_datetime(dt.datetime.combine(as_of, dt.time(9, 0), tzinfo=dt.timezone.utc))
    mail["X-Unsent"] = "1"  # Outlook and others open it as a draft to send
    body = text(message, as_of, within_days, reply_by, sender if sender and "@" not in sender else None)
    mail.set_content(body)
    return mail.as_bytes()


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "agency"
