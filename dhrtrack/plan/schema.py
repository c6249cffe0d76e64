"""The plan JSON Schema: loading the packaged copy, one compiled validator, readable messages.

jsonschema is imported here only, and only when a plan is validated, to keep start-up light.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator, List, Optional, Tuple

from dhrtrack.plan.dates import date_problem
from dhrtrack.plan.problems import ERROR, Path, Problem

if TYPE_CHECKING:  # the loader (and PyYAML) is not needed to hash the schema for the cache
    from dhrtrack.plan.reader import Document, LoadResult

SCHEMA_RESOURCE = "plan.schema.json"


_SCHEMAS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "schemas")


@lru_cache(maxsize=None)
def schema_text(name: str = SCHEMA_RESOURCE) -> str:
    # Read beside the package as a plain file (every command hashes the schema for its cache, and
    # importlib.resources costs more to import than the read); through importlib.resources only
    # when the package is not on the file system (a zipped install).
    try:
        with open(os.path.join(_SCHEMAS, name), encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        from importlib import resources

        return resources.files("dhrtrack").joinpath("schemas").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def schema(name: str = SCHEMA_RESOURCE) -> dict:
    return json.loads(schema_text(name))


@lru_cache(maxsize=None)
def schema_hash(name: str = SCHEMA_RESOURCE) -> str:
    return hashlib.sha256(schema_text(name).encode("utf-8")).hexdigest()


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


@lru_cache(maxsize=None)
def _fast_check(name: str) -> Any:
    """A compiled yes/no check (fastjsonschema generates Python code from the schema): about 15
    times faster than jsonschema. Valid files, the common case, need nothing more; an invalid
    file is re-checked by jsonschema, whose errors carry what good messages need."""
    import fastjsonschema

    fast_schema = dict(schema(name))
    # fastjsonschema knows drafts 4-7; this schema uses only keywords whose meaning is the same
    # in draft 7 (a test checks both validators agree on generated documents).
    fast_schema.pop("$schema", None)
    return fastjsonschema.compile(fast_schema)


def prepare(name: str = SCHEMA_RESOURCE) -> None:
    """Compile the fast check now, in this process: worker processes forked afterwards inherit
    it instead of each compiling it again (about 70 ms a worker)."""
    _fast_check(name)


def is_valid(data: Any, name: str = SCHEMA_RESOURCE) -> bool:
    import fastjsonschema

    try:
        _fast_check(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _found(value: Any, raw: Optional[str]) -> str:
    if isinstance(value, bool):
        written = f"{raw}, which YAML reads as " if raw is not None and raw not in ("true", "false") else ""
        return f"{written}{str(value).lower()}"
    if value is None:
        return "an empty value"
    if isinstance(value, (int, float)):
        return f"the number {raw if raw is not None else value}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)  # pragma: no cover - the loader builds no other types


_TYPE_NAMES = {
    "string": "text",
    "object": "a mapping of fields",
    "array": "a list",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}

_DATE_FIELDS_MONTH = {"target"}
_DATE_FIELDS_DAY = {"completed", "date"}


# Characters that break a line: a field that must stay on one line (a lead, an id, an email, a
# date) may hold none; text that may span lines holds only the newline.
LINE_BREAKS = "\n\r\u000b\u000c\u0085\u2028\u2029"


def character_problem(text: str, multiline: bool) -> Optional[str]:
    """Why a string's characters are not allowed, or None: a line break in a one-line field, or a
    control character (tab and newline are allowed where text may span lines)."""
    import unicodedata

    for char in text:
        code = f"U+{ord(char):04X}"
        if char in LINE_BREAKS and not (multiline and char == "\n"):
            if multiline:
                return f"holds the line break {code}, which plan text must not (use an ordinary new line)"
            return f"must be on one line, but holds a line break ({code}): join the lines or remove it"
        if unicodedata.category(char) == "Cc" and not (multiline and char == "\t"):
            name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "control character")
            return (
                f"holds the control character {code} ({name.lower()}), which plan files must not hold "
                "(often pasted from another program): delete it"
            )
    return None


_CONTROL_NAMES = {0: "null", 7: "bell", 8: "backspace", 9: "tab", 27: "escape", 127: "delete"}


def subject(document: Document, path: Path) -> str:
    """Name the plan element a path is in, as a coordinator would: "action 10.2", "recommendation 7"."""
    data = document.data
    label = "the agency list" if isinstance(data, dict) and "agencies" in data else "the plan"
    node: Any = data
    for i, part in enumerate(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        prev = path[i - 1] if i else None
        if isinstance(part, int) and isinstance(node, dict):
            if prev == "recommendations":
                number = node.get("number")
                label = (
                    f"recommendation {number}"
                    if isinstance(number, int) and not isinstance(number, bool)
                    else f"recommendation #{part + 1}"
                )
            elif prev == "actions":
                ident = node.get("id")
                label = (
                    f"action {ident}" if isinstance(ident, str) and ident.strip() else f"{label}, action #{part + 1}"
                )
            elif prev == "updates":
                label = f"{label}, update #{part + 1}"
            elif prev == "agencies":
                name = node.get("name")
                label = f"agency {name!r}" if isinstance(name, str) else f"agency #{part + 1}"
        elif part == "review" and i == 0:
            label = "review"
    return label


def field_name(path: Path) -> str:
    """The field a path ends in, with list indexes: "rag", "milestones[2]"."""
    if not path:
        return "the plan"
    parts = list(path)
    tail: List[str] = []
    while parts and isinstance(parts[-1], int):
        tail.insert(0, f"[{parts.pop()}]")
    return (str(parts[-1]) if parts else "item") + "".join(tail)


def _where(document: Document, path: Path) -> str:
    """`rag` of action 10.2, or just the field for top-level fields."""
    name = field_name(path)
    owner = subject(document, path[:-1]) if len(path) > 1 else ""
    return f"{owner}: {name}" if owner and owner != subject(document, ()) else name


def _properties(error: Any) -> List[str]:
    return list(error.schema.get("properties", {}))


def problems(document: Document, name: str = SCHEMA_RESOURCE) -> Iterator[Problem]:
    """Schema problems for a parsed document, one readable message each."""
    if is_valid(document.data, name):
        return
    validator = _validator(name)
    seen = set()
    for error in validator.iter_errors(document.data):
        # jsonschema reports `required` once per missing field, each with the whole list.
        for problem in _translate(document, error):
            if problem not in seen:
                seen.add(problem)
                yield problem


def _translate(document: Document, error: Any) -> Iterator[Problem]:
    path: Path = tuple(error.absolute_path)
    kind = error.validator
    value = error.instance
    raw = document.raw.get(path)
    where = _where(document, path)
    last = path[-1] if path else None
    if kind == "additionalProperties":
        allowed = _properties(error)
        extras = [key for key in value if key not in allowed] if isinstance(value, dict) else []
        owner = subject(document, path)
        for key in extras:
            import difflib  # only for a file with an unknown key

            hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            did_you_mean = f"did you mean '{hint[0]}'? " if hint else ""
            message = f"unknown field '{key}' in {owner}: {did_you_mean}allowed fields are {', '.join(allowed)}"
            yield document.problem(path + (key,), ERROR, message, at_key=True)
        return
    if kind == "required":
        owner = subject(document, path)
        missing = [key for key in error.validator_value if isinstance(value, dict) and key not in value]
        for key in missing:
            why = ""
            if key == "agency" and isinstance(value, dict) and value.get("section") == "agency":
                why = " (required when section is agency): name the agency whose table holds it"
            yield document.problem(path, ERROR, f"{owner} is missing the required field '{key}'{why}")
        return
    if kind == "type":
        expected = error.validator_value
        expected_names = " or ".join(
            _TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        message = f"{where} must be {expected_names}, found {_found(value, raw)}"
        if expected == "string" and isinstance(value, (bool, int, float)) and not isinstance(value, str):
            message += f'; put the value in quotes ("{raw if raw is not None else value}") to keep it as text'
        elif expected == "string" and value is None:
            message += "; write a value or remove the field"
        yield document.problem(path, ERROR, message)
        return
    if kind == "enum":
        allowed_values = ", ".join(str(v) for v in error.validator_value)
        message = f"{where} must be one of: {allowed_values}; found {_found(value, raw)}"
        if isinstance(value, str) and value.strip().lower() in error.validator_value:
            message += f" (write it in lower case: {value.strip().lower()})"
        if last == "rag":
            message += "; leave rag out when the action has not been rated"
        yield document.problem(path, ERROR, message)
        return
    if kind == "const":
        message = f"{where} must be {error.validator_value!r}, found {_found(value, raw)}"
        if last == "schema_version":
            message = (
                f"schema_version must be {error.validator_value}, found {_found(value, raw)}: "
                f"this dhrtrack reads plan format version {error.validator_value}"
            )
        yield document.problem(path, ERROR, message)
        return
    if kind == "pattern" and isinstance(value, str):
        character = character_problem(value, multiline="\\u000b-" in str(error.validator_value))
        if character is not None:
            yield document.problem(path, ERROR, f"{where} {character}")
        elif last in _DATE_FIELDS_MONTH or last in _DATE_FIELDS_DAY:
            reason = date_problem(value, month_allowed=last in _DATE_FIELDS_MONTH) or "not a valid date"
            yield document.problem(path, ERROR, f"{where}: {reason}")
        elif last == "id":
            yield document.problem(path, ERROR, f"{where} must be one word with no spaces, found {value!r}")
        elif last == "email":
            yield document.problem(
                path, ERROR, f"{where} must be one email address like name@example.org, found {value!r}"
            )
        else:
            yield document.problem(path, ERROR, f"{where} must not be blank")
        return
    if kind == "minLength":
        yield document.problem(path, ERROR, f"{where} must not be blank")
        return
    if kind == "minimum":
        yield document.problem(
            path, ERROR, f"{where} must be {error.validator_value} or more, found {_found(value, raw)}"
        )
        return
    yield document.problem(
        path, ERROR, f"{where}: {error.message}"
    )  # pragma: no cover - all validators the schema uses are handled above


def conforming(loaded_files: Iterable["LoadResult"], name: str) -> Tuple[List["Document"], List[Problem]]:
    """The documents among loaded files that parse and conform to the named schema, and every
    problem of the others: how the companion files (agencies.yaml, themes.yaml) are read."""
    documents: List["Document"] = []
    found: List[Problem] = []
    for loaded in loaded_files:
        found.extend(loaded.problems)
        if loaded.document is None:
            continue
        schema_problems = list(problems(loaded.document, name))
        found.extend(schema_problems)
        if not schema_problems:
            documents.append(loaded.document)
    return documents, found
