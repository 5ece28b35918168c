"""targets: quantified commitments in task texts (table-driven, both languages), what is
not a quantity, Target records in the pipeline; and the months a task names."""
from __future__ import annotations

import unicodedata

import pytest

from planparse import parse_text
from planparse.months import months_in
from planparse.targets import find_quantities

# (text, [(quantity, unit, quantity_max), ...]) — the team's own wording in the style of real plans.
POSITIVE = [
    # spelled-out English numbers are read whole (targets.json scale_words), not in pieces
    ("Trade unions at all levels in the city six thousand six hundred and sixty Front-line staff",
     [(6660, "staff", None)]),
    ("recuperation two hundred and sixty People", [(260, "People", None)]),
    ("recruit twenty-five thousand new members", [(25000, "members", None)]),
    ("organize one hundred and twenty trainings", [(120, "trainings", None)]),
    ("two hundred and the rest of the members", []),  # `and` joins a number only
    # the phrasings
    ("帮助196个贫困生完成学业", [(196, "个", None)]),
    ("教职工集体学习的时间每星期不少于二小时", [(2, "小时", None)]),
    ("教职工参与面要达到80%以上", [(80, "%", None)]),
    ("全年组织1—2期青年教师培训", [(1, "期", 2)]),
    ("从中选优秀论文2-3篇送区里参评", [(2, "篇", 3)]),
    ("This year the union plans to hold three large-scale trainings", [(3, "trainings", None)]),
    ("There should be at least one faculty meeting every semester", [(1, "meeting", None)]),
    # Chinese
    ("全年走访慰问困难职工30余人", [(30, "人", None)]),
    ("新发展会员100人,入会率达到95%", [(100, "人", None), (95, "%", None)]),
    ("每学期至少召开一次教代会", [(1, "次", None)]),
    ("每位教师每学期精读教育专著不少于2本", [(2, "本", None)]),
    ("举办两期女职工健身操培训班", [(2, "期", None)]),
    ("组织三到五场文艺演出", [(3, "场", 5)]),
    ("开展两三次读书交流活动", [(2, "次", 3)]),
    ("向区教育工会报送信息不少于10篇", [(10, "篇", None)]),
    ("培训职工400人次", [(400, "人次", None)]),
    ("为职工办实事不少于5件", [(5, "件", None)]),
    ("百分之九十以上的教职工参加健康体检", [(90, "%", None)]),
    ("评选先进科室6个、优秀工会积极分子20名", [(6, "个", None), (20, "名", None)]),
    ("全年组织岗位技能培训12期,参训职工超过1,200人", [(12, "期", None), (1200, "人", None)]),
    ("筹集帮扶资金5万元", [(5, "万元", None)]),
    ("职工疗休养每人每年3天", [(3, "天", None)]),
    ("每季度召開一次勞資協商會議", [(1, "次", None)]),
    ("青年教师每人每学期上公开课1-2节", [(1, "节", 2)]),
    ("培训时间不少于十二个学时", [(12, "个学时", None)]),
    ("在基层工会中建设两个先进职工小家", [(2, "个", None)]),
    ("撰写读书笔记1万字", [(1, "万字", None)]),
    # English
    ("Recruit 50 new members and visit 30 retired teachers", [(50, "members", None), (30, "teachers", None)]),
    ("The participation rate should reach 95 percent", [(95, "percent", None)]),
    ("Organize 2-3 lectures on labor law for the staff", [(2, "lectures", 3)]),
    ("Each member reads no less than two books per semester", [(2, "books", None)]),
    ("Hold two to three skills competitions in the second half of the year", [(2, "competitions", 3)]),
    ("Help at least 20 needy families with a total value of more than 10,000 yuan", [(20, "families", None), (10000, "yuan", None)]),
    ("Select 10 county-level model workers", [(10, "workers", None)]),
    ("Set up twenty-five employee reading corners", [(25, "corners", None)]),
    ("Ensure that 98% of employees sign labor contracts", [(98, "%", None)]),
    ("考核满分为十分。", [(10, "分", None)]),  # 十分 at a clause's end is a count
    ("每次讲座十分钟", [(10, "分钟", None)]),
]

NEGATIVE = [
    "以十六届四中全会精神和“三个代表”重要思想为指导",
    "认真学习贯彻党的十九大和十九届三中全会精神",
    "于2020年12月26日左右召开教代会",
    "第一,加强组织建设;第二,做好宣传工作",
    "三八节期间开展庆祝活动,五一前后组织踢毽子比赛",
    "本学期结束前召开七届三次教代会",
    "树牢四个意识,坚定四个自信,做到两个维护",
    "严格落实中央八项规定精神",
    "建设一个温馨和谐的职工之家",
    "统一组织,进一步完善制度",
    "十三五期间,国庆十一期间,建校70周年",
    "二、工作要点",
    "学校工会工作计划范文八篇",
    "这项工作十分重要,天气十分寒冷,万分感谢",  # 十分/万分 before a word: "very"
    "In 2021, the union will strengthen its own construction.",
    "Study the Three Represents and the spirit of the 19th National Congress.",
    "Hold a sports meeting on March 8 and one of the games for everyone.",
    "Carry out the four no harm activities",
    "These two jobs are closely linked",
    "Implement the 2021-2022 school year plan",
]


def _triples(text: str) -> list[tuple]:
    return [(q.quantity, q.unit, q.quantity_max) for q in find_quantities(unicodedata.normalize("NFKC", text))]


@pytest.mark.parametrize("text, expected", POSITIVE, ids=[t for t, _ in POSITIVE])
def test_quantities(text, expected):
    assert _triples(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_quantities(text):
    assert _triples(text) == []


def test_table_is_large_enough():
    assert len(POSITIVE) + len(NEGATIVE) >= 30
    assert sum(1 for t, _ in POSITIVE if t.isascii()) >= 10


def test_phrase_and_offsets():
    text = "学校工会今年要帮助196个贫困生,并组织1—2期培训"
    found = find_quantities(text)
    assert [q.text for q in found] == ["学校工会今年要帮助196个贫困生", "并组织1—2期培训"[1:]]
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.start <= q.number_start < q.end
    en = "Hold three large-scale trainings, and at least one faculty meeting every semester."
    assert [q.text for q in find_quantities(en)] == ["Hold three large-scale trainings", "at least one faculty meeting every semester"]


def test_integral_quantities_are_ints():
    (q,) = find_quantities("帮助196个贫困生")
    assert q.quantity == 196 and isinstance(q.quantity, int)
    (q,) = find_quantities("降低0.5个百分点")
    assert q.quantity == 0.5 and q.unit == "个百分点"


PLAN = """某某中学工会2024年工作计划
一、主要工作
1、关心困难职工,全年帮助196个贫困生。
2、加强学习,每星期不少于二小时,参与面要达到80%以上。
3、做好年度总结。
二、活动安排
三月份:组织1—2期培训
"""


def test_pipeline_adds_targets_linked_to_tasks():
    result = parse_text(PLAN)
    (plan,) = result.plans
    by_id = {t.task_id: t for t in plan.tasks}
    got = [(t.quantity, t.unit, t.task_id) for t in plan.targets]
    assert got == [(196, "个", plan.tasks[0].task_id), (2, "小时", plan.tasks[1].task_id), (80, "%", plan.tasks[1].task_id)]
    for target in plan.targets:
        assert target.span is not None
        assert result.text[target.span[0] : target.span[1]] == target.text
        task = by_id[target.task_id]
        assert task.span[0] <= target.span[0] < target.span[1] <= task.span[1]
        assert target.text in task.text
    assert plan.to_dict()["targets"][0] == {"text": "全年帮助196个贫困生", "quantity": 196, "unit": "个", "task_id": "t1",
                                            "quantity_max": None, "span": list(plan.targets[0].span)}


def test_targets_is_a_pipeline_stage():
    from planparse.pipeline import DEFAULT_PIPELINE

    assert DEFAULT_PIPELINE.index("tasks") < DEFAULT_PIPELINE.index("targets") < DEFAULT_PIPELINE.index("metadata")


# ----------------------------------------------------------------- task months (issue item 4)

@pytest.mark.parametrize(
    "text, months",
    [
        ("三月份举办教职工趣味运动会", [3]),
        ("于2020年12月26日左右召开首届二次教职工代表大会", [12]),
        ("Hold the staff sports meeting in mid-March", [3]),
        ("每学期召开一次教代会", []),
        ("Hold at least one faculty meeting every semester", []),
        ("年底做好工会工作总结和评优", [12]),
        ("上半年完成会员信息采集", [1, 2, 3, 4, 5, 6]),
        ("下半年组织教职工秋游", [7, 8, 9, 10, 11, 12]),
        ("7、8月份组织一线职工疗休养", [7, 8]),
        ("一季度开展劳动竞赛", [1, 2, 3]),
        ("By the end of June, finish the election of the new committee", [6]),
        ("Organize a trip for retirees in October and November", [10, 11]),
        ("每月召开一次工会委员会例会", []),
    ],
)
def test_task_months(text, months):
    assert months_in(text) == months


def test_task_months_reach_tasks():
    result = parse_text("某校工会工作计划\n一、主要工作\n1、三月份举办趣味运动会。\n2、年底做好总结。\n3、每学期召开一次教代会。\n")
    assert [t.months for t in result.plans[0].tasks] == [[3], [12], []]


def test_traditional_units_are_read_simplified_and_phrases_kept_as_written():
    result = parse_text("華興公司工會2024年工作計劃\n一、主要任務\n1、全年舉辦會員活動8場,完成技術革新30項。\n2、發展會員120人。")
    targets = result.plans[0].targets
    assert [(t.quantity, t.unit) for t in targets] == [(8, "场"), (30, "项"), (120, "人")]
    assert [t.text for t in targets] == [result.text[slice(*t.span)] for t in targets]  # the phrase as written
    assert "場" in targets[0].text


@pytest.mark.parametrize("text, found", [
    ("全区共有1957个班组报名参加", [(1957, "个")]),
    ("共建立2000家职工书屋", [(2000, "家")]),
    ("2020届毕业生和2021级新生", []),  # a class year, not a count
    ("2024年工作要点", []),
])
def test_a_number_like_a_year_is_a_count_only_before_a_count_unit(text, found):
    assert [(q.quantity, q.unit) for q in find_quantities(text)] == found


@pytest.mark.parametrize("text", [
    "实现“三个率先”目标",  # a campaign's name in quotation marks
    "学习《五项制度》",
    "建设“三专合一、三位一体”工会办公室",
    "开展\"五个一\"读书活动",
    "认真落实教代会四项职权",
])
def test_a_number_inside_a_short_quotation_or_a_fixed_phrase_is_no_target(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text, expected", [
    ("全年要建立15个“三专合一、三位一体”企业工会办公室", [(15, "个")]),  # the count before the quotation stays
    ("开展\"五个一\"活动3次", [(3, "次")]),  # after a quotation closed by the same mark
    ("组织“读书月”活动,评选10名读书之星", [(10, "名")]),
    ("“职工书屋”建设工作:今年新建职工书屋5个,覆盖全部分会的各个班组和车间", [(5, "个")]),  # the quotation closed long before
])
def test_quantities_beside_a_quotation_are_targets(text, expected):
    assert [(q.quantity, q.unit) for q in find_quantities(text)] == expected
