from __future__ import annotations

import datetime as dt
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhrtrack.plan import discovery, validate
from dhrtrack.plan import reader as loader
from dhrtrack.plan.discovery import DiscoveryError, discover_all
from dhrtrack.plan.reader import load_bytes, load_file, load_text
from tests.conftest import plan_text, write


def only_problem(result):
    assert result.document is None
    assert len(result.problems) == 1
    p = result.problems[0]
    return (p.line, p.column, p.message)


def test_uses_libyaml_when_present():
    assert loader._Loader is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


def test_dates_stay_strings_and_positions_are_kept():
    doc = load_text("a: 2014-04-30\nb:\n  - 2021-06\n  - {c: 7}\n", "f.yaml").document
    assert doc.data == {"a": "2014-04-30", "b": ["2021-06", {"c": 7}]}
    assert doc.position(("a",)) == (1, 4)
    assert doc.position(("b", 1, "c")) == (4, 9)
    assert doc.key_position(("b",)) == (2, 1)
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.position(("b", 1, "missing")) == (4, 5)


def test_byte_order_mark_is_accepted():
    result = load_bytes("\ufeffschema_version: 1\n".encode("utf-8"), "f.yaml")
    assert result.problems == []
    assert result.document.data == {"schema_version": 1}


def test_non_utf8_bytes_are_located():
    raw = "a: 1\nb: caf".encode("utf-8") + b"\xe9\n"
    assert only_problem(load_bytes(raw, "f.yaml")) == (
        2,
        7,
        "the file is not valid UTF-8 (byte 0xe9): save it as UTF-8",
    )


def test_utf16_is_named():
    raw = "a: 1\n".encode("utf-16")
    assert only_problem(load_bytes(raw, "f.yaml"))[2] == "the file is UTF-16 encoded: save it as UTF-8"


def test_unreadable_file(tmp_path):
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "missing-target.yaml")
    assert only_problem(load_file(str(link))) == (1, 1, "cannot read the file: No such file or directory")


def test_directory_given_as_file(tmp_path):
    assert only_problem(load_file(str(tmp_path)))[2] == "is a directory, not a plan file: refused (nothing was read)"


def test_alias_is_rejected_at_its_position():
    text = "a: 1\nb: *x\n"
    # libyaml itself rejects an undefined alias; a defined one is rejected by us at the anchor.
    assert only_problem(load_text("a: &x 1\nb: *x\n", "f.yaml")) == (
        1,
        4,
        "anchor &x is not allowed: plan files must not use anchors or aliases; "
        "remove the anchor and write values out in full",
    )
    assert only_problem(load_text(text, "f.yaml"))[:2] == (2, 4)


def test_merge_key_alias_is_rejected():
    text = "base: &b {x: 1}\nother:\n  <<: *b\n"
    assert "anchor &b is not allowed" in only_problem(load_text(text, "f.yaml"))[2]


def test_more_than_one_document():
    assert only_problem(load_text("a: 1\n---\nb: 2\n", "f.yaml")) == (
        2,
        1,
        "the file holds more than one YAML document (a '---' line?): keep one plan per file",
    )


def test_comment_only_file():
    assert only_problem(load_text("# nothing yet\n", "f.yaml"))[2].startswith("the file has no YAML document")


def test_complex_key_is_rejected():
    assert only_problem(load_text("? [a, b]\n: 1\n", "f.yaml"))[2] == (
        "a mapping key must be a plain name, not a list or mapping"
    )


def test_explicit_tag_of_wrong_type():
    assert only_problem(load_text("a: !!int abc\n", "f.yaml")) == (1, 4, "value 'abc' is not a valid int")


def test_deep_nesting_does_not_recurse():
    depth = 5000
    text = "a: " + "[" * depth + "]" * depth + "\n"
    result = load_text(text, "f.yaml")
    # Either libyaml refuses it or we build it iteratively: never a RecursionError.
    assert result.document is not None or result.problems


def test_discover_orders_and_skips(tmp_path):
    write(tmp_path / "plans" / "b.yaml", "x: 1\n")
    write(tmp_path / "plans" / "a.yml", "x: 1\n")
    write(tmp_path / "plans" / "agencies.yaml", "x: 1\n")
    write(tmp_path / "plans" / "notes.txt", "x\n")
    write(tmp_path / "plans" / ".hidden" / "c.yaml", "x: 1\n")
    write(tmp_path / "plans" / "sub" / "d.yaml", "x: 1\n")
    plans = str(tmp_path / "plans")
    found, refused = discover_all([plans, os.path.join(plans, "b.yaml")])
    assert refused == []
    assert [os.path.relpath(f, plans) for f in found] == ["a.yml", "b.yaml", os.path.join("sub", "d.yaml")]
    with pytest.raises(DiscoveryError):
        discover_all([str(tmp_path / "nope")])


def test_default_plans_dir_walks_up_to_the_repository(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "plans").mkdir()
    (tmp_path / "repo" / "docs" / "deep").mkdir(parents=True)
    assert discovery.default_plans_dir(str(tmp_path / "repo" / "docs" / "deep")) == str(tmp_path / "repo" / "plans")
    (tmp_path / "other" / ".git").mkdir(parents=True)
    assert discovery.default_plans_dir(str(tmp_path / "other")) is None


# --- property tests: nothing a user can put in a file makes the loader or validator raise ---

AS_OF = dt.date(2026, 11, 25)


def check_never_raises(text: str) -> None:
    result = loader.load_text(text, "p.yaml")
    if result.document is not None:
        validate.check_document(result.document, AS_OF)
    for p in result.problems:
        assert p.line >= 1 and p.column >= 1 and p.message


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(text):
    check_never_raises(text)


@settings()
@given(st.binary())
def test_arbitrary_bytes_never_raise(raw):
    result = load_bytes(raw, "p.yaml")
    if result.document is not None:
        validate.check_document(result.document, AS_OF)


PLAN_KEYS = [
    "schema_version",
    "review",
    "recommendations",
    "id",
    "number",
    "section",
    "agency",
    "text",
    "actions",
    "action",
    "lead",
    "owner",
    "target",
    "rag",
    "outcome",
    "completed",
    "updates",
    "date",
    "milestones",
    "note",
    "scope",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["2014-04-30", "2016-02-30", "2021-06", "red", "green", "complete", "agency", "1.1"]),
)
yaml_data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(PLAN_KEYS), st.text(max_size=6)), children, max_size=5),
    ),
    max_leaves=30,
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(yaml_data)
def test_arbitrary_yaml_shaped_data_never_raises(data):
    check_never_raises(yaml.safe_dump(data, allow_unicode=True))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(PLAN_KEYS), yaml_data, max_size=6), st.data())
def test_mutated_plans_never_raise(extra, data):
    """Plan-shaped documents with arbitrary values put into an action, a recommendation or the root."""
    base = yaml.safe_load(plan_text('- id: "1.1"\n  action: A\n  lead: Police\n'))
    target = data.draw(st.sampled_from(["root", "rec", "action"]))
    where = {"root": base, "rec": base["recommendations"][0], "action": base["recommendations"][0]["actions"][0]}[
        target
    ]
    where.update(extra)
    check_never_raises(yaml.safe_dump(base, allow_unicode=True))


@given(st.sampled_from(sorted(loader._WORD_FIRST)), st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_long_words_skip_the_resolver_only_where_it_would_say_text(first, rest):
    """The shortcut for plain scalars starting like yes/no/null is exactly PyYAML's answer."""
    value = first + rest
    resolved = loader._Loader.resolve(loader._Loader(""), yaml.ScalarNode, value, (True, False))
    if len(value) > loader._LONGEST_WORD:
        assert resolved == "tag:yaml.org,2002:str"


def test_the_word_shortcut_covers_only_boolean_and_null_letters():
    assert loader._WORD_FIRST == set("yYnNtTfFoO~")
    for word in ("yes", "No", "TRUE", "false", "on", "OFF", "null", "Null", "NULL", "y", "N"):
        assert len(word) <= loader._LONGEST_WORD
    assert load_text("a: FALSE\nb: Falsely\nc: nullable\nd: NULL\n", "x.yaml").document.data == {
        "a": False,
        "b": "Falsely",
        "c": "nullable",
        "d": None,
    }


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", fullmatch=True))
def test_date_shaped_scalars_skip_the_resolver_only_where_it_keeps_the_text(value):
    """Dates of the plan's shapes resolve to text or a timestamp, and both load as the text."""
    resolved = loader._Loader.resolve(loader._Loader(""), yaml.ScalarNode, value, (True, False))
    assert resolved in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")
    assert load_text(f"d: {value}\n", "x.yaml").document.data == {"d": value}
