"""The board paper as one self-contained HTML file: inline CSS and SVG, no scripts or external
assets, A4 print layout (the marking and "page N of M" in the page margins). Every value taken
from a plan is escaped."""

from __future__ import annotations

import re
from typing import List, Sequence

from dhrtrack.i18n import N_, _, n_, tag
from dhrtrack.render.board.common import (
    ACTION_COLUMNS,
    CLAIMED_TITLE,
    COMPLETED_NOTE,
    SEGMENTS,
    TARGET_NOTE,
    TIMELINESS_HEADERS,
    action_cells,
    cover,
    exception_items,
    more,
    note_heading,
    oldest_words,
    pct,
    quarter_words,
    segment_name,
    shown,
    timeliness_cells,
    timeliness_note,
    when,
)
from dhrtrack.reports.board import ActionRow, Board
from dhrtrack.reports.narrative import ASKED, INTRODUCTION, Block
from dhrtrack.wording import html_text


def NONE() -> str:
    return f"<p>{html_text(_('None.'))}</p>"


CSS = """
@page { size: A4 __ORIENTATION__; margin: 18mm 14mm 18mm;
        @bottom-right { content: __PAGE_NUMBERS__; font: 9pt Arial, sans-serif; color: #333; }
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
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }  /* a heading wraps: Welsh headings are long */
td.nowrap { white-space: nowrap; }
.rag-red { background: #ffc7ce; } .rag-amber { background: #ffeb9c; }
.rag-green { background: #c6efce; } .rag-complete { background: #bdd7ee; } .rag-none { background: #eee; }
.legend span { display: inline-block; margin-right: 4mm; }
.swatch { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: middle;
          border: 1px solid #404040; }
ul.changes, ul.left-out { margin: 1mm 0 3mm; padding-left: 6mm; }
svg { display: block; }
"""


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
    pages = " ".join(
        {"{page}": "counter(page)", "{pages}": "counter(pages)"}.get(part) or css_string(part)
        for part in re.split(r"(\{pages?\})", _("page {page} of {pages}"))
        if part
    )
    return (
        CSS.replace("__PAGE_NUMBERS__", pages)
        .replace("__ORIENTATION__", "landscape" if board.paper.landscape else "portrait")
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
        f'{height}" aria-label="{html_text(_("Completion by review: bar chart; the table below gives the figures"))}">'
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
                    f"<title>{html_text(_('{review}: {count} {rating}').format(review=row['review'], count=row[key], rating=segment_name(name)))}</title></rect>"
                )
                x += width
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 15}" font-size="12">'
            f"{pct(row['complete'], row['actions'])}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _quarter_bars(quarters: List[dict]) -> str:
    """Completions per quarter as columns, each with its count written above it."""
    width, height, gap = 44, 120, 8
    top = max([q["completed"] for q in quarters] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {len(quarters) * (width + gap)} '
        f'{height + 40}" aria-label="{html_text(_("Completions by quarter: column chart; the table below gives the figures"))}">'
    ]
    for i, q in enumerate(quarters):
        x = i * (width + gap)
        bar = height * q["completed"] / top
        parts.append(
            f'<rect x="{x}" y="{height - bar + 14:.1f}" width="{width}" height="{bar:.1f}" fill="#5b9bd5">'
            f"<title>{html_text(quarter_words(q['quarter']))}: {html_text(_('{n} completed').format(n=q['completed']))}</title></rect>"
        )
        parts.append(
            f'<text x="{x + width / 2}" y="{height - bar + 10:.1f}" font-size="11" text-anchor="middle">{q["completed"]}</text>'
        )
        parts.append(
            f'<text x="{x + width / 2}" y="{height + 30}" font-size="10" text-anchor="middle">{html_text(quarter_words(q["quarter"]))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    return (
        '<p class="legend">'
        + "".join(
            f'<span><span class="swatch" style="background:{colour}"></span>{html_text(segment_name(name))}</span>'
            for _key, colour, name in SEGMENTS
        )
        + "</p>"
    )


def narrative_html(blocks: List[Block]) -> str:
    """The coordinator's words: paragraphs and lists, bold and italic; all else escaped text."""
    out = []
    for block in blocks:
        items = [
            "".join(
                f"<strong>{html_text(text)}</strong>"
                if bold
                else f"<em>{html_text(text)}</em>"
                if italic
                else html_text(text)
                for text, bold, italic in item
            )
            for item in block.items
        ]
        if block.kind == "paragraph":
            out.append(f'<p class="narrative">{items[0]}</p>')
        else:
            tag = "ul" if block.kind == "bullets" else "ol"
            out.append(f'<{tag} class="narrative">' + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>")
    return "".join(out)


def _more(board: Board, key: str, rows: Sequence[object]) -> str:
    text = more(board, key, rows)
    return f'<p class="more">{html_text(text)}</p>' if text else ""


def _head(*headers: str) -> str:
    cells = "".join(
        f'<th scope="col" class="num">{html_text(h[1:])}</th>'
        if h.startswith("#")
        else f'<th scope="col">{html_text(h)}</th>'
        for h in headers
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _action_table(board: Board, rows: Sequence[ActionRow], caption: str, note_header: str) -> str:
    out = [
        f"<table><caption>{html_text(caption)}</caption>"
        + _head(*ACTION_COLUMNS, note_heading(note_header))
        + "<tbody>"
    ]
    for r in rows:
        rag_class = f"rag-{r.rag}" if r.rag else "rag-none"
        review, ident, action, lead, due, rag, note = map(html_text, action_cells(board, r, note_header))
        out.append(
            # Only the id never breaks: a review's name and a date may, or seven columns overrun A4.
            f'<tr><td>{review}</td><td class="nowrap">{ident}</td>'
            f"<td>{action}</td><td>{lead}</td><td>{due}</td>"
            f'<td class="{rag_class}">{rag}</td><td>{note}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def to_html(board: Board) -> str:
    t = board.totals
    figures = [
        (len(board.reviews), n_("review", "reviews", len(board.reviews))),
        (t["actions"], n_("action", "actions", t["actions"])),
        (f"{pct(t['complete'], t['actions'])}%", _("complete ({count})").format(count=t["complete"])),
        (t["overdue"], _("overdue")),
        (t["missing_rag"], _("unrated")),
        (t["no_target"], _("without a target")),
    ]
    marking = board.paper.marking
    banner = f'<p class="marking">{html_text(marking)}</p>' if marking else ""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{tag()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(board.title)}</title>",
        f"<style>{_css(board)}</style></head><body>",
        banner,
        "<header>",
        f"<h1>{html_text(board.title)}</h1>",
        '<dl class="cover">'
        + "".join(f"<dt>{html_text(label)}</dt><dd>{html_text(value)}</dd>" for label, value in cover(board))
        + "</dl>",
        "</header><main>",
    ]
    narrative = board.narrative
    if narrative and narrative.introduction:
        out.append(f'<h2 id="introduction">{html_text(_(INTRODUCTION))}</h2>' + narrative_html(narrative.introduction))
    out.append(f'<h2 id="exceptions">{html_text(_("Exceptions"))}</h2><ul class="exceptions">')
    out += [f'<li><span class="n">{n}</span>{html_text(label)}</li>' for n, label in exception_items(board)]
    out.append("</ul>")
    if board.left_out:
        left_out = _("Plans left out of this report ({count})").format(count=len(board.left_out))
        out.append(f'<h2 id="left-out">{html_text(left_out)}</h2>')
        out.append(
            "<p>"
            + _(
                "These plan files are not valid, so nothing in them is counted below. Fix them and "
                "produce the report again."
            )
            + "</p>"
        )
        out.append(
            '<ul class="left-out">'
            + "".join(f"<li>{html_text(i.splitlines()[0])}</li>" for i in board.left_out)
            + "</ul>"
        )
    out.append(f'<h2 id="headline">{_("Headline figures")}</h2><div class="figures">')
    out += [
        f'<div class="figure"><span class="n">{html_text(n)}</span>{html_text(label)}</div>' for n, label in figures
    ]
    out.append("</div>")
    if narrative and narrative.asked:
        out.append(f'<h2 id="asked">{html_text(_(ASKED))}</h2>' + narrative_html(narrative.asked))
    attention = _("Red and amber actions ({count})").format(count=len(board.attention))
    out.append(f'<h2 id="attention">{html_text(attention)}</h2>')
    out.append(
        _action_table(
            board,
            shown(board, board.attention),
            _("Red and amber actions, with the latest update"),
            N_("Latest update"),
        )
        + _more(board, "attention", board.attention)
        if board.attention
        else NONE()
    )
    if board.claimed:
        claimed = _("Completions claimed, not verified ({count})").format(count=len(board.claimed))
        out.append(f'<h2 id="claimed">{html_text(claimed)}</h2>')
        said = _("Rated complete on the lead agency's word; no one else has yet checked that the outcome was achieved.")
        out.append(
            f"<p>{html_text(said)}</p>"
            + _action_table(board, shown(board, board.claimed), _(CLAIMED_TITLE), COMPLETED_NOTE)
            + _more(board, "claimed", board.claimed)
        )
    if board.since is not None:
        out.append(f'<h2 id="changes">{html_text(_("Changes since {since}").format(since=board.since))}</h2>')
        for title, key, items in board.change_sections:
            out.append(f"<h3>{html_text(title)} ({len(items)})</h3>")
            if items:
                out.append(
                    '<ul class="changes">'
                    + "".join(f"<li>{html_text(i)}</li>" for i in shown(board, items))
                    + "</ul>"
                    + _more(board, key, items)
                )
            else:
                out.append(NONE())
    out.append(f'<h2 id="reviews">{html_text(_("Completion by review"))}</h2>')
    if board.reviews:
        out.append(_bars(list(shown(board, board.reviews))) + _legend())
        out.append(
            f"<table><caption>{html_text(_('Completion by review'))}</caption>"
            + _head(
                _("Review"),
                *(
                    "#" + h
                    for h in (_("Actions"), _("Complete"), _("Green"), _("Amber"), _("Red"), _("Unrated"))
                    + (_("Overdue"), _("No target"))
                ),
            )
            + "<tbody>"
        )
        for r in shown(board, board.reviews):
            out.append(
                f'<tr><th scope="row">{html_text(r["review"])}</th><td class="num">{r["actions"]}</td>'
                f'<td class="num">{r["complete"]} ({pct(r["complete"], r["actions"])}%)</td>'
                f'<td class="num">{r["green"]}</td><td class="num">{r["amber"]}</td><td class="num">{r["red"]}</td>'
                f'<td class="num">{r["missing_rag"]}</td><td class="num">{r["overdue"]}</td>'
                f'<td class="num">{r["no_target"]}</td></tr>'
            )
        out.append("</tbody></table>" + _more(board, "reviews", board.reviews))
    else:
        out.append(f"<p>{html_text(_('No plans.'))}</p>")
    for row in board.reviews if narrative else ():
        commentary = narrative.reviews.get(row["review"]) if narrative else None
        if commentary:
            commentary_on = _("Commentary on {review}").format(review=row["review"])
            out.append(f"<h3>{html_text(commentary_on)}</h3>" + narrative_html(commentary))
    out.append(f'<h2 id="agencies">{html_text(_("Actions by lead agency"))}</h2>')
    out.append(
        f"<table><caption>{html_text(_('Actions by lead agency'))}</caption>"
        + _head(
            _("Agency"),
            *("#" + h for h in (_("Actions"), _("Open"), _("Overdue"), _("Unrated"), _("Complete"))),
            _("Oldest overdue"),
        )
        + "<tbody>"
    )
    for a in shown(board, board.agencies):
        oldest = a["oldest_overdue"]
        oldest_text = oldest_words(board, oldest) if oldest else "—"
        out.append(
            f'<tr><th scope="row">{html_text(a["agency"])}</th><td class="num">{a["actions"]}</td>'
            f'<td class="num">{a["open"]}</td><td class="num">{a["overdue"]}</td><td class="num">{a["missing_rag"]}</td>'
            f'<td class="num">{a["percent_complete"]}%</td><td>{html_text(oldest_text)}</td></tr>'
        )
    out.append("</tbody></table>" + _more(board, "agencies", board.agencies))
    out.append(f'<h2 id="timeliness">{html_text(_("Timeliness"))}</h2>')
    out.append(f'<p class="intro">{html_text(timeliness_note(board))}</p>')
    out.append(
        f"<table><caption>{html_text(_('Timeliness by lead agency'))}</caption>"
        + _head(_("Agency"), *("#" + h for h in TIMELINESS_HEADERS))
        + "<tbody>"
    )
    for row in shown(board, board.timeliness):
        out.append(
            f'<tr><th scope="row">{html_text(row["agency"])}</th>'
            + "".join(f'<td class="num">{html_text(c)}</td>' for c in timeliness_cells(row))
            + "</tr>"
        )
    out.append("</tbody></table>" + _more(board, "timeliness", board.timeliness))
    out.append(f"<h3>{html_text(_('Completions by quarter'))}</h3>")
    if any(q["completed"] for q in board.completions_by_quarter):
        out.append(_quarter_bars(board.completions_by_quarter))
    else:
        no_dates = _("No action has a completion date in these quarters.")
        out.append(f'<p class="intro">{html_text(no_dates)}</p>')
    out.append(
        f"<table><caption>{html_text(_('Completions by quarter'))}</caption>"
        + _head(*(quarter_words(q["quarter"]) for q in board.completions_by_quarter))
        + "<tbody><tr>"
        + "".join(f'<td class="num">{q["completed"]}</td>' for q in board.completions_by_quarter)
        + "</tr></tbody></table>"
    )
    overdue = _("Overdue actions ({count})").format(count=len(board.overdue))
    out.append(f'<h2 id="overdue">{html_text(overdue)}</h2>')
    out.append(
        _action_table(board, shown(board, board.overdue), _("Overdue actions"), N_("Overdue by"))
        + _more(board, "overdue", board.overdue)
        if board.overdue
        else NONE()
    )
    unrated = _("Unrated actions ({count})").format(count=len(board.unrated))
    out.append(f'<h2 id="unrated">{html_text(unrated)}</h2>')
    out.append(
        _action_table(board, shown(board, board.unrated), _("Unrated actions"), TARGET_NOTE)
        + _more(board, "unrated", board.unrated)
        if board.unrated
        else NONE()
    )
    out.append("</main><footer>")
    out.append(
        f'<p class="meta">{html_text(_("Produced by dhrtrack on the plans as of {date}.").format(date=when(board, board.as_of.isoformat())))}</p>'
    )
    out.append(banner)
    out.append("</footer></body></html>")
    return "\n".join(line for line in out if line) + "\n"
