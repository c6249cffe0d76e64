"""The layering of docs/design.md §4, enforced: data flows one way, only the CLI uses click or
prints, the renderers never touch the file system, and commands stay short."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dhrtrack"

# What each layer may import from dhrtrack, besides itself. The leaves (errors, wording and the
# package root's __version__) may be imported by every layer and import nothing.
LEAVES = {"errors", "wording", "collector", "i18n", ""}
ALLOWED: Dict[str, Set[str]] = {
    "errors": set(),
    "i18n": {"errors"},
    "wording": {"i18n"},  # the language dates and plurals are said in
    "collector": set(),
    "": set(),
    "plan": set(),
    "agencies": {"plan"},
    "history": {"plan"},
    "importing": {"plan", "agencies"},
    "reports": {"plan", "agencies", "history"},
    "render": {"plan", "agencies", "history", "reports", "importing"},
    "templates": {"plan", "history"},
    "national": {"plan", "agencies", "history", "reports", "render"},
    "cli": {"plan", "agencies", "history", "importing", "reports", "render", "templates", "national"},
    "__main__": {"cli"},
}
FILE_SYSTEM_MODULES = {"os", "os.path", "pathlib", "shutil", "tempfile", "subprocess", "glob"}
MAX_COMMAND_LINES = 60


def modules() -> List[Tuple[str, Path, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        parts = relative.with_suffix("").parts
        layer = parts[0] if len(parts) > 1 else ("" if parts[0] == "__init__" else parts[0])
        found.append((layer, path, ast.parse(path.read_text(encoding="utf-8"), str(path))))
    return found


def imported(tree: ast.Module) -> List[Tuple[int, str]]:
    """(line, module) of every import, including those inside functions."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
    return out


def dhrtrack_layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


ALL = modules()
IDS = [str(path.relative_to(PACKAGE)) for _layer, path, _tree in ALL]


@pytest.mark.parametrize("layer, path, tree", ALL, ids=IDS)
def test_each_layer_imports_only_the_layers_below_it(layer, path, tree):
    assert layer in ALLOWED, f"{path}: a new layer; add it to ALLOWED and to the layout table in docs/development.md"
    wrong = [
        (line, module)
        for line, module in imported(tree)
        if module.split(".")[0] == "dhrtrack"
        and dhrtrack_layer(module) != layer
        and dhrtrack_layer(module) not in ALLOWED[layer]
        and not (dhrtrack_layer(module) in LEAVES and layer not in ("errors", "wording", "collector", "i18n"))
    ]
    assert wrong == [], f"{path} imports across the layering: {wrong}"


@pytest.mark.parametrize("layer, path, tree", ALL, ids=IDS)
def test_only_the_cli_uses_click_or_prints(layer, path, tree):
    if layer in ("cli", "__main__"):
        return
    assert [m for _line, m in imported(tree) if m.split(".")[0] == "click"] == [], path
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "print", f"{path}:{node.lineno}: print() outside the CLI"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys":
            assert node.attr not in ("stdout", "stderr", "exit"), (
                f"{path}:{node.lineno}: sys.{node.attr} outside the CLI"
            )


@pytest.mark.parametrize(
    "layer, path, tree", [m for m in ALL if m[0] == "render"], ids=[i for i, m in zip(IDS, ALL) if m[0] == "render"]
)
def test_renderers_never_touch_the_file_system(layer, path, tree):
    assert [m for _line, m in imported(tree) if m in FILE_SYSTEM_MODULES] == [], path
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "open", f"{path}:{node.lineno}: open() in a renderer"


# Generated code (tools/generate-plan-check): its exceptions are the compiled check's "no", caught
# in dhrtrack.plan.schema.is_valid; they never leave it.
GENERATED = {PACKAGE / "plan" / "plan_check.py"}


def test_one_error_base_and_no_click_exception_below_the_cli():
    for layer, path, tree in ALL:
        if path in GENERATED:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and layer not in ("cli", "errors"):
                bases = [ast.unparse(b) for b in node.bases]
                if any(b in ("Exception", "ValueError", "RuntimeError") for b in bases):
                    pytest.fail(f"{path}: {node.name} should subclass dhrtrack.errors.DhrtrackError")


def _is_command(node: ast.FunctionDef) -> bool:
    return any("command" in ast.unparse(d) for d in node.decorator_list)


def test_commands_are_short():
    long = []
    for layer, path, tree in ALL:
        if layer != "cli":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and _is_command(node):
                assert node.end_lineno is not None
                first = node.body[0].end_lineno if ast.get_docstring(node) else node.lineno
                if node.end_lineno - first > MAX_COMMAND_LINES:
                    long.append(f"{path.name}:{node.name} ({node.end_lineno - first} lines)")
    assert long == []
