"""text_tables: tables that plain text spells with bars become table-row blocks."""
from __future__ import annotations

import pytest

from planparse.readers import read_file
from planparse.readers.text_tables import table_blocks

ROWS = [["时间", "活动内容", "参加范围"], ["一月", "春节送温暖 慰问困难职工", "全体职工"], ["三月", "三八节联欢", "女职工"]]


def rows_of(blocks) -> list[list[str]]:
    return [b.cells for b in blocks if b.kind == "table_row"]


def test_one_row_per_line_with_closing_bars():
    lines = ["二、工作安排", *(" | ".join(r) + " |" for r in ROWS), "三、保障措施"]
    blocks = table_blocks(lines)
    assert [b.kind for b in blocks] == ["paragraph", "table_row", "table_row", "table_row", "paragraph"]
    assert rows_of(blocks) == ROWS
    assert blocks[1].text == "时间\t活动内容\t参加范围" and {b.table for b in blocks[1:4]} == {0}


def test_markdown_table_drops_its_alignment_row():
    lines = ["| " + " | ".join(ROWS[0]) + " |", "|------|:----:|---|", *("| " + " | ".join(r) + " |" for r in ROWS[1:])]
    assert rows_of(table_blocks(lines)) == ROWS
    assert len(table_blocks(lines)) == 3


def test_empty_cells_are_kept():
    assert rows_of(table_blocks(["| 项目 | 金额 | 备注 |", "| 运动会 | 2000 |  |", "| 晚会 | 3000 | 含音响 |"]))[1] == ["运动会", "2000", ""]


def test_one_cell_per_line_is_cut_at_the_width_where_rows_open_with_short_keys():
    # 3 columns × 4 rows: widths 2 and 4 would open rows with long activity cells
    cells = ["时间", "活动内容", "参加范围", "一月", "春节送温暖工程 春节联欢会", "患病离退休和在职职工 全院职工",
             "二月", "元宵节 登塔比赛 第一季度旅游", "全院职工", "三月", "三八妇女节女职工联欢及慰问", "全院女职工"]
    blocks = table_blocks(["具体工作:", *(c + " |" for c in cells), "四、其他"])
    assert rows_of(blocks) == [cells[k:k + 3] for k in range(0, 12, 3)]
    assert blocks[0].kind == blocks[-1].kind == "paragraph"


@pytest.mark.parametrize(
    "lines",
    [
        ["作者:成功大师 | 网站:www.example.cn", "一、指导思想"],  # one line with a bar: a byline
        ["首页 | 工作计划 | 工会", "一月 | 慰问"],  # rows of different widths
        ["范文首页工作总结工作计划 |", "正文开始"],  # one closing bar
        ["长长的一段没有键的文字内容在这里 |", "另一段同样很长的文字内容在这里 |", "第三段 |", "第四段 |"],
    ],
)
def test_lines_that_are_no_table_stay_paragraphs_as_written(lines):
    blocks = table_blocks(lines)
    assert [b.kind for b in blocks] == ["paragraph"] * len(lines)
    assert [b.text for b in blocks] == lines


def test_text_reader_reads_a_gbk_file_with_a_bar_table(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(("某医院工会工作计划\r\n" + "\r\n".join(" | ".join(r) + " |" for r in ROWS) + "\r\n").encode("gbk"))
    document = read_file(path)
    assert document.encoding == "gb18030"
    assert rows_of(document.blocks) == ROWS


def test_a_frame_round_a_title_and_a_byline_is_layout_not_a_table():
    lines = ["| 某煤矿工会开展劳动竞赛 | |||", "| 煤炭资讯网 | 2022/5/17 简讯 | ||", "|", "【本网讯】5月份,该矿工会开展了月度劳动竞赛活动。"]
    assert [b.kind for b in table_blocks(lines)] == ["paragraph"] * 4


def test_markdown_table_without_outer_bars_needs_its_alignment_row():
    lines = ["月份 | 工作内容", "--- | ---", "三月 | 三八节联欢", "九月 | 庆祝教师节"]
    assert rows_of(table_blocks(lines)) == [["月份", "工作内容"], ["三月", "三八节联欢"], ["九月", "庆祝教师节"]]


def test_a_site_menu_over_two_lines_stays_lines_for_the_cleaner():
    lines = ["范文大全 | 工作计划 | 工作总结 | 心得体会", "演讲稿件 | 申请书类 | 合同范本 | 述职报告"]
    assert [b.kind for b in table_blocks(lines)] == ["paragraph", "paragraph"]


def test_a_long_run_of_bar_lines_that_is_no_table_is_read_once(monkeypatch):
    """Every line a long cell with a closing bar: no width gives short row keys. Read
    again from each of its lines, the run would take quadratic time."""
    import planparse.readers.text_tables as text_tables

    pattern = text_tables._CELL_LINE
    tested: list[str] = []

    class Counting:
        def fullmatch(self, line):
            tested.append(line)
            return pattern.fullmatch(line)

    monkeypatch.setattr(text_tables, "_CELL_LINE", Counting())
    lines = ["这是一段很长的没有键的文字内容 |"] * 2_000 + ["一、指导思想"]
    blocks = table_blocks(lines)
    assert [b.text for b in blocks] == lines and {b.kind for b in blocks} == {"paragraph"}
    assert len(tested) <= len(lines)
