"""The Telegram application around the handlers: it polls until stopped, gives up on a second
poller of the same token (409 Conflict), sends HTML messages through Telegram's flood control,
and stops cleanly. `XxgkBot` (bot/telegram.py) adds the handlers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram import BotCommand, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder

from .messages_tg import TG_COMMANDS
from .render_tg import Line, split_html
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
COMMANDS = [BotCommand(name, description) for name, description in TG_COMMANDS]
App = Application[Any, Any, Any, Any, Any, Any]


class PollingBot:
    """Long polling, fair and rate-limited per chat (bot/tg_fair.py), with the token kept secret."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bucket = TokenBucket(settings.rate_per_minute / 60.0, settings.burst)
        self.processor = FairUpdateProcessor(settings.slots, self.bucket, self._addressed)
        self._conflicts: list[float] = []
        self._stop: asyncio.Event | None = None
        self.conflict: Conflict | None = None
        protect_token(settings.token)
        builder = ApplicationBuilder().token(settings.token).concurrent_updates(self.processor)
        urls = api_urls(settings.api_base_url)
        if urls:
            builder = builder.base_url(urls[0]).base_file_url(urls[1])
        builder = builder.get_updates_read_timeout(10.0).read_timeout(20.0).write_timeout(20.0)
        self.app: App = builder.build()
        self.add_handlers(self.app)

    def add_handlers(self, app: App) -> None:
        """The bot's handlers (XxgkBot)."""

    def warm_up(self) -> None:
        """Load what the first update would wait for, before polling starts."""

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
                await self._in_thread(self.warm_up)
            assert app.updater is not None  # built with the default updater (polling)
            await app.updater.start_polling(
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
