"""pipeline: components registered by name; a Pipeline of any subset of them runs in
order over one Doc; an unknown name fails early with a helpful KeyError; over real files
nothing is lost (every character ends in a plan or in `removed`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from planparse.api import parse_text
from planparse.doc import Doc
from planparse.pipeline import DEFAULT_PIPELINE, Pipeline, component, get_component, registered
from planparse.readers.base import Block, RawDocument
from planparse.records import SourceInfo

TEXT = "阳光小学工会2024年工作计划\n一、主要工作\n1、召开教代会。\n2、开展送温暖活动。\n二、月份安排\n三月份:召开教代会。"


def new_doc(text: str = TEXT) -> Doc:
    raw = RawDocument(blocks=[Block(text=line) for line in text.splitlines()], format="txt")
    return Doc(source=SourceInfo(path="t.txt", format="txt", sha256="0" * 64, bytes=0), raw=raw)


def test_registry_lists_the_stages():
    names = registered()
    assert names == sorted(names)
    for stage in ("normalize", "clean", "split", "outline", "sections", "tasks", "schedule", "classify", "metadata"):
        assert stage in names
    assert set(DEFAULT_PIPELINE) <= set(names)


def test_default_pipeline_order():
    assert DEFAULT_PIPELINE[:3] == ("normalize", "clean", "split")
    assert DEFAULT_PIPELINE[-1] == "metadata"
    assert Pipeline().names == DEFAULT_PIPELINE


def test_get_component_returns_the_registered_function():
    from planparse.normalize import normalize

    assert get_component("normalize") is normalize


def test_unknown_component_raises_helpful_key_error():
    with pytest.raises(KeyError) as info:
        Pipeline(("normalize", "no_such_stage"))
    message = str(info.value)
    assert "no_such_stage" in message
    assert "normalize" in message and "split" in message  # it lists what is known


def test_subset_pipeline_runs_only_its_stages():
    pipe = Pipeline(("normalize", "clean"))
    doc = pipe(new_doc())
    assert doc.text.startswith("阳光小学工会")
    assert doc.kept and doc.drafts == [] and doc.plans == []
    assert set(pipe.timings) == {"normalize", "clean"}


def test_pipeline_up_to_outline():
    doc = Pipeline(("normalize", "clean", "split", "outline"))(new_doc())
    assert len(doc.drafts) == 1
    assert [u.token for u in doc.drafts[0].units if u.token] == ["一", "1", "2", "二"]
    assert doc.drafts[0].sections == [] and doc.plans == []


def test_pipeline_without_classify_leaves_default_labels():
    names = tuple(n for n in DEFAULT_PIPELINE if n != "classify")
    result = parse_text(TEXT, pipeline=Pipeline(names))
    plan = result.plans[0]
    assert [t.category for t in plan.tasks] == ["other", "other"]
    assert all(t.confidence == 0.0 for t in plan.tasks)


def test_full_pipeline_and_timings():
    pipe = Pipeline()
    doc = pipe(new_doc())
    assert len(doc.plans) == 1
    assert set(pipe.timings) == set(DEFAULT_PIPELINE)
    assert all(t >= 0 for t in pipe.timings.values())
    first = dict(pipe.timings)
    docs = list(pipe.pipe([new_doc(), new_doc()]))
    assert [len(d.plans) for d in docs] == [1, 1]
    assert all(pipe.timings[name] >= first[name] for name in first)  # timings accumulate


def test_a_custom_component_can_be_registered_and_used():
    @component("test_upper_warning")
    def add_warning(doc: Doc) -> Doc:
        doc.warnings.append(f"{len(doc.lines)} lines")
        return doc

    try:
        assert "test_upper_warning" in registered()
        doc = Pipeline(("normalize", "test_upper_warning"))(new_doc())
        assert doc.warnings == ["6 lines"]
    finally:
        from planparse import pipeline as module

        module._REGISTRY.pop("test_upper_warning", None)
    assert "test_upper_warning" not in registered()


def _uncovered(result) -> list[str]:
    """Non-blank text of the source that is in no plan and in no `removed` record."""
    covered = bytearray(len(result.text))
    spans = [plan.span for plan in result.plans] + [r.span for r in result.removed if r.span]
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    return [ch for ch, c in zip(result.text, covered) if not c and not ch.isspace()]


_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_NOTHING_LOST_INPUTS = sorted((Path(__file__).resolve().parents[1] / "corpora" / "samples").glob("*.[tdh]*")) + sorted(
    (_SHARED / "seeds").glob("*.txt")
) + sorted((_SHARED / "corpora" / "made").glob("*.[dp]*"))


@pytest.mark.parametrize("path", _NOTHING_LOST_INPUTS, ids=lambda p: p.name)
def test_nothing_is_lost(path):
    """Every character of a parsed file is in a plan or recorded as removed."""
    from planparse import parse_file

    result = parse_file(path)
    assert result.error is None, result.error
    assert _uncovered(result) == []
