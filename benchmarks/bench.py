"""planparse batch benchmark (a script, not a test): see benchmarks/README.md.

    .venv/bin/python benchmarks/bench.py --n 600

Builds a corpus from ../shared/seeds, ../shared/corpora/real and ../shared/corpora/made
(text, DOCX, PDF; legacy .doc/.wps with --legacy), replicated to N files, and prints:

1. per format, one worker: docs/s, MB/s, pages/s, peak RSS, and seconds per stage (read,
   the pipeline components from ``Pipeline.timings``, validate, write, batch overhead);
2. the mixed corpus with 1 worker (in-process) and 2 worker processes: the speed-up;
3. peak RSS of a 100-file batch and of the N-file batch (streaming: no growth with N);
4. the same PDFs through planparse's PDF reader, the whole planparse parse,
   pdfplumber-only text extraction and, if importable, unstructured's
   ``partition_pdf(strategy="fast")``: times and ratios measured in this one run.

Each batch runs in a fresh child process (``--child``) so that its peak RSS is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_SHARED = REPO.parent / "shared"
FORMATS = ("txt", "docx", "pdf")
LEGACY = ("doc", "wps")


# --- corpus ------------------------------------------------------------------------------------

def source_files(shared: Path, legacy: bool) -> dict[str, list[Path]]:
    """Real and converted files by format. The scanned PDF (no text layer) is left out:
    it fails at once and would flatter the PDF figures."""
    found: dict[str, list[Path]] = {fmt: [] for fmt in FORMATS + (LEGACY if legacy else ())}
    for folder in (shared / "seeds", shared / "corpora" / "real", shared / "corpora" / "made"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            fmt = path.suffix.lower().lstrip(".")
            if fmt in found and "scanned" not in path.name:
                found[fmt].append(path)
    return {fmt: files for fmt, files in found.items() if files}


def build_corpus(shared: Path, workdir: Path, n: int, legacy: bool) -> dict[str, Path]:
    """``workdir/corpus-N/<fmt>/``: the format's files copied round-robin, N in all."""
    sources = source_files(shared, legacy)
    if not sources:
        sys.exit(f"no source files under {shared} (seeds, corpora/real, corpora/made)")
    root = workdir / f"corpus-{n}{'-legacy' if legacy else ''}"
    fmts = list(sources)
    per_format = {fmt: n // len(fmts) + (1 if i < n % len(fmts) else 0) for i, fmt in enumerate(fmts)}
    if legacy:  # LibreOffice takes seconds per file: a few are enough
        for fmt in LEGACY:
            if fmt in per_format:
                per_format[fmt] = min(per_format[fmt], 8)
    folders = {}
    for fmt, files in sources.items():
        folder = root / fmt
        folders[fmt] = folder
        if folder.is_dir() and len(list(folder.iterdir())) == per_format[fmt]:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for i in range(per_format[fmt]):
            src = files[i % len(files)]
            shutil.copyfile(src, folder / f"{i:06d}_{src.name}")
    return folders


def subset(folders: list[Path], dest: Path, n: int) -> Path:
    """A folder of hard links to the first ``n`` files of ``folders`` (round-robin)."""
    if dest.is_dir() and len(list(dest.iterdir())) == n:
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    lists = [sorted(f.iterdir()) for f in folders]
    picked = 0
    i = 0
    while picked < n:
        for files in lists:
            if i < len(files) and picked < n:
                src = files[i]
                try:
                    os.link(src, dest / f"{src.parent.name}_{src.name}")
                except OSError:
                    shutil.copyfile(src, dest / f"{src.parent.name}_{src.name}")
                picked += 1
        i += 1
        if i > max(len(files) for files in lists):
            break
    return dest


# --- one batch in a child process ---------------------------------------------------------------

class RssSampler:
    """Peak RSS of this process's descendants (the worker processes), sampled with psutil."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_children_mb = None
        self._stop = threading.Event()
        try:
            import psutil
        except ImportError:
            self._thread = None
            return
        self.peak_children_mb = 0.0
        self._psutil = psutil
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = self._psutil.Process()
        while not self._stop.is_set():
            try:
                for child in me.children(recursive=True):
                    try:
                        rss = child.memory_info().rss / (1024 * 1024)
                    except self._psutil.Error:
                        continue
                    self.peak_children_mb = max(self.peak_children_mb, rss)
            except self._psutil.Error:
                pass
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def child(spec: dict) -> dict:
    from planparse.batch import BatchConfig, run_batch
    from planparse.guard import peak_rss_mb
    from planparse.output import iter_input_files

    inputs = list(iter_input_files([spec["folder"]]))
    outdir = Path(spec["outdir"])
    shutil.rmtree(outdir, ignore_errors=True)
    sampler = RssSampler()
    began = time.perf_counter()
    summary = run_batch(inputs, BatchConfig(outdir=outdir, format=spec.get("format", "json"),
                                            workers=spec["workers"], timeout=120))
    wall = time.perf_counter() - began
    sampler.stop()
    shutil.rmtree(outdir, ignore_errors=True)
    return {
        "files": summary.files, "failed": summary.failed, "failures": dict(summary.failures),
        "plans": summary.plans, "tasks": summary.tasks, "wall": wall, "parse_seconds": summary.parse_seconds,
        "bytes": summary.bytes_parsed, "pages": summary.pages_parsed, "stages": summary.stage_seconds,
        "rss_parent_mb": peak_rss_mb(), "rss_workers_mb": sampler.peak_children_mb,
    }


def run_child(folder: Path, workers: int, workdir: Path, fmt: str = "json") -> dict:
    spec = {"folder": str(folder), "workers": workers, "outdir": str(workdir / "out" / f"{folder.name}-{workers}"),
            "format": fmt}
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
                          capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        sys.exit(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- PDF text extraction compared -------------------------------------------------------------

def pdf_comparison(pdfs: list[Path], repeat: int, unstructured_python: Path | None = None,
                   blank_spacy: bool = False) -> dict:
    import pdfplumber

    from planparse.api import default_pipeline, parse_file
    from planparse.readers import read_file

    default_pipeline()
    pages = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            pages += len(pdf.pages)

    def timed(fn) -> float:
        fn(pdfs[0])  # warm-up (imports, fonts)
        began = time.perf_counter()
        for _ in range(repeat):
            for path in pdfs:
                fn(path)
        return time.perf_counter() - began

    def plumber(path: Path) -> str:
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)

    results = {"files": len(pdfs) * repeat, "pages": pages * repeat,
               "planparse_reader": timed(read_file), "planparse_parse": timed(parse_file),
               "pdfplumber": timed(plumber), "unstructured": None}
    spec = {"pdfs": [str(p) for p in pdfs], "repeat": repeat, "blank_spacy": blank_spacy}
    if unstructured_python is not None:  # unstructured lives in another environment
        proc = subprocess.run([str(unstructured_python), str(Path(__file__).resolve()), "--unstructured-child",
                               json.dumps(spec)], capture_output=True, text=True)
        if proc.returncode == 0:
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results["unstructured"], results["unstructured_note"] = r["seconds"], r["note"]
        else:
            results["unstructured_note"] = f"failed under {unstructured_python}: {proc.stderr.strip()[-300:]}"
        return results
    try:
        r = unstructured_child(spec)
    except Exception as exc:  # noqa: BLE001 - not installed, or its optional parts missing
        results["unstructured_note"] = f"not importable here ({type(exc).__name__}: {str(exc)[:100]})"
    else:
        results["unstructured"], results["unstructured_note"] = r["seconds"], r["note"]
    return results


def unstructured_child(spec: dict) -> dict:
    """Time ``partition_pdf(strategy="fast")`` over the PDFs (run in unstructured's environment).

    unstructured loads the spaCy model ``en_core_web_sm`` and downloads it from GitHub when it
    is missing; where that cannot be fetched, ``blank_spacy`` puts a blank English pipeline with
    a sentencizer in its place. That pipeline does less work than the real model, so the
    measured time is a lower bound and the ratio to planparse an underestimate."""
    for key in ("DO_NOT_TRACK", "SCARF_NO_ANALYTICS", "UNSTRUCTURED_DISABLE_NOTICE"):
        os.environ.setdefault(key, "1")
    note = "with the real en_core_web_sm"
    if spec.get("blank_spacy"):
        import importlib.util

        if importlib.util.find_spec("en_core_web_sm") is None:
            import tempfile

            import spacy

            os.chdir(tempfile.mkdtemp(prefix="bench-spacy-"))  # spacy.load() finds ./en_core_web_sm
            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            nlp.to_disk("en_core_web_sm")
            note = ("a blank spaCy English pipeline stood in for en_core_web_sm (not downloadable here); "
                    "it does less work, so this ratio is a lower bound")
    from unstructured.partition.pdf import partition_pdf

    paths = spec["pdfs"]
    partition_pdf(filename=paths[0], strategy="fast")  # warm-up
    began = time.perf_counter()
    for _ in range(spec["repeat"]):
        for path in paths:
            partition_pdf(filename=path, strategy="fast")
    return {"seconds": time.perf_counter() - began, "note": note}


# --- the machine ---------------------------------------------------------------------------------

def _burn(n: int) -> float:
    began = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - began


def cpu_scaling(n: int = 6_000_000) -> float:
    """How much faster two processes of pure Python finish two tasks than one process: the
    ceiling for any 2-worker speed-up right now (below 2 when the host's cores are shared)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    serial = _burn(n) + _burn(n)
    with ctx.Pool(2) as pool:
        pool.map(_burn, [1000, 1000])
        began = time.perf_counter()
        pool.map(_burn, [n, n], chunksize=1)
        parallel = time.perf_counter() - began
    return serial / parallel


# --- report -------------------------------------------------------------------------------------

STAGE_ORDER = ["read", "normalize", "clean", "split", "outline", "sections", "tasks", "schedule", "classify",
               "targets", "metadata", "validate", "write"]


def fmt_rate(value: float, unit: str) -> str:
    return f"{value:,.1f} {unit}"


def report_format(name: str, r: dict) -> None:
    mb = r["bytes"] / 1e6
    wall = r["wall"]
    pages = f"{r['pages'] / wall:,.1f} pages/s" if r["pages"] else "(no pages)"
    print(f"  {name:5s} {r['files']:5d} files {mb:7.2f} MB {wall:7.2f} s | {r['files'] / wall:7.1f} docs/s "
          f"{mb / wall:6.2f} MB/s {pages:>16s} | peak RSS {r['rss_parent_mb']:.0f} MB"
          + (f" | failed {r['failures']}" if r["failed"] else ""))
    stages = r["stages"]
    total = sum(stages.values())
    overhead = max(0.0, wall - r["parse_seconds"])
    parts = [f"{s} {stages[s]:.2f}" for s in STAGE_ORDER if s in stages]
    parts += [f"{s} {v:.2f}" for s, v in stages.items() if s not in STAGE_ORDER]
    print(f"        stages (s): {', '.join(parts)}; batch overhead {overhead:.2f}  (sum of stages {total:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600, help="files in the corpus (spread over the formats)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared/ folder")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/planparse-bench"))
    parser.add_argument("--legacy", action="store_true", help="also .doc/.wps through LibreOffice (slow)")
    parser.add_argument("--small", type=int, default=100, help="files in the small batch of the RSS comparison")
    parser.add_argument("--pdf-repeat", type=int, default=3, help="passes over the PDFs in the PDF comparison")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: formats,workers,rss,pdf")
    parser.add_argument("--unstructured-python", type=Path,
                        help="a Python that has unstructured installed (e.g. another venv), for part 4")
    parser.add_argument("--unstructured-blank-spacy", action="store_true",
                        help="let a blank spaCy pipeline stand in for en_core_web_sm when it cannot be downloaded")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--unstructured-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    if args.unstructured_child:
        print(json.dumps(unstructured_child(json.loads(args.unstructured_child))))
        return

    from planparse.fingerprint import parser_version
    from planparse.guard import cpu_count

    skip = set(filter(None, args.skip.split(",")))
    began = time.perf_counter()
    folders = build_corpus(args.shared, args.workdir, args.n, args.legacy)
    n_files = sum(len(list(f.iterdir())) for f in folders.values())
    print(f"planparse {parser_version()} | python {sys.version.split()[0]} | {cpu_count()} CPUs | "
          f"corpus: {n_files} files in {args.workdir} ({', '.join(f'{k} {len(list(v.iterdir()))}' for k, v in folders.items())})")
    print(f"machine check: 2 processes of pure Python run {cpu_scaling():.2f}x as fast as 1 "
          "(2.0 on two free cores; lower when the host is busy)")
    try:
        import psutil  # noqa: F401
        rss_note = "workers' RSS sampled with psutil"
    except ImportError:
        rss_note = "install psutil (pip install -e '.[bench]') to see the workers' RSS"

    if "formats" not in skip:
        print("\n1. per format, 1 worker (in-process), JSON output")
        for fmt, folder in folders.items():
            report_format(fmt, run_child(folder, 1, args.workdir))

    mixed = subset(list(folders.values()), args.workdir / f"mixed-{n_files}", n_files)
    one = None
    if "workers" not in skip:
        print(f"\n2. workers: the mixed corpus ({n_files} files)")
        one = run_child(mixed, 1, args.workdir)
        two = run_child(mixed, 2, args.workdir)
        for label, r in (("1 worker (in-process)", one), ("2 worker processes", two)):
            workers_rss = f", workers' peak RSS {r['rss_workers_mb']:.0f} MB" if r["rss_workers_mb"] else ""
            print(f"  {label:22s} {r['wall']:7.2f} s  {r['files'] / r['wall']:6.1f} docs/s  "
                  f"parent peak RSS {r['rss_parent_mb']:.0f} MB{workers_rss}")
        print(f"  speed-up 2 vs 1 worker: {one['wall'] / two['wall']:.2f}x  ({rss_note})")
        print(f"  machine check after: {cpu_scaling():.2f}x")

    if "rss" not in skip:
        small = subset(list(folders.values()), args.workdir / f"mixed-{args.small}", args.small)
        print(f"\n3. streaming: peak RSS, 1 worker, {args.small} files vs {n_files} files")
        r_small = run_child(small, 1, args.workdir)
        r_big = one or run_child(mixed, 1, args.workdir)
        print(f"  {args.small:6d} files: {r_small['rss_parent_mb']:.0f} MB   {n_files:6d} files: "
              f"{r_big['rss_parent_mb']:.0f} MB   ratio {r_big['rss_parent_mb'] / r_small['rss_parent_mb']:.2f}x")

    if "pdf" not in skip and "pdf" in folders:
        pdfs = sorted({p.name.split("_", 1)[1]: p for p in folders["pdf"].iterdir()}.values())
        print(f"\n4. PDF text: the same {len(pdfs)} PDFs x {args.pdf_repeat}")
        r = pdf_comparison(pdfs, args.pdf_repeat, args.unstructured_python, args.unstructured_blank_spacy)
        for name in ("planparse_reader", "planparse_parse", "pdfplumber", "unstructured"):
            if r[name] is not None:
                print(f"  {name:18s} {r[name]:7.2f} s  {r['pages'] / r[name]:7.1f} pages/s  {r['files'] / r[name]:6.1f} files/s")
        print(f"  pdfplumber-only / planparse reader: {r['pdfplumber'] / r['planparse_reader']:.1f}x "
              f"(planparse's text extraction is that many times faster)")
        print(f"  pdfplumber-only / planparse whole parse: {r['pdfplumber'] / r['planparse_parse']:.1f}x")
        if r["unstructured"] is not None:
            print(f"  unstructured fast / planparse reader: {r['unstructured'] / r['planparse_reader']:.1f}x; "
                  f"/ whole parse: {r['unstructured'] / r['planparse_parse']:.1f}x  ({r['unstructured_note']})")
        else:
            print(f"  unstructured: {r.get('unstructured_note')}")
    print(f"\ntotal benchmark time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
