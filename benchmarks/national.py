"""The national layer at national scale: 300 partnerships' data packages holding 2,000 plans
(tests/national_corpus.py: national and regional recommendations, responses at every stage,
joint reviews published twice), gathered into one database; then `stats` and `register` over it.

    pip install . -r benchmarks/requirements.txt
    python benchmarks/national.py [--partnerships 300] [--plans 2000] [--runs 3] [--keep DIR]

Each figure is the median wall-clock time of the installed `dhrtrack` run as a new process.
Making the packages (one `dhrtrack package` per partnership, in-process here) is set-up, not
timed. Record the figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

from run import median_time, tool  # noqa: E402

from tests import national_corpus  # noqa: E402


def make_packages(directory: str, partnerships: int, plans: int) -> int:
    from pathlib import Path

    from click.testing import CliRunner

    from dhrtrack.cli.main import main

    made = national_corpus.make(partnerships, plans, joint=max(1, partnerships // 20))
    for partnership in made:
        home = Path(directory) / "plans" / partnership.area.replace(" ", "-")
        national_corpus.write(partnership, home)
        result = CliRunner().invoke(
            main, ["package", str(home), "-o", os.path.join(directory, "packages", home.name), "--as-of", "2026-11-30"]
        )
        assert result.exit_code == 0, result.output
    return sum(len(p.plans) for p in made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partnerships", type=int, default=300)
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="make the packages in this directory and keep them")
    args = parser.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="dhrtrack-national-")
    os.makedirs(work, exist_ok=True)
    dhrtrack = tool("dhrtrack")
    start = time.perf_counter()
    published = make_packages(work, args.partnerships, args.plans)
    print(f"set-up: {args.partnerships} packages, {published} plans published, in {time.perf_counter() - start:.1f} s")
    database = os.path.join(work, "national.sqlite")
    packages = os.path.join(work, "packages")
    gather = median_time([dhrtrack, "gather", packages, "-o", database, "--force", "--as-of", "2026-11-30"], args.runs)
    connection = sqlite3.connect(database)
    counted = connection.execute("SELECT count(*) FROM plans").fetchone()[0]
    duplicates = connection.execute("SELECT count(*) FROM duplicates").fetchone()[0]
    connection.close()
    print(f"cores: {os.cpu_count()}")
    print(f"dhrtrack gather, {args.partnerships} packages ({counted} plans, {duplicates} duplicates): {gather:.2f} s")
    # The first register after a gather reads the repeats gather found (at the default threshold).
    first = median_time([dhrtrack, "register", "--from", database, "--as-of", "2026-11-30"], 1)
    print(f"dhrtrack register --from national.sqlite, the first after gather: {first:.2f} s")
    cold = median_time([dhrtrack, "register", "--from", database, "--as-of", "2026-11-30", "--no-cache"], args.runs)
    print(f"dhrtrack register --from national.sqlite --no-cache: {cold:.2f} s")
    for command in (
        ["stats"],
        ["stats", "--by", "review", "--format", "json"],
        ["register"],
        ["register", "--format", "json"],
    ):
        seconds = median_time([dhrtrack, *command, "--from", database, "--as-of", "2026-11-30"], args.runs)
        print(f"dhrtrack {' '.join(command)} --from national.sqlite: {seconds:.2f} s")
    seconds = median_time(
        [dhrtrack, "report", "--from", database, "-o", os.path.join(work, "paper.html"), "--force"], args.runs
    )
    print(f"dhrtrack report --from national.sqlite (HTML): {seconds:.2f} s")
    print(f"database: {os.path.getsize(database) / 1e6:.1f} MB")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
