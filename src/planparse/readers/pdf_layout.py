"""From PDF text lines to paragraphs: drop page furniture, then re-flow wrapped lines.

A PDF has no paragraphs, only positioned lines. A new paragraph is inferred where a
reader of the page sees one: a numbering token at the start of a line, a change of
font size or weight, a line the author ended early (the next word would have fitted),
an indented line after a sentence end, a wide vertical gap, or a wide gap inside a line
(flattened full-width indents). Everything else is a wrapped line and joins its
predecessor. Pure Python on :class:`PdfLine`, so it is tested without PDFs.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .base import Block
from .cjk import is_cjk

# Tokens that open a numbered or bulleted paragraph at the start of a line. Matched on
# the raw line and on its NFKC form (PDFs give full-width and Kangxi-radical variants).
CN_NUMERAL = "[一二三四五六七八九十百零〇]"
LINE_START_TOKENS: tuple[str, ...] = (
    rf"第\s*(?:{CN_NUMERAL}+|\d+)\s*[章节条部分篇]",  # 第一章, 第3条
    rf"第{CN_NUMERAL}{{1,3}}\s*[,，、:：]",  # 第一，
    rf"{CN_NUMERAL}{{1,3}}\s*[、.．]",  # 一、
    rf"[(（]\s*{CN_NUMERAL}{{1,3}}\s*[)）]",  # （一）
    rf"{CN_NUMERAL}{{1,3}}是",  # 一是
    r"[(（]\s*\d{1,2}\s*[)）]",  # （1）
    r"\d{1,2}(?:\s*[.．]\s*\d{1,2}){1,3}(?=\s*[\u4e00-\u9fffA-Z])",  # 5.2.1 评价范围
    r"\d{1,2}\s*[、.．](?![\d.．])",  # 1、 1. 1．
    r"\d{1,2}\s*[)）]",  # 1)
    r"[a-zA-Z]\s*[)）]",  # a)
    r"[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u2776-\u277f]",  # ① ⑴ ⒈ ❶
    r"[•●○■□◆◇▪►▶★☆√]",  # bullets
    r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)(?:ly)?\s*[,:，：]",
    r"(?:[IVX]{1,4}|[A-Z])\s*[.．、]\s",  # I. II. A.
)
LINE_START_TOKEN = re.compile("|".join(f"(?:{p})" for p in LINE_START_TOKENS))
# Page numbers as printed: "3", "- 3 -", "第 3 页", "第3页 共10页", "3/10", "Page 3 of 10", "iv".
PAGE_NUMBER_PATTERNS: tuple[str, ...] = (
    r"\d{1,3}",
    r"[-–—]\s*\d{1,4}\s*[-–—]",
    r"第\s*\d{1,4}\s*页(?:\s*[,，、/]?\s*共\s*\d{1,4}\s*页)?",
    r"共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页",
    r"\d{1,4}\s*/\s*\d{1,4}",
    r"(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?",
    r"(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})",
)
PAGE_NUMBER = re.compile("|".join(f"(?:{p})" for p in PAGE_NUMBER_PATTERNS), re.I)
# Private-use characters are glyphs of symbol fonts (Wingdings bullets), not text.
SYMBOL_ONLY = re.compile(r"[\ue000-\uf8ff\s]+")
SENTENCE_END = tuple("。！？：；.!?:;")
# Thresholds in ems (of the line's font size) unless said otherwise.
WIDE_GAP_EM = 1.5  # a gap this wide inside a line separates paragraphs (flattened indents)
SHORT_LINE_MIN_EM = 2.0  # a line ending earlier than this before the margin may be a paragraph end
INDENT_EM = 1.5  # first-line indent
VERTICAL_GAP_PITCHES = 1.7  # a gap of this many line pitches between lines separates paragraphs
SIZE_CHANGE = 0.12  # relative font-size change that separates paragraphs
FURNITURE_ZONE = 0.12  # share of the page height at top and bottom where headers/footers live
FURNITURE_Y_TOLERANCE = 3.0  # points: "the same position" on different pages
FURNITURE_MIN_SHARE = 0.5  # a header/footer repeats on at least this share of the pages
MIN_LINES_FOR_PAGE_MARGINS = 5  # fewer long lines on a page: use the document's margins


@dataclass(slots=True)  # thousands per document: slots make them cheaper to build and read
class PdfLine:
    """One visual line (or the part of one after a wide gap) with its geometry.

    Coordinates are in points from the page's top-left corner."""

    text: str
    page: int
    x0: float
    x1: float
    baseline: float
    font_size: float
    bold_share: float  # share of the sampled characters that are bold: 0, 1/3, 2/3 or 1
    page_height: float
    first_word_width: float = 0.0
    after_gap: bool = False


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def starts_with_token(text: str) -> bool:
    stripped = text.lstrip()
    return bool(LINE_START_TOKEN.match(stripped) or LINE_START_TOKEN.match(fold(stripped[:16])))


def is_bare_token(text: str) -> bool:
    """The line is nothing but a numbering token, like "（一）" set apart from its heading."""
    folded = fold(text)
    match = LINE_START_TOKEN.match(folded)
    return bool(match) and not folded[match.end():].strip()


# page furniture -----------------------------------------------------------------


def in_furniture_zone(line: PdfLine) -> bool:
    return line.baseline < FURNITURE_ZONE * line.page_height or line.baseline > (1 - FURNITURE_ZONE) * line.page_height


def furniture_candidates(lines: list[PdfLine]) -> list[PdfLine]:
    """Lines at the very top or bottom of their page."""
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    candidates = []
    for page_lines in by_page.values():
        ordered = sorted(page_lines, key=lambda line: line.baseline)
        edge = {id(ordered[0]), id(ordered[-1])}
        candidates.extend(line for line in ordered if id(line) in edge or in_furniture_zone(line))
    return candidates


def furniture_key(line: PdfLine) -> tuple[str, bool]:
    """Text with digits blurred (page numbers change), and top or bottom of the page."""
    return re.sub(r"\d+", "#", fold(line.text)), line.baseline < line.page_height / 2


def repeated_furniture(candidates: list[PdfLine], page_count: int) -> set[int]:
    """ids of lines repeated at the same place on most pages: running headers and footers."""
    if page_count < 2:
        return set()
    needed = max(2, round(FURNITURE_MIN_SHARE * page_count))
    groups: dict[tuple[str, bool], list[PdfLine]] = {}
    for line in candidates:
        groups.setdefault(furniture_key(line), []).append(line)
    found: set[int] = set()
    for group in groups.values():
        if len({line.page for line in group}) >= needed:
            found.update(lines_repeated_in_place(group, needed))
    return found


def lines_repeated_in_place(group: list[PdfLine], needed: int) -> set[int]:
    """ids of the lines of ``group`` with lines on at least ``needed`` pages within
    FURNITURE_Y_TOLERANCE of their position. A window slides over the lines sorted by
    position, so a header on each of thousands of pages costs n log n, not n²."""
    # position from the nearer page edge, so pages of different heights still agree
    ordered = sorted(group, key=edge_distance)
    positions = [edge_distance(line) for line in ordered]
    pages_in_window: Counter[int] = Counter()
    low = high = 0
    found: set[int] = set()
    for index, here in enumerate(positions):
        while high < len(ordered) and positions[high] <= here + FURNITURE_Y_TOLERANCE:
            pages_in_window[ordered[high].page] += 1
            high += 1
        while positions[low] < here - FURNITURE_Y_TOLERANCE:
            page = ordered[low].page
            pages_in_window[page] -= 1
            if not pages_in_window[page]:
                del pages_in_window[page]
            low += 1
        if len(pages_in_window) >= needed:
            found.add(id(ordered[index]))
    return found


def edge_distance(line: PdfLine) -> float:
    return line.baseline if line.baseline < line.page_height / 2 else line.page_height - line.baseline


def drop_page_furniture(lines: list[PdfLine], page_count: int) -> tuple[list[PdfLine], int]:
    """Remove page numbers and running headers/footers; returns kept lines and how many went."""
    candidates = furniture_candidates(lines)
    # A running header needs a body beside it: the only line of a page is its content
    # (one item a page repeats "(1) ... district 7" with other digits, not a header).
    lines_on = Counter(line.page for line in lines if line.text.strip())
    drop = repeated_furniture([line for line in candidates if lines_on[line.page] > 1], page_count)
    drop.update(id(line) for line in candidates if PAGE_NUMBER.fullmatch(fold(line.text)))
    kept = [line for line in lines if id(line) not in drop]
    return kept, len(lines) - len(kept)


# re-flow --------------------------------------------------------------------------


@dataclass
class Metrics:
    """What body text looks like: its size, line pitch, and each page's text margins
    (pages may differ in size; a page with few lines takes the document's)."""

    body_size: float
    line_pitch: float
    margins: dict[int, tuple[float, float]]  # page -> (left margin, right edge)
    default_margins: tuple[float, float]

    def left(self, page: int) -> float:
        return self.margins.get(page, self.default_margins)[0]

    def right(self, page: int) -> float:
        return self.margins.get(page, self.default_margins)[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def text_margins(lines: list[PdfLine]) -> tuple[float, float]:
    return percentile([line.x0 for line in lines], 0.1), percentile([line.x1 for line in lines], 0.9)


def measure(lines: list[PdfLine]) -> Metrics:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.font_size * 2) / 2] += len(line.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    body = [line for line in lines if abs(line.font_size - body_size) <= SIZE_CHANGE * body_size] or lines
    long_lines = [line for line in body if len(line.text) >= 10] or body
    pitches = [
        b.baseline - a.baseline
        for a, b in zip(body, body[1:])
        if a.page == b.page and not b.after_gap and 0 < b.baseline - a.baseline < 4 * body_size
    ]
    by_page: dict[int, list[PdfLine]] = {}
    for line in long_lines:
        by_page.setdefault(line.page, []).append(line)
    return Metrics(
        body_size=body_size,
        line_pitch=statistics.median(pitches) if pitches else 1.2 * body_size,
        margins={page: text_margins(page_lines) for page, page_lines in by_page.items()
                 if len(page_lines) >= MIN_LINES_FOR_PAGE_MARGINS},
        default_margins=text_margins(long_lines),
    )


def ended_early(previous: PdfLine, line: PdfLine, metrics: Metrics) -> bool:
    """The previous line stops so far before the margin that the next line's first word
    would have fitted: its author ended it (a paragraph end, a heading, a signature)."""
    room = metrics.right(previous.page) - previous.x1
    em = previous.font_size or metrics.body_size
    return room > max(SHORT_LINE_MIN_EM * em, line.first_word_width + 0.5 * em)


def starts_paragraph(previous: PdfLine, line: PdfLine, block_text: str, metrics: Metrics) -> bool:
    if is_bare_token(block_text):
        return False  # "（一）" alone, its heading follows on the next line or after a tab
    if line.after_gap or starts_with_token(line.text):
        return True
    size = max(previous.font_size, line.font_size, 1.0)
    if abs(previous.font_size - line.font_size) > SIZE_CHANGE * size:
        return True
    if abs(previous.bold_share - line.bold_share) == 1:  # a bold line next to a plain one (not bold words)
        return True
    if line.page == previous.page and line.baseline - previous.baseline > VERTICAL_GAP_PITCHES * metrics.line_pitch:
        return True
    if line.page != previous.page and previous.text.rstrip().endswith(SENTENCE_END):
        return True  # a page that ends on a full stop more often ends its paragraph than not
    if ended_early(previous, line, metrics):
        return True
    indented = line.x0 - metrics.left(line.page) > INDENT_EM * (line.font_size or metrics.body_size)
    return indented and previous.text.rstrip().endswith(SENTENCE_END)


def join_lines(text: str, addition: str) -> str:
    """Join a wrapped line: Latin words get their space back, CJK text runs on."""
    if not text:
        return addition
    if text.endswith("-") and addition[:1].isalpha() and text[-2:-1].isalpha():
        return text + addition  # the hyphen PDFium marks at a line break
    last, first = text[-1], addition[:1]
    if last.isspace() or is_cjk(last) or is_cjk(first):
        return text + addition
    return text + " " + addition


TableFinder = Callable[[list[PdfLine], int], "tuple[int, list[Block]] | None"]


def reflow(lines: Iterable[PdfLine], find_table: TableFinder | None = None) -> list[Block]:
    """Paragraph blocks from ``lines``; ``find_table(lines, i)`` (``pdf_tables``) may claim
    the lines from ``i`` to an end as the rows of a table."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return []
    metrics = measure(lines)
    blocks: list[Block] = []
    group: list[PdfLine] = []
    text = ""

    def flush() -> None:
        if group:
            blocks.append(paragraph_block(text, group))

    bullet_seen = False
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        table = find_table(lines, i - 1) if find_table is not None else None
        if table is not None:
            flush()
            group, text, bullet_seen = [], "", False
            i, rows = table
            blocks += rows
            continue
        if SYMBOL_ONLY.fullmatch(line.text):
            bullet_seen = True  # a symbol-font bullet: no text, but an item starts here
            continue
        if group and (bullet_seen or starts_paragraph(group[-1], line, text, metrics)):
            flush()
            group, text = [], ""
        bullet_seen = False
        group.append(line)
        text = join_lines(text, line.text.strip())
    flush()
    return blocks


def paragraph_block(text: str, lines: list[PdfLine]) -> Block:
    sizes: dict[float, int] = {}  # font size -> characters (a plain dict: a Counter costs more per block)
    bold_chars = 0.0
    for line in lines:
        length = len(line.text)
        sizes[line.font_size] = sizes.get(line.font_size, 0) + length
        bold_chars += length * line.bold_share
    total = sum(sizes.values())
    return Block(
        text=text,
        font_size=round(max(sizes, key=sizes.__getitem__), 1),  # the first of the most used, as most_common(1)
        bold=bold_chars > total / 2,
        page=lines[0].page,
    )
