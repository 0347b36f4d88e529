"""Alembic's environment for the workspace: run in code by store.upgrade(), with the connection
handed over in config.attributes, so no alembic.ini is needed."""

from alembic import context

from hegui.workspace.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")  # SQLite alters by copying
with context.begin_transaction():
    context.run_migrations()
