"""tasks (CONTRACT §4): the finest enumerated items of task-like sections, with their
numbering path; topical headings without items are one task; generic headings and
schedule items are not tasks; task text is the text its span names."""
from __future__ import annotations

import pytest

from planparse.api import parse_text
from planparse.records import ParseResult, Plan


def parse_one(text: str) -> tuple[ParseResult, Plan]:
    result = parse_text(text)
    assert len(result.plans) == 1, [p.title for p in result.plans]
    return result, result.plans[0]


def check_spans(result: ParseResult) -> None:
    for plan in result.plans:
        ids = [t.task_id for t in plan.tasks]
        assert ids == [f"t{i}" for i in range(1, len(ids) + 1)]
        sections = {s.section_id: s for s in plan.sections}
        for task in plan.tasks:
            assert task.text == result.text[task.span[0] : task.span[1]]
            assert task.text == task.text.strip() and task.text
            section = sections[task.section_id]
            assert section.span[0] <= task.span[0] < task.span[1] <= section.span[1]


NESTED = """阳光小学工会2024年工作计划
一、指导思想
以党的二十大精神为指导，全心全意依靠教职工办好学校。
二、主要工作
（一）加强民主管理
1、召开第五届教代会第三次会议，审议学校工作报告。
2、坚持校务公开，听取教职工意见。
3、做好教代会提案的征集和落实工作。
（二）关心职工生活
1、开展送温暖活动，慰问困难教职工。
2、组织教职工健康体检。
三、保障措施
1、加强领导，明确分工。
2、落实经费，保障活动开展。"""


def test_finest_items_become_tasks_with_paths():
    result, plan = parse_one(NESTED)
    assert [(t.path, t.text) for t in plan.tasks] == [
        (["二", "(一)", "1"], "召开第五届教代会第三次会议,审议学校工作报告。"),
        (["二", "(一)", "2"], "坚持校务公开,听取教职工意见。"),
        (["二", "(一)", "3"], "做好教代会提案的征集和落实工作。"),
        (["二", "(二)", "1"], "开展送温暖活动,慰问困难教职工。"),
        (["二", "(二)", "2"], "组织教职工健康体检。"),
        (["三", "1"], "加强领导,明确分工。"),
        (["三", "2"], "落实经费,保障活动开展。"),
    ]
    check_spans(result)


def test_tasks_point_at_their_deepest_section():
    _, plan = parse_one(NESTED)
    by_id = {s.section_id: s for s in plan.sections}
    assert [by_id[t.section_id].heading for t in plan.tasks] == ["加强民主管理"] * 3 + ["关心职工生活"] * 2 + ["保障措施"] * 2


def test_ancestors_are_not_tasks():
    _, plan = parse_one(NESTED)
    texts = [t.text for t in plan.tasks]
    assert not any(t.startswith(("加强民主管理", "关心职工生活", "主要工作")) for t in texts)


def test_topical_heading_without_items_is_one_task():
    result, plan = parse_one(
        "阳光小学工会2024年工作计划\n一、指导思想\n以党的二十大精神为指导。\n二、加强师德建设\n组织教职工学习师德规范，开展师德标兵评选活动。\n"
        "三、关心职工生活\n1、开展送温暖活动。\n2、组织教职工体检。"
    )
    first = plan.tasks[0]
    assert first.path == ["二"]
    assert first.text.startswith("加强师德建设")
    assert first.text.endswith("开展师德标兵评选活动。")
    assert [t.path for t in plan.tasks[1:]] == [["三", "1"], ["三", "2"]]
    check_spans(result)


@pytest.mark.parametrize("heading", ["指导思想", "目标要求", "工作目标", "总体要求", "保障措施"])
def test_generic_heading_paragraph_is_not_a_task(heading):
    result, plan = parse_one(
        f"阳光小学工会2024年工作计划\n一、{heading}\n以党的二十大精神为指导,团结动员广大教职工。\n二、主要工作\n1、召开教代会。\n2、开展送温暖活动。"
    )
    assert [t.path for t in plan.tasks] == [["二", "1"], ["二", "2"]]
    assert not any("团结动员" in t.text for t in plan.tasks)


def test_items_under_objectives_and_measures_are_tasks():
    _, plan = parse_one(
        "阳光小学工会2024年工作计划\n一、工作目标\n1、争创市级模范职工之家。\n2、教职工体检率达到100%。\n二、保障措施\n1、加强领导。\n2、落实经费。"
    )
    assert [t.path for t in plan.tasks] == [["一", "1"], ["一", "2"], ["二", "1"], ["二", "2"]]


def test_schedule_items_are_not_tasks():
    _, plan = parse_one(
        "阳光小学工会2024年工作计划\n一、主要工作\n1、召开教代会。\n2、开展送温暖活动。\n二、月份工作安排\n"
        "1、三月份：召开教代会；举办三八节联谊活动。\n2、九月份：庆祝教师节。"
    )
    assert [t.path for t in plan.tasks] == [["一", "1"], ["一", "2"]]
    assert len(plan.schedule) >= 3


def test_inline_items_are_tasks():
    result, plan = parse_one(
        "阳光小学工会2024年工作计划\n一、加强民主管理1、坚持教代会制度，审议学校重大事项。2、推进校务公开。\n"
        "二、关心职工生活。一是开展送温暖活动；二是组织教职工体检；三是慰问退休教师。"
    )
    assert [(t.path, t.text) for t in plan.tasks] == [
        (["一", "1"], "坚持教代会制度,审议学校重大事项。"),
        (["一", "2"], "推进校务公开。"),
        (["二", "一"], "开展送温暖活动;"),
        (["二", "二"], "组织教职工体检;"),
        (["二", "三"], "慰问退休教师。"),
    ]
    check_spans(result)


def test_item_runs_on_over_plain_paragraphs():
    _, plan = parse_one(
        "阳光小学工会2024年工作计划\n一、主要工作\n1、开展读书活动。\n每位教师每学期读一本教育专著。\n2、组织体检。"
    )
    assert plan.tasks[0].text == "开展读书活动。\n每位教师每学期读一本教育专著。"


def test_english_tasks():
    result, plan = parse_one(
        "Sunshine School Trade Union Work Plan\nFirst, the guiding ideology: we will serve the teachers.\n"
        "Second, the main work\n1. Hold the teachers' congress. 2. Carry out the activity of sending warmth.\n"
        "Third, strengthen the construction of teachers' ethics: organize study of the code of conduct."
    )
    assert [(t.path, t.text) for t in plan.tasks] == [
        (["Second", "1"], "Hold the teachers' congress."),
        (["Second", "2"], "Carry out the activity of sending warmth."),
        (["Third"], "strengthen the construction of teachers' ethics: organize study of the code of conduct."),
    ]
    check_spans(result)


def test_task_months_are_the_months_it_names():
    _, plan = parse_one("阳光小学工会2024年工作计划\n一、主要工作\n1、三月份召开教代会。\n2、开展送温暖活动。")
    assert plan.tasks[0].months == [3]
    assert plan.tasks[1].months == []


def test_tasks_are_classified():
    _, plan = parse_one(NESTED)
    cats = [t.category for t in plan.tasks]
    assert cats[0] == "democratic_management"
    assert cats[3] == "welfare_and_care"
    for task in plan.tasks:
        assert 0.0 <= task.confidence <= 1.0
        assert task.category not in task.secondary_categories


def test_a_first_item_typed_with_a_dot_is_a_sibling_of_the_items_typed_with_a_comma():
    # 1. then 2、 3、: one list typed two ways, not item 1 with 2 and 3 beneath it
    result, plan = parse_one("学校工会工作计划\n一、主要工作\n1.组织教职工学习党的二十大精神。\n"
                             "2、开展师德师风建设活动。\n3、举办教职工运动会。")
    assert [t.path for t in plan.tasks] == [["一", "1"], ["一", "2"], ["一", "3"]]
    assert [(s.level, s.heading) for s in plan.sections] == [(1, "主要工作")]  # no section for item 1
    check_spans(result)


EVENT_FORM = """工会三八节活动方案
一、活动时间:3月8日下午
二、地点:学校体育馆
三、主持人:
四、参加人员:全体女教职工
五、活动内容
1、活动地点:学院体育馆
2、参加人数:102人,原则上每分会10人
3、开展趣味运动比赛,设置拔河、跳绳项目。
4、组织女职工健康讲座。
六、Host: Office"""


def test_the_fields_of_an_event_form_are_no_tasks():
    result, plan = parse_one(EVENT_FORM)
    assert [s.type for s in plan.sections] == ["other"] * 4 + ["tasks", "other"]
    assert [t.text for t in plan.tasks] == ["开展趣味运动比赛,设置拔河、跳绳项目。", "组织女职工健康讲座。"]
    check_spans(result)


def test_yi_shi_items_may_take_a_comma():
    # 一是,… 二是,…: the comma after 是 is part of the token, not of the task
    result, plan = parse_one("学校工会工作计划\n一、主要工作\n今年重点做好三项工作:一是,加强师德建设,开展师德演讲比赛;"
                             "二是,召开教代会,审议学校工作报告;三是,开展送温暖活动。")
    assert [t.text for t in plan.tasks] == ["加强师德建设,开展师德演讲比赛;", "召开教代会,审议学校工作报告;", "开展送温暖活动。"]
    check_spans(result)
