"""The workspace database is made and upgraded by Alembic, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import sqlalchemy as sa

from hegui.workspace import migrations
from hegui.workspace.models import Base
from hegui.workspace.store import database_url

FIRST, HEAD = "0001", "0005"


def test_an_empty_database_is_made_at_the_newest_schema_and_it_matches_the_models(database):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    engine = sa.create_engine(database_url(database))
    with engine.begin() as c:
        assert migrations.current(c) is None
        migrations.upgrade(c)
        assert migrations.current(c) == HEAD
        # No column, table or index of the models is missing from the migrations, or differs.
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []
    engine.dispose()


def test_a_database_made_at_the_first_revision_upgrades_in_place_keeping_its_data(database, tmp_path):
    engine = sa.create_engine(database_url(database))
    with engine.begin() as c:
        migrations.upgrade(c, FIRST)
        assert not {"feed_tokens", "visits", "rulebooks"} & set(sa.inspect(c).get_table_names())
        c.execute(sa.text("INSERT INTO users (id, email, password_hash, is_admin, created_at) "
                          "VALUES (1, 'old@example.com', 'x', false, CURRENT_TIMESTAMP)"))
        c.execute(sa.text("INSERT INTO organisations (id, name, created_at) VALUES (1, 'Old Co', CURRENT_TIMESTAMP)"))
        c.execute(sa.text("INSERT INTO manifest_versions (organisation_id, number, text, author, message, created_at) "
                          "VALUES (1, 1, 'format: hegui/1', 'old@example.com', 'first', CURRENT_TIMESTAMP)"))
    engine.dispose()

    from hegui.workspace.store import Workspace   # opening upgrades
    with Workspace(database, str(tmp_path / "w.ledger")) as ws:
        with ws.engine.begin() as c:
            assert migrations.current(c) == HEAD
            assert {"feed_tokens", "visits", "rulebooks"} <= set(sa.inspect(c).get_table_names())
        assert ws.user("old@example.com").id == 1
        assert ws.versions(1)[0]["message"] == "first"
        assert ws.version(1, 1)["text"] == "format: hegui/1"
