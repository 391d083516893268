"""Duplicates: one problem at one place is grouped; another place or problem is not."""

import pytest

from lianluo.analysis import duplicate_groups, similar

SAME_LIGHT = [
    (1, "幸福里小区3号楼门口的路灯坏了两个星期，晚上出门很不方便，希望尽快维修。"),
    (2, "您好，幸福里小区3号楼门口路灯坏了两周了，晚上出门不方便，请尽快修一下。"),
    (3, "反映一个情况：幸福里小区3号楼门口的路灯坏了，已经两个星期，晚上出门很不方便！"),
]
SAME_WATER = [
    (10, "东湖新村12栋地下车库积水严重，下雨就淹，车开不进去。"),
    (11, "东湖新村12栋的地下车库积水严重，一下雨就淹了，车都开不进去，请处理。"),
]
OTHERS = [
    (
        20,
        "幸福里小区5号楼门口的路灯坏了两个星期，晚上出门很不方便，希望尽快维修。",
    ),  # other building
    (21, "阳光花园3号楼门口的路灯坏了两个星期，晚上出门很不方便，希望尽快维修。"),  # other place
    (22, "幸福里小区3号楼的电梯经常故障困人，物业推来推去。"),  # same place, other problem
    (23, "菜市场占道经营，早上特别拥挤。"),
    (24, "孩子上学的校车什么时候开通？"),
]


def test_rewordings_of_one_problem_at_one_place_are_grouped():
    groups = duplicate_groups(SAME_LIGHT + SAME_WATER + OTHERS)

    assert sorted(sorted(g) for g in groups) == [[1, 2, 3], [10, 11]]


def test_a_different_building_place_or_problem_is_never_merged():
    groups = duplicate_groups(SAME_LIGHT[:1] + OTHERS)

    assert groups == []


def test_groups_keep_ids_as_given_and_leave_singletons_out():
    items = [(f"c{id_}", text) for id_, text in SAME_WATER + OTHERS]

    assert duplicate_groups(items) == [["c10", "c11"]]
    assert duplicate_groups([]) == []
    assert duplicate_groups(SAME_LIGHT[:1]) == []


def test_similar_proposes_the_duplicates_of_one_new_text_best_first():
    new = "幸福里小区3号楼门口路灯坏了快两个星期了，晚上出门很不方便，麻烦尽快维修。"

    found = similar(new, SAME_LIGHT + SAME_WATER + OTHERS)

    assert [id_ for id_, _ in found] and {id_ for id_, _ in found} <= {1, 2, 3}
    assert {1, 3} <= {id_ for id_, _ in found}
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True) and all(0.5 <= s <= 1 for s in scores)


def test_similar_with_nothing_alike_proposes_nothing():
    assert similar("孩子上学的校车什么时候开通？", SAME_LIGHT + SAME_WATER) == []
    assert similar("路灯坏了", []) == []


def test_a_place_is_read_from_the_text_as_written_not_across_its_punctuation():
    # The ledger compares "title text place": once the punctuation is gone, "修补。南街" would
    # read as a place "补南街" and "修一下。南街" as "下南街", and keep one pothole apart.
    a = " 南街菜市场门口路面塌了一个大坑，电动车经过很危险，请尽快修补。 南街菜市场门口"
    b = " 南街菜市场门口路面塌了个大坑，电动车过去很危险，希望尽快修一下。 南街菜市场门口"

    assert [id_ for id_, _ in similar(a, [(1, b)])] == [1]
    assert duplicate_groups([(1, a), (2, b)]) == [[1, 2]]


def test_similar_scores_are_those_of_the_vectorizer_it_replaces():
    # `similar` runs in the web process without scikit-learn: its cosine must be the one the
    # batch grouping computes with _vectorizer (characters and pairs, sublinear tf, L2)
    from lianluo.analysis.duplicates import _vectorizer, cosine, profile
    from lianluo.analysis.segment import normalize

    texts = [t for _, t in SAME_LIGHT + SAME_WATER + OTHERS]
    query = SAME_LIGHT[0][1]
    vectors = _vectorizer(len(texts) + 1, 1.0).fit_transform(
        [normalize(t) for t in [query, *texts]]
    )
    expected = (vectors[1:] @ vectors[0].T).toarray().ravel()
    mine = profile(normalize(query))
    ours = [cosine(mine, profile(normalize(t))) for t in texts]
    assert ours == pytest.approx(expected.tolist(), abs=1e-4)
    assert max(ours) > 0.9 and min(ours) < 0.5  # alike and unlike texts both compared


def test_the_web_process_does_not_load_the_analysis_libraries():
    # importing what intake and triage use must not pull numpy, scipy, scikit-learn or jieba
    import subprocess
    import sys

    code = (
        "import sys, lianluo.analysis.duplicates as d; d.similar('路灯坏了', [(1, '路灯坏了')]); "
        "print(sorted({'numpy', 'scipy', 'sklearn', 'rjieba'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
