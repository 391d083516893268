"""Hot topics on a small corpus with a known answer: three matters and one-off messages."""

import random
from collections import Counter

from lianluo.analysis import hot_topics
from lianluo.analysis.segment import tokens

PLACES = ["幸福里小区", "阳光花园", "东湖新村", "翠竹苑", "和平路", "解放街", "朝阳村", "石桥镇"]
MATTERS = {
    "lights": (
        ["路灯", "街灯", "路边的灯"],
        ["不亮", "坏了", "一直不亮"],
        ["晚上走路看不见", "老人夜里出门容易摔倒", "已经黑了半个月"],
    ),
    "rubbish": (
        ["垃圾", "生活垃圾", "垃圾桶"],
        ["没人清运", "堆成山", "好几天不收"],
        ["臭味熏天", "招苍蝇蚊子", "夏天味道太大"],
    ),
    "parking": (
        ["停车位", "车位", "小区停车"],
        ["太少", "一位难求", "乱停乱放"],
        ["下班回来找不到地方停", "车都停到消防通道上了", "希望增设停车场"],
    ),
}
NOISE = [
    "想咨询一下族谱的登记办法",
    "我的钢琴证书丢了能补吗",
    "去年交的蜂箱押金退不回来",
    "电视台能不能来拍我们的龙舟",
    "老家的古井要迁走找谁审批",
    "孩子学围棋有没有补助",
]


def corpus() -> tuple[list[tuple[int, str]], dict[int, str]]:
    """20 messages on each of three matters, worded variously, then six one-off messages."""
    rng = random.Random(1)
    items: list[tuple[int, str]] = []
    truth: dict[int, str] = {}
    for name, (subjects, problems, details) in MATTERS.items():
        for _ in range(20):
            id_ = len(items) + 1
            text = (
                f"您好，{rng.choice(PLACES)}{rng.randint(1, 30)}号楼的{rng.choice(subjects)}"
                f"{rng.choice(problems)}，{rng.choice(details)}，希望尽快解决。"
            )
            items.append((id_, text))
            truth[id_] = name
    for text in NOISE:
        items.append((len(items) + 1, text))
    return items, truth


def test_three_matters_and_noise_give_three_topics_that_partition_the_messages():
    items, truth = corpus()

    topics = hot_topics(items, min_size=10)

    assert len(topics) == 3
    all_ids = [id_ for t in topics for id_ in t.ids]
    assert len(all_ids) == len(set(all_ids))  # each id in at most one topic
    for topic in topics:
        matters = Counter(truth.get(id_, "noise") for id_ in topic.ids)
        matter, count = matters.most_common(1)[0]
        assert matter != "noise" and count >= 18  # nearly all of its 20 messages
        assert count / topic.size >= 0.9  # and little else
    assert (
        len({Counter(truth.get(i, "noise") for i in t.ids).most_common(1)[0][0] for t in topics})
        == 3
    )
    noise_ids = set(range(len(items) - len(NOISE) + 1, len(items) + 1))
    assert len(noise_ids & set(all_ids)) <= 1  # one-off messages stay out of topics
    assert [t.size for t in topics] == sorted((t.size for t in topics), reverse=True)


def test_a_topic_is_labelled_by_its_keywords():
    items, truth = corpus()

    topics = hot_topics(items, min_size=10)

    by_matter = {Counter(truth.get(i) for i in t.ids).most_common(1)[0][0]: t for t in topics}
    assert any("垃圾" in word for word in by_matter["rubbish"].keywords[:3])
    assert "路灯" in by_matter["lights"].keywords[:3]
    label = by_matter["lights"].label
    assert "·" in label and label.split("·") == by_matter["lights"].keywords[:3]


def test_the_same_input_gives_the_same_topics():
    items, _ = corpus()

    assert hot_topics(items, min_size=10) == hot_topics(items, min_size=10)


def test_ids_are_kept_as_given_strings_or_numbers():
    items, _ = corpus()
    named = [(f"case-{id_}", text) for id_, text in items]

    topics = hot_topics(named, min_size=10)

    assert topics and all(isinstance(id_, str) and id_.startswith("case-") for id_ in topics[0].ids)


def test_too_few_or_unrelated_messages_give_no_topic():
    assert hot_topics([]) == []
    assert hot_topics([(1, "路灯不亮")]) == []
    assert hot_topics([(i, text) for i, text in enumerate(NOISE)]) == []


def test_segmentation_drops_what_every_message_says():
    words = tokens("我们小区3号楼的路灯已经坏了两个星期，希望尽快维修！WiFi 123")

    assert "路灯" in words and "维修" in words and "wifi" in words
    for dropped in ("我们", "的", "希望", "尽快", "123", "，", "了"):
        assert dropped not in words
