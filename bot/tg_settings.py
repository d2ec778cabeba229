"""The Telegram bot's settings and token hygiene.

The token never reaches a log line or a user: a log-record factory redacts it from every record
(httpx logs request URLs, which contain it; python-telegram-bot's InvalidToken quotes it), httpx's
own request log is silenced, and users only ever see fixed texts, never exception messages.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXIT_CONFLICT = 3


class PollingConflict(RuntimeError):
    pass


class TokenRejected(RuntimeError):
    pass


class StartupFailed(RuntimeError):
    pass


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


def api_urls(api_base_url: str | None) -> tuple[str, str] | None:
    """A Bot API server root (http://host:8081, or …/bot) → (base_url, base_file_url) for
    python-telegram-bot."""
    if not api_base_url:
        return None
    root = api_base_url.rstrip("/")
    if root.endswith("/bot"):
        root = root[: -len("/bot")]
    return f"{root}/bot", f"{root}/file/bot"


def token_problem(token: str) -> str | None:
    """Why `token` cannot be a bot token (without quoting it), or None."""
    if not re.fullmatch(r"[0-9]{3,}:[A-Za-z0-9_-]{20,}", token):
        return (
            "that is not a bot token (BotFather gives one like 123456789:AA…, digits, a colon, "
            "then 35 letters, digits, _ or -)"
        )
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
    search: bool = True  # passage search (BM25, + dense with embeddings) for "not found" answers
    chroma_url: str | None = None
    db_url: str | None = None  # the facts in PostgreSQL instead of <data_dir>/facts.sqlite
    embed_model: str | None = None
    warm_up: bool = True  # load answer()'s modules and dictionaries before polling starts
