"""The offline HTML report of a batch (``planparse report``): one self-contained page.

It is rendered from the CONTRACT §2 tables (:func:`planparse.frames.to_frames`, or the
tables read back by :mod:`planparse.readback`), with plain string templates, every text
HTML-escaped, CSS inline and charts as inline SVG (:mod:`planparse.report_charts`). The
page loads nothing: no script, font, image or style sheet from anywhere, and a
Content-Security-Policy of ``default-src 'none'`` makes the browser refuse it if it did.

Sections (stable ids so tests and readers can find them): ``#overview`` (files, parsed,
failed with codes, plans, tasks), ``#completeness`` (per plan, which parts of
:data:`DEFAULT_REQUIRED` — or ``--require`` — it has), ``#categories`` (task categories
overall and per org_type), ``#heatmap`` (month × category of schedule items and tasks
that name months), ``#plans`` (a ``details.plan`` per plan: outline tree, tasks with
category and confidence, schedule) and ``#similar`` (template/copy clusters,
:mod:`planparse.similar`). Labels are Chinese by default (``lang="en"`` for English):
page text from ``data/labels_report.json``, label names from ``data/labels_zh.json``.
"""
from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .frames import Labels
from .report_charts import PALETTE, bar_chart, heatmap, stacked_bars

if TYPE_CHECKING:
    import pandas as pd

    from .similar import SimilarityReport

DEFAULT_REQUIRED = ("guiding_ideology", "objectives", "tasks", "measures", "schedule")
# Per-plan tables (completeness rows, drill-downs) beyond this many plans are left out of
# the page (the counts and charts still cover every plan): 100,000 drill-downs would make
# a page no browser opens.
DEFAULT_MAX_PLANS = 1000
LANGUAGES = ("zh", "en")

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --ok: #1a7f37; --bad: #cf222e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5; font-size: 14px;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Micro Hei", "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
header { padding: 16px 24px; background: var(--bg); border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: var(--muted); }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 24px; z-index: 1; }
nav a { margin-right: 16px; color: #0969da; text-decoration: none; }
main { padding: 8px 24px 40px; max-width: 1200px; }
section { margin: 24px 0; }
h2 { font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.yes { color: var(--ok); text-align: center; } td.no { color: var(--bad); text-align: center; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card .n { font-size: 22px; font-weight: 600; } .card.bad .n { color: var(--bad); }
svg.chart text { fill: var(--ink); font-family: inherit; }
.legend span { display: inline-block; margin: 0 12px 4px 0; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
details.plan { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 4px 10px; }
details.plan > summary { cursor: pointer; font-weight: 600; }
details.plan > summary .meta { font-weight: normal; color: var(--muted); margin-left: 8px; }
ul.outline { margin: 4px 0; padding-left: 20px; }
ul.outline .type { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 3px;
  padding: 0 4px; margin-left: 6px; }
.flag { color: var(--bad); font-weight: 600; }
"""


@dataclass
class ReportOptions:
    lang: str = "zh"
    required: Sequence[str] = DEFAULT_REQUIRED
    threshold: float = 0.8
    max_plans: int = DEFAULT_MAX_PLANS
    inputs: Sequence[str] = field(default_factory=list)
    generated: datetime | None = None  # default: now (UTC)


@lru_cache(maxsize=4)
def _page_text(lang: str) -> dict[str, Any]:
    data = json.loads(resources.files("planparse").joinpath("data", "labels_report.json").read_text(encoding="utf-8"))
    if lang not in data or lang.startswith("_"):
        raise ValueError(f"no report labels for language {lang!r} (choose from {', '.join(LANGUAGES)})")
    return data[lang]


@lru_cache(maxsize=1)
def label_sets() -> dict[str, list[str]]:
    """The closed label sets of CONTRACT §3 in the contract's order (keys of labels_zh.json)."""
    data = json.loads(resources.files("planparse").joinpath("data", "labels_zh.json").read_text(encoding="utf-8"))
    return {name: list(values) for name, values in data["values"].items()}


def check_required(required: Iterable[str]) -> list[str]:
    """The ``--require`` section types, validated against the contract's section types."""
    known = label_sets()["section_type"]
    out = [r.strip() for r in required if r.strip()]
    unknown = [r for r in out if r not in known]
    if unknown or not out:
        raise ValueError(f"unknown section type(s) {', '.join(unknown) or '(none given)'}; "
                         f"choose from {', '.join(known)}")
    return out


class _Text:
    """Page text and label names in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.page = _page_text(lang)
        self.labels = Labels.load(lang)

    def __call__(self, key: str, **fmt: Any) -> str:
        text = self.page.get(key, key)
        return text.format(**fmt) if fmt else text

    def value(self, vocab: str, value: Any) -> str:
        if value is None:
            return "—"
        return self.labels.values.get(vocab, {}).get(value, str(value))


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value))


def _none(value: Any) -> Any:
    try:
        import pandas as pd

        return None if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else value
    except (TypeError, ValueError):
        return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _none(v) for k, v in row.items()} for row in df.to_dict("records")]


# ---------------------------------------------------------------- sections

def _overview(frames: Mapping[str, pd.DataFrame], t: _Text) -> str:
    sources, plans = frames["sources"], frames["plans"]
    status = Counter(sources["status"].dropna())
    cards = [("files", len(sources), ""), ("parsed", status.get("parsed", 0), ""),
             ("failed", status.get("failed", 0), " bad" if status.get("failed") else ""),
             ("plans", len(plans), ""), ("tasks", len(frames["tasks"]), ""),
             ("schedule_items", len(frames["schedule"]), "")]
    out = ['<section id="overview">', f'<h2>{_e(t("overview"))}</h2>', '<div class="cards">']
    for key, n, cls in cards:
        out.append(f'<div class="card{cls}" data-key="{key}"><div class="n">{n}</div><div>{_e(t(key))}</div></div>')
    out.append("</div>")

    failed = _records(sources[sources["status"] == "failed"])
    out.append(f'<h3>{_e(t("failures"))}</h3>')
    if failed:
        codes = Counter(r["error_code"] or "?" for r in failed)
        out.append(f'<table id="failure-codes"><thead><tr><th>{_e(t("error_code"))}</th><th class="num">'
                   f'{_e(t("count"))}</th></tr></thead><tbody>')
        for code, n in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])):
            name = t.value("error_code", code)
            out.append(f'<tr data-code="{_e(code)}"><td><code>{_e(code)}</code>{" " + _e(name) if name != code else ""}'
                       f'</td><td class="num">{n}</td></tr>')
        out.append(f'</tbody></table><h3>{_e(t("failed_files"))}</h3>')
        out.append(f'<table id="failed-files"><thead><tr><th>{_e(t("file"))}</th><th>{_e(t("error_code"))}</th>'
                   f'<th>{_e(t("message"))}</th></tr></thead><tbody>')
        for r in failed:
            out.append(f'<tr><td>{_e(r["source_path"])}</td><td><code>{_e(r["error_code"])}</code></td>'
                       f'<td>{_e(r["error_message"])}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append(f'<p class="muted">{_e(t("no_failures"))}</p>')

    for key, column, vocab in (("by_doc_type", "doc_type", "doc_type"), ("by_org_type", "org_type", "org_type")):
        counts = Counter(plans[column].dropna())
        if not counts:
            continue
        order = [v for v in label_sets().get(vocab, []) if v in counts] + sorted(set(counts) - set(label_sets().get(vocab, [])))
        out.append(f'<h3>{_e(t(key))}</h3><table class="counts" id="counts-{column}"><tbody>')
        for v in order:
            out.append(f'<tr><td>{_e(t.value(vocab, v))}</td><td class="num">{counts[v]}</td></tr>')
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


def _plan_order(plans: pd.DataFrame) -> list[dict[str, Any]]:
    if not len(plans):
        return []
    return _records(plans.sort_values(["source_path", "seq"], kind="stable", na_position="last"))


def _plan_name(plan: Mapping[str, Any], t: _Text) -> str:
    return plan.get("title") or plan.get("organization") or f'{t("untitled")} {plan.get("plan_id")}'



def _completeness(frames: Mapping[str, pd.DataFrame], plans: list[dict[str, Any]], required: Sequence[str],
                  t: _Text, max_plans: int) -> str:
    types: dict[str, set[str]] = defaultdict(set)
    for pid, kind in zip(frames["sections"]["plan_id"], frames["sections"]["type"]):
        types[pid].add(kind)
    rows, complete = [], 0
    for plan in plans:
        have = types.get(plan["plan_id"], set())
        marks = [(r in have or (r == "tasks" and (plan.get("n_tasks") or 0) > 0)
                  or (r == "schedule" and (plan.get("n_schedule_items") or 0) > 0)) for r in required]
        complete += all(marks)
        rows.append((plan, marks))
    names = "、".join(t.value("section_type", r) for r in required) if t.lang == "zh" else \
        ", ".join(t.value("section_type", r) for r in required)
    out = ['<section id="completeness">', f'<h2>{_e(t("completeness"))}</h2>',
           f'<p>{_e(t("completeness_note", required=names))} {_e(t("complete_plans"))}: '
           f'<b id="complete-count">{complete}</b> / {len(plans)}</p>',
           f'<table id="completeness-table"><thead><tr><th>{_e(t("plan"))}</th><th>{_e(t("organization"))}</th>'
           f'<th>{_e(t("org_type"))}</th>']
    out += [f'<th data-type="{_e(r)}">{_e(t.value("section_type", r))}</th>' for r in required]
    out.append(f'<th>{_e(t("complete"))}</th></tr></thead><tbody>')
    for plan, marks in rows[:max_plans]:
        cells = "".join(f'<td class="{"yes" if m else "no"}">{"✓" if m else "✗"}</td>' for m in marks)
        ok = all(marks)
        out.append(f'<tr data-plan-id="{_e(plan["plan_id"])}" data-complete="{str(ok).lower()}">'
                   f'<td><a href="#plan-{_e(plan["plan_id"])}">{_e(_plan_name(plan, t))}</a></td>'
                   f'<td>{_e(plan.get("organization"))}</td><td>{_e(t.value("org_type", plan.get("org_type")))}</td>'
                   f'{cells}<td class="{"yes" if ok else "no"}">{_e(t("yes") if ok else t("no"))}</td></tr>')
    out.append("</tbody></table>")
    if len(rows) > max_plans:
        out.append(f'<p class="muted">{_e(t("drilldown_more", shown=max_plans, total=len(rows)))}</p>')
    out.append("</section>")
    return "\n".join(out)


def _category_order(values: Iterable[str]) -> list[str]:
    known = label_sets()["category"]
    present = set(values)
    return [c for c in known if c in present] + sorted(present - set(known))


def _legend(categories: Sequence[str], colors: Mapping[str, str], t: _Text) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colors[c]}"></i>{_e(t.value("category", c))}</span>' for c in categories) + "</div>"


def _category_colors() -> dict[str, str]:
    return {c: PALETTE[n % len(PALETTE)] for n, c in enumerate(label_sets()["category"])}


def _categories(frames: Mapping[str, pd.DataFrame], t: _Text) -> str:
    tasks, plans = frames["tasks"], frames["plans"]
    colors = _category_colors()
    counts = Counter(tasks["category"].dropna())
    order = _category_order(counts)
    palette = [colors.get(c, PALETTE[-1]) for c in order]
    out = ['<section id="categories">', f'<h2>{_e(t("categories"))}</h2>', f'<h3>{_e(t("categories_overall"))}</h3>',
           bar_chart([(t.value("category", c), counts[c]) for c in order], "chart-categories", palette,
                     label=t("categories_overall"))]
    org_of = dict(zip(plans["plan_id"], plans["org_type"]))
    by_org: dict[str, Counter[str]] = defaultdict(Counter)
    for pid, cat in zip(tasks["plan_id"], tasks["category"]):
        by_org[_none(org_of.get(pid)) or "other"][cat] += 1
    orgs = [o for o in label_sets()["org_type"] if o in by_org] + sorted(set(by_org) - set(label_sets()["org_type"]))
    out.append(f'<h3>{_e(t("categories_by_org"))}</h3>')
    out.append(stacked_bars([(t.value("org_type", o), [(t.value("category", c), by_org[o][c]) for c in order])
                             for o in orgs], "chart-categories-by-org", palette, label=t("categories_by_org")))
    out.append(_legend(order, colors, t))
    out.append(f'<table id="categories-table"><thead><tr><th>{_e(t("category"))}</th><th class="num">'
               f'{_e(t("categories_overall"))}</th>')
    out += [f'<th class="num">{_e(t.value("org_type", o))}</th>' for o in orgs]
    out.append("</tr></thead><tbody>")
    for c in order:
        out.append(f'<tr data-category="{_e(c)}"><td>{_e(t.value("category", c))}</td><td class="num">{counts[c]}</td>'
                   + "".join(f'<td class="num">{by_org[o][c]}</td>' for o in orgs) + "</tr>")
    out.append("</tbody></table></section>")
    return "\n".join(out)


def month_category_counts(frames: Mapping[str, pd.DataFrame]) -> Counter[tuple[str, int]]:
    """(category, month) → schedule items plus tasks naming that month."""
    counts: Counter[tuple[str, int]] = Counter()
    for table in ("schedule", "tasks"):
        df = frames[table]
        for cat, months in zip(df["category"], df["months"]):
            for m in set(months or []):
                if 1 <= int(m) <= 12:
                    counts[(_none(cat) or "other", int(m))] += 1
    return counts


def _heatmap(frames: Mapping[str, pd.DataFrame], t: _Text) -> str:
    counts = month_category_counts(frames)
    order = label_sets()["category"]  # every category gets its row: an empty row is information too
    extra = sorted({c for c, _ in counts} - set(order))
    cats = order + extra
    values = [[counts[(c, m)] for m in range(1, 13)] for c in cats]
    return "\n".join([
        '<section id="heatmap">', f'<h2>{_e(t("heatmap"))}</h2>', f'<p class="muted">{_e(t("heatmap_note"))}</p>',
        heatmap([t.value("category", c) for c in cats], list(t.page["month_names"]),
                values, "chart-heatmap", label=t("heatmap")),
        "</section>"])


def _outline(sections: list[dict[str, Any]], t: _Text) -> str:
    children: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    ids = {s["section_id"] for s in sections}
    for s in sections:
        parent = s.get("parent_id") if s.get("parent_id") in ids else None
        children[parent].append(s)

    def render(parent: Any, depth: int) -> str:
        if parent not in children or depth > 12:
            return ""
        items = []
        for s in children[parent]:
            head = " ".join(x for x in (s.get("number"), s.get("heading")) if x) or t.value("section_type", s.get("type"))
            items.append(f'<li class="sec" data-type="{_e(s.get("type"))}">{_e(head)}'
                         f'<span class="type">{_e(t.value("section_type", s.get("type")))}</span>'
                         f'{render(s["section_id"], depth + 1)}</li>')
        return '<ul class="outline">' + "".join(items) + "</ul>"

    return render(None, 0)


def _drilldown(frames: Mapping[str, pd.DataFrame], plans: list[dict[str, Any]], t: _Text, max_plans: int) -> str:
    shown = plans[:max_plans]
    wanted = {p["plan_id"] for p in shown}

    def grouped(table: str) -> dict[str, list[dict[str, Any]]]:
        df = frames[table]
        df = df[df["plan_id"].isin(wanted)].sort_values(["plan_id", "seq"], kind="stable") if len(df) else df
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in _records(df):
            out[row["plan_id"]].append(row)
        return out

    sections, tasks, schedule = grouped("sections"), grouped("tasks"), grouped("schedule")
    out = ['<section id="plans">', f'<h2>{_e(t("drilldown"))}</h2>']
    if len(plans) > max_plans:
        out.append(f'<p class="muted">{_e(t("drilldown_more", shown=max_plans, total=len(plans)))}</p>')
    for plan in shown:
        pid = plan["plan_id"]
        meta = " · ".join(_e(x) for x in (plan.get("organization"), t.value("org_type", plan.get("org_type")),
                                           plan.get("year"), t("n_tasks", n=len(tasks[pid])),
                                           t("n_schedule", n=len(schedule[pid]))) if x)
        out.append(f'<details class="plan" id="plan-{_e(pid)}" data-plan-id="{_e(pid)}">'
                   f'<summary>{_e(_plan_name(plan, t))}<span class="meta">{meta}</span></summary>')
        out.append(f'<p class="muted">{_e(t("source"))}: {_e(plan.get("source_path"))} · <code>{_e(pid)}</code></p>')
        out.append(f'<h3>{_e(t("outline"))}</h3>' + (_outline(sections[pid], t) or f'<p class="muted">{_e(t("none"))}</p>'))
        out.append(f'<h3>{_e(t("task_list"))}</h3>')
        if tasks[pid]:
            out.append(f'<table class="tasks"><thead><tr><th>{_e(t("path"))}</th><th>{_e(t("text"))}</th>'
                       f'<th>{_e(t("category"))}</th><th class="num">{_e(t("confidence"))}</th>'
                       f'<th>{_e(t("months"))}</th></tr></thead><tbody>')
            for task in tasks[pid]:
                conf = task.get("confidence")
                out.append(f'<tr data-category="{_e(task.get("category"))}"><td>{_e(" / ".join(task.get("path") or []))}</td>'
                           f'<td>{_e(task.get("text"))}</td><td>{_e(t.value("category", task.get("category")))}</td>'
                           f'<td class="num">{"" if conf is None else f"{float(conf):.2f}"}</td>'
                           f'<td>{_e(", ".join(str(m) for m in task.get("months") or []))}</td></tr>')
            out.append("</tbody></table>")
        else:
            out.append(f'<p class="muted">{_e(t("none"))}</p>')
        out.append(f'<h3>{_e(t("schedule"))}</h3>')
        if schedule[pid]:
            out.append(f'<table class="schedule"><thead><tr><th>{_e(t("when"))}</th><th>{_e(t("months"))}</th>'
                       f'<th>{_e(t("text"))}</th><th>{_e(t("category"))}</th><th>{_e(t("owner"))}</th></tr></thead><tbody>')
            for item in schedule[pid]:
                out.append(f'<tr><td>{_e(item.get("when"))}</td><td>{_e(", ".join(str(m) for m in item.get("months") or []))}</td>'
                           f'<td>{_e(item.get("text"))}</td><td>{_e(t.value("category", item.get("category")))}</td>'
                           f'<td>{_e(item.get("owner"))}</td></tr>')
            out.append("</tbody></table>")
        else:
            out.append(f'<p class="muted">{_e(t("none"))}</p>')
        out.append("</details>")
    out.append("</section>")
    return "\n".join(out)


def _similar(similarity: SimilarityReport, names: Mapping[str, str], t: _Text) -> str:
    out = ['<section id="similar">', f'<h2>{_e(t("similar"))}</h2>',
           f'<p class="muted">{_e(t("similar_note", threshold=similarity.threshold))}</p>']
    if not similarity.clusters:
        out.append(f'<p id="no-clusters">{_e(t("no_clusters"))}</p>')
    out.append(f'<table id="similar-table"><thead><tr><th>{_e(t("cluster"))}</th><th>{_e(t("plan"))}</th>'
               f'<th>{_e(t("organization"))}</th><th>{_e(t("source"))}</th><th class="num">{_e(t("similarity"))}</th>'
               f'<th class="num">{_e(t("shared_share"))}</th><th>{_e(t("shared_with"))}</th></tr></thead><tbody>')
    for cluster in similarity.clusters:
        sim = (f"{cluster.min_similarity:.2f}" if cluster.min_similarity == cluster.max_similarity
               else f"{cluster.min_similarity:.2f}–{cluster.max_similarity:.2f}")
        for m in cluster.members:
            flag = f' <span class="flag" title="{_e(t("mostly_shared"))}">⚑</span>' if m.mostly_shared else ""
            out.append(f'<tr data-cluster="{cluster.cluster_id}" data-plan-id="{_e(m.plan_id)}">'
                       f'<td class="num">{cluster.cluster_id}</td>'
                       f'<td><a href="#plan-{_e(m.plan_id)}">{_e(names.get(m.plan_id) or m.title or m.plan_id)}</a>{flag}</td>'
                       f'<td>{_e(m.organization)}</td><td>{_e(Path(m.source_path).name if m.source_path else "")}</td>'
                       f'<td class="num">{sim}</td><td class="num">{f"{m.shared_share:.0%}" if m.shared_with else "—"}</td>'
                       f'<td>{_e(names.get(m.shared_with or "", m.shared_with))}</td></tr>')
    out.append("</tbody></table>")
    clustered = {m.plan_id for c in similarity.clusters for m in c.members}
    outside = [s for s in similarity.shares.values() if s.mostly_shared and s.plan_id not in clustered]
    if outside:
        out.append(f'<h3>{_e(t("mostly_shared_outside"))}</h3><table id="mostly-shared"><thead><tr>'
                   f'<th>{_e(t("plan"))}</th><th class="num">{_e(t("shared_share"))}</th><th>{_e(t("shared_with"))}</th>'
                   f'</tr></thead><tbody>')
        for s in outside:
            out.append(f'<tr data-plan-id="{_e(s.plan_id)}"><td><a href="#plan-{_e(s.plan_id)}">'
                       f'{_e(names.get(s.plan_id, s.plan_id))}</a></td><td class="num">{s.shared_share:.0%}</td>'
                       f'<td><a href="#plan-{_e(s.shared_with)}">{_e(names.get(s.shared_with or "", s.shared_with))}</a>'
                       f'</td></tr>')
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out)


# ---------------------------------------------------------------- the page

def build_report(frames: Mapping[str, pd.DataFrame], options: ReportOptions | None = None,
                 similarity: SimilarityReport | None = None) -> str:
    """The report page (HTML text) of the tables ``frames``; ``similarity`` defaults to
    :func:`planparse.similar.analyse_similarity` of the plans at ``options.threshold``."""
    from .similar import analyse_similarity, plan_texts_from_frames

    options = options or ReportOptions()
    t = _Text(options.lang)
    required = check_required(options.required)
    plans = _plan_order(frames["plans"])
    if similarity is None:
        similarity = analyse_similarity(plan_texts_from_frames(frames), threshold=options.threshold)
    names = {p["plan_id"]: _plan_name(p, t) for p in plans}
    generated = (options.generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    inputs = ", ".join(str(i) for i in options.inputs)
    nav = "".join(f'<a href="#{sid}">{_e(t(key))}</a>' for sid, key in (
        ("overview", "overview"), ("completeness", "completeness"), ("categories", "categories"),
        ("heatmap", "heatmap"), ("plans", "drilldown"), ("similar", "similar")))
    body = "\n".join([
        _overview(frames, t),
        _completeness(frames, plans, required, t, options.max_plans),
        _categories(frames, t),
        _heatmap(frames, t),
        _drilldown(frames, plans, t, options.max_plans),
        _similar(similarity, names, t),
    ])
    lang_attr = "zh-CN" if options.lang == "zh" else "en"
    return f"""<!DOCTYPE html>
<html lang="{lang_attr}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="planparse report">
<title>{_e(t("title"))}</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>{_e(t("title"))}</h1><p>{_e(t("generated"))}: {generated}{" · " + _e(t("inputs")) + ": " + _e(inputs) if inputs else ""}</p></header>
<nav>{nav}</nav>
<main>
{body}
</main>
</body>
</html>
"""


def write_report(frames: Mapping[str, pd.DataFrame], path: str | os.PathLike[str],
                 options: ReportOptions | None = None, similarity: SimilarityReport | None = None) -> Path:
    """Write :func:`build_report` to ``path`` (atomically, UTF-8)."""
    from .output import write_text_atomic

    return write_text_atomic(path, build_report(frames, options, similarity))
