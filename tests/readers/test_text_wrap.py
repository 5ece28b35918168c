from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from planparse.api import parse_file, parse_text
from planparse.readers import read_file
from planparse.readers.text_wrap import display_width, unwrap, wrap_width

SHARED = Path(__file__).resolve().parents[3] / "shared"

# A federation's plan as a PDF copied to text prints it: every line broken at one width,
# headings and sentences included.
WRAPPED_ZH = """县总工会2024年工作要点
（一）履行工会组织的基本职责，不断满足职工群众对美
好生活的向往。一是维护劳动领域政治安全。认真贯彻总体
国家安全观，召开协调劳动关系联席会议，合力推进集体协
商和集体合同制度，全面推进企业安全文化建设。二是做好
服务职工品牌项目。元旦春节期间筹集资金，走访慰问一线
环卫工人、快递员和非公企业困难职工，扎实开展职工医疗
互助活动，帮助失业人员实现创业。
（二）履行工会组织的组织责任，不断推动工会改革工作向
纵深发展。一是夯实基层基础，完善建会入会工作长效机制。
二是加强干部队伍建设，举办基层工会主席培训班两期。
"""


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("工会,") == 5
    assert display_width("（一）") == 6


def test_a_hard_wrapped_plan_is_joined_into_paragraphs(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(WRAPPED_ZH, encoding="utf-8")
    lines = [block.text for block in read_file(path).blocks]
    assert len(lines) == 4  # a line that ends a sentence stays a line
    assert lines[1].startswith("（一）履行工会组织的基本职责，不断满足职工群众对美好生活的向往。一是维护")
    assert lines[1].endswith("帮助失业人员实现创业。")
    assert lines[2].startswith("（二）履行工会组织的组织责任，不断推动工会改革工作向纵深发展。一是")
    assert lines[3].startswith("二是加强干部队伍建设")
    tasks = [task.path for plan in parse_file(path).plans for task in plan.tasks]
    assert ["(一)", "一"] in tasks and ["(一)", "二"] in tasks and ["(二)", "二"] in tasks
    assert [task.path for plan in parse_text(WRAPPED_ZH).plans for task in plan.tasks] == tasks  # the string route too


def test_english_wrapped_at_a_column_is_joined_with_spaces():
    body = ("First, strengthen ideological guidance. The union will organize the staff to study the "
            "spirit of the congress, hold lectures on labour law for new members, and open a reading "
            "corner in every workshop. Second, care for the staff in difficulty: visit them before the "
            "Spring Festival, help the families of sick members, and hold a health check for all.")
    lines = ["Trade union work plan for 2024", *textwrap.wrap(body, 60)]
    joined = unwrap(lines)
    assert wrap_width(lines) is not None
    assert joined[1:] == [body]


def test_paragraph_ends_and_indents_stop_a_join():
    lines = ["甲" * 30 + "。", "乙" * 30, "  丙" + "丙" * 29, *("丁" * 30 for _ in range(6))]
    joined = unwrap(lines)
    assert joined[0] == "甲" * 30 + "。"  # a sentence end closes the line
    assert joined[1] == "乙" * 30  # the next line is indented: a new paragraph
    assert joined[2].startswith("  丙") and joined[2].endswith("丁" * 30)


@pytest.mark.parametrize("opener", ["#### 二、深化职工思想政治教育", "二、深化职工思想政治教育", "2. 深化职工思想政治教育",
                                    "(二)深化职工思想政治教育", "- 深化职工思想政治教育"])
def test_a_heading_mark_or_item_number_opens_a_paragraph_even_in_wrapped_text(opener):
    lines = [*("丁" * 30 for _ in range(6)), "完善困难职工帮扶机制,确保各项工作有章可循、有据可依", opener]
    assert wrap_width(lines) is not None
    joined = unwrap(lines)
    assert joined[-1] == opener and joined[-2].endswith("有据可依")


def _text_files() -> list[Path]:
    return sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpora" / "real").glob("*.txt")) + sorted(
        (Path(__file__).resolve().parents[2] / "corpora" / "samples").rglob("*.txt"))


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="needs ../shared")
def test_texts_written_a_paragraph_a_line_are_left_alone():
    files = _text_files()
    assert len(files) >= 5
    for path in files:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        assert unwrap(lines) == lines, path.name


def test_a_line_opening_with_a_particle_goes_on_the_line_before():
    lines = ["五、抓好宣传工作,利用橱窗、简报宣传工会组织", "的各项活动。"]
    assert unwrap(lines) == ["五、抓好宣传工作,利用橱窗、简报宣传工会组织的各项活动。"]
    kept = ["一、指导思想。", "的确如此", "  的 indented", "二、主要任务", "着力加强职工队伍建设。", "了解职工需求。"]
    assert unwrap(kept) == kept  # after a sentence end, or indented, a line stands


def test_a_table_row_scraped_with_comma_joined_cells_stands_alone():
    """`,一月,` / `,1、…。,2、…。,`: a scraped table whose cells are joined by commas; such a
    line opens and ends with a comma and is never the rest of the line before, although a
    comma never opens a sentence. A line that only opens with one still goes on."""
    lines = ["给大家推荐一份年度工作计划,", ",一月,", ",1、学期尾声,半年教学效果检验。,2、寒假安全教育。,", ",二月,"]
    assert unwrap(lines) == lines
    assert unwrap(["工会组织职工开展活动", ",丰富业余生活。"]) == ["工会组织职工开展活动,丰富业余生活。"]
