"""planparse: turn organisations' work plans into structured data."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import parse_bytes, parse_file, parse_text  # noqa: E402
from .errors import ErrorCode, PlanparseError  # noqa: E402
from .records import ParseResult, Plan, ScheduleItem, Section, Target, Task  # noqa: E402
from .frames import to_frames  # noqa: E402

__all__ = [
    "__version__", "parse_file", "parse_text", "parse_bytes", "ErrorCode", "PlanparseError",
    "ParseResult", "Plan", "Section", "Task", "ScheduleItem", "Target", "to_frames",
]
