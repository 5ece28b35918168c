"""clean: site chrome, download notices, form fields, placeholders and editor blurbs are
cut and recorded in ``doc.removed`` with a reason; a title printed 2-3 times is kept once
(with its 篇 marker); enumerated plan text is never cut."""
from __future__ import annotations

import re

import pytest

from planparse.doc import Doc
from planparse.pipeline import Pipeline
from planparse.readers.base import Block, RawDocument
from planparse.records import SourceInfo

CLEAN = Pipeline(("normalize", "clean"))


def run_clean(text: str) -> Doc:
    raw = RawDocument(blocks=[Block(text=line) for line in text.splitlines()], format="txt")
    return CLEAN(Doc(source=SourceInfo(path="t.txt", format="txt", sha256="0" * 64, bytes=0), raw=raw))


def kept(doc: Doc) -> list[str]:
    return [line.text_of(doc.text) for line in doc.kept]


def removed(doc: Doc) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in doc.removed]


BODY = "一、指导思想\n以党的二十大精神为指导,团结动员广大教职工建功立业。\n二、主要工作\n1、召开教代会,审议学校年度工作报告。"


@pytest.mark.parametrize(
    "line, reason",
    [
        ("当前位置：首页 > 工作计划 > 工会工作计划", "breadcrumb"),
        ("您的位置:首页>范文大全>工作计划", "breadcrumb"),
        ("首页 > 实用范文 > 工会", "breadcrumb"),
        ("Work Plan > Trade Union Work Plan", "breadcrumb"),
        ("View more>>", "site chrome"),
        ("上一篇：社区工会工作总结", "site chrome"),
        ("下一篇：2024年教师节慰问方案", "site chrome"),
        ("返回顶部", "site chrome"),
        ("返回首页", "site chrome"),
        ("范文首页自我鉴定工作总结工作计划演讲稿讲话稿合同范文 |", "site chrome"),  # a site's menu run together
        ("《2023年社区工会工作总结5篇.docx》由会员分享,可在线阅读,更多相关文档请在本站搜索。", "download notice"),
        ("《工会的工作计划》由会员上传分享,免费在线阅读,更多相关内容在文库。", "download notice"),
        ("浏览记录", "site chrome"),
        ("ID:27659507", "file info"),
        ("时间:2018-12-05", "file info"),
        ("相关推荐：", "related articles"),
        ("推荐阅读", "related articles"),
        ("Related articles", "related articles"),
        ("学校工会工作计划 | 医院工会工作计划 | 社区工会工作计划", "related articles"),
        ("本文档由用户上传，收益归属内容提供方，如有侵权请联系网站客服。", "download notice"),
        ("网站客服QQ：403074932", "download notice"),
        ("立即下载", "download notice"),
        ("免费下载本文档", "download notice"),
        ("28.50 KB", "file info"),
        ("2023-04-22 发布", "file info"),
        # a document-sharing page's info list, one fact per bullet
        ("- 2026-03-06 发布于四川", "file info"),
        ("- 约5.22千字", "file info"),
        ("• 约 9页", "file info"),
        ("- 0", "file info"),
        ("- 举报", "site chrome"),
        ("51范文网", "site chrome"),  # a template site's name on a line of its own
        ("糯米文學吧", "site chrome"),
        ("无忧淘文网", "site chrome"),
        ("登录", "site chrome"),
        ("您的当前位置:首页正文", "breadcrumb"),
        ("2022-04-13 来源:意榕旅游网", "file info"),
        ("- 2021-04-22 发布 |", "file info"),  # the list printed as one row
        ("- 37.5 KB |", "file info"),
        ("时间:2024.5.8", "file info"),
        ("发布时间:2023-04-18 文章来源:县总工会", "file info"),
        ("更新日期：2022年3月5日", "file info"),
        ("字号:[ 大 中 小 ]", "site chrome"),
        ("6页", "file info"),
        ("浏览次数：1024", "file info"),
        ("本文档文字可以自由修改", "editable template"),
        ("这里填写您的单位名称", "placeholder"),
        ("Enter your company name", "placeholder"),
        ("Current location - Home - Work Plans - Union Work Plan", "breadcrumb"),
        ("Essay Network - Workplace - Trade union work plan for the year", "breadcrumb"),
        ("You are here: Home > Plans", "breadcrumb"),
        ("欢迎来到范文网!", "site chrome"),
        ("您好,欢迎访问文档中心", "site chrome"),
        ("天天学习,范文网欢迎您!", "site chrome"),
        ("关键词:工会工作计划、学校、范文", "site chrome"),
        ("Keywords: trade union, work plan", "site chrome"),
        ("最佳答案", "site chrome"),
        ("- 文档编号:1234567", "file info"),
        ("- 上传时间:2023-07-04", "file info"),
        ("大小:21.39KB", "file info"),
        ("来源:网友投稿", "file info"),
        ("2024-01-29 13:09:00工作计划", "file info"),
        ("时间:2021-02-01 09:24:39 工作计划 我要投稿", "file info"),
        ("發布時間:2023-01-04 01:17:39", "file info"),
        ("幼儿园工会计划_第2页", "file info"),
        ("已阅读5页,还剩1页未读 继续免费阅读", "download notice"),
        ("资源描述:", "site chrome"),
        ("时间:2022-08-25 工作总结 我要投稿", "site chrome"),
        ("[此文共3498字]", "file info"),
        ("您现在的位置是:首页>>工会园地>>队伍建设>>文章内容", "breadcrumb"),
        ("投诉建议", "site chrome"),
        ("- 文档页数:4", "file info"),
        ("时间:2023-05-21 作者:储xy", "file info"),
        ("更新时间:发布时间:", "file info"),
        ("3243.png", "site chrome"),
        ("—分享—", "site chrome"),
    ],
)
def test_boilerplate_lines_are_removed_with_reason(line, reason):
    doc = run_clean(f"{line}\n阳光小学工会2024年工作计划\n{BODY}")
    assert len(kept(doc)) == 1 + BODY.count("\n") + 1  # the title and the body only
    reasons = [why for text, why in removed(doc)]
    assert reason in reasons, removed(doc)
    assert kept(doc)[0] == "阳光小学工会2024年工作计划"
    assert kept(doc)[-1] == "1、召开教代会,审议学校年度工作报告。"


@pytest.mark.parametrize(
    "line, gone, left",
    [
        ("部门：______________ 姓名：______________", ["部门:", "姓名:"], []),
        ("编制人:__________ 日期:__________", ["编制人:", "日期:"], []),
        ("单位：________ 工会2024年工作计划", ["单位:"], ["工会2024年工作计划"]),
        ("Department: ________ Date: ________", ["Department:", "Date:"], []),
    ],
)
def test_form_fields_are_cut_from_lines(line, gone, left):
    doc = run_clean(f"{line}\n{BODY}")
    texts = kept(doc)
    assert all(g not in t for g in gone for t in texts)
    assert all(any(l in t for t in texts) for l in left)
    assert "form field" in {why for _, why in removed(doc)}


@pytest.mark.parametrize(
    "line, left",
    [("下载后可任意编辑街道2024年度工会工作总结", "街道2024年度工会工作总结"), ("文本为Word版本,下载可任意编辑社区工会工作总结", "社区工会工作总结"), ("精选优质文档-倾情为你奉上幼儿园工会计划", "幼儿园工会计划")],
)
def test_download_slogans_glued_to_a_title_are_cut(line, left):
    doc = run_clean(f"{line}\n{BODY}")
    assert kept(doc)[0] == left
    assert [why for _, why in removed(doc)] == ["download notice"]


@pytest.mark.parametrize(
    "line, left, reason",
    [
        ("4、加强与企事业单位的沟通与合作第1 页共 3页", "4、加强与企事业单位的沟通与合作", "page footer"),
        ("4、加强与企事业单位的沟通与合作 共3页 第2页", "4、加强与企事业单位的沟通与合作", "page footer"),
        ("(四)换届选举。2022年1月进行机关工会换届选举。扫一扫在手机打开当前页", "(四)换届选举。2022年1月进行机关工会换届选举。", "site chrome"),
        ("3、建立职工诉求台账,做到有据可依####", "3、建立职工诉求台账,做到有据可依", "markup"),
    ],
)
def test_footers_and_chrome_glued_to_plan_text_are_cut(line, left, reason):
    doc = run_clean(f"{BODY}\n{line}")
    assert kept(doc)[-1] == left
    assert reason in {why for _, why in removed(doc)}


@pytest.mark.parametrize(
    "intro",
    [
        "以下是小编整理的2024年学校工会工作计划，仅供参考，希望能帮助到大家。",
        "工会工作计划怎么写呢？下面是小编为大家收集的范文，欢迎阅读。",
        "以下是为大家精心整理的工会工作计划范文，供大家参考。",
        "The following is a trade union work plan compiled by the editor for your reference.",
        "Here is a work plan shared for you. Hope it helps.",
        "Below are 5 trade union work plans that I have collected for you.",
        "You are welcome to read them. I hope you will like them.",
        "此篇文章工会工作计划(精选6篇),由范文网整理,希望能够帮助得到大家。",
        "[摘要]2021乡镇工会工作计划为会员投稿推荐,但愿对你的学习工作带来帮助。",
        "开篇:本网以专业的文秘视角,为您筛选了八篇工会工作制度范文。",
    ],
)
def test_editor_intro_sentences_are_removed(intro):
    doc = run_clean(f"{intro}\n{BODY}")
    assert kept(doc)[0] == "一、指导思想"
    assert {why for _, why in removed(doc)} == {"editor intro"}
    assert "".join(t for t, _ in removed(doc)).replace(" ", "") == intro.replace("，", ",").replace("？", "?").replace(" ", "")


@pytest.mark.parametrize(
    "blurb",
    [
        "日子过得飞快,转眼又是新的一年,赶快动手写一份计划吧。",
        "新的起点已经到来,写好计划才不会迷失方向哦。",
        "时间过得真快,新的挑战又在眼前,是时候开始制定工作计划了。",
        "我们的工作又将在忙碌中充实着,为此需要好好地写一份工作计划了。",
        "时间过得真快,我们又将展开新的旅程,该为自己下阶段的工作制定一个计划了,但是计划要怎么写呢?",
        "不经意间,工作已经告一段落,我们收获良多,需要认真地为此写一份工作总结。",
        "Time flies and new challenges come. Let us sit down and write a work plan.",
    ],
)
def test_template_blurbs_urging_a_plan_are_removed(blurb):
    doc = run_clean(f"阳光小学工会2024年工作计划\n{blurb}\n{BODY}")
    assert "template blurb" in [why for _, why in removed(doc)]
    assert kept(doc)[1:] == BODY.split("\n")


@pytest.mark.parametrize("sentence", ["各工会小组要认真制定活动计划,报工会办公室备案。", "Each union group will make a plan for its activities.",
                                      "年初制定了工作计划,全年各项工作都顺利完成了。"])
def test_plan_sentences_about_making_plans_survive(sentence):
    doc = run_clean(f"阳光小学工会2024年工作计划\n{BODY}\n{sentence}")
    assert sentence in kept(doc), removed(doc)


def test_blurb_run_into_a_repeated_title_is_cut_and_the_title_kept():
    """A page that prints its title again with the blurb on the same line: the title is
    the anchor's, the blurb after it is still the site's."""
    title = "阳光小学工会2024年工作计划"
    blurb = "日子过得飞快,我们的工作又将在忙碌中充实着,是时候写一份工作计划了。"
    doc = run_clean(f"{title}\n{title} {blurb}\n{BODY}")
    assert (blurb, "template blurb") in removed(doc)
    assert kept(doc) == [title] + BODY.split("\n")


def test_editor_praise_of_a_collection_is_cut():
    doc = run_clean("某某网整理的工会工作总结(精选23篇),汇集精品范文供参考,请您欣赏。\n" + BODY)
    assert [why for _, why in removed(doc)] == ["editor intro"]


def test_editor_intro_cut_keeps_rest_of_line():
    doc = run_clean("以下是小编整理的工会工作计划，仅供参考。阳光小学工会2024年工作计划\n" + BODY)
    assert kept(doc)[0] == "阳光小学工会2024年工作计划"
    assert [why for _, why in removed(doc)] == ["editor intro"]


@pytest.mark.parametrize(
    "before, intro",
    [
        ("日子如同白驹过隙,我们又将接触新的知识,积累新的经验。计划怎么写才不会流于形式呢?",
         "以下是小编帮大家整理的社区工作计划9篇,供大家参考借鉴。"),
        ("时间流逝得如此之快,新一轮的工作即将来临,请一起努力,写一份计划吧。拟起计划来就毫无头绪?",
         "下面是小编帮大家整理的中学工会工作计划,希望对大家有所帮助。"),
        ("工作总结是做好各项工作的重要环节,通过它可以全面地了解以往的工作情况。", "以下关于村委会工作总结范文,仅供参考。"),
        ("光阴的迅速,一眨眼就过去了,一定有不少可以计划的东西吧。相信大家又在为写工作计划犯愁了吧!",  # a template blurb between
         "以下是小编为大家整理的妇联工作计划,仅供参考。"),
        ("In order to ensure the success of activities, it is often necessary to make an activity plan in advance. "
         "So do you understand the activity plan? ",
         "The following are the trade union activity plans I collected for you, which are for reference only."),
    ],
)
def test_sentences_before_an_editor_intro_in_its_paragraph_are_the_blurb(before, intro):
    doc = run_clean(f"阳光小学工会2024年工作计划\n{before}{intro}\n{BODY}")
    assert kept(doc) == ["阳光小学工会2024年工作计划"] + BODY.split("\n")
    assert "".join(t for t, _ in removed(doc)).replace(" ", "") == (before + intro).replace(" ", "")
    assert {why for _, why in removed(doc)} <= {"site blurb", "editor intro", "template blurb"}


def test_a_long_paragraph_before_an_editor_intro_keeps_all_but_the_intro():
    """More sentences than a blurb has (boilerplate.json blurb_paragraph): the paragraph is
    the page's own text, and only the intro goes."""
    own = "".join(f"第{n}项工作已经完成。" for n in range(1, 7))
    doc = run_clean(f"{own}以下是小编整理的工会工作计划，仅供参考。\n" + BODY)
    assert kept(doc)[0] == own
    assert [why for _, why in removed(doc)] == ["editor intro"]


def test_an_enumerated_line_ending_in_an_editor_phrase_is_kept():
    line = "1、做好宣传工作。编印学习资料,供大家参考学习。"
    doc = run_clean(f"{BODY}\n{line}")
    assert line in kept(doc)


def test_removed_spans_point_at_the_removed_text():
    doc = run_clean(
        "当前位置:首页 > 工作计划\n以下是小编整理的工作计划,仅供参考。\n部门:________ 姓名:________\n" + BODY + "\n相关推荐:\n下载地址"
    )
    assert len(doc.removed) >= 4
    for r in doc.removed:
        assert r.span is not None
        assert doc.text[r.span[0] : r.span[1]].strip() == r.text
        assert r.reason


@pytest.mark.parametrize("copies", [2, 3])
def test_title_printed_several_times_is_kept_once(copies):
    title = "阳光小学工会2024年工作计划"
    doc = run_clean("\n".join([title] * copies) + "\n" + BODY)
    texts = kept(doc)
    assert texts.count(title) == 1
    assert texts[0] == title
    assert [why for _, why in removed(doc)] == ["repeated title"] * (copies - 1)
    assert len(doc.title_anchors) == 1
    s, e = doc.title_anchors[0]
    assert doc.text[s:e] == title


def test_longer_copy_of_a_title_is_the_whole_title():
    """`X的` then `X的范文`: a copy with a few more word characters completes the title; it
    is not a title glued to its body."""
    doc = run_clean("社区工会工作计划的\n社区工会工作计划的范文\n" + BODY)
    assert kept(doc)[0] == "社区工会工作计划的范文"
    s, e = doc.title_anchors[0]
    assert doc.text[s:e] == "社区工会工作计划的范文"
    # a body glued on is still cut off: it runs on with numbering
    doc = run_clean("社区工会工作计划\n社区工会工作计划一、指导思想\n以党的精神为指导。")
    s, e = doc.title_anchors[0]
    assert doc.text[s:e] == "社区工会工作计划"


@pytest.mark.parametrize("tail", ["(精选5篇)", "(13篇)", "[汇总15篇]", "合集7篇", "范文錦集十篇"])
def test_a_copy_of_the_title_with_a_collection_count_is_the_whole_line(tail):
    """`X` then `X(精选5篇)`: the page's collection header, not the title X and a body
    opening with (精选5篇)."""
    doc = run_clean(f"学校工会工作计划\n学校工会工作计划{tail}\n{BODY}")
    s, e = doc.title_anchors[0]
    assert doc.text[s:e] == f"学校工会工作计划{tail}"
    # a copy followed by its body's first words is still cut after the title
    doc = run_clean("学校工会工作计划\n学校工会工作计划新学期,工会将认真组织学习。\n" + BODY)
    s, e = doc.title_anchors[0]
    assert doc.text[s:e] == "学校工会工作计划"


def test_a_collection_header_repeated_above_its_first_piece_leaves_nothing_in_the_piece():
    from planparse.api import parse_text

    page = ("学校工会工作计划\n学校工会工作计划(精选5篇)\n下面是小编为大家收集的学校工会工作计划(精选5篇),希望能够帮助到大家。\n"
            "学校工会工作计划(精选5篇)\n学校工会工作计划1\n20xx年,工会在学校党支部的领导下开展工作。\n一、主要工作\n1、召开教代会。\n")
    plans = parse_text(page).plans
    assert [p.title for p in plans] == ["学校工会工作计划1"]
    assert plans[0].sections[0].text.startswith("20xx年")


@pytest.mark.parametrize("marker", ["【篇一】", "【篇二】", "篇1", "篇三"])
def test_repeated_title_keeps_its_collection_marker(marker):
    title = "红星中学工会工作计划"
    doc = run_clean(f"{title}\n{title}\n{title}{marker}\n{BODY}")
    assert kept(doc)[0] == f"{title}{marker}"
    s, e = doc.title_anchors[0]
    assert doc.text[s:e] == f"{title}{marker}"


def test_title_copy_glued_to_the_body_is_cut_into_its_own_line():
    title = "红星中学工会工作计划"
    doc = run_clean(f"{title}\n{title}【篇一】一、指导思想以学习为主。\n二、主要工作")
    assert kept(doc)[:2] == [f"{title}【篇一】", "一、指导思想以学习为主。"]
    assert removed(doc) == [(title, "repeated title")]


def test_numbered_lines_are_not_taken_for_repeated_titles():
    doc = run_clean("一、加强学习\n一、加强学习,提高素质。\n二、关心职工")
    assert kept(doc) == ["一、加强学习", "一、加强学习,提高素质。", "二、关心职工"]
    assert doc.removed == []


PLAN = """阳光小学工会2024年工作计划
新学期,学校工会在校党支部和上级工会的领导下,制定本计划。
一、指导思想
以习近平新时代中国特色社会主义思想为指导,全面贯彻党的二十大精神。
二、工作目标
1、争创市级模范职工之家。
2、教职工参加体检率达到100%。
三、主要工作
(一)加强思想政治建设
1、组织教职工开展政治理论学习,每月一次。
2、开展“师德标兵”评选活动,树立先进典型。
(二)推进民主管理
1、召开第五届教代会第三次会议,审议学校工作报告。
2、坚持校务公开,更多地听取教职工意见和建议。
3、下一步完善教代会提案工作制度。
(三)关心职工生活
①开展“送温暖”活动,走访慰问困难教职工。
②组织退休教师重阳节座谈会。
(1)做好女职工特殊权益保护工作。
(2)做好会费收缴和经费管理,定期公开账目。
1.1 举办教职工篮球赛和拔河比赛。
1.2 办好工会宣传栏,及时报送工作信息。
四、保障措施
1、加强领导,明确分工。
2、落实经费,确保活动开展。
五、月份工作安排
三月份:召开教代会;举办三八节联谊活动。
九月份:庆祝教师节,表彰优秀教师。
阳光小学工会
2024年2月26日"""

_ENUMERATED = re.compile(r"^\s*(\d+、|\d+\.\d+|[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|[①-⑳])")


def test_enumerated_lines_always_survive():
    """Property: every line of a plan that starts with an enumeration token is kept whole."""
    doc = run_clean(PLAN)
    texts = kept(doc)
    numbered = [ln for ln in PLAN.splitlines() if _ENUMERATED.match(ln)]
    assert len(numbered) >= 20
    for line in numbered:
        assert line in texts, f"enumerated line lost: {line}"
    assert doc.removed == []


@pytest.mark.parametrize("noise", ["当前位置:首页 > 工作计划", "相关推荐:", "本文档由用户上传,收益归属用户。", "部门:________"])
def test_enumerated_lines_survive_among_boilerplate(noise):
    lines = PLAN.splitlines()
    noisy = "\n".join(part for ln in lines for part in (ln, noise))
    doc = run_clean(noisy)
    texts = kept(doc)
    for line in (ln for ln in lines if _ENUMERATED.match(ln)):
        assert line in texts, f"enumerated line lost: {line}"
    assert all(noise.split(":")[0] not in t for t in texts)


@pytest.mark.parametrize("line", [
    "2019 - 2020 School Year - Union Work Plan",  # numbers, not page names, between the dashes
    "Central Union - Year Work Plan:",
    "20xx - xx - xx发布",
    "Welcome the new teachers - hold a tea party - visit retired staff.",  # a sentence
    "2023年3月1日",  # a signature date stays for issued_date
    "欢迎新教师入职座谈会",
    "信息来源:县总工会网站和各基层工会上报的材料,经汇总后形成本计划。",  # a source named in a sentence
    "全年参加活动职工约3000人次",
])
def test_lines_like_chrome_that_are_plan_text_survive(line):
    doc = run_clean(f"阳光小学工会2024年工作计划\n{line}\n{BODY}")
    assert line.replace("：", ":") in kept(doc), removed(doc)


def test_traditional_script_page_loses_its_chrome_too():
    """The markers are written in simplified characters; a traditional page is matched
    through its simplified form, and what is cut and kept is the text as written."""
    body = "一、指導思想\n以黨的精神為指導,團結動員廣大教職工。\n二、主要工作\n1、召開教代會,審議學校工作報告。"
    doc = run_clean("當前位置:首頁 > 範文 > 工作計劃\n陽光小學工會工作計劃\n以下是小編整理的工會工作計劃,僅供參考。\n" + body + "\n下載本文檔")
    assert kept(doc) == ["陽光小學工會工作計劃"] + body.split("\n")
    assert [why for _, why in removed(doc)] == ["breadcrumb", "editor intro", "download notice"]
    assert removed(doc)[1][0] == "以下是小編整理的工會工作計劃,僅供參考。"  # as written


def test_publicity_task_mentioning_zhengli_fabu_survives():
    line = "3、及时收集、整理发布工会工作信息,办好工会宣传栏。"
    doc = run_clean(f"二、主要工作\n1、召开教代会。\n2、开展送温暖活动。\n{line}")
    assert line in kept(doc)


def test_task_sentence_with_gong_dajia_cankao_survives():
    line = "2、组织教师撰写教学经验论文,汇编成册供大家参考。"
    doc = run_clean(f"二、主要工作\n1、召开教代会。\n{line}")
    assert line in kept(doc)


def test_prefilters_cut_exactly_what_the_rules_cut(monkeypatch):
    """The context-free-sentence prefilter only skips work: with it switched off, every
    sample is cut the same."""
    import dataclasses
    from pathlib import Path

    from planparse import clean as clean_module
    from planparse.readers import read_file

    samples = Path(__file__).resolve().parents[1] / "corpora" / "samples"
    files = sorted(p for p in samples.iterdir() if p.suffix in (".txt", ".html", ".docx"))
    assert files

    def cut(path):
        doc = Doc(source=SourceInfo(path=str(path), format=None, sha256="", bytes=0), raw=read_file(path))
        doc = Pipeline(("normalize", "clean")).__call__(doc)
        return [(r.span, r.reason) for r in doc.removed], [(k.start, k.end) for k in doc.kept]

    fast = [cut(p) for p in files]
    full = clean_module.rules()
    plain = dataclasses.replace(full, local_sentences=tuple(False for _ in full.sentences))
    monkeypatch.setattr(clean_module, "rules", lambda: plain)
    assert [cut(p) for p in files] == fast
    assert any(removed for removed, _ in fast)


def test_needle_scans_and_start_gate_cut_exactly_what_the_rules_cut(monkeypatch):
    """The per-line needle scans and the gate for line rules tried at the line start only
    skip work: with them switched off, every sample is cut the same."""
    import dataclasses
    from pathlib import Path

    from planparse import clean as clean_module
    from planparse.readers import read_file
    from planparse.regex_gate import NeedleScan

    samples = Path(__file__).resolve().parents[1] / "corpora" / "samples"
    files = sorted(p for p in samples.iterdir() if p.suffix in (".txt", ".html", ".docx"))
    extra = "姓名:______\n编号:AB-12\n(工作计划)\n本文档由用户上传\n第3页\n客服qq:12345678\nA | B | C | D\n首页 > 计划\n"

    def cut_all():
        docs = [Doc(source=SourceInfo(path=str(p), format=None, sha256="", bytes=0), raw=read_file(p)) for p in files]
        out = [Pipeline(("normalize", "clean"))(doc) for doc in docs] + [run_clean(extra)]
        return [([(r.span, r.reason) for r in d.removed], [(k.start, k.end) for k in d.kept]) for d in out]

    fast = cut_all()
    full = clean_module.rules()
    every_line_rule = tuple(dataclasses.replace(rule, needles=None) for rule in full.lines)  # none filtered out
    plain = dataclasses.replace(full, lines=every_line_rule, line_scanners=every_line_rule, start_gate=None)
    monkeypatch.setattr(clean_module, "rules", lambda: plain)
    monkeypatch.setattr(NeedleScan, "may_match", lambda self, start, end: True)
    assert cut_all() == fast
    assert any(removed for removed, _ in fast)


@pytest.mark.parametrize("line", ["姓名: ______ 日期:___", "see 12 and 345", "编号:AB-12 编号", "(方案)", "x quickly. y",
                                  "abc", "", "ı İ ſ 姓名:___", "see for your reference", "完成。AB123"])
def test_needle_scan_never_rules_out_a_match(line):
    """A span the scan rules out holds no match of the rule (a line of its own and inside
    a longer text)."""
    from planparse import clean as clean_module
    from planparse.regex_gate import NeedleScan, fold_for_filters

    r = clean_module.rules()
    text = "前文\n" + line + "\n后文 123"
    start, end = 3, 3 + len(line)
    for rule in r.lines + r.fragments + r.sentences:
        scan = NeedleScan(rule.needles, text, fold_for_filters(text))
        for s, e in ((0, 2), (start, end), (start + 1, end), (end + 1, len(text))):
            if rule.pattern.search(text, s, e):
                assert scan.may_match(s, e), (rule.pattern.pattern, s, e)
