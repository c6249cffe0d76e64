"""Benchmarks for dhrtrack: start-up, status on the bundled plans, validate against
check-jsonschema, history over 500 commits, and over a national-scale synthetic corpus: status
(cold and cached, table and JSON), report (HTML and Word), export (CSV and Excel), diff of a 2,000-plan tree with
200 plans changed, agency returns written and applied back, and optionally status over 10,000
plans.

    pip install . -r benchmarks/requirements.txt
    python benchmarks/run.py [--corpus DIR] [--runs 7] [--ten-thousand]

Each figure is the median wall-clock time of several runs of the installed `dhrtrack`
command as a user would run it (a new process each time). Ratios are taken within the same
run, so they hold on a slower or busier machine too. Record the figures in
docs/performance.md.
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
from typing import Callable, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def median_time(
    cmd: List[str],
    runs: int,
    env: Optional[Dict[str, str]] = None,
    before: Optional[Callable[[], None]] = None,
    cwd: Optional[str] = None,
) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_history_repo(path: str, plan_file: str, commits: int) -> str:
    """A git repository whose plans/plan.yaml has `commits` commits, each moving one action's
    RAG rating or target (built with git fast-import, which takes a second or two)."""
    import re

    os.makedirs(path)
    subprocess.run(["git", "init", "-q", "-b", "main", path], check=True)
    text = open(plan_file, encoding="utf-8").read()
    rags = ["red", "amber", "green"]
    stream = []
    for i in range(commits):
        # Move action 1.1's target one month on every fifth commit, and some action's RAG otherwise.
        if i % 5 == 0:
            year, month = divmod(2020 * 12 + i // 5, 12)
            moved = f"{year}-{month + 1:02d}"
            text = re.sub(
                r'(id: "1\.1"\n(?:        .*\n|          .*\n)*?        target: )\S+',
                lambda m: m.group(1) + moved,  # noqa: B023 - used at once, inside this iteration
                text,
                count=1,
            )
        else:
            text = re.sub(
                r"rag: (red|amber|green)",
                lambda m: "rag: " + rags[(rags.index(m.group(1)) + 1) % 3],
                text,
                count=1 + i % 7,
            )
        data = text.encode("utf-8")
        stamp = 1700000000 + i * 3600
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.org> {stamp} +0000\n".encode())
        message = f"update {i}".encode()
        stream.append(f"data {len(message)}\n".encode() + message + b"\n")
        stream.append(f"M 100644 inline plans/plan.yaml\ndata {len(data)}\n".encode() + data + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(stream), cwd=path, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=path, check=True)
    return path


def make_diff_repo(path: str, files: List[str], changed: int) -> str:
    """A git repository of the corpus in two commits, the second moving one RAG rating in each
    of `changed` plans."""
    plans = os.path.join(path, "plans")
    os.makedirs(plans)
    for file in files:
        shutil.copy(file, plans)
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main", path], check=True)
    subprocess.run(git + ["add", "-A"], cwd=path, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "corpus"], cwd=path, check=True)
    for file in sorted(os.listdir(plans))[:changed]:
        target = os.path.join(plans, file)
        text = open(target, encoding="utf-8").read()
        for old, new in (("rag: amber", "rag: red"), ("rag: red", "rag: amber"), ("rag: green", "rag: amber")):
            if old in text:
                text = text.replace(old, new, 1)
                break
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    subprocess.run(git + ["commit", "-q", "-am", "200 ratings move"], cwd=path, check=True)
    return path


PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_memory_mb(cmd: List[str], env: Dict[str, str], before: Optional[Callable[[], None]] = None) -> float:
    """The peak resident memory of one run of cmd, measured in a process of its own (Unix)."""
    if before:
        before()
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def make_tracker(path: str, rows: int = 500) -> str:
    """An Excel tracker of `rows` actions over rows // 4 recommendations: a title block, tracker
    headings, merged recommendation cells, colour-only ratings and an extra column."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Northshire CSP - DHR action plan tracker"])
    sheet.append(["DHR Ref: NSDHR 2021-03"])
    sheet.append(
        [
            "Rec No.",
            "Recommendation",
            "Action",
            "Responsible agency",
            "Lead Officer",
            "By when",
            "Progress indicator (Red/Amber/Green)",
            "Progress update",
            "Notes",
        ]
    )
    ratings = ["Red", "Amber", "Green", "Complete", ""]
    for i in range(rows):
        number = i // 4 + 1
        first = i % 4 == 0
        sheet.append(
            [
                str(number) if first else "",
                f"Recommendation {number}: agencies should act." if first else "",
                f"1. Do part {i} of the work. 2. Report on part {i}.",
                "Northshire Police - DI Jones",
                "",
                f"{1 + i % 28}/0{1 + i % 9}/2026",
                ratings[i % 5],
                f"Progress note {i}.",
                f"note {i}",
            ]
        )
        if ratings[i % 5] == "":
            sheet.cell(row=sheet.max_row, column=7).fill = PatternFill("solid", fgColor="00B050")
    for start in range(4, 4 + rows, 4):
        sheet.merge_cells(start_row=start, start_column=2, end_row=min(start + 3, 3 + rows), end_column=2)
    workbook.save(path)
    return path


def make_published_pdf(path: str, recommendations: int = 60) -> Optional[str]:
    """A published plan as a PDF of about fifty A4 landscape pages (the Home Office template,
    each recommendation over two or three actions with long text), made with python-docx and
    LibreOffice; None where soffice is not installed."""
    import shutil

    import docx

    if shutil.which("soffice") is None:
        return None
    document = docx.Document()
    document.add_heading("Domestic Homicide Review NSDHR 2021-03: action plan", 0)
    headings = [
        "Recommendation",
        "Scope",
        "Action to take",
        "Lead Agency",
        "Key milestones",
        "Target Date",
        "Date of completion and Outcome",
    ]
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings):
        cell.text = text
    sentence = "Agencies should review how they record, share and act on concerns raised by family members. "
    for number in range(1, recommendations + 1):
        for part in range(1, 4):
            cells = table.add_row().cells
            values = [
                f"{number}. " + sentence * 3 if part == 1 else "",
                "Local" if part == 1 else "",
                f"{part}. Deliver part {part} of the improvement work for recommendation {number}. " + sentence,
                "Northshire Police – Head of Public Protection",
                "Draft agreed; training delivered; audit completed",
                f"{1 + number % 28}/0{1 + part}/2026",
                "Amber – work under way. " + sentence,
            ]
            for cell, text in zip(cells, values):
                cell.text = text
    source = os.path.splitext(path)[0] + ".docx"
    document.save(source)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", os.path.dirname(path), source],
        check=True,
        capture_output=True,
    )
    return path


def fill_returns(directory: str) -> int:
    """Answer every other row of every return workbook in directory, as agencies would (a new
    RAG rating and an update note), with openpyxl; the number of rows answered."""
    import openpyxl

    answered = 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".xlsx"):
            continue
        path = os.path.join(directory, name)
        workbook = openpyxl.load_workbook(path)
        sheet = workbook["Actions"]
        column = {cell.value: cell.column for cell in sheet[1]}
        for row in range(2, sheet.max_row + 1, 2):
            sheet.cell(row, column["New RAG"]).value = ("red", "amber", "green")[row % 3]
            sheet.cell(row, column["Update"]).value = f"Progress on row {row} reported to the quarterly meeting."
            answered += 1
        workbook.save(path)
    return answered


def tool(name: str) -> str:
    found = shutil.which(name) or os.path.join(os.path.dirname(sys.executable), name)
    if not os.path.exists(found):
        sys.exit(f"{name} is not installed: pip install . -r benchmarks/requirements.txt")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", help="a corpus made by make_corpus.py (default: generate one in a temp dir)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-national", action="store_true", help="skip the 2,000-plan benchmarks")
    parser.add_argument(
        "--ten-thousand", action="store_true", help="also status over 10,000 plans (generates 430 MB; minutes)"
    )
    args = parser.parse_args()
    dhrtrack = tool("dhrtrack")
    runs = args.runs
    work = tempfile.mkdtemp(prefix="dhrtrack-bench-")
    env = dict(
        os.environ,
        DHRTRACK_CACHE_DIR=os.path.join(work, "cache"),
        DHRTRACK_RETURN_KEY_FILE=os.path.join(work, "return-key"),  # the returns' key, not the user's
        NO_COLOR="1",
        COLUMNS="80",
    )
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

    # 2b. Importing a coordinator's tracker: 500 rows of Excel.
    tracker = make_tracker(os.path.join(work, "tracker.xlsx"))
    imported = median_time(
        [dhrtrack, "import", tracker, "-o", os.path.join(work, "imported.yaml"), "--force"], max(3, runs // 2), env
    )
    print("import, a 500-row Excel tracker (bound: under 2 s)")
    print(f"  dhrtrack import tracker.xlsx {imported:6.2f} s\n")
    published = make_published_pdf(os.path.join(work, "published.pdf"))
    if published is None:
        print("import, a 50-page published PDF: skipped (LibreOffice, which makes the PDF, is not installed)\n")
    else:
        pages = subprocess.run(["pdfinfo", published], capture_output=True, text=True).stdout
        count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
        took = median_time([dhrtrack, "import", published, "--dry-run"], 3, env)
        print(f"import, a {count}-page published PDF plan (goal: seconds, not minutes)")
        print(f"  dhrtrack import published.pdf {took:6.2f} s\n")

    # 3. validate vs check-jsonschema on the same 100 files with the same schema.
    cjs = tool("check-jsonschema")
    schema = os.path.join(ROOT, "schema", "plan.schema.json")
    ours = median_time([dhrtrack, "validate", *hundred], max(3, runs // 2), env)
    theirs = median_time([cjs, "--schemafile", schema, *hundred], 3, env)
    print("validate, 100 national-corpus plans (goal: 20x faster than check-jsonschema)")
    print(f"  dhrtrack validate           {ours * 1000:7.0f} ms   {ours * 10:5.1f} ms a file")
    print(f"  check-jsonschema            {theirs * 1000:7.0f} ms   {theirs * 10:5.1f} ms a file")
    print(f"  dhrtrack is {theirs / ours:.1f}x faster\n")

    # 4. history of one action over a plan with 500 commits.
    repo = make_history_repo(os.path.join(work, "history"), files[0], 500)
    history_env = dict(env, DHRTRACK_CACHE_DIR=os.path.join(work, "history-cache"))

    def clear_history_cache() -> None:
        shutil.rmtree(history_env["DHRTRACK_CACHE_DIR"], ignore_errors=True)

    hist_cold = median_time([dhrtrack, "history", "plan:1.1"], 3, history_env, cwd=repo, before=clear_history_cache)
    hist = median_time([dhrtrack, "history", "plan:1.1"], 3, history_env, cwd=repo)
    hist_plan = median_time([dhrtrack, "history", "plan"], 3, history_env, cwd=repo)
    print("history, one plan with 500 commits (goal: 1 s from the second run; versions come from the cache)")
    print(f"  dhrtrack history plan:1.1, empty cache   {hist_cold:7.2f} s")
    print(f"  dhrtrack history plan:1.1   {hist:7.2f} s")
    print(f"  dhrtrack history plan       {hist_plan:7.2f} s\n")

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
    warm_json = median_time(cmd + ["--format", "json"], runs, national_env)
    size = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"status, {len(files)} plans, {size:.0f} MB (goals: cold 6 s; unchanged 0.3 s)")
    print(f"  cold (empty cache)          {cold:7.2f} s")
    print(f"  nothing changed (cached)    {warm:7.2f} s")
    print(f"  ... --format json           {warm_json:7.2f} s\n")

    # 5. The board report over the whole corpus: it loads through the same store and caches.
    report_cmd = [dhrtrack, "report", corpus, "-o", os.path.join(work, "board.html"), "--force"]
    report_cold = median_time(report_cmd, 3, national_env, before=clear)
    subprocess.run(report_cmd, env=national_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report_warm = median_time(report_cmd, runs, national_env)
    print(f"report (HTML), {len(files)} plans (goal: 1.5 s with the cache warm)")
    print(f"  cold (empty cache)          {report_cold:7.2f} s")
    print(f"  nothing changed (cached)    {report_warm:7.2f} s   {report_cold / report_warm:5.1f}x faster\n")
    docx_cmd = [dhrtrack, "report", corpus, "--format", "docx", "-o", os.path.join(work, "board.docx"), "--force"]
    report_docx = median_time(docx_cmd, runs, national_env)
    print(f"report (Word), {len(files)} plans, nothing changed (goal: within 3x the HTML)")
    print(f"  docx                        {report_docx:7.2f} s   {report_docx / report_warm:5.1f}x the HTML\n")

    # 5b. The website over the whole corpus (public build; pages, data/ and its data package).
    site_dir = os.path.join(work, "site")
    site_cmd = [dhrtrack, "site", corpus, "--public", "-o", site_dir, "--force"]
    site_cold = median_time(site_cmd, 1, national_env, before=clear)
    site_warm = median_time(site_cmd, 3, national_env)
    site_pages = sum(1 for _d, _s, names in os.walk(site_dir) for file_name in names if file_name.endswith(".html"))
    largest = max(
        os.path.getsize(os.path.join(d, file_name))
        for d, _s, names in os.walk(site_dir)
        for file_name in names
        if file_name.endswith(".html")
    )
    print(f"site --public, {len(files)} plans, {site_pages} pages, largest {largest / 1e6:.1f} MB (goal: under 30 s)")
    print(f"  cold (empty cache)          {site_cold:7.2f} s")
    print(f"  nothing changed (cached)    {site_warm:7.2f} s\n")

    # 6. Export: Excel is bounded by the CSV export of the same plans.
    export = [dhrtrack, "export", corpus, "--force", "-o"]
    csv_time = median_time(export + [os.path.join(work, "all.csv")], 3, national_env)
    xlsx_time = median_time(export + [os.path.join(work, "all.xlsx"), "--format", "xlsx"], 3, national_env)
    print(f"export, {len(files)} plans, cache warm (goal: xlsx within 3x csv; both linear)")
    print(f"  export --format csv         {csv_time:7.2f} s")
    print(f"  export --format xlsx        {xlsx_time:7.2f} s   {xlsx_time / csv_time:5.1f}x csv\n")

    # 7. diff of two commits of the whole corpus, 200 plans changed (git diff is the baseline).
    tree = make_diff_repo(os.path.join(work, "tree"), files, 200)
    diff_time = median_time([dhrtrack, "diff", "HEAD~1", "HEAD"], 3, env, cwd=tree)
    git_time = median_time(["git", "diff", "HEAD~1", "HEAD"], 3, env, cwd=tree)
    print(f"diff, {len(files)}-plan tree with 200 plans changed (goal: 3 s)")
    print(f"  git diff                    {git_time:7.2f} s")
    print(f"  dhrtrack diff               {diff_time:7.2f} s\n")

    # 7b. Analytics over the same tree: stats (with target slips from git) and the SQLite export.
    stats_time = median_time([dhrtrack, "stats", "--as-of", "2026-11-25"], 3, env, cwd=tree)
    db = os.path.join(work, "plans.db")
    sqlite_time = median_time(
        [dhrtrack, "export", "--format", "sqlite", "-o", db, "--force", "--as-of", "2026-11-25"], 3, env, cwd=tree
    )
    print(f"analytics, {len(files)}-plan tree, two commits (goal: a few seconds)")
    print(f"  dhrtrack stats              {stats_time:7.2f} s")
    print(f"  export --format sqlite      {sqlite_time:7.2f} s\n")

    # 8. Agency returns: a workbook per lead agency, half the rows answered, applied back.
    returns_dir = os.path.join(work, "returns")
    chase_cmd = [
        dhrtrack,
        "chase",
        corpus,
        "--format",
        "xlsx",
        "--out",
        returns_dir,
        "--force",
        "--as-of",
        "2026-11-26",
    ]
    write_time = median_time(chase_cmd, 3, national_env)
    agencies = len([n for n in os.listdir(returns_dir) if n.endswith(".xlsx")])
    answered = fill_returns(returns_dir)
    copy = os.path.join(work, "applied")
    shutil.copytree(corpus, copy)
    apply_cmd = [dhrtrack, "apply", returns_dir, "--plans", copy, "--date", "2026-11-26"]
    subprocess.run([dhrtrack, "status", copy], env=national_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dry_time = median_time(apply_cmd + ["--dry-run"], 3, national_env)
    apply_time = median_time(apply_cmd, 1, national_env)
    again_time = median_time(apply_cmd, 1, national_env)
    print(f"agency returns, {len(files)} plans, {agencies} agencies ({answered} rows answered)")
    print(f"  chase --format xlsx         {write_time:7.2f} s")
    print(f"  apply --dry-run             {dry_time:7.2f} s")
    print(f"  apply                       {apply_time:7.2f} s")
    print(f"  apply again (no change)     {again_time:7.2f} s\n")

    if args.ten_thousand:
        # 9. status over 10,000 plans: time and peak memory.
        big = os.path.join(work, "corpus-10000")
        subprocess.run([sys.executable, os.path.join(HERE, "make_corpus.py"), big, "--plans", "10000"], check=True)
        big_cmd = [dhrtrack, "status", big]
        big_cold = median_time(big_cmd, 3, national_env, before=clear)
        subprocess.run(big_cmd, env=national_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        big_warm = median_time(big_cmd, 3, national_env)
        peak_cold = peak_memory_mb(big_cmd, national_env, before=clear)
        peak_warm = peak_memory_mb(big_cmd, national_env)
        print("status, 10,000 plans (goals: cold 30 s, unchanged 1 s, memory 300 MB)")
        print(f"  cold (empty cache)          {big_cold:7.2f} s   {peak_cold:5.0f} MB peak")
        print(f"  nothing changed (cached)    {big_warm:7.2f} s   {peak_warm:5.0f} MB peak\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
