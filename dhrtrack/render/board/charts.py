"""The paper's two charts as PNG pictures for the Word paper: the same bars as the HTML's SVG
(completion per review, completions per quarter), drawn with Pillow.

Why Pillow: Word needs a raster picture (or a DrawingML chart part, a workbook and its
relationships: far more code for two bar charts), and Pillow is already installed with dhrtrack
(pdfplumber, which import needs, requires it), so the charts add no dependency. The text is
drawn in Pillow's own font (no system fonts), so the pictures are the same on every machine."""

from __future__ import annotations

import io
from typing import Any, List, Sequence

from dhrtrack.render.board.common import SEGMENTS, pct, quarter_words

SCALE = 2  # drawn at twice the size the page shows, so that they print sharp
ROWS_PER_PICTURE = 25  # a picture of completion bars never runs past one page


def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size * SCALE)


def _png(image: Any) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    # A few flat colours: as a palette picture the PNG is a tenth of the size and quick to write.
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def review_bars(reviews: Sequence[dict]) -> List[bytes]:
    """One stacked bar a review (complete, green, amber, red, unrated) with its completion
    percentage beside it; a picture for each ROWS_PER_PICTURE reviews."""
    return [
        _review_picture(reviews[start : start + ROWS_PER_PICTURE]) for start in range(0, len(reviews), ROWS_PER_PICTURE)
    ]


def _review_picture(reviews: Sequence[dict]) -> bytes:
    from PIL import Image, ImageDraw

    label_w, bar_w, pct_w, row_h = 180, 420, 60, 22
    font = _font(12)
    image = Image.new("RGB", ((label_w + bar_w + pct_w) * SCALE, (row_h * len(reviews) + 6) * SCALE), "white")
    draw = ImageDraw.Draw(image)
    for i, row in enumerate(reviews):
        y = 3 + i * row_h
        draw.text(
            (0, (y + 4) * SCALE), _fit(draw, row["review"], font, (label_w - 6) * SCALE), fill="#1a1a1a", font=font
        )
        x = float(label_w)
        total = row["actions"] or 1
        for key, colour, _name in SEGMENTS:
            width = bar_w * row[key] / total
            if width > 0:
                draw.rectangle(
                    ((x * SCALE, (y + 2) * SCALE), ((x + width) * SCALE - 1, (y + row_h - 4) * SCALE - 1)), fill=colour
                )
                x += width
        draw.text(
            ((label_w + bar_w + 6) * SCALE, (y + 4) * SCALE),
            f"{pct(row['complete'], row['actions'])}%",
            fill="#1a1a1a",
            font=font,
        )
    return _png(image)


def _fit(draw: object, text: str, font: object, width: int) -> str:
    """text, cut with an ellipsis to fit the label column (the table below gives it whole)."""
    if draw.textlength(text, font=font) <= width:  # type: ignore[attr-defined]
        return text
    while text and draw.textlength(text + "…", font=font) > width:  # type: ignore[attr-defined]
        text = text[:-1]
    return text + "…"


def quarter_bars(quarters: Sequence[dict]) -> bytes:
    """Completions per quarter as columns, each with its count above it and its quarter below."""
    from PIL import Image, ImageDraw

    width, height, gap = 44, 120, 8
    top = max([q["completed"] for q in quarters] + [1])
    image = Image.new("RGB", (len(quarters) * (width + gap) * SCALE, (height + 40) * SCALE), "white")
    draw = ImageDraw.Draw(image)
    count_font, quarter_font = _font(11), _font(10)
    for i, q in enumerate(quarters):
        x = i * (width + gap)
        bar = height * q["completed"] / top
        if bar > 0:
            draw.rectangle(
                ((x * SCALE, (height - bar + 14) * SCALE), ((x + width) * SCALE - 1, (height + 14) * SCALE - 1)),
                fill="#5b9bd5",
            )
        middle = (x + width / 2) * SCALE
        draw.text(
            (middle, (height - bar + 10) * SCALE), str(q["completed"]), fill="#1a1a1a", font=count_font, anchor="ms"
        )
        draw.text(
            (middle, (height + 30) * SCALE), quarter_words(q["quarter"]), fill="#1a1a1a", font=quarter_font, anchor="ms"
        )
    return _png(image)
