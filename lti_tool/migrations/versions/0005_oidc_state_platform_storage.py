"""LTI platform storage: a login's storage target, when its values were stored, when checked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 22:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "lti_oidc_state", sa.Column("storage_target", sa.String(length=100), nullable=True)
    )
    op.add_column(
        "lti_oidc_state", sa.Column("stored_in_platform_at", sa.DateTime(), nullable=True)
    )
    op.add_column("lti_oidc_state", sa.Column("storage_checked_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lti_oidc_state") as batch:
        batch.drop_column("storage_checked_at")
        batch.drop_column("stored_in_platform_at")
        batch.drop_column("storage_target")
