"""The tool's RSA signing keys: generated into the instance folder, published as a JWKS.

Each key is one PEM file `tool_keys/<UTC time>-<kid>.pem` (0600). The newest key signs;
an older key stays published until `grace` has passed since its successor was created,
so a platform that cached our JWKS keeps verifying what we signed before a rotation.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

from lti_tool.instance import write_private_file

KEY_FOLDER = "tool_keys"
KEY_BITS = 2048
_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"


@dataclass(frozen=True)
class ToolKey:
    kid: str
    created: datetime
    private_pem: str
    path: Path

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK with `kid`, `alg` and `use`."""
        public = dict(_parsed(self.private_pem).export_public(as_dict=True))
        public.update(kid=self.kid, alg="RS256", use="sig")
        return public

    @property
    def public_pem(self) -> str:
        return _public_pem(self.private_pem)


@functools.lru_cache(maxsize=8)
def _parsed(private_pem: str) -> JWK:
    # Parsing an RSA private key costs about 30 ms of CPU: once per key and process, not per
    # launch. Keys are few (the current one and those in their grace period).
    return JWK.from_pem(private_pem.encode())


@functools.lru_cache(maxsize=8)
def _public_pem(private_pem: str) -> str:
    return _parsed(private_pem).export_to_pem().decode()


def _folder(instance: Path) -> Path:
    folder = instance / KEY_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def generate_key(instance: Path, now: datetime | None = None) -> ToolKey:
    """Create a new signing key file (0600) and return it."""
    now = now or datetime.now(UTC)
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    kid = JWK.from_pem(pem.encode()).thumbprint()
    path = _folder(instance) / f"{now.strftime(_TIME_FORMAT)}-{kid}.pem"
    write_private_file(path, pem)
    return ToolKey(kid, now, pem, path)


_read: dict[tuple[str, tuple[str, ...]], tuple[ToolKey, ...]] = {}
_read_lock = threading.Lock()


def load_keys(instance: Path) -> list[ToolKey]:
    """Every key in the instance folder, oldest first."""
    folder = _folder(instance)
    # A key file is written once and never changed: the names say which keys there are,
    # so a launch lists the folder instead of reading and parsing every file again.
    names = tuple(sorted(name for name in os.listdir(folder) if name.endswith(".pem")))
    cache_key = (str(folder), names)
    cached = _read.get(cache_key)
    if cached is not None:
        return list(cached)
    keys = []
    for name in names:
        path = folder / name
        stamp, _, kid = path.stem.partition("-")
        created = datetime.strptime(stamp, _TIME_FORMAT).replace(tzinfo=UTC)
        keys.append(ToolKey(kid, created, path.read_text(encoding="utf-8"), path))
    # A file listed while another process was still writing it is read again next time.
    if all("-----END " in key.private_pem for key in keys):
        with _read_lock:
            if len(_read) >= 32:
                _read.clear()
            _read[cache_key] = tuple(keys)
    return keys


def ensure_signing_key(instance: Path) -> ToolKey:
    """The current signing key, generated on first start."""
    keys = load_keys(instance)
    return keys[-1] if keys else generate_key(instance)


def published_keys(keys: list[ToolKey], grace: timedelta, now: datetime) -> list[ToolKey]:
    """The keys whose public half the JWKS shows: the newest, and those still in grace."""
    shown = []
    for index, key in enumerate(keys):
        successor = keys[index + 1] if index + 1 < len(keys) else None
        if successor is None or now < successor.created + grace:
            shown.append(key)
    return shown


def rotate(instance: Path, grace: timedelta, now: datetime | None = None) -> ToolKey:
    """Add a new signing key; delete keys whose grace period is over."""
    now = now or datetime.now(UTC)
    new_key = generate_key(instance, now)
    keys = load_keys(instance)
    kept = {k.path for k in published_keys(keys, grace, now)}
    for key in keys:
        if key.path not in kept:
            with contextlib.suppress(FileNotFoundError):
                key.path.unlink()
    return new_key


def jwks(instance: Path, grace: timedelta, now: datetime | None = None) -> dict[str, Any]:
    """The JWKS document published at /lti/jwks."""
    now = now or datetime.now(UTC)
    return {"keys": [k.public_jwk() for k in published_keys(load_keys(instance), grace, now)]}
