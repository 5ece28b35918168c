"""The ``planparse`` command line.

    planparse parse PATH... [-o OUTDIR] [--format json|jsonl|csv|parquet|xlsx] [--labels en|zh]
                            [--workers N] [--timeout S] [--max-memory MB] [--force]
                            [--db FILE.sqlite] [--dask local|tcp://host:8786] [--with-text] [--quiet]
    planparse query FILE.sqlite "SQL" [--csv]

Exit codes: 0 every file parsed, 1 at least one file failed (the others are still
written), 2 usage or set-up error. The batch itself lives in :mod:`planparse.batch`, the
table files in :mod:`planparse.formats`, the store in :mod:`planparse.store`. Each
command is its own function on the typer ``app``; more commands plug in the same way.
"""
from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.text import Text

from . import __version__
from .config import DEFAULT_LIMITS, Limits
from .output import InputFile, dumps, iter_input_files

DEFAULT_OUTDIR = Path("planparse-output")
ERRORS_FILE = "errors.jsonl"

app = typer.Typer(
    name="planparse",
    help="Turn work plans (DOCX, PDF, DOC, HTML, text; Chinese and English) into structured JSON and tables.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


class LabelLanguage(str, Enum):
    en = "en"
    zh = "zh"


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


def _fail(message: str, code: int = 2) -> typer.Exit:
    _console(stderr=True).print(Text(f"error: {message}", style="bold red"))
    return typer.Exit(code=code)


def _failed_line(path: Any, where: str, code: str | None, message: str | None) -> Text:
    return Text.assemble(f"{path}{where}: ", ("FAILED", "bold red"), f" {code}: {message}")


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
            help="Output folder. Without it (and without --db) a single file's JSON goes to standard output, "
                 f"and several files go to ./{DEFAULT_OUTDIR}.",
            file_okay=False,
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="json: one JSON file per source; jsonl, csv (UTF-8 with BOM), parquet: "
                                            "one file per table; xlsx: one workbook, a sheet per table."),
    ] = OutputFormat.json,
    labels: Annotated[
        LabelLanguage,
        typer.Option("--labels", help="Language of table column headers and label names (table formats)."),
    ] = LabelLanguage.en,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=0, help="Worker processes; 0 = the CPU count; 1 = in this process.")
    ] = 0,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0, help="Seconds one file may take (0 = no limit); then it fails as timeout.")
    ] = DEFAULT_LIMITS.timeout_s,
    max_memory: Annotated[
        int, typer.Option("--max-memory", min=0, metavar="MB",
                          help="Address-space cap of each worker process in MB (0 = none); a file needing "
                               "more fails as too_large.")
    ] = DEFAULT_LIMITS.max_memory_mb,
    max_size: Annotated[
        float, typer.Option("--max-size", min=0, metavar="MB",
                            help="Files larger than this fail as too_large before they are read (0 = no limit).")
    ] = DEFAULT_LIMITS.max_bytes / (1024 * 1024),
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=1, help="PDF pages read at most; the rest is left out with a warning.")
    ] = DEFAULT_LIMITS.max_pages,
    max_zip_ratio: Annotated[
        float, typer.Option("--max-zip-ratio", min=1, metavar="RATIO",
                            help="A .docx unpacking to more than RATIO times its size is refused as a decompression bomb.")
    ] = DEFAULT_LIMITS.max_zip_ratio,
    max_unzipped: Annotated[
        float, typer.Option("--max-unzipped", min=0, metavar="MB",
                            help="A .docx unpacking to more than this is refused as a decompression bomb (0 = no limit).")
    ] = DEFAULT_LIMITS.max_unzipped_bytes / (1024 * 1024),
    force: Annotated[
        bool, typer.Option("--force", help="Parse every file again, even those an earlier run already did.")
    ] = False,
    db: Annotated[
        Optional[Path],
        typer.Option("--db", dir_okay=False, help="Also ingest into this SQLite database (created if missing).")
    ] = None,
    dask: Annotated[
        Optional[str],
        typer.Option("--dask", metavar="ADDRESS",
                     help="Run on Dask distributed: 'local' for a LocalCluster, or a scheduler address "
                          "such as tcp://host:8786 (needs the dask extra).")
    ] = None,
    dask_ship_bytes: Annotated[
        bool, typer.Option("--dask-ship-bytes", help="Send each file's bytes to the Dask workers (no shared disk).")
    ] = False,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="Add the normalised source text (source.text) that spans point into.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="One line per file, also with a progress bar and for files done earlier.")
    ] = False,
    progress: Annotated[
        Optional[bool],
        typer.Option("--progress/--no-progress", help="Progress bar (default: on when standard error is a terminal).",
                     show_default=False),
    ] = None,
) -> None:
    """Parse files and folders into JSON documents, tables and/or a SQLite store."""
    skipped: list[Path] = []
    try:
        inputs: list[InputFile] = list(
            iter_input_files(paths, exclude=[outdir] if outdir is not None else (), on_skip=skipped.append)
        )
    except FileNotFoundError as err:
        raise typer.BadParameter(str(err), param_hint="PATH") from None

    to_stdout = (outdir is None and db is None and fmt is OutputFormat.json and len(paths) == 1
                 and not paths[0].is_dir() and len(inputs) == 1)
    if outdir is None and db is None and not to_stdout:
        outdir = DEFAULT_OUTDIR
    err_out = _console(stderr=True)
    if not inputs:
        err_out.print(Text(f"warning: no input files found in {', '.join(map(str, paths))}", style="yellow"))
        return
    if labels is not LabelLanguage.en and fmt is OutputFormat.json:
        err_out.print(Text("note: --labels applies to table formats (--format jsonl/csv/parquet/xlsx); "
                           "JSON keeps the contract's names", style="yellow"))
    if dask is not None:
        from .distributed import DaskMissing, _distributed

        try:
            _distributed()
        except DaskMissing as exc:
            raise _fail(str(exc)) from None

    limits = replace(DEFAULT_LIMITS, max_bytes=int(max_size * 1024 * 1024) if max_size else 2**62, max_pages=max_pages,
                     max_zip_ratio=max_zip_ratio, max_unzipped_bytes=int(max_unzipped * 1024 * 1024) if max_unzipped else 2**62,
                     timeout_s=timeout, max_memory_mb=max_memory)
    if to_stdout:
        _parse_to_stdout(inputs[0], with_text=with_text, timeout=timeout, quiet=quiet, limits=limits)
        return
    _run_batch_command(inputs, skipped, outdir=outdir, fmt=fmt.value, labels=labels.value, workers=workers,
                       timeout=timeout, max_memory=max_memory, limits=limits, force=force, db=db, dask=dask,
                       dask_ship_bytes=dask_ship_bytes, with_text=with_text, quiet=quiet, verbose=verbose,
                       progress=progress)


def _parse_to_stdout(item: InputFile, *, with_text: bool, timeout: float, quiet: bool, limits: Limits) -> None:
    """One file named alone and no output folder: its JSON on standard output, the rest on stderr."""
    from .batch import FileTask, WorkOptions, process_file, warm_up

    warm_up()
    outcome = process_file(FileTask(index=0, path=str(item.path)), WorkOptions(with_text=with_text, timeout=timeout, limits=limits))
    _write_stdout(dumps(json.loads(outcome["doc_json"])))
    out = _console(stderr=True)
    if outcome["status"] == "failed":
        out.print(_failed_line(item.path, "", outcome["error_code"], outcome["error_message"]))
    elif not quiet:
        note = "" if outcome["n_plans"] else " (no plan found)"
        out.print(Text(f"{item.path}: {_stats(outcome['n_plans'], outcome['n_tasks'], outcome['n_schedule_items'])}{note}"))
    if not quiet:
        failed = outcome["status"] == "failed"
        total = Text(f"1 file: {0 if failed else 1} parsed, ")
        total.append(f"{int(failed)} failed", style="bold red" if failed else "")
        total.append(f"; {_stats(outcome['n_plans'], outcome['n_tasks'], outcome['n_schedule_items'])}")
        out.print(total)
        out.print(Text("output: JSON on standard output"))
    if outcome["status"] == "failed":
        raise typer.Exit(code=1)


def _run_batch_command(inputs: list[InputFile], skipped: list[Path], *, outdir: Path | None, fmt: str, labels: str,
                       workers: int, timeout: float, max_memory: int, limits: Limits, force: bool, db: Path | None,
                       dask: str | None, dask_ship_bytes: bool, with_text: bool, quiet: bool, verbose: bool,
                       progress: bool | None) -> None:
    from .batch import BatchConfig, FileReport, run_batch
    from .distributed import DaskError
    from .formats import MissingDependency
    from .manifest import OutputLocked

    out = _console(stderr=False)
    err_out = _console(stderr=True)
    show_bar = (err_out.is_terminal and not quiet) if progress is None else progress
    bar: Any = None
    bar_task: Any = None
    failures = 0
    began = time.perf_counter()
    per_file_lines = verbose or (not quiet and not show_bar)

    def log(text: Text) -> None:
        (bar.console if bar is not None else out).print(text)

    def on_start(total: int, todo: int) -> None:
        nonlocal bar, bar_task
        if show_bar:
            bar = _progress_bar(err_out)
            bar.start()
            bar_task = bar.add_task("parsing", total=total, failed=0, rate="")

    def on_file(report: FileReport) -> None:
        nonlocal failures
        where = f" → {report.output}" if report.output is not None else ""
        if report.status == "failed":
            failures += 1
            if not report.reused or verbose:
                log(_failed_line(report.path, where, report.error_code, report.error_message))
        elif per_file_lines and (not report.reused or verbose):
            note = "" if report.n_plans else " (no plan found)"
            done = " (done earlier)" if report.reused else ""
            log(Text(f"{report.path}{where}: {_stats(report.n_plans, report.n_tasks, report.n_schedule_items)}{note}{done}"))
        if bar is not None:
            elapsed = max(time.perf_counter() - began, 1e-6)
            completed = bar.tasks[0].completed + 1
            bar.update(bar_task, advance=1, failed=failures, rate=f"{completed / elapsed:.1f}")

    config = BatchConfig(outdir=outdir, format=fmt, labels=labels, workers=workers or None,
                         timeout=timeout or None, max_memory_mb=max_memory or None, force=force, db=db,
                         dask=dask, dask_ship_bytes=dask_ship_bytes, with_text=with_text, limits=limits)
    try:
        summary = run_batch(inputs, config, on_start=on_start, on_file=on_file)
    except OutputLocked as exc:
        raise _fail(str(exc)) from None
    except (MissingDependency, DaskError) as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        if bar is not None:
            bar.stop()
        err_out.print(Text("interrupted: finished files are kept; run the same command again to go on", style="yellow"))
        raise typer.Exit(code=130) from None
    finally:
        if bar is not None:
            bar.stop()

    if not quiet:
        for line in _summary_lines(summary, skipped):
            out.print(line)
    if summary.failed:
        raise typer.Exit(code=1)


def _progress_bar(console: Console) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} files/s"), TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, transient=True,
    )


def _summary_lines(summary: Any, skipped: list[Path]) -> list[Text]:
    """Files, plans, tasks, failures by code, speed, and where everything went."""
    lines = []
    total = Text(f"{_plural(summary.files, 'file')}: {summary.parsed} parsed, ")
    total.append(f"{summary.failed} failed", style="bold red" if summary.failed else "")
    if summary.failures:
        total.append(" (" + ", ".join(f"{code} {n}" for code, n in sorted(summary.failures.items())) + ")")
    total.append(f"; {_stats(summary.plans, summary.tasks, summary.schedule_items)}")
    if summary.reused:
        total.append(f"; {summary.reused} done by an earlier run, not parsed again (--force redoes them)")
    if skipped:
        total.append(f"; skipped {_plural(len(skipped), 'file')} of other formats")
    lines.append(total)
    if summary.files_parsed_now:
        rate = summary.files_parsed_now / max(summary.elapsed, 1e-6)
        engine = summary.engine + (f", {_plural(summary.workers, 'worker')}" if summary.engine != "in-process" else "")
        lines.append(Text(f"time: {summary.elapsed:.1f} s, {rate:.1f} files/s ({engine})"))
    if summary.outdir is not None:
        outdir = summary.outdir
        if summary.format == "json":
            dest = f"output: {outdir}/ (one JSON file per source)"
            if summary.failed:
                dest += f" (failures listed in {Path(outdir) / ERRORS_FILE})"
        else:
            names = ", ".join(p.name for p in summary.outputs)
            dest = f"output: {outdir}/ ({summary.format}: {names})"
        lines.append(Text(dest, style="bold"))
    if summary.db is not None:
        lines.append(Text(f"database: {summary.db} ({summary.db_ingested} sources added; "
                          f"query it with: planparse query {summary.db} \"SELECT ...\")", style="bold"))
    return lines


@app.command("query")
def query_command(
    database: Annotated[Path, typer.Argument(metavar="DB", help="A SQLite store written by parse --db.",
                                             dir_okay=False, show_default=False)],
    sql: Annotated[str, typer.Argument(metavar="SQL", help="One SQL statement (read-only).", show_default=False)],
    as_csv: Annotated[bool, typer.Option("--csv", help="Write CSV to standard output instead of a table.")] = False,
    max_rows: Annotated[int, typer.Option("--max-rows", min=0, help="Rows shown in the table (0 = all).")] = 1000,
) -> None:
    """Run SQL on a store made by `planparse parse --db` and print the result as a table."""
    import sqlite3

    from .store import run_query

    try:
        columns, rows = run_query(database, sql)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    except sqlite3.Error as exc:
        raise _fail(f"SQL error: {exc}", code=1) from None
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for name in columns:
        table.add_column(name, overflow="fold")
    shown = rows if not max_rows else rows[:max_rows]
    for row in shown:
        table.add_row(*("" if v is None else str(v) for v in row))
    console = Console(highlight=False, soft_wrap=False)
    console.print(table)
    more = f" (showing {len(shown)}; --max-rows 0 shows all)" if len(shown) < len(rows) else ""
    console.print(Text(f"{_plural(len(rows), 'row')}{more}", style="dim"))


def dumps_line(obj: dict[str, Any]) -> str:
    """One line of ``errors.jsonl``."""
    return json.dumps(obj, ensure_ascii=False) + "\n"


def _register_model_commands() -> None:
    # The training code imports scikit-learn; it is only loaded when these run.
    from .training import evaluate_command, train_command

    app.command("train", help="Rebuild models/task_classifier.json from corpora/tasks (deterministic).")(train_command)
    app.command("evaluate", help="Grouped cross-validation of the task classifier on real items.")(evaluate_command)


_register_model_commands()

from .cli_diff import register as _register_diff_command  # noqa: E402  (a command of its own module)

_register_diff_command(app)

from .cli_analysis import register as _register_analysis_commands  # noqa: E402  (report, similar)

_register_analysis_commands(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``planparse`` console script and ``python -m planparse``."""
    app(args=argv, prog_name="planparse")


if __name__ == "__main__":  # pragma: no cover
    main()
