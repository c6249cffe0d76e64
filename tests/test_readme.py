"""The README is a front page: short, its set-up and test commands as the manual gives them, and
every link in it going to a file that exists; the documentation site's nav lists every page."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT

LINK = re.compile(r"\]\(([^)\s]+)\)")


def _nav_pages(entries) -> list:
    pages = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_the_readme_is_a_front_page_whose_links_all_go_somewhere():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 150
    targets = [t for t in LINK.findall(text) if "://" not in t]
    assert "docs/index.md" in targets and "docs/cli.md" in targets
    for target in targets:
        assert not target.startswith("#"), f"{target}: the README has no manual sections to point into"
        assert (ROOT / target.split("#")[0]).is_file(), f"README links to {target}, which does not exist"


def test_the_readme_set_up_and_test_commands_are_the_manuals():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    manual = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for command in (
        "$ python3 -m venv .venv && . .venv/bin/activate\n$ pip install . && dhrtrack status\n",
        "$ pip install '.[test]' && pytest -q\n",
    ):
        assert command in readme and command in manual


def test_the_readme_links_every_manual_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {t.split("#")[0] for t in LINK.findall(readme)}
    top = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert top <= linked, sorted(top - linked)


def test_the_site_nav_lists_every_docs_page_once():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["strict"] is True and config.get("docs_dir", "docs") == "docs"
    pages = _nav_pages(config["nav"])
    assert len(pages) == len(set(pages))
    on_disk = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert set(pages) == on_disk


def test_ci_builds_the_site_strictly():
    assert 'mkdocs build --strict --site-dir "$(mktemp -d)"' in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
