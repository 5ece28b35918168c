"""Time expressions that name months, in Chinese and English plan text.

``find_month_mentions`` finds every expression (`三月份`, `一至二月份`, `七、八月份`,
`第一季度`, `上半年`, `三八节`, `From January to February`, `Q1`, ...) with its
character span and the months it names; ``months_in`` is their union (for
``task.months``); ``leading_month_label`` recognises a schedule label at the start of a
line (`三月份：`, `【五月】`, `9, one, two months`) so the rest of the line can be read as
activities.

All word lists and most patterns live in ``data/months.json``; this module compiles
them once, on first use. The functions are pure: text in, mentions out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .memo import per_document
from .regex_gate import LiteralFilter, first_char_test, fold_for_filters, literal_filter
from .tables import load_table

__all__ = [
    "KINDS",
    "MonthMention",
    "find_month_mentions",
    "leading_month_label",
    "months_in",
    "split_month_label",
    "trailing_month_mention",
]

KINDS = ("month", "range", "list", "festival", "quarter", "half", "season", "relative")


@dataclass(frozen=True)
class MonthMention:
    start: int  # char offsets into the given text, [start, end)
    end: int
    when: str  # the time expression as written, text[start:end]
    months: tuple[int, ...]  # sorted unique 1..12
    kind: str  # one of KINDS


# A candidate before overlap resolution: (start, end, months, kind).
_Cand = tuple[int, int, tuple[int, ...], str]
_Handler = Callable[[re.Match, str], "list[_Cand] | None"]

_PRIORITY = {"festival": 0, "month": 1, "range": 1, "list": 1, "quarter": 2, "half": 2, "relative": 3, "season": 4}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _alt(words) -> str:
    """Regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _cls(chars: str) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def _gated(first: str, pattern: str) -> re.Pattern:
    """Compile ``pattern`` behind a look-ahead for the characters a match can start with:
    the regex engine then skips other positions at once (10x faster on long text)."""
    return re.compile(rf"(?={_cls(first)})(?:{pattern})")


_DIGITS = "0123456789"
_QUOTES = "“\"‘'「『《"


def _trie(words, tok: Callable[[str], str] = re.escape) -> str:
    """A prefix-tree regex for literal words (``tok`` turns one character into regex):
    much faster than a flat alternation of many names."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [tok(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        optional = "" in node
        body = alts[0] if len(alts) == 1 and not optional else "(?:" + "|".join(alts) + ")"
        return body + ("?" if optional else "")

    return emit(root) or "(?!)"


def _en_tok(ch: str) -> str:
    return {"'": "['’]?", " ": r"\s+", "-": r"[-\s]?"}.get(ch, re.escape(ch))


def _initials(words) -> str:
    """First letters of words, in both cases (for ``_gated``)."""
    return "".join({w[0].lower() + w[0].upper() for w in words if w})


def _regex_initials(rx: str) -> str:
    """First letters of a data regex made of alternatives that each open with a word or
    with `(?:a|b|c)`."""
    parts, depth, cur = [], 0, ""
    for ch in rx:
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    parts.append(cur)
    out = ""
    for part in parts:
        m = re.match(r"\(\?:([^()]*)\)", part)
        out += _initials(m.group(1).split("|")) if m else _initials([part])
    return out


def _span(a: int, b: int) -> tuple[int, ...]:
    """Months a..b inclusive, wrapping over the new year (11..2 → 11, 12, 1, 2)."""
    if a <= b:
        return tuple(range(a, b + 1))
    return tuple(range(a, 13)) + tuple(range(1, b + 1))


def _norm(months) -> tuple[int, ...]:
    return tuple(sorted({m for m in months if 1 <= m <= 12}))


def _valid_sequence(nums: list[int]) -> bool:
    """A list of month numbers reads as a list when it rises (one wrap 11/12 → 1/2 allowed);
    `5、3月` is an item number and a month, not a list."""
    wrapped = False
    for a, b in zip(nums, nums[1:]):
        if b > a:
            continue
        if not wrapped and a >= 11 and b <= 2:
            wrapped = True
            continue
        return False
    return True


@lru_cache(maxsize=1)
def _table() -> dict:
    return load_table("months")


@lru_cache(maxsize=1)
def _zh_patterns() -> list[tuple[re.Pattern, _Handler]]:  # noqa: C901 - the table turned into patterns
    t = _table()
    zt = t["zh"]
    numerals: dict[str, int] = dict(zt["numerals"])
    named: dict[str, int] = dict(zt["named_months"])
    num_cjk = _alt(numerals)
    num_dig = r"1[0-2]|0?[1-9]"
    NUM = rf"(?:{num_cjk}|{num_dig})"
    NUMC = rf"(?:{num_cjk})"
    NUMD = rf"(?:{num_dig})(?!\d)"
    NAMED = rf"(?:{_alt(named)})(?!{_cls(zt['named_not_followed_by'])})"
    CORE = rf"(?:{NUM}\s?月(?:份)?|{NAMED}(?:份)?)"
    YEAR = rf"(?:{zt['year_prefix_regex']})"
    DAY = rf"(?:{zt['day_regex']})"
    MOD = rf"(?:{_alt(zt['modifiers'])})"
    UNIT = rf"(?:{YEAR})?{CORE}(?:{DAY})?(?:{MOD})?"
    NOTPRE = rf"(?<!{_cls(zt['month_not_preceded_by'])})"
    RSEP = rf"(?:{_alt(zt['range_separators'])})"
    LSEP = rf"(?:{_alt(zt['list_separators'])})"
    NEXT = rf"(?:{_alt(zt['next_year_words'])})"
    end_rel: dict[str, int] = dict(zt["range_end_relative"])
    start_rel: dict[str, int] = dict(zt["range_start_relative"])
    bare_after = re.compile(zt["month_not_followed_by_regex"])
    year_words = re.findall(r"[\u4e00-\u9fff]{2}", zt["year_prefix_regex"])
    START = _DIGITS + "".join(numerals) + "".join(k[0] for k in named) + "〇零○xX×年" + "".join(w[0] for w in year_words)
    bare_stop = set(zt["bare_start_stopwords"])

    year_re = re.compile(rf"\s*{YEAR}\s*(?:{NEXT})?\s*")
    named_start = re.compile(rf"\s*({_alt(named)})")
    num_start = re.compile(rf"\s*({num_cjk}|{num_dig})")
    lsep_re = re.compile(rf"\s*{LSEP}\s*")

    def zh_month_of(s: str) -> int | None:
        """The month a unit names: `2021年3月份` → 3, `仲春份` → 2, `七` → 7."""
        if s in start_rel:
            return start_rel[s]
        if s in end_rel:
            return end_rel[s]
        m = year_re.match(s)
        if m and m.end():
            s = s[m.end():]
        m = named_start.match(s)
        if m:
            return named[m.group(1)]
        m = num_start.match(s)
        if m:
            tok = m.group(1)
            return numerals[tok] if tok in numerals else int(tok)
        return None

    def bare_start_ok(text: str, start: int, token: str, end_text: str) -> bool:
        """A bare numeral opening a range (`一至二月份`): not the tail of a word (统一至三月)
        and in the same script as the end (`一至3月` is not written)."""
        if start > 0 and text[start - 1] + token in bare_stop:
            return False
        end_cjk = not re.search(r"\d", end_text.split("月")[0]) if end_text else True
        return bool(_CJK.match(token)) == end_cjk

    zh: list[tuple[re.Pattern, _Handler]] = []

    # 一至二月份, 1-2月, 七月份至八月份, 2020年12月至2021年2月, 3月1日至15日, 3月至年底
    range_re = _gated(
        START,
        rf"{NOTPRE}(?P<a>(?<![学财周])年初|(?:{YEAR})?(?:{CORE}(?:{DAY})?(?:{MOD})?|(?P<abare>{NUM})))"
        rf"\s*{RSEP}\s*(?:{NEXT})?\s*"
        rf"(?:(?P<b>(?:{YEAR})?{CORE}(?:{DAY})?(?:{MOD})?|{_alt(end_rel)})|(?P<bday>{DAY})(?:{MOD})?)"
    )

    def on_range(m: re.Match, text: str):
        a_txt = m.group("a")
        if m.group("abare") is not None:
            if m.group("bday") is not None:
                return None
            if not bare_start_ok(text, m.start("abare"), m.group("abare"), m.group("b") or ""):
                return None
        a = zh_month_of(a_txt)
        if a is None:
            return None
        if m.group("bday") is not None:
            return [(m.start(), m.end(), (a,), "month")]
        b = zh_month_of(m.group("b"))
        if b is None:
            return None
        if a == b:
            return [(m.start(), m.end(), (a,), "month")]
        return [(m.start(), m.end(), _norm(_span(a, b)), "range")]

    zh.append((range_re, on_range))

    # 七、八月份, 3、4月, 4、5、6月份 (one script per list)
    def on_num_list(m: re.Match, text: str):
        toks = [x for x in lsep_re.split(m.group("nums")) if x]
        nums = [numerals[x] if x in numerals else int(x) for x in toks]
        if len(nums) < 2 or not _valid_sequence(nums):
            return None
        return [(m.start(), m.end(), _norm(nums), "list")]

    for NUMX in (NUMC, NUMD):
        zh.append((_gated(START, rf"{NOTPRE}(?:{YEAR})?(?P<nums>{NUMX}(?:\s*{LSEP}\s*{NUMX})+)\s?月(?:份)?"), on_num_list))

    # 七八月份, 三四月 (adjacent numerals: consecutive months only)
    adj_re = _gated(START, rf"{NOTPRE}(?:{YEAR})?(?P<a>{NUMC})(?P<b>{NUMC})月(?:份)?")

    def on_adjacent(m: re.Match, text: str):
        a, b = numerals[m.group("a")], numerals[m.group("b")]
        if b != a + 1:
            return None
        return [(m.start(), m.end(), (a, b), "list")]

    zh.append((adj_re, on_adjacent))

    # 3月、4月, 一月份和二月份
    full_list_re = _gated(START, rf"{NOTPRE}{UNIT}(?:\s*{LSEP}\s*{UNIT})+")

    def on_full_list(m: re.Match, text: str):
        months = [zh_month_of(x) for x in lsep_re.split(m.group()) if x]
        if None in months:
            return None
        kind = "list" if len(set(months)) > 1 else "month"
        return [(m.start(), m.end(), _norm(months), kind)]

    zh.append((full_list_re, on_full_list))

    # 三月份, 3月, 2021年3月, 2020年12月26日, 3月中旬, 玄月份
    unit_re = _gated(START, rf"{NOTPRE}{UNIT}")

    def on_unit(m: re.Match, text: str):
        s = m.group()
        if s.endswith("月") and bare_after.match(text, m.end()):
            return None
        month = zh_month_of(s)
        return None if month is None else [(m.start(), m.end(), (month,), "month")]

    zh.append((unit_re, on_unit))

    # 第一季度, 一季度, 1季度, 一、二季度, 一至三季度, 四季度末, 前三季度
    qnum: dict[str, int] = dict(zt["quarter_numerals"])
    QN = rf"(?:{_alt(qnum)})"
    q_notpre = _cls(zt["month_not_preceded_by"].replace("第", ""))
    quarter_re = _gated(
        "第" + "".join(qnum),
        rf"(?<!{q_notpre})(?:第)?(?P<q>{QN}(?:\s*(?:{LSEP}|{RSEP})\s*(?:第)?{QN})*)\s*(?:个)?季度(?P<mod>末|底|初)?"
    )
    q_tok = re.compile(QN)
    rsep_re = re.compile(RSEP)

    def on_quarter(m: re.Match, text: str):
        qs = [qnum[x] for x in q_tok.findall(m.group("q"))]
        if rsep_re.search(m.group("q")) and len(qs) == 2:
            qs = list(range(qs[0], qs[1] + 1))
        months = [3 * q - 2 + i for q in qs for i in range(3)]
        if m.group("mod") and len(qs) == 1:
            months = [3 * qs[0]] if m.group("mod") in "末底" else [3 * qs[0] - 2]
        return [(m.start(), m.end(), _norm(months), "quarter")]

    zh.append((quarter_re, on_quarter))
    first_n_re = re.compile(zt["quarter_first_n_regex"])

    def on_first_n(m: re.Match, text: str):
        n = {"两": 2, "二": 2, "三": 3}.get(m.group(1)) or int(m.group(1))
        return [(m.start(), m.end(), tuple(range(1, 3 * n + 1)), "quarter")]

    zh.append((first_n_re, on_first_n))

    def literal(table: dict[str, list[int]], kind: str, pre: str = "", post: str = ""):
        if not table:
            return None
        pat = _gated("".join(k[0] for k in table), rf"{pre}(?:{_alt(table)}){post}")
        lookup = {k: _norm(v) for k, v in table.items()}
        return pat, (lambda m, text: [(m.start(), m.end(), lookup[m.group()], kind)])

    zh.append(literal(zt["halves"], "half"))
    zh.append(literal(zt["relative"], "relative", rf"(?<!{_cls(zt['relative_not_preceded_by'])})",
                      rf"(?!{_cls(zt['relative_not_followed_by'])})"))
    zh.append(literal(zt["seasons"], "season"))

    zh.append(_festival_pattern("zh"))
    return [p for p in zh if p]


def _fest_key(s: str) -> str:
    return re.sub(r"[\s'’·・•.．\-]+", "", s).lower()


@lru_cache(maxsize=2)
def _festival_pattern(lang: str) -> tuple[re.Pattern, _Handler]:
    t = _table()
    fests = t["festivals"]
    ctx_after = re.compile(t["festival_context_after_regex"][lang])  # used with match(text, pos): no ^
    honour_after = re.compile(t["festival_honour_after_regex"][lang])
    fest_key = _fest_key
    names: dict[str, tuple[int, ...]] = {}
    name_rx: list[tuple[re.Pattern, tuple[int, ...]]] = []
    shorts: dict[str, tuple[tuple[int, ...], bool]] = {}
    short_pats: list[str] = []
    for f in fests:
        months = _norm(f["months"])
        for n in f.get(lang, []):
            names[fest_key(n)] = months
        for rx in f.get(f"{lang}_regex", []):
            name_rx.append((re.compile(rx), months))
        for key, needs in ((f"{lang}_short", False), (f"{lang}_ctx", True)):
            for s in f.get(key, []):
                shorts[fest_key(s)] = (months, needs)
                # 三八 / 3·8 also match 三·八, 3・8, 38 and 3.8 (the last two need context).
                parts = re.split(r"[·・•]", s)
                if len(parts) == 1 and len(s) == 2 and _CJK.match(s):
                    parts = list(s)
                short_pats.append(r"\s*[·・•.．]?\s*".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts))
    lits = sorted({n for f in fests for n in f.get(lang, [])}, key=lambda w: (-len(w), w))
    if lang == "en":
        name_alt = _trie({n.lower() for n in lits}, _en_tok)
        exact = sorted({n for f in fests for n in f.get("en_exact", [])}, key=len, reverse=True)
        for f in fests:
            for n in f.get("en_exact", []):
                names[fest_key(n)] = _norm(f["months"])
        exact_alt = _trie(exact, _en_tok)
        lits += exact
        NAMES = rf"(?<![A-Za-z])(?:(?i:{name_alt})|{exact_alt})(?![A-Za-z])"
        generic = r"Festival|festival"
        short_alt = "|".join(sorted(short_pats, key=len, reverse=True))
        SHORT = rf"(?<![A-Za-z0-9.])(?:{short_alt})(?![A-Za-z0-9]|\.\d)"
        joiner = r"\s+"
    else:
        name_alt = "|".join([_trie(lits)] + [rx.pattern for rx, _ in name_rx])
        NAMES = rf"(?:{name_alt})"
        generic = "节"
        short_alt = "|".join(sorted(short_pats, key=len, reverse=True))
        SHORT = rf"(?:{short_alt})"
        joiner = r"\s*"
    first = _QUOTES + _initials(lits) + "".join(rx.pattern[0] for rx, _ in name_rx)
    first += "".join(s[0] for f in fests for key in (f"{lang}_short", f"{lang}_ctx") for s in f.get(key, []))
    body = (
        rf"(?P<q1>[“\"‘'「『《]?)(?P<short>{SHORT})(?P<q2>[”\"’'」』》]?)(?P<name>{joiner}(?:{NAMES}|{generic}))?"
        rf"|(?P<name2>{NAMES})"
    )
    if lang == "en":
        # An English match opens with a quote or at a word start (SHORT and NAMES sit behind
        # `(?<![A-Za-z])`): testing only there skips most positions of a sentence.
        pat = re.compile(rf"(?:(?={_cls(_QUOTES)})|(?<![A-Za-z])(?={_cls(first)}))(?:{body})")
    else:
        pat = _gated(first, body)
    numeral_chars = "0123456789零〇一二三四五六七八九十百千万亿两"
    bad_before = set(numeral_chars + "第.")
    bad_after = set(numeral_chars + "个届次号条位名项点%月年日")

    def name_months(s: str) -> tuple[int, ...] | None:
        k = fest_key(s)
        if k in names:
            return names[k]
        for rx, months in name_rx:
            if rx.fullmatch(s.strip()):
                return months
        return None

    def on_festival(m: re.Match, text: str):
        if honour_after.match(text, m.end()):
            return None  # 五一劳动奖章, 三八红旗手: an honour's name, no date
        if m.group("name2") is not None:
            months = name_months(m.group("name2"))
            return None if months is None else [(m.start(), m.end(), months, "festival")]
        s0, s1 = m.span("short")
        short = m.group("short")
        months, needs = shorts[fest_key(short)]
        if lang == "zh":
            if s0 > 0 and text[s0 - 1] in bad_before:
                return None
            if not m.group("q2") and s1 < len(text) and (
                text[s1] in bad_after or (text[s1] == "." and text[s1 + 1: s1 + 2].isdigit())
            ):
                return None
        if not re.search(r"[A-Za-z\u4e00-\u9fff]", short):
            # a digit form stands alone only with a middle dot (3·8); 38 and 3.8 need context
            needs = not re.search(r"[·・•]", short)
        quoted = bool(m.group("q1")) and bool(m.group("q2"))
        name = m.group("name")
        if needs and not quoted and not name and not ctx_after.match(text, m.end("q2")):
            return None
        if name:
            nm = name_months(name.strip())
            if nm is not None:
                months = nm
            # `“三八”妇女节` keeps its quotes; a bare quoted `"March 8th"` is read without them.
            return [(m.start() if quoted else s0, m.end(), months, "festival")]
        return [(s0, s1, months, "festival")]

    return pat, on_festival



@lru_cache(maxsize=1)
def _en_patterns() -> tuple[list[tuple[re.Pattern, _Handler]], list[tuple[re.Pattern, _Handler]]]:
    """English patterns, and the label-only ones (`one to two months`)."""
    et = _table()["en"]
    en_months: dict[str, int] = {}
    month_alts: list[str] = []
    for name, num in et["months"].items():
        bare = name.rstrip(".")
        en_months[bare] = num
        abbreviation = any(k != name and k.startswith(bare) for k in et["months"])
        if name.endswith("."):
            month_alts.append(re.escape(bare) + r"\.")
        elif abbreviation:
            month_alts.append(re.escape(name) + r"\b\.?")
        else:
            en_months[name.upper()] = num
            month_alts += [re.escape(name) + r"\b", re.escape(name.upper()) + r"\b"]
    month_alts.sort(key=len, reverse=True)
    MON = rf"(?:{'|'.join(month_alts)})"
    pre_alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(et["pre_modifiers"], key=len, reverse=True))
    PRE = rf"(?i:(?:{pre_alt})(?:\s*-\s*|\s+))"
    D = r"(?:[12]\d|3[01]|0?[1-9])"
    DAYB = rf"(?:{D}(?:st|nd|rd|th)?\s+(?:of\s+)?)"
    DAYA = rf"(?:\s+{D}(?:st|nd|rd|th)?(?![\w.、])(?!\s*,(?!\s*(?:19|20)\d{{2}}\b)))"
    YEARA = r"(?:,?\s+(?:19|20)\d{2}(?!\d))"
    UNIT_EN = rf"(?:{PRE})?(?:{DAYB})?{MON}(?:{DAYA})?(?:{YEARA})?"
    B = r"(?<![A-Za-z0-9])"
    UNIT_START = _initials(et["pre_modifiers"]) + _DIGITS + "".join(k[0] for k in et["months"])
    mon_tok = re.compile(MON)
    rel_end = "|".join(k for k, v in et["relative_regex"].items() if v == [12])

    def en_month_of(s: str) -> int | None:
        m = mon_tok.search(s)
        return en_months.get(m.group().rstrip(".")) if m else None

    en: list[tuple[re.Pattern, _Handler]] = []
    ERSEP = et["range_separators_regex"]
    range_en = _gated(
        UNIT_START + "fFbB",
        rf"{B}(?:(?i:from)\s+)?(?P<a>{UNIT_EN})(?:{ERSEP})(?:(?P<b>{UNIT_EN})|(?P<rel>(?i:{rel_end})))"
        rf"|{B}(?i:between)\s+(?P<a2>{UNIT_EN})\s+and\s+(?P<b2>{UNIT_EN})"
    )

    def on_en_range(m: re.Match, text: str):
        a = en_month_of(m.group("a") or m.group("a2"))
        b = 12 if m.group("rel") else en_month_of(m.group("b") or m.group("b2"))
        if a is None or b is None:
            return None
        if a == b:
            return [(m.start(), m.end(), (a,), "month")]
        return [(m.start(), m.end(), _norm(_span(a, b)), "range")]

    en.append((range_en, on_en_range))

    list_en = _gated(UNIT_START, rf"{B}{UNIT_EN}(?:(?:{et['list_separators_regex']}){UNIT_EN})+")

    def on_en_list(m: re.Match, text: str):
        months = [en_months.get(x.group().rstrip(".")) for x in mon_tok.finditer(m.group())]
        if None in months:
            return None
        return [(m.start(), m.end(), _norm(months), "list" if len(set(months)) > 1 else "month")]

    en.append((list_en, on_en_list))

    single_en = _gated(UNIT_START, rf"{B}(?P<pre>{PRE})?(?P<db>{DAYB})?(?P<m>{MON})(?P<da>{DAYA})?(?P<y>{YEARA})?")
    ambiguous = set(et["ambiguous"])
    ctx_before = re.compile(rf"(?i:\b(?:{_alt(et['context_before'])})[\s-]+)$")

    def on_en_single(m: re.Match, text: str):
        month = en_months.get(m.group("m").rstrip("."))
        if month is None:
            return None
        if m.group("m") in ambiguous and not (m.group("pre") or m.group("db") or m.group("da") or m.group("y")):
            before = text[max(0, m.start() - 12): m.start()]
            after = text[m.end(): m.end() + 3]
            if not (ctx_before.search(before) or re.match(r"\s*(?:[:：]|$|\n)", after)):
                return None
        return [(m.start(), m.end(), (month,), "month")]

    en.append((single_en, on_en_single))

    numwords: dict[str, int] = dict(et["number_words"])
    NW = rf"(?:{_alt(numwords)})"
    numword_list = _gated(_initials(numwords), rf"{B}(?i:(?P<nums>{NW}(?:\s*,\s*{NW})+)\s*,?\s+months?)\b")
    nw_tok = re.compile(rf"(?i:{NW}|1[0-2]|0?[1-9])")

    def nums_of(s: str) -> list[int]:
        return [numwords[x.lower()] if x.lower() in numwords else int(x) for x in nw_tok.findall(s)]

    def on_numword_list(m: re.Match, text: str):
        nums = nums_of(m.group("nums"))
        if len(nums) < 2 or not _valid_sequence(nums):
            return None
        return [(m.start(), m.end(), _norm(nums), "list")]

    en.append((numword_list, on_numword_list))

    ords: dict[str, int] = {k.lower(): v for k, v in et["ordinals"].items()}
    ORD = rf"(?:{_alt(ords)})"
    quarter_en = _gated(
        _initials(ords) + _DIGITS,
        rf"{B}(?i:(?P<q>{ORD}(?:\s*(?:,|and|&|to|-|–|through)\s*(?:the\s+)?{ORD})*)\s+quarters?"
        rf"(?:\s+of\s+(?:the|this|next|each)\s+year|\s+of\s+(?:19|20)\d{{2}})?)\b"
    )
    ord_tok = re.compile(rf"(?i:{ORD})")

    def on_en_quarter(m: re.Match, text: str):
        qs = [ords[x.lower()] for x in ord_tok.findall(m.group("q"))]
        if re.search(r"(?i)\bto\b|through|[-–]", m.group("q")) and len(qs) == 2:
            qs = list(range(qs[0], qs[1] + 1))
        return [(m.start(), m.end(), _norm(3 * q - 2 + i for q in qs for i in range(3)), "quarter")]

    en.append((quarter_en, on_en_quarter))

    for table, kind in ((et["halves_regex"], "half"), (et["relative_regex"], "relative")):
        for rx, months in table.items():
            mm = _norm(months)
            en.append((_gated(_regex_initials(rx), rf"{B}(?i:{rx})(?![A-Za-z])"), (lambda mm, kind: lambda m, text: [(m.start(), m.end(), mm, kind)])(mm, kind)))

    season_phr = {k.lower(): _norm(v) for k, v in et["season_phrases"].items()}
    en.append((_gated(_initials(season_phr), rf"{B}(?i:{_alt(season_phr)})(?![A-Za-z])"),
               lambda m, text: [(m.start(), m.end(), season_phr[re.sub(r"\s+", " ", m.group().lower())], "season")]))
    seasons = {k.lower(): _norm(v) for k, v in et["seasons"].items()}
    season_re = _gated(_initials(seasons), rf"{B}(?i:{_alt(seasons)})(?![A-Za-z])")
    s_before = re.compile(rf"(?i:\b(?:{_alt(et['season_context_before'])})[\s-]+(?:the\s+)?)$")
    s_after = re.compile(rf"(?i:\s+(?:{_alt(et['season_context_after'])})\b)")

    def on_season(m: re.Match, text: str):
        word = m.group().lower()
        if word == "fall" and re.match(r"\s+(?:of|in|into|on|behind|short|back|below)\b", text[m.end():]):
            return None
        if not (s_before.search(text[max(0, m.start() - 16): m.start()]) or s_after.match(text, m.end())):
            return None
        return [(m.start(), m.end(), seasons[word], "season")]

    en.append((season_re, on_season))
    en.append(_festival_pattern("en"))

    # English label-only forms: `one to two months`, `three months`, `7, 8 months` (a duration in prose).
    NWD = rf"(?:{NW}|1[0-2]|0?[1-9])"
    en_label: list[tuple[re.Pattern, _Handler]] = []
    label_range = re.compile(rf"(?i:(?P<a>{NWD})\s*(?:to|-|–|—|~)\s*(?P<b>{NWD})\s+months?)\b")

    def on_label_range(m: re.Match, text: str):
        a, b = nums_of(m.group("a"))[0], nums_of(m.group("b"))[0]
        return [(m.start(), m.end(), _norm(_span(a, b)), "range" if a != b else "month")]

    label_list = re.compile(rf"(?i:(?P<nums>{NWD}(?:\s*(?:,|、|and|&)\s*{NWD})*)\s*,?\s+months?)\b")

    def on_label_list(m: re.Match, text: str):
        nums = nums_of(m.group("nums"))
        if not _valid_sequence(nums):
            return None
        return [(m.start(), m.end(), _norm(nums), "list" if len(set(nums)) > 1 else "month")]

    en_label += [(label_range, on_label_range), (label_list, on_label_list)]

    return en, en_label


@lru_cache(maxsize=1)
def _neutral_patterns() -> list[tuple[re.Pattern, _Handler]]:
    neutral: list[tuple[re.Pattern, _Handler]] = []
    q_re = _gated("Q", r"(?<![A-Za-z0-9])Q[1-4](?:\s*(?:[-–~/&,+]|and|to)\s*Q[1-4])*(?![A-Za-z0-9])")
    q_part = re.compile(r"Q([1-4])|([-–~]|to)")

    def on_q(m: re.Match, text: str):
        qs: list[int] = []
        ranged = False
        for num, rsep in q_part.findall(m.group()):
            if rsep:
                ranged = True
            elif ranged and qs and int(num) > qs[-1]:
                qs += list(range(qs[-1] + 1, int(num) + 1))
                ranged = False
            else:
                qs.append(int(num))
                ranged = False
        return [(m.start(), m.end(), _norm(3 * q - 2 + i for q in qs for i in range(3)), "quarter")]

    neutral.append((q_re, on_q))
    iso_re = _gated(
        "12",
        r"(?<![\d.])(?:19|20)\d{2}(?P<s>[-./])(?P<m>1[0-2]|0?[1-9])(?P=s)(?:[12]\d|3[01]|0?[1-9])(?![\d.])"
        r"|(?<![\d.])(?:19|20)\d{2}(?:-(?P<m2>0[1-9]|1[0-2])|\.(?P<m3>1[0-2]|0?[1-9]))(?![\d.%])"
    )
    neutral.append((iso_re, lambda m, text: [(m.start(), m.end(), (int(m.group("m") or m.group("m2") or m.group("m3")),), "month")]))

    return neutral


@lru_cache(maxsize=1)
def _stop_pattern() -> re.Pattern | None:
    t = _table()
    zt, et = t["zh"], t["en"]
    stop_words = list(zt["stoplist"]) + list(et["stoplist"])
    stop = re.compile(_alt(stop_words)) if stop_words else None

    return stop


def _scan(pattern: re.Pattern, handler: _Handler, text: str, out: list[_Cand]) -> None:
    """All matches of one pattern; a match its handler rejects is retried one character on,
    so a rejected long reading does not hide a shorter valid one."""
    pos, n = 0, len(text)
    while pos <= n:
        m = pattern.search(text, pos)
        if m is None:
            return
        found = handler(m, text)
        if found is None:
            pos = m.start() + 1
            continue
        out.extend(found)
        pos = m.end() if m.end() > m.start() else m.start() + 1


def _resolve(text: str, cands: list[_Cand], stop: re.Pattern | None) -> list[MonthMention]:
    """Longest match wins; ties go to the more specific kind (a festival over a plain date)."""
    if stop is not None and cands:
        stops = [m.span() for m in stop.finditer(text)]
        if stops:
            cands = [c for c in cands if not any(a <= c[0] and c[1] <= b for a, b in stops)]
    cands = [c for c in cands if c[2] and c[1] > c[0]]
    cands.sort(key=lambda c: (-(c[1] - c[0]), _PRIORITY.get(c[3], 9), c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[_Cand] = []
    for c in cands:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        taken.append((c[0], c[1]))
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return [MonthMention(s, e, text[s:e], months, kind) for s, e, months, kind in chosen]


_LATIN = re.compile(r"[A-Za-z]")


# A pattern with its handler, its literal filter and a test for the first character of
# its matches (see regex_gate): what the scans skip patterns by.
_Filtered = tuple[re.Pattern, _Handler, "LiteralFilter | None", "re.Pattern | None"]


@lru_cache(maxsize=1)
def _filtered_patterns() -> tuple[tuple[_Filtered, ...], tuple[_Filtered, ...], tuple[_Filtered, ...]]:
    """Neutral, Chinese and English patterns, each with its literal filter and first-character test."""
    def with_filters(patterns) -> tuple[_Filtered, ...]:
        return tuple((p, h, literal_filter(p.pattern, p.flags), first_char_test(p.pattern, p.flags)) for p, h in patterns)

    return with_filters(_neutral_patterns()), with_filters(_zh_patterns()), with_filters(_en_patterns()[0])


def _patterns_for(text: str, lang: str | None, groups=None) -> list[_Filtered]:
    """The patterns worth running on ``text``: a script's patterns only where it occurs.
    ``groups``: the (neutral, zh, en) patterns to choose from (default: all)."""
    neutral, zh, en = groups or _filtered_patterns()
    patterns = list(neutral)
    if zh and lang != "en" and _CJK.search(text):
        patterns += zh
    if en and lang != "zh" and _LATIN.search(text):
        patterns += en
    return patterns


@lru_cache(maxsize=4096)  # keyed by one character
def _openers(char: str) -> tuple[tuple[_Filtered, ...], ...]:
    """The (neutral, zh, en) patterns whose matches may begin with ``char``."""
    return tuple(tuple(f for f in group if f[3] is None or f[3].match(char)) for group in _filtered_patterns())


def find_month_mentions(text: str, lang: str | None = None, *, include_seasons: bool = True) -> list[MonthMention]:
    """All time expressions naming months, in text order, non-overlapping (longest match wins).

    ``lang`` ('zh' / 'en' / None for both) only skips the other language's patterns;
    language-neutral forms (`Q1`, `2021-03-15`) are always read. With
    ``include_seasons=False`` seasons and school holidays (春季, 暑假, summer) are left out."""
    if not text:
        return []
    cands: list[_Cand] = []
    lowered = fold_for_filters(text)
    for pattern, handler, needles, _ in _patterns_for(text, lang):
        if needles is None or needles.may_match(text, lowered):  # most texts name no month at all
            _scan(pattern, handler, text, cands)
    if not include_seasons:
        cands = [c for c in cands if c[3] != "season"]
    return _resolve(text, cands, _stop_pattern())


def months_in(text: str, lang: str | None = None, *, include_seasons: bool = True) -> list[int]:
    """Sorted union of the months of all mentions (for ``task.months``)."""
    found: set[int] = set()
    for m in find_month_mentions(text, lang, include_seasons=include_seasons):
        found.update(m.months)
    return sorted(found)


def trailing_month_mention(heading: str) -> MonthMention | None:
    """The months a heading ends with (`工作安排一至二月份:`), which head the items under it."""
    mentions = find_month_mentions(heading)
    if mentions and mentions[-1].end >= len(heading.rstrip(":: ")) - 1:
        return mentions[-1]
    return None


# ------------------------------------------------------------------------ leading labels

_BRACKETS = {"【": "】", "[": "]", "(": ")", "（": "）", "〔": "〕", "<": ">", "《": "》", "「": "」", "『": "』", "〈": "〉"}
_STRICT_KINDS = ("festival", "season", "relative", "half", "quarter")
_COLON = re.compile(r"\s*[:：]")
_LABEL_WINDOW = 200


@dataclass(frozen=True)
class _LabelRx:
    lead: re.Pattern  # bullets and indentation before a label
    enum: re.Pattern  # an item number before it: 一、 1. (2) ① 9,
    list_head: re.Pattern  # `1、` opening a numeral list (`1、3月份` may be item 1 + March)
    suffix_zh: re.Pattern  # 期间/前后 after 寒假, 三八节
    words_zh: re.Pattern  # 工作安排 after 5月份
    words_en: re.Pattern  # Activities: after March
    delim_any: re.Pattern  # end, ：, a dash: ends any label
    delim_soft: re.Pattern  # ， 、 ; . : ends a month label (not a festival/season/...)
    enum_next: re.Pattern  # the activities' own numbering right after the label
    rest_skip: re.Pattern  # what separates a label from its activities
    topic_zh: re.Pattern  # 园务行政 after 二月, alone on the line: a month heading's topic


@lru_cache(maxsize=1)
def _label_rx() -> _LabelRx:
    t = _table()
    return _LabelRx(
        lead=re.compile(r"[\s\u3000•·●○◆◇■□▲△★☆►▶▪\-*>]*"),
        enum=re.compile(
            r"(?:[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[IVXivx]{1,4}|[a-zA-Z])\s*[)）]"
            r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[IVX]{1,4}|[a-z])\s*[、.,，)]"
            r"|第[一二三四五六七八九十\d]{1,3}\s*[、,，:：]?"
            r"|[\u2460-\u2473\u2776-\u277f])\s*"
        ),
        list_head=re.compile(r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、,，]"),
        suffix_zh=re.compile(_alt(t["zh"]["label_time_suffixes"])),
        words_zh=re.compile(r"\s*(?:" + _alt(t["zh"]["label_words"]) + ")"),
        words_en=re.compile(r"\s+(?i:" + t["en"]["label_words_regex"] + r")(?=\s*[:：])"),
        delim_any=re.compile(r"\s*(?:$|[:：]|[-–—]{1,2}\s|——)"),
        delim_soft=re.compile(r"[,，、;；。]|\.(?!\d)"),
        enum_next=re.compile(
            r"\s*(?:\d{1,2}\s*[、.,，)]|[(（]\s*\d{1,2}\s*[)）]|[\u2460-\u2473\u2776-\u277f]|[一二三四五六七八九十]{1,2}\s*[、是])"
        ),
        rest_skip=re.compile(r"(?:\s*[-–—]{1,2}\s*|[\s:：,，、;；。])*"),
        topic_zh=re.compile(r"\s*[\u4e00-\u9fff]{1,%d}\s*" % t["zh"]["label_topic_max_chars"]),
    )


def _label_end(line: str, m: MonthMention, close: str | None) -> int | None:
    """Where a label that ends in mention ``m`` ends (after a closing bracket and words like
    工作安排), or None when what follows makes it a sentence, not a label."""
    e = m.end
    rx = _label_rx()
    if _CJK.search(m.when):
        sm = rx.suffix_zh.match(line, e)
        if sm and (rx.delim_any.match(line, sm.end()) or rx.delim_soft.match(line, sm.end())
                   or rx.enum_next.match(line, sm.end()) or rx.words_zh.match(line, sm.end())):
            e = sm.end()
            m = MonthMention(m.start, e, line[m.start:e], m.months, m.kind)
    if close is not None:
        cm = re.compile(r"\s*" + re.escape(close)).match(line, e)
        return cm.end() if cm else None
    strict = m.kind in _STRICT_KINDS
    zh = bool(_CJK.search(m.when))
    lw = (rx.words_zh if zh else rx.words_en).match(line, e)
    if lw and (rx.delim_any.match(line, lw.end()) if m.kind != "festival" else _COLON.match(line, lw.end())):
        return lw.end()  # a line `植树节活动` is the festival's activity; `三八节活动:` heads some
    after = line[e:]
    if rx.delim_any.match(after) or rx.enum_next.match(after):
        return e
    if strict:
        return None
    if zh and rx.delim_soft.match(after):
        return e
    if zh and after[:1].isspace():
        return e
    if zh and m.when.endswith("份") and _CJK.match(after[:1]):
        return e
    return None


def _topic_end(line: str, m: MonthMention) -> int | None:
    """`二月园务行政`, `九月教研活动`: a Chinese month with a short topic and nothing else on
    the line is a month heading over that month's items; the label runs to the line's end."""
    if m.kind in _STRICT_KINDS or not _CJK.search(m.when):
        return None
    topic = _label_rx().topic_zh.fullmatch(line, m.end)
    return len(line) if topic else None


def _mention_at(line: str, pos: int, lang: str | None, include_seasons: bool, label_only: bool) -> MonthMention | None:
    sub = line[pos:]
    # A mention at 0 needs a candidate at 0, i.e. some pattern matching right there: most
    # lines open with no time expression, and then the full scan can be skipped.
    may_open = any(f[0].match(sub) for f in _patterns_for(sub, lang, _openers(sub[0]))) if sub else False
    found = [m for m in find_month_mentions(sub, lang, include_seasons=include_seasons) if m.start == 0] if may_open else []
    if not found and label_only and lang != "zh":
        cands: list[_Cand] = []
        for pattern, handler in _en_patterns()[1]:
            m = pattern.match(sub)
            if m:
                got = handler(m, sub)
                if got:
                    cands.extend(got)
        found = _resolve(sub, cands, None)
    if not found:
        return None
    m = found[0]
    return MonthMention(m.start + pos, m.end + pos, m.when, m.months, m.kind)


@per_document(maxsize=2048)  # sections and schedule ask about the same lines; the result is immutable
def split_month_label(text: str, lang: str | None = None, *, include_seasons: bool = True) -> tuple[MonthMention, int] | None:
    """``(label, rest)`` when the first line of ``text`` opens with a schedule label, where
    ``rest`` is the offset at which the activities begin (after `：`, `,` and the like).

    The label's span covers the time expression plus any wrapping bracket (`【五月】`) and a
    trailing 工作安排-type word (`5月份工作安排`); a leading item number (`一、1月份：`,
    `9, one, two months`) is not part of it."""
    rx = _label_rx()
    p0 = rx.lead.match(text).end()  # also past blank lines
    nl = text.find("\n", p0)
    full = len(text) if nl < 0 else nl
    line = text[: min(full, p0 + _LABEL_WINDOW)]  # a label sits at the start: look no further
    if p0 >= len(line):
        return None
    attempts = [(p0, True)]
    tried: set[int] = set()
    while attempts:
        pos, may_skip = attempts.pop(0)
        if pos in tried or pos >= len(line):
            continue
        tried.add(pos)
        close = None
        inner = pos
        if line[pos] in _BRACKETS:
            close = _BRACKETS[line[pos]]
            inner = pos + 1 + len(line[pos + 1:]) - len(line[pos + 1:].lstrip())
        m = _mention_at(line, inner, lang, include_seasons, label_only=True)
        head = rx.list_head.match(m.when) if m is not None and may_skip and m.kind == "list" and len(m.months) == 2 else None
        if head:
            first = head.group(1)
            a, b = m.months
            if not (b == a + 1 or (m.months == (1, 12) and first in ("12", "十二"))):
                m = None  # `1、3月份` at a line start: an item number and a month
        if m is not None:
            end = _label_end(line, m, close)
            if end is None and close is None and len(line) == full:
                end = _topic_end(line, m)
            if end is not None and (end < len(line) or len(line) == full):
                start = pos if close is not None else m.start
                label = MonthMention(start, end, line[start:end], m.months, m.kind)
                rest = rx.rest_skip.match(text, end).end()
                return label, rest
        if may_skip:
            em = rx.enum.match(line, pos)
            if em and em.end() > pos:
                attempts.append((em.end(), False))
    return None


def leading_month_label(text: str, lang: str | None = None, *, include_seasons: bool = True) -> MonthMention | None:
    """The schedule label the line/paragraph starts with (`三月份：`, `3月`, `一至二月份`,
    `March:`, `From January to February:`, `9, one, two months`, `七月份至八月份`,
    `【五月】`, `5月份工作安排`), or None. The activities follow at ``label.end`` (see
    ``split_month_label`` for the offset past the `：`). A month in the middle of a
    sentence is no label."""
    found = split_month_label(text, lang, include_seasons=include_seasons)
    return found[0] if found else None
