"""The core without the CLI: the timeline, diff assembly, chase messages, the board and the update
pipeline, called as functions (no click, no terminal)."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dhrtrack.errors import DhrtrackError
from dhrtrack.history.changes import Change, Diff, diff_revisions, summary
from dhrtrack.history.timeline import timeline
from dhrtrack.plan import edit, store
from dhrtrack.plan.validate import valid_data
from dhrtrack.reports import board, chase, queries
from tests.gitrepo import FIXTURE, evolve

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

AS_OF = dt.date(2024, 3, 15)


# --- history ----------------------------------------------------------------------------------


def test_timeline_of_one_action_gives_each_commit_that_changed_it(repo):
    evolve(repo)
    result = timeline("alpha:1.1")
    assert result.is_action and result.skipped == []
    assert [(e.date, e.rag, e.target) for e in result.entries] == [
        ("2024-01-02", "red", "2024-01"),
        ("2024-01-03", "amber", "2024-06"),
        ("2024-01-04", "amber", "2024-09"),
    ]
    assert [e.descriptions for e in result.entries] == [
        ["action added: Write the protocol. (lead Northshire Police, target 2024-01, rag red)"],
        ["target: 2024-01 → 2024-06, slipped 5 months", "rag: red → amber"],
        ["target: 2024-06 → 2024-09, slipped 3 months"],
    ]
    assert [(e.date, c.old, c.new) for e, c in result.slips] == [
        ("2024-01-03", "2024-01", "2024-06"),
        ("2024-01-04", "2024-06", "2024-09"),
    ]
    assert {e.author for e in result.entries} == {"Coordinator"}


def test_timeline_of_a_plan_follows_its_rename(repo):
    evolve(repo)
    result = timeline("beta-2021")
    assert not result.is_action
    assert [(e.date, [(c.action, c.change, c.field) for c in e.changes]) for e in result.entries] == [
        ("2024-01-02", [(None, "added", None)]),
        ("2024-01-05", [("1.2", "changed", "rag")]),
    ]


def test_timeline_of_an_action_in_no_plan_is_a_usage_error(repo):
    with pytest.raises(DhrtrackError) as raised:
        timeline("9.9")
    assert raised.value.usage
    assert raised.value.message == "no plan named '9.9' and no action with id '9.9' in the plans"


def test_diff_assembly_pairs_renamed_plans_and_orders_by_file(repo):
    evolve(repo)
    result = diff_revisions(["HEAD~3", "HEAD~1"], [])
    assert (result.old_label, result.new_label, result.left_out) == ("HEAD~3", "HEAD~1", [])
    assert [(c.file, c.action, c.field, c.old, c.new) for c, _old, _new in result.changes] == [
        ("plans/alpha.yaml", "1.1", "target", "2024-06", "2024-09"),
        ("plans/beta-2021.yaml", None, "file", "plans/beta.yaml", "plans/beta-2021.yaml"),
        ("plans/beta-2021.yaml", "1.2", "rag", "amber", "red"),
    ]
    assert summary([c for c, _o, _n in result.changes]) == "3 changes in 2 plans: 1 RAG change, 1 target slip."


def test_diff_of_the_work_tree_sees_uncommitted_edits(repo):
    repo.edit("plans/alpha.yaml", "        rag: amber\n", "        rag: red\n")
    result = diff_revisions([], [])
    assert result.new_label == "worktree"
    assert [(c.action, c.field, c.old, c.new) for c, _o, _n in result.changes] == [("2.1", "rag", "amber", "red")]


def test_diff_refuses_three_revisions_as_a_usage_error(repo):
    with pytest.raises(DhrtrackError) as raised:
        diff_revisions(["a", "b", "c"], [])
    assert raised.value.usage


def test_diff_summary_counts_in_words():
    changes = [
        Change("R", "f", 1, "1.1", "added", None, None, None),
        Change("R", "f", 1, "1.2", "added", None, None, None),
        Change("R", "g", 1, "1.3", "changed", "completed", None, "2024-01-01"),
    ]
    assert summary(changes) == "3 changes in 2 plans: 1 completion recorded, 2 actions added."
    assert summary([]) == "No changes to plan data."


# --- reports ----------------------------------------------------------------------------------


@pytest.fixture
def plans(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(FIXTURE, tmp_path / "plans")
    return tmp_path / "plans"


def test_chase_groups_each_open_action_once_under_its_agency(plans):
    loaded = store.load([str(plans)])
    scope = queries.scope(loaded, AS_OF)
    result = chase.build(loaded, scope.canon, AS_OF, 45)
    assert result.reply_by == dt.date(2024, 3, 29)
    got = {
        m.agency: (
            [i.action_id for i in m.overdue],
            [i.action_id for i in m.due_soon],
            [i.action_id for i in m.unrated],
        )
        for m in result.messages
    }
    # As of 15 March 2024, within 45 days: overdue comes first, then due soon, then unrated; 2.1's
    # lead is another spelling of the trust (the first spelling seen wins the tie); 2.2 is overdue
    # and unrated, and is listed once, as overdue; 2.1 is due today, so due soon, not overdue.
    assert got == {
        "Northshire Council & Partners": (["2.2"], [], []),
        "Northshire NHS Foundation Trust": ([], ["2.1"], ["1.3"]),
        "Northshire Police": (["1.1"], [], []),
        "West Mercia Police": ([], ["1.1"], []),
        "West Midlands Police": (["1.2"], [], []),
    }
    assert [m.agency for m in result.messages] == sorted(got, key=str.casefold)
    trust = next(m for m in result.messages if m.agency == "Northshire NHS Foundation Trust")
    assert chase.subject(trust, result.reply_by) == (
        "DHR action plans: 2 actions for Northshire NHS Foundation Trust - update requested by 29 March 2024"
    )
    assert trust.emails == []  # no registry: no address is invented


def test_chase_lead_filter_matches_any_spelling(plans):
    loaded = store.load([str(plans)])
    result = chase.build(loaded, queries.scope(loaded, AS_OF).canon, AS_OF, 45, lead_filter="MIDLANDS")
    assert [m.agency for m in result.messages] == ["West Midlands Police"]
    assert [m.agency for m in chase.build(loaded, str, AS_OF, 45, lead_filter="west m").messages] == [
        "West Mercia Police",
        "West Midlands Police",
    ]


def test_board_totals_rows_and_changes(plans):
    loaded = store.load([str(plans)])
    paper = board.build(queries.scope(loaded, AS_OF))
    assert paper.title == "Domestic Homicide Review action plans: progress report"  # no partnership given
    assert paper.totals == {
        "actions": 7,
        "complete": 1,
        "verified": 0,
        "claimed": 1,
        "green": 1,
        "amber": 2,
        "red": 1,
        "missing_rag": 2,
        "overdue": 3,
        "no_target": 1,
    }
    assert [(r.review, r.action_id, r.action, r.due, r.note) for r in paper.overdue] == [
        ("BETA 2021-07", "1.2", "Publish.", "2022-12-01", "1 year 3 months"),
        ("ALPHA 2020-01", "2.2", "Report to the board | monthly.", "2023-02-28", "1 year"),
        ("ALPHA 2020-01", "1.1", "Write the protocol.", "2024-01-31", "1 month"),
    ]
    assert [(r.action_id, r.note) for r in paper.unrated] == [("1.3", "none"), ("2.2", "2023-02")]
    # Complete on the agency's word: an exception until someone else verifies it.
    assert [(r.review, r.action_id, r.rag) for r in paper.claimed] == [
        (r.review, r.action_id, "complete") for r in paper.claimed
    ]
    assert len(paper.claimed) == 1 and paper.exceptions["claimed"] == 1
    assert paper.left_out == [] and paper.since is None
    assert "since" not in paper.document()
    board.add_changes(
        paper,
        "q4",
        Diff(
            "q4",
            "worktree",
            [
                (Change("ALPHA", "f", 1, "1.1", "changed", "rag", "amber", "complete"), None, None),
                (Change("ALPHA", "f", 1, "1.2", "changed", "completed", None, "2024-02-01"), None, None),
                (Change("ALPHA", "f", 1, "1.3", "changed", "target", "2024-01", "2024-03"), None, None),
            ],
        ),
    )
    assert paper.completed_since == [
        "ALPHA 1.1: rated complete (amber before)",
        "ALPHA 1.2: completion recorded 2024-02-01",
    ]
    assert paper.rag_changes == ["ALPHA 1.1: rag: amber → complete"]
    assert paper.slips == ["ALPHA 1.3: target: 2024-01 → 2024-03, slipped 2 months"]
    assert paper.document()["since"] == "q4"


def test_board_names_the_plans_it_left_out(plans):
    (plans / "broken.yaml").write_text("schema_version: 1\nreview: {id: X}\nrecommendations: 3\n")
    paper = board.build(queries.scope(store.load([str(plans)]), AS_OF))
    assert paper.left_out == [
        f"{plans / 'broken.yaml'}:3:18: error: recommendations must be a list, found the number 3\n"
        f"  {plans / 'broken.yaml'} is invalid and left out of this report; "
        f"see: dhrtrack validate {plans / 'broken.yaml'}"
    ]


# --- the update pipeline ------------------------------------------------------------------------

PLAN = textwrap.dedent("""\
    schema_version: 1
    review:
      id: R 1   # a comment that must survive
    recommendations:
      - number: 1
        section: overview
        text: T.
        actions:
          - id: "1.1"
            action: Do it.
            lead: Police
            target: 2024-01
""").encode()


def test_update_pipeline_returns_text_diff_and_warnings_and_writes_nothing(tmp_path):
    file = str(tmp_path / "p.yaml")
    change = edit.ActionUpdate(dt.date(2024, 3, 1), rag="green", note="On track, they say.")
    edited = edit.update_action(file, PLAN, "1.1", change, dt.date(2024, 3, 1))
    assert not (tmp_path / "p.yaml").exists()
    assert edited.changes == ["rag unrated → green"]
    assert edited.entry == {"date": "2024-03-01", "rag": "green", "note": "On track, they say."}
    assert edited.text == PLAN.decode() + (
        "        rag: green\n        updates:\n          - date: 2024-03-01\n            rag: green\n"
        "            note: On track, they say.\n"
    )
    assert edited.diff.startswith(f"--- a/{file}\n+++ b/{file}\n")
    assert [w.message for w in edited.warnings] == [
        "action 1.1 is rated green but was due 2024-01-31 (30 days before 2024-03-01): "
        "review the rating, or record a new target"
    ]
    data, problem = valid_data(edited.text.encode(), file)
    assert problem is None and data["recommendations"][0]["actions"][0]["rag"] == "green"


def test_update_pipeline_refusals():
    day = dt.date(2024, 3, 1)
    with pytest.raises(DhrtrackError, match="nothing to record") as raised:
        edit.update_action("p.yaml", PLAN, "1.1", edit.ActionUpdate(day), day)
    assert raised.value.usage
    with pytest.raises(DhrtrackError, match="rating it complete needs one"):
        edit.update_action("p.yaml", PLAN, "1.1", edit.ActionUpdate(day, rag="complete"), day)
    with pytest.raises(DhrtrackError, match="is not a valid plan now"):
        edit.update_action("p.yaml", PLAN + b"  oops: [\n", "1.1", edit.ActionUpdate(day, rag="red"), day)
    assert edit.needs_outcome(edit.ActionUpdate(day, rag="complete"), has_outcome=False)
    assert not edit.needs_outcome(edit.ActionUpdate(day, rag="complete"), has_outcome=True)


def test_find_action_resolves_references_among_loaded_plans(plans):
    loaded = store.load([str(plans)])
    assert store.find_action(loaded, "alpha:1.1").plan.name == "alpha"
    assert store.find_action(loaded, "2.2").action.lead == "Northshire Council & Partners"
    with pytest.raises(DhrtrackError, match="in several plans; say which: alpha:1.2, beta:1.2") as raised:
        store.find_action(loaded, "1.2")
    assert raised.value.usage
    with pytest.raises(DhrtrackError, match="no plan named 'gamma'"):
        store.find_action(loaded, "gamma:1.1")


def test_loaded_data_comes_from_the_content_cache(plans, monkeypatch):
    store.load([str(plans)], detail=store.DATA)  # fills the content cache
    loaded = store.load([str(plans)])
    monkeypatch.setattr(store, "check_bytes", lambda *a: pytest.fail("parsed again"))
    data = loaded.data(loaded.plans[0])
    assert data["review"]["id"] == "ALPHA 2020-01"


# --- the update pipeline as a property ------------------------------------------------------------

update_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    note=st.one_of(st.none(), update_text),
    outcome=st.one_of(st.none(), update_text),
    rag=st.sampled_from([None, "red", "amber", "green", "complete"]),
    target=st.one_of(st.none(), st.sampled_from(["2024-06", "2024-02-29", "2025-12"])),
)
@example(note="2016-02-30", outcome=None, rag=None, target=None)
@example(note="a: b # c", outcome="=1+1\n\n- x", rag="complete", target=None)
@example(note="\x1b[2J", outcome=None, rag=None, target=None)
def test_update_gives_a_valid_plan_or_refuses_cleanly(note, outcome, rag, target):
    day = dt.date(2024, 3, 1)
    change = edit.ActionUpdate(day, rag=rag, target=target, outcome=outcome, note=note)
    try:
        edited = edit.update_action("p.yaml", PLAN, "1.1", change, day)
    except DhrtrackError:
        return  # refused with a message (nothing to record, an outcome needed, text the plan cannot hold)
    data, problem = valid_data(edited.text.encode("utf-8"), "p.yaml")
    assert problem is None, problem
    action = data["recommendations"][0]["actions"][0]
    assert action["updates"][-1]["date"] == "2024-03-01"
    if rag is not None:
        assert action["rag"] == rag
    before = PLAN.decode().splitlines()
    after = edited.text.splitlines()
    assert after[: len(before) - 1] == before[:-1]  # the lines before the action's last one are untouched


TWO_ACTIONS = textwrap.dedent("""\
    schema_version: 1
    review:
      id: R 2
    recommendations:
      - number: 1
        section: overview
        text: T.
        actions:
          - id: "1.1"
            action: Do it.
            lead: Police
            target: 2024-01
            evidence:
              - Minutes of March.   # kept
            updates:
              - date: 2023-12-01
                note: Started.
          - id: "1.2"
            action: Do the other thing.
            lead: Police
            rag: amber
""").encode()


def test_updates_to_several_actions_are_made_in_one_edit_with_evidence_and_a_source():
    day = dt.date(2024, 3, 1)
    changes = [
        (
            "1.2",
            edit.ActionUpdate(
                day, rag="complete", outcome="Done.", completed=dt.date(2024, 2, 1), by="Police", source="police.xlsx"
            ),
        ),
        (
            "1.1",
            edit.ActionUpdate(
                day, target="2024-06", evidence="Audit report, May.", note="Slipped.", by="Police", source="police.xlsx"
            ),
        ),
    ]
    edited = edit.update_actions("p.yaml", TWO_ACTIONS, changes, day)
    assert edited.text == textwrap.dedent("""\
        schema_version: 1
        review:
          id: R 2
        recommendations:
          - number: 1
            section: overview
            text: T.
            actions:
              - id: "1.1"
                action: Do it.
                lead: Police
                target: 2024-06
                evidence:
                  - Minutes of March.   # kept
                  - Audit report, May.
                updates:
                  - date: 2023-12-01
                    note: Started.
                  - date: 2024-03-01
                    target: 2024-06
                    evidence: Audit report, May.
                    note: Slipped.
                    by: Police
                    source: police.xlsx
              - id: "1.2"
                action: Do the other thing.
                lead: Police
                outcome: Done.
                rag: complete
                completed: 2024-02-01
                updates:
                  - date: 2024-03-01
                    rag: complete
                    completed: 2024-02-01
                    outcome: Done.
                    by: Police
                    source: police.xlsx
    """)
    assert [(a.ident, a.changes) for a in edited.actions] == [
        ("1.2", ["rag amber → complete", "outcome recorded", "completed 1 February 2024"]),
        ("1.1", ["target 2024-01 → 2024-06", "evidence added"]),
    ]


def test_one_batch_edit_equals_the_same_updates_made_one_at_a_time():
    day = dt.date(2024, 3, 1)
    changes = [
        ("1.1", edit.ActionUpdate(day, rag="red", evidence="E.", note="N.")),
        ("1.2", edit.ActionUpdate(day, target="2025-01", note="Later.")),
    ]
    raw = TWO_ACTIONS
    for ident, change in changes:
        raw = edit.update_action("p.yaml", raw, ident, change, day).text.encode()
    assert edit.update_actions("p.yaml", TWO_ACTIONS, changes, day).text.encode() == raw


def test_an_action_edited_twice_in_one_batch_is_refused():
    day = dt.date(2024, 3, 1)
    change = edit.ActionUpdate(day, rag="red")
    with pytest.raises(DhrtrackError, match="edited twice"):
        edit.update_actions("p.yaml", TWO_ACTIONS, [("1.1", change), ("1.1", change)], day)


def test_the_collector_is_paused_and_then_as_it_was():
    import gc

    from dhrtrack import collector

    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
    with pytest.raises(KeyError), collector.paused():
        raise KeyError("x")
    assert gc.isenabled()
