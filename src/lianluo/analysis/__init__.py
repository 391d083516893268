"""Text analysis of citizens' messages: segmentation, hot topics, duplicates.

The bottom floor: pure Python over scikit-learn and rjieba, no Django and no other lianluo module,
so the `lianluo` console command (cli.py) runs after a plain `pip install .` without a database.
"""

from lianluo.analysis.duplicates import duplicate_groups, similar
from lianluo.analysis.topics import Topic, hot_topics

__all__ = ["Topic", "duplicate_groups", "hot_topics", "similar"]
