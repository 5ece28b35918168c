"""Plan metadata (CONTRACT §2): language, script, doc_type, organization, org_type,
year, issued_date, doc_number; and the assembly of the final Plan records."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .doc import Doc, PlanDraft
from .numbering import cn_digit_string, cn_number
from .pipeline import component
from .records import Plan
from .regex_gate import fold_for_filters, gated, literal_automaton
from .simplify import chars_matching, script, to_simplified
from .split import title_rules
from .tables import load_table
from .targets import find_quantities

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")  # counting runs, not characters: far fewer matches
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_YEAR = gated(r"(?<!\d)(19[5-9]\d|20\d{2})(?!\d)")
_YEAR_PLACEHOLDER = re.compile(r"(20|19)\d?[xX×_*]{1,2}|[xX]{2}\s*年")  # 20xx, 201x, 201*, XX年
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,16}\s*[\[〔(【]\s*(19|20)\d{2}\s*[\]〕)】]\s*第?\s*\d{1,4}\s*号")
_DATE_ZH = re.compile(
    r"(?P<y>(19|20)\d{2}|[〇○零一二三四五六七八九Oo]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
# A date as signatures print it, placeholders included (20xx年XX月18日, 二〇二四年三月一日).
_ANY_DATE_ZH = re.compile(
    r"(?:(?:19|20)[\dxX×]{2}|[xX×]{2,4}|[〇○零一二三四五六七八九Oo]{4})\s*年\s*(?:[\dxX×]{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"(?:\s*(?:[\dxX×]{1,2}|[一二三四五六七八九十]{1,3})\s*日)?"
)
_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_DATE_EN = re.compile(
    r"\b(?P<m>" + "|".join(m.title() for m in _MONTHS_EN) + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(?P<y>(19|20)\d{2}))?"
)
def _cn_int(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_number(text)


def language(text: str) -> str:
    if not _CJK.search(text):  # no Chinese at all: English as soon as there is one word
        return "en" if _LATIN_WORD.search(text) else "zh"
    cjk = chars_matching(_CJK_RUN, text)
    words = len(_LATIN_WORD.findall(text))
    return "zh" if cjk >= words else "en"


@lru_cache(maxsize=1)
def _doc_words() -> dict[str, re.Pattern[str]]:
    table = load_table("doctypes")
    return {
        kind: re.compile("|".join(re.escape(w) for w in sorted(table[kind], key=len, reverse=True)), re.I)
        for kind in ("plan", "summary", "other")
    }


@dataclass(frozen=True)
class _SummaryRules:
    tense: dict  # language -> (past markers, future markers)
    tense_reach: int
    min_past: int
    past_to_future: float
    cues: re.Pattern[str]
    plan_words: re.Pattern[str]
    cue_reach: int
    veto_reach: int


@lru_cache(maxsize=1)
def _summary_rules() -> _SummaryRules:
    table = load_table("doctypes")["summary_body"]
    def either(words):
        return re.compile("|".join(words), re.I)
    return _SummaryRules(
        tense={lang: (either(m["past"]), either(m["future"])) for lang, m in table["tense"].items()},
        tense_reach=table["tense_reach"], min_past=table["min_past"], past_to_future=table["past_to_future"],
        cues=either(table["cues"]), plan_words=either(table["plan_words"]),
        cue_reach=table["cue_reach"], veto_reach=table["veto_reach"],
    )


def _title_doc_words(title: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the document words of a (simplified) title, in order."""
    return sorted((m.start(), m.end(), kind) for kind, rx in _doc_words().items() for m in rx.finditer(title))


@lru_cache(maxsize=1)
def _both_kinds_joiner() -> re.Pattern[str]:
    return re.compile(load_table("doctypes")["both_kinds_joiner"], re.I)


def doc_type_of(title: str | None, body: str) -> str:
    if title:
        simplified = to_simplified(title)
        found = _title_doc_words(simplified)
        if found:
            if len(found) >= 2 and {found[-2][2], found[-1][2]} == {"plan", "summary"} \
                    and _both_kinds_joiner().match(simplified[found[-2][1] : found[-1][0]]):
                return _body_doc_type(body)  # 工作总结及计划: a page of either kind
            return found[-1][2]  # the last doc word of a title decides: 工作计划 vs 计划总结
    return _body_doc_type(body)


def _deciding_part(title: str) -> str:
    """The part of a title that names the deciding document: in 2023年工作总结及2024年工作计划
    the text between the summary's word and the plan's, whose year is the plan's."""
    found = _title_doc_words(to_simplified(title))
    if not found:
        return title
    start, _, kind = found[-1]
    before = [end for _, end, other in found if other != kind and end <= start]
    return title[before[-1] : start] if before else title


def _body_doc_type(body: str) -> str:
    """summary or plan, from how the body opens (doctypes.json ``summary_body``)."""
    r = _summary_rules()
    markers = r.tense.get(language(body[: r.tense_reach]))
    past = future = 0
    if markers is not None:
        head = body[: r.tense_reach]
        past, future = len(markers[0].findall(head)), len(markers[1].findall(head))
        if past >= r.min_past and past >= r.past_to_future * max(future, 1):
            return "summary"
    head = body[: r.cue_reach]
    if r.cues.search(head) and not r.plan_words.search(head[: r.veto_reach]):
        if markers is None or past > future:
            return "summary"
    return "plan"


def draft_doc_type(doc: Doc, draft: PlanDraft) -> str:
    return doc_type_of(draft.title, doc.matching[draft.start : draft.end])


@dataclass(frozen=True)
class _OrgRules:
    issuer: list  # (kind, pattern), in table order
    body: "_WeightedWords"  # body words, and how a plan names its own unit (我校, 我院), weighted
    min_body_hits: int
    deferring: frozenset[str]  # kinds that yield to a unit named before their word
    generic_title_hits: int  # a generic title yields to this many body hits of another kind
    generic_title_ratio: float  # … when they are this many times the title kind's
    generic_title_keeps: frozenset[str]
    generic_title_prefix: re.Pattern[str]  # what may stand before the kind's word in such a title


@lru_cache(maxsize=1)
def _org_rules() -> _OrgRules:
    table = load_table("orgs")
    def compile_words(words):
        return gated("|".join(sorted(words, key=len, reverse=True)), re.I)
    return _OrgRules(
        issuer=[(kind, compile_words(words)) for kind, words in table["issuer"]],
        body=_WeightedWords([(kind, words, 1) for kind, words in table["body"]]
                            + [(kind, words, table["self_reference_weight"]) for kind, words in table["self_reference"]]),
        min_body_hits=table["min_body_hits"],
        deferring=frozenset(table["defers_to_a_unit_before_it"]),
        generic_title_hits=table["generic_title"]["min_body_hits"],
        generic_title_ratio=table["generic_title"]["body_ratio"],
        generic_title_keeps=frozenset(table["generic_title"]["keeps"]),
        generic_title_prefix=re.compile(table["generic_title"]["may_precede_the_word"]),
    )


def _plain_word(word: str) -> bool:
    """Letters, digits and spaces only, none of them cased outside ASCII (so that
    ``str.lower`` folds it as the regex engine's re.I does, see regex_gate)."""
    return all(c.isalnum() or c == " " if c.isascii() else c.isalpha() and c.lower() == c == c.upper() for c in word)


class _WeightedWords:
    """Hits per kind of weighted word lists ((kind, words, weight), a kind may have
    several). The plain words of all lists are counted in one Aho-Corasick pass over the
    lowercased text (every occurrence of every word); a list's other words, regular
    expressions (镇工会 not after 乡), by one regex for that list."""

    def __init__(self, lists: list[tuple[str, list[str], int]]) -> None:
        self.kinds = list(dict.fromkeys(kind for kind, _, _ in lists))
        self.patterns = [(kind, gated("|".join(sorted(rx_words, key=len, reverse=True)), re.I), weight)
                         for kind, words, weight in lists
                         if (rx_words := [w for w in words if not _plain_word(w)])]
        values: dict[str, list[tuple[str, int]]] = {}
        for kind, words, weight in lists:
            for word in filter(_plain_word, words):
                values.setdefault(word.lower(), []).append((kind, weight))
        self.automaton = literal_automaton((word, tuple(v)) for word, v in values.items()) if values else None

    def counts(self, text: str) -> dict[str, int]:
        counts = dict.fromkeys(self.kinds, 0)
        if self.automaton is not None:
            for _, found in self.automaton.iter(fold_for_filters(text)):
                for kind, weight in found:
                    counts[kind] += weight
        for kind, rx, weight in self.patterns:
            counts[kind] += weight * len(rx.findall(text))
        return counts


@dataclass(frozen=True)
class _NameRules:
    union: re.Pattern[str]  # a union's name ends so (工会, 委员会): orgs.json organization_suffix
    any_unit: re.Pattern[str]  # … or a unit's (小学, 街道, 党支部): unit_suffix as well
    leading: re.Pattern[str]  # a piece marker (split's piece_prefix and more), 关于: no part of the name
    after_year: re.Pattern[str]  # 年度, 下半年 after a leading year


@lru_cache(maxsize=1)
def _name_rules() -> _NameRules:
    table = load_table("orgs")["organization_name"]
    union = title_rules().issuer.pattern  # read once by split too
    units = "|".join(sorted(map(re.escape, table["unit_suffix"]), key=len, reverse=True))
    return _NameRules(union=title_rules().issuer, any_unit=re.compile(f"{union}|(?:{units})", re.I),
                      leading=re.compile(f"^(?:{title_rules().piece_prefix.pattern})|{table['leading']}"),
                      after_year=re.compile(table["after_year"]))


_YEAR_SPLIT = re.compile(r"(?<!\d)(?:19|20)\d{2}|(?:19|20)[xX]{2}|[xX]{2,4}年|[一二三四五六七八九〇○零]{4}年")
_LATIN_TAIL = re.compile(r"[A-Za-z]*")
_ENGLISH_NAME = re.compile(r"(?!(?:The|A|An)\b)[A-Z][\w'’-]*(?:\s+(?:of|and|[A-Z][\w'’()-]*))*")


def _aligned_simplified(text: str) -> str:
    """``text`` in simplified characters when that keeps every offset (character for
    character), else as written: a match on it slices the text as written."""
    probe = to_simplified(text)
    return probe if len(probe) == len(text) else text


def _name_in(head: str, suffix: re.Pattern[str], ends_head: bool = False) -> str | None:
    """The name that ``head`` (a title's part before its document word) ends with: up to
    the last name ending, when something stands before that ending (医院工会, not 工会)."""
    probe = _aligned_simplified(head)  # the ending is found on the simplified form
    match = None
    for match in suffix.finditer(probe):
        pass
    if match is None:
        return None
    end = match.end()
    if probe[end - 1 : end].isascii():
        end = _LATIN_TAIL.match(probe, end).end()  # Unions, Committees: the word whole
        if not _ENGLISH_NAME.fullmatch(head[:end].strip()):
            return None  # an English name is capitalised throughout (Greenfield County Federation of Trade Unions)
    elif ends_head and head[end:].strip():
        return None  # 家长社区参与管理制度: a unit's word inside a phrase ends no name
    name = head[:end].strip()
    return name if len(name) > len(match.group()) + (end - match.end()) else None


def organization(title: str | None, signature: list[str]) -> str | None:
    """The issuing body as written: a signature line naming one, else the title's part
    before its year (or after a leading year) and before its document word."""
    rules = _name_rules()
    for line in signature:
        line = _ANY_DATE_ZH.sub(" ", line).strip()  # `20xx年XX月18日校工会`: the date and the name on one line
        if 2 < len(line) <= 40 and rules.any_unit.search(to_simplified(line)):
            return line
    if not title:
        return None
    title = rules.leading.sub("", title.strip(), count=1).strip()  # 第1篇:, 【篇1】, 关于…的方案
    parts = _YEAR_SPLIT.split(title, maxsplit=1)
    heads = [parts[0]]
    if not parts[0].strip() and len(parts) > 1:  # 2024年集团工会工作计划: the name after the year
        heads.append(rules.after_year.sub("", parts[1], count=1))
    for head in heads:
        doc_word = title_rules().doc_word.search(head)
        if doc_word is not None:
            head = head[: doc_word.start()]  # the issuer is named before the document's word (…工会工作计划)
        for suffix, ends_head in ((rules.union, False), (rules.any_unit, True)):
            name = _name_in(head, suffix, ends_head)
            if name and (_CJK.search(name) or len(name.split()) > 1):
                return name
    return None


@lru_cache(maxsize=1)
def _body_subject_rule() -> tuple[re.Pattern[str], int]:
    table = load_table("orgs")
    return re.compile(table["body_subject"]), table["body_subject_reach"]


def body_subject(opening: str) -> str | None:
    """The union a plan's opening sentence has as its subject (20xx年,公司工会认真贯彻…),
    as written; None when none opens a sentence there (orgs.json ``body_subject``)."""
    pattern, reach = _body_subject_rule()
    head = opening[:reach]
    match = pattern.search(_aligned_simplified(head))
    return head[match.start("name") : match.end("name")] if match else None


def _issuer_word(name: str) -> tuple[str, int] | None:
    """The kind of body a name or title names, and where its word stands: the first kind
    of the table whose word it holds, unless that kind defers to a unit named before its
    word (中山中学 | 教育工会)."""
    rules = _org_rules()
    found = None
    for kind, rx in rules.issuer:
        match = rx.search(name)
        if match is None:
            continue
        if found is None:
            found = (kind, match.start())
            if kind not in rules.deferring:
                return found
        elif match.start() < found[1]:
            return kind, match.start()
    return found


def _body_kind(counts: dict[str, int]) -> tuple[str, int]:
    best, hits = "other", 0
    for kind, count in counts.items():  # the first kind of the table wins a tie
        if count > hits:
            best, hits = kind, count
    return best, hits


def org_type(organization_name: str | None, title: str | None, body: str) -> str:
    rules = _org_rules()
    if organization_name and title and organization_name in title:
        organization_name = None  # a name read from the title types as the title does (a template's 企业工会 may yield)
    for probe, is_title in ((organization_name, False), (title, True)):
        if probe:
            probe = to_simplified(probe)
            found = _issuer_word(probe)
            if found is None:
                continue
            kind, at = found
            if (is_title and kind not in rules.generic_title_keeps
                    and at == rules.generic_title_prefix.match(probe).end()):
                counts = rules.body.counts(body)
                best, hits = _body_kind(counts)
                if (best != kind and hits >= rules.generic_title_hits
                        and hits >= rules.generic_title_ratio * counts.get(kind, 0)):
                    return best  # a template's category over another kind's plan
            return kind
    best, hits = _body_kind(rules.body.counts(body))
    return best if hits >= rules.min_body_hits else "other"


def _first_year(text: str) -> re.Match[str] | None:
    """The first 19xx/20xx that is a year: not the number of a count (`为全县1950名困难职工`,
    `1998万元`), which the target rules already know by its unit."""
    for match in _YEAR.finditer(text):
        if _NUMERIC_DATE_REST.match(text, match.end()):
            continue  # 2023-04-04, 2024.5.8: the day a page was posted, not a plan's year
        if not _CJK.match(text[match.end() : match.end() + 3].lstrip()[:1]):
            return match  # the cheap test first: a count's unit is a Chinese word
        counted = find_quantities(text[match.start() : match.end() + 8])
        if not (counted and counted[0].number_start == 0):
            return match
    return None


_NUMERIC_DATE_REST = re.compile(r"\s*([-/.])\s*\d{1,2}\s*\1\s*\d{1,2}(?!\d)")


# A plan states its year in the title or its opening; a year deeper in (in 2008 we were
# praised at…, a meeting on April 15, 2021, contracts expire in 2019) is mostly another
# year's (9 of 11 such years on real pages were not the plan's).
_BODY_YEAR_REACH = 200


def year_of(title: str | None, body: str) -> int | None:
    deciding = _deciding_part(title) if title else None
    for probe in (deciding, title, body[:_BODY_YEAR_REACH]):
        if not probe:
            continue
        match = _first_year(probe)
        if probe is title or probe is deciding:  # a placeholder year (20XX) only matters in the title
            placeholder = _YEAR_PLACEHOLDER.search(probe)
            if placeholder and (match is None or placeholder.start() < match.start()):
                return None
        if match:
            return int(match.group(1))
    return None


_DATE_GOES_ON = re.compile(r"\s*[-/.]\s*\d")
_PAGE_HEADERS = ("collection title", "page title", "repeated title")  # headers split and clean cut


def _header_year(doc: Doc, before: int) -> int | None:
    """The year of the nearest header a page prints above a plan: a plan printed without
    a year under `2021年医院工会工作计划(通用7篇)` is one of that collection's 2021 plans,
    until another header (`工会工作计划`, no year) heads the next ones."""
    headers = [r for r in doc.removed if r.reason in _PAGE_HEADERS and r.span[1] <= before]
    if not headers:
        return None
    text = max(headers, key=lambda r: r.span[0]).text
    match = _first_year(text)
    if match is None or _DATE_GOES_ON.match(text, match.end()):
        return None  # `2024/09/29总结范文`: the day the page was posted, not the plans' year
    return int(match.group(1))


def issued_date(signature: list[str], year: int | None) -> str | None:
    for line in reversed(signature):
        match = _DATE_ZH.search(line)
        if match:
            y = match.group("y")
            y_val = int(y) if y.isdigit() else cn_digit_string(y)
            m, d = _cn_int(match.group("m")), _cn_int(match.group("d"))
            if m and d and 1 <= m <= 12 and 1 <= d <= 31:
                return f"{y_val:04d}-{m:02d}-{d:02d}"
        match = _DATE_EN.search(line)
        if match:
            y_val = int(match.group("y")) if match.group("y") else year
            if y_val:
                return f"{y_val:04d}-{_MONTHS_EN.index(match.group('m').lower()) + 1:02d}-{int(match.group('d')):02d}"
    return None


def doc_number(text: str) -> str | None:
    head = text[:2000]
    if "号" not in head:  # every document number ends in 号; the pattern is slow on CJK text
        return None
    match = _DOC_NUMBER.search(head)
    return re.sub(r"\s+", "", match.group()) if match else None


def build_plan(doc: Doc, draft: PlanDraft, n: int) -> Plan:
    body = doc.text[draft.start : draft.end]
    lang = language(body)
    kind = draft.doc_type or draft_doc_type(doc, draft)
    signature = [s.text for s in draft.sections if s.type == "signature"]
    signature_lines = [line for block in signature for line in block.split("\n")]
    tail = signature_lines
    org = organization(draft.title, tail)
    if org is None and draft.sections and draft.sections[0].type == "preamble":
        org = body_subject(draft.sections[0].text)
    year = year_of(draft.title, body)
    if year is None and not any(probe and _YEAR_PLACEHOLDER.search(probe) for probe in (draft.title, body[:_BODY_YEAR_REACH])):
        year = _header_year(doc, draft.start)  # a plan that writes 20xx年 has no year, whatever its page says
    return Plan(
        plan_id=f"{doc.source.sha256[:12]}-{n}",
        title=draft.title,
        language=lang,
        script=script(body) if lang == "zh" else None,
        doc_type=kind,
        organization=org,
        org_type=org_type(org, draft.title, doc.matching[draft.start : draft.end]),
        year=year,
        issued_date=issued_date(tail, year),
        doc_number=doc_number(body),
        sections=draft.sections,
        tasks=draft.tasks,
        schedule=draft.schedule,
        targets=draft.targets,
        span=(draft.start, draft.end),
    )


@component("metadata")
def metadata(doc: Doc) -> Doc:
    for n, draft in enumerate(doc.drafts, start=1):
        draft.plan = build_plan(doc, draft, n)
    return doc
