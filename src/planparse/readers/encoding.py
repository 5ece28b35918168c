"""Decode bytes of unknown encoding: UTF-8 (with or without BOM), UTF-16/32, GB18030, Big5, ...

The order of guesses matters: a BOM is certain; a strict UTF-8 decode almost never
succeeds by accident; UTF-16 without BOM shows as NUL bytes in one column; only then is
charset-normalizer asked, and a Chinese answer is checked against how common the decoded
characters are, because short GBK and Big5 texts are often mistaken for each other.
"""
from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from ..errors import ErrorCode, PlanparseError

BOMS: tuple[tuple[bytes, str], ...] = (  # longest first: the UTF-32 LE BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# charset-normalizer / WHATWG names -> the codec we record and decode with. GBK and
# GB2312 are subsets of GB18030, so GB18030 decodes everything they do and more.
CANONICAL_CODECS: dict[str, str] = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "gb18030",
    "euc_cn": "gb18030", "gb18030": "gb18030",
    "big5": "big5", "cp950": "cp950", "big5hkscs": "big5hkscs",
    "utf_8": "utf-8", "utf_8_sig": "utf-8-sig", "ascii": "utf-8",
    "utf_16": "utf-16", "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be",
    "utf_32": "utf-32", "utf_32_le": "utf-32-le", "utf_32_be": "utf-32-be",
}
CHINESE_CODECS = ("gb18030", "big5", "cp950", "big5hkscs")
# Sample sizes keep detection fast on big files; the whole text is decoded afterwards.
SNIFF_BYTES = 64 * 1024
COMMONNESS_SAMPLE = 2000
# Share of characters that may be control/unassigned/replacement before bytes count as no text.
MAX_GARBAGE_SHARE = 0.05
ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def canonical_codec(name: str) -> str:
    key = codecs.lookup(name).name.replace("-", "_")
    return CANONICAL_CODECS.get(key, key.replace("_", "-"))


def decodes_strictly(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without BOM has its ASCII characters' zero bytes all in one column."""
    sample = data[:SNIFF_BYTES]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    nuls = even_nuls + odd_nuls
    if len(sample) < 4 or nuls < max(2, len(sample) // 200):
        return None
    if odd_nuls >= 0.9 * nuls:
        candidate = "utf-16-le"
    elif even_nuls >= 0.9 * nuls:
        candidate = "utf-16-be"
    else:
        return None
    usable = len(data) - len(data) % 2
    return candidate if decodes_strictly(data[:usable], candidate) else None


def hanzi_commonness(text: str, encoding: str) -> float:
    """Share of the CJK ideographs in ``text`` that are frequent ones in ``encoding``'s
    own ordering: GB2312 level 1 (lead bytes B0-D7) or Big5's frequent block (A4-C6).
    Text decoded with the wrong one of the two is full of rare characters."""
    in_gb = encoding == "gb18030"
    seen = common = 0
    for char in text:
        if not "\u4e00" <= char <= "\u9fff":
            continue
        seen += 1
        try:
            lead = char.encode("gb2312" if in_gb else "big5")[0]
        except UnicodeEncodeError:
            continue
        common += (0xB0 <= lead <= 0xD7) if in_gb else (0xA4 <= lead <= 0xC6)
        if seen >= COMMONNESS_SAMPLE:
            break
    return common / seen if seen else 0.0


def best_chinese_codec(data: bytes) -> str | None:
    """Of the Chinese codecs that decode the bytes strictly, the one whose text reads most common."""
    sample = data[:SNIFF_BYTES]
    scored = []
    for encoding in CHINESE_CODECS:
        if decodes_strictly(data, encoding):
            text = sample.decode(encoding, errors="ignore")
            family = "gb18030" if encoding == "gb18030" else "big5"
            scored.append((hanzi_commonness(text, family), encoding))
            if family == "big5":
                break  # big5 decoded: its supersets would read the same
    if not scored:
        return None
    score, encoding = max(scored, key=lambda pair: pair[0])
    return encoding if score >= 0.5 else None


def guess_encoding(data: bytes) -> str | None:
    """The encoding that decodes ``data`` strictly and reads best, or None if none does."""
    found = bom_encoding(data) or utf16_without_bom(data)
    if found:
        return found
    if decodes_strictly(data, "utf-8"):
        return "utf-8"
    chinese = best_chinese_codec(data)
    if chinese:
        return chinese
    match = from_bytes(data[:SNIFF_BYTES]).best()
    if match is not None:
        encoding = canonical_codec(match.encoding)
        if decodes_strictly(data, encoding):
            return encoding
    return None


def decode_mixed_lines(data: bytes) -> Decoded:
    """Bytes no codec decodes whole: files pasted together from UTF-8 and GBK parts.
    Each line gets the first codec that decodes it; what is left is replaced."""
    counts = {"utf-8": 0, "gb18030": 0, "replaced": 0}
    lines = []
    for raw_line in data.split(b"\n"):
        for encoding in ("utf-8", "gb18030"):
            try:
                lines.append(raw_line.decode(encoding))
                counts[encoding] += raw_line.strip() != b""
                break
            except UnicodeDecodeError:
                continue
        else:
            lines.append(raw_line.decode("utf-8", errors="replace"))
            counts["replaced"] += 1
    main = "utf-8" if counts["utf-8"] >= counts["gb18030"] else "gb18030"
    other = "gb18030" if main == "utf-8" else "utf-8"
    warnings = ["the bytes do not decode in any one encoding; decoded line by line "
                f"({counts[main]} lines {main}, {counts[other]} lines {other}, "
                f"{counts['replaced']} lines with undecodable bytes replaced)"]
    return Decoded("\n".join(lines), main, warnings)


def garbage_share(text: str) -> float:
    """Share of characters that no text contains: controls, unassigned, private use, U+FFFD."""
    if not text:
        return 0.0
    # Counting distinct characters first (in C) leaves a few thousand to classify, not every one.
    bad = 0
    for char, count in Counter(text).items():
        if char == "\ufffd" or (char not in ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs")):
            bad += count
    return bad / len(text)


def trusted_declaration(data: bytes, declared: str | None) -> str | None:
    """The declared charset, unless the bytes say otherwise. Pages re-saved as UTF-8 often
    keep their old ``gb2312`` meta, and bytes that decode as UTF-8 are UTF-8; a Western
    single-byte declaration decodes anything, so it loses to a convincing Chinese reading."""
    if not declared:
        return None
    try:
        encoding = canonical_codec(declared)
    except LookupError:
        return None
    if not decodes_strictly(data, encoding):
        return None
    if not encoding.startswith("utf") and decodes_strictly(data, "utf-8"):
        return "utf-8"
    if encoding.startswith("utf") or encoding in CHINESE_CODECS or best_chinese_codec(data) is None:
        return encoding
    return None


def decode_with(data: bytes, encoding: str) -> Decoded:
    """Decode with the encoding a BOM or the guess gave. A BOM is no promise that every
    byte after it is valid (a broken surrogate, an odd last byte of UTF-16, GBK lines after
    a UTF-8 BOM): such bytes are replaced, or a UTF-8 file is decoded line by line."""
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as err:
        if encoding == "utf-8-sig":
            return decode_mixed_lines(data[len(codecs.BOM_UTF8):])
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        return Decoded(text, encoding, [f"the file is {encoding} but {bad} character(s) could not be decoded "
                                        f"({err.reason}) and were replaced by U+FFFD"])


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode text bytes; ``declared`` (an HTML meta charset) is used when it decodes strictly.

    Raises ``not_a_document`` when the bytes are no text in any encoding.
    """
    encoding = bom_encoding(data) or trusted_declaration(data, declared) or guess_encoding(data)
    decoded = decode_with(data, encoding) if encoding else decode_mixed_lines(data)
    if garbage_share(decoded.text[:SNIFF_BYTES]) > MAX_GARBAGE_SHARE:
        raise PlanparseError(
            ErrorCode.NOT_A_DOCUMENT,
            "these bytes are not text in any encoding (binary data: control characters and "
            "undecodable bytes); is the file really a text document?",
        )
    return decoded
