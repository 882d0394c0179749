"""Progression and certification: learner records, module validations, project deliverables
and their files, jury members, evaluations and decisions, certificates.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _platform() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("platform_id", sa.Integer(), nullable=False)


def _platform_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["platform_id"], ["lti_platform.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "learner_record",
        sa.Column("id", sa.Integer(), nullable=False),
        _platform(),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("organisation", sa.String(length=255), nullable=False),
        sa.Column("project_target", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _platform_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform_id", "context_id", "user_id", name="uq_learner_record_user"),
    )
    op.create_table(
        "module_validation",
        sa.Column("id", sa.Integer(), nullable=False),
        _platform(),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("module_id", sa.String(length=20), nullable=False),
        sa.Column("quiz_scaled", sa.Float(), nullable=False),
        sa.Column("validated_at", sa.DateTime(), nullable=False),
        _platform_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform_id", "context_id", "user_id", "module_id", name="uq_module_validation"
        ),
    )
    op.create_table(
        "project_deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        _platform(),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("milestone_id", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("feedback_by", sa.String(length=255), nullable=False),
        sa.Column("feedback_at", sa.DateTime(), nullable=True),
        _platform_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform_id", "context_id", "user_id", "milestone_id", name="uq_project_deliverable"
        ),
    )
    op.create_table(
        "deliverable_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deliverable_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["deliverable_id"], ["project_deliverable.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stored_name"),
    )
    op.create_index(
        op.f("ix_deliverable_file_deliverable_id"), "deliverable_file", ["deliverable_id"]
    )
    op.create_table(
        "jury_member",
        sa.Column("id", sa.Integer(), nullable=False),
        _platform(),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("added_by", sa.String(length=255), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        _platform_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform_id", "context_id", "user_id", name="uq_jury_member_user"),
    )
    op.create_table(
        "jury_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        _platform(),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("learner_id", sa.String(length=255), nullable=False),
        sa.Column("juror_id", sa.String(length=255), nullable=False),
        sa.Column("juror_name", sa.String(length=255), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("general_comment", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _platform_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "platform_id", "context_id", "learner_id", "juror_id", name="uq_jury_evaluation"
        ),
    )
    op.create_table(
        "project_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        _platform(),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("learner_id", sa.String(length=255), nullable=False),
        sa.Column("result", sa.Float(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("juror_count", sa.Integer(), nullable=False),
        sa.Column("spread", sa.Float(), nullable=False),
        sa.Column("disagreement", sa.Boolean(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        _platform_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform_id", "context_id", "learner_id", name="uq_project_decision"),
    )
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        _platform(),
        sa.Column("context_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("learner_name", sa.String(length=255), nullable=False),
        sa.Column("programme_id", sa.String(length=100), nullable=False),
        sa.Column("programme_version", sa.String(length=50), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("programme_title", sa.JSON(), nullable=False),
        sa.Column("organisation", sa.String(length=255), nullable=False),
        sa.Column("project_result", sa.Float(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("credential_jwt", sa.Text(), nullable=False),
        sa.Column("signing_kid", sa.String(length=100), nullable=False),
        sa.Column("signing_key", sa.JSON(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.Column("revoked_by", sa.String(length=255), nullable=False),
        _platform_fk(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("platform_id", "context_id", "user_id", name="uq_certificate_learner"),
    )
    op.create_index(op.f("ix_certificate_signing_kid"), "certificate", ["signing_kid"])


def downgrade() -> None:
    op.drop_index(op.f("ix_certificate_signing_kid"), table_name="certificate")
    op.drop_table("certificate")
    op.drop_table("project_decision")
    op.drop_table("jury_evaluation")
    op.drop_table("jury_member")
    op.drop_index(op.f("ix_deliverable_file_deliverable_id"), table_name="deliverable_file")
    op.drop_table("deliverable_file")
    op.drop_table("project_deliverable")
    op.drop_table("module_validation")
    op.drop_table("learner_record")
