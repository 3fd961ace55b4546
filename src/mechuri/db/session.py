"""Engines, sessions and schema migration for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

try:
    import fcntl
except ImportError:  # Windows: no file locks; one process at a time must start a new SQLite file there
    fcntl = None  # type: ignore[assignment]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the web app read while a turn is being written; SQLite leaves foreign keys off unless asked."""
    cursor = dbapi_connection.cursor()
    # first: switching to WAL takes a lock, and several web workers open the file at the same moment
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed data, only power loss may
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, and SQLite gets WAL and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    """An Alembic config that points at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


LOCK_SUFFIX = ".migrate-lock"
"""The file next to a SQLite database that processes lock while one of them migrates it."""


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """SQLite: hold an exclusive ``flock`` on ``<database>.migrate-lock`` (created next to the file) for the
    block, so processes starting on one file migrate it one after the other. SQLite's own locks do not
    help here: Alembic's DDL runs outside a transaction on SQLite, so two processes both find no schema
    and both create it. In-memory databases, and folders where the lock file cannot be made, go unlocked."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if fcntl is None or not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    try:
        handle = open(Path(database).with_name(Path(database).name + LOCK_SUFFIX), "a+")  # noqa: SIM115
    except OSError:  # a read-only folder: nothing can be migrated there anyway, the error comes later
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _advisory_lock(connection: Connection) -> None:
    """PostgreSQL: a transaction-level advisory lock on this schema's migrations, held until the migration's
    transaction commits (PostgreSQL's DDL is transactional), so a second process waits and then finds the
    schema at its revision instead of creating the same tables again."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('mechuri-migrate:' || "
                                "coalesce(current_schema(), '')))"))


def _run_locked(engine: Engine, action, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with _file_lock(engine), engine.begin() as connection:
        _advisory_lock(connection)
        config.attributes["connection"] = connection
        action(config, revision)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent; safe to call at every start-up, from any number of
    processes at once: the migration runs under a lock, see ``_file_lock`` and ``_advisory_lock``)."""
    _run_locked(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` (``base`` drops everything mechuri created), under the same lock."""
    _run_locked(engine, command.downgrade, revision)


READ_ONLY_SQLSTATES = frozenset({"25006"})
"""PostgreSQL's ``read_only_sql_transaction`` (a standby, or ``default_transaction_read_only``)."""


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be used right now (down, unreachable, read-only, full,
    locked, out of connections) rather than a mistake in a query: callers answer 503 and retry later."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError,
                          sa_exc.TimeoutError)):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        return error.connection_invalidated or getattr(error.orig, "sqlstate", None) in READ_ONLY_SQLSTATES
    return False


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened, migrated, read or written; ``str()`` is one paragraph for a person."""


def describe_failure(url: str, error: BaseException) -> str:
    """One paragraph saying which database failed, the driver's own first line, and what to check."""
    shown = make_url(url).render_as_string(hide_password=True) if url else "(none)"
    cause = getattr(error, "orig", None) or error
    reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    if url.startswith("sqlite"):
        hint = ("파일과 그 폴더에 쓸 수 있는지(읽기 전용이 아닌지), 디스크가 가득 차지 않았는지 확인하거나 "
                "--db 또는 MECHURI_DATABASE_URL로 다른 데이터베이스를 지정해 주세요.")
    else:
        hint = ("서버가 켜져 있고 그 주소·포트로 닿는지, 사용자·비밀번호·데이터베이스 이름이 맞는지, 읽기 전용(대기 서버)이 "
                "아닌지 확인하거나 --db 또는 MECHURI_DATABASE_URL로 다른 데이터베이스를 지정해 주세요.")
    return f"데이터베이스를 쓸 수 없어요: {shown} — {reason}. {hint}"


def hold_write_lock(session: Session) -> None:
    """SQLite: take the database's write lock now (``BEGIN IMMEDIATE``) rather than at the first write, so
    what this unit of work reads next cannot change before it writes; waits up to the connection's busy
    timeout. Nothing on PostgreSQL, whose callers lock the rows or advisory keys they mean instead."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.dbapi_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


STAMP_KEY = "mechuri.created_at"
"""``Session.info`` key of the time new rows are stamped with (see ``Database.session(at=…)``)."""


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    at = session.info.get(STAMP_KEY)
    if at is None:
        return
    for row in session.new:
        if hasattr(row, "created_at") and getattr(row, "created_at", None) is None:
            row.created_at = at


class Database:
    """One database: an engine, a session factory, and a migrated schema."""

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        if auto_migrate:
            try:
                migrate(self.engine)
            except Exception as error:
                if not is_unavailable(error):
                    raise
                self.engine.dispose()
                raise DatabaseUnavailable(describe_failure(url, error)) from error
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def probe(self) -> None:
        """Read the schema's revision and write (then delete) one row, committed; DatabaseUnavailable when
        either fails. A committed write is what finds a read-only file, a standby server or a full disk,
        which a ``select 1`` does not. The row is a ``login_failures`` row under ``#probe``, a name no
        user can have, inserted and deleted in one transaction, so nothing is left and nothing counts."""
        from mechuri.db.models import LoginFailure, utcnow

        try:
            with self.session() as session:
                session.execute(text("SELECT version_num FROM alembic_version")).all()
                row = LoginFailure(username="#probe", client_ip="-", created_at=utcnow())
                session.add(row)
                session.flush()
                session.delete(row)
        except Exception as error:
            if not is_unavailable(error):
                raise
            raise DatabaseUnavailable(describe_failure(self.url, error)) from error

    @contextmanager
    def session(self, *, at: datetime | None = None) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back on an exception.

        ``at`` stamps every row the unit creates without a ``created_at`` of its own: a turn answered as
        of another time (``mechuri ask --at``, a simulator playing days) writes its preferences, meal logs
        and recommendation logs at that time too, so 'today' and 'recently' read them as that day's."""
        session = self._sessions()
        if at is not None:
            session.info[STAMP_KEY] = at
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
