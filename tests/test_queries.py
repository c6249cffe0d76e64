from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhrtrack.agencies import spelling_canon
from dhrtrack.plan.dates import duration_words, months_between
from dhrtrack.plan.model import build, is_due_within, is_overdue
from dhrtrack.reports import queries
from dhrtrack.reports.queries import Filters, select


def plan(actions, file="plans/p.yaml", review="P 1"):
    return build(
        file,
        {
            "review": {"id": review},
            "recommendations": [{"number": 1, "section": "overview", "text": "t", "actions": actions}],
        },
    )


def act(ident, target=None, rag=None, lead="Police"):
    a = {"id": ident, "action": "a", "lead": lead}
    if target:
        a["target"] = target
    if rag:
        a["rag"] = rag
    return a


def overdue_ids(p, as_of):
    return [a.id for _p, a in queries.overdue(select([p], Filters()), as_of)]


def test_month_target_is_due_at_month_end_not_before():
    p = plan([act("1", "2014-01")])
    assert overdue_ids(p, dt.date(2014, 1, 31)) == []  # due that day: not yet overdue
    assert overdue_ids(p, dt.date(2014, 2, 1)) == ["1"]


def test_leap_year_month_end():
    p = plan([act("1", "2016-02")])
    assert overdue_ids(p, dt.date(2016, 2, 29)) == []
    assert overdue_ids(p, dt.date(2016, 3, 1)) == ["1"]
    p = plan([act("1", "2015-02")])
    assert overdue_ids(p, dt.date(2015, 3, 1)) == ["1"]


def test_day_target_due_that_day():
    p = plan([act("1", "2024-02-29")])
    assert overdue_ids(p, dt.date(2024, 2, 29)) == []
    assert overdue_ids(p, dt.date(2024, 3, 1)) == ["1"]


def test_complete_never_overdue_and_no_target_never_overdue():
    p = plan([act("1", "2014-01", "complete"), act("2"), act("3", "2014-01", "green"), act("4", "2014-01", "red")])
    assert overdue_ids(p, dt.date(2020, 1, 1)) == ["3", "4"]


def test_overdue_order_most_overdue_then_review_then_document_order():
    a = plan([act("2", "2015-01"), act("1", "2015-01"), act("3", "2014-06")], "plans/b.yaml", "B")
    b = plan([act("9", "2015-01")], "plans/a.yaml", "A")
    pairs = queries.overdue(select([a, b], Filters()), dt.date(2020, 1, 1))
    assert [(p.review, x.id) for p, x in pairs] == [("B", "3"), ("A", "9"), ("B", "2"), ("B", "1")]


def test_summary_counts():
    p = plan(
        [
            act("1", "2014-01", "complete"),
            act("2"),
            act("3", "2030-01", "green"),
            act("4", "2014-01", "red"),
            act("5", "2014-01", "amber"),
        ]
    )
    (row,) = queries.summary(select([p], Filters()), dt.date(2020, 1, 1))
    assert row == {
        "review": "P 1",
        "file": "plans/p.yaml",
        "actions": 5,
        "complete": 1,
        "verified": 0,
        "claimed": 1,
        "green": 1,
        "amber": 1,
        "red": 1,
        "missing_rag": 1,
        "overdue": 2,
        "no_target": 1,
    }


def test_due_within_window_is_inclusive_and_skips_complete():
    p = plan(
        [
            act("1", "2024-03-15", "amber"),
            act("2", "2024-04-14"),
            act("3", "2024-04-15"),
            act("4", "2024-03-20", "complete"),
            act("5", "2024-03-14"),
        ]
    )
    pairs = queries.due_within(select([p], Filters()), dt.date(2024, 3, 15), 30)
    assert [a.id for _p, a in pairs] == ["1", "2"]


def test_filters_are_case_insensitive_substrings_and_count_hidden():
    p = plan(
        [act("1", lead="Birmingham City Council – Children’s Social Care"), act("2", lead="West Midlands Police")],
        "plans/bdhr-2012.yaml",
        "BDHR 2012/13-05",
    )
    scoped = select([p], Filters(lead="children's social"))  # straight apostrophe matches the curly one
    assert [a.id for _p, a in scoped.pairs()] == ["1"] and scoped.hidden == 1
    assert select([p], Filters(review="bdhr-2012")).hidden == 0  # the file name counts too
    assert select([p], Filters(review="nsdhr")).count == 0


def test_spelling_canon_prefers_most_used():
    p = plan([act("1", lead="A & B Trust"), act("2", lead="A and B Trust"), act("3", lead="A and B Trust")])
    canon = spelling_canon([p])
    assert canon("A & B Trust") == "A and B Trust"
    assert canon("Unknown") == "Unknown"


def test_agencies_rows():
    p = plan(
        [act("1", "2014-01", "red", "Police"), act("2", "2013-01", None, "police."), act("3", None, "complete", "NHS")]
    )
    rows = queries.agencies(select([p], Filters()), dt.date(2014, 3, 1), spelling_canon([p]))
    assert [
        (r["agency"], r["actions"], r["open"], r["overdue"], r["missing_rag"], r["percent_complete"]) for r in rows
    ] == [("Police", 2, 2, 2, 1, 0), ("NHS", 1, 0, 0, 0, 100)]
    assert rows[0]["oldest_overdue"] == {
        "review": "P 1",
        "file": "plans/p.yaml",
        "action": "2",
        "due": "2013-01-31",
        "days_overdue": 394,
    }


@pytest.mark.parametrize(
    "start, end, words",
    [
        ("2024-01-31", "2024-01-31", "0 days"),
        ("2024-01-31", "2024-02-01", "1 day"),
        ("2024-01-31", "2024-02-29", "1 month"),  # month-end to month-end
        ("2024-01-31", "2024-03-15", "1 month"),
        ("2022-12-01", "2024-03-15", "1 year 3 months"),
        ("2013-06-30", "2026-11-25", "13 years 4 months"),
        ("2017-04-30", "2026-11-25", "9 years 6 months"),
        ("2020-02-29", "2021-02-28", "1 year"),
        ("2024-03-15", "2026-03-15", "2 years"),
    ],
)
def test_duration_words(start, end, words):
    assert duration_words(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == words


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)), st.integers(0, 5000))
def test_months_between_is_consistent(start, days):
    end = start + dt.timedelta(days=days)
    months, rest = months_between(start, end)
    assert months >= 0 and rest >= 0
    assert rest < 31


# --- the figures path: whole plans answered from each plan's figures ---------------------------

TARGETS = st.one_of(
    st.none(),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2013, 2016), st.integers(1, 12)),
    st.dates(dt.date(2013, 1, 1), dt.date(2016, 12, 31)).map(dt.date.isoformat),
)
ACTIONS = st.lists(
    st.tuples(TARGETS, st.sampled_from([None, "red", "amber", "green", "complete"]), st.sampled_from(["A", "B", "a"])),
    max_size=12,
)


def plans_of(specs):
    return [
        plan(
            [act(f"{i}", target, rag, lead) for i, (target, rag, lead) in enumerate(actions)],
            file=f"plans/{n:02d}.yaml",
            review=f"R {n % 3}",  # reviews repeat: files break the ties
        )
        for n, actions in enumerate(specs)
    ]


def cached(plans):
    """The plans as a report reads them back from the cache: actions packed, figures kept."""
    from dhrtrack.plan.model import Plan

    return [Plan.from_tuple(p.file, p.to_tuple()) for p in plans]


def listed(pairs):
    return [(p.file, a) for p, a in pairs]


def expected_pairs(plans, keep, key):
    """The meaning, worked out from each action directly: the actions kept, in key order."""
    ranks = {id(p): r for r, p in enumerate(sorted(plans, key=lambda p: (p.review, p.file)))}
    found = [(p, a) for p in plans for a in p.actions if keep(a)]
    return [(p.file, a) for p, a in sorted(found, key=lambda pa: key(pa[1], ranks[id(pa[0])]))]


@given(
    st.lists(ACTIONS, max_size=6),
    st.dates(dt.date(2012, 12, 1), dt.date(2017, 2, 1)),
    st.integers(0, 400),
    st.sampled_from([None, "a", "b", "nobody"]),
)
def test_queries_answer_from_figures_as_the_meanings_say(specs, as_of, days, lead):
    """Every query, on whole plans (the cache's figures) and on the part a lead filter leaves,
    gives what the meanings of docs/design.md §2 give when worked out action by action."""
    plans = cached(plans_of(specs))
    scoped = select(plans, Filters(lead=lead))
    kept = [p for p in plans_of(specs)]
    wanted = (lambda a: True) if lead is None else (lambda a: lead in a.lead.casefold())
    by_due = lambda a, rank: (a.due_ordinal or 0, rank, a.order)  # noqa: E731
    overdue = lambda a: wanted(a) and is_overdue(a.due, a.rag, as_of)  # noqa: E731
    due_soon = lambda a: wanted(a) and is_due_within(a.due, a.rag, as_of, days)  # noqa: E731
    assert listed(queries.overdue(scoped, as_of)) == expected_pairs(kept, overdue, by_due)
    assert listed(queries.due_within(scoped, as_of, days)) == expected_pairs(kept, due_soon, by_due)
    in_order = [(p.file, a) for p in kept for a in p.actions if wanted(a) and a.rag is None]
    assert listed(queries.missing_rag(scoped)) == in_order
    red_amber = lambda a, rank: (a.rag != "red", a.due_ordinal or 0, rank, a.order)  # noqa: E731
    assert listed(queries.red_and_amber(scoped)) == expected_pairs(
        kept, lambda a: wanted(a) and a.rag in ("red", "amber"), red_amber
    )
    assert queries.count_overdue(scoped, as_of) == sum(overdue(a) for p in kept for a in p.actions)
    assert queries.count_unrated(scoped) == len(in_order)
    assert scoped.count == sum(wanted(a) for p in kept for a in p.actions)
    rows = queries.summary(scoped, as_of)
    expected_rows = []
    hid = any(not wanted(a) for p in kept for a in p.actions)
    for p in kept:
        mine = [a for a in p.actions if wanted(a)]
        if mine or not hid:  # a review the filter emptied is left out
            expected_rows.append(
                (p.file, len(mine), sum(a.rag == "complete" for a in mine), sum(overdue(a) for a in mine))
            )
    assert [(r["file"], r["actions"], r["complete"], r["overdue"]) for r in rows] == expected_rows
    canon, expected = spelling_canon(cached(plans)), spelling_canon(plans_of(specs))
    assert [canon(name) for name in ("A", "a", "B")] == [expected(name) for name in ("A", "a", "B")]


def test_a_table_reads_only_the_plans_whose_actions_it_shows():
    plans = cached(plans_of([[("2014-01", None, "A")], [("2015-01", "red", "A")], [("2013-01", "amber", "A")]]))
    overdue = queries.overdue(select(plans, Filters()), dt.date(2016, 1, 1))
    assert len(overdue) == 3 and all(p._packed is not None for p in plans)  # counted, none read
    assert listed(overdue[:1]) == [("plans/02.yaml", plans[2].actions[0])]
    assert [p._packed is None for p in plans] == [False, False, True]  # only the first row's plan
    assert [a.id for _p, a in overdue] == ["0", "0", "0"] and overdue[-1][0] is plans[1]


def test_cached_plan_keeps_its_actions_and_figures():
    original = plans_of([[("2014-01", None, "A"), (None, "complete", "B"), ("2015-06-30", "red", "A")]])[0]
    back = cached([original])[0]
    assert back.actions == original.actions and back.figures == original.figures
    assert back.figures.leads == [("A", 2), ("B", 1)] and back.figures.unrated_orders == [0]


def test_a_damaged_cached_model_is_an_error_that_says_what_to_do():
    import marshal

    from dhrtrack.errors import DhrtrackError
    from dhrtrack.plan.model import Plan

    review, title, partnership, kind, figures, _packed = plans_of([[("2014-01", None, "A")]])[0].to_tuple()
    damaged = Plan.from_tuple("plans/x.yaml", (review, title, partnership, kind, figures, marshal.dumps([("short",)])))
    with pytest.raises(DhrtrackError, match="plans/x.yaml: the cached model .* --no-cache"):
        _ = damaged.actions
    with pytest.raises(ValueError):
        Plan.from_tuple("plans/x.yaml", (review, title, partnership, figures, _packed))  # a cache of the old shape
