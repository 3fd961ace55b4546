"""Settings for the whole application, read once from ``MECHURI_*`` environment variables.

One settings object keeps every knob in one place: no other module reads the environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    """Where the embedded default keeps its SQLite file and secrets: ``~/.local/share/mechuri``."""
    return Path.home() / ".local" / "share" / "mechuri"


class Settings(BaseSettings):
    """Every setting mechuri has; each can be set as ``MECHURI_<NAME>`` (e.g. ``MECHURI_DATABASE_URL``)."""

    model_config = SettingsConfigDict(env_prefix="MECHURI_", env_file=None, extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir, description="Folder for the SQLite file.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is a SQLite file in data_dir. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    timezone: str = Field(default="Asia/Seoul", description="Where 'today' and meal times are reckoned.")
    engine: str = Field(default="grounded", description="Reply writer: KIND or KIND:TARGET[?OPTIONS] of an engine in "
                        "mechuri.llm.registry (usage() and `mechuri ask --help` list them).")
    openai_api_key: SecretStr | None = Field(default=None, description="Key for an openai: engine's server.")
    openai_timeout_s: float = Field(default=30.0, description="Read timeout of one request to that server.")
    openai_retries: int = Field(default=2, ge=0, description="Retries on connect errors, 429 and 5xx.")
    llm_timeout_s: float = Field(default=30.0, gt=0, description="A turn's deadline for the whole LLM reply, from the "
                                 "message's arrival; past it the grounded reply answers (docs/llm.md, budget).")
    llm_first_token_s: float = Field(default=15.0, gt=0, description="A turn's deadline for the LLM's first token, "
                                     "from the message's arrival (queueing for a model slot included).")
    llm_workers: int = Field(default=4, ge=1, description="LLM calls in flight at once per process: the bounded pool "
                             "that a slow model can fill without touching plans or other routes.")
    llm_max_tokens: int = Field(default=256, ge=1, description="Most tokens an LLM writes per reply.")
    llm_temperature: float = Field(default=0.3, ge=0.0, description="LLM sampling temperature (0: greedy).")
    llm_4bit: bool = Field(default=False, description="hf engine: load the model in 4-bit NF4 (bitsandbytes).")
    llm_device: str = Field(default="auto", description="hf engine: auto | cpu | cuda | mps.")
    llm_threads: int | None = Field(default=None, description="gguf engine: CPU threads (default: llama.cpp's).")
    llm_context: int = Field(default=2048, ge=256, description="gguf engine: context length in tokens.")
    turn_lease_s: float = Field(default=30.0, gt=0, description="How long a question may stay pending (stored, its "
                                "answer not yet) before the web app marks it failed with a retry: a process "
                                "killed mid-turn left it (web/recovery.py).")
    signup_limit_per_ip: int = Field(default=10, ge=1, description="Accounts one address may create in 15 minutes.")
    nlu_learned: Literal["auto", "off", "unsure", "disagree"] = Field(
        default="auto", description="Learned understanding model: auto (the mode chosen at training by "
        "cross-validation, model.json), off (rules only), unsure (asked where the rules fell back to small "
        "talk/off-topic), disagree (may also overrule them); benchmarks/nlu_heldout.py.")
    nlu_model: Literal["linear", "gemma"] = Field(
        default="linear", description="Which learned model the combination asks: linear (TF-IDF + logistic "
        "regression, ~0.3 ms) or gemma (Gemma 3 270M embeddings + a logistic head, needs mechuri[gguf]; "
        "~0.4 s a message on two cores); benchmarks/nlu_gemma.py.")
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def resolved_database_url(self) -> str:
        """The database URL in use: the configured one, or the SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mechuri.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()`` after changing env)."""
    return Settings()
