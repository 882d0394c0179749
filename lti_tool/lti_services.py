"""Calls to a platform's LTI Advantage services (AGS, NRPS): tokens, sessions, errors, paging.

One `ServiceClient` per process. It keeps:

- one `requests` session per platform, so connections are reused, with a timeout on
  every call;
- access tokens per (issuer, client id, scopes) until shortly before their `expires_in`
  (pylti1p3 asks for a new token on every service object and ignores `expires_in`);
- the tool's signing key parsed once, parsed again only when a rotation adds a key
  (pylti1p3 parses the PEM on every token request: about 36 ms of CPU each).

Failures become a `ServiceError` that says whether trying later may help, and how long
the platform asked us to wait (`Retry-After`). A token endpoint that answers with an
HTML page instead of JSON is what Moodle does when it cannot fetch our JWKS: the error
says so, with the URL to check.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from lti_tool import keys
from lti_tool.lti_adapter import TimeoutSession

# Scopes (imsglobal.org/spec/lti-ags/v2p0/#scopes-and-allowed-http-methods, lti-nrps/v2p0).
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS_SCOPES = frozenset(
    {SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE}
)

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_SECONDS = 300
DEFAULT_TOKEN_LIFETIME_SECONDS = 3600
"""Used when a token response has no `expires_in` (Moodle sends 3600)."""
TOKEN_MARGIN_SECONDS = 60
"""A cached token is dropped this long (at most a tenth of its life) before it expires."""
KEY_CHECK_SECONDS = 30
"""How often the key folder is looked at for a newer signing key."""
MAX_RETRY_AFTER_SECONDS = 24 * 3600
MAX_ERROR_BODY = 300

# Moodle writes rel=“next” with curly quotes, in UTF-8, which HTTP clients decode as
# Latin-1 (â\x80\x9cnext…): accept any quoting around the word.
_NEXT_LINK = re.compile(
    r"<(?P<url>[^>]+)>(?P<params>[^<]*?)\brel\s*=[^;,<]*?(?<![a-z])next(?![a-z])", re.I
)


class ServiceError(Exception):
    """A service call that failed; `retriable` says whether trying later may help."""

    def __init__(
        self,
        message: str,
        *,
        retriable: bool,
        status: int | None = None,
        retry_after: float | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retriable = retriable
        self.status = status
        self.retry_after = retry_after
        self.body = body


@dataclass(frozen=True)
class ServicePlatform:
    """What the client needs of a registration (plain values: safe to pass to threads)."""

    id: int
    issuer: str
    client_id: str
    token_url: str
    audience: str | None = None

    @classmethod
    def of(cls, platform: Any) -> ServicePlatform:
        """From a `models.Platform` row."""
        return cls(
            id=platform.id,
            issuer=platform.issuer,
            client_id=platform.client_id,
            token_url=platform.auth_token_url,
            audience=platform.auth_audience,
        )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header (seconds or an HTTP date) as seconds from now, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def next_page_url(link_header: str | None) -> str | None:
    """The `rel="next"` URL of a `Link` header, also with Moodle's curly quotes (rel=“next”)."""
    if not link_header:
        return None
    for match in _NEXT_LINK.finditer(link_header):
        if ">" not in match.group("params"):
            return match.group("url").strip()
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_BODY else text[:MAX_ERROR_BODY] + "…"


def _looks_like_html(response: requests.Response) -> bool:
    kind = response.headers.get("Content-Type", "").lower()
    return "html" in kind or response.text.lstrip()[:1] == "<"


class ToolSigner:
    """Signs client assertions with the tool's newest key, parsed once per key."""

    def __init__(self, instance: Path, clock: Callable[[], float] = time.monotonic) -> None:
        self._instance = instance
        self._clock = clock
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._newest = ""
        self._kid = ""
        self._key: PrivateKeyTypes | None = None
        self.parse_count = 0

    def _current(self) -> tuple[str, PrivateKeyTypes]:
        with self._lock:
            if self._key is None or self._clock() - self._checked_at > KEY_CHECK_SECONDS:
                self._checked_at = self._clock()
                folder = self._instance / keys.KEY_FOLDER
                newest = max((p.name for p in folder.glob("*.pem")), default="")
                if self._key is None or newest != self._newest:
                    key = keys.ensure_signing_key(self._instance)
                    self._key = serialization.load_pem_private_key(
                        key.private_pem.encode(), password=None
                    )
                    self._kid = key.kid
                    self._newest = newest or key.path.name
                    self.parse_count += 1
            return self._kid, self._key

    def client_assertion(self, platform: ServicePlatform) -> str:
        """The signed JWT that authenticates the tool at the platform's token endpoint."""
        kid, key = self._current()
        now = int(time.time())
        claims = {
            "iss": platform.client_id,
            "sub": platform.client_id,
            "aud": platform.audience or platform.token_url,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_SECONDS,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})  # type: ignore[arg-type]


@dataclass
class _Token:
    value: str
    good_until: float


class ServiceClient:
    """Authenticated calls to platforms' services, for every thread of one process."""

    def __init__(
        self,
        signer: ToolSigner,
        timeout: float,
        tool_jwks_url: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.signer = signer
        self.timeout = timeout
        self.tool_jwks_url = tool_jwks_url
        self.clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[int, requests.Session] = {}
        self._tokens: dict[tuple[str, str, tuple[str, ...]], _Token] = {}
        self._token_locks: dict[tuple[str, str, tuple[str, ...]], threading.Lock] = {}
        self.token_requests = 0

    def session(self, platform: ServicePlatform) -> requests.Session:
        """The platform's HTTP session (connections kept alive between calls)."""
        with self._lock:
            session = self._sessions.get(platform.id)
            if session is None:
                session = TimeoutSession(self.timeout)
                self._sessions[platform.id] = session
            return session

    def close(self) -> None:
        with self._lock:
            for session in self._sessions.values():
                session.close()
            self._sessions.clear()

    # --- Access tokens ------------------------------------------------------------------

    def _key(self, platform: ServicePlatform, scopes: tuple[str, ...]) -> Any:
        return (platform.issuer, platform.client_id, tuple(sorted(set(scopes))))

    def forget_token(self, platform: ServicePlatform, scopes: tuple[str, ...]) -> None:
        """Drop a cached token the platform refused (revoked, or expired early)."""
        with self._lock:
            self._tokens.pop(self._key(platform, scopes), None)

    def token(self, platform: ServicePlatform, scopes: tuple[str, ...]) -> str:
        """A valid access token for `scopes`: cached, or requested once for all threads."""
        key = self._key(platform, scopes)
        with self._lock:
            cached = self._tokens.get(key)
            if cached and cached.good_until > self.clock():
                return cached.value
            lock = self._token_locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                cached = self._tokens.get(key)
                if cached and cached.good_until > self.clock():
                    return cached.value
            token = self._request_token(platform, key[2])
            with self._lock:
                self._tokens[key] = token
            return token.value

    def _request_token(self, platform: ServicePlatform, scopes: tuple[str, ...]) -> _Token:
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": CLIENT_ASSERTION_TYPE,
            "client_assertion": self.signer.client_assertion(platform),
            "scope": " ".join(scopes),
        }
        self.token_requests += 1
        started = self.clock()
        response = self._send(
            platform, "POST", platform.token_url, data=form, headers={"Accept": "application/json"}
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.ok and isinstance(body, dict) and body.get("access_token"):
            try:
                lifetime = float(body.get("expires_in") or DEFAULT_TOKEN_LIFETIME_SECONDS)
            except (TypeError, ValueError):
                lifetime = DEFAULT_TOKEN_LIFETIME_SECONDS
            margin = min(TOKEN_MARGIN_SECONDS, lifetime / 10)
            return _Token(str(body["access_token"]), started + lifetime - margin)
        raise self._token_error(platform, response, body)

    def _token_error(
        self, platform: ServicePlatform, response: requests.Response, body: Any
    ) -> ServiceError:
        status = response.status_code
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if not isinstance(body, dict) and _looks_like_html(response):
            # Moodle's token.php answers 404 with an HTML page when it cannot read our keys.
            return ServiceError(
                f"le LMS n'a pas pu lire les clés publiques de l'outil à {self.tool_jwks_url} "
                f"(son point d'accès aux jetons {platform.token_url} a répondu {status} avec "
                "une page HTML) : vérifiez qu'il peut joindre cette adresse (certificat, "
                "pare-feu ; dans Moodle, les réglages curlsecurityblockedhosts et "
                "curlsecurityallowedport) / the LMS could not read our public keys at "
                f"{self.tool_jwks_url} (its token endpoint answered {status} with an HTML page): "
                "check that it can reach that URL (certificate, firewall; in Moodle, the "
                "curlsecurityblockedhosts and curlsecurityallowedport settings)",
                retriable=True,
                status=status,
                retry_after=retry_after,
                body=_short(response.text),
            )
        error = body.get("error", "") if isinstance(body, dict) else ""
        if error == "invalid_scope":
            detail = (
                "le LMS refuse les autorisations demandées : activez ses services de notes "
                "(AGS) et de participants (NRPS) pour l'outil / the LMS refuses the scopes "
                "asked for: enable its grade (AGS) and roster (NRPS) services for the tool"
            )
        elif error in ("invalid_client", "unauthorized_client", "invalid_grant"):
            detail = (
                "le LMS refuse l'identité de l'outil : vérifiez le client ID et que le LMS "
                f"a l'URL des clés {self.tool_jwks_url} / the LMS refuses the tool's "
                f"credentials: check the client ID and that the LMS has our keys URL "
                f"{self.tool_jwks_url}"
            )
        else:
            detail = "le LMS n'a pas délivré de jeton d'accès / the LMS issued no access token"
        return ServiceError(
            f"{detail} ({status} {error or _short(response.text)})",
            retriable=status >= 500 or status in (408, 429) or bool(error),
            status=status,
            retry_after=retry_after,
            body=_short(response.text),
        )

    # --- Calls ----------------------------------------------------------------------------

    def _send(
        self, platform: ServicePlatform, method: str, url: str, **kwargs: Any
    ) -> requests.Response:
        try:
            return self.session(platform).request(method, url, **kwargs)
        except requests.Timeout:
            raise ServiceError(
                f"pas de réponse du LMS en {self.timeout:g} s / no answer from the LMS within "
                f"{self.timeout:g} s: {method} {url}",
                retriable=True,
            ) from None
        except requests.ConnectionError as error:
            raise ServiceError(
                f"LMS injoignable / LMS unreachable: {method} {url}: "
                f"{_short(str(error.args[0] if error.args else error))}",
                retriable=True,
            ) from None
        except requests.RequestException as error:
            raise ServiceError(
                f"appel au LMS impossible / cannot call the LMS: {method} {url}: {error}",
                retriable=False,
            ) from None

    def call(
        self,
        platform: ServicePlatform,
        scopes: tuple[str, ...],
        method: str,
        url: str,
        *,
        accept: str = "application/json",
        content_type: str | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> requests.Response:
        """Call a service URL with a bearer token; a 2xx response, else a `ServiceError`."""
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        for first_try in (True, False):
            headers["Authorization"] = f"Bearer {self.token(platform, scopes)}"
            response = self._send(platform, method, url, headers=headers, json=body)
            if response.status_code == 401 and first_try:
                # Revoked or expired before its time: one new token, then give up.
                self.forget_token(platform, scopes)
                continue
            break
        if response.ok:
            return response
        status = response.status_code
        raise ServiceError(
            f"{method} {url} : {status} {_short(response.text)}",
            retriable=status >= 500 or status in (401, 408, 425, 429),
            status=status,
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            body=_short(response.text),
        )

    def get_pages(
        self, platform: ServicePlatform, scopes: tuple[str, ...], url: str, accept: str
    ) -> Iterator[Any]:
        """The JSON body of each page, following `Link: <…>; rel="next"` headers."""
        seen: set[str] = set()
        next_url: str | None = url
        while next_url and next_url not in seen:
            seen.add(next_url)
            response = self.call(platform, scopes, "GET", next_url, accept=accept)
            try:
                page = response.json()
            except ValueError:
                raise ServiceError(
                    f"GET {next_url} : réponse non JSON / not a JSON answer",
                    retriable=True,
                    status=response.status_code,
                    body=_short(response.text),
                ) from None
            yield page
            next_url = next_page_url(response.headers.get("Link"))
