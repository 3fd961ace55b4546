"""The engine registry: every ``MECHURI_ENGINE`` / ``--engine`` kind, declared by the module that implements it.

An engine string is ``KIND`` or ``KIND:TARGET[?OPTION=VALUE&…]``. Each engine module declares one
``Engine``: its kind, its spec syntax in one line, what it is in one line, the options it takes (each with
a short description), a parser for the text after ``KIND:`` and a builder that turns the parsed spec and
the settings into a ``Backend`` (which ``build_writer`` wraps in an LLM writer with the grounded fallback)
or into a complete reply writer. The built-in engines are the modules in ``BUILTIN_MODULES``, each with a
module-level ``ENGINE``, listed in that order; ``register_engine`` adds more after them:

    register_engine(Engine("echo", "echo:TEXT", "repeats TEXT (a demo)", build=make_echo_backend,
                           parse=lambda target, options: EngineSpec("echo", target, options=options),
                           options=(EngineOption("n", "times to repeat", type="int"),)))

Parsing checks only what is cheap (here the option names and values; in each engine's parser that the file
exists, that the URL has a scheme, …) and says how to fix it. Building loads nothing: weights load on the
first reply, and model libraries are imported by the backends only then, so this registry, the built-in
declarations and the grounded default never import torch, transformers or llama_cpp.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from mechuri.config import Settings

BUILTIN_MODULES = ("mechuri.llm.grounded", "mechuri.llm.hf", "mechuri.llm.gguf", "mechuri.llm.openai_http")
"""Modules that declare the built-in engines (a module-level ``ENGINE``), in the order they are listed."""

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
_KIND = re.compile(r"^[a-z][a-z0-9_-]*$")


class EngineSpecError(ValueError):
    """An engine string that cannot work, with what to write instead."""


@dataclass(frozen=True)
class EngineSpec:
    """A parsed engine string."""

    kind: str
    target: str = ""
    """Model path or hub id (hf), .gguf path or packaged name (gguf), base URL (openai)."""
    adapter: str | None = None
    model: str | None = None
    """The model name an OpenAI-compatible server knows."""
    options: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str, default: bool) -> bool:
        """A yes/no option (``1``/``0``, ``true``/``false``, ``on``/``off``), or ``default`` when not given."""
        return self.options[name].lower() in TRUE if name in self.options else default

    def number(self, name: str, default: int | None) -> int | None:
        """A whole-number option, or ``default`` when not given."""
        if name not in self.options:
            return default
        try:
            return int(self.options[name])
        except ValueError:
            raise EngineSpecError(f"{self.kind}: option {name} must be a whole number; "
                                  f"got {self.options[name]!r}") from None


@dataclass(frozen=True)
class EngineOption:
    """One ``?name=value`` an engine takes: checked when the spec is parsed, read by the engine's builder."""

    name: str
    help: str
    """What it does, in a few words (shown in errors)."""
    type: Literal["text", "int", "flag"] = "text"
    values: tuple[str, ...] = ()
    """The values allowed (empty: any text of ``type``)."""

    def check(self, kind: str, value: str) -> str:
        """``value`` as the spec keeps it (a bare flag, ``?draft``, means 1), or ``EngineSpecError``."""
        if self.type == "flag":
            value = value or "1"
            if value.lower() not in TRUE | FALSE:
                raise EngineSpecError(f"{kind}: option {self.name} is 1 or 0; got {value!r}")
            return value
        if not value:
            raise EngineSpecError(f"{kind}: option {self.name} needs a value: {self.describe()}")
        if self.type == "int" and not re.fullmatch(r"-?\d+", value):
            raise EngineSpecError(f"{kind}: option {self.name} must be a whole number; got {value!r}")
        if self.values and value not in self.values:
            raise EngineSpecError(f"{kind}: option {self.name} must be one of {', '.join(self.values)}; "
                                  f"got {value!r}")
        return value

    def describe(self) -> str:
        """``name=SHAPE (help)``, as errors show it."""
        shape = {"flag": "1|0", "int": "N"}.get(self.type, "|".join(self.values) or "…")
        return f"{self.name}={shape} ({self.help})"


DRAFT = EngineOption("draft", "0: no grounded draft in the prompt, for a model fine-tuned on the synth:writer "
                     "rows, which learned to write from the facts alone", type="flag")
"""The LLM writer's option, for engines that build a ``Backend`` (``build_writer`` reads it; default 1)."""
SLOTS = EngineOption("slots", "1: the facts' amounts as numbered slots the writer fills, for a model fine-tuned on "
                     "the synth:writer+slots rows", type="flag")
"""The LLM writer's slot decoding (``llm.slots``), for engines that build a ``Backend`` (default 0)."""


Parser = Callable[[str, dict[str, str]], EngineSpec]
"""The target (the text after ``KIND:``, options split off) and the checked options → the spec."""
Builder = Callable[[EngineSpec, "Settings"], Any]
"""The spec and the settings → a ``Backend`` (not loaded yet) or a complete ``ReplyWriter``."""


@dataclass(frozen=True)
class Engine:
    """One kind of engine, as its module declares it."""

    kind: str
    usage: str
    """The spec syntax in one line, without the options: ``hf:PATH[+ADAPTER]``."""
    summary: str
    """What it is, in one line."""
    build: Builder
    parse: Parser | None = None
    """None: the engine takes no target, and the spec is the kind alone (``grounded``)."""
    options: tuple[EngineOption, ...] = ()
    """The options after ``?``; an engine without options gets its whole target, ``?`` included (a URL's query)."""

    def option(self, name: str) -> EngineOption | None:
        return next((option for option in self.options if option.name == name), None)

    def syntax(self) -> str:
        """The usage, with the options marker when it takes options: ``gguf:PATH[?OPTIONS]``."""
        return f"{self.usage}[?OPTIONS]" if self.options else self.usage

    def parse_spec(self, rest: str | None) -> EngineSpec:
        """The spec for the text after ``KIND:`` (None when there was no ``:``)."""
        if self.parse is None:
            if rest is not None:
                raise EngineSpecError(f"{self.kind} takes nothing after it; write {self.kind}")
            return EngineSpec(self.kind)
        target, options = self._split_options(rest or "")
        if not target:
            raise EngineSpecError(f"{self.kind}: needs a target; use {self.syntax()}")
        return self.parse(target, options)

    def _split_options(self, rest: str) -> tuple[str, dict[str, str]]:
        if not self.options or "?" not in rest:
            return rest, {}
        rest, query = rest.split("?", 1)
        options: dict[str, str] = {}
        for pair in filter(None, query.split("&")):
            name, _, value = pair.partition("=")
            option = self.option(name)
            if option is None:
                known = "; ".join(option.describe() for option in self.options)
                raise EngineSpecError(f"unknown option {name!r} for {self.kind}: {self.kind} takes {known}")
            options[name] = option.check(self.kind, value)
        return rest, options


_lock = threading.RLock()
_builtins: tuple[Engine, ...] = ()
_added: dict[str, Engine] = {}


def engines() -> tuple[Engine, ...]:
    """Every engine: the built-in ones in ``BUILTIN_MODULES`` order, then the registered ones as added."""
    global _builtins
    with _lock:
        if not _builtins:
            _builtins = tuple(importlib.import_module(name).ENGINE for name in BUILTIN_MODULES)
        return _builtins + tuple(_added.values())


def kinds() -> tuple[str, ...]:
    """The kind names, in order."""
    return tuple(engine.kind for engine in engines())


def get_engine(kind: str) -> Engine:
    """The engine of ``kind``, or ``EngineSpecError`` listing what exists."""
    for engine in engines():
        if engine.kind == kind:
            return engine
    raise EngineSpecError(f"unknown engine {kind!r}; use {usage()}")


def register_engine(engine: Engine) -> Engine:
    """Add ``engine`` after the others; its kind must be new."""
    if not _KIND.match(engine.kind) or not engine.usage.startswith(engine.kind):
        raise ValueError(f"an engine's kind is lower-case letters, digits, - or _, and its usage starts with "
                         f"it; got {engine.kind!r}, {engine.usage!r}")
    with _lock:
        if engine.kind in kinds():
            raise ValueError(f"an engine named {engine.kind!r} is registered already")
        _added[engine.kind] = engine
    return engine


def unregister_engine(kind: str) -> None:
    """Remove an engine added with ``register_engine`` (the built-in ones stay)."""
    with _lock:
        _added.pop(kind, None)


def usage() -> str:
    """Every engine's syntax in one line: ``grounded | hf:PATH[+ADAPTER][?OPTIONS] | …``."""
    return " | ".join(engine.syntax() for engine in engines())


def options_summary() -> str:
    """Each engine's option names in one line: ``hf: 4bit, device, …; gguf: ctx, …``."""
    return "; ".join(f"{engine.kind}: {', '.join(option.name for option in engine.options)}"
                     for engine in engines() if engine.options)


def parse_engine(spec: str) -> EngineSpec:
    """``spec`` as an ``EngineSpec``, or ``EngineSpecError`` saying what is wrong and what would work."""
    spec = (spec or "").strip()
    kind, sep, rest = spec.partition(":")
    try:
        engine = get_engine(kind)
    except EngineSpecError:
        raise EngineSpecError(f"unknown engine {spec!r}; use {usage()}") from None
    return engine.parse_spec(rest if sep else None)
