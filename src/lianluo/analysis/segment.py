"""Chinese (and mixed Chinese/English/digit) text into the words that carry a message's matter.

rjieba (the Python binding of jieba-rs) cuts the text; what every message says whatever its
matter (function words, 反映/希望/问题/请…, `stopwords.txt`), punctuation, bare numbers and
single characters outside a short list of meaningful ones are dropped. Latin words are
lower-cased. Pure Python above the segmenter: no Django, no other lianluo module.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

import rjieba

# A single character is usually a fragment (号, 路, 坏); these few name a matter on their own.
MEANINGFUL_SINGLE = frozenset("水电气暖灯树桥井坑狗猫蚊鼠臭烟火雨雪风")

_WORD = re.compile(r"[\w]", re.UNICODE)
_DIGITS = re.compile(r"^[\d.,%％]+$")


@cache
def stop_words() -> frozenset[str]:
    """The stop words shipped with the package (one per line or space-separated)."""
    text = files(__package__).joinpath("stopwords.txt").read_text(encoding="utf-8")
    words: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        words.update(line.split())
    return frozenset(words)


def tokens(text: str) -> list[str]:
    """The meaningful words of `text`, in order (duplicates kept: they weigh in TF-IDF)."""
    stops = stop_words()
    out: list[str] = []
    for raw in rjieba.cut(text):
        word = raw.strip().lower()
        if not word or word in stops or not _WORD.search(word) or _DIGITS.match(word):
            continue
        if len(word) == 1 and word not in MEANINGFUL_SINGLE:
            continue
        out.append(word)
    return out


def normalize(text: str) -> str:
    """The text with whitespace and punctuation removed and Latin letters lower-cased: what the
    character n-grams of duplicate detection are cut from (digits are kept: 3号楼 ≠ 5号楼)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())
