"""Surgical edits of a plan file's text: change or add an action's fields and append to its
updates log, leaving every other byte as it was (comments, key order, quoting, line endings).

The file is read once with libyaml's event stream to find where each value starts and ends;
edits are made on the text; the result is parsed again and must equal the intended data.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import yaml

from dhrtrack import writer

Path = Tuple[Any, ...]
# The order of an action's keys in the house style: a new key goes after the nearest key
# before it in this order (or after the last key, for updates).
ACTION_ORDER = ["id", "action", "lead", "owner", "milestones", "target", "outcome", "rag", "completed", "evidence",
                "import_notes", "updates"]


class EditError(Exception):
    """The edit cannot be made (flow-style YAML, an action that is not there, ...)."""


@dataclass
class Node:
    kind: str  # scalar | map | seq
    start: int  # index of the value's first character
    end: int = 0  # index just after its last character (trailing blank lines not included)
    column: int = 0
    style: Optional[str] = None  # scalars: None (plain), "'", '"', "|", ">"
    flow: bool = False  # collections written [..] or {..}
    keys: List[Tuple[str, int, int, "Node"]] = field(default_factory=list)  # maps: (key, start, end, value)
    items: List["Node"] = field(default_factory=list)  # sequences
    value: Optional[str] = None  # scalars


def index(text: str) -> Node:
    """The node tree of a YAML document, with character positions."""
    loader = None
    try:
        loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
        return _index(loader, text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise EditError(f"the file is not valid YAML{where}: {getattr(error, 'problem', None) or error}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _index(loader: Any, text: str) -> Node:
    stack: List[Tuple[Node, Optional[Tuple[str, int, int]]]] = []
    root: Optional[Node] = None
    while True:
        event = loader.get_event()
        if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentStartEvent)):
            continue
        if isinstance(event, (yaml.DocumentEndEvent, yaml.StreamEndEvent)):
            break
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node, _pending = stack.pop()
            if node.flow:
                node.end = event.end_mark.index
            _attach(stack, node)
            continue
        if isinstance(event, yaml.AliasEvent):
            raise EditError("the file uses YAML aliases, which plan files must not")
        mark = event.start_mark
        if isinstance(event, yaml.ScalarEvent):
            end = event.end_mark.index
            if event.style in ("|", ">"):
                end = event.start_mark.index + len(text[event.start_mark.index:end].rstrip())
            node = Node("scalar", mark.index, end, mark.column, event.style, value=event.value)
            if stack and stack[-1][0].kind == "map" and stack[-1][1] is None:
                stack[-1] = (stack[-1][0], (event.value, mark.index, end))
                continue
            _attach(stack, node)
            continue
        kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
        node = Node(kind, mark.index, mark.index, mark.column, flow=bool(event.flow_style))
        stack.append((node, None))
        if root is None:
            root = node
    if root is None:
        raise EditError("the file holds no YAML document")
    return root


def _attach(stack: List[Tuple[Node, Optional[Tuple[str, int, int]]]], node: Node) -> None:
    if not stack:
        return
    parent, pending = stack[-1]
    if parent.kind == "map":
        assert pending is not None
        parent.keys.append((pending[0], pending[1], pending[2], node))
        stack[-1] = (parent, None)
    else:
        parent.items.append(node)
    if not parent.flow:
        parent.end = max(parent.end, node.end)


def find(root: Node, path: Path) -> Node:
    node = root
    for part in path:
        if isinstance(part, int):
            node = node.items[part]
        else:
            node = next(value for key, _s, _e, value in node.keys if key == part)
    return node


# --- edits ----------------------------------------------------------------------------------


class Editor:
    def __init__(self, text: str):
        self.bom = text.startswith("\ufeff")
        self.text = text[1:] if self.bom else text
        self.newline = "\r\n" if "\r\n" in self.text else "\n"

    def result(self) -> str:
        return ("\ufeff" if self.bom else "") + self.text

    def _action(self, path: Path) -> Node:
        node = find(index(self.text), path)
        if node.kind != "map" or node.flow:
            raise EditError(
                f"action at {_where(self.text, node.start)} is written in flow style ({{...}}); "
                "update edits block-style actions only: write it with one field a line"
            )
        return node

    def set_field(self, path: Path, key: str, value: str, kind: str = "plain") -> None:
        """Set an action's field to a string value; kind "text" for long text (block style)."""
        action = self._action(path)
        indent = _key_column(self.text, action.keys[0][1])
        existing = next(((s, e, v) for k, s, e, v in action.keys if k == key), None)
        if existing is not None:
            key_start, _key_end, old = existing
            if old.kind != "scalar":
                raise EditError(f"{key} of this action is a list or mapping; expected a value")
            if kind == "plain" and old.style in ("'", '"'):
                quote = old.style
                rendered = "'" + value.replace("'", "''") + "'" if quote == "'" else writer.double_quoted(value)
                self._replace(old.start, old.end, rendered)
                return
            lines = self._render(key, value, indent, kind)
            first = lines[0].lstrip(" ")
            self._replace(key_start, old.end, self.newline.join([first] + lines[1:]))
            return
        lines = self._render(key, value, indent, kind)
        self._insert_after(self._previous_key_end(action, key), lines)

    def append_update(self, path: Path, entry: Dict[str, str]) -> None:
        action = self._action(path)
        indent = _key_column(self.text, action.keys[0][1])
        existing = next(((s, e, v) for k, s, e, v in action.keys if k == "updates"), None)
        if existing is not None and existing[2].kind == "seq" and existing[2].items and not existing[2].flow:
            updates = existing[2]
            dash = _key_column(self.text, updates.items[0].start) - 2
            self._insert_after(updates.end, self._update_lines(entry, dash))
            return
        if existing is not None:
            key_start, key_end, old = existing
            if old.kind != "seq" or old.items:
                raise EditError("the action's updates are not a block-style list; write them one entry a line")
            colon = self.text.index(":", key_end)
            self._replace(colon + 1, old.end, self.newline + self.newline.join(self._update_lines(entry, indent + 2)))
            return
        last_end = max(v.end for _k, _s, _e, v in action.keys)
        self._insert_after(last_end, [" " * indent + "updates:"] + self._update_lines(entry, indent + 2))

    # --- helpers -----------------------------------------------------------------------------

    def _render(self, key: str, value: str, indent: int, kind: str) -> List[str]:
        if kind == "text":
            return writer.field(key, value, indent)
        return [" " * indent + f"{key}: {_plain_value(value)}"]

    def _update_lines(self, entry: Dict[str, str], dash: int) -> List[str]:
        lines: List[str] = []
        for i, (key, value) in enumerate(entry.items()):
            rendered = writer.field(key, value, dash + 2) if key in ("note", "outcome") else \
                [" " * (dash + 2) + f"{key}: {_plain_value(value)}"]
            if i == 0:
                rendered[0] = " " * dash + "- " + rendered[0][dash + 2:]
            lines += rendered
        return lines

    def _previous_key_end(self, action: Node, key: str) -> int:
        order = ACTION_ORDER.index(key) if key in ACTION_ORDER else len(ACTION_ORDER)
        before = [(ACTION_ORDER.index(k) if k in ACTION_ORDER else -1, v.end, s)
                  for k, s, _e, v in action.keys if (ACTION_ORDER.index(k) if k in ACTION_ORDER else -1) < order]
        if not before:
            return action.keys[0][3].end
        # The last key, in document order, among those that come before the new one.
        return max(end for _rank, end, _start in before)

    def _insert_after(self, position: int, lines: List[str]) -> None:
        """Insert whole lines after the line that holds `position`."""
        line_end = self.text.find("\n", position)
        if line_end == -1:
            addition = self.newline + self.newline.join(lines)
            self.text += addition
            return
        if line_end > 0 and self.text[line_end - 1] == "\r":
            line_end -= 1
        self.text = self.text[:line_end] + self.newline + self.newline.join(lines) + self.text[line_end:]

    def _replace(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]


_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")


def _plain_value(value: str) -> str:
    # Dates are written unquoted, as in every plan: dhrtrack's loader keeps them as text.
    return value if _DATE.match(value) else writer.scalar(value)


def _key_column(text: str, index_: int) -> int:
    return index_ - (text.rfind("\n", 0, index_) + 1)


def _where(text: str, index_: int) -> str:
    return f"line {text.count(chr(10), 0, index_) + 1}"


def apply_to_data(plan: dict, action_id: str, fields: Dict[str, str], entry: Dict[str, str]) -> dict:
    """What the plan's data must be after the edit (to check the text edit against)."""
    expected = copy.deepcopy(plan)
    for rec in expected["recommendations"]:
        for action in rec["actions"]:
            if action["id"] == action_id:
                action.update(fields)
                action.setdefault("updates", [])
                action["updates"] = list(action["updates"]) + [entry]
    return expected
