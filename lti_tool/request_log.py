"""Structured JSON logs: one line per event, each with the request id.

The request id comes from the `X-Request-Id` header a reverse proxy sets, or is made
here; it is returned in the response so a user's report can be found in the log. Logs
carry no personal data beyond the LTI `sub` (no names, no e-mail addresses).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
_SAFE_REQUEST_ID = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object, with the fields given through `extra={"fields": …}`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Send every log record to standard error as JSON (idempotent)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.Formatter.converter = time.gmtime
    root.handlers = [handler]
    root.setLevel(level)


def log_event(event: str, **fields: Any) -> None:
    """Log a named event (a launch, a grade delivery…) with its outcome and context."""
    logging.getLogger("ambassadeurs.events").info(
        event, extra={"fields": {"event": event, **fields}}
    )


def _incoming_request_id() -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if 0 < len(given) <= 64 and set(given) <= _SAFE_REQUEST_ID:
        return given
    return uuid.uuid4().hex


def init_request_log(app: Flask) -> None:
    """Give each request an id, return it, and log one access line per request."""

    @app.before_request
    def _start() -> None:
        g.request_id = _incoming_request_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        started = g.get("request_started")
        if started is not None and request.endpoint not in ("health.healthz", "assets.asset"):
            log_event(
                "request",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
        return response
