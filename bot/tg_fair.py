"""Fairness and rate limits of the Telegram bot.

Updates of one chat are handled one at a time and in order, and a chat waits for its own
previous update *before* it takes one of the global processing slots, so a chat that floods the
bot holds at most one slot while every other chat keeps being served. A token bucket per chat
then caps how many updates a chat gets handled at all (the excess gets one "slow down" notice).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


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

    def __init__(
        self, slots: int, bucket: TokenBucket, counts: Callable[[Update], bool] = lambda u: True
    ) -> None:
        super().__init__(max_concurrent_updates=max(2, slots))
        self.bucket = bucket
        self.counts = counts  # which updates use up the chat's tokens (not group chatter the bot ignores)
        self.throttled: set[int] = set()
        self._slots = asyncio.Semaphore(max(1, slots))
        self._lanes: dict[int, _Lane] = {}

    async def process_update(  # type: ignore[misc]  # PTB marks it final; fairness needs the override
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
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
            async with lane.lock, self._slots:
                await coroutine
        finally:
            lane.users -= 1
            if lane.users == 0:
                self._lanes.pop(chat.id, None)

    # never called: process_update is overridden
    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
