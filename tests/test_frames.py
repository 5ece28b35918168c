"""planparse.to_frames and the table files of every --format, read back with the tools
analysts use: pandas for CSV (with its BOM), pyarrow for Parquet, openpyxl for XLSX."""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

import planparse
from planparse.batch import BatchConfig, run_batch
from planparse.formats import XLSX_NAME, arrow_schema
from planparse.frames import PANDAS_DTYPES, TABLES, Labels, rows_from_doc
from planparse.output import SUPPORTED_SUFFIXES, iter_input_files

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
LIST_COLUMNS = {(t, c.name) for t, cols in TABLES.items() for c in cols if c.kind.startswith("list")}


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain Python values (NA → None) for comparing across formats."""
    out = []
    for row in df.astype(object).to_dict("records"):
        clean = {}
        for key, value in row.items():
            if isinstance(value, list):
                clean[key] = value
            elif value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                clean[key] = None
            else:
                clean[key] = value
        out.append(clean)
    return out


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> dict:
    """The samples plus broken files, parsed once (JSON), then written in every table format
    from the same manifest (no re-parsing)."""
    root = tmp_path_factory.mktemp("frames")
    folder = root / "in"
    folder.mkdir()
    for src in sorted(SAMPLES.iterdir()):
        if src.suffix.lower() in SUPPORTED_SUFFIXES:
            shutil.copy2(src, folder / src.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.4 garbage" * 20)
    # A task-like line that a spreadsheet would take for a formula.
    (folder / "formula.txt").write_text("=SUM(A1:A3) 工会工作计划\n一、主要工作\n1、=HYPERLINK(\"x\")组织职工学习。\n",
                                        encoding="utf-8")
    inputs = list(iter_input_files([folder]))
    out = root / "out"
    first = run_batch(inputs, BatchConfig(outdir=out, format="json", workers=1))
    assert first.files_parsed_now == len(inputs)
    for fmt in ("csv", "parquet", "xlsx", "jsonl"):
        summary = run_batch(inputs, BatchConfig(outdir=out, format=fmt, workers=1))
        assert summary.files_parsed_now == 0 and summary.reused == len(inputs)
    zh = root / "zh"
    for fmt in ("csv", "xlsx"):
        run_batch(inputs, BatchConfig(outdir=zh, format=fmt, labels="zh", workers=1))
    docs = [json.loads((out / (i.path.name + ".json")).read_text(encoding="utf-8")) for i in inputs]
    return {"out": out, "zh": zh, "inputs": inputs, "docs": docs, "frames": planparse.to_frames(docs)}


def test_to_frames_schema_and_types():
    results = [planparse.parse_file(p) for p in sorted(SAMPLES.iterdir()) if p.is_file()]
    frames = planparse.to_frames(results)
    assert list(frames) == ["sources", "plans", "sections", "tasks", "schedule", "targets", "removed", "errors"]
    for name, df in frames.items():
        assert list(df.columns) == [c.name for c in TABLES[name]], name
        for col in TABLES[name]:
            assert str(df[col.name].dtype) == PANDAS_DTYPES[col.kind], (name, col.name, df[col.name].dtype)
    sources = frames["sources"]
    assert len(sources) == len(results) and sources["source_path"].is_unique
    assert set(sources["status"]) == {"parsed", "failed"}  # README.md, _make_docx.py are unsupported
    assert set(sources.loc[sources["status"] == "failed", "error_code"]) == {"unsupported_format"}
    assert len(frames["errors"]) == (sources["status"] == "failed").sum()
    assert frames["plans"]["plan_id"].is_unique
    assert sources["n_plans"].sum() == len(frames["plans"])
    tasks = frames["tasks"]
    assert len(tasks) == sum(len(p.tasks) for r in results for p in r.plans) > 0
    assert all(isinstance(v, list) for v in tasks["path"]) and all(isinstance(v, list) for v in tasks["months"])
    assert tasks["path"].map(len).min() >= 1
    assert frames["schedule"]["months"].map(lambda m: all(1 <= x <= 12 for x in m)).all()
    # dicts work as well as ParseResult objects
    same = planparse.to_frames([r.to_dict() for r in results])
    for name in frames:
        pd.testing.assert_frame_equal(frames[name], same[name])


def test_empty_tables_keep_columns_and_dtypes():
    frames = planparse.to_frames([])
    for name, df in frames.items():
        assert df.empty and list(df.columns) == [c.name for c in TABLES[name]]
        assert [str(t) for t in df.dtypes] == [PANDAS_DTYPES[c.kind] for c in TABLES[name]]


def test_csv_read_back_with_bom(batch):
    out, frames = batch["out"], batch["frames"]
    for name in TABLES:
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv has no BOM"
        df = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(df.columns) == [c.name for c in TABLES[name]]
        assert len(df) == len(frames[name]), name
    tasks = pd.read_csv(out / "tasks.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    expected = frames["tasks"]
    assert list(tasks["text"]) == list(expected["text"]), "Chinese text unchanged"
    assert list(tasks["path"]) == [";".join(p) for p in expected["path"]]
    assert list(tasks["months"]) == [";".join(map(str, m)) for m in expected["months"]]
    # plain pandas (utf-8) reads it too, and the first column name is clean
    assert pd.read_csv(out / "sources.csv").columns[0] == "source_path"


def test_parquet_read_back_with_pyarrow(batch):
    out, frames = batch["out"], batch["frames"]
    for name in TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.schema.equals(arrow_schema(name), check_metadata=False), name
        assert table.to_pylist() == records(frames[name]), name


def test_xlsx_read_back_with_openpyxl(batch):
    out, frames = batch["out"], batch["frames"]
    book = openpyxl.load_workbook(out / XLSX_NAME)
    assert book.sheetnames == list(TABLES)
    for name in TABLES:
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == [c.name for c in TABLES[name]]
        assert len(rows) - 1 == len(frames[name]), name
    header = [c.name for c in TABLES["tasks"]]
    first = dict(zip(header, next(book["tasks"].iter_rows(min_row=2, values_only=True))))
    expected = records(frames["tasks"])[0]
    assert first["text"] == expected["text"] and first["path"] == ";".join(expected["path"])
    # text that looks like a formula is stored as text
    cells = [c for name in ("plans", "tasks") for row in book[name].iter_rows(min_row=2) for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert {c.value for c in cells} >= {"=SUM(A1:A3) 工会工作计划", '=HYPERLINK("x")组织职工学习。'}
    assert all(c.data_type == "s" for c in cells)


def test_jsonl_read_back(batch):
    out, frames = batch["out"], batch["frames"]
    for name in TABLES:
        lines = (out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == records(frames[name]), name


def test_chinese_labels(batch):
    zh = batch["zh"]
    labels = Labels.load("zh")
    tasks = pd.read_csv(zh / "tasks.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(tasks.columns) == labels.header("tasks")
    assert "类别" in tasks.columns and "内容" in tasks.columns
    assert set(tasks["类别"]) <= set(labels.values["category"].values())
    sources = pd.read_csv(zh / "sources.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(sources["状态"]) == {"已解析", "失败"} and "空文件" in set(sources["错误代码"])
    book = openpyxl.load_workbook(zh / XLSX_NAME, read_only=True)
    assert book.sheetnames == [labels.table(t) for t in TABLES] and "任务" in book.sheetnames
    frames = planparse.to_frames(batch["docs"], labels="zh")
    assert "单位类型" in frames["plans"].columns
    assert set(frames["plans"]["单位类型"]) <= set(labels.values["org_type"].values())


def test_rows_from_doc_error_override():
    doc = planparse.parse_text("某某工会2024年工作计划\n一、主要工作\n1、组织职工学习。\n").to_dict()
    rows = rows_from_doc(doc, "v", error={"path": "x", "code": "internal_error", "message": "schema"})
    assert rows["sources"][0]["status"] == "failed" and rows["errors"][0]["code"] == "internal_error"
    assert rows["sources"][0]["parser_version"] == "v"
