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
    # Here, not at import: its dictionary is some 35 MB, and only hot topics cut words (the
    # duplicates and places below are character n-grams and patterns).
    import rjieba

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


# A place a message names: the two characters before a place word (幸福里小区 → 福里小区, 黄河路),
# unless they are a common word's (走路, 马路, 农村) or grammar (我们小区, 的路, 3号楼路灯).
PLACE_RE = re.compile(
    r"[\u4e00-\u9fff]{2}"
    r"(?:大道|大街|小区|花园|新村|家园|社区|公寓|华庭|街道|路(?![灯边面况线费过])|街|巷|弄|村|镇|乡|苑|湾)"
)
_NOTPLACE_RES = frozenset(
    [
        "走路",
        "马路",
        "道路",
        "线路",
        "公路",
        "修路",
        "堵路",
        "过路",
        "出路",
        "近路",
        "占路",
        "把路",
        "条路",
        "小路",
        "大路",
        "上路",
        "水路",
        "网路",
        "农村",
        "乡村",
        "全村",
        "本村",
        "进村",
        "村村",
        "城乡",
        "下乡",
        "回乡",
        "老街",
        "上街",
        "逛街",
        "满街",
        "沿街",
        "临街",
        "新区",
    ]
)
_GRAMMAR = frozenset("的在是了楼号栋层单元口和与及到从我你他她们这那个很都也不没有去来住")


def places(text: str) -> frozenset[str]:
    """The places a text names, as keys (two characters and the place word), not for display."""
    found = set()
    for match in PLACE_RE.findall(text):
        if match[-2:] in _NOTPLACE_RES or match[0] in _GRAMMAR or match[1] in _GRAMMAR:
            continue
        found.add(match)
    return frozenset(found)


def without_places(text: str) -> str:
    """The text with the places it names cut out: what a message is about, not where."""
    for place in places(text):
        text = text.replace(place, " ")
    return text


def normalize(text: str) -> str:
    """The text with whitespace and punctuation removed and Latin letters lower-cased: what the
    character n-grams of duplicate detection are cut from (digits are kept: 3号楼 ≠ 5号楼)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())
