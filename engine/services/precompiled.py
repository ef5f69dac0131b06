"""Write statements of the human step, compiled once per dialect and run by ``exec_driver_sql``.

``Connection.execute`` of a Core statement, at every execution, hashes the statement's cache
key to find its compiled form, builds the parameters and runs each through its type's bind
processor; for ``act``'s UPDATE and INSERT that costs more than SQLite's own work. A
:class:`Precompiled` does that once per dialect: SQLAlchemy compiles the statement for the
connection's dialect (its SQL, parameter style and casts, as ``execute`` would send them) and
each parameter's processor comes from its type for that dialect (``TypeEngine.dialect_impl``,
``bind_processor``); an execution then only converts and orders the values given and hands
them to ``exec_driver_sql`` (its events still fire). The driver receives exactly what
``execute`` would pass it (tests/test_precompiled.py compares both on each backend). Written
by hand because SQLAlchemy has no public way to run a statement compiled beforehand.

Only for statements whose every value is a named ``bindparam`` (no literal bound by the
expression language: write ``version + literal_column("1")``), and without RETURNING (an
INSERT: ``.inline()``, or PostgreSQL's would fetch the new id back).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.sql.dml import UpdateBase


class _Compiled:
    def __init__(self, statement: UpdateBase, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if compiled.effective_returning:
            raise ValueError("a precompiled statement returns no rows (for an INSERT: .inline())")
        self.sql = compiled.string
        names = list(compiled.positiontup or []) if compiled.positional else list(compiled.binds)
        processors: list[tuple[str, Callable[[Any], Any] | None]] = []
        for name in names:
            bind = compiled.binds[name]
            if bind.value is not None or bind.callable is not None:
                raise ValueError(f"{name}: a precompiled statement takes every value as a named parameter")
            # the dialect's own type (SQLite's DATETIME formats the string), as ``execute`` uses
            processors.append((name, bind.type.dialect_impl(dialect).bind_processor(dialect)))
        self.positional = compiled.positional
        self.names = names
        self.processors = processors

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        converted = [values[name] if p is None else p(values[name]) for name, p in self.processors]
        return tuple(converted) if self.positional else dict(zip(self.names, converted, strict=True))


class Precompiled:
    """One DML statement; :meth:`execute` runs it as ``connection.execute(statement, values)`` would."""

    def __init__(self, statement: UpdateBase) -> None:
        self.statement = statement
        # Keyed by the dialect object (one per engine): a statement compiles for its own engine.
        self._compiled: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect)
        if found is None:
            found = self._compiled[dialect] = _Compiled(self.statement, dialect)
        return found

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        compiled = self.compiled(connection.dialect)
        return connection.exec_driver_sql(compiled.sql, compiled.parameters(values))
