"""The ``planparse report`` and ``planparse similar`` commands (planparse.cli_analysis)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from planparse.cli import app

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three plans, one of them a near-copy of another by a different school, and a broken file."""
    folder = tmp_path_factory.mktemp("cli_analysis_in")
    for name in ("school_union_plan_2024.txt", "hospital_union_points_2024_gbk.txt"):
        shutil.copy2(SAMPLES / name, folder / name)
    school = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    (folder / "copy.txt").write_text(school.replace("青山市实验中学", "白云区第五中学"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_report_command_writes_the_page(batch: Path, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(batch), "-o", str(page), "--lang", "en", "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    dom = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    assert dom.get("lang") == "en"
    assert dom.xpath('//div[@data-key="failed"]/div[@class="n"]')[0].text == "1"
    assert len(dom.xpath('//details[@class="plan"]')) == 3
    assert len(dom.xpath('//table[@id="similar-table"]/tbody/tr')) == 2


def test_report_command_options(batch: Path, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(batch), "-o", str(page), "--require", "tasks,schedule",
                                      "--threshold", "1", "--max-plans", "1"])
    assert result.exit_code == 0, result.output
    assert f"report: {page} (4 files, 1 failed; 3 plans" in result.output
    assert "parsing " in result.output  # progress lines for the documents parsed
    dom = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    assert [th.get("data-type") for th in dom.xpath('//table[@id="completeness-table"]//th[@data-type]')] == ["tasks", "schedule"]
    assert len(dom.xpath('//details[@class="plan"]')) == 1
    assert dom.xpath('//p[@id="no-clusters"]')  # the copy differs in its name: below 1


def test_usage_errors_exit_2(batch: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(batch), "--require", "tasks,nonsense", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "nonsense" in result.output
    assert not (tmp_path / "r.html").exists()
    assert runner.invoke(app, ["report", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(app, ["report"]).exit_code == 2
    assert runner.invoke(app, ["similar"]).exit_code == 2
    assert runner.invoke(app, ["similar", str(batch), "--threshold", "0"]).exit_code == 2


def test_similar_command_prints_the_clusters(batch: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["similar", str(batch), "-q"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("cluster 1: 2 plans, similarity 0.9")
    assert "青山市实验中学工会" in lines[1] + lines[2] and "白云区第五中学工会" in lines[1] + lines[2]
    assert all("MOSTLY SHARED" in line for line in lines[1:3])
    assert lines[-1].startswith("3 plans: 1 cluster of similar plans (threshold 0.8), 2 plans mostly shared")
    data = json.loads(runner.invoke(app, ["similar", str(batch), "--json"]).output)
    assert data["threshold"] == 0.8 and data["plans"] == 3
    assert [len(c["members"]) for c in data["clusters"]] == [2]
    assert {m["plan_id"] for m in data["mostly_shared"]} == {m["plan_id"] for m in data["clusters"][0]["members"]}


def test_similar_output_does_not_depend_on_the_hash_seed(batch: Path) -> None:
    """Nothing rests on Python's salted hash(): two processes with different seeds agree."""
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-m", "planparse", "similar", str(batch), "--json", "--threshold", "0.5"],
                             capture_output=True, env=env, timeout=300, check=True)
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])["clusters"]
