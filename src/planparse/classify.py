"""Task categories (CONTRACT §3).

``CueClassifier`` is a plain estimator with a scikit-learn-like face (``classes_``,
``predict``, ``predict_proba``) over the cue table ``data/categories.json``: it scores
each category by its cue hits in the task text, and less in the task's heading path,
and turns scores into probabilities with a softmax. It knows nothing of files or plans;
the ``classify`` component feeds it texts. The trained model
(``planparse.model.TaskClassifier``, trained by ``planparse train``) has the same face;
the ``classify`` component uses it, loaded once per process on first use, and falls back
to the cue rules, with a warning, only when the model file is missing."""
from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .doc import Doc
from .pipeline import component
from .tables import load_table

CATEGORIES = (
    "political_study", "ethics_and_skills", "labor_competition", "democratic_management", "rights_protection",
    "welfare_and_care", "culture_and_sports", "women_workers", "organization_building", "finance", "publicity", "other",
)
OTHER_SCORE = 0.75  # what "none of the above" scores: a task needs more than a weak cue to leave it
TEMPERATURE = 0.6
SECONDARY_MIN = 0.25


@dataclass
class CueClassifier:
    strong_weight: float = 2.0
    cue_weight: float = 1.0
    context_weight: float = field(default_factory=lambda: load_table("categories")["context_weight"])

    def __post_init__(self) -> None:
        table = load_table("categories")["categories"]
        self.classes_ = CATEGORIES
        self._patterns = {
            name: (_alternation(entry["strong"]), _alternation(entry["cues"])) for name, entry in table.items()
        }

    def scores(self, text: str, context: str = "") -> list[float]:
        out = []
        for name in self.classes_:
            if name == "other":
                out.append(OTHER_SCORE)
                continue
            strong, weak = self._patterns[name]
            score = self.strong_weight * len(strong.findall(text)) + self.cue_weight * len(weak.findall(text))
            if context:
                score += self.context_weight * (self.strong_weight * len(strong.findall(context)) + self.cue_weight * len(weak.findall(context)))
            out.append(math.log1p(score) * 2.0 if score else 0.0)
        return out

    def predict_proba(self, texts: list[str], contexts: list[str] | None = None) -> list[list[float]]:
        contexts = contexts or [""] * len(texts)
        return [_softmax(self.scores(t, c)) for t, c in zip(texts, contexts)]

    def predict(self, texts: list[str], contexts: list[str] | None = None) -> list[str]:
        return [self.classes_[max(range(len(p)), key=p.__getitem__)] for p in self.predict_proba(texts, contexts)]


def _alternation(words: list[str]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp((s - top) / TEMPERATURE) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@lru_cache(maxsize=1)
def default_classifier() -> CueClassifier:
    return CueClassifier()


def label(probabilities: list[float], classes: tuple[str, ...]) -> tuple[str, float, list[str]]:
    order = sorted(range(len(classes)), key=probabilities.__getitem__, reverse=True)
    best = order[0]
    secondary = [classes[i] for i in order[1:] if probabilities[i] >= SECONDARY_MIN and classes[i] != "other"]
    return classes[best], round(probabilities[best], 4), secondary


class _CueModel:
    """The cue classifier behind the trained model's interface (the fallback)."""

    def __init__(self) -> None:
        self.cue = default_classifier()
        self.classes_ = self.cue.classes_

    def predict_proba(self, texts: list[str], contexts: list[str] | None = None, groups=None) -> list[list[float]]:
        return self.cue.predict_proba(texts, contexts)  # the cue rules read each text alone

    def secondary(self, probabilities, primary: int | None = None) -> list[str]:
        return label(list(probabilities), self.classes_)[2]


@lru_cache(maxsize=1)
def task_model():
    """The trained task classifier (``planparse.model.default_model_path()``), loaded once
    per process; the cue classifier, with a warning, when no model file exists. A model file
    that exists but is not a valid model raises ``ModelFormatError``."""
    from .model import TaskClassifier, default_model_path

    path = default_model_path()
    if not path.is_file():
        warnings.warn(f"no trained task classifier at {path}; categories come from the cue rules "
                      "(run `planparse train` to build the model)", RuntimeWarning, stacklevel=2)
        return _CueModel()
    return TaskClassifier.load(path)


def _context(by_id: dict, section_id: str | None) -> str:
    """The heading of the task's own section (its parent's when it has none): what the
    corpus records as an item's ``context``."""
    section = by_id.get(section_id or "")
    while section is not None and not section.heading:
        section = by_id.get(section.parent_id or "")
    return section.heading if section is not None and section.heading else ""


@component("classify")
def classify(doc: Doc) -> Doc:
    model = task_model()
    units, contexts, plans, is_task = [], [], [], []
    for plan, draft in enumerate(doc.drafts):
        by_id = {s.section_id: s for s in draft.sections}
        for unit in list(draft.tasks) + list(draft.schedule):
            units.append(unit)
            contexts.append(_context(by_id, unit.section_id))
            plans.append(plan)  # the trained model's document prior reads the plan's other items
        is_task += [True] * len(draft.tasks) + [False] * len(draft.schedule)
    if not units:
        return doc
    # One call for the document (each row is scored on its own, the prior within its plan):
    # the same figures as one call per plan, without the per-call setup for every plan.
    probs = np.asarray(model.predict_proba([u.text for u in units], contexts, plans))
    for unit, task, row, best in zip(units, is_task, probs, probs.argmax(axis=1).tolist()):  # the first most probable
        unit.category = model.classes_[best]
        if task:  # schedule items carry only a category
            unit.confidence = round(float(row[best]), 4)
            unit.secondary_categories = model.secondary(row, best)
    return doc
