"""The quarterly board report, as one self-contained HTML file (inline CSS and SVG, no scripts
or external assets, A4 print layout) or as markdown. Every value taken from a plan is escaped."""

from __future__ import annotations

from typing import Callable, Dict, List, Tuple

from dhrtrack.render.tables import progress_bar
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.wording import date_words, html_text, json_text, markdown_cell


def _pct(part: int, whole: int) -> int:
    return int(100 * part / whole + 1e-9) if whole else 0


# --- HTML -----------------------------------------------------------------------------------

CSS = """
@page { size: A4 __ORIENTATION__; margin: 18mm 14mm 18mm;
        @bottom-right { content: "page " counter(page) " of " counter(pages); font: 9pt Arial, sans-serif; color: #333; }
        __MARKING_BOXES__ }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #1a1a1a;
       margin: 0 auto; max-width: __WIDTH__; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 8mm 0 2mm; border-bottom: 1px solid #767676; padding-bottom: 1mm;
     page-break-after: avoid; break-after: avoid; }
h3 { font-size: 11pt; break-after: avoid; page-break-after: avoid; }
p.intro { break-after: avoid; page-break-after: avoid; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; margin: 0 0 3mm; }
@media print { .marking { display: none; } }
dl.cover { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 2mm 0 4mm; }
dl.cover dt { font-weight: bold; } dl.cover dd { margin: 0; }
p.meta { color: #404040; margin: 0 0 4mm; }
ul.exceptions { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 3mm; margin: 2mm 0; }
ul.exceptions li, .figure { border: 1px solid #767676; border-radius: 2mm; padding: 2mm 3mm; min-width: 28mm; }
ul.exceptions .n, .figure .n { font-size: 16pt; font-weight: bold; display: block; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 3mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
          white-space: nowrap; }  /* for screen readers: the heading above says it to the eye */
thead { display: table-header-group; break-after: avoid; }
tr { page-break-inside: avoid; break-inside: avoid; }
tbody tr:nth-child(-n+2) { break-before: avoid; page-break-before: avoid; }
th, td { border: 1px solid #767676; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.rag-red { background: #ffc7ce; } .rag-amber { background: #ffeb9c; }
.rag-green { background: #c6efce; } .rag-complete { background: #bdd7ee; } .rag-none { background: #eee; }
.legend span { display: inline-block; margin-right: 4mm; }
.swatch { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: middle;
          border: 1px solid #404040; }
ul.changes, ul.left-out { margin: 1mm 0 3mm; padding-left: 6mm; }
svg { display: block; }
"""

SEGMENTS = [
    ("complete", "#5b9bd5", "complete"),
    ("green", "#70ad47", "green"),
    ("amber", "#ffc000", "amber"),
    ("red", "#e0383e", "red"),
    ("missing_rag", "#bfbfbf", "unrated"),
]


def css_string(text: str) -> str:
    """text as a CSS string literal that cannot end the string, the rule or the <style> element:
    quotes and backslashes escaped, and control characters and < > & as hexadecimal escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or char in "<>&" or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _css(board: Board) -> str:
    marking = board.paper.marking
    boxes = ""
    if marking:
        quoted = css_string(marking)
        style = "font: bold 9pt Arial, sans-serif;"
        boxes = f"@top-center {{ content: {quoted}; {style} }} @bottom-center {{ content: {quoted}; {style} }}"
    return (
        CSS.replace("__ORIENTATION__", "landscape" if board.paper.landscape else "portrait")
        .replace("__MARKING_BOXES__", boxes)
        .replace("__WIDTH__", "269mm" if board.paper.landscape else "182mm")
    )


def _bars(reviews: List[dict]) -> str:
    """One stacked horizontal bar a review: complete, green, amber, red, unrated; each segment
    titled with its count and the percentage written beside the bar (never colour alone)."""
    label_w, bar_w, row_h = 180, 420, 22
    height = row_h * len(reviews) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {label_w + bar_w + 60} '
        f'{height}" aria-label="Completion by review: bar chart; the table below gives the figures">'
    ]
    for i, row in enumerate(reviews):
        y = 3 + i * row_h
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{html_text(row["review"])}</text>')
        x = float(label_w)
        total = row["actions"] or 1
        for key, colour, name in SEGMENTS:
            width = bar_w * row[key] / total
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="{row_h - 6}" fill="{colour}">'
                    f"<title>{html_text(row['review'])}: {row[key]} {name}</title></rect>"
                )
                x += width
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 15}" font-size="12">'
            f"{_pct(row['complete'], row['actions'])}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _quarter_bars(quarters: List[dict]) -> str:
    """Completions per quarter as columns, each with its count written above it."""
    width, height, gap = 44, 120, 8
    top = max([q["completed"] for q in quarters] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {len(quarters) * (width + gap)} '
        f'{height + 40}" aria-label="Completions by quarter: column chart; the table below gives the figures">'
    ]
    for i, q in enumerate(quarters):
        x = i * (width + gap)
        bar = height * q["completed"] / top
        parts.append(
            f'<rect x="{x}" y="{height - bar + 14:.1f}" width="{width}" height="{bar:.1f}" fill="#5b9bd5">'
            f"<title>{html_text(q['quarter'])}: {q['completed']} completed</title></rect>"
        )
        parts.append(
            f'<text x="{x + width / 2}" y="{height - bar + 10:.1f}" font-size="11" text-anchor="middle">{q["completed"]}</text>'
        )
        parts.append(
            f'<text x="{x + width / 2}" y="{height + 30}" font-size="10" text-anchor="middle">{html_text(q["quarter"])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _percent(value: object) -> str:
    return "—" if value is None else f"{value}%"


def _median(value: object) -> str:
    return "—" if value is None else f"{value:g}"


def _timeliness_cells(row: dict) -> List[str]:
    return [
        str(row["completed_on_time"]),
        str(row["completed_late"]),
        _percent(row["on_time_percent"]),
        _median(row["median_days_late"]),
        str(row["target_slips"]),
        str(row["months_slipped"]),
    ]


TIMELINESS_HEADERS = ("On time", "Late", "On-time rate", "Median days late", "Target slips", "Months slipped")


def _timeliness_note(board: Board) -> str:
    note = (
        "On time: completed on or before the due date; late: after it; the on-time rate is among "
        "completions with a date."
    )
    if board.history != "git":
        note += f" Target slips are not counted: {board.history}."
    if board.earlier_completions:
        note += f" {board.earlier_completions} completions fall before the quarters shown."
    return note


def _legend() -> str:
    return (
        '<p class="legend">'
        + "".join(
            f'<span><span class="swatch" style="background:{colour}"></span>{html_text(name)}</span>'
            for _key, colour, name in SEGMENTS
        )
        + "</p>"
    )


def _head(*headers: str) -> str:
    cells = "".join(
        f'<th scope="col" class="num">{html_text(h[1:])}</th>'
        if h.startswith("#")
        else f'<th scope="col">{html_text(h)}</th>'
        for h in headers
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _action_table(rows: List[ActionRow], caption: str, note_header: str) -> str:
    out = [
        f"<table><caption>{html_text(caption)}</caption>"
        + _head("Review", "Action", "Action text", "Lead", "Due", "RAG", note_header)
        + "<tbody>"
    ]
    for r in rows:
        rag_class = f"rag-{r.rag}" if r.rag else "rag-none"
        out.append(
            f'<tr><td class="nowrap">{html_text(r.review)}</td><td class="nowrap">{html_text(r.action_id)}</td>'
            f'<td>{html_text(r.action)}</td><td>{html_text(r.lead)}</td><td class="nowrap">{html_text(r.due or "—")}</td>'
            f'<td class="{rag_class}">{html_text(r.rag or "unrated")}</td><td>{html_text(r.note)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def _cover(board: Board) -> List[Tuple[str, str]]:
    paper = board.paper
    rows = [
        ("Meeting", paper.meeting),
        ("Author", paper.author),
        ("As of", date_words(board.as_of)),
        ("Partnership", ", ".join(board.partnerships) or None),
        ("Lead agency", paper.lead),
        ("Changes since", board.since),
        ("Marking", paper.marking),
    ]
    return [(label, value) for label, value in rows if value]


def _exception_items(board: Board) -> List[Tuple[int, str]]:
    e = board.exceptions
    items = [(e["overdue"], "overdue"), (e["red"], "rated red"), (e["unrated"], "unrated")]
    if e["slipped"] is not None:
        items.append((e["slipped"], f"target{'s' if e['slipped'] != 1 else ''} slipped since {board.since}"))
    return items


def to_html(board: Board) -> str:
    t = board.totals
    figures = [
        (len(board.reviews), "reviews"),
        (t["actions"], "actions"),
        (f"{_pct(t['complete'], t['actions'])}%", f"complete ({t['complete']})"),
        (t["overdue"], "overdue"),
        (t["missing_rag"], "unrated"),
        (t["no_target"], "without a target"),
    ]
    marking = board.paper.marking
    banner = f'<p class="marking">{html_text(marking)}</p>' if marking else ""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(board.title)}</title>",
        f"<style>{_css(board)}</style></head><body>",
        banner,
        "<header>",
        f"<h1>{html_text(board.title)}</h1>",
        '<dl class="cover">'
        + "".join(f"<dt>{html_text(label)}</dt><dd>{html_text(value)}</dd>" for label, value in _cover(board))
        + "</dl>",
        "</header><main>",
        '<h2 id="exceptions">Exceptions</h2><ul class="exceptions">',
    ]
    out += [f'<li><span class="n">{n}</span>{html_text(label)}</li>' for n, label in _exception_items(board)]
    out.append("</ul>")
    if board.left_out:
        out.append(f'<h2 id="left-out">Plans left out of this report ({len(board.left_out)})</h2>')
        out.append(
            "<p>These plan files are not valid, so nothing in them is counted below. Fix them and "
            "produce the report again.</p>"
        )
        out.append(
            '<ul class="left-out">'
            + "".join(f"<li>{html_text(i.splitlines()[0])}</li>" for i in board.left_out)
            + "</ul>"
        )
    out.append('<h2 id="headline">Headline figures</h2><div class="figures">')
    out += [
        f'<div class="figure"><span class="n">{html_text(n)}</span>{html_text(label)}</div>' for n, label in figures
    ]
    out.append("</div>")
    out.append(f'<h2 id="attention">Red and amber actions ({len(board.attention)})</h2>')
    out.append(
        _action_table(board.attention, "Red and amber actions, with the latest update", "Latest update")
        if board.attention
        else "<p>None.</p>"
    )
    if board.since is not None:
        out.append(f'<h2 id="changes">Changes since {html_text(board.since)}</h2>')
        for title, items in (
            ("Newly completed", board.completed_since),
            ("RAG changes", board.rag_changes),
            ("Target slips", board.slips),
        ):
            out.append(f"<h3>{html_text(title)} ({len(items)})</h3>")
            if items:
                out.append('<ul class="changes">' + "".join(f"<li>{html_text(i)}</li>" for i in items) + "</ul>")
            else:
                out.append("<p>None.</p>")
    out.append('<h2 id="reviews">Completion by review</h2>')
    if board.reviews:
        out.append(_bars(board.reviews) + _legend())
        out.append(
            "<table><caption>Completion by review</caption>"
            + _head("Review", "#Actions", "#Complete", "#Green", "#Amber", "#Red", "#Unrated", "#Overdue", "#No target")
            + "<tbody>"
        )
        for r in board.reviews:
            out.append(
                f'<tr><th scope="row">{html_text(r["review"])}</th><td class="num">{r["actions"]}</td>'
                f'<td class="num">{r["complete"]} ({_pct(r["complete"], r["actions"])}%)</td>'
                f'<td class="num">{r["green"]}</td><td class="num">{r["amber"]}</td><td class="num">{r["red"]}</td>'
                f'<td class="num">{r["missing_rag"]}</td><td class="num">{r["overdue"]}</td>'
                f'<td class="num">{r["no_target"]}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>No plans.</p>")
    out.append('<h2 id="agencies">Actions by lead agency</h2>')
    out.append(
        "<table><caption>Actions by lead agency</caption>"
        + _head("Agency", "#Actions", "#Open", "#Overdue", "#Unrated", "#Complete", "Oldest overdue")
        + "<tbody>"
    )
    for a in board.agencies:
        oldest = a["oldest_overdue"]
        oldest_text = f"{oldest['review']} {oldest['action']} (due {oldest['due']})" if oldest else "—"
        out.append(
            f'<tr><th scope="row">{html_text(a["agency"])}</th><td class="num">{a["actions"]}</td>'
            f'<td class="num">{a["open"]}</td><td class="num">{a["overdue"]}</td><td class="num">{a["missing_rag"]}</td>'
            f'<td class="num">{a["percent_complete"]}%</td><td>{html_text(oldest_text)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append('<h2 id="timeliness">Timeliness</h2>')
    out.append(f'<p class="intro">{html_text(_timeliness_note(board))}</p>')
    out.append(
        "<table><caption>Timeliness by lead agency</caption>"
        + _head("Agency", *("#" + h for h in TIMELINESS_HEADERS))
        + "<tbody>"
    )
    for row in board.timeliness:
        out.append(
            f'<tr><th scope="row">{html_text(row["agency"])}</th>'
            + "".join(f'<td class="num">{html_text(c)}</td>' for c in _timeliness_cells(row))
            + "</tr>"
        )
    out.append("</tbody></table>")
    out.append("<h3>Completions by quarter</h3>")
    if any(q["completed"] for q in board.completions_by_quarter):
        out.append(_quarter_bars(board.completions_by_quarter))
    else:
        out.append('<p class="intro">No action has a completion date in these quarters.</p>')
    out.append(
        "<table><caption>Completions by quarter</caption>"
        + _head(*(q["quarter"] for q in board.completions_by_quarter))
        + "<tbody><tr>"
        + "".join(f'<td class="num">{q["completed"]}</td>' for q in board.completions_by_quarter)
        + "</tr></tbody></table>"
    )
    out.append(f'<h2 id="overdue">Overdue actions ({len(board.overdue)})</h2>')
    out.append(_action_table(board.overdue, "Overdue actions", "Overdue by") if board.overdue else "<p>None.</p>")
    out.append(f'<h2 id="unrated">Unrated actions ({len(board.unrated)})</h2>')
    out.append(_action_table(board.unrated, "Unrated actions", "Target") if board.unrated else "<p>None.</p>")
    out.append("</main><footer>")
    out.append(f'<p class="meta">Produced by dhrtrack on the plans as of {html_text(board.as_of.isoformat())}.</p>')
    out.append(banner)
    out.append("</footer></body></html>")
    return "\n".join(line for line in out if line) + "\n"


# --- JSON ---------------------------------------------------------------------------------


def to_json(board: Board) -> str:
    return json_text(board.document())


# --- markdown -------------------------------------------------------------------------------


def to_markdown(board: Board) -> str:
    t = board.totals
    marking = board.paper.marking
    out = ([f"**{markdown_cell(marking)}**", ""] if marking else []) + [f"# {markdown_cell(board.title)}", ""]
    out += [f"- **{label}:** {markdown_cell(value)}" for label, value in _cover(board)] + [""]
    out += ["## Exceptions", ""]
    out += [f"- **{n}** {markdown_cell(label)}" for n, label in _exception_items(board)] + [""]
    if board.left_out:
        out += [f"## Plans left out of this report ({len(board.left_out)})", ""]
        out += [f"- {markdown_cell(i.splitlines()[0])}" for i in board.left_out] + [""]
    out += [
        "## Headline figures",
        "",
        f"- **{len(board.reviews)}** reviews, **{t['actions']}** actions",
        f"- **{_pct(t['complete'], t['actions'])}%** complete ({t['complete']})",
        f"- **{t['overdue']}** overdue, **{t['missing_rag']}** unrated, **{t['no_target']}** without a target",
        "",
    ]
    out += _markdown_actions(f"Red and amber actions ({len(board.attention)})", board.attention, "Latest update")
    out.append("")
    if board.since is not None:
        out += [f"## Changes since {markdown_cell(board.since)}", ""]
        for title, items in (
            ("Newly completed", board.completed_since),
            ("RAG changes", board.rag_changes),
            ("Target slips", board.slips),
        ):
            out += [f"### {title} ({len(items)})", ""]
            out += [f"- {markdown_cell(i)}" for i in items] or ["None."]
            out.append("")
    out += [
        "## Completion by review",
        "",
        "| Review | Actions | Complete | Green | Amber | Red | Unrated | Overdue | No target |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in board.reviews:
        out.append(
            f"| {markdown_cell(r['review'])} | {r['actions']} | {r['complete']} {progress_bar(r['complete'] / r['actions'] if r['actions'] else 0)} "
            f"| {r['green']} | {r['amber']} | {r['red']} | {r['missing_rag']} | {r['overdue']} | {r['no_target']} |"
        )
    out += [
        "",
        "## Actions by lead agency",
        "",
        "| Agency | Actions | Open | Overdue | Unrated | Complete | Oldest overdue |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for a in board.agencies:
        oldest = a["oldest_overdue"]
        oldest_text = f"{oldest['review']} {oldest['action']} (due {oldest['due']})" if oldest else "—"
        out.append(
            f"| {markdown_cell(a['agency'])} | {a['actions']} | {a['open']} | {a['overdue']} | {a['missing_rag']} "
            f"| {a['percent_complete']}% | {markdown_cell(oldest_text)} |"
        )
    out += ["", "## Timeliness", "", _timeliness_note(board), ""]
    out += ["| Agency | " + " | ".join(TIMELINESS_HEADERS) + " |", "|---|" + "--:|" * len(TIMELINESS_HEADERS)]
    for row in board.timeliness:
        out.append(f"| {markdown_cell(row['agency'])} | " + " | ".join(_timeliness_cells(row)) + " |")
    out += ["", "### Completions by quarter", ""]
    out += ["| " + " | ".join(q["quarter"] for q in board.completions_by_quarter) + " |"]
    out += ["|" + "--:|" * len(board.completions_by_quarter)]
    out += ["| " + " | ".join(str(q["completed"]) for q in board.completions_by_quarter) + " |"]
    out.append("")
    out += _markdown_actions(f"Overdue actions ({len(board.overdue)})", board.overdue, "Overdue by")
    out.append("")
    out += _markdown_actions(f"Unrated actions ({len(board.unrated)})", board.unrated, "Target")
    if marking:
        out += ["", f"**{markdown_cell(marking)}**"]
    return "\n".join(out) + "\n"


def _markdown_actions(title: str, actions: List[ActionRow], note: str) -> List[str]:
    out = [f"## {title}", ""]
    if not actions:
        return out + ["None."]
    out += [f"| Review | Action | Action text | Lead | Due | RAG | {note} |", "|---|---|---|---|---|---|---|"]
    for row in actions:
        out.append(
            f"| {markdown_cell(row.review)} | {markdown_cell(row.action_id)} | {markdown_cell(row.action)} "
            f"| {markdown_cell(row.lead)} | {markdown_cell(row.due or '—')} "
            f"| {markdown_cell(row.rag or 'unrated')} | {markdown_cell(row.note)} |"
        )
    return out


BOARD_RENDERERS: Dict[str, Callable[[Board], str]] = {"html": to_html, "markdown": to_markdown, "json": to_json}


# --- Word -------------------------------------------------------------------------------------

RAG_SHADES = {"red": "FFC7CE", "amber": "FFEB9C", "green": "C6EFCE", "complete": "BDD7EE"}


def to_docx(board: Board) -> bytes:
    """The paper as a Word document: the marking in every page's header and footer, page N of
    M in the footer, the cover block, and tables whose heading row repeats on every page."""
    import io

    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    wide, narrow = Mm(297), Mm(210)
    if board.paper.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = wide, narrow
    else:
        section.page_width, section.page_height = narrow, wide
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Mm(14))
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    marking = board.paper.marking
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        header.add_run(marking).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        footer.add_run(marking + "    ").bold = True
    footer.add_run("page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")

    document.core_properties.title = board.title
    if board.paper.author:
        document.core_properties.author = board.paper.author
    document.add_heading(board.title, level=0)
    for label, value in _cover(board):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_heading("Exceptions", level=1)
    for n, label in _exception_items(board):
        document.add_paragraph(f"{n} {label}", style="List Bullet")
    if board.left_out:
        document.add_heading(f"Plans left out of this report ({len(board.left_out)})", level=1)
        document.add_paragraph("These plan files are not valid, so nothing in them is counted below.")
        for item in board.left_out:
            document.add_paragraph(item.splitlines()[0], style="List Bullet")
    t = board.totals
    document.add_heading("Headline figures", level=1)
    for line in (
        f"{len(board.reviews)} reviews, {t['actions']} actions",
        f"{_pct(t['complete'], t['actions'])}% complete ({t['complete']})",
        f"{t['overdue']} overdue, {t['missing_rag']} unrated, {t['no_target']} without a target",
    ):
        document.add_paragraph(line, style="List Bullet")
    _docx_actions(document, f"Red and amber actions ({len(board.attention)})", board.attention, "Latest update")
    if board.since is not None:
        document.add_heading(f"Changes since {board.since}", level=1)
        for title, items in (
            ("Newly completed", board.completed_since),
            ("RAG changes", board.rag_changes),
            ("Target slips", board.slips),
        ):
            document.add_heading(f"{title} ({len(items)})", level=2)
            for item in items or ["None."]:
                document.add_paragraph(item, style="List Bullet" if items else None)
    document.add_heading("Completion by review", level=1)
    _docx_table(
        document,
        ["Review", "Actions", "Complete", "Green", "Amber", "Red", "Unrated", "Overdue", "No target"],
        [
            [
                r["review"],
                r["actions"],
                f"{r['complete']} ({_pct(r['complete'], r['actions'])}%)",
                r["green"],
                r["amber"],
                r["red"],
                r["missing_rag"],
                r["overdue"],
                r["no_target"],
            ]
            for r in board.reviews
        ],
    )
    document.add_heading("Actions by lead agency", level=1)
    _docx_table(
        document,
        ["Agency", "Actions", "Open", "Overdue", "Unrated", "Complete", "Oldest overdue"],
        [
            [
                a["agency"],
                a["actions"],
                a["open"],
                a["overdue"],
                a["missing_rag"],
                f"{a['percent_complete']}%",
                f"{a['oldest_overdue']['review']} {a['oldest_overdue']['action']} (due {a['oldest_overdue']['due']})"
                if a["oldest_overdue"]
                else "—",
            ]
            for a in board.agencies
        ],
    )
    document.add_heading("Timeliness", level=1)
    document.add_paragraph(_timeliness_note(board))
    _docx_table(
        document,
        ["Agency", *TIMELINESS_HEADERS],
        [[row["agency"], *_timeliness_cells(row)] for row in board.timeliness],
    )
    document.add_heading("Completions by quarter", level=2)
    _docx_table(
        document,
        [q["quarter"] for q in board.completions_by_quarter],
        [[q["completed"] for q in board.completions_by_quarter]],
    )
    _docx_actions(document, f"Overdue actions ({len(board.overdue)})", board.overdue, "Overdue by")
    _docx_actions(document, f"Unrated actions ({len(board.unrated)})", board.unrated, "Target")
    document.add_paragraph(f"Produced by dhrtrack on the plans as of {board.as_of.isoformat()}.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _field(paragraph: object, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)  # type: ignore[attr-defined]


def _docx_table(document: object, headers: List[str], rows: List[List[object]], rag_column: int = -1) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    heading = table.rows[0]
    for cell, text in zip(heading.cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    # The heading row repeats at the top of every page the table runs onto.
    properties = heading._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values)):
            cell.text = "" if value is None else str(value)
            shade = RAG_SHADES.get(str(value)) if i == rag_column else None
            if shade:
                fill = OxmlElement("w:shd")
                fill.set(qn("w:val"), "clear")
                fill.set(qn("w:color"), "auto")
                fill.set(qn("w:fill"), shade)
                cell._tc.get_or_add_tcPr().append(fill)


def _docx_actions(document: object, title: str, actions: List[ActionRow], note: str) -> None:
    document.add_heading(title, level=1)  # type: ignore[attr-defined]
    if not actions:
        document.add_paragraph("None.")  # type: ignore[attr-defined]
        return
    _docx_table(
        document,
        ["Review", "Action", "Action text", "Lead", "Due", "RAG", note],
        [[r.review, r.action_id, r.action, r.lead, r.due or "—", r.rag or "unrated", r.note] for r in actions],
        rag_column=5,
    )
