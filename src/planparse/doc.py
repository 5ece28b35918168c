"""The one object that flows through the pipeline, like spaCy's Doc: each component
reads what earlier ones left on it and adds its own layer."""
from __future__ import annotations

from dataclasses import dataclass, field

from .readers.base import Block, RawDocument
from .records import Plan, Removed, ScheduleItem, Section, SourceInfo, Target, Task


@dataclass
class Line:
    """A paragraph of the normalised text: ``text == doc.text[start:end]``.

    ``block`` points back to the reader's block for its layout hints; ``first`` is true
    for the first line a block produced (only that line carries the block's numbering
    and heading style)."""

    start: int
    end: int
    block: Block | None = None
    first: bool = True

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class Unit:
    """A numbered or plain unit of a plan after outline analysis: a heading, an
    enumerated item, or a paragraph; inline enumerations are split into units too."""

    start: int  # span of the whole unit, numbering token included
    end: int
    body_start: int  # where the text after the numbering token begins
    scheme: str | None = None  # numbering scheme name from data/numbering.json, None for plain text
    token: str | None = None  # the numbering token as written, e.g. "一", "(三)", "2", "Second"
    value: int | None = None  # the token's ordinal value (一 → 1, Second → 2)
    level: int = 0  # outline depth, 1 = top; 0 = plain paragraph under the current heading
    heading_end: int | None = None  # where a heading's title ends when text follows on the same line
    block: Block | None = None
    inline: bool = False  # split from inside a paragraph

    @property
    def is_table_row(self) -> bool:
        return self.block is not None and self.block.is_table_row


@dataclass
class PlanDraft:
    """A plan's region of the text while the pipeline works on it."""

    start: int
    end: int
    lines: list[Line]
    title: str | None = None
    title_span: tuple[int, int] | None = None
    units: list[Unit] = field(default_factory=list)
    doc_type: str | None = None  # plan / summary / other, decided once by the sections stage
    # Filled by the later stages; ``section_units`` maps each top-level section to its units.
    sections: list[Section] = field(default_factory=list)
    section_units: list[tuple[Section, int, int]] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    schedule: list[ScheduleItem] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    plan: Plan | None = None


@dataclass
class Doc:
    source: SourceInfo
    raw: RawDocument
    text: str = ""
    lines: list[Line] = field(default_factory=list)  # all lines after normalising
    kept: list[Line] = field(default_factory=list)  # lines (or parts of lines) left by clean
    removed: list[Removed] = field(default_factory=list)
    title_anchors: list[tuple[int, int]] = field(default_factory=list)  # titles clean found printed twice
    drafts: list[PlanDraft] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # ``text`` with traditional characters simplified, offsets kept (simplify.matching_text),
    # set by normalize; None until then, or for a Doc built by hand.
    matching_text: str | None = None

    @property
    def matching(self) -> str:
        """The text the cue tables are matched against: spans found in it are spans of
        ``text``. The same object as ``text`` unless the page is in traditional script."""
        return self.text if self.matching_text is None else self.matching_text

    @property
    def traditional(self) -> bool:
        """A traditional-script page: ``matching`` is a simplified twin, not ``text`` itself."""
        return self.matching is not self.text

    @property
    def plans(self) -> list[Plan]:
        return [d.plan for d in self.drafts if d.plan is not None]
