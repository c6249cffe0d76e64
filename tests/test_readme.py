"""The README's contents list names every section, in order, with the anchor GitHub gives it."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def _anchor(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_the_contents_list_names_every_section():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    headings, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        found = None if fenced else re.match(r"^(##|###) (.*)$", line)
        if found and found[2] != "Contents":
            headings.append(("  " if found[1] == "###" else "") + f"- [{found[2]}](#{_anchor(found[2])})")
    start = text.index("## Contents\n\n") + len("## Contents\n\n")
    listed = text[start : text.index("\n\n", start)].splitlines()
    assert listed == headings
