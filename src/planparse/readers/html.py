"""Saved web pages: the main content as blocks, without scripts, navigation or comments.

Three steps: strip what is never content (scripts, styles, forms, comments, hidden
elements, and elements whose tag, role, id or class says navigation, sidebar, footer,
comment, share, related, ad ...); pick the main content by text density (start at
``<article>``/``<main>`` when they hold most of the text, then descend while one child
holds most of what is left, counting link text as no content); emit one block per
block-level element, ``<br>``-separated line, list item, heading and table row.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString, Script, Stylesheet, TemplateString

from ..config import Limits
from .base import Block, RawDocument
from .encoding import decode_text
from .numbering import join_number

# Never content, wherever they are.
JUNK_TAGS = ("script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "frame",
             "svg", "canvas", "button", "select", "input", "textarea", "object", "embed", "head", "link", "meta")
# Page chrome, kept only when it holds the page's <h1> (an article's own header).
CHROME_TAGS = ("header", "footer")
CHROME_WORDS = frozenset({"header", "footer", "head", "foot"})
JUNK_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
# id/class words of boilerplate; an id or class is split into words at -, _ and case changes.
BOILERPLATE_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "menubar", "submenu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
    "sidebar", "side", "aside", "footer", "foot", "header", "topbar", "comment", "comments", "reply",
    "share", "sharing", "social", "related", "recommend", "recommended", "recommendation", "ad", "ads",
    "advert", "advertisement", "adsbygoogle", "banner", "sponsor", "promo", "popup", "modal", "cookie",
    "login", "copyright", "pagination", "pager", "toolbar",
})
# A boilerplate-looking element holding this share of the page's text is the content itself
# (a wrapper with class "has-sidebar"), and stays.
KEEP_IF_TEXT_SHARE = 0.5
# Main content: a semantic container is used when it holds this share of the content text,
# and the search descends into a child holding this share of its parent's.
SEMANTIC_SHARE = 0.5
DESCEND_SHARE = 0.8
# A list, table or division whose text is this much link text is navigation. A paragraph
# that is one link ("附件：…") is content.
LINK_LIST_TAGS = frozenset({"ul", "ol", "dl", "table", "div", "td", "section", "nav"})
LINK_LIST_SHARE = 0.8
CONTAINER_TAGS = frozenset({"body", "div", "section", "article", "main", "td", "center", "font", "span", "table",
                            "tbody", "tr"})
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "ul", "ol", "dl", "dt", "dd", "blockquote",
                        "center", "address", "figure", "figcaption", "header", "footer", "hr", "tr", "td", "th",
                        "tbody", "thead", "tfoot", "caption", "body", "html", "li", "pre", "table"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # not NBSP or U+3000: those are content (indents)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
TEXT_TYPES = (PreformattedString, Script, Stylesheet, TemplateString)  # comments, doctype, CDATA, code
OL_TYPES = {"1": str, "a": lambda n: chr(96 + n) if n <= 26 else str(n),
            "A": lambda n: chr(64 + n) if n <= 26 else str(n)}


def is_text(node) -> bool:
    return isinstance(node, NavigableString) and not isinstance(node, TEXT_TYPES)


def class_words(tag: Tag) -> set[str]:
    values = [tag.get("id") or ""]
    classes = tag.get("class") or []
    values.extend(classes if isinstance(classes, list) else [classes])
    return {word.lower() for value in values for word in WORD_SPLIT.split(str(value)) if word}


def looks_hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or bool(HIDDEN_STYLE.search(str(tag.get("style") or "")))


class TextLengths:
    """Length of visible text and of link text under every element, in one pass."""

    def __init__(self, root: Tag) -> None:
        self.lengths: dict[int, tuple[int, int]] = {}
        # Post-order without recursion: old pages nest thousands of unclosed <font> tags.
        stack: list[tuple[Tag, bool, bool]] = [(root, False, False)]
        while stack:
            tag, in_link, children_done = stack.pop()
            if not children_done:
                in_link = in_link or tag.name == "a"
                stack.append((tag, in_link, True))
                stack.extend((child, in_link, False) for child in tag.children if isinstance(child, Tag))
                continue
            text = links = 0
            for child in tag.children:
                if isinstance(child, Tag):
                    child_text, child_links = self.lengths[id(child)]
                    text += child_text
                    links += child_links
                elif is_text(child):
                    size = len("".join(child.split()))
                    text += size
                    links += size if in_link else 0
            self.lengths[id(tag)] = (text, links)

    def text(self, tag: Tag) -> int:
        return self.lengths.get(id(tag), (0, 0))[0]

    def is_link_list(self, tag: Tag) -> bool:
        text, links = self.lengths.get(id(tag), (0, 0))
        return text > 0 and links >= LINK_LIST_SHARE * text

    def content(self, tag: Tag) -> int:
        """Text that is not link text: navigation lists score nothing."""
        text, links = self.lengths.get(id(tag), (0, 0))
        return text - links


def is_decomposed(tag: Tag) -> bool:
    """``tag.decomposed`` without its cost: on a live tag bs4 looks ``_decomposed`` up as a
    child tag name (``Tag.__getattr__`` is ``find``), a search of the whole subtree per
    call, which made stripping quadratic in the page's size."""
    return bool(vars(tag).get("_decomposed", False))


def strip_boilerplate(soup: BeautifulSoup) -> None:
    for node in soup.find_all(string=lambda s: isinstance(s, TEXT_TYPES)):
        node.extract()
    for tag in soup.find_all(JUNK_TAGS):
        tag.decompose()
    lengths = TextLengths(soup)
    total = max(1, lengths.text(soup))
    for tag in list(soup.find_all(True)):
        if is_decomposed(tag) or tag.name in ("html", "body"):
            continue
        if looks_hidden(tag):
            tag.decompose()
            continue
        words = class_words(tag)
        chrome = tag.name in CHROME_TAGS or bool(words & CHROME_WORDS)
        if not (chrome or tag.get("role") in JUNK_ROLES or words & BOILERPLATE_WORDS):
            continue
        if chrome and tag.find("h1") is not None:
            continue  # an article's own header with its title
        if lengths.text(tag) >= KEEP_IF_TEXT_SHARE * total:
            continue
        tag.decompose()


def main_content(soup: BeautifulSoup) -> Tag:
    body = soup.body or soup
    lengths = TextLengths(body)
    best: Tag = body
    for semantic in body.find_all(["article", "main"]) + body.find_all(attrs={"role": "main"}):
        if lengths.content(semantic) >= max(1, SEMANTIC_SHARE * lengths.content(body)):
            best = semantic
            break
    while True:
        children = [child for child in best.children if isinstance(child, Tag) and child.name in CONTAINER_TAGS]
        if not children:
            return best
        top = max(children, key=lengths.content)
        if lengths.content(top) < DESCEND_SHARE * lengths.content(best) or lengths.content(top) == 0:
            return best
        best = top


def collapse(text: str) -> str:
    return HTML_SPACE.sub(" ", text).strip()


def is_data_table(table: Tag) -> bool:
    """A table of data, not one used for page layout (nested tables, one column)."""
    if table.find("table") is not None:
        return False
    rows = own_rows(table)
    return bool(rows) and max(len(own_cells(row)) for row in rows) >= 2


def own_rows(table: Tag) -> list[Tag]:
    return [row for row in table.find_all("tr") if row.find_parent("table") is table]


def own_cells(row: Tag) -> list[Tag]:
    return row.find_all(["td", "th"], recursive=False)


def ordered_number(item_index: int, ordered_list: Tag) -> str:
    try:
        start = int(ordered_list.get("start") or 1)
    except ValueError:
        start = 1
    render = OL_TYPES.get(str(ordered_list.get("type") or "1"), str)
    return f"{render(start + item_index)}."


class BlockWriter:
    """Walks the content and cuts blocks at block-level elements and line breaks."""

    def __init__(self, lengths: TextLengths) -> None:
        self.lengths = lengths
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.pending = Block(text="")  # kind, level, number of the next block flushed
        self.tables = 0
        self.item_indexes: dict[int, dict[int, int]] = {}

    def flush(self) -> None:
        text = collapse("".join(self.buffer))
        self.buffer = []
        if not text:
            return
        # an <ol> item gets the number the browser shows, as Word numbering does
        self.blocks.append(replace(self.pending, text=join_number(self.pending.number or "", text)))
        self.pending = Block(text="")

    def walk(self, tag: Tag) -> None:
        """Emit the blocks of ``tag``'s children."""
        self._run([("children", tag)])

    def element(self, tag: Tag) -> None:
        """Emit the blocks of ``tag`` itself."""
        self._run([("element", tag)])

    def _run(self, work: list[tuple[str, object]]) -> None:
        # An explicit stack, not recursion: a page may nest elements thousands deep
        # (unclosed <font> tags), far past Python's recursion limit.
        while work:
            action, item = work.pop()
            if action == "children":
                for child in reversed(item.contents):
                    if isinstance(child, Tag):
                        work.append(("element", child))
                    elif is_text(child):
                        work.append(("text", child))
            elif action == "text":
                self.buffer.append(str(item))
            elif action == "flush":
                self.flush()
            else:
                self._open(item, work)

    def _open(self, tag: Tag, work: list[tuple[str, object]]) -> None:
        """Start an element: what happens before its children, with what happens after them
        pushed beneath them on ``work``."""
        name = tag.name
        if name in LINK_LIST_TAGS and self.lengths.is_link_list(tag):
            return  # menus and "more articles" lists left inside the content
        if name == "br":
            self.flush()
        elif name in HEADINGS:
            self.flush()
            self.pending = Block(text="", kind="heading", level=HEADINGS[name], style=name)
            work += [("flush", None), ("children", tag)]
        elif name == "table" and is_data_table(tag):
            self.flush()
            self.table(tag)
        elif name == "li":
            self.flush()
            parent = tag.parent
            number = None
            if parent is not None and parent.name == "ol":
                number = ordered_number(self._item_index(tag, parent), parent)
            self.pending = Block(text="", kind="list_item", number=number, style="li")
            work += [("flush", None), ("children", tag)]
        elif name == "pre":
            self.flush()
            for line in tag.get_text().splitlines():
                self.buffer.append(line)
                self.flush()
        elif name in BLOCK_TAGS:
            self.flush()
            work += [("flush", None), ("children", tag)]
        else:
            work.append(("children", tag))

    def _item_index(self, item: Tag, ordered_list: Tag) -> int:
        """Position of an <li> among its list's own items (indexed once per list)."""
        index = self.item_indexes.get(id(ordered_list))
        if index is None:
            items = ordered_list.find_all("li", recursive=False)
            index = self.item_indexes[id(ordered_list)] = {id(li): i for i, li in enumerate(items)}
        return index[id(item)]

    def table(self, table: Tag) -> None:
        index = self.tables
        self.tables += 1
        for row in own_rows(table):
            cells = [collapse(cell.get_text(" ")) for cell in own_cells(row)]
            if any(cells):
                self.blocks.append(Block(text="\t".join(cells), kind="table_row", cells=cells, table=index))


def declared_charset(data: bytes) -> str | None:
    match = META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def title_outside(content: Tag, soup: BeautifulSoup) -> Iterable[Tag]:
    """The page's <h1> when the chosen content lost it (the title sits above the article)."""
    if content.find("h1") is not None:
        return []
    headings = [h1 for h1 in soup.find_all("h1") if collapse(h1.get_text(" "))]
    return headings[:1] if len(headings) == 1 else []


class HtmlReader:
    format = "html"

    def read(self, data: bytes, path: Path | None = None, limits: Limits | None = None,
             charset: str | None = None) -> RawDocument:
        """``charset``: what the page's container declares (an MHTML part's header); the
        page's own ``<meta charset>`` otherwise."""
        decoded = decode_text(data, charset or declared_charset(data))
        soup = BeautifulSoup(decoded.text, "lxml")
        warnings = list(decoded.warnings)
        strip_boilerplate(soup)
        content = main_content(soup)
        writer = BlockWriter(TextLengths(soup))
        for heading in title_outside(content, soup):
            writer.element(heading)
        if content.name in BLOCK_TAGS:
            writer.element(content)
        else:
            writer.walk(content)
        writer.flush()
        return RawDocument(blocks=writer.blocks, format=self.format, encoding=decoded.encoding, warnings=warnings)
