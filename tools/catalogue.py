#!/usr/bin/env python3
"""The message catalogues: extract every message dhrtrack's code marks (_, n_, p_, N_, pN_ with
literal arguments) into dhrtrack/locale/dhrtrack.pot, merge it into each language's .po (English
is its own translation; a new message in another language is left untranslated, which the tests
refuse until a translator fills it), and compile each .po to the .mo gettext reads.

    python tools/catalogue.py          # extract, merge, compile
    python tools/catalogue.py --check  # exit 1 if any file would change (what the tests check)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dhrtrack.i18n import LANGUAGES, LOCALE_DIR, compile_po, read_po  # noqa: E402

PACKAGE = ROOT / "dhrtrack"
MARKERS = {"_": ("msgid",), "N_": ("msgid",), "n_": ("msgid", "msgid_plural"), "p_": ("msgctxt", "msgid")}
MARKERS["pN_"] = MARKERS["p_"]
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    # CLDR's six forms: zero, one, two, few (3), many (6), other; each says its own mutation.
    "cy": "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;",
}
Key = Tuple[Optional[str], str]


def extract() -> Dict[Key, dict]:
    """Every marked message: (context, msgid) -> {msgid_plural?, references}, in source order."""
    found: Dict[Key, dict] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if path.name == "fields.py" and isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                _field_labels(node, path, found)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS):
                continue
            names = MARKERS[node.func.id]
            args = node.args[: len(names)]
            if len(args) < len(names) or not all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args
            ):
                continue  # a message marked where it is written (N_, pN_), translated here
            values = dict(zip(names, (a.value for a in args)))  # type: ignore[union-attr]
            key = (values.get("msgctxt"), values["msgid"])
            entry = found.setdefault(key, {"references": []})
            if "msgid_plural" in values:
                entry["msgid_plural"] = values["msgid_plural"]
            entry["references"].append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")
    return found


def _field_labels(node: ast.Call, path: Path, found: Dict[Key, dict]) -> None:
    """The field table's labels and its words for a missing value (plan/fields.py): what show and
    the board paper call a field, said with p_("field", label)."""
    position = {"Field": 3, "Computed": 1}.get(node.func.id)  # type: ignore[attr-defined]
    if position is None:
        return
    texts = [node.args[position]] if len(node.args) > position else []
    texts += [k.value for k in node.keywords if k.arg in ("label", "missing")]
    for text in texts:
        if isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value:
            entry = found.setdefault(("field", text.value), {"references": []})
            entry["references"].append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def header(lang: Optional[str]) -> str:
    lines = [
        "Project-Id-Version: dhrtrack",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    if lang:
        lines += [f"Language: {lang}", f"Plural-Forms: {PLURAL_FORMS[lang]}"]
    return "".join(line + "\n" for line in lines)


def write(entries: Dict[Key, dict], lang: Optional[str], old: Dict[Key, dict]) -> str:
    nplurals = int(PLURAL_FORMS[lang].split(";")[0].split("=")[1]) if lang else 2
    out = [
        "# dhrtrack's messages." + (f" Language: {lang}." if lang else " Template: do not translate here."),
        'msgid ""',
        "msgstr " + quote(header(lang)),
        "",
    ]
    for (context, msgid), entry in entries.items():
        before = old.get((context, msgid), {})
        notes = [c for c in before.get("comments", []) if c.startswith("# ")]
        out += notes + [f"#: {ref}" for ref in entry["references"]]
        flags = list(before.get("flags", [])) if lang not in (None, "en") else []
        if "msgid_plural" in entry:
            flags.append("python-brace-format") if "{" in msgid and "python-brace-format" not in flags else None
        if flags:
            out.append("#, " + ", ".join(flags))
        if context is not None:
            out.append("msgctxt " + quote(context))
        out.append("msgid " + quote(msgid))
        if "msgid_plural" in entry:
            out.append("msgid_plural " + quote(entry["msgid_plural"]))
            was = before.get("msgstr")
            forms: List[str] = list(was) if isinstance(was, list) else []
            if lang == "en":
                forms = [msgid, entry["msgid_plural"]]
            forms += [""] * (nplurals - len(forms))
            out += [f"msgstr[{i}] " + quote(form) for i, form in enumerate(forms[:nplurals] if lang else ["", ""])]
        else:
            value = msgid if lang == "en" else str(before.get("msgstr", "")) if lang else ""
            out.append("msgstr " + quote(value))
        out.append("")
    return "\n".join(out)


def outputs() -> Dict[Path, bytes]:
    entries = extract()
    files: Dict[Path, bytes] = {LOCALE_DIR / "dhrtrack.pot": write(entries, None, {}).encode("utf-8")}
    for lang in LANGUAGES:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / "dhrtrack.po"
        old = {}
        if po.exists():
            old = {(e.get("msgctxt"), e["msgid"]): e for e in read_po(po.read_text(encoding="utf-8"))}  # type: ignore[misc]
        text = write(entries, lang, old)
        files[po] = text.encode("utf-8")
        files[po.with_suffix(".mo")] = compile_po(text)
    return files


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for path, content in outputs().items():
        if not path.exists() or path.read_bytes() != content:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    for path in stale:
        print(("out of date: " if check else "wrote ") + str(path.relative_to(ROOT)))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
