"""The bundled JSON Schema: valid itself, accepts contract documents, rejects the rest."""
from __future__ import annotations

import copy
import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator, ValidationError

from planparse.errors import ErrorCode
from planparse.output import load_schema, validate, validation_errors
from planparse.records import (
    ErrorRecord,
    ParseResult,
    Plan,
    Removed,
    ScheduleItem,
    Section,
    SourceInfo,
    Target,
    Task,
)

SHA = "b88b51fa6a723e58" + "0" * 48


def minimal_doc() -> dict:
    return {
        "schema_version": "1.0",
        "source": {"path": "a.txt", "format": "txt", "sha256": SHA, "bytes": 10,
                   "encoding": "utf-8", "pages": None, "ocr": False},
        "plans": [],
        "removed": [],
        "warnings": ["no plan found in this file"],
    }


def full_doc() -> dict:
    doc = minimal_doc()
    doc["removed"] = [{"text": "当前位置：首页 > 工作计划", "reason": "site chrome", "span": [0, 13]},
                      {"text": "下载本文档", "reason": "download notice"}]
    doc["plans"] = [{
        "plan_id": SHA[:12] + "-1",
        "title": "青山市实验中学工会2024年工作计划",
        "language": "zh",
        "script": "simplified",
        "doc_type": "plan",
        "organization": "青山市实验中学工会",
        "org_type": "school",
        "year": 2024,
        "issued_date": "2024-02-20",
        "doc_number": "青实中工〔2024〕1号",
        "sections": [
            {"section_id": "s1", "type": "guiding_ideology", "heading": "指导思想", "number": "一",
             "level": 1, "parent_id": None, "span": [20, 80], "text": "以……为指导"},
            {"section_id": "s2", "type": "tasks", "heading": "主要工作", "number": "三",
             "level": 1, "parent_id": None, "span": [80, 300], "text": "（一）……"},
            {"section_id": "s3", "type": "tasks", "heading": "加强师德师风建设", "number": "(二)",
             "level": 2, "parent_id": "s2", "span": [120, 300], "text": "1、……"},
            {"section_id": "s4", "type": "schedule", "heading": "月份工作安排", "number": "五",
             "level": 1, "parent_id": None, "span": [300, 400], "text": "三月份：……"},
        ],
        "tasks": [{
            "task_id": "t1", "section_id": "s3", "path": ["三", "(二)", "1"],
            "text": "开展“师德师风建设月”活动", "category": "ethics_and_skills", "confidence": 0.83,
            "secondary_categories": ["political_study"], "months": [], "span": [130, 160],
        }],
        "schedule": [
            {"months": [1, 2], "when": "一至二月份", "text": "制定工会工作计划", "category": "other",
             "span": [310, 330]},
            {"months": [3], "when": "三月份", "text": "组织庆祝三八节活动", "category": "women_workers",
             "span": [331, 350], "owner": "女工委员", "section_id": "s4"},
        ],
        "targets": [
            {"text": "不少于6次", "quantity": 6, "unit": "次", "task_id": None},
            {"text": "100%", "quantity": 100.0, "unit": "%", "task_id": "t1", "quantity_max": None, "span": [90, 94]},
        ],
        "span": [0, 420],
    }]
    return doc


def failed_doc() -> dict:
    doc = minimal_doc()
    doc["source"].update(sha256="", bytes=0, encoding=None)
    doc["error"] = {"path": "a.txt", "code": "empty", "message": "the file is empty (0 bytes)"}
    return doc


def test_schema_is_valid_draft_2020_12():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_is_package_data():
    text = resources.files("planparse").joinpath("schema", "plan.schema.json").read_text(encoding="utf-8")
    assert json.loads(text) == load_schema()


@pytest.mark.parametrize("make", [minimal_doc, full_doc, failed_doc])
def test_valid_documents(make):
    doc = make()
    validate(doc)
    assert validation_errors(doc) == []


def test_additional_fields_are_allowed():
    doc = full_doc()
    doc["generator"] = "planparse 9"
    doc["plans"][0]["extra"] = {"anything": 1}
    doc["plans"][0]["tasks"][0]["model"] = "tfidf-lr"
    validate(doc)


def test_records_to_dict_validates():
    """The dataclasses of planparse.records produce documents the schema accepts."""
    section = Section("s1", "tasks", "主要工作", "一", 1, None, (0, 30), "1、做好……")
    plan = Plan(
        plan_id=SHA[:12] + "-1", title="x工会工作计划", language="zh", script="simplified", doc_type="plan",
        organization="x工会", org_type="other", year=None, issued_date=None, doc_number=None,
        sections=[section],
        tasks=[Task("t1", "s1", ["一", "1"], "做好……", "finance", 0.5, [], [12], (2, 30))],
        schedule=[ScheduleItem([7, 8], "七月份至八月份", "组织疗休养", "welfare_and_care", (31, 40))],
        targets=[Target("3次", 3, "次", "t1")],
        span=(0, 40),
    )
    ok = ParseResult(source=SourceInfo("x.txt", "txt", SHA, 40, "utf-8"), plans=[plan],
                     removed=[Removed("广告", "site chrome", (41, 43))], text="x" * 43)
    validate(ok.to_dict())
    validate(ok.to_dict(with_text=True))
    bad = ParseResult(source=SourceInfo("y.pdf", "pdf", "", 0),
                      error=ErrorRecord("y.pdf", ErrorCode.NOT_A_DOCUMENT.value, "no text in any encoding"))
    validate(bad.to_dict())
    validate(bad.to_dict(with_text=True))  # source.text is null for a failed file


def test_error_codes_match_errors_module():
    assert set(load_schema()["$defs"]["error_code"]["enum"]) == {code.value for code in ErrorCode}


def test_section_rules_use_schema_types():
    rules = json.loads(resources.files("planparse").joinpath("data", "sections.json").read_text(encoding="utf-8"))
    types = {rule["type"] for rule in rules["rules"]}
    assert types <= set(load_schema()["$defs"]["section_type"]["enum"])


def _set(doc: dict, path: list, value) -> dict:
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


_DELETE = object()
P = ["plans", 0]

INVALID = {
    "org_type outside the label set": (P + ["org_type"], "factory"),
    "doc_type outside the label set": (P + ["doc_type"], "report"),
    "language outside the label set": (P + ["language"], "fr"),
    "script outside the label set": (P + ["script"], "mixed"),
    "section type outside the label set": (P + ["sections", 0, "type"], "introduction"),
    "task category outside the label set": (P + ["tasks", 0, "category"], "sports"),
    "secondary category outside the label set": (P + ["tasks", 0, "secondary_categories"], ["misc"]),
    "schedule category outside the label set": (P + ["schedule", 0, "category"], "party"),
    "schedule month 13": (P + ["schedule", 0, "months"], [12, 13]),
    "schedule month 0": (P + ["schedule", 0, "months"], [0]),
    "task month 13": (P + ["tasks", 0, "months"], [13]),
    "month as a string": (P + ["schedule", 0, "months"], ["3"]),
    "plan_id without number": (P + ["plan_id"], SHA[:12]),
    "plan_id upper-case hex": (P + ["plan_id"], SHA[:12].upper() + "-1"),
    "plan_id short prefix": (P + ["plan_id"], "b88b51fa-1"),
    "plan_id free text": (P + ["plan_id"], "plan-1"),
    "confidence above 1": (P + ["tasks", 0, "confidence"], 1.5),
    "confidence below 0": (P + ["tasks", 0, "confidence"], -0.1),
    "negative span": (P + ["span"], [-1, 5]),
    "span of three": (P + ["span"], [0, 5, 9]),
    "span of one": (P + ["tasks", 0, "span"], [3]),
    "level 0": (P + ["sections", 0, "level"], 0),
    "issued_date with slashes": (P + ["issued_date"], "2024/02/20"),
    "issued_date month 13": (P + ["issued_date"], "2024-13-01"),
    "issued_date that does not exist": (P + ["issued_date"], "2024-02-30"),
    "year as a string": (P + ["year"], "2024"),
    "year placeholder": (P + ["year"], "20xx"),
    "quantity as a string": (P + ["targets", 0, "quantity"], "6"),
    "plan without targets": (P + ["targets"], _DELETE),
    "plan without title field": (P + ["title"], _DELETE),
    "task without category": (P + ["tasks", 0, "category"], _DELETE),
    "source without sha256": (["source", "sha256"], _DELETE),
    "sha256 not hex": (["source", "sha256"], "z" * 64),
    "ocr not boolean": (["source", "ocr"], "no"),
    "no schema_version": (["schema_version"], _DELETE),
    "schema_version 2": (["schema_version"], "2.0"),
    "no warnings": (["warnings"], _DELETE),
    "removed without reason": (["removed", 0, "reason"], _DELETE),
    "error code outside the set": (["error"], {"path": "a", "code": "boom", "message": "x"}),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_documents_fail(case):
    path, value = INVALID[case]
    doc = _set(copy.deepcopy(full_doc()), path, value)
    if path[0] == "error":
        doc["plans"] = []
    assert validation_errors(doc), f"{case} was accepted"
    with pytest.raises(ValidationError):
        validate(doc)


def test_failed_document_has_no_plans():
    doc = failed_doc()
    doc["plans"] = full_doc()["plans"]
    assert validation_errors(doc)
