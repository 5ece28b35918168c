"""model: the fast inference paths against the plain analyzers they stand in for — cue
hits by an automaton against a regex alternation, character n-grams looked up in numpy
against ``_View.features``, and the same known columns per (text, view) whatever path a
view takes."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planparse.model import (
    Lexicon,
    TaskClassifier,
    _ColumnFinder,
    _norm,
    _view_index,
    _ViewIndex,
    default_lexicon,
    default_model_path,
)

SETTINGS = settings(deadline=None, database=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


def regex_hits(lexicon: Lexicon, text: str) -> list[str]:
    """What ``Lexicon.hits_normalized`` found before the automaton: one alternation of the
    words, longest first, scanned by ``re.finditer``."""
    alternation = "|".join(re.escape(w) for w in sorted(lexicon.index, key=lambda w: (-len(w), w)) if w)
    if not alternation:
        return []
    return [name for m in re.finditer(alternation, text) for name in lexicon.index[m.group()]]


CUE_LEXICON = Lexicon(default_lexicon())
CUE_WORDS = sorted(CUE_LEXICON.index)
# Words that overlap and nest: the cases where leftmost-longest differs from other rules.
NESTED = Lexicon({"a:cue": ["ab", "abc", "b", "bcd", "cd"], "b:cue": ["abc", "c", "dab", "工会", "工会经费", "会经"]})
NOISE = st.sampled_from(list("abcd 工会经费，。的x\n"))


def texts_of(words: list[str]):
    return st.lists(st.one_of(st.sampled_from(words), NOISE, st.text(max_size=3)), max_size=30).map("".join)


@SETTINGS
@given(texts_of(CUE_WORDS))
def test_cue_hits_equal_the_regex_alternation(text):
    assert CUE_LEXICON.hits_normalized(text) == regex_hits(CUE_LEXICON, text)


@SETTINGS
@given(texts_of(sorted(NESTED.index)))
def test_nested_cue_hits_equal_the_regex_alternation(text):
    assert NESTED.hits_normalized(text) == regex_hits(NESTED, text)


def test_cue_hits_leftmost_longest_without_overlap():
    assert NESTED.hits_normalized("abcd") == ["a:cue", "b:cue"]  # abc (longest at 0); then "d" is no word, "bcd"/"cd" overlap it
    assert NESTED.hits_normalized("工会经费会经") == ["b:cue", "b:cue"]  # 工会经费, then 会经 (not 工会 + 会经 + …)
    assert NESTED.hits_normalized("xabcdab") == regex_hits(NESTED, "xabcdab")
    assert Lexicon({}).hits("工会") == [] and NESTED.hits("") == []


# ------------------------------------------------------------- columns per view

@pytest.fixture(scope="module")
def shipped() -> TaskClassifier:
    path = default_model_path()
    if not path.is_file():
        pytest.skip("no shipped model")
    model = TaskClassifier.load(path)
    model.decision_function(["开展送温暖活动"])  # builds the view indexes
    return model


def reference_columns(view, text: str) -> Counter:
    """The known columns of ``view`` over ``text`` by the training-side analyzer."""
    return Counter(view.offset + view.vocabulary[t] for t in view.features(text) if t in view.vocabulary)


def finder_columns(finder: _ColumnFinder, view, index: _ViewIndex, texts: list[str]) -> list[Counter]:
    owner, col = finder._view_columns(view, index, [_norm(t) for t in texts])
    out = [Counter() for _ in texts]
    for i, c in zip(owner.tolist(), col.tolist()):
        out[i][c] += 1
    return out


CJK = st.sampled_from(list("工会职工教师开展活动送温暖关心生活经费组织学习竞赛培训慰问困难会员之家篮球比赛"))
MIXED = st.lists(st.one_of(CJK, st.sampled_from(["Hold", " the ", "union's", " trainings", "-", "QQ", "3D", "，", "\n", " "]),
                           st.text(max_size=2)), max_size=40).map("".join)


def check_every_view(model: TaskClassifier, texts: list[str]) -> None:
    views = [v for v in model._views if v.vocabulary]
    for view, index in zip(views, model._columns):
        source = texts if view.source == "text" else texts[::-1]
        expected = [reference_columns(view, t) for t in source]
        assert finder_columns(_ColumnFinder(), view, index, source) == expected, view.name
        plain = _ViewIndex(index.columns)  # the per-string path a vocabulary without codes takes
        assert finder_columns(_ColumnFinder(), view, plain, source) == expected, view.name


@SETTINGS
@given(st.lists(MIXED, min_size=1, max_size=6))
def test_every_view_finds_the_columns_of_its_analyzer(shipped, texts):
    check_every_view(shipped, texts)


def test_every_view_on_real_task_texts(shipped):
    from pathlib import Path

    from planparse.api import parse_file

    samples = Path(__file__).resolve().parents[1] / "corpora" / "samples"
    texts = [t.text for name in ("school_union_plan_2024.txt", "county_federation_plan_2022_en.txt")
             for plan in parse_file(samples / name).plans for t in plan.tasks]
    assert len(texts) > 20
    check_every_view(shipped, texts + texts[:3] + ["", "𠀀工会\ud800经费"])  # repeats, empty, astral and lone surrogate
    check_every_view(shipped, texts[:5] + ["工会\x00经费"])  # a NUL in a text: the one-cut path's separator


def test_rows_sharing_a_string_get_its_columns(shipped):
    texts = ["开展送温暖活动", "Hold a staff basketball game", "开展送温暖活动", ""]
    contexts = ["六、关心职工生活", "六、关心职工生活", "", "六、关心职工生活"]
    together = shipped.decision_function(texts, contexts)
    alone = np.vstack([shipped.decision_function([t], [c]) for t, c in zip(texts, contexts)])
    assert np.array_equal(together, alone)


def test_ngram_codes_fall_back_when_numbers_would_not_fit():
    from planparse.model import _NgramCodes

    terms = {chr(0x4E00 + k) * 2: k for k in range(5000)}  # 13 bits a character
    assert _NgramCodes.of(terms, 1, 4) is not None and _NgramCodes.of(terms, 1, 5) is None
    assert _NgramCodes.of({}, 1, 3) is None


def test_view_index_keeps_only_terms_an_ngram_can_be(shipped):
    char = next(v for v in shipped._views if v.kind == "cjk_char")
    index = _view_index(char, {"工会": 0, "ab": 1, "工会经费": 2, "会": 3})
    assert sorted(index.codes.columns.tolist()) == [0, 3]  # not Latin, not longer than ngram_max


@SETTINGS
@given(MIXED)
def test_jieba_blocks_are_the_runs_of_re_han(text):
    """``_jieba_columns`` cuts the ``re_han`` runs (``findall``): the blocks jieba's own
    ``cut`` hands to its segmenter (the pieces of ``re_han.split`` that match)."""
    from planparse.model import JIEBA_BLOCK as re_han

    assert re_han.findall(text) == [b for b in re_han.split(text) if b and re_han.match(b)]


@lru_cache(maxsize=1)
def _reference_jieba():
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@SETTINGS
@given(st.one_of(MIXED, st.lists(st.sampled_from(list("工会职工开展活动劳动竞赛教职工代表大会的和在年月日女三八节福利慰问困难")
                                                   + ["工会经费", "职工之家", "2024年", "a.b", "3%", "#", "&", "_"]),
                                  max_size=40).map("".join)))
def test_jieba_rs_words_equal_jiebas_on_mixed_text(text):
    """jieba-rs against jieba on arbitrary mixed text: the kept words (two CJK characters
    or more) are the same, in the same order."""
    from planparse.model import _CJK_RUN, _jieba_words

    expected = [w for w in _reference_jieba().lcut(text, HMM=False) if len(w) >= 2 and _CJK_RUN.fullmatch(w)]
    assert _jieba_words(text) == expected


_EN_PIECES = st.sampled_from(["union", "Union's", "don't", "U.S.", "e.g.", "3-5", "well-being", "members'", "(trade",
                              "unions)", "\"send", "warmth\"", "i.e.,", "etc.", ":)", "--", "...", "mid-March", "Mr.",
                              " ", "  ", "\n", "\t", "\r\n", "\x0c", "\x1e", "\x85", "\u2028", "\xa0", "\u3000"])


@SETTINGS
@given(st.lists(st.one_of(_EN_PIECES, st.text(alphabet="abcdefghijklmnopqrstuvwxyz'-.,;:()\"", max_size=6)),
                max_size=30).map("".join))
def test_english_words_chunk_by_chunk_equal_spacy_on_the_whole_text(text):
    """``_en_tokens`` cuts each whitespace-separated chunk on its own (cached per chunk):
    the same words as spaCy's tokenizer over the whole text."""
    from planparse.model import _en_tokens, _kept_words, _spacy_tokenizer

    text = text.lower()
    expected = _kept_words([tok.text for tok in _spacy_tokenizer()(text)]) if re.search("[a-z]", text) else ()
    assert _en_tokens(text) == expected


_PREFIXES = ["", "“", '"', "'", "(", "[", "‘", '("', "{"]
_CORES = ["union", "warm-up", "fulcrum—the", "a–b", "x-y—z", "well-being", "co-operate", "e-mail", "non-public", "etc", "cannot", "dont", "im", "mr",
          "us", "its", "it", "lets", "vs", "ca", "wo", "gonna", "ai", "sha", "17th", "20xx", "4am", "10pm", "2nd",
          "don't", "it's", "let's", "can't", "won't", "i'm", "we're", "they’ve", "o'clock", "a.m.", "p.m.", "e.g.",
          "i.e.", "u.s.", "rock'n'roll", "ma'am", "y'all", "workers'", "trade-union's", "s.t.", "x'y"]
_SUFFIXES = ["", ".", ",", "”", '"', "'", ")", ".)", "),", "”.", "?", "!", ";", ":", "...", "’", "]", "}", '".', "'s"]


def test_plain_chunks_take_spacys_words_without_spacy():
    """Chunks of every shape the fast path takes (quotes and brackets, hyphened words, a
    possessive, trailing punctuation, ordinals), special cases among them: the fast path
    gives spaCy's words or leaves the chunk to spaCy, and it takes the common shapes."""
    from itertools import product

    from planparse.model import _kept_words, _plain_chunk_words, _spacy_tokenizer

    tokenizer = _spacy_tokenizer()
    taken = 0
    for pre, core, possessive, suf in product(_PREFIXES, _CORES, ["", "'s", "’s"], _SUFFIXES):
        chunk = pre + core + possessive + suf
        words = _plain_chunk_words(chunk)
        if words is not None:
            taken += 1
            assert _kept_words(words) == _kept_words([t.text for t in tokenizer(chunk)]), chunk
    assert taken > 0.5 * len(_PREFIXES) * len(_CORES) * 3 * len(_SUFFIXES)
    assert _plain_chunk_words("union") == ["union"] and _plain_chunk_words("“warm-up”,") == ["warm", "up"]
    # a special case at the core is taken, one that a peeling could meet first is left to spaCy
    assert _plain_chunk_words("“don't,") == ["do", "n't"] and _plain_chunk_words("cannot") == ["can", "not"]
    assert _plain_chunk_words("a.m.)") == ["a.m."] and _plain_chunk_words("(vs.)") is None


def test_the_special_case_table_is_spacys():
    """data/en_special_cases.json is the fast path's list of what spaCy decides by itself:
    the lower-case special cases with a letter of the installed spaCy, and their tokens."""
    import spacy

    from planparse.tables import load_table

    tokenizer = spacy.blank("en").tokenizer
    expected = {k: [t.text for t in tokenizer(k)] for k in tokenizer.rules if k == k.lower() and any(c.isalpha() for c in k)}
    assert load_table("en_special_cases")["cases"] == expected


def test_an_english_plan_of_plain_words_is_classified_without_loading_spacy(tmp_path):
    """spaCy costs a process 0.9 s to load; a translated plan whose words are plain never
    needs it."""
    import subprocess
    import sys

    plan = tmp_path / "plan.txt"
    plan.write_text("2024 Trade Union Work Plan\nI. Main work\n1. Organize the “Workers' Pioneer” labor competition "
                    "for the 17th time.\n2. Carry out warm-up activities, condolences to retired workers.\n", encoding="utf-8")
    code = ("import sys; from planparse.api import parse_file; r = parse_file(sys.argv[1]); "
            "print(len(r.plans[0].tasks), r.plans[0].tasks[0].category, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "2" and out[1] == "labor_competition" and out[2] == "False"


def test_traditional_items_score_as_their_simplified_form(shipped):
    # The corpus is in simplified script; script is folded like case, before any feature.
    traditional = ["與公司進行年度團體協約協商,爭取調薪", "舉辦會員健康檢查及年度自強旅遊活動", "開辦勞動法令講座"]
    simplified = ["与公司进行年度团体协约协商,争取调薪", "举办会员健康检查及年度自强旅游活动", "开办劳动法令讲座"]
    contexts = ["（一）勞資協商", "（二）會員福利", ""]
    np.testing.assert_array_equal(shipped.predict_proba(traditional, contexts, [0, 0, 0]),
                                  shipped.predict_proba(simplified, ["（一）劳资协商", "（二）会员福利", ""], [0, 0, 0]))
