"""Benchmarks for dhrtrack: start-up, status on the bundled plans, validate against
check-jsonschema, and status over a national-scale synthetic corpus (cold and cached).

    pip install . -r benchmarks/requirements.txt
    python benchmarks/run.py [--corpus DIR] [--runs 7]

Each figure is the median wall-clock time of several runs of the installed `dhrtrack`
command as a user would run it (a new process each time). Ratios are taken within the same
run, so they hold on a slower or busier machine too. Record the figures in the README's
performance section.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def median_time(cmd: List[str], runs: int, env: Optional[Dict[str, str]] = None, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tool(name: str) -> str:
    found = shutil.which(name) or os.path.join(os.path.dirname(sys.executable), name)
    if not os.path.exists(found):
        sys.exit(f"{name} is not installed: pip install . -r benchmarks/requirements.txt")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", help="a corpus made by make_corpus.py (default: generate one in a temp dir)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-national", action="store_true", help="skip the 2,000-plan status benchmark")
    args = parser.parse_args()
    dhrtrack = tool("dhrtrack")
    runs = args.runs
    work = tempfile.mkdtemp(prefix="dhrtrack-bench-")
    env = dict(os.environ, DHRTRACK_CACHE_DIR=os.path.join(work, "cache"), NO_COLOR="1", COLUMNS="80")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {runs} runs\n")

    # 1. Start-up and the bundled plans.
    base = median_time([sys.executable, "-c", "pass"], runs, env)
    version = median_time([dhrtrack, "--version"], runs, env)
    helps = median_time([dhrtrack, "--help"], runs, env)
    status_cmd = [dhrtrack, "status", os.path.join(ROOT, "plans")]
    subprocess.run(status_cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status = median_time(status_cmd, runs, env)
    status_nocache = median_time(status_cmd + ["--no-cache"], runs, env)
    print("start-up (bound: 4x python -c pass; status on the bundled plans: 12x)")
    print(f"  python -c pass              {base * 1000:7.0f} ms")
    print(f"  dhrtrack --version          {version * 1000:7.0f} ms   {version / base:5.1f}x")
    print(f"  dhrtrack --help             {helps * 1000:7.0f} ms   {helps / base:5.1f}x")
    print(f"  dhrtrack status (bundled)   {status * 1000:7.0f} ms   {status / base:5.1f}x")
    print(f"  ... with --no-cache         {status_nocache * 1000:7.0f} ms   {status_nocache / base:5.1f}x\n")

    # 2. A national corpus.
    corpus = args.corpus
    if corpus is None:
        corpus = os.path.join(work, "corpus")
        subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), corpus], check=True)
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".yaml"))
    hundred = files[:100]

    # 3. validate vs check-jsonschema on the same 100 files with the same schema.
    cjs = tool("check-jsonschema")
    schema = os.path.join(ROOT, "schema", "plan.schema.json")
    ours = median_time([dhrtrack, "validate", *hundred], max(3, runs // 2), env)
    theirs = median_time([cjs, "--schemafile", schema, *hundred], 3, env)
    print("validate, 100 national-corpus plans (bound: at least 10x faster than check-jsonschema)")
    print(f"  dhrtrack validate           {ours * 1000:7.0f} ms   {ours * 10:5.1f} ms a file")
    print(f"  check-jsonschema            {theirs * 1000:7.0f} ms   {theirs * 10:5.1f} ms a file")
    print(f"  dhrtrack is {theirs / ours:.1f}x faster\n")

    if args.skip_national:
        return
    # 4. status over the whole corpus: cold (no cache) and with nothing changed (cached).
    cache = os.path.join(work, "national-cache")
    national_env = dict(env, DHRTRACK_CACHE_DIR=cache)
    cmd = [dhrtrack, "status", corpus]

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    cold = median_time(cmd, 3, national_env, before=clear)
    subprocess.run(cmd, env=national_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    warm = median_time(cmd, runs, national_env)
    size = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"status, {len(files)} plans, {size:.0f} MB (bounds: cold under 10 s; unchanged under 0.5 s)")
    print(f"  cold (empty cache)          {cold:7.2f} s")
    print(f"  nothing changed (cached)    {warm:7.2f} s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
