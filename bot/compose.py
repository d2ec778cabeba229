"""The optional LLM: fluent wording for template answers, and a number guard in front of it.

Configured by `XXGK_LLM=openai:<model>` (OPENAI_BASE_URL / OPENAI_API_KEY: any OpenAI-compatible
server, through langchain_openai.ChatOpenAI) or `XXGK_LLM=ollama:<model>` (XXGK_LLM_BASE_URL or
OLLAMA_HOST; needs the optional extra `xxgk[ollama]`), or the `--llm` flag of `ask` and `repl`.
Unset (the default), nothing here runs and answers are the template answers of bot/answer.py.

What the model may do, and what it may not:
- It only rephrases `Answer.text` of an *answered* question. `value`, `unit`, `facts`, `checks`
  and `status` always come from the template path, whatever the model says. "Not found",
  "ambiguous" and error answers are never reworded.
- It sees only the facts, checks and passages retrieved for this question, serialised as JSON
  between <material> tags and described as quoted, untrusted material ("<" is escaped, so report
  text cannot close the tag).
- The guard: every number in the reply (Arabic or full-width digits, thousands separators,
  万/千/亿, Chinese and English number words) must equal a number in that material, or the year
  of the report, or a number of the question; and the reply must state the answer's own figure
  and every figure of the facts behind it. Otherwise the reply is discarded with a log line and
  the template answer is returned (`composer` stays "template").
- Provenance is never the model's: the template's source, quote, check and note lines are
  appended verbatim to the model's wording.
- Timeouts (XXGK_LLM_TIMEOUT, default 20 s, a hard deadline for each model call including
  retries), retries (XXGK_LLM_RETRIES, default 1, only for connection errors, 429 and 5xx), and
  when the endpoint is down: one clear log line, the template answer, and no new attempt for
  XXGK_LLM_COOLDOWN seconds (default 60) so a batch does not wait on a dead server per question.

Streaming (the REPL): text is shown sentence by sentence, and only sentences the guard has
already passed; nothing is shown until the reply has stated the answer's figures. So no number
the guard rejects ever reaches the terminal, even for a moment. If a later sentence fails (or
the stream breaks), the REPL prints a one-line retraction and the template answer
(`StreamPrinter`). The alternative, "stream everything, retract afterwards", would put the
unbacked number on screen (and in scrollback, screenshots, copy-paste) before the guard sees it.
Telegram and `ask` get the finished, checked text.

The rule-based parser stays in charge of understanding questions: when it is unsure (the answer
is "ambiguous" because the question names no known agency, or no year it can read, e.g.
二〇二〇年), the `parse` prompt asks the model for {agency, year, figure}; an agency or year is
used only when the words the model quotes for it are in the question and name it, and the
question is then answered again by the template path.
"""
from __future__ import annotations

import json
import logging
import os
import queue
import re
import threading
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Mapping

from ingest.numbers import numbers, readings

from .model import Answer

log = logging.getLogger("xxgk.llm")

DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 1
DEFAULT_COOLDOWN = 60.0
OLLAMA_URL = "http://127.0.0.1:11434"
MAX_REPLY = 2000  # characters; a longer "rephrasing" of a short answer is not one
_OFF = ("", "none", "off", "template", "0", "false", "no")


class ConfigError(ValueError):
    """XXGK_LLM / --llm cannot be used as given (bad spec, missing key or package)."""


# ====================================================================== configuration
@dataclass(frozen=True)
class Settings:
    provider: str  # openai | ollama
    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    stream: bool = True
    cooldown: float = DEFAULT_COOLDOWN

    @property
    def label(self) -> str:
        return f"{self.provider}:{self.model}" + (f" at {self.base_url}" if self.base_url else "")


def _number_env(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        v = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if not low <= v <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, not {raw}")
    return v


def settings(spec: str | None = None, env: Mapping[str, str] | None = None) -> Settings | None:
    """The LLM configuration from `spec` (the --llm flag) or XXGK_LLM; None when none is set."""
    env = os.environ if env is None else env
    spec = (spec if spec is not None else env.get("XXGK_LLM", "")).strip()
    if spec.lower() in _OFF:
        return None
    provider, sep, model = spec.partition(":")
    provider, model = provider.strip().lower(), model.strip()
    if not sep or not model or provider not in ("openai", "ollama"):
        raise ConfigError(f"XXGK_LLM / --llm must be openai:<model> or ollama:<model> (or none), not {spec!r}")
    timeout = _number_env(env, "XXGK_LLM_TIMEOUT", DEFAULT_TIMEOUT, 0.1, 600)
    retries = int(_number_env(env, "XXGK_LLM_RETRIES", DEFAULT_RETRIES, 0, 5))
    cooldown = _number_env(env, "XXGK_LLM_COOLDOWN", DEFAULT_COOLDOWN, 0, 86400)
    stream = env.get("XXGK_LLM_STREAM", "1").strip().lower() not in _OFF
    if provider == "openai":
        base = (env.get("XXGK_LLM_BASE_URL") or env.get("OPENAI_BASE_URL") or "").strip() or None
        key = (env.get("OPENAI_API_KEY") or "").strip() or None
        if key is None:
            if base is None:
                raise ConfigError("XXGK_LLM=openai:… needs OPENAI_API_KEY, or OPENAI_BASE_URL pointing at an OpenAI-compatible server that needs no key")
            key = "not-needed"  # local OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) ignore it
    else:
        base = (env.get("XXGK_LLM_BASE_URL") or env.get("OLLAMA_HOST") or OLLAMA_URL).strip()
        base = base if "://" in base else "http://" + base
        key = None
    return Settings(provider, model, base, key, timeout, retries, stream, cooldown)


def chat_model(s: Settings) -> Any:
    """The LangChain chat model for `s` (temperature 0; retries are ours, see Composer._attempts)."""
    if s.provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(model=s.model, base_url=s.base_url, api_key=s.api_key, timeout=s.timeout, max_retries=0, temperature=0)
    try:
        from langchain_ollama import ChatOllama
    except ImportError:
        raise ConfigError("XXGK_LLM=ollama:… needs the optional package langchain-ollama: pip install 'xxgk[ollama]'") from None
    return ChatOllama(model=s.model, base_url=s.base_url, temperature=0, client_kwargs={"timeout": s.timeout})


# ====================================================================== numbers
def backing(texts: Iterable[str]) -> set[Decimal]:
    """Numbers a reply may use, from material texts: each as written and as read (12万 → 12, 120000;
    the figure printed before 万 is how a table whose unit is 万元 states it)."""
    return {v.normalize() for t in texts for n in numbers(t) for v in (n.value, n.printed)}


def unbacked(text: str, allowed: set[Decimal]) -> list[str]:
    return [n.text.strip() for n in numbers(text) if n.value.normalize() not in allowed]


def guard(reply: str, allowed: set[Decimal], required: list[tuple[str, set[Decimal]]]) -> list[str]:
    """Why `reply` may not be shown; [] when it may. `required`: (label, readings) of figures it must
    state."""
    problems = []
    if not reply.strip():
        problems.append("empty reply")
    if len(reply) > MAX_REPLY:
        problems.append(f"reply longer than {MAX_REPLY} characters")
    bad = unbacked(reply, allowed)
    if bad:
        problems.append("numbers not in the facts given: " + ", ".join(dict.fromkeys(bad)))
    stated = {n.value.normalize() for n in numbers(reply)}
    missing = [label for label, r in required if not (r & stated)]
    if missing:
        problems.append("figures left out: " + ", ".join(dict.fromkeys(missing)))
    return problems


# ====================================================================== material
_APPENDIX = re.compile(r"^(来源：|Source:|原文：|Quote:|⚠|注：|Note:|（年份|\(Year|（机关|\(Agency|（问题理解为|\(Read as|- “)")
_THINK = re.compile(r"<think>.*?</think>", re.S)


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def visible(text: str) -> str:
    """The reply without a reasoning model's <think> block (and nothing while one is still open)."""
    text = _THINK.sub("", text)
    i = text.find("<think>")
    if i >= 0:
        text = text[:i]
    stripped = text.lstrip()
    if stripped and "<think>".startswith(stripped):
        return ""
    return text


def _safe_json(obj: Any) -> str:
    """JSON for the prompt; "<" escaped so no report text can close the <material> tag."""
    return json.dumps(obj, ensure_ascii=False, indent=1).replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass
class Material:
    json: str
    allowed: set[Decimal]
    required: list[tuple[str, set[Decimal]]]
    appendix: list[str]


def material(a: Answer) -> Material:
    """What the model is shown for `a`, the numbers it may use, and the lines it may not touch."""
    from .answer import TABLE_NAMES

    zh = a.language == "zh"
    docs = {f.get("document", "") for f in a.facts} | {p.get("document", "") for p in a.passages} | {c.get("document", "") for c in a.checks}
    docs.discard("")

    def scrub(s: str) -> str:  # file names carry hash digits; the model needs none of them
        for d in sorted(docs, key=len, reverse=True):
            s = s.replace(d, "报告" if zh else "the report")
        return s

    lines = a.text.splitlines()
    appendix = [ln for ln in lines if _APPENDIX.match(ln)]
    draft = [scrub(ln) for ln in lines if not _APPENDIX.match(ln)]
    facts = []
    for f in a.facts:
        cell = f.get("kind") == "cell"
        facts.append({
            "label": f"{f.get('row_label')}·{f.get('column_label')}" if cell else f.get("topic", ""),
            "value": None if f.get("value") is None else _num(f["value"]),
            "unit": f.get("unit", ""),
            "qualifier": f.get("qualifier", ""),
            "where": f"{TABLE_NAMES.get(f.get('table', ''), f.get('table', ''))}" if cell else ("正文" if zh else "narrative text"),
            "quote": scrub(f.get("quote", "")),
        })
    checks = [{"status": c.get("status"), "detail": scrub(str(c.get("detail", "")))} for c in a.checks]
    passages = [{"section": p.get("section", ""), "text": scrub(p.get("text", ""))} for p in a.passages]
    obj = {
        "task": "compose", "language": a.language, "question": a.question, "agency": a.agency, "year": a.year,
        "figure": None if a.value is None else {"value": _num(a.value), "unit": a.unit},
        "draft": "\n".join(draft), "facts": facts, "checks": checks, "passages": passages,
    }
    texts = [a.question, "\n".join(draft), *(json.dumps(x, ensure_ascii=False) for x in facts + checks + passages)]
    allowed = backing(texts)
    for f in a.facts:
        if f.get("value") is not None:
            allowed |= readings(f["value"], f.get("unit", ""))
    for c in a.checks:
        for k in ("lhs", "rhs"):
            if c.get(k) is not None:
                allowed |= readings(c[k])
    if a.year:
        allowed.add(Decimal(a.year))
    required: list[tuple[str, set[Decimal]]] = []
    if a.value is not None:
        required.append((_num(a.value) + a.unit, readings(a.value, a.unit)))
    for f in a.facts:
        if f.get("value") is not None:
            required.append((_num(f["value"]) + f.get("unit", ""), readings(f["value"], f.get("unit", ""))))
    return Material(_safe_json(obj), allowed, required, appendix)


# ====================================================================== calling the model
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
        code = getattr(e.response, "status_code", None)  # type: ignore[union-attr]
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
            log.warning("xxgk: LLM %s is not answering (%s) while %s; the template answer is used%s", self.s.label, _reason(e, self.s.timeout),
                        what, f", and the LLM is not tried again for {self.s.cooldown:g} s" if self.s.cooldown else "")
        else:
            log.warning("xxgk: LLM %s refused the request (%s) while %s; the template answer is used (check the model name and key)",
                        self.s.label, _reason(e, self.s.timeout), what)

    def _kwargs(self, deadline: float) -> dict[str, Any]:
        return {"timeout": max(0.1, deadline - time.monotonic())} if self.s.provider == "openai" else {}

    def _attempts(self, call: Callable[[float], Iterable[Any]], on_item: Callable[[Any], None], what: str, restartable: Callable[[], bool]) -> bool:
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
                if _transient(e) and not isinstance(e, _Deadline) and attempt <= self.s.retries and restartable() and deadline - time.monotonic() > 0.5:
                    log.info("xxgk: LLM %s: %s; retrying", self.s.label, _reason(e, self.s.timeout))
                    time.sleep(min(0.25 * attempt, max(0.0, deadline - time.monotonic() - 0.25)))
                    continue
                self._failed(e, what)
                return False

    def invoke(self, messages: list[Any], what: str) -> str | None:
        out: list[str] = []
        ok = self._attempts(lambda d: [self.model.invoke(messages, **self._kwargs(d))], lambda msg: out.append(_content(msg)), what, lambda: True)
        return visible(out[0]).strip() if ok and out else None

    # ---------------------------------------------------------- composing
    def compose(self, a: Answer, store: Any = None, search: Any = None, stream: Callable[[str], None] | None = None) -> Answer:
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
                ok = self._attempts(lambda d: (_content(c) for c in self.model.stream(messages, **self._kwargs(d))), gate.feed,
                                    "composing an answer", lambda: not gate.received)
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
            log.warning("xxgk: LLM reply discarded (%s); the template answer is used. Question: %s", "; ".join(problems), a.question[:120])
            return a
        return replace(a, text="\n".join([shown, *m.appendix]), composer="llm")

    def summarise(self, text: str, section: str = "", language: str = "zh") -> str | None:
        """A short summary of one report section, or None (not usable: failed or an unbacked number)."""
        from prompts import load

        if self._down():
            return None
        mat = {"task": "summarise", "language": language, "section": section, "text": text}
        reply = self.invoke(load("summarise", language).format_messages(material=_safe_json(mat)), "summarising a section")
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

        from .agencies import resolver_for
        from .answer import answer

        places = dict(store.agency_places())
        need_agency, need_year = a.agency is None, a.year is None
        if need_agency and sorted(a.candidates) != sorted(places):
            return a  # the parser found candidates and asks the user to choose: not a guess to hand to a model
        mat = {"task": "parse", "language": a.language, "question": a.question,
               "agencies": [{"agency": n, "place": p} for n, p in sorted(places.items())],
               "years": sorted({d.year for d in store.documents() if d.year})}
        reply = self.invoke(load("parse", a.language).format_messages(material=_safe_json(mat)), "reading the question")
        parsed = _json_object(reply or "")
        if not parsed:
            return a
        question = a.question
        if need_agency:
            name, ev = parsed.get("agency"), parsed.get("agency_evidence")
            if not (isinstance(name, str) and name in places and isinstance(ev, str) and ev.strip() and ev in a.question and _names(ev, places[name])):
                log.info("xxgk: LLM query reading not used (agency %r, evidence %r)", name, ev)
                return a
            question = question.replace(ev, name if a.language == "zh" else resolver_for(store).english_name(name), 1)
        if need_year:
            year, ev = parsed.get("year"), parsed.get("year_evidence")
            try:
                year = int(year)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return a
            if not (isinstance(ev, str) and ev in a.question and Decimal(year) in {n.value for n in numbers(ev)} and 1990 <= year <= 2100):
                log.info("xxgk: LLM query reading not used (year %r, evidence %r)", year, ev)
                return a
            question = question.replace(ev, f"{year}年" if ev.endswith("年") else f" {year} ", 1)
        if question == a.question:
            return a
        b = answer(question, store, search=search)
        if b.status == "ambiguous":
            return a
        zh = b.language == "zh"
        note = f"（问题理解为：{question.strip()}）" if zh else f"(Read as: {question.strip()})"
        log.info("xxgk: question %r read as %r (figure: %s)", a.question, question, parsed.get("figure"))
        return replace(b, question=a.question, text=note + "\n" + b.text)


def _json_object(text: str) -> dict[str, Any] | None:
    m = re.search(r"\{.*\}", text, re.S)
    if not m:
        return None
    try:
        obj = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    return obj if isinstance(obj, dict) else None


def _names(evidence: str, place: str | None) -> bool:
    """Do these words of the question name this agency's place (夏邑, 下邑县 for 夏邑县; Xiayi)?"""
    from .agencies import pinyin, short_place

    if not place:
        return False
    if re.search(r"[\u4e00-\u9fff]", evidence):
        return any(place[i : i + 2] in evidence for i in range(len(place) - 1))
    letters = re.sub(r"[^a-z]", "", evidence.lower())
    return any(" " not in py and py in letters for py in pinyin(short_place(place) or place))


# ====================================================================== entry points
_COMPOSERS: dict[Settings, Composer] = {}
_REPORTED: set[str] = set()
_LOCK = threading.Lock()


def composer(spec: str | None = None) -> Composer | None:
    """The shared Composer for `spec` / XXGK_LLM, or None (not configured, or misconfigured: logged once)."""
    try:
        s = settings(spec)
        if s is None:
            return None
        with _LOCK:
            c = _COMPOSERS.get(s)
            if c is None:
                c = _COMPOSERS[s] = Composer(s)
            return c
    except ConfigError as e:
        with _LOCK:
            first = str(e) not in _REPORTED
            _REPORTED.add(str(e))
        if first:
            log.error("xxgk: LLM not used: %s", e)
        return None


def compose(a: Answer, store: Any = None, search: Any = None, spec: str | None = None, stream: Callable[[str], None] | None = None) -> Answer:
    """`a` reworded by the configured LLM when that is safe, else `a` itself. Never raises."""
    if spec is None and os.environ.get("XXGK_LLM", "").strip().lower() in _OFF:
        return a  # the default: no LLM, nothing imported
    c = composer(spec)
    if c is None:
        return a
    try:
        return c.compose(a, store, search, stream)
    except Exception as e:  # the LLM is a help, never a reason to fail an answer
        log.warning("xxgk: LLM composition failed (%s: %s); the template answer is used", type(e).__name__, e)
        return a


def summarise(text: str, section: str = "", language: str = "zh", spec: str | None = None) -> str | None:
    c = composer(spec)
    return c.summarise(text, section, language) if c is not None else None


class StreamPrinter:
    """The REPL's side of streaming: guard-passed pieces go to `out` as they come; then the rest."""

    def __init__(self, out: Any = None) -> None:
        import sys

        self.out = out or sys.stdout
        self.shown = ""

    def piece(self, text: str) -> None:
        self.shown += text
        self.out.write(text)
        self.out.flush()

    def rest(self, a: Answer) -> str:
        """What is left to print of `a` (all of it when nothing was streamed)."""
        if not self.shown:
            return a.text
        if not self.shown.endswith("\n"):
            self.out.write("\n")
        head = self.shown.rstrip()
        if a.composer == "llm" and a.text.startswith(head):
            return a.text[len(head) :].lstrip("\n")
        zh = a.language == "zh"
        return (("（以上模型生成的文字未通过数字核对，已撤回。以下为依据报告数据的回答：）" if zh else
                 "(The generated text above failed the number check and is withdrawn. The answer from the report's figures:)") + "\n" + a.text)
