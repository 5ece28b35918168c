"""The labelled task corpus (corpora/tasks): format, coverage, labels, and pointer integrity.

Real items point into ../shared (beside the repository); the checks that need their text
are skipped when that folder is absent. The written part is checked either way."""
from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from planparse.corpus import (
    CATEGORIES, DEFAULT_CORPUS_DIR, DEFAULT_SHARED_DIR, TaskItem, corpus_stats, load_corpus, stats_markdown,
)

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpora" / "tasks"
SHARED = REPO.parent / "shared"
HAVE_SHARED = SHARED.is_dir() and (SHARED / "seeds").is_dir()
needs_shared = pytest.mark.skipif(not HAVE_SHARED, reason="../shared is not present: real items cannot be resolved")


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


@pytest.fixture(scope="module")
def loaded() -> tuple[list[TaskItem], list[str]]:
    return load_corpus()


# ------------------------------------------------------------------ files and format

def test_defaults_point_at_the_repository() -> None:
    assert DEFAULT_CORPUS_DIR == CORPUS
    assert DEFAULT_SHARED_DIR == SHARED


def test_ids_are_unique_and_prefixed() -> None:
    written, real = _records("written.jsonl"), _records("real.jsonl")
    ids = [r["id"] for r in written + real]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"w\d{4}", r["id"]) and r["origin"] == "written" for r in written)
    assert all(re.fullmatch(r"r\d{4}", r["id"]) and r["origin"] == "real" for r in real)


def test_labels_are_the_contract_closed_set() -> None:
    schema = json.loads((REPO / "src" / "planparse" / "schema" / "plan.schema.json").read_text(encoding="utf-8"))
    assert set(CATEGORIES) == set(schema["$defs"]["category"]["enum"])
    for rec in _records("written.jsonl") + _records("real.jsonl"):
        assert rec["category"] in CATEGORIES, rec["id"]
        assert set(rec["secondary_categories"]) <= set(CATEGORIES), rec["id"]
        assert rec["category"] not in rec["secondary_categories"], rec["id"]
        assert len(set(rec["secondary_categories"])) == len(rec["secondary_categories"]), rec["id"]
        assert rec["language"] in ("zh", "en"), rec["id"]


def test_real_items_are_pointers_without_shared_text() -> None:
    """Nothing from ../shared is stored in the repository: real items carry no text."""
    for rec in _records("real.jsonl"):
        assert "text" not in rec and "context" not in rec, rec["id"]
        src = rec["source"]
        assert not Path(src["file"]).is_absolute() and ".." not in Path(src["file"]).parts
        assert src["file"].startswith(("seeds/", "corpora/real/")), rec["id"]
        assert re.fullmatch(r"[0-9a-f]{64}", src["sha256"]) and isinstance(src["plan"], int) and src["plan"] >= 1
        assert re.fullmatch(r"[0-9a-f]{40}", rec["text_sha1"])
        start, end = rec["span"]
        assert 0 <= start < end
        assert rec["context_span"] is None or rec["context_span"][0] < rec["context_span"][1] <= start


def test_written_items_are_well_formed() -> None:
    written = _records("written.jsonl")
    assert len(written) >= 900
    for rec in written:
        assert rec["source"] == {"file": "written", "plan": None}, rec["id"]
        assert rec["text"] == rec["text"].strip() and len(rec["text"]) >= 4, rec["id"]
        # the same normal form as planparse's normalised text (NFKC)
        assert unicodedata.normalize("NFKC", rec["text"]) == rec["text"], rec["id"]
        assert unicodedata.normalize("NFKC", rec["context"]) == rec["context"], rec["id"]
        has_cjk = bool(re.search(r"[\u4e00-\u9fff]", rec["text"]))
        assert has_cjk == (rec["language"] == "zh"), rec["id"]
    languages = Counter(r["language"] for r in written)
    assert 0.5 <= languages["zh"] / len(written) <= 0.7  # roughly 60 % zh, 40 % en


def test_written_part_alone_covers_every_category() -> None:
    counts = Counter(r["category"] for r in _records("written.jsonl"))
    assert all(counts[c] >= 40 for c in CATEGORIES), counts


@needs_shared
def test_written_items_are_not_copied_from_the_seeds() -> None:
    """Written items are original wording: no long run in common with a seed (stock phrases are short)."""
    hay_zh, hay_en = [], []
    from planparse import parse_file

    for path in sorted((SHARED / "seeds").glob("*.txt")):
        text = parse_file(path).text  # decoded whatever the encoding, NFKC-normalised
        hay_zh.append(re.sub(r"[^\u4e00-\u9fff]", "", text))
        hay_en.append(re.sub(r"[^a-z]", "", text.lower()))
    zh, en = "|".join(hay_zh), "|".join(hay_en)
    for rec in _records("written.jsonl"):
        if rec["language"] == "zh":
            s, hay, n = re.sub(r"[^\u4e00-\u9fff]", "", rec["text"]), zh, 16
        else:
            s, hay, n = re.sub(r"[^a-z]", "", rec["text"].lower()), en, 80
        assert not any(s[i:i + n] in hay for i in range(len(s) - n + 1)), rec["id"]


# ------------------------------------------------------------------ loading

@needs_shared
def test_loads_without_warnings(loaded) -> None:
    items, warnings = loaded
    assert warnings == []
    assert len(items) == len(_records("written.jsonl")) + len(_records("real.jsonl"))


@needs_shared
def test_size_languages_origins_and_coverage(loaded) -> None:
    items, _ = loaded
    stats = corpus_stats(items)
    assert stats["n_items"] >= 1200
    assert stats["by_origin"]["real"] >= 300
    assert stats["by_language"]["zh"] > 0 and stats["by_language"]["en"] > 0
    assert stats["by_origin_language"]["real"]["en"] > 0 and stats["by_origin_language"]["real"]["zh"] > 0
    assert all(stats["by_category"][c] >= 40 for c in CATEGORIES), stats["by_category"]
    assert sum(stats["by_category"].values()) == stats["n_items"]
    table = stats_markdown(stats)
    assert all(f"`{c}`" in table for c in CATEGORIES)


@needs_shared
def test_order_ids_groups(loaded) -> None:
    items, _ = loaded
    assert [it.id for it in items] == sorted(it.id for it in items)
    assert len({it.id for it in items}) == len(items)
    for it in items:
        assert it.group, it.id
        if it.origin == "real":
            assert it.group == f"{it.source_file}#{it.plan}" and isinstance(it.plan, int)
            assert (SHARED / it.source_file).is_file()
        else:
            assert it.source_file == "written" and it.plan is None and it.group == f"written#{it.id}"
    real_groups = {it.group for it in items if it.origin == "real"}
    assert len(real_groups) >= 20  # enough documents/plans for grouped cross-validation


@needs_shared
def test_no_duplicate_texts(loaded) -> None:
    items, _ = loaded
    keys = Counter(_norm(it.text) for it in items)
    assert [k for k, n in keys.items() if n > 1] == []


@needs_shared
def test_real_items_resolve_to_their_pointer(loaded) -> None:
    import hashlib

    items, _ = loaded
    by_id = {r["id"]: r for r in _records("real.jsonl")}
    real = [it for it in items if it.origin == "real"]
    assert len(real) == len(by_id)
    for it in real:
        rec = by_id[it.id]
        assert hashlib.sha1(it.text.encode("utf-8")).hexdigest() == rec["text_sha1"]
        assert it.text.strip() and it.category == rec["category"] and it.language == rec["language"]
        assert (it.context != "") == (rec["context_span"] is not None)


# ------------------------------------------------------------------ broken pointers

def _copy_corpus(tmp_path: Path) -> Path:
    target = tmp_path / "tasks"
    shutil.copytree(CORPUS, target)
    return target


def _rewrite_real(folder: Path, change) -> None:
    path = folder / "real.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    change(records)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@needs_shared
def test_drifted_pointer_is_skipped_with_a_warning(tmp_path: Path, loaded) -> None:
    folder = _copy_corpus(tmp_path)
    victim = {}

    def tamper(records: list[dict]) -> None:
        victim.update(records[7])
        records[7]["text_sha1"] = "0" * 40

    _rewrite_real(folder, tamper)
    items, warnings = load_corpus(corpus_dir=folder, shared_dir=SHARED)
    assert victim["id"] not in {it.id for it in items}
    assert len(items) == len(loaded[0]) - 1
    assert len(warnings) == 1 and "drift" in warnings[0] and victim["id"] in warnings[0]
    assert victim["source"]["file"] in warnings[0]


@needs_shared
def test_changed_source_file_is_skipped_with_a_warning(tmp_path: Path, loaded) -> None:
    folder = _copy_corpus(tmp_path)
    source = _records("real.jsonl")[0]["source"]["file"]

    def tamper(records: list[dict]) -> None:
        for rec in records:
            if rec["source"]["file"] == source:
                rec["source"]["sha256"] = "f" * 64

    _rewrite_real(folder, tamper)
    items, warnings = load_corpus(corpus_dir=folder, shared_dir=SHARED)
    n_source = sum(1 for r in _records("real.jsonl") if r["source"]["file"] == source)
    assert len(items) == len(loaded[0]) - n_source
    assert len(warnings) == 1 and "sha256" in warnings[0] and source in warnings[0]


def test_missing_shared_folder_skips_real_items_with_one_warning(tmp_path: Path) -> None:
    items, warnings = load_corpus(shared_dir=tmp_path / "no-shared-here")
    assert len(warnings) == 1 and "real items skipped" in warnings[0]
    assert all(it.origin == "written" for it in items)
    assert len(items) == len(_records("written.jsonl"))


def test_bad_records_are_skipped_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "tasks"
    folder.mkdir()
    good = {"id": "w0001", "origin": "written", "text": "组织教职工开展健步走活动。", "context": "", "category": "culture_and_sports",
            "secondary_categories": [], "language": "zh", "source": {"file": "written", "plan": None}}
    lines = [
        json.dumps(good, ensure_ascii=False),
        json.dumps({**good, "id": "w0002", "category": "sports"}),  # not in the closed set
        json.dumps({**good, "id": "w0001", "text": "重复的编号。"}, ensure_ascii=False),  # duplicate id
        "{not json",
        json.dumps({**good, "id": "w0003", "secondary_categories": ["culture_and_sports"]}),  # repeats the primary
    ]
    (folder / "written.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items, warnings = load_corpus(corpus_dir=folder, shared_dir=tmp_path / "none")
    assert [it.id for it in items] == ["w0001"] and items[0].text == good["text"]
    assert len(warnings) == 4


@needs_shared
def test_real_texts_load_without_a_usable_classifier(tmp_path: Path, monkeypatch) -> None:
    """The corpus the classifier is trained on must not need the classifier: the texts
    come from planparse's pipeline without its `classify` stage."""
    import planparse.corpus as corpus_module
    from planparse.classify import task_model

    bad = tmp_path / "task_classifier.json"
    bad.write_text('{"format": "not a model"}', encoding="utf-8")
    monkeypatch.setenv("PLANPARSE_MODEL", str(bad))
    monkeypatch.setattr(corpus_module, "_TEXT_CACHE", {})
    task_model.cache_clear()
    try:
        assert "classify" not in corpus_module._text_pipeline().names
        rec = next(r for r in _records("real.jsonl") if r["source"]["file"].startswith("seeds/"))
        text, error = corpus_module._normalised_text(SHARED / rec["source"]["file"], rec["source"]["sha256"])
        assert error is None and text
        start, end = rec["span"]
        import hashlib
        assert hashlib.sha1(text[start:end].encode("utf-8")).hexdigest() == rec["text_sha1"]
    finally:
        task_model.cache_clear()
