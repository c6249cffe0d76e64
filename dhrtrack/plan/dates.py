"""Plan dates: targets (YYYY-MM or YYYY-MM-DD), calendar checks, due dates (docs/design.md §2),
month arithmetic and durations in words."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Optional, Tuple

from dhrtrack.i18n import _, n_

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


# --- plausibility ---------------------------------------------------------------------------

# Domestic homicide reviews began in England and Wales in 2011: a plan date before 1990, or more
# than 50 years ahead, is a slip ("0001-01", "9999-12-31") or a spreadsheet's serial number read
# wrong (-5 as 1899), never a date anyone meant.
EARLIEST_YEAR = 1990
YEARS_AHEAD = 50


def implausible(value: str, what: str, today: Optional[dt.date] = None) -> Optional[str]:
    """Why a date (YYYY-MM or YYYY-MM-DD text) written as `what` ("the target") cannot be meant,
    or None: the one plausibility rule for update, apply and import."""
    latest = (today or dt.date.today()).year + YEARS_AHEAD
    year = int(value[:4]) if value[:4].isdigit() else 0
    if EARLIEST_YEAR <= year <= latest:
        return None
    return f"{what} {value} is not a plausible date: a plan's dates fall between {EARLIEST_YEAR} and {latest}"


def completion_problem(completed: dt.date, recorded: dt.date, today: Optional[dt.date] = None) -> Optional[str]:
    """Why a completion date recorded by an update of `recorded` cannot be right, or None: the one
    rule for `update` and `apply`. It is never after the update's date, nor in the future."""
    if completed > recorded:
        return f"is after {recorded.isoformat()}, the date of this update"
    today = today or dt.date.today()
    if completed > today:
        return f"is in the future (today is {today.isoformat()}): record a completion once it has happened"
    return None


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
    """How long from start to end in words: "2 years 3 months", "5 months", "12 days". The one
    wording of a duration: overdue, late, slipped, in every output."""
    if end <= start:
        return _days(0)
    months, days = months_between(start, end)
    if months == 0:
        return _days(days)
    return months_words(months)


def _days(n: int) -> str:
    return n_("{n} day", "{n} days", n).format(n=n)


def months_words(months: int) -> str:
    """A number of months in words: "1 year 5 months", "2 years", "5 months"."""
    years, months = divmod(months, 12)
    said = n_("{n} month", "{n} months", months).format(n=months)
    if years == 0:
        return said
    said_years = n_("{n} year", "{n} years", years).format(n=years)
    # The join is the language's: Welsh writes "13 blynedd, 4 mis" (no a/ac to agree with the number).
    return _("{years} {months}").format(years=said_years, months=said) if months else said_years
