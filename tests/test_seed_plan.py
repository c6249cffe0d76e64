"""The bundled transcription of the real seed document (BDHR 2012/13-05)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from dhrtrack.plan import validate
from tests.conftest import SEED_PLAN, SEED_TEXT


@pytest.fixture(scope="module")
def report():
    return validate.run([str(SEED_PLAN)], dt.date(2026, 11, 25))


@pytest.fixture(scope="module")
def plan():
    return yaml.safe_load(SEED_PLAN.read_text(encoding="utf-8"))


def actions(plan):
    return [a for r in plan["recommendations"] for a in r["actions"]]


def test_seed_plan_validates_with_only_the_documents_real_gaps(report):
    assert report.errors == 0
    # The document rates these complete but gives no outcome: gaps to report, never to fill in.
    assert [p.message for p in report.problems] == [
        f"action {i} is rated complete but has no outcome: record what was achieved in 'outcome'"
        for i in ["11.3", "11.4", "12.1", "12.2", "13.1", "14.1", "14.2", "15.1"]
    ]


def test_all_39_recommendations_in_order(plan):
    assert [r["number"] for r in plan["recommendations"]] == list(range(1, 40))
    assert plan["review"]["id"] == "BDHR 2012/13-05"
    assert [r["section"] for r in plan["recommendations"]] == ["overview"] * 9 + ["agency"] * 30


def test_sub_actions_are_separate_and_continuations_merged(plan):
    by_rec = {r["number"]: [a["id"] for a in r["actions"]] for r in plan["recommendations"]}
    assert by_rec[10] == ["10.1", "10.2", "10.3", "10.4"]
    assert by_rec[11] == ["11.1", "11.2", "11.3", "11.4"]
    assert by_rec[12] == ["12.1", "12.2", "12.3"]
    assert by_rec[14] == ["14.1", "14.2"]
    assert by_rec[23] == ["23.1"] and by_rec[34] == ["34.1"] and by_rec[39] == ["39.1"]
    assert len(actions(plan)) == 48
    a = {x["id"]: x for x in actions(plan)}
    assert a["10.2"]["action"].endswith(
        "(2010)’ and to follow the corresponding section within the Safeguarding Vulnerable Adults Policy"
    )
    # Sub-actions keep their order in their ids; their numbering is not repeated in the text.
    assert a["11.4"]["action"].startswith("Amend Safeguarding Vulnerable Adults Policy")
    assert a["23.1"]["action"].endswith("where there is history of violence.")
    assert len(a["34.1"]["milestones"]) == 6
    assert a["39.1"]["milestones"][-1].startswith("The policy is in line with BSCB")


def test_targets_and_ratings_exactly_as_given(plan):
    a = {x["id"]: x for x in actions(plan)}
    assert a["2.1"]["target"] == "2015-09"  # "Sept 2015"
    assert a["17.1"]["target"] == "2013-12"  # "Dec 2013"
    unrated = [i for i, x in a.items() if "rag" not in x]
    assert unrated == ["6.1", "11.2", "12.3", "30.1", "31.1", "32.1", "33.1", "35.1", "36.1", "37.1", "38.1", "39.1"]
    no_target = [i for i, x in a.items() if "target" not in x]
    assert no_target == ["11.2", "11.3", "11.4", "12.3", "28.1", "29.1", "36.1", "37.1", "38.1", "39.1"]
    assert {x.get("rag") for x in a.values()} == {"complete", None}


def test_leads_owners_and_one_name_per_agency(plan):
    a = {x["id"]: x for x in actions(plan)}
    assert (a["10.1"]["lead"], a["10.1"]["owner"]) == (
        "Birmingham and Solihull Mental Health NHS Foundation Trust",
        "Head of Safeguarding; Head of Care Programme Approach",
    )
    assert (a["17.1"]["lead"], a["17.1"]["owner"]) == ("Medical Centre", "Practice Manager")
    assert (a["38.1"]["lead"], a["38.1"]["owner"]) == (
        "Birmingham City Council – Children’s Social Care",
        "Operational Assistant Directors",
    )
    # A blank lead cell on a sub-action row takes the lead above; the owner is not guessed.
    assert a["12.3"]["lead"] == a["12.2"]["lead"] and "owner" not in a["12.3"]
    assert sorted({x["lead"] for x in a.values()}) == [
        "Birmingham City Council – Children’s Social Care",
        "Birmingham Community Healthcare Trust",
        "Birmingham Community Safety Partnership",
        "Birmingham and Solihull Mental Health NHS Foundation Trust",
        "Heart of England NHS Foundation Trust",
        "Medical Centre",
        "West Midlands Police",
    ]


def test_no_markup_or_bullets_survive(plan):
    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    for s in strings(plan):
        assert not re.search(r"</?(p|ul|ol|li|i)\b", s), s
        assert "•" not in s and "*" not in s, s


def test_plan_file_starts_with_the_schema_modeline():
    assert SEED_PLAN.read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=../schema/plan.schema.json"
    )


def test_every_recommendation_of_the_document_is_transcribed(plan):
    numbers = re.findall(r"^(\d+)\.\t", SEED_TEXT.read_text(encoding="utf-8"), flags=re.M)
    assert [int(n) for n in numbers] == [r["number"] for r in plan["recommendations"]]


def test_status_on_the_seed_lists_exactly_the_documents_overdue_and_unrated(tmp_path, monkeypatch, cli):
    import json

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path))
    result = cli("status", str(SEED_PLAN), "--as-of", "2026-11-25", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["reviews"] == [
        {
            "review": "BDHR 2012/13-05",
            "file": str(SEED_PLAN),
            "actions": 48,
            "complete": 36,
            "verified": 0,
            "claimed": 36,
            "green": 0,
            "amber": 0,
            "red": 0,
            "missing_rag": 12,
            "overdue": 6,
            "no_target": 10,
        }
    ]
    # Overdue: a target the document gives, passed, and not rated complete. Most overdue first.
    assert [(r["action"], r["due"], r["days_overdue"], r["rag"]) for r in doc["overdue"]] == [
        ("31.1", "2013-06-30", 4896, None),
        ("32.1", "2013-06-30", 4896, None),
        ("33.1", "2013-06-30", 4896, None),
        ("35.1", "2013-06-30", 4896, None),
        ("30.1", "2014-01-31", 4681, None),
        ("6.1", "2017-04-30", 3496, None),
    ]
    assert [r["action"] for r in doc["missing_rag"]] == [
        "6.1",
        "11.2",
        "12.3",
        "30.1",
        "31.1",
        "32.1",
        "33.1",
        "35.1",
        "36.1",
        "37.1",
        "38.1",
        "39.1",
    ]
