"""Template and copy detection (planparse.similar) on real parsed files."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from planparse.api import parse_file
from planparse.frames import to_frames
from planparse.similar import (
    PlanText,
    analyse_similarity,
    find_similar,
    normalise,
    plan_texts,
    plan_texts_from_frames,
    shingles,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
SEEDS = REPO.parent / "shared" / "seeds"


def _change_sentences(text: str, share: float, replacements: list[str], seed: int = 3) -> str:
    """``text`` with ``share`` of its sentences (ending in 。) swapped for other sentences."""
    parts = re.split(r"(?<=。)", text)
    sentence_idx = [i for i, p in enumerate(parts) if p.strip().endswith("。") and len(p.strip()) > 8]
    rng = random.Random(seed)
    for n, i in enumerate(sorted(rng.sample(sentence_idx, max(1, round(len(sentence_idx) * share))))):
        lead = parts[i][: len(parts[i]) - len(parts[i].lstrip())]
        parts[i] = lead + replacements[n % len(replacements)]
    return "".join(parts)


def _write_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    document.save(str(path))


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan (text), the same plan of another school with 10% of its sentences changed
    (written by python-docx), and an unrelated plan (GBK text)."""
    folder = tmp_path_factory.mktemp("planted")
    original = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    other = (SAMPLES / "community_union_summary_2023.txt").read_text(encoding="utf-8")
    replacements = [s.strip() for s in re.split(r"(?<=。)", other) if len(s.strip()) > 10]
    copy = _change_sentences(original.replace("青山市实验中学", "绿水县第二中学"), 0.10, replacements)
    assert copy != original
    shutil.copy2(SAMPLES / "school_union_plan_2024.txt", folder / "a_plan.txt")
    _write_docx(copy, folder / "b_copy.docx")
    shutil.copy2(SAMPLES / "hospital_union_points_2024_gbk.txt", folder / "c_unrelated.txt")
    return folder


@pytest.fixture(scope="module")
def planted_results(planted: Path) -> list:
    results = [parse_file(p) for p in sorted(planted.iterdir())]
    assert all(r.ok and len(r.plans) == 1 for r in results)
    return results


def test_planted_copy_is_clustered_and_unrelated_plan_is_not(planted_results: list) -> None:
    texts = plan_texts(planted_results)
    by_file = {Path(t.source_path).name: t.plan_id for t in texts}
    clusters = find_similar(texts)
    assert len(clusters) == 1
    (cluster,) = clusters
    assert sorted(cluster.plan_ids) == sorted([by_file["a_plan.txt"], by_file["b_copy.docx"]])
    assert by_file["c_unrelated.txt"] not in cluster.plan_ids
    # 10% of the sentences (and the school's name) changed: about 84% of the text in common
    assert 0.8 <= cluster.min_similarity < 1.0
    assert cluster.min_similarity == cluster.max_similarity == cluster.pairs[0].similarity
    # another school's plan: each is mostly shared with the other's
    assert all(m.mostly_shared and m.shared_share > 0.75 for m in cluster.members)
    assert {m.shared_with for m in cluster.members} == set(cluster.plan_ids)


def test_unrelated_plan_shares_little(planted_results: list) -> None:
    report = analyse_similarity(plan_texts(planted_results), threshold=0.8)
    unrelated = next(t.plan_id for t in plan_texts(planted_results) if t.source_path.endswith("c_unrelated.txt"))
    share = report.shares.get(unrelated)
    assert share is None or not share.mostly_shared


def test_heavily_changed_copy_falls_below_the_threshold(planted_results: list) -> None:
    """Half of the sentences changed is not a near-duplicate any more at 0.8."""
    original = planted_results[0].plans[0]
    text = "\n".join(s.text for s in original.sections)
    other = [s.strip() for s in re.split(r"(?<=。)", (SAMPLES / "community_union_summary_2023.txt")
                                          .read_text(encoding="utf-8")) if len(s.strip()) > 10]
    changed = _change_sentences(text, 0.6, other, seed=5)
    plans = [PlanText("a", text, organization="甲"), PlanText("b", changed, organization="乙")]
    assert find_similar(plans, threshold=0.8) == []
    assert len(find_similar(plans, threshold=0.3)) == 1


def test_results_and_frames_give_the_same_texts(planted_results: list) -> None:
    from_docs = plan_texts([r.to_dict() for r in planted_results])
    assert from_docs == plan_texts(planted_results)
    from_frames = plan_texts_from_frames(to_frames(planted_results))
    assert [(t.plan_id, t.text, t.source_path, t.organization, t.title) for t in from_frames] == \
        [(t.plan_id, t.text, t.source_path, t.organization, t.title) for t in from_docs]


def test_clusters_are_deterministic_and_independent_of_input_order(planted_results: list) -> None:
    texts = plan_texts(planted_results) + [
        PlanText(f"x{i}", t.text, organization=f"单位{i}") for i, t in enumerate(plan_texts(planted_results))
    ]
    first = [c.to_dict() for c in find_similar(texts)]
    shuffled = list(texts)
    random.Random(1).shuffle(shuffled)
    assert [c.to_dict() for c in find_similar(shuffled)] == first
    assert [c.to_dict() for c in find_similar(texts)] == first
    assert [c["cluster_id"] for c in first] == list(range(1, len(first) + 1))
    sizes = [len(c["members"]) for c in first]
    assert sizes == sorted(sizes, reverse=True)


def test_normalise_drops_numbering_punctuation_digits_and_case() -> None:
    assert normalise("一、指导思想\n（二）工作目标\nFirst, The Work") == "指导思想\n工作目标\nthe work"
    # re-numbered, re-dated, re-spaced and re-punctuated: the same shingles
    a = "一、加强师德建设，2023年举办讲座3次。\n二、关心职工生活。"
    b = "1. 加强师德建设 2024年举办讲座5次\n(2) 关心职工生活!"
    assert list(shingles(a)) == list(shingles(b))
    assert len(shingles("")) == 0 and len(shingles("123 ，。")) == 0


def test_english_plans_shingle_by_words() -> None:
    a = "Organize the staff to study the theory and improve the political quality of members."
    assert len(shingles(a)) == len(re.findall(r"[a-z]+", a.lower())) - 2


def test_same_unit_is_not_marked_as_copying() -> None:
    text = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    plans = [PlanText("a", text, organization="青山市实验中学工会"),
             PlanText("b", text, organization="青山市实验中学工会"),
             PlanText("c", text, organization=None)]
    report = analyse_similarity(plans)
    assert len(report.clusters) == 1 and report.clusters[0].min_similarity == 1.0
    members = {m.plan_id: m for m in report.clusters[0].members}
    assert members["a"].shared_with == "c" and members["b"].shared_with == "c"  # the unnamed one may be anyone
    only_same_unit = analyse_similarity(plans[:2])
    assert only_same_unit.clusters and not any(m.mostly_shared for m in only_same_unit.clusters[0].members)


def test_empty_and_tiny_plans_match_nothing_and_do_not_fail() -> None:
    plans = [PlanText("e1", ""), PlanText("e2", ""), PlanText("t1", "工会"), PlanText("t2", "职工之家")]
    assert find_similar(plans) == []
    assert find_similar([]) == []
    with pytest.raises(ValueError):
        find_similar(plans, threshold=0)


def test_a_template_used_by_many_units_is_one_cluster_without_all_pairs() -> None:
    """300 units filling in one template: one cluster, linked through a bounded number of pairs."""
    text = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    plans = [PlanText(f"u{i:03d}", text.replace("青山市实验中学", f"第{i}中学"), organization=f"第{i}中学工会")
             for i in range(300)]
    (cluster,) = find_similar(plans)
    assert len(cluster.members) == 300
    assert len(cluster.pairs) < 300 * 299 // 2 // 2
    assert cluster.min_similarity > 0.95


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the development seeds (../shared/seeds) are not here")
def test_seed_page_with_the_same_school_plan_twice() -> None:
    """Seed 000 prints one school plan twice (edited): the two are marked as sharing
    most of their text with each other, and cluster at a looser threshold."""
    (seed,) = sorted(SEEDS.glob("000*"))
    texts = plan_texts([parse_file(seed)])
    report = analyse_similarity(texts)
    mostly = {pid: s for pid, s in report.shares.items() if s.mostly_shared}
    pairs = {frozenset((pid, s.shared_with)) for pid, s in mostly.items() if s.shared_with in mostly
             and mostly[s.shared_with].shared_with == pid}
    assert len(pairs) == 1
    (pair,) = pairs
    loose = find_similar(texts, threshold=0.6)
    assert [set(c.plan_ids) for c in loose] == [set(pair)]


def test_identical_copies_go_through_lsh_once() -> None:
    """500 units filing the very same text, and one with two sentences changed: one
    cluster, the identical ones linked to one representative (499 pairs, not 124,750)."""
    text = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    other = [s.strip() for s in re.split(r"(?<=。)", (SAMPLES / "community_union_summary_2023.txt")
                                          .read_text(encoding="utf-8")) if len(s.strip()) > 10]
    plans = [PlanText(f"same{i:03d}", text, organization=f"单位{i}") for i in range(500)]
    plans.append(PlanText("edited", _change_sentences(text, 0.05, other), organization="另一单位"))
    report = analyse_similarity(plans)
    (cluster,) = report.clusters
    assert len(cluster.members) == 501
    identical = [p for p in cluster.pairs if p.similarity == 1.0]
    assert len(identical) == 499 and {p.a for p in identical} == {"same000"}
    assert any(p.b == "edited" or p.a == "edited" for p in cluster.pairs)
    assert 0.8 <= cluster.min_similarity < 1.0 and cluster.max_similarity == 1.0
    shares = {m.plan_id: m for m in cluster.members}
    assert shares["same007"].shared_share == 1.0 and shares["same007"].shared_with == "same000"
    assert shares["same000"].shared_with == "same001"
    assert 0.8 < shares["edited"].shared_share < 1.0 and shares["edited"].mostly_shared
