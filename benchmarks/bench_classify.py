"""Task classifier speed (a script, not a test): classify N task texts on one core.

    .venv/bin/python benchmarks/bench_classify.py --n 10000

The texts are the labelled corpus's items (``corpora/tasks``, with their heading
contexts) cycled to N; the cycle is longer than the tokenizer caches, so every text is
tokenised afresh; they are cut into "plans" of 40, one ``predict_proba`` call per plan as
in the ``classify`` component (the model's caches live for one call: a single call over
all N would find the cycled texts again). Prints the one-off costs (loading the model file,
initialising the jieba segmenter (jieba-rs) and spaCy's tokenizer) apart from the steady-state time per 1,000
tasks, wall and CPU (the machine may be shared), for the trained model and for the
rule-based cue classifier.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--model", type=Path, default=None, help="model file (default: the package's)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    from planparse.classify import CueClassifier
    from planparse.corpus import load_corpus
    from planparse.model import TaskClassifier, default_model_path

    began = time.perf_counter()
    model = TaskClassifier.load(args.model or default_model_path())
    t_load = time.perf_counter() - began
    began = time.perf_counter()
    model.predict_proba(["开展送温暖活动", "Hold the teachers' congress"])  # the segmenter and spaCy start here
    t_init = time.perf_counter() - began

    items, _ = load_corpus()  # parses the real documents (after the timings above: it warms the same caches)
    if not items:
        raise SystemExit("no corpus items (corpora/tasks)")
    texts = [items[i % len(items)].text for i in range(args.n)]
    contexts = [items[i % len(items)].context or "" for i in range(args.n)]
    chars = sum(map(len, texts))

    def best(fn) -> tuple[float, float]:
        """(wall, CPU) seconds, best of the runs: on a shared machine the CPU time of this
        process is the steadier figure."""
        walls, cpus = [], []
        for _ in range(args.repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            fn()
            walls.append(time.perf_counter() - began)
            cpus.append(time.process_time() - began_cpu)
        return min(walls), min(cpus)

    plans = [(texts[lo : lo + 40], contexts[lo : lo + 40]) for lo in range(0, args.n, 40)]

    def classify_plans() -> None:  # one call per plan of 40 tasks, as the `classify` component does
        for plan_texts, plan_contexts in plans:
            model.predict_proba(plan_texts, plan_contexts, [0] * len(plan_texts))

    t_model, c_model = best(classify_plans)
    cue = CueClassifier()
    t_cue, c_cue = best(lambda: cue.predict_proba(texts, contexts))
    print(f"{args.n} task texts ({chars / args.n:.0f} characters on average), one core, best of {args.repeat}")
    print(f"  load model file      {t_load * 1000:8.1f} ms (once per process)")
    print(f"  segmenter + spaCy init{t_init * 1000:8.1f} ms (once per process)")
    print(f"  trained model        {t_model:8.2f} s wall, {c_model:.2f} s CPU = {t_model / args.n * 1000:.3f} s "
          f"({c_model / args.n * 1000:.3f} s CPU) per 1,000 tasks")
    print(f"  cue rules (baseline) {t_cue:8.2f} s wall, {c_cue:.2f} s CPU = {t_cue / args.n * 1000:.3f} s "
          f"({c_cue / args.n * 1000:.3f} s CPU) per 1,000 tasks")


if __name__ == "__main__":
    main()
