"""model: the trained task classifier — estimator face, numpy inference equal to the
scikit-learn objects it was fitted with, calibration helpers, and a model file that is
plain data (anything else is refused on load)."""
from __future__ import annotations

import base64
import json
import math
import pickle

import numpy as np
import pytest

from planparse.corpus import TaskItem
from planparse.model import (
    CONTRACT_CATEGORIES,
    DEFAULT_CONFIG,
    IDENTITY_TOP_LABEL,
    PRIOR_EPSILON,
    apply_top_label,
    document_prior,
    fit_top_label,
    fit_document_prior,
    ModelFormatError,
    TaskClassifier,
    analyze,
    default_model_path,
    expected_calibration_error,
    fit_temperature,
    softmax,
)

# A small corpus in the team's own words: 12 categories × (4 zh + 3 en), spread over
# 7 "plans" (groups) so that grouped folds exist.
PHRASES = {
    "political_study": ["组织教职工学习贯彻全会精神", "开展理论学习和思想政治教育", "坚持党建带工建", "每月集中政治学习一次",
                        "Organize study of the plenary session spirit", "Strengthen political theory study", "Party building leads union building"],
    "ethics_and_skills": ["加强师德师风建设", "开展青年教师业务培训", "组织岗位练兵和读书活动", "推进教师继续教育和素质提升",
                          "Strengthen professional ethics of teachers", "Train young teachers in teaching skills", "Hold a reading activity for staff"],
    "labor_competition": ["开展劳动竞赛和技能比武", "征集合理化建议和金点子", "争创工人先锋号", "组织技术创新成果评选",
                          "Launch a labor competition among workers", "Collect golden ideas and rationalization proposals", "Hold a skills competition"],
    "democratic_management": ["召开教代会审议提案", "坚持校务公开", "开展民主评议领导干部", "落实职代会各项职权",
                              "Hold the teachers' congress", "Keep school affairs open to staff", "Handle proposals of the workers' congress"],
    "rights_protection": ["签订工资集体合同", "开展集体协商", "调解劳动争议维护合法权益", "加强劳动保护监督",
                          "Sign the collective contract on wages", "Protect the legitimate rights of workers", "Mediate labor disputes"],
    "welfare_and_care": ["开展送温暖慰问困难职工", "组织教职工健康体检", "看望退休职工", "办好职工互助保障",
                         "Send warmth to workers in difficulty", "Arrange a health check for all staff", "Visit retired teachers at the festival"],
    "culture_and_sports": ["举办教职工篮球比赛", "组织文艺演出", "开展拔河和乒乓球比赛", "举办迎新年联欢会",
                           "Organize a basketball game for staff", "Hold a cultural performance", "Hold the staff sports meeting"],
    "women_workers": ["开展三八妇女节活动", "维护女职工特殊权益", "组织女教工健康检查", "评选巾帼建功标兵",
                      "Celebrate International Women's Day", "Protect the special rights of women workers", "Set up the women workers committee"],
    "organization_building": ["做好会员发展工作", "加强工会干部培训", "建设模范职工之家", "完善工会档案和台账",
                              "Recruit new union members", "Train trade union cadres", "Build a model home of workers"],
    "finance": ["管好用好工会经费", "按时收缴会费", "做好经审工作", "编制工会经费预算",
                "Manage union funds well", "Collect membership dues on time", "Audit the union accounts"],
    "publicity": ["办好工会宣传栏", "及时报送工会信息", "更新工会网站和公众号", "做好通讯报道",
                  "Run the union publicity board", "Submit union news on time", "Update the union website"],
    "other": ["完成上级交办的其他任务", "做好学期末收尾", "配合学校做好相关工作", "按时完成各项报表",
              "Complete other tasks assigned by superiors", "Finish the end of term work", "Cooperate with the school on related matters"],
}

HEADINGS = {
    "political_study": "一、加强思想政治引领", "ethics_and_skills": "二、提高教职工素质", "labor_competition": "三、开展劳动竞赛",
    "democratic_management": "四、推进民主管理", "rights_protection": "五、依法维护权益", "welfare_and_care": "六、关心职工生活",
    "culture_and_sports": "七、丰富文体生活", "women_workers": "八、做好女工工作", "organization_building": "九、加强自身建设",
    "finance": "十、管好工会经费", "publicity": "十一、加强宣传工作", "other": "十二、其他工作",
}


def small_items(origin: str = "real") -> list[TaskItem]:
    items = []
    for c, (category, texts) in enumerate(PHRASES.items()):
        for k, text in enumerate(texts):
            items.append(TaskItem(
                id=f"t{c:02d}{k}", text=text, context=HEADINGS[category] if k < 2 else "", category=category, secondary_categories=[],
                language="en" if text.isascii() else "zh", origin=origin, source_file="test", plan=k, group=f"plan{k}",
            ))
    return items


@pytest.fixture(scope="module")
def fitted() -> tuple[TaskClassifier, list[TaskItem]]:
    items = small_items()
    model = TaskClassifier(seed=0).fit(
        [i.text for i in items], [i.category for i in items], contexts=[i.context for i in items], groups=[i.group for i in items]
    )
    return model, items


@pytest.fixture(scope="module")
def stored(fitted, tmp_path_factory) -> dict:
    model, _ = fitted
    path = tmp_path_factory.mktemp("model") / "task_classifier.json"
    model.save(path)
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path, obj) -> str:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------ estimator face

def test_classes_are_contract_labels(fitted):
    model, _ = fitted
    assert set(model.classes_) <= set(CONTRACT_CATEGORIES)
    assert model.classes_ == CONTRACT_CATEGORIES  # all present, in contract order


def test_predict_proba_rows_sum_to_one(fitted):
    model, items = fitted
    probs = model.predict_proba([i.text for i in items])
    assert probs.shape == (len(items), len(model.classes_))
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert ((probs >= 0) & (probs <= 1)).all()
    assert model.predict([]) == [] and model.predict_proba([]).shape == (0, len(model.classes_))


def test_fits_its_training_data(fitted):
    model, items = fitted
    pred = model.predict([i.text for i in items])
    assert np.mean([p == i.category for p, i in zip(pred, items)]) >= 0.95


def test_numpy_inference_equals_sklearn(fitted):
    model, items = fitted
    texts = [i.text for i in items] + ["开展送温暖活动,慰问困难职工", "Hold a women's day party", "", "随便写点什么"]
    contexts = ["关心职工生活"] * len(texts)
    ours = model.predict_proba(texts, contexts)
    theirs = model.sklearn_predict_proba(texts, contexts)
    assert np.allclose(ours, theirs, rtol=0, atol=1e-9)
    assert (ours.argmax(axis=1) == theirs.argmax(axis=1)).all()


def test_saved_model_predicts_the_same(fitted, tmp_path):
    model, items = fitted
    path = model.save(tmp_path / "m.json")
    loaded = TaskClassifier.load(path)
    texts = [i.text for i in items]
    assert loaded.classes_ == model.classes_
    assert np.array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
    assert loaded.temperature == model.temperature and loaded.secondary_threshold == model.secondary_threshold
    assert loaded.top_label == model.top_label and len(model.top_label) == 3
    assert loaded.dumps() == model.dumps()
    with pytest.raises(RuntimeError):
        loaded.sklearn_predict_proba(texts)  # a loaded model has no scikit-learn objects


def test_context_counts(fitted):
    model, _ = fitted
    p_plain = model.predict_proba(["做好相关工作"])[0]
    p_ctx = model.predict_proba(["做好相关工作"], ["关心职工生活"])[0]
    welfare = model.classes_.index("welfare_and_care")
    assert p_ctx[welfare] > p_plain[welfare]


def test_secondary_categories(fitted):
    model, _ = fitted
    classes = model.classes_
    row = np.zeros(len(classes))
    row[classes.index("women_workers")] = 0.5
    row[classes.index("culture_and_sports")] = 0.3
    row[classes.index("other")] = 0.2
    model_threshold = model.secondary_threshold
    try:
        model.secondary_threshold = 0.25
        assert model.secondary(row) == ["culture_and_sports"]  # never the primary, never "other"
        model.secondary_threshold = 0.35
        assert model.secondary(row) == []
    finally:
        model.secondary_threshold = model_threshold


def test_analyzers():
    assert analyze("cjk_char", "送温暖", 1, 2) == ["送", "温", "暖", "送温", "温暖"]
    assert "温暖" in analyze("cjk_char", "开展“送温暖”活动", 1, 2)
    assert analyze("en_word", "Hold three large-scale trainings!", 1, 1) == ["hold", "three", "large", "scale", "training"]
    assert "送温暖" in analyze("jieba", "开展送温暖活动")
    assert analyze("cjk_char", "", 1, 3) == [] and analyze("en_word", "只有中文", 1, 2) == []


@pytest.fixture(scope="module")
def sample_units() -> tuple[list[str], list[str]]:
    """Task texts and heading paths (Chinese, English, GBK) from real parses of bundled samples."""
    from pathlib import Path

    from planparse.api import parse_file

    samples = Path(__file__).resolve().parents[1] / "corpora" / "samples"
    texts, contexts = [], []
    for name in ("school_union_plan_2024.txt", "county_federation_plan_2022_en.txt", "hospital_union_points_2024_gbk.txt"):
        for plan in parse_file(samples / name).plans:
            for task in plan.tasks:
                texts.append(task.text)
                contexts.append(" / ".join(task.path))
    assert len(texts) >= 20 and any(t.isascii() for t in texts) and not all(t.isascii() for t in texts)
    return texts, contexts


def test_jieba_words_block_by_block_equal_the_whole_text(sample_units):
    """Inference cuts each ``re_han`` block once per call (headings repeat across tasks):
    that must give the words jieba gives for the whole text."""
    from planparse.model import JIEBA_BLOCK, _jieba_words, _norm

    texts = [_norm(s) for s in sum(sample_units, []) if s]
    assert len(texts) > 50
    for text in texts:
        blocks = [b for b in JIEBA_BLOCK.split(text) if b and JIEBA_BLOCK.match(b)]
        assert [w for b in blocks for w in _jieba_words(b)] == _jieba_words(text)


def _corpus_texts() -> list[str]:
    """Every written item, the bundled samples and, when beside the checkout, the seeds and
    the real text files: Chinese and English plan text as the classifier sees it."""
    from pathlib import Path

    from planparse.api import parse_file

    root = Path(__file__).resolve().parents[1]
    texts = [json.loads(line)["text"] for line in (root / "corpora" / "tasks" / "written.jsonl").open(encoding="utf-8")]
    shared = root.parent / "shared"
    files = sorted((root / "corpora" / "samples").rglob("*.txt"))
    files += sorted(shared.glob("seeds/*.txt")) + sorted(shared.glob("corpora/real/*.txt"))
    texts += [parse_file(f).text for f in files]
    return texts


def test_jieba_rs_cuts_the_words_jieba_cuts():
    """The zh_word view cuts with jieba-rs (``rjieba``) for speed; its words must be
    jieba's own (``lcut``, dictionary only), word for word, or the shipped model would
    be read with other features than it was trained on."""
    import jieba

    from planparse.model import _CJK_RUN, JIEBA_BLOCK, _jieba_words

    assert JIEBA_BLOCK.pattern == jieba.re_han_default.pattern
    reference = jieba.Tokenizer()
    reference.initialize()
    texts = _corpus_texts()
    assert len(texts) > 1000 and sum(map(len, texts)) > 100_000
    for text in texts:
        expected = [w for w in reference.lcut(text, HMM=False) if len(w) >= 2 and _CJK_RUN.fullmatch(w)]
        assert _jieba_words(text) == expected, text[:80]


def test_fast_inference_equals_a_plain_tfidf_computation(sample_units):
    """decision_function (one normalisation per text, per-call caches, columns looked up
    in C) against the textbook computation from ``_View.features`` on the shipped model."""
    path = default_model_path()
    if not path.is_file():
        pytest.skip("no shipped model")
    model = TaskClassifier.load(path)
    texts, contexts = sample_units
    texts, contexts = texts + texts[:5] + ["", "Hold a 3D打印 contest"], contexts + contexts[:5] + ["", ""]  # repeats hit the caches
    expected = np.tile(model._intercept, (len(texts), 1))
    for i, (text, context) in enumerate(zip(texts, contexts)):
        for view in model._views:
            counts = {}
            for term in view.features(text if view.source == "text" else context):
                if term in view.vocabulary:
                    counts[term] = counts.get(term, 0) + 1
            if not counts:
                continue
            cols = np.array([view.offset + view.vocabulary[t] for t in counts])
            w = (1 + np.log(np.array(list(counts.values()), dtype=float))) * np.array([view.idf[view.vocabulary[t]] for t in counts])
            expected[i] += (w / np.linalg.norm(w) * view.weight) @ model._coef_t[cols]
    assert np.allclose(model.decision_function(texts, contexts), expected, rtol=0, atol=1e-9)
    assert np.array_equal(model.decision_function(texts, contexts, chunk=7), model.decision_function(texts, contexts))


# ---------------------------------------------------------------------- calibration

def test_fit_temperature_recovers_a_known_temperature():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 5)) * 3
    true_t = 2.0
    probs = softmax(logits / true_t)
    y = np.array([rng.choice(5, p=p) for p in probs])
    assert fit_temperature(logits, y) == pytest.approx(true_t, rel=0.1)


def test_expected_calibration_error():
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([1.0] * 4, [False] * 4) == pytest.approx(1.0)
    assert expected_calibration_error([], []) == 0.0
    # two bins, each off by 0.1
    assert expected_calibration_error([0.55] * 10 + [0.95] * 10, [True] * 4 + [False] * 6 + [True] * 10) == pytest.approx(0.1)


def test_fit_top_label_learns_a_known_miscalibration():
    rng = np.random.default_rng(0)
    conf = rng.uniform(0.3, 1.0, size=5000)
    true = np.array([0.5, 1.0, 0.3])  # flatter than the stated confidence: over-confident at the top
    acc = 1 / (1 + np.exp(-(true[0] * np.log(conf) - true[1] * np.log1p(-conf) + true[2])))
    correct = rng.random(conf.size) < acc
    a, b, m = fit_top_label(conf, correct)
    assert (a, b, m) == pytest.approx(tuple(true), abs=0.25)
    grid = np.linspace(0.3, 0.99, 50)
    mapped = 1 / (1 + np.exp(-(a * np.log(grid) - b * np.log1p(-grid) + m)))
    assert (np.diff(mapped) > 0).all()  # monotone: a more confident score stays more confident
    assert expected_calibration_error(1 / (1 + np.exp(-(a * np.log(conf) - b * np.log1p(-conf) + m))), correct) < \
        expected_calibration_error(conf, correct)


def test_fit_top_label_keeps_the_identity_without_evidence():
    assert fit_top_label([0.9] * 10, [True] * 9 + [False]) == IDENTITY_TOP_LABEL  # too few items
    assert fit_top_label([0.9] * 100, [True] * 100) == IDENTITY_TOP_LABEL  # no error to learn from
    rng = np.random.default_rng(1)
    conf = rng.uniform(0.2, 1.0, size=400)
    a, b, _ = fit_top_label(conf, rng.random(400) < 0.5)  # confidence says nothing: a flat map, never a falling one
    assert a >= 0 and b >= 0


def test_apply_top_label_changes_confidence_not_the_label():
    probs = np.array([[0.85, 0.10, 0.05], [0.40, 0.35, 0.25], [0.20, 0.30, 0.50], [1.0, 0.0, 0.0]])
    coef = (0.5, 1.0, -0.3)
    out = apply_top_label(probs, coef)
    assert np.allclose(out.sum(axis=1), 1.0) and (out >= 0).all()
    assert (out.argmax(axis=1) == probs.argmax(axis=1)).all()
    c = probs[0, 0]
    assert out[0, 0] == pytest.approx(1 / (1 + np.exp(-(0.5 * np.log(c) - np.log1p(-c) - 0.3))))
    assert out[0, 1] / out[0, 2] == pytest.approx(2.0)  # the other classes keep their ratios
    assert np.array_equal(out[3], probs[3])  # nothing to share with
    # a map that would push the top under the runner-up leaves that row alone
    assert np.array_equal(apply_top_label(probs[1:2], (0.0, 0.0, -3.0)), probs[1:2])
    assert apply_top_label(probs, IDENTITY_TOP_LABEL) is probs


def test_document_prior_is_the_leave_one_out_mean_of_the_plan():
    probs = np.array([[0.8, 0.2], [0.6, 0.4], [0.1, 0.9], [0.5, 0.5]])
    prior = document_prior(probs, ["a", "a", "a", "b"])
    # item 0: mean of items 1 and 2, floored by epsilon; never its own probabilities
    assert prior[0] == pytest.approx(np.log(np.array([0.35, 0.65]) + PRIOR_EPSILON))
    assert prior[2] == pytest.approx(np.log(np.array([0.7, 0.3]) + PRIOR_EPSILON))
    assert prior[3][0] == prior[3][1]  # alone in its plan: a constant row, no effect after softmax
    assert (document_prior(probs, None) == prior[3][0]).all()


def test_fit_document_prior_uses_the_plan_only_when_it_helps():
    rng = np.random.default_rng(0)
    n_plans, per_plan, k = 60, 8, 4
    topic = rng.integers(k, size=n_plans)  # each plan leans to one class
    y = np.array([topic[p] if rng.random() < 0.8 else rng.integers(k) for p in range(n_plans) for _ in range(per_plan)])
    groups = [p for p in range(n_plans) for _ in range(per_plan)]
    logits = rng.normal(size=(len(y), k)) + 1.0 * np.eye(k)[y]  # weak item-level evidence
    _, weight, _ = fit_document_prior(logits, y, groups)
    assert weight > 0
    shuffled = list(rng.permutation(groups))  # plans that say nothing about the labels
    y_flat = rng.integers(k, size=len(y))
    _, weight_flat, _ = fit_document_prior(rng.normal(size=(len(y), k)) + np.eye(k)[y_flat], y_flat, shuffled)
    assert weight_flat <= 0.25


def test_groups_feed_the_document_prior(fitted):
    model, items = fitted
    texts = ["做好相关工作", "开展送温暖活动,慰问困难职工", "看望退休职工", "组织教职工健康体检"]
    alone = model.predict_proba(texts)
    together = model.predict_proba(texts, groups=["p"] * len(texts))
    assert np.allclose(model.predict_proba(texts, groups=list("abcd")), alone)  # one item per plan: no prior
    if model.prior_weight > 0:
        welfare = model.classes_.index("welfare_and_care")
        assert together[0, welfare] > alone[0, welfare]  # a vague item in a welfare-heavy plan leans to welfare
    with pytest.raises(ValueError):
        model.predict_proba(texts, groups=["p"])


def test_naive_bayes_head_can_be_switched_off():
    items = small_items()
    config = json.loads(json.dumps(DEFAULT_CONFIG))
    config["nb_weight"] = 0.0
    model = TaskClassifier(config=config).fit([i.text for i in items], [i.category for i in items], groups=[i.group for i in items])
    assert model._sk[2] is None
    texts = [i.text for i in items]
    assert np.allclose(model.predict_proba(texts), model.sklearn_predict_proba(texts), atol=1e-9)
    assert np.mean([p == i.category for p, i in zip(model.predict(texts), items)]) >= 0.95


# --------------------------------------------------------- the model file is plain data

def test_model_file_is_plain_json(stored):
    assert stored["format"] == "planparse-task-classifier"
    assert stored["coef"]["dtype"] == "<f4"
    assert set(stored["classes"]) <= set(CONTRACT_CATEGORIES)


def test_refuses_a_pickle(fitted, tmp_path):
    model, _ = fitted
    path = tmp_path / "m.json"
    path.write_bytes(pickle.dumps({"format": "planparse-task-classifier"}))
    with pytest.raises(ModelFormatError, match="pickle|JSON"):
        TaskClassifier.load(path)


class _Boom:  # what a pickle could smuggle in
    def __reduce__(self):
        return (print, ("this must never run",))


def test_refuses_a_pickled_object(tmp_path, capsys):
    path = tmp_path / "m.json"
    path.write_bytes(pickle.dumps(_Boom()))
    with pytest.raises(ModelFormatError):
        TaskClassifier.load(path)
    assert "must never run" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.update(extra={"__class__": "os.system"}), "unexpected keys"),
        (lambda d: d.pop("intercept"), "missing keys"),
        (lambda d: d["coef"].update(dtype="<f8"), "dtype"),
        (lambda d: d["coef"].update(dtype="|O"), "dtype"),
        (lambda d: d["coef"].update(dtype="<i4"), "dtype"),
        (lambda d: d["coef"].update(shape=[1, 1]), "bytes do not fill|do not match"),
        (lambda d: d["coef"].update(data="not base64 !!"), "base64"),
        (lambda d: d["coef"].update(py_reduce="builtins.eval"), "array object"),
        (lambda d: d["intercept"].update(data=base64.b64encode(np.full(len(d["classes"]), np.nan, "<f4").tobytes()).decode()), "non-finite"),
        (lambda d: d.update(classes=d["classes"][:-1] + ["not_a_category"]), "CONTRACT"),
        (lambda d: d.update(classes=d["classes"][:-1]), "do not match"),
        (lambda d: d["views"][0].update(vocabulary=[1, 2, 3]), "distinct strings"),
        (lambda d: d["views"][0].update(extra=True), "expected keys"),
        (lambda d: d["config"].update(C="10"), "wrong type"),
        (lambda d: d["config"]["views"][0].update(kind="python"), "unknown kind"),
        (lambda d: d["calibration"].update(temperature=-1.0), "positive temperature"),
        (lambda d: d["calibration"].update(prior_weight=-1.0), "prior weight"),
        (lambda d: d["calibration"].pop("prior_weight"), "missing keys"),
        (lambda d: d["calibration"].pop("top_label"), "missing keys"),
        (lambda d: d["calibration"].update(top_label=[1.0, 1.0]), "top_label"),
        (lambda d: d["calibration"].update(top_label=[-1.0, 1.0, 0.0]), "top_label"),
        (lambda d: d["calibration"].update(top_label=[1.0, "1", 0.0]), "top_label"),
        (lambda d: d["calibration"].update(top_label={"a": 1}), "wrong type"),
        (lambda d: d["calibration"].update(method="temperature+document_prior"), "temperature scaling"),
        (lambda d: d.update(format_version=2), "not a planparse"),
        (lambda d: d["config"].update(nb_weight=1.5), "nb_weight"),
        (lambda d: next(v for v in d["config"]["views"] if v["kind"] == "jieba").update(ngram_max=2), "no n-gram range"),
        (lambda d: d.update(secondary_threshold=2.0), r"\[0, 1\]"),
        (lambda d: d["lexicon"].update(bad=[{"x": 1}]), "lexicon"),
        (lambda d: d.update(format="something-else"), "not a planparse"),
    ],
)
def test_refuses_anything_but_plain_data(stored, tmp_path, mutate, message):
    obj = json.loads(json.dumps(stored))
    mutate(obj)
    with pytest.raises(ModelFormatError, match=message):
        TaskClassifier.load(_write(tmp_path, obj))


def test_refuses_non_finite_json_constants(stored, tmp_path):
    text = json.dumps(stored).replace('"secondary_threshold": ' + json.dumps(stored["secondary_threshold"]), '"secondary_threshold": NaN')
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelFormatError):
        TaskClassifier.load(path)


def test_refuses_a_top_level_list(tmp_path):
    with pytest.raises(ModelFormatError, match="JSON object"):
        TaskClassifier.load(_write(tmp_path, [1, 2, 3]))


# --------------------------------------------------------------- the shipped model

@pytest.mark.skipif(not default_model_path().is_file(), reason="no trained model in models/")
def test_shipped_model_loads_and_is_small():
    path = default_model_path()
    assert path.stat().st_size < 5 * 1024 * 1024
    model = TaskClassifier.load(path)
    assert model.classes_ == CONTRACT_CATEGORIES
    assert model.predict(["开展送温暖活动,慰问困难职工", "召开教代会,审议提案", "Hold the teachers' congress"]) == [
        "welfare_and_care", "democratic_management", "democratic_management"]
    assert 0 < model.temperature < 10 and 0 < model.secondary_threshold < 1
    assert math.isfinite(float(model.predict_proba(["x"]).sum()))


# ------------------------------------------------------------ the classify component

@pytest.fixture
def model_env(monkeypatch):
    """Point the package at another model file; the per-process cache is reset around it."""
    from planparse.classify import task_model

    def use(path):
        monkeypatch.setenv("PLANPARSE_MODEL", str(path))
        task_model.cache_clear()

    yield use
    monkeypatch.delenv("PLANPARSE_MODEL", raising=False)
    task_model.cache_clear()


PLAN = "某校工会2024年工作计划\n一、主要工作\n（一）关心职工生活\n1、开展送温暖活动,慰问困难职工。\n2、召开教代会,审议提案。\n二、活动安排\n三月份:举办职工篮球比赛\n"


def test_component_uses_the_trained_model(fitted, tmp_path, model_env):
    from planparse import parse_text
    from planparse.classify import task_model

    model, _ = fitted
    model_env(model.save(tmp_path / "m.json"))
    assert isinstance(task_model(), TaskClassifier) and task_model() is task_model()  # loaded once
    from planparse.classify import _context

    (plan,) = parse_text(PLAN).plans
    units = plan.tasks + plan.schedule  # one plan: one group for the document prior
    by_id = {s.section_id: s for s in plan.sections}
    probs = task_model().predict_proba([u.text for u in units], [_context(by_id, u.section_id) for u in units], [0] * len(units))
    for task, row in zip(plan.tasks, probs):
        assert task.category == model.classes_[int(row.argmax())]
        assert task.confidence == pytest.approx(float(row.max()), abs=1e-4)
        assert task.category not in task.secondary_categories and "other" not in task.secondary_categories
    assert [t.category for t in plan.tasks] == ["welfare_and_care", "democratic_management"]
    assert plan.schedule and all(item.category in CONTRACT_CATEGORIES for item in plan.schedule)


def test_component_falls_back_to_cue_rules_when_the_model_is_missing(tmp_path, model_env):
    from planparse.classify import task_model

    model_env(tmp_path / "missing.json")
    with pytest.warns(RuntimeWarning, match="no trained task classifier"):
        fallback = task_model()
    assert not isinstance(fallback, TaskClassifier)
    assert fallback.classes_ == CONTRACT_CATEGORIES


def test_component_refuses_a_bad_model_file(tmp_path, model_env):
    from planparse.classify import task_model

    bad = tmp_path / "m.json"
    bad.write_bytes(pickle.dumps({"x": 1}))
    model_env(bad)
    with pytest.raises(ModelFormatError):
        task_model()


def test_the_vocabulary_keeps_the_most_frequent_terms_and_breaks_ties_by_the_term():
    from planparse.model import _kept_terms

    docs = [["b", "a", "c", "d"], ["b", "a", "c"], ["b", "e"], ["d"]]
    # counts: b 3, a 2, c 2, d 2, e 1 -> the top three are b and, of the tied a/c/d, a and c
    assert _kept_terms(docs, 1, 3) == ["a", "b", "c"]
    assert _kept_terms(docs, 3, 10) == ["b"]  # min_df counts documents
    assert _kept_terms(list(reversed(docs)), 1, 3) == ["a", "b", "c"]  # whatever the order of the documents
    assert _kept_terms([[]], 1, 5) == []
