"""Every JSON document a command writes has a published schema (schema/output/<command>.schema.json)
and a format version: each command's output is checked against its schema, in a repository with
history, at dates that make actions overdue, due soon and complete."""

from __future__ import annotations

import json

import click
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from dhrtrack import PROJECT_URL
from dhrtrack.cli.main import main
from dhrtrack.wording import FORMAT_VERSION
from tests.conftest import ROOT
from tests.gitrepo import evolve

SCHEMAS = ROOT / "schema" / "output"
AS_OF = ("2014-06-01", "2024-06-01", "2030-01-01")


def json_commands() -> set:
    """The commands with a JSON output: --format json (validate's json, not its CI formats)."""
    ctx = click.Context(main)
    found = set()
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        for param in command.params:
            if isinstance(param, click.Option) and "--format" in param.opts:
                if isinstance(param.type, click.Choice) and "json" in param.type.choices:
                    found.add(name)
    return found


def strict(node):
    """The schema with no key left undescribed (the published one lets consumers meet new keys)."""
    if isinstance(node, dict):
        node = {key: strict(value) for key, value in node.items()}
        if "properties" in node:
            node["additionalProperties"] = False
    elif isinstance(node, list):
        node = [strict(value) for value in node]
    return node


def schema(name: str) -> Draft202012Validator:
    document = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    assert document["$id"] == f"{PROJECT_URL}/blob/main/schema/output/{name}.schema.json"
    assert document["properties"]["format_version"] == {
        "const": FORMAT_VERSION,
        "description": "the version of this document's shape",
    }
    assert "format_version" in document["required"]
    return Draft202012Validator(strict(document), format_checker=FormatChecker())


def test_every_json_output_has_a_schema():
    assert {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.json")} == json_commands()


@pytest.fixture
def outputs(repo, cli, tmp_path):
    """Each command's JSON documents, by command."""
    evolve(repo)
    found: dict = {}

    def keep(name: str, *args: str) -> None:
        result = cli(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        found.setdefault(name, []).append(result.stdout)

    for day in AS_OF:
        at = ("--as-of", day)
        for name in ("status", "overdue", "unrated", "summary", "agencies", "stats", "export", "validate", "chase"):
            keep(name, name, "--format", "json", *at)
        for name in ("register",):
            keep(name, name, "--format", "json", *at)
        keep("due", "due", "--format", "json", "--within", "365d", *at)
        keep("report", "report", "--format", "json", *at)
        keep("report", "report", "--format", "json", "--since", "HEAD~3", *at)
        for ref in ("alpha:1.1", "alpha:2.1", "beta-2021:1.2"):
            keep("show", "show", ref, "--format", "json", *at)
    for ref in ("alpha:1.1", "beta-2021:1.2"):
        keep("history", "history", ref, "--format", "json")
    keep("diff", "diff", "HEAD~3", "HEAD", "--format", "json")
    assert cli("chase", "--format", "xlsx", "--out", str(tmp_path / "returns"), "--as-of", "2024-06-01").exit_code == 0
    for workbook in sorted((tmp_path / "returns").glob("*.xlsx")):
        keep("apply", "apply", str(workbook), "--format", "json", "--dry-run", "--date", "2024-06-01")
    return found


def test_every_json_output_matches_its_schema(outputs):
    assert set(outputs) == json_commands()
    for name, documents in outputs.items():
        validator = schema(name)
        for text in documents:
            document = json.loads(text)
            assert next(iter(document)) == "format_version" and document["format_version"] == FORMAT_VERSION, name
            errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
            assert errors == [], name
