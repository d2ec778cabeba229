"""A fake OpenAI-compatible chat server on 127.0.0.1, for tests that run the real ChatOpenAI client.

`POST /v1/chat/completions`, plain JSON or SSE (`"stream": true`). What it replies is decided by
`server.behaviour(request) -> Reply`; the default, `faithful`, reads the quoted material that
bot/compose.py puts in the prompt and rephrases its figures without changing any of them, as a
well-behaved model would. Other behaviours in this module: an invented figure, a model that obeys
instructions hidden in report text, a stalled or failing endpoint. Every request body is kept in
`server.requests`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before the response starts
    chunks: list[str] | None = (
        None  # SSE pieces when streaming (default: the content cut every 3 characters, so numbers are split)
    )
    chunk_delay: float = 0.0


Behaviour = Callable[[dict[str, Any]], Reply]


# ------------------------------------------------------------------ reading the prompt
def messages_text(request: dict[str, Any], role: str | None = None) -> str:
    return "\n".join(
        str(m.get("content", ""))
        for m in request.get("messages", [])
        if role is None or m.get("role") == role
    )


def material(request: dict[str, Any]) -> dict[str, Any]:
    """The JSON between <material> tags in the last user message (what compose.py sends)."""
    text = messages_text(request, "user")
    m = re.search(r"<material>\s*(.*?)\s*</material>", text, re.S)
    return json.loads(m.group(1)) if m else {}


def _first_sentence(text: str) -> str:
    m = re.match(r"[^。！？!?\n]+[。！？!?]?", text.strip())
    return m.group(0) if m else text.strip()


def faithful_text(mat: dict[str, Any]) -> str:
    """A rephrasing that states every given figure exactly and nothing else."""
    zh = mat.get("language", "zh") == "zh"
    if mat.get("task") == "summarise":
        return ("本节要点：" if zh else "In short: ") + _first_sentence(mat.get("text", ""))
    if mat.get("task") == "parse":
        return json.dumps(
            {"agency": None, "agency_evidence": None, "year": None, "year_evidence": None, "figure": None}
        )
    facts = mat.get("facts") or []
    who = f"{mat.get('agency')}{mat.get('year')}年" if zh else f"{mat.get('agency')} ({mat.get('year')})"
    if not facts:
        passages = mat.get("passages") or []
        first = _first_sentence(passages[0]["text"]) if passages else ""
        return (
            f"据{who}的年度报告，相关的表述是：“{first}”"
            if zh
            else f"The {mat.get('year')} report of {mat.get('agency')} says: “{first}”"
        )
    parts = []
    for i, f in enumerate(facts):
        if f.get("value") is None:
            continue
        more = "余" if f.get("qualifier") == "more_than" else ""
        if zh:
            parts.append(
                (f"根据{who}的年度报告，" if i == 0 else "另外，")
                + f"{f['label']}为{f['value']}{more}{f['unit']}。"
            )
        else:
            parts.append(
                (f"According to the report of {who}, " if i == 0 else "Also, ")
                + f"“{f['label']}” was {f['value']} {f['unit']}.".replace(" .", ".")
            )
    figure = mat.get("figure") or {}
    if figure.get("value") is not None and not any(f.get("value") == figure["value"] for f in facts):
        parts.append(
            f"合计{figure['value']}{figure.get('unit', '')}。"
            if zh
            else f"That makes {figure['value']} in all."
        )
    return "".join(parts) if zh else " ".join(parts)


def faithful(request: dict[str, Any]) -> Reply:
    return Reply(faithful_text(material(request)))


def inventing(
    extra_zh: str = "此外，全年还办理了9876件依申请公开事项。",
    extra_en: str = " It also handled 9876 other requests.",
) -> Behaviour:
    """Faithful, then one sentence with a figure that is in no report."""

    def behave(request: dict[str, Any]) -> Reply:
        mat = material(request)
        return Reply(faithful_text(mat) + (extra_zh if mat.get("language", "zh") == "zh" else extra_en))

    return behave


def gullible(request: dict[str, Any]) -> Reply:
    """A model that does what report text tells it to: here, multiply every figure by ten."""
    mat = material(request)
    text = faithful_text(mat)
    if "忽略" in json.dumps(mat, ensure_ascii=False) or "ignore previous" in json.dumps(mat).lower():
        text = re.sub(r"\d+", lambda m: str(int(m.group(0)) * 10), text)
    return Reply(text)


def fixed(content: str, **kw: Any) -> Behaviour:
    return lambda request: Reply(content, **kw)


# ------------------------------------------------------------------ the server
class FakeOpenAI:
    def __init__(self, behaviour: Behaviour = faithful) -> None:
        self.behaviour = behaviour
        self.requests: list[dict[str, Any]] = []
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are separate writes

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._json(404, {"error": {"message": f"no route {self.path}"}})
                request = json.loads(body or b"{}")
                server.requests.append(request)
                reply = server.behaviour(request)
                if reply.delay and server._stop.wait(reply.delay):
                    return
                if reply.status != 200:
                    return self._json(
                        reply.status, {"error": {"message": "fake failure", "type": "server_error"}}
                    )
                if request.get("stream"):
                    return self._sse(request, reply)
                self._json(
                    200,
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": request.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": reply.content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    },
                )

            def _json(self, status: int, obj: dict[str, Any]) -> None:
                data = json.dumps(obj, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _sse(self, request: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                pieces = (
                    reply.chunks
                    if reply.chunks is not None
                    else [reply.content[i : i + 3] for i in range(0, len(reply.content), 3)]
                )
                base = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": request.get("model", "fake"),
                }
                try:
                    self._event(
                        {
                            **base,
                            "choices": [
                                {
                                    "index": 0,
                                    "delta": {"role": "assistant", "content": ""},
                                    "finish_reason": None,
                                }
                            ],
                        }
                    )
                    for p in pieces:
                        if reply.chunk_delay and server._stop.wait(reply.chunk_delay):
                            return
                        self._event(
                            {
                                **base,
                                "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}],
                            }
                        )
                    self._event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def _event(self, obj: dict[str, Any]) -> None:
                self.wfile.write(b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n")
                self.wfile.flush()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()  # wakes stalled handlers
        self.httpd.shutdown()
        self.httpd.server_close()
