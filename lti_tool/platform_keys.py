"""Platforms' public keys, for checking the id_tokens they sign.

A platform publishes its keys as a JWKS at its key set URL. The tool fetches it (with the
timeout of every outbound call), keeps it in the database for `KEY_SET_TTL_SECONDS` so
that every process shares one fetch, fetches it again once when a token names a `kid` it
does not hold (a key rotation), but not more often than every
`KEY_SET_MIN_REFETCH_SECONDS` (a flood of bad tokens must not become a flood of requests
to the LMS). A key found is cached (shared_cache.py: in memory, or Redis) and parsed once
per process.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from jwcrypto.jwk import JWK
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.models import PlatformKeySet
from lti_tool.shared_cache import SharedCache

KEY_SET_TTL_SECONDS = 3600
"""How long a platform's JWKS is trusted before it is fetched again."""
KEY_SET_MIN_REFETCH_SECONDS = 10
"""An unknown `kid` triggers a refetch at most this often."""


class KeySetUnavailable(Exception):
    """The key set cannot be fetched or kept; `status` is the answer to give (502, 503)."""

    def __init__(self, detail: str, status: int) -> None:
        super().__init__(detail)
        self.status = status


class UnknownKey(Exception):
    """The key set holds no usable RS256 key with that `kid`."""


class PlatformKeys:
    """The platforms' keys, for one request, on its database session."""

    def __init__(
        self,
        session: Session,
        http: requests.Session,
        now: Callable[[], datetime],
        cache: SharedCache | None = None,
    ) -> None:
        self.session = session
        self.http = http
        self.now = now
        self.cache = cache

    def public_key(self, url: str, kid: str) -> Any:
        """The platform key `kid` of the key set at `url`, parsed."""
        return _parsed_public_key(self.pem(url, kid))

    def pem(self, url: str, kid: str) -> str:
        """The PEM of the platform key `kid`: from the cache, else fetched (once) again."""
        cache_key = f"platform-key:{url}#{kid}"
        cached = self.cache.get(cache_key) if self.cache is not None else None
        if cached:
            return cached
        found = self._pem_from_database(url, kid)
        if self.cache is not None:
            self.cache.set(cache_key, found, KEY_SET_TTL_SECONDS)
        return found

    def _pem_from_database(self, url: str, kid: str) -> str:
        record = self.session.get(PlatformKeySet, url)
        if record is not None:
            age = (self.now() - record.fetched_at).total_seconds()
            found = _rsa_key(record.jwks, kid) if age < KEY_SET_TTL_SECONDS else None
            if found:
                return found
            if age < KEY_SET_MIN_REFETCH_SECONDS:
                raise UnknownKey(f"unknown kid {kid!r} (key set just fetched)")
        found = _rsa_key(self.fetch_key_set(url), kid)
        if not found:
            raise UnknownKey(f"unknown kid {kid!r}")
        return found

    def fetch_key_set(self, url: str) -> dict[str, Any]:
        """Fetch the key set at `url` and keep it in the database."""
        try:
            response = self.http.get(url)
            response.raise_for_status()
            key_set = response.json()
        except (requests.RequestException, ValueError) as error:
            raise KeySetUnavailable(f"cannot fetch {url}: {error}", 502) from None
        if not isinstance(key_set, dict) or not isinstance(key_set.get("keys"), list):
            raise KeySetUnavailable(f"{url} is not a JWKS", 502)
        record = self.session.get(PlatformKeySet, url)
        if record is None:
            # Learners of a class launch at the same moment: several processes may fetch a new
            # platform's keys at once, and only one row may hold them.
            try:
                with self.session.begin_nested():
                    self.session.add(PlatformKeySet(url=url, jwks=key_set, fetched_at=self.now()))
                return key_set
            except IntegrityError:
                record = self.session.get(PlatformKeySet, url, populate_existing=True)
                if record is None:
                    raise KeySetUnavailable(f"cannot store the keys of {url}", 503) from None
        record.jwks = key_set
        record.fetched_at = self.now()
        self.session.flush()
        return key_set


@functools.lru_cache(maxsize=32)
def _parsed_public_key(pem: str) -> Any:
    # PyJWT would parse the PEM again for every launch.
    try:
        return serialization.load_pem_public_key(pem.encode())
    except ValueError:
        raise UnknownKey("the platform key cannot be read") from None


def _rsa_key(key_set: Mapping[str, Any], kid: str) -> str | None:
    for key in key_set.get("keys", []):
        if not isinstance(key, dict) or key.get("kid") != kid:
            continue
        if key.get("kty") != "RSA" or key.get("alg", "RS256") != "RS256":
            return None
        try:
            return str(JWK.from_json(json.dumps(key)).export_to_pem().decode())
        except (ValueError, TypeError):
            return None
    return None
