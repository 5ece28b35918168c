"""The notebooks in notebooks/ run top to bottom on corpora/samples (nbclient, a python3
kernel of this interpreter), make their figures, print no warnings, and are committed
without outputs."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the dev extra (nbformat, nbclient, ipykernel) is not installed")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
NAMES = ["01_quickstart.ipynb", "02_compare_plans.ipynb"]


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory) -> Path:
    """A "python3" kernelspec for this very interpreter, found first on JUPYTER_PATH, so the
    notebooks run in the environment under test whatever other kernels the machine has."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (planparse tests)", "language": "python",
    }), encoding="utf-8")
    return root


def run(name: str, kernel_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")  # no display, whatever the kernel defaults to
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    # The kernel starts in notebooks/, as when Jupyter opens the file there.
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    return notebook


def outputs(notebook) -> tuple[str, str, int]:
    """All stdout text, all stderr text, and the number of PNG figures."""
    stdout, stderr, figures = [], [], 0
    for cell in notebook.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                (stdout if out.name == "stdout" else stderr).append(out.text)
            elif out.output_type in ("display_data", "execute_result"):
                figures += "image/png" in out.get("data", {})
    return "".join(stdout), "".join(stderr), figures


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name: str):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_quickstart_runs(kernel_path: Path, monkeypatch: pytest.MonkeyPatch):
    stdout, stderr, figures = outputs(run("01_quickstart.ipynb", kernel_path, monkeypatch))
    assert stderr == ""  # no warnings (fonts, pandas, matplotlib)
    assert figures == 1
    from planparse.output import iter_input_files

    files = len(list(iter_input_files([REPO / "corpora" / "samples"])))
    assert f"{files} files, {files} parsed, " in stdout
    assert "青山市实验中学工会2024年工作计划 | 青山市实验中学工会 | school | 2024 | 2024-02-20" in stdout
    assert "guiding_ideology 指导思想" in stdout


def test_compare_plans_runs(kernel_path: Path, monkeypatch: pytest.MonkeyPatch):
    stdout, stderr, figures = outputs(run("02_compare_plans.ipynb", kernel_path, monkeypatch))
    assert stderr == ""
    assert figures == 3  # category mix, month heatmap, the two years' categories
    assert "tasks: 13 unchanged, 3 reworded, 1 removed, 1 added" in stdout
    # the 2023 and 2024 plans of the same school are one template cluster
    assert "school_union_plan_2023.txt" in stdout.split("cluster 1:")[1]
    assert "school_union_plan_2024.txt" in stdout.split("cluster 1:")[1]
