"""The Telegram bot end to end: the real python-telegram-bot Application, polling a fake Bot API
server on 127.0.0.1 (tests/fake_bot_api.py), answering from the five ingested sample reports."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.answer import answer as real_answer
from bot.model import Answer
from bot.render_tg import APOLOGY, split_html
from bot.telegram import SOURCES_BUTTON, XxgkBot, serve
from bot.tg_fair import TokenBucket
from bot.tg_settings import EXIT_CONFLICT, Settings, TokenRejected, protect_token
from tests.conftest import ROOT, run
from tests.fake_bot_api import FakeBotApi, Sent, ThreadedFakeBotApi, parse_html, tg_len, wait_until

TOKEN = "123456789:AAHfakeTokenForTestsOnly-0123456789x"
SECRET = TOKEN.split(":", 1)[1]
DOC = "003_dde6e9dcd5a2f618.txt"
ZH = "夏邑县2020年收到多少政府信息公开申请？"
EN = "How many information disclosure applications did Xiayi receive in 2020?"


@asynccontextmanager
async def bot_running(
    data_dir: Path, answer_fn: Any = None, token: str = TOKEN, **settings: Any
) -> AsyncIterator[tuple[FakeBotApi, XxgkBot]]:
    """The fake server and the bot polling it; on exit the bot is stopped and must stop cleanly."""
    settings.setdefault("rate_per_minute", 0)  # no rate limit unless a test asks for one
    fake = await FakeBotApi(token=TOKEN).start()
    bot = XxgkBot(
        Settings(token=token, data_dir=data_dir, api_base_url=fake.root, poll_timeout=5, **settings),
        answer_fn,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(bot.run(stop))
    try:
        polling = asyncio.create_task(fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), 10))
        await asyncio.wait({polling, task}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():  # it could not start: raise why
            polling.cancel()
            task.result()
        await polling
        yield fake, bot
        stop.set()
        await asyncio.wait_for(task, 10)
        rejected = [c for c in fake.calls if c.method == "sendMessage" and c.status != 200]
        assert not rejected, (
            f"Telegram would have refused: {[(c.status, c.params.get('text', '')[:80]) for c in rejected]}"
        )
    finally:
        stop.set()
        if not task.done():
            task.cancel()
        await fake.stop()


def first_button(s: Sent) -> dict[str, Any]:
    return s.buttons()[0]


# ---------------------------------------------------------------------------------------------- questions
@pytest.mark.asyncio
async def test_chinese_and_english_questions_get_figure_and_source(facts_dir: Path) -> None:
    async with bot_running(facts_dir) as (fake, bot):
        q_zh = fake.inject_message(101, ZH)
        q_en = fake.inject_message(202, EN)
        [zh] = await fake.wait_sent(101)
        [en] = await fake.wait_sent(202)
        assert {"getMe", "deleteWebhook", "setMyCommands", "getUpdates"} <= {c.method for c in fake.calls}

    assert zh.parse_mode == "HTML" and zh.text.startswith("<b>")
    assert (
        "12件" in zh.plain
        and f"来源：{DOC} 第47行" in zh.plain
        and "原文：“一、本年新收政府信息公开申请数量" in zh.plain
    )
    assert zh.reply_to == q_zh.message_id
    assert first_button(zh)["text"] == SOURCES_BUTTON and first_button(zh)["callback_data"].startswith("src:")

    assert "12 件" in en.plain and f"Source: {DOC}, line 47" in en.plain
    assert en.reply_to == q_en.message_id and first_button(en)["text"] == SOURCES_BUTTON


@pytest.mark.asyncio
async def test_sources_button_and_source_command_show_full_provenance(facts_dir: Path) -> None:
    async with bot_running(facts_dir) as (fake, bot):
        fake.inject_message(101, ZH)
        [ans] = await fake.wait_sent(101)
        fake.inject_callback(ans)
        _, src = await fake.wait_sent(101, 2)
        await fake.wait_for(lambda: bool(fake.calls_to("answerCallbackQuery")))
        fake.inject_message(101, "/source")
        _, _, again = await fake.wait_sent(101, 3)
        fake.inject_callback(ans, "src:99999")  # a button whose answer is gone
        await fake.wait_for(lambda: len(fake.calls_to("answerCallbackQuery")) == 2)
        await fake.settle(0.2)
        assert len(fake.sent_to(101)) == 3

    assert src.reply_to == ans.message_id
    for needle in (
        f"报告 / Report: {DOC}",
        "夏邑县人民政府 2020",
        "表 / Table: 表三 收到和处理政府信息公开申请情况",
        "行 / Row: 一、本年新收政府信息公开申请数量",
        "列 / Column: 总计",
        "值 / Value: 12件",
        "第47行 / Line 47",
        "“一、本年新收政府信息公开申请数量 | 10 | 2 | 0 | 0 | 0 | 0 | 12”",
        "正文 / Narrative text",
        "全年共受理依申请政府信息公开14件",
        "UNCERTAIN",
    ):
        assert needle in src.plain, needle
    assert again.plain == src.plain
    expired = fake.calls_to("answerCallbackQuery")[-1].params
    assert "expired" in expired.get("text", "")


@pytest.mark.asyncio
async def test_long_answer_is_split_under_4096_at_line_boundaries(facts_dir: Path) -> None:
    lines = [f"第{i}行 <b>不是标签</b> & “引用” R&D {'数' * 40}" for i in range(200)]
    text = "\n".join(lines)
    assert len(text) > 10_000

    def long_answer(question: str, store: Any) -> Answer:
        return Answer(
            question,
            "answered",
            1,
            "件",
            wording=text,
            facts=[{"document": "x.txt", "line": 1, "quote": "<script>&amp;</script>", "kind": "prose"}],
        )

    async with bot_running(facts_dir, long_answer) as (fake, bot):
        q = fake.inject_message(101, "long please")
        await fake.wait_for(lambda: any(s.buttons() for s in fake.sent_to(101)))
        await fake.settle(0.2)
        parts = fake.sent_to(101)
        fake.inject_callback(parts[-1])
        src = (await fake.wait_sent(101, len(parts) + 1))[-1]

    assert len(parts) >= 3
    assert all(len(p.text) < 4096 and tg_len(p.text) < 4096 for p in parts)
    assert "\n".join(p.plain for p in parts) == text  # nothing lost, nothing reordered, no line cut
    assert all(p.plain.split("\n")[0] in lines for p in parts)
    assert parts[0].reply_to == q.message_id and [bool(p.buttons()) for p in parts] == [False] * (
        len(parts) - 1
    ) + [True]
    assert "“<script>&amp;</script>”" in src.plain and "&lt;script&gt;&amp;amp;" in src.text


def test_split_html_limits_and_overlong_lines() -> None:
    lines = [("b", "标题 <&>"), ("", "x" * 9000), ("i", "引用 “a<b” & c"), ("", ""), ("", "end")]
    parts = split_html(lines, limit=4000)
    assert all(tg_len(p) <= 4000 for p in parts) and len(parts) >= 4
    assert (
        "".join(parse_html(p) + "\n" for p in parts).replace("\n", "")
        == "标题 <&>" + "x" * 9000 + "引用 “a<b” & c" + "end"
    )
    emoji = split_html([("", "😀" * 3000)], limit=4000)  # 2 UTF-16 units each
    assert all(tg_len(p) <= 4000 for p in emoji) and "".join(emoji) == "😀" * 3000


# ---------------------------------------------------------------------------------------------- commands
@pytest.mark.asyncio
async def test_commands_help_reports_check_source(facts_dir: Path) -> None:
    async with bot_running(facts_dir) as (fake, bot):
        for i, cmd in enumerate(
            [
                "/start",
                "/help",
                "/reports",
                "/check 夏邑县 2020",
                "/check 霍邱县民政局",
                "/check 不存在县 2020",
                "/check",
                "/source",
                "/nosuchcommand",
            ]
        ):
            fake.inject_message(500 + i, cmd)
        for i in range(9):
            await fake.wait_sent(500 + i)
        commands = fake.calls_to("setMyCommands")[0].params["commands"]

    start, help_, reports, check, check_one_year, check_unknown, check_usage, source, unknown = (
        fake.sent_to(500 + i)[0].plain for i in range(9)
    )
    assert start == help_
    assert (
        ZH in help_
        and "How many information disclosure applications" in help_
        and "/check" in help_
        and "/reports" in help_
    )
    for agency in (
        "夏邑县人民政府 — 2020",
        "息烽县民政局 — 2018",
        "河南县民政局 — 2021",
        "西工区民政局 — 2020",
        "霍邱县民政局 — 2020",
    ):
        assert agency in reports
    assert "青海省黄南藏族自治州河南县" in reports
    assert (
        "夏邑县人民政府 2020" in check
        and "UNCERTAIN" in check
        and "prose 14 ≠ 表三 本年新收 12" in check
        and f"{DOC} 第11行" in check
    )
    assert "霍邱县民政局 2020" in check_one_year and "表四 is missing" in check_one_year
    assert "不存在县" in check_unknown and "/reports" in check_unknown
    assert "Usage" in check_usage
    assert "No answer in this chat yet" in source
    assert "/help" in unknown
    assert {c["command"] for c in commands} == {"help", "reports", "check", "source", "chart"}


@pytest.mark.asyncio
async def test_in_a_group_only_messages_addressed_to_the_bot_are_questions(facts_dir: Path) -> None:
    async with bot_running(facts_dir, rate_per_minute=1, burst=3, allowed_chats=frozenset({-100})) as (
        fake,
        bot,
    ):
        for _ in range(8):  # chatter neither answered nor counted against the group's rate limit
            fake.inject_message(-100, "大家好，今天开会", chat_type="supergroup")
        fake.inject_message(-100, "/weather@some_other_bot", chat_type="supergroup")
        q = fake.inject_message(-100, f"@xxgk_test_bot {ZH}", chat_type="supergroup")
        c = fake.inject_message(-100, "/reports@xxgk_test_bot", chat_type="supergroup")
        ans, reports = await fake.wait_sent(-100, 2)
        fake.inject_message(
            -200, "夏邑县2020年收到多少申请", chat_type="group"
        )  # a group outside the allowlist: silence
        await fake.settle(0.2)
    assert len(fake.sent_to(-100)) == 2 and ans.reply_to == q.message_id and "12件" in ans.plain
    assert reports.reply_to == c.message_id and "已导入 5 份报告" in reports.plain
    assert not fake.sent_to(-200)


# ------------------------------------------------------------------------------------ access and load
@pytest.mark.asyncio
async def test_chat_outside_allowlist_gets_only_a_refusal(facts_dir: Path) -> None:
    async with bot_running(facts_dir, allowed_chats=frozenset({101})) as (fake, bot):
        fake.inject_message(303, ZH)
        fake.inject_message(303, "/help")
        fake.inject_message(303, "/reports")
        fake.inject_message(101, ZH)
        await fake.wait_sent(101)
        await fake.wait_sent(303, 3)
        await fake.settle(0.2)

    outsider = fake.sent_to(303)
    assert len(outsider) == 3
    for s in outsider:
        assert "只为指定的聊天提供服务" in s.plain and "approved chats" in s.plain and "303" in s.plain
        assert "12" not in s.plain and DOC not in s.plain and not s.buttons()
    calls_for_303 = [c for c in fake.calls if str(c.params.get("chat_id")) == "303"]
    assert {c.method for c in calls_for_303} == {"sendMessage"}
    assert "12件" in fake.sent_to(101)[0].plain


@pytest.mark.asyncio
async def test_rate_limit_per_chat(facts_dir: Path) -> None:
    async with bot_running(facts_dir, rate_per_minute=1, burst=2) as (fake, bot):
        for _ in range(6):
            fake.inject_message(101, ZH)
        fake.inject_message(202, EN)
        await fake.wait_sent(202)
        await fake.wait_sent(101, 3)
        await fake.settle(0.3)

    flood = fake.sent_to(101)
    answers = [s for s in flood if "12件" in s.plain]
    notices = [s for s in flood if "请慢一点" in s.plain]
    assert (
        len(answers) == 2 and len(notices) == 1 and len(flood) == 3
    )  # one notice, not one per dropped message
    assert "12 件" in fake.sent_to(202)[0].plain


def test_token_bucket_refills() -> None:
    now = [0.0]
    b = TokenBucket(rate=1.0, burst=2, clock=lambda: now[0])
    assert [b.take(1), b.take(1), b.take(1), b.take(2)] == [True, True, False, True]
    assert b.wait_seconds(1) == 1
    now[0] = 1.0
    assert b.take(1) and not b.take(1)


@pytest.mark.asyncio
async def test_flooding_chat_does_not_starve_others_and_stores_stay_in_their_threads(facts_dir: Path) -> None:
    used: dict[int, set[int]] = {}
    lock = threading.Lock()

    def slow_for_flooder(question: str, store: Any) -> Answer:
        with lock:
            used.setdefault(id(store), set()).add(threading.get_ident())
        if question.startswith("slow"):
            time.sleep(0.5)  # far longer than one answer, so the order below is not a race
        return real_answer(question.removeprefix("slow "), store)

    async with bot_running(facts_dir, slow_for_flooder, slots=2) as (fake, bot):
        flood = [fake.inject_message(101, f"slow {ZH}") for _ in range(6)]
        fake.inject_message(202, EN)
        [other] = await fake.wait_sent(202)
        answers = await fake.wait_sent(101, 6, timeout=15)

    assert other.at < min(a.at for a in answers)  # not queued behind the flood
    assert [a.reply_to for a in answers] == [q.message_id for q in flood]  # one chat: answered in order
    assert all("12件" in a.plain for a in answers) and "12 件" in other.plain
    assert all(
        len(threads) == 1 for threads in used.values()
    )  # a Store is only ever used by the thread that opened it


# ---------------------------------------------------------------------------------------------- failures
@pytest.mark.asyncio
async def test_handler_exception_gets_apology_and_bot_keeps_answering(
    facts_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def flaky(question: str, store: Any) -> Answer:
        if "boom" in question:
            raise RuntimeError("internal detail the user must not see")
        return real_answer(question, store)

    caplog.set_level(logging.INFO)
    async with bot_running(facts_dir, flaky) as (fake, bot):
        fake.inject_message(101, "boom")
        [sorry] = await fake.wait_sent(101)
        fake.inject_message(101, ZH)
        _, ok = await fake.wait_sent(101, 2)

    assert sorry.text == APOLOGY and "internal detail" not in sorry.text
    assert "12件" in ok.plain
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "xxgk.telegram"]
    assert (
        len(errors) == 1 and "RuntimeError" in errors[0].getMessage() and "chat 101" in errors[0].getMessage()
    )


@pytest.mark.asyncio
async def test_token_never_in_logs(
    facts_dir: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # even with httpx's request log switched back on
    try:

        def flaky(question: str, store: Any) -> Answer:
            raise ValueError(f"an error that quotes the token {TOKEN}")

        async with bot_running(facts_dir, flaky) as (fake, bot):
            fake.inject_message(101, "anything")
            [sorry] = await fake.wait_sent(101)
        wrong = "987654321:AAHsomeOtherTokenThatIsRejected-0000"
        protect_token(wrong)
        with pytest.raises(TokenRejected) as rejected:
            async with bot_running(facts_dir, token=wrong):
                pass
    finally:
        logging.getLogger("httpx").setLevel(logging.WARNING)

    assert any(r.name == "httpx" for r in caplog.records)  # the request log was captured…
    assert any(r.name.startswith("telegram") for r in caplog.records)
    captured = (
        caplog.text + "".join(capfd.readouterr()) + str(rejected.value) + repr(rejected.value) + sorry.text
    )
    for secret in (TOKEN, SECRET, wrong, wrong.split(":")[1]):
        assert secret not in captured  # …with the token redacted everywhere
    assert "/bot<token>/getUpdates" in caplog.text
    assert "rejected" in str(rejected.value)


def test_second_instance_exits_on_409_conflict(facts_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_TELEGRAM_TOKEN", TOKEN)
    with ThreadedFakeBotApi(token=TOKEN) as fake:
        fake.conflict = True
        t0 = time.monotonic()
        result = run(facts_dir, "telegram", "--api-base-url", fake.root, "--poll-timeout", "5")
        elapsed = time.monotonic() - t0
    assert result.exit_code == EXIT_CONFLICT
    assert "409 Conflict" in result.output and "another bot instance is already polling" in result.output
    assert "Traceback" not in result.output and TOKEN not in result.output and SECRET not in result.output
    assert elapsed < 10
    assert len(fake.calls_to("getUpdates")) <= 4  # it gave up; no crash loop


def test_cli_refuses_to_start_without_a_usable_token(
    facts_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XXGK_TELEGRAM_TOKEN", raising=False)
    result = run(facts_dir, "telegram")
    assert result.exit_code == 2 and "XXGK_TELEGRAM_TOKEN" in result.output
    bad = tmp_path / "token"
    bad.write_text("not-a-token-but-a-secret-anyway\n")
    result = run(facts_dir, "telegram", "--token-file", str(bad))
    assert (
        result.exit_code == 2 and "not a bot token" in result.output and "secret-anyway" not in result.output
    )
    with ThreadedFakeBotApi(token=TOKEN) as fake:
        other = "111111111:AAHanotherTokenNotKnownToTheServer00"
        bad.write_text(other)
        result = run(facts_dir, "telegram", "--token-file", str(bad), "--api-base-url", fake.root)
    assert (
        result.exit_code == 1
        and "rejected the bot token" in result.output
        and other.split(":")[1] not in result.output
    )


def test_sigterm_stops_the_process_cleanly(facts_dir: Path) -> None:
    """`xxgk telegram` as a process: answers, then SIGTERM → exit 0 after finishing what it fetched."""
    with ThreadedFakeBotApi(token=TOKEN) as fake:
        env = {**os.environ, "XXGK_TELEGRAM_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "--data-dir",
                str(facts_dir),
                "telegram",
                "--api-base-url",
                fake.root,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            polling = wait_until(lambda: bool(fake.calls_to("getUpdates")))
            fake.inject_message(101, ZH)
            answered = wait_until(lambda: bool(fake.sent_to(101)))
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert polling and answered, err
    assert proc.returncode == 0, err
    assert "SIGTERM: finishing the answers in hand" in err and "stopped" in err and "Traceback" not in err
    assert TOKEN not in out + err and SECRET not in out + err
    assert "12件" in fake.sent_to(101)[0].plain


def test_ctrl_c_stops_cleanly(facts_dir: Path) -> None:
    """serve() — what the CLI runs — in this process.

    Ctrl-C (SIGINT) while polling → returns 0, no KeyboardInterrupt."""
    serving = threading.Event()
    with ThreadedFakeBotApi(token=TOKEN) as fake:

        def press_ctrl_c() -> None:
            ok = wait_until(lambda: bool(fake.calls_to("getUpdates")) and serving.is_set(), 15)
            if ok:
                fake.inject_message(101, EN)
                wait_until(lambda: bool(fake.sent_to(101)), 10)
                os.kill(os.getpid(), signal.SIGINT)

        threading.Thread(target=press_ctrl_c, daemon=True).start()
        serving.set()
        status = serve(
            Settings(
                token=TOKEN, data_dir=facts_dir, api_base_url=fake.root, rate_per_minute=0, poll_timeout=5
            )
        )
    assert status == 0
    assert "12 件" in fake.sent_to(101)[0].plain
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers restored
