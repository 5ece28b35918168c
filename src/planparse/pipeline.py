"""A pipeline of named components over one :class:`Doc`, as in spaCy: components are
registered by name and a pipeline is a list of names, so a stage can be swapped or
left out without touching the others."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .doc import Doc
from .memo import end_of_document

Component = Callable[[Doc], Doc]

_REGISTRY: dict[str, Component] = {}

DEFAULT_PIPELINE = (
    "normalize",
    "clean",
    "split",
    "outline",
    "sections",
    "tasks",
    "schedule",
    "classify",
    "targets",
    "metadata",
)


def component(name: str) -> Callable[[Component], Component]:
    """Register a function ``Doc -> Doc`` as a pipeline component under ``name``."""

    def register(func: Component) -> Component:
        _REGISTRY[name] = func
        return func

    return register


def get_component(name: str) -> Component:
    _load_components()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no pipeline component named {name!r}; known: {sorted(_REGISTRY)}") from None


def registered() -> list[str]:
    _load_components()
    return sorted(_REGISTRY)


def _load_components() -> None:
    # Importing the stage modules registers them; done lazily to keep imports acyclic.
    from . import (  # noqa: F401
        classify,
        clean,
        metadata,
        normalize,
        outline,
        schedule,
        sections,
        split,
        targets,
        tasks,
    )


@dataclass
class Pipeline:
    names: tuple[str, ...] = DEFAULT_PIPELINE
    timings: dict[str, float] = field(default_factory=dict)  # cumulative seconds per stage

    def __post_init__(self) -> None:
        self._steps = [(name, get_component(name)) for name in self.names]

    def __call__(self, doc: Doc) -> Doc:
        try:
            for name, step in self._steps:
                began = time.perf_counter()
                doc = step(doc)
                self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - began
        finally:
            end_of_document()
        return doc

    def pipe(self, docs: Iterable[Doc]) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)
