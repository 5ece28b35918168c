"""Batch conversion (planparse.batch, planparse.pool, planparse.manifest): every input
accounted for, resume after a kill, atomic writes, time and memory limits."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import planparse.api
from planparse.batch import BatchConfig, FileTask, WorkOptions, process_file, run_batch, sweep_temp_files
from planparse.cli import app
from planparse.fingerprint import parser_version
from planparse.frames import TABLES
from planparse.guard import FileTimeout, time_limit
from planparse.manifest import Manifest, OutputLocked
from planparse.output import SUPPORTED_SUFFIXES, iter_input_files
from planparse.pool import WorkerPool

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
runner = CliRunner()


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


def add_broken_files(folder: Path) -> dict[str, set[str]]:
    """Broken inputs next to good ones; returns the relative names with the codes they may get."""
    (folder / "broken").mkdir(parents=True, exist_ok=True)
    (folder / "broken" / "empty.txt").write_bytes(b"")
    (folder / "broken" / "garbage.pdf").write_bytes(b"%PDF-1.7\n\x00\x9c\xff garbage, not a PDF \x01\x02" * 10)
    (folder / "broken" / "badzip.docx").write_bytes(b"PK\x03\x04" + os.urandom(64) + b"not a zip at all" * 20)
    (folder / "broken" / "zeros.docx").write_bytes(b"\x00" * 2048)
    # skipped by the folder walk: never inputs
    (folder / "~$lock.docx").write_bytes(b"\x00lock")
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (folder / "notes.md").write_text("# not a plan format", encoding="utf-8")
    return {
        "broken/empty.txt": {"empty"},
        "broken/garbage.pdf": {"corrupt"},
        "broken/badzip.docx": {"corrupt", "unsupported_format"},
        "broken/zeros.docx": {"corrupt", "not_a_document", "unsupported_format"},
    }


def mixed_folder(tmp_path: Path) -> tuple[Path, dict[str, set[str]]]:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for src in sample_files():
        shutil.copy2(src, folder / src.name)
    return folder, add_broken_files(folder)


def text_corpus(folder: Path, n: int) -> Path:
    """``n`` distinct text/HTML plans (samples and seeds, each copy with its own trailing blank lines)."""
    folder.mkdir(parents=True)
    sources = [p for p in sample_files() if p.suffix in (".txt", ".html")]
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        sources += sorted(seeds.glob("*.txt"))
    for i in range(n):
        src = sources[i % len(sources)]
        (folder / f"{i:03d}_{src.name}").write_bytes(src.read_bytes() + b"\n" * (i + 1))
    return folder


def read_csv_tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLES}


def temp_leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# --- nothing lost --------------------------------------------------------------------------------

def test_every_input_accounted_for(tmp_path: Path):
    folder, broken = mixed_folder(tmp_path)
    out = tmp_path / "out"
    inputs = list(iter_input_files([folder], exclude=[out]))
    names = {i.path.relative_to(folder).as_posix() for i in inputs}
    assert names == {p.name for p in sample_files()} | set(broken)  # hidden, ~$ and .md files are no inputs

    seen = []
    summary = run_batch(inputs, BatchConfig(outdir=out, format="csv", workers=2),
                        on_file=lambda r: seen.append(r.path))
    assert sorted(seen) == sorted(i.path for i in inputs), "each input reported exactly once"
    tables = read_csv_tables(out)
    sources = tables["sources"]
    rel = sources["source_path"].map(lambda p: Path(p).relative_to(folder).as_posix())
    assert sorted(rel) == sorted(names) and not rel.duplicated().any(), "every input exactly once in sources"
    assert list(sources["source_path"]) == [str(i.path) for i in inputs], "sources in input order"
    for name, codes in broken.items():
        row = sources[rel == name].iloc[0]
        assert row["status"] == "failed" and row["error_code"] in codes, (name, row.to_dict())
        assert row["n_plans"] == "0"
    good = sources[~rel.isin(broken)]
    assert (good["status"] == "parsed").all() and (good["error_code"] == "").all()
    assert sorted(tables["errors"]["source_path"]) == sorted(str(folder / n) for n in broken)
    assert summary.files == len(inputs) and summary.failed == len(broken) and summary.parsed == len(inputs) - len(broken)
    assert sum(summary.failures.values()) == len(broken)
    assert summary.plans == len(tables["plans"]) and summary.tasks == len(tables["tasks"])
    assert summary.engine == "process pool" and summary.workers == 2
    assert not temp_leftovers(out)


def test_cli_summary_counts_failures_by_code(tmp_path: Path):
    folder, broken = mixed_folder(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["parse", str(folder), "-o", str(out), "--format", "jsonl", "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert f"{len(broken)} failed (" in result.output and "empty 1" in result.output
    assert "skipped 1 file of other formats" in result.output
    assert f"output: {out}/ (jsonl: sources.jsonl, plans.jsonl" in result.output
    rows = [json.loads(line) for line in (out / "sources.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(sample_files()) + len(broken)
    # A second run parses nothing and says so; the tables stay the same.
    before = {p.name: p.read_bytes() for p in out.glob("*.jsonl")}
    again = runner.invoke(app, ["parse", str(folder), "-o", str(out), "--format", "jsonl", "--workers", "1"])
    assert again.exit_code == 1
    assert f"{len(rows)} done by an earlier run" in again.output and "FAILED" not in again.output
    assert {p.name: p.read_bytes() for p in out.glob("*.jsonl")} == before


# --- resume ----------------------------------------------------------------------------------------

def test_resume_after_killed_run_gives_the_clean_tables(tmp_path: Path):
    folder = text_corpus(tmp_path / "in", 40)
    out = tmp_path / "out"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    args = ["parse", str(folder), "-o", str(out), "--format", "csv", "--workers", "1", "--no-progress"]
    proc = subprocess.Popen([sys.executable, "-m", "planparse", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)
    manifest = out / ".planparse" / "manifest.jsonl"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if manifest.exists() and manifest.read_bytes().count(b"\n") >= 6:
                break
            time.sleep(0.003)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    done_at_kill = manifest.read_bytes().count(b"\n")
    assert 6 <= done_at_kill < 40, f"not killed mid-batch ({done_at_kill} files done)"
    assert not any((out / f"{name}.csv").exists() for name in TABLES), "a killed run wrote tables"

    result = runner.invoke(app, args)  # the same command again
    assert result.exit_code == 0, result.output
    assert f"{done_at_kill} done by an earlier run" in result.output
    assert result.output.count(" tasks, ") >= 40 - done_at_kill  # one line per file parsed now

    clean = tmp_path / "clean"
    run_batch(list(iter_input_files([folder])), BatchConfig(outdir=clean, format="csv", workers=1))
    for name in TABLES:
        assert (out / f"{name}.csv").read_bytes() == (clean / f"{name}.csv").read_bytes(), name
    assert len(read_csv_tables(out)["sources"]) == 40
    assert not temp_leftovers(out)


def test_changed_file_or_parser_is_parsed_again(tmp_path: Path, monkeypatch):
    folder = text_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    inputs = list(iter_input_files([folder]))
    first = run_batch(inputs, BatchConfig(outdir=out, format="parquet", workers=1))
    assert first.files_parsed_now == 3
    target = inputs[1].path
    target.write_bytes(target.read_bytes() + b"\n")  # new content: new sha256
    second = run_batch(inputs, BatchConfig(outdir=out, format="parquet", workers=1))
    assert (second.files_parsed_now, second.reused) == (1, 2)
    assert run_batch(inputs, BatchConfig(outdir=out, format="parquet", workers=1, force=True)).files_parsed_now == 3
    # another parser version (a changed rule table or model) re-parses everything
    from planparse import fingerprint

    monkeypatch.setattr(fingerprint, "parser_version", lambda: "9.9.9+changed")
    assert run_batch(inputs, BatchConfig(outdir=out, format="parquet", workers=1)).files_parsed_now == 3
    import pyarrow.parquet as pq

    assert set(pq.read_table(out / "sources.parquet").column("parser_version").to_pylist()) == {"9.9.9+changed"}


def test_parser_version_hashes_the_data_tables():
    from planparse.fingerprint import data_files

    names = [name for name, _ in data_files()]
    assert "data/categories.json" in names and "schema/plan.schema.json" in names
    assert not any("labels_" in n for n in names), "output labels do not change the parser"
    assert parser_version().startswith(planparse.__version__ + "+")


# --- atomic writes ---------------------------------------------------------------------------------

def test_manifest_survives_a_torn_line_and_locks_the_folder(tmp_path: Path):
    folder = text_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    inputs = list(iter_input_files([folder]))
    run_batch(inputs, BatchConfig(outdir=out, workers=1))
    path = out / ".planparse" / "manifest.jsonl"
    with open(path, "ab") as handle:  # a kill in the middle of a write
        handle.write(b'{"v": 1, "path": "x", "sha256": "')
    summary = run_batch(inputs, BatchConfig(outdir=out, workers=1))
    assert summary.reused == 2 and summary.files_parsed_now == 0
    assert path.read_bytes().endswith(b"}\n"), "torn line cut off"
    with Manifest(out):
        with pytest.raises(OutputLocked):
            run_batch(inputs, BatchConfig(outdir=out, workers=1))


def test_table_files_are_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch):
    folder = text_corpus(tmp_path / "in", 3)
    out = tmp_path / "out"
    inputs = list(iter_input_files([folder]))
    run_batch(inputs, BatchConfig(outdir=out, format="csv", workers=1))
    before = {name: (out / f"{name}.csv").read_bytes() for name in TABLES}

    import planparse.frames

    calls = {"n": 0}
    real = planparse.frames.rows_from_doc

    def dies_on_the_third_file(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as if killed while the tables are being assembled
        return real(*args, **kwargs)

    monkeypatch.setattr(planparse.frames, "rows_from_doc", dies_on_the_third_file)
    with pytest.raises(KeyboardInterrupt):
        run_batch(inputs, BatchConfig(outdir=out, format="csv", workers=1, force=True))
    assert {name: (out / f"{name}.csv").read_bytes() for name in TABLES} == before, "old tables kept whole"
    assert not temp_leftovers(out), "temporary files removed"

    (out / ".sources.csv.a1b2c3d4.tmp").write_bytes(b"half a file")  # left by a SIGKILL
    (out / "keep.tmp").write_bytes(b"not ours")
    assert sweep_temp_files(out) == 1 and (out / "keep.tmp").exists()


# --- limits ------------------------------------------------------------------------------------------

def test_timeout_in_process_fails_the_file_and_the_batch_goes_on(tmp_path: Path, monkeypatch):
    folder = text_corpus(tmp_path / "in", 3)
    slow = folder / "slow.txt"
    slow.write_text("某某工会2024年工作计划\n一、指导思想\n", encoding="utf-8")
    real_read = planparse.api.read_file

    def slow_reader(path, limits=None):
        if Path(path).name == "slow.txt":
            time.sleep(30)  # a hostile file: reading never ends
        return real_read(path, limits)

    monkeypatch.setattr(planparse.api, "read_file", slow_reader)
    began = time.monotonic()
    out = tmp_path / "out"
    summary = run_batch(list(iter_input_files([folder])), BatchConfig(outdir=out, format="csv", workers=1, timeout=2))
    assert time.monotonic() - began < 25
    assert summary.failures == {"timeout": 1} and summary.parsed == 3
    row = read_csv_tables(out)["sources"].set_index("source_path").loc[str(slow)]
    assert row["status"] == "failed" and row["error_code"] == "timeout"


def test_memory_error_is_too_large(tmp_path: Path, monkeypatch):
    path = tmp_path / "huge.txt"
    path.write_text("工会工作计划", encoding="utf-8")

    def greedy_reader(path, limits=None):
        raise MemoryError

    monkeypatch.setattr(planparse.api, "read_file", greedy_reader)
    outcome = process_file(FileTask(0, str(path)), WorkOptions(timeout=5))
    assert outcome["status"] == "failed" and outcome["error_code"] == "too_large"
    assert json.loads(outcome["doc_json"])["error"]["code"] == "too_large"


def test_pool_stops_a_hung_worker_and_recovers():
    began = time.monotonic()
    with WorkerPool(time.sleep, 2, timeout=0.5, grace=1.0) as pool:
        results = {tag: (ok, value) for tag, ok, value in
                   pool.imap_unordered([("a", 0.0), ("hang", 60), ("b", 0.05), ("c", 0.0), ("d", 0.0)])}
        assert pool.restarts == 1
    assert time.monotonic() - began < 15
    assert results["hang"][0] is False and results["hang"][1].kind == "timeout"
    assert all(results[t] == (True, None) for t in "abcd")


def test_pool_survives_crashes_and_caps_memory():
    with WorkerPool(os._exit, 2) as pool:  # a worker that dies (as in a segfault) costs only its task
        results = list(pool.imap_unordered([("x", 3), ("y", 4)]))
    assert sorted((t, ok, v.kind) for t, ok, v in results) == [("x", False, "crashed"), ("y", False, "crashed")]
    with WorkerPool(bytearray, 1, memory_mb=768) as pool:
        results = dict((t, (ok, v)) for t, ok, v in pool.imap_unordered([("big", 2 << 30), ("small", 10)]))
    assert results["big"][0] is False and "MemoryError" in results["big"][1].message
    assert results["small"] == (True, bytearray(10)), "the pool goes on after a MemoryError"


def test_time_limit_on_a_worker_thread():
    caught = []

    def busy():
        try:
            with time_limit(0.2):
                while True:
                    pass
        except FileTimeout:
            caught.append(True)
        with time_limit(0.1):
            pass
        time.sleep(0.3)  # no stray exception after the block
        caught.append("after")

    thread = threading.Thread(target=busy)
    thread.start()
    thread.join(10)
    assert caught == [True, "after"]


def test_manifest_compaction_keeps_the_latest_lines(tmp_path: Path):
    from planparse.manifest import Key

    with Manifest(tmp_path) as manifest:
        for round_ in range(3):
            for i in range(60):
                manifest.append(Key(f"f{i}.txt", f"sha{i}", "v", False), status="parsed", error_code=None,
                                error_message=None, n_plans=round_, n_tasks=0, n_schedule_items=0, output=None,
                                doc_json=json.dumps({"round": round_, "i": i}))
        assert manifest.lines == 180 and manifest.compact()
        assert manifest.lines == 60
        assert manifest.doc(manifest.get(Key("f7.txt", "sha7", "v", False))) == {"round": 2, "i": 7}
    with Manifest(tmp_path) as reopened:
        assert reopened.lines == 60 and reopened.get(Key("f59.txt", "sha59", "v", False)).n_plans == 2


def test_in_process_writes_overlap_yet_report_as_written(tmp_path: Path):
    """In-process, each JSON file is written by a helper thread while the next file is
    parsed; every file is still reported in order, with its output in place, and a write
    that fails fails its file as a write in line would."""
    folder = tmp_path / "in"
    folder.mkdir()
    for src in sample_files():
        shutil.copy2(src, folder / src.name)
    out = tmp_path / "out"
    blocked = sorted(folder.iterdir())[1]
    (out / f"{blocked.name}.json").mkdir(parents=True)  # a folder where its JSON file goes: the rename fails
    reports = []
    summary = run_batch(sorted(folder.iterdir()), BatchConfig(outdir=out, workers=1), on_file=reports.append)
    assert [r.index for r in reports] == list(range(len(sample_files())))
    by_name = {Path(r.path).name: r for r in reports}
    assert by_name[blocked.name].status == "failed"
    assert by_name[blocked.name].error_code == "internal_error"
    assert "could not write the output" in by_name[blocked.name].error_message
    for name, report in by_name.items():
        if name != blocked.name:
            assert report.status == "parsed" and json.loads((out / f"{name}.json").read_text(encoding="utf-8"))["plans"]
    assert summary.failed == 1 and not list(out.glob(".*.tmp"))


def test_resume_key_opens_only_regular_files(tmp_path, monkeypatch):
    import planparse.batch as batch

    small = tmp_path / "plan.txt"
    small.write_text("某某工会2024年工作计划", encoding="utf-8")
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    sha, size = batch._source_identity(small)
    assert len(sha) == 64 and size == small.stat().st_size
    read = []
    monkeypatch.setattr(batch, "_sha256", lambda path: read.append(path) or ("x", 0))
    assert batch._source_identity(pipe) == ("", 0)  # opening it would block the batch
    assert read == []


def test_a_folder_walk_lists_pipes_and_dangling_links_as_inputs(tmp_path):
    (tmp_path / "plan.txt").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.docx").symlink_to(tmp_path / "gone.docx")
    os.mkfifo(tmp_path / "pipe.bin")  # not a document suffix: skipped like any other file
    skipped = []
    names = [item.path.name for item in iter_input_files([tmp_path], on_skip=skipped.append)]
    assert names == ["dangling.docx", "pipe.txt", "plan.txt"]
    assert [p.name for p in skipped] == ["pipe.bin"]


def test_a_swallowed_timeout_still_ends_the_block():
    """A handler's exception raised inside code that swallows it (a bare except, a
    ``__del__``) must not let a file run past its limit."""
    began = time.monotonic()
    with pytest.raises(FileTimeout):
        with time_limit(0.2):
            try:
                time.sleep(1)
            except BaseException:  # noqa: BLE001 - swallowed on purpose
                pass
    assert time.monotonic() - began < 0.9  # ended at the swallow, not after a further sleep


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the lost first alarm
def test_a_timeout_lost_in_a_destructor_fires_again():
    class Noisy:
        def __del__(self):
            time.sleep(0.3)  # the alarm lands here; Python only prints what __del__ raises

    began = time.monotonic()
    with pytest.raises(FileTimeout):
        with time_limit(0.1):
            Noisy()
            while time.monotonic() - began < 5:  # busy work that would go on without a second alarm
                sum(range(1000))
    assert time.monotonic() - began < 2
