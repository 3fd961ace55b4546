"""The database layer: models, migrations and sessions (SQLite by default, PostgreSQL at scale)."""

from mechuri.db.models import Base, MealLog, Message, RecommendationLog, User, UserPreference
from mechuri.db.session import Database, DatabaseUnavailable, create_db_engine, migrate

__all__ = [
    "Base",
    "Database",
    "DatabaseUnavailable",
    "MealLog",
    "Message",
    "RecommendationLog",
    "User",
    "UserPreference",
    "create_db_engine",
    "migrate",
]
