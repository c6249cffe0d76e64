"""The site's pages as HTML: one layout (skip link, marking, header, navigation, breadcrumbs, the
build's notice of what it holds, footer), pages of tables that sort and filter with the inline
script and read whole without it. Every value taken from a plan is escaped."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, List, Optional, Sequence, Tuple

from dhrtrack.i18n import LANGUAGES, N_, _, catalogue, current, n_, p_, pN_
from dhrtrack.i18n import tag as language_tag
from dhrtrack.plan import fields
from dhrtrack.render.site.assets import SCRIPT
from dhrtrack.reports.publish import kept
from dhrtrack.reports.site import Entry, Group, ReviewPage, Site, anchor, status_word
from dhrtrack.wording import date_words, html_text, percent, rag_word, verification_words, when_words

PAGE_ROWS = 500  # rows of a long list on one page: no page is more than a few hundred KB
HOME_REVIEWS = 30  # the home page's completion table: all reviews up to this many, else the most overdue

Page = Tuple[str, bytes]

NAV = (
    ("index.html", N_("Home")),
    ("reviews/index.html", N_("Reviews")),
    ("agencies/index.html", N_("Lead agencies")),
    ("themes/index.html", N_("Themes")),
    ("overdue/index.html", N_("Overdue")),
    ("changes.html", N_("Changes")),
    ("data.html", N_("Open data")),
)


def when(text: Optional[str]) -> str:
    """A date or month as people read it ("30 April 2017"), escaped for HTML; "—" for none."""
    return _when(text, catalogue())


@lru_cache(maxsize=8192)
def _when(text: Optional[str], said: object) -> str:  # said: the catalogue, as a date is said in one
    return html_text(when_words(text, "long") or "—")


def tag(rag: Optional[str], overdue: str = "") -> str:
    words = html_text(status_word(rag))
    out = f'<strong class="tag tag-{rag or "none"}">{words}</strong>'
    late = _("overdue by {duration}").format(duration=overdue)
    return out + (f' <span class="late">{html_text(late)}</span>' if overdue else "")


def _notice(site: Site) -> str:
    if site.public:
        names = ", ".join(p_("field", f.label).lower() for f in site.left_out)
        said = _(
            "This is the public version. It leaves out each action's {fields}: they name people or hold "
            "case and agency detail that the partnership does not publish. Everything else in the "
            "action plans is here."
        ).format(fields=names)
        return (
            f'<div class="notice" role="note"><p><strong>{html_text(_("What this site leaves out."))}</strong> '
            f"{html_text(said)}</p></div>"
        )
    said = _(
        "It includes owners' names, evidence, import notes and the update log: do not publish it "
        "(dhrtrack site --public makes the version to publish)."
    )
    if site.options.marking:
        said += " " + _("Marking: {marking}.").format(marking=site.options.marking)
    return (
        f'<div class="notice internal" role="note"><p><strong>{html_text(_("Internal version."))}</strong> '
        f"{html_text(said)}</p></div>"
    )


def _updated(site: Site) -> str:
    if site.updated is None:
        why = site.updated_note or _("not in git")
        return html_text(_("Last updated: not known ({why}).").format(why=why))
    day = date_words_iso(site.updated.date)
    if site.updated.uncommitted:
        text = _("Last updated: the plans as committed in {commit} on {date}, with changes not yet committed.")
    else:
        text = _("Last updated: the plans as committed in {commit} on {date}.")
    return html_text(text.format(commit=site.updated.sha[:10], date=day))


def date_words_iso(iso: str) -> str:
    return when_words(iso, "long") or iso


def shared(path: str, site: Site) -> str:
    """From a page to the site's root, where assets/ and data/ are for every language (a page of
    a language built under cy/ is one folder further down)."""
    return "../" * (path.count("/") + site.prefix.count("/"))


def _alternates(site: Site, path: str) -> Tuple[str, str]:
    """The page's counterparts in the site's other languages: <link rel="alternate"> for the
    head, and the links a reader follows (each in its own language, and saying so)."""
    links, switch = [], []
    for code, prefix in site.languages:
        if code == current():
            continue
        href = html_text(shared(path, site) + prefix + path)
        bcp = LANGUAGES[code][0]
        links.append(f'<link rel="alternate" hreflang="{bcp}" href="{href}">')
        switch.append(
            f'<a class="language" href="{href}" hreflang="{bcp}" lang="{bcp}">{html_text(LANGUAGES[code][1])}</a>'
        )
    if links:
        links.insert(
            0, f'<link rel="alternate" hreflang="{language_tag()}" href="{html_text(path.rsplit("/", 1)[-1])}">'
        )
    return "".join(links), "".join(switch)


def layout(
    site: Site, path: str, title: str, body: str, crumbs: Sequence[Tuple[str, str]] = (), sortable: bool = False
) -> bytes:
    depth = path.count("/")
    root = "../" * depth
    top = shared(path, site)
    section = path.split("/")[0] + "/index.html" if depth else path
    marking = site.options.marking if not site.public else None
    banner = f'<p class="marking">{html_text(marking)}</p>' if marking else ""
    nav = "".join(
        f'<li><a href="{root}{href}"'
        + (' aria-current="page"' if href == section else "")
        + f">{html_text(_(label))}</a></li>"
        for href, label in NAV
        if href != "changes.html" or site.board.since is not None
    )
    trail = ""
    if crumbs:
        items = [f'<li><a href="{root}index.html">{html_text(_("Home"))}</a></li>']
        items += [f'<li><a href="{root}{href}">{html_text(label)}</a></li>' for href, label in crumbs]
        trail = f'<nav class="crumbs" aria-label="{html_text(_("Breadcrumb"))}"><ol>{"".join(items)}</ol></nav>'
    as_of = date_words(site.board.as_of)
    alternates, switch = _alternates(site, path)
    made = _("Made with dhrtrack from the partnership's action plans.")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language_tag()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # The home page's title is the site's: said once (WCAG 2.4.2, a page titled by its purpose).
        f"<title>{html_text(title if title == site.title else f'{title} – {site.title}')}</title>",
        f'<link rel="stylesheet" href="{top}assets/site.css">',
        alternates,
        "</head><body>",
        f'<a class="skip" href="#main">{html_text(_("Skip to main content"))}</a>',
        banner,
        f'<header class="header"><div class="wrap"><a class="service" href="{root}index.html">'
        f"{html_text(site.title)}</a>{switch}</div></header>",
        f'<nav class="nav" aria-label="{html_text(_("Site"))}"><div class="wrap"><ul>{nav}</ul></div></nav>',
        f'<div class="wrap">{trail}{_notice(site)}',
        f'<main id="main" tabindex="-1"><h1>{html_text(title)}</h1>',
        body,
        "</main></div>",
        f'<footer><div class="wrap"><p>{html_text(_("Figures as of {date}.").format(date=as_of))} {_updated(site)}</p>',
        f'<p>{html_text(made)} <a href="{root}data.html">{html_text(_("Open data"))}</a>.</p>',
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
    script = (  # what the script says, in the page's language
        f'data-filter-label="{html_text(_("Filter this table"))}" '
        f'data-rows-shown="{html_text(_("{shown} of {total} rows shown"))}"'
    )
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{html_text(caption)}">'
        f"<table data-sortable {script}><caption>{html_text(caption)}</caption>"
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
        said = html_text(_("Page {n}").format(n=n))
        if n == number:
            items.append(f'<li><span aria-current="page">{said}</span></li>')
        else:
            items.append(f'<li><a href="{page_name(name, n)}">{said}</a></li>')
    label = html_text(_("Pages of this list"))
    return f'<nav class="pages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>'


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
    headers = [_("Review"), _("Action"), _("Lead")] if lead else [_("Review"), _("Action")]
    headers += [_("Target"), _("Status")]
    return headers + ([] if site.public else [_("Latest update")])


def _figures(site: Site) -> str:
    t = site.board.totals
    reviews = len(site.board.reviews)
    items = [
        (reviews, n_("review", "reviews", reviews), ""),
        (t["actions"], n_("action", "actions", t["actions"]), ""),
        (f"{percent(t['complete'], t['actions'])}%", _("complete ({count})").format(count=t["complete"]), ""),
        (t["overdue"], _("overdue"), "alert" if t["overdue"] else ""),
        (t["red"], _("rated red"), "alert" if t["red"] else ""),
        (t["missing_rag"], _("not rated"), ""),
        (t["no_target"], _("without a target"), ""),
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


def review_headers() -> Tuple[str, ...]:
    return (
        _("Review"),
        "#" + _("Actions"),
        "#" + _("Complete"),
        "#" + _("Overdue"),
        "#" + _("Red"),
        "#" + _("Not rated"),
    )


def home(site: Site) -> Page:
    board = site.board
    t = board.totals
    reviews = len(board.reviews)
    lead = n_(
        "Progress on the actions agreed after {n} review, as of {date}.",
        "Progress on the actions agreed after {n} reviews, as of {date}.",
        reviews,
    ).format(n=reviews, date=date_words(board.as_of))
    overdue = n_("{n} action overdue", "{n} actions overdue", t["overdue"]).format(n=t["overdue"])
    red = n_("{n} action rated red", "{n} actions rated red", t["red"]).format(n=t["red"])
    unrated = n_("{n} action not rated", "{n} actions not rated", t["missing_rag"]).format(n=t["missing_rag"])
    body = [
        f'<p class="lead">{html_text(lead)}</p>',
        f"<p>{_updated(site)}</p>",
        f'<h2 id="figures">{html_text(_("Headline figures"))}</h2>',
        _figures(site),
        f'<h2 id="exceptions">{html_text(_("Exceptions"))}</h2><ul>',
        f'<li><a href="overdue/index.html">{html_text(overdue)}</a></li>',
        f"<li>{html_text(red)}</li>",
        f"<li>{html_text(unrated)}</li>",
    ]
    if board.since is not None:
        slips = len(board.slips)
        slipped = n_("{n} target slipped since {since}", "{n} targets slipped since {since}", slips)
        body.append(f'<li><a href="changes.html">{html_text(slipped.format(n=slips, since=board.since))}</a></li>')
    body.append("</ul>")
    if board.left_out:
        left_out = _("Plans left out ({count})").format(count=len(board.left_out))
        body.append(f'<h2 id="left-out">{html_text(left_out)}</h2>')
        said = _("These plan files are not valid, so nothing in them is counted on this site.")
        body.append(f"<p>{html_text(said)}</p><ul>")
        body += [f"<li>{html_text(i.splitlines()[0])}</li>" for i in board.left_out]
        body.append("</ul>")
    body.append(f'<h2 id="reviews">{html_text(_("Completion by review"))}</h2>')
    shown = list(site.reviews)
    if len(shown) > HOME_REVIEWS:
        shown = sorted(shown, key=lambda r: (-r.summary["overdue"], r.review))[:HOME_REVIEWS]
        most = _("The {n} reviews with the most overdue actions.").format(n=HOME_REVIEWS)
        every = _("All {n} reviews").format(n=len(site.reviews))
        body.append(f'<p>{html_text(most)} <a href="reviews/index.html">{html_text(every)}</a>.</p>')
    body.append(table(_("Completion by review"), review_headers(), review_rows(site, shown, "")))
    body.append(
        f'<h2 id="more">{html_text(_("More"))}</h2><ul>'
        f'<li><a href="agencies/index.html">{html_text(_("Actions by lead agency"))}</a></li>'
        f'<li><a href="themes/index.html">{html_text(_("Actions by theme"))}</a></li>'
        f'<li><a href="data.html">{html_text(_("Open data: the plans as CSV and JSON"))}</a></li></ul>'
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
        heading = title
        if len(pages) > 1:
            heading = _("{title} (page {page} of {pages})").format(title=title, page=number, pages=len(pages))
        body = intro + pager(base, number, len(pages))
        body += table(caption, headers, part) if part else f"<p>{html_text(_('None.'))}</p>"
        body += pager(base, number, len(pages))
        yield path, layout(site, path, heading, body, crumbs, sortable=bool(part))


def reviews_index(site: Site) -> Iterator[Page]:
    count = len(site.reviews)
    said = n_(
        "{n} review, in order of review. Each review's page lists its recommendations and actions.",
        "{n} reviews, in order of review. Each review's page lists its recommendations and actions.",
        count,
    ).format(n=count)
    title = _("Reviews")
    rows = review_rows(site, site.reviews, "../")
    yield from listing(site, "reviews/index", title, title, review_headers(), rows, f"<p>{html_text(said)}</p>")


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


def _group_intro(folder: str, count: int) -> str:
    if folder == "agencies":
        said = n_(
            "{n} lead agency. Each one's page lists the actions, across every review.",
            "{n} lead agencies. Each one's page lists the actions, across every review.",
            count,
        )
    else:
        said = n_(
            "{n} theme. Each one's page lists the actions, across every review.",
            "{n} themes. Each one's page lists the actions, across every review.",
            count,
        )
    return f"<p>{html_text(said.format(n=count))}</p>"


def _group_page_intro(folder: str, g: Group) -> str:
    count = len(g.entries)
    if folder == "agencies":
        said = n_(
            "{n} action led by {name}, across {reviews}: {complete} complete, {overdue} overdue, {unrated} not rated.",
            "{n} actions led by {name}, across {reviews}: {complete} complete, {overdue} overdue, {unrated} not rated.",
            count,
        )
    else:
        said = n_(
            "{n} action under the theme {name}, across {reviews}: {complete} complete, {overdue} overdue, "
            "{unrated} not rated.",
            "{n} actions under the theme {name}, across {reviews}: {complete} complete, {overdue} overdue, "
            "{unrated} not rated.",
            count,
        )
    reviews = len({e.review for e in g.entries})
    text = said.format(
        n=count,
        name=g.name,
        reviews=n_("{n} review", "{n} reviews", reviews).format(n=reviews),
        complete=g.complete,
        overdue=g.overdue,
        unrated=g.count(None),
    )
    return f"<p>{html_text(text)}</p>"


def groups_index(site: Site, folder: str, title: str, heading: str, groups: Sequence[Group]) -> Iterator[Page]:
    """The index of the lead agencies or the themes; heading is its first column's."""
    headers = (
        heading,
        "#" + _("Actions"),
        "#" + _("Complete"),
        "#" + _("Overdue"),
        "#" + _("Red"),
        "#" + _("Not rated"),
    )
    intro = _group_intro(folder, len(groups))
    yield from listing(site, f"{folder}/index", title, title, headers, _group_rows(groups, folder), intro)


def group_pages(site: Site, folder: str, crumb: str, groups: Sequence[Group], lead: bool) -> Iterator[Page]:
    for g in groups:
        rows = entry_rows(site, g.entries, "../", lead=lead)
        yield from listing(
            site,
            f"{folder}/{g.slug}",
            g.name,
            _("Actions: {name}").format(name=g.name),
            entry_headers(site, lead),
            rows,
            _group_page_intro(folder, g),
            crumbs=[(f"{folder}/index.html", crumb)],
        )


def overdue_pages(site: Site) -> Iterator[Page]:
    count = len(site.overdue)
    said = n_(
        "{n} action past its due date and not complete, as of {date}: most overdue first.",
        "{n} actions past their due date and not complete, as of {date}: most overdue first.",
        count,
    ).format(n=count, date=date_words(site.board.as_of))
    rows = entry_rows(site, site.overdue, "../")
    title = _("Overdue actions")
    yield from listing(site, "overdue/index", title, title, entry_headers(site), rows, f"<p>{html_text(said)}</p>")


def changes_page(site: Site) -> Iterator[Page]:
    board = site.board
    if board.since is None:
        return
    said = _("What changed in the plans since {since}.").format(since=board.since)
    body = [f"<p>{html_text(said)}</p>"]
    none = f"<p>{html_text(_('None.'))}</p>"
    for title, _key, items in board.change_sections:
        body.append(f"<h2>{html_text(title)} ({len(items)})</h2>")
        body.append("<ul>" + "".join(f"<li>{html_text(i)}</li>" for i in items) + "</ul>" if items else none)
    title = _("Changes since {since}").format(since=board.since)
    yield "changes.html", layout(site, "changes.html", title, "\n".join(body))


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
    if f.name in _SAID_VALUES and value in _SAID_VALUES[f.name]:  # the file keeps English: say it
        return html_text(p_(f.name, _SAID_VALUES[f.name][value]))
    return html_text(value)


# The values of a recommendation's section and scope, as the page's language says them.
_SAID_VALUES = {
    "section": {"overview": pN_("section", "overview"), "agency": pN_("section", "agency")},
    "scope": {
        "local": pN_("scope", "local"),
        "regional": pN_("scope", "regional"),
        "national": pN_("scope", "national"),
    },
}


def _summary(rows: List[Tuple[str, str]]) -> str:
    return (
        '<dl class="summary">' + "".join(f"<div><dt>{html_text(k)}</dt><dd>{v}</dd></div>" for k, v in rows) + "</dl>"
    )


def _history(items: list) -> str:
    lines = []
    for c in items:
        if c.field == "rag":
            what, old, new = _("rating"), rag_word(c.old), rag_word(c.new)
        else:
            what, old, new = _("target"), c.old or p_("target", "none"), c.new or p_("target", "none")
        lines.append(f"<li>{(when(c.date))}: {html_text(what)} {html_text(old)} → {html_text(new)}</li>")
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
        (p_("field", f.label), _value(f, page.review[f.name], root, themes))
        for f in REVIEW_SHOWN
        if f.name in review_kept and page.review.get(f.name)
    ]
    r = link.summary
    counts = _("{actions}: {complete} complete, {overdue} overdue, {unrated} not rated").format(
        actions=r["actions"], complete=r["complete"], overdue=r["overdue"], unrated=r["missing_rag"]
    )
    rows.append((_("Actions"), html_text(counts)))
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
    body.append(f'<h2 id="actions">{html_text(_("Actions at a glance"))}</h2>')
    caption = _("Actions of {review}").format(review=link.review)
    body.append(table(caption, (_("Action"), _("Lead"), _("Target"), _("Status")), glance))
    rec_kept, action_kept = kept(fields.RECOMMENDATION, public), kept(fields.ACTION, public)
    for rec in page.recommendations:
        number = rec.data["number"]
        heading = html_text(_("Recommendation {number}").format(number=number))
        body.append(f'<section class="recommendation" aria-labelledby="r-{number}"><h2 id="r-{number}">{heading}</h2>')
        body.append(_value(fields.field(fields.RECOMMENDATION, "text"), rec.data["text"], root, themes))
        body.append(
            _summary(
                [
                    (p_("field", f.label), _value(f, rec.data[f.name], root, themes))
                    for f in RECOMMENDATION_SHOWN
                    if f.name in rec_kept and rec.data.get(f.name)
                ]
            )
        )
        for a in rec.actions:
            d = a.data
            heading = html_text(_("Action {id}").format(id=d["id"]))
            body.append(f'<div class="action"><h3 id="{anchor(d["id"])}">{heading}</h3>')
            body.append(_value(fields.field(fields.ACTION, "action"), d["action"], root, themes))
            rows = []
            for f in ACTION_SHOWN:
                if f.name not in action_kept:
                    continue
                if f.name == "rag":
                    rows.append((_("Status"), tag(d.get("rag"), a.overdue)))
                elif f.name == "target":
                    target = when(d.get("target")) if d.get("target") else html_text(_("none set"))
                    rows.append((p_("field", f.label), target))
                    if a.due and len(d["target"]) == 7:
                        rows.append((_("Due date"), (when(a.due))))
                elif f.kind == "record" and d.get(f.name):  # verified
                    said = verification_words(d[f.name], d.get("rag") == "complete")
                    rows.append((p_("field", f.label), html_text(said)))
                elif d.get(f.name):
                    rows.append((p_("field", f.label), _value(f, d[f.name], root, themes)))
            if not public:
                rows.append((_("Latest update"), html_text(a.latest or _("no update recorded"))))
            if a.history:
                rows.append((_("Rating and target history"), _history(a.history)))
            body.append(_summary(rows) + "</div>")
        body.append("</section>")
    if site.history_note:
        said = _("Rating and target history is not shown: {why}.").format(why=site.history_note)
        body.append(f"<p>{html_text(said)}</p>")
    crumbs = [("reviews/index.html", _("Reviews"))]
    return path, layout(site, path, link.review, "\n".join(body), crumbs, sortable=True)


def data_page(site: Site, package: dict) -> Page:
    """The open data: the files (shared by every language of the site, at its root, and in
    English: data keeps its English names and values), and what each column of actions.csv holds."""
    data = shared("data.html", site) + "data/"
    files = (
        ("actions.csv", _("one row per action")),
        ("reviews.csv", _("one row per review")),
        ("actions.json", _("the actions as JSON")),
        ("datapackage.json", _("the data package")),
    )
    said = _(
        "The action plans as open data, for anyone to use: one row per action, and one row per review, as "
        "CSV with a Frictionless data package (datapackage.json) describing every column, and the actions as JSON."
    )
    body = [f"<p>{html_text(said)}</p>", "<ul>"]
    body += [f'<li><a href="{data}{name}"><code>{name}</code></a>: {html_text(what)}</li>' for name, what in files]
    body.append("</ul>")
    if site.public:
        same = _("The data holds the same fields as these pages: the ones the partnership publishes.")
        body.append(f"<p>{html_text(same)}</p>")
    if current() != "en":
        note = _("The data is in English: its column names, headings and values are the same in every language.")
        body.append(f"<p>{html_text(note)}</p>")
    resource = package["resources"][0]
    rows = [
        f"<tr><td><code>{html_text(c['name'])}</code></td><td>{html_text(p_('field', c['title']))}</td>"
        f"<td><code>{html_text(c['type'])}</code></td></tr>"
        for c in resource["schema"]["fields"]
    ]
    columns = _("Columns of {file}").format(file="actions.csv")
    body.append(f'<h2 id="columns">{html_text(columns)}</h2>')
    body.append(table(columns, (_("Column"), _("Meaning"), _("Type")), rows))
    return "data.html", layout(site, "data.html", _("Open data"), "\n".join(body), sortable=True)


def pages(site: Site, package: dict) -> Iterator[Page]:
    themes = {g.name: g.slug for g in site.themes}
    yield home(site)
    yield from reviews_index(site)
    for page in site.pages:
        yield review_page(site, page, themes)
    agencies, themes_title = _("Lead agencies"), _("Themes")
    yield from groups_index(site, "agencies", agencies, _("Lead agency"), site.agencies)
    yield from group_pages(site, "agencies", agencies, site.agencies, lead=False)
    yield from groups_index(site, "themes", themes_title, _("Theme"), site.themes)
    yield from group_pages(site, "themes", themes_title, site.themes, lead=True)
    yield from overdue_pages(site)
    yield from changes_page(site)
    yield data_page(site, package)
