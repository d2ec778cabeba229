"""The configured model at work: calls under one deadline, retries, cooldown, the streaming gate,
rewording an answer and reading an unclear question. What it may say is decided in
bot/compose.py (the material and the number guard); this module only runs the model.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ingest.numbers import numbers

from .compose import (
    Material,
    Settings,
    backing,
    chat_model,
    guard,
    material,
    safe_json,
    unbacked,
    visible,
)
from .llm_reading import json_object, with_agency, with_year
from .model import Answer, Say

log = logging.getLogger("xxgk.llm")


class _Deadline(Exception):
    pass


class _Rejected(Exception):
    """A streamed sentence failed the guard: stop reading the stream."""


def _pump(produce: Callable[[], Iterable[Any]], deadline: float) -> Iterator[Any]:
    """Items of `produce()` computed in a daemon thread, until `deadline` (time.monotonic()).

    A hard deadline whatever the client does (retry-after headers, a server trickling bytes):
    on expiry the caller moves on and the thread ends at its next item or its own timeout.
    """
    q: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def run() -> None:
        try:
            for item in produce():
                if stop.is_set():
                    return
                q.put(("item", item))
            q.put(("end", None))
        except BaseException as e:  # handed to the caller
            q.put(("error", e))

    threading.Thread(target=run, name="xxgk-llm", daemon=True).start()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Deadline()
            try:
                kind, item = q.get(timeout=remaining)
            except queue.Empty:
                raise _Deadline() from None
            if kind == "item":
                yield item
            elif kind == "end":
                return
            else:
                raise item
    finally:
        stop.set()


def _content(msg: Any) -> str:
    c = getattr(msg, "content", msg)
    if isinstance(c, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in c)
    return str(c or "")


def _status(e: BaseException) -> int | None:
    code = getattr(e, "status_code", None)
    if code is None and getattr(e, "response", None) is not None:
        code = getattr(getattr(e, "response", None), "status_code", None)
    return code if isinstance(code, int) else None


def _transient(e: BaseException) -> bool:
    code = _status(e)
    if code is not None:
        return code == 429 or code >= 500
    name = type(e).__name__.lower()
    return isinstance(e, (OSError, _Deadline)) or "connect" in name or "timeout" in name


def _reason(e: BaseException, timeout: float) -> str:
    code = _status(e)
    if isinstance(e, _Deadline) or "timeout" in type(e).__name__.lower():
        return f"no answer within {timeout:g} s"
    if code is not None:
        return f"HTTP {code}"
    return f"{type(e).__name__}: {str(e)[:120]}"


_SENTENCE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s)")


class _Gate:
    """Streamed text → sentences shown only once the guard has passed them (see module doc)."""

    def __init__(self, m: Material, emit: Callable[[str], None]) -> None:
        self.m, self.emit = m, emit
        self.received = ""
        self.judged = 0  # characters of visible(received) judged so far
        self.held: list[str] = []
        self.shown = ""
        self.stated: set[Decimal] = set()
        self.problems: list[str] = []

    def feed(self, text: str, final: bool = False) -> None:
        self.received += text
        vis = visible(self.received)
        while True:
            m = _SENTENCE_END.search(vis, self.judged)
            end = m.end() if m else (len(vis) if final else -1)
            if end <= self.judged:
                break
            self._judge(vis[self.judged : end])
            self.judged = end

    def _judge(self, sentence: str) -> None:
        bad = unbacked(sentence, self.m.allowed)
        if bad:
            self.problems.append("numbers not in the facts given: " + ", ".join(bad))
            raise _Rejected()
        self.stated |= {n.value.normalize() for n in numbers(sentence)}
        self.held.append(sentence)
        if all(r & self.stated for _, r in self.m.required):
            out = "".join(self.held)
            if not self.shown:
                out = out.lstrip()
            self.held = []
            if out:
                self.shown += out
                self.emit(out)


class Composer:
    """One configured model; shared by every answer of the process (thread-safe)."""

    def __init__(self, s: Settings) -> None:
        self.s = s
        self.model = chat_model(s)
        self._lock = threading.Lock()
        self._down_until = 0.0

    # ---------------------------------------------------------- endpoint health
    def _down(self) -> bool:
        with self._lock:
            return time.monotonic() < self._down_until

    def _failed(self, e: BaseException, what: str) -> None:
        transient = _transient(e)
        with self._lock:
            if transient and self.s.cooldown:
                self._down_until = time.monotonic() + self.s.cooldown
        if transient:
            log.warning(
                "xxgk: LLM %s is not answering (%s) while %s; the template answer is used%s",
                self.s.label,
                _reason(e, self.s.timeout),
                what,
                f", and the LLM is not tried again for {self.s.cooldown:g} s" if self.s.cooldown else "",
            )
        else:
            log.warning(
                "xxgk: LLM %s refused the request (%s) while %s; the template answer is used "
                "(check the model name and key)",
                self.s.label,
                _reason(e, self.s.timeout),
                what,
            )

    def _kwargs(self, deadline: float) -> dict[str, Any]:
        return {"timeout": max(0.1, deadline - time.monotonic())} if self.s.provider == "openai" else {}

    def _attempts(
        self,
        call: Callable[[float], Iterable[Any]],
        on_item: Callable[[Any], None],
        what: str,
        restartable: Callable[[], bool],
    ) -> bool:
        """Run `call(deadline)` with retries inside one deadline; False (logged) when it failed."""
        deadline = time.monotonic() + self.s.timeout
        attempt = 0
        while True:
            try:
                for item in _pump(lambda: call(deadline), deadline):
                    on_item(item)
                return True
            except _Rejected:
                raise
            except Exception as e:
                attempt += 1
                if (
                    _transient(e)
                    and not isinstance(e, _Deadline)
                    and attempt <= self.s.retries
                    and restartable()
                    and deadline - time.monotonic() > 0.5
                ):
                    log.info("xxgk: LLM %s: %s; retrying", self.s.label, _reason(e, self.s.timeout))
                    time.sleep(min(0.25 * attempt, max(0.0, deadline - time.monotonic() - 0.25)))
                    continue
                self._failed(e, what)
                return False

    def invoke(self, messages: list[Any], what: str) -> str | None:
        out: list[str] = []
        ok = self._attempts(
            lambda d: [self.model.invoke(messages, **self._kwargs(d))],
            lambda msg: out.append(_content(msg)),
            what,
            lambda: True,
        )
        return visible(out[0]).strip() if ok and out else None

    # ---------------------------------------------------------- composing
    def compose(
        self, a: Answer, store: Any = None, search: Any = None, stream: Callable[[str], None] | None = None
    ) -> Answer:
        if a.status == "ambiguous" and store is not None and not self._down():
            a = self.reparse(a, store, search)
        if a.status != "answered" or not (a.facts or a.passages) or a.rows or self._down():
            return a  # a table answer (rows) keeps its template: every row must stay
        from prompts import load

        m = material(a)
        messages = load("compose", a.language).format_messages(material=m.json)
        if stream is not None and self.s.stream:
            gate = _Gate(m, stream)
            try:
                ok = self._attempts(
                    lambda d: (_content(c) for c in self.model.stream(messages, **self._kwargs(d))),
                    gate.feed,
                    "composing an answer",
                    lambda: not gate.received,
                )
                if not ok:
                    return a
                gate.feed("", final=True)
            except _Rejected:
                pass
            reply = visible(gate.received).strip()
            problems = gate.problems or guard(reply, m.allowed, m.required)
            shown = gate.shown.rstrip()
        else:
            got = self.invoke(messages, "composing an answer")
            if got is None:
                return a
            reply, shown = got, got
            problems = guard(reply, m.allowed, m.required)
        if problems:
            log.warning(
                "xxgk: LLM reply discarded (%s); the template answer is used. Question: %s",
                "; ".join(problems),
                a.question[:120],
            )
            return a
        return replace(a, wording=shown, composer="llm")  # the renderer puts m.appendix under it

    def summarise(self, text: str, section: str = "", language: str = "zh") -> str | None:
        """A short summary of one report section, or None (not usable: failed or an unbacked number)."""
        from prompts import load

        if self._down():
            return None
        mat = {"task": "summarise", "language": language, "section": section, "text": text}
        reply = self.invoke(
            load("summarise", language).format_messages(material=safe_json(mat)), "summarising a section"
        )
        if reply is None:
            return None
        problems = guard(reply, backing([text, section]), [])
        if problems:
            log.warning("xxgk: LLM summary discarded (%s)", "; ".join(problems))
            return None
        return reply

    # ---------------------------------------------------------- free questions
    def reparse(self, a: Answer, store: Any, search: Any) -> Answer:
        """An ambiguous question → agency/year from the model, each checked against the question's words."""
        from prompts import load

        from .answer import answer

        places = dict(store.agency_places())
        need_agency, need_year = a.agency is None, a.year is None
        if need_agency and sorted(a.candidates) != sorted(places):
            return a  # the parser found candidates and asks the user to choose: no guess for a model
        mat = {
            "task": "parse",
            "language": a.language,
            "question": a.question,
            "agencies": [{"agency": n, "place": p} for n, p in sorted(places.items())],
            "years": sorted({d.year for d in store.documents() if d.year}),
        }
        reply = self.invoke(
            load("parse", a.language).format_messages(material=safe_json(mat)), "reading the question"
        )
        parsed = json_object(reply or "")
        if not parsed:
            return a
        question: str | None = a.question
        if need_agency:
            question = with_agency(a, a.question, parsed, places, store)
        if need_year and question is not None:
            question = with_year(a.question, question, parsed)
        if question is None:
            return a
        if question == a.question:
            return a
        b = answer(question, store, search=search)
        if b.status == "ambiguous":
            return a
        log.info("xxgk: question %r read as %r (figure: %s)", a.question, question, parsed.get("figure"))
        return replace(b, question=a.question, says=[Say("read_as", {"question": question.strip()}), *b.says])
