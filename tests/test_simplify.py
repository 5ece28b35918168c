"""Traditional-script text is matched through its simplified form, never rewritten."""
from __future__ import annotations

from pathlib import Path

import pytest

from planparse import parse_file, parse_text
from planparse.sections import section_type
from planparse.simplify import matching_text, to_simplified


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


# --- the matching twin: one simplified text per traditional document -------------------------

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"


def test_matching_text_of_a_simplified_page_is_the_text_itself():
    text = "学校工会2024年工作计划\n一、指导思想\n开展工会活动。"
    assert matching_text(text) is text


def test_matching_text_of_a_traditional_page_keeps_every_offset():
    text = "學校工會2024年工作計劃\n一、指導思想\n開展工會活動,年終總結。"
    twin = matching_text(text)
    assert twin == "学校工会2024年工作计划\n一、指导思想\n开展工会活动,年终总结。"
    assert len(twin) == len(text)


def test_matching_text_keeps_a_line_whose_conversion_would_change_its_length(monkeypatch):
    # OpenCC's t2s tables map every key to a value of its own length today; a table that
    # did not must not shift the offsets of the lines after it.
    import planparse.simplify as simplify

    real = simplify.to_simplified
    monkeypatch.setattr(simplify, "to_simplified", lambda s: real(s).replace("计划", "计画书"))
    text = "學校工會工作計劃\n一、指導思想\n開展會員活動。"
    twin = simplify.matching_text(text)
    assert twin.split("\n") == ["學校工會工作計劃", "一、指导思想", "开展会员活动。"]


def _shape(result):
    """What a plan says, not how it is written: types, categories, months, units."""
    return [
        (p.doc_type, p.org_type, p.year, [(s.type, s.level) for s in p.sections],
         [(t.category, t.secondary_categories, t.confidence, t.months) for t in p.tasks],
         [(i.category, i.months) for i in p.schedule], [(x.quantity, x.unit) for x in p.targets])
        for p in result.plans
    ]


def test_a_traditional_plan_reads_as_its_simplified_twin():
    """The Big5 sample and its simplified conversion give the same plan: section types, task
    categories and confidences (the classifier), org type, task months (年終) and targets."""
    traditional = parse_file(SAMPLES / "company_union_plan_2024_big5.txt")
    simplified = parse_text(to_simplified(traditional.text))
    assert traditional.plans[0].script == "traditional"
    assert _shape(traditional) == _shape(simplified)
    plan = traditional.plans[0]
    assert plan.org_type == "enterprise"
    assert "other" not in [t.category for t in plan.tasks[:2]]  # 勞資協商 items: cue words in traditional script
    year_end = next(t for t in plan.tasks if "年終" in t.text)
    assert year_end.months == [12]


def test_keys_that_map_to_themselves_do_not_send_a_text_to_the_converter():
    # 覆 and 有序 are OpenCC keys mapped to themselves: such a text is returned as it is
    # (the same object), not rebuilt by the converter.
    text = "全面覆盖,有序推进"
    assert to_simplified(text) is text
    assert to_simplified("覆蓋") == "覆盖"
