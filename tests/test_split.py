"""split: a collection page becomes one draft per plan with its title; a single plan
stays one; plan regions do not overlap."""
from __future__ import annotations

import pytest

from planparse.api import parse_text
from planparse.doc import Doc
from planparse.pipeline import Pipeline
from planparse.readers.base import Block, RawDocument
from planparse.records import SourceInfo
from planparse.split import is_collection_header, is_title_like

SPLIT = Pipeline(("normalize", "clean", "split"))


def run_split(text: str) -> Doc:
    raw = RawDocument(blocks=[Block(text=line) for line in text.splitlines()], format="txt")
    return SPLIT(Doc(source=SourceInfo(path="t.txt", format="txt", sha256="0" * 64, bytes=0), raw=raw))


def titles(doc: Doc) -> list[str | None]:
    return [d.title for d in doc.drafts]


def assert_disjoint_and_ordered(doc: Doc) -> None:
    for draft in doc.drafts:
        assert draft.start < draft.end
        starts = [line.start for line in draft.lines]
        assert starts == sorted(starts), "a draft's lines are in text order"
        assert draft.start == draft.lines[0].start and draft.end == draft.lines[-1].end
    for a, b in zip(doc.drafts, doc.drafts[1:]):
        assert a.end <= b.start, "plans do not overlap"


COLLECTION = """学校工会工作计划范文（通用2篇）
阳光小学工会工作计划【篇一】
一、指导思想
以党的二十大精神为指导，团结全体教职工。
二、主要工作
1、召开教代会，审议学校工作报告。
2、开展送温暖活动，慰问困难教职工。
红星中学工会工作计划【篇二】
一、指导思想
认真学习贯彻党的精神，全面履行工会职能。
二、主要工作
1、加强师德建设，开展师德标兵评选。
2、组织教职工健康体检。"""


def test_collection_with_piece_markers_gives_one_plan_each():
    doc = run_split(COLLECTION)
    assert titles(doc) == ["阳光小学工会工作计划【篇一】", "红星中学工会工作计划【篇二】"]
    assert_disjoint_and_ordered(doc)
    # The page's own header is no plan's title; it is recorded as removed.
    assert ("学校工会工作计划范文(通用2篇)", "collection title") in [(r.text, r.reason) for r in doc.removed]
    first, second = doc.drafts
    assert "阳光小学" in doc.text[first.start : first.end] and "红星中学" not in doc.text[first.start : first.end]
    assert doc.text[second.start : second.end].endswith("2、组织教职工健康体检。")


def test_collection_through_the_api_gives_two_plans():
    result = parse_text(COLLECTION)
    assert [p.title for p in result.plans] == ["阳光小学工会工作计划【篇一】", "红星中学工会工作计划【篇二】"]
    assert [len(p.tasks) for p in result.plans] == [2, 2]


@pytest.mark.parametrize(
    "head, title",
    [
        ("红星医院工会工作计划篇1一、指导思想以习近平新时代中国特色社会主义思想为指导。", "红星医院工会工作计划篇1"),
        ("红星医院工会工作计划【篇一】一、指导思想以习近平新时代中国特色社会主义思想为指导。", "红星医院工会工作计划【篇一】"),
        ("红星医院工会2024年工作计划一、指导思想以习近平新时代中国特色社会主义思想为指导。", "红星医院工会2024年工作计划"),
    ],
)
def test_title_glued_to_first_heading_is_cut_off(head, title):
    doc = run_split(f"{head}\n二、主要工作\n1、推进院务公开。\n2、举办护士节联谊活动。")
    assert titles(doc) == [title]
    draft = doc.drafts[0]
    assert doc.text[draft.title_span[0] : draft.title_span[1]] == title
    body_first = draft.lines[1].text_of(doc.text)
    assert body_first.startswith("一、指导思想")


ENGLISH_TWO = """Work Plan > Trade Union Work Plan
2024 Sunshine School Trade Union Work Plan
First, the guiding ideology: guided by the spirit of the congress, we will serve the teachers.
Second, the main work
1. Hold the teachers' congress.
2. Carry out the activity of sending warmth.
Third, safeguard measures: strengthen the leadership.
View more>>
First, the guiding ideology: we will study the theory and protect the rights of the staff.
Second, the main work: organize health checks for the staff and hold a basketball game.
Third, the work requirements: do a good job in the files.
View more>>"""


def test_english_page_with_two_plans_split_at_view_more():
    doc = run_split(ENGLISH_TWO)
    assert len(doc.drafts) == 2
    assert titles(doc)[0] == "2024 Sunshine School Trade Union Work Plan"
    for draft in doc.drafts:
        body = [ln.text_of(doc.text) for ln in draft.lines if not (draft.title_span and ln.start == draft.title_span[0])]
        assert body[0].startswith("First, the guiding ideology:")
    assert sorted(r.reason for r in doc.removed) == ["breadcrumb", "site chrome", "site chrome"]
    assert all("View more" not in doc.text[d.start : d.end] for d in doc.drafts)
    assert_disjoint_and_ordered(doc)


def test_english_page_with_titled_plans():
    text = ENGLISH_TWO.replace("View more>>\nFirst,", "View more>>\n2024 City Hospital Trade Union Work Plan\nFirst,", 1)
    doc = run_split(text)
    assert titles(doc) == ["2024 Sunshine School Trade Union Work Plan", "2024 City Hospital Trade Union Work Plan"]


def test_restart_after_related_articles_line_is_a_new_plan():
    doc = run_split(
        "2024年工会工作计划\n一、指导思想\n以学习为主。\n二、主要工作\n开展送温暖。\n相关推荐:\n"
        "一、指导思想\n认真学习贯彻。\n二、主要工作\n组织体检活动。"
    )
    assert len(doc.drafts) == 2
    assert doc.drafts[1].lines[0].text_of(doc.text) == "一、指导思想"


SINGLE = """阳光小学工会2024年工作计划
一、指导思想
以党的二十大精神为指导。
二、主要工作
（一）加强民主管理
1、召开教代会。
2、推进校务公开。
（二）关心职工生活
1、开展送温暖活动。
2、组织体检。
（三）丰富文体活动
1、举办拔河比赛。
三、保障措施
1、加强领导。
2、落实经费。
附：月份工作安排
1、三月份：召开教代会。
2、四月份：举办读书交流会。"""


def test_single_plan_stays_one_plan():
    doc = run_split(SINGLE)
    assert titles(doc) == ["阳光小学工会2024年工作计划"]
    draft = doc.drafts[0]
    assert draft.start == 0 and draft.end == len(doc.text)
    assert len(draft.lines) == len(SINGLE.splitlines())


def test_plan_without_title_is_one_untitled_plan():
    doc = run_split("一、指导思想\n以党的二十大精神为指导,认真履行工会职能。\n二、主要工作\n1、召开教代会。\n2、开展送温暖活动。")
    assert titles(doc) == [None]
    assert_disjoint_and_ordered(doc)


@pytest.mark.parametrize(
    "first, title",
    [
        ("工作计划：", "工作计划:"),  # (NFKC folds ：) a document's name and the colon of what follows: the title as written
        ("红星机械厂工会2023年工作计划:", "红星机械厂工会2023年工作计划:"),
        ("2024 Trade Union Work Plan:", "2024 Trade Union Work Plan:"),
        ("工作计划如下：", None),  # a lead-in: the name does not end the line
        ("以下是2024年社区工会工作计划：", None),  # a lead-in though the name ends the line
        ("The following is the 2024 Community Union Work Plan:", None),
        ("主要工作：", None),  # no document word
    ],
)
def test_document_name_with_a_colon_on_top_is_the_title(first, title):
    doc = run_split(first + "\n让工作更有条理。\n1、熟悉开发环境。\n2、建立知识体系。")
    assert titles(doc) == [title]
    assert_disjoint_and_ordered(doc)


@pytest.mark.parametrize(
    "text",
    [COLLECTION, ENGLISH_TWO, SINGLE, "阳光小学工会工作计划\n阳光小学工会工作计划【篇一】一、指导思想以学习为主。\n二、主要工作\n1、开展活动。\n2、组织学习。"],
)
def test_plan_spans_do_not_overlap(text):
    assert_disjoint_and_ordered(run_split(text))


@pytest.mark.parametrize(
    "line, title_like",
    [
        ("阳光小学工会2024年工作计划", True),
        ("红星机械厂工会2023年工作总结", True),
        ("2024 Sunshine School Trade Union Work Plan", True),
        ("Key points of trade union work in 2019", True),  # 工作要点
        ("一、工作计划", False),  # a numbered line is a heading
        ("认真制定年度工作计划。", False),  # a sentence
        ("以党的二十大精神为指导,团结全体教职工", False),  # no document word
        # a section's name (工作要点, 工作安排) is a title when it names its unit
        ("实验中学2024年工作要点", True),
        ("区人民政府2024年工作要点", True),
        ("XX社区2024年工作安排", True),
        ("主要工作要点", False),
        ("2024年度工作安排", False),  # a summary's part for the next year
        ("工作日程安排", False),
    ],
)
def test_is_title_like(line, title_like):
    assert is_title_like(line) is title_like


@pytest.mark.parametrize(
    "line, header",
    [
        ("学校工会工作计划范文(通用2篇)", True),
        ("2024年工会工作计划5篇", True),
        ("工会工作计划模板大全", True),
        ("阳光小学工会工作计划【篇一】", False),
        ("阳光小学工会工作计划篇2", False),
        ("阳光小学工会2024年工作计划", False),
        ("第1篇:街道工会工作总结", False),  # an ordinal piece marker, not a count
        ("第十二篇 工会工作计划", False),
        ("工会工作计划12篇", True),
    ],
)
def test_is_collection_header(line, header):
    assert is_collection_header(line) is header


def test_template_header_over_one_plan_is_its_title():
    """A page header that only says 范文/模板 (no count of plans) over the page's only plan,
    which has no title of its own, is that plan's title; with a count (5篇) or with the
    plan's own title below it, it is still the collection's header."""
    body = "一、指导思想\n以党的二十大精神为指导。\n二、主要工作\n1、召开教代会。\n2、开展送温暖活动。"
    doc = run_split("学校工会工作计划范文\n" + body)
    assert titles(doc) == ["学校工会工作计划范文"] and doc.removed == []
    doc = run_split("学校工会工作计划范文\n阳光小学工会2024年工作计划\n" + body)
    assert titles(doc) == ["阳光小学工会2024年工作计划"]
    assert ("学校工会工作计划范文", "collection title") in [(r.text, r.reason) for r in doc.removed]
    doc = run_split("学校工会工作计划5篇\n" + body)
    assert titles(doc) == [None]
    assert ("学校工会工作计划5篇", "collection title") in [(r.text, r.reason) for r in doc.removed]


@pytest.mark.parametrize("title", ["2015年机关工会工作总结一:", "机关工会工作计划之二:", "工会工作计划篇1:"])
def test_document_name_with_its_piece_number_and_a_colon_is_the_title(title):
    doc = run_split(f"{title}\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。")
    assert titles(doc) == [title]


def test_lead_in_with_a_colon_is_no_title():
    doc = run_split("工会工作计划如下:\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。")
    assert titles(doc) == [None]


@pytest.mark.parametrize(
    "line, title",
    [
        ("XX年教育局工会工作要点2015年,全市教育工会工作的总体思路是:服务教职工。", "XX年教育局工会工作要点"),
        ("某某小学工会2024年度工作计划2024年,我校工会将围绕学校中心工作。", "某某小学工会2024年度工作计划"),
        ("学校工会工作计划2024年工作计划如下,请各组遵照执行。", None),  # the year opens no sentence of its own
    ],
)
def test_title_glued_to_a_first_sentence_opening_with_a_year(line, title):
    """A flattened document-sharing page: the title runs straight into the first sentence,
    which opens with the year."""
    doc = run_split(line + "\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。")
    assert titles(doc) == [title]


def test_piece_numbered_title_printed_again_plain_keeps_its_marker():
    """`第一篇:X` then `X`: the title as the page marks it, and the plain copy is a repeat."""
    doc = run_split("第一篇:2010年医院工会工作计划\n2010年医院工会工作计划\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。")
    assert titles(doc) == ["第一篇:2010年医院工会工作计划"]
    assert ("2010年医院工会工作计划", "repeated title") in [(r.text, r.reason) for r in doc.removed]
    assert all("2010年医院工会工作计划" != line.text_of(doc.text) for d in doc.drafts for line in d.lines[1:])


def test_page_header_over_a_line_of_chrome_is_no_plan():
    """A page title over only a line of chrome clean does not know, then the page's first
    plan: one plan, and the header is recorded as the page's title. (A site's name, 范文网,
    clean cuts itself.)"""
    text = ("街道工会工作总结\n工作总结频道\n第1篇:街道工会工作总结\n一、基本情况\n1、街道总工会现有9个工联会。\n"
            "2、会员2000余人。\n第2篇:社区工会工作总结\n一、主要工作\n1、开展送温暖活动。\n2、组织职工体检。")
    doc = run_split(text)
    assert titles(doc) == ["第1篇:街道工会工作总结", "第2篇:社区工会工作总结"]
    assert ("街道工会工作总结", "page title") in [(r.text, r.reason) for r in doc.removed]
    assert any(line.text_of(doc.text) == "工作总结频道" for line in doc.drafts[0].lines)  # kept, in the first plan


def test_english_title_with_piece_number_glued_to_a_roman_heading():
    doc = run_split("Trade union activity plan 1 I. Guiding ideology\nWe will serve the workers.\nII. Main work\n1. Hold the congress.\n2. Visit the staff.")
    assert titles(doc) == ["Trade union activity plan 1"]


def test_title_glued_to_the_first_heading_at_the_top_is_cut():
    doc = run_split("医院工会工作计划1一、指导思想\n以党的精神为指导。\n二、主要工作\n1、召开职代会。\n2、开展送温暖活动。")
    assert titles(doc) == ["医院工会工作计划1"]
    assert doc.drafts[0].lines[1].text_of(doc.text) == "一、指导思想"


def test_page_header_the_next_plan_is_titled_after_joins_it():
    """`X`, an intro of any length, then `X 1`: X is the page's header."""
    intro = "In order to ensure the orderly progress of work, it is often necessary to prepare a detailed plan in advance. " * 2
    text = (f"Trade union activity plan\n{intro}\nTrade union activity plan 1 I. Guiding ideology\nWe will serve the workers.\n"
            "II. Main work\n1. Hold the congress.\n2. Visit the staff.")
    doc = run_split(text)
    assert titles(doc) == ["Trade union activity plan 1"]
    assert ("Trade union activity plan", "page title") in [(r.text, r.reason) for r in doc.removed]


def test_header_counting_plans_before_the_first_plan_is_no_title():
    """A page header that counts its plans (X八篇) printed above an intro and the first
    plan (医院工会工作计划篇1) is dropped: the intro joins the first plan, which keeps its
    title; 第一篇 is a piece marker, not a count."""
    text = ("医院工会工作计划八篇\n日子过得飞快,又要写计划了。\n医院工会工作计划篇1\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。\n"
            "医院工会工作计划篇2\n一、主要工作\n1、组织体检。\n2、举办运动会。")
    doc = run_split(text)
    assert titles(doc) == ["医院工会工作计划篇1", "医院工会工作计划篇2"]
    assert ("医院工会工作计划八篇", "collection title") in [(r.text, r.reason) for r in doc.removed]
    doc = run_split("工会年度工作总结及计划【第一篇】\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。")
    assert titles(doc) == ["工会年度工作总结及计划【第一篇】"]


def test_long_flattened_line_opening_with_a_header_is_kept():
    """A whole page flattened into one line that opens with a collection header is the
    plan, not a header: nothing is dropped."""
    line = "精选文档XX年幼儿园工会计划5篇XX年幼儿园工会计划一:XX年,我园工会将认真履行职能," + "组织教职工开展活动," * 10
    doc = run_split(line)
    assert doc.removed == [] and len(doc.drafts) == 1


def test_schedule_appendix_with_restarted_numbering_stays_in_the_plan():
    text = SINGLE.split("附：")[0] + "工作日程安排\n一、三月份：召开教代会。\n二、四月份：举办读书交流会。"
    doc = run_split(text)
    assert titles(doc) == ["阳光小学工会2024年工作计划"]


def test_title_reprinted_after_a_wrapped_copy_keeps_lines_in_order():
    text = (
        "阳光小学工会2024年工作计划(新\n版)\n本文档文字可以自由修改\n阳光小学工会2024年工作计划(新版)\n"
        "根据上级工会工作要点,结合我校实际,制定本计划。\n一、加强民主管理\n1、召开教代会。\n2、推进校务公开。\n"
        "二、关心职工生活\n开展送温暖活动。"
    )
    assert_disjoint_and_ordered(run_split(text))
    plan = parse_text(text).plans[-1]
    for section in plan.sections:
        assert plan.span[0] <= section.span[0] <= section.span[1] <= plan.span[1]


def test_issuer_glued_to_the_next_plans_first_heading_starts_that_plan():
    text = (
        "Riverside Primary School Union 2023 Work Plan\n"
        "First, the guiding ideology:\n"
        "Serve the teachers and staff with the spirit of the congress.\n"
        "Second, the main work:\n"
        "1. Hold the teachers' congress every semester.\n"
        "2. Organize the basketball game for the staff.\n"
        "Hillside Middle School Trade Union I. Guiding ideology:\n"
        "Focus on the quality of teaching and the care of teachers.\n"
        "Second, the main work:\n"
        "1. Visit teachers in difficulty before the Spring Festival.\n"
    )
    plans = parse_text(text).plans
    assert len(plans) == 2
    assert plans[1].title == "Hillside Middle School Trade Union"
    assert [s.type for s in plans[1].sections if s.level == 1][:2] == ["guiding_ideology", "tasks"]


@pytest.mark.parametrize("text", [
    "医院工会工作计划1一、指导思想\n二、主要任务\nXX Trade Union I. Guiding ideology:",
    "Work Plan I. Goals\n İstanbul 工作总结 一、回顾",
])
def test_glued_title_same_with_the_documents_folded_text(text):
    """The splitter passes the whole document's folded text to _glued_title once."""
    from planparse.regex_gate import fold_for_filters
    from planparse.split import _glued_title

    raw = RawDocument(blocks=[Block(text=line) for line in text.splitlines()], format="txt")
    doc = Pipeline(("normalize", "clean"))(Doc(source=SourceInfo(path="t.txt", format="txt", sha256="0" * 64, bytes=0), raw=raw))
    lowered = fold_for_filters(doc.text)
    for line in doc.kept:
        assert _glued_title(doc, line, lowered) == _glued_title(doc, line)
    assert any(_glued_title(doc, line) is not None for line in doc.kept) or "İ" in text


def test_a_sentence_opening_with_a_purpose_is_no_glued_title():
    # `为全面总结2023年…` opens a report's first sentence; 总结 and the year after it are not
    # a title glued to its body (as `工作计划2024年,全县…` is).
    body = "\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。"
    doc = run_split("为全面总结2023年工会工作,部署2024年工作任务,县总工会于4月16日召开工作会议。" + body)
    assert titles(doc) == [None]
    glued = run_split("县总工会2024年工作计划2024年,县总工会将围绕中心工作,团结动员广大职工。" + body)
    assert titles(glued) == ["县总工会2024年工作计划"]


def test_a_preview_of_the_plan_above_the_plan_is_cut():
    """A document page: its title, the document's first lines as a preview (title glued on),
    then the whole document, flattened."""
    preview = "2024年社区工会工作计划\n2024年社区工会工作计划一、工作目标1. 加强组织建设,完善工会组织章程,规范运作。- 积极发展"
    full = ("2024年社区工会工作计划 一、工作目标 1. 加强组织建设,完善工会组织 章程,规范运作。 - 积极发展会员,扩大覆盖面。 "
            "二、工作措施 1. 每季度召开一次工会委员会会议。 2. 每月走访困难职工。")
    doc = run_split(preview + "\n" + full)
    assert titles(doc) == ["2024年社区工会工作计划"]
    assert doc.drafts[0].start == len(preview) + 1  # the whole document
    assert [r.text for r in doc.removed if r.reason == "preview"] == [
        "2024年社区工会工作计划", "一、工作目标1. 加强组织建设,完善工会组织章程,规范运作。- 积极发展"]
    # two plans of one title whose texts differ are both kept
    other = preview.replace("积极发展", "每月走访困难职工")
    assert len(run_split(other + "\n" + full).drafts) == 2


@pytest.mark.parametrize("title", ["学校工会工作要点", "市总工会2024年工作要点", "医院工会工作安排"])
def test_a_title_naming_its_issuer_is_a_title_though_its_words_name_a_section(title):
    # 工作要点 and 工作安排 are also section headings (主要工作要点, 具体工作安排: no title)
    doc = run_split(title + "\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。")
    assert titles(doc) == [title]
    assert titles(run_split("主要工作要点\n一、主要工作\n1、召开职代会。")) == [None]


@pytest.mark.parametrize("line, title", [
    ("Work plan of the school trade union I. Guiding ideology:", "Work plan of the school trade union"),
    ("Work Plan for the Hospital Union in 2024 First, guiding ideology", "Work Plan for the Hospital Union in 2024"),
])
def test_an_english_title_naming_its_body_after_the_word_is_cut_off_its_first_heading(line, title):
    doc = run_split(line + "\nAdhere to serving the staff.\nSecond, the main work:\n1. Visit retired teachers every month.")
    assert titles(doc) == [title]


NEXT_PLAN = "一、指导思想\n坚持服务职工。\n二、主要工作\n1、建设职工之家。\n2、组织文体活动。"


def second_plan_text(doc: Doc) -> str:
    """The text from the second plan's start (the page holds two)."""
    assert len(doc.drafts) == 2
    return doc.text[doc.drafts[1].start :]


@pytest.mark.parametrize("lead_in", ["现将2024年社区工会工作计划安排如下:", "The work plan of the community union for 2024 is as follows:"])
def test_a_lead_in_before_a_restart_opens_the_next_plan(lead_in):
    first = "一、指导思想\n以党的二十大精神为指导。\n二、主要工作\n1、召开职代会。\n2、开展送温暖活动。"
    assert second_plan_text(run_split(first + "\n" + lead_in + "\n" + NEXT_PLAN)).startswith(lead_in)
    # a lead-in that a numbered line of the old plan carries stays where it is
    assert second_plan_text(run_split(first + "\n3、具体安排如下:\n" + NEXT_PLAN)).startswith("一、指导思想")


@pytest.mark.parametrize("opening", ["2024年,在县总工会的领导下,我厂工会围绕生产经营中心工作开展各项工作。",
                                     "In 2024, under the leadership of the county federation, our union served the staff."])
def test_a_paragraph_opening_as_a_plan_does_before_a_restart_opens_the_next_plan(opening):
    first = "一、指导思想\n以党的二十大精神为指导。\n二、保障措施\n加强领导,落实责任。\n定期检查各项工作的落实情况。"
    assert second_plan_text(run_split(first + "\n" + opening + "\n本年度工作安排如下。\n" + NEXT_PLAN)).startswith(opening)
    # the first paragraph under a heading is that heading's text, whatever it opens with
    under_heading = run_split("一、指导思想\n以党的二十大精神为指导。\n二、保障措施\n" + opening + "\n" + NEXT_PLAN)
    assert second_plan_text(under_heading).startswith("一、指导思想")


def test_a_collection_header_printed_again_in_the_intro_is_no_part_of_the_first_plan():
    header = "实用的工会工作计划范文合集五篇"
    intro = "新的一年开始了,我们又将迎来新的挑战。"
    doc = run_split(f"工会工作计划\n{header}\n{intro}\n{header}\n工会工作计划篇1\n{NEXT_PLAN}\n工会工作计划篇2\n{NEXT_PLAN}")
    assert titles(doc) == ["工会工作计划篇1", "工会工作计划篇2"]
    first = [line.text_of(doc.text) for line in doc.drafts[0].lines]
    assert header not in first and intro in first  # the intro stays, as the plan's preamble
    assert [r.text for r in doc.removed if r.reason == "collection title"] == [header, header]
    assert_disjoint_and_ordered(doc)


def test_a_page_header_with_a_tag_line_over_the_first_piece_is_no_plan():
    """`小学工会工作计划 小学工会工作` (the page's tags) over an intro, then `小学工会工作计划篇1`:
    the pieces share the header's document name, so the header is the page's."""
    intro = "在工作开始之前,一份合理的工作计划有助于理清思路,赢得领导支持,也许下面的范文正合你意,不妨参考一下,希望你喜欢这篇小学工会工作计划。"
    doc = run_split(f"小学工会工作计划 小学工会工作\n{intro}\n小学工会工作计划篇1\n{NEXT_PLAN}\n小学工会工作计划篇2\n{NEXT_PLAN}")
    assert titles(doc) == ["小学工会工作计划篇1", "小学工会工作计划篇2"]
    assert ("小学工会工作计划小学工会工作", "page title") in [(r.text, r.reason) for r in doc.removed]


EN_PIECE = "First, the guiding ideology\nWe serve the teachers.\nSecond, the main work\n1. Hold the congress.\n2. Visit retired teachers."


def test_english_article_markers_open_the_pieces_of_a_collection():
    """A translation prints 篇一 as `Article 1:`, before the piece's title or on a line of
    its own; `(3 articles)` heads the collection."""
    doc = run_split(f"Trade union work plan (3 articles)\nArticle 1: School trade union work plan\n{EN_PIECE}\n"
                    f"Article 2: Community union work plan\n{EN_PIECE}")
    assert titles(doc) == ["Article 1: School trade union work plan", "Article 2: Community union work plan"]
    assert ("Trade union work plan (3 articles)", "collection title") in [(r.text, r.reason) for r in doc.removed]
    assert_disjoint_and_ordered(doc)
    # the marker alone: the page's title over it is the piece's
    doc = run_split(f"Summary of township trade union work\nArticle 1:\n{EN_PIECE}")
    assert titles(doc) == ["Summary of township trade union work"]
    assert ("Article 1:", "piece marker") in [(r.text, r.reason) for r in doc.removed]


def test_a_part_heading_is_no_piece_marker():
    doc = run_split(f"School trade union work plan\nPart 1: guiding ideology\nWe serve the teachers.\n{EN_PIECE}")
    assert titles(doc) == ["School trade union work plan"]


def test_titles_ending_with_a_parenthesised_piece_number_are_the_pieces_of_a_collection():
    text = ("工作计划范文\n2018年机关工会工作计划(一)\n2018年是改革开放的关键之年。\n一、主要工作\n1、召开职代会。\n"
            "2、开展送温暖活动。\n2018年机关工会工作计划(二)\n一、主要工作\n1、组织职工体检。\n2、开展文体活动。\n")
    doc = run_split(text)
    assert titles(doc) == ["2018年机关工会工作计划(一)", "2018年机关工会工作计划(二)"]


def test_a_title_ending_with_a_parenthesised_edition_is_no_piece():
    # (新版) is no piece number: one plan, whose title keeps it
    doc = run_split("工会2021年度工作计划(新版)\n一、主要工作\n1、召开职代会。\n2、开展送温暖活动。\n")
    assert titles(doc) == ["工会2021年度工作计划(新版)"]
