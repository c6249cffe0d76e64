from __future__ import annotations

import datetime as dt

from dhrtrack.plan import registry, store, validate
from dhrtrack.plan.discovery import registry_files
from tests.conftest import ROOT, plan_text, write

AS_OF = dt.date(2026, 11, 25)
ACTION = '- id: "{n}"\n  action: A\n  lead: {lead}\n'


def test_bundled_registry_covers_every_seed_lead():
    report = validate.run(
        [str(ROOT / "plans" / "bdhr-2012-13-05.yaml")], AS_OF, [str(ROOT / "plans" / "agencies.yaml")]
    )
    assert report.errors == 0
    assert not [p for p in report.problems if "agencies.yaml" in p.message]


def test_resolve_by_name_alias_and_spelling(tmp_path):
    path = write(
        tmp_path / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Mental Health NHS Foundation Trust
            aliases: [NMHFT]
            contacts:
              - {name: Safeguarding lead, email: safeguarding@nmhft.example}
        """,
    )
    reg, problems = registry.load([str(path)])
    assert problems == []
    assert reg.canonical("NMHFT") == "Northshire Mental Health NHS Foundation Trust"
    assert (
        reg.canonical("Northshire Mental Health Foundation NHS Trust")
        == "Northshire Mental Health NHS Foundation Trust"
    )
    assert reg.resolve("Southshire Police") is None
    assert reg.agencies[0].contacts[0].email == "safeguarding@nmhft.example"


def test_unknown_lead_warns_with_the_closest_name(tmp_path, chdir, cli):
    write(
        tmp_path / "plans" / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Police
          - name: Northshire Council
        """,
    )
    write(
        tmp_path / "plans" / "a.yaml",
        plan_text(ACTION.format(n="1.1", lead="Northshire Polce") + ACTION.format(n="1.2", lead="Northshire Council")),
    )
    chdir(tmp_path)
    result = cli("validate", "--as-of", "2026-11-25")
    assert result.exit_code == 0
    assert result.stdout == (
        "plans/a.yaml:11:15: warning: action 1.1: lead 'Northshire Polce' is not an agency in "
        "plans/agencies.yaml; did you mean 'Northshire Police'? (add it, or an alias, to the registry if it "
        "is a new agency) [$.recommendations[0].actions[0].lead]\n"
    )
    assert result.stderr == "checked 2 files: 0 errors, 1 warning - valid\n"


def test_a_partial_registry_gives_one_warning_per_unknown_lead_and_only_close_suggestions(tmp_path, chdir, cli):
    write(
        tmp_path / "plans" / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Police
        """,
    )
    actions = "".join(
        ACTION.format(n=f"1.{i}", lead=lead)
        for i, lead in enumerate(
            ["Northshire Police", "Northshire Fire and Rescue", "Northshire Fire and Rescue", "Northshire Polise"], 1
        )
    )
    write(tmp_path / "plans" / "a.yaml", plan_text(actions))
    write(tmp_path / "plans" / "b.yaml", plan_text(ACTION.format(n="1.1", lead="Northshire Fire and Rescue")))
    chdir(tmp_path)
    result = cli("validate", "--as-of", "2026-11-25")
    assert result.exit_code == 0
    assert result.stdout == (
        "plans/a.yaml:14:15: warning: action 1.2: lead 'Northshire Fire and Rescue' is not an agency in "
        "plans/agencies.yaml; 2 more actions name it (add it, or an alias, to the registry if it is a new "
        "agency) [$.recommendations[0].actions[1].lead]\n"
        "plans/a.yaml:20:15: warning: action 1.4: lead 'Northshire Polise' is not an agency in "
        "plans/agencies.yaml; did you mean 'Northshire Police'? (add it, or an alias, to the registry if it "
        "is a new agency) [$.recommendations[0].actions[3].lead]\n"
    )


def test_registry_problems_are_reported_by_validate(tmp_path, chdir, cli):
    write(
        tmp_path / "plans" / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Police
            aliases: [NP]
          - name: North Police
            aliases: [np]
          - name: Other
            contacts: [{email: not-an-address}]
            phone: 123
        """,
    )
    write(tmp_path / "plans" / "a.yaml", plan_text())
    chdir(tmp_path)
    result = cli("validate")
    assert result.exit_code == 1
    assert result.stdout == (
        "plans/agencies.yaml:8:24: error: agency 'Other': email must be one email address like name@example.org, "
        "found 'not-an-address' [$.agencies[2].contacts[0].email]\n"
        "plans/agencies.yaml:9:5: error: unknown field 'phone' in agency 'Other': allowed fields are name, "
        "aliases, contacts [$.agencies[2].phone]\n"
    )


def test_conflicting_alias(tmp_path):
    path = write(
        tmp_path / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Police
            aliases: [NP]
          - name: North Police
            aliases: [np]
        """,
    )
    _reg, problems = registry.load([str(path)])
    assert [(p.line, p.message) for p in problems] == [
        (5, "'np' already names 'Northshire Police': a name or alias may belong to one agency only")
    ]


def test_registry_files_found_beside_plans(tmp_path):
    write(tmp_path / "plans" / "agencies.yaml", "x: 1\n")
    write(tmp_path / "plans" / "a.yaml", "x: 1\n")
    assert registry_files([str(tmp_path / "plans")]) == [str(tmp_path / "plans" / "agencies.yaml")]
    assert registry_files([str(tmp_path / "plans" / "a.yaml")]) == [str(tmp_path / "plans" / "agencies.yaml")]
    assert registry_files([str(tmp_path)]) == []


def test_reports_read_the_registry_from_the_cache_until_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    path = write(
        tmp_path / "plans" / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Police
            aliases: [NP]
        """,
    )
    assert store.load_registry([str(path)]).canonical("NP") == "Northshire Police"
    calls = []
    real = registry.load
    monkeypatch.setattr(registry, "load", lambda files: calls.append(files) or real(files))
    assert store.load_registry([str(path)]).canonical("np") == "Northshire Police"
    assert calls == []
    write(
        path,
        """
        schema_version: 1
        agencies:
          - name: Northshire Constabulary
            aliases: [NP]
        """,
    )
    assert store.load_registry([str(path)]).canonical("NP") == "Northshire Constabulary"
    assert len(calls) == 1


def test_agencies_file_named_alone_is_checked_as_the_registry(tmp_path, chdir, cli):
    write(tmp_path / "plans" / "agencies.yaml", "schema_version: 1\nagencies:\n  - name: A\n    colour: red\n")
    chdir(tmp_path)
    result = cli("validate", "plans/agencies.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("plans/agencies.yaml:4:5: error: unknown field 'colour' in agency 'A'")


def test_an_email_field_holds_exactly_one_address(tmp_path):
    path = write(
        tmp_path / "agencies.yaml",
        """
        schema_version: 1
        agencies:
          - name: Northshire Police
            contacts:
              - email: "duty@np.example\\n"
              - email: "a@np.example, b@np.example"
              - email: "Duty Desk <duty@np.example>"
              - email: duty@np.example
        """,
    )
    _reg, problems = registry.load([str(path)])
    assert [(p.line, p.message) for p in problems] == [
        (
            5,
            "agency 'Northshire Police': email must be on one line, but holds a line break (U+000A): "
            "join the lines or remove it",
        ),
        (
            6,
            "agency 'Northshire Police': email must be one email address like name@example.org, "
            "found 'a@np.example, b@np.example'",
        ),
        (
            7,
            "agency 'Northshire Police': email must be one email address like name@example.org, "
            "found 'Duty Desk <duty@np.example>'",
        ),
    ]
