"""classify: the cue classifier's estimator face (classes_, predict, predict_proba) and
its labels on obvious cases."""
from __future__ import annotations

import math

import pytest

from planparse.classify import CATEGORIES, CueClassifier, default_classifier, label

CONTRACT_CATEGORIES = {
    "political_study", "ethics_and_skills", "labor_competition", "democratic_management", "rights_protection",
    "welfare_and_care", "culture_and_sports", "women_workers", "organization_building", "finance", "publicity", "other",
}

TEXTS = [
    "开展送温暖慰问困难职工",
    "召开教代会",
    "开展三八妇女节庆祝活动",
    "",
    "Hold the teachers' congress",
]


@pytest.fixture(scope="module")
def model() -> CueClassifier:
    return CueClassifier()


def test_classes_are_the_contract_label_set(model):
    assert set(model.classes_) == CONTRACT_CATEGORIES
    assert len(model.classes_) == len(CONTRACT_CATEGORIES)
    assert tuple(model.classes_) == CATEGORIES


def test_predict_proba_shape_and_normalisation(model):
    probs = model.predict_proba(TEXTS)
    assert len(probs) == len(TEXTS)
    for row in probs:
        assert len(row) == len(model.classes_)
        assert all(0.0 <= p <= 1.0 for p in row)
        assert math.isclose(sum(row), 1.0, abs_tol=1e-9)


def test_predict_is_argmax_of_predict_proba(model):
    labels = model.predict(TEXTS)
    assert len(labels) == len(TEXTS)
    for lab, row in zip(labels, model.predict_proba(TEXTS)):
        assert lab in CONTRACT_CATEGORIES
        assert row[model.classes_.index(lab)] == max(row)


def test_empty_input(model):
    assert model.predict([]) == []
    assert model.predict_proba([]) == []


@pytest.mark.parametrize(
    "text, category",
    [
        ("开展送温暖慰问困难职工", "welfare_and_care"),
        ("召开教代会", "democratic_management"),
        ("坚持校务公开,推进民主管理", "democratic_management"),
        ("开展三八妇女节庆祝活动", "women_workers"),
        ("组织学习贯彻党的二十大精神", "political_study"),
        ("加强师德师风建设,开展青年教师业务培训", "ethics_and_skills"),
        ("开展劳动竞赛和技能比武", "labor_competition"),
        ("签订工资集体合同,维护职工合法权益", "rights_protection"),
        ("举办职工篮球比赛", "culture_and_sports"),
        ("加强工会干部培训,做好会员发展", "organization_building"),
        ("管好用好工会经费,做好经审工作", "finance"),
        ("办好工会宣传栏,及时报送信息", "publicity"),
        ("做好本职工作", "other"),
        ("认真组织好一日捐活动", "welfare_and_care"),
        ("30岁以上员工查体", "welfare_and_care"),
        ("工会账务上交", "finance"),
        ("做好学校艺术节的筹备工作", "culture_and_sports"),
        ("青年教师公开课比赛", "ethics_and_skills"),
        ("加强医德医风建设", "ethics_and_skills"),
        ("Send warmth to difficult workers", "welfare_and_care"),
        ("Hold the teachers' congress", "democratic_management"),
        ("Organize a basketball game for the staff", "culture_and_sports"),
        ("Celebrate Women's Day", "women_workers"),
    ],
)
def test_obvious_cases(model, text, category):
    assert model.predict([text]) == [category]


def test_empty_text_is_other(model):
    assert model.predict([""]) == ["other"]


def test_heading_context_counts_but_less_than_the_text(model):
    assert model.predict(["做好相关工作"], ["关心职工生活,开展慰问"]) == ["welfare_and_care"]
    # The task's own cue outweighs the heading's.
    assert model.predict(["召开教代会,审议提案"], ["慰问困难职工"]) == ["democratic_management"]


def test_more_cues_more_confidence(model):
    weak = max(model.predict_proba(["做好慰问工作"])[0])
    strong = max(model.predict_proba(["开展送温暖活动,慰问困难职工和退休职工,组织体检"])[0])
    assert strong > weak


def test_label_picks_best_and_secondaries():
    classes = ("a", "b", "c", "other")
    assert label([0.5, 0.3, 0.1, 0.1], classes) == ("a", 0.5, ["b"])
    assert label([0.1, 0.1, 0.2, 0.6], classes) == ("other", 0.6, [])
    # "other" is never a secondary category
    assert label([0.6, 0.05, 0.05, 0.3], classes)[2] == []


def test_default_classifier_is_shared():
    assert default_classifier() is default_classifier()


def test_one_call_per_document_scores_as_one_call_per_plan():
    """``classify`` scores all of a document's plans in one call, each plan its own group:
    bit for bit what one call per plan gives (rows are scored alone, the prior within its plan)."""
    from pathlib import Path

    import numpy as np

    from planparse.api import default_pipeline
    from planparse.classify import _context, task_model
    from planparse.doc import Doc
    from planparse.pipeline import get_component
    from planparse.readers import read_file
    from planparse.records import SourceInfo

    path = Path(__file__).resolve().parents[1] / "corpora" / "samples" / "union_plans_collection_2024.txt"
    names = default_pipeline().names
    doc = Doc(source=SourceInfo(path=str(path), format=None, sha256="", bytes=0), raw=read_file(path))
    for name in names[: names.index("classify")]:
        doc = get_component(name)(doc)
    assert len(doc.drafts) >= 2
    model = task_model()
    texts, contexts, groups, per_plan = [], [], [], []
    for plan, draft in enumerate(doc.drafts):
        by_id = {s.section_id: s for s in draft.sections}
        units = list(draft.tasks) + list(draft.schedule)
        t, c = [u.text for u in units], [_context(by_id, u.section_id) for u in units]
        texts += t
        contexts += c
        groups += [plan] * len(units)
        per_plan.append(model.predict_proba(t, c, [0] * len(units)))
    together = model.predict_proba(texts, contexts, groups)
    assert np.array_equal(together, np.concatenate(per_plan))
