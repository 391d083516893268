"""Duplicates (重复件): messages that report the same problem at the same place.

Each text, stripped of punctuation and spaces (segment.normalize), becomes a TF-IDF vector of its
character 2- and 3-grams: rewordings of one complaint share their place names and key nouns,
which IDF weighs above the words every complaint uses. Two messages are duplicates when their
cosine reaches `threshold` AND they do not name different numbers (3号楼 and 5号楼 are two
places: when both messages have short numbers, they must share one). Pairs come from a sparse
product by blocks of rows (characters in more than `common` of the messages are left out of it,
so a block stays small); groups are the connected pairs. Precision first: a false merge hides a
citizen's case, so the threshold is high and a group whose members are not all near one of its
members is split at a higher threshold.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from typing import TypeVar

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from lianluo.analysis.segment import normalize

K = TypeVar("K", bound=Hashable)

THRESHOLD = 0.5
_NUMBER = re.compile(r"\d{1,4}")


def _numbers(text: str) -> frozenset[str]:
    """The short numbers a message names (building, unit, road numbers); long runs are phone
    numbers or dates of the writer, not of the place."""
    return frozenset(m for m in re.findall(r"\d+", text) if len(m) <= 4)


def _vectorizer(n: int, common: float) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(2, 3),
        sublinear_tf=True,
        max_df=1.0 if n < 200 else common,
        dtype=np.float32,
    )


# A place a message names: two characters before a place word (幸福里小区 → 福里小区, 黄河路),
# unless they end in a common word (走路, 马路, 农村: not a place of its own).
_PLACE = re.compile(
    r"[\u4e00-\u9fff]{2}(?:大道|大街|小区|花园|新村|家园|社区|公寓|华庭|街道|路|街|巷|弄|村|镇|乡|苑|湾)"
)
_NOT_PLACES = frozenset(
    "走路 马路 道路 线路 公路 修路 堵路 过路 出路 近路 占路 把路 条路 小路 大路 上路 水路 网路 "
    "农村 乡村 全村 本村 进村 村村 城乡 下乡 回乡 老街 上街 逛街 满街 沿街 临街 新区 本小区 "
    "个小区 们小区 的小区 在小区 们社区 的社区 在社区".split()
)


def _places(text: str) -> frozenset[str]:
    found = set()
    for match in _PLACE.findall(text):
        if match[-2:] in _NOT_PLACES or match[-3:] in _NOT_PLACES or match[:2] in _NOT_PLACES:
            continue
        found.add(match)
    return frozenset(found)


def _where(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """What a message says of its place: short numbers and place names."""
    return _numbers(text), _places(text)


def _numbers_agree(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    """False when each message names a number (or a place) that the other does not: two places
    (3号楼 and 5号楼; 黄河路 and 长江路). One naming more than the other is not a conflict."""
    return not any(x - y and y - x for x, y in zip(a, b, strict=True))


def duplicate_groups(
    items: Sequence[tuple[K, str]],
    *,
    threshold: float = THRESHOLD,
    common: float = 0.05,
    block: int = 500,
) -> list[list[K]]:
    """Groups (two or more ids, in input order) of messages reporting the same problem; the
    groups are sorted by size, largest first."""
    n = len(items)
    if n < 2:
        return []
    texts = [normalize(text) for _, text in items]
    try:
        vectors = _vectorizer(n, common).fit_transform(texts)
    except ValueError:  # nothing but empty texts
        return []
    numbers = [_where(t) for t in texts]
    transposed = vectors.T.tocsr()
    rows: list[NDArrayInt] = []
    cols: list[NDArrayInt] = []
    for start in range(0, n, block):
        sims = (vectors[start : start + block] @ transposed).tocoo()
        keep = (sims.data >= threshold) & (sims.row + start < sims.col)
        r, c = sims.row[keep] + start, sims.col[keep]
        agree = np.fromiter(
            (_numbers_agree(numbers[i], numbers[j]) for i, j in zip(r, c, strict=True)),
            dtype=bool,
            count=len(r),
        )
        rows.append(r[agree])
        cols.append(c[agree])
    row = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.empty(0, dtype=np.int64)
    graph = csr_matrix((np.ones(len(row), dtype=np.int8), (row, col)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append(i)
    groups: list[list[K]] = []
    for component in members.values():
        if len(component) == 2:
            groups.append([items[i][0] for i in component])
        elif len(component) > 2:
            for part in _complete(vectors, numbers, component, threshold):
                groups.append([items[i][0] for i in part])
    groups.sort(key=lambda g: -len(g))
    return groups


def _complete(
    vectors: csr_matrix, numbers: list[tuple[frozenset[str], frozenset[str]]], component: list[int], threshold: float
) -> list[list[int]]:
    """The connected pairs of a component regrouped by complete linkage: in a group, EVERY two
    messages are alike (no chain A~B~C merging A and C); groups of one are dropped."""
    if len(component) > MAX_COMPONENT:  # a crowd of near-identical texts: stricter, then again
        return [
            part
            for sub in _split(vectors, numbers, component, threshold + 0.1)
            for part in (_complete(vectors, numbers, sub, threshold + 0.1) if len(sub) > 2 else [sub])
        ]
    sub = vectors[component]
    sims = (sub @ sub.T).toarray()
    for a in range(len(component)):
        for b in range(a + 1, len(component)):
            if not _numbers_agree(numbers[component[a]], numbers[component[b]]):
                sims[a, b] = sims[b, a] = 0.0
    distance = np.clip(1.0 - sims, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="complete",
        distance_threshold=1.0 - threshold + 1e-6,
    ).fit_predict(distance)
    parts: dict[int, list[int]] = {}
    for index, label in zip(component, labels.tolist(), strict=True):
        parts.setdefault(label, []).append(index)
    return [p for p in parts.values() if len(p) > 1]


def _split(
    vectors: csr_matrix, numbers: list[tuple[frozenset[str], frozenset[str]]], component: list[int], threshold: float
) -> list[list[int]]:
    """The connected parts of `component` at a stricter threshold."""
    sub = vectors[component]
    sims = (sub @ sub.T).tocoo()
    keep = sims.data >= threshold
    graph = csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int8), (sims.row[keep], sims.col[keep])),
        shape=(len(component), len(component)),
    )
    _, labels = connected_components(graph, directed=False)
    parts: dict[int, list[int]] = {}
    for index, label in zip(component, labels.tolist(), strict=True):
        parts.setdefault(label, []).append(index)
    return [p for p in parts.values() if len(p) > 1]


NDArrayInt = np.ndarray
MAX_COMPONENT = 2000


def similar(
    text: str, candidates: Sequence[tuple[K, str]], threshold: float = THRESHOLD
) -> list[tuple[K, float]]:
    """The candidates (id, text) that report the same problem as `text`, with their score
    (cosine, 0–1), best first: what intake and triage propose for merging."""
    if not candidates:
        return []
    texts = [normalize(t) for _, t in candidates]
    mine = normalize(text)
    try:
        vectors = _vectorizer(len(texts) + 1, 1.0).fit_transform([mine, *texts])
    except ValueError:
        return []
    scores = (vectors[1:] @ vectors[0].T).toarray().ravel()
    own = _where(mine)
    found = [
        (candidates[i][0], round(float(s), 4))
        for i, s in enumerate(scores.tolist())
        if s >= threshold and _numbers_agree(own, _where(texts[i]))
    ]
    found.sort(key=lambda pair: -pair[1])
    return found
