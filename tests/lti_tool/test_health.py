"""Liveness and readiness endpoints, and the request id in logs and responses."""

from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from sqlalchemy import create_engine


def test_healthz_answers_without_touching_dependencies(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_reports_a_reachable_database(app: Flask) -> None:
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": True}}


def test_readyz_is_503_when_the_database_is_unreachable(app: Flask, tmp_path: object) -> None:
    app.extensions["ambassadeurs.engine"] = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": False}


class _FailingRedis:
    def ping(self) -> bool:
        raise ConnectionError("refused")


def test_readyz_checks_redis_when_configured(app: Flask) -> None:
    app.extensions["ambassadeurs.redis"] = _FailingRedis()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": True, "redis": False}


def test_request_id_is_returned_and_logged_as_json(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    from lti_tool.request_log import JsonFormatter

    with caplog.at_level(logging.INFO, logger="ambassadeurs.events"):
        response = app.test_client().get("/", headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"
    records = [r for r in caplog.records if getattr(r, "fields", {}).get("event") == "request"]
    assert records, caplog.records
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["event"] == "request" and line["path"] == "/" and line["status"] == 200
    assert "duration_ms" in line


def test_unsafe_request_id_is_replaced(app: Flask) -> None:
    response = app.test_client().get("/", headers={"X-Request-Id": "<script>"})
    assert response.headers["X-Request-Id"] != "<script>"
    assert len(response.headers["X-Request-Id"]) == 32
