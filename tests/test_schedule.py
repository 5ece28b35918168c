"""schedule: month labels set the months of the activities after them, one activity per
item; a schedule laid out as a table gives items with their owner."""
from __future__ import annotations

import pytest

from planparse.api import _run, parse_text
from planparse.readers.base import Block, RawDocument
from planparse.records import ParseResult, Plan, SourceInfo
from planparse.schedule import split_activities

HEAD = "阳光小学工会2024年工作计划\n一、主要工作\n1、召开教代会,审议学校工作报告。\n2、开展送温暖活动。\n二、月份工作安排\n"


def schedule_of(body: str, head: str = HEAD) -> tuple[ParseResult, Plan]:
    result = parse_text(head + body)
    assert len(result.plans) == 1
    return result, result.plans[0]


def items(plan: Plan) -> list[tuple[list[int], str]]:
    return [(i.months, i.text) for i in plan.schedule]


def check_spans(result: ParseResult) -> None:
    for plan in result.plans:
        sections = {s.section_id: s for s in plan.sections}
        for item in plan.schedule:
            assert item.text == result.text[item.span[0] : item.span[1]]
            assert sections[item.section_id].type == "schedule"
            assert all(1 <= m <= 12 for m in item.months) and item.months == sorted(set(item.months))


def test_one_month_two_activities():
    result, plan = schedule_of("三月份：召开第五届教代会；举办三八节联谊活动。\n四月份：组织教职工春季运动会。")
    assert items(plan) == [([3], "召开第五届教代会"), ([3], "举办三八节联谊活动"), ([4], "组织教职工春季运动会")]
    assert all("三月" in i.when for i in plan.schedule[:2])
    check_spans(result)


@pytest.mark.parametrize(
    "label, months",
    [
        ("七月份至八月份", [7, 8]),
        ("一至二月份", [1, 2]),
        ("11-12月", [11, 12]),
        ("九月", [9]),
        ("十二月份", [12]),
        ("第一季度", [1, 2, 3]),
        ("下半年", [7, 8, 9, 10, 11, 12]),
    ],
)
def test_month_labels(label, months):
    result, plan = schedule_of(f"{label}：组织教职工开展读书交流活动。\n十月份：开展秋季登山比赛。")
    assert plan.schedule[0].months == months
    assert plan.schedule[0].text == "组织教职工开展读书交流活动"
    assert plan.schedule[0].when.rstrip(":: ") .startswith(label[:2])
    check_spans(result)


def test_numbered_activities_under_a_month_label():
    result, plan = schedule_of("九月份：1、庆祝教师节,表彰优秀教师。2、举办新教师座谈会。\n十月份：组织秋游。")
    assert items(plan) == [([9], "庆祝教师节"), ([9], "表彰优秀教师"), ([9], "举办新教师座谈会"), ([10], "组织秋游")]


def test_months_carry_over_to_following_lines():
    _, plan = schedule_of("三月份：\n1、召开教代会。\n2、举办三八节联谊活动。\n四月份：\n1、组织春季运动会。")
    assert items(plan) == [([3], "召开教代会"), ([3], "举办三八节联谊活动"), ([4], "组织春季运动会")]


@pytest.mark.parametrize(
    "activity, pieces",
    [
        ("举办班主任工作经验交流会和三八节联谊舞会", ["举办班主任工作经验交流会", "三八节联谊舞会"]),  # two events
        ("做好年度工作总结和归档", ["做好年度工作总结和归档"]),  # one verb over two nouns
        ("召开教代会;组织体检", ["召开教代会", "组织体检"]),
        ("召开教代会,审议工作报告", ["召开教代会,审议工作报告"]),  # a clause without a new verb stays
        ("召开教代会,举办联谊会", ["召开教代会", "举办联谊会"]),
        ("召开会员大会,推选代表参加区总工会成立大会", ["召开会员大会", "推选代表参加区总工会成立大会"]),
        ("举办读书交流会以及联谊晚会", ["举办读书交流会", "联谊晚会"]),  # the conjunction is no activity
        # English: a comma (and an `and` after it) before an activity's verb
        ("Convene a members' meeting, select a delegate, and celebrate Women's Day.",
         ["Convene a members' meeting", "select a delegate", "celebrate Women's Day."]),
        ("Visit retired teachers, with a gift for each.", ["Visit retired teachers, with a gift for each."]),  # no verb after the comma
        # 慰问 translated as a noun: "condolences to" is the activity's verb
        ("Carry out warm-up activities, condolences to faculty and staff; winter vacation activities.",
         ["Carry out warm-up activities", "condolences to faculty and staff", "winter vacation activities."]),
        ("Spring Festival condolences, send warmth activities.", ["Spring Festival condolences, send warmth activities."]),
        ("Summarize the work of the year and start the annual plan.", ["Summarize the work of the year", "start the annual plan."]),
        ("Organize and carry out activities for teachers.", ["Organize and carry out activities for teachers."]),  # verb and verb: one
        ("召开一次工会和协会的座谈会", ["召开一次工会和协会的座谈会"]),  # 工会 ends in 会 but is a body, not an event
        ("召开教代会和工会会员大会", ["召开教代会", "工会会员大会"]),
    ],
)
def test_split_activities(activity, pieces):
    assert [activity[s:e] for s, e in split_activities(activity, 0, len(activity))] == pieces


def test_english_month_with_numbered_activities():
    result, plan = schedule_of(
        "March: 1. Hold the teachers' congress. 2. Celebrate Women's Day with a party.\nApril: Organize a spring outing for the staff.",
        head="Sunshine School Trade Union Work Plan\nFirst, the guiding ideology: we will serve the teachers.\nSecond, main activities\n",
    )
    assert items(plan) == [
        ([3], "Hold the teachers' congress."),
        ([3], "Celebrate Women's Day with a party."),
        ([4], "Organize a spring outing for the staff."),
    ]
    check_spans(result)


def test_schedule_heading_itself_is_no_activity():
    _, plan = schedule_of("三月份：召开教代会。")
    assert [i.text for i in plan.schedule] == ["召开教代会"]
    assert plan.schedule[0].section_id == next(s.section_id for s in plan.sections if s.type == "schedule")


def test_schedule_items_are_classified():
    _, plan = schedule_of("三月份：召开教代会；组织女职工开展三八妇女节活动。")
    assert [i.category for i in plan.schedule] == ["democratic_management", "women_workers"]


def test_month_lines_after_the_last_section_open_a_schedule():
    _, plan = schedule_of("", head=HEAD.replace("二、月份工作安排\n", "") + "三月份:召开教代会。\n四月份:组织春季运动会。\n")
    assert [s.type for s in plan.sections if s.level == 1] == ["tasks", "schedule"]
    assert items(plan) == [([3], "召开教代会"), ([4], "组织春季运动会")]


def test_stacked_bare_dates_are_a_chart_axis_not_a_schedule():
    """A PDF chart's axis (2021-07 / 2021-11 / …, nothing between) followed by table
    figures: no schedule; one bare label before a month line with work still opens one."""
    axis = "2021-07\n2021-11\n2022-03\n2022-07\n股票数据\n总股本(百万股):\n227.92\n"
    _, plan = schedule_of("", head=HEAD.replace("二、月份工作安排\n", "") + axis)
    assert [s.type for s in plan.sections if s.level == 1] == ["tasks"] and plan.schedule == []
    _, plan = schedule_of("", head=HEAD.replace("二、月份工作安排\n", "") + "三月份:\n四月份:组织春季运动会。\n")
    assert [s.type for s in plan.sections if s.level == 1] == ["tasks", "schedule"]
    assert items(plan) == [([4], "组织春季运动会")]


def test_bare_month_labels_over_numbered_items_are_a_schedule():
    """Months as sub-headings (`一月份：` over `1. … 2. …`, then `二月份：`), inside a tasks
    section: each month's numbered items are its activities, and no label is lost."""
    body = "一月份:\n1. 总结上年工会工作。\n2. 制定本年工会工作计划。\n二月份:\n1. 学习新《工会法》。\n3、建立会员档案。\n"
    result, plan = schedule_of(body, head=HEAD.replace("二、月份工作安排\n", "二、重点工作:\n"))
    assert [s.type for s in plan.sections if s.level == 1] == ["tasks", "tasks", "schedule"]
    assert items(plan) == [([1], "总结上年工会工作"), ([1], "制定本年工会工作计划"), ([2], "学习新《工会法》"), ([2], "建立会员档案")]
    assert not any("月份" in t.text for t in plan.tasks)
    check_spans(result)


def test_english_month_sub_headings_over_top_level_items():
    """Machine-translated page: `January:` then `1. …`; the numbers, which restart under each
    month (one typed `3,`), are the outline's top level, yet they are items, not sections."""
    text = ("School trade union work plan for 2024\n"
            "Main work arrangements for the whole year:\n"
            "January:\n1. Summarize the work of the trade union in 2023.\n2. Formulate the work plan.\n"
            "3, Spring Festival condolences, send warmth activities.\n"
            "February:\n1. Learn the new Trade Union Law.\n2. Establish files of union members.\n")
    result = parse_text(text)
    (plan,) = result.plans
    assert [s.type for s in plan.sections] == ["schedule"] and plan.tasks == []
    assert [i.months for i in plan.schedule] == [[1], [1], [1], [2], [2]]
    assert plan.schedule[2].text == "Spring Festival condolences, send warmth activities."
    check_spans(result)


def test_one_bare_label_and_dated_lines_are_no_month_blocks():
    """A cover's `(2023年3月)` over `一、…` headings and a dated sentence later is no
    schedule: month blocks need two bare labels."""
    text = ("核电厂定期安全评价编制说明\n(2023年3月)\n一、任务来源\n本标准来源于2021年下达的计划。\n"
            "二、编制过程\n1、征求意见稿\n2021年9月30日,国家能源局下达了计划。\n2、送审稿\n已完成。\n")
    (plan,) = parse_text(text).plans
    assert "schedule" not in [s.type for s in plan.sections] and plan.schedule == []


def test_a_schedule_heading_over_work_without_months_gives_tasks():
    """具体工作安排 is a schedule heading, but numbered work naming no month under it are
    tasks (a ScheduleItem needs months); none of them is lost."""
    _, plan = schedule_of("1. 加强职工之家建设。\n2. 开展劳动竞赛,提高职工技能。\n", head=HEAD.replace("月份工作安排", "具体工作安排"))
    assert [s.type for s in plan.sections if s.level == 1] == ["tasks", "tasks"]
    assert [t.text for t in plan.tasks][-2:] == ["加强职工之家建设。", "开展劳动竞赛,提高职工技能。"]
    assert plan.schedule == []
    # a month anywhere under it, or at the heading's end, keeps it a schedule
    _, plan = schedule_of("1. 三月份召开教代会。\n2. 开展劳动竞赛。\n", head=HEAD.replace("月份工作安排", "具体工作安排"))
    assert [s.type for s in plan.sections if s.level == 1] == ["tasks", "schedule"]
    _, plan = schedule_of("1. 召开教代会。\n", head=HEAD.replace("月份工作安排", "工作安排三月份:"))
    assert items(plan) == [([3], "召开教代会")]


def row(*cells: str) -> Block:
    return Block(text="\t".join(cells), kind="table_row", cells=list(cells), table=0)


def run_blocks(blocks: list[Block]) -> ParseResult:
    raw = RawDocument(blocks=blocks, format="docx")
    return _run(raw, SourceInfo(path="t.docx", format="docx", sha256="0" * 64, bytes=0), None)


def test_table_schedule_gives_items_with_owner():
    result = run_blocks(
        [
            Block(text="阳光小学工会2024年工作计划"),
            Block(text="一、主要工作"),
            Block(text="1、召开教代会，审议学校工作报告。"),
            Block(text="2、开展送温暖活动。"),
            Block(text="二、工作日程表"),
            row("月份", "工作内容", "责任部门"),
            row("三月", "召开教代会；举办三八节联谊活动", "工会办公室"),
            row("九月", "庆祝教师节", "工会女工委"),
            row("十二月", "做好年度工作总结", "工会"),
        ]
    )
    assert len(result.plans) == 1
    plan = result.plans[0]
    assert [s.type for s in plan.sections if s.level == 1] == ["tasks", "schedule"]
    assert [(i.months, i.text, i.owner) for i in plan.schedule] == [
        ([3], "召开教代会", "工会办公室"),
        ([3], "举办三八节联谊活动", "工会办公室"),
        ([9], "庆祝教师节", "工会女工委"),
        ([12], "做好年度工作总结", "工会"),
    ]
    assert [i.when for i in plan.schedule] == ["三月", "三月", "九月", "十二月"]
    check_spans(result)
    # The header row and the tasks above the table give no schedule items.
    assert not any(i.text in ("工作内容", "月份") for i in plan.schedule)
    assert [t.path for t in plan.tasks] == [["一", "1"], ["一", "2"]]


def test_table_with_month_in_second_column():
    result = run_blocks(
        [
            Block(text="红星社区工会2024年活动安排"),
            Block(text="一、活动安排"),
            row("序号", "活动内容", "时间", "负责人"),
            row("1", "举办迎新春联欢会", "一月", "张主席"),
            row("2", "开展植树活动", "三月", "李委员"),
        ]
    )
    plan = result.plans[0]
    assert [(i.months, i.text, i.owner) for i in plan.schedule] == [
        ([1], "举办迎新春联欢会", "张主席"),
        ([3], "开展植树活动", "李委员"),
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("December: 1. Summary of school trade union work 2. Various advanced evaluations 3. Trade union accounting",
         ["Summary of school trade union work", "Various advanced evaluations", "Trade union accounting"]),
        ("March: 1, 38 activities. 2, the higher level union research report.", ["38 activities.", "the higher level union research report."]),
        ("五月份：1、举办教职工运动会 2、组织教职工体检", ["举办教职工运动会", "组织教职工体检"]),
    ],
)
def test_item_numbers_inside_a_month_line_cut_activities(line, expected):
    text = "某某学校工会2024年工作计划\n一、指导思想\n以服务教职工为宗旨。\n二、月份工作安排\n" + line
    plan = parse_text(text).plans[0]
    assert [item.text.rstrip(".") for item in plan.schedule] == [e.rstrip(".") for e in expected]


def test_numbers_in_amounts_do_not_cut_activities():
    from planparse.schedule import split_activities

    text = "组织职工参加2.5公里健步走活动"
    assert split_activities(text, 0, len(text)) == [(0, len(text))]


def test_traditional_month_words_are_read_in_the_matching_text():
    result = parse_text("福華公司工會2024年工作計劃\n一、活動安排\n三月:舉辦婦女節聯誼活動。\n年終:召開會員代表大會,報告年度工作。")
    items = result.plans[0].schedule
    assert [(i.months, i.text) for i in items] == [([3], "舉辦婦女節聯誼活動"), ([12], "召開會員代表大會,報告年度工作")]


def test_docx_table_cell_with_two_paragraphs_gives_two_activities(tmp_path):
    """python-docx writes each activity of a month as its own paragraph in the cell."""
    import docx

    from tests.readers.docx_factory import add_table

    document = docx.Document()
    document.add_paragraph("某某医院工会2024年工作计划")
    document.add_paragraph("一、月份工作安排")
    add_table(document, ["月份", "工作内容", "责任部门"],
              [["二月", ["制定工会工作计划", "慰问困难职工"], "工会办"], ["三月", "庆祝三八妇女节", "女工委"]])
    path = tmp_path / "plan.docx"
    document.save(path)
    from planparse.api import parse_file

    result = parse_file(path)
    assert [(i.months, i.text, i.owner) for i in result.plans[0].schedule] == [
        ([2], "制定工会工作计划", "工会办"), ([2], "慰问困难职工", "工会办"), ([3], "庆祝三八妇女节", "女工委"),
    ]
    check_spans(result)


def test_text_table_in_markdown_gives_items_without_bars():
    body = "| 月份 | 工作内容 | 负责人 |\n|---|---|---|\n| 三月 | 举办三八节联谊活动 | 女工委 |\n| 九月 | 庆祝教师节 | 工会办 |\n"
    result, plan = schedule_of(body)
    assert [(i.months, i.text, i.owner) for i in plan.schedule] == [([3], "举办三八节联谊活动", "女工委"), ([9], "庆祝教师节", "工会办")]
    check_spans(result)


def test_a_festival_activity_line_is_an_activity_not_a_label():
    result, plan = schedule_of("三月份\n筹备春季运动会\n植树节活动\n")
    assert items(plan) == [([3], "筹备春季运动会"), ([3], "植树节活动")]


@pytest.mark.parametrize("body, expected", [
    # a hard-wrapped page: the item's second half is a plain line of its own, after a comma
    ("三月份\n1,为30岁以上的女职工办理保险,\n作为三八国际妇女节的节日礼物.\n2,召开工会委员会,\n3,筹备春季运动会\n慰问困难职工\n",
     ["为30岁以上的女职工办理保险,作为三八国际妇女节的节日礼物.", "召开工会委员会", "筹备春季运动会", "慰问困难职工"]),
    # a wrap inside a word (审批困难 / 补助), with no mark to show it: the plain line ends the
    # item's sentence; an unnumbered item that ends with no mark is an item of its own. The
    # clauses of one line are split as ever.
    ("三月份\n1,开展送温暖活动,召开院福利委员会审批困难\n补助,探访因病住院的职工,慰问劳模.\n2,筹备春季运动会\n慰问困难职工\n",
     ["开展送温暖活动", "召开院福利委员会审批困难补助,探访因病住院的职工", "慰问劳模.", "筹备春季运动会", "慰问困难职工"]),
])
def test_a_wrapped_item_goes_on_in_the_next_line(body, expected):
    result, plan = schedule_of(body)
    assert [text.replace("\n", "") for _, text in items(plan)] == expected
    assert all(months == [3] for months, _ in items(plan))
    check_spans(result)


def test_month_headings_with_a_topic_over_numbered_items_are_a_schedule():
    """A kindergarten's `二月园务行政` / `1. …` / `三月园务行政` / `1. …`: a month with a
    short topic heads its month's items as a bare `二月份:` does."""
    text = ("2005年园务工作计划\n二月园务行政\n1. 学习规程和纲要,讨论新学期目标。\n2. 房舍、设备安全检查。\n"
            "三月园务行政\n1. 召开家长会。\n2. 全体职工大会。\n")
    result = parse_text(text)
    (plan,) = result.plans
    assert [(list(s.months), s.text) for s in plan.schedule] == [
        ([2], "学习规程和纲要,讨论新学期目标"), ([2], "房舍、设备安全检查"), ([3], "召开家长会"), ([3], "全体职工大会")]
    assert not plan.tasks
