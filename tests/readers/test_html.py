from __future__ import annotations

import pytest

from planparse.readers import read_bytes, read_file

CHROME_MARKERS = ("SCRIPT", "STYLE", "NAV", "COMMENT", "CRUMB", "SIDEBAR", "SHARE", "RELATED", "FOOTER",
                  "HIDDEN", "ADVERT", "FORM", "IFRAME", "TITLE-TAG", "MENU")

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>TITLE-TAG 2021年工会工作计划 - 范文网</title>
<script>var tracker = "SCRIPT-1";</script><style>.x {{ content: "STYLE-1" }}</style></head>
<body>
<div id="header"><div class="logo">范文网</div>
  <ul class="main-nav"><li><a href="/">首页 NAV-1</a></li><li><a href="/jh">工作计划 NAV-2</a></li></ul></div>
<nav><a href="/">NAV-3</a></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/p">CRUMB-1</a></div>
<div class="wrap">
 <div class="article-body">
  <h1>某某学校工会2021年工作计划</h1>
  <!-- COMMENT-1 hidden remark -->
  <p>　　为了做好今年的工会工作，现制定本计划。</p>
  <h2>一、指导思想</h2>
  <p>以新时代中国特色社会主义思想为指导。<br>坚持以人为本，服务教职工。<br/>全面履行工会各项职能。</p>
  <h2>二、主要工作</h2>
  <ol><li>加强师德建设，开展师德标兵评选活动。</li><li>开展文体活动，丰富教职工业余生活。</li></ol>
  <ul><li>做好困难职工帮扶。</li></ul>
  <div style="display:none">HIDDEN-1 隐藏的文字</div>
  <table><tr><th>月份</th><th>工作内容</th></tr><tr><td>三月</td><td>三八节联谊活动</td></tr>
         <tr><td>五月</td><td>教职工运动会</td></tr></table>
  <div class="ad-slot">ADVERT-1 广告</div>
  <form><input value="FORM-1"><button>FORM-2 提交</button></form>
  <iframe src="x">IFRAME-1</iframe>
  <div class="share-box">分享到：微信 微博 SHARE-1</div>
  <div class="related-posts">相关文章：<a href="#">RELATED-1 2020年工作计划</a></div>
 </div>
 <div class="sidebar"><h3>热门推荐 SIDEBAR-1</h3><ul><li><a href="#">SIDEBAR-2 最新范文</a></li></ul></div>
</div>
<div id="comments"><p>网友评论：COMMENT-2 写得好</p></div>
<div class="menu">MENU-1</div>
<div class="footer">版权所有 FOOTER-1 联系我们</div>
<script>document.write("SCRIPT-2")</script>
</body></html>"""


def read_page(charset: str = "utf-8", encoding: str = "utf-8"):
    return read_bytes(PAGE.format(charset=charset).encode(encoding), "plan.html")


def test_no_script_navigation_comment_or_chrome_reaches_the_blocks():
    text = "\n".join(block.text for block in read_page().blocks)
    leaked = [marker for marker in CHROME_MARKERS if marker in text]
    assert leaked == []
    assert "范文网" not in text and "当前位置" not in text


def test_main_content_blocks_in_order():
    blocks = read_page().blocks
    assert [(b.kind, b.level, b.text) for b in blocks[:10]] == [
        ("heading", 1, "某某学校工会2021年工作计划"),
        ("paragraph", None, "为了做好今年的工会工作，现制定本计划。"),
        ("heading", 2, "一、指导思想"),
        ("paragraph", None, "以新时代中国特色社会主义思想为指导。"),  # <br> separates lines
        ("paragraph", None, "坚持以人为本，服务教职工。"),
        ("paragraph", None, "全面履行工会各项职能。"),
        ("heading", 2, "二、主要工作"),
        ("list_item", None, "1.加强师德建设，开展师德标兵评选活动。"),  # <ol> numbers as the browser shows them
        ("list_item", None, "2.开展文体活动，丰富教职工业余生活。"),
        ("list_item", None, "做好困难职工帮扶。"),
    ]
    rows = [b for b in blocks if b.kind == "table_row"]
    assert [row.cells for row in rows] == [["月份", "工作内容"], ["三月", "三八节联谊活动"], ["五月", "教职工运动会"]]
    assert rows[1].text == "三月\t三八节联谊活动" and {row.table for row in rows} == {0}


@pytest.mark.parametrize(("charset", "encoding", "recorded"), [
    ("gbk", "gbk", "gb18030"), ("gb2312", "gb18030", "gb18030"), ("utf-8", "utf-8", "utf-8"),
])
def test_declared_charset(charset, encoding, recorded):
    document = read_bytes(PAGE.format(charset=charset).encode(encoding), "plan.htm")
    assert document.encoding == recorded
    assert document.blocks[0].text == "某某学校工会2021年工作计划"


def test_big5_page():
    page = "<html><head><meta charset='big5'></head><body><p>學校工會工作計劃</p><p>加強教職工隊伍建設。</p></body></html>"
    document = read_bytes(page.encode("big5"), "trad.htm")
    assert document.encoding == "big5"
    assert [b.text for b in document.blocks] == ["學校工會工作計劃", "加強教職工隊伍建設。"]


def test_undeclared_gbk_page_is_detected():
    page = "<html><body><p>鸡西实验中学工会2020年工作计划</p><p>一、指导思想</p></body></html>"
    document = read_bytes(page.encode("gbk"), "plan.html")
    assert document.encoding == "gb18030"
    assert [b.text for b in document.blocks] == ["鸡西实验中学工会2020年工作计划", "一、指导思想"]


def test_density_picks_the_article_over_link_lists():
    links = "".join(f"<li><a href='/{i}'>推荐文章标题第{i}篇工会工作计划范文</a></li>" for i in range(40))
    page = (f"<html><body><div id='left'><ul>{links}</ul></div><div id='x1'><div id='x2'>"
            "<p>一、指导思想</p><p>坚持以人为本，全面履行工会职能，团结动员广大教职工。</p>"
            "<p>二、主要工作</p><p>加强师德建设，开展文体活动，做好困难职工帮扶工作。</p></div></div></body></html>")
    texts = [b.text for b in read_bytes(page.encode(), "plan.html").blocks]
    assert texts == ["一、指导思想", "坚持以人为本，全面履行工会职能，团结动员广大教职工。", "二、主要工作",
                     "加强师德建设，开展文体活动，做好困难职工帮扶工作。"]


def test_layout_table_is_unwrapped_and_title_above_article_kept():
    page = ("<html><body><h1>学校工会工作计划</h1><table><tr><td>"
            "<table><tr><td><a href='/'>首页</a></td></tr></table>"
            "<p>一、指导思想</p><p>坚持以人为本，全面履行工会职能，团结动员广大教职工，为学校发展作贡献。</p>"
            "</td></tr></table></body></html>")
    texts = [b.text for b in read_bytes(page.encode(), "plan.html").blocks]
    assert texts[0] == "学校工会工作计划"
    assert "一、指导思想" in texts and "首页" not in texts


def test_wrapper_with_boilerplate_word_holding_the_text_is_kept():
    page = ("<html><body><div class='content has-sidebar'><p>一、指导思想</p>"
            "<p>坚持以人为本，全面履行工会职能，团结动员广大教职工。</p></div></body></html>")
    assert [b.text for b in read_bytes(page.encode(), "plan.html").blocks][0] == "一、指导思想"


def test_html_file_by_content(tmp_path):
    path = tmp_path / "saved-page.txt"
    path.write_text("<!DOCTYPE html><html><body><p>工会工作计划</p><script>x()</script></body></html>",
                    encoding="utf-8")
    document = read_file(path)
    assert document.format == "html" and [b.text for b in document.blocks] == ["工会工作计划"]
    assert "HTML" in document.warnings[0]


@pytest.mark.parametrize(("declared", "encoding"), [("gb2312", "utf-8"), ("iso-8859-1", "gbk")])
def test_wrong_declaration_loses_to_the_bytes(declared, encoding):
    page = f"<html><head><meta charset='{declared}'></head><body><p>鸡西实验中学工会工作计划</p></body></html>"
    document = read_bytes(page.encode(encoding), "plan.html")
    assert [b.text for b in document.blocks] == ["鸡西实验中学工会工作计划"]
