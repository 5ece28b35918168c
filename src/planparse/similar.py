"""Template and copy detection: plans across a batch whose text is (nearly) the same.

How it works, and why it scales without comparing all pairs:

1. **Normalise** each plan's text (its sections' text joined): NFKC, lower case, the
   numbering token at the start of each line dropped (the schemes of
   ``data/numbering.json``), then only letters kept (each CJK character a token, each
   Latin word a token) — no whitespace, punctuation, digits or symbols, so re-numbered,
   re-dated or re-spaced copies look the same.
2. **Shingle** the letters into overlapping character 5-grams (:data:`SHINGLE_CHARS`;
   English text: word 3-grams, :data:`SHINGLE_WORDS`), hashed to 64 bits with numpy
   (a polynomial over the token ids, then a splitmix64 mix).
3. **MinHash signature** of each plan by one-permutation hashing: the hash's top 7 bits
   pick one of :data:`NUM_BINS` bins and each bin keeps its smallest hash; empty bins
   are filled from the next full bin (rotation densification). Two plans agree in a bin
   with probability equal to the Jaccard similarity of their shingle sets, like classic
   MinHash, but one hash per shingle instead of 128 (for 20,000 plans about 35 s of
   hashing becomes under 1 s).
4. **LSH banding**: the signature is cut into bands of ``r`` bins; plans sharing one band
   exactly become candidate pairs (equal band keys found by sorting, not by pairing).
   ``r`` is chosen so that a pair at the threshold (or at Jaccard :data:`LSH_JACCARD`,
   whichever is lower, so that "mostly shared" pairs are seen) is proposed with ≥ 99%
   probability.
5. **Verify** candidates: first by the signature estimate, then exactly on the shingle
   sets. Similarity is the Dice coefficient 2|A∩B|/(|A|+|B|) — "the share of the two
   texts that is common", about 0.85 for a plan with 10% of its sentences changed — and each
   plan's ``shared_share`` is |A∩B|/|A| against its closest partner.
6. **Cluster** verified pairs at ``similarity >= threshold`` with union-find. Plans with
   the very same shingle set (one file in two folders) go through steps 3-5 once and are
   linked to their representative at similarity 1.

Everything is deterministic: fixed hash constants, clusters and members in a fixed order.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from .tables import load_table

# 5 characters: long enough that two unrelated Chinese plans share few shingles (most
# 5-character strings are rare), short enough that one changed word spoils only 5.
SHINGLE_CHARS = 5
# English plans shingle by words: 3 words keep unrelated plans apart (Dice ≤ 0.1 on the
# seeds) while a re-worded copy still shares most of its shingles.
SHINGLE_WORDS = 3
# Bins of the one-permutation MinHash; the estimate's standard error is about
# sqrt(J(1-J)/128) ≈ 0.04, and candidates near the threshold are checked exactly anyway.
NUM_BINS = 128
_BIN_SHIFT = np.uint64(64 - (NUM_BINS.bit_length() - 1))  # the top log2(NUM_BINS) bits pick the bin
# A pair at the threshold must become a candidate with at least this probability.
LSH_RECALL = 0.99
# ...and so must a pair at this Jaccard (Dice 0.67: about two thirds of the text shared),
# so that plans mostly shared with another's are found below the cluster threshold too.
LSH_JACCARD = 0.5
# Candidates whose estimated Jaccard is this far below the threshold are still checked
# exactly (the estimate is noisy), and their shared share recorded.
VERIFY_MARGIN = 0.15
# Buckets of equal band keys larger than this (one template filled in by thousands of
# units) pair each plan with its next BUCKET_WINDOW neighbours only: the pairs still
# chain the whole bucket into one cluster, with ~16 exact checks a plan instead of n².
BUCKET_WINDOW = 16
# A plan is "mostly shared" with another unit's when more than half of its text is.
MOSTLY_SHARED = 0.5
# Clusters up to this size get every pairwise similarity computed (for min_similarity).
PAIRWISE_MAX = 40
# Shingle sets kept for the exact checks (~14 KB each for a 1,700-character plan).
SHINGLE_CACHE = 8192
DEFAULT_THRESHOLD = 0.8

_POLY = np.uint64(0x100000001B3)  # FNV prime: spreads code points over 64 bits
_LATIN = re.compile(r"[a-z\u00c0-\u024f]")
# a Latin word, or any other single letter (a CJK character)
_TOKEN = re.compile(r"[a-z\u00c0-\u024f]+|[^\W\d_]")
_WORD_BASE = 0x110000  # word ids start above the last code point


@dataclass(frozen=True)
class PlanText:
    """One plan's text and what identifies it in a report."""

    plan_id: str
    text: str
    source_path: str | None = None
    organization: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Member:
    plan_id: str
    source_path: str | None
    organization: str | None
    title: str | None
    shared_share: float  # share of this plan's shingles found in its closest partner
    shared_with: str | None  # that partner's plan_id
    mostly_shared: bool  # shared_share >= MOSTLY_SHARED with another unit's plan


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    similarity: float  # Dice coefficient of the shingle sets
    jaccard: float


@dataclass(frozen=True)
class Cluster:
    cluster_id: int
    members: tuple[Member, ...]
    min_similarity: float  # over every pair of members (or the linking pairs of a very large cluster)
    max_similarity: float
    pairs: tuple[Pair, ...]  # the verified pairs at or above the threshold that link the cluster

    @property
    def plan_ids(self) -> list[str]:
        return [m.plan_id for m in self.members]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Share:
    """How much of one plan's text is found in its closest partner."""

    plan_id: str
    shared_share: float
    shared_with: str | None
    mostly_shared: bool


@dataclass
class SimilarityReport:
    clusters: list[Cluster]
    shares: dict[str, Share] = field(default_factory=dict)  # plans with a verified partner
    threshold: float = DEFAULT_THRESHOLD
    plans: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "plans": self.plans,
                "clusters": [c.to_dict() for c in self.clusters],
                "mostly_shared": [asdict(s) for s in self.shares.values() if s.mostly_shared]}


# ---------------------------------------------------------------- plan texts

def _plan_text(plan: Mapping[str, Any]) -> str:
    return "\n".join(s.get("text") or "" for s in plan.get("sections") or [])


def plan_texts(results_or_docs: Iterable[Any]) -> list[PlanText]:
    """The :class:`PlanText` of every plan in ``ParseResult`` objects or their JSON documents."""
    out: list[PlanText] = []
    for item in results_or_docs:
        doc = item if isinstance(item, Mapping) else item.to_dict()
        path = (doc.get("source") or {}).get("path")
        for plan in doc.get("plans") or []:
            out.append(PlanText(plan_id=plan.get("plan_id"), text=_plan_text(plan), source_path=path,
                                organization=plan.get("organization"), title=plan.get("title")))
    return out


def plan_texts_from_frames(frames: Mapping[str, Any]) -> list[PlanText]:
    """The same from the ``plans`` and ``sections`` tables (:func:`planparse.frames.to_frames`,
    or a batch's jsonl/parquet/SQLite tables read back)."""
    plans, sections = frames["plans"], frames["sections"]
    texts: dict[str, list[str]] = {}
    ordered = sections.sort_values(["plan_id", "seq"], kind="stable") if len(sections) else sections
    for pid, text in zip(ordered["plan_id"], ordered["text"]):
        texts.setdefault(pid, []).append(_clean(text) or "")
    out = []
    for row in plans.itertuples(index=False):
        out.append(PlanText(plan_id=row.plan_id, text="\n".join(texts.get(row.plan_id, [])),
                            source_path=_clean(row.source_path), organization=_clean(row.organization),
                            title=_clean(row.title)))
    return out


def _isna(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _clean(value: Any) -> str | None:
    return None if value is None or _isna(value) else str(value)


# ---------------------------------------------------------------- shingles and signatures

@lru_cache(maxsize=1)
def _line_numbering() -> re.Pattern[str]:
    """Any numbering scheme of ``data/numbering.json`` at the start of a line, in one regex
    (one search per text instead of one match per line and scheme)."""
    alternatives = []
    for scheme in load_table("numbering")["schemes"]:
        body = scheme["pattern"].replace("(?P<n>", "(?:")
        alternatives.append(f"(?i:{body})" if scheme.get("case_insensitive") else f"(?:{body})")
    return re.compile(r"^[ \t]*(?:" + "|".join(alternatives) + ")", re.M)


def normalise(text: str) -> str:
    """NFKC, lower case, without the numbering token that starts a line."""
    text = text or ""
    if not unicodedata.is_normalized("NFKC", text):  # planparse's own text already is: skip the slow copy
        text = unicodedata.normalize("NFKC", text)
    return _line_numbering().sub("", text).lower()


@lru_cache(maxsize=1)
def _letter_table() -> np.ndarray:
    """For each BMP code point: is it a letter (str.isalpha)? One lookup per character,
    vectorised, instead of a regex pass (twice as fast on a whole plan)."""
    return np.array([chr(c).isalpha() for c in range(0x10000)], dtype=bool)


def tokens(text: str) -> tuple[np.ndarray, bool]:
    """The text as token ids (uint64), and whether most tokens are words: each CJK (or
    other non-Latin) letter is a token, as its code point; each Latin word is one token,
    as a CRC-32 above the code point range. Digits, punctuation, whitespace and symbols
    are dropped."""
    text = normalise(text)
    if not _LATIN.search(text):  # the common case, all in numpy: keep the letters' code points
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if len(codes) and codes.max() > 0xFFFF:
            keep = np.where(codes <= 0xFFFF, _letter_table()[np.minimum(codes, 0xFFFF)],
                            (codes >= 0x20000) & (codes < 0x40000))  # beyond the BMP: the CJK extension planes
        else:
            keep = _letter_table()[codes]
        return codes[keep].astype(np.uint64), False
    found = _TOKEN.findall(text)
    if not found:
        return np.empty(0, dtype=np.uint64), False
    # each distinct token hashed once (a plan repeats its words), then spread back by index
    distinct, where = np.unique(np.array(found), return_inverse=True)
    ids = np.array([ord(tok) if len(tok) == 1 and not tok.isascii() else zlib.crc32(tok.encode("utf-8")) + _WORD_BASE
                    for tok in distinct.tolist()], dtype=np.uint64)
    codes = ids[where.reshape(-1)]
    return codes, bool(len(codes)) and int((codes >= _WORD_BASE).sum()) * 2 > len(codes)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: every input bit moves every output bit (bins must be uniform)."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def shingles(text: str) -> np.ndarray:
    """Sorted unique 64-bit hashes of the token n-grams of the normalised text: 5
    characters, or 3 words in a mostly English text (one shingle for a text shorter than
    that; none for an empty one)."""
    codes, words = tokens(text)
    if len(codes) == 0:
        return np.empty(0, dtype=np.uint64)
    k = min(SHINGLE_WORDS if words else SHINGLE_CHARS, len(codes))
    n = len(codes) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _POLY + codes[j:j + n]
        h = _mix(h + np.uint64(k))
    h.sort()
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


_BIN_IDS = np.arange(NUM_BINS, dtype=np.uint64)


def signature(hashes: np.ndarray) -> np.ndarray:
    """One-permutation MinHash of sorted unique shingle hashes (``NUM_BINS`` uint64)."""
    sig = np.zeros(NUM_BINS, dtype=np.uint64)
    if len(hashes) == 0:
        return sig
    bins = hashes >> _BIN_SHIFT  # sorted, because the hashes are
    first = np.searchsorted(bins, _BIN_IDS)
    present = first < len(hashes)
    present[present] = bins[first[present]] == _BIN_IDS[present]
    sig[present] = hashes[first[present]]
    full = np.flatnonzero(present)
    if len(full) < NUM_BINS:  # rotation densification: an empty bin borrows the next full one's value
        empty = np.flatnonzero(~present)
        nxt = np.searchsorted(full, empty) % len(full)
        distance = ((full[nxt] - empty) % NUM_BINS).astype(np.uint64)
        with np.errstate(over="ignore"):
            sig[empty] = _mix(sig[full[nxt]] + distance * np.uint64(0x9E3779B97F4A7C15))
    return sig


def _band_rows(jaccard_target: float) -> int:
    """Bins per band: the most (fewest candidates) that still propose a pair at
    ``jaccard_target`` with probability ``LSH_RECALL``."""
    best = 1
    for rows in range(1, 17):
        bands = NUM_BINS // rows
        if 1 - (1 - jaccard_target**rows) ** bands >= LSH_RECALL:
            best = rows
    return best


def dice_to_jaccard(dice: float) -> float:
    return dice / (2 - dice) if dice < 2 else 1.0


# ---------------------------------------------------------------- candidates

def _candidate_pairs(sigs: np.ndarray, rows: int) -> np.ndarray:
    """Index pairs (i < j) that agree on at least one band, as an (m, 2) int64 array."""
    n = len(sigs)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    bands = NUM_BINS // rows
    found = []
    for band in range(bands):
        part = sigs[:, band * rows:(band + 1) * rows]
        key = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for col in range(rows):
                key = _mix(key * _POLY + part[:, col])
        order = np.argsort(key, kind="stable")
        keys = key[order]
        for gap in range(1, BUCKET_WINDOW + 1):
            same = np.flatnonzero(keys[gap:] == keys[:-gap])
            if len(same) == 0:
                break
            found.append(np.stack([order[same], order[same + gap]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs.sort(axis=1)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


def _estimated_jaccard(sigs: np.ndarray, pairs: np.ndarray, chunk: int = 20000) -> np.ndarray:
    out = np.empty(len(pairs), dtype=np.float64)
    for start in range(0, len(pairs), chunk):
        p = pairs[start:start + chunk]
        out[start:start + chunk] = (sigs[p[:, 0]] == sigs[p[:, 1]]).mean(axis=1)
    return out


# ---------------------------------------------------------------- the analysis

class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _overlap(a: np.ndarray, b: np.ndarray) -> int:
    """|a ∩ b| of two sorted unique arrays (binary search: no concatenation, no sort)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return int(np.count_nonzero(b[at] == a))


def _other_unit(a: PlanText, b: PlanText) -> bool:
    """Another unit's plan, unless both name the same issuing body (an unnamed one may be anyone)."""
    return not (a.organization and b.organization and a.organization == b.organization)


def analyse_similarity(plans: Iterable[PlanText], threshold: float = DEFAULT_THRESHOLD) -> SimilarityReport:
    """Clusters of near-duplicate plans (Dice similarity ≥ ``threshold``) and, for every
    plan with a close partner, how much of its text it shares (see the module doc)."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    # sorted first, so that nothing (not even which pairs link a very large cluster) depends on input order
    items: list[PlanText] = sorted(plans, key=lambda p: (p.plan_id, p.source_path or ""))
    # One pass keeps only each plan's signature and shingle count (memory stays at
    # ~1 KB a plan); the few plans in candidate pairs are shingled again for the exact check.
    # Plans with the very same shingle set (one file in two folders, a plan copied whole)
    # go through LSH once, as one representative, and are linked to it at similarity 1.
    sizes = np.zeros(len(items), dtype=np.int64)
    rep_of = list(range(len(items)))
    copies: dict[int, list[int]] = {}  # representative -> the other plans with its shingle set
    first_with: dict[bytes, int] = {}
    live: list[int] = []  # representatives with text (a plan without text matches nothing)
    rows: list[np.ndarray] = []
    for i, plan in enumerate(items):
        h = shingles(plan.text)
        sizes[i] = len(h)
        if not len(h):
            continue
        rep = first_with.setdefault(hashlib.blake2b(h.tobytes(), digest_size=16).digest(), i)
        if rep != i:
            rep_of[i] = rep
            copies.setdefault(rep, []).append(i)
            continue
        live.append(i)
        rows.append(signature(h))
    sigs = np.stack(rows) if rows else np.zeros((0, NUM_BINS), np.uint64)
    del rows, first_with

    @lru_cache(maxsize=SHINGLE_CACHE)
    def rep_hashes(rep: int) -> np.ndarray:
        return shingles(items[rep].text)

    def hashes(i: int) -> np.ndarray:
        return rep_hashes(rep_of[i])

    def group(rep: int) -> list[int]:
        return [rep, *copies.get(rep, ())]

    j_target = min(dice_to_jaccard(threshold), LSH_JACCARD)
    pairs = _candidate_pairs(sigs, _band_rows(j_target))
    if len(pairs):
        estimate = _estimated_jaccard(sigs, pairs)
        pairs = pairs[estimate >= j_target - VERIFY_MARGIN]
    live_idx = np.array(live, dtype=np.int64)

    edges: list[tuple[int, int, float, float]] = []
    best: dict[int, tuple[float, int]] = {}  # plan index -> (shared share, partner), other units only

    def offer(me: int, candidates: list[int], share: float) -> None:
        """``share`` of plan ``me`` is in each of ``candidates``: keep the first of another unit."""
        other = next((k for k in candidates if k != me and _other_unit(items[me], items[k])), None)
        if other is None:
            return
        held, partner = best.get(me, (-1.0, -1))
        # ties go to the smaller plan_id, so the result does not depend on input order
        if share > held or (share == held and items[other].plan_id < items[partner].plan_id):
            best[me] = (share, other)

    for rep, same in copies.items():
        members = group(rep)
        edges.extend((rep, k, 1.0, 1.0) for k in same)
        orgs = {items[k].organization for k in members}
        if len(orgs) > 1 or None in orgs:  # else all one unit's: nothing is another's
            for k in members:
                offer(k, members, 1.0)
    for li, lj in pairs.tolist():
        i, j = int(live_idx[li]), int(live_idx[lj])
        common = _overlap(hashes(i), hashes(j))
        jac = float(common / (sizes[i] + sizes[j] - common))
        dice = float(2 * common / (sizes[i] + sizes[j]))
        if dice >= threshold:
            edges.append((i, j, dice, jac) if i < j else (j, i, dice, jac))
        gi, gj = group(i), group(j)
        for k in gi:
            offer(k, gj, float(common / sizes[i]))
        for k in gj:
            offer(k, gi, float(common / sizes[j]))

    shares = {}
    for i in sorted(best, key=lambda k: items[k].plan_id):
        share, other = best[i]
        shares[items[i].plan_id] = Share(items[i].plan_id, round(share, 4), items[other].plan_id,
                                         bool(share >= MOSTLY_SHARED))

    uf = _UnionFind(len(items))
    for i, j, _, _ in edges:
        uf.union(i, j)
    groups: dict[int, list[int]] = {}
    for i, j, _, _ in edges:
        for k in (i, j):
            groups.setdefault(uf.find(k), [])
    for k in range(len(items)):
        root = uf.find(k)
        if root in groups:
            groups[root].append(k)
    edges_by_root: dict[int, list[tuple[int, int, float, float]]] = {}
    for edge in edges:
        edges_by_root.setdefault(uf.find(edge[0]), []).append(edge)

    clusters = []
    for root, idx in groups.items():
        idx = sorted(set(idx), key=lambda k: (items[k].source_path or "", items[k].plan_id))
        links = sorted(edges_by_root[root], key=lambda e: (-e[2], items[e[0]].plan_id, items[e[1]].plan_id))
        if len(idx) <= PAIRWISE_MAX:
            sims = [float(2 * _overlap(hashes(a), hashes(b)) / (sizes[a] + sizes[b]))
                    for n, a in enumerate(idx) for b in idx[n + 1:]]
        else:
            sims = [e[2] for e in links]
        members = []
        for k in idx:
            share = shares.get(items[k].plan_id)
            members.append(Member(plan_id=items[k].plan_id, source_path=items[k].source_path,
                                  organization=items[k].organization, title=items[k].title,
                                  shared_share=share.shared_share if share else 0.0,
                                  shared_with=share.shared_with if share else None,
                                  mostly_shared=share.mostly_shared if share else False))
        clusters.append(Cluster(
            cluster_id=0, members=tuple(members), min_similarity=round(min(sims), 4),
            max_similarity=round(max(sims), 4),
            pairs=tuple(Pair(items[a].plan_id, items[b].plan_id, round(d, 4), round(jc, 4)) for a, b, d, jc in links),
        ))
    clusters.sort(key=lambda c: (-len(c.members), -c.max_similarity, c.members[0].plan_id))
    clusters = [Cluster(n, c.members, c.min_similarity, c.max_similarity, c.pairs) for n, c in enumerate(clusters, 1)]
    return SimilarityReport(clusters=clusters, shares=shares, threshold=threshold, plans=len(items))


def find_similar(plans: Iterable[PlanText], threshold: float = DEFAULT_THRESHOLD) -> list[Cluster]:
    """Clusters of plans whose texts are near-duplicates (Dice similarity of their
    normalised 5-gram shingle sets ≥ ``threshold``), largest first."""
    return analyse_similarity(plans, threshold).clusters


__all__: Sequence[str] = ("PlanText", "Member", "Pair", "Cluster", "Share", "SimilarityReport", "plan_texts",
                          "plan_texts_from_frames", "analyse_similarity", "find_similar", "normalise",
                          "tokens", "shingles", "signature")
