"""The Dask engine: a LocalCluster gives the same tables as a local run; without Dask,
--dask says which extra to install."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planparse.batch import BatchConfig, run_batch
from planparse.cli import app
from planparse.frames import TABLES
from planparse.output import SUPPORTED_SUFFIXES, iter_input_files

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
runner = CliRunner()


def corpus(folder: Path) -> Path:
    folder.mkdir()
    for src in sorted(SAMPLES.iterdir()):
        if src.suffix.lower() in SUPPORTED_SUFFIXES:
            shutil.copy2(src, folder / src.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 not really" * 30)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_local_cluster_gives_the_same_tables_as_a_local_run(tmp_path: Path):
    distributed = pytest.importorskip("distributed")
    folder = corpus(tmp_path / "in")
    inputs = list(iter_input_files([folder]))
    local = run_batch(inputs, BatchConfig(outdir=tmp_path / "local", format="parquet", workers=1))

    reports = []
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        on_dask = run_batch(inputs, BatchConfig(outdir=tmp_path / "dask", format="parquet", dask=client,
                                                timeout=30), on_file=reports.append)
        # JSON files too, written by the caller as results stream in
        as_json = run_batch(inputs, BatchConfig(outdir=tmp_path / "dask-json", dask=client, dask_ship_bytes=True))
    assert on_dask.engine == "dask" and on_dask.files_parsed_now == len(inputs)
    assert sorted(r.path for r in reports) == sorted(i.path for i in inputs)
    assert (on_dask.parsed, on_dask.failed, on_dask.tasks) == (local.parsed, local.failed, local.tasks)
    for name in TABLES:
        a = pd.read_parquet(tmp_path / "local" / f"{name}.parquet")
        b = pd.read_parquet(tmp_path / "dask" / f"{name}.parquet")
        pd.testing.assert_frame_equal(a, b, obj=name)
    assert as_json.failed == local.failed
    assert {p.name for p in (tmp_path / "dask-json").glob("*.json")} == {i.path.name + ".json" for i in inputs}


def test_dask_missing_names_the_extra(monkeypatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    result = runner.invoke(app, ["parse", str(SAMPLES), "-o", str(tmp_path / "o"), "--dask", "local"])
    assert result.exit_code == 2
    assert "planparse[dask]" in result.output
    assert not (tmp_path / "o").exists()
