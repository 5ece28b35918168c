"""Compare two plans (say one union's 2023 and 2024 plans): tasks added, removed and
reworded, category shifts, and schedule changes by month.

Tasks are aligned by the similarity of their wording: character n-gram Jaccard over a
folded form of the text (NFKC, lower case, no spaces or punctuation), then a one-to-one
best match (the Hungarian method, :func:`scipy.optimize.linear_sum_assignment`) among
pairs similar enough to be the same task reworded. Schedule items are aligned the same
way, month by month, so an activity moved from April to June shows as removed in April
and added in June.

Plans come in as :class:`~planparse.records.Plan` records or their JSON dicts; the
result is a :class:`PlanDiff` with ``to_dict()`` (JSON) and ``to_text()`` (a report)."""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .readers.cjk import count_cjk
from .records import Plan, Record

# Identical wording (after folding width, case, spaces and punctuation) is "unchanged";
# anything less is a rewording worth showing, since one changed number ("5名" → "8名")
# is a changed commitment.
SAME_SIMILARITY = 1.0
# Below this, two tasks are different tasks, not one reworded. Unrelated tasks of one
# union plan share stock n-grams (教职, 职工, 工会, 开展; "the", "ion") and score up to
# 0.31 (99th percentile 0.25) over the dev seeds and samples; a task reworded while
# keeping its topic keeps over a third of them (one changed number: about 0.6-0.9).
REWORDED_MIN_SIMILARITY = 0.35
# Character bigrams for Chinese (two characters are most words); trigrams for
# alphabetic text, whose letter bigrams are shared by nearly any two sentences.
CJK_NGRAM = 2
ALPHABETIC_NGRAM = 3

MONTHS = range(1, 13)


class DiffInputError(ValueError):
    """An input that holds no plan to compare, or more than one and none chosen."""


# --- similarity ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """The text as compared: NFKC, lower case, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def ngrams(text: str) -> frozenset[str]:
    """The character n-grams of the folded text (n by script); a text shorter than n is its own gram."""
    folded = fold(text)
    if not folded:
        return frozenset()
    cjk = count_cjk(folded)
    n = CJK_NGRAM if cjk * 2 >= len(folded) else ALPHABETIC_NGRAM
    if len(folded) <= n:
        return frozenset([folded])
    return frozenset(folded[i : i + n] for i in range(len(folded) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    """1.0 for the same wording (up to width, case, spaces and punctuation); 0.0 for nothing shared."""
    if fold(a) == fold(b):
        return 1.0
    return jaccard(ngrams(a), ngrams(b))


@dataclass
class Alignment:
    """Index pairs (old, new) with their similarity, and the indexes left on either side."""

    pairs: list[tuple[int, int, float]]
    only_old: list[int]
    only_new: list[int]


def align(old: Sequence[str], new: Sequence[str], min_similarity: float = REWORDED_MIN_SIMILARITY) -> Alignment:
    """One-to-one alignment of two lists of texts.

    Identical wordings pair first, in order (so a task kept as it was is never traded
    for two near matches); the rest are paired by the assignment that maximises the total
    similarity over pairs at or above ``min_similarity``."""
    pairs: list[tuple[int, int, float]] = []
    waiting: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        waiting.setdefault(fold(text), []).append(j)
    rest_old: list[int] = []
    used_new: set[int] = set()
    for i, text in enumerate(old):
        same = waiting.get(fold(text))
        if same:
            j = same.pop(0)
            pairs.append((i, j, 1.0))
            used_new.add(j)
        else:
            rest_old.append(i)
    rest_new = [j for j in range(len(new)) if j not in used_new]
    if rest_old and rest_new:
        import numpy as np
        from scipy.optimize import linear_sum_assignment

        grams_old = [ngrams(old[i]) for i in rest_old]
        grams_new = [ngrams(new[j]) for j in rest_new]
        scores = np.array([[jaccard(a, b) for b in grams_new] for a in grams_old])
        # Pairs below the floor must not steer the assignment: they count as nothing.
        gain = np.where(scores >= min_similarity, scores, 0.0)
        rows, cols = linear_sum_assignment(gain, maximize=True)
        matched_old: set[int] = set()
        matched_new: set[int] = set()
        for r, c in zip(rows, cols):
            if gain[r, c] > 0:
                pairs.append((rest_old[r], rest_new[c], round(float(scores[r, c]), 4)))
                matched_old.add(rest_old[r])
                matched_new.add(rest_new[c])
        rest_old = [i for i in rest_old if i not in matched_old]
        rest_new = [j for j in rest_new if j not in matched_new]
    pairs.sort()
    return Alignment(pairs=pairs, only_old=rest_old, only_new=rest_new)


# --- records ------------------------------------------------------------------------------


@dataclass
class PlanRef(Record):
    """Which plan a side of the diff is."""

    plan_id: str
    title: str | None
    organization: str | None
    year: int | None
    n_tasks: int
    n_schedule_items: int
    source: str | None = None


@dataclass
class TaskRef(Record):
    task_id: str
    path: list[str]
    text: str
    category: str


@dataclass
class Rewording(Record):
    old: TaskRef
    new: TaskRef
    similarity: float


@dataclass
class CategoryCount(Record):
    category: str
    old: int
    new: int

    @property
    def change(self) -> int:
        return self.new - self.old


@dataclass
class Recategorised(Record):
    """A task found in both plans (kept or reworded) whose category is not the same."""

    old: TaskRef
    new: TaskRef


@dataclass
class ScheduleRef(Record):
    when: str | None
    text: str
    category: str


@dataclass
class MonthChange(Record):
    """Schedule items naming one month: those only in the old plan, only in the new, reworded."""

    month: int
    old_count: int
    new_count: int
    added: list[ScheduleRef] = field(default_factory=list)
    removed: list[ScheduleRef] = field(default_factory=list)
    reworded: list[tuple[ScheduleRef, ScheduleRef, float]] = field(default_factory=list)


@dataclass
class PlanDiff(Record):
    old: PlanRef
    new: PlanRef
    added: list[TaskRef]
    removed: list[TaskRef]
    reworded: list[Rewording]
    unchanged: int
    category_counts: list[CategoryCount]
    recategorised: list[Recategorised]
    schedule: list[MonthChange]  # only the months where something changed

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.reworded or self.recategorised or self.schedule)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        for month in out["schedule"]:
            month["reworded"] = [{"old": old, "new": new, "similarity": sim} for old, new, sim in month["reworded"]]
        out["summary"] = {"unchanged": self.unchanged, "reworded": len(self.reworded), "removed": len(self.removed),
                          "added": len(self.added), "recategorised": len(self.recategorised),
                          "months_changed": [m.month for m in self.schedule]}
        return out

    def to_text(self) -> str:
        return render_text(self)


# --- the diff -----------------------------------------------------------------------------


def _as_dict(plan: Plan | Mapping[str, Any]) -> Mapping[str, Any]:
    return plan.to_dict() if isinstance(plan, Plan) else plan


def _plan_ref(plan: Mapping[str, Any], source: str | None) -> PlanRef:
    return PlanRef(plan_id=plan.get("plan_id", ""), title=plan.get("title"), organization=plan.get("organization"),
                   year=plan.get("year"), n_tasks=len(plan.get("tasks") or []),
                   n_schedule_items=len(plan.get("schedule") or []), source=source)


def _task_ref(task: Mapping[str, Any]) -> TaskRef:
    return TaskRef(task_id=task.get("task_id", ""), path=list(task.get("path") or []), text=task.get("text", ""),
                   category=task.get("category", "other"))


def _schedule_ref(item: Mapping[str, Any]) -> ScheduleRef:
    return ScheduleRef(when=item.get("when"), text=item.get("text", ""), category=item.get("category", "other"))


def _category_counts(old: list[TaskRef], new: list[TaskRef]) -> list[CategoryCount]:
    before = Counter(t.category for t in old)
    after = Counter(t.category for t in new)
    names = sorted(set(before) | set(after), key=lambda c: (-max(before[c], after[c]), c))
    return [CategoryCount(category=c, old=before[c], new=after[c]) for c in names]


def _schedule_changes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[MonthChange]:
    changes = []
    for month in MONTHS:
        old_items = [_schedule_ref(i) for i in old if month in (i.get("months") or [])]
        new_items = [_schedule_ref(i) for i in new if month in (i.get("months") or [])]
        if not old_items and not new_items:
            continue
        aligned = align([i.text for i in old_items], [i.text for i in new_items])
        change = MonthChange(
            month=month, old_count=len(old_items), new_count=len(new_items),
            added=[new_items[j] for j in aligned.only_new], removed=[old_items[i] for i in aligned.only_old],
            reworded=[(old_items[i], new_items[j], sim) for i, j, sim in aligned.pairs if sim < SAME_SIMILARITY],
        )
        if change.added or change.removed or change.reworded:
            changes.append(change)
    return changes


def diff_plans(old: Plan | Mapping[str, Any], new: Plan | Mapping[str, Any], *,
               old_source: str | None = None, new_source: str | None = None) -> PlanDiff:
    """What changed from ``old`` to ``new``: tasks, categories and the schedule by month."""
    old_plan, new_plan = _as_dict(old), _as_dict(new)
    old_tasks = [_task_ref(t) for t in old_plan.get("tasks") or []]
    new_tasks = [_task_ref(t) for t in new_plan.get("tasks") or []]
    aligned = align([t.text for t in old_tasks], [t.text for t in new_tasks])
    reworded, recategorised, unchanged = [], [], 0
    for i, j, sim in aligned.pairs:
        before, after = old_tasks[i], new_tasks[j]
        if sim >= SAME_SIMILARITY:
            unchanged += 1
        else:
            reworded.append(Rewording(old=before, new=after, similarity=sim))
        if before.category != after.category:
            recategorised.append(Recategorised(old=before, new=after))
    return PlanDiff(
        old=_plan_ref(old_plan, old_source), new=_plan_ref(new_plan, new_source),
        added=[new_tasks[j] for j in aligned.only_new], removed=[old_tasks[i] for i in aligned.only_old],
        reworded=reworded, unchanged=unchanged,
        category_counts=_category_counts(old_tasks, new_tasks), recategorised=recategorised,
        schedule=_schedule_changes(old_plan.get("schedule") or [], new_plan.get("schedule") or []),
    )


# --- inputs -------------------------------------------------------------------------------


def load_plans(path: str | Path) -> list[dict[str, Any]]:
    """The plans of a file: a planparse JSON document as it is, any other file parsed.

    Raises :class:`DiffInputError` for a file planparse cannot read."""
    path = Path(path)
    if not path.is_file():
        raise DiffInputError(f"{path}: no such file")
    if path.suffix.lower() == ".json":
        from .output import loads

        try:
            doc = loads(path.read_bytes())
        except ValueError as exc:
            raise DiffInputError(f"{path}: not a planparse JSON document ({exc})") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("plans"), list):
            raise DiffInputError(f"{path}: not a planparse JSON document (it has no \"plans\" list)")
        return list(doc["plans"])
    from .api import parse_file

    result = parse_file(path)
    if result.error is not None:
        raise DiffInputError(f"{path}: {result.error.code}: {result.error.message}")
    return [p.to_dict() for p in result.plans]


def pick_plan(plans: Sequence[Mapping[str, Any]], number: int | None, where: str, option: str = "--plan") -> Mapping[str, Any]:
    """Plan ``number`` (1 = the first in the file), or without one the only plan that has tasks."""
    if number is not None:
        if not 1 <= number <= len(plans):
            raise DiffInputError(f"{where} has {len(plans)} plan(s); {option} {number} is not one of them")
        return plans[number - 1]
    with_tasks = [n for n, p in enumerate(plans, 1) if p.get("tasks")]
    if not with_tasks:
        raise DiffInputError(f"{where}: no plan with tasks found" + (f" (it has {len(plans)} plan(s) without tasks)" if plans else ""))
    if len(with_tasks) > 1:
        listed = "; ".join(f"{n}: {plans[n - 1].get('title') or '(untitled)'}" for n in with_tasks[:10])
        raise DiffInputError(f"{where} holds {len(with_tasks)} plans with tasks ({listed}); choose one with {option} N")
    return plans[with_tasks[0] - 1]


def diff_files(old: str | Path, new: str | Path, old_plan: int | None = None, new_plan: int | None = None) -> PlanDiff:
    """:func:`diff_plans` of a plan picked from each of two files (source documents or planparse JSON)."""
    before = pick_plan(load_plans(old), old_plan, str(old), "--old-plan")
    after = pick_plan(load_plans(new), new_plan, str(new), "--new-plan")
    return diff_plans(before, after, old_source=str(old), new_source=str(new))


# --- text report --------------------------------------------------------------------------


def _one_line(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe(ref: PlanRef) -> str:
    name = ref.title or ref.organization or ref.plan_id
    year = f", {ref.year}" if ref.year is not None else ""
    return f"{name} ({ref.plan_id}{year}; {ref.n_tasks} tasks, {ref.n_schedule_items} schedule items)"


def render_text(diff: PlanDiff) -> str:
    """A plain-text report of a diff, in the order: plans, tasks, categories, schedule."""
    lines = [f"old: {_describe(diff.old)}", f"new: {_describe(diff.new)}",
             f"tasks: {diff.unchanged} unchanged, {len(diff.reworded)} reworded, "
             f"{len(diff.removed)} removed, {len(diff.added)} added"]
    if diff.removed:
        lines += ["", "removed tasks:"] + [f"  - [{t.category}] {_one_line(t.text)}" for t in diff.removed]
    if diff.added:
        lines += ["", "added tasks:"] + [f"  + [{t.category}] {_one_line(t.text)}" for t in diff.added]
    if diff.reworded:
        lines += ["", "reworded tasks (similarity):"]
        for r in diff.reworded:
            lines += [f"  ~ {r.similarity:.2f}  old: {_one_line(r.old.text)}", f"          new: {_one_line(r.new.text)}"]
    lines += ["", "tasks per category (old → new):"]
    width = max((len(c.category) for c in diff.category_counts), default=0)
    for c in diff.category_counts:
        delta = f"  ({c.change:+d})" if c.change else ""
        lines.append(f"  {c.category:<{width}}  {c.old:>2} → {c.new:<2}{delta}")
    if diff.recategorised:
        lines += ["", "tasks whose category changed:"]
        lines += [f"  {r.old.category} → {r.new.category}: {_one_line(r.new.text)}" for r in diff.recategorised]
    lines += ["", "schedule by month:" if diff.schedule else "schedule: no change"]
    for m in diff.schedule:
        lines.append(f"  month {m.month}: {m.old_count} → {m.new_count} items")
        lines += [f"    - {_one_line(i.text)}" for i in m.removed]
        lines += [f"    + {_one_line(i.text)}" for i in m.added]
        lines += [f"    ~ {_one_line(a.text)} → {_one_line(b.text)}" for a, b, _ in m.reworded]
    return "\n".join(lines) + "\n"
