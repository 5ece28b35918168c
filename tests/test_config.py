"""Limits as configuration (issue 6, item 5): one place (``planparse.config.Limits``) with
defaults, documented in the README, and each limit overridable from the API and the CLI,
checked by what it does to real files."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planparse import batch
from planparse.api import parse_file
from planparse.cli import app
from planparse.config import DEFAULT_LIMITS, Limits

from tests.readers.pdf_factory import long_plan_pages, many_page_pdf

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
DOCX_SAMPLE = SAMPLES / "kindergarten_union_plan_2024.docx"
TEXT_SAMPLE = SAMPLES / "school_union_plan_2024.txt"
MB = 1024 * 1024
runner = CliRunner()


def two_page_pdf(path: Path) -> Path:
    path.write_bytes(many_page_pdf([["Union Work Plan 2024", "First, study the union law."],
                                    ["Second, care for the members.", "Third, hold the congress in March."]]))
    return path


def long_pdf(path: Path, pages: int = 2000) -> Path:
    """Parsing this takes about a second on a quiet machine: several times a 0.2-second limit."""
    path.write_bytes(many_page_pdf(long_plan_pages(pages)))
    return path


# --- one place, documented ---------------------------------------------------------------------


def readme_limits() -> dict[str, tuple[str, str]]:
    """``Limits`` field -> (default as written, CLI option) from the README's Limits table."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Limits", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"`\w+`", cells[1]):
            rows[cells[1].strip("`")] = (cells[2], cells[3])
    return rows


def test_every_limit_is_in_the_readme_with_its_default():
    rows = readme_limits()
    assert set(rows) == {field.name for field in dataclasses.fields(Limits)}
    for name, (written, _) in rows.items():
        value = getattr(DEFAULT_LIMITS, name)
        number = float(re.sub(r"[^\d.]", "", written.split()[0]))
        unit = written.split()[1] if len(written.split()) > 1 else ""
        expected = value / MB if unit == "MB" and name.endswith("bytes") else value
        assert number == pytest.approx(expected), (name, written, value)


def test_every_cli_option_of_the_readme_exists():
    help_text = runner.invoke(app, ["parse", "--help"], env={"COLUMNS": "200"}).output
    for name, (_, option) in readme_limits().items():
        flag = option.strip("`").split()[0]
        if flag.startswith("--"):
            assert flag in help_text, (name, flag)
        else:
            assert name == "convert_timeout_s" and "follows" in option  # derived from --timeout


# --- the API -------------------------------------------------------------------------------------


def test_api_overrides_size_pages_and_zip_limits(tmp_path):
    assert parse_file(TEXT_SAMPLE, Limits(max_bytes=100)).error.code == "too_large"
    result = parse_file(two_page_pdf(tmp_path / "two.pdf"), Limits(max_pages=1))
    assert result.error is None and result.source.pages == 2
    assert any("only the first 1 of 2 pages" in warning for warning in result.warnings)
    assert parse_file(DOCX_SAMPLE).error is None
    ratio = parse_file(DOCX_SAMPLE, Limits(max_zip_ratio=3))
    assert ratio.error.code == "corrupt" and "bytes, ratio 3)" in ratio.error.message
    size = parse_file(DOCX_SAMPLE, Limits(max_unzipped_bytes=10_000))
    assert size.error.code == "corrupt" and "10,000 bytes" in size.error.message


def test_api_batch_takes_time_limit(tmp_path):
    from planparse.batch import BatchConfig, run_batch
    from planparse.output import iter_input_files

    folder = tmp_path / "in"
    folder.mkdir()
    long_pdf(folder / "long.pdf")
    (folder / "plan.txt").write_bytes(TEXT_SAMPLE.read_bytes())
    summary = run_batch(list(iter_input_files([folder])),
                        BatchConfig(outdir=tmp_path / "out", format="jsonl", workers=1, timeout=0.4))
    assert (summary.files, summary.parsed, summary.failures) == (2, 1, {"timeout": 1})


# --- the CLI -------------------------------------------------------------------------------------


def cli_rows(tmp_path: Path, path: Path, *options: str) -> list[dict]:
    out = tmp_path / "out"
    runner.invoke(app, ["parse", str(path), "-o", str(out), "-f", "jsonl", "--workers", "1", "--quiet",
                        "--no-progress", *options])
    return [json.loads(line) for line in (out / "sources.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(("options", "code", "words"), [
    ([], None, None),
    (["--max-size", "0.001"], "too_large", "1,048 bytes"),
    (["--max-zip-ratio", "1.5"], "corrupt", "decompression bomb"),
    (["--max-unzipped", "0.01"], "corrupt", "10,485 bytes"),
])
def test_cli_overrides_size_and_zip_limits(tmp_path, options, code, words):
    (row,) = cli_rows(tmp_path, DOCX_SAMPLE, *options)
    assert row["error_code"] == code
    if words:
        assert words in row["error_message"]


def test_cli_overrides_the_page_limit(tmp_path):
    (row,) = cli_rows(tmp_path, two_page_pdf(tmp_path / "two.pdf"), "--max-pages", "1")
    assert row["status"] == "parsed" and row["pages"] == 2
    assert any("only the first 1 of 2 pages" in warning for warning in row["warnings"])


def test_cli_overrides_the_time_limit(tmp_path):
    (row,) = cli_rows(tmp_path, long_pdf(tmp_path / "long.pdf"), "--timeout", "0.2")
    assert row["error_code"] == "timeout" and "0.2 s" in row["error_message"]


def test_cli_gives_the_batch_its_memory_cap_and_limits(tmp_path, monkeypatch):
    """The memory cap acts in the worker processes (tests/test_batch.py caps a real one);
    here: the CLI hands the value, and every other limit, to the batch."""
    seen = []
    real_run_batch = batch.run_batch

    def recording(inputs, config, **kwargs):
        seen.append(config)
        return real_run_batch(inputs, config, **kwargs)

    monkeypatch.setattr(batch, "run_batch", recording)
    cli_rows(tmp_path, TEXT_SAMPLE, "--max-memory", "1234", "--timeout", "33", "--max-pages", "7",
             "--max-zip-ratio", "9", "--max-unzipped", "2", "--max-size", "3")
    (config,) = seen
    assert config.max_memory_mb == 1234 and config.timeout == 33
    assert config.limits == dataclasses.replace(DEFAULT_LIMITS, max_memory_mb=1234, timeout_s=33, max_pages=7,
                                                max_zip_ratio=9, max_unzipped_bytes=2 * MB, max_bytes=3 * MB)


def test_cli_defaults_are_the_limits_defaults(tmp_path, monkeypatch):
    seen = []
    real_run_batch = batch.run_batch
    monkeypatch.setattr(batch, "run_batch",
                        lambda inputs, config, **kw: seen.append(config) or real_run_batch(inputs, config, **kw))
    cli_rows(tmp_path, TEXT_SAMPLE)
    (config,) = seen
    assert config.limits == DEFAULT_LIMITS
    assert config.max_memory_mb == DEFAULT_LIMITS.max_memory_mb and config.timeout == DEFAULT_LIMITS.timeout_s
