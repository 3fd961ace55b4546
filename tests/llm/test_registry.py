"""The engine registry: every kind declared by its own module, options checked from the declaration, and
open: an engine registered here is parsed, built, served and listed without touching mechuri.llm.engine."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from llm_fakes import ScriptedBackend
from typer.testing import CliRunner

from mechuri.config import Settings
from mechuri.conversation import GroundedWriter
from mechuri.llm import engine as engine_module
from mechuri.llm import gguf, grounded, hf, openai_http
from mechuri.llm.engine import EngineSpec, EngineSpecError, build_backend, build_writer, parse_engine
from mechuri.llm.registry import (
    Engine,
    EngineOption,
    engines,
    get_engine,
    kinds,
    register_engine,
    unregister_engine,
    usage,
)
from mechuri.llm.writer import LLMWriter


def test_the_registry_lists_the_four_built_in_engines_in_order():
    assert kinds() == ("grounded", "hf", "gguf", "openai") == engine_module.KINDS
    assert [e for e in engines()] == [grounded.ENGINE, hf.ENGINE, gguf.ENGINE, openai_http.ENGINE]
    assert usage() == "grounded | hf:PATH[+ADAPTER][?OPTIONS] | gguf:PATH[?OPTIONS] | openai:URL#MODEL"
    assert all(e.summary and e.usage.startswith(e.kind) for e in engines())
    assert all(option.help for e in engines() for option in e.options)


@pytest.fixture
def targets(tmp_path) -> dict[str, str]:
    """A target each built-in engine that takes options accepts."""
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    return {"hf": str(tmp_path), "gguf": str(tmp_path / "m.gguf")}


GOOD = {"flag": "0", "int": "4", "text": "cpu"}
FILE_OPTIONS = {"lora"}
"""Options that name a file, which parsing checks exists: given an existing one."""


@pytest.mark.parametrize("kind", ["hf", "gguf"])
def test_each_declared_option_is_accepted_and_nothing_else(kind, targets):
    declared = get_engine(kind).options
    good = {o.name: targets["gguf"] if o.name in FILE_OPTIONS else o.values[0] if o.values else GOOD[o.type]
            for o in declared}
    query = "&".join(f"{name}={value}" for name, value in good.items())
    assert parse_engine(f"{kind}:{targets[kind]}?{query}").options == good
    with pytest.raises(EngineSpecError) as error:
        parse_engine(f"{kind}:{targets[kind]}?nonsense=1")
    message = str(error.value)
    assert message.startswith(f"unknown option 'nonsense' for {kind}: {kind} takes ")
    assert all(f"{o.name}=" in message and o.help in message for o in declared)  # what each one does


@pytest.mark.parametrize(("spec", "says"), [
    ("hf:{hf}?template=markdown", "hf: option template must be one of auto, chat, alpaca; got 'markdown'"),
    ("hf:{hf}?4bit=maybe", "hf: option 4bit is 1 or 0; got 'maybe'"),
    ("hf:{hf}?device=", "hf: option device needs a value: device=… (auto, cpu"),
    ("gguf:{gguf}?ctx=big", "gguf: option ctx must be a whole number; got 'big'"),
    ("gguf:{gguf}?gpu_layers=1.5", "gguf: option gpu_layers must be a whole number"),
    ("grounded:x", "grounded takes nothing after it; write grounded"),
    ("gguf", "gguf: needs a target; use gguf:PATH[?OPTIONS]"),
    ("", "unknown engine ''; use grounded | hf:PATH[+ADAPTER][?OPTIONS] | gguf:PATH[?OPTIONS] | openai:URL#MODEL"),
    ("llama:x", "unknown engine 'llama:x'; use grounded | hf:"),
])
def test_option_values_and_kinds_are_checked_from_the_declarations(spec, says, targets):
    with pytest.raises(EngineSpecError) as error:
        parse_engine(spec.format(**targets))
    assert says in str(error.value)


def test_flags_read_as_booleans_and_a_bare_flag_means_yes(targets):
    spec = parse_engine(f"hf:{targets['hf']}?4bit&draft=off")
    assert spec.options == {"4bit": "1", "draft": "off"}
    assert spec.flag("4bit", False) is True and spec.flag("draft", True) is False
    assert spec.flag("device", True) is True  # not given: the default


def test_an_engine_without_options_keeps_the_query_in_its_target():
    spec = parse_engine("openai:http://127.0.0.1:9/v1?api-version=2#m")
    assert spec == EngineSpec("openai", "http://127.0.0.1:9/v1?api-version=2", model="m")


# -- a test-only engine, registered from here --------------------------------------------------------------

class EchoWriter(GroundedWriter):
    name = "echo-writer"


def _parse_echo(target: str, options: dict[str, str]) -> EngineSpec:
    if target.startswith("-"):
        raise EngineSpecError("echo: the text cannot start with '-'")
    return EngineSpec("echo", target, options=options)


ECHO = Engine("echo", "echo:TEXT", "says TEXT (a test double)", parse=_parse_echo,
              build=lambda spec, settings: ScriptedBackend(spec.target * (spec.number("times", 1) or 1), name="echo"),
              options=(EngineOption("times", "how often to say it", type="int"),
                       EngineOption("draft", "as the LLM writer's", type="flag")))
PLAIN = Engine("plain-writer", "plain-writer", "a writer of its own, no backend",
               build=lambda spec, settings: EchoWriter())


@pytest.fixture
def registered() -> Iterator[None]:
    register_engine(ECHO)
    register_engine(PLAIN)
    yield
    unregister_engine(ECHO.kind)
    unregister_engine(PLAIN.kind)


def test_a_registered_engine_is_parsed_built_and_listed(registered):
    assert kinds()[-2:] == ("echo", "plain-writer") and kinds() == engine_module.KINDS
    assert usage().endswith(" | echo:TEXT[?OPTIONS] | plain-writer")
    assert parse_engine("echo:안녕?times=2") == EngineSpec("echo", "안녕", options={"times": "2"})
    for spec, says in [("echo:-x", "cannot start with '-'"), ("echo:x?times=two", "must be a whole number"),
                       ("echo:x?loud=1", "unknown option 'loud' for echo: echo takes times=N")]:
        with pytest.raises(EngineSpecError, match=says):
            parse_engine(spec)

    backend = build_backend("echo:안녕?times=2", Settings())
    assert isinstance(backend, ScriptedBackend) and backend.generate("?") == "안녕안녕"
    writer = build_writer(Settings(llm_timeout_s=3), "echo:x?draft=0")
    assert isinstance(writer, LLMWriter) and writer.backend.name == "echo" and writer.draft is False
    assert writer.timeout_s == 3
    assert build_backend("plain-writer", Settings()) is None
    assert isinstance(build_writer(Settings(engine="plain-writer")), EchoWriter)


def test_the_configured_engine_writes_the_replies_the_app_passes_in(registered, chat_with):
    chat = chat_with(build_writer(Settings(engine="plain-writer")))
    assert chat("점심 추천해줘").meta["writer"] == "echo-writer"


def test_registering_checks_the_declaration(registered):
    with pytest.raises(ValueError, match="registered already"):
        register_engine(ECHO)
    with pytest.raises(ValueError, match="lower-case"):
        register_engine(Engine("Echo2", "Echo2:X", "", build=lambda spec, settings: None))
    unregister_engine("hf")  # the built-in engines stay
    assert "hf" in kinds()


def test_unregistered_engines_are_gone():
    assert "echo" not in kinds()
    with pytest.raises(EngineSpecError, match="unknown engine 'echo:x'"):
        parse_engine("echo:x")


# -- the CLI's --engine help comes from the registry ----------------------------------------------------

@pytest.mark.parametrize("command", ["ask", "chat", "serve"])
def test_cli_help_lists_every_registered_engine(command):
    from mechuri.cli import app

    out = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "240", "NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    for engine in engines():
        assert engine.syntax() in out.output
        assert all(option.name in out.output for option in engine.options)


def test_an_engine_registered_before_the_cli_is_built_is_in_its_help():
    code = ("from mechuri.llm.registry import Engine, register_engine\n"
            "register_engine(Engine('echo', 'echo:TEXT', 'says TEXT', build=lambda spec, settings: None,\n"
            "                       parse=lambda target, options: None))\n"
            "from typer.testing import CliRunner\n"
            "from mechuri.cli import app\n"
            "print(CliRunner().invoke(app, ['ask', '--help'], env={'COLUMNS': '240'}).output)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "| echo:TEXT" in out.stdout, out.stderr
