"""Alembic environment: runs against the engine handed over by engine.migrate."""

from alembic import context
from sqlmodel import SQLModel

import dondoc.engine.models  # noqa: F401  (registers the tables)

config = context.config
bind = config.attributes["engine"]

with bind.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
