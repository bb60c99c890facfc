"""The PostgreSQL backend: state shared by any number of processes (``DATABASE_URL``).

- psycopg 3 with a connection pool; every write is one transaction, durable at commit;
- plain-SQL migrations in ``sql/NNN_*.sql``, applied once each, in order, under an
  advisory lock (so two processes starting together do not both apply them), recorded in
  ``schema_migrations``;
- a write transaction first takes a transaction-scoped advisory lock per table it writes
  (in name order, so two writers never wait on each other in a cycle): writers of one
  table run one at a time, readers never wait. Send keys are unique columns and claimed
  with ``INSERT ... ON CONFLICT DO NOTHING``, then read back ``FOR UPDATE``;
- everything lives in one PostgreSQL schema (``dealnudge`` unless ``DEALNUDGE_PG_SCHEMA``
  says otherwise), so dealnudge can share a database.
"""

from __future__ import annotations

import contextlib
import logging
import re
import zlib
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from bot.state.backend import KEYS, TABLES, Doc, Row, StoreError, Tables, validate

log = logging.getLogger(__name__)

DEFAULT_SCHEMA = "dealnudge"
_LOCK_SPACE = 0x6E75646765  # advisory lock ids: ("nudge", crc32 of the name)


def lock_id(name: str) -> int:
    """A stable 63-bit advisory lock id for ``name``."""
    return (_LOCK_SPACE << 24 ^ zlib.crc32(name.encode())) & 0x7FFFFFFFFFFFFFFF


def redact(url: str) -> str:
    """``url`` without its password: user@host:port/dbname."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "PostgreSQL (DATABASE_URL is malformed)"
    user = f"{info['user']}@" if info.get("user") else ""
    return f"postgresql://{user}{info.get('host', 'localhost')}:{info.get('port', 5432)}/" + str(
        info.get("dbname", "")
    )


def _problem(exc: Exception, where: str) -> StoreError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreError(f"{where}: {text}")


class _PgTx:
    def __init__(self, conn: psycopg.Connection[Any], writing: bool) -> None:
        self._conn = conn
        self._lock = sql.SQL(" FOR UPDATE") if writing else sql.SQL("")

    def _q(self, query: str, table: str) -> sql.Composed:
        return sql.SQL(query).format(t=sql.Identifier(table))

    def rows(self, table: str, **equal: Any) -> list[Row]:
        if equal:
            cur = self._conn.execute(
                self._q("SELECT id, doc FROM {t} WHERE doc @> %s ORDER BY id", table),
                [Jsonb(equal)],
            )
        else:
            cur = self._conn.execute(self._q("SELECT id, doc FROM {t} ORDER BY id", table))
        return [Row(i, d) for i, d in cur.fetchall()]

    def get(self, table: str, key: str) -> Row | None:
        query = self._q("SELECT id, doc FROM {t} WHERE key = %s", table) + self._lock
        found = self._conn.execute(query, [key]).fetchone()
        return Row(found[0], found[1]) if found else None

    def insert(self, table: str, doc: Doc) -> None:
        if table in KEYS:
            query = "INSERT INTO {t} (key, doc) VALUES (%s, %s)"
            self._conn.execute(self._q(query, table), [doc[KEYS[table]], Jsonb(doc)])
        else:
            self._conn.execute(self._q("INSERT INTO {t} (doc) VALUES (%s)", table), [Jsonb(doc)])

    def claim(self, table: str, doc: Doc) -> Row | None:
        query = (
            "INSERT INTO {t} (key, doc) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING RETURNING id"
        )
        made = self._conn.execute(self._q(query, table), [doc[KEYS[table]], Jsonb(doc)])
        if made.fetchone() is not None:
            return None
        return self.get(table, doc[KEYS[table]])

    def update(self, table: str, row_id: int, fields: Mapping[str, Any]) -> None:
        query = "UPDATE {t} SET doc = doc || %s WHERE id = %s"
        self._conn.execute(self._q(query, table), [Jsonb(dict(fields)), row_id])

    def delete(self, table: str, row_ids: list[int]) -> None:
        if row_ids:
            self._conn.execute(self._q("DELETE FROM {t} WHERE id = ANY(%s)", table), [row_ids])


class PostgresBackend:
    kind = "postgres"
    restored = ""

    def __init__(
        self, url: str, *, read_only: bool = False, schema: str = DEFAULT_SCHEMA, size: int = 8
    ) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
            raise StoreError(f"PostgreSQL schema name {schema!r} must be lower-case letters, "
                             "digits and _")  # fmt: skip
        self.url = url
        self.location = redact(url) + ("" if schema == DEFAULT_SCHEMA else f" (schema {schema})")
        self.read_only = read_only
        self.schema = schema
        self.created = False

        def configure(conn: psycopg.Connection[Any]) -> None:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            conn.commit()

        self._pool = ConnectionPool(
            url, min_size=1, max_size=size, configure=configure, open=False, timeout=10,
            kwargs={"connect_timeout": 10, "application_name": "dealnudge"},
        )  # fmt: skip
        try:
            psycopg.connect(url, connect_timeout=10).close()  # fails fast, saying why
            self._pool.open(wait=True, timeout=15)
            self._migrate()
            with self._pool.connection() as conn:  # no dealnudge has written here yet
                row = conn.execute("SELECT count(*) FROM meta WHERE key = 'schema'").fetchone()
                self.created = not (row and row[0])
        except (psycopg.Error, PoolTimeout) as exc:
            self._pool.close()
            raise _problem(exc, f"cannot use PostgreSQL at {self.location}") from None
        except BaseException:
            self._pool.close()
            raise

    # --- schema ---

    def _migrate(self) -> None:
        """Apply the ``sql/NNN_*.sql`` files not applied yet, in order, each in its own
        transaction, under an advisory lock shared by every dealnudge process."""
        files = sorted(
            (f for f in resources.files("bot.state").joinpath("sql").iterdir()
             if f.name.endswith(".sql")),
            key=lambda f: f.name,
        )  # fmt: skip
        with self._pool.connection() as conn:
            conn.autocommit = True
            conn.execute("SELECT pg_advisory_lock(%s)", [lock_id("migrate:" + self.schema)])
            try:
                conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    sql.Identifier(self.schema)))  # fmt: skip
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,"
                    " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                done = {v for (v,) in conn.execute("SELECT version FROM schema_migrations")}
                for f in files:
                    version = int(f.name.split("_", 1)[0])
                    if version in done:
                        continue
                    with conn.transaction():
                        conn.execute(f.read_text())
                        conn.execute(
                            "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                            [version, f.name],
                        )
                    log.info("%s: applied migration %s", self.location, f.name)
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", [lock_id("migrate:" + self.schema)])

    # --- transactions ---

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise _problem(exc, f"PostgreSQL at {self.location} is unavailable") from None

    @contextlib.contextmanager
    def write(self, *tables: str) -> Iterator[_PgTx]:
        with self._connection() as conn, conn.transaction(force_rollback=self.read_only):
            for name in sorted(set(tables)):
                lock = lock_id(f"{self.schema}.{name}")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
            yield _PgTx(conn, writing=True)

    @contextlib.contextmanager
    def read(self) -> Iterator[_PgTx]:
        with self._connection() as conn, conn.transaction():
            yield _PgTx(conn, writing=False)

    def generation(self, table: str) -> object:
        with self._connection() as conn:
            query = sql.SQL("SELECT coalesce(max(id), 0), count(*) FROM {}").format(
                sql.Identifier(table))  # fmt: skip
            return conn.execute(query).fetchone()

    def dump(self) -> Tables:
        with self.read() as tx:
            return {name: [r.doc for r in tx.rows(name)] for name in TABLES if tx.rows(name)}

    def replace(self, tables: Tables) -> None:
        validate(tables, "the new state")
        with self.write(*TABLES) as tx:
            conn = tx._conn
            conn.execute(
                sql.SQL("TRUNCATE {} RESTART IDENTITY").format(
                    sql.SQL(", ").join(sql.Identifier(t) for t in TABLES))
            )  # fmt: skip
            for name, docs in tables.items():
                if name in KEYS:
                    query = "INSERT INTO {t} (key, doc) VALUES (%s, %s)"
                    rows: list[tuple[Any, ...]] = [(d[KEYS[name]], Jsonb(d)) for d in docs]
                else:
                    query = "INSERT INTO {t} (doc) VALUES (%s)"
                    rows = [(Jsonb(d),) for d in docs]
                with conn.cursor() as cur:
                    cur.executemany(tx._q(query, name), rows)

    def close(self) -> None:
        self._pool.close()

    # --- the export log ---

    def log_sources(self) -> list[str]:
        with self._connection() as conn:
            found = conn.execute(
                "SELECT source FROM export_log GROUP BY source ORDER BY max(written_at)"
            ).fetchall()
        return [s for (s,) in found]

    def log_lines(self, source: str, after: int = 0) -> Iterator[tuple[int, Doc]]:
        with self._connection() as conn:
            found = conn.execute(
                "SELECT pos, line FROM export_log WHERE source = %s AND pos > %s ORDER BY pos",
                [source, after],
            ).fetchall()
        yield from found

    def log_append(self, source: str, line: Doc, after: int) -> int | None:
        with self.write() as tx:
            conn = tx._conn
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id("log:" + source)])
            (last,) = conn.execute(
                "SELECT coalesce(max(pos), 0) FROM export_log WHERE source = %s", [source]
            ).fetchone() or (0,)
            if last != after:
                return None
            conn.execute(
                "INSERT INTO export_log (source, pos, line) VALUES (%s, %s, %s)",
                [source, after + 1, Jsonb(line)],
            )
        return after + 1

    def log_rewrite(self, source: str, lines: list[Doc]) -> None:
        with self.write() as tx:
            conn = tx._conn
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id("log:" + source)])
            conn.execute("DELETE FROM export_log WHERE source = %s", [source])
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO export_log (source, pos, line) VALUES (%s, %s, %s)",
                    [(source, n, Jsonb(line)) for n, line in enumerate(lines, 1)],
                )


class Leadership:
    """One scheduler among many processes: a session-level advisory lock on a connection
    of its own. The lock goes with the connection, so a leader that dies (or loses its
    connection) lets a standby take over at its next ``try_lead``."""

    def __init__(self, url: str, schema: str = DEFAULT_SCHEMA) -> None:
        self.url = url
        self.key = lock_id("scheduler:" + schema)
        self._conn: psycopg.Connection[Any] | None = None
        self._held = False

    def try_lead(self) -> bool:
        """True when this process leads (now, or already)."""
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10,
                                             application_name="dealnudge-scheduler")  # fmt: skip
                self._held = False
            if self._held:
                self._conn.execute("SELECT 1")  # still connected, so still holding it
                return True
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", [self.key]).fetchone()
            self._held = bool(row and row[0])
            return self._held
        except psycopg.Error as exc:
            log.warning("scheduler election: PostgreSQL unavailable (%s)", type(exc).__name__)
            self.release()
            return False

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
        self._conn = None
        self._held = False
