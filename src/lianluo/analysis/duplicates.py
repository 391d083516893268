"""Duplicates (重复件): messages that report the same problem at the same place.

Each text, stripped of punctuation and spaces (segment.normalize), becomes a vector of its
characters and character pairs (counted, no IDF; characters in more than `common` of a large set
left out). Two messages are duplicates when their cosine reaches `threshold` AND they do not
name different places: each naming a short number the other does not (3号楼 and 5号楼), or a
place name the other does not (黄河路 and 长江路, segment.places). Pairs come from a sparse
product by blocks of rows; the connected pairs are regrouped by average linkage, so a chain of
alike pairs does not merge its two ends. Precision first: a false merge hides a citizen's case.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, TypeVar

from lianluo.analysis.segment import normalize, places

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer

# numpy, scipy and scikit-learn (some 130 MB) are imported by the batch functions that use
# them, never at import: the web process finds duplicates with `similar` alone, in pure Python.

K = TypeVar("K", bound=Hashable)

THRESHOLD = 0.65
# A component past this many messages (a crowd of near-identical texts) is split at a stricter
# threshold first: average linkage needs its n² similarities.
MAX_COMPONENT = 2000


def _numbers(text: str) -> frozenset[str]:
    """The short numbers a message names (building, unit, road numbers); long runs are phone
    numbers or dates of the writer, not of the place."""
    return frozenset(m for m in re.findall(r"\d+", text) if len(m) <= 4)


def _vectorizer(n: int, common: float) -> TfidfVectorizer:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Characters and character pairs, counted (no IDF: in a small set of messages about one
    # matter, IDF would weigh down the very words they share); the characters of more than
    # `common` of a large set (的, 了, 希望…) are left out, which also keeps the product sparse.
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 2),
        use_idf=False,
        sublinear_tf=True,
        max_df=1.0 if n < 200 else common,
        dtype=np.float32,
    )


def _where(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """What a message says of its place: short numbers and place names, read from the text as
    written (its punctuation ends a place name: "修补。南街" names 南街, not "补南街")."""
    return _numbers(text), places(text.lower())


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
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(items)
    if n < 2:
        return []
    texts = [normalize(text) for _, text in items]
    try:
        vectors = _vectorizer(n, common).fit_transform(texts)
    except ValueError:  # nothing but empty texts
        return []
    numbers = [_where(text) for _, text in items]
    transposed = vectors.T.tocsr()
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
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
            for part in _regroup(vectors, numbers, component, threshold):
                groups.append([items[i][0] for i in part])
    groups.sort(key=lambda g: -len(g))
    return groups


def _regroup(
    vectors: csr_matrix,
    numbers: list[tuple[frozenset[str], frozenset[str]]],
    component: list[int],
    threshold: float,
) -> list[list[int]]:
    """The connected pairs of a component regrouped by average linkage: a message joins a group
    only if it is alike to its members on average (no long chain A~B~C~D merging A and D);
    groups of one are dropped."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    if len(component) > MAX_COMPONENT:  # a crowd of near-identical texts: stricter, then again
        return [
            part
            for sub in _split(vectors, numbers, component, threshold + 0.1)
            for part in (
                _regroup(vectors, numbers, sub, threshold + 0.1) if len(sub) > 2 else [sub]
            )
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
        linkage="average",
        distance_threshold=1.0 - threshold + 1e-6,
    ).fit_predict(distance)
    parts: dict[int, list[int]] = {}
    for index, label in zip(component, labels.tolist(), strict=True):
        parts.setdefault(label, []).append(index)
    return [p for p in parts.values() if len(p) > 1]


def _split(
    vectors: csr_matrix,
    numbers: list[tuple[frozenset[str], frozenset[str]]],
    component: list[int],
    threshold: float,
) -> list[list[int]]:
    """The connected parts of `component` at a stricter threshold."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

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


def profile(text: str) -> dict[str, float]:
    """The vector `similar` compares, of a text already `normalize`d: its characters and
    character pairs, each weighted 1 + ln(count) and the whole scaled to length 1 — the rows of
    `_vectorizer` (same n-grams, sublinear tf, no IDF, L2 norm), in pure Python."""
    counts = Counter(text)
    counts.update([text[i : i + 2] for i in range(len(text) - 1)])
    weights = {gram: 1.0 + math.log(n) for gram, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {gram: w / norm for gram, w in weights.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The cosine of two `profile`s."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b[gram] for gram, w in a.items() if gram in b)


def similar(
    text: str, candidates: Sequence[tuple[K, str]], threshold: float = THRESHOLD
) -> list[tuple[K, float]]:
    """The candidates (id, text) that report the same problem as `text`, with their score
    (cosine, 0–1), best first: what intake and triage propose for merging. The scores are
    those of `_vectorizer`'s rows (`profile`)."""
    mine = profile(normalize(text))
    if not mine:
        return []
    own: tuple[frozenset[str], frozenset[str]] | None = None
    found = []
    for key, other in candidates:
        score = cosine(mine, profile(normalize(other)))
        if score < threshold:
            continue
        own = own or _where(text)
        if _numbers_agree(own, _where(other)):
            found.append((key, round(score, 4)))
    found.sort(key=lambda pair: -pair[1])
    return found
