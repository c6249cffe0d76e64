"""The plan's field reference (docs/fields.md), made from the field table and the schema's
descriptions, so that the fields are described in one place: `tools/generate-field-docs` writes
it and a test fails when it is stale."""

from __future__ import annotations

from typing import Dict, List

from dhrtrack.plan import fields

KIND_WORDS = {
    "version": "the number 1",
    "recommendations": "a list of recommendations",
    "number": "a whole number, 1 or more",
    "id": "text without spaces",
    "line": "text on one line",
    "text": "text (may run over lines)",
    "date": "a date, YYYY-MM-DD",
    "month": "YYYY-MM or YYYY-MM-DD",
    "tags": "a list of one-line texts",
    "texts": "a list of texts",
    "log": "a list of update entries",
    "actions": "a list of actions",
}
TITLES = {
    fields.PLAN: "The file",
    fields.REVIEW: "`review`",
    fields.RECOMMENDATION: "A recommendation (`recommendations[]`)",
    fields.ACTION: "An action (`actions[]`)",
    fields.RESPONSE: "A recommendation's response from its addressee (`response`)",
    fields.VERIFIED: "An action's verification (`verified`)",
    fields.UPDATE: "An update-log entry (`updates[]`)",
}


def _kind(f: fields.Field) -> str:
    if f.kind in ("choice", "rag"):
        return " \\| ".join(f"`{c}`" for c in f.choices)
    if f.kind == "record":
        return f"a mapping: the fields of `{f.name}` (below)"
    return KIND_WORDS[f.kind]


def _descriptions(schema: dict) -> Dict[str, Dict[str, str]]:
    defs = schema["$defs"]
    parts = {
        fields.PLAN: schema,
        fields.REVIEW: schema["properties"]["review"],
        fields.RECOMMENDATION: defs["recommendation"],
        fields.ACTION: defs["action"],
        fields.UPDATE: defs["update"],
    }
    # A record within a level (an action's `verified`) is that level's property of its name.
    parts.update((record, parts[parent]["properties"][record]) for record, parent in fields.WITHIN.items())
    return {
        level: {name: p.get("description", "") for name, p in part["properties"].items()}
        for level, part in parts.items()
    }


def reference(schema: dict) -> str:
    described = _descriptions(schema)
    out: List[str] = [
        "# The plan's fields",
        "",
        "<!-- Made by tools/generate-field-docs from dhrtrack/plan/fields.py and the schema's",
        "     descriptions: edit those, then run the tool. -->",
        "",
        "Every field of a plan file (format version 1), in the order dhrtrack writes them. *Column* is the",
        "heading of its column in `dhrtrack export` (CSV and Excel), which `dhrtrack import` reads back;",
        "*Published* says whether a public build or data package may carry it.",
    ]
    for level in fields.LEVELS:
        out += ["", f"## {TITLES[level]}", "", "| field | holds | required | column | published | what it is |"]
        out.append("| --- | --- | --- | --- | --- | --- |")
        for f in fields.fields(level):
            column = f.label if f.export and level != fields.UPDATE else "—"
            out.append(
                f"| `{f.name}` | {_kind(f)} | {'yes' if f.required else 'no'} | {column} "
                f"| {'yes' if f.public else 'no'} | {described[level].get(f.name, '')} |"
            )
    computed = ", ".join(f"{c.label} (`{c.key}`)" for c in fields.COMPUTED)
    out += ["", f"The export also has columns dhrtrack works out: {computed}.", ""]
    return "\n".join(out)
