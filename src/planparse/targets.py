"""Quantified commitments (CONTRACT §2 Target) in task texts.

``find_quantities`` finds, in Chinese and English text, a number (Arabic digits, Chinese
numerals through cn2an, English number words), optionally a range (`1—2期`, `2-3篇`,
`两三次`, `two to three`) or a percentage (`80%`, `百分之九十`, `95 percent`), followed by a
unit (`个`, `小时`, `篇`; in English the head noun of the words after the number:
`three large-scale trainings` → `trainings`). It leaves out what only looks like a
quantity: years and dates (`2020年`, `12月26日`, `March 8`), ordinals (`第一`, `8th`),
congress and plenary names (`十九大`, `三中全会`), festivals (`三八节`, `五一`), slogans
(`三个代表`, `八项规定`) and the article use of `一个`/`一种`.

Each quantity comes with the phrase it stands in — the clause up to the number (a few
characters or words back) and the noun after the unit — which becomes ``Target.text``.

The ``targets`` pipeline component runs this over every task of every plan and adds
Target records linked to the task, with spans into the normalised text (``doc.text``).
Word lists live in ``data/targets.json``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from .doc import Doc
from .pipeline import component
from .records import Target
from .regex_gate import gated
from .simplify import to_simplified

__all__ = ["Quantity", "find_quantities", "targets_of_task"]

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_CHARS = _CN_DIGITS + "十百千万"
_CN_VALUE = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_DELIMS = "，,；;。！!？?：:、\n\r\t（）()【】[]"
_ZH_CONTINUE_MAX = 8
_ZH_BACK_MAX = 12
_EN_BACK_WORDS = 4
_EN_CHUNK_WORDS = 5


@dataclass(frozen=True)
class Quantity:
    start: int  # the phrase, [start, end) in the given text
    end: int
    text: str
    quantity: float
    unit: str
    quantity_max: float | None = None
    number_start: int = 0  # where the number itself begins


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _num(value: float) -> float:
    """Integral values as int (196, not 196.0); JSON numbers either way."""
    return int(value) if float(value).is_integer() else value


@lru_cache(maxsize=1)
def _table() -> dict:
    from .tables import load_table

    return load_table("targets")


# --------------------------------------------------------------------------- Chinese

@lru_cache(maxsize=1)
def _zh() -> dict:
    t = _table()["zh"]
    arabic = r"\d+(?:,\d{3})*(?:\.\d+)?"
    cn = rf"[{_CN_CHARS}]+"
    num = rf"(?:{arabic}|{cn})"
    sep = _alt(t["range_separators"])
    units = _alt(t["units"])
    pct = _alt(t["percent_signs"])
    approx = _alt(t["approx_suffixes"])
    pattern = re.compile(
        rf"(?<![\d.,/:：A-Za-z{_CN_CHARS}第初届])"
        rf"(?:百分之(?P<pa>{num})(?:\s*(?:{sep})\s*(?:百分之)?(?P<pb>{num}))?"
        rf"|(?P<a>{num})(?:\s*(?P<sep>{sep})\s*(?P<b>{num}))?\s*(?P<approx>{approx})?\s*(?P<unit>{pct}|{units}))"
    )
    return {
        "pattern": pattern,
        "not_followed": dict(t["unit_not_followed_by_char"]),
        "one_units": set(t["one_needs_cue_units"]),
        "one_cues": re.compile(_alt(t["one_cues"])),
        "not_after_one": set(t["not_after_one"]),
        "stops": sorted(set(t["stop_phrases"]), key=len, reverse=True),
        "adverbs": frozenset(t["adverbs_before_a_word"]),
        "stop_after": tuple(t["stop_after"]),
        "unit_not_followed": tuple(t["unit_not_followed_by"]),
        "not_after_words": tuple(t["not_after_words"]),
        "percent": set(t["percent_signs"]),
        "year_like_counts": set(t["year_like_count_units"]),
        "quotes": {pair[0]: pair[1] for pair in t["quote_pairs"]},
        "quoted_max": t["quoted_name_max_chars"],
    }


@lru_cache(maxsize=4096)  # a plan repeats its numerals; cn2an is slow
def _zh_value(token: str) -> tuple[float, float | None] | None:
    """The value of a number as written. Two adjacent digit numerals are a range when
    consecutive (`两三次`, `三四个`) and no number otherwise (`三八`, `一二`, `十一五`)."""
    if re.fullmatch(r"[\d,.]+", token):
        try:
            return float(token.replace(",", "")), None
        except ValueError:
            return None
    if re.search(r"[一二两三四五六七八九]{2}", token):
        if len(token) == 2 and _CN_VALUE[token[1]] == _CN_VALUE[token[0]] + 1:
            return float(_CN_VALUE[token[0]]), float(_CN_VALUE[token[1]])
        return None
    try:
        import cn2an

        value = cn2an.cn2an(token, "smart")
    except Exception:  # cn2an raises its own ValueError subclasses for malformed numerals
        return None
    return float(value), None


def _zh_stopped(text: str, start: int, end: int, stops: list[str]) -> bool:
    """Does a stop phrase (`三个代表`) cover the number at ``start``?"""
    for phrase in stops:
        lo = max(0, start - len(phrase) + 1)
        k = text.find(phrase, lo, end + len(phrase))
        while k != -1 and k <= start:
            if k + len(phrase) > start:
                return True
            k = text.find(phrase, k + 1, end + len(phrase))
    return False


def _in_short_quote(text: str, start: int, end: int, quotes: dict[str, str], max_chars: int) -> bool:
    """Is text[start:end] inside a quotation of at most ``max_chars`` characters
    (“三个率先”, 《五项制度》)? A quote mark that opens and closes alike (") opens when an
    even number of them stand before it on its line."""
    for opening in range(start - 1, max(-1, start - max_chars - 1), -1):
        ch = text[opening]
        if ch == "\n" or (ch in quotes.values() and quotes.get(ch) != ch):
            return False  # a closing mark or a line break before any opening one
        if ch in quotes:
            if quotes[ch] == ch and text.count(ch, text.rfind("\n", 0, opening) + 1, opening) % 2:
                return False  # this " closes an earlier quotation
            closing = text.find(quotes[ch], end, opening + max_chars + 2)  # at most max_chars between the marks
            return closing != -1 and "\n" not in text[end:closing]
    return False


def _zh_quantities(text: str) -> list[Quantity]:
    z = _zh()
    out: list[Quantity] = []
    previous_end = 0
    for m in z["pattern"].finditer(text):
        if m.group("pa"):
            a_tok, b_tok, unit, unit_end = m.group("pa"), m.group("pb"), "%", m.end()
        else:
            a_tok, b_tok, unit, unit_end = m.group("a"), m.group("b"), m.group("unit"), m.end("unit")
        num_start = m.start()
        after = text[unit_end : unit_end + 1]
        if unit in z["not_followed"] and after and after in z["not_followed"][unit]:
            continue
        if text.startswith(z["stop_after"], m.end("a") if m.group("a") else m.end()):
            continue
        if text.startswith(z["unit_not_followed"], unit_end):  # 四个意识, 五种精神, 十项准则
            continue
        if _zh_stopped(text, num_start, unit_end, z["stops"]):
            continue
        if _in_short_quote(text, num_start, unit_end, z["quotes"], z["quoted_max"]):  # “三个率先”: a campaign's name
            continue
        if text[num_start:unit_end] in z["adverbs"] and _CJK.match(after):  # 十分重要: "very"
            continue
        if text[max(0, num_start - 4) : num_start].endswith(z["not_after_words"]):  # 范文八篇: a listing's title
            continue
        a = _zh_value(a_tok)
        if a is None:
            continue
        low, high = a
        if b_tok:
            b = _zh_value(b_tok)
            if b is None or b[1] is not None:
                continue
            high = b[0]
            if high <= low:
                continue
        # A year or a date never takes these units, but `2020-2021` ranges of years would.
        if 1900 <= low <= 2100 and float(low).is_integer() and not m.group("pa") and unit not in z["percent"] and unit not in z["year_like_counts"]:
            continue
        if a_tok == "一" and not b_tok:
            if text[num_start - 1 : num_start] in z["not_after_one"]:
                continue
            clause = num_start
            while clause > max(0, num_start - 8) and text[clause - 1] not in _ZH_DELIMS:
                clause -= 1
            if unit in z["one_units"] and not z["one_cues"].search(text, clause, num_start):
                continue
        start, end = _zh_phrase(text, num_start, unit_end, previous_end)
        previous_end = end
        out.append(Quantity(start, end, text[start:end], _num(low), unit, _num(high) if high is not None else None, num_start))
    return out


def _zh_phrase(text: str, num_start: int, unit_end: int, floor: int) -> tuple[int, int]:
    start = num_start
    while start > max(floor, num_start - _ZH_BACK_MAX) and text[start - 1] not in _ZH_DELIMS:
        start -= 1
    while start < num_start and text[start] in "和及与并、 ":
        start += 1
    end = unit_end
    while end < min(len(text), unit_end + _ZH_CONTINUE_MAX) and text[end] not in _ZH_DELIMS and not text[end].isdigit() and text[end] not in "和及与并":
        end += 1
    while end > unit_end and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------- English

@lru_cache(maxsize=1)
def _en() -> dict:
    t = _table()["en"]
    words = {k: v for k, v in t["number_words"].items()}
    units_small = [w for w, v in words.items() if 1 <= v <= 9 and " " not in w]
    tens = [w for w, v in words.items() if v in (20, 30, 40, 50, 60, 70, 80, 90)]
    tens_units = rf"(?:{_alt(tens)})-(?:{_alt(units_small)})"
    # `six thousand six hundred and sixty`: numbers under a hundred joined by scale words,
    # tried before a lone number word so that it is read whole, not in pieces
    below_100 = rf"(?:{tens_units}|{_alt([w for w, v in words.items() if v < 100 and ' ' not in w])})"
    scale = _alt(t["scale_words"])
    compound = rf"{below_100}(?:\s+(?:{scale})(?:(?:\s+and)?\s+{below_100})?)+"
    word_num = rf"(?:{compound}|{tens_units}|{_alt(words)})"
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    num = rf"(?:{digits}|{word_num})"
    sep = r"\s*(?:-|–|—|~)\s*|\s+(?:to|or)\s+"
    pct = r"\s?%|\s+per\s?cent\b"
    # gated: the engine cannot see behind the look-behind where a number may start
    pattern = gated(
        rf"(?<![\w.\-/:$£¥€'’])(?P<a>{num})(?:(?P<sep>{sep})(?P<b>{num}))?(?P<pct>{pct})?(?![\w\-]|\.\d)",
        re.I,
    )
    freq = rf"\s+(?:every|each|per|a|an|once\s+a)\s+(?:{_alt(t['frequency_words'])})\b"
    return {
        "pattern": pattern,
        "words": {k.lower(): v for k, v in words.items()},
        "scales": {k.lower(): v for k, v in t["scale_words"].items()},
        "stop": set(t["chunk_stop_words"]),
        "blacklist": set(t["unit_blacklist"]),
        "not_after": set(t["not_after_words"]),
        "idioms": tuple(t["idioms"]),
        "freq": re.compile(freq, re.I),
        "word": re.compile(r"\s*([A-Za-z][A-Za-z'’\-]*)"),
    }


def _en_value(token: str, words: dict[str, int], scales: dict[str, int] | None = None) -> float | None:
    token = token.strip().lower()
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", token):
        return float(token.replace(",", ""))
    token = re.sub(r"\s+", " ", token)
    if token in words:
        return float(words[token])
    if scales and " " in token:
        return _en_compound(token.split(" "), words, scales)
    if "-" in token:
        tens, ones = token.split("-", 1)
        if tens in words and ones in words:
            return float(words[tens] + words[ones])
    return None


def _en_compound(parts: list[str], words: dict[str, int], scales: dict[str, int]) -> float | None:
    """`six thousand six hundred and sixty` → 6660: a scale under a thousand (hundred)
    multiplies the group before it; a thousand or a million closes the group."""
    total = current = 0
    for part in parts:
        if part == "and":
            continue
        if part in scales and scales[part] < 1000:
            current *= scales[part]
        elif part in scales:
            total, current = total + current * scales[part], 0
        else:
            value = _en_value(part, words)
            if value is None:
                return None
            current += int(value)
    return float(total + current)


def _en_quantities(text: str) -> list[Quantity]:
    e = _en()
    out: list[Quantity] = []
    previous_end = 0
    for m in e["pattern"].finditer(text):
        a_tok, b_tok = m.group("a"), m.group("b")
        low = _en_value(a_tok, e["words"], e["scales"])
        if low is None:
            continue
        high = _en_value(b_tok, e["words"], e["scales"]) if b_tok else None
        if b_tok and (high is None or high <= low):
            continue
        before = re.findall(r"[A-Za-z.']+", text[max(0, m.start() - 30) : m.start()])
        if before and before[-1].lower() in e["not_after"]:
            continue
        lowered = text[m.start() :].lower()
        if lowered.startswith(e["idioms"]):
            continue
        is_word = not a_tok[0].isdigit()
        if is_word and a_tok[0].isupper() and m.start() > 0 and not re.search(r"(?:^|[.!?:;\n]\s*)$", text[: m.start()]):
            nxt = e["word"].match(text, m.end())
            if nxt and nxt.group(1)[0].isupper():  # "the Three Represents", "Two Sessions"
                continue
        if m.group("pct"):
            unit, unit_end = m.group("pct").strip(), m.end()
        else:
            if not is_word and float(low).is_integer() and 1900 <= low <= 2100 and "," not in a_tok:
                continue  # a year
            chunk: list[tuple[str, int, int]] = []
            pos = m.end()
            while len(chunk) < _EN_CHUNK_WORDS:
                w = e["word"].match(text, pos)
                if not w or w.group(1).lower() in e["stop"] or "\n" in text[pos : w.start(1)]:
                    break
                chunk.append((w.group(1), w.start(1), w.end(1)))
                pos = w.end()
            if not chunk or chunk[0][0].lower() in e["blacklist"]:
                continue
            pick = _en_head(chunk, plural=(high is not None or low != 1))
            unit, unit_end = pick[0], pick[2]
            if unit.lower().strip("'’") in e["blacklist"] or len(unit) < 2:
                continue
        freq = e["freq"].match(text, unit_end)
        end = freq.end() if freq else unit_end
        start = _en_phrase_start(text, m.start(), previous_end)
        previous_end = end
        out.append(Quantity(start, end, text[start:end], _num(low), unit, _num(high) if high is not None else None, m.start()))
    return out


def _en_head(chunk: list[tuple[str, int, int]], plural: bool) -> tuple[str, int, int]:
    """The head noun of the words after a number: the first plural for a count above one
    (`three large-scale trainings for`), else the last word before a verb-like `-s` word."""
    def is_plural(w: str) -> bool:
        w = w.lower().rstrip("'’")
        return len(w) > 2 and (w.endswith("s") and not w.endswith(("ss", "us", "is")) or w in ("people", "children", "staff", "personnel", "men", "women"))

    if plural:
        for k, item in enumerate(chunk):
            if is_plural(item[0]):
                while k + 1 < len(chunk) and is_plural(chunk[k + 1][0]):  # "skills competitions"
                    k += 1
                return chunk[k]
        return chunk[-1]
    for k, item in enumerate(chunk):
        if k > 0 and is_plural(item[0]):
            return chunk[k - 1]
    return chunk[-1]


def _en_phrase_start(text: str, num_start: int, floor: int) -> int:
    start = num_start
    words = 0
    for w in reversed(list(re.finditer(r"[A-Za-z'’\-]+", text[max(floor, num_start - 60) : num_start]))):
        gap = text[max(floor, num_start - 60) + w.end() : start]
        if re.search(r"[,;:.!?()\n\"“”]", gap) or w.group().lower() in ("and", "or", "but", "while", "which", "that", "so"):
            break
        if words == _EN_BACK_WORDS:
            break
        start = max(floor, num_start - 60) + w.start()
        words += 1
    return start


# ----------------------------------------------------------------------------- API

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def find_quantities(text: str) -> list[Quantity]:
    """Quantified phrases in ``text`` (Chinese and English), in text order. ``text`` should be
    NFKC-normalised, as ``doc.text`` is; offsets index the string given."""
    found: list[Quantity] = []
    if _CJK.search(text) or "%" in text:
        found.extend(_zh_quantities(text))
    if _LATIN.search(text):
        taken = {q.number_start for q in found}
        found.extend(q for q in _en_quantities(text) if q.number_start not in taken)
    return sorted(found, key=lambda q: (q.number_start, q.start))


def targets_of_task(task, doc_text: str | None = None, traditional: bool = False) -> list[Target]:
    """Target records for one task; spans index ``doc_text`` (found inside the task's span).
    In a ``traditional``-script plan the units are read in the simplified text (項 is 项),
    and each phrase is kept as written."""
    text = unicodedata.normalize("NFKC", task.text)
    probe = to_simplified(text) if traditional else text
    if len(probe) != len(text):  # offsets must carry over; the text as written then
        probe = text
    out: list[Target] = []
    cursor = task.span[0] if task.span else 0
    for q in find_quantities(probe):
        q = replace(q, text=text[q.start : q.end])
        span = None
        if doc_text is not None and task.span:
            k = doc_text.find(q.text, cursor, task.span[1])
            if k == -1:
                k = doc_text.find(q.text, task.span[0], task.span[1])
            if k != -1:
                span = (k, k + len(q.text))
                cursor = k
        out.append(Target(text=q.text, quantity=q.quantity, unit=q.unit, task_id=task.task_id, quantity_max=q.quantity_max, span=span))
    return out


@component("targets")
def targets(doc: Doc) -> Doc:
    for draft in doc.drafts:
        for task in draft.tasks:
            draft.targets.extend(targets_of_task(task, doc.text, traditional=doc.traditional))
    return doc
