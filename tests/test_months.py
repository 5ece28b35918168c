"""Month / time expressions: planparse.months (find_month_mentions, months_in, leading_month_label)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources

import pytest

from planparse.months import (
    KINDS,
    MonthMention,
    find_month_mentions,
    leading_month_label,
    months_in,
    split_month_label,
)

H1 = [1, 2, 3, 4, 5, 6]
H2 = [7, 8, 9, 10, 11, 12]

# (text, months_in(text), the `when` of every mention in order — or None to skip that check)
CASES = [
    # --- Chinese: single months
    ("三月份召开教代会", [3], ["三月份"]),
    ("计划于3月完成会员信息登记", [3], ["3月"]),
    ("3月份组织女职工健康体检", [3], ["3月份"]),
    ("十二月筹备迎新年文艺汇演", [12], ["十二月"]),
    ("十一月份开展工会小家检查", [11], ["十一月份"]),
    ("十月举行教工乒乓球赛", [10], ["十月"]),
    ("于2022年4月召开第二次会员大会", [4], ["2022年4月"]),
    ("定于2019年11月28日下午召开职代会", [11], ["2019年11月28日"]),
    ("5月中旬举办春季趣味运动会", [3, 4, 5], ["5月中旬", "春季"]),
    ("1月底前完成工会经费审查", [1], ["1月底"]),
    ("元月组织走访离退休教师", [1], ["元月"]),
    ("20xx年9月开展新教师入会仪式", [9], ["20xx年9月"]),
    # --- Chinese: ranges
    ("一至二月份：走访慰问困难职工", [1, 2], ["一至二月份"]),
    ("1-2月做好年度总结", [1, 2], ["1-2月"]),
    ("1—2月开展送温暖活动", [1, 2], ["1—2月"]),
    ("1~2月组织迎春座谈会", [1, 2], ["1~2月"]),
    ("11-12月做好工会经费决算", [11, 12], ["11-12月"]),
    ("七月份至八月份：组织职工子女开展暑期读书活动", [7, 8], ["七月份至八月份", "暑期"]),
    ("二月至三月完成会员信息采集", [2, 3], ["二月至三月"]),
    ("四至六月开展岗位练兵", [4, 5, 6], ["四至六月"]),
    ("2023年3月至6月开展劳动竞赛", [3, 4, 5, 6], ["2023年3月至6月"]),
    ("11月至次年2月开展冬季送温暖", [1, 2, 11, 12], ["11月至次年2月", "冬季"]),
    ("3月1日至15日集中宣传职工维权知识", [3], ["3月1日至15日"]),
    ("3月中旬至4月上旬组织教职工体检", [3, 4], ["3月中旬至4月上旬"]),
    ("从9月到年底开展合理化建议征集", [9, 10, 11, 12], ["9月到年底"]),
    # --- Chinese: lists
    ("七、八月份组织教职工疗休养", [7, 8], ["七、八月份"]),
    ("3、4月开展读书征文活动", [3, 4], ["3、4月"]),
    ("4、5、6月份分三批组织体检", [4, 5, 6], ["4、5、6月份"]),
    ("七八月份为暑期休整", [7, 8], ["七八月份", "暑期"]),
    ("5月、7月和9月分别举办羽毛球赛、游泳赛和钓鱼赛", [5, 7, 9], ["5月、7月和9月"]),
    # --- Chinese: classical month names
    ("一至仲春份：开展迎新春系列活动", [1, 2], ["一至仲春份", "新春"]),
    ("玄月份：举办庆祝教师节系列活动", [9], ["玄月份", "教师节"]),
    ("腊月组织写春联送祝福", [12], ["腊月"]),
    ("正月里开展闹元宵游园会", [1, 2], ["正月", "元宵"]),
    ("桂月组织赏月诗会", [8], ["桂月"]),
    ("葭月开展冬季长跑", [11, 12, 1, 2], ["葭月", "冬季"]),
    ("孟夏组织青年教师外出研学", [4], ["孟夏"]),
    # --- Chinese: quarters, halves, points of the year, seasons
    ("第一季度完成工会换届", [1, 2, 3], ["第一季度"]),
    ("一季度召开教代会", [1, 2, 3], ["一季度"]),
    ("1季度上报工会统计报表", [1, 2, 3], ["1季度"]),
    ("第四季度开展年度考核", [10, 11, 12], ["第四季度"]),
    ("第一、二季度完成会员实名制录入", H1, ["第一、二季度"]),
    ("前三季度累计帮扶困难职工36人", [1, 2, 3, 4, 5, 6, 7, 8, 9], ["前三季度"]),
    ("上半年组织一次工会干部培训", H1, ["上半年"]),
    ("下半年开展“职工之家”创建验收", H2, ["下半年"]),
    ("年底前完成经费审计", [12], ["年底"]),
    ("年末评选优秀工会积极分子", [12], ["年末"]),
    ("年初制定全年工会工作要点", [1], ["年初"]),
    ("暑假期间组织教职工外出考察", [7, 8], ["暑假"]),
    ("寒假前走访困难教职工", [1, 2], ["寒假"]),
    ("秋季举办教工运动会", [9, 10, 11], ["秋季"]),
    # --- Chinese: festivals
    ("组织庆祝三八节联谊活动", [3], ["三八节"]),
    ("开展“三八”妇女节慰问", [3], ["“三八”妇女节"]),
    ("三·八期间组织女职工参观", [3], ["三·八"]),
    ("3.8节组织女教工插花比赛", [3], ["3.8节"]),
    ("五一劳动节前表彰劳动模范", [5], ["五一劳动节"]),
    ("五·一期间开展健步走", [5], ["五·一"]),
    ("纪念五四青年节座谈会", [5], ["五四青年节"]),
    ("六一儿童节慰问职工子女", [6], ["六一儿童节"]),
    ("七一前夕组织党员教师重温入党誓词", [7], ["七一"]),
    ("八一建军节走访复转军人", [8], ["八一建军节"]),
    ("隆重庆祝教师节", [9], ["教师节"]),
    ("十一国庆期间安排值班", [10], ["十一国庆"]),
    ("元旦文艺汇演", [1], ["元旦"]),
    ("春节前走访慰问困难职工", [1, 2], ["春节"]),
    ("组织植树节义务植树", [3], ["植树节"]),
    ("学雷锋志愿服务进社区", [3], ["学雷锋"]),
    ("端午节包粽子比赛", [5, 6], ["端午节"]),
    ("中秋、国庆双节慰问", [9, 10], ["中秋", "国庆"]),
    ("重阳节看望退休教师", [10], ["重阳节"]),
    ("庆祝建党100周年歌咏比赛", [7], ["建党100周年"]),
    ("六月份是安全生产月", [6], ["六月份", "安全生产月"]),
    # --- English: months, ranges, lists
    ("March: organize the staff congress", [3], ["March"]),
    ("The union will hold a table tennis match in March.", [3], ["March"]),
    ("A representative meeting will be held in mid-March.", [3], ["mid-March"]),
    ("Organize teachers to visit the museum in early April.", [4], ["early April"]),
    ("Hand in the proposal forms by late May.", [5], ["late May"]),
    ("Celebrate Labor Day in April and May.", [4, 5], ["Labor Day", "April and May"]),
    ("Sports events are planned for April, May and June.", [4, 5, 6], ["April, May and June"]),
    ("From January to February: visit retired staff before the Spring Festival.", [1, 2], ["From January to February", "Spring Festival"]),
    ("January to February: collect membership dues.", [1, 2], ["January to February"]),
    ("January-February: rearrange the member files.", [1, 2], ["January-February"]),
    ("July-August: send cool drinks to front-line staff.", [7, 8], ["July-August"]),
    ("The report is due on Jan. 15 and the audit in Sept.", [1, 9], ["Jan. 15", "Sept."]),
    ("The meeting was held on 12 October 2021.", [10], ["12 October 2021"]),
    ("between March and May the union will run a reading contest", [3, 4, 5], ["between March and May"]),
    ("Nov.-Dec.: annual summary and archiving", [11, 12], ["Nov.-Dec."]),
    ("The badminton, chess and fishing contests take place in May, July and September.", [5, 7, 9], ["May, July and September"]),
    # --- English: quarters, halves, points of the year, seasons, festivals
    ("Q1: elect the new union committee", [1, 2, 3], ["Q1"]),
    ("Review the Q2-Q3 budget", [4, 5, 6, 7, 8, 9], ["Q2-Q3"]),
    ("in the first quarter of the year we will audit the accounts", [1, 2, 3], ["first quarter of the year"]),
    ("Summarize the work of the first half of the year.", H1, ["first half of the year"]),
    ("Plans for the first half are ready.", H1, ["first half"]),
    ("revise the plan in the second half of the year", H2, ["second half of the year"]),
    ("Make the accounts public at the end of the year.", [12], ["end of the year"]),
    ("year-end appraisal of union activists", [12], ["year-end"]),
    ("draw up the plans at the beginning of the year", [1], ["beginning of the year"]),
    ("Organize a summer vacation trip for teachers.", [7, 8], ["summer vacation"]),
    ("hold a photo contest in the winter", [12, 1, 2], ["winter"]),
    ("Celebrate the \"March 8\" Women's Day with a flower show.", [3], ["\"March 8\" Women's Day"]),
    ("Women's Day tea party for female teachers", [3], ["Women's Day"]),
    ("Condolences on March 8th to all women staff", [3], ["March 8th"]),
    ("Celebrate May Day with a singing contest", [5], ["May Day"]),
    ("Teachers' Day celebration and Teacher's Day awards", [9], ["Teachers' Day", "Teacher's Day"]),
    ("National Day gala", [10], ["National Day"]),
    ("New Year's Day party", [1], ["New Year's Day"]),
    ("a get-together during the Spring Festival", [1, 2], ["Spring Festival"]),
    ("the Mid-Autumn Festival moon cake party", [9], ["Mid-Autumn Festival"]),
    ("Organize the \"38\" activities for women workers.", [3], ["38"]),
    ("one, two months: visit the families of sick staff", [1, 2], ["one, two months"]),
    # --- negatives: nothing that names a month
    ("每月召开一次工会委员会议", [], []),
    ("每个月更新一次宣传栏", [], []),
    ("实行月度考核制度", [], []),
    ("每学期开展一次民主评议", [], []),
    ("本月和下月的工作安排另行通知", [], []),
    ("岁月如歌，月亮高悬", [], []),
    ("学校面貌日新月异", [], []),
    ("开展为期3个月的岗位练兵", [], []),
    ("三个月内完成整改", [], []),
    ("坚持公正月度考评", [], []),
    ("真正月月有活动", [], []),
    ("三八二十四是乘法口诀", [], []),
    ("第十三八中学", [], []),
    ("在十一届三中全会精神指引下", [], []),
    ("5.1 加强工会组织建设", [], []),
    ("共筹集资金3.8万元", [], []),
    ("学年末对教师进行师德考核", [], []),
    ("统一至三月底前完成", [3], ["三月底"]),
    ("three months of training is required for new staff", [], []),
    ("The training lasts three months.", [], []),
    ("May the trade union grow stronger.", [], []),
    ("Members may join the march in the square.", [], []),
    ("Carry forward the Long March spirit.", [], []),
    ("We may apply for a second grant.", [], []),
    ("the spring up of new ideas", [], []),
    # honours named after a festival are no dates
    ("积极推荐全国五一劳动奖章候选人", [], []),
    ("争创“五一巾帼标兵岗”", [], []),
    ("评选三八红旗手和三八红旗集体", [], []),
    ("推荐五四青年奖章人选", [], []),
    ("recommend candidates for the May Day Labor Medal", [], []),
    ("评选三八红旗手,庆祝三八妇女节", [3], ["三八妇女节"]),
    # a short form that needs context has it after it (the context words are read at the match's end)
    ("十一期间组织职工外出旅游", [10], ["十一"]),
    ("开展3.8活动", [3], ["3.8"]),
    ("March: 38 activities", [3], None),
    # a range written with a run of dashes
    ("1———2月", [1, 2], ["1———2月"]),
    ("11--12月", [11, 12], ["11--12月"]),
]


@pytest.mark.parametrize("text,months,whens", CASES, ids=[c[0][:24] for c in CASES])
def test_months_in_table(text, months, whens):
    found = find_month_mentions(text)
    assert months_in(text) == sorted(set(months))
    if whens is not None:
        assert [m.when for m in found] == whens
    for m in found:
        assert text[m.start:m.end] == m.when
        assert m.kind in KINDS
        assert m.months and list(m.months) == sorted(set(m.months))
        assert all(1 <= x <= 12 for x in m.months)


def test_table_is_large_enough():
    assert len(CASES) >= 70


@pytest.mark.parametrize(
    "text,kind",
    [
        ("三月份", "month"), ("一至二月份", "range"), ("七、八月份", "list"), ("三八节", "festival"),
        ("第一季度", "quarter"), ("上半年", "half"), ("暑假", "season"), ("年底", "relative"),
        ("April and May", "list"), ("July-August", "range"), ("Q4", "quarter"), ("year-end", "relative"),
        ("2020年12月26日", "month"), ("玄月份", "month"), ("3月1日至3月15日", "month"),
    ],
)
def test_kinds(text, kind):
    (m,) = find_month_mentions(text)
    assert m.kind == kind


def test_mentions_are_in_order_and_do_not_overlap():
    text = (
        "一至二月份：开展迎春活动。三月份，举办三八节联谊会；4、5月份组织体检；七月份至八月份组织暑期疗休养；"
        "第四季度完成考核，年底总结。March: 38 activities. April and May: sports. From June to July: trips. Q3 audit."
    )
    found = find_month_mentions(text)
    assert len(found) >= 10
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for m in found:
        assert text[m.start:m.end] == m.when
    assert months_in(text) == list(range(1, 13))


def test_longest_match_wins():
    # 五一 inside 五一劳动节 is one festival; 二月 inside 一至二月份 is part of the range;
    # 三八 inside a 3月8日 date is not a second mention.
    assert [m.when for m in find_month_mentions("五一劳动节")] == ["五一劳动节"]
    assert [m.when for m in find_month_mentions("一至二月份")] == ["一至二月份"]
    assert [m.when for m in find_month_mentions("七月份至八月份")] == ["七月份至八月份"]
    assert [m.when for m in find_month_mentions("十二月份")] == ["十二月份"]


def test_offsets_in_a_longer_text():
    text = "工会工作安排\n一至二月份：走访。\n  三月份：召开会员大会，庆祝“三八”妇女节。\nMarch: hold a meeting."
    for m in find_month_mentions(text):
        assert text[m.start:m.end] == m.when
    whens = [m.when for m in find_month_mentions(text)]
    assert whens == ["一至二月份", "三月份", "“三八”妇女节", "March"]


def test_include_seasons_flag():
    text = "春季运动会和暑假疗休养，三月份开展"
    assert months_in(text) == [3, 4, 5, 7, 8]
    assert months_in(text, include_seasons=False) == [3]
    assert [m.kind for m in find_month_mentions(text, include_seasons=False)] == ["month"]
    assert months_in("冬季长跑") == [1, 2, 12]


def test_lang_argument():
    text = "三月份 March"
    assert months_in(text, "zh") == [3]
    assert [m.when for m in find_month_mentions(text, "zh")] == ["三月份"]
    assert [m.when for m in find_month_mentions(text, "en")] == ["March"]
    assert months_in("Q2", "zh") == [4, 5, 6]  # language-neutral forms are always read


def test_wrapping_ranges():
    assert months_in("12月至次年1月") == [1, 12]
    assert months_in("November to February") == [1, 2, 11, 12]


def test_empty_and_plain_text():
    assert find_month_mentions("") == []
    assert months_in("加强工会组织建设，提高服务水平") == []
    assert leading_month_label("") is None
    assert leading_month_label("   \n  ") is None


def test_mention_is_frozen():
    m = find_month_mentions("三月份")[0]
    assert isinstance(m, MonthMention)
    with pytest.raises(Exception):
        m.start = 5  # type: ignore[misc]


# ---------------------------------------------------------------- leading labels

# (text, when, months, the activities that follow)
LABELS = [
    ("三月份：召开会员大会，选举工会小组长", "三月份", [3], "召开会员大会，选举工会小组长"),
    ("三月份:召开会员大会", "三月份", [3], "召开会员大会"),
    ("3月", "3月", [3], ""),
    ("3月份,组织教职工健康体检;", "3月份", [3], "组织教职工健康体检;"),
    ("一至二月份：1、制定工会工作计划 2、走访慰问", "一至二月份", [1, 2], "1、制定工会工作计划 2、走访慰问"),
    ("七月份至八月份：组织暑期疗休养", "七月份至八月份", [7, 8], "组织暑期疗休养"),
    ("七、八月份：组织暑期疗休养", "七、八月份", [7, 8], "组织暑期疗休养"),
    ("一至仲春份：开展迎新春慰问", "一至仲春份", [1, 2], "开展迎新春慰问"),
    ("玄月份：举办教师节表彰大会", "玄月份", [9], "举办教师节表彰大会"),
    ("【五月】举办教职工趣味运动会", "【五月】", [5], "举办教职工趣味运动会"),
    ("5月份工作安排", "5月份工作安排", [5], ""),
    ("5月份工作安排：1、组织体检", "5月份工作安排", [5], "1、组织体检"),
    ("11-12月：年度总结和档案整理", "11-12月", [11, 12], "年度总结和档案整理"),
    ("二、4、5月份：1、组织春游", "4、5月份", [4, 5], "1、组织春游"),
    ("六、1、2月份：走访困难职工", "1、2月份", [1, 2], "走访困难职工"),
    ("一、1月份：1、召开工会委员会", "1月份", [1], "1、召开工会委员会"),
    ("(1) 3月份：召开教代会", "3月份", [3], "召开教代会"),
    ("1、3月份：召开教代会", "3月份", [3], "召开教代会"),
    ("第一季度：完成会员信息更新", "第一季度", [1, 2, 3], "完成会员信息更新"),
    ("上半年：组织一次工会干部培训", "上半年", H1, "组织一次工会干部培训"),
    ("寒假期间：走访慰问", "寒假期间", [1, 2], "走访慰问"),
    ("三月份举办读书沙龙", "三月份", [3], "举办读书沙龙"),
    ("March:", "March", [3], ""),
    ("March: 1. Hold the women's day tea party. 2. Report the union research topic.", "March", [3],
     "1. Hold the women's day tea party. 2. Report the union research topic."),
    ("April 1. Join the district table tennis contest", "April", [4], "1. Join the district table tennis contest"),
    ("May: 1. Badminton match with a brother school", "May", [5], "1. Badminton match with a brother school"),
    ("From January to February: visit retired teachers", "From January to February", [1, 2], "visit retired teachers"),
    ("July-August: send cool drinks to workers", "July-August", [7, 8], "send cool drinks to workers"),
    ("November-December: annual work summary", "November-December", [11, 12], "annual work summary"),
    ("1, March", "March", [3], ""),
    ("3, April and May", "April and May", [4, 5], ""),
    ("10, one, two months", "one, two months", [1, 2], ""),
    ("9, one, two months: visit sick staff", "one, two months", [1, 2], "visit sick staff"),
    ("one to two months: recruit new members", "one to two months", [1, 2], "recruit new members"),
    ("Three months: check the union accounts", "Three months", [3], "check the union accounts"),
    ("September to October: law knowledge contest", "September to October", [9, 10], "law knowledge contest"),
    ("Q1: elect the committee", "Q1", [1, 2, 3], "elect the committee"),
    ("三八节活动安排:1、女职工联谊", "三八节活动安排", [3], "1、女职工联谊"),
    ("二月园务行政", "二月园务行政", [2], ""),  # a month and a short topic alone on the line: a heading
    ("九月教研活动", "九月教研活动", [9], ""),
]


@pytest.mark.parametrize("text,when,months,rest", LABELS, ids=[c[0][:20] for c in LABELS])
def test_leading_label(text, when, months, rest):
    label = leading_month_label(text)
    assert label is not None, text
    assert label.when == when
    assert list(label.months) == months
    assert text[label.start:label.end] == label.when
    found = split_month_label(text)
    assert found is not None and found[0] == label
    assert text[found[1]:] == rest


NOT_LABELS = [
    "学校工会在三月份举办班主任经验交流会",
    "积极开展“三八”妇女节系列活动",
    "3月15日召开第三届教代会",
    "认真做好上半年的各项工作",
    "上半年完成工会换届选举",
    "(三)元旦、春节期间慰问困难职工",
    "三、工作安排",
    "加强女职工工作，3月组织体检",
    "In March, the union will hold a congress.",
    "The union will hold a congress in March:",
    "three months of training for new members",
    "March is the month of learning from Lei Feng.",
    "May the union prosper.",
    "Celebrate the \"March 8\" Women's Day.",
    "Organize the \"38\" activities.",
    "每月召开一次委员会",
    "Third, the main work:",
    "植树节活动",  # a festival's activity on a line of its own
    "",
]


@pytest.mark.parametrize("text", NOT_LABELS)
def test_not_a_leading_label(text):
    assert leading_month_label(text) is None
    assert split_month_label(text) is None


def test_label_on_first_line_only_and_after_indentation():
    text = "\u3000\u3000四月份：组织春游\n五月份：举办运动会"
    label = leading_month_label(text)
    assert label.when == "四月份" and label.start == 2
    assert leading_month_label("组织春游\n五月份：举办运动会") is None


def test_label_end_is_where_schedule_reads_activities():
    # schedule.py reads activities from label.end: nothing of the label may be left there.
    text = "【五月】举办运动会"
    label = leading_month_label(text)
    assert text[label.end:] == "举办运动会"


# ---------------------------------------------------------------- data table and speed


def test_data_table_is_valid():
    table = json.loads(resources.files("planparse.data").joinpath("months.json").read_text(encoding="utf-8"))
    for name, month in table["zh"]["named_months"].items():
        assert 1 <= month <= 12, name
    for fest in table["festivals"]:
        assert fest["months"] and all(1 <= m <= 12 for m in fest["months"])
    for value in table["en"]["months"].values():
        assert 1 <= value <= 12
    for rx in [table["zh"]["year_prefix_regex"], table["zh"]["day_regex"], table["zh"]["month_not_followed_by_regex"]]:
        re.compile(rx)


@pytest.mark.parametrize("name,month", [
    ("正月", 1), ("端月", 1), ("孟春", 1), ("杏月", 2), ("仲春", 2), ("花月", 2), ("桃月", 3), ("季春", 3),
    ("槐月", 4), ("孟夏", 4), ("榴月", 5), ("仲夏", 5), ("蒲月", 5), ("荷月", 6), ("季夏", 6), ("巧月", 7),
    ("孟秋", 7), ("兰月", 7), ("瓜月", 7), ("桂月", 8), ("仲秋", 8), ("菊月", 9), ("玄月", 9), ("季秋", 9),
    ("露月", 10), ("孟冬", 10), ("阳月", 10), ("冬月", 11), ("仲冬", 11), ("葭月", 11), ("腊月", 12),
    ("季冬", 12), ("嘉平月", 12),
])
def test_classical_month_names(name, month):
    assert months_in(f"{name}开展工会活动") == [month]


def test_import_compiles_nothing():
    """The month patterns are built on first use, not at import (workers that never see a
    month label pay nothing): after ``import planparse.months`` no table is loaded yet."""
    code = (
        "import planparse.months as m, sys; "
        "sys.stdout.write(repr([f.cache_info().currsize for f in (m._table, m._zh_patterns, m._neutral_patterns)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[0, 0, 0]"


def test_long_text_finds_every_mention():
    chinese = "三月份：召开会员大会，庆祝三八节。四至五月份组织体检；第二季度开展劳动竞赛。"
    english = "March: hold the congress. April and May: sports games in the first half of the year. "
    one_each = len(find_month_mentions(chinese)) + len(find_month_mentions(english))
    assert one_each == 7
    assert len(find_month_mentions(chinese * 40 + english * 40)) == 40 * one_each


def test_label_prefilter_finds_what_the_full_scan_finds(sample_text_lines):
    """_mention_at skips the full scan when no pattern matches at the line start: the
    result must be the full scan's mention at 0, for every line and item-number offset."""
    from planparse import months

    lines = list(sample_text_lines) + ["三月份：召开会员大会", "1、3月份：体检", "March: congress", "Q1: plan", "“三八”妇女节活动"]
    assert len(lines) > 100
    for line in lines:
        for pos in range(min(len(line), 4)):
            sub = line[pos:]
            full = [m for m in find_month_mentions(sub) if m.start == 0]
            got = months._mention_at(line, pos, None, True, label_only=False)
            assert (got is None) == (not full), line
            if full:
                assert (got.start - pos, got.end - pos, got.months, got.kind) == (0, full[0].end, full[0].months, full[0].kind)


@pytest.mark.parametrize("text", ["三月开展职工读书征文比赛活动", "二月园务行政,学习规程", "寒假安排值班"])
def test_a_month_with_a_long_or_punctuated_topic_is_no_heading(text):
    """Only a short topic (months.json ``label_topic_max_chars``) alone on the line makes a
    month heading; a longer one is a sentence that merely opens with a month."""
    found = split_month_label(text)
    assert found is None or found[0].when != text
