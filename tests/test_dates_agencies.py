from __future__ import annotations

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from dhrtrack.plan.dates import date_problem, due_date, parse_day
from dhrtrack.plan.spelling import spelling_key, spelling_variants


def test_month_target_is_due_on_the_last_day():
    assert due_date("2014-01") == dt.date(2014, 1, 31)
    assert due_date("2016-02") == dt.date(2016, 2, 29)  # leap year
    assert due_date("2015-02") == dt.date(2015, 2, 28)
    assert due_date("2100-02") == dt.date(2100, 2, 28)  # not a leap year
    assert due_date("2014-04-15") == dt.date(2014, 4, 15)


def test_impossible_dates():
    assert due_date("2016-02-30") is None
    assert due_date("2015-02-29") is None
    assert due_date("2016-13") is None
    assert due_date("0000-01") is None
    assert parse_day("2021-06") is None
    assert date_problem("2016-02-30", month_allowed=True) == (
        "'2016-02-30' is not a real calendar date; write a date that exists (YYYY-MM or YYYY-MM-DD)"
    )
    assert date_problem("2021-06", month_allowed=False) == "'2021-06' is not a date in the form YYYY-MM-DD"
    assert date_problem("2024-02-29", month_allowed=False) is None


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_every_real_day_round_trips(day):
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    assert parse_day(text) == day
    assert due_date(text) == day
    month = due_date(text[:7])
    assert month.year == day.year and month.month == day.month and month >= day
    if month < dt.date.max:
        assert (month + dt.timedelta(days=1)).day == 1


@st.composite
def day_shaped(draw) -> str:
    """YYYY-MM-DD text, real days and impossible ones (2016-02-30, 2021-13-01, 0000-01-01), half
    of them damaged in one place: a character inserted, replaced or deleted (a digit, a separator,
    a space or line break, a non-ASCII digit). Arbitrary text is almost never date-shaped, so a
    test drawing it alone would never see a day parsed."""
    text = f"{draw(st.integers(0, 9999)):04d}-{draw(st.integers(0, 13)):02d}-{draw(st.integers(0, 32)):02d}"
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text) - 1))
        char = draw(st.sampled_from("07-/. \n\u0663"))
        how = draw(st.sampled_from(["insert", "replace", "delete", "append"]))
        if how == "append":
            text += char
        else:
            text = text[:at] + ("" if how == "delete" else char) + text[at + (how != "insert") :]
    return text


@given(st.one_of(day_shaped(), st.text()))
@example("0001-01-01\n")  # "$" in the pattern let a trailing line break through
def test_parse_day_never_misparses(text):
    day = parse_day(text)
    assert day is None or day.isoformat() == text


def test_spelling_key_matches_only_spelling_differences():
    same = [
        (
            "Birmingham and Solihull Mental Health NHS Foundation Trust",
            "Birmingham and Solihull Mental Health Foundation NHS Trust",
        ),
        ("Health & Social Care", "health and social care"),
        ("West  Midlands Police.", "West Midlands Police"),
        ("Birmingham City Council – Children's Social Care", "Birmingham City Council, Children's Social Care"),
    ]
    for a, b in same:
        assert spelling_key(a) == spelling_key(b), (a, b)
    different = [
        ("Coventry Community Safety Partnership", "Solihull Community Safety Partnership"),
        ("West Midlands Police", "West Mercia Police"),
        ("Medical Centre", "Medical Centre Practice"),
    ]
    for a, b in different:
        assert spelling_key(a) != spelling_key(b), (a, b)


def test_spelling_variants_prefers_the_most_used_spelling():
    names = [
        ("NHS Foundation Trust", 1),
        ("NHS Foundation Trust", 2),
        ("Foundation NHS Trust", 3),
        ("West Mercia Police", 4),
        ("West Midlands Police", 5),
    ]
    assert spelling_variants(names) == {3: "NHS Foundation Trust"}


def test_spelling_variants_tie_goes_to_first_seen():
    assert spelling_variants([("A & B", "x"), ("A and B", "y")]) == {"y": "A & B"}
