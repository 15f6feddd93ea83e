"""How much room text needs in a PowerPoint shape, estimated without rendering it.

python-pptx cannot measure text, so the deck is laid out with this conservative model: Arial's
advance widths (Liberation Sans, metric-compatible, per 1000 em) widened by ``WIDTH_SAFETY``,
greedy word wrapping like PowerPoint's and LibreOffice's, and lines ``LINE_HEIGHT`` times the font
size (the fonts' own line height is about 1.15). The renderer chooses font sizes and splits slides
with it, and the tests check every text frame of a deck against it (``deck_overflows``).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

EMU_PER_PT = 12700
LINE_HEIGHT = 1.2
WIDTH_SAFETY = 1.03
DEFAULT_SIZE_PT = 18.0

# Advance widths of ASCII 32..126 (per 1000 em) in Arial / Liberation Sans.
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)  # fmt: skip
_SPECIAL = {
    "–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333, "•": 350, "…": 1000,
    "·": 278, "«": 556, "»": 556, "¿": 611, "¡": 333, "°": 400, "º": 365, "ª": 370,
    "×": 584, "≤": 549, "≥": 549, "Σ": 713, "→": 1000, "€": 556, "\u00a0": 278,
}  # fmt: skip


@functools.lru_cache(maxsize=4096)
def char_width(char: str, bold: bool = False) -> float:
    """Advance width of ``char`` in em (1.0 = the font size)."""
    code = ord(char)
    table = _BOLD if bold else _REGULAR
    if 32 <= code <= 126:
        return table[code - 32] / 1000
    if char in _SPECIAL:
        return _SPECIAL[char] / 1000
    base = unicodedata.normalize("NFD", char)[0]  # á → a, Ñ → N
    if base != char and 32 <= ord(base) <= 126:
        return table[ord(base) - 32] / 1000
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    return 0.7  # anything else: assume a wide glyph


def _em(text: str, bold: bool) -> float:
    return sum(char_width(c, bold) for c in text)


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    return _em(text, bold) * size_pt * WIDTH_SAFETY


def wrap(text: str, width_pt: float, size_pt: float, bold: bool = False) -> list[str]:
    """The lines a renderer would draw for one paragraph (``\\v``/``\\n`` force a break)."""
    lines: list[str] = []
    limit = width_pt / (size_pt * WIDTH_SAFETY)  # the line width in em
    for segment in text.replace("\v", "\n").split("\n"):
        lines.extend(_wrap_segment(segment, limit, bold))
    return lines


def _wrap_segment(text: str, limit: float, bold: bool) -> list[str]:
    space = char_width(" ", bold)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split(" "):
        width = _em(word, bold)
        if current and used + space + width <= limit:
            current.append(word)
            used += space + width
            continue
        if not current and width <= limit:
            current, used = [word], width
            continue
        if current:
            lines.append(" ".join(current))
        # a word longer than the line is broken wherever it reaches the edge
        while width > limit and len(word) > 1:
            cut, part = 0, 0.0
            while cut < len(word) - 1 and part + char_width(word[cut], bold) <= limit:
                part += char_width(word[cut], bold)
                cut += 1
            cut = max(cut, 1)
            lines.append(word[:cut])
            word = word[cut:]
            width = _em(word, bold)
        current, used = [word], width
    lines.append(" ".join(current))
    return lines


def longest_word_fits(text: str, width_pt: float, size_pt: float, bold: bool = False) -> bool:
    return all(
        text_width_pt(word, size_pt, bold) <= width_pt
        for word in text.replace("\v", " ").replace("\n", " ").split(" ")
    )


@dataclass(frozen=True)
class Para:
    """One paragraph to lay out: its text (``\\n`` = line break), size relative to the frame's
    base size, and spacing before it in points."""

    text: str
    bold: bool = False
    scale: float = 1.0
    space_before: float = 0.0
    italic: bool = False
    color: str | None = None  # "RRGGBB"; None = the frame's colour
    align: str | None = None  # "l", "ctr", "r"; None = the frame's alignment


def paras_height_pt(paras: Sequence[Para], width_pt: float, size_pt: float) -> float:
    total = 0.0
    for para in paras:
        size = size_pt * para.scale
        lines = len(wrap(para.text, width_pt, size, para.bold))
        total += lines * size * LINE_HEIGHT + para.space_before
    return total


def paras_fit(
    paras: Sequence[Para], width_pt: float, height_pt: float, size_pt: float, whole_words: bool
) -> bool:
    if whole_words and not all(
        longest_word_fits(p.text, width_pt, size_pt * p.scale, p.bold) for p in paras
    ):
        return False
    return paras_height_pt(paras, width_pt, size_pt) <= height_pt


# ----------------------------------------------------------------------------------------------
# Checking a finished deck (used by the tests, and handy when changing the layout)


def frame_required_height_pt(frame: Any, width_emu: int, margins: Any = None) -> float:
    """Height (pt) the text of a python-pptx text frame needs at ``width_emu`` wide.

    ``margins`` is what carries the insets (a table cell carries its own; default: the frame)."""
    box = frame if margins is None else margins
    width_pt = (width_emu - box.margin_left - box.margin_right) / EMU_PER_PT
    total: float = (box.margin_top + box.margin_bottom) / EMU_PER_PT
    for paragraph in frame.paragraphs:
        size, bold = _paragraph_font(paragraph)
        spacing = paragraph.line_spacing if isinstance(paragraph.line_spacing, float) else 1.0
        lines = len(wrap(paragraph.text, width_pt, size, bold))
        total += lines * size * LINE_HEIGHT * spacing
        for space in (paragraph.space_before, paragraph.space_after):
            if space is not None:
                total += float(space.pt)
    return total


def _paragraph_font(paragraph: Any) -> tuple[float, bool]:
    sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
    if not sizes and paragraph.font.size is not None:
        sizes = [paragraph.font.size.pt]
    bold = any(r.font.bold for r in paragraph.runs) or bool(paragraph.font.bold)
    return (float(max(sizes)) if sizes else DEFAULT_SIZE_PT), bold


def _frames(slide: Any) -> Iterator[tuple[str, Any, int, int, Any]]:
    def walk(shapes: Any) -> Iterator[tuple[str, Any, int, int, Any]]:
        for shape in shapes:
            if shape.shape_type is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
                yield from walk(shape.shapes)
            elif getattr(shape, "has_table", False) and shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        width = table.columns[c].width
                        name = f"{shape.name} [{r},{c}]"
                        yield name, cell.text_frame, width, row.height, cell
            elif shape.has_text_frame:
                yield shape.name, shape.text_frame, shape.width, shape.height, None

    yield from walk(slide.shapes)


def deck_overflows(prs: Any) -> list[str]:
    """Every text frame of the deck whose text needs more height than its shape has, and every
    shape that leaves the slide, described as ``"slide N: shape: needs X pt, has Y pt"``."""
    problems = []
    for number, slide in enumerate(prs.slides, start=1):
        for name, frame, width, height, margins in _frames(slide):
            if not frame.text.strip():
                continue
            needed = frame_required_height_pt(frame, width, margins)
            if needed > height / EMU_PER_PT + 0.01:
                problems.append(
                    f"slide {number}: {name}: needs {needed:.1f} pt, has "
                    f"{height / EMU_PER_PT:.1f} pt ({frame.text[:40]!r})"
                )
        for shape in slide.shapes:
            if (
                shape.left < 0
                or shape.top < 0
                or shape.left + shape.width > prs.slide_width
                or shape.top + shape.height > prs.slide_height
            ):
                problems.append(f"slide {number}: {shape.name} leaves the slide")
    return problems
