"""The optional LLM: fluent wording for template answers, and a number guard in front of it.

Configured by `XXGK_LLM=openai:<model>` (OPENAI_BASE_URL / OPENAI_API_KEY: any OpenAI-compatible
server, through langchain_openai.ChatOpenAI) or `XXGK_LLM=ollama:<model>` (XXGK_LLM_BASE_URL or
OLLAMA_HOST; needs the optional extra `xxgk[ollama]`), or the `--llm` flag of `ask` and `repl`.
Unset (the default), nothing here runs and answers are the template answers of bot/answer.py.

What the model may do, and what it may not:
- It only rephrases the template lines (bot/render.py) of an *answered* question. `value`, `unit`,
  `facts`, `checks` and `status` always come from the template path, whatever the model says. "Not found",
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
(`bot.repl.StreamPrinter`). The alternative, "stream everything, retract afterwards", would put the
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
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ingest.numbers import numbers, readings

from .model import Answer
from .render import APPENDIX, num, table_name, template_lines

if TYPE_CHECKING:
    from .llm_composer import Composer

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
        raise ConfigError(
            f"XXGK_LLM / --llm must be openai:<model> or ollama:<model> (or none), not {spec!r}"
        )
    timeout = _number_env(env, "XXGK_LLM_TIMEOUT", DEFAULT_TIMEOUT, 0.1, 600)
    retries = int(_number_env(env, "XXGK_LLM_RETRIES", DEFAULT_RETRIES, 0, 5))
    cooldown = _number_env(env, "XXGK_LLM_COOLDOWN", DEFAULT_COOLDOWN, 0, 86400)
    stream = env.get("XXGK_LLM_STREAM", "1").strip().lower() not in _OFF
    if provider == "openai":
        base = (env.get("XXGK_LLM_BASE_URL") or env.get("OPENAI_BASE_URL") or "").strip() or None
        key = (env.get("OPENAI_API_KEY") or "").strip() or None
        if key is None:
            if base is None:
                raise ConfigError(
                    "XXGK_LLM=openai:… needs OPENAI_API_KEY, or OPENAI_BASE_URL pointing at an "
                    "OpenAI-compatible server that needs no key"
                )
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
        from pydantic import SecretStr

        key = SecretStr(s.api_key) if s.api_key is not None else None
        return ChatOpenAI(
            model=s.model, base_url=s.base_url, api_key=key, timeout=s.timeout, max_retries=0, temperature=0
        )
    try:
        from langchain_ollama import ChatOllama
    except ImportError:
        raise ConfigError(
            "XXGK_LLM=ollama:… needs the optional package langchain-ollama: pip install 'xxgk[ollama]'"
        ) from None
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
_THINK = re.compile(r"<think>.*?</think>", re.S)


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


def safe_json(obj: Any) -> str:
    """JSON for the prompt; "<" escaped so no report text can close the <material> tag."""
    return json.dumps(obj, ensure_ascii=False, indent=1).replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass
class Material:
    json: str
    allowed: set[Decimal]
    required: list[tuple[str, set[Decimal]]]
    appendix: list[str]


def material(a: Answer) -> Material:
    """What the model is shown for `a` (its template lines, from the renderer), the numbers it may
    use, and the lines it may not touch."""
    zh = a.language == "zh"
    docs = {x.get("document", "") for x in (*a.facts, *a.passages, *a.checks)}
    docs.discard("")

    def scrub(s: str) -> str:  # file names carry hash digits; the model needs none of them
        for d in sorted(docs, key=len, reverse=True):
            s = s.replace(d, "报告" if zh else "the report")
        return s

    lines = template_lines(a)
    appendix = [ln for ln in lines if APPENDIX.match(ln)]
    draft = [scrub(ln) for ln in lines if not APPENDIX.match(ln)]
    facts = []
    for f in a.facts:
        cell = f.get("kind") == "cell"
        facts.append(
            {
                "label": f"{f.get('row_label')}·{f.get('column_label')}" if cell else f.get("topic", ""),
                "value": None if f.get("value") is None else num(f["value"]),
                "unit": f.get("unit", ""),
                "qualifier": f.get("qualifier", ""),
                "where": table_name(f.get("table", "")) if cell else ("正文" if zh else "narrative text"),
                "quote": scrub(f.get("quote", "")),
            }
        )
    checks = [{"status": c.get("status"), "detail": scrub(str(c.get("detail", "")))} for c in a.checks]
    passages = [{"section": p.get("section", ""), "text": scrub(p.get("text", ""))} for p in a.passages]
    obj = {
        "task": "compose",
        "language": a.language,
        "question": a.question,
        "agency": a.agency,
        "year": a.year,
        "figure": None if a.value is None else {"value": num(a.value), "unit": a.unit},
        "draft": "\n".join(draft),
        "facts": facts,
        "checks": checks,
        "passages": passages,
    }
    quoted = (json.dumps(x, ensure_ascii=False) for x in facts + checks + passages)
    texts = [a.question, "\n".join(draft), *quoted]
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
        required.append((num(a.value) + a.unit, readings(a.value, a.unit)))
    for f in a.facts:
        if f.get("value") is not None:
            required.append((num(f["value"]) + f.get("unit", ""), readings(f["value"], f.get("unit", ""))))
    return Material(safe_json(obj), allowed, required, appendix)


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
                from .llm_composer import Composer  # langchain is imported only when a model is configured

                c = _COMPOSERS[s] = Composer(s)
            return c
    except ConfigError as e:
        with _LOCK:
            first = str(e) not in _REPORTED
            _REPORTED.add(str(e))
        if first:
            log.error("xxgk: LLM not used: %s", e)
        return None


def compose(
    a: Answer,
    store: Any = None,
    search: Any = None,
    spec: str | None = None,
    stream: Callable[[str], None] | None = None,
) -> Answer:
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
