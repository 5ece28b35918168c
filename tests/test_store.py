"""The SQLite store (--db) and `planparse query`: idempotent re-ingest, one transaction per
file, WAL mode, and the analyst queries shown in the README."""
from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planparse
from planparse.batch import BatchConfig, run_batch
from planparse.cli import app
from planparse.fingerprint import parser_version
from planparse.output import SUPPORTED_SUFFIXES, iter_input_files
from planparse.store import PlanStore, run_query

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
runner = CliRunner()


def readme_queries() -> list[str]:
    """The SQL blocks the README marks with <!-- analyst-query -->."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"<!-- analyst-query -->\s*```sql\n(.*?)```", text, flags=re.S)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store") / "in"
    folder.mkdir()
    for src in sorted(SAMPLES.iterdir()):
        if src.suffix.lower() in SUPPORTED_SUFFIXES:
            shutil.copy2(src, folder / src.name)
    (folder / "empty.txt").write_bytes(b"")
    db = folder.parent / "plans.sqlite"
    summary = run_batch(list(iter_input_files([folder])), BatchConfig(db=db, workers=1))
    assert summary.db_ingested == summary.files == 9
    return db


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names if n != "source_paths"}


def test_store_layout_and_wal(store_path: Path):
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        key = [r[1] for r in conn.execute("PRAGMA table_info(sources)") if r[5]]
        assert key == ["source_sha256", "parser_version"]
        versions = {r[0] for r in conn.execute("SELECT DISTINCT parser_version FROM tasks")}
        assert versions == {parser_version()}
        failed = conn.execute("SELECT error_code FROM sources WHERE status = 'failed'").fetchall()
        assert failed == [("empty",)]
        months = conn.execute("SELECT months FROM schedule WHERE months != '[]' LIMIT 1").fetchone()[0]
        assert months.startswith("[")
    counts = table_counts(store_path)
    assert counts["sources"] == 9 and counts["plans"] >= 9 and counts["tasks"] > 50


def test_reingest_is_a_no_op(store_path: Path, tmp_path: Path):
    db = tmp_path / "copy.sqlite"
    shutil.copy2(store_path, db)
    before = table_counts(db)
    folder = next(iter(Path(store_path).parent.glob("in")))
    inputs = list(iter_input_files([folder]))
    summary = run_batch(inputs, BatchConfig(db=db, workers=1))
    assert summary.db_ingested == 0 and summary.files_parsed_now == 0 and summary.reused == len(inputs)
    assert table_counts(db) == before
    docs = [planparse.parse_file(i.path).to_dict() for i in inputs]
    with PlanStore(db) as store:
        assert [store.ingest(d, parser_version()) for d in docs].count(True) == 0
        # even forced through the CLI, the same content and parser version change nothing
    result = runner.invoke(app, ["parse", str(folder), "--db", str(db), "--force", "--workers", "1"])
    assert result.exit_code == 1, result.output  # empty.txt fails
    assert "0 sources added" in result.output
    assert table_counts(db) == before


def test_newer_parser_version_replaces_the_old_rows(tmp_path: Path):
    doc = planparse.parse_file(SAMPLES / "school_union_plan_2024.txt").to_dict()
    db = tmp_path / "p.sqlite"
    with PlanStore(db) as store:
        assert store.ingest(doc, "1.0+a") is True
        n_tasks = table_counts(db)["tasks"]
        assert store.ingest(doc, "1.0+b") is True
        assert store.ingest(doc, "1.0+b") is False
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT DISTINCT parser_version FROM sources").fetchall() == [("1.0+b",)]
        assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == n_tasks


def test_one_transaction_per_file(tmp_path: Path):
    good = planparse.parse_file(SAMPLES / "school_union_plan_2024.txt").to_dict()
    bad = planparse.parse_file(SAMPLES / "kindergarten_union_plan_2024.docx").to_dict()
    bad["plans"][0]["tasks"][-1]["text"] = {"not": "a value SQLite can store"}  # fails half-way in
    db = tmp_path / "p.sqlite"
    with PlanStore(db) as store:
        store.ingest(good, "v")
        with pytest.raises(sqlite3.Error):
            store.ingest(bad, "v")
        assert store.has(good["source"]["sha256"], "v") and not store.has(bad["source"]["sha256"], "v")
    with sqlite3.connect(db) as conn:
        shas = {r[0] for t in ("plans", "sections", "tasks", "schedule") for r in
                conn.execute(f"SELECT DISTINCT source_sha256 FROM {t}")}
    assert shas == {good["source"]["sha256"]}, "nothing of the failed file is left"


def test_readme_analyst_queries_run(store_path: Path):
    queries = readme_queries()
    assert len(queries) == 3
    results = [run_query(store_path, sql) for sql in queries]
    categories, calendar, missing = results
    assert categories[0][:3] == ["org_type", "category", "tasks"] and len(categories[1]) >= 5
    months = [row[0] for row in calendar[1]]
    assert months == sorted(months) and set(months) <= set(range(1, 13)) and len(months) >= 6
    assert missing[0][:2] == ["plan_id", "title"]
    with sqlite3.connect(store_path) as conn:
        expected = conn.execute(
            "SELECT COUNT(*) FROM plans p WHERE doc_type = 'plan' AND "
            "NOT EXISTS (SELECT 1 FROM schedule s WHERE s.plan_id = p.plan_id)"
        ).fetchone()[0]
    assert len(missing[1]) == expected > 0


def test_query_command_prints_a_table(store_path: Path):
    result = runner.invoke(app, ["query", str(store_path), "SELECT org_type, COUNT(*) AS plans FROM plans GROUP BY 1 ORDER BY 1"])
    assert result.exit_code == 0, result.output
    assert "org_type" in result.output and "school" in result.output and "rows" in result.output
    as_csv = runner.invoke(app, ["query", str(store_path), "SELECT COUNT(*) AS n FROM sources", "--csv"])
    assert as_csv.output.splitlines() == ["n", "9"]
    bad = runner.invoke(app, ["query", str(store_path), "SELECT nope FROM nowhere"])
    assert bad.exit_code == 1 and "SQL error" in bad.output
    readonly = runner.invoke(app, ["query", str(store_path), "DELETE FROM plans"])
    assert readonly.exit_code == 1 and table_counts(store_path)["plans"] > 0
    missing = runner.invoke(app, ["query", str(store_path.parent / "none.sqlite"), "SELECT 1"])
    assert missing.exit_code == 2
