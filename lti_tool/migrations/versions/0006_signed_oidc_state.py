"""Signed OIDC states: longer than the random ones they replace.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 03:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lti_oidc_state") as batch:
        batch.alter_column(
            "state", existing_type=sa.String(length=100), type_=sa.String(length=255)
        )


def downgrade() -> None:
    # The states of the last ten minutes are the only rows; shorter ones cannot hold them.
    op.execute("DELETE FROM lti_oidc_state")
    with op.batch_alter_table("lti_oidc_state") as batch:
        batch.alter_column(
            "state", existing_type=sa.String(length=255), type_=sa.String(length=100)
        )
