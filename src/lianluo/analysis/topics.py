"""Hot topics (热点): groups of messages about the same matter, their number found from the data.

Words (segment.tokens) → TF-IDF → TruncatedSVD (latent topics; synonyms meet) → unit vectors →
HDBSCAN (density: the number of topics is not given, and one-off messages stay noise). Past
`sample` messages, HDBSCAN runs on a fixed random sample and every other message joins the
topic whose centre it is nearest, if it is as near as most of that topic's own members are
(otherwise noise): linear in the number of messages. Deterministic (fixed random_state).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import HDBSCAN
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from lianluo.analysis.segment import tokens, without_places

K = TypeVar("K", bound=Hashable)

SEED = 20261202


@dataclass(frozen=True)
class Topic(Generic[K]):
    """One hot topic: a short label, its keywords (most telling first) and its messages' ids."""

    label: str
    keywords: list[str]
    ids: list[K] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.ids)


def hot_topics(
    items: Sequence[tuple[K, str]],
    *,
    min_size: int | None = None,
    sample: int = 6000,
    components: int = 50,
    keywords: int = 8,
) -> list[Topic[K]]:
    """The topics of `items` (id, text), largest first. Each id is in at most one topic; the
    others are noise. `min_size`: the smallest group called a topic (default: 5, or 0.4 % of the
    messages clustered, whichever is larger)."""
    n = len(items)
    if n < 3:
        return []
    vectorizer = TfidfVectorizer(
        analyzer=_words, min_df=2, max_df=0.5, sublinear_tf=True, dtype=np.float32
    )
    try:
        words = vectorizer.fit_transform([text for _, text in items])
    except ValueError:  # no word appears twice: nothing in common
        return []
    vocabulary = vectorizer.get_feature_names_out()
    if words.shape[1] > components + 1 and n > components + 1:
        svd = TruncatedSVD(n_components=components, random_state=SEED)
        vectors = svd.fit_transform(words).astype(np.float32)
    else:
        vectors = words.toarray()
    vectors = normalize(vectors)

    # A message with no word that another one shares has nothing to be grouped by: noise.
    usable = np.flatnonzero(words.getnnz(axis=1) > 0)
    rng = np.random.RandomState(SEED)
    chosen = np.sort(rng.choice(usable, sample, replace=False)) if len(usable) > sample else usable
    smallest = min_size or max(5, round(len(chosen) * 0.004))
    if len(chosen) < 2 * smallest:
        return []
    clusterer = HDBSCAN(
        min_cluster_size=smallest,
        min_samples=max(3, smallest // 3),
        copy=True,
    )
    sample_labels = clusterer.fit_predict(vectors[chosen])
    labels = _spread(vectors, usable, chosen, sample_labels)

    topics: list[Topic[K]] = []
    overall = np.asarray(words.mean(axis=0)).ravel()
    for label in sorted(set(labels.tolist()) - {-1}):
        members = np.flatnonzero(labels == label)
        weights = np.asarray(words[members].mean(axis=0)).ravel() - overall
        # Only words the topic uses more than the messages at large: a topic of few distinct
        # words must not be padded with words its messages never say.
        order = np.argsort(-weights, kind="stable")[:keywords]
        ranked = [str(vocabulary[i]) for i in order if weights[i] > 0] or [
            str(vocabulary[order[0]])
        ]
        topics.append(
            Topic(
                label="·".join(ranked[:3]),
                keywords=ranked,
                ids=[items[i][0] for i in members.tolist()],
            )
        )
    topics.sort(key=lambda t: -t.size)  # stable: ties keep the order of their first message
    return topics


def _words(text: str) -> list[str]:
    """A topic is what is reported, not where: place names are left out."""
    return tokens(without_places(text))


def _spread(
    vectors: NDArray[np.float32],
    usable: NDArray[np.intp],
    chosen: NDArray[np.intp],
    sample_labels: NDArray[np.intp],
) -> NDArray[np.intp]:
    """Labels for every message from the sample's: the sample keeps its own; every other message
    joins the nearest topic centre if it is nearer than the 10th percentile of that topic's
    members (else -1)."""
    n = len(vectors)
    labels = np.full(n, -1, dtype=np.intp)
    labels[chosen] = sample_labels
    found = sorted(set(sample_labels.tolist()) - {-1})
    if not found or len(chosen) == len(usable):
        return labels
    centres = normalize(np.stack([vectors[chosen[sample_labels == c]].mean(axis=0) for c in found]))
    floors = np.array(
        [
            np.percentile(vectors[chosen[sample_labels == c]] @ centres[i], 10)
            for i, c in enumerate(found)
        ]
    )
    rest = np.setdiff1d(usable, chosen)
    for start in range(0, len(rest), 20000):
        block = rest[start : start + 20000]
        sims = vectors[block] @ centres.T
        best = sims.argmax(axis=1)
        near = sims[np.arange(len(block)), best] >= floors[best]
        labels[block[near]] = np.asarray(found)[best[near]]
    return labels
