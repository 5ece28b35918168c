"""sections: headings typed per CONTRACT §3; preamble, closing and signature found;
top-level sections cover the plan's body in order without overlap."""
from __future__ import annotations

import pytest

from planparse.api import parse_text
from planparse.records import Plan
from planparse.sections import cue_type, section_type

TYPES = {
    "preamble", "guiding_ideology", "objectives", "tasks", "measures", "schedule", "achievements", "problems",
    "next_steps", "closing", "signature", "other",
}


def only_plan(text: str) -> tuple[str, Plan]:
    result = parse_text(text)
    assert len(result.plans) == 1, [p.title for p in result.plans]
    return result.text, result.plans[0]


def top(plan: Plan):
    return [s for s in plan.sections if s.level == 1]


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("指导思想", "guiding_ideology"),
        ("总体要求", "guiding_ideology"),
        ("总体思路", "guiding_ideology"),
        ("工作思路", "guiding_ideology"),
        ("工作目标", "objectives"),
        ("目标要求", "objectives"),
        ("目标任务", "objectives"),
        ("主要工作", "tasks"),
        ("工作要点", "tasks"),
        ("主要任务", "tasks"),
        ("具体工作任务", "tasks"),
        ("工作内容", "tasks"),
        ("保障措施", "measures"),
        ("实施措施", "measures"),
        ("工作措施", "measures"),
        ("具体要求", "measures"),
        ("月份工作安排", "schedule"),
        ("工作日程表", "schedule"),
        ("活动安排", "schedule"),
        ("行事历", "schedule"),
        ("三月份", "schedule"),  # a month label heads a schedule
        ("加强师德建设", "tasks"),  # topical heading
        ("关心职工生活,构建和谐校园", "tasks"),
        ("存在的问题", "problems"),
        ("不足之处", "problems"),
        ("下一步打算", "next_steps"),
        ("the guiding ideology", "guiding_ideology"),
        ("General requirements", "guiding_ideology"),
        ("Work objectives", "objectives"),
        ("the main work", "tasks"),
        ("Work points", "tasks"),
        ("Implementation measures", "measures"),
        ("Main activities", "schedule"),
        ("Event arrangement", "schedule"),
        ("Main work arrangements for the whole year", "schedule"),  # plurals are the same cue
        ("Monthly arrangements", "schedule"),
        ("Activity schedules", "schedule"),
        ("strengthen the construction of teachers' ethics", "tasks"),
        ("Shortcomings", "problems"),
        # a plan that opens with last year's review (工作总结和明年计划): the review is achievements
        ("2019年工作总结", "achievements"),
        ("2019年工作整体情况", "achievements"),
        ("认真做好年终工作总结", "tasks"),  # a task about the year-end summary
        ("引言", "other"), ("计划背景", "other"), ("现状分析", "other"), ("Introduction", "other"),  # parts of a document, no work
        ("加强背景调查", "tasks"),
        ("活动目的", "objectives"),
        ("总的要求", "guiding_ideology"), ("工作方向", "guiding_ideology"),
        # the parts of an activity plan (活动方案): its theme, time and people are no work; its rules are measures
        ("活动主题", "other"), ("活动口号", "other"), ("活动时间与地点", "other"), ("参加人员及分组", "other"), ("会议流程", "other"), ("附则", "other"),
        ("活动范围及对象", "other"), ("活动对象", "other"),
        ("会议目的", "objectives"), ("活动宗旨", "objectives"), ("竞赛目标", "objectives"), ("项目目标", "objectives"),
        ("人员分工", "measures"), ("比赛方法", "measures"), ("积分计算办法", "measures"),
        ("实施步骤", "schedule"), ("时间规划", "schedule"), ("行程安排", "schedule"),
        ("努力实现全年目标", "tasks"), ("加强人员分工协作", "tasks"), ("备注", "tasks"),  # 备注 lists more work
        ("注意事项", "measures"), ("活动要求", "measures"), ("组织机构", "measures"), ("经费预算", "measures"),
        ("引言工会是教职工之家", "other"),  # the heading run into its paragraph
        ("Participants", "other"), ("Activity time", "other"), ("Purpose of the activity", "objectives"),
        ("Notes", "measures"), ("Activity budget", "measures"), ("Participants in the competition", "tasks"),
        # an activity plan's rules, prizes and leading group are measures
        ("活动规则", "measures"), ("比赛规程", "measures"), ("奖项设置", "measures"), ("评比条件", "measures"),
        ("评选办法", "measures"), ("奖励办法", "measures"), ("劳动竞赛领导组", "measures"), ("领导小组", "measures"),
        ("Matters needing attention", "measures"), ("organize and lead.", "measures"), ("Competition rules", "measures"), ("Award setting", "measures"),
        # translations put an article before the heading's noun (First, the activity time:)
        ("the activity time:", "other"), ("the venue:", "other"), ("the award setting:", "measures"), ("the main work", "tasks"),
    ],
)
def test_section_type_of_heading(heading, kind):
    assert section_type(heading) == kind


@pytest.mark.parametrize(
    "heading, kind",
    [("主要工作", "achievements"), ("加强师德建设", "achievements"), ("主要工作及成效", "achievements"),
     ("取得的成绩", "achievements"), ("存在的问题", "problems"), ("下一步打算", "next_steps"), ("Achievements", "achievements"),
     # a heading that names a plan's points is the summary's plan for what comes next
     ("2024年工作要点", "tasks"), ("Main points of work", "tasks"), ("Key points of the work", "tasks"),
     ("Main work", "achievements")],
)
def test_section_type_in_summaries(heading, kind):
    assert section_type(heading, "summary") == kind


@pytest.mark.parametrize(
    "heading, kind, generic",
    [("指导思想", "guiding_ideology", True), ("目标要求", "objectives", True), ("加强师德建设", None, False),
     ("以党的二十大精神为指导思想,团结带领广大教职工建功立业", "guiding_ideology", False)],
)
def test_cue_type_generic(heading, kind, generic):
    assert cue_type(heading) == (kind, generic)


PLAN = """阳光小学工会2024年工作计划
新的一年，学校工会将在校党支部的领导下，紧紧围绕学校中心工作，制定本计划。
一、指导思想
以党的二十大精神为指导，全心全意依靠教职工办好学校。
二、工作目标
争创市级模范职工之家。
三、加强师德建设
组织教职工学习师德规范，开展师德标兵评选活动。
四、关心职工生活
1、开展送温暖活动，慰问困难教职工。
2、组织教职工健康体检。
五、保障措施
加强领导，落实经费保障。
六、月份工作安排
三月份：召开教代会；举办三八节联谊活动。
七月份至八月份：组织教职工暑期疗休养。
总之，学校工会将团结全体教职工，为办人民满意的教育而努力。
阳光小学工会
二○二四年二月二十六日"""


def test_plan_sections_typed_in_order():
    text, plan = only_plan(PLAN)
    assert [(s.type, s.number, s.heading) for s in top(plan)] == [
        ("preamble", None, None),
        ("guiding_ideology", "一", "指导思想"),
        ("objectives", "二", "工作目标"),
        ("tasks", "三", "加强师德建设"),
        ("tasks", "四", "关心职工生活"),
        ("measures", "五", "保障措施"),
        ("schedule", "六", "月份工作安排"),
        ("closing", None, None),
        ("signature", None, None),
    ]
    assert top(plan)[0].text.startswith("新的一年")
    assert top(plan)[-2].text.startswith("总之")
    assert top(plan)[-1].text == "阳光小学工会\n二○二四年二月二十六日"


def test_sections_cover_the_body_in_order_without_overlap():
    text, plan = only_plan(PLAN)
    sections = top(plan)
    title_end = text.index("\n") + 1
    assert sections[0].span[0] == title_end  # the body starts after the title line
    assert sections[-1].span[1] == plan.span[1]
    for a, b in zip(sections, sections[1:]):
        assert a.span[1] <= b.span[0], "no overlap"
        assert text[a.span[1] : b.span[0]].strip() == "", "no gap with text in it"
    for s in plan.sections:
        assert s.text == text[s.span[0] : s.span[1]]
        assert s.type in TYPES
        assert plan.span[0] <= s.span[0] < s.span[1] <= plan.span[1]
    assert [s.section_id for s in sections] == [f"s{i}" for i in range(1, len(sections) + 1)]


def test_second_level_sections_under_a_tasks_heading():
    text, plan = only_plan(
        "阳光小学工会2024年工作计划\n一、指导思想\n以学习为主。\n二、主要工作\n（一）加强民主管理\n1、召开教代会。\n2、推进校务公开。\n"
        "（二）关心职工生活\n1、开展送温暖活动。\n2、组织教职工体检。\n三、保障措施\n加强领导。"
    )
    assert [s.type for s in top(plan)] == ["guiding_ideology", "tasks", "measures"]
    subs = [s for s in plan.sections if s.level == 2]
    assert [(s.number, s.heading, s.parent_id, s.type) for s in subs] == [
        ("(一)", "加强民主管理", "s2", "tasks"),
        ("(二)", "关心职工生活", "s2", "tasks"),
    ]
    parent = next(s for s in plan.sections if s.section_id == "s2")
    for s in subs:
        assert parent.span[0] <= s.span[0] < s.span[1] <= parent.span[1]
    assert subs[0].span[1] <= subs[1].span[0]


def test_summary_sections():
    _, plan = only_plan(
        "红星机械厂工会2023年工作总结\n一年来，厂工会在厂党委的领导下做了大量工作。\n一、主要工作及成效\n1、召开职工代表大会，审议集体合同。\n"
        "2、开展送温暖活动。\n二、存在的问题\n职工参与度不高。\n三、下一步打算\n1、加强工会自身建设。\n2、深化厂务公开。"
    )
    assert plan.doc_type == "summary"
    assert [s.type for s in top(plan)] == ["preamble", "achievements", "problems", "next_steps"]


def test_unnumbered_role_heading_opens_a_section():
    _, plan = only_plan(
        "阳光小学工会2024年工作计划\n一、主要工作\n1、召开教代会。\n2、开展送温暖活动。\n阳光小学工会2024年主要工作日程表\n三月:召开教代会。\n九月:庆祝教师节。"
    )
    assert [(s.type, s.heading) for s in top(plan)] == [("tasks", "主要工作"), ("schedule", "阳光小学工会2024年主要工作日程表")]


def test_english_plan_sections():
    _, plan = only_plan(
        "Sunshine School Trade Union Work Plan\nFirst, the guiding ideology: we will serve the teachers.\n"
        "Second, work objectives: build a home for the staff.\nThird, the main work\n1. Hold the teachers' congress.\n"
        "2. Carry out the activity of sending warmth.\nFourth, safeguard measures\nStrengthen the leadership.\n"
        "In short, the union will unite all the staff.\nSunshine School Trade Union\nMarch 1, 2024"
    )
    assert [(s.type, s.number) for s in top(plan)] == [
        ("guiding_ideology", "First"), ("objectives", "Second"), ("tasks", "Third"), ("measures", "Fourth"),
        ("closing", None), ("signature", None),
    ]
    assert plan.language == "en"
    assert plan.issued_date == "2024-03-01"


def test_long_english_role_heading_opens_a_section():
    """English headings run about twice as long as Chinese ones: an unnumbered 55-character
    role line still heads its section."""
    _, plan = only_plan(
        "Sunshine School Trade Union Work Plan\nThe union will serve the teachers in the new year.\n"
        "Main work arrangements of the trade union for the year:\nMarch: hold the teachers' congress.\n"
        "April: organize a spring outing.\n"
    )
    assert [s.type for s in top(plan)] == ["preamble", "schedule"]
    assert [i.months for i in plan.schedule] == [[3], [4]]


def test_lead_in_paragraph_opens_its_section():
    """`指导思想：在党支部领导下…` with no numbered headings: the paragraph is the guiding
    ideology, headed by its label; a plain 工作目标： lead-in likewise."""
    _, plan = only_plan(
        "阳光医院工会2024年工作计划\n指导思想:在医院党委领导下,围绕医院中心工作,服务职工。\n"
        "工作目标:建设职工之家,职工满意率达到95%。\n"
        "活动安排\n三月:召开职代会。\n四月:组织春季运动会。"
    )
    assert [(s.type, s.heading) for s in top(plan)] == [
        ("guiding_ideology", "指导思想"), ("objectives", "工作目标"), ("schedule", "活动安排")]
    assert top(plan)[0].text.startswith("指导思想:在医院党委领导下")


def test_lead_in_under_a_numbered_heading_stays_in_its_section():
    """指导思想: under 一、指导思想和工作重点 is that section's text; 工作重点: with items of its
    own (一是…二是…) heads them as tasks — they are not the guiding ideology."""
    _, plan = only_plan(
        "阳光公司工会2024年工作计划\n一、指导思想和工作重点\n指导思想:全面贯彻党的精神,服务职工。\n"
        "工作重点:一是开展劳动竞赛;二是做好帮扶。\n二、保障措施\n加强领导。"
    )
    assert [(s.type, s.number) for s in top(plan)] == [("guiding_ideology", "一"), ("tasks", None), ("measures", "二")]
    assert top(plan)[0].text == "一、指导思想和工作重点\n指导思想:全面贯彻党的精神,服务职工。"
    assert [t.text for t in plan.tasks] == ["开展劳动竞赛;", "做好帮扶。"]


def test_a_sentence_with_a_colon_is_no_lead_in():
    _, plan = only_plan("阳光小学工会2024年工作计划\n会议指出:要认真落实指导思想。\n一、主要工作\n1、召开教代会。")
    assert [s.type for s in top(plan)] == ["preamble", "tasks"]


def test_machine_translated_cardinal_headings_and_items():
    """MT renders 一、 as `One,` and 一是…二是 as `One is to … Two is to …`."""
    _, plan = only_plan(
        "Sunshine Company Trade Union Work Plan\nOne, the guiding ideology\nWe will serve the workers.\n"
        "Two, the main work\nOne is to organize labor competitions. Two is to care for workers in difficulty.\n"
        "Three, safeguard measures\nStrengthen the leadership."
    )
    assert [(s.type, s.number) for s in top(plan)] == [("guiding_ideology", "One"), ("tasks", "Two"), ("measures", "Three")]
    assert [t.text for t in plan.tasks] == ["organize labor competitions.", "care for workers in difficulty."]


def test_next_year_work_ideas_is_next_steps():
    assert section_type("明年工作思路") == "next_steps"


def test_work_arrangement_heading_is_schedule():
    assert section_type("工作安排") == "schedule"


def test_last_table_row_is_not_a_signature():
    """A schedule table's last row whose owner cell is 工会 is no signature block."""
    from planparse.api import _run
    from planparse.readers.base import Block, RawDocument
    from planparse.records import SourceInfo

    def row(*cells: str) -> Block:
        return Block(text="\t".join(cells), kind="table_row", cells=list(cells), table=0)

    raw = RawDocument(
        blocks=[
            Block(text="阳光小学工会2024年工作计划"),
            Block(text="一、主要工作"),
            Block(text="1、召开教代会。"),
            Block(text="2、开展送温暖活动。"),
            Block(text="二、工作日程表"),
            row("月份", "工作内容", "责任部门"),
            row("三月", "召开教代会", "校长室"),
            row("十二月", "做好年度工作总结", "工会"),
        ],
        format="docx",
    )
    result = _run(raw, SourceInfo(path="t.docx", format="docx", sha256="0" * 64, bytes=0), None)
    plan = result.plans[0]
    assert [s.type for s in top(plan)] == ["tasks", "schedule"]
    assert [i.text for i in plan.schedule] == ["召开教代会", "做好年度工作总结"]


def test_unnumbered_role_headings_keep_numbers_as_items():
    text = (
        "Sunshine Kindergarten Union Work Plan\n"
        "guiding ideology:\n"
        "Guided by the spirit of the congress, we serve the staff.\n"
        "Work points:\n"
        "1. Learn first. Teachers study every week.\n"
        "2. Care for staff. Visit staff who are ill.\n"
        "Main event arrangement\n"
        "March: 1. Celebrate Women's Day. 2. Plant trees.\n"
        "April: Hold the staff badminton game.\n"
    )
    plan = parse_text(text).plans[0]
    assert [s.type for s in plan.sections if s.level == 1] == ["guiding_ideology", "tasks", "schedule"]
    assert [t.path for t in plan.tasks] == [["1"], ["2"]]
    assert [(i.months, i.text.rstrip(".")) for i in plan.schedule] == [
        ([3], "Celebrate Women's Day"), ([3], "Plant trees"), ([4], "Hold the staff badminton game")]


@pytest.mark.parametrize("closing", [
    "综上所述,新的一年里工会将继续服务好全体职工。",
    "总而言之,工会将团结带领职工建功立业。",
    "总结:2024年是关键的一年,工会将不断提高工作质量。",
    "总结2024年是关键的一年,工会将不断提高工作质量。",  # the heading 总结 run into its paragraph
    "To sum up, the union will keep serving the staff.",
])
def test_closing_paragraph_after_the_last_item_is_a_closing_section(closing):
    _, plan = only_plan("阳光小学工会2024年工作计划\n一、主要工作\n1、召开教代会。\n2、开展送温暖活动。\n" + closing)
    assert [s.type for s in top(plan)] == ["tasks", "closing"]
    assert top(plan)[-1].text == closing


def test_a_last_task_about_summing_up_the_year_is_no_closing():
    _, plan = only_plan("阳光小学工会2024年工作计划\n一、主要工作\n1、召开教代会。\n2、开展送温暖活动。\n总结全年工作,做好工会年终考核。")
    assert [s.type for s in top(plan)] == ["tasks"]


def test_a_numbered_introduction_is_no_task_and_an_unnumbered_one_stays_in_the_preamble():
    _, plan = only_plan("阳光小学工会2024年工作计划\n一、引言\n工会是教职工之家。\n二、主要工作\n1、召开教代会。\n2、开展送温暖活动。")
    assert [s.type for s in top(plan)] == ["other", "tasks"]
    assert [t.text for t in plan.tasks] == ["召开教代会。", "开展送温暖活动。"]
    _, plan = only_plan("阳光小学工会2024年工作计划\n引言\n工会是教职工之家。\n一、主要工作\n1、召开教代会。\n二、关心职工\n1、开展送温暖活动。")
    assert [s.type for s in top(plan)] == ["preamble", "tasks", "tasks"]  # its numbers still head the sections


@pytest.mark.parametrize("text, headings, tasks", [
    ("阳光小学工会2024年工作计划\n一、指导思想\n以党的二十大精神为指导。\n工作重点:\n1、召开教代会。\n2、开展送温暖活动。\n"
     "二、保障措施\n加强领导。",
     ["指导思想", "工作重点:", "保障措施"], ["召开教代会。", "开展送温暖活动。"]),
    ("Union Work Plan\nI. Guiding ideology\nWe will serve the staff.\nMain points of work:\n"
     "First, organize labor competitions for the workers.\nSecond, care for the workers in difficulty.\n"
     "II. Safeguard measures\nStrengthen the leadership.",
     ["Guiding ideology", "Main points of work:", "Safeguard measures"],
     ["organize labor competitions for the workers.", "care for the workers in difficulty."]),
])
def test_an_unnumbered_tasks_line_under_the_guiding_ideology_heads_the_items_below_it(text, headings, tasks):
    """`一、指导思想 … 工作重点: 1、… 2、…` (`I. Guiding ideology … Main points of work: First, …`):
    the items are the plan's tasks, not part of the guiding ideology."""
    _, plan = only_plan(text)
    assert [(s.type, s.heading) for s in top(plan)] == list(zip(["guiding_ideology", "tasks", "measures"], headings))
    assert [t.text for t in plan.tasks] == tasks


def test_under_a_topical_heading_a_tasks_line_stays_part_of_its_section():
    _, plan = only_plan("阳光小学工会2024年工作计划\n一、加强学习\n工作重点:\n1、召开教代会。\n2、开展送温暖活动。\n二、保障措施\n加强领导。")
    assert [s.type for s in top(plan)] == ["tasks", "measures"] and len(plan.tasks) == 2


def test_in_a_summary_a_tasks_line_heads_achievements_not_tasks():
    _, plan = only_plan("街道工会2024年工作总结\n一、工作回顾\n今年工会工作取得了成绩。\n主要工作:\n1、开展了送温暖活动。\n"
                        "2、组织了职工运动会。\n二、存在的问题\n活动形式单一。")
    assert plan.doc_type == "summary"
    assert [s.type for s in top(plan)] == ["achievements", "achievements", "problems"]
    assert plan.tasks == []


def test_in_an_untitled_english_summary_the_points_of_work_are_tasks_and_the_overview_achievements():
    _, plan = only_plan(
        "In 2023, under the leadership of the party branch, the company's trade union organized a skills contest, "
        "held two training sessions, visited workers in difficulty and completed the re-election of its committee.\n"
        "I. Overview of the work\n1. Formulated the union's annual work plan.\n2. Established a democratic management system.\n"
        "II. Main points of work\n1. Organize employees to carry out labor competitions.\n"
        "2. Play the role of a bridge between the company and its workers.")
    assert plan.doc_type == "summary"
    assert [s.type for s in top(plan)] == ["preamble", "achievements", "tasks"]
    assert [t.text.split(" ")[0] for t in plan.tasks] == ["Organize", "Play"]


def test_a_schedule_table_opens_a_schedule_section_under_its_caption():
    """指导思想: as a lead-in, then 具体工作: over a table 时间 | 活动内容 | 参加范围 with no
    schedule heading of its own: the table is the schedule, its caption the heading."""
    text = (
        "2009年医院工会工作计划\n"
        "指导思想:以服务职工为宗旨,创造性地开展工作。\n"
        "具体工作:\n"
        "时间 | 活动内容 | 参加范围 |\n"
        "一月 | 春节送温暖工程 春节联欢会 | 全院职工 |\n"
        "二月 | 元宵节 登塔比赛 | 全院职工 |\n"
    )
    plan = parse_text(text).plans[0]
    assert [(s.type, s.heading) for s in top(plan)] == [("guiding_ideology", "指导思想"), ("schedule", "具体工作:")]
    assert [(i.months, i.text) for i in plan.schedule] == [
        ([1], "春节送温暖工程"), ([1], "春节联欢会"), ([2], "元宵节"), ([2], "登塔比赛"),
    ]


def test_a_table_that_is_no_schedule_opens_no_section():
    text = (
        "2023年工会工作总结\n"
        "一、存在的问题\n"
        "问题类别 | 具体表现 |\n"
        "组织建设 | 部分基层工会组织不够健全 |\n"
        "活动形式 | 文体活动内容单一 |\n"
    )
    plan = parse_text(text).plans[0]
    assert [s.type for s in top(plan)] == ["problems"]
    assert plan.schedule == []


def test_a_part_of_an_account_of_past_work_is_achievements_too():
    text = (
        "区总工会2020年工作计划\n"
        "一、2019年工作完成情况\n"
        "(一)坚持党的领导,切实增强工会工作政治性\n"
        "一是把牢工会政治方向。\n"
        "二是加强理论学习。\n"
        "(二)存在的问题\n"
        "一是服务职工的能力还不强。\n"
        "二是工作方法还不多。\n"
        "二、2020年主要工作\n"
        "(一)深化劳动竞赛\n"
        "1、开展技能比武。\n"
    )
    plan = parse_text(text).plans[0]
    assert [(s.level, s.type) for s in plan.sections] == [
        (1, "achievements"), (2, "achievements"), (2, "problems"), (1, "tasks"), (2, "tasks"),
    ]


_RUN_ON = ("以党的十九大精神为指导,根据县工会年度工作要点,结合学校实际,紧紧围绕学校教育教学的中心工作,以创建学习型组织为载体,"
           "切实加强教师队伍建设和工会自身建设,积极维护教职工合法权益,为学校全面工作作出贡献。")


@pytest.mark.parametrize("role, kind", [("目标要求", "objectives"), ("指导思想", "guiding_ideology"), ("保障措施", "measures")])
def test_a_role_heading_glued_to_its_run_on_paragraph_ends_after_the_role(role, kind):
    """一、目标要求新的一年以…: the page lost the break after the heading. The role's name is
    the heading; the paragraph is the section's text, not a task."""
    _, plan = only_plan(f"学校工会工作计划\n一、{role}新的一年{_RUN_ON}\n二、主要工作\n1、召开教代会。\n2、开展送温暖活动。")
    first = top(plan)[0]
    assert (first.type, first.heading) == (kind, role)
    assert [t.text for t in plan.tasks] == ["召开教代会。", "开展送温暖活动。"]


def test_a_topical_or_punctuated_heading_is_not_cut_at_a_role_word():
    _, plan = only_plan(f"学校工会工作计划\n一、主要工作加强师德建设{_RUN_ON}\n二、工作目标:{_RUN_ON}\n三、保障措施\n加强领导。")
    headings = [s.heading for s in top(plan)]
    assert headings[0].startswith("主要工作加强师德建设") and len(headings[0]) > len("主要工作加强师德建设")
    assert headings[1] == "工作目标"
    assert [s.type for s in top(plan)] == ["tasks", "objectives", "measures"]
