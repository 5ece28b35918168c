"""The trained task classifier (CONTRACT §3 task categories).

``TaskClassifier`` is a plain estimator (``fit``, ``predict``, ``predict_proba``,
``classes_``) over several views of a task, each TF-IDF weighted (sublinear tf, smoothed
idf), L2-normalised and scaled by its view weight:

* ``char``    character 1-3-grams inside runs of Chinese characters;
* ``zh_word`` jieba words (two characters or more) — an extra view for Chinese;
* ``en_word`` English word 1-2-grams from spaCy's rule-based tokenizer
  (``spacy.blank("en")``: no download), lower-cased, plural ``-s`` folded;
* ``en_char`` character 3-5-grams inside those English words (spelling variants of
  machine-translated plans: ``condolence``/``condolences``/``condole``);
* ``cues``    hits of the cue words of CONTRACT §3 (``data/categories.json``, strong and
  weak per category), a small view of prior knowledge; the word list is stored in the
  model file;
* ``context`` / ``context_cues`` the heading of the task's section (character 1-2-grams,
  English words, cue hits), down-weighted: a task under `（三）关心职工生活` leans to
  welfare, but its own words count more.

A multinomial logistic regression (scikit-learn, lbfgs: deterministic) scores the
classes; its probabilities are calibrated by temperature scaling fitted on grouped
out-of-fold logits, and ``secondary_categories`` are the other classes whose calibrated
probability reaches a threshold tuned on the same out-of-fold predictions.

Saving and loading use no pickle. The model file is one JSON document of plain data:
vocabularies as lists of strings, and the numeric arrays (idf, coefficients, intercepts)
as base64 of little-endian float32 with their shape. ``load`` checks every key, type,
dtype and shape and refuses anything else with :class:`ModelFormatError`; inference is
re-implemented with numpy from those arrays, so loading runs no code and needs no
scikit-learn object.
"""
from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "CONTRACT_CATEGORIES",
    "DEFAULT_CONFIG",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ModelFormatError",
    "default_model_path",
    "TaskClassifier",
    "analyze",
    "expected_calibration_error",
]

FORMAT_NAME = "planparse-task-classifier"
FORMAT_VERSION = 1

CONTRACT_CATEGORIES = (
    "political_study", "ethics_and_skills", "labor_competition", "democratic_management", "rights_protection",
    "welfare_and_care", "culture_and_sports", "women_workers", "organization_building", "finance", "publicity", "other",
)

# Views: name -> settings. ``kind`` selects the analyzer; ``weight`` scales the view's
# L2-normalised vector; ``min_df``/``max_features`` prune the vocabulary.
DEFAULT_CONFIG: dict[str, Any] = {
    "views": [
        {"name": "char", "source": "text", "kind": "cjk_char", "ngram_min": 1, "ngram_max": 3, "weight": 1.0, "min_df": 2, "max_features": 20000},
        {"name": "zh_word", "source": "text", "kind": "jieba", "ngram_min": 1, "ngram_max": 1, "weight": 0.6, "min_df": 2, "max_features": 8000},
        {"name": "en_word", "source": "text", "kind": "en_word", "ngram_min": 1, "ngram_max": 2, "weight": 1.0, "min_df": 2, "max_features": 8000},
        {"name": "en_char", "source": "text", "kind": "en_char", "ngram_min": 3, "ngram_max": 5, "weight": 0.7, "min_df": 2, "max_features": 15000},
        {"name": "cues", "source": "text", "kind": "lexicon", "ngram_min": 1, "ngram_max": 1, "weight": 0.5, "min_df": 1, "max_features": 100},
        {"name": "context", "source": "context", "kind": "context", "ngram_min": 1, "ngram_max": 2, "weight": 0.4, "min_df": 2, "max_features": 3000},
        {"name": "context_cues", "source": "context", "kind": "lexicon", "ngram_min": 1, "ngram_max": 1, "weight": 0.2, "min_df": 1, "max_features": 100},
    ],
    "C": 10.0,
    "class_weight": "balanced",
    "max_iter": 3000,
    "calibration_folds": 5,
    "secondary_default": 0.3,
}

_VIEW_KEYS = {"name": str, "source": str, "kind": str, "ngram_min": int, "ngram_max": int, "weight": float, "min_df": int, "max_features": int}
_CONFIG_KEYS = {"views": list, "C": float, "class_weight": (str, type(None)), "max_iter": int, "calibration_folds": int, "secondary_default": float}
_KINDS = ("cjk_char", "jieba", "en_word", "en_char", "context", "lexicon")
_SOURCES = ("text", "context")
_TOP_KEYS = {"format", "format_version", "planparse_version", "created", "corpus", "classes", "config", "lexicon",
             "calibration", "secondary_threshold", "views", "coef", "intercept"}
_CORPUS_KEYS = {"sha256": str, "n_items": int, "n_real": int, "class_counts": dict}
_ARRAY_KEYS = {"dtype", "shape", "data"}
_DTYPE = "<f4"
_MAX_FILE_BYTES = 64 * 1024 * 1024


MODEL_FILE = "task_classifier.json"
MODEL_ENV = "PLANPARSE_MODEL"


def default_model_path() -> Path:
    """Where the package looks for the trained model: ``$PLANPARSE_MODEL`` if set, else
    ``models/task_classifier.json`` of the source checkout, else a copy shipped inside the
    package (``planparse/data/task_classifier.json``). The first candidate is returned when
    none exists."""
    import os

    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    candidates = [here.parents[1] / "models" / MODEL_FILE, here / "data" / MODEL_FILE]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return candidates[0]


class ModelFormatError(ValueError):
    """A model file that is not exactly what ``TaskClassifier.save`` writes."""


# ------------------------------------------------------------------------- analyzers

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[A-Za-z]")
_EN_WORD = re.compile(r"^[a-z][a-z'\-]*[a-z]$|^[a-z]{2,}$")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        n_run = len(run)
        for n in range(lo, hi + 1):
            out.extend(run[i : i + n] for i in range(n_run - n + 1))
    return out


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1)
def _spacy_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _jieba_words(text: str) -> list[str]:
    if not _CJK_RUN.search(text):
        return []
    return [w for w in _jieba().lcut(text) if len(w) >= 2 and _CJK_RUN.fullmatch(w)]


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """A crude English stem: possessives and plurals folded (trainings → training)."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'-")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=1024)  # en_word and en_char read the same text one after the other
def _en_tokens(text: str) -> tuple[str, ...]:
    if not _LATIN.search(text):
        return ()
    words = []
    for tok in _spacy_tokenizer()(text):
        w = tok.text
        if _EN_WORD.match(w):
            w = _fold(w)
            if len(w) >= 2:
                words.append(w)
    return tuple(words)


@lru_cache(maxsize=65536)
def _word_char_ngrams(word: str, lo: int, hi: int) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[i : i + n] for n in range(lo, hi + 1) for i in range(len(padded) - n + 1))


def default_lexicon() -> dict[str, list[str]]:
    """The cue words of ``data/categories.json`` (CONTRACT §3) as lexicon entries
    ``<category>:strong`` / ``<category>:cue``: a feature view, stored in the model file."""
    from .tables import load_table

    table = load_table("categories")["categories"]
    out: dict[str, list[str]] = {}
    for name in sorted(table):
        for key, label in (("strong", "strong"), ("cues", "cue")):
            words = sorted({_norm(w) for w in table[name][key] if w.strip()})
            if words:
                out[f"{name}:{label}"] = words
    return out


class Lexicon:
    """Literal cue words -> feature names; one alternation, longest word first (the words
    are escaped: a model file cannot smuggle a regular expression in)."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries = {k: list(v) for k, v in sorted(entries.items())}
        index: dict[str, list[str]] = {}
        for name, words in self.entries.items():
            for word in words:
                index.setdefault(_norm(word), []).append(name)
        self.index = index
        alternation = "|".join(re.escape(w) for w in sorted(index, key=lambda w: (-len(w), w)) if w)
        self.pattern = re.compile(alternation) if alternation else None

    def hits(self, text: str) -> list[str]:
        if self.pattern is None or not text:
            return []
        out: list[str] = []
        for m in self.pattern.finditer(_norm(text)):
            out.extend(self.index[m.group()])
        return out


def _word_ngrams(words: Sequence[str], lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for n in range(lo, hi + 1):
        out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


def analyze(kind: str, text: str, ngram_min: int = 1, ngram_max: int = 1) -> list[str]:
    """The features of one view of one text (the same code serves training and inference)."""
    return list(_analyze(kind, text or "", ngram_min, ngram_max))


def _identity(doc: Any) -> Any:
    return doc


def _analyze(kind: str, text: str, ngram_min: int, ngram_max: int) -> tuple[str, ...]:
    return tuple(_analyze_uncached(kind, text, ngram_min, ngram_max))


def _analyze_uncached(kind: str, text: str, ngram_min: int, ngram_max: int) -> list[str]:
    text = _norm(text)
    if not text:
        return []
    if kind == "cjk_char":
        return _char_ngrams(text, ngram_min, ngram_max)
    if kind == "jieba":
        return _jieba_words(text)
    if kind == "en_word":
        return _word_ngrams(_en_tokens(text), ngram_min, ngram_max)
    if kind == "context":
        return _char_ngrams(text, ngram_min, ngram_max) + ["w:" + w for w in _en_tokens(text)]
    if kind == "en_char":
        out: list[str] = []
        for w in _en_tokens(text):
            out.extend(_word_char_ngrams(w, ngram_min, ngram_max))
        return out
    raise ValueError(f"unknown analyzer kind {kind!r}")


# ------------------------------------------------------------------------ calibration

def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _nll(logits: np.ndarray, y: np.ndarray, temperature: float) -> float:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the log-loss of ``softmax(logits / T)``: a golden-section
    search over log T in [-3, 3] (deterministic, no optimiser state)."""
    if len(y) == 0:
        return 1.0
    lo, hi = -3.0, 3.0
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = _nll(logits, y, math.exp(a)), _nll(logits, y, math.exp(b))
    for _ in range(80):
        if fa <= fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = _nll(logits, y, math.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = _nll(logits, y, math.exp(b))
    return round(math.exp((lo + hi) / 2), 6)


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """ECE over ``bins`` equal-width confidence bins: sum of |accuracy − confidence| weighted by bin size."""
    conf = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    if conf.size == 0:
        return 0.0
    idx = np.minimum((conf * bins).astype(int), bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            ece += mask.sum() / conf.size * abs(ok[mask].mean() - conf[mask].mean())
    return float(ece)


def tune_threshold(probs: np.ndarray, primary: np.ndarray, secondary: list[set[int]], exclude: set[int], default: float) -> float:
    """The probability threshold for secondary categories that maximises micro-F1 of the
    secondary labels on out-of-fold predictions (ties → the higher threshold)."""
    if not any(secondary):
        return default
    best, best_f1 = default, -1.0
    for t in np.round(np.arange(0.05, 0.901, 0.025), 3):
        tp = fp = fn = 0
        for row, p, gold in zip(probs, primary, secondary):
            pred = {j for j in np.flatnonzero(row >= t) if j != p and j not in exclude}
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 >= best_f1 - 1e-12:
            best, best_f1 = float(t), f1
    return best


# -------------------------------------------------------------------- array (de)coding

def _encode(array: np.ndarray) -> dict[str, Any]:
    a = np.ascontiguousarray(array, dtype=_DTYPE)
    return {"dtype": _DTYPE, "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode("ascii")}


def _decode(obj: Any, where: str, ndim: int) -> np.ndarray:
    if not isinstance(obj, dict) or set(obj) != _ARRAY_KEYS:
        raise ModelFormatError(f"{where}: expected an array object with keys {sorted(_ARRAY_KEYS)}")
    if obj["dtype"] != _DTYPE:
        raise ModelFormatError(f"{where}: dtype must be {_DTYPE!r}, not {obj['dtype']!r}")
    shape = obj["shape"]
    if not isinstance(shape, list) or len(shape) != ndim or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise ModelFormatError(f"{where}: shape must be {ndim} non-negative integers, not {shape!r}")
    if not isinstance(obj["data"], str):
        raise ModelFormatError(f"{where}: data must be a base64 string")
    try:
        raw = base64.b64decode(obj["data"].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as err:
        raise ModelFormatError(f"{where}: data is not valid base64 ({err})") from None
    if len(raw) != 4 * math.prod(shape):
        raise ModelFormatError(f"{where}: {len(raw)} bytes do not fill shape {shape}")
    array = np.frombuffer(raw, dtype=_DTYPE).astype(np.float64).reshape(shape)
    if not np.isfinite(array).all():
        raise ModelFormatError(f"{where}: holds non-finite numbers")
    return array


def _check_fields(obj: Any, spec: dict[str, Any], where: str) -> None:
    if not isinstance(obj, dict):
        raise ModelFormatError(f"{where}: expected an object")
    if set(obj) != set(spec):
        extra, missing = sorted(set(obj) - set(spec)), sorted(set(spec) - set(obj))
        raise ModelFormatError(f"{where}: unexpected keys {extra}, missing keys {missing}")
    for key, kind in spec.items():
        value = obj[key]
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, kind)
        if not ok:
            raise ModelFormatError(f"{where}.{key}: wrong type {type(value).__name__}")


def _check_config(config: Any, where: str = "config") -> dict[str, Any]:
    _check_fields(config, _CONFIG_KEYS, where)
    names = set()
    for i, view in enumerate(config["views"]):
        _check_fields(view, _VIEW_KEYS, f"{where}.views[{i}]")
        if view["kind"] not in _KINDS or view["source"] not in _SOURCES:
            raise ModelFormatError(f"{where}.views[{i}]: unknown kind or source")
        if view["name"] in names:
            raise ModelFormatError(f"{where}.views[{i}]: duplicate view name {view['name']!r}")
        names.add(view["name"])
        if not 1 <= view["ngram_min"] <= view["ngram_max"] <= 6:
            raise ModelFormatError(f"{where}.views[{i}]: bad n-gram range")
    return config


# ------------------------------------------------------------------------- estimator

@dataclass
class _View:
    name: str
    source: str
    kind: str
    ngram_min: int
    ngram_max: int
    weight: float
    vocabulary: dict[str, int] = field(default_factory=dict)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    offset: int = 0
    lexicon: Lexicon | None = None

    def features(self, text: str) -> tuple[str, ...] | list[str]:
        if self.kind == "lexicon":
            return self.lexicon.hits(text) if self.lexicon is not None else []
        return _analyze(self.kind, text or "", self.ngram_min, self.ngram_max)


class TaskClassifier:
    """Linear task classifier; see the module docstring. Inputs are task texts and,
    optionally, their heading paths (``contexts``)."""

    def __init__(self, config: dict[str, Any] | None = None, seed: int = 0, lexicon: dict[str, list[str]] | None = None) -> None:
        self.config = _check_config(json.loads(json.dumps(config or DEFAULT_CONFIG)))
        uses_lexicon = any(v["kind"] == "lexicon" for v in self.config["views"])
        self.lexicon = (lexicon if lexicon is not None else default_lexicon()) if uses_lexicon else {}
        self._lexicon_obj = Lexicon(self.lexicon)
        self.seed = seed
        self.classes_: tuple[str, ...] = ()
        self.temperature = 1.0
        self.secondary_threshold = float(self.config["secondary_default"])
        self.metadata: dict[str, Any] = {}
        self._views: list[_View] = []
        self._coef_t = np.zeros((0, 0))  # (n_features, n_classes)
        self._intercept = np.zeros(0)
        self._sk: Any = None  # scikit-learn objects of the last fit (None after load)
        self._columns: list[dict[str, int]] | None = None  # term -> global column, per view (built on first use)
        self._idf = np.zeros(0)

    # ---- fitting (scikit-learn)

    def _featurize(self, texts: list[str], contexts: list[str]) -> list[list[tuple[str, ...]]]:
        """Per view, the features of every item (computed once per ``fit``, shared by the folds)."""
        out = []
        for spec in self.config["views"]:
            view = self._new_view(spec)
            source = texts if spec["source"] == "text" else contexts
            out.append([view.features(s) for s in source])
        return out

    def _new_view(self, spec: dict[str, Any]) -> _View:
        view = _View(**{k: spec[k] for k in ("name", "source", "kind", "ngram_min", "ngram_max", "weight")})
        if view.kind == "lexicon":
            view.lexicon = self._lexicon_obj
        return view

    def _fit_once(self, feats: list[list[Any]], rows: Sequence[int], y: list[str], weights: np.ndarray | None = None):
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizers, blocks = [], []
        for spec, view_feats in zip(self.config["views"], feats):
            view = self._new_view(spec)
            docs = [view_feats[i] for i in rows]
            vec = TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=True, smooth_idf=True, norm="l2",
                                  min_df=spec["min_df"] if len(docs) >= 20 * spec["min_df"] else 1,
                                  max_features=spec["max_features"], dtype=np.float64)
            try:
                blocks.append(vec.fit_transform(docs) * view.weight)
            except ValueError:  # an empty view, or nothing survives min_df
                vectorizers.append((view, None))
                continue
            vec.idf_ = vec.idf_.astype(_DTYPE).astype(np.float64)  # the stored precision
            vectorizers.append((view, vec))
        X = sparse.hstack(blocks, format="csr") if blocks else sparse.csr_matrix((len(rows), 1))
        lr = LogisticRegression(C=self.config["C"], class_weight=self.config["class_weight"], max_iter=self.config["max_iter"],
                                solver="lbfgs", random_state=self.seed)
        lr.fit(X, y, sample_weight=None if weights is None else np.asarray(weights, dtype=np.float64)[np.asarray(rows)])
        # Round to the stored precision so that the numpy path computes exactly this model.
        lr.coef_ = lr.coef_.astype(_DTYPE).astype(np.float64)
        lr.intercept_ = lr.intercept_.astype(_DTYPE).astype(np.float64)
        return vectorizers, lr

    @staticmethod
    def _sk_logits(fitted, feats: list[list[Any]], rows: Sequence[int], classes: tuple[str, ...]) -> np.ndarray:
        from scipy import sparse

        vectorizers, lr = fitted
        blocks = []
        for (view, vec), view_feats in zip(vectorizers, feats):
            if vec is not None:
                blocks.append(vec.transform([view_feats[i] for i in rows]) * view.weight)
        X = sparse.hstack(blocks, format="csr") if blocks else sparse.csr_matrix((len(rows), 1))
        raw = lr.decision_function(X)
        if raw.ndim == 1:  # two classes
            raw = np.column_stack([-raw / 2, raw / 2])
        out = np.full((len(rows), len(classes)), -1e4)
        for j, name in enumerate(lr.classes_):
            out[:, classes.index(name)] = raw[:, j]
        return out

    def fit(self, texts: Sequence[str], y: Sequence[str], contexts: Sequence[str] | None = None,
            groups: Sequence[Any] | None = None, secondary: Sequence[Sequence[str]] | None = None) -> "TaskClassifier":
        """Fit on ``texts`` with labels ``y``; with ``groups`` (the plan of each item), the
        temperature and the secondary threshold come from grouped out-of-fold logits."""
        texts = list(texts)
        y = list(y)
        contexts = list(contexts) if contexts is not None else [""] * len(texts)
        if not (len(texts) == len(y) == len(contexts)):
            raise ValueError("texts, labels and contexts differ in length")
        unknown = sorted(set(y) - set(CONTRACT_CATEGORIES))
        if unknown:
            raise ValueError(f"labels outside the contract's category set: {unknown}")
        if len(set(y)) < 2:
            raise ValueError("need at least two categories to train")
        self.classes_ = tuple(c for c in CONTRACT_CATEGORIES if c in set(y))
        y_idx = np.array([self.classes_.index(c) for c in y])
        secondary_idx = [{self.classes_.index(c) for c in (s or []) if c in self.classes_} for s in (secondary or [[]] * len(y))]
        feats = self._featurize(texts, contexts)
        oof = self._oof_logits(feats, y, groups)
        if oof is not None:
            seen = oof[np.arange(len(y_idx)), y_idx] > -1e3  # a class absent from a fold's training data says nothing of calibration
            self.temperature = fit_temperature(oof[seen], y_idx[seen])
            probs = softmax(oof / self.temperature)
            exclude = {self.classes_.index("other")} if "other" in self.classes_ else set()
            self.secondary_threshold = tune_threshold(probs, y_idx, secondary_idx, exclude, float(self.config["secondary_default"]))
        fitted = self._fit_once(feats, range(len(y)), y)
        self._sk = fitted
        self._export(fitted)
        return self

    def _oof_logits(self, feats: list[list[Any]], y: list[str], groups: Sequence[Any] | None) -> np.ndarray | None:
        """Out-of-fold logits over GroupKFold splits (None when there are too few groups)."""
        from sklearn.model_selection import GroupKFold

        if groups is None:
            return None
        groups = [str(g) for g in groups]
        n_splits = min(self.config["calibration_folds"], len(set(groups)))
        if n_splits < 2:
            return None
        out = np.zeros((len(y), len(self.classes_)))
        for train, test in GroupKFold(n_splits=n_splits).split(np.zeros(len(y)), y, groups):
            ys = [y[i] for i in train]
            if len(set(ys)) < 2:
                return None
            fitted = self._fit_once(feats, train, ys)
            out[test] = self._sk_logits(fitted, feats, test, self.classes_)
        return out

    def _export(self, fitted) -> None:
        vectorizers, lr = fitted
        views, offset = [], 0
        for view, vec in vectorizers:
            if vec is not None:
                terms = vec.get_feature_names_out().tolist()
                view.vocabulary = {t: i for i, t in enumerate(terms)}
                view.idf = np.asarray(vec.idf_, dtype=np.float64)
            view.offset = offset
            offset += len(view.vocabulary)
            views.append(view)
        coef = np.zeros((len(self.classes_), offset))
        intercept = np.full(len(self.classes_), -1e4)
        raw_coef = lr.coef_
        raw_int = lr.intercept_
        if raw_coef.shape[0] == 1:  # binary: expand to two symmetric rows
            raw_coef = np.vstack([-raw_coef / 2, raw_coef / 2])
            raw_int = np.array([-raw_int[0] / 2, raw_int[0] / 2])
        for j, name in enumerate(lr.classes_):
            coef[self.classes_.index(name)] = raw_coef[j]
            intercept[self.classes_.index(name)] = raw_int[j]
        self._views = views
        self._columns = None
        self._coef_t = np.ascontiguousarray(coef.T)
        self._intercept = intercept

    # ---- inference (numpy only)

    def decision_function(self, texts: Sequence[str], contexts: Sequence[str] | None = None, chunk: int = 2048) -> np.ndarray:
        """Uncalibrated class scores, shape (n, n_classes), from the stored arrays: TF-IDF
        (sublinear tf, stored idf), L2 norm per view times the view weight, then the linear
        scores — what the scikit-learn objects of ``fit`` compute, in numpy."""
        texts = list(texts)
        contexts = list(contexts) if contexts is not None else [""] * len(texts)
        if len(contexts) != len(texts):
            raise ValueError("texts and contexts differ in length")
        out = np.empty((len(texts), len(self.classes_)))
        views = [v for v in self._views if v.vocabulary]
        if self._columns is None:
            self._columns = [{t: j + v.offset for t, j in v.vocabulary.items()} for v in views]
            self._idf = np.concatenate([v.idf for v in views]) if views else np.zeros(0)
        columns, idf = self._columns, self._idf
        for lo in range(0, len(texts), chunk):
            hi = min(lo + chunk, len(texts))
            cols: list[int] = []
            counts: list[int] = []
            seg_of: list[int] = []
            seg_row: list[int] = []
            seg_weight: list[float] = []
            for i in range(lo, hi):
                for view, vocab in zip(views, columns):
                    c = Counter(map(vocab.get, view.features(texts[i] if view.source == "text" else contexts[i])))
                    c.pop(None, None)
                    if not c:
                        continue
                    cols.extend(c.keys())
                    counts.extend(c.values())
                    seg_of.extend([len(seg_row)] * len(c))
                    seg_row.append(i - lo)
                    seg_weight.append(view.weight)
            scores = np.tile(self._intercept, (hi - lo, 1))
            if cols:
                col = np.asarray(cols, dtype=np.int64)
                seg = np.asarray(seg_of, dtype=np.int64)
                w = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[col]
                norm = np.sqrt(np.bincount(seg, weights=w * w, minlength=len(seg_row)))
                w *= (np.asarray(seg_weight) / norm)[seg]
                rows = np.asarray(seg_row, dtype=np.int64)[seg]
                starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
                scores[rows[starts]] += np.add.reduceat(self._coef_t[col] * w[:, None], starts, axis=0)
            out[lo:hi] = scores
        return out

    def predict_proba(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> np.ndarray:
        """Calibrated probabilities, shape (n, n_classes), rows summing to 1."""
        if len(texts) == 0:
            return np.zeros((0, len(self.classes_)))
        return softmax(self.decision_function(texts, contexts) / self.temperature)

    def predict(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> list[str]:
        if len(texts) == 0:
            return []
        return [self.classes_[j] for j in self.predict_proba(texts, contexts).argmax(axis=1)]

    def secondary(self, probabilities: Sequence[float], primary: int | None = None) -> list[str]:
        """Other categories (never ``other``) at or above the tuned threshold, most probable first."""
        probs = np.asarray(probabilities)
        primary = int(probs.argmax()) if primary is None else primary
        order = np.argsort(-probs, kind="stable")
        return [self.classes_[j] for j in order if j != primary and probs[j] >= self.secondary_threshold and self.classes_[j] != "other"]

    def sklearn_predict_proba(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> np.ndarray:
        """The same probabilities through the scikit-learn objects of the last ``fit`` (for checking the numpy path)."""
        if self._sk is None:
            raise RuntimeError("no scikit-learn objects: this model was loaded, not fitted")
        texts = list(texts)
        contexts = list(contexts) if contexts is not None else [""] * len(texts)
        feats = self._featurize(texts, contexts)
        return softmax(self._sk_logits(self._sk, feats, range(len(texts)), self.classes_) / self.temperature)

    # ---- storage (plain JSON)

    def to_dict(self) -> dict[str, Any]:
        if not self.classes_:
            raise RuntimeError("the model is not fitted")
        from . import __version__

        meta = self.metadata
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "planparse_version": meta.get("planparse_version", __version__),
            "created": meta.get("created", "1970-01-01"),
            "corpus": meta.get("corpus", {"sha256": "", "n_items": 0, "n_real": 0, "class_counts": {}}),
            "classes": list(self.classes_),
            "config": self.config,
            "calibration": {"method": "temperature", "temperature": float(self.temperature)},
            "secondary_threshold": float(self.secondary_threshold),
            "views": [
                {"name": v.name, "vocabulary": sorted(v.vocabulary, key=v.vocabulary.__getitem__), "idf": _encode(v.idf)}
                for v in self._views
            ],
            "lexicon": self.lexicon,
            "coef": _encode(self._coef_t.T),
            "intercept": _encode(np.maximum(self._intercept, -1e4)),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(self.dumps().encode("utf-8"))
        tmp.replace(path)
        return path

    @classmethod
    def from_dict(cls, obj: Any) -> "TaskClassifier":
        if not isinstance(obj, dict):
            raise ModelFormatError("model: the top level must be a JSON object")
        if set(obj) != _TOP_KEYS:
            extra, missing = sorted(set(obj) - _TOP_KEYS), sorted(_TOP_KEYS - set(obj))
            raise ModelFormatError(f"model: unexpected keys {extra}, missing keys {missing}")
        if obj["format"] != FORMAT_NAME or obj["format_version"] != FORMAT_VERSION:
            raise ModelFormatError(f"model: not a {FORMAT_NAME} v{FORMAT_VERSION} file")
        if not isinstance(obj["planparse_version"], str) or not isinstance(obj["created"], str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", obj["created"]):
            raise ModelFormatError("model: planparse_version and created (YYYY-MM-DD) must be strings")
        _check_fields(obj["corpus"], _CORPUS_KEYS, "corpus")
        counts = obj["corpus"]["class_counts"]
        if not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in counts.items()):
            raise ModelFormatError("corpus.class_counts: must map category names to integers")
        classes = obj["classes"]
        if not isinstance(classes, list) or len(classes) < 2 or not all(isinstance(c, str) for c in classes):
            raise ModelFormatError("classes: must be a list of at least two strings")
        if len(set(classes)) != len(classes) or not set(classes) <= set(CONTRACT_CATEGORIES):
            raise ModelFormatError(f"classes: must be distinct labels of CONTRACT §3, got {classes}")
        config = _check_config(obj["config"])
        cal = obj["calibration"]
        _check_fields(cal, {"method": str, "temperature": float}, "calibration")
        if cal["method"] != "temperature" or not 0 < cal["temperature"] < 1e3:
            raise ModelFormatError("calibration: must be temperature scaling with a positive temperature")
        threshold = obj["secondary_threshold"]
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 <= threshold <= 1:
            raise ModelFormatError("secondary_threshold: must be a number in [0, 1]")
        if not isinstance(obj["views"], list) or len(obj["views"]) != len(config["views"]):
            raise ModelFormatError("views: must list one entry per configured view")
        lexicon = obj["lexicon"]
        if not isinstance(lexicon, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(w, str) and 0 < len(w) <= 64 for w in v) for k, v in lexicon.items()
        ):
            raise ModelFormatError("lexicon: must map feature names to lists of short strings")
        if sum(len(v) for v in lexicon.values()) > 20000:
            raise ModelFormatError("lexicon: too many words")
        model = cls(config=config, lexicon=lexicon)
        model.classes_ = tuple(classes)
        model.temperature = float(cal["temperature"])
        model.secondary_threshold = float(threshold)
        model.metadata = {"planparse_version": obj["planparse_version"], "created": obj["created"], "corpus": obj["corpus"]}
        offset = 0
        for i, (stored, spec) in enumerate(zip(obj["views"], config["views"])):
            if not isinstance(stored, dict) or set(stored) != {"name", "vocabulary", "idf"}:
                raise ModelFormatError(f"views[{i}]: expected keys name, vocabulary, idf")
            if stored["name"] != spec["name"]:
                raise ModelFormatError(f"views[{i}]: name {stored['name']!r} does not match the config")
            vocab = stored["vocabulary"]
            if not isinstance(vocab, list) or not all(isinstance(t, str) for t in vocab) or len(set(vocab)) != len(vocab):
                raise ModelFormatError(f"views[{i}].vocabulary: must be a list of distinct strings")
            idf = _decode(stored["idf"], f"views[{i}].idf", 1)
            if idf.shape != (len(vocab),):
                raise ModelFormatError(f"views[{i}].idf: shape {idf.shape} does not match {len(vocab)} terms")
            view = model._new_view(spec)
            view.vocabulary = {t: j for j, t in enumerate(vocab)}
            view.idf = idf
            view.offset = offset
            offset += len(vocab)
            model._views.append(view)
        coef = _decode(obj["coef"], "coef", 2)
        intercept = _decode(obj["intercept"], "intercept", 1)
        if coef.shape != (len(classes), offset) or intercept.shape != (len(classes),):
            raise ModelFormatError(f"coef/intercept: shapes {coef.shape}/{intercept.shape} do not match {len(classes)} classes × {offset} features")
        model._coef_t = np.ascontiguousarray(coef.T)
        model._intercept = intercept
        return model

    @classmethod
    def load(cls, path: str | Path) -> "TaskClassifier":
        """Read a model file written by :meth:`save`; anything else raises :class:`ModelFormatError`."""
        path = Path(path)
        size = path.stat().st_size
        if size > _MAX_FILE_BYTES:
            raise ModelFormatError(f"{path}: {size} bytes is too large for a model file")
        data = path.read_bytes()
        try:
            obj = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ModelFormatError(f"{path}: not a JSON model file ({type(err).__name__}: {err}); "
                                   "pickles and other formats are refused") from None
        try:
            return cls.from_dict(obj)
        except ModelFormatError as err:
            raise ModelFormatError(f"{path}: {err}") from None


def _no_constant(name: str) -> None:
    raise ModelFormatError(f"non-finite number {name} in the model file")
