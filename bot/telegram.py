"""The Telegram front end: a python-telegram-bot v22 Application, long polling.

Every text message is a question for the same `answer()` the CLI uses. It runs in a worker thread
(`asyncio.to_thread`) so the event loop keeps polling and replying; each worker thread opens its
own `Store` on `<data_dir>/facts.sqlite` (an sqlite3 connection may only be used by the thread
that opened it). Replies are HTML with everything from the reports escaped, split at line
boundaries under Telegram's 4096-character limit; a "来源 / Sources" button under an answer shows
that answer's full provenance.

Fairness: updates of one chat are handled one at a time and in order, and a chat waits for its
own previous update *before* it takes one of the global processing slots, so a chat that floods
the bot holds at most one slot while every other chat keeps being served. A token bucket per chat
then caps how many updates a chat gets handled at all (the excess gets one "slow down" notice).

The token never reaches a log line or a user: a log-record factory redacts it from every record
(httpx logs request URLs, which contain it; python-telegram-bot's InvalidToken quotes it), httpx's
own request log is silenced, and users only ever see fixed texts, never exception messages.
"""
from __future__ import annotations

import asyncio
import html
import logging
import re
import signal
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterable

from telegram import (BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, ReplyParameters,
                      Update)
from telegram.constants import ParseMode
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from .model import Answer

log = logging.getLogger("xxgk.telegram")

TEXT_LIMIT = 4000  # under Telegram's 4096 (MessageLimit.MAX_TEXT_LENGTH), measured in UTF-16 units on the HTML source
MAX_QUESTION = 1000
SOURCES_BUTTON = "来源 / Sources"
EXIT_CONFLICT = 3

AnswerFn = Callable[[str, Any], Answer]  # (question, store) → Answer


# ====================================================================== secrets in logs
_SECRETS: set[str] = set()
_SECRETS_LOCK = threading.Lock()
_factory_installed = False


def redact(text: str) -> str:
    for s in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(s, "<token>")
    return text


def protect_token(token: str) -> None:
    """Keep `token` out of every log record from now on, and silence httpx's request-URL log."""
    global _factory_installed
    with _SECRETS_LOCK:
        _SECRETS.add(token)
        if ":" in token and len(token.split(":", 1)[1]) >= 8:
            _SECRETS.add(token.split(":", 1)[1])  # the secret half, wherever it turns up alone
        if not _factory_installed:
            previous = logging.getLogRecordFactory()

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                if _SECRETS:
                    _scrub(record)
                return record

            logging.setLogRecordFactory(factory)
            _factory_installed = True
    for name in ("httpx", "httpcore"):  # one INFO line per request, URL (with the token) included
        if logging.getLogger(name).level == logging.NOTSET:
            logging.getLogger(name).setLevel(logging.WARNING)


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call; keep what there is
        message = str(record.msg)
    clean = redact(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and record.exc_info[1] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        clean = redact(text)
        if clean != text:  # hand formatters the redacted traceback instead of the exception
            record.exc_text, record.exc_info = clean, None
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


# ====================================================================== rendering
Line = tuple[str, str]  # (style: '' | 'b' | 'i' | 'code', plain text)


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _wrap(style: str, text: str) -> str:
    body = html.escape(text, quote=False)
    return f"<{style}>{body}</{style}>" if style and text else body


def _cut(style: str, text: str, limit: int) -> list[str]:
    """One line as HTML pieces of at most `limit` (a line is cut only when it alone is too long)."""
    whole = _wrap(style, text)
    if tg_len(whole) <= limit:
        return [whole]
    budget = limit - tg_len(_wrap(style, "x")) + 1
    pieces, cur, n = [], [], 0
    for ch in text:
        w = tg_len(html.escape(ch, quote=False))
        if cur and n + w > budget:
            pieces.append(_wrap(style, "".join(cur)))
            cur, n = [], 0
        cur.append(ch)
        n += w
    if cur:
        pieces.append(_wrap(style, "".join(cur)))
    return pieces


def split_html(lines: Iterable[Line], limit: int = TEXT_LIMIT) -> list[str]:
    """Lines → HTML messages of at most `limit` UTF-16 units, broken between lines. Tags never span lines."""
    messages: list[str] = []
    cur: list[str] = []
    size = 0
    for style, text in lines:
        for piece in _cut(style, text, limit):
            n = tg_len(piece)
            if cur and size + 1 + n > limit:
                messages.append("\n".join(cur))
                cur, size = [], 0
            size += n + (1 if cur else 0)
            cur.append(piece)
    if cur:
        messages.append("\n".join(cur))
    return [m.strip("\n") for m in messages if m.strip()]


def answer_lines(a: Answer) -> list[Line]:
    lines = a.text.splitlines() or ["（空回答 / empty answer）"]
    return [("b", lines[0])] + [("", line) for line in lines[1:]]


def _num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _table_name(code: str) -> str:
    try:
        from .answer import TABLE_NAMES

        return TABLE_NAMES.get(code, code)
    except Exception:
        return code


_QUALIFIERS = {"more_than": "余/多 (more than)", "empty": "空 (empty cell)", "slash": "“/”", "unresolved": "无法唯一读出 (unresolved)",
               "negation": "否定 (negated)"}


def source_lines(a: Answer) -> list[Line]:
    """The full provenance of one answer: report, table, row, column, value, line, quoted line."""
    out: list[Line] = [("b", "来源 / Sources"), ("i", f"问题 / Question: {a.question}")]
    if not (a.facts or a.checks or a.passages):
        out.append(("", "这个回答没有引用报告中的数字。/ This answer cites no figure from a report."))
    for i, f in enumerate(a.facts, 1):
        out.append(("", ""))
        who = " ".join(str(x) for x in (f.get("agency"), f.get("year")) if x)
        out.append(("b", f"{i}. {who}" if who else f"{i}."))
        out.append(("", f"报告 / Report: {f.get('document', '?')}"))
        if f.get("kind") == "cell":
            out.append(("", f"表 / Table: {_table_name(f.get('table') or '')}"))
            out.append(("", f"行 / Row: {f.get('row_label') or f.get('row')}"))
            out.append(("", f"列 / Column: {f.get('column_label') or f.get('column')}"))
        else:
            out.append(("", f"正文 / Narrative text: {f.get('topic') or ''}".rstrip()))
        value = f"{_num(f.get('value'))}{f.get('unit') or ''}"
        raw = f.get("raw")
        qual = _QUALIFIERS.get(f.get("qualifier") or "", f.get("qualifier") or "")
        extra = "; ".join(x for x in (f"原文数字 printed “{raw}”" if raw not in (None, "") else "", qual) if x)
        out.append(("", f"值 / Value: {value}" + (f" ({extra})" if extra else "")))
        out.append(("", f"第{f.get('line')}行 / Line {f.get('line')}:"))
        out.append(("i", f"“{f.get('quote', '')}”"))
    if a.checks:
        out.append(("", ""))
        out.append(("b", "核对 / Checks"))
        for c in a.checks:
            where = f" ({c.get('document')}:{c.get('line')})" if c.get("document") else ""
            out.append(("", f"• {c.get('status')} — {c.get('detail')}{where}"))
    if a.passages:
        out.append(("", ""))
        out.append(("b", "段落 / Passages"))
        for p in a.passages:
            out.append(("", f"• {p.get('document')} 第{p.get('line_start')}–{p.get('line_end')}行 / lines {p.get('line_start')}–{p.get('line_end')}:"))
            out.append(("i", str(p.get("text", ""))[:600]))
    return out


def table_summary(a: Answer, shown: int = 5) -> list[Line]:
    """A long table answer in a few lines: its heading and first rows; the rest goes in the CSV."""
    lines = a.text.splitlines()
    out: list[Line] = [("b", lines[0])]
    zh = a.language == "zh"
    for i, r in enumerate(a.rows[:shown], 1):
        value = f"{_num(r['value'])}{r['unit']}" if r["value"] is not None else ("未载明" if zh else "not stated")
        out.append(("", f"{i}. {r['agency']} {r['year']}：{value}" if zh else f"{i}. {r['agency']} {r['year']}: {value}"))
    out.append(("i", f"共 {len(a.rows)} 行，完整表格（含出处）见 CSV 文件。" if zh else
                f"{len(a.rows)} rows; the whole table with sources is in the CSV file."))
    return out


def chart_png(a: Answer) -> bytes:
    import io

    from .chart import draw

    buf = io.BytesIO()
    draw(a, buf)
    return buf.getvalue()


def has_sources(a: Answer) -> bool:
    return bool(a.facts or a.checks or a.passages)


HELP = [
    ("b", "xxgk — 政府信息公开工作年度报告问答"),
    ("", "用中文或英文提问。数字只取自已导入的报告，并注明出处：报告、表格、行、列和原文。"),
    ("", "Ask in Chinese or English. Every figure is looked up in an ingested report and comes with its source: report, table, row, column and the quoted line."),
    ("", ""),
    ("b", "例子 / Examples"),
    ("", "• 夏邑县2020年收到多少政府信息公开申请？"),
    ("", "• 霍邱县民政局2020年主动公开了多少条政府信息？"),
    ("", "• 夏邑县2020年表三平衡吗？"),
    ("", "• How many information disclosure applications did Xiayi receive in 2020?"),
    ("", "• How many applications did Xigong district civil affairs bureau carry over in 2020?"),
    ("", "• 夏邑县2018-2021年收到多少申请？ · 2020年各县民政局收到申请排名 · 夏邑县2020年公开率"),
    ("", ""),
    ("b", "命令 / Commands"),
    ("", "/reports — 已导入的机关和年份 / agencies and years ingested"),
    ("", "/check 机关 年份 — 该报告未通过的核对 / that report's failed checks, e.g. /check 夏邑县 2020"),
    ("", "/source — 上一个回答的完整出处 / full provenance of the last answer"),
    ("", "/chart — 把上一个表格回答（趋势、对比、排名）画成图 / a chart of the last trend, compare or rank answer"),
    ("", "/help — 本说明 / this help"),
    ("", ""),
    ("", "每个回答下的“来源 / Sources”按钮显示该回答的出处。/ The “来源 / Sources” button under an answer shows where it comes from."),
]

COMMANDS = [
    BotCommand("help", "怎么提问 / how to ask"),
    BotCommand("reports", "已导入的报告 / reports ingested"),
    BotCommand("check", "报告未通过的核对 / a report's failed checks"),
    BotCommand("source", "上一个回答的出处 / provenance of the last answer"),
    BotCommand("chart", "上一个表格回答的图 / chart of the last table answer"),
]

APOLOGY = "抱歉，处理这条消息时出错了，请稍后再试。\nSorry — something went wrong with this message. Please try again later."
REFUSAL = ("抱歉，这个机器人只为指定的聊天提供服务。\nSorry, this bot only answers in approved chats.\n"
           "(chat id: {chat_id} — 管理员可把它加入 XXGK_TELEGRAM_ALLOWED_CHATS / an admin can add it to XXGK_TELEGRAM_ALLOWED_CHATS)")
SLOW_DOWN = "请慢一点：这个聊天的提问太快了，请 {seconds} 秒后再问。\nPlease slow down: too many questions from this chat; try again in {seconds} s."


# ====================================================================== fairness and rate limit
class TokenBucket:
    """Per-key token bucket: `burst` tokens, refilled at `rate` per second."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._state: dict[int, tuple[float, float]] = {}

    def take(self, key: int) -> bool:
        if self.rate <= 0:
            return True
        now = self.clock()
        tokens, last = self._state.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        ok = tokens >= 1.0
        self._state[key] = (tokens - 1.0 if ok else tokens, now)
        if len(self._state) > 50_000:  # forget chats whose bucket has refilled
            full = [k for k, (t, at) in self._state.items() if t + (now - at) * self.rate >= self.burst]
            for k in full:
                del self._state[k]
        return ok

    def wait_seconds(self, key: int) -> int:
        tokens, last = self._state.get(key, (float(self.burst), self.clock()))
        missing = 1.0 - min(float(self.burst), tokens + (self.clock() - last) * self.rate)
        return max(1, int(missing / self.rate + 0.999)) if self.rate > 0 else 1


class _Lane:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class FairUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential and in order within a chat, rate-limited per chat.

    A chat waits for its own previous update before taking one of the `slots` global slots, so a
    flooding chat occupies at most one slot. Rate-limited updates skip the chat queue (they only
    produce a notice) and are marked in `throttled` for the gate handler.
    """

    def __init__(self, slots: int, bucket: TokenBucket, counts: Callable[[Update], bool] = lambda u: True) -> None:
        super().__init__(max_concurrent_updates=max(2, slots))
        self.bucket = bucket
        self.counts = counts  # which updates use up the chat's tokens (not group chatter the bot ignores)
        self.throttled: set[int] = set()
        self._slots = asyncio.Semaphore(max(1, slots))
        self._lanes: dict[int, _Lane] = {}

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._slots:
                await coroutine
            return
        assert isinstance(update, Update)
        if self.counts(update) and not self.bucket.take(chat.id):
            self.throttled.add(update.update_id)
            async with self._slots:
                await coroutine
            return
        lane = self._lanes.get(chat.id)
        if lane is None:
            lane = self._lanes[chat.id] = _Lane()
        lane.users += 1
        try:
            async with lane.lock:
                async with self._slots:
                    await coroutine
        finally:
            lane.users -= 1
            if lane.users == 0:
                self._lanes.pop(chat.id, None)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:  # pragma: no cover - process_update is overridden
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


# ====================================================================== the bot
class PollingConflict(RuntimeError):
    pass


class TokenRejected(RuntimeError):
    pass


class StartupFailed(RuntimeError):
    pass


def api_urls(api_base_url: str | None) -> tuple[str, str] | None:
    """A Bot API server root (http://host:8081, or …/bot) → (base_url, base_file_url) for python-telegram-bot."""
    if not api_base_url:
        return None
    root = api_base_url.rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def token_problem(token: str) -> str | None:
    """Why `token` cannot be a bot token (without quoting it), or None."""
    if not re.fullmatch(r"[0-9]{3,}:[A-Za-z0-9_-]{20,}", token):
        return "that is not a bot token (BotFather gives one like 123456789:AA…, digits, a colon, then 35 letters, digits, _ or -)"
    return None


def parse_chat_ids(text: str | None) -> frozenset[int] | None:
    if not text or not text.strip():
        return None
    ids = set()
    for part in re.split(r"[,\s]+", text.strip()):
        if part:
            ids.add(int(part))
    return frozenset(ids)


@dataclass
class Settings:
    token: str
    data_dir: Path
    api_base_url: str | None = None
    allowed_chats: frozenset[int] | None = None  # None: every chat
    rate_per_minute: float = 20.0  # sustained questions per chat; 0 disables the limit
    burst: int = 5
    slots: int = 8  # updates handled at once (across chats); answer() holds the GIL, more buys nothing
    poll_timeout: float = 30.0  # getUpdates long-poll seconds
    conflict_limit: int = 2  # 409s within conflict_window seconds before giving up
    conflict_window: float = 60.0
    search: bool = True  # passage search (BM25, + dense when the data dir has embeddings) for "not found" answers
    chroma_url: str | None = None
    db_url: str | None = None  # the facts in PostgreSQL instead of <data_dir>/facts.sqlite
    embed_model: str | None = None
    warm_up: bool = True  # load answer()'s modules and dictionaries before polling starts


class _SharedChunks:
    """The passage-search view of the store, one object for all worker threads.

    index.retrieve caches BM25 indexes per store object; handing it each thread's own Store would
    build every index once per thread. This object reads through the calling thread's Store, and
    its fingerprint (the stored documents and when each was written; chunks change only with them) is the same from
    every connection, so each index is built once and shared (BM25 scoring only reads it).
    """

    def __init__(self, store: Callable[[], Any]) -> None:
        self._store = store

    def chunks(self, agency: str | None = None, year: int | None = None) -> Any:
        return self._store().chunks(agency=agency, year=year)

    def fingerprint(self) -> Any:
        return self._store().fingerprint()


class _SharedVectors:
    """One vector store (and embedding model) for all worker threads, queried one at a time."""

    def __init__(self, vectors: Any) -> None:
        self._vectors, self._lock = vectors, threading.Lock()

    def query(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return self._vectors.query(*args, **kwargs)


class XxgkBot:
    def __init__(self, settings: Settings, answer_fn: AnswerFn | None = None) -> None:
        self.settings = settings
        self.answer_fn = answer_fn or self._cli_answer
        self.bucket = TokenBucket(settings.rate_per_minute / 60.0, settings.burst)
        self.processor = FairUpdateProcessor(settings.slots, self.bucket, self._addressed)
        self._local = threading.local()
        self._answers: OrderedDict[int, tuple[int, Answer]] = OrderedDict()  # answer id → (chat, answer)
        self._last: OrderedDict[int, int] = OrderedDict()  # chat → last answer id
        self._next_id = 1
        self._noticed: set[int] = set()  # chats told to slow down since their last admitted update
        self._conflicts: list[float] = []
        self._stop: asyncio.Event | None = None
        self._vectors: Any = None
        self._chunks = _SharedChunks(self.store)
        self._vectors_lock = threading.Lock()
        self._vectors_tried = False
        self.conflict: Conflict | None = None
        self.app = self._build()

    # ------------------------------------------------------------------ setup
    def _build(self) -> Application:
        s = self.settings
        protect_token(s.token)
        builder = ApplicationBuilder().token(s.token).concurrent_updates(self.processor)
        urls = api_urls(s.api_base_url)
        if urls:
            builder = builder.base_url(urls[0]).base_file_url(urls[1])
        builder = builder.get_updates_read_timeout(10.0).read_timeout(20.0).write_timeout(20.0)
        app = builder.build()
        app.add_handler(TypeHandler(Update, self._gate), group=-1)
        app.add_handler(CommandHandler(["start", "help"], self._help))
        app.add_handler(CommandHandler("reports", self._reports))
        app.add_handler(CommandHandler("check", self._check))
        app.add_handler(CommandHandler("source", self._source))
        app.add_handler(CommandHandler("chart", self._chart))
        app.add_handler(CallbackQueryHandler(self._sources_button, pattern=r"^src:"))
        private = filters.ChatType.PRIVATE  # in groups, stay quiet about other bots' commands and about pictures
        app.add_handler(MessageHandler(filters.COMMAND & private, self._unknown_command))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._question))
        app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL & private, self._not_text))
        app.add_error_handler(self._on_error)
        return app

    def store(self) -> Any:
        """This thread's Store (sqlite3 connections are per thread)."""
        st = getattr(self._local, "store", None)
        if st is None:
            from index.store import Store, location

            st = self._local.store = Store(location(self.settings.data_dir, self.settings.db_url), readonly=True)
        return st

    async def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    # ------------------------------------------------------------------ running
    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set. Raises TokenRejected, PollingConflict or StartupFailed."""
        self._stop = stop
        app = self.app
        try:
            await app.initialize()  # getMe
        except InvalidToken:
            raise TokenRejected("Telegram rejected the bot token (401 Unauthorized). Check XXGK_TELEGRAM_TOKEN / --token-file; "
                                "BotFather's /mybots → API Token shows the current one.") from None
        except TelegramError as e:
            raise StartupFailed(f"cannot reach the Telegram Bot API: {redact(str(e))}") from None
        try:
            try:
                await app.bot.set_my_commands(COMMANDS)
            except TelegramError as e:
                log.warning("could not set the command menu: %s", e)
            if self.settings.warm_up:
                await self._in_thread(self._warm_up)
            await app.updater.start_polling(  # type: ignore[union-attr]
                timeout=int(self.settings.poll_timeout), allowed_updates=["message", "callback_query"], error_callback=self._polling_error
            )
            await app.start()
            log.info("@%s is answering (data dir %s%s)", app.bot.username, self.settings.data_dir,
                     f"; chats {sorted(self.settings.allowed_chats)}" if self.settings.allowed_chats is not None else "")
            if self.settings.allowed_chats is None:
                log.warning("no allowlist (--allowed-chats / XXGK_TELEGRAM_ALLOWED_CHATS): "
                            "every chat may ask")
            await stop.wait()
        finally:
            await self._shutdown()
        if self.conflict is not None:
            raise PollingConflict(
                "another bot instance is already polling updates for this token (Telegram answered 409 Conflict to getUpdates). "
                "Stop the other instance — or, if this token leaked, revoke it with BotFather (/revoke) — and start again."
            )

    async def _shutdown(self) -> None:
        app = self.app
        quiet = logging.getLogger("telegram.ext.Updater")
        level = quiet.level
        if self.conflict is not None:  # the final getUpdates would only log the same 409 with a traceback
            quiet.setLevel(logging.CRITICAL)
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()  # answers what was already fetched
            await app.shutdown()
        finally:
            quiet.setLevel(level)
        log.info("stopped")

    def _polling_error(self, exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            now = time.monotonic()
            self._conflicts = [t for t in self._conflicts if now - t < self.settings.conflict_window] + [now]
            log.warning("getUpdates: 409 Conflict — another instance is polling this token (%d/%d)", len(self._conflicts), self.settings.conflict_limit)
            if len(self._conflicts) >= self.settings.conflict_limit:
                self.conflict = exc
                if self._stop is not None:
                    self._stop.set()
            return
        log.warning("getUpdates failed, retrying: %s: %s", type(exc).__name__, exc)

    # ------------------------------------------------------------------ sending
    async def _send(self, chat_id: int, messages: list[str], reply_to: int | None = None,
                    markup: InlineKeyboardMarkup | None = None) -> None:
        for i, text in enumerate(messages):
            last = i == len(messages) - 1
            for attempt in range(4):
                try:
                    await self.app.bot.send_message(
                        chat_id, text, parse_mode=ParseMode.HTML,
                        reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True) if (reply_to and i == 0) else None,
                        reply_markup=markup if last else None, link_preview_options=LinkPreviewOptions(is_disabled=True),
                    )
                    break
                except RetryAfter as e:  # Telegram's flood control: wait as told, then resend
                    if attempt == 3:
                        raise
                    delay = e.retry_after.total_seconds() if hasattr(e.retry_after, "total_seconds") else float(e.retry_after)
                    await asyncio.sleep(delay + 0.1)

    async def _reply(self, update: Update, lines: list[Line], markup: InlineKeyboardMarkup | None = None) -> None:
        chat = update.effective_chat
        assert chat is not None
        msg = update.effective_message
        await self._send(chat.id, split_html(lines), msg.message_id if msg else None, markup)

    # ------------------------------------------------------------------ handlers
    async def _gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Group -1: allowlist and rate limit, before any other handler."""
        chat = update.effective_chat
        throttled = update.update_id in self.processor.throttled
        self.processor.throttled.discard(update.update_id)
        if chat is None or not self._addressed(update):
            raise ApplicationHandlerStop
        allowed = self.settings.allowed_chats
        if allowed is not None and chat.id not in allowed:
            if not throttled:
                log.info("refused chat %s (not in the allowlist)", chat.id)
                text = REFUSAL.format(chat_id=chat.id)
                if update.callback_query is not None:
                    await update.callback_query.answer(text[:190], show_alert=True)
                elif update.effective_message is not None:
                    await self._reply(update, [("", line) for line in text.splitlines()])
            raise ApplicationHandlerStop
        if throttled:
            seconds = self.bucket.wait_seconds(chat.id)
            if update.callback_query is not None:
                await update.callback_query.answer(SLOW_DOWN.format(seconds=seconds)[:190])
            elif chat.id not in self._noticed:
                self._noticed.add(chat.id)
                log.info("chat %s is rate-limited", chat.id)
                await self._reply(update, [("", line) for line in SLOW_DOWN.format(seconds=seconds).splitlines()])
            raise ApplicationHandlerStop
        self._noticed.discard(chat.id)

    def _addressed(self, update: Update) -> bool:
        """Private chats and button presses always; in a group, only commands for this bot, mentions and replies to it."""
        chat = update.effective_chat
        if chat is None:
            return False
        if chat.type == chat.PRIVATE or update.callback_query is not None:
            return True
        msg = update.effective_message
        if msg is None or not msg.text:
            return False
        try:
            name = self.app.bot.username or ""
        except RuntimeError:  # not initialized: no getMe yet
            name = ""
        first = msg.text.split(maxsplit=1)[0]
        if first.startswith("/"):
            return "@" not in first or (bool(name) and first.lower().endswith(f"@{name.lower()}"))
        if name and f"@{name.lower()}" in msg.text.lower():
            return True
        replied = msg.reply_to_message
        return replied is not None and replied.from_user is not None and bool(name) and replied.from_user.username == name

    async def _help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, HELP)

    async def _unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, [("", "不认识这个命令，请看 /help。/ Unknown command; see /help.")])

    async def _not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, [("", "请用文字提问。/ Please send your question as text.")])

    async def _question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg, chat = update.effective_message, update.effective_chat
        assert msg is not None and chat is not None and msg.text is not None
        question = msg.text
        if context.bot.username:  # "@bot question" in a group
            question = re.sub(rf"@{re.escape(context.bot.username)}\b", " ", question, flags=re.IGNORECASE)
        question = question.strip()
        if not question:
            await self._help(update, context)
            return
        if len(question) > MAX_QUESTION:
            await self._reply(update, [("", f"问题太长（最多 {MAX_QUESTION} 字）。/ The question is too long (at most {MAX_QUESTION} characters).")])
            return
        t0 = time.perf_counter()
        a: Answer = await self._in_thread(self._answer_sync, question)
        aid = self._remember(chat.id, a)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(SOURCES_BUTTON, callback_data=f"src:{aid}")]]) if has_sources(a) else None
        messages = split_html(answer_lines(a))
        if a.rows and len(messages) > 1:  # a long table: a short summary, the whole table as a CSV document
            await self._send_table(update, a, markup)
        else:
            await self._send(chat.id, messages, msg.message_id, markup)
        log.info("chat %s: %s in %.0f ms", chat.id, a.status, (time.perf_counter() - t0) * 1000)

    def _warm_up(self) -> None:
        """Load what the first answer would otherwise wait for (imports, tokenizer dictionaries)."""
        t0 = time.perf_counter()
        try:
            from .answer import answer

            answer("2020", self.store())
            if self.settings.search:
                import index.retrieve  # noqa: F401
                from index.lexical import tokenize

                tokenize("政府信息公开工作年度报告")  # loads the tokenizer's dictionary
                self._open_vectors()  # the embedding model, when the data dir has embeddings
        except Exception as e:  # only a warm-up; the real question will report real problems
            log.debug("warm-up: %s: %s", type(e).__name__, e)
        log.debug("warm-up took %.0f ms", (time.perf_counter() - t0) * 1000)

    def _answer_sync(self, question: str) -> Answer:
        return self.answer_fn(question, self.store())

    def _cli_answer(self, question: str, store: Any) -> Answer:
        """What `xxgk ask` does: answer() with the same passage search (this thread's store, shared vectors)."""
        from .answer import answer
        from .compose import compose  # the optional LLM's wording, guarded; a no-op without XXGK_LLM

        if not self.settings.search:
            return compose(answer(question, store), store, None)
        from index.retrieve import search

        vectors = self._open_vectors()

        def find(q: str, agency: str | None, year: int | None, k: int) -> list[Any]:
            return search(self._chunks, vectors, q, agency, year, k)

        return compose(answer(question, store, search=find), store, find)

    def _open_vectors(self) -> Any:
        with self._vectors_lock:
            if not self._vectors_tried:
                self._vectors_tried = True
                s = self.settings
                if s.chroma_url or (s.data_dir / "chroma").exists():
                    try:
                        from index.vectors import open_vectors

                        self._vectors = _SharedVectors(open_vectors(s.data_dir, s.embed_model, s.chroma_url))
                    except Exception as e:  # BM25 alone still finds passages
                        log.warning("passage search without embeddings (%s: %s)", type(e).__name__, e)
            return self._vectors

    def _remember(self, chat_id: int, a: Answer) -> int:
        aid = self._next_id
        self._next_id += 1
        self._answers[aid] = (chat_id, a)
        while len(self._answers) > 5000:
            self._answers.popitem(last=False)
        self._last[chat_id] = aid
        self._last.move_to_end(chat_id)
        while len(self._last) > 5000:
            self._last.popitem(last=False)
        return aid

    async def _sources_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        assert query is not None and chat is not None
        try:
            aid = int((query.data or "").split(":", 1)[1])
        except (IndexError, ValueError):
            aid = -1
        found = self._answers.get(aid)
        if found is None or found[0] != chat.id:
            await query.answer("这个回答的来源已过期，请重新提问。/ These sources have expired; please ask again.", show_alert=True)
            return
        await query.answer()
        await self._send(chat.id, split_html(source_lines(found[1])), query.message.message_id if query.message else None)

    async def _source(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        aid = self._last.get(chat.id)
        found = self._answers.get(aid) if aid is not None else None
        if found is None:
            await self._reply(update, [("", "这个聊天还没有回答过问题。/ No answer in this chat yet — ask a question first.")])
            return
        await self._reply(update, source_lines(found[1]))

    async def _send_table(self, update: Update, a: Answer, markup: InlineKeyboardMarkup | None) -> None:
        from index.export import csv_bytes

        from .series import ROW_COLUMNS, answer_records

        chat, msg = update.effective_chat, update.effective_message
        assert chat is not None
        await self._reply(update, table_summary(a), markup)
        data = await self._in_thread(csv_bytes, ROW_COLUMNS, answer_records(a))
        await self.app.bot.send_document(chat.id, InputFile(data, filename=f"xxgk_{a.kind or 'table'}.csv"),
                                         caption=f"{len(a.rows)} 行 / rows (CSV)",
                                         reply_parameters=ReplyParameters(msg.message_id, allow_sending_without_reply=True) if msg else None)

    async def _chart(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        aid = self._last.get(chat.id)
        found = self._answers.get(aid) if aid is not None else None
        if found is None or not found[1].rows or all(r["value"] is None for r in found[1].rows):
            await self._reply(update, [("", "先问一个趋势、对比或排名的问题，再发 /chart。/ Ask a trend, compare or rank question first, then /chart.")])
            return
        a = found[1]
        png = await self._in_thread(chart_png, a)
        msg = update.effective_message
        await self.app.bot.send_photo(chat.id, InputFile(png, filename="chart.png"), caption=a.text.splitlines()[0][:1000],
                                      reply_parameters=ReplyParameters(msg.message_id, allow_sending_without_reply=True) if msg else None)

    async def _reports(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, await self._in_thread(self._reports_sync))

    def _reports_sync(self) -> list[Line]:
        docs = self.store().documents()
        if not docs:
            return [("", "还没有导入任何报告。/ No reports are ingested yet (xxgk ingest PATH).")]
        out: list[Line] = [("b", f"已导入 {len(docs)} 份报告 / {len(docs)} report(s) ingested")]
        by_agency: dict[str, list[Any]] = {}
        unknown = []
        for d in docs:
            if d.agency is None or d.year is None:
                unknown.append(d)
            else:
                by_agency.setdefault(d.agency, []).append(d)
        for agency, ds in by_agency.items():
            d0 = ds[0]
            place = "".join(x for x in (d0.province, d0.city if d0.city != d0.province else None, d0.place) if x)
            years = "、".join(str(d.year) for d in sorted(ds, key=lambda d: d.year))
            out.append(("", f"• {agency} — {years}" + (f"（{place}）" if place else "")))
        for d in unknown:
            out.append(("", f"• {d.agency or '?'} — {d.year or '?'}: {d.name}（机关或年份未知 / agency or year unknown）"))
        return out

    async def _check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        args = list(context.args or [])
        await self._reply(update, await self._in_thread(self._check_sync, args))

    def _check_sync(self, args: list[str]) -> list[Line]:
        usage = [("", "用法 / Usage: /check 机关 年份 — 例如 / e.g. /check 夏邑县 2020")]
        text = " ".join(args).strip()
        m = re.search(r"((?:19|20)\d{2})\s*年?\s*$", text)
        year = int(m.group(1)) if m else None
        name = (text[: m.start()] if m else text).strip()
        if not name:
            return usage
        store = self.store()
        agency, candidates = _resolve_agency(store, name)
        if agency is None:
            if candidates:
                return [("", "是哪个机关？/ Which agency?")] + [("", f"• {c}") for c in candidates] + usage
            return [("", f"没有找到机关“{name}”。/ No ingested agency matches “{name}”. See /reports.")]
        years = sorted(d.year for d in store.documents(agency=agency) if d.year)
        if year is None:
            if len(years) != 1:
                return [("", f"请指明年份 / Which year? {agency}: {'、'.join(map(str, years))}")] + usage
            year = years[0]
        if year not in years:
            return [("", f"没有{agency}{year}年的报告。/ No {year} report of {agency} is ingested. Stored: {'、'.join(map(str, years)) or '—'}.")]
        checks = store.checks(agency=agency, year=year)
        bad = [c for c in checks if c.status != "PASS"]
        passed = len(checks) - len(bad)
        head = f"{agency} {year}：{len(bad)} 项未通过，{passed} 项通过 / {len(bad)} not passing, {passed} passing"
        out: list[Line] = [("b", head)]
        if not bad:
            out.append(("", "所有核对都通过了。/ Every check passes."))
        for c in bad:
            where = f"（{c.document} 第{c.line}行 / line {c.line}）" if c.line else f"（{c.document}）"
            out.append(("", f"• {c.status} [{_table_name(c.table) if c.table else c.name}] {c.detail}{where}"))
        return out

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One handler for every failure: a log line, a short apology to that chat, and keep running."""
        err = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        uid = update.update_id if isinstance(update, Update) else None
        log.error("update %s (chat %s) failed: %s: %s", uid, chat.id if chat else None, type(err).__name__, err, exc_info=err)
        if chat is None or isinstance(err, (InvalidToken,)):
            return
        try:
            if isinstance(update, Update) and update.callback_query is not None:
                await update.callback_query.answer(APOLOGY.splitlines()[1][:190])
            else:
                await self.app.bot.send_message(chat.id, APOLOGY)
        except TelegramError as e2:
            log.error("could not apologise to chat %s: %s", chat.id, type(e2).__name__)


def _resolve_agency(store: Any, name: str) -> tuple[str | None, list[str]]:
    """/check's agency, read as questions read it."""
    from .agencies import resolver_for

    r = resolver_for(store).resolve(name)
    return r.agency, r.candidates


# ====================================================================== command line
def serve(settings: Settings) -> int:
    """`xxgk telegram`: run until Ctrl-C / SIGTERM. Returns the exit status; messages go to the log."""
    bot = XxgkBot(settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        signals = 0

        def on_signal(name: str) -> None:
            nonlocal signals
            signals += 1
            if signals == 1:
                log.info("%s: finishing the answers in hand, then stopping (again to quit at once)", name)
                stop.set()
            elif task is not None:
                task.cancel()

        installed = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, on_signal, sig.name)
                installed.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
                pass
        try:
            await bot.run(stop)
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        return 130
    except asyncio.CancelledError:
        return 130
    return 0


__all__ = [
    "Settings", "XxgkBot", "serve", "split_html", "source_lines", "answer_lines", "protect_token", "redact", "TokenBucket",
    "FairUpdateProcessor", "PollingConflict", "token_problem", "TokenRejected", "StartupFailed", "api_urls", "parse_chat_ids", "EXIT_CONFLICT",
]
