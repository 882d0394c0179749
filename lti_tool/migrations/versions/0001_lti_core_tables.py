"""LTI core tables: platforms, deployments, OIDC states, launches, quiz attempts, workshop work.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 21:30:57.099053
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lti_platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("auth_login_url", sa.String(length=1000), nullable=False),
        sa.Column("auth_token_url", sa.String(length=1000), nullable=False),
        sa.Column("key_set_url", sa.String(length=1000), nullable=False),
        sa.Column("auth_audience", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "client_id", name="uq_lti_platform_issuer"),
    )
    op.create_table(
        "lti_platform_key_set",
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("jwks", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url"),
    )
    op.create_table(
        "lti_deployment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["platform_id"], ["lti_platform.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform_id", "deployment_id", name="uq_lti_deployment_platform"),
    )
    op.create_table(
        "lti_launch",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.String(length=255), nullable=False),
        sa.Column("message_type", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("resource_link_id", sa.String(length=255), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("locale", sa.String(length=20), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["platform_id"], ["lti_platform.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "lti_oidc_state",
        sa.Column("state", sa.String(length=100), nullable=False),
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("target_link_uri", sa.String(length=2000), nullable=False),
        sa.Column("browser_id", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["platform_id"], ["lti_platform.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("state"),
        sa.UniqueConstraint("nonce"),
    )
    op.create_table(
        "workshop_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("workshop_id", sa.String(length=100), nullable=False),
        sa.Column("item_responses", sa.JSON(), nullable=False),
        sa.Column("item_score", sa.Float(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["platform_id"], ["lti_platform.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform_id", "user_id", "context_id", "workshop_id", name="uq_workshop_work_owner"
        ),
    )
    op.create_table(
        "quiz_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("launch_id", sa.String(length=64), nullable=True),
        sa.Column("platform_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("quiz_id", sa.String(length=100), nullable=False),
        sa.Column("responses", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("scaled", sa.Float(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["launch_id"], ["lti_launch.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["platform_id"], ["lti_platform.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_quiz_attempt_user_id"), "quiz_attempt", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_quiz_attempt_user_id"), table_name="quiz_attempt")
    op.drop_table("quiz_attempt")
    op.drop_table("workshop_work")
    op.drop_table("lti_oidc_state")
    op.drop_table("lti_launch")
    op.drop_table("lti_deployment")
    op.drop_table("lti_platform_key_set")
    op.drop_table("lti_platform")
