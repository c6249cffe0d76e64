"""The register of national recommendations: the Commissioner's table, the unanswered list and
repeats, each checked against an independent count; the similarity measure scored on labelled
pairs."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dhrtrack.reports import register

PAIRS = yaml.safe_load((Path(__file__).parent / "data" / "register-pairs.yaml").read_text(encoding="utf-8"))
AS_OF = dt.date(2026, 12, 1)


def scores(threshold: float):
    said = [(pair["same"], register.similarity(pair["a"], pair["b"]) >= threshold) for pair in PAIRS]
    true_positive = sum(1 for same, found in said if same and found)
    precision = true_positive / max(1, sum(1 for _same, found in said if found))
    recall = true_positive / sum(1 for same, _found in said if same)
    return precision, recall


def test_the_similarity_measure_on_labelled_pairs_has_the_precision_and_recall_the_docs_state():
    precision, recall = scores(register.THRESHOLD)
    assert (len(PAIRS), round(precision, 2), round(recall, 2)) == (30, 1.0, 0.93)
    page = (Path(__file__).parent.parent / "docs" / "register.md").read_text(encoding="utf-8")
    assert "a precision of 1.00 and a recall of 0.93 on 30 labelled pairs" in " ".join(page.split())
    assert f"default {register.THRESHOLD}" in page


def test_similarity_is_symmetric_and_one_for_the_same_text():
    a, b = PAIRS[0]["a"], PAIRS[0]["b"]
    assert register.similarity(a, b) == register.similarity(b, a)
    assert round(register.similarity(a, a), 6) == 1.0
    assert register.similarity("", a) == 0.0


ADDRESSEES = [
    "Home Office",
    "home office",
    "Department of Health and Social Care",
    "NHS England",
    "Ministry of Justice",
]
TEXTS = [pair["a"] for pair in PAIRS if not pair["same"]]


def corpus(seed: int):
    """Plans of national, regional and local recommendations, with responses at every stage."""
    rng = random.Random(seed)
    plans = []
    for n in range(40):
        recs = []
        for number in range(1, rng.randint(2, 6)):
            scope = rng.choice(["local", "local", "regional", "national", "national"])
            rec = {"number": number, "text": rng.choice(TEXTS), "scope": scope, "actions": []}
            if scope != "local" and rng.random() < 0.9:
                rec["addressee"] = rng.choice(ADDRESSEES)
                stage = rng.random()
                response = {}
                if stage > 0.15:
                    response["sent"] = (AS_OF - dt.timedelta(days=rng.randint(10, 700))).isoformat()
                if stage > 0.4:
                    response["acknowledged"] = response["sent"]
                if stage > 0.6:
                    response["received"] = response["sent"]
                    response["outcome"] = rng.choice(register.OUTCOMES)
                if response:
                    rec["response"] = response
            recs.append(rec)
        plans.append((f"plans/p{n}.yaml", {"review": {"id": f"R {n:03d}"}, "recommendations": recs}))
    return plans


def test_the_commissioners_table_matches_an_independent_count():
    plans = corpus(7)
    made = register.build(plans, AS_OF)
    expected: dict = {}
    for _file, plan in plans:
        for rec in plan["recommendations"]:
            if rec["scope"] == "local" and "addressee" not in rec:
                continue
            name = (rec.get("addressee") or "(no addressee)").replace("home office", "Home Office")
            outcome = (rec.get("response") or {}).get("outcome") or "awaiting"
            expected.setdefault(name, Counter())[outcome] += 1
    got = {row["addressee"]: row for row in made.by_addressee if row["addressee"] != "Total"}
    assert set(got) == set(expected)
    for name, counts in expected.items():
        assert got[name]["recommendations"] == sum(counts.values())
        for outcome in register.OUTCOMES + ("awaiting",):
            assert got[name][outcome] == counts[outcome]
    total = made.by_addressee[-1]
    assert total["addressee"] == "Total" and total["recommendations"] == sum(sum(c.values()) for c in expected.values())


def test_unacknowledged_and_overdue_for_a_response_match_an_independent_count():
    plans = corpus(11)
    made = register.build(plans, AS_OF)
    expected = set()
    for _file, plan in plans:
        for rec in plan["recommendations"]:
            response = rec.get("response") or {}
            if not response.get("sent") or response.get("received"):
                continue
            days = (AS_OF - dt.date.fromisoformat(response["sent"])).days
            if not response.get("acknowledged") or days > 183:
                expected.add((plan["review"]["id"], rec["number"], days))
    assert {(r["review"], r["recommendation"], r["days"]) for r in made.waiting} == expected
    assert [r["days"] for r in made.waiting] == sorted((r["days"] for r in made.waiting), reverse=True)


def test_repeats_group_near_duplicates_to_one_addressee_across_reviews_only():
    same_pair = next(p for p in PAIRS if p["same"] and "Home Office" in p["a"])
    plans = [
        (
            "a.yaml",
            {
                "review": {"id": "A 1"},
                "recommendations": [
                    {
                        "number": 1,
                        "text": same_pair["a"],
                        "scope": "national",
                        "addressee": "Home Office",
                        "actions": [],
                    },
                    {
                        "number": 2,
                        "text": same_pair["b"],
                        "scope": "national",
                        "addressee": "Home Office",
                        "actions": [],
                    },
                ],
            },
        ),
        (
            "b.yaml",
            {
                "review": {"id": "B 1"},
                "recommendations": [
                    {
                        "number": 3,
                        "text": same_pair["b"],
                        "scope": "national",
                        "addressee": "home office",
                        "actions": [],
                    },
                ],
            },
        ),
        (
            "c.yaml",
            {
                "review": {"id": "C 1"},
                "recommendations": [
                    {
                        "number": 1,
                        "text": same_pair["a"],
                        "scope": "national",
                        "addressee": "NHS England",
                        "actions": [],
                    },
                ],
            },
        ),
    ]
    found = register.build(plans, AS_OF).repeats
    assert [(g["addressee"], [(i["review"], i["recommendation"]) for i in g["items"]]) for g in found] == [
        ("Home Office", [("A 1", 1), ("A 1", 2), ("B 1", 3)]),
    ]
    assert found[0]["similarity"] == 1.0


WORDS = "home office guidance police health training victims older advocacy housing probation risk data".split()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=9).map(" ".join), min_size=0, max_size=25),
    st.sampled_from([0.0, 0.2, 0.5, 0.7, 0.95, 1.0]),
)
def test_alike_pairs_finds_exactly_the_pairs_comparing_every_two_texts_finds(texts, threshold):
    every = {
        (i, j)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if register.similarity(texts[i], texts[j]) >= threshold
    }
    found = {(i, j) for i, j, _alike in register.alike_pairs(texts, threshold)}
    # the same pairs, give or take a pair whose similarity is the threshold to within rounding
    borderline = {(i, j) for i, j in every ^ found if abs(register.similarity(texts[i], texts[j]) - threshold) < 1e-9}
    assert every ^ found == borderline


LONG_WORDS = [f"term{n}" for n in range(90)]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(LONG_WORDS), min_size=66, max_size=90, unique=True).map(" ".join),
        min_size=2,
        max_size=8,
    ).flatmap(lambda texts: st.permutations(texts + [texts[0] + " " + texts[1]])),
    st.sampled_from([0.3, 0.5, 0.8]),
)
def test_alike_pairs_is_exact_for_texts_of_more_terms_than_a_lane_of_one_byte_counts(texts, threshold):
    """Texts of over 127 terms: the shared counts take two bytes a text, and still every pair
    is found (a text that joins two others is alike to both)."""
    assert max(len(register.terms(text)) for text in texts) > 127
    every = {
        (i, j)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if register.similarity(texts[i], texts[j]) >= threshold
    }
    found = {(i, j) for i, j, _alike in register.alike_pairs(texts, threshold)}
    borderline = {(i, j) for i, j in every ^ found if abs(register.similarity(texts[i], texts[j]) - threshold) < 1e-9}
    assert every ^ found == borderline


def every_pair_repeats(found, threshold):
    """The repeats as comparing every two recommendations finds them: the reference."""
    names = register.addressee_names(found)
    by_name: dict = {}
    for entry in found:
        if entry.addressee:
            by_name.setdefault(names[entry.addressee], []).append(entry)
    groups = set()
    for name, held in by_name.items():
        parent = list(range(len(held)))
        best: dict = {}
        for i in range(len(held)):
            for j in range(i + 1, len(held)):
                alike = register.similarity(held[i].text, held[j].text)
                if held[i].review != held[j].review and alike >= threshold:
                    parent[register._root(parent, j)] = register._root(parent, i)
                    best[i], best[j] = max(best.get(i, 0), alike), max(best.get(j, 0), alike)
        members: dict = {}
        for i in best:
            members.setdefault(register._root(parent, i), []).append(i)
        for items in members.values():
            groups.add(
                (
                    name,
                    round(max(best[i] for i in items), 2),
                    frozenset((held[i].review, held[i].number) for i in items),
                )
            )
    return groups


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A 1", "B 2", "C 3"]),
            st.sampled_from(["Home Office", "home office", "NHS England"]),
            st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join),
        ),
        max_size=30,
    ),
    st.sampled_from([0.3, 0.5, 0.8, 1.0]),
)
def test_repeats_are_the_groups_comparing_every_two_recommendations_finds(rows, threshold):
    found = [
        register.Entry(review, f"{review}.yaml", number, "national", addressee, text)
        for number, (review, addressee, text) in enumerate(rows, start=1)
    ]
    got = {
        (g["addressee"], g["similarity"], frozenset((i["review"], i["recommendation"]) for i in g["items"]))
        for g in register.repeats(found, threshold)
    }
    assert got == every_pair_repeats(found, threshold)
