"""numbering: the token schemes of data/numbering.json and their ordinal values."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.normalize import nfkc
from planparse.numbering import cn_number, family, inline_candidates, match_at, needs_sequence, roman_number


@pytest.mark.parametrize(
    "line, scheme, token, value, rest",
    [
        ("一、指导思想", "cn_dun", "一", 1, "指导思想"),
        ("十二、其他工作", "cn_dun", "十二", 12, "其他工作"),
        ("二.加强学习", "cn_dun", "二", 2, "加强学习"),
        ("（一）加强民主管理", "cn_paren", "(一)", 1, "加强民主管理"),
        ("( 三 )关心职工生活", "cn_paren", "( 三 )", 3, "关心职工生活"),
        ("1、召开教代会", "digit_dun", "1", 1, "召开教代会"),
        ("１０、做好总结", "digit_dun", "10", 10, "做好总结"),
        ("4、2023年教职工气排球比赛", "digit_dun", "4", 4, "2023年教职工气排球比赛"),  # a year after the number
        ("1。建立健全工会工作制度;", "digit_dot", "1", 1, "建立健全工会工作制度;"),  # a full stop for the dot
        ("1.召开教代会", "digit_dot", "1", 1, "召开教代会"),
        ("3. Hold the congress", "digit_dot", "3", 3, "Hold the congress"),
        ("（1）开展读书活动", "digit_paren", "(1)", 1, "开展读书活动"),
        ("(12)开展读书活动", "digit_paren", "(12)", 12, "开展读书活动"),
        ("2）开展读书活动", "digit_half", "2", 2, "开展读书活动"),
        ("①组织政治学习", "circled", "①", 1, "组织政治学习"),
        ("⑫组织政治学习", "circled", "⑫", 12, "组织政治学习"),
        ("1.1 加强师德建设", "decimal", "1.1", 1, "加强师德建设"),
        ("2.3.4 加强师德建设", "decimal", "2.3.4", 4, "加强师德建设"),
        ("第一，加强领导", "di", "一", 1, "加强领导"),
        ("第三、落实经费", "di", "三", 3, "落实经费"),
        ("一是加强学习", "shi", "一", 1, "加强学习"),
        ("三是慰问退休教师", "shi", "三", 3, "慰问退休教师"),
        ("第二章 工作任务", "chapter", "二", 2, "工作任务"),
        ("第五条 工会经费", "article", "五", 5, "工会经费"),
        ("First, the guiding ideology", "en_ordinal", "First", 1, "the guiding ideology"),
        ("Firstly, we will study", "en_ordinal", "First", 1, "we will study"),
        ("Second: the main work", "en_ordinal", "Second", 2, "the main work"),
        ("twelfth, other work", "en_ordinal", "twelfth", 12, "other work"),
        ("One, adhere to development first", "en_cardinal", "One", 1, "adhere to development first"),  # MT of 一、
        ("Three. Activities:", "en_cardinal", "Three", 3, "Activities:"),  # MT of 三、 beside First, Second
        ("Two is to strengthen the union", "en_shi", "Two", 2, "strengthen the union"),  # MT of 二是
        ("The second is exchange seminars", "en_the_nth_is", "second", 2, "exchange seminars"),  # MT of 二是
        ("I. Guiding ideology", "roman", "I", 1, "Guiding ideology"),
        ("IV. Safeguard measures", "roman", "IV", 4, "Safeguard measures"),
        ("IX. Other", "roman", "IX", 9, "Other"),
        ("3, Carry out activities", "digit_comma", "3", 3, "Carry out activities"),
    ],
)
def test_tokens_read_with_their_values(line, scheme, token, value, rest):
    text = nfkc(line)
    tok = match_at(text, 0)
    assert tok is not None, line
    assert (tok.scheme, tok.token, tok.value) == (scheme, nfkc(token), value)
    assert tok.start == 0
    assert text[tok.end :] == nfkc(rest)


@pytest.mark.parametrize(
    "line",
    [
        "2024年工会工作计划",  # a year is no item number
        "选出1. 5名代表",
        "1、",  # a token with nothing after it is no item
        "工会工作计划",
        "一年来,工会做了大量工作",  # 一 without its punctuation
        "Hold the congress",
        "Invite the experts",  # a word starting with I is no roman numeral
        "1.5万元经费",
        "三.八妇女节慰问女职工",  # a festival date written with a dot
        "五.一劳动节",
        "One of the key tasks is training",
        "One, Two, Three",
        "3、5年内完成",  # 3 or 5 years
        "Three. the rest",  # a period and a small letter: a sentence cut short, no heading
    ],
)
def test_no_token(line):
    assert match_at(nfkc(line), 0) is None


def test_match_at_respects_position_and_end():
    text = "工作:二、主要工作"
    assert match_at(text, 0) is None
    tok = match_at(text, 3)
    assert (tok.token, tok.value, tok.start) == ("二", 2, 3)
    assert match_at(text, 3, 5) is None  # nothing after the token inside [pos, end)


@pytest.mark.parametrize(
    "text, value",
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十一", 21), ("一百", 100), ("一百零五", 105), ("", None), ("甲", None)],
)
def test_cn_number(text, value):
    assert cn_number(text) == value


@pytest.mark.parametrize("text, value", [("I", 1), ("iv", 4), ("VI", 6), ("IX", 9), ("XII", 12), ("XIV", 14), ("ABC", None)])
def test_roman_number(text, value):
    assert roman_number(text) == value


def test_scheme_properties():
    assert needs_sequence("shi") is True
    assert needs_sequence("cn_dun") is False
    # Machine translation renders 一、 as both "First," and "I.": one family, one level.
    assert family("en_ordinal") == family("roman") == family("en_cardinal")
    assert family("cn_dun") == "cn_dun"


def test_inline_candidates_find_items_inside_a_paragraph():
    text = "三、加强民主管理1、坚持教代会制度。2、推进校务公开。"
    tokens = inline_candidates(text, 2, len(text))
    assert [(t.scheme, t.value) for t in tokens] == [("digit_dun", 1), ("digit_dun", 2)]
    assert text[tokens[0].end :].startswith("坚持教代会制度")


def test_inline_candidates_shi_sequence():
    text = "关心职工生活。一是开展送温暖活动;二是组织教职工体检;三是慰问退休教师。"
    assert [(t.scheme, t.value) for t in inline_candidates(text, 0, len(text))] == [("shi", 1), ("shi", 2), ("shi", 3)]


def test_inline_candidates_english_ordinals():
    text = "First, study the theory. Second, hold the congress; Third, visit the needy."
    assert [(t.token, t.value) for t in inline_candidates(text, 0, len(text))] == [("Second", 2), ("Third", 3)]


def test_inline_candidates_english_ordinal_after_and():
    text = "First, study the theory. Second, hold the congress, and third, visit the needy."
    assert [(t.token, t.value) for t in inline_candidates(text, 0, len(text))] == [("Second", 2), ("third", 3)]


def test_inline_candidates_skip_numbers_inside_words():
    text = "本学期计划选出1. 5名代表,经费1.5万元。"
    assert inline_candidates(text, 0, len(text)) == []


def _match_at_every_scheme(text, pos, end):
    """match_at without the first-character dispatch: every scheme, in table order."""
    from planparse.numbering import _token, schemes

    for scheme in schemes():
        match = scheme.pattern.match(text, pos, end)
        if match and match.end() < end:
            token = _token(scheme, match)
            if token is not None:
                return token
    return None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="一二三十第章条、.,:()（）1234567890①❶⓵IVXivFirstSecondly 是年月工\n", min_size=1, max_size=14), st.data())
def test_first_character_dispatch_is_exact(text, data):
    from planparse.numbering import match_at

    pos = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(pos, len(text)))
    assert match_at(text, pos, end) == _match_at_every_scheme(text, pos, end)


def test_first_character_dispatch_on_sample_lines():
    from pathlib import Path

    from planparse.numbering import match_at

    lines = []
    for path in sorted((Path(__file__).resolve().parents[1] / "corpora" / "samples").glob("*.txt")):
        try:
            lines += path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
    assert len(lines) > 50
    for line in lines:
        for pos in range(min(len(line), 6)):
            assert match_at(line, pos, len(line)) == _match_at_every_scheme(line, pos, len(line))
