"""The ``planparse`` command line.

    planparse parse PATH... [-o OUTDIR] [--with-text] [--quiet]

Exit codes: 0 every file parsed, 1 at least one file failed (the others are still
written), 2 usage error. Walking folders and writing files live in :mod:`planparse.output`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.text import Text

from . import __version__
from .output import (
    InputFile,
    dumps,
    iter_input_files,
    plan_outputs,
    validation_errors,
    write_json_atomic,
    write_text_atomic,
)

DEFAULT_OUTDIR = Path("planparse-output")
ERRORS_FILE = "errors.jsonl"

app = typer.Typer(
    name="planparse",
    help="Turn work plans (DOCX, PDF, DOC, HTML, text; Chinese and English) into structured JSON.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _console(stderr: bool) -> Console:
    # Created per call so that it writes to whatever sys.stdout/sys.stderr is now (tests swap them).
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planparse {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """planparse: structured data from work plans."""


def _counts(doc: dict[str, Any]) -> tuple[int, int, int]:
    plans = doc.get("plans") or []
    return (
        len(plans),
        sum(len(p.get("tasks") or []) for p in plans),
        sum(len(p.get("schedule") or []) for p in plans),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _stats(plans: int, tasks: int, items: int) -> str:
    return f"{_plural(plans, 'plan')}, {_plural(tasks, 'task')}, {_plural(items, 'schedule item')}"


def _write_stdout(text: str) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


@app.command("parse")
def parse_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Files and folders to parse; folders are walked recursively (document formats only, "
                 "skipping hidden and ~$ files).",
            show_default=False,
        ),
    ],
    outdir: Annotated[
        Optional[Path],
        typer.Option(
            "--outdir", "-o",
            help="Folder for the JSON files (<source file name>.json each). Without it a single file's "
                 f"JSON goes to standard output, and several files go to ./{DEFAULT_OUTDIR}.",
            file_okay=False,
        ),
    ] = None,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="Add the normalised source text (source.text) that spans point into.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures.")] = False,
) -> None:
    """Parse files and folders; write one JSON document per source file."""
    from .api import parse_file  # the pipeline is imported only when there is work to do

    skipped: list[Path] = []
    try:
        inputs: list[InputFile] = list(
            iter_input_files(paths, exclude=[outdir] if outdir is not None else (), on_skip=skipped.append)
        )
    except FileNotFoundError as err:
        raise typer.BadParameter(str(err), param_hint="PATH") from None

    to_stdout = outdir is None and len(paths) == 1 and not paths[0].is_dir() and len(inputs) == 1
    if outdir is None and not to_stdout:
        outdir = DEFAULT_OUTDIR
    # One stream for the per-file log, so its lines stay in order; stderr when stdout is the JSON.
    out = _console(stderr=to_stdout)
    err_out = _console(stderr=True)

    if not inputs:
        err_out.print(Text(f"warning: no input files found in {', '.join(map(str, paths))}", style="yellow"))
        return

    targets: list[Path | None] = [None] if to_stdout else plan_outputs(inputs, outdir)  # type: ignore[arg-type]
    n_ok = n_failed = 0
    totals = [0, 0, 0]
    error_lines: list[str] = []

    for item, target in zip(inputs, targets):
        try:
            doc = parse_file(item.path).to_dict(with_text=with_text)
        except Exception as exc:  # parse_file reports bad files itself; this is a bug of ours
            doc = _crash_doc(item.path, exc)
        error = doc.get("error")
        problems = validation_errors(doc)
        if problems and error is None:
            # A label outside a closed set, a bad span...: a bug of ours. The document is
            # still written for inspection, and the file counts as failed.
            error = {
                "path": str(item.path),
                "code": "internal_error",
                "message": f"output does not match the schema ({len(problems)} problem(s)): {problems[0]}",
            }
        try:
            if target is None:
                _write_stdout(dumps(doc))
            else:
                write_json_atomic(target, doc)
        except OSError as exc:
            error = {"path": str(item.path), "code": "internal_error", "message": f"could not write the output: {exc}"}
            target = None

        where = "" if target is None else f" → {target}"
        if error is not None:
            n_failed += 1
            record = dict(error)
            if target is not None:
                record["output"] = str(target)
            error_lines.append(dumps_line(record))
            out.print(Text.assemble(f"{item.path}{where}: ", ("FAILED", "bold red"), f" {error['code']}: {error['message']}"))
            continue
        n_ok += 1
        counts = _counts(doc)
        for i, n in enumerate(counts):
            totals[i] += n
        if not quiet:
            note = "" if counts[0] else " (no plan found)"
            out.print(Text(f"{item.path}{where}: {_stats(*counts)}{note}"))

    if outdir is not None and not to_stdout:
        try:
            write_text_atomic(Path(outdir) / ERRORS_FILE, "".join(error_lines))
        except OSError as exc:
            err_out.print(Text(f"could not write {Path(outdir) / ERRORS_FILE}: {exc}", style="red"))

    if not quiet:
        total = Text(f"{_plural(len(inputs), 'file')}: {n_ok} parsed, ")
        total.append(f"{n_failed} failed", style="bold red" if n_failed else "")
        total.append(f"; {_stats(*totals)}")
        if skipped:
            total.append(f"; skipped {_plural(len(skipped), 'file')} of other formats")
        out.print(total)
        if to_stdout:
            out.print(Text("output: JSON on standard output"))
        else:
            dest = f"output: {outdir}/"
            if n_failed:
                dest += f" (failures listed in {Path(outdir) / ERRORS_FILE})"
            out.print(Text(dest, style="bold"))

    if n_failed:
        raise typer.Exit(code=1)


def _crash_doc(path: Path, exc: Exception) -> dict[str, Any]:
    """A failed document for a file whose parsing raised, so that the batch goes on."""
    from .records import ErrorRecord, ParseResult, SourceInfo

    source = SourceInfo(path=str(path), format=path.suffix.lower().lstrip(".") or None, sha256="", bytes=0)
    message = f"planparse failed on this file: {type(exc).__name__}: {exc}"
    return ParseResult(source=source, error=ErrorRecord(str(path), "internal_error", message)).to_dict()


def dumps_line(obj: dict[str, Any]) -> str:
    """One line of ``errors.jsonl``."""
    return json.dumps(obj, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``planparse`` console script and ``python -m planparse``."""
    app(args=argv, prog_name="planparse")


if __name__ == "__main__":  # pragma: no cover
    main()
