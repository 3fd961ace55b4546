"""Settings for the whole application, read once from ``MECHURI_*`` environment variables.

One settings object keeps every knob in one place: no other module reads the environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
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
    engine: str = Field(default="grounded", description="Reply writer: grounded | hf:… | gguf:… | openai:…")
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
