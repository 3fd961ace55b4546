"""Backing up and restoring the whole database while the app keeps running (``mechuri db backup|restore``).

SQLite uses its online backup API (``sqlite3.Connection.backup``): pages are copied from one consistent
snapshot while other connections go on reading and writing, which copying the file would not give (a WAL
database's last transactions live in ``-wal`` until a checkpoint). Restoring copies the same way into the
live file, so every open connection sees the restored data at its next transaction.

PostgreSQL uses ``pg_dump`` / ``pg_restore`` (the custom format), limited to the schema mechuri's tables
live in (``current_schema()``): other schemas of the same database are neither dumped nor touched. The
password goes to them in ``PGPASSWORD``, never on a command line others can read. When they are not
installed the error says so and what to install.

A backup holds the schema's Alembic revision; restore refuses one newer than this mechuri knows and
migrates an older one to the current schema afterwards.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from mechuri.db.models import Base
from mechuri.db.session import alembic_config, create_db_engine, migrate
from mechuri.knowledge.korean import resolve_particles

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
PG_TOOLS_HINT = ("PostgreSQL 클라이언트 도구가 필요해요: Debian/Ubuntu는 `apt-get install postgresql-client` "
                 "(서버와 같거나 더 새 버전), 또는 그 bin 폴더를 PATH에 넣어 주세요.")


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; ``str()`` is one Korean paragraph saying why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(resolve_particles(message))  # 「b.db이(가)」 → 「b.db가」 after whatever name came first


@dataclass(frozen=True)
class BackupResult:
    """What was backed up or restored: the file, its size, and the schema revision it holds."""

    path: Path
    bytes: int
    revision: str | None


def _sqlite_path(url: URL) -> Path:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"메모리나 URI 형식의 SQLite 데이터베이스({database or ':memory:'})는 백업할 수 없어요: "
                          "파일 경로로 된 데이터베이스를 지정해 주세요.")
    return Path(database)


def _known_revision(url: str, revision: str | None, source: Path) -> None:
    if revision is None:
        raise BackupError(f"{source}에 메추리 스키마 버전(alembic_version)이 없어요: 메추리 백업 파일이 아니에요.")
    try:
        ScriptDirectory.from_config(alembic_config(url)).get_revision(revision)
    except CommandError as error:
        raise BackupError(f"{source}의 스키마 버전 {revision}은 이 메추리가 모르는 버전이에요(더 새 버전에서 만든 "
                          "백업): 메추리를 업데이트한 뒤 복원해 주세요.") from error


def _sqlite_revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _replace_atomically(path: Path, write) -> int:
    """Write ``path`` through a temporary file next to it, so a failed backup never leaves half a file
    where the last good one was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def backup(url: str, destination: Path) -> BackupResult:
    """Copy the database at ``url`` into the file ``destination`` (replaced if it exists)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _backup_sqlite(_sqlite_path(parsed), destination)
    if parsed.get_backend_name() == "postgresql":
        return _backup_postgres(parsed, destination)
    raise BackupError(f"{parsed.get_backend_name()} 데이터베이스는 백업할 수 없어요: SQLite와 PostgreSQL만 돼요.")


def restore(url: str, source: Path) -> BackupResult:
    """Replace the data of the database at ``url`` with the backup in ``source``, then migrate it to the
    current schema. Everything stored there since the backup is lost."""
    if not source.is_file():
        raise BackupError(f"백업 파일 {source}이(가) 없어요.")
    with source.open("rb") as handle:
        magic = handle.read(len(SQLITE_MAGIC))
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if magic.startswith(SQLITE_MAGIC) and backend == "sqlite":
        result = _restore_sqlite(url, source, _sqlite_path(parsed))
    elif magic.startswith(PG_DUMP_MAGIC) and backend == "postgresql":
        result = _restore_postgres(url, parsed, source)
    else:
        kind = "SQLite" if magic.startswith(SQLITE_MAGIC) else "PostgreSQL" if magic.startswith(PG_DUMP_MAGIC) else None
        what = f"{kind} 백업" if kind else "메추리 백업 파일이 아닌 것"
        raise BackupError(f"{source}은(는) {what}이라 {backend} 데이터베이스에 복원할 수 없어요: 같은 종류의 "
                          "데이터베이스에서 만든 백업을 지정해 주세요.")
    engine = create_db_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    return result


# --- SQLite -----------------------------------------------------------------------------------------

def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    connection = sqlite3.connect(uri, uri=True, timeout=15)
    connection.execute("PRAGMA busy_timeout=15000")
    return connection


def _backup_sqlite(path: Path, destination: Path) -> BackupResult:
    if not path.is_file():
        raise BackupError(f"SQLite 데이터베이스 파일 {path}이(가) 없어요.")
    revision: str | None = None

    def write(partial: Path) -> None:
        nonlocal revision
        source = _connect(path, read_only=True)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            revision = _sqlite_revision(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            target.close()
            source.close()

    size = _replace_atomically(destination, write)
    return BackupResult(destination, size, revision)


def _restore_sqlite(url: str, source: Path, path: Path) -> BackupResult:
    backup_db = _connect(source, read_only=True)
    try:
        check = backup_db.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(f"{source}이(가) 손상됐어요(quick_check: {check[0] if check else '?'}): 복원하지 않았어요.")
        revision = _sqlite_revision(backup_db)
        _known_revision(url, revision, source)
        path.parent.mkdir(parents=True, exist_ok=True)
        target = _connect(path)
        try:
            backup_db.backup(target)
        finally:
            target.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source}을(를) SQLite 데이터베이스로 읽을 수 없어요: {error}.") from error
    finally:
        backup_db.close()
    return BackupResult(source, source.stat().st_size, revision)


# --- PostgreSQL -------------------------------------------------------------------------------------

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name}을(를) 찾을 수 없어요. {PG_TOOLS_HINT}")
    return found


def _libpq_env(url: URL) -> dict[str, str]:
    """The connection as libpq environment variables (the password kept off the command line)."""
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    options = url.query.get("options")
    if options:
        env["PGOPTIONS"] = options if isinstance(options, str) else " ".join(options)
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.strip().splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {completed.returncode}"
        raise BackupError(f"{what}에 실패했어요: {reason}")
    return completed.stdout


def _current_schema(url: str) -> tuple[str, str | None, list[str]]:
    """The schema mechuri's tables are in, its revision, and its tables."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            tables = inspect(connection).get_table_names(schema=schema)
            revision = None
            if "alembic_version" in tables:
                revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
    return schema, revision, tables


def _backup_postgres(url: URL, destination: Path) -> BackupResult:
    pg_dump = _tool("pg_dump")
    schema, revision, _ = _current_schema(url.render_as_string(hide_password=False))

    def write(partial: Path) -> None:
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--schema={schema}",
              f"--file={partial}"], _libpq_env(url), "pg_dump")

    size = _replace_atomically(destination, write)
    return BackupResult(destination, size, revision)


def _dump_contents(pg_restore: str, source: Path, env: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """``pg_restore -l``: each entry's (list line, kind, schema, name)."""
    entries = []
    for line in _run([pg_restore, "--list", str(source)], env, "pg_restore --list").splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        parts = line.split(";", 1)[1].split()
        # "<id>; <oid> <oid> KIND [KIND…] schema name owner" — the kind may be two words ("TABLE DATA")
        kind_words = []
        rest = parts[2:]
        while rest and rest[0].isupper() and rest[0] != "-":
            kind_words.append(rest.pop(0))
        entries.append((line, " ".join(kind_words), rest[0] if rest else "", rest[1] if len(rest) > 1 else ""))
    return entries


def _dump_revision(pg_restore: str, source: Path, env: dict[str, str], schema: str) -> str | None:
    """The Alembic revision stored in a dump: its ``alembic_version`` table's data, printed as SQL."""
    script = _run([pg_restore, "--data-only", f"--schema={schema}", "--table=alembic_version", "--file=-",
                   str(source)], env, "pg_restore")
    lines = script.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            value = lines[number + 1].strip()
            return None if value == "\\." else value
    return None


def _restore_postgres(url: str, parsed: URL, source: Path) -> BackupResult:
    pg_restore = _tool("pg_restore")
    env = _libpq_env(parsed)
    entries = _dump_contents(pg_restore, source, env)
    schemas = {schema for _, kind, schema, _ in entries if kind == "TABLE"}
    target_schema, _, target_tables = _current_schema(url)
    if schemas != {target_schema}:
        raise BackupError(f"{source}은(는) 스키마 {', '.join(sorted(schemas)) or '(없음)'}의 백업이라 스키마 "
                          f"{target_schema}에 복원할 수 없어요: 같은 스키마(search_path)로 연결해 주세요.")
    revision = _dump_revision(pg_restore, source, env, target_schema)
    _known_revision(url, revision, source)
    # mechuri's tables the backup does not have (made by a later migration) go too, so that the migration
    # run after the restore finds the schema exactly at the backup's revision
    dumped = {name for _, kind, _, name in entries if kind == "TABLE"}
    ours = {*Base.metadata.tables, "alembic_version"}
    extra = sorted((set(target_tables) & ours) - dumped)
    # the schema entry itself is left out: it exists, and --clean would try to drop it with everything in it
    with tempfile.TemporaryDirectory(prefix="mechuri-restore-") as folder:
        listing = Path(folder) / "contents.list"
        listing.write_text("\n".join(line for line, kind, _, _ in entries if kind != "SCHEMA") + "\n",
                           encoding="utf-8")
        if extra:
            engine = create_db_engine(url)
            try:
                with engine.begin() as connection:
                    for name in extra:
                        connection.execute(text(f'DROP TABLE IF EXISTS "{target_schema}"."{name}" CASCADE'))
            finally:
                engine.dispose()
        _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--use-list={listing}", f"--dbname={parsed.database}", str(source)], env,
             "pg_restore")
    return BackupResult(source, source.stat().st_size, revision)
