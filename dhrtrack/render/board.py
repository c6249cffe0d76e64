"""The quarterly board report, as one self-contained HTML file (inline CSS and SVG, no scripts
or external assets, A4 print layout) or as markdown. Every value taken from a plan is escaped."""

from __future__ import annotations

from typing import Callable, Dict, List

from dhrtrack.render.tables import progress_bar
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.wording import date_words, html_text, json_text, markdown_cell


def _pct(part: int, whole: int) -> int:
    return int(100 * part / whole + 1e-9) if whole else 0


# --- HTML -----------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #1a1a1a;
       margin: 0 auto; max-width: 190mm; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 8mm 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm;
     page-break-after: avoid; break-after: avoid; }
p.meta { color: #444; margin: 0 0 4mm; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 3mm 0; }
.figure { border: 1px solid #bbb; border-radius: 2mm; padding: 2mm 3mm; min-width: 28mm; }
.figure .n { font-size: 16pt; font-weight: bold; display: block; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.rag-red { background: #ffc7ce; } .rag-amber { background: #ffeb9c; }
.rag-green { background: #c6efce; } .rag-complete { background: #bdd7ee; } .rag-none { background: #eee; }
.legend span { display: inline-block; margin-right: 4mm; }
.swatch { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: middle; }
ul.changes { margin: 1mm 0 3mm; padding-left: 6mm; }
svg { display: block; }
"""

SEGMENTS = [
    ("complete", "#5b9bd5", "complete"),
    ("green", "#70ad47", "green"),
    ("amber", "#ffc000", "amber"),
    ("red", "#e0383e", "red"),
    ("missing_rag", "#bfbfbf", "unrated"),
]


def _bars(reviews: List[dict]) -> str:
    """One stacked horizontal bar a review: complete, green, amber, red, unrated."""
    label_w, bar_w, row_h = 180, 420, 22
    height = row_h * len(reviews) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {label_w + bar_w + 60} '
        f'{height}" aria-label="Completion by review">'
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


def _legend() -> str:
    return (
        '<p class="legend">'
        + "".join(
            f'<span><span class="swatch" style="background:{colour}"></span>{html_text(name)}</span>'
            for _key, colour, name in SEGMENTS
        )
        + "</p>"
    )


def _action_table(rows: List[ActionRow], note_header: str) -> str:
    out = [
        "<table><thead><tr><th>Review</th><th>Action</th><th>Action text</th><th>Lead</th>"
        f"<th>Due</th><th>RAG</th><th>{html_text(note_header)}</th></tr></thead><tbody>"
    ]
    for r in rows:
        rag_class = f"rag-{r.rag}" if r.rag else "rag-none"
        out.append(
            f'<tr><td class="nowrap">{html_text(r.review)}</td><td class="nowrap">{html_text(r.action_id)}</td>'
            f'<td>{html_text(r.action)}</td><td>{html_text(r.lead)}</td><td class="nowrap">{html_text(r.due or "—")}</td>'
            f'<td class="{rag_class}">{html_text(r.rag or "unrated")}</td><td class="nowrap">{html_text(r.note)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


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
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(board.title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{html_text(board.title)}</h1>",
        f'<p class="meta">As of {html_text(date_words(board.as_of))}'
        + (f" · {html_text(', '.join(board.partnerships))}" if board.partnerships else "")
        + (f" · changes since {html_text(board.since)}" if board.since else "")
        + "</p>",
        '<h2 id="headline">Headline figures</h2><div class="figures">',
    ]
    out += [
        f'<div class="figure"><span class="n">{html_text(n)}</span>{html_text(label)}</div>' for n, label in figures
    ]
    out.append("</div>")
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
            '<table><thead><tr><th>Review</th><th class="num">Actions</th><th class="num">Complete</th>'
            '<th class="num">Green</th><th class="num">Amber</th><th class="num">Red</th>'
            '<th class="num">Unrated</th><th class="num">Overdue</th><th class="num">No target</th>'
            "</tr></thead><tbody>"
        )
        for r in board.reviews:
            out.append(
                f'<tr><td>{html_text(r["review"])}</td><td class="num">{r["actions"]}</td>'
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
        '<table><thead><tr><th>Agency</th><th class="num">Actions</th><th class="num">Open</th>'
        '<th class="num">Overdue</th><th class="num">Unrated</th><th class="num">Complete</th>'
        "<th>Oldest overdue</th></tr></thead><tbody>"
    )
    for a in board.agencies:
        oldest = a["oldest_overdue"]
        oldest_text = f"{oldest['review']} {oldest['action']} (due {oldest['due']})" if oldest else "—"
        out.append(
            f'<tr><td>{html_text(a["agency"])}</td><td class="num">{a["actions"]}</td><td class="num">{a["open"]}</td>'
            f'<td class="num">{a["overdue"]}</td><td class="num">{a["missing_rag"]}</td>'
            f'<td class="num">{a["percent_complete"]}%</td><td>{html_text(oldest_text)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(f'<h2 id="overdue">Overdue actions ({len(board.overdue)})</h2>')
    out.append(_action_table(board.overdue, "Overdue by") if board.overdue else "<p>None.</p>")
    out.append(f'<h2 id="unrated">Unrated actions ({len(board.unrated)})</h2>')
    out.append(_action_table(board.unrated, "Target") if board.unrated else "<p>None.</p>")
    out.append(f'<p class="meta">Produced by dhrtrack on the plans as of {html_text(board.as_of.isoformat())}.</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --- JSON ---------------------------------------------------------------------------------


def to_json(board: Board) -> str:
    return json_text(board.document())


# --- markdown -------------------------------------------------------------------------------


def to_markdown(board: Board) -> str:
    t = board.totals
    out = [
        f"# {markdown_cell(board.title)}",
        "",
        f"As of {date_words(board.as_of)}"
        + (f" · {markdown_cell(', '.join(board.partnerships))}" if board.partnerships else "")
        + (f" · changes since {markdown_cell(board.since)}" if board.since else ""),
        "",
        "## Headline figures",
        "",
        f"- **{len(board.reviews)}** reviews, **{t['actions']}** actions",
        f"- **{_pct(t['complete'], t['actions'])}%** complete ({t['complete']})",
        f"- **{t['overdue']}** overdue, **{t['missing_rag']}** unrated, **{t['no_target']}** without a target",
        "",
    ]
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
    actions: List[ActionRow]
    for title, actions, note in (
        (f"Overdue actions ({len(board.overdue)})", board.overdue, "Overdue by"),
        (f"Unrated actions ({len(board.unrated)})", board.unrated, "Target"),
    ):
        out += ["", f"## {title}", ""]
        if not actions:
            out.append("None.")
            continue
        out += [f"| Review | Action | Action text | Lead | Due | RAG | {note} |", "|---|---|---|---|---|---|---|"]
        for row in actions:
            out.append(
                f"| {markdown_cell(row.review)} | {markdown_cell(row.action_id)} | {markdown_cell(row.action)} | {markdown_cell(row.lead)} | {markdown_cell(row.due or '—')} "
                f"| {markdown_cell(row.rag or 'unrated')} | {markdown_cell(row.note)} |"
            )
    return "\n".join(out) + "\n"


BOARD_RENDERERS: Dict[str, Callable[[Board], str]] = {"html": to_html, "markdown": to_markdown, "json": to_json}
