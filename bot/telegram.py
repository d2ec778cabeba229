"""The Telegram front end: a python-telegram-bot v22 Application, long polling, and its handlers.

Every text message is a question for the same `answer()` the CLI uses (bot/tg_answers.py);
replies are rendered by bot/render_tg.py (HTML, split under Telegram's limit), and a
"来源 / Sources" button under an answer shows that answer's full provenance. Fairness and rate
limits: bot/tg_fair.py; settings and token hygiene: bot/tg_settings.py. Users only ever see fixed
texts, never exception messages.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import time
from collections.abc import Callable
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from .messages import TG, TG_COMMANDS
from .model import Answer
from .render import heading
from .render_tg import APOLOGY, HELP, Line, answer_lines, source_lines, split_html, table_summary, text_lines
from .tg_answers import Answering, AnswerMemory
from .tg_commands import check_reply, reports_reply
from .tg_fair import FairUpdateProcessor, TokenBucket
from .tg_settings import (
    PollingConflict,
    Settings,
    StartupFailed,
    TokenRejected,
    api_urls,
    protect_token,
    redact,
)

log = logging.getLogger("xxgk.telegram")

MAX_QUESTION = 1000
SOURCES_BUTTON = TG["sources"]

AnswerFn = Callable[[str, Any], Answer]  # (question, store) → Answer

COMMANDS = [BotCommand(name, description) for name, description in TG_COMMANDS]


def chart_png(a: Answer) -> bytes:
    import io

    from .chart import draw

    buf = io.BytesIO()
    draw(a, buf)
    return buf.getvalue()


def has_sources(a: Answer) -> bool:
    return bool(a.facts or a.checks or a.passages)


class XxgkBot:
    def __init__(self, settings: Settings, answer_fn: AnswerFn | None = None) -> None:
        self.settings = settings
        self.answering = Answering(settings)
        self.store = self.answering.store
        self.answer_fn = answer_fn or self.answering.answer
        self.bucket = TokenBucket(settings.rate_per_minute / 60.0, settings.burst)
        self.processor = FairUpdateProcessor(settings.slots, self.bucket, self._addressed)
        self.memory = AnswerMemory()
        self._noticed: set[int] = set()  # chats told to slow down since their last admitted update
        self._conflicts: list[float] = []
        self._stop: asyncio.Event | None = None
        self.conflict: Conflict | None = None
        self.app = self._build()

    # ------------------------------------------------------------------ setup
    def _build(self) -> Application[Any, Any, Any, Any, Any, Any]:
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
        private = (
            filters.ChatType.PRIVATE
        )  # in groups, stay quiet about other bots' commands and about pictures
        app.add_handler(MessageHandler(filters.COMMAND & private, self._unknown_command))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._question))
        app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL & private, self._not_text))
        app.add_error_handler(self._on_error)
        return app

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
            raise TokenRejected(
                "Telegram rejected the bot token (401 Unauthorized). Check XXGK_TELEGRAM_TOKEN / "
                "--token-file; BotFather's /mybots → API Token shows the current one."
            ) from None
        except TelegramError as e:
            raise StartupFailed(f"cannot reach the Telegram Bot API: {redact(str(e))}") from None
        try:
            try:
                await app.bot.set_my_commands(COMMANDS)
            except TelegramError as e:
                log.warning("could not set the command menu: %s", e)
            if self.settings.warm_up:
                await self._in_thread(self.answering.warm_up)
            await app.updater.start_polling(  # type: ignore[union-attr]
                timeout=int(self.settings.poll_timeout),
                allowed_updates=["message", "callback_query"],
                error_callback=self._polling_error,
            )
            await app.start()
            log.info(
                "@%s is answering (data dir %s%s)",
                app.bot.username,
                self.settings.data_dir,
                f"; chats {sorted(self.settings.allowed_chats)}"
                if self.settings.allowed_chats is not None
                else "",
            )
            if self.settings.allowed_chats is None:
                log.warning(
                    "no allowlist (--allowed-chats / XXGK_TELEGRAM_ALLOWED_CHATS): every chat may ask"
                )
            await stop.wait()
        finally:
            await self._shutdown()
        if self.conflict is not None:
            raise PollingConflict(
                "another bot instance is already polling updates for this token (Telegram answered 409 "
                "Conflict to getUpdates). Stop the other instance — or, if this token leaked, revoke it with "
                "BotFather (/revoke) — and start again."
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
            log.warning(
                "getUpdates: 409 Conflict — another instance is polling this token (%d/%d)",
                len(self._conflicts),
                self.settings.conflict_limit,
            )
            if len(self._conflicts) >= self.settings.conflict_limit:
                self.conflict = exc
                if self._stop is not None:
                    self._stop.set()
            return
        log.warning("getUpdates failed, retrying: %s: %s", type(exc).__name__, exc)

    # ------------------------------------------------------------------ sending
    async def _send(
        self,
        chat_id: int,
        messages: list[str],
        reply_to: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> None:
        for i, text in enumerate(messages):
            last = i == len(messages) - 1
            for attempt in range(4):
                try:
                    await self.app.bot.send_message(
                        chat_id,
                        text,
                        parse_mode=ParseMode.HTML,
                        reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True)
                        if (reply_to and i == 0)
                        else None,
                        reply_markup=markup if last else None,
                        link_preview_options=LinkPreviewOptions(is_disabled=True),
                    )
                    break
                except RetryAfter as e:  # Telegram's flood control: wait as told, then resend
                    if attempt == 3:
                        raise
                    delay = (
                        e.retry_after.total_seconds()
                        if hasattr(e.retry_after, "total_seconds")
                        else float(e.retry_after)
                    )
                    await asyncio.sleep(delay + 0.1)

    async def _reply(
        self, update: Update, lines: list[Line], markup: InlineKeyboardMarkup | None = None
    ) -> None:
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
                text = TG["refusal"].format(chat_id=chat.id)
                if update.callback_query is not None:
                    await update.callback_query.answer(text[:190], show_alert=True)
                elif update.effective_message is not None:
                    await self._reply(update, text_lines(text))
            raise ApplicationHandlerStop
        if throttled:
            seconds = self.bucket.wait_seconds(chat.id)
            if update.callback_query is not None:
                await update.callback_query.answer(TG["slow_down"].format(seconds=seconds)[:190])
            elif chat.id not in self._noticed:
                self._noticed.add(chat.id)
                log.info("chat %s is rate-limited", chat.id)
                await self._reply(update, text_lines(TG["slow_down"].format(seconds=seconds)))
            raise ApplicationHandlerStop
        self._noticed.discard(chat.id)

    def _addressed(self, update: Update) -> bool:
        """Private chats and button presses always; in a group, only commands for this bot, mentions
        and replies to it."""
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
        return (
            replied is not None
            and replied.from_user is not None
            and bool(name)
            and replied.from_user.username == name
        )

    async def _help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, HELP)

    async def _unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, text_lines(TG["unknown_command"]))

    async def _not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, text_lines(TG["not_text"]))

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
            await self._reply(update, text_lines(TG["too_long"].format(n=MAX_QUESTION)))
            return
        t0 = time.perf_counter()
        a: Answer = await self._in_thread(self._answer_sync, question)
        aid = self.memory.remember(chat.id, a)
        markup = (
            InlineKeyboardMarkup([[InlineKeyboardButton(SOURCES_BUTTON, callback_data=f"src:{aid}")]])
            if has_sources(a)
            else None
        )
        messages = split_html(answer_lines(a))
        if a.rows and len(messages) > 1:  # a long table: a short summary, the whole table as a CSV document
            await self._send_table(update, a, markup)
        else:
            await self._send(chat.id, messages, msg.message_id, markup)
        log.info("chat %s: %s in %.0f ms", chat.id, a.status, (time.perf_counter() - t0) * 1000)

    def _answer_sync(self, question: str) -> Answer:
        return self.answer_fn(question, self.store())

    async def _sources_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        assert query is not None and chat is not None
        try:
            aid = int((query.data or "").split(":", 1)[1])
        except (IndexError, ValueError):
            aid = -1
        found = self.memory.get(aid, chat.id)
        if found is None:
            await query.answer(TG["expired"], show_alert=True)
            return
        await query.answer()
        await self._send(
            chat.id, split_html(source_lines(found)), query.message.message_id if query.message else None
        )

    async def _source(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        found = self.memory.last(chat.id)
        if found is None:
            await self._reply(update, text_lines(TG["no_answer_yet"]))
            return
        await self._reply(update, source_lines(found))

    async def _send_table(self, update: Update, a: Answer, markup: InlineKeyboardMarkup | None) -> None:
        from index.export import csv_bytes

        from .series import ROW_COLUMNS, answer_records

        chat, msg = update.effective_chat, update.effective_message
        assert chat is not None
        await self._reply(update, table_summary(a), markup)
        data = await self._in_thread(csv_bytes, ROW_COLUMNS, answer_records(a))
        await self.app.bot.send_document(
            chat.id,
            InputFile(data, filename=f"xxgk_{a.kind or 'table'}.csv"),
            caption=TG["csv_caption"].format(n=len(a.rows)),
            reply_parameters=ReplyParameters(msg.message_id, allow_sending_without_reply=True)
            if msg
            else None,
        )

    async def _chart(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        assert chat is not None
        a = self.memory.last(chat.id)
        if a is None or not a.rows or all(r["value"] is None for r in a.rows):
            await self._reply(update, text_lines(TG["chart_first"]))
            return
        png = await self._in_thread(chart_png, a)
        msg = update.effective_message
        await self.app.bot.send_photo(
            chat.id,
            InputFile(png, filename="chart.png"),
            caption=heading(a)[:1000],
            reply_parameters=ReplyParameters(msg.message_id, allow_sending_without_reply=True)
            if msg
            else None,
        )

    async def _reports(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._reply(update, await self._in_thread(lambda: reports_reply(self.store())))

    async def _check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        args = list(context.args or [])
        await self._reply(update, await self._in_thread(lambda: check_reply(self.store(), args)))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One handler for every failure: a log line, a short apology to that chat, and keep running."""
        err = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        uid = update.update_id if isinstance(update, Update) else None
        log.error(
            "update %s (chat %s) failed: %s: %s",
            uid,
            chat.id if chat else None,
            type(err).__name__,
            err,
            exc_info=err,
        )
        if chat is None or isinstance(err, (InvalidToken,)):
            return
        try:
            if isinstance(update, Update) and update.callback_query is not None:
                await update.callback_query.answer(APOLOGY.splitlines()[1][:190])
            else:
                await self.app.bot.send_message(chat.id, APOLOGY)
        except TelegramError as e2:
            log.error("could not apologise to chat %s: %s", chat.id, type(e2).__name__)


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
