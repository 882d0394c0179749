"""The instance folder: database, secret key and tool keys live here, readable by us only."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from lti_tool.config import Settings


def write_private_file(path: Path, content: str) -> None:
    """Create `path` with mode 0600 from the start (never world-readable, even briefly)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)


def ensure_instance(settings: Settings) -> Path:
    """Create the instance folder (0700) if it does not exist yet."""
    folder = settings.instance
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def secret_key(settings: Settings) -> str:
    """The configured secret key, or the one generated once into the instance folder."""
    if settings.secret_key:
        return settings.secret_key
    path = ensure_instance(settings) / "secret_key"
    if not path.exists():
        # Another process may create it first: then we use theirs.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


def prepare_instance(settings: Settings) -> Path:
    """Make the instance ready to serve: folder, secret key, schema, tool key, platforms."""
    from lti_tool.database import make_engine, upgrade_database
    from lti_tool.keys import ensure_signing_key
    from lti_tool.platforms import seed_platforms

    folder = ensure_instance(settings)
    secret_key(settings)
    upgrade_database(settings.sqlalchemy_url)
    ensure_signing_key(folder)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        seed_platforms(engine, settings.platforms, settings.deployment_policy)
    finally:
        engine.dispose()
    return folder
