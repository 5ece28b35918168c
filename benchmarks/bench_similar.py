"""Speed of template/copy detection (``planparse.similar.find_similar``) on generated plans.

    .venv/bin/python benchmarks/bench_similar.py [--plans 20000] [--copies 500] [--seed 7]

Plans are random mixes of 40-80 sentences drawn from a pool of synthetic Chinese
sentences (random characters of the CJK block, so unrelated plans share little, as
real ones do); ``--copies`` of them get a planted near-copy with 10% of its sentences
replaced. Prints the time of ``find_similar`` (run in this one process; numpy's own
threads are pinned to one), plans/s, and how many planted copies ended up in the same
cluster as their original; then the same for ``--template-units`` plans that are all one
template (LSH's worst case). Run it alone: the machine's other load shows in the time.
"""
from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core

import random  # noqa: E402
import time  # noqa: E402

from planparse.similar import PlanText, find_similar  # noqa: E402

CJK_FIRST, CJK_CHARS = 0x4E00, 3000


def sentence_pool(rng: random.Random, size: int) -> list[str]:
    return ["".join(chr(CJK_FIRST + rng.randrange(CJK_CHARS)) for _ in range(rng.randint(12, 40))) + "。"
            for _ in range(size)]


def generate(n_plans: int, n_copies: int, seed: int) -> tuple[list[PlanText], list[tuple[str, str]]]:
    rng = random.Random(seed)
    pool = sentence_pool(rng, 20000)
    plans: list[PlanText] = []
    sentences_of: list[list[str]] = []
    for i in range(n_plans - n_copies):
        sentences = rng.sample(pool, rng.randint(40, 80))
        sentences_of.append(sentences)
        plans.append(PlanText(plan_id=f"p{i}", text="\n".join(sentences), organization=f"单位{i}"))
    planted = []
    for c, original in enumerate(rng.sample(range(len(plans)), n_copies)):
        sentences = list(sentences_of[original])
        for k in rng.sample(range(len(sentences)), max(1, len(sentences) // 10)):
            sentences[k] = rng.choice(pool)
        plans.append(PlanText(plan_id=f"copy{c}", text="\n".join(sentences), organization=f"复制单位{c}"))
        planted.append((plans[original].plan_id, f"copy{c}"))
    return plans, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=20000)
    parser.add_argument("--copies", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--template-units", type=int, default=2000,
                        help="Then time N plans that are one template filled in by N units (0: skip).")
    args = parser.parse_args()

    plans, planted = generate(args.plans, args.copies, args.seed)
    chars = sum(len(p.text) for p in plans)
    began = time.perf_counter()
    clusters = find_similar(plans, threshold=args.threshold)
    elapsed = time.perf_counter() - began

    cluster_of = {m.plan_id: c.cluster_id for c in clusters for m in c.members}
    found = sum(1 for a, b in planted if a in cluster_of and cluster_of.get(a) == cluster_of.get(b))
    stray = sum(len(c.members) for c in clusters) - 2 * found
    print(f"plans: {len(plans)} ({chars / len(plans):.0f} characters on average), planted copies: {len(planted)}")
    print(f"find_similar: {elapsed:.1f} s, {len(plans) / elapsed:.0f} plans/s (one process)")
    print(f"clusters: {len(clusters)}; planted copies found: {found}/{len(planted)}; plans clustered beyond them: {stray}")

    if args.template_units:
        # The worst case for LSH: every plan in one bucket. Each plan is linked to a bounded
        # number of neighbours (similar.BUCKET_WINDOW), so the work grows linearly, not n².
        rng = random.Random(args.seed)
        template = sentence_pool(rng, 60)
        names = ["".join(chr(CJK_FIRST + rng.randrange(CJK_CHARS)) for _ in range(4)) for _ in range(args.template_units)]
        units = [PlanText(plan_id=f"t{i}", organization=f"{name}工会",
                          text="\n".join([f"{name}工会{rng.choice(template)}", *template[1:]]))
                 for i, name in enumerate(names)]
        began = time.perf_counter()
        (cluster, *rest) = find_similar(units, threshold=args.threshold)
        elapsed = time.perf_counter() - began
        print(f"one template, {len(units)} units: {elapsed:.1f} s, {len(units) / elapsed:.0f} plans/s; "
              f"{len(cluster.members)} plans in its cluster, {len(cluster.pairs)} linking pairs checked, "
              f"{len(rest)} other clusters")


if __name__ == "__main__":
    main()
