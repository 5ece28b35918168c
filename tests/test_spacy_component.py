"""The spaCy component: ``nlp.add_pipe("planparse")`` on blank zh/en pipelines, spans mapped
from planparse's normalised text back to the text given, the entry point, serialisation."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin

import planparse
from planparse.records import Plan
from planparse.spacy_component import UNTRACED, char_map, map_span, plan_from_dict

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
ZH_PLAN = SAMPLES / "school_union_plan_2024.txt"  # full-width punctuation: normalised text differs
ZH_INDENTED = SAMPLES / "community_union_summary_2023.txt"  # U+3000 indents
EN_PLAN = SAMPLES / "county_federation_plan_2022_en.txt"
REAL_PLAN = REPO.parent / "shared" / "seeds" / "003_60dac51a79ab8bbf.txt"  # real web page text, flattened indents


def visible(text: str) -> str:
    """What normalisation keeps of a text: NFKC, no whitespace."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


@pytest.fixture(scope="module")
def zh_nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("planparse")
    return nlp


@pytest.fixture(scope="module")
def en_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("planparse")
    return nlp


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def assert_spans_match_records(doc: Doc, exact: bool) -> None:
    """Each span covers its record's text; with one token per character (blank zh) exactly."""
    for key, records in (("sections", [s for p in doc._.plans for s in p.sections]),
                         ("tasks", [t for p in doc._.plans for t in p.tasks]),
                         ("schedule", [i for p in doc._.plans for i in p.schedule])):
        spans = list(doc.spans[key])
        assert len(spans) == len(records), key
        assert spans or key == "schedule", key  # a summary may have no schedule
        for span, record in zip(spans, records):
            assert span.label_ == (record.type if key == "sections" else record.category)
            if exact:
                assert visible(span.text) == visible(record.text), (key, span.text, record.text)
            else:
                assert visible(record.text) in visible(span.text), (key, span.text, record.text)


@pytest.mark.parametrize("path", [ZH_PLAN, ZH_INDENTED], ids=lambda p: p.name)
def test_blank_zh_pipeline(zh_nlp, path: Path):
    text = _read(path)
    doc = zh_nlp(text)
    expected = planparse.parse_text(text)
    assert expected.text != text  # the spans had to be mapped back
    assert doc._.plans == expected.plans and doc._.plan == expected.plans[0]
    assert isinstance(doc._.plan, Plan)
    assert_spans_match_records(doc, exact=True)
    assert {s.label_ for s in doc.spans["sections"]} <= {
        "preamble", "guiding_ideology", "objectives", "tasks", "measures", "schedule", "achievements", "problems",
        "next_steps", "closing", "signature", "other"}


def test_school_plan_spans(zh_nlp):
    doc = zh_nlp(_read(ZH_PLAN))
    first = doc.spans["tasks"][0]
    assert first.text == "组织教职工认真学习党的二十大精神和党的创新理论，每月开展一次集中学习，引导教职工坚定理想信念。"
    assert first.label_ == doc._.plan.tasks[0].category
    assert first.id_ == f"{doc._.plan.plan_id}/t1"
    labels = [s.label_ for s in doc.spans["sections"] if s.id_.count("/") == 1 and "." not in s.id_]
    assert labels[:3] == ["preamble", "guiding_ideology", "objectives"]
    march = [s for s, item in zip(doc.spans["schedule"], doc._.plan.schedule) if item.months == [3]]
    assert [s.text for s in march] == ["组织庆祝“三八”国际妇女节系列活动", "召开第五届教代会第三次会议"]


def test_zh_with_jieba_words():
    """With the jieba segmenter tokens are words: spans widen to whole words, never cut one."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("planparse")
    text = _read(ZH_PLAN)
    doc = nlp(text)
    assert any(len(token) > 1 for token in doc)
    assert_spans_match_records(doc, exact=False)
    for span in doc.spans["tasks"]:
        assert span.start_char == span[0].idx and span.end_char == span[-1].idx + len(span[-1])


def test_blank_en_pipeline(en_nlp):
    text = _read(EN_PLAN)
    doc = en_nlp(text)
    assert doc._.plan.language == "en" and doc._.plan == planparse.parse_text(text).plans[0]
    assert_spans_match_records(doc, exact=False)
    for span in doc.spans["tasks"]:  # "expand" covers whole tokens: at most the trailing punctuation more
        assert span.start_char == text.index(span.text) or span.text[0].isalnum()


def test_real_page_text(zh_nlp):
    if not REAL_PLAN.is_file():
        pytest.skip("the dev seeds (../shared/seeds) are not beside this checkout")
    doc = zh_nlp(_read(REAL_PLAN))
    assert doc._.plan.title == "鸡西实验中学工会2020年工作计划"
    assert_spans_match_records(doc, exact=True)


def test_no_plan_gives_empty_groups(zh_nlp):
    doc = zh_nlp("")
    assert doc._.plan is None and doc._.plans == []
    assert list(doc.spans["tasks"]) == [] and list(doc.spans["sections"]) == []
    doc = zh_nlp("今天天气很好。")  # text, but nothing to do in it
    assert list(doc.spans["tasks"]) == [] and list(doc.spans["schedule"]) == []
    assert all(not p.tasks for p in doc._.plans)


def test_span_keys_are_configurable():
    nlp = spacy.blank("zh")
    nlp.add_pipe("planparse", config={"tasks_key": "plan_tasks", "sections_key": "plan_sections"})
    doc = nlp(_read(ZH_PLAN))
    assert len(doc.spans["plan_tasks"]) == len(doc._.plan.tasks) and "tasks" not in doc.spans
    assert len(doc.spans["plan_sections"]) == len(doc._.plan.sections)


def test_doc_serialises_with_its_plans(zh_nlp):
    doc = zh_nlp(_read(ZH_PLAN))
    again = Doc(zh_nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.plan == doc._.plan
    assert [(s.start, s.end, s.label_, s.id_) for s in again.spans["tasks"]] == [
        (s.start, s.end, s.label_, s.id_) for s in doc.spans["tasks"]]
    docs = list(DocBin(docs=[doc], store_user_data=True).get_docs(zh_nlp.vocab))
    assert docs[0]._.plans == doc._.plans


def test_pipe_in_worker_processes(en_nlp):
    texts = [_read(EN_PLAN), _read(ZH_PLAN)]
    docs = list(en_nlp.pipe(texts, n_process=2))
    assert [d._.plan.title for d in docs] == [planparse.parse_text(t).plans[0].title for t in texts]
    assert all(len(d.spans["tasks"]) == len(d._.plan.tasks) for d in docs)


def test_plan_from_dict_round_trip():
    plan = planparse.parse_file(ZH_PLAN).plans[0]
    assert plan_from_dict(json.loads(json.dumps(plan.to_dict()))) == plan


def test_entry_point_is_declared():
    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names.get("planparse") == "planparse.spacy_component:make_planparse"


def test_add_pipe_without_importing_planparse():
    """spaCy finds the factory through the entry point: the user imports spaCy only."""
    code = ("import sys, spacy; nlp = spacy.blank('zh'); nlp.add_pipe('planparse'); "
            "doc = nlp(open(sys.argv[1], encoding='utf-8').read()); "
            "print(len(doc.spans['tasks']), doc._.plan.title)")
    out = subprocess.run([sys.executable, "-c", code, str(ZH_PLAN)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(len(planparse.parse_file(ZH_PLAN).plans[0].tasks)), "青山市实验中学工会2024年工作计划"]


# --- character alignment ---------------------------------------------------------------------


def test_char_map_identity_and_folding():
    assert char_map("abc", "abc") == [(0, 1), (1, 2), (2, 3)]
    original = "一、工作　目标，\n\n  开展活动。"
    normalised = "一、工作\n目标,\n开展活动。"
    mapping = char_map(normalised, original)
    assert [original[slice(*mapping[i])] for i, ch in enumerate(normalised) if ch != "\n"] == list("一、工作目标，开展活动。")
    assert mapping[normalised.index("\n")] == UNTRACED
    assert map_span((normalised.index("目"), normalised.index("开")), mapping) == (5, 8)


def test_char_map_when_nfkc_merges_characters():
    original = "Cafe\u0301 plan"  # "é" as e + combining accent: NFKC of the whole makes one character
    normalised = unicodedata.normalize("NFKC", original)
    mapping = char_map(normalised, original)
    assert map_span((0, normalised.index(" ")), mapping) == (0, original.index(" "))  # the accent included
    assert map_span((normalised.index("é"), normalised.index("é") + 1), mapping) == (3, 5)
    assert mapping[normalised.index("p")] == (original.index("p"), original.index("p") + 1)


def test_plan_with_a_combining_sequence(zh_nlp):
    """NFKC merges e + U+0301 into one character, so the visible characters differ and the
    spans after it are paired by the difflib fallback, still exactly."""
    text = _read(ZH_PLAN)
    cut = text.index("二、工作目标")
    doc = zh_nlp(text[:cut] + "Cafe\u0301 " + text[cut:])
    assert_spans_match_records(doc, exact=True)
