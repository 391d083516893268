"""Text analysis of citizens' messages: segmentation, hot topics, duplicates.

The bottom floor: pure Python over scikit-learn and rjieba, no Django and no other lianluo module,
so the `lianluo` console command (cli.py) runs after a plain `pip install .` without a database.

The names below load on first use (PEP 562): importing `lianluo.analysis.duplicates` for
`similar` must not pull scikit-learn into every web process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lianluo.analysis.duplicates import duplicate_groups, similar
    from lianluo.analysis.topics import Topic, hot_topics

__all__ = ["Topic", "duplicate_groups", "hot_topics", "similar"]


def __getattr__(name: str) -> Any:
    if name in ("duplicate_groups", "similar"):
        from lianluo.analysis import duplicates

        return getattr(duplicates, name)
    if name in ("Topic", "hot_topics"):
        from lianluo.analysis import topics

        return getattr(topics, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
