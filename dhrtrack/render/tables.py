"""Renderers for the reports. A view builds one Output (sections for people, a JSON document and
CSV rows for programs); the --format option picks a renderer from RENDERERS, each called with the
Output and the Display (terminal width and colour, which the CLI decides).

Only table output uses rich, imported on first use. Sections hold their items in report order
and turn them into row dicts only as far as they are shown, so a capped table over a national
corpus does not build tens of thousands of rows it will not print.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from dhrtrack.i18n import _
from dhrtrack.wording import Streamed, json_stream, markdown_cell, percent, spreadsheet_safe, terminal_safe, versioned

GAP = 2  # between table columns: one space of padding and the box's (blank) divider
MIN_TEXT_WIDTH = 6  # a wrapping column is never squeezed narrower than this


@dataclass(frozen=True)
class Display:
    """Where table output goes: its width in columns, and whether it may use colour."""

    width: int = 80
    colour: bool = False


@dataclass
class Column:
    header: str
    key: str
    justify: str = "left"
    wrap: bool = False  # long text: may wrap; other columns are shown whole
    format: Optional[Callable[[Any, dict], str]] = None
    min_width: Optional[int] = None  # for wrapping columns: the narrowest useful width
    drop: Optional[int] = None  # may be hidden when the terminal is too narrow (lowest first); None: never

    def cell(self, row: dict) -> str:
        value = row.get(self.key)
        if self.format is not None:
            return self.format(value, row)
        return "" if value is None else str(value)


@dataclass
class Section:
    title: str
    columns: List[Column]
    items: Sequence[Any]
    to_rows: Callable[[Sequence[Any]], List[dict]] = list  # the rows of items (all at once: one call, not one per row)
    empty: str = "none"  # what to say when there are no rows

    @property
    def total(self) -> int:
        return len(self.items)

    def rows(self, limit: Optional[int] = None) -> List[dict]:
        items = self.items[:limit] if limit else self.items
        return self.to_rows(items)

    def streamed(self) -> Streamed:
        """Every row, for a JSON document that is written a chunk of rows at a time."""
        return Streamed(self.items, self.to_rows)


@dataclass
class Output:
    sections: List[Section]
    document: Callable[[], Any]  # the JSON document; built only for --format json
    csv: Callable[[], Tuple[Sequence[str], Iterable[Sequence[Any]]]]  # header and rows; only for csv
    notes: List[str] = field(default_factory=list)  # footer lines: what filters hid
    limit: Optional[int] = None  # rows per section in table and markdown output


def _shown(output: Output) -> List[Tuple[Section, List[dict]]]:
    return [(s, s.rows(output.limit)) for s in output.sections]


def _notes(output: Output, shown: List[Tuple[Section, List[dict]]]) -> List[str]:
    notes = list(output.notes)
    for section, rows in shown:
        if len(rows) < section.total:
            notes.append(
                _("{title}: {shown} of {total} rows shown; --limit 0 shows all.").format(
                    title=section.title, shown=len(rows), total=section.total
                )
            )
    return notes


def _natural(col: Column, rows: List[dict]) -> int:
    cells = [col.header] + [col.cell(row) for row in rows]
    return max(len(line) for cell in cells for line in (cell.split("\n") or [""]))


def _minimum(col: Column, rows: List[dict]) -> int:
    return min(col.min_width or 8, _natural(col, rows)) if col.wrap else _natural(col, rows)


def fit_columns(
    columns: List[Column], rows: List[dict], total_width: int
) -> Tuple[List[Tuple[Column, int]], List[Column]]:
    """Column widths that fit total_width, and the columns hidden to make them fit.

    Key columns (drop=None) always stay. Text columns shrink to their min_width and wrap; spare
    width goes first to the column that needs least to show in full, so short text (a review
    id) stays on one line while long text (a lead agency) wraps.
    """
    shown = list(columns)
    hidden: List[Column] = []
    while sum(_minimum(c, rows) for c in shown) + GAP * (len(shown) - 1) > total_width:
        droppable = [(c.drop, i, c) for i, c in enumerate(shown) if c.drop is not None]
        if not droppable:
            break
        victim = min(droppable)[2]
        shown.remove(victim)
        hidden.append(victim)
    widths = {id(c): _minimum(c, rows) for c in shown}
    spare = total_width - sum(widths.values()) - GAP * (len(shown) - 1)
    # Still too wide with every optional column hidden: squeeze the text columns further (they
    # wrap), widest first, rather than let the key columns be cut.
    for col in sorted((c for c in shown if c.wrap), key=lambda c: -widths[id(c)]):
        if spare >= 0:
            break
        give = min(-spare, widths[id(col)] - MIN_TEXT_WIDTH)
        if give > 0:
            widths[id(col)] -= give
            spare += give
    for col in sorted((c for c in shown if c.wrap), key=lambda c: _natural(c, rows) - widths[id(c)]):
        if spare <= 0:
            break
        extra = min(spare, _natural(col, rows) - widths[id(col)])
        widths[id(col)] += extra
        spare -= extra
    return [(c, widths[id(c)]) for c in shown], hidden


_RAG_STYLE = {"red": "bold red", "amber": "yellow", "green": "green", "complete": "blue"}


LIST_BELOW = 60  # narrower than this, a table would break words letter by letter: a list reads better


def render_list(output: Output, display: Display) -> str:
    """Each row as a short block of "Header: value" lines, wrapped to the width: what a table
    becomes on a narrow terminal (a phone, a split pane), with every column kept."""
    width = max(20, display.width)
    lines: List[str] = []
    shown = _shown(output)
    for i, (section, rows) in enumerate(shown):
        if i:
            lines.append("")
        if not rows:
            lines.append(terminal_safe(f"{section.title}: {section.empty}"))
            continue
        lines.append(terminal_safe(f"{section.title} ({section.total})"))
        label = min(max(len(c.header) for c in section.columns) + 2, width // 2)
        for row in rows:
            lines.append("")
            for column in section.columns:
                value = terminal_safe(column.cell(row))
                if not value:
                    continue
                head = (column.header + ":").ljust(label)
                lines += textwrap.wrap(
                    " ".join(value.split()),
                    width,
                    initial_indent=head,
                    subsequent_indent=" " * label,
                    break_on_hyphens=False,
                ) or [head.rstrip()]
    notes = _notes(output, shown)
    if notes:
        lines.append("")
        lines += [terminal_safe(note) for note in notes]
    return "\n".join(lines) + "\n"


def render_table(output: Output, display: Display) -> str:
    if display.width < LIST_BELOW:
        return render_list(output, display)
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    colour = display.colour
    total_width = max(40, display.width)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=total_width,
        force_terminal=colour,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        emoji=False,
    )
    shown = _shown(output)
    notes = _notes(output, shown)
    for i, (section, rows) in enumerate(shown):
        if i:
            console.print()
        if not rows:
            console.print(Text(terminal_safe(f"{section.title}: {section.empty}"), style="bold"))
            continue
        columns, hidden = fit_columns(section.columns, rows, total_width)
        if hidden:
            names = ", ".join(c.header for c in hidden)
            notes.append(
                _(
                    "{title}: {names} hidden to fit {width} columns; a wider terminal or --format markdown shows them."
                ).format(title=section.title, names=names, width=total_width)
            )
        table = Table(
            title=Text(terminal_safe(f"{section.title} ({section.total})")),
            title_justify="left",
            title_style="bold",
            box=box.SIMPLE_HEAD,
            padding=(0, 1, 0, 0),
            pad_edge=False,
            show_edge=False,
            header_style="bold",
        )
        for column, column_width in columns:
            table.add_column(
                Text(column.header),
                justify=column.justify,  # type: ignore[arg-type]
                no_wrap=not column.wrap,
                overflow="fold" if column.wrap else "ellipsis",
                width=column_width,
            )
        for row in rows:
            cells: List[Any] = []
            for column, _width in columns:
                # Plan text is never markup ("[bold]" is shown as written) and never carries
                # terminal escape sequences (links, title changes) to the terminal.
                text = terminal_safe(column.cell(row))
                style = _RAG_STYLE.get(row.get("rag") or "", "dim") if colour and column.key == "rag" else ""
                cells.append(Text(text, style=style))
            table.add_row(*cells)
        console.print(table)
    if notes:
        console.print()
        for note in notes:
            console.print(Text(terminal_safe(note), style="dim"))
    text = buffer.getvalue()
    if not colour:
        # rich pads lines to the full width; trailing blanks only make diffs and pastes noisy.
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


def render_markdown(output: Output, display: Display) -> str:
    out: List[str] = []
    shown = _shown(output)
    for section, rows in shown:
        out.append(f"### {section.title} ({section.total})\n\n")
        if not rows:
            out.append(f"_{section.empty.capitalize()}._\n\n")
            continue
        out.append("| " + " | ".join(markdown_cell(c.header) for c in section.columns) + " |\n")
        out.append("|" + "|".join("--:" if c.justify == "right" else "---" for c in section.columns) + "|\n")
        for row in rows:
            out.append("| " + " | ".join(markdown_cell(c.cell(row)) for c in section.columns) + " |\n")
        out.append("\n")
    for note in _notes(output, shown):
        out.append(f"_{markdown_cell(note)}_\n\n")
    return "".join(out).rstrip("\n") + "\n"


def render_json(output: Output, display: Display) -> Iterator[bytes]:
    return json_stream(versioned(output.document()))


def render_csv(output: Output, display: Display) -> str:
    header, rows = output.csv()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    return buffer.getvalue()


# Each renders the whole output: text, or (JSON) pieces of bytes to write one after another.
Rendered = Union[str, bytes, Iterator[bytes]]
RENDERERS: Dict[str, Callable[[Output, Display], Rendered]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "markdown": render_markdown,
}


def progress_bar(part: int, whole: int, cells: int = 5) -> str:
    """███░░  60%: whole cells, rounded down so that a bar is full only when the work is; the
    figure as every output says it (wording.percent)."""
    full = part * cells // whole if whole else 0
    return "█" * full + "░" * (cells - full) + f" {percent(part, whole):3d}%"
