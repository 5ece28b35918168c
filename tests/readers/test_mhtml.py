"""mhtml: a web page saved as one file is read as the page it holds — the same blocks
as the HTML itself — whoever wrote it (Python's email package, Chromium)."""
from __future__ import annotations

from pathlib import Path

import pytest

from planparse import parse_file
from planparse.errors import PlanparseError
from planparse.output import iter_input_files
from planparse.readers import read_bytes
from planparse.readers.sniff import sniff_format

from .mhtml_factory import chromium_mhtml, email_mhtml, find_chromium

REPO = Path(__file__).resolve().parents[2]
SAMPLE_PAGE = REPO / "corpora" / "samples" / "enterprise_union_plan_2024.html"

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>范文网</title></head><body>
<div class="main-nav">首页 | 工作计划 | 工作总结</div>
<h1>红星机械厂工会2024年工作计划</h1>
<p>一、主要工作</p>
<p>1、三月份组织女职工开展“三八”节活动。</p>
<p>2、开展技能比武，提升职工素质。</p>
<div class="footer">版权所有 范文网</div>
</body></html>"""


def texts(document) -> list[str]:
    return [block.text for block in document.blocks]


@pytest.mark.parametrize("charset", ["gb2312", "gbk", "utf-8"])
def test_email_written_mhtml_gives_the_page_blocks(charset):
    page = PAGE.format(charset=charset)
    document = read_bytes(email_mhtml(page, charset), "plan.mht")
    assert document.format == "mhtml"
    assert texts(document) == texts(read_bytes(page.encode(charset), "plan.html"))
    assert "首页 | 工作计划 | 工作总结" not in texts(document)  # the page's chrome is cut as in HTML


def test_the_start_parameter_names_the_page():
    page = PAGE.format(charset="utf-8")
    for start in (True, False):  # without it: the first HTML part
        document = read_bytes(email_mhtml(page, "utf-8", image_first=True, start=start), "plan.mht")
        assert "2、开展技能比武，提升职工素质。" in texts(document)


def test_mhtml_is_sniffed_whatever_its_name():
    data = email_mhtml(PAGE.format(charset="utf-8"), "utf-8")
    assert sniff_format(data, "html") == "mhtml"
    assert read_bytes(data, "plan.htm").format == "mhtml"
    assert sniff_format(b"Subject: notes\nDate: today\n\nplain text", "txt") is None  # headers alone are no MHTML


def test_mhtml_without_a_page_is_refused_clearly():
    with pytest.raises(PlanparseError) as err:
        read_bytes(b"MIME-Version: 1.0\nContent-Type: text/html\n\n<p>x</p>", "plan.mht")
    assert err.value.code == "corrupt" and "multipart" in str(err.value)
    only_image = email_mhtml(PAGE.format(charset="utf-8"), "utf-8").replace(b"text/html", b"image/gif")
    with pytest.raises(PlanparseError) as err:
        read_bytes(only_image, "plan.mht")
    assert err.value.code == "not_a_document"


def test_batch_walk_takes_mht_files(tmp_path):
    (tmp_path / "plan.mht").write_bytes(email_mhtml(PAGE.format(charset="gb2312")))
    (tmp_path / "plan.mhtml").write_bytes(email_mhtml(PAGE.format(charset="utf-8"), "utf-8"))
    assert sorted(f.path.name for f in iter_input_files([tmp_path])) == ["plan.mht", "plan.mhtml"]
    result = parse_file(tmp_path / "plan.mht")
    assert [p.title for p in result.plans] == ["红星机械厂工会2024年工作计划"]
    assert [t.text for p in result.plans for t in p.tasks] == ["三月份组织女职工开展“三八”节活动。", "开展技能比武,提升职工素质。"]  # NFKC: ，→,
    assert result.plans[0].tasks[0].months == [3]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip("Chromium is not installed")
    return found


def test_chromium_saved_page_parses_like_the_page(chromium, tmp_path):
    saved = tmp_path / "plan.mhtml"
    saved.write_bytes(chromium_mhtml(chromium, SAMPLE_PAGE))
    assert saved.read_bytes().startswith(b"From: <Saved by Blink>")
    from_mhtml, from_html = parse_file(saved), parse_file(SAMPLE_PAGE)
    assert from_mhtml.source.format == "mhtml"
    assert [p.title for p in from_mhtml.plans] == [p.title for p in from_html.plans]
    assert [[t.text for t in p.tasks] for p in from_mhtml.plans] == [[t.text for t in p.tasks] for p in from_html.plans]
    assert sum(len(p.tasks) for p in from_mhtml.plans) > 0
