"""The HTML report (planparse.report, readback, report_charts and the report/similar
commands): built from parsed samples and from every output kind, then opened in a
real headless Chromium, its DOM checked, a screenshot saved and its network use watched."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from planparse.api import parse_file, parse_text
from planparse.cli import app
from planparse.frames import to_frames
from planparse.readback import load_inputs
from planparse.report import DEFAULT_REQUIRED, ReportOptions, build_report, label_sets, write_report

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "corpora" / "samples"
SAMPLE_SUFFIXES = {".txt", ".html", ".docx"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
# Flags this machine needs for a quiet, sandbox-less headless run (see the task notes).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]
# Chromium's own background requests carry no origin; a page's requests carry the page's.
BROWSER_INITIATOR = "not an origin"
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome:", "chrome-error:")
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


# ---------------------------------------------------------------- inputs

@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples, a near-copy of the school plan by another school, and two broken files."""
    folder = tmp_path_factory.mktemp("report_in")
    for src in sorted(SAMPLES.iterdir()):
        if src.is_file() and src.suffix.lower() in SAMPLE_SUFFIXES:
            shutil.copy2(src, folder / src.name)
    school = (SAMPLES / "school_union_plan_2024.txt").read_text(encoding="utf-8")
    copy = school.replace("青山市实验中学", "红河县第三中学").replace("不少于6次", "不少于4次")
    (folder / "copy_of_school_plan.txt").write_text(copy, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n\x00\x9c\xff garbage, not a PDF \x01\x02" * 10)
    return folder


@pytest.fixture(scope="module")
def results(batch: Path) -> list:
    return [parse_file(p) for p in sorted(batch.iterdir())]


@pytest.fixture(scope="module")
def frames(results: list) -> dict:
    return to_frames(results)


@pytest.fixture(scope="module")
def report_zh(frames: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(frames, tmp_path_factory.mktemp("report") / "report.html", ReportOptions(inputs=["batch"]))


def _dom(text: str):  # noqa: ANN202 (an lxml element)
    return lxml_html.fromstring(text)


def _months_by_category(results: list) -> Counter:
    """Independent count of (category, month) over schedule items and tasks."""
    counts: Counter = Counter()
    for r in results:
        for plan in r.plans:
            for item in list(plan.schedule) + list(plan.tasks):
                for m in set(item.months):
                    counts[(item.category, m)] += 1
    return counts


# ---------------------------------------------------------------- chromium

def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=120, check=False)


def _load_netlog(path: Path) -> dict:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:  # a log cut short still has its constants and most events
        return json.loads(text.rstrip().rstrip(",") + "]}")


def page_requests(netlog: Path) -> list[str]:
    """URLs of network requests that the page (not the browser itself) started."""
    log = _load_netlog(netlog)
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        url = params.get("url")
        if not url or url.startswith(LOCAL_SCHEMES) or names.get(event["type"]) != "URL_REQUEST_START_JOB":
            continue
        if params.get("initiator") != BROWSER_INITIATOR or "file://" in str(params.get("network_isolation_key")):
            urls.append(url)
    return urls


def open_in_chromium(page: Path, tmp: Path) -> tuple[str, list[str]]:
    """The live DOM of ``page`` after loading, and the network requests it made."""
    netlog = tmp / f"{page.stem}.netlog.json"
    run = _chromium(tmp, f"--log-net-log={netlog}", "--dump-dom", page.resolve().as_uri())
    assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
    return run.stdout.decode("utf-8"), page_requests(netlog)


def screenshot(page: Path, png: Path, height: int = 3000) -> Path:
    run = _chromium(png.parent, f"--screenshot={png}", f"--window-size=1280,{height}", page.resolve().as_uri())
    assert run.returncode == 0 and png.is_file(), run.stderr.decode(errors="replace")[-2000:]
    return png


@needs_chromium
def test_network_check_catches_a_page_request(tmp_path: Path) -> None:
    """The check below is real: a page that loads an image, a style sheet and a script
    from the network is caught (the URLs resolve nowhere: .invalid is reserved)."""
    page = tmp_path / "probe.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8">'
                    '<link rel="stylesheet" href="https://example.invalid/s.css">'
                    '<script src="https://example.invalid/s.js"></script></head>'
                    '<body><p id="probe">探针</p><img src="https://example.invalid/x.png"></body></html>',
                    encoding="utf-8")
    dom, requests = open_in_chromium(page, tmp_path)
    assert 'id="probe"' in dom
    assert {"https://example.invalid/s.css", "https://example.invalid/s.js", "https://example.invalid/x.png"} <= set(requests)


@needs_chromium
def test_report_in_headless_chromium(report_zh: Path, results: list, tmp_path: Path) -> None:
    html_text = report_zh.read_text(encoding="utf-8")
    assert CSP_META.search(html_text), "the page forbids itself any load"
    # The network check looks at the page's own content: without the CSP that would block a load.
    page = tmp_path / "report_without_csp.html"
    page.write_text(CSP_META.sub("", html_text), encoding="utf-8")
    dom_text, requests = open_in_chromium(page, tmp_path)
    assert requests == []
    dom = _dom(dom_text)
    assert dom.get("lang") == "zh-CN"

    for sid in ("overview", "completeness", "categories", "heatmap", "plans", "similar"):
        assert dom.xpath(f'//section[@id="{sid}"]'), sid
    headings = [h.text_content() for h in dom.xpath("//section/h2")]
    assert headings == ["批次概况", "完整性", "任务类别分布", "月份 × 类别", "计划明细", "模板与雷同"]

    plans = [p for r in results for p in r.plans]
    failed = [r for r in results if not r.ok]
    cards = {c.get("data-key"): int(c.xpath('./div[@class="n"]')[0].text) for c in dom.xpath('//div[@data-key]')}
    assert cards == {"files": len(results), "parsed": len(results) - len(failed), "failed": len(failed),
                     "plans": len(plans), "tasks": sum(len(p.tasks) for p in plans),
                     "schedule_items": sum(len(p.schedule) for p in plans)}
    assert len(failed) == 2
    codes = {tr.get("data-code"): int(tr.xpath("./td")[1].text) for tr in dom.xpath('//table[@id="failure-codes"]/tbody/tr')}
    assert codes == Counter(r.error.code for r in failed)

    # completeness: a row per plan, a column per required part
    rows = dom.xpath('//table[@id="completeness-table"]/tbody/tr')
    assert len(rows) == len(plans)
    assert len(dom.xpath('//table[@id="completeness-table"]/thead/tr/th[@data-type]')) == len(DEFAULT_REQUIRED)

    # charts: a bar per task category present, a heatmap cell per (category, month)
    categories = Counter(t.category for p in plans for t in p.tasks)
    bars = dom.xpath('//svg[@id="chart-categories"]//rect[contains(@class, "bar")]')
    assert len(bars) == len(categories)
    assert sorted(int(b.get("data-value")) for b in bars) == sorted(categories.values())
    assert dom.xpath('//svg[@id="chart-categories-by-org"]//rect[contains(@class, "seg")]')
    cells = dom.xpath('//svg[@id="chart-heatmap"]//rect[@class="cell"]')
    assert len(cells) == 12 * len(label_sets()["category"])
    months = _months_by_category(results)
    assert sum(int(c.get("data-value")) for c in cells) == sum(months.values()) > 0

    # drill-down: one details per plan, with its outline, tasks and schedule
    details = dom.xpath('//details[@class="plan"]')
    assert len(details) == len(plans)
    school = next(p for p in plans if p.organization == "青山市实验中学工会")
    one = dom.xpath(f'//details[@data-plan-id="{school.plan_id}"]')[0]
    assert len(one.xpath('.//table[@class="tasks"]/tbody/tr')) == len(school.tasks)
    assert len(one.xpath('.//table[@class="schedule"]/tbody/tr')) == len(school.schedule)
    assert len(one.xpath('.//ul[@class="outline"]//li')) == len(school.sections)

    # the near-copy by another school is the one cluster, both marked as mostly shared
    similar_rows = dom.xpath('//table[@id="similar-table"]/tbody/tr')
    copy = next(p for p in plans if p.organization and "红河县第三中学" in p.organization)
    assert {tr.get("data-plan-id") for tr in similar_rows} == {school.plan_id, copy.plan_id}
    assert {tr.get("data-cluster") for tr in similar_rows} == {"1"}
    assert len(dom.xpath('//table[@id="similar-table"]//span[@class="flag"]')) == 2

    png = screenshot(page, tmp_path / "report.png")
    from PIL import Image

    with Image.open(png) as image:
        assert image.size == (1280, 3000)
        colors = image.convert("L").getcolors(maxcolors=1 << 16)
        assert colors is None or len(colors) > 20  # drawn, not a blank page


@needs_chromium
def test_english_report_in_chromium(frames: dict, tmp_path: Path) -> None:
    page = write_report(frames, tmp_path / "report_en.html", ReportOptions(lang="en"))
    dom_text, requests = open_in_chromium(page, tmp_path)
    assert requests == []
    dom = _dom(dom_text)
    assert dom.get("lang") == "en"
    assert [h.text_content() for h in dom.xpath("//section/h2")] == [
        "Batch overview", "Completeness", "Task categories", "Month × category", "Plans", "Templates and copies"]
    labels = [b.get("data-label") for b in dom.xpath('//svg[@id="chart-categories"]//rect')]
    assert labels and set(labels) <= set(label_sets()["category"])  # the contract's names
    screenshot(page, tmp_path / "report_en.png", height=1600)


# ---------------------------------------------------------------- every input kind gives the same report

def _shape(html_text: str) -> dict:
    dom = _dom(html_text)
    return {
        "cards": {c.get("data-key"): c.xpath('./div[@class="n"]')[0].text for c in dom.xpath('//div[@data-key]')},
        "codes": [tr.get("data-code") for tr in dom.xpath('//table[@id="failure-codes"]/tbody/tr')],
        "complete": [(tr.get("data-plan-id"), tr.get("data-complete"))
                     for tr in dom.xpath('//table[@id="completeness-table"]/tbody/tr')],
        "bars": [(b.get("data-label"), b.get("data-value")) for b in dom.xpath('//svg[@id="chart-categories"]//rect')],
        "cells": [c.get("data-value") for c in dom.xpath('//svg[@id="chart-heatmap"]//rect')],
        "plans": [d.get("data-plan-id") for d in dom.xpath('//details[@class="plan"]')],
        "tasks": len(dom.xpath('//table[@class="tasks"]/tbody/tr')),
        "outline": len(dom.xpath('//ul[@class="outline"]//li')),
        "similar": [(tr.get("data-cluster"), tr.get("data-plan-id")) for tr in dom.xpath('//table[@id="similar-table"]/tbody/tr')],
    }


def test_every_output_kind_gives_the_same_report(batch: Path, frames: dict, tmp_path: Path) -> None:
    """Documents, JSON output, jsonl / parquet / csv tables (English and Chinese headers)
    and a SQLite store: the same numbers, rows and charts."""
    runner = CliRunner()
    out = tmp_path / "out"
    commands = [
        ["parse", str(batch), "-o", str(out / "json"), "--db", str(out / "store.sqlite"), "-w", "1", "-q"],
        ["parse", str(batch), "-o", str(out / "jsonl"), "--format", "jsonl", "-w", "1", "-q"],
        ["parse", str(batch), "-o", str(out / "parquet"), "--format", "parquet", "-w", "1", "-q"],
        ["parse", str(batch), "-o", str(out / "csv_zh"), "--format", "csv", "--labels", "zh", "-w", "1", "-q"],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, result.output  # the two broken files fail
    expected = _shape(build_report(frames, ReportOptions()))
    sources = {
        "documents": [batch], "json": [out / "json"], "jsonl": [out / "jsonl"],
        "parquet": [out / "parquet"], "parquet file": [out / "parquet" / "plans.parquet"],
        "csv --labels zh": [out / "csv_zh"], "sqlite": [out / "store.sqlite"],
    }
    for name, inputs in sources.items():
        loaded = load_inputs(inputs)
        assert _shape(build_report(loaded.frames, ReportOptions())) == expected, name
    # the same through the command line, with --db
    page = tmp_path / "from_db.html"
    result = runner.invoke(app, ["report", "--db", str(out / "store.sqlite"), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert f"report: {page}" in result.output
    assert _shape(page.read_text(encoding="utf-8")) == expected


def test_require_sets_the_completeness_columns(frames: dict, results: list) -> None:
    required = ["guiding_ideology", "schedule"]
    dom = _dom(build_report(frames, ReportOptions(required=required)))
    assert [th.get("data-type") for th in dom.xpath('//table[@id="completeness-table"]/thead/tr/th[@data-type]')] == required
    expected = sum(1 for r in results for p in r.plans
                   if any(s.type == "guiding_ideology" for s in p.sections)
                   and (p.schedule or any(s.type == "schedule" for s in p.sections)))
    assert int(dom.xpath('//b[@id="complete-count"]')[0].text) == expected
    assert len(dom.xpath('//tr[@data-complete="true"]')) == expected
    with pytest.raises(ValueError):
        build_report(frames, ReportOptions(required=["no_such_part"]))


def test_plan_text_is_escaped_and_page_has_no_script() -> None:
    result = parse_text("<b>工会</b>工作计划\n一、主要工作\n1、组织<script>alert(1)</script>职工开展劳动竞赛。\n")
    page = build_report(to_frames([result]), ReportOptions())
    dom = _dom(page)
    assert not dom.xpath("//script") and "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_max_plans_limits_the_per_plan_lists_not_the_counts(frames: dict) -> None:
    dom = _dom(build_report(frames, ReportOptions(max_plans=2)))
    assert len(dom.xpath('//details[@class="plan"]')) == 2
    assert len(dom.xpath('//table[@id="completeness-table"]/tbody/tr')) == 2
    assert dom.xpath('//div[@data-key="plans"]/div[@class="n"]')[0].text == str(len(frames["plans"]))
