"""The Python API on the samples and on bad files: schema-valid results, contract
invariants, error records instead of exceptions."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import planparse
from planparse import ErrorCode, ParseResult
from planparse.output import SUPPORTED_SUFFIXES, validation_errors

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
SAMPLE_IDS = sorted(p.name for p in SAMPLES.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


def check_invariants(result: ParseResult) -> None:
    """What the contract promises of every successful result, beyond the schema."""
    doc = result.to_dict(with_text=True)
    assert validation_errors(doc) == []
    text = result.text
    assert isinstance(text, str)
    assert doc["source"]["text"] == text

    def in_text(span, what):
        start, end = span
        assert 0 <= start <= end <= len(text), f"{what} span {span} outside the text ({len(text)} chars)"

    for n, plan in enumerate(result.plans, start=1):
        assert plan.plan_id == f"{result.source.sha256[:12]}-{n}", "plan_id is <sha256[:12]>-<n>, n from 1"
        in_text(plan.span, plan.plan_id)
        section_ids = [s.section_id for s in plan.sections]
        assert len(section_ids) == len(set(section_ids)), "section ids are unique within a plan"
        for section in plan.sections:
            in_text(section.span, section.section_id)
            assert section.parent_id is None or section.parent_id in section_ids
        task_ids = [t.task_id for t in plan.tasks]
        assert len(task_ids) == len(set(task_ids)), "task ids are unique within a plan"
        for task in plan.tasks:
            in_text(task.span, task.task_id)
            assert task.section_id in section_ids, f"task {task.task_id} points to an unknown section"
            assert task.text.strip()
        for item in plan.schedule:
            in_text(item.span, f"schedule item {item.text[:10]}")
            assert item.text.strip()
        for target in plan.targets:
            assert target.task_id is None or target.task_id in task_ids


# --- parse_text ---------------------------------------------------------------------------

def test_parse_text_returns_valid_result():
    text = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    result = planparse.parse_text(text, name="school.txt")
    assert isinstance(result, ParseResult)
    assert result.error is None
    assert result.source.path == "school.txt"
    assert result.source.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    check_invariants(result)
    assert validation_errors(result.to_dict()) == []
    assert "text" not in result.to_dict()["source"]


def test_parse_text_finds_the_plan():
    text = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    result = planparse.parse_text(text)
    assert result.plans, f"no plan found; warnings: {result.warnings}"
    assert result.plans[0].title == "青山市实验中学工会2024年工作计划"


def test_parse_text_of_nothing_is_parsed_with_a_warning():
    result = planparse.parse_text("", name="blank.txt")
    assert result.error is None or result.error.code == ErrorCode.EMPTY.value
    assert result.plans == []
    assert validation_errors(result.to_dict()) == []


# --- parse_file on the samples -------------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLE_IDS)
def test_parse_file_sample_is_valid(name):
    path = SAMPLES / name
    result = planparse.parse_file(path)
    assert isinstance(result, ParseResult)
    assert result.error is None, f"{result.error}"
    assert result.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.source.bytes == path.stat().st_size
    check_invariants(result)


# What a careful reader finds in each sample, where the sample leaves no doubt.
EXPECTED = {
    "school_union_plan_2024.txt": dict(n_plans=1, title="青山市实验中学工会2024年工作计划", year=2024,
                                       doc_type="plan", org_type="school", language="zh", script="simplified",
                                       issued_date="2024-02-20", doc_number="青实中工〔2024〕1号"),
    "hospital_union_points_2024_gbk.txt": dict(n_plans=1, title="青山市第二人民医院工会2024年工作要点", year=2024,
                                               doc_type="plan", org_type="hospital", language="zh",
                                               encoding_family="gb"),
    "enterprise_union_plan_2024.html": dict(n_plans=1, title="青山重型机械有限公司工会2024年工作计划", year=2024,
                                            doc_type="plan", org_type="enterprise", language="zh",
                                            absent=["本文档由用户上传", "范文文库网", "相关文章", "showAd", "当前位置"]),
    "community_union_summary_2023.txt": dict(n_plans=1, title="东湖街道幸福社区工会2023年工作总结", year=2023,
                                             doc_type="summary", org_type="community", language="zh"),
    "county_federation_plan_2022_en.txt": dict(n_plans=1, title="Greenfield County Federation of Trade Unions 2022 Work Plan",
                                               year=2022, doc_type="plan", org_type="union_federation",
                                               language="en", script=None),
    "union_plans_collection_2024.txt": dict(n_plans=2, title_starts=["篇一", "篇二"], language="zh",
                                            absent=["当前位置", "更多相关文章", "下载本文档"]),
    "company_union_plan_2024_big5.txt": dict(n_plans=1, title="華興電子股份有限公司工會2024年度工作計劃", year=2024,
                                             language="zh", script="traditional", encoding_family="big5"),
    "kindergarten_union_plan_2024.docx": dict(n_plans=1, title="青山市实验幼儿园工会2024年工作计划", year=2024,
                                              doc_type="plan", org_type="school", language="zh"),
}


def test_every_sample_has_expectations():
    assert sorted(EXPECTED) == SAMPLE_IDS


def _plan_texts(result: ParseResult) -> list[str]:
    texts = []
    for plan in result.plans:
        texts.append(plan.title or "")
        texts += [s.text for s in plan.sections] + [s.heading or "" for s in plan.sections]
        texts += [t.text for t in plan.tasks] + [i.text for i in plan.schedule]
    return texts


@pytest.mark.parametrize("name", SAMPLE_IDS)
def test_parse_file_sample_content(name):
    expected = EXPECTED[name]
    result = planparse.parse_file(SAMPLES / name)
    assert result.error is None, f"{result.error}"
    assert len(result.plans) == expected["n_plans"], f"warnings: {result.warnings}"
    first = result.plans[0]
    for plan in result.plans:
        assert plan.title, "a well-formed sample's plans have titles"
        assert plan.sections, "a well-formed sample's plans have sections"
    for key in ("title", "year", "doc_type", "org_type", "language", "script", "issued_date", "doc_number"):
        if key in expected:
            assert getattr(first, key) == expected[key], key
    for plan, prefix in zip(result.plans, expected.get("title_starts", [])):
        assert plan.title.startswith(prefix)
    family = expected.get("encoding_family")
    if family:
        assert family in (result.source.encoding or "").lower().replace("_", "").replace("-", "")
    texts = _plan_texts(result)
    for needle in expected.get("absent", []):
        assert not any(needle in t for t in texts), f"boilerplate {needle!r} reached the plan"


def test_school_sample_tasks_and_schedule():
    result = planparse.parse_file(SAMPLES / "school_union_plan_2024.txt")
    assert result.error is None, f"{result.error}"
    plan = result.plans[0]
    assert len(plan.tasks) >= 10
    months = {m for item in plan.schedule for m in item.months}
    assert months == set(range(1, 13)), "the month list covers the whole year"
    first = [item for item in plan.schedule if item.months == [1, 2]]
    assert len(first) == 2, "一至二月份：1、… 2、… gives two items for months [1, 2]"


# --- bad files -----------------------------------------------------------------------------

def _assert_failed(result: ParseResult, code: str | None) -> None:
    assert isinstance(result, ParseResult)
    assert result.error is not None
    if code is not None:
        assert result.error.code == code, result.error
    assert result.error.message
    assert result.plans == []
    assert validation_errors(result.to_dict()) == []
    assert validation_errors(result.to_dict(with_text=True)) == []


def test_missing_file_is_an_error_record(tmp_path: Path):
    missing = tmp_path / "no_such_plan.docx"
    result = planparse.parse_file(missing)
    _assert_failed(result, ErrorCode.CORRUPT.value)
    assert result.error.path == str(missing)


def test_empty_file_is_an_error_record(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _assert_failed(planparse.parse_file(empty), ErrorCode.EMPTY.value)


def test_unsupported_format_is_an_error_record(tmp_path: Path):
    sheet = tmp_path / "budget.xyz"
    sheet.write_bytes(b"col1,col2\n1,2\n")
    _assert_failed(planparse.parse_file(sheet), ErrorCode.UNSUPPORTED_FORMAT.value)


def test_garbage_pdf_is_an_error_record(tmp_path: Path):
    pdf = tmp_path / "garbage.pdf"
    pdf.write_bytes(b"%PDF-1.7\n\x00\x9c\xff not really a pdf" * 10)
    result = planparse.parse_file(pdf)
    _assert_failed(result, None)
    assert result.error.code != ErrorCode.INTERNAL.value, result.error


def test_folder_is_an_error_record(tmp_path: Path):
    _assert_failed(planparse.parse_file(tmp_path), None)


def test_docx_schedule_table_gives_items_with_owner():
    """The DOCX sample's schedule is a table 月份 | 工作内容 | 责任部门 with six rows."""
    result = planparse.parse_file(SAMPLES / "kindergarten_union_plan_2024.docx")
    assert result.error is None, f"{result.error}"
    schedule = result.plans[0].schedule
    assert {m for item in schedule for m in item.months} == {2, 3, 5, 6, 9, 12}
    assert all(item.owner for item in schedule), "the 责任部门 column is the owner"
    assert any(item.owner == "工会、保教处" and item.months == [5] for item in schedule)



def test_a_file_over_the_size_limit_is_hashed_but_never_loaded(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: over the 50 MB default, no disk used

    def no_loading(self):
        raise AssertionError(f"{self} was loaded although it is over the limit")

    monkeypatch.setattr(Path, "read_bytes", no_loading)
    result = planparse.parse_file(huge)
    assert result.error is not None and result.error.code == ErrorCode.TOO_LARGE.value
    assert result.source.bytes == 60 * 1024 * 1024 and len(result.source.sha256) == 64
