"""Writes the notebooks of this folder, without outputs: ``python notebooks/_make_notebooks.py``.

The notebooks are the artefacts (open, edit and run them in Jupyter); this script is how
they were first laid out, kept so that a change to the shared set-up cell is made once.
tests/test_notebooks.py runs each notebook top to bottom on corpora/samples/."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# The same first code cell in every notebook: find the samples from wherever Jupyter was
# started, render plots headless (inline backend, drawn by Agg), pick an installed CJK font.
SETUP = '''\
%matplotlib inline
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

import planparse


def find_repo_root(start: Path) -> Path:
    """The planparse checkout above ``start`` (the folder with corpora/samples)."""
    for folder in (start, *start.parents):
        if (folder / "corpora" / "samples").is_dir():
            return folder
    raise FileNotFoundError(f"no corpora/samples above {start}; start Jupyter inside the planparse checkout")


ROOT = find_repo_root(Path.cwd().resolve())
SAMPLES = ROOT / "corpora" / "samples"

# Chinese labels need a CJK font; only installed families are named, so matplotlib does not warn.
installed = {f.name for f in font_manager.fontManager.ttflist}
cjk_fonts = [name for name in ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
                               "Microsoft YaHei", "SimHei", "PingFang SC") if name in installed]
plt.rcParams["font.family"] = "sans-serif"
plt.rcParams["font.sans-serif"] = cjk_fonts + ["DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False
if not cjk_fonts:
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")
    print("note: no CJK font installed (apt-get install fonts-noto-cjk); Chinese labels show as boxes")
print("samples:", SAMPLES.relative_to(ROOT))
'''

QUICKSTART = [
    new_markdown_cell("""\
# planparse quick start

Parse a folder of work plans, get the flat tables as pandas DataFrames, and look at one
plan. Runs on the bundled samples in `corpora/samples/` (written by the planparse team)."""),
    new_code_cell(SETUP),
    new_markdown_cell("""\
## Parse a folder

`planparse.parse_file` never raises for a bad file: a failure comes back as `result.error`.
`iter_input_files` walks a folder the way `planparse parse FOLDER` does (document formats
only, sorted)."""),
    new_code_cell("""\
from planparse.output import iter_input_files

results = [planparse.parse_file(item.path) for item in iter_input_files([SAMPLES])]
n_plans = sum(len(r.plans) for r in results)
print(f"{len(results)} files, {sum(r.ok for r in results)} parsed, {n_plans} plans")"""),
    new_markdown_cell("""\
## The tables

`planparse.to_frames` gives the tables of the output contract: `sources`, `plans`,
`sections`, `tasks`, `schedule`, `targets`, `removed`, `errors`, keyed by `plan_id`."""),
    new_code_cell("""\
frames = planparse.to_frames(results)
print({name: len(df) for name, df in frames.items()})
frames["plans"][["title", "org_type", "doc_type", "year", "n_tasks", "n_schedule_items"]]"""),
    new_markdown_cell("## One plan"),
    new_code_cell("""\
school = planparse.parse_file(SAMPLES / "school_union_plan_2024.txt")
plan = school.plans[0]
print(plan.title, "|", plan.organization, "|", plan.org_type, "|", plan.year, "|", plan.issued_date)
for section in plan.sections:
    print(f"{'  ' * (section.level - 1)}{section.type:<16} {section.heading or ''}")"""),
    new_code_cell("""\
tasks = frames["tasks"][frames["tasks"]["plan_id"] == plan.plan_id]
tasks[["path", "category", "confidence", "text"]].head(10)"""),
    new_code_cell("""\
schedule = frames["schedule"][frames["schedule"]["plan_id"] == plan.plan_id]
schedule[["when", "months", "category", "text"]]"""),
    new_markdown_cell("Every `span` points into the normalised text the result carries:"),
    new_code_cell("""\
start, end = plan.tasks[0].span
print(school.text[start:end])"""),
    new_code_cell("""\
counts = tasks["category"].value_counts().sort_values()
fig, ax = plt.subplots(figsize=(7, 3.5))
counts.plot.barh(ax=ax, color="#4c72b0")
ax.set_title(f"{plan.title}: tasks per category")
ax.set_xlabel("tasks")
fig.tight_layout()
plt.show()"""),
]

COMPARE = [
    new_markdown_cell("""\
# Comparing plans

Across the bundled samples (`corpora/samples/`): the category mix per organisation type,
the months the schedules name, a year-over-year diff of one union's plans (2023 → 2024),
and plans built on the same template."""),
    new_code_cell(SETUP),
    new_code_cell("""\
from planparse.output import iter_input_files

results = [planparse.parse_file(item.path) for item in iter_input_files([SAMPLES])]
frames = planparse.to_frames(results)
plans, tasks, schedule = frames["plans"], frames["tasks"], frames["schedule"]
print(f"{len(plans)} plans, {len(tasks)} tasks, {len(schedule)} schedule items")"""),
    new_markdown_cell("""\
## Category mix per organisation type

Share of each task category among the tasks of plans of one `org_type`."""),
    new_code_cell("""\
tasks_by_org = tasks.merge(plans[["plan_id", "org_type"]], on="plan_id")
mix = pd.crosstab(tasks_by_org["org_type"], tasks_by_org["category"], normalize="index")
fig, ax = plt.subplots(figsize=(9, 4))
mix.plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.8)
ax.set_xlabel("share of tasks")
ax.set_ylabel("")
ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
fig.tight_layout()
plt.show()
mix.round(2)"""),
    new_markdown_cell("""\
## Month heatmap

Schedule items per month and category (an item naming several months counts in each)."""),
    new_code_cell("""\
by_month = schedule.explode("months").dropna(subset=["months"]).astype({"months": int})
heat = pd.crosstab(by_month["category"], by_month["months"]).reindex(columns=range(1, 13), fill_value=0)
fig, ax = plt.subplots(figsize=(9, 4.5))
image = ax.imshow(heat.to_numpy(), cmap="YlOrRd", aspect="auto")
ax.set_xticks(range(12), [str(m) for m in range(1, 13)])
ax.set_yticks(range(len(heat.index)), heat.index)
ax.set_xlabel("month")
for (row, col), value in pd.DataFrame(heat.to_numpy()).stack().items():
    if value:
        ax.text(col, row, int(value), ha="center", va="center", fontsize=8)
fig.colorbar(image, ax=ax, label="schedule items")
fig.tight_layout()
plt.show()"""),
    new_markdown_cell("""\
## Year over year: one union, 2023 → 2024

`planparse.diff.diff_plans` aligns the tasks of two plans by wording: added, removed,
reworded (with a similarity), category shifts, and schedule changes by month. The same as
`planparse diff corpora/samples/diff/school_union_plan_2023.txt corpora/samples/school_union_plan_2024.txt`."""),
    new_code_cell("""\
from planparse.diff import diff_plans

old = planparse.parse_file(SAMPLES / "diff" / "school_union_plan_2023.txt").plans[0]
new = planparse.parse_file(SAMPLES / "school_union_plan_2024.txt").plans[0]
change = diff_plans(old, new)
print(change.to_text())"""),
    new_code_cell("""\
counts = pd.DataFrame([(c.category, c.old, c.new) for c in change.category_counts],
                      columns=["category", str(old.year), str(new.year)]).set_index("category")
fig, ax = plt.subplots(figsize=(8, 4))
counts.iloc[::-1].plot.barh(ax=ax, width=0.75)
ax.set_xlabel("tasks")
ax.set_ylabel("")
ax.set_title(f"{old.organization}: tasks per category")
fig.tight_layout()
plt.show()"""),
    new_markdown_cell("""\
## Template clusters

Plans whose text is nearly the same (`planparse.similar.find_similar`, MinHash over
character shingles, Dice similarity ≥ the threshold): copies, and one unit's plans of
successive years written from the same template."""),
    new_code_cell("""\
from planparse.similar import find_similar, plan_texts

clusters = find_similar(plan_texts(results), threshold=0.8)
print(f"{len(clusters)} cluster(s) among {len(plans)} plans")
for cluster in clusters:
    print(f"cluster {cluster.cluster_id}: similarity {cluster.min_similarity:.2f}-{cluster.max_similarity:.2f}")
    for member in cluster.members:
        print("   ", member.title, "|", Path(member.source_path).name)"""),
]


def write(name: str, cells: list) -> Path:
    notebook = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(notebook)
    path = HERE / name
    nbformat.write(notebook, path)
    return path


if __name__ == "__main__":
    for name, cells in (("01_quickstart.ipynb", QUICKSTART), ("02_compare_plans.ipynb", COMPARE)):
        print("wrote", write(name, cells).relative_to(HERE.parent))
