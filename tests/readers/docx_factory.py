"""Build .docx test files with python-docx, including real Word auto-numbering."""
from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# The numbering of a Chinese office plan: 一、 / （一） / 1、
OFFICE_ABSTRACT = f"""
<w:abstractNum {W_NS} w:abstractNumId="20">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3、"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3.%4"/></w:lvl>
</w:abstractNum>"""


def abstract_num(abstract_id: int, levels: list[tuple[str, str, int]]) -> str:
    """An abstractNum with (numFmt, lvlText, start) per level."""
    body = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    return f'<w:abstractNum {W_NS} w:abstractNumId="{abstract_id}">{body}</w:abstractNum>'


def num(num_id: int, abstract_id: int, start_overrides: dict[int, int] | None = None) -> str:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for level, start in (start_overrides or {}).items()
    )
    return f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def add_numbering(document: docx.document.Document, *definitions: str) -> None:
    """Put abstractNum/num definitions into numbering.xml (abstractNums must come first)."""
    numbering = document.part.numbering_part.element
    for definition in definitions:
        element = parse_xml(definition)
        if element.tag.endswith("abstractNum"):
            first_num = numbering.find(f"{{{element.nsmap['w']}}}num")
            if first_num is not None:
                first_num.addprevious(element)
                continue
        numbering.append(element)


def numbered(document: docx.document.Document, text: str, num_id: int, level: int, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def add_table(document: docx.document.Document, header: list[str], rows: list[list[str | list[str]]]) -> None:
    """A Word table: the header row, then ``rows``; a cell given as a list holds one
    paragraph per item (as a month's activities are often typed)."""
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            paragraphs = [value] if isinstance(value, str) else value
            cell.text = paragraphs[0]
            for paragraph in paragraphs[1:]:
                cell.add_paragraph(paragraph)


def to_pdf(soffice: str, path: Path) -> Path:
    """``path`` printed to PDF by LibreOffice, beside it (a private profile: runs in parallel)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={Path(profile).as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
                       check=True, capture_output=True, timeout=120)
    return path.with_suffix(".pdf")


def to_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite_part(data: bytes, part: str, change) -> bytes:
    """The .docx with one part's XML text passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()
