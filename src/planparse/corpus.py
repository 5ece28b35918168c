"""The labelled task corpus (``corpora/tasks/``): loading and counting.

Two kinds of item live there as JSON Lines (one object per line):

* ``written.jsonl`` — items written by the planparse team in the style of real plans.
  They carry their own ``text`` and ``context`` (the heading path, may be empty).
* ``real.jsonl`` — items taken from real documents in ``shared/`` (the folder beside the
  repository). Nothing of those documents is copied into the repository: an item is a
  *pointer* — the source file (relative to ``shared/``), its sha256, the plan index, the
  ``span`` of the item in planparse's normalised text of that file
  (``planparse.parse_file(path).text``), the sha1 of that text slice, and the span of the
  heading of its section (``context_span``, or null). The text is resolved at load time.

``load_corpus`` never raises for bad data: a record it cannot use is skipped and a warning
says why. A source whose bytes changed (sha256) or whose normalised text drifted (the
item's sha1 no longer matches) is skipped, so a model is never trained on misplaced text.
"""
from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

CATEGORIES: tuple[str, ...] = (
    "political_study", "ethics_and_skills", "labor_competition", "democratic_management",
    "rights_protection", "welfare_and_care", "culture_and_sports", "women_workers",
    "organization_building", "finance", "publicity", "other",
)  # CONTRACT §3, closed set
LANGUAGES: tuple[str, ...] = ("zh", "en")
ORIGINS: tuple[str, ...] = ("real", "written")

_REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS_DIR = _REPO / "corpora" / "tasks"
DEFAULT_SHARED_DIR = _REPO.parent / "shared"

# Parsed normalised texts, per (resolved path, sha256): a process parses a source once
# however often the corpus is loaded.
_TEXT_CACHE: dict[tuple[str, str], str] = {}


@dataclass
class TaskItem:
    id: str
    text: str
    context: str
    category: str
    secondary_categories: list[str] = field(default_factory=list)
    language: str = "zh"
    origin: str = "written"
    source_file: str = "written"
    plan: int | None = None
    group: str = ""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _read_records(path: Path, warnings: list[str]) -> list[dict[str, Any]]:
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        warnings.append(f"{path.name}: cannot be read ({err}); skipped")
        return records
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            warnings.append(f"{path.name}:{number}: not valid JSON ({err.msg}); skipped")
            continue
        if not isinstance(obj, dict):
            warnings.append(f"{path.name}:{number}: not a JSON object; skipped")
            continue
        obj["_where"] = f"{path.name}:{number}"
        records.append(obj)
    return records


def _check_labels(rec: dict[str, Any]) -> str | None:
    """Why a record's id/labels are unusable, or None when they are fine."""
    if not isinstance(rec.get("id"), str) or not rec["id"]:
        return "no id"
    if rec.get("category") not in CATEGORIES:
        return f"category {rec.get('category')!r} is not in CONTRACT §3"
    secondary = rec.get("secondary_categories", [])
    if not isinstance(secondary, list) or any(c not in CATEGORIES for c in secondary):
        return f"secondary_categories {secondary!r} are not all in CONTRACT §3"
    if rec["category"] in secondary or len(set(secondary)) != len(secondary):
        return "secondary_categories repeat a category"
    if rec.get("language") not in LANGUAGES:
        return f"language {rec.get('language')!r} is not zh/en"
    if rec.get("origin") not in ORIGINS:
        return f"origin {rec.get('origin')!r} is not real/written"
    return None


def _written_item(rec: dict[str, Any]) -> tuple[TaskItem | None, str | None]:
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return None, "written item without text"
    context = rec.get("context") or ""
    if not isinstance(context, str):
        return None, "context is not a string"
    # Written items are independent sentences: each is its own group for grouped CV.
    return TaskItem(
        id=rec["id"], text=text, context=context, category=rec["category"],
        secondary_categories=list(rec.get("secondary_categories", [])), language=rec["language"],
        origin="written", source_file="written", plan=None, group=f"written#{rec['id']}",
    ), None


def _source_path(shared_dir: Path, rel: Any) -> Path | None:
    """The referenced file inside ``shared_dir``, or None for a path that leaves it."""
    if not isinstance(rel, str) or not rel or Path(rel).is_absolute():
        return None
    root = shared_dir.resolve()
    path = (root / rel).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return None
    return path


def _text_pipeline():
    """planparse's pipeline without ``classify``: the normalised text does not depend on
    the classifier, and the corpus the classifier is trained on must load without one
    (or with a model file of another format)."""
    global _PIPELINE
    if _PIPELINE is None:
        from .pipeline import DEFAULT_PIPELINE, Pipeline

        _PIPELINE = Pipeline(names=tuple(n for n in DEFAULT_PIPELINE if n != "classify"))
    return _PIPELINE


_PIPELINE = None


def _normalised_text(path: Path, sha256: str) -> tuple[str | None, str | None]:
    key = (str(path), sha256)
    if key in _TEXT_CACHE:
        return _TEXT_CACHE[key], None
    from .api import parse_file  # late: the corpus module must not slow down `import planparse`

    result = parse_file(path, pipeline=_text_pipeline())
    if result.error is not None:
        return None, f"{result.error.code}: {result.error.message}"
    _TEXT_CACHE[key] = result.text
    return result.text, None


def _span(value: Any, size: int) -> tuple[int, int] | None:
    if (isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 <= value[0] < value[1] <= size):
        return int(value[0]), int(value[1])
    return None


def _real_items(records: list[dict[str, Any]], shared_dir: Path, warnings: list[str]) -> list[TaskItem]:
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        source = rec.get("source")
        if not isinstance(source, dict) or not isinstance(source.get("file"), str):
            warnings.append(f"{rec['_where']} ({rec['id']}): real item without source.file; skipped")
            continue
        by_file[source["file"]].append(rec)
    items: list[TaskItem] = []
    for rel in sorted(by_file):
        recs = by_file[rel]
        path = _source_path(shared_dir, rel)
        if path is None:
            warnings.append(f"{rel}: not a path inside the shared folder; {len(recs)} real items skipped")
            continue
        if not path.is_file():
            warnings.append(f"{rel}: missing from {shared_dir}; {len(recs)} real items skipped")
            continue
        actual = _sha256_file(path)
        expected = {r["source"].get("sha256") for r in recs}
        if expected != {actual}:
            warnings.append(f"{rel}: sha256 is {actual[:12]}…, the corpus expects {sorted(str(e)[:12] for e in expected)}; "
                            f"the file changed, {len(recs)} real items skipped")
            continue
        text, error = _normalised_text(path, actual)
        if text is None:
            warnings.append(f"{rel}: planparse could not read it ({error}); {len(recs)} real items skipped")
            continue
        drifted = []
        for rec in recs:
            span = _span(rec.get("span"), len(text))
            if span is None or _sha1(text[span[0]:span[1]]) != rec.get("text_sha1"):
                drifted.append(rec["id"])
                continue
            context = ""
            if rec.get("context_span") is not None:
                cspan = _span(rec["context_span"], len(text))
                if cspan is None:
                    drifted.append(rec["id"])
                    continue
                context = text[cspan[0]:cspan[1]]
            plan = rec["source"].get("plan")
            items.append(TaskItem(
                id=rec["id"], text=text[span[0]:span[1]], context=context, category=rec["category"],
                secondary_categories=list(rec.get("secondary_categories", [])), language=rec["language"],
                origin="real", source_file=rel, plan=plan if isinstance(plan, int) else None, group=f"{rel}#{plan}",
            ))
        if drifted:
            shown = ", ".join(drifted[:5]) + (" …" if len(drifted) > 5 else "")
            warnings.append(f"{rel}: the normalised text drifted (span or text_sha1 no longer match) for {len(drifted)} "
                            f"items ({shown}); skipped")
    return items


def load_corpus(corpus_dir: Path | None = None, shared_dir: Path | None = None) -> tuple[list[TaskItem], list[str]]:
    """Load every ``*.jsonl`` of ``corpus_dir``: the items, sorted by id, and the warnings.

    Real items are resolved against ``shared_dir`` (default: the ``shared`` folder beside
    the repository); each referenced source is parsed once. Without ``shared_dir`` the real
    items are skipped with one warning."""
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else DEFAULT_CORPUS_DIR
    shared_dir = Path(shared_dir) if shared_dir is not None else DEFAULT_SHARED_DIR
    warnings: list[str] = []
    if not corpus_dir.is_dir():
        return [], [f"corpus folder {corpus_dir} does not exist"]
    records: list[dict[str, Any]] = []
    for path in sorted(corpus_dir.glob("*.jsonl")):
        records.extend(_read_records(path, warnings))
    seen: set[str] = set()
    written: list[TaskItem] = []
    real: list[dict[str, Any]] = []
    for rec in records:
        problem = _check_labels(rec)
        if problem is None and rec["id"] in seen:
            problem = f"duplicate id {rec['id']}"
        if problem is not None:
            warnings.append(f"{rec['_where']}: {problem}; skipped")
            continue
        seen.add(rec["id"])
        if rec["origin"] == "written":
            item, problem = _written_item(rec)
            if item is None:
                warnings.append(f"{rec['_where']} ({rec['id']}): {problem}; skipped")
            else:
                written.append(item)
        else:
            real.append(rec)
    items = list(written)
    if real:
        if shared_dir.is_dir():
            items.extend(_real_items(real, shared_dir, warnings))
        else:
            warnings.append(f"shared folder {shared_dir} not found: {len(real)} real items skipped")
    items.sort(key=lambda it: it.id)
    return items, warnings


def corpus_stats(items: Iterable[TaskItem]) -> dict[str, Any]:
    """Counts per category, language and origin, and category × origin / × language."""
    items = list(items)
    by_category = Counter(it.category for it in items)
    stats: dict[str, Any] = {
        "n_items": len(items),
        "by_category": {c: by_category.get(c, 0) for c in CATEGORIES},
        "by_language": {lang: sum(1 for it in items if it.language == lang) for lang in LANGUAGES},
        "by_origin": {o: sum(1 for it in items if it.origin == o) for o in ORIGINS},
        "by_category_origin": {c: {o: 0 for o in ORIGINS} for c in CATEGORIES},
        "by_category_language": {c: {lang: 0 for lang in LANGUAGES} for c in CATEGORIES},
        "by_origin_language": {o: {lang: 0 for lang in LANGUAGES} for o in ORIGINS},
        "with_secondary": sum(1 for it in items if it.secondary_categories),
        "n_groups": len({it.group for it in items}),
    }
    for it in items:
        stats["by_category_origin"][it.category][it.origin] += 1
        stats["by_category_language"][it.category][it.language] += 1
        stats["by_origin_language"][it.origin][it.language] += 1
    return stats


def stats_markdown(stats: dict[str, Any]) -> str:
    """The counts as the Markdown table used in ``corpora/README.md``."""
    lines = ["| category | real | written | zh | en | total |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for cat in CATEGORIES:
        o, lang = stats["by_category_origin"][cat], stats["by_category_language"][cat]
        lines.append(f"| `{cat}` | {o['real']} | {o['written']} | {lang['zh']} | {lang['en']} | {stats['by_category'][cat]} |")
    o, lang = stats["by_origin"], stats["by_language"]
    lines.append(f"| **total** | {o['real']} | {o['written']} | {lang['zh']} | {lang['en']} | {stats['n_items']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m planparse.corpus``: load the corpus, print warnings and the count table."""
    items, warnings = load_corpus()
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(stats_markdown(corpus_stats(items)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
