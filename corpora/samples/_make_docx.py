"""Regenerate kindergarten_union_plan_2024.docx, the DOCX sample, with python-docx.

    python corpora/samples/_make_docx.py

The text is the planparse team's own. The document exercises what real Word files
have: Title and Heading 1/2 styles, items numbered by Word itself ("List Number" style,
the number is not in the text), and the month schedule as a table
(月份 | 工作内容 | 责任部门). Core properties are fixed so that only python-docx's own
zip timestamps differ between two runs.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document

OUT = Path(__file__).with_name("kindergarten_union_plan_2024.docx")

TITLE = "青山市实验幼儿园工会2024年工作计划"

PREAMBLE = (
    "新的一年，园工会将在园党支部和市教育工会的领导下，围绕幼儿园保教中心工作，"
    "以服务教职工为根本，认真履行工会各项职能，努力营造团结和谐、积极向上的工作氛围。"
)

GUIDING = (
    "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，认真落实市教育工会工作要求，"
    "坚持全心全意依靠教职工办园，维护教职工合法权益，促进幼儿园各项事业健康发展。"
)

TASKS = [
    ("（一）加强师德建设，提升保教队伍素质", [
        "1.组织教职工学习《新时代幼儿园教师职业行为十项准则》，开展师德承诺和师德典型评选活动。",
        "2.配合保教处开展青年教师“一课三研”和保育员岗位练兵活动，促进教职工专业成长。",
    ]),
    ("（二）落实民主管理，推进园务公开", [
        "1.召开教职工大会，审议幼儿园发展规划和绩效工资分配方案。",
        "2.做好园务公开工作，重大事项及时向教职工公开，听取教职工意见和建议。",
    ]),
    ("（三）关爱教职工，增强归属感", [
        "1.开展生日慰问、生病住院探望和困难教职工帮扶工作。",
        "2.组织女教职工开展“三八”节健康知识讲座和户外拓展活动。",
        "3.举办教职工迎新年联欢会和亲子运动会，丰富教职工文化生活。",
    ]),
]

MEASURES = [  # numbered by Word ("List Number"): the text carries no number
    "园工会委员分工负责，每项活动落实到人。",
    "规范工会经费的使用，做到账目清楚、公开透明。",
    "及时做好工会活动的宣传报道和资料归档工作。",
]

SCHEDULE = [
    ("二月", "制定工会工作计划；开展春节慰问困难教职工活动", "工会主席"),
    ("三月", "组织“三八”节女教职工活动；召开教职工大会", "工会、女工委员"),
    ("五月", "开展保育员岗位练兵活动", "工会、保教处"),
    ("六月", "举办亲子运动会", "工会、各年级组"),
    ("九月", "庆祝教师节，表彰优秀教职工", "工会、园办公室"),
    ("十二月", "举办迎新年联欢会；做好年度工作总结", "工会委员会"),
]


def build(path: Path = OUT) -> Path:
    doc = Document()
    props = doc.core_properties
    props.author = "planparse"
    props.title = TITLE
    props.created = props.modified = dt.datetime(2024, 2, 26, 9, 0, 0)
    props.last_modified_by = "planparse"
    props.revision = 1

    doc.add_paragraph(TITLE, style="Title")
    doc.add_paragraph(PREAMBLE)

    doc.add_heading("一、指导思想", level=1)
    doc.add_paragraph(GUIDING)

    doc.add_heading("二、主要工作", level=1)
    for heading, items in TASKS:
        doc.add_heading(heading, level=2)
        for item in items:
            doc.add_paragraph(item)

    doc.add_heading("三、保障措施", level=1)
    for item in MEASURES:
        doc.add_paragraph(item, style="List Number")

    doc.add_heading("四、工作安排", level=1)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("月份", "工作内容", "责任部门")):
        cell.text = text
    for row in SCHEDULE:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text

    doc.add_paragraph("")
    doc.add_paragraph("青山市实验幼儿园工会")
    doc.add_paragraph("二〇二四年二月二十六日")
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
