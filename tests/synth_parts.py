"""Synthetic reports whose narrative states the applications received with their parts listed after
其中, and then, in the same sentence, other figures of the request's life (上年结转, 办结, 答复,
结转下年度) — as real reports write it:

    2023年，我局收到政府信息公开申请44件（其中：网上申请42件，现场申请0件，邮寄申请2件），
    上年度结转0件，本年度办结39件，5件结转至下年办理。

The figures agree with the report's table 三 (收到 = 一、本年新收, 结转 = 二/四, 办结 = 三(七)总计).
Or, when nothing was carried over, the parts are what became of the requests, those carried
forward among them (`收到10件，其中1件予以公开，2件…无法提供，7件结转下年度继续办理`). With
`adds_up=False` the listed parts exceed the stated total: a contradiction the reader must be warned
of. The generator knows nothing about the checks.

    from tests.synth_parts import parts_report
    p = parts_report(random.Random(1), adds_up=True)
    p.synth.data, p.synth.name   # the file to ingest
    p.total, p.parts, p.sentence
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.synth import Synth, random_spec, render

KINDS = ["网上申请", "现场申请", "信函申请", "邮寄申请", "传真申请", "电子邮件申请", "当面申请", "来信申请"]
RECEIVED = ["收到政府信息公开申请", "共受理政府信息公开申请", "受理依申请公开", "接到政府信息公开申请"]
OUTCOMES = ["予以公开", "部分公开", "不予公开", "因本机关不掌握相关政府信息无法提供", "不予处理"]
INTROS = ["其中", "其中：", "其中:", "其中包括"]
BRACKETS = [("", ""), ("（", "）"), ("(", ")")]


@dataclass
class PartsReport:
    synth: Synth
    sentence: str
    total: int
    parts: list[int]


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """`total` cut at random into `n` counts (zeros allowed, as 现场申请0件)."""
    cuts = sorted(rng.randint(0, total) for _ in range(n - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def _after(rng: random.Random, over: int, handled: int, forward: int | None) -> list[tuple[str, int | None]]:
    """The figures a sentence goes on with after the list: carried over, closed, carried forward."""
    said: list[tuple[str, int | None]] = [
        (rng.choice([f"上年度结转{over}件", f"上年结转{over}件", f"另有上年结转申请{over}件"]), over),
        (
            rng.choice([f"本年度办结{handled}件", f"已按时办结{handled}件", f"答复{handled}件"]),
            handled,
        ),
        (rng.choice([f"{forward}件结转至下年办理", f"结转下年度继续办理{forward}件"]), forward),
    ]
    if forward is None:  # said among the parts
        said.pop()
    kept = [s for s in said if rng.random() < 0.7] or said[1:2]
    if rng.random() < 0.3:
        rng.shuffle(kept)
    if rng.random() < 0.3:
        kept.append(("均在法定期限内予以答复", None))
    return kept


def _items(rng: random.Random, new: int, handled: int, forward: int, outcomes: bool) -> list[tuple[str, int]]:
    """The listed parts of `new`: how the requests came in, or (nothing carried over, so 一 = 三 + 四)
    what became of them, the ones carried forward last (`7件结转下年度继续办理`)."""
    if not outcomes:
        n = rng.randint(2, min(4, new))
        return [(f"{k}{{}}件", v) for k, v in zip(rng.sample(KINDS, n), _split(rng, new, n))]
    n = rng.randint(2, min(3, handled))
    said = [(f"{k}{{}}件", v) for k, v in zip(rng.sample(OUTCOMES, n), _split(rng, handled, n))]
    return [*said, (rng.choice(["{}件结转下年度继续办理", "结转下年度{}件"]), forward)]


def parts_report(
    rng: random.Random, adds_up: bool = True, layouts: tuple[str, ...] = ("tab",)
) -> PartsReport:
    """A whole report (tests/synth.py) whose application paragraph lists the parts of its total.
    With `adds_up=False` one part is raised so that the parts exceed the total however they are read
    (even leaving out those carried forward)."""
    while True:
        spec = random_spec(rng, scale=rng.choice([30, 120, 600]))
        new = spec.t3["new"][6]
        if new >= 2:
            break
    over, handled, forward = (spec.t3[k][6] for k in ("carried_over", "total_handled", "carried_forward"))
    outcomes = over == 0 and handled > 1 and forward > 0 and rng.random() < 0.5
    items = _items(rng, new, handled, forward, outcomes)
    if not adds_up:
        i = rng.randrange(len(items) - outcomes)
        items[i] = (items[i][0], items[i][1] + forward * outcomes + rng.randint(1, max(1, new // 3)))
    parts = [v for _, v in items]
    printed = [form.format(v) for form, v in items]
    if rng.random() < 0.25:  # a part's own breakdown in brackets: not a part of the total
        i = rng.randrange(len(items))
        printed[i] += f"（含补正后申请{rng.randint(0, parts[i])}件）"
    opening, closing = rng.choice(BRACKETS)
    listed = opening + rng.choice(INTROS) + rng.choice(["，", "、", ","]).join(printed) + closing
    lead = f"{spec.year}年，我局{rng.choice(RECEIVED)}{new}件"
    after = _after(rng, over, handled, None if outcomes else forward)
    sentence = lead + ("" if opening else "，") + listed + "，" + "，".join(t for t, _ in after) + "。"
    numbers = [(new, "件", ""), *((v, "件", "") for v in parts)]
    numbers += [(v, "件", "") for _, v in after if v is not None]
    text, stated = spec.paragraphs[1]  # （二）…收到…件，…予以答复。 + the 表四 sentence
    t4_sentence = text.split("予以答复。", 1)[1]
    spec.paragraphs[1] = ("（二）依申请公开情况。" + sentence + t4_sentence, numbers + stated[2:])
    return PartsReport(render(spec, rng.choice(layouts), rng), sentence, new, parts)
