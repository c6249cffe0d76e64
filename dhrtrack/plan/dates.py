"""Plan dates: targets (YYYY-MM or YYYY-MM-DD), calendar checks, due dates (docs/design.md §2),
month arithmetic and durations in words."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Optional, Tuple

from dhrtrack.wording import plural

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")  # \Z: "$" would let a trailing line break through
_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")


def parse_day(text: str) -> Optional[dt.date]:
    """A YYYY-MM-DD string as a date, or None when it is not a real calendar date."""
    match = _DAY.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def due_date(target: str) -> Optional[dt.date]:
    """The day a target falls due: the day itself, or the last day of a YYYY-MM month.

    None when the target is not a real month or date.
    """
    match = _MONTH.match(target)
    if match:
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or year < 1:
            return None
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return parse_day(target)


def is_month(target: str) -> bool:
    """A YYYY-MM target (due at the month's end), as opposed to a day."""
    return bool(_MONTH.match(target))


def date_problem(text: str, month_allowed: bool) -> Optional[str]:
    """Why text is not an acceptable plan date, or None when it is."""
    valid = due_date(text) if month_allowed else parse_day(text)
    if valid is not None:
        return None
    form = "YYYY-MM or YYYY-MM-DD" if month_allowed else "YYYY-MM-DD"
    if _DAY.match(text) or (month_allowed and _MONTH.match(text)):
        return f"{text!r} is not a real calendar date; write a date that exists ({form})"
    return f"{text!r} is not a date in the form {form}"


# --- month arithmetic -----------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _is_month_end(day: dt.date, wanted: int) -> bool:
    return wanted > day.day and (day + dt.timedelta(days=1)).day == 1


def months_between(start: dt.date, end: dt.date) -> Tuple[int, int]:
    """Whole months from start to end (end >= start), and the days left over."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and not _is_month_end(end, start.day):
        months -= 1
    anchor = add_months(start, months)
    return months, (end - anchor).days


def month_difference(old: str, new: str) -> int:
    """Calendar months from one YYYY-MM target to another (negative when brought forward)."""
    return (int(new[:4]) - int(old[:4])) * 12 + int(new[5:7]) - int(old[5:7])


def duration_words(start: dt.date, end: dt.date) -> str:
    """How long from start to end in words: "2 years 3 months", "5 months", "12 days"."""
    if end <= start:
        return "0 days"
    months, days = months_between(start, end)
    if months == 0:
        return plural(days, "day")
    years, months = divmod(months, 12)
    if years == 0:
        return plural(months, "month")
    return plural(years, "year") + (f" {plural(months, 'month')}" if months else "")
