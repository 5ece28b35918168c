"""Reading planparse output back into tables (planparse.readback): JSON documents,
jsonl / parquet / csv table folders (English and Chinese headers), SQLite stores, and
documents parsed on the fly all give the tables ``to_frames`` gives."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planparse.api import parse_file
from planparse.cli import app
from planparse.frames import TABLES, to_frames
from planparse.readback import InputError, load_inputs

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readback_in")
    for name in ("school_union_plan_2024.txt", "company_union_plan_2024_big5.txt",
                 "kindergarten_union_plan_2024.docx", "union_plans_collection_2024.txt"):
        shutil.copy2(SAMPLES / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def outputs(batch: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch written by ``planparse parse`` in every output kind."""
    out = tmp_path_factory.mktemp("readback_out")
    runner = CliRunner()
    for args in (["-o", str(out / "json"), "--db", str(out / "store.sqlite")],
                 ["-o", str(out / "jsonl"), "--format", "jsonl"],
                 ["-o", str(out / "parquet"), "--format", "parquet", "--labels", "zh"],
                 ["-o", str(out / "csv"), "--format", "csv"]):
        result = runner.invoke(app, ["parse", str(batch), "-w", "1", "-q", *args])
        assert result.exit_code == 1, result.output  # empty.txt fails
    return out


def _comparable(frames: dict) -> dict:
    """Every table as sorted rows of plain values (source paths as file names: the
    documents are parsed from where they are, the same in every output)."""
    out = {}
    for name, df in frames.items():
        rows = []
        for rec in df.to_dict("records"):
            row = []
            for col in TABLES[name]:
                value = rec[col.name]
                if col.name == "parser_version":
                    continue
                if col.name == "source_path" and isinstance(value, str):
                    value = Path(value).name
                if isinstance(value, float):
                    value = round(value, 6)
                row.append(json.dumps(value if not hasattr(value, "tolist") else value.tolist(),
                                      ensure_ascii=False, default=str))
            rows.append(tuple(row))
        out[name] = sorted(rows)
    return out


def test_every_output_kind_reads_back_to_the_same_tables(batch: Path, outputs: Path) -> None:
    expected = _comparable(to_frames([parse_file(p) for p in sorted(batch.iterdir())]))
    assert len(expected["plans"]) == 5 and len(expected["errors"]) == 1
    cases = {
        "documents": ([batch], "documents"), "json folder": ([outputs / "json"], "json"),
        "jsonl": ([outputs / "jsonl"], "tables"), "parquet --labels zh": ([outputs / "parquet"], "tables"),
        "csv": ([outputs / "csv"], "tables"), "a table file": ([outputs / "csv" / "tasks.csv"], "tables"),
        "sqlite": ([outputs / "store.sqlite"], "store"),
    }
    for name, (inputs, kind) in cases.items():
        loaded = load_inputs(inputs)
        assert [k for _, k in loaded.kinds] == [kind], name
        assert _comparable(loaded.frames) == expected, name


def test_tables_keep_their_dtypes(outputs: Path) -> None:
    frames = load_inputs([outputs / "parquet"]).frames
    assert str(frames["tasks"]["confidence"].dtype) == "Float64"
    assert str(frames["plans"]["year"].dtype) == "Int64"
    assert all(isinstance(v, list) for v in frames["tasks"]["months"])
    assert set(frames["tasks"]["category"].dropna()) <= {
        "political_study", "ethics_and_skills", "labor_competition", "democratic_management", "rights_protection",
        "welfare_and_care", "culture_and_sports", "women_workers", "organization_building", "finance",
        "publicity", "other"}  # Chinese label names turned back into the contract's


def test_inputs_mix_and_db(outputs: Path) -> None:
    one = load_inputs([outputs / "json" / "school_union_plan_2024.txt.json"])
    assert len(one.frames["plans"]) == 1
    both = load_inputs([outputs / "json" / "school_union_plan_2024.txt.json"], db=outputs / "store.sqlite")
    assert [k for _, k in both.kinds] == ["json", "store"]
    assert len(both.frames["plans"]) == 1 + 5


def test_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_inputs([tmp_path / "missing"])
    stray = tmp_path / "not_ours.json"
    stray.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(InputError):
        load_inputs([stray])
    assert len(load_inputs([]).frames["plans"]) == 0
