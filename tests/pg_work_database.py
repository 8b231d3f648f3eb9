"""PostgreSQL: one database per test process, put back as the template had it after each test.

Creating a database for every test (``CREATE DATABASE … TEMPLATE``) and dropping it after
copied the whole cluster catalogue each time, about a third of the PostgreSQL pass. Instead,
each test process keeps one copy of the template, with a snapshot of every table's rows in a
schema of its own and a statement trigger on every table that notes its name when a
statement writes to it. After a test, the noted tables (and those whose foreign keys point at
them) are emptied and refilled from the snapshot, and every sequence is set back: the next
test finds exactly what a fresh copy would hold. Tests that stop or restart servers, or need
several databases, still make their own copies (``conftest.database_copy``).
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

SNAPSHOT = "motcua_snapshot"  # the schema holding the rows as the template had them

_SETUP = f"""
CREATE SCHEMA {SNAPSHOT};
CREATE UNLOGGED TABLE {SNAPSHOT}.written (name text NOT NULL);
CREATE FUNCTION {SNAPSHOT}.note_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {SNAPSHOT}.written VALUES (TG_TABLE_NAME);  -- no key: writers never wait
  RETURN NULL;
END $$;
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class WorkDatabase:
    """The test process's database: ``url`` for the app, ``restore()`` after each test."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)
        with self.engine.connect() as conn:
            self.tables = list(conn.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")))
            conn.execute(text(_SETUP))
            for table in map(_quoted, self.tables):
                conn.execute(text(f"CREATE TABLE {SNAPSHOT}.{table} AS TABLE public.{table}"))
                conn.execute(text(
                    f"CREATE TRIGGER motcua_note_write AFTER INSERT OR UPDATE OR DELETE OR "
                    f"TRUNCATE ON public.{table} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION {SNAPSHOT}.note_write()"))
            self.columns = {t: self._columns(conn, t) for t in self.tables}
            self.referencing = self._referencing(conn)
            self.sequences = list(conn.execute(text(
                "SELECT format('%I.%I', schemaname, sequencename), "
                "coalesce(last_value, start_value), last_value IS NOT NULL "
                "FROM pg_sequences WHERE schemaname = 'public'")))

    @staticmethod
    def _columns(conn: Connection, table: str) -> str:
        """The columns a row is written with (generated ones are computed, not written)."""
        names = conn.scalars(text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = :t AND is_generated = 'NEVER' ORDER BY ordinal_position"),
            {"t": table})
        return ", ".join(map(_quoted, names))

    @staticmethod
    def _referencing(conn: Connection) -> dict[str, set[str]]:
        """Table → the tables whose foreign keys point at it (emptied along with it)."""
        found: dict[str, set[str]] = {}
        for referenced, referencing in conn.execute(text(
                "SELECT confrelid::regclass::text, conrelid::regclass::text FROM pg_constraint "
                "WHERE contype = 'f' AND connamespace = 'public'::regnamespace")):
            found.setdefault(referenced.strip('"'), set()).add(referencing.strip('"'))
        return found

    def _with_referencing(self, tables: set[str]) -> list[str]:
        todo, seen = list(tables), set(tables)
        while todo:
            for other in self.referencing.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return sorted(seen & set(self.tables))

    def restore(self) -> None:
        """Put every table the test wrote to back as the template had it."""
        with self.engine.connect() as conn:
            # Whatever the test left connected (a server it started, a thread) goes first:
            # its locks would hold the refill up, and its writes are over.
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            written = set(conn.scalars(text(f"SELECT DISTINCT name FROM {SNAPSHOT}.written")))
            tables = self._with_referencing(written)
            statements = ["BEGIN"]
            if tables:
                statements += [
                    # Neither foreign keys nor the noting triggers fire while rows go back.
                    "SET LOCAL session_replication_role = replica",
                    "TRUNCATE " + ", ".join(f"public.{_quoted(t)}" for t in tables),
                    *(f"INSERT INTO public.{_quoted(t)} ({self.columns[t]}) "
                      f"SELECT {self.columns[t]} FROM {SNAPSHOT}.{_quoted(t)}" for t in tables),
                    f"TRUNCATE {SNAPSHOT}.written",
                ]
            # Always: a failed insert takes a number from its sequence and writes no row.
            if self.sequences:
                statements.append("SELECT " + ", ".join(
                    f"setval('{name}', {value}, {str(called).lower()})"
                    for name, value, called in self.sequences))
            statements.append("COMMIT")
            # One round trip; psycopg sends a query without parameters as it is, so several
            # statements may go in one.
            conn.connection.driver_connection.execute("; ".join(statements))

    def close(self) -> None:
        self.engine.dispose()
