"""regex_gate: a gated pattern finds exactly what the plain pattern finds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planparse.regex_gate import (
    first_char_test,
    first_chars,
    fold_for_filters,
    gated,
    is_local,
    last_char_test,
    literal_filter,
    rare_chars,
    starts_anchored,
)
from planparse.tables import load_table

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def _table_patterns() -> list[tuple[str, int]]:
    """The searched patterns of the data tables that planparse compiles through ``gated``."""
    out: list[tuple[str, int]] = []
    boilerplate = load_table("boilerplate")
    for key in ("lines", "fragments", "sentences"):
        out += [(rule["pattern"], re.I) for rule in boilerplate[key]]
    orgs = load_table("orgs")
    for group in ("issuer", "body"):
        out += [("|".join(sorted(words, key=len, reverse=True)), re.I) for _, words in orgs[group]]
    for rule in load_table("sections")["rules"]:
        cues = rule["zh"] + [r"\b" + c + r"\b" if not c.startswith("^") and not c.endswith("$") else c for c in rule["en"]]
        out.append(("|".join(f"(?:{c})" for c in cues), re.I))
    return out


PATTERNS = _table_patterns()


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_gated_table_patterns_match_the_same_on_real_text(pattern, flags, sample_text_lines):
    plain, fast = re.compile(pattern, flags), gated(pattern, flags)
    lines = list(sample_text_lines)
    assert lines
    for line in lines:
        assert spans(fast, line) == spans(plain, line)


def test_gate_only_where_the_engine_cannot_skip_ahead_itself():
    assert gated("teacher|教师", re.I).pattern.startswith("(?=")  # cased letters under re.I
    assert gated("(?<!社)区工会|县工会").pattern.startswith("(?=")  # a look-behind first
    assert gated("教师|学校", re.I).pattern == "教师|学校"  # uncased: the engine has a charset
    assert gated("abc|de").pattern == "abc|de"
    assert sum(gated(p, f).pattern.startswith("(?=") for p, f in PATTERNS) >= 10


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        ("abc|de", 0, "ad"),
        ("(?:abc|de)", re.I, "ADad"),
        ("(?<!x)ab|cd", 0, "ac"),
        (r"\bplan\b", re.I, "Pp"),
        ("_{6,}", 0, "_"),
        ("[ab]c|d", 0, "abd"),
        ("a?b", 0, None),  # may start with b: not read off
        (".x", 0, None),
        ("(?=a)a", 0, None),  # a look-ahead is not skipped
        ("a|", 0, None),  # an empty alternative matches anywhere
        ("[^a]", 0, None),
    ],
)
def test_first_chars(pattern, flags, expected):
    assert first_chars(pattern, flags) == expected


def test_anchored_patterns_are_left_alone():
    # `^...` is tried at the start only already; a look-ahead in front would undo that.
    assert gated("^(首页|home)", re.I).pattern == "^(首页|home)"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aAbBkK\u212aſsS_xéİi工会教师 \n", max_size=40))
def test_gated_case_folding_is_exact(text):
    for pattern in (r"(?:kelvin|school|工会|_{2,})", r"\bbase|(?<!x)ab", "教师|e"):
        plain, fast = re.compile(pattern, re.I), gated(pattern, re.I)
        assert spans(fast, text) == spans(plain, text)


@pytest.mark.parametrize(
    ("pattern", "local"),
    [("abc", True), ("a|b", True), ("[a-z]{2,}", True), ("(?i:ab)", True),
     ("^a", False), (r"a\b", False), ("(?<!x)a", False), (r"(a)\1", False), ("x(?=y)", False), ("(a|(b|^c))", False)],
)
def test_is_local(pattern, local):
    assert is_local(pattern) is local


def test_starts_anchored():
    assert starts_anchored("^(a|b)") and not starts_anchored("^a|b") and not starts_anchored("a^")


@pytest.mark.parametrize(
    ("pattern", "flags", "yes", "no"),
    [
        (r"(?P<n>\d{1,2})\s*、", 0, "3٣", "a、"),
        (r"(?<!第)(?P<n>[一二三]{1,3})、", 0, "一", "第"),
        (r"(?P<n>(?=[IVX])X?(?:IX|IV|V?I{0,3}))\.", 0, "IVX", "iL"),
        (r"[\u2460-\u2473]", 0, "①⑳", "1"),
    ],
)
def test_first_char_test(pattern, flags, yes, no):
    test = first_char_test(pattern, flags)
    assert all(test.match(c) for c in yes) and not any(test.match(c) for c in no)


def test_first_char_test_leaves_case_folding_and_open_starts_alone():
    assert first_char_test("first|second", re.I) is None
    assert first_char_test(r"\s*a") is None and first_char_test("[^a]b") is None


def test_odd_patterns_compile_as_they_are():
    assert gated("(?i)abc|de").pattern == "(?i)abc|de"  # a global flag must stay first
    assert not is_local(r"(?>a\b)") and is_local("(?>ab)")


def _filtered_patterns() -> list[tuple[str, int]]:
    from planparse import months
    from planparse.numbering import schemes

    out = list(PATTERNS)
    out += [(f[0].pattern, f[0].flags) for group in months._filtered_patterns() for f in group]
    out += [(s.pattern.pattern, s.pattern.flags) for s in schemes()]
    return out


@pytest.mark.parametrize(("pattern", "flags"), _filtered_patterns())
def test_literal_filter_never_rules_out_a_match(pattern, flags, sample_text_lines):
    needles = literal_filter(pattern, flags)
    if needles is None:
        return
    compiled = re.compile(pattern, flags)
    for line in list(sample_text_lines) + [line.upper() for line in sample_text_lines]:
        if not needles.may_match(line, fold_for_filters(line)):
            assert compiled.search(line) is None, (pattern, line)


def test_literal_filter_reads_literals_classes_and_case():
    assert literal_filter(r"第(?P<n>[一二三]+)章").may_match("第二章", None)
    assert not literal_filter(r"第(?P<n>[一二三]+)章").may_match("第二节", None)
    folded = literal_filter(r"(?i:quarter)s?")
    assert folded.may_match("QUARTERS", fold_for_filters("QUARTERS"))
    assert not folded.may_match("a half", fold_for_filters("a half"))
    assert folded.may_match("x", None)  # a text with a folding trap: folded needles not trusted
    assert not literal_filter(r"\d+\.").may_match("1 2 3", None)
    assert literal_filter(r".*|x?") is None  # nothing sure to occur


@given(st.text(alphabet="iIsSkKİıſKa1 ", max_size=12))
@settings(max_examples=300, deadline=None)
def test_case_folded_needles_agree_with_the_engine(text):
    needles = literal_filter("ski|kiss", re.I)
    if not needles.may_match(text, fold_for_filters(text)):
        assert re.search("ski|kiss", text, re.I) is None


def test_last_char_test_reads_the_end_of_end_anchored_patterns():
    assert last_char_test(r"[A-Z]{1,2}\d{3,5}\s*$").match("7")
    assert not last_char_test(r"[A-Z]{1,2}\d{3,5}\s*$").match("x")
    assert last_char_test(r"(kb|mb)$") is None  # a group last: not read off
    assert last_char_test(r"(?m)a$") is None  # `$` before every line break
    assert last_char_test(r"a\s+$") is None  # whitespace last
    assert last_char_test(r"abc") is None  # not anchored at the end


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_last_char_test_never_rules_out_a_match(pattern, flags, sample_text_lines):
    test = last_char_test(pattern, flags)
    if test is None:
        return
    compiled = re.compile(pattern, flags)
    for line in sample_text_lines:
        if not test.match(line.rstrip()[-1:]):
            assert compiled.search(line) is None, (pattern, line)


def test_rare_characters_spare_scans_but_rule_out_only_what_cannot_occur():
    needles = literal_filter("(工作计划|工作总结)")
    english = "An English plan with \u201ccurly\u201d quotes, " * 50
    assert rare_chars(english) == frozenset("\u201c\u201d")
    assert not needles.may_match(english, fold_for_filters(english), rare_chars(english))
    mixed = english + "工作计划"
    assert needles.may_match(mixed, fold_for_filters(mixed), rare_chars(mixed))
    assert rare_chars("工作" * 5000) is None  # many: not collected
    assert rare_chars("plain ascii") == frozenset()


def test_gate_from_a_narrow_first_class_behind_a_look_behind():
    number = r"(?<![\w.])(?:\d+|one|two)(?![\w])"
    compiled = gated(number, re.I)
    assert compiled.pattern.startswith("(?=[")  # \d and the words' initials
    text = "Hold Two meetings, 3 trainings and one review; stone 4x no"
    assert [m.group() for m in compiled.finditer(text)] == [m.group() for m in re.finditer(number, text, re.I)]
    assert gated(r"(?<!x)\w+y", 0).pattern == r"(?<!x)\w+y"  # \w holds too much to gate by


def test_any_of_matches_where_one_of_the_patterns_does():
    from planparse.regex_gate import any_of

    joined = any_of([r"^第\d+页$", r"^(?:客服|QQ)"], re.I)
    assert joined.match("第3页") and joined.match("qq群") and not joined.match("工作计划")
    assert any_of([r"^(a)\1", r"^b"], 0) is None  # joining would renumber the back-reference
    assert any_of([], 0) is None


@pytest.mark.parametrize(("pattern", "start_only"), [
    (r"^第\d+页$", True), (r"^首页\s*>", True), (r"第\d+页", False),  # not anchored: scans the line
    (r"^[^|]{3,80}\|", False), (r"^(?!.*计划).*上传", False),
    (r"^.{0,4}客服", False),  # any run of a wide class counts as a scan (the safe side)
])
def test_scans_from_start_only(pattern, start_only):
    from planparse.regex_gate import scans_from_start_only

    assert scans_from_start_only(pattern, re.I) is start_only
