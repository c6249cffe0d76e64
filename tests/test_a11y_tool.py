"""tools/a11y/check.mjs, the axe-core check of the board report, can fail: a page with known
violations fails it, the real report passes. Runs where Chromium, Node.js and the tool's
node_modules are installed (tools/check-report-a11y installs them); skipped elsewhere."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT

TOOL = ROOT / "tools" / "a11y"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and shutil.which("node") and (TOOL / "node_modules" / "axe-core").is_dir()),
    reason="needs Chromium, Node.js and tools/a11y/node_modules (npm ci in tools/a11y)",
)


def check(html_path, out_dir):
    return subprocess.run(
        ["node", str(TOOL / "check.mjs"), str(html_path), str(out_dir), str(CHROMIUM)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_page_with_violations_fails(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        '<p style="color:#aaa;background:#fff">faint text</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "</body></html>"
    )
    result = check(bad, tmp_path / "out")
    assert result.returncode == 1
    assert "html-has-lang" in result.stdout and "image-alt" in result.stdout and "color-contrast" in result.stdout


def test_the_board_report_has_no_violations(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("DHRTRACK_CACHE_DIR", str(tmp_path / "cache"))
    report = tmp_path / "report.html"
    result = cli(
        "report",
        str(ROOT / "plans"),
        str(ROOT / "tests" / "fixtures" / "reports" / "plans"),
        "--as-of",
        "2026-11-25",
        "--marking",
        "OFFICIAL-SENSITIVE",
        "--meeting",
        "CSP board",
        "-o",
        str(report),
    )
    assert result.exit_code == 0, result.stderr
    checked = check(report, tmp_path / "out")
    assert checked.returncode == 0, checked.stdout
    assert "0 violations" in checked.stdout
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF")
