"""An index of records by organisation: a dashboard asks for each organisation's record count and
newest record on every request, which without it reads every record of the workspace.

Revision ID: 0004
Revises: 0003
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_records_organisation_id', 'records', ['organisation_id'])


def downgrade() -> None:
    op.drop_index('ix_records_organisation_id', table_name='records')
