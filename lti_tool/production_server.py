"""`ambassadeurs serve --production`: the tool under gunicorn, several worker processes."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from lti_tool.config import Settings


class ProductionServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn configured from our settings; each worker process builds its own app."""

    def __init__(self, settings: Settings, workers: int, threads: int) -> None:
        self.settings = settings
        self.options: dict[str, Any] = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            # Our own JSON request log replaces gunicorn's access log.
            "accesslog": None,
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 30,
            "forwarded_allow_ips": "127.0.0.1",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from lti_tool.app import create_app

        return create_app(self.settings)


def run_production_server(settings: Settings, workers: int, threads: int) -> None:
    """Serve until stopped (SIGTERM or Ctrl+C), with `workers` processes."""
    ProductionServer(settings, workers, threads).run()
