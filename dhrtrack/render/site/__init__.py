"""The site as files: (relative path, bytes) pairs, made one at a time as they are written. The
pages (html), the stylesheet, and data/: the open data as CSV and JSON with its Frictionless data
package (also `dhrtrack export --format datapackage`). Nothing here reads a clock: the same plans
and options give the same bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from dhrtrack.i18n import language
from dhrtrack.plan.fields import update_line
from dhrtrack.render.site import html
from dhrtrack.render.site.assets import CSS
from dhrtrack.reports import publish
from dhrtrack.reports.site import Site
from dhrtrack.wording import json_bytes, spreadsheet_safe

File = Tuple[str, bytes]


def _text_of(kind: str) -> Optional[Callable[[Any], Any]]:
    if kind == "log":
        return lambda value: "\n".join(map(update_line, value))
    if kind in ("tags", "texts"):
        return "\n".join
    if kind == "flag":
        return lambda value: "yes" if value else "no"
    return None


def csv_bytes(columns: Sequence[Tuple[str, Optional[Callable[[Any], Any]]]], rows: Iterable[Dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow(
            [
                "" if value is None else spreadsheet_safe(value if text_of is None else text_of(value))
                for key, text_of in columns
                for value in (row[key],)
            ]
        )
    return buffer.getvalue().encode("utf-8")


def datapackage_files(
    rows: Iterable[Dict[str, Any]], reviews: List[dict], public: bool, as_of: dt.date, title: str
) -> Iterator[File]:
    """data/: actions.csv, reviews.csv, actions.json and datapackage.json (paths relative to it)."""
    columns = publish.columns(public)
    kept: List[Dict[str, Any]] = []

    def keeping() -> Iterator[Dict[str, Any]]:
        for row in rows:
            kept.append(row)
            yield row

    yield "actions.csv", csv_bytes([(c.key, _text_of(c.kind)) for c in columns], keeping())
    yield "actions.json", json_bytes({"as_of": as_of.isoformat(), "actions": kept})
    kept.clear()
    review_columns = [(key, None) for key, _label, _kind in publish.REVIEW_COLUMNS]
    yield "reviews.csv", csv_bytes(review_columns, reviews)
    yield "datapackage.json", json_bytes(publish.datapackage(public, as_of, title))


def pages(site: Site) -> Iterator[File]:
    """The pages of the site in the language being written, under its folder (site.prefix)."""
    package = publish.datapackage(site.public, site.board.as_of, site.data_title)
    for path, content in html.pages(site, package):
        yield site.prefix + path, content


def shared_files(site: Site, rows: Iterable[Dict[str, Any]]) -> Iterator[File]:
    """What every language of the site shares, at its root: the stylesheet, and data/, whose
    names and values are English whatever the pages' language (data is data)."""
    board = site.board
    yield "assets/site.css", CSS.lstrip().encode("utf-8")
    with language("en"):
        for name, content in datapackage_files(rows, board.reviews, site.public, board.as_of, site.data_title):
            yield f"data/{name}", content


def files(site: Site, rows: Iterable[Dict[str, Any]]) -> Iterator[File]:
    """A site in one language: its pages, the stylesheet and data/."""
    yield from pages(site)
    yield from shared_files(site, rows)


__all__ = ["files", "pages", "shared_files", "datapackage_files"]
