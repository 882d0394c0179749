"""Shared fixtures: a small valid curriculum, copies of it to break, an app on it."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from course_content.loader import load_curriculum
from course_content.model import Curriculum
from tests.wsgi_thread import served_in_thread

FIXTURE_CURRICULUM = Path(__file__).parent / "fixtures" / "curriculum"


@pytest.fixture(scope="session")
def curriculum() -> Curriculum:
    """The small test curriculum (two modules, every question type)."""
    return load_curriculum(FIXTURE_CURRICULUM)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the test curriculum, to break in one way or another."""
    target = tmp_path / "curriculum"
    shutil.copytree(FIXTURE_CURRICULUM, target)
    return target


TOOL_DATABASE_ENV = "AMBASSADEURS_TEST_TOOL_DATABASE"
"""Set to `postgresql` to run the tool's tests on PostgreSQL instead of SQLite (make test does
both: the whole suite on SQLite, then the tool's integration tests again on PostgreSQL)."""


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Settings for an app on the test curriculum, in a fresh instance folder and database."""
    import os

    from lti_tool.config import load_settings

    monkeypatch.chdir(tmp_path)
    values = {"instance_path": str(tmp_path / "instance"), "content_path": str(FIXTURE_CURRICULUM)}
    if os.environ.get(TOOL_DATABASE_ENV) == "postgresql":
        with fresh_postgres_database() as url:
            yield load_settings({**values, "database_url": url}, environ={})
        return
    yield load_settings(values, environ={})


@pytest.fixture
def app(settings: object) -> object:
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    prepare_instance(settings)  # type: ignore[arg-type]
    return create_app(settings)  # type: ignore[arg-type]


@pytest.fixture
def live_server(app: object) -> Iterator[str]:
    """The app behind a real HTTP server on a free loopback port; yields its base URL."""
    with served_in_thread(app) as port:
        yield f"http://127.0.0.1:{port}"


POSTGRES_URL_ENV = "AMBASSADEURS_TEST_DATABASE_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once on SQLite and once on the PostgreSQL that `make test` starts."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new empty database on the test PostgreSQL server, dropped afterwards."""
    import os
    import uuid

    from sqlalchemy import create_engine, text

    base_url = os.environ.get(POSTGRES_URL_ENV)
    if not base_url:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI: {POSTGRES_URL_ENV} is not set")
        pytest.skip(f"PostgreSQL not configured ({POSTGRES_URL_ENV}); `make test` starts one")
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    # Apps made by a test are not disposed by it: close their connections here, before the
    # database goes, so none is left to be garbage-collected while open.
    opened: list[Any] = []

    def _track(dbapi_connection: Any, _record: Any) -> None:
        opened.append(dbapi_connection)

    event.listen(Pool, "connect", _track)
    try:
        yield base_url.rsplit("/", 1)[0] + "/" + name
    finally:
        event.remove(Pool, "connect", _track)
        for connection in opened:
            connection.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis server on a free loopback port, for the tests' session."""
    import os
    import socket
    import subprocess
    import time

    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is required under CI (Debian package redis-server)")
        pytest.skip("redis-server not installed; `make test` installs it")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, "redis did not start"
        time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
