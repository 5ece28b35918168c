"""planparse.diff and ``planparse diff``: two versions of a real plan (a dev seed edited at
test time), the bundled 2023/2024 pair, JSON inputs, plan choice and the CLI."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planparse
from planparse.cli import app
from planparse.diff import (
    REWORDED_MIN_SIMILARITY,
    DiffInputError,
    align,
    diff_files,
    diff_plans,
    load_plans,
    pick_plan,
    similarity,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
OLD_SAMPLE = SAMPLES / "diff" / "school_union_plan_2023.txt"
NEW_SAMPLE = SAMPLES / "school_union_plan_2024.txt"
REAL_PLAN = REPO.parent / "shared" / "seeds" / "003_60dac51a79ab8bbf.txt"

runner = CliRunner()


# --- similarity and alignment ---------------------------------------------------------------


def test_similarity_ignores_width_case_spacing_and_punctuation():
    assert similarity("组织教职工健康体检。", "组织教职工健康体检") == 1.0
    assert similarity("（一）开展“读书”活动，", "(一)开展\"读书\"活动,") == 1.0
    assert similarity("Hold a Sports Meeting.", "hold a sports   meeting") == 1.0
    assert similarity("评选校级“师德标兵”5名", "评选校级“师德标兵”8名") < 1.0
    assert similarity("召开教代会", "组织女职工健身活动") < REWORDED_MIN_SIMILARITY


def test_align_pairs_identical_texts_first_then_best_similar():
    old = ["组织教职工春季健步走活动", "召开第五届教代会第二次会议", "做好暑期困难职工慰问"]
    new = ["召开第五届教代会第三次会议", "举办青年教师教学技能比赛", "组织教职工春季健步走活动"]
    result = align(old, new)
    assert [(i, j) for i, j, _ in result.pairs] == [(0, 2), (1, 0)]
    assert result.pairs[0][2] == 1.0 and REWORDED_MIN_SIMILARITY <= result.pairs[1][2] < 1.0
    assert result.only_old == [2] and result.only_new == [1]


def test_align_repeated_wording_pairs_one_to_one():
    result = align(["慰问困难职工", "慰问困难职工"], ["慰问困难职工"])
    assert [(i, j) for i, j, _ in result.pairs] == [(0, 0)] and result.only_old == [1]


# --- two versions of a real plan ------------------------------------------------------------


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@pytest.fixture(scope="module")
def real_versions():
    """A real plan (dev seed 003, read at test time) and a next version of it written here:
    one task removed, one reworded, one added, one schedule item moved from April to June."""
    if not REAL_PLAN.is_file():
        pytest.skip("the dev seeds (../shared/seeds) are not beside this checkout")
    before = planparse.parse_file(REAL_PLAN)
    plan = before.plans[0]
    text = before.text
    tasks = {t.text.split("\n")[0][:12]: t for t in plan.tasks}
    removed = next(t for t in plan.tasks if t.text.startswith("全面参与学校人事制度改革"))
    reworded = next(t for t in plan.tasks if t.text.startswith("依据《黑龙江省中小学教职工代表大会试行条例》"))
    assert len(tasks) == len(plan.tasks) == 12

    edited = _replace_once(text, "\n2、" + removed.text, "")
    new_wording = reworded.text.replace("积极落实职代会的各项权利", "认真落实教代会的各项职权").replace("必须提交", "须提交")
    edited = _replace_once(edited, reworded.text, new_wording)
    added = "每学期组织一次教代会代表巡视校园活动,听取教职工对学校工作的意见和建议。"
    edited = _replace_once(edited, new_wording, new_wording + "\n3、" + added)
    edited = _replace_once(edited, "四月份,召开学校工会工作会议,举办两期女教工健美操学习班;", "四月份,召开学校工会工作会议;")
    edited = _replace_once(edited, "六月份,进行校级优质课和优秀课件评选活动;",
                           "六月份,进行校级优质课和优秀课件评选活动,举办两期女教工健美操学习班;")
    after = planparse.parse_text(edited, name="003_next_version.txt")
    return {"old": plan, "new": after.plans[0], "removed": removed, "reworded": reworded,
            "new_wording": new_wording, "added": added}


def test_real_plan_versions_diff_finds_exactly_the_edits(real_versions):
    v = real_versions
    diff = diff_plans(v["old"], v["new"])
    assert [t.text for t in diff.removed] == [v["removed"].text]
    assert [t.text for t in diff.added] == [v["added"]]
    assert [(r.old.text, r.new.text) for r in diff.reworded] == [(v["reworded"].text, v["new_wording"])]
    assert REWORDED_MIN_SIMILARITY <= diff.reworded[0].similarity < 1.0
    assert diff.unchanged == len(v["old"].tasks) - 2
    moved = "举办两期女教工健美操学习班"
    assert [(m.month, [i.text for i in m.removed], [i.text for i in m.added], m.reworded) for m in diff.schedule] == [
        (4, [moved], [], []), (6, [], [moved], [])]
    # Tasks found in both versions whose category differs (the classifier's call, not the diff's).
    new_category = {t.text: t.category for t in v["new"].tasks}
    new_category[v["reworded"].text] = next(t.category for t in v["new"].tasks if t.text == v["new_wording"])
    expected = [(t.text, t.category, new_category[t.text]) for t in v["old"].tasks
                if t.text in new_category and t.category != new_category[t.text]]
    assert [(r.old.text, r.old.category, r.new.category) for r in diff.recategorised] == expected


def test_real_plan_versions_category_counts_follow_the_tasks(real_versions):
    v = real_versions
    diff = diff_plans(v["old"], v["new"])
    counts = {c.category: (c.old, c.new) for c in diff.category_counts}
    for category in counts:
        assert counts[category] == (sum(t.category == category for t in v["old"].tasks),
                                    sum(t.category == category for t in v["new"].tasks))
    assert sum(old for old, _ in counts.values()) == len(v["old"].tasks)
    assert sum(new for _, new in counts.values()) == len(v["new"].tasks)


def test_plan_against_itself_has_no_changes(real_versions):
    plan = real_versions["old"]
    diff = diff_plans(plan, plan.to_dict())
    assert not diff.has_changes
    assert diff.unchanged == len(plan.tasks)
    assert "tasks: 12 unchanged, 0 reworded, 0 removed, 0 added" in diff.to_text()
    assert "schedule: no change" in diff.to_text()


def test_recategorised_task_is_reported(real_versions):
    old = real_versions["old"].to_dict()
    new = copy.deepcopy(old)
    new["tasks"][0]["category"] = "publicity" if old["tasks"][0]["category"] != "publicity" else "finance"
    diff = diff_plans(old, new)
    assert diff.unchanged == len(old["tasks"]) and not diff.reworded
    assert [(r.old.category, r.new.category) for r in diff.recategorised] == [
        (old["tasks"][0]["category"], new["tasks"][0]["category"])]
    shifted = {c.category: c.change for c in diff.category_counts if c.change}
    assert shifted == {old["tasks"][0]["category"]: -1, new["tasks"][0]["category"]: +1}


# --- the bundled pair -----------------------------------------------------------------------


def test_bundled_pair_2023_to_2024():
    diff = diff_files(OLD_SAMPLE, NEW_SAMPLE)
    assert (diff.old.year, diff.new.year) == (2023, 2024)
    assert [t.text[:8] for t in diff.removed] == ["为教职工办理职工"]
    assert [t.text[:8] for t in diff.added] == ["开展“书香校园”"]
    assert sorted(r.old.text[:6] for r in diff.reworded) == ["加强工会宣传", "召开第五届教", "开展“师德师"]
    months = {m.month: m for m in diff.schedule}
    assert [i.text for i in months[4].removed] == ["组织全体教职工健康体检"]
    assert [i.text for i in months[11].added] == ["组织全体教职工健康体检"]
    text = diff.to_text()
    assert "tasks: 13 unchanged, 3 reworded, 1 removed, 1 added" in text
    assert "  - [" in text and "  + [" in text and "month 11: 0 → 1" in text


def test_to_dict_is_json_with_a_summary():
    doc = json.loads(json.dumps(diff_files(OLD_SAMPLE, NEW_SAMPLE).to_dict(), ensure_ascii=False))
    summary = doc["summary"]
    assert summary["recategorised"] == len(doc["recategorised"])
    assert all(r["old"]["category"] != r["new"]["category"] for r in doc["recategorised"])
    assert {k: v for k, v in summary.items() if k != "recategorised"} == {
        "unchanged": 13, "reworded": 3, "removed": 1, "added": 1, "months_changed": [1, 2, 3, 4, 11]}
    assert set(doc["reworded"][0]) == {"old", "new", "similarity"}
    assert set(doc["schedule"][0]["reworded"][0]) == {"old", "new", "similarity"}
    assert doc["old"]["source"].endswith("school_union_plan_2023.txt")


# --- inputs and the command line ------------------------------------------------------------


def test_json_output_files_diff_like_their_sources(tmp_path: Path):
    result = runner.invoke(app, ["parse", str(OLD_SAMPLE), str(NEW_SAMPLE), "-o", str(tmp_path), "-q", "-w", "1"])
    assert result.exit_code == 0, result.output
    old_json = next(tmp_path.rglob("school_union_plan_2023.txt.json"))
    new_json = next(tmp_path.rglob("school_union_plan_2024.txt.json"))
    from_json = diff_files(old_json, new_json).to_dict()
    from_sources = diff_files(OLD_SAMPLE, NEW_SAMPLE).to_dict()
    for side in ("old", "new"):
        from_json[side].pop("source"), from_sources[side].pop("source")
    assert from_json == from_sources


def test_plan_choice_in_a_collection():
    collection = SAMPLES / "union_plans_collection_2024.txt"
    plans = load_plans(collection)
    assert sum(bool(p["tasks"]) for p in plans) == 2
    with pytest.raises(DiffInputError, match="choose one with --old-plan N"):
        pick_plan(plans, None, str(collection), "--old-plan")
    assert pick_plan(plans, 2, str(collection))["plan_id"].endswith("-2")
    with pytest.raises(DiffInputError, match="--plan 3 is not one of them"):
        pick_plan(plans, 3, str(collection))


def test_errors_for_inputs_without_a_plan(tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("今天天气很好。\n", encoding="utf-8")
    with pytest.raises(DiffInputError, match="no plan with tasks"):
        diff_files(notes, NEW_SAMPLE)
    bad = tmp_path / "other.json"
    bad.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(DiffInputError, match="not a planparse JSON document"):
        load_plans(bad)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DiffInputError, match="empty"):
        load_plans(empty)


def test_cli_text_and_json():
    text = runner.invoke(app, ["diff", str(OLD_SAMPLE), str(NEW_SAMPLE)])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("old: 青山市实验中学工会2023年工作计划")
    assert "tasks: 13 unchanged, 3 reworded, 1 removed, 1 added" in text.stdout
    as_json = runner.invoke(app, ["diff", str(OLD_SAMPLE), str(NEW_SAMPLE), "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["summary"]["added"] == 1


def test_cli_ambiguous_input_is_a_usage_error():
    collection = SAMPLES / "union_plans_collection_2024.txt"
    result = runner.invoke(app, ["diff", str(collection), str(NEW_SAMPLE)])
    assert result.exit_code == 2
    assert "2 plans with tasks" in result.stderr and "--old-plan N" in result.stderr
    chosen = runner.invoke(app, ["diff", str(collection), str(collection), "--old-plan", "1", "--new-plan", "2"])
    assert chosen.exit_code == 0, chosen.output
    assert "篇一" in chosen.stdout.splitlines()[0] and "篇二" in chosen.stdout.splitlines()[1]


def test_english_plan_edit():
    en = SAMPLES / "county_federation_plan_2022_en.txt"
    before = planparse.parse_file(en)
    plan = before.plans[0]
    first = plan.tasks[0].text
    words = first.split()
    reworded = " ".join(words[:-2] + ["in", "every", "township"]) if len(words) > 6 else first + " in every township"
    after = planparse.parse_text(before.text.replace(first, reworded, 1), name="en_next.txt").plans[0]
    diff = diff_plans(plan, after)
    assert [(r.old.text, r.new.text) for r in diff.reworded] == [(first, reworded)]
    assert not diff.added and not diff.removed
