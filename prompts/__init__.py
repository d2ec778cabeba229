"""The LLM prompts, as data files versioned with the code (one TOML file per prompt, zh and en).

- compose.toml   — rewrite a drafted answer fluently from the facts/passages retrieved for it
- summarise.toml — summarise one report section
- parse.toml     — a free question → {agency, year, figure} when the rule-based parser is unsure

Each file has `version` and a `[zh]` and `[en]` table with `system` and `human` messages; the only
template variable is `{material}` (JSON quoted between <material> tags). LangChain is imported
only when a template is built, so importing this package costs nothing.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMES = ("compose", "summarise", "parse")
LANGUAGES = ("zh", "en")


@cache
def spec(name: str) -> dict[str, Any]:
    """The parsed TOML of one prompt."""
    if name not in NAMES:
        raise KeyError(f"no prompt {name!r}; prompts: {', '.join(NAMES)}")
    with open(HERE / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


def version(name: str) -> str:
    """`name@version`, for log lines."""
    return f"{name}@{spec(name)['version']}"


@cache
def load(name: str, language: str = "zh") -> Any:
    """The prompt as a LangChain ChatPromptTemplate (system + human), in `language` (zh | en)."""
    from langchain_core.prompts import ChatPromptTemplate

    part = spec(name)[language if language in LANGUAGES else "zh"]
    return ChatPromptTemplate.from_messages([("system", part["system"]), ("human", part["human"])])
