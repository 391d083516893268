"""Hot topics and duplicates benchmark: quality on a labelled corpus of our own, beside a simple
baseline computed in the same run, and time and memory at scale.

The corpus (`corpus()`, seeded): citizens' messages on 40 recurring matters (路灯不亮, 垃圾清运,
停车难, 积水, 噪音扰民, 学校接送拥堵, 菜市场占道, 养老服务, 医保报销 …), each written from
varied subjects, problems and requests, with place names, openers and closers, and typos
(homophones); 20 % noise: one-off matters built from a wide vocabulary; and planted duplicate
groups (2–4 rewordings of one message at the same place, the same building number).

Measured:
- hot topics (`lianluo.analysis.hot_topics`, not told the number of topics): adjusted Rand index
  (every noise message, true or predicted, is its own cluster) and purity (share of clustered
  messages whose topic's majority is their own matter), beside the baseline: TF-IDF on character
  2–3-grams + k-means given the TRUE number of matters (noise messages count as singletons in
  the truth; k-means has to place them somewhere);
- duplicates (`duplicate_groups`): precision and recall of the pairs it puts together;
- time (s) and peak memory (tracemalloc, MB) of each.

    .venv/bin/python benchmarks/topics.py --quick   # 4,000 messages, under a minute
    .venv/bin/python benchmarks/topics.py           # 100,000 messages

The last line is the ratio of our ARI to the baseline's:

    ratio (ARI ours / baseline): 1.65
"""

# ruff: noqa: E501 (the corpus's phrases: one matter a line, Chinese counts double width)
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def _split_space(text: str) -> list[str]:
    return text.split()


def _split_bar(text: str) -> list[str]:
    return text.split(" | ")


PLACES = _split_space(
    "幸福里小区 阳光花园 东湖新村 翠竹苑 金桥社区 和平路 解放街 人民路 "
    "建设路 光明小区 锦绣家园 滨江花园 桂花巷 梧桐街 枫林湾 朝阳村 红星村 "
    "石桥镇 青山村 南门社区 北苑小区 丽景华庭 新华街道 向阳路 长江路 黄河路 "
    "春晖小区 绿洲家园 星河湾 玉兰苑 文化路 育才路"
)
OPENERS = ["", "", "您好，", "代表您好，", "我是{p}的居民，", "反映一个情况：", "你好，我想反映，"]
CLOSERS = [
    "",
    "希望尽快解决。",
    "请有关部门处理。",
    "谢谢！",
    "盼复。",
    "希望代表帮忙协调。",
    "恳请领导重视。",
]
TYPOS = {"灯": "登", "坏": "怀", "停": "亭", "积": "级", "修": "休", "垃": "拉", "噪": "燥"}


def _parts(line: str) -> tuple[list[str], list[str], list[str]]:
    """ "a b / c d / e f" → (["a", "b"], ["c", "d"], ["e", "f"])."""
    subjects, problems, details = (part.split() for part in line.split(" / "))
    return subjects, problems, details


# (subjects, problems, details): a message is one of each, in varied order and wording.
MATTERS: list[tuple[list[str], list[str], list[str]]] = [
    _parts(line)
    for line in """
路灯 街灯 路边的灯 照明灯 / 不亮 坏了 一直不亮 晚上黑漆漆的 / 晚上走路看不见 老人夜里出门容易摔倒 已经黑了半个月
垃圾 生活垃圾 垃圾桶 垃圾站 / 没人清运 堆成山 好几天不收 满了溢出来 / 臭味熏天 招苍蝇蚊子 夏天味道太大
停车位 车位 停车 小区停车 / 太少 一位难求 停车难 乱停乱放 / 下班回来找不到地方停 车都停到消防通道上了 希望增设停车场
积水 路面积水 雨后积水 内涝 / 严重 半个月不退 漫到膝盖 排不出去 / 下水道堵了 一下雨就成河 行人无法通行
噪音 施工噪音 广场舞噪音 夜间施工 / 扰民 吵得睡不着 太吵 半夜还在响 / 老人孩子休息不好 晚上十一点还在施工 音响开得很大
学校门口 小学门口 接送孩子 放学时段 / 拥堵 堵得水泄不通 交通混乱 车辆乱停 / 家长接送车辆太多 孩子过马路很危险 希望安排交警疏导
菜市场 农贸市场 摊贩 流动摊点 / 占道经营 占道 摆摊堵路 把路占了 / 行人只能走机动车道 地面脏乱 早上特别拥挤
养老服务 老年食堂 日间照料中心 居家养老 / 跟不上 缺少 不够用 关门了 / 独居老人吃饭困难 希望增加助餐点 老人没地方活动
医保报销 医疗保险 异地就医报销 门诊报销 / 太慢 手续复杂 比例太低 报不了 / 跑了好几趟还没办成 材料要求太多 住院费用负担重
自来水 供水 水压 停水 / 水压低 经常停水 水质发黄 没有提前通知 / 高层用不上水 做饭洗澡都成问题 水里有异味
电梯 加装电梯 老旧电梯 / 经常故障 困人 迟迟没装 坏了没人修 / 老人上下楼困难 物业推来推去 安全隐患大
物业 物业公司 物业服务 / 不作为 乱收费 服务差 收费不透明 / 公共维修基金去向不明 保安形同虚设 绿化没人管
公交车 公交线路 公交站 班车 / 太少 班次少 间隔太长 线路取消了 / 等一个小时都不来 上班通勤很不方便 希望增开线路
道路 路面 马路 村道 / 坑洼不平 破损严重 到处是坑 塌陷 / 电动车经常摔倒 下雨全是泥 希望尽快修补路面
油烟 烧烤油烟 餐馆油烟 饭店排烟 / 扰民 直排 呛人 熏得开不了窗 / 楼下餐馆没有净化设备 衣服都有油烟味 晚上烧烤到凌晨
流浪狗 野狗 遛狗不拴绳 宠物狗 / 咬人 伤人 到处拉屎 吓到孩子 / 小区里狗粪很多 孩子被狗追 希望加强管理
充电桩 电动车充电 飞线充电 电瓶车充电 / 太少 不够 安全隐患 没地方充 / 楼道里私拉电线 电动车进电梯 希望建设集中充电点
幼儿园 托育 入园 学位 / 太少 难 不够 收费太高 / 孩子上不了公办园 民办园太贵 附近没有托育机构
违章建筑 违建 私搭乱建 楼顶加盖 / 没人管 越来越多 占用公共空间 影响采光 / 邻居在楼顶盖房 院子被围起来 举报多次没有结果
绿化带 树木 行道树 绿地 / 被毁 没人修剪 树枝挡窗 变成菜地 / 树枝碰到电线 遮挡阳光 蚊虫很多
井盖 下水道井盖 窨井盖 / 丢失 破损 松动 塌陷 / 晚上很危险 有人差点掉进去 车辆经过哐当响
燃气 天然气 燃气管道 煤气 / 没通 漏气 价格上涨 开户难 / 还在用液化气罐 闻到煤气味 希望尽快通气
暖气 供暖 集中供暖 暖气片 / 不热 温度不达标 迟迟不供 漏水 / 屋里只有十几度 老人孩子冻得生病 交了费还不热
拆迁补偿 征收补偿 安置房 征地补偿 / 不到位 标准太低 迟迟不发 不公平 / 安置房几年没交付 补偿款被拖欠 同样情况补偿不一样
工资 农民工工资 劳务费 欠薪 / 被拖欠 拿不到 讨薪无门 迟迟不发 / 包工头跑了 春节前要不到钱 几十个工友都没拿到
公共厕所 公厕 旱厕 厕所 / 太少 脏乱差 没人打扫 锁门 / 游客找不到厕所 气味难闻 改厕后不能用
快递 快递柜 快递驿站 快递车 / 乱堆放 占用楼道 乱收费 送货不上门 / 快递堆满门口 快递车横冲直撞 取件要排长队
网络信号 手机信号 宽带 光纤 / 很差 没有覆盖 经常断网 网速太慢 / 孩子上网课受影响 打电话听不清 村里还没通光纤
低保 困难补助 临时救助 残疾人补贴 / 申请难 没评上 发放不及时 标准低 / 家里确实困难 审核很久没消息 希望公平评定
老旧小区改造 旧改 外墙 屋顶 / 迟迟不动工 质量差 漏雨 脱落 / 墙皮掉下来砸车 顶楼一下雨就漏 改造后问题更多
河道 河水 水沟 池塘 / 发黑发臭 污染 漂满垃圾 有人排污 / 夏天臭气熏天 鱼都死了 工厂偷排污水
红绿灯 信号灯 斑马线 人行横道 / 缺少 时间太短 坏了 位置不合理 / 老人过马路来不及 路口经常出事故 希望增设信号灯
社区医院 卫生服务中心 村卫生室 医生 / 看病难 缺医少药 没有医生 设备陈旧 / 小病也要跑到城里 药品种类太少 排队时间太长
农田灌溉 水渠 灌溉设施 机耕路 / 年久失修 断水 堵塞 损毁 / 庄稼浇不上水 农机开不进地 影响春耕
健身器材 运动场地 篮球场 活动广场 / 损坏 太少 被占用 年久失修 / 器材生锈容易伤人 孩子没地方运动 晚上没有灯光
外卖电动车 电动车 三轮车 摩托车 / 逆行 闯红灯 乱窜 超速 / 人行道上横冲直撞 差点撞到老人 希望加强整治
房产证 不动产证 产权证 办证 / 办不下来 拖了多年 手续卡住 开发商不给办 / 孩子上学受影响 买房十年还没证 开发商欠费
空调外机 外机 空调 / 滴水 噪音大 对着窗户吹 安装位置不当 / 楼下天天滴水 热风吹进家里 邻居协商不成
消防通道 楼道杂物 消防栓 灭火器 / 被堵 堆满杂物 过期 没水 / 一旦着火后果不堪设想 物业不清理 灭火器早就过期了
广告 小广告 牛皮癣 横幅 / 乱贴 到处都是 清理不掉 乱挂 / 墙面被贴得乱七八糟 影响市容 刚清理又贴上
""".strip().splitlines()
]

NOISE_SUBJECTS = _split_space(
    "钱包 证件 手机 钥匙 护照 户口 族谱 古树 祠堂 石碑 牌匾 锦旗 奖状 "
    "档案 病历 合同 借条 发票 存折 印章 车牌 船只 渔网 蜂箱 鸽子 鹦鹉 "
    "锦鲤 果园 茶园 竹林 药材 蘑菇 木耳 蚕桑 花卉 苗木 剧团 乐队 书法 "
    "围棋 象棋 戏曲 舞龙 庙会 龙舟 风筝 剪纸 刺绣 陶艺 摄影 诗社 合唱 "
    "邮票 钢琴 提琴 望远镜 显微镜 缝纫机 收音机 唱片 胶片 雕塑 壁画 牌坊 "
    "古桥 老井 石磨 水车 碑文"
)
NOISE_ACTIONS = _split_bar(
    "想咨询一下{a}的登记办法 | 问问{a}能不能申请保护 | "
    "想了解{a}比赛的报名时间 | 建议组织{a}展览 | "
    "询问{a}相关的补贴政策 | 不知道{a}归哪个单位管 | "
    "想捐赠一批{a}给学校 | 希望开办{a}培训班 | 请教{a}的转让手续 | "
    "咨询{a}出口的检疫要求 | 我家{a}被邻居拿走了怎么办 | "
    "{a}能评非遗吗 | 去年交的{a}押金退不回来 | "
    "村里要统计{a}，我家漏报了 | 想借用礼堂办{a}活动 | "
    "我的{a}证书丢了能补吗 | {a}协会怎么加入 | "
    "老家的{a}要迁走，找谁审批 | {a}被雨淋坏了能索赔吗 | "
    "单位不给报{a}的费用 | 朋友托我问{a}能不能上门收购 | "
    "县里有没有{a}方面的专家 | 电视台能不能来拍我们的{a} | "
    "{a}的税怎么交 | 想给{a}办个展销会 | 孩子学{a}有没有补助 | "
    "{a}的年检在哪里办 | 听说{a}要涨价是真的吗"
)

ABOUT_ME = [
    "我今年七十岁了",
    "家住三楼",
    "打过热线没人接",
    "我是退休教师",
    "麻烦回个电话",
    "上次来过一次",
    "孩子在外地工作",
    "我不太会用手机",
    "周末才有空",
    "电话打不通",
    "",
    "先谢谢了",
    "我姓王",
    "我在外地打工",
    "听邻居说可以找代表",
    "这事拖了很久",
    "网上查不到",
    "我腿脚不方便",
]


def _typo(text: str, rng: random.Random) -> str:
    if rng.random() < 0.2:
        chars = [c for c in text if c in TYPOS]
        if chars:
            c = rng.choice(chars)
            return text.replace(c, TYPOS[c], 1)
    return text


def _message(m: int, place: str, building: int, rng: random.Random) -> str:
    subjects, problems, details = MATTERS[m]
    where = rng.choice(
        [f"{place}{building}号楼", f"{place}{building}栋", f"{place}{building}号楼附近"]
    )
    core = rng.choice(
        [
            f"{where}的{rng.choice(subjects)}{rng.choice(problems)}",
            f"{rng.choice(subjects)}{rng.choice(problems)}，地点在{where}",
            f"{where}{rng.choice(subjects)}{rng.choice(problems)}，{rng.choice(details)}",
        ]
    )
    parts = [
        rng.choice(OPENERS).format(p=place),
        core,
        "，",
        rng.choice(details),
        "，",
        rng.choice(CLOSERS),
    ]
    return _typo("".join(parts), rng)


def corpus(n: int, seed: int = 7) -> tuple[list[tuple[int, str]], list[int], list[tuple]]:
    """n messages (id, text), each one's true matter (-1 for noise) and what it reports where
    (messages with the same are duplicates: planted groups, and the coincidences of a large
    corpus)."""
    rng = random.Random(seed)
    texts: list[str] = []
    matter: list[int] = []
    dup: list[tuple] = []
    while len(texts) < n:
        if rng.random() < 0.2:
            a = rng.choice(NOISE_SUBJECTS)
            b = rng.choice(NOISE_SUBJECTS)
            first, then = rng.sample(NOISE_ACTIONS, 2)
            opener = rng.choice(OPENERS).format(p=rng.choice(PLACES))
            texts.append(
                f"{opener}{first.format(a=a)}，另外{then.format(a=b)}，{rng.choice(ABOUT_ME)}"
            )
            matter.append(-1)
            dup.append((first, a, then, b))
            continue
        m = rng.randrange(len(MATTERS))
        place = rng.choice(PLACES)
        building = rng.randint(1, 40)
        if rng.random() < 0.08:  # a planted duplicate group: one problem, one place, reworded
            subjects, problems, details = MATTERS[m]
            subject = rng.choice(subjects)
            detail = rng.choice(details)
            for _ in range(rng.randint(2, 4)):
                opener = rng.choice(OPENERS).format(p=place)
                text = rng.choice(
                    [
                        f"{opener}{place}{building}号楼的{subject}{rng.choice(problems)}，{detail}，{rng.choice(CLOSERS)}",
                        f"{opener}{subject}{rng.choice(problems)}，在{place}{building}号楼，{detail}。{rng.choice(CLOSERS)}",
                        f"{place}{building}号楼{subject}{rng.choice(problems)}，{detail}！{rng.choice(CLOSERS)}",
                    ]
                )
                texts.append(_typo(text, rng))
                matter.append(m)
                dup.append((m, place, building))
            continue
        texts.append(_message(m, place, building, rng))
        matter.append(m)
        dup.append((m, place, building))
    texts, matter, dup = texts[:n], matter[:n], dup[:n]
    return list(enumerate(texts)), matter, dup


def _singletons(labels: list[int]) -> list[int]:
    """Noise (-1) as clusters of one each, for the adjusted Rand index."""
    top = max(labels, default=0) + 1
    return [label if label >= 0 else top + i for i, label in enumerate(labels)]


def purity(truth: list[int], predicted: list[int]) -> float:
    clusters: dict[int, Counter[int]] = {}
    for t, p in zip(truth, predicted, strict=True):
        if p >= 0:
            clusters.setdefault(p, Counter())[t] += 1
    total = sum(sum(c.values()) for c in clusters.values())
    right = sum(max((v for k, v in c.items() if k >= 0), default=0) for c in clusters.values())
    return right / total if total else 0.0


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result, seconds and peak of the memory Python and numpy allocated (tracemalloc, MB;
    the segmenter's own Rust memory is not in it: see the process's peak RSS at the end)."""
    tracemalloc.start()
    started = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, seconds, peak


def baseline(items: list[tuple[int, str]], k: int) -> list[int]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(
        [t for _, t in items]
    )
    return KMeans(n_clusters=k, n_init=3, random_state=0).fit_predict(vectors).tolist()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="4,000 messages (under a minute)")
    parser.add_argument("--messages", type=int, help="corpus size (default 100,000; quick 4,000)")
    args = parser.parse_args()
    n = args.messages or (4_000 if args.quick else 100_000)

    from sklearn.metrics import adjusted_rand_score

    from lianluo.analysis import duplicate_groups, hot_topics

    items, matter, dup = corpus(n)
    print(
        f"corpus: {n:,} messages, {len(MATTERS)} matters, "
        f"{matter.count(-1) / n:.0%} noise, "
        f"{sum(c > 1 for c in Counter(dup).values())} duplicate groups"
    )

    topics, t_s, t_mb = measure(lambda: hot_topics(items))
    predicted = [-1] * n
    for i, topic in enumerate(topics):
        for id_ in topic.ids:
            predicted[id_] = i
    ours = adjusted_rand_score(_singletons(matter), _singletons(predicted))
    print(
        f"hot topics (ours, k not given): {len(topics)} topics, "
        f"{sum(p >= 0 for p in predicted) / n:.0%} of messages in one, ARI {ours:.3f}, "
        f"purity {purity(matter, predicted):.3f}; {t_s:.1f} s, peak {t_mb:.0f} MB"
    )
    for topic in topics[:5]:
        print(f"  {topic.label}  ({topic.size})")

    k = len(MATTERS)
    base, b_s, b_mb = measure(lambda: baseline(items, k))
    base_ari = adjusted_rand_score(_singletons(matter), base)
    print(
        f"baseline (char 2-3-gram TF-IDF + k-means, true k={k}): ARI {base_ari:.3f}, "
        f"purity {purity(matter, base):.3f}; {b_s:.1f} s, peak {b_mb:.0f} MB"
    )

    groups, d_s, d_mb = measure(lambda: duplicate_groups(items))
    found = {pair for g in groups for pair in combinations(sorted(g), 2)}
    by_group: dict[tuple, list[int]] = {}
    for i, g in enumerate(dup):
        by_group.setdefault(g, []).append(i)
    true = {pair for g in by_group.values() for pair in combinations(sorted(g), 2)}
    precision = len(found & true) / len(found) if found else 1.0
    recall = len(found & true) / len(true) if true else 1.0
    print(
        f"duplicates: {len(groups)} groups, pairs precision {precision:.3f}, "
        f"recall {recall:.3f}; {d_s:.1f} s, peak {d_mb:.0f} MB"
    )
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"ratio (ARI ours / baseline): {ours / base_ari if base_ari else float('inf'):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
