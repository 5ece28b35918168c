"""metadata: language, script, doc_type, year, organization and org_type, issued_date and
doc_number, both from the helpers and through the whole pipeline."""
from __future__ import annotations

import pytest

from planparse.api import parse_text
from planparse.metadata import (body_subject, doc_number, doc_type_of, issued_date, language, org_type, organization, script,
                                year_of)

ORG_TYPES = {"school", "hospital", "enterprise", "government", "community", "union_federation", "other"}


@pytest.mark.parametrize(
    "text, lang",
    [
        ("阳光小学工会2024年工作计划", "zh"),
        ("2024年ABC工会工作计划", "zh"),
        ("Trade union work plan for 2024", "en"),
        ("First, the guiding ideology: 以学习为主 and we will study the theory of the party", "en"),
    ],
)
def test_language(text, lang):
    assert language(text) == lang


@pytest.mark.parametrize(
    "text, kind",
    [("学校工会工作计划", "simplified"), ("學校工會工作計劃", "traditional"), ("2024 plan", None)],
)
def test_script(text, kind):
    assert script(text) == kind


@pytest.mark.parametrize(
    "title, kind",
    [
        ("阳光小学工会2024年工作计划", "plan"),
        ("市教育工会2024年工作要点", "plan"),
        ("教育工会暑期活动安排", "plan"),
        ("职工文体活动方案", "plan"),
        ("红星机械厂工会2023年工作总结", "summary"),
        ("工会主席述职报告", "summary"),
        ("工会工作计划总结", "summary"),  # the last document word decides
        ("工会财务管理制度", "other"),
        ("2024 Trade Union Work Plan", "plan"),
        ("Trade union work summary", "summary"),
    ],
)
def test_doc_type_from_title(title, kind):
    assert doc_type_of(title, "一、指导思想\n以学习为主。") == kind


@pytest.mark.parametrize("title", ["工会逐月工作计划和总结篇一", "工会年终工作总结及计划1", "工會年度工作總結范文及計劃【第一篇】",
                                   "Trade union work plan and summary"])
def test_doc_type_of_a_plan_and_summary_title_comes_from_the_body(title):
    # collection pages title each piece 总结及计划 whichever it is: the body decides
    assert doc_type_of(title, "一年来,工会在党支部领导下取得了显著成绩。") == "summary"
    assert doc_type_of(title, "一、指导思想\n以学习为主。") == "plan"


@pytest.mark.parametrize("title, kind", [
    ("2023年工作总结及2024年工作计划", "plan"),  # a year between: the plan's title decides
    ("工会工作总结与明年工作计划", "plan"),
    ("工会工作计划总结", "summary"),  # nothing between: a summary of the plan
])
def test_doc_type_of_a_title_naming_both_with_more_between(title, kind):
    assert doc_type_of(title, "一年来,工会在党支部领导下取得了显著成绩。") == kind


def test_doc_type_without_title_from_body():
    assert doc_type_of(None, "一年来,工会在党支部领导下取得了显著成绩。") == "summary"
    assert doc_type_of(None, "一、指导思想\n以学习为主。") == "plan"


@pytest.mark.parametrize("body, kind", [
    # what was done, with no summary word in the opening: perfective 了 after verbs
    ("在镇党委领导下,工会开展了职工技能竞赛,组织了送温暖活动,完成了工会换届,建立了职工书屋。", "summary"),
    ("今年工会举办了三次培训,慰问了困难职工,现将主要工作汇报如下:", "summary"),  # 现将 is no future
    # a plan that reviews last year in a clause, then says what it will do
    ("去年工会取得了一定成绩。今年将继续开展劳动竞赛,力争建成职工之家,计划组织两次培训。", "plan"),
    # a summary word in the opening of a plan whose future outweighs its past
    ("工会将认真总结经验,进一步做好服务职工工作,力争取得新成效。", "plan"),
    ("为了做好工会工作,除了日常工作以外,为了职工的利益,要了解职工的需求。", "plan"),  # 为了, 除了, 了解: no perfective 了
    # English: simple past and present perfect narrate a summary; a plan says what will be
    # done, and its passives (will be organised, are held) are not past
    ("In 2023, under the leadership of the town party committee, the trade union organized a skills contest, "
     "held two training sessions, visited 120 workers in difficulty and completed the re-election.", "summary"),
    ("Over the past year, the union has carried out a series of activities and established a workers' library.", "summary"),
    ("In 2024, the trade union will organize a skills contest. Training sessions are held every quarter, activities "
     "will be organized by each group, and the union plans to set up a library; the committee was established in 2010.", "plan"),
    ("First, strengthen study. Second, organize the sports meeting to be held in May. Third, improve the library.", "plan"),
])
def test_doc_type_from_how_the_body_narrates(body, kind):
    assert doc_type_of(None, body) == kind


@pytest.mark.parametrize(
    "title, body, year",
    [
        ("阳光小学工会2024年工作计划", "", 2024),
        ("2019 National Small Labor Union Work Plan", "", 2019),
        ("阳光小学工会20xx年工作计划", "2024年,工会将……", None),  # placeholder in the title: no year
        ("XX年工会工作计划", "", None),
        ("工会200x年工作计划", "", None),
        ("开鲁县总工会201*年上半年工作总结", "2019年工作", None),  # 201* is a placeholder too
        ("工会工作计划", "2023年,工会将认真履行职能。", 2023),  # no year in the title: the body's first
        (None, "2022年是关键之年,2023年……", 2022),
        ("工会工作计划", "认真履行职能。", None),
        # a count is no year: its unit says so (the target rules' units)
        ("工会工作计划", "为全县1950名困难职工建档,2019年将继续帮扶。", 2019),
        ("工会工作计划", "共筹集2000余元慰问金。", None),
        ("工会工作计划", "今年共2018 人次参加活动。", None),
        ("2023企业工会年度工作计划", "", 2023),  # a year glued to a word is still a year
        ("工会工作计划", "2022元旦联欢会", 2022),  # 元 of 元旦 is no unit
        ("Trade union work plan", "In 2019 the union will serve 300 members.", 2019),
        # a summary and a plan in one title: the deciding (last) document's year
        ("2006年团区委工会工作总结及2007年工会计划", "", 2007),
        ("2007年度工作总结和2008年度工作要点", "", 2008),
        ("2019年工作总结及20XX年工作计划", "", None),
        ("2023年工作计划总结", "", 2023),  # a summary of plan work: one document
        ("张桥中心小学2019~2020学年第二学期学校工作计划", "", 2019),
        # a page's posting date over the body is no year of the plan's
        ("小学工会工作计划", "2023-04-04\n在工作开始之前一份合理的计划有助于理清思路。", None),
        (None, "时间:2024.5.8\n34学校工会以学校为中心", None),
        ("工会工作计划", "2023-04-04\n2024年,工会将认真履行职能。", 2024),
        ("工会工作计划", "2024.9-2025.7学年,工会将认真履行职能。", 2024),  # a period, not a date
    ],
)
def test_year(title, body, year):
    assert year_of(title, body) == year


@pytest.mark.parametrize(
    "title, signature, org, kind",
    [
        ("阳光小学工会2024年工作计划", [], "阳光小学工会", "school"),
        ("2024年工会工作计划", ["红星机械厂工会", "2024年3月1日"], "红星机械厂工会", "enterprise"),
        ("人民医院工会2024年工作计划", [], "人民医院工会", "hospital"),
        ("某某县总工会2024年工作要点", [], "某某县总工会", "union_federation"),
        ("市教育工会2024年工作要点", [], "市教育工会", "union_federation"),
        ("市卫生局机关工会2024年工作计划", [], "市卫生局机关工会", "government"),
        ("红星街道工会2024年工作计划", [], "红星街道工会", "community"),
        ("阳光幼儿园工会工作计划", [], "阳光幼儿园工会", "school"),
        ("2024年高校工会工作计划", [], "高校工会", "school"),  # 高校: a university; its name after a leading year
        ("2015年下半年机关单位工会工作计划", [], "机关单位工会", "government"),
        ("2023下半年工会工作计划", [], None, "other"),  # 工会 alone names no body
        ("【篇1】医院工会工作总结2022集合", [], "医院工会", "hospital"),  # a piece marker is no part of the name
        ("篇一:工会工作计划和目标", [], None, "other"),
        ("有关于医院工会工作总结范文", [], "医院工会", "hospital"),
        # a unit's own name ends in its kind's word; the bare word is no name
        ("未来科技城小学2019年党建工作计划", [], "未来科技城小学", "school"),
        ("昌硕街道2022年工作总结和2023年工作计划", [], "昌硕街道", "community"),
        ("社区2025工作计划", [], None, "community"),
        ("职工运动会方案", ["大竹县残联机关党支部", "2020年3月23日"], "大竹县残联机关党支部", "government"),
        ("2023年醫院工會工作計劃", [], "醫院工會", "hospital"),
        # English: the name runs to the whole word (Unions); a bare "Trade union" names no body
        ("Greenfield County Federation of Trade Unions 2022 Work Plan", [], "Greenfield County Federation of Trade Unions",
         "union_federation"),
        ("2019 City Hospital Labor Union Work Plan", [], "City Hospital Labor Union", "hospital"),
        ("Trade union work plan for 2019", [], None, "other"),
        ("Model essay on trade union work report", [], None, "other"),
        ("第1篇 2013年11月医院工会年终工作总结", [], "医院工会", "hospital"),
        ("2021 年小学工会工作计划", [], "小学工会", "school"),
        ("家长社区参与管理制度", [], None, "community"),
        ("第1篇:红星街道工会工作总结", [], "红星街道工会", "community"),  # the piece's number is no part of the name
        ("阳光小学工会工作计划阳光小学工会工作", [], "阳光小学工会", "school"),  # the name ends before the document word
        ("第2篇 xxxx年局工会工作报告", [], "局工会", "government"),  # a placeholder year ends the part before the name too
        ("关于红星机械厂工会2024年职工运动会的方案", [], "红星机械厂工会", "enterprise"),  # 关于 (about) is no part of the name
        ("职工运动会方案", ["20xx年XX月18日阳光小学工会"], "阳光小学工会", "school"),  # a date (a placeholder one too) on the name's line
        ("职工运动会方案", ["二〇二四年三月一日 红星社区工会"], "红星社区工会", "community"),
    ],
)
def test_organization_and_org_type(title, signature, org, kind):
    name = organization(title, signature)
    assert name == org
    assert org_type(name, title, "") == kind


def test_body_words_count_plain_words_and_patterns_alike():
    from planparse.metadata import _WeightedWords

    words = _WeightedWords([("community", ["我镇", "(?<!乡)镇工会"], 3), ("enterprise", ["企业"], 1)])
    assert words.automaton is not None and len(words.patterns) == 1  # only the pattern goes by regex
    assert words.counts("我镇工会指导企业,乡镇工会") == {"community": 6, "enterprise": 1}


def test_org_type_from_body_words_needs_enough_hits():
    assert org_type(None, "工会工作计划", "教师 教职工 学校 教学") == "school"
    assert org_type(None, "工会工作计划", "教师") == "other"
    # a company's people are its 员工, a group's units its 集团单位
    assert org_type(None, "工会工作计划篇1", "组织员工体检;举办员工运动会;开展集团单位的工会联谊。") == "enterprise"
    # a township union names itself (镇工会) while it speaks of the enterprises it serves
    township = "镇工会在镇党委领导下,指导全镇企业建会,帮助企业职工,推进企业集体协商。"
    assert org_type(None, None, township) == "community"
    # 乡镇工会 are the township unions a county federation guides
    assert org_type(None, None, "指导乡镇工会开展工作,推动乡镇工会规范化建设,全县工会要抓好落实。") == "union_federation"
    assert org_type(None, None, "全县工会要抓好各校工会的建家工作") == "union_federation"


_SCHOOL_BODY = "组织教师学习师德规范,开展教职工读书活动,落实校务公开,召开教代会,关心青年教师,丰富教职工文化生活,服务学校教学中心工作。"


@pytest.mark.parametrize("organization_name, title, body, kind", [
    # a template site's category over a school's plan: the bare word yields to the body
    (None, "2021企业基层工会工作计划(最新版)【篇一】", _SCHOOL_BODY, "school"),
    (None, "企业工会工作计划", _SCHOOL_BODY + "企业", "school"),
    # ... but not to a body that is only leaning, nor over a named unit or an organisation
    (None, "企业工会工作计划", "组织教师学习,开展教职工活动,服务学校。", "enterprise"),
    (None, "企业工会工作计划", _SCHOOL_BODY + "企业 公司", "enterprise"),
    (None, "红星机械厂工会2021年工作计划", _SCHOOL_BODY, "enterprise"),
    ("企业工会", "工会工作计划", _SCHOOL_BODY, "enterprise"),  # an organisation signed, not the title's category
    ("企业工会", "企业工会工作计划", _SCHOOL_BODY, "school"),  # a name read from the title types as the title does
    # a federation speaks of the units it serves
    (None, "县总工会2021年工作计划", "推进企业建会,指导企业开展集体协商,帮助企业职工,服务公司员工,非公企业建会。", "union_federation"),
])
def test_a_generic_title_yields_to_a_body_plainly_of_another_kind(organization_name, title, body, kind):
    assert org_type(organization_name, title, body) == kind


@pytest.mark.parametrize(
    "signature, date",
    [
        (["阳光小学工会", "二○二四年三月一日"], "2024-03-01"),
        (["阳光小学工会", "二〇二四年三月十一日"], "2024-03-11"),
        (["2024年3月1日"], "2024-03-01"),
        (["二○二四年十二月三十一日"], "2024-12-31"),
        (["Sunshine School Trade Union", "March 1, 2024"], "2024-03-01"),
        (["2024年13月1日"], None),  # no 13th month
        (["阳光小学工会"], None),
    ],
)
def test_issued_date(signature, date):
    assert issued_date(signature, None) == date


def test_issued_date_english_without_year_uses_plan_year():
    assert issued_date(["March 1"], 2024) == "2024-03-01"
    assert issued_date(["March 1"], None) is None


@pytest.mark.parametrize(
    "text, number",
    [
        ("某某工[2024]第3号\n各基层工会:", "某某工[2024]第3号"),
        ("鸡实验工〔2023〕5号 各基层工会", "鸡实验工〔2023〕5号"),
        ("阳光工(2024)第12号", "阳光工(2024)第12号"),
        ("一、指导思想\n以学习为主。", None),
    ],
)
def test_doc_number(text, number):
    assert doc_number(text) == number


def test_metadata_through_the_pipeline():
    result = parse_text(
        "2024年工会工作计划\n红机工[2024]第3号\n各基层工会:\n现将2024年工作计划印发给你们。\n一、主要工作\n1、召开职代会。\n2、开展劳动竞赛。\n"
        "红星机械厂工会\n二○二四年三月一日"
    )
    plan = result.plans[0]
    assert (plan.title, plan.language, plan.script, plan.doc_type) == ("2024年工会工作计划", "zh", "simplified", "plan")
    assert (plan.organization, plan.org_type, plan.year) == ("红星机械厂工会", "enterprise", 2024)
    assert (plan.issued_date, plan.doc_number) == ("2024-03-01", "红机工[2024]第3号")
    assert plan.plan_id == f"{result.source.sha256[:12]}-1"


def test_english_plan_metadata():
    plan = parse_text(
        "Trade Union Work Summary 2023\nFirst, main work and results: we held the congress.\nSecond, shortcomings: few activities."
    ).plans[0]
    assert (plan.language, plan.script, plan.doc_type, plan.year) == ("en", None, "summary", 2023)
    assert plan.org_type in ORG_TYPES


def test_placeholder_year_through_the_pipeline():
    plan = parse_text("阳光小学工会20xx年工作计划\n一、主要工作\n1、召开教代会。\n2、开展送温暖活动。").plans[0]
    assert plan.year is None


def test_community_union_is_community():
    assert org_type("红星社区工会", "红星社区工会2024年工作计划", "") == "community"


def test_traditional_script_plan_has_its_title():
    plan = parse_text("學校工會2024年工作計劃\n一、主要工作\n1、召開教代會，審議學校工作報告。\n2、開展送溫暖活動。").plans[0]
    assert plan.script == "traditional"
    assert plan.title == "學校工會2024年工作計劃"


def test_a_traditional_untitled_summary_and_its_org_type_are_read_from_the_matching_text():
    result = parse_text("本年度,我校工會在黨支部領導下,圍繞學校中心工作,現回顧如下。\n"
                        "一、組織教職工參加學習培訓,提升教師專業水平。\n二、關心教職工生活,走訪慰問退休教師。")
    plan = result.plans[0]
    assert (plan.doc_type, plan.org_type) == ("summary", "school")


def test_a_count_like_a_year_gives_no_year():
    assert year_of(None, "上半年,全区共有1957个班组报名参加创建活动。") is None


@pytest.mark.parametrize("title, kind", [
    ("中山纪念中学教育工会2019年工作计划", "school"),  # a school's union: the unit before the sector word
    ("Zhongshan Memorial Middle School Education Union 2019 work plan", "school"),
    ("XX集团公司总工会2024年工作要点", "enterprise"),
    ("区教育工会2019年工作计划", "union_federation"),  # no unit before it: the sector union itself
    ("市总工会2024年工作要点", "union_federation"),
    ("District Education Union work plan", "union_federation"),
])
def test_a_sector_union_word_defers_to_a_unit_named_before_it(title, kind):
    assert org_type(None, title, "") == kind


def test_the_year_comes_from_the_title_or_the_opening_not_from_deep_in_the_body():
    opening = "今年,我校工会将以党的二十大精神为指导,围绕学校中心工作,团结动员广大教职工。"
    deep = opening * 6 + "在2008年全省厂务公开交流会上,我校做了经验介绍。"
    assert year_of(None, deep) is None  # a past event far into the text
    assert year_of(None, "2024年," + opening) == 2024
    assert year_of("学校工会2023年工作计划", deep) == 2023


def test_a_plan_without_a_year_takes_the_year_of_the_header_above_it():
    pieces = "一、主要工作\n1、召开职代会。\n2、开展送温暖活动。\n"
    page = ("2021年医院工会工作计划(通用3篇)\n医院工会工作计划篇1\n" + pieces + "医院工会工作计划篇2\n" + pieces
            + "工会工作计划范文\n工会工作计划\n工会工作计划篇1\n" + pieces)
    plans = parse_text(page).plans
    assert [p.title for p in plans] == ["医院工会工作计划篇1", "医院工会工作计划篇2", "工会工作计划篇1"]
    # the collection's year heads both its pieces; the next header names no year
    assert [p.year for p in plans] == [2021, 2021, None]


def test_a_post_date_above_a_plan_gives_it_no_year():
    plans = parse_text("2024/09/29总结范文\n工会工作计划篇1\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。").plans
    assert [p.year for p in plans] == [None]


def test_a_plan_that_writes_a_placeholder_year_does_not_take_its_headers_year():
    page = ("2022年基层工会工作计划(四篇)\n乡镇工会工作计划篇一\n20xx年,镇工会工作的总体思路是:服务职工。\n"
            "一、主要工作\n1、召开职代会。\n2、开展送温暖活动。\n")
    assert [p.year for p in parse_text(page).plans] == [None]


@pytest.mark.parametrize("opening, name", [
    ("20xx年,公司工会认真贯彻执行党的精神。", "公司工会"),
    ("镇工会在镇党委领导下,团结动员广大职工。", "镇工会"),
    ("XX縣總工會在省市總的工作指導和縣委領導下開展工作。", "XX縣總工會"),  # as written
    ("20xx年,镇总工会工作的总体思路是:深入学习。", "镇总工会"),
    ("新的一年,学校工会将继续服务教职工。", "学校工会"),
    ("在区总工会的指导下,我校工会将做好服务。", None),  # the superior body, then the plan's own word
    ("明年全区工会工作的总体要求是:服务大局。", None),  # a scope, not a name
    ("工会将认真做好各项工作。", None),
])
def test_the_issuer_is_read_from_the_subject_of_the_opening_sentence(opening, name):
    assert body_subject(opening) == name


def test_a_plan_without_an_issuer_in_its_title_names_the_one_its_opening_speaks_for():
    plan = parse_text("工会年终工作总结篇1\nXX县总工会在省市总的工作指导和县委领导下,取得了显著成绩。\n"
                      "一、主要工作\n1、开展了企业建会工作,新建企业工会12家。\n2、慰问了困难职工。").plans[0]
    assert (plan.organization, plan.org_type) == ("XX县总工会", "union_federation")
