"""Training and evaluating the task classifier from the labelled corpus.

``train`` rebuilds ``models/task_classifier.json`` deterministically: items are sorted by
id, every random state is fixed, and the file's date is taken from the corpus (the commit
that last changed it, its newest file when it has uncommitted changes or is not in git,
or ``$SOURCE_DATE_EPOCH``), never from the clock — the same corpus gives a
byte-identical file, in any checkout.

``evaluate`` estimates how the model does on unseen plans: grouped cross-validation
(``GroupKFold`` by ``item.group``, so the items of one plan are never in both train and
test), each fold's model calibrated (temperature, document-prior weight, top-label map,
secondary threshold) by its own inner grouped cross-validation on its training part only, and the
figures computed on ``real`` items only (``written`` items help train but are never
scored). It reports accuracy, macro-F1, per-class precision/recall, the confusion
matrix and the expected calibration error (10 bins), next to the rule-based
``CueClassifier`` on the same items. ``learning_curve`` repeats that cross-validation
with each fold trained on a share of its plans: whether more labelled plans would help.

``train_command`` and ``evaluate_command`` are typer-compatible command functions:
``app.command("train")(train_command)``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Optional

import numpy as np
import typer

from .corpus import ORIGINS
from .model import CONTRACT_CATEGORIES, TaskClassifier, default_model_path, expected_calibration_error

__all__ = [
    "TrainReport",
    "corpus_date",
    "corpus_sha256",
    "evaluate",
    "evaluate_command",
    "fit_model",
    "grouped_folds",
    "learning_curve",
    "load_items",
    "print_evaluation",
    "print_learning_curve",
    "train",
    "train_command",
]

# The bars for `planparse evaluate` on real items.
TARGETS = {"macro_f1": 0.80, "accuracy": 0.85, "ece": 0.05}
_CORPUS_SUFFIXES = {".json", ".jsonl", ".csv", ".tsv", ".yaml", ".yml", ".txt", ".md"}


# ----------------------------------------------------------------------------- data

def load_items(corpus_dir: Path | None = None, shared_dir: Path | None = None) -> tuple[list[Any], list[str]]:
    """The labelled task items (``planparse.corpus.load_corpus``), sorted by id."""
    from .corpus import load_corpus

    items, warnings = load_corpus(corpus_dir=corpus_dir, shared_dir=shared_dir)
    return sorted(items, key=lambda it: str(it.id)), list(warnings)


def _item_record(item: Any) -> dict[str, Any]:
    return {
        "id": str(item.id), "text": item.text, "context": item.context or "", "category": item.category,
        "secondary_categories": sorted(item.secondary_categories or []), "language": item.language,
        "origin": item.origin, "group": str(item.group),
    }


def corpus_sha256(items: Sequence[Any]) -> str:
    """A fingerprint of what training sees: the sorted items' texts, labels and groups."""
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda it: str(it.id)):
        digest.update(json.dumps(_item_record(item), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _default_corpus_dir() -> Path | None:
    try:
        from . import corpus as corpus_module
    except ImportError:
        return None
    for name in ("DEFAULT_CORPUS_DIR", "CORPUS_DIR", "default_corpus_dir"):
        value = getattr(corpus_module, name, None)
        if callable(value):
            value = value()
        if value:
            return Path(value)
    return Path(__file__).resolve().parents[2] / "corpora"


def corpus_date(corpus_dir: Path | None = None) -> str:
    """The training date written into the model: ``$SOURCE_DATE_EPOCH`` when set; else,
    when the corpus folder is in a git checkout with nothing uncommitted in it, the day
    (UTC) of the last commit that changed it — a fresh clone has fresh file times, the
    same commit; else the day of its newest data file. Never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return _day(int(epoch))
    folder = Path(corpus_dir) if corpus_dir is not None else _default_corpus_dir()
    if folder is None or not folder.is_dir():
        return _day(0)
    committed = _last_commit_time(folder)
    if committed is not None:
        return _day(committed)
    newest = 0.0
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix.lower() in _CORPUS_SUFFIXES and not any(p.startswith(".") for p in path.parts):
            newest = max(newest, path.stat().st_mtime)
    return _day(newest)


def _day(epoch: float) -> str:
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).strftime("%Y-%m-%d")


def _last_commit_time(folder: Path) -> int | None:
    """Commit time of the last commit touching ``folder``; None outside git, without git,
    or when the folder has uncommitted changes (then its files say more than git)."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return None

    def run(*args: str) -> str | None:
        try:
            done = subprocess.run([git, *args, "--", "."], cwd=folder, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = run("status", "--porcelain", "--untracked-files=all")
    if status is None or status:
        return None
    stamp = run("log", "-1", "--format=%ct")
    return int(stamp) if stamp and stamp.isdigit() else None


# ---------------------------------------------------------------------------- train

def fit_model(items: Sequence[Any], seed: int = 0, config: dict[str, Any] | None = None,
              features: dict[str, list[tuple[str, ...]]] | None = None) -> TaskClassifier:
    """A TaskClassifier fitted on ``items`` (sorted by id first), calibrated on grouped folds.
    ``features`` maps item id -> per-view features (``_item_features``), computed once by
    ``evaluate`` for all folds."""
    items = sorted(items, key=lambda it: str(it.id))
    model = TaskClassifier(config=config, seed=seed)
    feats = None
    if features is not None:
        feats = [[features[str(it.id)][v] for it in items] for v in range(len(model.config["views"]))]
    model.fit(
        [it.text for it in items],
        [it.category for it in items],
        contexts=[it.context or "" for it in items],
        groups=[str(it.group) for it in items],
        secondary=[list(it.secondary_categories or []) for it in items],
        features=feats,
        calibrate_on=[it.origin == "real" for it in items],
    )
    return model


def _item_features(items: Sequence[Any], config: dict[str, Any] | None) -> dict[str, list[tuple[str, ...]]]:
    """item id -> the features of each view (the analyzers run once per item)."""
    per_view = TaskClassifier(config=config).featurize([it.text for it in items], [it.context or "" for it in items])
    return {str(it.id): [view[k] for view in per_view] for k, it in enumerate(items)}


@dataclass
class TrainReport:
    path: str
    bytes: int
    sha256: str
    created: str
    corpus_sha256: str
    n_items: int
    n_real: int
    class_counts: dict[str, int]
    classes: list[str]
    n_features: int
    temperature: float
    secondary_threshold: float
    seconds: float
    top_label: list[float] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def train(corpus_dir: Path | None = None, shared_dir: Path | None = None, out: Path | None = None, seed: int = 0,
          *, items: Sequence[Any] | None = None, config: dict[str, Any] | None = None) -> TrainReport:
    """Fit the classifier on the whole corpus and write the model file (default: the path
    the package loads from, ``models/task_classifier.json`` of the checkout)."""
    began = time.perf_counter()
    warnings: list[str] = []
    if items is None:
        items, warnings = load_items(corpus_dir, shared_dir)
    items = sorted(items, key=lambda it: str(it.id))
    if not items:
        raise ValueError("the corpus holds no labelled items")
    model = fit_model(items, seed=seed, config=config)
    counts = Counter(it.category for it in items)
    model.metadata = {
        "created": corpus_date(corpus_dir),
        "corpus": {
            "sha256": corpus_sha256(items),
            "n_items": len(items),
            "n_real": sum(1 for it in items if it.origin == "real"),
            "class_counts": {c: counts[c] for c in CONTRACT_CATEGORIES if counts[c]},
        },
    }
    path = model.save(Path(out) if out is not None else default_model_path())
    data = path.read_bytes()
    return TrainReport(
        path=str(path), bytes=len(data), sha256=hashlib.sha256(data).hexdigest(), created=model.metadata["created"],
        corpus_sha256=model.metadata["corpus"]["sha256"], n_items=len(items), n_real=model.metadata["corpus"]["n_real"],
        class_counts=model.metadata["corpus"]["class_counts"], classes=list(model.classes_),
        n_features=int(model._coef_t.shape[0]), temperature=model.temperature,
        secondary_threshold=model.secondary_threshold, seconds=round(time.perf_counter() - began, 2),
        top_label=list(model.top_label), warnings=warnings,
    )


# ------------------------------------------------------------------------- evaluate

def _metrics(y_true: list[str], y_pred: list[str], confidence: list[float]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    labels = [c for c in CONTRACT_CATEGORIES if c in set(y_true) | set(y_pred)]
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    correct = [a == b for a, b in zip(y_true, y_pred)]
    return {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)) if y_true else 0.0,
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)) if y_true else 0.0,
        "ece": expected_calibration_error(confidence, correct, bins=10),
        "mean_confidence": float(np.mean(confidence)) if confidence else 0.0,
        "per_class": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, lab in enumerate(labels)
        },
        "confusion": {"labels": labels, "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
        "reliability": _reliability(confidence, correct),
    }


def _reliability(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> list[dict[str, float]]:
    """Per non-empty confidence bin (the ECE's bins): its range, size, mean confidence and accuracy."""
    conf = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    return [{"low": b / bins, "high": (b + 1) / bins, "n": int((idx == b).sum()), "confidence": float(conf[idx == b].mean()),
             "accuracy": float(ok[idx == b].mean())} for b in range(bins) if (idx == b).any()]


def grouped_folds(items: Sequence[Any], n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index arrays of GroupKFold by ``item.group``: the items of one plan are
    never on both sides."""
    from sklearn.model_selection import GroupKFold

    groups = [str(it.group) for it in items]
    n_splits = min(n_splits, len(set(groups)))
    if n_splits < 2:
        raise ValueError("grouped cross-validation needs items from at least two groups (plans)")
    return list(GroupKFold(n_splits=n_splits).split(np.zeros(len(items)), groups=groups))


def _keep_share(train: list[Any], shares: dict[str, float], rng: random.Random) -> list[Any]:
    """The items of a random ``shares[origin]`` of ``train``'s plans (groups) of each origin
    (at least one plan of an origin whose share is above 0): what a smaller corpus would be."""
    kept: set[str] = set()
    for origin in ORIGINS:
        plans = sorted({str(it.group) for it in train if it.origin == origin})
        share = shares.get(origin, 1.0)
        rng.shuffle(plans)
        kept.update(plans[: max(1, round(share * len(plans))) if share > 0 and plans else 0])
    return [it for it in train if str(it.group) in kept]


def _out_of_fold_rows(items: list[Any], folds: list[tuple[np.ndarray, np.ndarray]], features: dict[str, list[tuple[str, ...]]],
                      seed: int, config: dict[str, Any] | None, shares: dict[str, float] | None = None,
                      share_seed: int = 0) -> tuple[list[dict[str, Any]], float]:
    """One row per real test item of each fold (its prediction by the fold's model), and how
    many real items a fold model was trained on, on average."""
    rows: list[dict[str, Any]] = []
    n_real_train: list[int] = []
    rng = random.Random(share_seed)
    for fold, (train_idx, test_idx) in enumerate(folds):
        test = [items[i] for i in test_idx if items[i].origin == "real"]
        if not test:
            continue
        train = [items[i] for i in train_idx]
        if shares is not None:
            train = _keep_share(train, shares, rng)
        n_real_train.append(sum(1 for it in train if it.origin == "real"))
        model = fit_model(train, seed=seed, config=config, features=features)
        # The plan of each test item feeds the document prior, as `classify` does per plan.
        probs = model.predict_proba([it.text for it in test], [it.context or "" for it in test], [str(it.group) for it in test])
        for it, row in zip(test, probs):
            j = int(row.argmax())
            rows.append({"id": str(it.id), "language": it.language, "true": it.category, "pred": model.classes_[j],
                         "confidence": float(row[j]), "secondary_true": sorted(it.secondary_categories or []),
                         "secondary_pred": model.secondary(row, j), "fold": fold, "text": it.text, "context": it.context or ""})
    rows.sort(key=lambda r: r["id"])
    return rows, float(np.mean(n_real_train)) if n_real_train else 0.0


def _prepared(corpus_dir: Path | None, shared_dir: Path | None, items: Sequence[Any] | None,
              n_splits: int, config: dict[str, Any] | None) -> tuple[list[Any], list[str], list[tuple[np.ndarray, np.ndarray]], dict[str, Any]]:
    """Items sorted by id, load warnings, grouped folds and every item's features."""
    warnings: list[str] = []
    if items is None:
        items, warnings = load_items(corpus_dir, shared_dir)
    items = sorted(items, key=lambda it: str(it.id))
    if not any(it.origin == "real" for it in items):
        raise ValueError("the corpus holds no real items to evaluate on (is the shared folder there?)")
    return items, warnings, grouped_folds(items, n_splits), _item_features(items, config)


def evaluate(corpus_dir: Path | None = None, shared_dir: Path | None = None, seed: int = 0, n_splits: int = 5,
             *, items: Sequence[Any] | None = None, config: dict[str, Any] | None = None,
             baseline: bool = True) -> dict[str, Any]:
    """Grouped cross-validation of the whole training procedure (each fold's model is
    calibrated by its own inner grouped folds), scored on real items."""
    began = time.perf_counter()
    items, warnings, folds, features = _prepared(corpus_dir, shared_dir, items, n_splits, config)
    groups = [str(it.group) for it in items]
    n_splits = len(folds)
    rows, _ = _out_of_fold_rows(items, folds, features, seed, config)
    y_true = [r["true"] for r in rows]
    result: dict[str, Any] = {
        "n_items": len(items),
        "n_real": len(rows),
        "n_written": sum(1 for it in items if it.origin != "real"),
        "n_groups": len(set(groups)),
        "n_splits": n_splits,
        "seed": seed,
        "corpus_sha256": corpus_sha256(items),
        "model": _metrics(y_true, [r["pred"] for r in rows], [r["confidence"] for r in rows]),
        "by_language": {},
        "targets": dict(TARGETS),
        "warnings": warnings,
    }
    for lang in sorted({r["language"] for r in rows}):
        sub = [r for r in rows if r["language"] == lang]
        correct = [r["true"] == r["pred"] for r in sub]
        result["by_language"][lang] = {"n": len(sub), "accuracy": float(np.mean(correct))}
    # Secondary categories: micro precision/recall over (item, category) pairs.
    tp = sum(len(set(r["secondary_pred"]) & set(r["secondary_true"])) for r in rows)
    n_pred = sum(len(r["secondary_pred"]) for r in rows)
    n_true = sum(len(r["secondary_true"]) for r in rows)
    result["secondary"] = {"n_true": n_true, "n_pred": n_pred, "precision": tp / n_pred if n_pred else 0.0,
                           "recall": tp / n_true if n_true else 0.0}
    if baseline:
        from .classify import CueClassifier

        cue = CueClassifier()
        cue_probs = cue.predict_proba([r["text"] for r in rows], [r["context"] for r in rows])
        preds = [cue.classes_[max(range(len(p)), key=p.__getitem__)] for p in cue_probs]
        result["baseline_cue"] = _metrics(y_true, preds, [max(p) for p in cue_probs])
    m = result["model"]
    result["meets_targets"] = bool(m["macro_f1"] >= TARGETS["macro_f1"] and m["accuracy"] >= TARGETS["accuracy"] and m["ece"] <= TARGETS["ece"])
    result["errors"] = [{k: r[k] for k in ("id", "true", "pred", "confidence", "text")} for r in rows if r["true"] != r["pred"]]
    result["seconds"] = round(time.perf_counter() - began, 1)
    return result


def learning_curve(shares: Sequence[float] = (0.25, 0.5, 1.0), origin: str = "real", repeats: int = 3,
                   corpus_dir: Path | None = None, shared_dir: Path | None = None, seed: int = 0, n_splits: int = 5,
                   *, items: Sequence[Any] | None = None, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """How the figures grow with the corpus: the grouped cross-validation of ``evaluate``
    (same folds, same real test items) with each fold's model trained on only a random
    ``share`` of its training plans of ``origin`` (the other origin kept whole), ``repeats``
    draws per share below 1. Tells whether more labelled plans would still help, and
    roughly how many."""
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {ORIGINS}, not {origin!r}")
    if not shares or any(not 0.0 <= s <= 1.0 for s in shares):
        raise ValueError("shares must lie between 0 and 1")
    began = time.perf_counter()
    items, warnings, folds, features = _prepared(corpus_dir, shared_dir, items, n_splits, config)
    points = []
    for share in sorted(set(shares)):
        runs = []
        for draw in range(1 if share == 1.0 else max(repeats, 1)):
            rows, n_real_train = _out_of_fold_rows(items, folds, features, seed, config, {origin: share}, share_seed=draw)
            m = _metrics([r["true"] for r in rows], [r["pred"] for r in rows], [r["confidence"] for r in rows])
            runs.append({"real_train_items": n_real_train, "accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "ece": m["ece"]})
        point = {"share": share, "draws": len(runs)}
        for key in ("real_train_items", "accuracy", "macro_f1", "ece"):
            values = [r[key] for r in runs]
            point[key] = float(np.mean(values))
            point[key + "_range"] = [float(min(values)), float(max(values))]
        points.append(point)
    return {"origin": origin, "n_items": len(items), "n_splits": len(folds), "seed": seed, "points": points,
            "trend": _log_trend(points) if origin == "real" else {}, "corpus_sha256": corpus_sha256(items),
            "warnings": warnings, "seconds": round(time.perf_counter() - began, 1)}


def _log_trend(points: list[dict[str, Any]]) -> dict[str, Any]:
    """Least-squares line of each figure against log2(real training items): the gain per
    doubling of the real plans, and where the line would reach the issue's bar — an
    extrapolation, as good as the straight line is."""
    n = np.array([p["real_train_items"] for p in points], dtype=float)
    if len(set(n.tolist())) < 2 or (n <= 0).any():
        return {}
    x = np.log2(n)
    trend: dict[str, Any] = {}
    for key in ("accuracy", "macro_f1"):
        slope, intercept = np.polyfit(x, [p[key] for p in points], 1)
        reach = float(np.exp2(min((TARGETS[key] - intercept) / slope, 60.0))) if slope > 1e-6 else None  # flat: never
        trend[key] = {"per_doubling": float(slope), "real_train_items_for_target": reach}
    return trend


# --------------------------------------------------------------------------- report

def print_evaluation(result: dict[str, Any], console: Any = None) -> None:
    """The evaluation as rich tables: summary, per-class figures, confusion matrix."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(highlight=False)
    m = result["model"]
    summary = Table(title=f"Task classifier: grouped {result['n_splits']}-fold CV, scored on {result['n_real']} real items "
                          f"({result['n_items']} items, {result['n_groups']} groups)")
    summary.add_column("metric")
    summary.add_column("model", justify="right")
    if "baseline_cue" in result:
        summary.add_column("cue rules", justify="right")
    summary.add_column("target", justify="right")
    b = result.get("baseline_cue")
    for key, label, target in (("accuracy", "accuracy", f"≥ {TARGETS['accuracy']:.2f}"), ("macro_f1", "macro-F1", f"≥ {TARGETS['macro_f1']:.2f}"),
                               ("ece", "ECE (10 bins)", f"≤ {TARGETS['ece']:.2f}"), ("mean_confidence", "mean confidence", "")):
        cells = [label, f"{m[key]:.3f}"] + ([f"{b[key]:.3f}"] if b else []) + [target]
        summary.add_row(*cells)
    for lang, d in result["by_language"].items():
        summary.add_row(f"accuracy ({lang}, n={d['n']})", f"{d['accuracy']:.3f}", *([""] if b else []), "")
    sec = result["secondary"]
    summary.add_row("secondary P / R", f"{sec['precision']:.2f} / {sec['recall']:.2f}", *([""] if b else []), f"n={sec['n_true']}")
    console.print(summary)

    per = Table(title="Per class (real items)")
    for col in ("category", "precision", "recall", "F1", "support"):
        per.add_column(col, justify="left" if col == "category" else "right")
    for lab, d in m["per_class"].items():
        per.add_row(lab, f"{d['precision']:.2f}", f"{d['recall']:.2f}", f"{d['f1']:.2f}", str(d["support"]))
    console.print(per)

    from rich import box

    labels = m["confusion"]["labels"]
    conf = Table(title="Confusion matrix (rows: true, columns: predicted)", box=box.SIMPLE, show_edge=False, padding=(0, 0))
    conf.add_column("true \\ pred", no_wrap=True)
    for lab in labels:
        conf.add_column(lab[:3], justify="right")
    for lab, row in zip(labels, m["confusion"]["matrix"]):
        conf.add_row(lab, *[str(v) if v else "·" for v in row])
    console.print(conf)
    rel = Table(title="Reliability (real items; the ECE's bins)", box=box.SIMPLE, show_edge=False)
    for col in ("confidence bin", "n", "mean confidence", "accuracy"):
        rel.add_column(col, justify="right")
    for d in m.get("reliability", []):
        rel.add_row(f"{d['low']:.1f}–{d['high']:.1f}", str(d["n"]), f"{d['confidence']:.3f}", f"{d['accuracy']:.3f}")
    console.print(rel)
    verdict = "meets" if result["meets_targets"] else "does NOT meet"
    console.print(f"The model {verdict} the targets (macro-F1 ≥ {TARGETS['macro_f1']}, accuracy ≥ {TARGETS['accuracy']}, ECE ≤ {TARGETS['ece']}).")


def print_learning_curve(result: dict[str, Any], console: Any = None) -> None:
    """The learning curve as a rich table: one row per share."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(highlight=False)
    table = Table(title=f"Learning curve: grouped {result['n_splits']}-fold CV on real items, "
                        f"each fold trained on a share of its {result['origin']} plans (mean ± half the spread of the draws)")
    for col in ("share", "draws", "real train items", "accuracy", "macro-F1", "ECE"):
        table.add_column(col, justify="right")
    def cell(point: dict[str, Any], key: str) -> str:  # the mean, ± half the spread of the draws
        lo, hi = point[key + "_range"]
        return f"{point[key]:.3f}" + (f" ±{(hi - lo) / 2:.3f}" if point["draws"] > 1 else "")

    for p in result["points"]:
        table.add_row(f"{p['share']:.2f}", str(p["draws"]), f"{p['real_train_items']:.0f}",
                      *(cell(p, key) for key in ("accuracy", "macro_f1", "ece")))
    console.print(table)
    for key, label in (("accuracy", "accuracy"), ("macro_f1", "macro-F1")):
        t = result.get("trend", {}).get(key)
        if t:
            reach = t["real_train_items_for_target"]
            where = f"; a straight line reaches {TARGETS[key]:.2f} at about {reach:,.0f} real training items per fold" if reach else ""
            console.print(f"{label}: {t['per_doubling']:+.3f} per doubling of the real training plans{where} (an extrapolation)")


# ------------------------------------------------------------------------- commands

_CorpusOpt = Annotated[Optional[Path], typer.Option("--corpus", help="Corpus folder of *.jsonl items (default: corpora/tasks/).", file_okay=False)]
_SharedOpt = Annotated[Optional[Path], typer.Option("--shared", help="The shared folder the real items point into (default: ../shared beside the repository).", file_okay=False)]
_SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed of the classifier (the same corpus and seed give the same result).")]


def train_command(
    corpus: _CorpusOpt = None,
    shared: _SharedOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Model file to write (default: models/task_classifier.json).", dir_okay=False)] = None,
    seed: _SeedOpt = 0,
) -> None:
    """Rebuild the task classifier from the labelled corpus (deterministic)."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    try:
        report = train(corpus_dir=corpus, shared_dir=shared, out=out, seed=seed)
    except Exception as err:  # report, do not trace back
        Console(stderr=True, highlight=False).print(f"[bold red]training failed:[/] {type(err).__name__}: {err}")
        raise typer.Exit(code=1) from None
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(
        f"trained on {report.n_items} items ({report.n_real} real), {len(report.classes)} classes, "
        f"{report.n_features} features; temperature {report.temperature:.3f}, top-label map (a, b, m) = "
        f"({', '.join(f'{v:.3f}' for v in report.top_label)}), secondary threshold "
        f"{report.secondary_threshold:.3f}\nwrote {report.path} ({report.bytes / 1e6:.2f} MB, sha256 {report.sha256[:16]}…, "
        f"date {report.created}) in {report.seconds:.1f} s"
    )


def evaluate_command(
    corpus: _CorpusOpt = None,
    shared: _SharedOpt = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Number of grouped folds.")] = 5,
    seed: _SeedOpt = 0,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the figures (and the misclassified items) as JSON.", dir_okay=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when the issue's targets are not met.")] = False,
    curve: Annotated[Optional[str], typer.Option("--learning-curve", metavar="SHARES",
                                                 help="Instead: the figures with each fold trained on only these shares of its plans, e.g. 0.25,0.5,1.")] = None,
    curve_origin: Annotated[str, typer.Option("--curve-origin", help="Which plans the learning curve thins out: real or written.")] = "real",
    repeats: Annotated[int, typer.Option("--repeats", min=1, help="Random draws per learning-curve share below 1.")] = 3,
) -> None:
    """Grouped cross-validation of the task classifier, reported on real items."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    try:
        if curve is not None:
            shares = [float(part) for part in curve.split(",") if part.strip()]
            result = learning_curve(shares, curve_origin, repeats, corpus_dir=corpus, shared_dir=shared, seed=seed, n_splits=folds)
        else:
            result = evaluate(corpus_dir=corpus, shared_dir=shared, seed=seed, n_splits=folds)
    except Exception as err:
        Console(stderr=True, highlight=False).print(f"[bold red]evaluation failed:[/] {type(err).__name__}: {err}")
        raise typer.Exit(code=1) from None
    for warning in result["warnings"]:
        console.print(f"[yellow]warning:[/] {warning}")
    if curve is not None:
        print_learning_curve(result, console)
    else:
        print_evaluation(result, console)
    if json_out is not None:
        Path(json_out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        console.print(f"figures written to {json_out}")
    if strict and not result.get("meets_targets", False):
        raise typer.Exit(code=1)
