"""The site's pages as HTML: one layout (skip link, marking, header, navigation, breadcrumbs, the
build's notice of what it holds, footer), pages of tables that sort and filter with the inline
script and read whole without it. Every value taken from a plan is escaped."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, List, Optional, Sequence, Tuple

from dhrtrack.plan import fields
from dhrtrack.render.site.assets import SCRIPT
from dhrtrack.reports.publish import kept
from dhrtrack.reports.site import RAG_WORDS, Entry, Group, ReviewPage, Site, anchor
from dhrtrack.wording import date_words, html_text, percent, plural, when_words

PAGE_ROWS = 500  # rows of a long list on one page: no page is more than a few hundred KB
HOME_REVIEWS = 30  # the home page's completion table: all reviews up to this many, else the most overdue

Page = Tuple[str, bytes]

NAV = (
    ("index.html", "Home"),
    ("reviews/index.html", "Reviews"),
    ("agencies/index.html", "Lead agencies"),
    ("themes/index.html", "Themes"),
    ("overdue/index.html", "Overdue"),
    ("changes.html", "Changes"),
    ("data.html", "Open data"),
)


@lru_cache(maxsize=8192)
def when(text: Optional[str]) -> str:
    """A date or month as people read it ("30 April 2017"), escaped for HTML; "—" for none."""
    return html_text(when_words(text, "long") or "—")


def tag(rag: Optional[str], overdue: str = "") -> str:
    words = html_text(RAG_WORDS.get(rag, str(rag)))
    out = f'<strong class="tag tag-{rag or "none"}">{words}</strong>'
    return out + (f' <span class="late">overdue by {html_text(overdue)}</span>' if overdue else "")


def _notice(site: Site) -> str:
    if site.public:
        names = ", ".join(f.label.lower() for f in site.left_out)
        return (
            '<div class="notice" role="note"><p><strong>What this site leaves out.</strong> '
            f"This is the public version. It leaves out each action's {html_text(names)}: "
            "they name people or hold case and agency detail that the partnership does not publish. "
            "Everything else in the action plans is here.</p></div>"
        )
    marking = f" Marking: {html_text(site.options.marking)}." if site.options.marking else ""
    return (
        '<div class="notice internal" role="note"><p><strong>Internal version.</strong> '
        "It includes owners' names, evidence, import notes and the update log: do not publish it "
        f"(dhrtrack site --public makes the version to publish).{marking}</p></div>"
    )


def _updated(site: Site) -> str:
    if site.updated is None:
        return f"Last updated: not known ({html_text(site.updated_note or 'not in git')})."
    text = f"Last updated: the plans as committed in {site.updated.sha[:10]} on {date_words_iso(site.updated.date)}"
    if site.updated.uncommitted:
        text += ", with changes not yet committed"
    return html_text(text) + "."


def date_words_iso(iso: str) -> str:
    return when_words(iso, "long") or iso


def layout(
    site: Site, path: str, title: str, body: str, crumbs: Sequence[Tuple[str, str]] = (), sortable: bool = False
) -> bytes:
    depth = path.count("/")
    root = "../" * depth
    section = path.split("/")[0] + "/index.html" if depth else path
    marking = site.options.marking if not site.public else None
    banner = f'<p class="marking">{html_text(marking)}</p>' if marking else ""
    nav = "".join(
        f'<li><a href="{root}{href}"' + (' aria-current="page"' if href == section else "") + f">{label}</a></li>"
        for href, label in NAV
        if href != "changes.html" or site.board.since is not None
    )
    trail = ""
    if crumbs:
        items = [f'<li><a href="{root}index.html">Home</a></li>']
        items += [f'<li><a href="{root}{href}">{html_text(label)}</a></li>' for href, label in crumbs]
        trail = f'<nav class="crumbs" aria-label="Breadcrumb"><ol>{"".join(items)}</ol></nav>'
    as_of = date_words(site.board.as_of)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)} – {html_text(site.title)}</title>",
        f'<link rel="stylesheet" href="{root}assets/site.css">',
        "</head><body>",
        '<a class="skip" href="#main">Skip to main content</a>',
        banner,
        f'<header class="header"><div class="wrap"><a class="service" href="{root}index.html">'
        f"{html_text(site.title)}</a></div></header>",
        f'<nav class="nav" aria-label="Site"><div class="wrap"><ul>{nav}</ul></div></nav>',
        f'<div class="wrap">{trail}{_notice(site)}',
        f'<main id="main" tabindex="-1"><h1>{html_text(title)}</h1>',
        body,
        "</main></div>",
        f'<footer><div class="wrap"><p>Figures as of {html_text(as_of)}. {_updated(site)}</p>',
        f'<p>Made with dhrtrack from the partnership\'s action plans. <a href="{root}data.html">Open data</a>.</p>',
        "</div></footer>",
        banner,
        f"<script>{SCRIPT}</script>" if sortable else "",
        "</body></html>",
    ]
    return ("\n".join(p for p in parts if p) + "\n").encode("utf-8")


def _head(*headers: str) -> str:
    cells = "".join(
        f'<th scope="col" class="num">{html_text(h[1:])}</th>'
        if h.startswith("#")
        else f'<th scope="col">{html_text(h)}</th>'
        for h in headers
    )
    return f"<thead><tr>{cells}</tr></thead>"


def table(caption: str, headers: Sequence[str], rows: Sequence[str]) -> str:
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{html_text(caption)}"><table data-sortable><caption>{html_text(caption)}</caption>'
        + _head(*headers)
        + "<tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def chunks(items: Sequence, size: Optional[int] = None) -> List[Sequence]:
    size = size or PAGE_ROWS
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def page_name(base: str, number: int) -> str:
    """The file of a list's page: base.html, then base--2.html (slugs never hold "--")."""
    return f"{base}.html" if number == 1 else f"{base}--{number}.html"


def pager(base: str, number: int, total: int) -> str:
    if total <= 1:
        return ""
    name = base.rsplit("/", 1)[-1]
    items = []
    for n in range(1, total + 1):
        if n == number:
            items.append(f'<li><span aria-current="page">Page {n}</span></li>')
        else:
            items.append(f'<li><a href="{page_name(name, n)}">Page {n}</a></li>')
    return f'<nav class="pages" aria-label="Pages of this list"><ul>{"".join(items)}</ul></nav>'


def entry_rows(site: Site, entries: Sequence[Entry], root: str, lead: bool = True) -> List[str]:
    rows = []
    latest = not site.public
    for e in entries:
        link = f"{root}reviews/{e.page}.html#{e.anchor}"
        rows.append(
            f'<tr><td class="nowrap">{html_text(e.review)}</td>'
            f'<td><a href="{link}">{html_text(e.action_id)}</a> {html_text(e.action)}</td>'
            + (f"<td>{html_text(e.lead)}</td>" if lead else "")
            + f'<td class="nowrap" data-sort="{e.due or ""}">{(when(e.target))}</td>'
            f'<td data-sort="{e.rag or "unrated"}">{tag(e.rag, e.overdue)}</td>'
            + (f"<td>{html_text(e.latest or '—')}</td>" if latest else "")
            + "</tr>"
        )
    return rows


def entry_headers(site: Site, lead: bool = True) -> List[str]:
    headers = ["Review", "Action", "Lead"] if lead else ["Review", "Action"]
    headers += ["Target", "Status"]
    return headers + ([] if site.public else ["Latest update"])


def _figures(site: Site) -> str:
    t = site.board.totals
    items = [
        (len(site.board.reviews), "reviews", ""),
        (t["actions"], "actions", ""),
        (f"{percent(t['complete'], t['actions'])}%", f"complete ({t['complete']})", ""),
        (t["overdue"], "overdue", "alert" if t["overdue"] else ""),
        (t["red"], "rated red", "alert" if t["red"] else ""),
        (t["missing_rag"], "not rated", ""),
        (t["no_target"], "without a target", ""),
    ]
    return (
        '<ul class="figures">'
        + "".join(
            f'<li class="{c}"><span class="n">{html_text(n)}</span>{html_text(label)}</li>'
            if c
            else f'<li><span class="n">{html_text(n)}</span>{html_text(label)}</li>'
            for n, label, c in items
        )
        + "</ul>"
    )


def review_rows(site: Site, reviews: Sequence, root: str) -> List[str]:
    rows = []
    for link in reviews:
        r = link.summary
        done = percent(r["complete"], r["actions"])
        rows.append(
            f'<tr><th scope="row"><a href="{root}reviews/{link.slug}.html">{html_text(link.review)}</a></th>'
            f'<td class="num">{r["actions"]}</td>'
            f'<td class="num" data-sort="{done}">{done}%<span class="bar" aria-hidden="true"><span style="width:{done}%"></span></span></td>'
            f'<td class="num">{r["overdue"]}</td><td class="num">{r["red"]}</td><td class="num">{r["missing_rag"]}</td></tr>'
        )
    return rows


REVIEW_HEADERS = ("Review", "#Actions", "#Complete", "#Overdue", "#Red", "#Not rated")


def home(site: Site) -> Page:
    board = site.board
    body = [
        f'<p class="lead">Progress on the actions agreed after {plural(len(board.reviews), "review")}, '
        f"as of {html_text(date_words(board.as_of))}.</p>",
        f"<p>{_updated(site)}</p>",
        '<h2 id="figures">Headline figures</h2>',
        _figures(site),
        '<h2 id="exceptions">Exceptions</h2><ul>',
        f'<li><a href="overdue/index.html">{plural(board.totals["overdue"], "action")} overdue</a></li>',
        f"<li>{plural(board.totals['red'], 'action')} rated red</li>",
        f"<li>{plural(board.totals['missing_rag'], 'action')} not rated</li>",
    ]
    if board.since is not None:
        body.append(
            f'<li><a href="changes.html">{plural(len(board.slips), "target")} slipped since {html_text(board.since)}</a></li>'
        )
    body.append("</ul>")
    if board.left_out:
        body.append(f'<h2 id="left-out">Plans left out ({len(board.left_out)})</h2>')
        body.append("<p>These plan files are not valid, so nothing in them is counted on this site.</p><ul>")
        body += [f"<li>{html_text(i.splitlines()[0])}</li>" for i in board.left_out]
        body.append("</ul>")
    body.append('<h2 id="reviews">Completion by review</h2>')
    shown = list(site.reviews)
    if len(shown) > HOME_REVIEWS:
        shown = sorted(shown, key=lambda r: (-r.summary["overdue"], r.review))[:HOME_REVIEWS]
        body.append(
            f"<p>The {HOME_REVIEWS} reviews with the most overdue actions. "
            f'<a href="reviews/index.html">All {len(site.reviews)} reviews</a>.</p>'
        )
    body.append(table("Completion by review", REVIEW_HEADERS, review_rows(site, shown, "")))
    body.append(
        '<h2 id="more">More</h2><ul>'
        '<li><a href="agencies/index.html">Actions by lead agency</a></li>'
        '<li><a href="themes/index.html">Actions by theme</a></li>'
        '<li><a href="data.html">Open data: the plans as CSV and JSON</a></li></ul>'
    )
    return "index.html", layout(site, "index.html", site.title, "\n".join(body), sortable=True)


def listing(
    site: Site,
    base: str,
    title: str,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[str],
    intro: str,
    crumbs: Sequence[Tuple[str, str]] = (),
) -> Iterator[Page]:
    """A long list over as many pages as it takes (PAGE_ROWS rows each)."""
    pages = chunks(rows)
    for number, part in enumerate(pages, 1):
        path = page_name(base, number)
        heading = title if len(pages) == 1 else f"{title} (page {number} of {len(pages)})"
        body = intro + pager(base, number, len(pages))
        body += table(caption, headers, part) if part else "<p>None.</p>"
        body += pager(base, number, len(pages))
        yield path, layout(site, path, heading, body, crumbs, sortable=bool(part))


def reviews_index(site: Site) -> Iterator[Page]:
    intro = f"<p>{plural(len(site.reviews), 'review')}, in order of review. Each review's page lists its recommendations and actions.</p>"
    yield from listing(
        site, "reviews/index", "Reviews", "Reviews", REVIEW_HEADERS, review_rows(site, site.reviews, "../"), intro
    )


def _group_rows(groups: Sequence[Group], folder: str) -> List[str]:
    rows = []
    for g in groups:
        done = percent(g.complete, len(g.entries))
        rows.append(
            f'<tr><th scope="row"><a href="{g.slug}.html">{html_text(g.name)}</a></th>'
            f'<td class="num">{len(g.entries)}</td><td class="num" data-sort="{done}">{done}%</td>'
            f'<td class="num">{g.overdue}</td><td class="num">{g.count("red")}</td><td class="num">{g.count(None)}</td></tr>'
        )
    return rows


def groups_index(site: Site, folder: str, title: str, what: str, groups: Sequence[Group]) -> Iterator[Page]:
    intro = f"<p>{plural(len(groups), what)}. Each one's page lists the actions, across every review.</p>"
    headers = (what.capitalize(), "#Actions", "#Complete", "#Overdue", "#Red", "#Not rated")
    yield from listing(site, f"{folder}/index", title, title, headers, _group_rows(groups, folder), intro)


def group_pages(site: Site, folder: str, crumb: str, groups: Sequence[Group], lead: bool, what: str) -> Iterator[Page]:
    for g in groups:
        intro = (
            f"<p>{plural(len(g.entries), 'action')} {what} {html_text(g.name)}, across "
            f"{plural(len({e.review for e in g.entries}), 'review')}: {g.complete} complete, "
            f"{g.overdue} overdue, {g.count(None)} not rated.</p>"
        )
        rows = entry_rows(site, g.entries, "../", lead=lead)
        yield from listing(
            site,
            f"{folder}/{g.slug}",
            g.name,
            f"Actions: {g.name}",
            entry_headers(site, lead),
            rows,
            intro,
            crumbs=[(f"{folder}/index.html", crumb)],
        )


def overdue_pages(site: Site) -> Iterator[Page]:
    intro = (
        f"<p>{plural(len(site.overdue), 'action')} past its due date and not complete, as of "
        f"{html_text(date_words(site.board.as_of))}: most overdue first.</p>"
    )
    rows = entry_rows(site, site.overdue, "../")
    yield from listing(site, "overdue/index", "Overdue actions", "Overdue actions", entry_headers(site), rows, intro)


def changes_page(site: Site) -> Iterator[Page]:
    board = site.board
    if board.since is None:
        return
    body = [f"<p>What changed in the plans since {html_text(board.since)}.</p>"]
    for title, _key, items in board.change_sections:
        body.append(f"<h2>{html_text(title)} ({len(items)})</h2>")
        body.append("<ul>" + "".join(f"<li>{html_text(i)}</li>" for i in items) + "</ul>" if items else "<p>None.</p>")
    yield "changes.html", layout(site, "changes.html", f"Changes since {board.since}", "\n".join(body))


# --- a review's page ------------------------------------------------------------------------


def _value(f: fields.Field, value: object, root: str, themes: dict) -> str:
    if f.kind == "text":
        return "".join(f"<p>{html_text(p)}</p>" for p in str(value).split("\n\n") if p.strip())
    if f.kind in ("texts", "tags"):
        items = []
        for item in value:  # type: ignore[attr-defined]
            text = html_text(item)
            if f.kind == "tags" and item in themes:
                text = f'<a href="{root}themes/{themes[item]}.html">{text}</a>'
            items.append(f"<li>{text}</li>")
        return f"<ul>{''.join(items)}</ul>"
    if f.kind in ("date", "month"):
        return when(str(value))
    return html_text(value)


def _summary(rows: List[Tuple[str, str]]) -> str:
    return (
        '<dl class="summary">' + "".join(f"<div><dt>{html_text(k)}</dt><dd>{v}</dd></div>" for k, v in rows) + "</dl>"
    )


def _history(items: list) -> str:
    lines = []
    for c in items:
        what = "rating" if c.field == "rag" else "target"
        old = c.old or ("unrated" if c.field == "rag" else "none")
        new = c.new or ("unrated" if c.field == "rag" else "none")
        lines.append(f"<li>{(when(c.date))}: {what} {html_text(old)} → {html_text(new)}</li>")
    return f"<ul>{''.join(lines)}</ul>"


REVIEW_SHOWN = [f for f in fields.fields(fields.REVIEW) if f.name not in ("id",)]
RECOMMENDATION_SHOWN = [f for f in fields.fields(fields.RECOMMENDATION) if f.name not in ("number", "text", "actions")]
ACTION_SHOWN = [
    f for f in fields.reading_order(fields.fields(fields.ACTION)) if f.name not in ("id", "action", "updates")
]


def review_page(site: Site, page: ReviewPage, themes: dict) -> Page:
    link = page.link
    path = f"reviews/{link.slug}.html"
    root = "../"
    public = site.public
    review_kept = kept(fields.REVIEW, public)
    body = []
    rows = [
        (f.label, _value(f, page.review[f.name], root, themes))
        for f in REVIEW_SHOWN
        if f.name in review_kept and page.review.get(f.name)
    ]
    r = link.summary
    rows.append(
        (
            "Actions",
            html_text(
                f"{r['actions']}: {r['complete']} complete, {r['overdue']} overdue, {r['missing_rag']} not rated"
            ),
        )
    )
    body.append(_summary(rows))
    # The actions at a glance, then each recommendation in full.
    glance = []
    for rec in page.recommendations:
        for a in rec.actions:
            glance.append(
                f'<tr><td><a href="#{anchor(a.data["id"])}">{html_text(a.data["id"])}</a></td>'
                f"<td>{html_text(a.data['lead'])}</td>"
                f'<td class="nowrap" data-sort="{a.due or ""}">{(when(a.data.get("target")))}</td>'
                f'<td data-sort="{a.data.get("rag") or "unrated"}">{tag(a.data.get("rag"), a.overdue)}</td></tr>'
            )
    body.append('<h2 id="actions">Actions at a glance</h2>')
    body.append(table(f"Actions of {link.review}", ("Action", "Lead", "Target", "Status"), glance))
    rec_kept, action_kept = kept(fields.RECOMMENDATION, public), kept(fields.ACTION, public)
    for rec in page.recommendations:
        number = rec.data["number"]
        body.append(
            f'<section class="recommendation" aria-labelledby="r-{number}"><h2 id="r-{number}">Recommendation {number}</h2>'
        )
        body.append(_value(fields.field(fields.RECOMMENDATION, "text"), rec.data["text"], root, themes))
        body.append(
            _summary(
                [
                    (f.label, _value(f, rec.data[f.name], root, themes))
                    for f in RECOMMENDATION_SHOWN
                    if f.name in rec_kept and rec.data.get(f.name)
                ]
            )
        )
        for a in rec.actions:
            d = a.data
            body.append(f'<div class="action"><h3 id="{anchor(d["id"])}">Action {html_text(d["id"])}</h3>')
            body.append(_value(fields.field(fields.ACTION, "action"), d["action"], root, themes))
            rows = []
            for f in ACTION_SHOWN:
                if f.name not in action_kept:
                    continue
                if f.name == "rag":
                    rows.append(("Status", tag(d.get("rag"), a.overdue)))
                elif f.name == "target":
                    rows.append((f.label, (when(d.get("target")) if d.get("target") else "none set")))
                    if a.due and len(d["target"]) == 7:
                        rows.append(("Due date", (when(a.due))))
                elif d.get(f.name):
                    rows.append((f.label, _value(f, d[f.name], root, themes)))
            if not public:
                rows.append(("Latest update", html_text(a.latest or "no update recorded")))
            if a.history:
                rows.append(("Rating and target history", _history(a.history)))
            body.append(_summary(rows) + "</div>")
        body.append("</section>")
    if site.history_note:
        body.append(f"<p>Rating and target history is not shown: {html_text(site.history_note)}.</p>")
    return path, layout(site, path, link.review, "\n".join(body), [("reviews/index.html", "Reviews")], sortable=True)


def data_page(site: Site, package: dict) -> Page:
    body = [
        "<p>The action plans as open data, for anyone to use: one row per action, and one row per review, "
        "as CSV with a Frictionless data package (datapackage.json) describing every column, and the actions as JSON.</p>",
        "<ul>",
        '<li><a href="data/actions.csv">actions.csv</a>: one row per action</li>',
        '<li><a href="data/reviews.csv">reviews.csv</a>: one row per review</li>',
        '<li><a href="data/actions.json">actions.json</a>: the actions as JSON</li>',
        '<li><a href="data/datapackage.json">datapackage.json</a>: the data package</li>',
        "</ul>",
    ]
    if site.public:
        body.append("<p>The data holds the same fields as these pages: the ones the partnership publishes.</p>")
    resource = package["resources"][0]
    rows = [
        f"<tr><td><code>{html_text(c['name'])}</code></td><td>{html_text(c['title'])}</td><td>{html_text(c['type'])}</td></tr>"
        for c in resource["schema"]["fields"]
    ]
    body.append('<h2 id="columns">Columns of actions.csv</h2>')
    body.append(table("Columns of actions.csv", ("Column", "Meaning", "Type"), rows))
    return "data.html", layout(site, "data.html", "Open data", "\n".join(body), sortable=True)


def pages(site: Site, package: dict) -> Iterator[Page]:
    themes = {g.name: g.slug for g in site.themes}
    yield home(site)
    yield from reviews_index(site)
    for page in site.pages:
        yield review_page(site, page, themes)
    yield from groups_index(site, "agencies", "Lead agencies", "lead agency", site.agencies)
    yield from group_pages(site, "agencies", "Lead agencies", site.agencies, lead=False, what="led by")
    yield from groups_index(site, "themes", "Themes", "theme", site.themes)
    yield from group_pages(site, "themes", "Themes", site.themes, lead=True, what="under the theme")
    yield from overdue_pages(site)
    yield from changes_page(site)
    yield data_page(site, package)
