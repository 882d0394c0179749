"""Liveness and readiness endpoints for load balancers and orchestrators."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    """The process is up and answering (no dependency is checked)."""
    return _no_store(jsonify(status="ok"))


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    """The process can serve: the database answers, and Redis too when one is configured."""
    checks = {"database": _database_ok(current_app.extensions["ambassadeurs.engine"])}
    redis_client = current_app.extensions.get("ambassadeurs.redis")
    if redis_client is not None:
        checks["redis"] = _redis_ok(redis_client)
    ready = all(checks.values())
    body = jsonify(status="ok" if ready else "unavailable", checks=checks)
    return _no_store(body), 200 if ready else 503


def _database_ok(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.warning("readiness: database unreachable", exc_info=True)
        return False
    return True


def _redis_ok(client: object) -> bool:
    try:
        return bool(client.ping())  # type: ignore[attr-defined]
    except Exception:  # any client error means "not ready"; the log has the detail
        current_app.logger.warning("readiness: redis unreachable", exc_info=True)
        return False


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
