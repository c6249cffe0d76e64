from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dhrtrack.render.tables import (
    Column,
    Display,
    Output,
    Section,
    fit_columns,
    progress_bar,
    render_csv,
    render_markdown,
)


def test_progress_bar_is_full_only_when_done():
    assert progress_bar(0, 5) == "░░░░░   0%"
    assert progress_bar(999, 1000) == "████░  99%"
    assert progress_bar(1, 1) == "█████ 100%"
    assert progress_bar(36, 48) == "███░░  75%"
    assert progress_bar(8, 9) == "████░  89%"  # rounded as every output rounds it
    assert progress_bar(0, 0) == "░░░░░   0%"


@pytest.mark.parametrize(
    "part, whole, shown",
    [
        (8, 9, 89),
        (1, 8, 13),
        (1, 200, 1),
        (0, 200, 0),
        (199, 200, 99),
        (200, 200, 100),
        (1, 3, 33),
        (2, 3, 67),
        (0, 0, 0),
    ],
)
def test_percentages_round_the_same_way_everywhere(part, whole, shown):
    from dhrtrack.wording import percent

    assert percent(part, whole) == shown


def test_fit_columns_drops_optional_then_squeezes_text_never_key_columns():
    rows = [{"id": "10.1", "text": "a long piece of text " * 3, "opt": "optional-value", "due": "2024-01-31"}]
    cols = [
        Column("Id", "id"),
        Column("Text", "text", wrap=True, min_width=20),
        Column("Opt", "opt", drop=1),
        Column("Due", "due"),
    ]
    shown, hidden = fit_columns(cols, rows, 80)
    assert [c.header for c, _w in shown] == ["Id", "Text", "Opt", "Due"] and hidden == []
    assert sum(w for _c, w in shown) + 2 * 3 <= 80
    shown, hidden = fit_columns(cols, rows, 40)
    assert [c.header for c in hidden] == ["Opt"]
    assert dict((c.header, w) for c, w in shown) == {"Id": 4, "Text": 22, "Due": 10}
    shown, _ = fit_columns(cols, rows, 24)
    assert dict((c.header, w) for c, w in shown) == {"Id": 4, "Text": 6, "Due": 10}


def test_markdown_escapes_pipes_and_newlines():
    section = Section("T", [Column("A", "a")], [{"a": "x | y\nz"}])
    out = render_markdown(Output([section], dict, lambda: ((), [])), Display())
    assert out == "### T (1)\n\n| A |\n|---|\n| x \\| y<br>z |\n"


def test_csv_quotes_and_blanks():
    out = render_csv(Output([], dict, lambda: (("a", "b"), [["x, y", None], ['say "hi"', 3]])), Display())
    assert out == 'a,b\r\n"x, y",\r\n"say ""hi""",3\r\n'


def test_plan_text_is_never_markup_and_never_drives_the_terminal():
    from dhrtrack.render.tables import render_table

    rows = [
        {"a": "[bold]REV[/bold] 1", "b": "Lead [ok]"},
        {"a": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "b": "\x1b]0;owned\x07title\x1b[2J"},
    ]
    section = Section("[red]Title[/red]", [Column("A", "a"), Column("B", "b")], rows)
    out = render_table(Output([section], dict, lambda: ((), [])), Display(80, colour=True))
    assert "[bold]REV[/bold] 1" in out and "Lead [ok]" in out and "[red]Title[/red] (2)" in out
    assert "click" in out and "title" in out
    assert "evil.example" not in out and "owned" not in out and "\x07" not in out
    assert "\x1b]" not in out and "\x1b[2J" not in out


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@given(json_values)
@example({"a": ['é\u2028\x1b"\\', None, [], {}], "b": -5})
def test_json_text_is_byte_for_byte_what_the_standard_library_writes(value):
    import json

    from dhrtrack.wording import json_text

    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@given(st.text(max_size=40))
def test_html_text_escapes_as_html_escape_does(text):
    import html

    from dhrtrack.wording import html_text

    assert html_text(text) == html.escape(text, quote=True)


# --- JSON written in pieces ------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.text(max_size=6), st.tuples(st.lists(json_values, max_size=9), st.integers(1, 4), st.booleans())
    ),
)
def test_a_streamed_document_is_byte_for_byte_the_whole_one(parts):
    """json_stream writes each Streamed list a chunk at a time, exactly as json_bytes writes the
    document whole (whatever the chunk size, empty lists and nesting)."""
    from dhrtrack.wording import Streamed, json_bytes, json_stream

    whole = {key: values for key, (values, _chunk, _streamed) in parts.items()}
    pieces = {
        key: Streamed(values, list, chunk) if streamed else values for key, (values, chunk, streamed) in parts.items()
    }
    assert b"".join(json_stream(pieces)) == json_bytes(whole)


def test_a_streamed_list_reads_what_its_items_need_before_anything_is_written():
    from dhrtrack.wording import Streamed, json_stream

    started = []

    def items(name):
        started.append(name)
        yield {"n": 1}

    document = {"a": Streamed(items("a"), list), "b": Streamed(items("b"), list)}
    pieces = json_stream(document)
    assert next(pieces) == b"{" and started == ["a", "b"]
