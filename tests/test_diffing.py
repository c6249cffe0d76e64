from __future__ import annotations

import pytest

from dhrtrack.history.changes import Change, describe, diff_plans, is_slip, slip, word_diff


def plan(*actions, review="R 1", number=1):
    return {
        "schema_version": 1,
        "review": {"id": review},
        "recommendations": [{"number": number, "section": "overview", "text": "t", "actions": list(actions)}],
    }


def act(ident, **fields):
    return {"id": ident, "action": "Do it.", "lead": "Police", **fields}


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("2016-02", "2016-06", "slipped 4 months"),
        ("2016-06", "2016-05", "brought forward 1 month"),
        ("2016-02", "2017-02", "slipped 1 year"),
        ("2016-02", "2030-01", "slipped 13 years 11 months"),
        ("2014-01", "2027-06-15", "slipped 13 years 4 months"),  # a month to a day: years, not 4,883 days
        ("2016-02-01", "2016-02-29", "slipped 28 days"),
        ("2016-02", "2016-03-15", "slipped 15 days"),  # 2016-02-29 to 2016-03-15
        ("2016-02", "2016-02-29", None),  # the same due date
    ],
)
def test_slip(old, new, words):
    assert slip(old, new) == words


def test_word_diff_is_short_and_in_context():
    old = "Policy drafted and sent to the board for approval in March with comments."
    new = "Policy drafted and approved by the board in March with comments."
    assert (
        word_diff(old, new)
        == "Policy drafted and [-sent to-] {+approved by+} the board [-for approval-] in March with comments."
    )
    long_old = " ".join(f"w{i}" for i in range(40))
    long_new = long_old.replace("w20", "CHANGED")
    assert word_diff(long_old, long_new) == "… w16 w17 w18 w19 [-w20-] {+CHANGED+} w21 w22 w23 w24 …"


def test_matching_is_by_id_not_position():
    old = plan(act("1.1", rag="red"), act("1.2", rag="amber"))
    new = plan(act("1.2", rag="amber"), act("1.1", rag="red"))  # reordered only
    assert diff_plans(old, new, "p.yaml") == []


def test_every_field_change_is_one_entry():
    old = plan(act("1.1", rag="red", target="2016-02", milestones=["a"], updates=[]))
    new = plan(
        act(
            "1.1",
            rag="amber",
            target="2016-06",
            milestones=["a", "b"],
            updates=[{"date": "2016-03-01", "rag": "amber", "note": "Chased."}],
            lead="Police Service",
        )
    )
    changes = diff_plans(old, new, "p.yaml")
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("lead", "Police", "Police Service"),
        ("milestones", ["a"], ["a", "b"]),
        ("target", "2016-02", "2016-06"),
        ("rag", "red", "amber"),
        ("updates", [], [{"date": "2016-03-01", "rag": "amber", "note": "Chased."}]),
    ]
    assert [describe(c, old, new) for c in changes] == [
        "lead: Police {+Service+}",
        "milestones: + b",
        "target: 2016-02 → 2016-06, slipped 4 months",
        "rag: red → amber",
        "+ update 2016-03-01: rag amber, note: Chased.",
    ]
    assert [is_slip(c) for c in changes] == [False, False, True, False, False]


def test_plan_added_and_removed():
    new = plan(act("1.1"), act("1.2"))
    (added,) = diff_plans(None, new, "p.yaml")
    assert (added.change, added.recommendation, added.action) == ("added", None, None)
    assert describe(added, None, new) == "plan added (1 recommendation, 2 actions)"
    (removed,) = diff_plans(new, None, "p.yaml")
    assert describe(removed, new, None) == "plan removed (1 recommendation, 2 actions)"


def test_review_fields():
    old, new = plan(), plan(review="R 2")
    assert diff_plans(old, new, "p.yaml") == [Change("R 2", "p.yaml", None, None, "changed", "review.id", "R 1", "R 2")]


def test_target_set_removed_and_completion():
    assert describe(Change("r", "f", 1, "1.1", "changed", "target", None, "2016-02")) == "target set: 2016-02"
    assert describe(Change("r", "f", 1, "1.1", "changed", "target", "2016-02", None)) == "target removed (was 2016-02)"
    assert describe(Change("r", "f", 1, "1.1", "changed", "completed", None, "2016-02-03")) == (
        "completion recorded: 2016-02-03"
    )
    assert describe(Change("r", "f", 1, "1.1", "changed", "rag", "green", None)) == "rag: green → unrated"
