"""Chase messages as text, markdown or standard email files (.eml) that any mail client opens as
a draft. One registry, MESSAGE_RENDERERS, with one signature: (message, chase) -> text or bytes."""

from __future__ import annotations

import datetime as dt
from typing import Callable, Dict, List, Optional, Tuple, Union

from dhrtrack.i18n import _, n_
from dhrtrack.plan.dates import duration_words
from dhrtrack.plan.fields import PLURAL
from dhrtrack.reports.chase import Chase, Item, Message, sender_address, subject
from dhrtrack.wording import date_words, markdown_text, rag_word, when_words


def _target_words(item: Item, as_of: dt.date) -> str:
    """The target as a letter says it: "target March 2027, due 31 March 2027" (a month is due at
    its end), "due 14 June 2027" (a day)."""
    if item.due is None:
        return _("no target date")
    month = item.target is not None and len(item.target) == 7
    target = _("target {month}, ").format(month=when_words(item.target)) if month else ""
    if item.due < as_of:
        due = _("due {date}: {duration} overdue").format(
            date=date_words(item.due), duration=duration_words(item.due, as_of)
        )
    elif item.due == as_of:
        due = _("due today")
    else:
        due = _("due {date}").format(date=date_words(item.due))
    return target + due


def _item_line(item: Item, as_of: dt.date) -> Tuple[str, str]:
    head = _("{review}, action {action} (recommendation {recommendation})").format(
        review=item.review, action=item.action_id, recommendation=item.recommendation
    )
    detail = _("{text} [{target}; RAG: {rag}]").format(
        text=" ".join(item.action.split()), target=_target_words(item, as_of), rag=rag_word(item.rag)
    )
    return head, detail


def _groups(message: Message, within_days: int) -> List[Tuple[str, List[Item]]]:
    return [
        (_("Overdue ({count})").format(count=len(message.overdue)), message.overdue),
        (
            n_("Due in the next {n} day ({count})", "Due in the next {n} days ({count})", within_days).format(
                n=within_days, count=len(message.due_soon)
            ),
            message.due_soon,
        ),
        (_("Unrated ({count})").format(count=len(message.unrated)), message.unrated),
    ]


def _ask(reply_by: dt.date) -> str:
    return _(
        "Please send an update and a RAG rating (red, amber, green or complete) for each action by "
        "{date}. For an action that is complete, please say what was achieved and when; "
        "for one that will miss its target, please give a new target date and the reason."
    ).format(date=date_words(reply_by))


def _body(message: Message, chase: Chase, md: bool, sender: Optional[str]) -> str:
    esc: Callable[[str], str] = markdown_text if md else (lambda value: value)
    as_of = chase.as_of
    lines = [
        f"## {esc(message.agency)}" if md else _("For: {agency}").format(agency=message.agency),
        "",
        _("As of {date}, these actions from {reviews} that {agency} leads need your attention.").format(
            date=date_words(as_of), reviews=message.kinds(PLURAL), agency=esc(message.agency)
        ),
        "",
    ]
    for title, items in _groups(message, chase.within_days):
        if not items:
            continue
        lines += [f"### {title}" if md else title, ""]
        for item in items:
            head, detail = _item_line(item, as_of)
            lines += [f"- **{esc(head)}**: {esc(detail)}"] if md else [f"- {head}:", f"  {detail}"]
        lines.append("")
    lines += [esc(_ask(chase.reply_by)), "", _("Thank you.")]
    if sender:
        lines += ["", esc(sender)]
    return "\n".join(lines) + "\n"


def text(message: Message, chase: Chase) -> str:
    return _body(message, chase, md=False, sender=chase.sender)


def markdown(message: Message, chase: Chase) -> str:
    return _body(message, chase, md=True, sender=chase.sender)


def eml(message: Message, chase: Chase) -> bytes:
    """A standard email file (RFC 5322) a mail client opens as a draft: To holds the agency's
    contacts from plans/agencies.yaml, and nothing else; no address is invented."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    sender = chase.sender
    mail = EmailMessage(policy=SMTP)
    # Headers are built from Address values under the SMTP policy, never from strings: a name
    # with a comma ("Smith, Jo") stays one recipient, and nothing in a name can add a header.
    if message.emails:
        mail["To"] = [Address(display_name=name or "", addr_spec=address) for name, address in message.emails]
    address = sender_address(sender)
    if address is not None:
        mail["From"] = Address(display_name=address[0], addr_spec=address[1])
    mail["Subject"] = subject(message, chase.reply_by)
    mail["Date"] = format_datetime(dt.datetime.combine(chase.as_of, dt.time(9, 0), tzinfo=dt.timezone.utc))
    mail["X-Unsent"] = "1"  # Outlook and others open it as a draft to send
    mail.set_content(_body(message, chase, md=False, sender=sender if sender and "@" not in sender else None))
    return mail.as_bytes()


def encoded(content: Union[str, bytes]) -> bytes:
    """A rendered message as the bytes of its file."""
    return content if isinstance(content, bytes) else content.encode("utf-8")


MessageRenderer = Callable[[Message, Chase], Union[str, bytes]]
MESSAGE_RENDERERS: Dict[str, MessageRenderer] = {"text": text, "markdown": markdown, "eml": eml}
EXTENSIONS = {"text": "txt", "markdown": "md", "eml": "eml"}


def listing(chase: Chase, fmt: str) -> str:
    """Every message on one page (standard output), divided by rules; text ones with their Subject."""
    parts = []
    for message in chase.messages:
        head = _("Subject: {subject}").format(subject=subject(message, chase.reply_by)) + "\n" if fmt == "text" else ""
        parts.append(head + str(MESSAGE_RENDERERS[fmt](message, chase)))
    return ("\n" + "-" * 72 + "\n\n").join(parts)
