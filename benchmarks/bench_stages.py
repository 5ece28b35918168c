"""CPU seconds per pipeline stage (a script, not a test): see benchmarks/README.md.

    .venv/bin/python benchmarks/bench_stages.py                # ../shared text, DOCX and PDF files
    .venv/bin/python benchmarks/bench_stages.py FOLDER ... --repeat 7

Wall-clock figures swing by a factor of two when other work shares the machine; the CPU
time of one process (``time.process_time``) swings much less, and the minimum over a few
repetitions less still. Each stage is timed alone: the documents are first taken through
the stages before it (untimed), then the stage runs over all of them. Per-document caches
(month labels, Chinese numerals) are emptied before each timed run so that a repetition
does not profit from the one before. Reading (the readers, without hashing) is timed the
same way.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parent.parent / "shared"
FORMATS = (".txt", ".html", ".docx", ".pdf")


def default_files(shared: Path) -> list[Path]:
    """The seeds, the real text/DOCX/PDF files (not the scanned PDF) and the converted seeds."""
    files: list[Path] = []
    for folder in (shared / "seeds", shared / "corpora" / "real", shared / "corpora" / "made"):
        if folder.is_dir():
            files += [p for p in sorted(folder.iterdir()) if p.suffix.lower() in FORMATS and "scanned" not in p.name]
    return files


def clear_document_caches() -> None:
    from planparse import memo, targets

    memo.end_of_document()  # what the pipeline does after each document
    targets._zh_value.cache_clear()  # numerals: kept across documents, emptied here so a repetition starts cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="*", type=Path, help="files or folders (default: the shared dev set)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per stage; the minimum is printed")
    args = parser.parse_args()

    from planparse.api import default_pipeline
    from planparse.doc import Doc
    from planparse.pipeline import get_component
    from planparse.readers import read_file
    from planparse.records import SourceInfo

    files: list[Path] = []
    for item in args.inputs or [None]:
        if item is None:
            files = default_files(args.shared)
        elif item.is_dir():
            files += [p for p in sorted(item.rglob("*")) if p.suffix.lower() in FORMATS]
        else:
            files.append(item)
    if not files:
        raise SystemExit(f"no input files (looked in {args.shared})")

    pipeline = default_pipeline()
    names = pipeline.names
    raws = [read_file(p) for p in files]  # also loads the readers' lazy parts
    for raw, path in zip(raws, files):  # one untimed pass: data tables, models, compiled patterns
        pipeline(Doc(source=SourceInfo(path=str(path), format=raw.format, sha256="", bytes=0), raw=raw))

    def fresh(raw, path) -> Doc:
        return Doc(source=SourceInfo(path=str(path), format=raw.format, sha256="", bytes=0), raw=raw,
                   warnings=list(raw.warnings))

    seconds: dict[str, float] = {}
    best = float("inf")
    for _ in range(args.repeat):
        began = time.process_time()
        for path in files:
            read_file(path)
        best = min(best, time.process_time() - began)
    seconds["read"] = best
    for index, name in enumerate(names):
        step = get_component(name)
        best = float("inf")
        for _ in range(args.repeat):
            docs = []
            for raw, path in zip(raws, files):
                doc = fresh(raw, path)
                for earlier in names[:index]:
                    doc = get_component(earlier)(doc)
                docs.append(doc)
            clear_document_caches()
            began = time.process_time()
            for doc in docs:
                step(doc)
            best = min(best, time.process_time() - began)
        seconds[name] = best

    total_bytes = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {total_bytes / 1e6:.2f} MB; CPU ms per file (min of {args.repeat} runs):")
    for name, value in seconds.items():
        print(f"  {name:10s} {value * 1000 / len(files):7.2f}")
    pipeline_only = sum(v for k, v in seconds.items() if k != "read")
    print(f"  {'pipeline':10s} {pipeline_only * 1000 / len(files):7.2f}   (all stages; read excluded)")
    print(f"  {'total':10s} {(pipeline_only + seconds['read']) * 1000 / len(files):7.2f}   "
          f"-> {len(files) / (pipeline_only + seconds['read']):.1f} files/s, "
          f"{total_bytes / 1e6 / (pipeline_only + seconds['read']):.2f} MB/s on one core (no hashing, validation, writing)")


if __name__ == "__main__":
    main()
