"""Traditional-script text is matched through its simplified form, never rewritten."""
from __future__ import annotations

import pytest

from planparse import parse_text
from planparse.sections import section_type
from planparse.simplify import to_simplified


@pytest.mark.parametrize(
    "traditional, simplified",
    [("工作計劃", "工作计划"), ("工作目標", "工作目标"), ("活動安排", "活动安排"), ("工會", "工会"), ("", "")],
)
def test_to_simplified(traditional, simplified):
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize(
    "heading, kind",
    [("工作目標", "objectives"), ("活動安排", "schedule"), ("指導思想", "guiding_ideology"), ("保障措施", "measures")],
)
def test_traditional_headings_are_typed(heading, kind):
    assert section_type(heading) == kind


def test_traditional_plan_keeps_its_own_characters():
    text = "福華紡織公司工會2024年工作計劃\n一、工作目標\n維護會員權益。\n二、活動安排\n三月:舉辦婦女節聯誼活動。\n五月:慶祝勞動節。"
    result = parse_text(text)
    plan = result.plans[0]
    assert plan.title == "福華紡織公司工會2024年工作計劃"
    assert plan.script == "traditional"
    assert [s.type for s in plan.sections if s.level == 1] == ["objectives", "schedule"]
    assert [item.months for item in plan.schedule] == [[3], [5]]
    assert plan.schedule[0].text == "舉辦婦女節聯誼活動"  # the text as written, not converted


def test_text_without_dictionary_keys_is_not_converted_and_comes_back_the_same(sample_text_lines):
    from planparse.simplify import _converter

    lines = [line for line in sample_text_lines if line.strip()]
    assert lines
    for line in lines:
        assert to_simplified(line) == _converter().convert(line)
