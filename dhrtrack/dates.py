"""Plan dates: targets (YYYY-MM or YYYY-MM-DD), calendar checks and due dates (DESIGN.md §2)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Optional

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


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


def date_problem(text: str, month_allowed: bool) -> Optional[str]:
    """Why text is not an acceptable plan date, or None when it is."""
    valid = due_date(text) if month_allowed else parse_day(text)
    if valid is not None:
        return None
    form = "YYYY-MM or YYYY-MM-DD" if month_allowed else "YYYY-MM-DD"
    if _DAY.match(text) or (month_allowed and _MONTH.match(text)):
        return f"{text!r} is not a real calendar date; write a date that exists ({form})"
    return f"{text!r} is not a date in the form {form}"
