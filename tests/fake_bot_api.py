"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and the benchmark.

Plain asyncio (no web framework): HTTP/1.1 with keep-alive, the request shapes python-telegram-bot
sends (`POST /bot<TOKEN>/<method>`, form-encoded with JSON-encoded values). It implements what
the bot uses — getMe, getUpdates (long polling, honouring `offset`, `limit` and `timeout`),
deleteWebhook, setMyCommands, sendMessage, sendPhoto and sendDocument (multipart uploads, kept in
`uploads`), answerCallbackQuery, editMessageText, editMessageReplyMarkup, close/logOut — records
every call, and lets a test inject incoming messages and button presses.

Like Telegram it refuses what Telegram would refuse: a text over 4096 characters after entity
parsing, an empty text, and HTML that Telegram cannot parse (an unknown tag, an unbalanced tag, a
bare `<` or `&`). A wrong token gets 401; `conflict = True` makes getUpdates answer 409 as when a
second instance polls the same token.

Use it inside a running loop (`await fake.start()`), or from synchronous code in its own thread
(`with ThreadedFakeBotApi() as fake:`).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MAX_TEXT = 4096
_ACKNOWLEDGED = {
    "deleteWebhook",
    "setMyCommands",
    "close",
    "logOut",
    "answerCallbackQuery",
}  # methods that only say ok
BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "xxgk test",
    "username": "xxgk_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "span",
    "tg-spoiler",
    "tg-emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"]*\")?)*)\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The visible text of a parse_mode=HTML message, or ValueError as Telegram's 400 would say."""
    out, stack, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            if not m:
                raise ValueError(f"Can't parse entities: unexpected '<' at byte offset {i}")
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in _ALLOWED_TAGS:
                raise ValueError(f'Can\'t parse entities: unsupported start tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    raise ValueError(
                        f"Can't parse entities: can't find end tag corresponding to start tag \"{name}\""
                    )
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY.match(text, i)
            if not m:
                raise ValueError(f"Can't parse entities: unsupported entity at byte offset {i}")
            out.append(html.unescape(m.group(0)))
            i = m.end()
        else:
            out.append(ch)
            i += 1
    if stack:
        raise ValueError(
            f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float  # time.perf_counter() when the request arrived
    token: str = ""
    status: int = 200


@dataclass
class Sent:
    """A message the bot sent (sendMessage that Telegram accepted)."""

    chat_id: int
    message_id: int
    text: str  # as sent (HTML source when parse_mode is HTML)
    parse_mode: str | None
    reply_to: int | None
    reply_markup: dict[str, Any] | None
    at: float

    @property
    def plain(self) -> str:
        return parse_html(self.text) if (self.parse_mode or "").upper() == "HTML" else self.text

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [b for row in rows for b in row]


@dataclass
class Upload:
    """A photo or document the bot sent (sendPhoto / sendDocument with a multipart file)."""

    method: str
    chat_id: int
    filename: str
    data: bytes
    caption: str


@dataclass
class Injected:
    update_id: int
    chat_id: int
    message_id: int | None
    at: float


class FakeBotApi:
    def __init__(self, token: str | None = None, max_poll: float = 30.0, host: str = "127.0.0.1") -> None:
        self.token = token  # None: accept any token
        self.max_poll = max_poll  # cap on getUpdates' long-poll timeout
        self.host = host
        self.port = 0
        self.conflict = False
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.uploads: list[Upload] = []
        self.injected: dict[int, Injected] = {}
        self.by_message: dict[int, Injected] = {}  # incoming message_id → its update
        self.messages: dict[int, dict[str, Any]] = {}  # every message by id (incoming and sent)
        self._pending: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._server: asyncio.base_events.Server | None = None
        self._conns: set[asyncio.Task[Any]] = set()
        self._changed: asyncio.Condition | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> FakeBotApi:
        self.loop = asyncio.get_running_loop()
        self._changed = asyncio.Condition()
        self._server = await asyncio.start_server(self._serve, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for t in list(self._conns):
                t.cancel()
            await asyncio.gather(*self._conns, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    @property
    def root(self) -> str:
        """What `xxgk telegram --api-base-url` takes (like a self-hosted telegram-bot-api server)."""
        return f"http://{self.host}:{self.port}"

    # ------------------------------------------------------------------ injecting updates
    def inject_message(
        self, chat_id: int, text: str, *, user_id: int | None = None, chat_type: str = "private"
    ) -> Injected:
        mid = next(self._message_ids)
        user = {"id": user_id or chat_id, "is_bot": False, "first_name": "Tester", "language_code": "zh-hans"}
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Tester"
        else:
            chat["title"] = f"group {chat_id}"
        msg: dict[str, Any] = {
            "message_id": mid,
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": tg_len(text.split()[0])}]
        self.messages[mid] = msg
        return self._push({"message": msg}, chat_id, mid)

    def inject_callback(self, sent: Sent, data: str | None = None, *, user_id: int | None = None) -> Injected:
        """A press of an inline button under a message the bot sent (the first button's data by default)."""
        if data is None:
            data = sent.buttons()[0]["callback_data"]
        user = {"id": user_id or sent.chat_id, "is_bot": False, "first_name": "Tester"}
        uid_hint = next(self._message_ids)
        query = {
            "id": f"cq{uid_hint}",
            "from": user,
            "chat_instance": f"ci{sent.chat_id}",
            "data": data,
            "message": self.messages[sent.message_id],
        }
        return self._push({"callback_query": query}, sent.chat_id, None)

    def _push(self, body: dict[str, Any], chat_id: int, message_id: int | None) -> Injected:
        uid = next(self._update_ids)
        inj = Injected(uid, chat_id, message_id, time.perf_counter())
        self.injected[uid] = inj
        if message_id is not None:
            self.by_message[message_id] = inj
        item = {"update_id": uid, **body}
        if self.loop is not None and not self._on_loop():
            self.loop.call_soon_threadsafe(
                self._append, item
            )  # from a test's thread: hand it to the server's loop
        else:
            self._append(item)
        return inj

    def _append(self, item: dict[str, Any]) -> None:
        self._pending.append(item)
        self._notify()

    def _on_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    # ------------------------------------------------------------------ looking at what happened
    def sent_to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Until predicate() holds (checked after every API call), or AssertionError after timeout."""
        assert self._changed is not None
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                raise AssertionError(
                    f"condition not met within {timeout}s; calls: {[c.method for c in self.calls][-20:]}"
                ) from None

    async def wait_sent(self, chat_id: int, n: int = 1, timeout: float = 10.0) -> list[Sent]:
        await self.wait_for(lambda: len(self.sent_to(chat_id)) >= n, timeout)
        return self.sent_to(chat_id)

    async def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Until no call but getUpdates has arrived for `quiet` seconds."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            last = max((c.at for c in self.calls if c.method != "getUpdates"), default=0.0)
            if time.perf_counter() - last >= quiet:
                return
            await asyncio.sleep(quiet / 3)
        raise AssertionError("the bot kept sending")

    def _notify(self) -> None:
        if self._changed is None or self.loop is None:
            return

        async def notify() -> None:
            assert self._changed is not None
            async with self._changed:
                self._changed.notify_all()

        loop = self.loop
        loop.call_soon_threadsafe(
            lambda: loop.create_task(notify())
        )  # injections may come from another thread

    # ------------------------------------------------------------------ HTTP
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._conns.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {
                    k.strip().lower(): v.strip()
                    for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)
                }
                body = await reader.readexactly(int(headers.get("content-length") or 0))
                status, payload = await self._dispatch(method, urlsplit(target).path, headers, body)
                data = json.dumps(payload, ensure_ascii=False).encode()
                writer.write(
                    f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\nContent-Type: "
                    "application/json\r\n"
                    f"Content-Length: {len(data)}\r\nConnection: keep-alive\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._conns.discard(task)
            writer.close()

    async def _dispatch(
        self, verb: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        m = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", path)
        if not m:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, name = m.group(1), m.group(2)
        params = self._params(headers.get("content-type", ""), body)
        call = Call(name, params, time.perf_counter(), token)
        self.calls.append(call)
        self._notify()  # a waiting test sees the call when it arrives (getUpdates may then wait long)
        try:
            if self.token is not None and token != self.token:
                call.status = 401
                return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            handler = getattr(self, f"_api_{name}", None)
            if handler is None and name in _ACKNOWLEDGED:
                return 200, {"ok": True, "result": True}
            if handler is None:
                call.status = 404
                return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
            try:
                result = await handler(params)
            except _ApiError as e:
                call.status = e.code
                return e.code, {"ok": False, "error_code": e.code, "description": e.description}
            return 200, {"ok": True, "result": result}
        finally:
            self._notify()

    @staticmethod
    def _params(content_type: str, body: bytes) -> dict[str, Any]:
        if not body:
            return {}
        if content_type.startswith("application/json"):
            return json.loads(body)
        if content_type.startswith("multipart/form-data"):
            return _multipart(content_type, body)
        out: dict[str, Any] = {}
        for k, v in parse_qsl(body.decode(), keep_blank_values=True):
            # python-telegram-bot JSON-encodes every non-string value; strings are sent as they are
            if k in ("text", "callback_query_id", "parse_mode", "callback_data"):
                out[k] = v
                continue
            try:
                out[k] = json.loads(v)
            except ValueError:
                out[k] = v
        return out

    # ------------------------------------------------------------------ methods
    async def _api_getMe(self, p: dict[str, Any]) -> Any:
        return BOT_USER

    async def _api_getUpdates(self, p: dict[str, Any]) -> Any:
        if self.conflict:
            raise _ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
                "running",
            )
        offset = int(p.get("offset") or 0)
        if offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        limit = int(p.get("limit") or 100)
        timeout = min(float(p.get("timeout") or 0), self.max_poll)
        assert self._changed is not None
        if not self._pending and timeout > 0:
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._pending) or self.conflict), timeout
                    )
        if self.conflict:
            raise _ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
                "running",
            )
        return self._pending[:limit]

    async def _api_sendMessage(self, p: dict[str, Any]) -> Any:
        text = p.get("text")
        if not text or not str(text).strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        text = str(text)
        mode = p.get("parse_mode")
        visible = text
        if (mode or "").upper() == "HTML":
            try:
                visible = parse_html(text)
            except ValueError as e:
                raise _ApiError(400, f"Bad Request: {e}") from None
        if tg_len(visible) > MAX_TEXT:
            raise _ApiError(400, "Bad Request: message is too long")
        chat_id = int(p["chat_id"])
        reply = p.get("reply_parameters") or {}
        reply_to = reply.get("message_id") if isinstance(reply, dict) else None
        if reply_to is None and p.get("reply_to_message_id"):
            reply_to = int(p["reply_to_message_id"])
        mid = next(self._message_ids)
        markup = p.get("reply_markup") if isinstance(p.get("reply_markup"), dict) else None
        msg: dict[str, Any] = {
            "message_id": mid,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": visible,
        }
        if markup:
            msg["reply_markup"] = markup
        self.messages[mid] = msg
        self.sent.append(Sent(chat_id, mid, text, mode, reply_to, markup, time.perf_counter()))
        return msg

    async def _upload(self, method: str, field: str, p: dict[str, Any]) -> dict[str, Any]:
        upload = p.get(field)
        if not isinstance(upload, tuple):
            raise _ApiError(400, f"Bad Request: there is no {field} in the request")
        filename, data = upload
        if not data:
            raise _ApiError(400, "Bad Request: file must be non-empty")
        chat_id = int(p["chat_id"])
        self.uploads.append(Upload(method, chat_id, filename, data, str(p.get("caption") or "")))
        mid = next(self._message_ids)
        ref = {"file_id": f"f{mid}", "file_unique_id": f"u{mid}", "file_size": len(data)}
        media = (
            {"photo": [{**ref, "width": 1000, "height": 600}]}
            if field == "photo"
            else {"document": {**ref, "file_name": filename}}
        )
        msg = {
            "message_id": mid,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "caption": str(p.get("caption") or ""),
            **media,
        }
        self.messages[mid] = msg
        return msg

    async def _api_sendPhoto(self, p: dict[str, Any]) -> Any:
        return await self._upload("sendPhoto", "photo", p)

    async def _api_sendDocument(self, p: dict[str, Any]) -> Any:
        return await self._upload("sendDocument", "document", p)

    async def _api_editMessageText(self, p: dict[str, Any]) -> Any:
        mid = int(p["message_id"])
        if mid not in self.messages:
            raise _ApiError(400, "Bad Request: message to edit not found")
        self.messages[mid] = {**self.messages[mid], "text": p.get("text", "")}
        return self.messages[mid]

    async def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        mid = int(p["message_id"])
        if mid not in self.messages:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return self.messages[mid]


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields of a multipart body; a file field becomes (filename, bytes)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    msg = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    out: dict[str, Any] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            out[name] = (filename, data)
            continue
        text = data.decode()
        try:
            out[name] = text if name in ("text", "caption", "parse_mode") else json.loads(text)
        except ValueError:
            out[name] = text
    return out


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


class ThreadedFakeBotApi:
    """The fake server on its own event loop in a background thread, for synchronous tests (CLI,
    subprocess)."""

    def __init__(self, **kwargs: Any) -> None:
        self.fake = FakeBotApi(**kwargs)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="fake-bot-api", daemon=True)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self.fake.start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self.fake.stop())
        self._loop.close()

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        self._ready.wait(10)
        return self.fake

    def __exit__(self, *exc: Any) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run fn(*args) on the server's loop (e.g. inject_message) and return its result."""
        assert self._loop is not None

        async def run() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 15.0) -> bool:
        return wait_until(predicate, timeout)


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Poll a condition from a test thread until it holds or time runs out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
