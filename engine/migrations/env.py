"""Alembic environment: runs against the engine handed over by engine.migrate.

On SQLite the migrations run with foreign keys off, as Alembic's batch mode asks: a batch copies a
table and drops the original, and with foreign keys on, dropping a table that other rows refer to
fails (``dondoc simulate --reset`` on a replayed database stopped at 0005's downgrade). Whether
every reference still holds is checked before the migration commits."""

from alembic import context
from sqlmodel import SQLModel

import dondoc.engine.models  # noqa: F401  (registers the tables)

config = context.config
bind = config.attributes["engine"]

with bind.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # takes effect outside a transaction only
        connection.commit()
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows whose references do not hold: {broken[:5]}")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
