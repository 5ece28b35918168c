"""The trained task classifier (CONTRACT §3 task categories).

``TaskClassifier`` is a plain estimator (``fit``, ``predict``, ``predict_proba``,
``classes_``) over several views of a task, each TF-IDF weighted (sublinear tf, smoothed
idf), L2-normalised and scaled by its view weight:

* ``char``    character 1-3-grams inside runs of Chinese characters;
* ``zh_word`` jieba words (two characters or more) — an extra view for Chinese;
* ``en_word`` English word 1-2-grams from spaCy's rule-based tokenizer
  (``spacy.blank("en")``: no download; plain chunks, the common case, are cut as it would
  cut them without loading it), lower-cased, plural ``-s`` folded;
* ``en_char`` character 3-5-grams inside those English words (spelling variants of
  machine-translated plans: ``condolence``/``condolences``/``condole``);
* ``cues``    hits of the cue words of CONTRACT §3 (``data/categories.json``, strong and
  weak per category), a small view of prior knowledge; the word list is stored in the
  model file;
* ``context`` / ``context_cues`` the heading of the task's section (character 1-2-grams,
  English words, cue hits), down-weighted: a task under `（三）关心职工生活` leans to
  welfare, but its own words count more.

Two linear heads score the classes on the same features: a multinomial logistic
regression (scikit-learn, lbfgs: deterministic) and a complement naive Bayes
(``ComplementNB``), each divided by its own out-of-fold temperature and averaged
(``nb_weight``); the average is again one linear model, so the file stores a single
coefficient matrix. A *document prior* then adds what the rest of the plan says: the items of one
plan share a topic mix (a school charter is mostly ``other``, a union plan spreads over
the union's work), so each item's scores get ``prior_weight × log(q + ε)``, where ``q``
is the mean probability of the *other* items of the same plan (leave-one-out; an item
alone in its plan gets no prior). The probabilities are calibrated by temperature
scaling; the first temperature, the prior weight (by log-loss) and the final temperature
are all fitted on grouped out-of-fold logits. A last *top-label* map then recalibrates the
confidence (the probability of the predicted class) alone, with beta calibration
``σ(a·ln c − b·ln(1 − c) + m)`` (a, b ≥ 0: monotone), fitted by log-loss on whether the
out-of-fold prediction was right — one temperature cannot be both over-confident at
0.8–0.9 and under-confident at 0.3–0.5 — and the other classes are rescaled to share
``1 − c``; the predicted class never changes. ``secondary_categories`` are the other
classes whose calibrated probability reaches a threshold tuned on the same out-of-fold
predictions.

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
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from .regex_gate import literal_automaton
from .simplify import to_simplified
from .tables import load_table

__all__ = [
    "CONTRACT_CATEGORIES",
    "DEFAULT_CONFIG",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ModelFormatError",
    "default_model_path",
    "TaskClassifier",
    "analyze",
    "apply_top_label",
    "fit_top_label",
    "expected_calibration_error",
]

FORMAT_NAME = "planparse-task-classifier"
FORMAT_VERSION = 3  # 2: calibration holds the document prior; 3: and the top-label map

CONTRACT_CATEGORIES = (
    "political_study", "ethics_and_skills", "labor_competition", "democratic_management", "rights_protection",
    "welfare_and_care", "culture_and_sports", "women_workers", "organization_building", "finance", "publicity", "other",
)

# Views: name -> settings. ``kind`` selects the analyzer; ``weight`` scales the view's
# L2-normalised vector; ``min_df``/``max_features`` prune the vocabulary.
DEFAULT_CONFIG: dict[str, Any] = {
    "views": [
        {"name": "char", "source": "text", "kind": "cjk_char", "ngram_min": 1, "ngram_max": 3, "weight": 1.0, "min_df": 1, "max_features": 20000},
        {"name": "zh_word", "source": "text", "kind": "jieba", "ngram_min": 1, "ngram_max": 1, "weight": 0.6, "min_df": 1, "max_features": 8000},
        {"name": "en_word", "source": "text", "kind": "en_word", "ngram_min": 1, "ngram_max": 2, "weight": 1.0, "min_df": 1, "max_features": 8000},
        {"name": "en_char", "source": "text", "kind": "en_char", "ngram_min": 3, "ngram_max": 5, "weight": 0.7, "min_df": 1, "max_features": 15000},
        {"name": "cues", "source": "text", "kind": "lexicon", "ngram_min": 1, "ngram_max": 1, "weight": 0.5, "min_df": 1, "max_features": 100},
        {"name": "context", "source": "context", "kind": "context", "ngram_min": 1, "ngram_max": 2, "weight": 0.4, "min_df": 1, "max_features": 3000},
        {"name": "context_cues", "source": "context", "kind": "lexicon", "ngram_min": 1, "ngram_max": 1, "weight": 0.2, "min_df": 1, "max_features": 100},
    ],
    "C": 10.0,
    "class_weight": "balanced",
    "nb_weight": 0.3,
    "nb_alpha": 0.3,
    "max_iter": 3000,
    "calibration_folds": 5,
    "secondary_default": 0.3,
}

_VIEW_KEYS = {"name": str, "source": str, "kind": str, "ngram_min": int, "ngram_max": int, "weight": float, "min_df": int, "max_features": int}
_CONFIG_KEYS = {"views": list, "C": float, "class_weight": (str, type(None)), "nb_weight": float, "nb_alpha": float,
                "max_iter": int, "calibration_folds": int, "secondary_default": float}
_KINDS = ("cjk_char", "jieba", "en_word", "en_char", "context", "lexicon")
_WHOLE_TERM_KINDS = ("jieba", "lexicon")  # their terms are words or cue hits, not n-grams: the range must be 1-1
_SOURCES = ("text", "context")
_TOP_KEYS = {"format", "format_version", "planparse_version", "created", "corpus", "classes", "config", "lexicon",
             "calibration", "secondary_threshold", "views", "coef", "intercept"}
_CORPUS_KEYS = {"sha256": str, "n_items": int, "n_real": int, "class_counts": dict}
_ARRAY_KEYS = {"dtype", "shape", "data"}
_DTYPE = "<f4"
_CALIBRATION_KEYS = {"method": str, "temperature": float, "prior_temperature": float, "prior_weight": float, "top_label": list}
CALIBRATION_METHOD = "temperature+document_prior+beta_top_label"
IDENTITY_TOP_LABEL = (1.0, 1.0, 0.0)  # beta map coefficients (a, b, m) that leave the confidence as it is
_TOP_LABEL_MIN_ITEMS = 30  # fewer out-of-fold items (or no error among them): keep the identity
PRIOR_EPSILON = 0.05  # floor of the leave-one-out plan mean: one plan cannot veto a class
_PRIOR_WEIGHTS = tuple(k / 4 for k in range(9))  # 0 … 2, searched by out-of-fold log-loss
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

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # the CJK characters of the char views (a regex class)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_PAIR = re.compile(f"[{_CJK}]{{2}}")  # the shortest kept jieba word
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_RUN = re.compile(r"[a-z]+(?:['’\-][a-z]+)*")
_EN_WORD = re.compile(r"^[a-z][a-z'\-]*[a-z]$|^[a-z]{2,}$")


def _norm(text: str) -> str:
    # Traditional characters are folded to simplified ones, as case is: the corpus is in
    # simplified script, and 開展工會活動 is the same item as 开展工会活动.
    return to_simplified(unicodedata.normalize("NFKC", text or "")).lower()


def _char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        n_run = len(run)
        for n in range(lo, hi + 1):
            out.extend(run[i : i + n] for i in range(n_run - n + 1))
    return out


# The blocks jieba's ``cut`` hands to its segmenter (``jieba.re_han_default``): between
# them it yields single characters or whitespace, never a kept word.
_SEPARATOR = "\x00"  # joins the strings of one jieba call (see _ColumnFinder._jieba_view_columns)
JIEBA_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)


@lru_cache(maxsize=1)
def _jieba():
    """jieba's dictionary segmenter, as jieba-rs (``rjieba``) runs it: the same dictionary
    and the same maximum-probability route, so the same words as ``jieba.lcut(text,
    HMM=False)`` (tested on the corpus) — but it loads in 0.06 s instead of 0.8 s and cuts
    about 15 times faster, which made jieba 40% of the classifier's time."""
    import rjieba

    return rjieba


@lru_cache(maxsize=1)
def _spacy_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _jieba_words(text: str) -> list[str]:
    if not _CJK_RUN.search(text):
        return []
    # HMM off: unknown words stay split (the vocabulary keeps only words seen twice anyway),
    # and jieba's Viterbi pass was a third of the inference time.
    try:
        words = _jieba().cut(text, hmm=False)
    except UnicodeEncodeError:  # a lone surrogate, which Rust strings cannot hold; it is
        # never inside a block, and jieba cuts the blocks one by one anyway
        words = [w for block in JIEBA_BLOCK.findall(text) for w in _jieba().cut(block, hmm=False)]
    return [w for w in words if _kept_jieba_word(w)]


def _kept_jieba_word(word: str) -> bool:
    return len(word) >= 2 and _CJK_RUN.fullmatch(word) is not None


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


def _en_tokens(text: str) -> tuple[str, ...]:
    if not _LATIN.search(text):
        return ()
    if _CJK_RUN.search(text):
        # Latin words inside Chinese text (PPT, QQ, NB/T) are plain runs of letters: a
        # regex finds them, and a Chinese-only process never loads spaCy.
        return _kept_words(_LATIN_RUN.findall(text))
    # spaCy's tokenizer cuts each whitespace-separated chunk on its own (its only special
    # cases across whitespace are the whitespace itself), so a chunk's words are looked
    # up once per process: chunks are words, and words recur.
    return tuple(chain.from_iterable(map(_en_chunk_words, text.split())))


@lru_cache(maxsize=65536)
def _en_chunk_words(chunk: str) -> tuple[str, ...]:
    """The kept words spaCy's tokenizer finds in one chunk without whitespace."""
    if not _TWO_LETTERS.search(chunk):
        return ()  # a kept word has two letters a-z, and spaCy makes none
    words = _plain_chunk_words(chunk)
    if words is None:
        words = [tok.text for tok in _spacy_tokenizer()(chunk)]
    return _kept_words(words)


# A chunk spaCy's rules cut in an obvious way: quotes and brackets before, lower-case words
# joined by hyphens or dashes (infixes spaCy splits between letters), a possessive, punctuation
# after; or one of spaCy's special cases (don't, a.m.) inside such punctuation. Most chunks
# of a translated plan are this, so a process that meets only these never loads spaCy
# (0.9 s). test_model_inference holds this to spaCy's output.
_PLAIN_CHUNK = re.compile(r"([“‘\"'(\[{]*)([a-z]+(?:[-–—][a-z]+)*|[0-9]+[a-z]+|[a-z]+['’][a-z]+|[a-z](?:\.[a-z])+\.)"
                          r"((?:['’]s)?)([”’\"')\]},.;:!?]*)")
_WORD_CORE = re.compile(r"[a-z]+(?:[-–—][a-z]+)*|[0-9]+[a-z]+")  # 17th, 20xx: one token, never a kept word
_DASH = re.compile(r"[-–—]")
_TWO_LETTERS = re.compile(r"[a-z][^a-z]*[a-z]")


@lru_cache(maxsize=1)
def _special_cases() -> dict[str, list[str]]:
    return load_table("en_special_cases")["cases"]


def _plain_chunk_words(chunk: str) -> list[str] | None:
    """spaCy's tokens of a plain chunk (its words; punctuation is never a kept word), or
    None when the chunk is not plain or a special case could apply to it otherwise."""
    match = _PLAIN_CHUNK.fullmatch(chunk)
    if match is None:
        return None
    special = _special_cases()
    core, (core_start, core_end) = match.group(2), match.span(2)
    # spaCy looks for a special case at each step of peeling prefixes and suffixes off:
    # none may be one, but the core itself
    found = [(i, j) for i in range(core_start + 1) for j in range(core_end, len(chunk) + 1) if chunk[i:j] in special]
    if found:
        return special[core] if found == [(core_start, core_end)] and not match.group(3) else None
    if not _WORD_CORE.fullmatch(core):
        return None  # an apostrophe or dots that make no special case: spaCy's infix rules decide
    parts = _DASH.split(core)
    return None if any(part in special for part in parts) else parts


def _kept_words(raw: Iterable[str]) -> tuple[str, ...]:
    return tuple(w for w in map(_fold, filter(_EN_WORD.match, raw)) if len(w) >= 2)


@lru_cache(maxsize=65536)
def _word_char_ngrams(word: str, lo: int, hi: int) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[i : i + n] for n in range(lo, hi + 1) for i in range(len(padded) - n + 1))


def default_lexicon() -> dict[str, list[str]]:
    """The cue words of ``data/categories.json`` (CONTRACT §3) as lexicon entries
    ``<category>:strong`` / ``<category>:cue``: a feature view, stored in the model file."""
    table = load_table("categories")["categories"]
    out: dict[str, list[str]] = {}
    for name in sorted(table):
        for key, label in (("strong", "strong"), ("cues", "cue")):
            words = sorted({_norm(w) for w in table[name][key] if w.strip()})
            if words:
                out[f"{name}:{label}"] = words
    return out


class Lexicon:
    """Literal cue words -> feature names. The hits are what one alternation of the words,
    longest first, finds: at the leftmost position the longest word, then on after it, no
    overlaps. An Aho-Corasick automaton finds every occurrence in C and the hits are picked
    from those; the words stay literal, so a model file cannot smuggle a pattern in."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries = {k: list(v) for k, v in sorted(entries.items())}
        index: dict[str, list[str]] = {}
        for name, words in self.entries.items():
            for word in words:
                index.setdefault(_norm(word), []).append(name)
        self.index = index
        self._automaton = literal_automaton((w, (len(w), names)) for w, names in index.items() if w)

    def hits(self, text: str) -> list[str]:
        if self._automaton is None or not text:
            return []
        return self.hits_normalized(_norm(text))

    def hits_normalized(self, text: str) -> list[str]:
        """``hits`` of a text already passed through ``_norm``."""
        out: list[str] = []
        for names in _leftmost_longest(self._automaton, text):
            out.extend(names)
        return out


def _leftmost_longest(automaton: Any, text: str) -> list[Any]:
    """The values of the non-overlapping leftmost-longest occurrences (the automaton's
    values are ``(key length, value)``), in text order."""
    spans = sorted(((end + 1 - size, -size, value) for end, (size, value) in automaton.iter(text)),
                   key=_START_LONGEST_FIRST) if automaton is not None and text else []
    out, free_from = [], 0
    for start, minus_size, value in spans:
        if start >= free_from:  # the first span from here on: leftmost, and the longest there
            out.append(value)
            free_from = start - minus_size
    return out


_START_LONGEST_FIRST = itemgetter(0, 1)


def _word_ngrams(words: Sequence[str], lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for n in range(lo, hi + 1):
        out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


def analyze(kind: str, text: str, ngram_min: int = 1, ngram_max: int = 1) -> list[str]:
    """The features of one view of one text (the same code serves training and inference)."""
    return list(_analyze(kind, text or "", ngram_min, ngram_max))


def _kept_terms(docs: list[list[str]], min_df: int, max_features: int) -> list[str]:
    """The vocabulary scikit-learn's ``min_df``/``max_features`` keep — terms in at least
    ``min_df`` documents, the ``max_features`` most frequent — with ties broken by the term
    itself. scikit-learn breaks them with numpy's unstable argsort, whose order among equal
    counts depends on the CPU's sorting instructions: the same corpus gave another model on
    another machine."""
    counts: Counter[str] = Counter()
    doc_freq: Counter[str] = Counter()
    for doc in docs:
        counts.update(doc)
        doc_freq.update(set(doc))
    kept = sorted((term for term in counts if doc_freq[term] >= min_df), key=lambda term: (-counts[term], term))
    return sorted(kept[:max_features])


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


class _NgramCodes:
    """Vocabulary terms as integers, to look up every n-gram of a batch of strings in
    numpy at once. Each character of the terms gets a code 1…A and a term is the number
    its codes spell in base ``2**bits`` (the first code is never 0, so terms of different
    lengths never share a number); the numbers are sorted for ``searchsorted``. An n-gram
    holding a character outside that alphabet is no term, and neither is one across two
    strings of a batch: they are joined by a character outside the alphabet."""

    def __init__(self, terms: dict[str, int], lo: int, hi: int) -> None:
        alphabet = sorted({ch for term in terms for ch in term})
        code = {ch: k + 1 for k, ch in enumerate(alphabet)}
        self.lo, self.hi, self.bits = lo, hi, max(len(alphabet).bit_length(), 1)
        self.table = np.zeros(max(map(ord, alphabet), default=0) + 2, dtype=np.int64)  # the last entry stays 0
        self.table[[ord(ch) for ch in alphabet]] = list(code.values())
        numbers = np.fromiter((self._number(term, code) for term in terms), dtype=np.int64, count=len(terms))
        order = np.argsort(numbers)
        self.numbers = numbers[order]
        self.columns = np.fromiter(terms.values(), dtype=np.int64, count=len(terms))[order]
        self.separator = next(ch for ch in map(chr, range(0x110000)) if ch not in code)

    @classmethod
    def of(cls, terms: dict[str, int], lo: int, hi: int) -> "_NgramCodes | None":
        """The codes of ``terms``; None when there are none or their numbers would not fit an int64."""
        bits = max(len({ch for term in terms for ch in term}).bit_length(), 1)
        return cls(terms, lo, hi) if terms and bits * hi <= 62 else None

    def _number(self, term: str, code: dict[str, int]) -> int:
        number = 0
        for ch in term:
            number = (number << self.bits) | code[ch]
        return number

    def find(self, parts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(part index, column) of every n-gram of ``lo``..``hi`` characters of every part
        that is a term."""
        joined = self.separator.join(parts)
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        codes = self.table[np.minimum(points, len(self.table) - 1)]
        at_list, col_list = [], []
        number, whole = codes, codes != 0  # the n-grams starting at each position, and whether all their characters are coded
        for n in range(1, self.hi + 1):
            if n > 1:
                number = (number[:-1] << self.bits) | codes[n - 1:]
                whole = whole[:-1] & (codes[n - 1:] != 0)
            if n >= self.lo:
                at = np.flatnonzero(whole)
                query = number[at]
                order = np.argsort(query)  # sorted queries: searchsorted runs several times faster
                at, query = at[order], query[order]
                slot = np.minimum(np.searchsorted(self.numbers, query), len(self.numbers) - 1)
                hit = self.numbers[slot] == query
                at_list.append(at[hit])
                col_list.append(self.columns[slot[hit]])
        starts = np.cumsum([0] + [len(part) + 1 for part in parts[:-1]])
        return np.searchsorted(starts, np.concatenate(at_list), side="right") - 1, np.concatenate(col_list)


_WORD_CACHE_SIZE = 1 << 16


@dataclass
class _ViewIndex:
    """One view's vocabulary as inference reads it: the global column of every term; for
    the CJK character n-gram views the terms that such n-grams can be, as integer codes;
    for en_char the known columns of each English word met so far (single words only, a
    bounded cache: the n-grams of a word never change)."""

    columns: dict[str, int]
    codes: _NgramCodes | None = None
    words: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def word_columns(self, word: str, lo: int, hi: int) -> tuple[int, ...]:
        """The known columns of ``_word_char_ngrams(word, lo, hi)``."""
        cols = self.words.get(word)
        if cols is None:
            if len(self.words) >= _WORD_CACHE_SIZE:
                self.words.clear()
            cols = self.words[word] = tuple(c for c in map(self.columns.get, _word_char_ngrams(word, lo, hi)) if c is not None)
        return cols


def _view_index(view: _View, columns: dict[str, int]) -> _ViewIndex:
    if view.kind not in ("cjk_char", "context"):
        return _ViewIndex(columns)
    # n-grams inside CJK runs: only CJK terms of those lengths can be one (and every
    # n-gram of a text whose characters are all those terms' lies inside a run)
    lo, hi = view.ngram_min, view.ngram_max
    terms = {t: j for t, j in columns.items() if lo <= len(t) <= hi and _CJK_RUN.fullmatch(t)}
    return _ViewIndex(columns, _NgramCodes.of(terms, lo, hi))


_EMPTY = np.zeros(0, dtype=np.int64)


class _ColumnFinder:
    """The known columns of every view's features, straight from the texts: the inference
    twin of ``_View.features`` + a vocabulary lookup. It yields the same multiset of
    vocabulary columns per (text, view) — the TF-IDF after it only counts them — but
    normalises each distinct string of a call once for all views, looks the character
    n-grams of all of them up at once in numpy, and cuts with jieba only the blocks
    (jieba cuts every block of ``re_han`` on its own) that can hold a kept word, each once
    per call: one plan's items and its schedule repeat clauses. Lives for one
    ``decision_function`` call, so nothing grows across calls."""

    def __init__(self) -> None:
        self._blocks: dict[str, list[int]] = {}
        self._tokens: dict[str, tuple[str, ...]] = {}

    def segments(self, views: list[_View], indexes: list[_ViewIndex],
                 sources: dict[str, list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(segment, column) of every known feature of the rows, segment = row × number of
        views + view; ``sources`` gives each row's text and context."""
        distinct = {name: _distinct(raws) for name, raws in sources.items()}
        segs, cols = [], []
        for k, (view, index) in enumerate(zip(views, indexes)):
            strings, row_string = distinct[view.source]
            owner, col = self._view_columns(view, index, strings)
            rows, col = _spread(owner, col, row_string, len(strings))
            segs.append(rows * len(views) + k)
            cols.append(col)
        return (np.concatenate(segs), np.concatenate(cols)) if segs else (_EMPTY, _EMPTY)

    def _view_columns(self, view: _View, index: _ViewIndex, strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(string index, column) of the known features of ``view`` over ``strings``."""
        if view.kind == "jieba":
            return self._jieba_view_columns(index, strings)
        if index.codes is None:
            return _known(list(map(partial(self.columns, view, index), strings)))
        owner, col = index.codes.find(strings)
        if view.kind == "context":  # and its English words
            words_owner, words_col = _known([_lookup(index, ["w:" + w for w in self._en_tokens(s)]) for s in strings])
            owner, col = np.concatenate([owner, words_owner]), np.concatenate([col, words_col])
        return owner, col

    def columns(self, view: _View, index: _ViewIndex, text: str) -> list[int]:
        """Column ids of ``view`` over ``text`` (already normalised by ``_norm``); a feature
        outside the vocabulary gives -1 or nothing."""
        kind = view.kind
        if not text:
            return []
        if kind == "lexicon":
            return _lookup(index, view.lexicon.hits_normalized(text)) if view.lexicon is not None else []
        if kind == "en_word":
            return _lookup(index, _word_ngrams(self._en_tokens(text), view.ngram_min, view.ngram_max))
        if kind in ("cjk_char", "context"):  # views whose vocabulary does not fit _NgramCodes
            out = _lookup(index, _char_ngrams(text, view.ngram_min, view.ngram_max))
            return out + _lookup(index, ["w:" + w for w in self._en_tokens(text)]) if kind == "context" else out
        if kind == "en_char":
            out, lo, hi = [], view.ngram_min, view.ngram_max
            for word in self._en_tokens(text):
                out += index.word_columns(word, lo, hi)
            return out
        raise ValueError(f"unknown analyzer kind {kind!r}")

    def _en_tokens(self, text: str) -> tuple[str, ...]:
        """``_en_tokens`` once per text and call (en_word, en_char and context read the same text)."""
        tokens = self._tokens.get(text)
        if tokens is None:
            tokens = self._tokens[text] = _en_tokens(text)
        return tokens

    def _jieba_view_columns(self, index: _ViewIndex, strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(string index, column) of the jieba words of all ``strings`` from one cut of
        them joined by NUL: jieba cuts each ``JIEBA_BLOCK`` on its own and a NUL is no
        block character, so it comes back as a token of its own between the strings' words
        (one call instead of a few per string; the Python around each call was most of
        this view's time)."""
        joined = _SEPARATOR.join(strings)
        if joined.count(_SEPARATOR) != len(strings) - 1 or not _CJK_PAIR.search(joined):  # a NUL of a string's own
            return _known([self._jieba_columns(index, text) for text in strings])
        try:
            words = _jieba().cut(joined, hmm=False)
        except UnicodeEncodeError:  # a lone surrogate: cut block by block, as _jieba_words does
            return _known([self._jieba_columns(index, text) for text in strings])
        owners, kept, owner = [], [], 0
        for word in words:
            if word == _SEPARATOR:
                owner += 1
            elif _kept_jieba_word(word):
                owners.append(owner)
                kept.append(word)
        col = np.fromiter(map(index.columns.get, kept, repeat(-1)), dtype=np.int64, count=len(kept))
        keep = col >= 0
        return np.asarray(owners, dtype=np.int64)[keep], col[keep]

    def _jieba_columns(self, index: _ViewIndex, text: str) -> list[int]:
        """The columns of ``_jieba_words(text)``, block by block through the per-call cache."""
        if not _CJK_PAIR.search(text):
            return []  # no kept word (two CJK characters or more) can come out
        out, cache = [], self._blocks
        for block in JIEBA_BLOCK.findall(text):
            cols = cache.get(block)
            if cols is None:  # jieba cuts each re_han block on its own too
                cols = cache[block] = _lookup(index, _jieba_words(block)) if _CJK_PAIR.search(block) else []
            out.extend(cols)
        return out


def _lookup(index: _ViewIndex, terms: list[str]) -> list[int]:
    """Column ids of ``terms``, -1 for a term outside the vocabulary (looked up in C)."""
    return list(map(index.columns.get, terms, repeat(-1)))


def _distinct(raws: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct strings of ``raws``, normalised, and each row's index among them."""
    first: dict[str, int] = {}
    row_string = np.fromiter((first.setdefault(raw, len(first)) for raw in raws), dtype=np.int64, count=len(raws))
    return [_norm(raw) for raw in first], row_string


def _known(per_string: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(string index, column) of the columns ≥ 0 of per-string lists."""
    col = np.fromiter(chain.from_iterable(per_string), dtype=np.int64)
    owner = np.repeat(np.arange(len(per_string), dtype=np.int64), list(map(len, per_string)))
    keep = col >= 0
    return owner[keep], col[keep]


def _spread(owner: np.ndarray, col: np.ndarray, row_string: np.ndarray, n_strings: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) pairs from (string, column) pairs: every row gets its string's pairs."""
    if n_strings == len(row_string):  # every row its own string, in order
        return owner, col
    order = np.argsort(owner, kind="stable")
    owner, col = owner[order], col[order]
    begin = np.searchsorted(owner, np.arange(n_strings + 1))
    lengths = begin[row_string + 1] - begin[row_string]
    shift = begin[row_string] - (np.cumsum(lengths) - lengths)  # where each row's run sits in ``col``
    rows = np.repeat(np.arange(len(row_string), dtype=np.int64), lengths)
    return rows, col[np.arange(int(lengths.sum()), dtype=np.int64) + shift[rows]]


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


def document_prior(probs: np.ndarray, groups: Sequence[Any] | None) -> np.ndarray:
    """``log(q + ε)`` per item, ``q`` the mean of the *other* items' probabilities in the
    same group (plan); a constant row (no effect after softmax) for an item alone."""
    n, k = probs.shape
    out = np.full((n, k), math.log(1.0 / k + PRIOR_EPSILON))
    if groups is None or n < 2:
        return out
    keys = [str(g) for g in groups]
    index: dict[str, list[int]] = {}
    for i, g in enumerate(keys):
        index.setdefault(g, []).append(i)
    for rows in index.values():
        if len(rows) < 2:
            continue
        r = np.asarray(rows)
        total = probs[r].sum(axis=0)
        out[r] = np.log((total - probs[r]) / (len(rows) - 1) + PRIOR_EPSILON)
    return out


def fit_document_prior(logits: np.ndarray, y: np.ndarray, groups: Sequence[Any]) -> tuple[float, float, float]:
    """(T0, prior weight w, T) minimising the out-of-fold log-loss of
    ``softmax((logits / T0 + w · prior) / T)``: T0 by plain temperature scaling, the prior
    from ``softmax(logits / T0)`` of the other items of a plan, w searched on a fixed grid
    (ties → the smaller weight), T fitted for each w."""
    t0 = fit_temperature(logits, y)
    prior = document_prior(softmax(logits / t0), groups)
    best = (t0, 0.0, 1.0)
    best_loss = _nll(logits / t0, y, 1.0)
    for weight in _PRIOR_WEIGHTS[1:]:
        z = logits / t0 + weight * prior
        t1 = fit_temperature(z, y)
        loss = _nll(z, y, t1)
        if loss < best_loss - 1e-9:
            best, best_loss = (t0, weight, t1), loss
    return best


_TOP_EPS = 1e-6


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))  # no overflow for large |z|


def _beta_design(confidence: np.ndarray) -> np.ndarray:
    c = np.clip(np.asarray(confidence, dtype=np.float64), _TOP_EPS, 1 - _TOP_EPS)
    return np.stack([np.log(c), -np.log1p(-c), np.ones_like(c)], axis=1)


def _beta_newton(X: np.ndarray, y: np.ndarray, free: np.ndarray, ridge: float) -> np.ndarray:
    """Logistic regression of ``y`` on ``X`` by Newton's method from the identity map, the
    coefficients not ``free`` held at 0 (a tiny ridge towards the identity keeps it finite
    when the items are separable)."""
    start = np.asarray(IDENTITY_TOP_LABEL)
    w = np.where(free, start, 0.0)
    for _ in range(100):
        p = _sigmoid(X @ w)
        grad = (X.T @ (p - y)) / len(y) + ridge * (w - start)
        hess = (X * (p * (1 - p))[:, None]).T @ X / len(y) + ridge * np.eye(3)
        step = np.zeros(3)
        step[free] = np.linalg.solve(hess[np.ix_(free, free)], grad[free])
        w = w - step
        if np.abs(step).max() < 1e-10:
            break
    return w


def fit_top_label(confidence: Sequence[float], correct: Sequence[bool], ridge: float = 1e-6) -> tuple[float, float, float]:
    """Beta calibration (Kull et al., 2017) of the top-label confidence: (a, b, m) of
    ``σ(a·ln c − b·ln(1 − c) + m)`` by log-loss on whether each prediction was right; a
    negative a or b (a map that would not be monotone) is fixed at 0 and the rest refitted.
    The identity (1, 1, 0) when there are fewer than 30 items or no error among them."""
    y = np.asarray(correct, dtype=np.float64)
    if len(y) < _TOP_LABEL_MIN_ITEMS or y.min() == y.max():
        return IDENTITY_TOP_LABEL
    X = _beta_design(np.asarray(confidence))
    free = np.array([True, True, True])
    w = _beta_newton(X, y, free, ridge)
    while (w[:2] < 0).any():
        free[:2] &= w[:2] >= 0
        w = np.where(free, _beta_newton(X, y, free, ridge), 0.0)
    if not np.isfinite(w).all():
        return IDENTITY_TOP_LABEL
    w = np.clip(w, [0.0, 0.0, -100.0], [100.0, 100.0, 100.0])  # the range the loader accepts
    return tuple(round(float(v), 6) + 0.0 for v in w)  # type: ignore[return-value]


def apply_top_label(probs: np.ndarray, coef: Sequence[float]) -> np.ndarray:
    """Rows with the probability of their predicted class replaced by the beta map of it
    and the other classes rescaled to share the rest (their order, and the row sum of 1,
    kept). A row whose predicted class would change — the map pushing it under the
    runner-up — is left as it was: the map recalibrates confidence, never the label."""
    coef = tuple(float(v) for v in coef)
    if coef == IDENTITY_TOP_LABEL or probs.size == 0:
        return probs
    rows = np.arange(len(probs))
    top = probs.argmax(axis=1)
    conf = probs[rows, top]
    new = _sigmoid(_beta_design(conf) @ np.asarray(coef))
    rest = 1.0 - conf
    movable = rest > 1e-12  # nothing to share with: the row stays
    scale = np.where(movable, (1.0 - new) / np.where(movable, rest, 1.0), 1.0)
    out = probs * scale[:, None]
    out[rows, top] = np.where(movable, new, conf)
    keep = out.argmax(axis=1) != top
    out[keep] = probs[keep]
    return out


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
        if view["kind"] in _WHOLE_TERM_KINDS and view["ngram_max"] != 1:
            raise ModelFormatError(f"{where}.views[{i}]: a {view['kind']} view takes no n-gram range (1-1 only)")
    if not 0 <= config["nb_weight"] <= 1 or not config["nb_alpha"] > 0:
        raise ModelFormatError(f"{where}: nb_weight must be in [0, 1] and nb_alpha positive")
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
        self.prior_temperature = 1.0
        self.prior_weight = 0.0
        self.top_label: tuple[float, float, float] = IDENTITY_TOP_LABEL
        self.head_temperatures: tuple[float, ...] = (1.0, 1.0)  # regression, naive Bayes (fitting only)
        self.secondary_threshold = float(self.config["secondary_default"])
        self.metadata: dict[str, Any] = {}
        self._views: list[_View] = []
        self._coef_t = np.zeros((0, 0))  # (n_features, n_classes)
        self._intercept = np.zeros(0)
        self._sk: Any = None  # scikit-learn objects of the last fit (None after load)
        self._columns: list[_ViewIndex] | None = None  # term -> global column, per view (built on first use)
        self._idf = np.zeros(0)

    # ---- fitting (scikit-learn)

    def featurize(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> list[list[tuple[str, ...]]]:
        """Per view, the features of every text (what ``fit(features=...)`` takes)."""
        texts = list(texts)
        return self._featurize(texts, list(contexts) if contexts is not None else [""] * len(texts))

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
        """(vectorizers, logistic regression, complement naive Bayes or None) fitted on ``rows``."""
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.naive_bayes import ComplementNB

        vectorizers, blocks = [], []
        for spec, view_feats in zip(self.config["views"], feats):
            view = self._new_view(spec)
            docs = [view_feats[i] for i in rows]
            vocabulary = _kept_terms(docs, spec["min_df"] if len(docs) >= 20 * spec["min_df"] else 1, spec["max_features"])
            if not vocabulary:  # an empty view, or nothing survives min_df
                vectorizers.append((view, None))
                continue
            vec = TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=True, smooth_idf=True, norm="l2",
                                  vocabulary=vocabulary, dtype=np.float64)
            blocks.append(vec.fit_transform(docs) * view.weight)
            vec.idf_ = vec.idf_.astype(_DTYPE).astype(np.float64)  # the stored precision
            vectorizers.append((view, vec))
        X = sparse.hstack(blocks, format="csr") if blocks else sparse.csr_matrix((len(rows), 1))
        sample_weight = None if weights is None else np.asarray(weights, dtype=np.float64)[np.asarray(rows)]
        lr = LogisticRegression(C=self.config["C"], class_weight=self.config["class_weight"], max_iter=self.config["max_iter"],
                                solver="lbfgs", random_state=self.seed)
        lr.fit(X, y, sample_weight=sample_weight)
        nb = None
        if self.config["nb_weight"] > 0:
            # Complement naive Bayes on the same features: a second linear head that does
            # well on small, skewed text data where the regression overfits rare words.
            nb = ComplementNB(alpha=self.config["nb_alpha"]).fit(X, y, sample_weight=sample_weight)
        return vectorizers, lr, nb

    def _heads(self, fitted) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per head, (coef, intercept) in ``self.classes_`` order; absent classes score -1e4."""
        _, lr, nb = fitted
        k = len(self.classes_)
        raw_coef, raw_int = lr.coef_, lr.intercept_
        if raw_coef.shape[0] == 1:  # binary: expand to two symmetric rows
            raw_coef = np.vstack([-raw_coef / 2, raw_coef / 2])
            raw_int = np.array([-raw_int[0] / 2, raw_int[0] / 2])
        heads = []
        for head_classes, coef_rows, int_rows in ((lr.classes_, raw_coef, raw_int),) + (
                ((nb.classes_, nb.feature_log_prob_, np.zeros(len(nb.classes_))),) if nb is not None else ()):
            coef = np.zeros((k, coef_rows.shape[1]))
            intercept = np.full(k, -1e4)
            for j, name in enumerate(head_classes):
                coef[self.classes_.index(name)] = coef_rows[j]
                intercept[self.classes_.index(name)] = int_rows[j]
            heads.append((coef, intercept))
        return heads

    def _linear(self, fitted) -> tuple[np.ndarray, np.ndarray]:
        """The one linear model that is stored: (1 − a) · regression / T_lr + a · naive Bayes / T_nb
        (a = ``nb_weight``; each head's temperature from the out-of-fold logits), rounded to
        the stored precision so that the numpy path computes exactly this model."""
        heads = self._heads(fitted)
        a = self.config["nb_weight"] if len(heads) == 2 else 0.0
        coef = (1 - a) * heads[0][0] / self.head_temperatures[0]
        intercept = (1 - a) * heads[0][1] / self.head_temperatures[0]
        if a:
            coef = coef + a * heads[1][0] / self.head_temperatures[1]
            intercept = np.where(heads[0][1] <= -1e3, -1e4, intercept)
        intercept = np.maximum(intercept, -1e4)
        return coef.astype(_DTYPE).astype(np.float64), intercept.astype(_DTYPE).astype(np.float64)

    @staticmethod
    def _design(fitted, feats: list[list[Any]], rows: Sequence[int]):
        from scipy import sparse

        blocks = [vec.transform([view_feats[i] for i in rows]) * view.weight
                  for (view, vec), view_feats in zip(fitted[0], feats) if vec is not None]
        return sparse.hstack(blocks, format="csr") if blocks else sparse.csr_matrix((len(rows), 1))

    def _head_logits(self, fitted, feats: list[list[Any]], rows: Sequence[int]) -> list[np.ndarray]:
        X = self._design(fitted, feats, rows)
        return [np.asarray(X @ coef.T) + intercept for coef, intercept in self._heads(fitted)]

    def _sk_logits(self, fitted, feats: list[list[Any]], rows: Sequence[int]) -> np.ndarray:
        coef, intercept = self._linear(fitted)
        return np.asarray(self._design(fitted, feats, rows) @ coef.T) + intercept

    def fit(self, texts: Sequence[str], y: Sequence[str], contexts: Sequence[str] | None = None,
            groups: Sequence[Any] | None = None, secondary: Sequence[Sequence[str]] | None = None,
            features: list[list[Any]] | None = None, calibrate_on: Sequence[bool] | None = None) -> "TaskClassifier":
        """Fit on ``texts`` with labels ``y``; with ``groups`` (the plan of each item), the
        calibration and the secondary threshold come from grouped out-of-fold logits —
        of the items marked in ``calibrate_on`` only, when given (``training`` marks the
        real items: confidence must be calibrated on the kind of text it is used on).
        ``features`` (from ``featurize``, same order as ``texts``) skips the analyzers:
        grouped evaluation computes them once for all folds."""
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
        feats = features if features is not None else self._featurize(texts, contexts)
        if len(feats) != len(self.config["views"]) or any(len(f) != len(texts) for f in feats):
            raise ValueError("features must hold one list per view with one entry per text")
        self.head_temperatures = (1.0, 1.0)
        heads = self._oof_logits(feats, y, groups)
        if heads is not None:
            seen = heads[0][np.arange(len(y_idx)), y_idx] > -1e3  # a class absent from a fold's training data says nothing of calibration
            if calibrate_on is not None and len(calibrate_on) == len(y) and sum(map(bool, calibrate_on)) >= 50:
                seen &= np.asarray([bool(c) for c in calibrate_on])
            self.head_temperatures = tuple(fit_temperature(h[seen], y_idx[seen]) for h in heads) + (1.0,) * (2 - len(heads))
            a = self.config["nb_weight"] if len(heads) == 2 else 0.0
            oof = (1 - a) * heads[0] / self.head_temperatures[0] + (a * heads[1] / self.head_temperatures[1] if a else 0.0)
            self.prior_temperature, self.prior_weight, self.temperature = fit_document_prior(
                oof[seen], y_idx[seen], [g for g, s in zip(groups, seen) if s])
            self.top_label = IDENTITY_TOP_LABEL
            before = self._calibrate(oof, groups)[seen]
            self.top_label = fit_top_label(before.max(axis=1), before.argmax(axis=1) == y_idx[seen])
            probs = self._calibrate(oof, groups)
            exclude = {self.classes_.index("other")} if "other" in self.classes_ else set()
            self.secondary_threshold = tune_threshold(probs, y_idx, secondary_idx, exclude, float(self.config["secondary_default"]))
        fitted = self._fit_once(feats, range(len(y)), y)
        self._sk = fitted
        self._export(fitted)
        return self

    def _oof_logits(self, feats: list[list[Any]], y: list[str], groups: Sequence[Any] | None) -> list[np.ndarray] | None:
        """Out-of-fold logits of each head over GroupKFold splits (None when there are too few groups)."""
        from sklearn.model_selection import GroupKFold

        if groups is None:
            return None
        groups = [str(g) for g in groups]
        n_splits = min(self.config["calibration_folds"], len(set(groups)))
        if n_splits < 2:
            return None
        out: list[np.ndarray] = []
        for train, test in GroupKFold(n_splits=n_splits).split(np.zeros(len(y)), y, groups):
            ys = [y[i] for i in train]
            if len(set(ys)) < 2:
                return None
            fitted = self._fit_once(feats, train, ys)
            for h, logits in enumerate(self._head_logits(fitted, feats, test)):
                if len(out) <= h:
                    out.append(np.zeros((len(y), len(self.classes_))))
                out[h][test] = logits
        return out

    def _export(self, fitted) -> None:
        views, offset = [], 0
        for view, vec in fitted[0]:
            if vec is not None:
                terms = vec.get_feature_names_out().tolist()
                view.vocabulary = {t: i for i, t in enumerate(terms)}
                view.idf = np.asarray(vec.idf_, dtype=np.float64)
            view.offset = offset
            offset += len(view.vocabulary)
            views.append(view)
        coef, intercept = self._linear(fitted)
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
            self._columns = [_view_index(v, {t: j + v.offset for t, j in v.vocabulary.items()}) for v in views]
            self._idf = np.concatenate([v.idf for v in views]) if views else np.zeros(0)
        columns, idf = self._columns, self._idf
        view_weight = np.asarray([v.weight for v in views], dtype=np.float64)
        n_cols = max(len(idf), 1)
        finder = _ColumnFinder()
        for lo in range(0, len(texts), chunk):
            hi = min(lo + chunk, len(texts))
            # (segment, column) of every known feature, segment = row × len(views) + view
            seg, col = finder.segments(views, columns, {"text": texts[lo:hi], "context": contexts[lo:hi]})
            scores = np.tile(self._intercept, (hi - lo, 1))
            if seg.size:
                # Term counts per segment in one sort: key = segment × n_cols + column.
                keys, counts = np.unique(seg * n_cols + col, return_counts=True)
                seg, col = np.divmod(keys, n_cols)
                w = (1.0 + np.log(counts)) * idf[col]
                norm = np.sqrt(np.bincount(seg, weights=w * w))
                w *= view_weight[seg % len(views)] / norm[seg]
                rows = seg // len(views)
                starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
                terms = self._coef_t.take(col, axis=0)
                terms *= w[:, None]
                scores[rows[starts]] += np.add.reduceat(terms, starts, axis=0)
            out[lo:hi] = scores
        return out

    def _calibrate(self, logits: np.ndarray, groups: Sequence[Any] | None) -> np.ndarray:
        """softmax((logits / T0 + w · prior) / T): the document prior, then the final
        temperature; then the top-label map of the confidence."""
        z = logits / self.prior_temperature
        if self.prior_weight:
            z = z + self.prior_weight * document_prior(softmax(z), groups)
        return apply_top_label(softmax(z / self.temperature), self.top_label)

    def predict_proba(self, texts: Sequence[str], contexts: Sequence[str] | None = None,
                      groups: Sequence[Any] | None = None) -> np.ndarray:
        """Calibrated probabilities, shape (n, n_classes), rows summing to 1. ``groups``
        names each text's plan (``classify`` passes one group per plan): the document prior
        needs it; without it every text stands alone (no prior)."""
        if len(texts) == 0:
            return np.zeros((0, len(self.classes_)))
        if groups is not None and len(groups) != len(texts):
            raise ValueError("texts and groups differ in length")
        return self._calibrate(self.decision_function(texts, contexts), groups)

    def predict(self, texts: Sequence[str], contexts: Sequence[str] | None = None,
                groups: Sequence[Any] | None = None) -> list[str]:
        if len(texts) == 0:
            return []
        return [self.classes_[j] for j in self.predict_proba(texts, contexts, groups).argmax(axis=1)]

    def secondary(self, probabilities: Sequence[float], primary: int | None = None) -> list[str]:
        """Other categories (never ``other``) at or above the tuned threshold, most probable first."""
        probs = np.asarray(probabilities)
        primary = int(probs.argmax()) if primary is None else primary
        order = np.argsort(-probs, kind="stable")
        return [self.classes_[j] for j in order if j != primary and probs[j] >= self.secondary_threshold and self.classes_[j] != "other"]

    def sklearn_predict_proba(self, texts: Sequence[str], contexts: Sequence[str] | None = None,
                              groups: Sequence[Any] | None = None) -> np.ndarray:
        """The same probabilities through the scikit-learn objects of the last ``fit`` (for checking the numpy path)."""
        if self._sk is None:
            raise RuntimeError("no scikit-learn objects: this model was loaded, not fitted")
        texts = list(texts)
        contexts = list(contexts) if contexts is not None else [""] * len(texts)
        feats = self._featurize(texts, contexts)
        return self._calibrate(self._sk_logits(self._sk, feats, range(len(texts))), groups)

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
            "calibration": {"method": CALIBRATION_METHOD, "temperature": float(self.temperature),
                            "prior_temperature": float(self.prior_temperature), "prior_weight": float(self.prior_weight),
                            "top_label": [float(v) for v in self.top_label]},
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
        _check_fields(cal, _CALIBRATION_KEYS, "calibration")
        if (cal["method"] != CALIBRATION_METHOD or not 0 < cal["temperature"] < 1e3
                or not 0 < cal["prior_temperature"] < 1e3 or not 0 <= cal["prior_weight"] <= 10):
            raise ModelFormatError("calibration: must be temperature scaling with a positive temperature and a prior weight in [0, 10]")
        top = cal["top_label"]
        if (len(top) != 3 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in top)
                or not (0 <= top[0] <= 100 and 0 <= top[1] <= 100 and -100 <= top[2] <= 100)):
            raise ModelFormatError("calibration.top_label: must be three finite numbers a, b in [0, 100] and m in [-100, 100]")
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
        model.prior_temperature = float(cal["prior_temperature"])
        model.prior_weight = float(cal["prior_weight"])
        model.top_label = tuple(float(v) for v in top)
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
