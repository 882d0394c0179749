"""Registration approval, deployment-id policy and Dynamic Registration metadata; admin
accounts, sessions and sign-in failures.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Registrations that existed before were accepted: they stay approved. Plain ADD COLUMN
    # (no batch copy of the table, whose foreign keys would cascade a drop to its rows).
    for table in ("lti_platform", "lti_deployment"):
        op.add_column(
            table,
            sa.Column("status", sa.String(length=20), server_default="approved", nullable=False),
        )
        op.add_column(
            table, sa.Column("source", sa.String(length=20), server_default="cli", nullable=False)
        )
    op.add_column(
        "lti_platform",
        sa.Column("deployment_policy", sa.String(length=20), server_default="auto", nullable=False),
    )
    op.add_column("lti_platform", sa.Column("registration", sa.JSON(), nullable=True))
    op.add_column("lti_deployment", sa.Column("created_at", sa.DateTime(), nullable=True))
    op.create_table(
        "admin_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "admin_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["admin_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "admin_login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_admin_login_failure_key", "admin_login_failure", ["key"])
    op.create_index("ix_admin_login_failure_at", "admin_login_failure", ["at"])


def downgrade() -> None:
    op.drop_index("ix_admin_login_failure_at", table_name="admin_login_failure")
    op.drop_index("ix_admin_login_failure_key", table_name="admin_login_failure")
    op.drop_table("admin_login_failure")
    op.drop_table("admin_session")
    op.drop_table("admin_account")
    # Plain ALTER TABLE … DROP COLUMN (SQLite >= 3.35): a batch copy of lti_platform would
    # drop the old table, and the foreign keys would cascade the deletion to its rows.
    for column in ("created_at", "source", "status"):
        op.drop_column("lti_deployment", column)
    for column in ("registration", "deployment_policy", "source", "status"):
        op.drop_column("lti_platform", column)
