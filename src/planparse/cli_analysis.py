"""Batch analysis commands: ``planparse report`` (the offline HTML report) and
``planparse similar`` (template/copy clusters).

    planparse report INPUT... [-o report.html] [--lang zh|en] [--db FILE] [--require a,b,...]
                              [--threshold 0.8] [--max-plans N]
    planparse similar INPUT... [--threshold 0.8] [--db FILE] [--json]

INPUTs are documents to parse, planparse JSON output, a jsonl/parquet/csv table folder
or a SQLite store (:mod:`planparse.readback`). Exit codes: 0 done, 2 usage error (an
input that does not exist or is no planparse output, an unknown section type).
"""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from .report import DEFAULT_MAX_PLANS, DEFAULT_REQUIRED
from .similar import DEFAULT_THRESHOLD


class ReportLanguage(str, Enum):
    zh = "zh"
    en = "en"


_INPUT_HELP = ("Documents or folders to parse, planparse JSON output (files or folders), a jsonl/parquet/csv "
               "table folder (or one of its files), or a SQLite store.")


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def _load(inputs: list[Path], db: Path | None, quiet: bool):  # noqa: ANN202 (a readback.Loaded)
    from .readback import InputError, load_inputs

    if not inputs and db is None:
        raise typer.BadParameter("give at least one INPUT or --db", param_hint="INPUT")
    err = _console(stderr=True)

    def on_parse(path: Path) -> None:
        if not quiet:
            err.print(Text(f"parsing {path}", style="dim"))

    try:
        return load_inputs(inputs, db=db, on_parse=on_parse)
    except FileNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="INPUT") from None
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="INPUT") from None


def report_command(
    inputs: Annotated[Optional[list[Path]], typer.Argument(metavar="INPUT...", help=_INPUT_HELP, show_default=False)] = None,
    output: Annotated[Path, typer.Option("--output", "-o", dir_okay=False, help="The HTML file to write.")] = Path("report.html"),
    lang: Annotated[ReportLanguage, typer.Option("--lang", help="Language of the page: Chinese (default) or English.")] = ReportLanguage.zh,
    db: Annotated[Optional[Path], typer.Option("--db", dir_okay=False, help="Also read this SQLite store (parse --db).")] = None,
    require: Annotated[str, typer.Option("--require", metavar="TYPE,...",
                                         help="Section types a complete plan has (the completeness table).")] = ",".join(DEFAULT_REQUIRED),
    threshold: Annotated[float, typer.Option("--threshold", min=0.01, max=1.0,
                                             help="Similarity at which plans are grouped as copies of one template.")] = DEFAULT_THRESHOLD,
    max_plans: Annotated[int, typer.Option("--max-plans", min=0,
                                           help="Plans listed one by one (completeness rows, drill-downs); counts and charts cover all.")] = DEFAULT_MAX_PLANS,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Write one self-contained HTML report (works offline) of a batch: overview, completeness,
    category charts, month × category heatmap, per-plan drill-down and template/copy clusters."""
    from .report import ReportOptions, check_required, write_report
    from .similar import analyse_similarity, plan_texts_from_frames

    try:
        required = check_required(require.split(","))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--require") from None
    loaded = _load(list(inputs or []), db, quiet)
    frames = loaded.frames
    similarity = analyse_similarity(plan_texts_from_frames(frames), threshold=threshold)
    options = ReportOptions(lang=lang.value, required=required, threshold=threshold, max_plans=max_plans,
                            inputs=[p for p, _ in loaded.kinds])
    path = write_report(frames, output, options, similarity)
    if not quiet:
        failed = int((frames["sources"]["status"] == "failed").sum())
        _console().print(Text(
            f"report: {path} ({len(frames['sources'])} files, {failed} failed; {len(frames['plans'])} plans, "
            f"{len(frames['tasks'])} tasks; {len(similarity.clusters)} similar-plan clusters)", style="bold"))


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _shared(share: float, partner: str | None) -> str:
    # no partner: only plans of the same unit are like it (its own plan of another year, say)
    return f"shared {_pct(share)}" if partner else "shared with no other unit"


def similar_command(
    inputs: Annotated[Optional[list[Path]], typer.Argument(metavar="INPUT...", help=_INPUT_HELP, show_default=False)] = None,
    threshold: Annotated[float, typer.Option("--threshold", min=0.01, max=1.0,
                                             help="Similarity (share of the two texts in common) at which plans cluster.")] = DEFAULT_THRESHOLD,
    db: Annotated[Optional[Path], typer.Option("--db", dir_okay=False, help="Also read this SQLite store (parse --db).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the clusters as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on standard error.")] = False,
) -> None:
    """Find near-duplicate plans (one template, or one plan copied) across a batch and print the clusters."""
    from .similar import analyse_similarity, plan_texts_from_frames

    loaded = _load(list(inputs or []), db, quiet or as_json)
    texts = plan_texts_from_frames(loaded.frames)
    result = analyse_similarity(texts, threshold=threshold)
    out = _console()
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        return
    names = {p.plan_id: p.title or p.organization or "" for p in texts}
    for cluster in result.clusters:
        sim = (f"{cluster.min_similarity:.2f}" if cluster.min_similarity == cluster.max_similarity
               else f"{cluster.min_similarity:.2f}-{cluster.max_similarity:.2f}")
        out.print(Text(f"cluster {cluster.cluster_id}: {len(cluster.members)} plans, similarity {sim}", style="bold"))
        for m in cluster.members:
            flag = "  MOSTLY SHARED with " + (m.shared_with or "") if m.mostly_shared else ""
            where = Path(m.source_path).name if m.source_path else ""
            out.print(Text(f"  {m.plan_id}  {names.get(m.plan_id) or '(untitled)'}  [{m.organization or '-'}]  "
                           f"{where}  {_shared(m.shared_share, m.shared_with)}{flag}"))
    clustered = {m.plan_id for c in result.clusters for m in c.members}
    outside = [s for s in result.shares.values() if s.mostly_shared and s.plan_id not in clustered]
    if outside:
        out.print(Text("mostly shared with another unit's plan, below the threshold:", style="bold"))
        for s in outside:
            out.print(Text(f"  {s.plan_id}  {names.get(s.plan_id) or '(untitled)'}: {_pct(s.shared_share)} "
                           f"of its text is in {s.shared_with}  {names.get(s.shared_with or '') or ''}"))
    clusters = "cluster" if len(result.clusters) == 1 else "clusters"
    out.print(Text(f"{len(texts)} plans: {len(result.clusters)} {clusters} of similar plans "
                   f"(threshold {threshold:g}), {sum(1 for s in result.shares.values() if s.mostly_shared)} "
                   f"plans mostly shared with another unit's", style="dim"))


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``similar`` to the planparse command line."""
    app.command("report")(report_command)
    app.command("similar")(similar_command)
