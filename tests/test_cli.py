"""The command line, in-process (typer's CliRunner) and as ``python -m planparse``,
and the file helpers of planparse.output behind it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planparse
from planparse.cli import app
from planparse.output import (
    InputFile,
    iter_input_files,
    output_path_for,
    plan_outputs,
    validation_errors,
    write_json_atomic,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpora" / "samples" / "school_union_plan_2024.txt"
BROKEN = {"broken/empty.txt", "broken/garbage.pdf"}

runner = CliRunner()


def inputs_of(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def jsons_of(folder: Path) -> dict[str, dict]:
    return {
        p.relative_to(folder).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in folder.rglob("*.json")
    }


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def check_batch_output(batch_dir: Path, out: Path, output: str) -> None:
    """One valid JSON per input, failures recorded in the JSON, errors.jsonl and the summary."""
    docs = jsons_of(out)
    assert set(docs) == {name + ".json" for name in inputs_of(batch_dir)}
    for name, doc in docs.items():
        assert validation_errors(doc) == [], name
    for name in BROKEN:
        doc = docs[name + ".json"]
        assert doc["error"]["code"] in {"empty", "corrupt", "not_a_document"}, doc["error"]
        assert doc["plans"] == []
        assert "FAILED" in output and Path(name).name in output
    assert docs["broken/empty.txt.json"]["error"]["code"] == "empty"
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {Path(e["path"]).relative_to(batch_dir).as_posix() for e in errors} >= BROKEN
    assert all({"path", "code", "message"} <= set(e) for e in errors)
    assert "2 failed" in output or f"{len(errors)} failed" in output
    assert str(out) in output
    assert not leftovers(out), "temporary files left behind"


# --- in-process ------------------------------------------------------------------------------

def test_batch_with_broken_files(batch_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["parse", str(batch_dir), "-o", str(out)])
    assert result.exit_code == 1, result.output
    check_batch_output(batch_dir, out, result.output)
    for name in inputs_of(batch_dir) - BROKEN:
        assert f"{batch_dir / name} → {out / name}.json" in result.output


def test_samples_folder_parses_cleanly(samples_dir: Path, tmp_path: Path):
    out = tmp_path / "samples"
    result = runner.invoke(app, ["parse", str(samples_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""
    assert "README.md.json" not in jsons_of(out) and "_make_docx.py.json" not in jsons_of(out)
    for doc in jsons_of(out).values():
        assert "error" not in doc
        assert validation_errors(doc) == []


def test_single_file_to_stdout():
    result = runner.invoke(app, ["parse", str(SAMPLE)])
    doc = json.loads(result.stdout)  # stdout is the JSON alone; the summary goes to stderr
    assert validation_errors(doc) == []
    assert doc["source"]["path"] == str(SAMPLE)
    assert "text" not in doc["source"]
    assert str(SAMPLE) in result.stderr
    assert result.exit_code == (1 if "error" in doc else 0)


def test_single_file_with_text_to_dir(tmp_path: Path):
    result = runner.invoke(app, ["parse", str(SAMPLE), "-o", str(tmp_path / "o"), "--with-text", "--quiet"])
    doc = json.loads((tmp_path / "o" / (SAMPLE.name + ".json")).read_text(encoding="utf-8"))
    assert validation_errors(doc) == []
    if "error" not in doc:
        assert result.exit_code == 0, result.output
        assert result.output == ""  # --quiet prints failures only
        text = doc["source"]["text"]
        assert isinstance(text, str) and "青山市实验中学工会" in text
        for plan in doc["plans"]:
            start, end = plan["span"]
            assert 0 <= start <= end <= len(text)


def test_failed_single_file_to_stdout(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["parse", str(empty)])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["error"]["code"] == "empty" and doc["plans"] == []
    assert "FAILED" in result.stderr and "empty" in result.stderr


def test_same_name_in_two_folders(tmp_path: Path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "plan.txt").write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    result = runner.invoke(app, ["parse", str(tmp_path / "a" / "plan.txt"), str(tmp_path / "b" / "plan.txt"), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert set(jsons_of(out)) == {"a/plan.txt.json", "b/plan.txt.json"}


def test_outdir_inside_input_folder_is_not_parsed(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.txt").write_bytes(SAMPLE.read_bytes())
    for _ in range(2):
        result = runner.invoke(app, ["parse", str(folder), "-o", str(folder / "out")])
        assert result.exit_code in (0, 1), result.output
    assert set(jsons_of(folder / "out")) == {"plan.txt.json"}


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert planparse.__version__ in result.output


@pytest.mark.parametrize("args", [[], ["parse"], ["parse", "no/such/file.txt"], ["parse", "--bogus", str(SAMPLE)], ["frobnicate"]])
def test_usage_errors_exit_2(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output


# --- as a program ------------------------------------------------------------------------------

def test_python_m_planparse(batch_dir: Path, tmp_path: Path):
    out = tmp_path / "out"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-m", "planparse", "parse", str(batch_dir), "-o", str(out)],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=600,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    check_batch_output(batch_dir, out, proc.stdout + proc.stderr)
    version = subprocess.run([sys.executable, "-m", "planparse", "--version"], capture_output=True,
                             text=True, env=env, cwd=tmp_path, timeout=120)
    assert version.returncode == 0 and planparse.__version__ in version.stdout


# --- planparse.output ----------------------------------------------------------------------------

def test_iter_input_files_walks_sorted_and_skips(tmp_path: Path):
    for name in ["b/2.txt", "b/1.docx", "a.pdf", "c/d/e.html", ".hidden.txt", ".git/x.txt",
                 "~$lock.docx", "notes.md", "script.py", "B.TXT"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    skipped: list[Path] = []
    found = list(iter_input_files([tmp_path], on_skip=skipped.append))
    assert [f.path.relative_to(tmp_path).as_posix() for f in found] == ["B.TXT", "a.pdf", "b/1.docx", "b/2.txt", "c/d/e.html"]
    assert all(f.root == tmp_path for f in found)
    assert sorted(p.name for p in skipped) == ["notes.md", "script.py"]
    # a file named directly is always taken, once, with its own folder as root
    direct = list(iter_input_files([tmp_path / "notes.md", tmp_path / "notes.md", tmp_path / "a.pdf", tmp_path]))
    assert direct[0] == InputFile(tmp_path / "notes.md", tmp_path)
    assert len(direct) == 1 + len(found)
    assert [f.path.name for f in iter_input_files([tmp_path], exclude=[tmp_path / "b"])] == ["B.TXT", "a.pdf", "e.html"]
    with pytest.raises(FileNotFoundError):
        list(iter_input_files([tmp_path / "missing"]))


def test_output_path_for(tmp_path: Path):
    out = tmp_path / "out"
    assert output_path_for(tmp_path / "plan.docx", tmp_path, out) == out / "plan.docx.json"
    assert output_path_for(tmp_path / "x" / "y" / "p.txt", tmp_path, out) == out / "x" / "y" / "p.txt.json"
    assert output_path_for(tmp_path / "p.tar.gz", None, out) == out / "p.tar.gz.json"
    inputs = [InputFile(tmp_path / "a" / "p.txt", tmp_path / "a"), InputFile(tmp_path / "b" / "p.txt", tmp_path / "b")]
    assert plan_outputs(inputs, out) == [out / "a" / "p.txt.json", out / "b" / "p.txt.json"]
    assert plan_outputs(inputs[:1], out) == [out / "p.txt.json"]


def test_write_json_atomic(tmp_path: Path):
    target = tmp_path / "deep" / "x.json"
    write_json_atomic(target, {"title": "工会工作计划", "n": [1, 2]})
    raw = target.read_bytes().decode("utf-8")
    assert "工会工作计划" in raw and '\n  "n": [\n' in raw
    assert json.loads(raw) == {"title": "工会工作计划", "n": [1, 2]}
    with pytest.raises(TypeError):
        write_json_atomic(target, {"bad": object()})
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "工会工作计划", "old file kept on failure"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.json"], "no temporary file left"


# --- batch options -------------------------------------------------------------------------------

def test_db_only_writes_no_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["parse", str(SAMPLE), str(SAMPLE.parent / "company_union_plan_2024_big5.txt"),
                                 "--db", "plans.sqlite", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "database: plans.sqlite (2 sources added" in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("plans.sqlite")) == []
    query = runner.invoke(app, ["query", "plans.sqlite", "SELECT COUNT(*) AS n FROM sources", "--csv"])
    assert query.output.splitlines() == ["n", "2"]


def test_labels_apply_to_tables_only(tmp_path: Path):
    result = runner.invoke(app, ["parse", str(SAMPLE), "-o", str(tmp_path / "o"), "--labels", "zh", "--workers", "1"])
    assert result.exit_code in (0, 1), result.output
    assert "--labels applies to table formats" in result.output
    zh = runner.invoke(app, ["parse", str(SAMPLE), "-o", str(tmp_path / "t"), "-f", "csv", "--labels", "zh", "-q"])
    assert zh.exit_code in (0, 1), zh.output
    header = (tmp_path / "t" / "tasks.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("计划编号,")


@pytest.mark.parametrize("args", [["--format", "docx"], ["--labels", "fr"], ["--workers", "-1"], ["--timeout", "-5"]])
def test_bad_batch_options_exit_2(args, tmp_path: Path):
    result = runner.invoke(app, ["parse", str(SAMPLE), "-o", str(tmp_path / "o"), *args])
    assert result.exit_code == 2, result.output


def test_train_and_evaluate_commands_are_registered():
    from typer.testing import CliRunner

    from planparse.cli import app

    for name in ("train", "evaluate"):
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "--corpus" in result.output


def test_size_limit_from_the_command_line(tmp_path):
    """--max-size refuses a larger file as too_large before reading it; the batch goes on."""
    from typer.testing import CliRunner

    from planparse.cli import app

    src = tmp_path / "in"
    src.mkdir()
    (src / "small.txt").write_text("某某工会2024年工作计划\n一、主要工作\n1、召开教代会。\n", encoding="utf-8")
    big = src / "big.txt"
    with big.open("wb") as handle:  # a sparse 3 MB file: the limit must hold before any read
        handle.truncate(3 * 1024 * 1024)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["parse", str(src), "-o", str(out), "--max-size", "1", "--workers", "1"])
    assert result.exit_code == 1, result.output
    failed = json.loads((out / "big.txt.json").read_text(encoding="utf-8"))
    assert failed["error"]["code"] == "too_large"
    assert json.loads((out / "small.txt.json").read_text(encoding="utf-8"))["plans"]
