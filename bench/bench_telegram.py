"""Load test of `xxgk telegram` against the fake Bot API server (tests/fake_bot_api.py).

The bot runs as it would in production — `xxgk telegram --api-base-url …` in its own process —
and polls a fake Bot API server that this script runs on 127.0.0.1 and fills with questions:
1,000 by default, from 20 chats, Chinese and English, over the five sample reports. The script
checks that every question got exactly one answer, that each answer is the one `answer()` gives
(its first line), and that no reply broke Telegram's rules; then prints throughput and the time
from an update becoming available to its reply (p50/p95/p99/max).

    .venv/bin/python bench/bench_telegram.py                 # burst: all questions at once
    .venv/bin/python bench/bench_telegram.py --rate 100      # open loop, 100 questions/s

Exit status 1 when an answer is missing, duplicated or wrong.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_bot_api import ThreadedFakeBotApi  # noqa: E402

TOKEN = "123456789:AAHbenchTokenNotARealOne-0123456789xy"
QUESTIONS = [
    "夏邑县2020年收到多少政府信息公开申请？",
    "How many information disclosure applications did Xiayi receive in 2020?",
    "霍邱县民政局2020年主动公开多少条政府信息？",
    "西工区民政局2020年上年结转多少件申请？",
    "河南县民政局2021年收到多少政府信息公开申请？",
    "息烽县民政局2018年主动公开了多少条信息？",
    "How many applications did Henan county civil affairs bureau receive in 2021?",
    "西工区民政局2020年被行政复议多少件？",
    "夏邑县2020年表三平衡吗？",
    "How many requests did Xifeng civil affairs bureau receive in 2018?",
    "霍邱县民政局2020年的办公经费是多少？",  # not stated: "not found" + passage search
]


def percentile(values: list[float], p: float) -> float:
    xs = sorted(values)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def expected_first_lines(data_dir: Path) -> dict[str, str]:
    from bot.answer import answer
    from index.store import Store

    store = Store(data_dir / "facts.sqlite")
    try:
        return {q: answer(q, store).text.splitlines()[0] for q in QUESTIONS}
    finally:
        store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--chats", type=int, default=20)
    ap.add_argument(
        "--rate", type=float, default=0.0, help="questions per second, open loop (0: all at once)"
    )
    ap.add_argument("--workers", type=int, default=8, help="xxgk telegram --workers")
    ap.add_argument(
        "--data-dir", type=Path, help="an ingested data dir (default: the samples, ingested into a temp dir)"
    )
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--log", type=Path, help="keep the bot's log here")
    args = ap.parse_args()

    xxgk = [sys.executable, "-c", "from bot.cli import main; main()"]
    env = {**os.environ, "XXGK_TELEGRAM_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    tmp = tempfile.TemporaryDirectory(prefix="xxgk-bench-")
    data_dir = args.data_dir
    if data_dir is None:
        data_dir = Path(tmp.name) / "data"
        subprocess.run(
            xxgk + ["--data-dir", str(data_dir), "ingest", "--no-embed", str(ROOT / "samples")],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    expected = expected_first_lines(data_dir)
    log_path = args.log or Path(tmp.name) / "bot.log"

    with ThreadedFakeBotApi(token=TOKEN) as fake, open(log_path, "w") as log:
        bot = subprocess.Popen(
            xxgk
            + [
                "--data-dir",
                str(data_dir),
                "telegram",
                "--api-base-url",
                fake.root,
                "--rate",
                "0",
                "--workers",
                str(args.workers),
            ],
            cwd=ROOT,
            env=env,
            stderr=log,
        )
        try:
            t_start = time.perf_counter()
            while not fake.calls_to("getUpdates"):
                if bot.poll() is not None or time.perf_counter() - t_start > 60:
                    print(log_path.read_text(), file=sys.stderr)
                    return 1
                time.sleep(0.02)
            startup = time.perf_counter() - t_start

            asked = []  # (Injected, question)
            t0 = time.perf_counter()
            for i in range(args.questions):
                if args.rate > 0:
                    delay = t0 + i / args.rate - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                q = QUESTIONS[i % len(QUESTIONS)]
                asked.append((fake.inject_message(1000 + i % args.chats, q), q))
            injected = time.perf_counter() - t0

            ids = {inj.message_id for inj, _ in asked}
            deadline = time.perf_counter() + args.timeout
            while (
                len({s.reply_to for s in fake.sent if s.reply_to in ids}) < len(ids)
                and time.perf_counter() < deadline
            ):
                time.sleep(0.02)
            time.sleep(0.3)  # anything extra (duplicates, apologies) would arrive now
            bot.send_signal(signal.SIGTERM)
            t_stop = time.perf_counter()
            rc = bot.wait(30)
            shutdown = time.perf_counter() - t_stop
        finally:
            if bot.poll() is None:
                bot.kill()

    first = {}  # question message id → its first reply
    duplicates = 0
    for s in fake.sent:
        if s.reply_to in ids:
            if s.reply_to in first:
                duplicates += 1
            else:
                first[s.reply_to] = s
    lost = [inj for inj, _ in asked if inj.message_id not in first]
    wrong = [
        (q, first[inj.message_id].plain.splitlines()[0])
        for inj, q in asked
        if inj.message_id in first and first[inj.message_id].plain.splitlines()[0] != expected[q]
    ]
    refused = [c for c in fake.calls if c.method == "sendMessage" and c.status != 200]
    latencies = [(first[inj.message_id].at - inj.at) * 1000 for inj, _ in asked if inj.message_id in first]
    done_at = max((s.at for s in first.values()), default=t0)
    span = done_at - min(inj.at for inj, _ in asked)
    bot_log = log_path.read_text()

    print(
        f"questions        {len(asked)} from {args.chats} chats "
        f"({'burst' if args.rate <= 0 else f'{args.rate:g}/s open loop'}), "
        f"{len(QUESTIONS)} distinct, zh+en; bot --workers {args.workers}"
    )
    print(
        f"answered         {len(first)}  lost {len(lost)}  duplicated {duplicates}  wrong {len(wrong)}  "
        f"refused by API {len(refused)}"
    )
    print(
        f"messages sent    {len(fake.sent)} (sendMessage calls), getUpdates calls "
        f"{len(fake.calls_to('getUpdates'))}"
    )
    print(
        f"throughput       {len(first) / span:.1f} answers/s ({span:.2f} s from first update to last reply; "
        f"injecting took {injected:.2f} s)"
    )
    if latencies:
        print(
            f"update → reply   p50 {statistics.median(latencies):.0f} ms  p95 "
            f"{percentile(latencies, 95):.0f} ms  "
            f"p99 {percentile(latencies, 99):.0f} ms  max {max(latencies):.0f} ms"
        )
    print(
        f"bot              started polling in {startup:.2f} s; SIGTERM → exit {rc} in {shutdown:.2f} s; "
        f"{bot_log.count(' ERROR ')} error lines in its log; token in log: "
        f"{TOKEN in bot_log or TOKEN.split(':')[1] in bot_log}"
    )
    for q, got in wrong[:5]:
        print(f"  wrong: {q} → {got!r} (expected {expected[q]!r})")
    tmp.cleanup()
    return 1 if (lost or wrong or duplicates or refused or rc != 0) else 0


if __name__ == "__main__":
    sys.exit(main())
