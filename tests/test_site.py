"""`dhrtrack site` and `export --format datapackage`: the structure of every page (well formed,
one h1, unique ids, every internal link resolving, the build's notice and marking), a public
build holding no value of a non-public field, byte-identical rebuilds, paged lists, the data
package, and `init --site`. The browser check (axe-core) is tools/check-site-a11y."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Dict, List, Set

import pytest

from dhrtrack.plan import fields
from tests.conftest import ROOT, write

AS_OF = "2026-11-25"
VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: List[str] = []
        self.problems: List[str] = []
        self.ids: List[str] = []
        self.links: List[str] = []
        self.h1 = 0
        self.tags: Set[str] = set()
        self.text: List[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append(attributes[name])
        self.h1 += tag == "h1"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def check_site(site: Path) -> Dict[Path, Page]:
    """Every page well formed, with one h1, a lang, unique ids, and every link resolving."""
    pages = {path: parse(path) for path in sorted(site.rglob("*.html"))}
    assert pages
    for path, page in pages.items():
        where = path.relative_to(site)
        assert page.problems == [] and page.stack == [], (where, page.problems, page.stack)
        assert page.h1 == 1, where
        assert {"main", "header", "footer", "nav", "title"} <= page.tags, where
        assert len(page.ids) == len(set(page.ids)), where
        assert path.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en-GB">'), where
        assert path.stat().st_size < 3_000_000, where
        for link in page.links:
            assert ":" not in link.split("/")[0], f"{where}: {link} leaves the site"
            file, _, fragment = link.partition("#")
            target = (path.parent / file).resolve() if file else path
            assert target.is_file() and str(target).startswith(str(site.resolve())), f"{where}: {link}"
            if fragment and target.suffix == ".html":
                assert fragment in (pages.get(target) or parse(target)).ids, f"{where}: {link}"
    return pages


def build(cli, *args: str) -> int:
    result = cli("site", *args, "--as-of", AS_OF)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code


def test_the_bundled_plan_makes_a_whole_site(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    assert build(cli, str(ROOT / "plans"), "-o", str(site), "--marking", "OFFICIAL-SENSITIVE") == 0
    pages = check_site(site)
    names = {str(p.relative_to(site)) for p in pages}
    assert {"index.html", "reviews/index.html", "reviews/bdhr-2012-13-05.html", "agencies/index.html"} <= names
    assert {"themes/index.html", "overdue/index.html", "data.html"} <= names
    assert any(n.startswith("agencies/west-midlands-police") for n in names)
    for path, page in pages.items():
        text = path.read_text(encoding="utf-8")
        assert text.count('<p class="marking">OFFICIAL-SENSITIVE</p>') == 2, path  # top and bottom
        assert "Internal version." in "".join(page.text)
        assert "<script src" not in text and "http" not in text.replace("http://www.w3.org", ""), path
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Headline figures" in home and "Completion by review" in home and "Exceptions" in home
    review = (site / "reviews" / "bdhr-2012-13-05.html").read_text(encoding="utf-8")
    assert 'id="a-10.1"' in review and "Latest update" in review
    assert (site / "assets" / "site.css").read_text().count("@media print") == 1


def test_a_public_build_publishes_no_value_of_a_non_public_field(cli, tmp_path, monkeypatch):
    """A distinctive token in every field the field table does not mark public (and every entry
    field of the update log), committed to git with a message holding one too: no file of the
    public site or the public data package holds any of them; the internal build holds them all."""
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    hidden = [
        f
        for level in (fields.REVIEW, fields.RECOMMENDATION, fields.ACTION)
        for f in fields.fields(level)
        if not f.public
    ]
    assert {f.name for f in hidden} == {"owner", "evidence", "import_notes", "updates"}
    entry = {"date": "2026-01-05", "rag": "amber"}
    for f in fields.fields(fields.UPDATE):
        if f.kind in ("line", "text"):
            entry[f.name] = f"LEAK{f.name}UPDATE"
    tokens = [f"LEAK{f.name}UPDATE" for f in fields.fields(fields.UPDATE) if f.kind in ("line", "text")]
    action = {"id": "1.1", "action": "Publish the policy.", "lead": "Northshire Police", "target": "2026-06"}
    for f in hidden:
        if f.kind == "log":
            action[f.name] = [entry]
        elif f.kind == "texts":
            action[f.name] = [f"LEAK{f.name}"]
            tokens.append(f"LEAK{f.name}")
        else:
            action[f.name] = f"LEAK{f.name}"
            tokens.append(f"LEAK{f.name}")
    plan = {
        "schema_version": 1,
        "review": {"id": "NDHR 2026-01", "title": "A review", "partnership": "Northshire CSP"},
        "recommendations": [
            {
                "number": 1,
                "section": "agency",
                "agency": "Northshire Police",
                "themes": ["training"],
                "text": "Train staff.",
                "actions": [action],
            }
        ],
    }
    repo = tmp_path / "repo"
    write(repo / "plans" / "ndhr-2026-01.yaml", json.dumps(plan, indent=2))
    git = ["git", "-C", str(repo), "-c", "user.name=LEAKauthor", "-c", "user.email=leak@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "LEAKmessage"], check=True)
    monkeypatch.chdir(repo)
    assert cli("validate", "plans").exit_code == 0
    assert build(cli, "plans", "-o", "public", "--public") == 0
    assert cli("export", "plans", "--format", "datapackage", "--public", "-o", "data", "--as-of", AS_OF).exit_code == 0
    assert build(cli, "plans", "-o", "internal") == 0
    for folder in ("public", "data"):
        files = [p for p in (repo / folder).rglob("*") if p.is_file()]
        assert len(files) >= 4
        for path in files:
            content = path.read_bytes()
            assert b"LEAK" not in content and b"leak@" not in content, (
                path,
                content[content.find(b"LEAK") - 80 :][:200],
            )
    internal = b"".join(p.read_bytes() for p in (repo / "internal").rglob("*") if p.is_file())
    assert [t for t in tokens if t.encode() not in internal] == []
    pages = check_site(repo / "public")
    for page in pages.values():
        said = " ".join(page.text)
        assert "What this site leaves out." in said and "owner, evidence, import notes, update log" in said
    assert "committed in" in (repo / "public" / "index.html").read_text(encoding="utf-8")


def test_two_builds_are_byte_identical(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    plans = [str(ROOT / "plans"), str(ROOT / "tests" / "fixtures" / "reports" / "plans")]
    build(cli, *plans, "-o", str(tmp_path / "a"))
    build(cli, *plans, "-o", str(tmp_path / "b"), "--no-cache")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b and len(a) > 15


def test_long_lists_are_paged_and_every_page_links(cli, tmp_path, monkeypatch):
    from dhrtrack.render.site import html

    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(html, "PAGE_ROWS", 5)
    monkeypatch.setattr(html, "HOME_REVIEWS", 2)
    site = tmp_path / "site"
    build(cli, str(ROOT / "plans"), str(ROOT / "tests" / "fixtures" / "reports" / "plans"), "-o", str(site))
    check_site(site)
    assert (site / "overdue" / "index--2.html").is_file()
    assert "(page 2 of" in (site / "overdue" / "index--2.html").read_text(encoding="utf-8")
    assert "All 3 reviews" in (site / "index.html").read_text(encoding="utf-8")


def test_the_data_package_describes_its_csv_files(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    build(cli, str(ROOT / "plans"), "-o", str(site), "--public")
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        header = (site / "data" / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]
    names = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert "owner" not in names and "updates" not in names and "lead" in names
    exported = tmp_path / "exported"
    result = cli(
        "export", str(ROOT / "plans"), "--format", "datapackage", "--public", "-o", str(exported), "--as-of", AS_OF
    )
    assert result.exit_code == 0
    assert {p.name: p.read_bytes() for p in exported.iterdir()} == {
        p.name: p.read_bytes() for p in (site / "data").iterdir()
    }
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_site_refuses_to_replace_what_it_did_not_make(cli, tmp_path):
    other = tmp_path / "other"
    write(other / "notes.txt", "mine")
    result = cli("site", str(ROOT / "plans"), "-o", str(other), "--force")
    assert result.exit_code == 2 and "does not hold a site" in result.output
    assert (other / "notes.txt").read_text() == "mine"
    assert cli("site", str(ROOT / "plans"), "-o", str(other)).exit_code == 2
    public = cli("site", str(ROOT / "plans"), "-o", str(tmp_path / "x"), "--public", "--marking", "OFFICIAL")
    assert public.exit_code == 2


def test_since_and_at_read_the_history(repo, cli, tmp_path):
    from tests.gitrepo import evolve

    evolve(repo)
    assert build(cli, "-o", str(tmp_path / "s"), "--since", repo.first) == 0
    changes = (tmp_path / "s" / "changes.html").read_text(encoding="utf-8")
    assert "Target slips" in changes and "rag: amber → red" in changes
    pages = check_site(tmp_path / "s")
    alpha = (tmp_path / "s" / "reviews" / "alpha.html").read_text(encoding="utf-8")
    assert "Rating and target history" in alpha and "target 2024-06 → 2024-09" in alpha
    assert "on 6 January 2024" in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert build(cli, "-o", str(tmp_path / "t"), "--at", repo.first) == 0
    check_site(tmp_path / "t")
    assert "on 2 January 2024" in (tmp_path / "t" / "index.html").read_text(encoding="utf-8")
    assert len(pages) > 10


@pytest.mark.parametrize("gitlab", [False, True])
def test_init_site_adds_a_pages_job_that_builds_public(cli, tmp_path, gitlab):
    args = ["init", str(tmp_path), "--site"] + (["--gitlab"] if gitlab else [])
    result = cli(*args)
    assert result.exit_code == 0 and "--public" in result.output
    job = tmp_path / (".gitlab/dhrtrack-pages.yml" if gitlab else ".github/workflows/site.yml")
    assert "dhrtrack site plans/ --public -o" in job.read_text(encoding="utf-8")
    if gitlab:
        assert "local: .gitlab/dhrtrack-pages.yml" in (tmp_path / ".gitlab-ci.yml").read_text(encoding="utf-8")
