"""Caches that live for one document.

A plan asks the same question of the same line in several stages (is this line a month
label? in ``sections`` and again in ``schedule``); a cache keyed by the line answers the
second time. Kept across documents, such a cache would only pay off when documents
repeat each other's lines — a benchmark of copied files, not real batches — and would
grow with the batch; so ``Pipeline`` empties these caches after every document."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

_CACHES: list[Any] = []


def per_document(maxsize: int = 2048) -> Callable[[Callable[..., Any]], Any]:
    """``functools.lru_cache(maxsize)``, emptied by :func:`end_of_document`."""
    def wrap(func: Callable[..., Any]) -> Any:
        cached = lru_cache(maxsize=maxsize)(func)
        _CACHES.append(cached)
        return cached
    return wrap


def end_of_document() -> None:
    """Empty every per-document cache (``Pipeline`` calls it after each document)."""
    for cached in _CACHES:
        cached.cache_clear()
