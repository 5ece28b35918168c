"""Fuzz targets for the readers: hypothesis mutates small valid files (flips, sets, inserts,
deletes, duplicates and truncates bytes; for DOCX also the XML inside a still-valid ZIP)
and feeds them to ``read_bytes`` and ``parse_bytes``.

Each example must give either a :class:`RawDocument` or a :class:`PlanparseError` whose
code is one of CONTRACT §5 — never another exception, never ``internal_error``, never a
hang — and a parsed result must validate against the JSON Schema. A reader may let a
library's own complaint about damage (``zipfile.BadZipFile``, ``PdfiumError``, lxml's
``XMLSyntaxError``) reach ``read_data``'s net, which reports it as ``corrupt``; an
exception raised in planparse's own code is a reader bug and fails the target.

``.doc``/``.wps`` are fuzzed only up to the converter (its sniffing and error path: no
LibreOffice is started), scans only up to OCR (Tesseract is not run). Every example has a
soft time limit (SIGALRM, :data:`EXAMPLE_LIMIT_S`) and each test a hard one
(``faulthandler``: every thread's stack goes to :data:`HANG_REPORT`, then the process
exits rather than hang CI). Each target stops running examples when its share of
:data:`FUZZ_BUDGET_S` (45 s in all) is spent; ``PLANPARSE_HYPOTHESIS_SCALE=20`` fuzzes twenty
times longer. A failing input is saved to ``tests/fuzz_regressions/`` (:func:`keep_regression`)
and from then on runs first, in ``test_fuzz_regressions``.
"""
from __future__ import annotations

import contextlib
import faulthandler
import io
import json
import os
import tempfile
import time
import traceback
import zipfile
import zlib
from importlib import resources
from pathlib import Path
from unittest import mock

import docx
import pytest
from docx.oxml import parse_xml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from planparse.api import parse_bytes
from planparse.errors import ErrorCode, PlanparseError
from planparse.guard import FileTimeout, time_limit
from planparse.readers import READERS, RawDocument, legacy, ocr, read_bytes

CONTRACT_CODES = frozenset({"unsupported_format", "corrupt", "encrypted", "empty", "no_text_layer",
                            "too_large", "timeout", "converter_missing", "not_a_document"})
EXAMPLE_LIMIT_S = 10.0  # one example: a reader taking longer than this is hanging
SCALE = float(os.environ.get("PLANPARSE_HYPOTHESIS_SCALE", "1"))
# Examples per target, and the time all targets may take together (about 20 s are used here).
FUZZ_COUNTS = {"text": 250, "html": 150, "docx_bytes": 120, "docx_xml": 120, "pdf": 250, "image": 120, "legacy": 100}
FUZZ_BUDGET_S = 45.0 * max(1.0, SCALE)
HARD_LIMIT_S = 120.0 * max(1.0, SCALE)  # one fuzz test: stuck in C code, dump the stacks and exit
HANG_REPORT = Path(tempfile.gettempdir()) / f"planparse-fuzz-hang-{os.getpid()}.txt"
SCHEMA = json.loads(resources.files("planparse.schema").joinpath("plan.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
PLANPARSE_DIR = str(Path(resources.files("planparse")))
REGRESSIONS = Path(__file__).parent / "fuzz_regressions"
SHARED_MADE = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "made"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def examples(count: int) -> int:
    return max(1, int(count * SCALE))


FUZZ_SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

PLAN_TEXT = """鸡西实验中学工会2020年工作计划
鸡实验工[2020]第1号
一、指导思想
以学习贯彻党的精神为指导，围绕学校中心工作。
二、具体工作任务
（一）加强工会组织建设
1、积极开展"先进职工之家"创建活动。
2、三月份举办三八节联谊会，帮助196个贫困生。
三、工作安排
一至二月份：制定工作计划。
七月份至八月份：组织教职工疗休养。
鸡西实验中学工会
二〇二〇年一月十日
"""


# --- seeds: small valid files of every format ------------------------------------------------


def txt_seeds() -> list[bytes]:
    return [PLAN_TEXT.encode("utf-8"), PLAN_TEXT.encode("gb18030"), PLAN_TEXT.encode("utf-16"),
            "\ufeff".encode() + PLAN_TEXT.encode("utf-8"),
            PLAN_TEXT.encode("utf-8")[:120] + PLAN_TEXT.encode("gbk")[120:240],  # mixed GBK/UTF-8
            "工会工作計劃 Work plan 2024\r\nFirst, study.\r\nSecond, care.".encode("big5", "replace")]


def html_seeds() -> list[bytes]:
    body = "".join(f"<p>{line}</p>" for line in PLAN_TEXT.splitlines())
    page = (f'<!DOCTYPE html><html><head><meta charset="{{charset}}"><title>计划</title>'
            '<script>var a = "<p>不要</p>"; for (;;) {}</script><style>p{color:red}</style></head>'
            '<body><nav><a href="/">首页</a> &gt; <a href="/x">工作计划</a></nav>'
            f'<div id="content"><h1>鸡西实验中学工会2020年工作计划</h1>{body}'
            '<ol start="3" type="a"><li>一是学习</li><li>二是培训</li></ol>'
            '<table><tr><th>月份</th><th>工作内容</th><th>责任部门</th></tr>'
            '<tr><td>3月</td><td>召开教代会</td><td>工会</td></tr></table></div>'
            '<!-- comment --><footer class="site-footer">版权所有</footer></body></html>')
    return [page.replace("{charset}", "utf-8").encode("utf-8"), page.replace("{charset}", "gbk").encode("gbk"),
            b"<html><body><div>" + "<div>深</div>".encode() * 30 + b"</div></body></html>"]


def docx_seed() -> bytes:
    document = docx.Document()
    document.add_heading("鸡西实验中学工会2020年工作计划", level=0)
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/>'
                               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    for level, text in [(0, "指导思想"), (1, "加强学习"), (2, "三月份组织学习"), (0, "工作安排")]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    document.add_paragraph("积极开展活动。").runs[0].bold = True
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["月份", "工作内容", "责任部门", "3月", "召开教代会", "工会"]):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(pages: list[list[str]], compress: bool = False) -> bytes:
    """A PDF of Helvetica text lines, one content stream per page (Flate-compressed or not)."""
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    font = 3
    objects[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    kids = []
    number = 4
    for lines in pages:
        content = ("BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET").encode("latin-1")
        if compress:
            stream = zlib.compress(content)
            objects[number + 1] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"
        else:
            objects[number + 1] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        objects[number] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                           b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (number + 1, font))
        kids.append(b"%d 0 R" % number)
        number += 2
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for key in sorted(objects):
        offsets[key] = len(out)
        out += b"%d 0 obj\n" % key + objects[key] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for key in sorted(objects):
        out += b"%010d 00000 n \n" % offsets[key]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_seeds() -> list[bytes]:
    plan = ["Union Work Plan 2024", "I. Guiding ideology", "First, study the spirit.", "II. Main work",
            "1. Hold the congress in March.", "2. Sports day in May and June."]
    seeds = [pdf_bytes([plan]), pdf_bytes([plan[:3], plan[3:]], compress=True), pdf_bytes([[]])]
    real = SHARED_MADE / "002_a0dd171c835498c4.pdf"  # a real CJK PDF, when the shared corpora are here
    if real.is_file():
        seeds.append(real.read_bytes())
    return seeds


def image_seeds() -> list[bytes]:
    from PIL import Image, ImageDraw

    image = Image.new("L", (64, 24), "white")
    ImageDraw.Draw(image).text((2, 6), "plan", fill="black")
    seeds = []
    for fmt in ("PNG", "JPEG", "TIFF"):
        buffer = io.BytesIO()
        image.save(buffer, fmt, dpi=(300, 300))
        seeds.append(buffer.getvalue())
    buffer = io.BytesIO()  # a two-page TIFF
    image.save(buffer, "TIFF", save_all=True, append_images=[image.rotate(90, expand=True)])
    seeds.append(buffer.getvalue())
    return seeds


def legacy_seeds() -> list[bytes]:
    ole2 = bytearray(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    return [bytes(ole2) + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64, bytes(ole2) + b"\xff" * 512,
            b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 SimSun;}} \\f0 \\u24037?\\u20250? plan\\par}"]


SEEDS = {"txt": txt_seeds(), "html": html_seeds(), "docx": [docx_seed()], "pdf": pdf_seeds(),
         "image": image_seeds(), "doc": legacy_seeds()}
NAMES = {"txt": ["plan.txt", "README"], "html": ["page.html", "page.htm"], "docx": ["plan.docx"], "pdf": ["plan.pdf"],
         "image": ["scan.png", "photo.jpg", "scan.tif"], "doc": ["plan.doc", "plan.wps"]}


# --- mutations ---------------------------------------------------------------------------------

INTERESTING = [b"\x00", b"\xff", b"\xff\xfe", b"\xef\xbb\xbf", b"%%EOF", b"obj", b"endobj", b"stream", b"<<", b">>",
               b"/Length 99999999", b"-1", b"4294967296", b"99999999999999999999", b"PK\x03\x04", b"%PDF-1.7",
               b"<!DOCTYPE html>", b"<script>", b"</", b"&#0;", b"\r\n", "　".encode(), "\u2028".encode(),
               "一、".encode("gbk"), b"\x81\x30\x81\x30"]


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        operation = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate", "duplicate", "splice"]))
        position = draw(st.integers(0, len(data)))
        if operation == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "set" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "delete":
            del data[position:position + draw(st.integers(1, 64))]
        elif operation == "truncate" and draw(st.integers(0, 3)) == 0:  # now and then: truncation ends the rest
            del data[position:]
        elif operation == "duplicate" and data:
            length = draw(st.integers(1, 256))
            data[position:position] = data[position:position + length]
        elif operation == "splice":
            data[position:position] = draw(st.sampled_from(INTERESTING))
    return bytes(data)


XML_SNIPPETS = ['<w:numPr><w:ilvl w:val="x"/><w:numId w:val="90"/></w:numPr>', '<w:ilvl w:val="-1"/>',
                '<w:start w:val="-7"/>', '<w:start w:val="99999999999"/>', '<w:numFmt w:val="lowerLetter"/>',
                '<w:numFmt w:val="ideographDigital"/>', '<w:lvlText w:val="%9%9%9%1"/>', '<w:tbl>', '</w:p>',
                '<w:p><w:r><w:t>插入</w:t></w:r></w:p>', '<w:br w:type="page"/>', '<w:tab/>', '<w:vMerge/>',
                '<w:basedOn w:val="Heading1"/>', '<w:outlineLvl w:val="99"/>', '<w:sdt><w:sdtContent>',
                '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '&e;', '&amp;', '\x00', '<w:t>']


@st.composite
def mutated_docx(draw) -> bytes:
    """The seed DOCX with one XML part mutated as text and re-zipped: still a valid ZIP,
    so the damage reaches python-docx and the body walker."""
    seed = SEEDS["docx"][0]
    source = zipfile.ZipFile(io.BytesIO(seed))
    names = [name for name in source.namelist() if name.endswith((".xml", ".rels"))]
    target = draw(st.sampled_from(sorted(names, key=lambda n: (n != "word/document.xml", n != "word/numbering.xml", n))))
    text = source.read(target).decode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "truncate", "replace_number"]))
        if operation == "insert":
            text = text[:position] + draw(st.sampled_from(XML_SNIPPETS) | st.text(max_size=8)) + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)):]
        elif operation == "truncate" and draw(st.integers(0, 3)) == 0:
            text = text[:position]
        elif operation == "replace_number":
            text = text.replace('w:val="1"', f'w:val="{draw(st.sampled_from(["-3", "0", "x", "1e9", "99999999999", ""]))}"', 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, text.encode("utf-8") if info.filename == target else source.read(info.filename))
    return out.getvalue()


# --- the target ----------------------------------------------------------------------------------


class ReaderBug(AssertionError):
    pass


def raised_in_planparse(error: BaseException) -> str | None:
    """The planparse frame an exception was raised in, or None when a library raised it."""
    frames = traceback.extract_tb(error.__traceback__)
    if frames and frames[-1].filename.startswith(PLANPARSE_DIR):
        last = frames[-1]
        return f"{Path(last.filename).name}:{last.lineno} in {last.name}"
    return None


@contextlib.contextmanager
def reader_watch(found: list[str]):
    """Wrap every reader: an exception other than PlanparseError raised by planparse's own
    reader code is recorded (read_data would report it as corrupt and hide the bug)."""
    originals = dict(READERS)

    class Watched:
        def __init__(self, reader):
            self.reader = reader
            self.format = reader.format

        def read(self, *args, **kwargs):
            try:
                return self.reader.read(*args, **kwargs)
            except PlanparseError:
                raise
            except Exception as error:
                where = raised_in_planparse(error)
                if where:
                    found.append(f"{type(error).__name__}: {error} (raised at {where})")
                raise

    READERS.update({fmt: Watched(reader) for fmt, reader in originals.items()})
    try:
        yield
    finally:
        READERS.update(originals)


@contextlib.contextmanager
def sandbox(ocr_runs: bool = False):
    """No LibreOffice, and no Tesseract: scans stop at no_text_layer, or (``ocr_runs``) are
    decoded and "read" by a stand-in that finds no text."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(legacy, "find_converter", lambda: None))
        if ocr_runs:
            stack.enter_context(mock.patch.object(ocr, "ocr_unavailable", lambda: None))
            stack.enter_context(mock.patch.object(ocr, "ocr_page_lines", lambda *args, **kwargs: []))
        else:
            stack.enter_context(mock.patch.object(ocr, "ocr_unavailable", lambda: "OCR is switched off for fuzzing"))
        yield


def fuzz_one(data: bytes, name: str, ocr_runs: bool = False) -> str:
    """Run one input through read_bytes and parse_bytes; returns the outcome (for the tally)."""
    bugs: list[str] = []
    with sandbox(ocr_runs), reader_watch(bugs):
        try:
            with time_limit(EXAMPLE_LIMIT_S):
                try:
                    document = read_bytes(data, name)
                except PlanparseError as error:
                    assert error.code.value in CONTRACT_CODES, f"{error.code} is not a CONTRACT §5 code"
                    assert error.message.strip()
                    outcome = error.code.value
                else:
                    assert isinstance(document, RawDocument)
                    assert all(isinstance(block.text, str) for block in document.blocks)
                    outcome = "read"
                result = parse_bytes(data, name)
        except FileTimeout:
            raise AssertionError(f"{name}: no answer within {EXAMPLE_LIMIT_S} s (a hang)") from None
    if bugs:
        raise ReaderBug(f"{name}: reader bug: {bugs[0]}")
    if result.error is not None:
        assert result.error.code in CONTRACT_CODES, f"{name}: {result.error.code}: {result.error.message}"
        assert outcome != "read", f"{name}: read_bytes read it but parse_bytes failed: {result.error.message}"
    else:
        assert outcome == "read", f"{name}: read_bytes said {outcome} but parse_bytes parsed it"
        error = next(VALIDATOR.iter_errors(result.to_dict(with_text=True)), None)
        assert error is None, f"{name}: schema: {error.message} at {list(error.absolute_path)}"
        length = len(result.text or "")
        for plan in result.plans:
            for record in [plan, *plan.sections, *plan.tasks, *plan.schedule]:
                assert 0 <= record.span[0] <= record.span[1] <= length
    return outcome


@pytest.fixture(autouse=True)
def hard_limit():
    """A fuzz test stuck in C code (where SIGALRM cannot reach) is ended after HARD_LIMIT_S:
    faulthandler writes every thread's stack to HANG_REPORT (pytest captures stderr, and
    the output of a process that exits this way would be lost) and exits."""
    with HANG_REPORT.open("w") as report:
        faulthandler.dump_traceback_later(HARD_LIMIT_S, exit=True, file=report)
        try:
            yield
        finally:
            faulthandler.cancel_dump_traceback_later()
    if HANG_REPORT.stat().st_size == 0:
        HANG_REPORT.unlink()


# --- regressions first --------------------------------------------------------------------------


def regression_files() -> list[Path]:
    return sorted(path for path in REGRESSIONS.iterdir() if path.is_file() and path.suffix != ".md") if REGRESSIONS.is_dir() else []


@pytest.mark.parametrize("path", regression_files(), ids=lambda path: path.name)
def test_fuzz_regressions(path):
    """Inputs fuzzing once broke a reader with (file name = the name it was read under)."""
    fuzz_one(path.read_bytes(), path.name.split("__", 1)[-1], ocr_runs=path.suffix in (".png", ".jpg", ".tif"))


# --- the fuzz targets ---------------------------------------------------------------------------


def keep_regression(data: bytes, name: str, folder: Path | None = None) -> Path:
    """Save an input that broke a fuzz target where ``test_fuzz_regressions`` finds it, so the
    crash stays a regression test (commit the file with the fix, and a line in the README)."""
    import hashlib

    folder = folder or REGRESSIONS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"found_{hashlib.sha256(data).hexdigest()[:12]}__{name}"
    path.write_bytes(data)
    return path


def is_final_example() -> bool:
    """Hypothesis runs the shrunk failing example once more at the end, marked final: only
    that one is kept (not every failing input tried while shrinking)."""
    from hypothesis.control import current_build_context

    try:
        return bool(getattr(current_build_context(), "is_final", False))
    except Exception:  # outside a hypothesis run
        return True


def fuzz_budget_s(count: int) -> float:
    """This target's share of FUZZ_BUDGET_S, by its number of examples."""
    return FUZZ_BUDGET_S * count / sum(FUZZ_COUNTS.values())


def fuzz_test(fmt: str, count: int, strategy=None, ocr_runs: bool = False):
    """A fuzz target: ``count`` examples, but no longer than its share of FUZZ_BUDGET_S (the
    examples left when it is spent are drawn but not run, so CI time stays bounded on a slow
    machine). A failing input is kept in tests/fuzz_regressions/."""
    data_strategy = strategy if strategy is not None else mutated(SEEDS[fmt])
    budget = fuzz_budget_s(count)
    clock: dict[str, float] = {}

    @settings(FUZZ_SETTINGS, max_examples=examples(count))
    @given(data=data_strategy, name=st.sampled_from(NAMES[fmt]))
    def test(data, name):
        started = clock.setdefault("started", time.monotonic())
        if time.monotonic() - started > budget and not is_final_example():
            return
        try:
            fuzz_one(data, name, ocr_runs)
        except AssertionError:
            # the shrunk input, once per target and run; a failing seed is in the code already
            if is_final_example() and data not in SEEDS[fmt] and not clock.get("kept"):
                clock["kept"] = 1.0
                print(f"kept as a regression test: {keep_regression(data, name)}")
            raise

    for seed in SEEDS[fmt]:  # the unmutated seeds always run
        test = example(data=seed, name=NAMES[fmt][0])(test)
    # Pillow says what it skipped in a damaged TIFF ("Corrupt EXIF data") as warnings
    return pytest.mark.filterwarnings("ignore::UserWarning:PIL")(test)


test_fuzz_text = fuzz_test("txt", FUZZ_COUNTS["text"])
test_fuzz_html = fuzz_test("html", FUZZ_COUNTS["html"])
test_fuzz_docx_bytes = fuzz_test("docx", FUZZ_COUNTS["docx_bytes"])
test_fuzz_docx_xml = fuzz_test("docx", FUZZ_COUNTS["docx_xml"], strategy=mutated_docx())
test_fuzz_pdf = fuzz_test("pdf", FUZZ_COUNTS["pdf"])
test_fuzz_image_decoding = fuzz_test("image", FUZZ_COUNTS["image"], ocr_runs=True)
test_fuzz_legacy_sniffing = fuzz_test("doc", FUZZ_COUNTS["legacy"])


def test_fuzz_budget_is_at_most_60_seconds_in_all():
    assert sum(fuzz_budget_s(count) for count in FUZZ_COUNTS.values()) <= 60 * max(1.0, SCALE)


def test_a_failing_input_is_kept_as_a_regression(tmp_path):
    """What keep_regression saves is found and run by test_fuzz_regressions."""
    path = keep_regression(b"\xff\xfe\x00\xdc", "plan.txt", tmp_path)
    assert path.name.startswith("found_") and path.name.endswith("__plan.txt")
    assert path.read_bytes() == b"\xff\xfe\x00\xdc"
    assert path.name.split("__", 1)[-1] == "plan.txt"  # the name test_fuzz_regressions reads it under
    with mock.patch(f"{__name__}.REGRESSIONS", tmp_path):
        assert regression_files() == [path]
    assert fuzz_one(path.read_bytes(), "plan.txt") in ("read", *CONTRACT_CODES)


def test_seeds_are_valid_documents():
    """The seeds themselves read (a fuzzer mutating broken seeds would test little)."""
    with sandbox():
        for fmt, seeds in SEEDS.items():
            for seed in seeds:
                if fmt in ("image", "doc"):
                    continue  # these stop at OCR / the converter by design
                if fmt == "pdf" and seed == SEEDS["pdf"][2]:
                    continue  # the empty page: no text layer
                assert read_bytes(seed, NAMES[fmt][0]).blocks, (fmt, seed[:40])
    with sandbox():
        assert fuzz_one(SEEDS["doc"][1], "plan.doc") == ErrorCode.CONVERTER_MISSING.value
        assert fuzz_one(SEEDS["image"][0], "scan.png") == ErrorCode.NO_TEXT_LAYER.value
