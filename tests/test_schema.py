from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dhrtrack.plan import schema
from dhrtrack.plan.reader import load_text
from tests.conftest import SEED_PLAN, plan_text

text = st.one_of(st.sampled_from(["", " ", "x", "Police", "1.1", "7"]), st.text(max_size=5))
value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    text,
    st.sampled_from(
        [
            "2021-06",
            "2021-13",
            "2021-06-31",
            "2014-04-30",
            "red",
            "Green",
            "complete",
            "agency",
            "overview",
            "local",
            "national",
        ]
    ),
    st.lists(text, max_size=2),
)


def maybe(d):
    """Drop some keys and replace some values, so required/type/enum/pattern paths all get hit."""
    return st.fixed_dictionaries(
        {},
        optional={k: st.one_of(st.just(v), value) for k, v in d.items()},
    )


update = maybe({"date": "2021-02-03", "rag": "amber", "target": "2021-06", "note": "n", "completed": "2021-02-03"})
action = maybe(
    {
        "id": "1.1",
        "action": "A",
        "lead": "Police",
        "owner": "O",
        "target": "2021-06",
        "rag": "red",
        "outcome": "o",
        "completed": "2021-05-28",
        "milestones": ["m"],
        "evidence": [],
    }
)
action = st.tuples(
    action, st.lists(update, max_size=2), st.dictionaries(st.sampled_from(["extra", "targte"]), value, max_size=1)
)
rec = st.tuples(
    maybe({"number": 1, "section": "agency", "agency": "Police", "scope": "local", "text": "t"}),
    st.lists(action, max_size=3),
)


def assemble(recs, review, version):
    out = []
    for fields, actions in recs:
        r = dict(fields)
        r["actions"] = []
        for a, updates, extra in actions:
            a = dict(a, **extra)
            if updates:
                a["updates"] = updates
            r["actions"].append(a)
        out.append(r)
    return {"schema_version": version, "review": review, "recommendations": out}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(rec, max_size=3),
    maybe({"id": "X", "title": "T", "partnership": "P"}),
    st.sampled_from([1, 1, 2, "1", True]),
)
@example([], {"id": "X"}, True)
@example([({"number": 1.0, "section": "overview", "text": "t"}, [])], {"id": "X"}, 1)
@example([({"number": True, "section": "overview", "text": "t"}, [])], {"id": "X"}, 1)
def test_fast_check_agrees_with_jsonschema(recs, review, version):
    data = assemble(recs, review, version)
    expected = schema._validator(schema.SCHEMA_RESOURCE).is_valid(data)
    assert schema.is_valid(data) == expected
    assert _judges(_compiled_now(), data) == expected  # the check compiled now judges as the shipped one


def _compiled_now():
    source, entry = schema.fast_check_source()
    namespace: dict = {}
    exec(compile(source, "<test>", "exec"), namespace)
    return namespace[entry]


def _judges(check, data):
    try:
        check(data)
    except ValueError:
        return False
    return True


def test_the_shipped_plan_check_is_the_schema_s_current_check():
    """dhrtrack/plan/plan_check.py is what tools/generate-plan-check writes for this schema: run
    the tool after changing the schema."""
    import fastjsonschema

    from dhrtrack.plan import plan_check

    assert plan_check.SCHEMA_SHA256 == schema.schema_hash(), "the schema changed: run tools/generate-plan-check"
    assert schema._fast_check(schema.SCHEMA_RESOURCE) is plan_check.check
    if fastjsonschema.VERSION == plan_check.VERSION:  # another version writes other (equivalent) code
        shipped = (Path(schema.__file__).parent / "plan_check.py").read_text(encoding="utf-8")
        assert shipped == schema.plan_check_module(), "run tools/generate-plan-check"


def test_a_stale_shipped_check_is_not_used(monkeypatch):
    from dhrtrack.plan import plan_check

    monkeypatch.setattr(plan_check, "SCHEMA_SHA256", "0" * 64)
    schema._fast_check.cache_clear()
    try:
        compiled = schema._fast_check(schema.SCHEMA_RESOURCE)
        assert compiled is not plan_check.check
        seed = yaml.safe_load(SEED_PLAN.read_text(encoding="utf-8"))
        assert _judges(compiled, seed) and not _judges(compiled, dict(seed, schema_version=2))
    finally:
        schema._fast_check.cache_clear()


def test_fast_check_on_real_files():
    seed = yaml.safe_load(SEED_PLAN.read_text(encoding="utf-8"))
    assert schema.is_valid(seed)
    bad = yaml.safe_load(plan_text('- id: "1.1"\n  action: A\n  lead: P\n  rag: nope\n'))
    assert not schema.is_valid(bad)


def test_subject_names_elements_as_a_coordinator_would():
    doc = load_text(
        plan_text('- id: "1.1"\n  action: A\n  lead: P\n  updates:\n    - date: x\n', number=4), "f"
    ).document
    assert schema.subject(doc, ("recommendations", 0)) == "recommendation 4"
    assert schema.subject(doc, ("recommendations", 0, "actions", 0)) == "action 1.1"
    assert schema.subject(doc, ("recommendations", 0, "actions", 0, "updates", 0)) == "action 1.1, update #1"
    assert schema.subject(doc, ("review",)) == "review"
    assert schema.field_name(("recommendations", 0, "actions", 0, "milestones", 2)) == "milestones[2]"


# The keywords the fast yes/no gate (fastjsonschema, drafts 4 to 7) implements. A keyword it does
# not know it silently ignores, so a schema that used one would let invalid plans through the
# gate unnoticed: unevaluatedProperties, dependentRequired, prefixItems, $dynamicRef, ...
FAST_GATE_KEYWORDS = {
    "$schema",
    "$id",
    "$ref",
    "$defs",
    "definitions",
    "title",
    "description",
    "default",
    "examples",
    "$comment",
    "type",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependencies",
    "items",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "pattern",
    "minLength",
    "maxLength",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
}
# Where a schema's keys are names (of properties or definitions), not keywords.
NAME_MAPS = {"properties", "patternProperties", "$defs", "definitions"}


def keywords(node, found=None):
    found = set() if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in NAME_MAPS and isinstance(value, dict):
                for sub in value.values():
                    keywords(sub, found)
            elif key not in ("enum", "const", "examples", "default", "required"):
                keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            keywords(item, found)
    return found


@pytest.mark.parametrize("name", ["plan.schema.json", "agencies.schema.json", "themes.schema.json"])
def test_the_schemas_use_only_keywords_the_fast_gate_implements(name):
    used = keywords(schema.schema(name))
    assert used - FAST_GATE_KEYWORDS == set(), (
        f"{name} uses {sorted(used - FAST_GATE_KEYWORDS)}, which fastjsonschema ignores: the fast gate would "
        "pass plans that jsonschema rejects"
    )


def test_the_keyword_walk_would_catch_a_draft_2020_keyword():
    sneaky = {
        "type": "object",
        "properties": {"a": {"type": "array", "prefixItems": [{"type": "string"}]}},
        "unevaluatedProperties": False,
    }
    assert keywords(sneaky) - FAST_GATE_KEYWORDS == {"prefixItems", "unevaluatedProperties"}
