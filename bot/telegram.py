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
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyParameters,
    Update,
)
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from .messages_tg import TG
from .model import Answer
from .render import heading
from .render_tg import APOLOGY, HELP, answer_lines, source_lines, split_html, table_summary, text_lines
from .tg_answers import Answering, AnswerMemory
from .tg_app import App, PollingBot
from .tg_commands import check_reply, reports_reply
from .tg_settings import Settings

log = logging.getLogger("xxgk.telegram")

MAX_QUESTION = 1000
SOURCES_BUTTON = TG["sources"]

AnswerFn = Callable[[str, Any], Answer]  # (question, store) → Answer


def chart_png(a: Answer) -> bytes:
    import io

    from .chart import draw

    buf = io.BytesIO()
    draw(a, buf)
    return buf.getvalue()


def has_sources(a: Answer) -> bool:
    return bool(a.facts or a.checks or a.passages)


class XxgkBot(PollingBot):
    """The handlers: questions, the Sources button, /help /reports /check /source /chart, the gate."""

    def __init__(self, settings: Settings, answer_fn: AnswerFn | None = None) -> None:
        self.answering = Answering(settings)
        self.store = self.answering.store
        self.answer_fn = answer_fn or self.answering.answer
        self.memory = AnswerMemory()
        self._noticed: set[int] = set()  # chats told to slow down since their last admitted update
        super().__init__(settings)

    def add_handlers(self, app: App) -> None:
        app.add_handler(TypeHandler(Update, self._gate), group=-1)
        app.add_handler(CommandHandler(["start", "help"], self._help))
        app.add_handler(CommandHandler("reports", self._reports))
        app.add_handler(CommandHandler("check", self._check))
        app.add_handler(CommandHandler("source", self._source))
        app.add_handler(CommandHandler("chart", self._chart))
        app.add_handler(CallbackQueryHandler(self._sources_button, pattern=r"^src:"))
        private = filters.ChatType.PRIVATE  # in groups, quiet about other bots' commands and about pictures
        app.add_handler(MessageHandler(filters.COMMAND & private, self._unknown_command))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._question))
        app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL & private, self._not_text))
        app.add_error_handler(self._on_error)

    def warm_up(self) -> None:
        self.answering.warm_up()

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
